"""The pre-check before the rewrite evidence: pairs that share almost no content-word pairs are
settled on their fingerprints, without building rewrite profiles, and they are pairs that the full
verification rejects."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import Config
from dedup.fingerprint import fingerprint_texts
from dedup.model import copy_probability, default_model
from dedup.rewrite import profile
from dedup.types import Fingerprint
from dedup.verify import (REWRITE_MIN_FEATURE_CONTAINMENT, feature_containment, may_be_rewrite, pair_evidence,
                          verify_pair)

from test_rewrite_and_model import INDEPENDENT, REWRITE, SOURCE

# the model's probability for the pairs the pre-check skips stays far below anything that counts
# (a rewrite: the model's threshold; asking for more pairs in settling: dedup.settle's 0.15)
LOW_SCORE = 0.05

DEV = Path(__file__).resolve().parents[2] / "shared" / "dev" / "corpus.jsonl"
DATA = Path(__file__).resolve().parents[1] / "data" / "corpus.jsonl"

UNRELATED = (
    "The city orchestra announced its winter season on Monday with three premieres by young composers. "
    "Tickets for the opening concert, conducted by guest maestro Halvard Tiel, go on sale next week. "
    "The hall's renovated organ will be heard in public for the first time since its restoration. "
    "Subscribers keep their seats, the box office said, and students pay half price on weekdays. "
    "A festival of chamber music follows in spring, with ensembles from four neighbouring countries."
)


def no_profiles(doc_id: str):
    raise AssertionError(f"the pre-check should have settled the pair without a profile of {doc_id}")


def fingerprints(**texts: str) -> dict[str, Fingerprint]:
    return {fp.id: fp for fp in fingerprint_texts(list(texts), list(texts.values()), Config())}


def test_a_pair_sharing_no_content_word_pairs_is_settled_without_rewrite_evidence():
    fps = fingerprints(s=SOURCE, u=UNRELATED)
    assert feature_containment(fps["s"], fps["u"]) < REWRITE_MIN_FEATURE_CONTAINMENT
    m = verify_pair(fps["s"], fps["u"], no_profiles, Config())
    assert m.relation is None and m.score == 0.0
    assert "chain_short" not in m.features  # no rewrite figures: they were not computed
    assert m.features["feature_containment"] < REWRITE_MIN_FEATURE_CONTAINMENT
    # ... and the full verification rejects it too, far below the threshold and the expansion floor
    full = copy_probability(pair_evidence(fps["s"], fps["u"], {"s": profile(SOURCE), "u": profile(UNRELATED)}.get))
    assert full < LOW_SCORE < default_model().threshold


def test_a_rewrite_and_independent_coverage_of_the_same_event_pass_the_pre_check():
    # both share names and facts with the source: they are weighed by the model, not skipped
    fps = fingerprints(s=SOURCE, r=REWRITE, i=INDEPENDENT)
    profiles = {"s": profile(SOURCE), "r": profile(REWRITE), "i": profile(INDEPENDENT)}.__getitem__
    rewrite = verify_pair(fps["r"], fps["s"], profiles, Config())
    assert may_be_rewrite(rewrite.features) and rewrite.relation == "rewrite"
    assert "chain_short" in rewrite.features
    assert feature_containment(fps["r"], fps["s"]) >= 3 * REWRITE_MIN_FEATURE_CONTAINMENT


def test_copies_on_shingles_and_scans_without_rewrites_are_unchanged_by_the_pre_check():
    fps = fingerprints(s=SOURCE, c=SOURCE + " A line was added at the end of the copy.", u=UNRELATED)
    copy = verify_pair(fps["s"], fps["c"], no_profiles, Config())
    assert copy.relation in ("verbatim", "edited") and copy.score == 1.0
    off = verify_pair(fps["s"], fps["u"], no_profiles, Config(rewrites=False))
    assert off.relation is None and off.score == 0.0


WORDS = [f"word{i}" for i in range(40)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, len(WORDS) - 1), min_size=30, max_size=120),
       st.lists(st.integers(0, len(WORDS) - 1), min_size=30, max_size=120))
def test_the_pre_check_only_decides_pairs_below_its_floor_and_never_asks_for_a_profile(a_words, b_words):
    """Invariant: a pair is settled without its profiles exactly when it is no shingle copy and its
    feature containment is under the floor; a pair that is settled so is never a copy, and scores 0."""
    texts = [" ".join(WORDS[i] for i in words[k : k + 10]) + "." for words in (a_words, b_words)
             for k in range(0, len(words), 10)]
    half = len(range(0, len(a_words), 10))
    fps = fingerprints(a=" ".join(texts[:half]), b=" ".join(texts[half:]))
    asked: list[str] = []

    def profiles(doc_id: str):
        asked.append(doc_id)
        return profile(" ".join(texts[:half]) if doc_id == "a" else " ".join(texts[half:]))

    m = verify_pair(fps["a"], fps["b"], profiles, Config())
    copy = max(m.containment_a, m.containment_b) >= 0.5
    skipped = not copy and feature_containment(fps["a"], fps["b"]) < REWRITE_MIN_FEATURE_CONTAINMENT
    assert (not asked) == (copy or skipped)
    if skipped:
        assert m.relation is None and m.score == 0.0


def _labelled_pairs(path: Path):
    """Every candidate pair of a labelled corpus that shingles alone do not settle, with its full
    evidence and whether both documents tell the same story (as scripts/fit_copy_model.py pairs them)."""
    from dedup.corpus import read_corpus
    from dedup.engine.local import LocalEngine
    from dedup.pipeline import corpus_evidence, find_candidates, prepare_batch, profile_cache

    config = Config()
    docs = list(read_corpus([path]).documents)
    story = {d.id: d.extra.get("story") for d in docs}
    prepared = prepare_batch(docs, config, corpus_evidence([docs], config, LocalEngine(1)))
    fps = {fp.id: fp for _, fp in prepared}
    profiles = profile_cache({d.id: d for d in docs}, {d.id: s for d, (s, _) in zip(docs, prepared)})
    for pair in sorted({(c.a, c.b) for c in find_candidates([d.id for d in docs], fps, config)}):
        a, b = fps[pair[0]], fps[pair[1]]
        evidence = pair_evidence(a, b, profiles)
        if evidence["containment_max"] < 0.5:
            yield evidence, story[pair[0]] == story[pair[1]] and story[pair[0]] is not None


@pytest.mark.parametrize("path", [DEV, DATA], ids=["shared-dev", "data"])
def test_on_the_labelled_corpora_every_pair_the_pre_check_skips_scores_low_and_no_same_story_pair_comes_near(path):
    if not path.exists():
        pytest.skip(f"{path} is absent (the labelled corpus lives outside the repository)")
    skipped, same_story_fc = [], []
    for evidence, same in _labelled_pairs(path):
        if not may_be_rewrite(evidence):
            skipped.append(copy_probability(evidence))
        if same:
            same_story_fc.append(evidence["feature_containment"])
    # the full verification would have rejected every skipped pair, far below even the expansion floor
    assert all(p < LOW_SCORE for p in skipped), max(skipped)
    # and no pair of one story that needs the model is skipped: all share well over the floor's
    # content-word pairs (the least on ../shared/dev: 0.084)
    assert same_story_fc and min(same_story_fc) >= 2 * REWRITE_MIN_FEATURE_CONTAINMENT
    assert np.isfinite(same_story_fc).all()


@settings(max_examples=200, deadline=None)
@given(st.sets(st.integers(0, 2**32 - 1), max_size=60), st.sets(st.integers(0, 2**32 - 1), max_size=60),
       st.sets(st.integers(0, 2**32 - 1), max_size=30))
def test_shared_count_is_the_size_of_the_intersection(only_x, only_y, both):
    from dedup.verify import shared_count

    x = np.array(sorted(only_x | both), dtype=np.uint32)
    y = np.array(sorted(only_y | both), dtype=np.uint32)
    assert shared_count(x, y) == shared_count(y, x) == len(np.intersect1d(x, y, assume_unique=True))
