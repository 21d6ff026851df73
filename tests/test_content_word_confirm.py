"""Pairs only the content-word index proposed are confirmed on the exact content-word sets before
they are verified: the index's chance collisions (unrelated texts agreeing in one of its 28 bands)
are no candidates, in every engine, and a pair another index proposed too is always verified."""
from __future__ import annotations

import numpy as np

from dedup.config import Config
from dedup.pipeline import prepare_batch, scan
from dedup.types import Candidate, Document
from dedup.verify import CONTENT_WORD_INDEX, confirmed_by_content_words, one_per_pair, verify

from test_rewrite_and_model import REWRITE, SOURCE
from test_verify_precheck import UNRELATED, fingerprints, no_profiles


def test_an_unconfirmed_pair_of_the_content_word_index_alone_is_no_candidate():
    fps = fingerprints(s=SOURCE, u=UNRELATED)
    assert not confirmed_by_content_words(fps["s"], fps["u"])
    assert verify([Candidate("s", "u", CONTENT_WORD_INDEX)], fps, no_profiles, Config()) == []
    # the same pair proposed by another index is verified (and settled at 0 on its fingerprints)
    for via in ("shingles", "sentences", "support"):
        (m,) = verify([Candidate("s", "u", via)], fps, no_profiles, Config())
        assert (m.a, m.b, m.relation, m.score) == ("s", "u", None, 0.0)
        # ... also when the content-word index's candidate comes first
        (m,) = verify([Candidate("s", "u", CONTENT_WORD_INDEX), Candidate("s", "u", via)], fps, no_profiles, Config())
        assert (m.a, m.b, m.score) == ("s", "u", 0.0)


def test_a_confirmed_pair_of_the_content_word_index_is_verified():
    from dedup.rewrite import profile

    fps = fingerprints(r=REWRITE, s=SOURCE)
    assert confirmed_by_content_words(fps["r"], fps["s"])
    profiles = {"r": profile(REWRITE), "s": profile(SOURCE)}
    (m,) = verify([Candidate("r", "s", CONTENT_WORD_INDEX)], fps, profiles.__getitem__, Config())
    assert m.relation == "rewrite"


def test_a_pair_is_named_by_the_content_word_index_only_when_no_other_index_proposed_it():
    cands = [Candidate("a", "b", "features"), Candidate("a", "b", "sentences"), Candidate("a", "c", "features"),
             Candidate("b", "c", "shingles"), Candidate("b", "c", "features"), Candidate("a", "d", "sentences"),
             Candidate("a", "d", "shingles")]
    assert one_per_pair(cands) == [Candidate("a", "b", "sentences"), Candidate("a", "c", "features"),
                                   Candidate("b", "c", "shingles"), Candidate("a", "d", "sentences")]


def _documents() -> list[Document]:
    """Texts sharing content words in every degree: the same story rewritten, cut and padded, and
    unrelated notes that share a few words with everything."""
    story = SOURCE.split(". ")
    docs = [Document("source", SOURCE), Document("rewrite", REWRITE), Document("unrelated", UNRELATED),
            Document("cut", ". ".join(story[:2]) + ".")]
    docs += [Document(f"note-{i}", f"Note {i}: the council said the harbour and the library open at {i} "
                      f"o'clock on weekdays, and {story[i % len(story)].lower()}.") for i in range(8)]
    return docs


def test_the_spilled_scan_confirms_the_pairs_verify_would_keep(tmp_path, monkeypatch):
    """Every pair of documents handed to the local engine's confirmation as if the content-word
    index alone had proposed it: it keeps exactly the pairs `confirmed_by_content_words` keeps."""
    from dedup import scan_stages

    monkeypatch.setenv("DEDUP_TMPDIR", str(tmp_path))
    seen: dict[str, list[tuple[str, str]]] = {}
    confirm = scan_stages.SpilledScan._confirmed

    def every_pair_alone(by_via, order):
        n = len(ids)
        codes = np.array([a * n + b for a in range(n) for b in range(a + 1, n)], dtype=np.int64)
        return codes, np.full(len(codes), scan_stages.VIA_ORDER.index(CONTENT_WORD_INDEX), dtype=np.int64)

    def recorded(self, pairs, via):
        kept, kept_via = confirm(self, pairs, via)
        n = len(self.ids)
        seen["all"] = [(self.ranked[c // n], self.ranked[c % n]) for c in pairs.tolist()]
        seen["kept"] = [(self.ranked[c // n], self.ranked[c % n]) for c in kept.tolist()]
        return kept, kept_via

    ids = [d.id for d in _documents()]
    monkeypatch.setattr(scan_stages, "named_pairs", every_pair_alone)
    monkeypatch.setattr(scan_stages.SpilledScan, "_confirmed", recorded)
    config = Config(workers=2, batch_size=3, boilerplate=False)
    result = scan(_documents(), config)
    fps = {fp.id: fp for _, fp in prepare_batch(_documents(), config)}
    expected = [pair for pair in seen["all"] if confirmed_by_content_words(fps[pair[0]], fps[pair[1]])]
    assert seen["kept"] == expected
    assert 0 < len(expected) < len(seen["all"])  # both kinds were asked
    assert len(seen["all"]) == len(_documents()) * (len(_documents()) - 1) // 2
    assert {m.id for g in result.groups for m in g.members} >= {"source", "rewrite"}

