"""Verifying candidate pairs: exact shingle scores, rewrite evidence, and the decision.

Every candidate from the LSH indexes is checked on the exact shingle sets (Jaccard, and
containment in both directions so that a truncated copy still matches its source). When most of
one text's shingles are in the other, it is a copy. Otherwise the rewrite evidence
(`dedup.rewrite`: sentence plan, order, quotes, numbers, names) goes to a small logistic model
(`dedup.model`), whose probability decides whether the pair is a rewrite. The figures behind each
decision stay in the Match.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from .config import Config
from .model import copy_probability, default_model
from .rewrite import TextProfile, pair_features
from .types import Candidate, Fingerprint, Match

COPY_CONTAINMENT = 0.5  # share of one text's shingles found in the other that makes it a copy


def shared_count(x: np.ndarray, y: np.ndarray) -> int:
    """How many values two sorted arrays of distinct values (a Fingerprint's sets) have in common:
    each value of the shorter looked up in the longer (len(np.intersect1d(x, y)) without the
    concatenation and sort)."""
    if len(x) > len(y):
        x, y = y, x
    if len(x) == 0:
        return 0
    at = np.searchsorted(y, x)
    np.minimum(at, len(y) - 1, out=at)
    return int(np.count_nonzero(y[at] == x))


def shingle_scores(a: Fingerprint, b: Fingerprint) -> tuple[float, float, float, int]:
    """(Jaccard, share of a in b, share of b in a, shared count) of the exact shingle sets."""
    if len(a.shingles) == 0 or len(b.shingles) == 0:
        return 0.0, 0.0, 0.0, 0
    shared = shared_count(a.shingles, b.shingles)
    union = len(a.shingles) + len(b.shingles) - shared
    return shared / union, shared / len(a.shingles), shared / len(b.shingles), shared


def feature_containment(a: Fingerprint, b: Fingerprint) -> float:
    """Share of the smaller text's content-word pairs found in the other."""
    return set_containment(a.features, b.features)


def set_containment(x: np.ndarray, y: np.ndarray) -> float:
    """Share of the smaller of two sorted sets (a Fingerprint's arrays) found in the other."""
    if len(x) == 0 or len(y) == 0:
        return 0.0
    return shared_count(x, y) / min(len(x), len(y))


def relation_of(copy_in_source: float, source_in_copy: float, is_rewrite: bool) -> str:
    """The relation of a copy to its source, from the shares of shingles each has in the other."""
    if copy_in_source >= 0.9:
        return "verbatim"
    if copy_in_source >= COPY_CONTAINMENT:
        return "edited"
    if source_in_copy >= COPY_CONTAINMENT:
        return "partial"  # the source is a block inside substantially other material
    return "rewrite" if is_rewrite else "partial"


TEMPLATED_CONFLICTS = 0.5  # share of chained numbered sentences that share no number
TEMPLATED_MIN_PAIRS = 3


def is_templated(features: Mapping[str, float]) -> bool:
    """Another day's templated report (market opening, lottery draw, weather): the same sentences
    with other numbers. A rewrite keeps its source's figures."""
    return (features.get("numbered_pairs", 0.0) >= TEMPLATED_MIN_PAIRS
            and features.get("number_conflicts", 0.0) >= TEMPLATED_CONFLICTS)


def _fingerprint_figures(a: Fingerprint, b: Fingerprint) -> dict[str, float]:
    """The figures of the exact shingle and content-word sets (unrounded)."""
    j, ca, cb, shared = shingle_scores(a, b)
    return {"jaccard": j, "containment_a": ca, "containment_b": cb,
            "containment_max": max(ca, cb), "containment_min": min(ca, cb),
            "shared_shingles": float(shared), "feature_containment": feature_containment(a, b)}


def _rounded(features: Mapping[str, float]) -> dict[str, float]:
    return {k: round(float(v), 4) for k, v in features.items()}


def pair_evidence(a: Fingerprint, b: Fingerprint, profiles: Callable[[str], TextProfile] | None) -> dict[str, float]:
    """Every figure the decision uses (rewrite evidence only when `profiles` is given)."""
    features = _fingerprint_figures(a, b)
    if profiles is not None:
        features.update(pair_features(profiles(a.id), profiles(b.id)))
    return _rounded(features)


# A rewrite keeps much of its source's wording: with fewer than this share of the smaller text's
# content-word pairs (Fingerprint.features) found in the other, a pair is not weighed for a rewrite
# at all. Such pairs are unrelated texts that an index or the settling proposed (half of the pairs
# needing the model at 100,000 generated documents, mostly sharing under 1%); the model scored
# every one of them under 0.05, and the least a rewrite or a pair of one story reached was 0.087
# (generated) and 0.084 (../shared/dev): tests/test_verify_precheck.py, benchmarks/PERF.md.
REWRITE_MIN_FEATURE_CONTAINMENT = 0.03


def may_be_rewrite(figures: Mapping[str, float]) -> bool:
    """The pre-check before the rewrite evidence (dedup.rewrite, most of verification's cost): can
    a pair with these fingerprint figures (`_fingerprint_figures`) be a rewrite?"""
    return figures["feature_containment"] >= REWRITE_MIN_FEATURE_CONTAINMENT


def verify_pair(a: Fingerprint, b: Fingerprint, profiles: Callable[[str], TextProfile], config: Config) -> Match:
    """The decision on one pair. A copy on shingles alone (score 1), a pair that fails the
    pre-check (`may_be_rewrite`) and any pair when rewrites are off (score 0) carry the fingerprint
    figures only: no rewrite evidence is built for them."""
    settled, figures = _settled_on_fingerprints(a, b, config)
    return settled if settled is not None else _weighed_for_rewrite(a, b, figures, profiles)


def _settled_on_fingerprints(a: Fingerprint, b: Fingerprint, config: Config) -> tuple[Match | None, dict[str, float]]:
    """The match of a pair its fingerprint figures settle (see `verify_pair`), or None for a pair
    the rewrite evidence must weigh; and the figures."""
    figures = _fingerprint_figures(a, b)
    j, ca, cb = figures["jaccard"], figures["containment_a"], figures["containment_b"]
    if max(ca, cb) >= COPY_CONTAINMENT:  # a copy on shingles alone: no need for rewrite evidence
        return Match(a.id, b.id, j, ca, cb, relation_of(max(ca, cb), min(ca, cb), False), 1.0, _rounded(figures)), figures
    if not config.rewrites or not may_be_rewrite(figures):
        return Match(a.id, b.id, j, ca, cb, None, 0.0, _rounded(figures)), figures
    return None, figures


def _weighed_for_rewrite(a: Fingerprint, b: Fingerprint, figures: dict[str, float],
                         profiles: Callable[[str], TextProfile]) -> Match:
    figures.update(pair_features(profiles(a.id), profiles(b.id)))
    features = _rounded(figures)
    score = copy_probability(features)
    relation = "rewrite" if score >= default_model().threshold and not is_templated(features) else None
    return Match(a.id, b.id, figures["jaccard"], figures["containment_a"], figures["containment_b"], relation,
                 round(score, 4), features)


# The content-word index (Fingerprint.feature_signature, LSH at Config.feature_threshold: 28 bands
# of 2 rows) reaches rewrites that share few shingles, and proposes unrelated pairs by chance in a
# single band, more of them per document the larger the corpus (0.2 a document at 100,000 generated
# documents, about 0.45 at 1,000,000). A pair only that index proposed is a candidate when the exact
# sets confirm it: the texts share at least the pre-check's share of content-word pairs (below it a
# pair is never weighed for a rewrite, and no copy shares so few). Verifying the others only to
# settle them at 0 cost 0.2 ms a document at 1,000,000 (PERF.md, eighth session); and where such a
# pair happened to be drawn, its 0 took part in the grouping's support means, by chance.
CONTENT_WORD_INDEX = "features"


def confirms(x: np.ndarray, y: np.ndarray) -> bool:
    """Do two content-word sets (Fingerprint.features) confirm a pair the content-word index alone
    proposed (see CONTENT_WORD_INDEX)?"""
    return set_containment(x, y) >= REWRITE_MIN_FEATURE_CONTAINMENT


def confirmed_by_content_words(a: Fingerprint, b: Fingerprint) -> bool:
    """Is a pair that only the content-word index proposed a candidate (see CONTENT_WORD_INDEX)?"""
    return confirms(a.features, b.features)


def one_per_pair(cands: Iterable[Candidate]) -> list[Candidate]:
    """One candidate per pair of documents, in the order of their first: the first of the pair's
    candidates, or the first named by another index when the content-word index proposed it too
    (only a pair that index alone proposed is named by it, and `verify` confirms those)."""
    first: dict[tuple[str, str], Candidate] = {}
    for c in cands:
        kept = first.get((c.a, c.b))
        if kept is None or (kept.via == CONTENT_WORD_INDEX and c.via != CONTENT_WORD_INDEX):
            first[(c.a, c.b)] = c
    return list(first.values())


def verify(candidates: Iterable[Candidate], fingerprints: Mapping[str, Fingerprint],
           profiles: Callable[[str], TextProfile], config: Config,
           prepare: Callable[[Sequence[str]], None] | None = None) -> list[Match]:
    """Verify every pair once (`one_per_pair`: pairs proposed by several indexes are verified
    once). A pair only the content-word index proposed that the exact sets do not confirm is no
    candidate: it has no match. `prepare`, when given, is first handed the ids of every document
    whose profile the rewrite evidence will ask `profiles` for (in the order of their pairs), so
    that they can be built together (`dedup.rewrite_profiles.profiles`)."""
    settled = []
    for c in one_per_pair(candidates):
        a, b = fingerprints[c.a], fingerprints[c.b]
        if c.via == CONTENT_WORD_INDEX and not confirmed_by_content_words(a, b):
            continue
        settled.append((a, b, *_settled_on_fingerprints(a, b, config)))
    if prepare is not None:
        prepare(list(dict.fromkeys(x.id for a, b, match, _ in settled if match is None for x in (a, b))))
    return [match if match is not None else _weighed_for_rewrite(a, b, figures, profiles)
            for a, b, match, figures in settled]


MAX_REWRITE_DAYS = 3  # a rewrite of wire copy appears within days; a templated report weeks later is another story


def apply_date_rule(matches: Iterable[Match], dates: Mapping[str, str | None]) -> list[Match]:
    """Rewrites between documents dated more than MAX_REWRITE_DAYS apart are not copies: a daily
    templated report (market opening, lottery draw, weather) shares its wording with every other
    day's. The gap stays in the figures. Shingle copies are kept (an archive may republish)."""
    from dataclasses import replace

    from .attribution import parse_date

    out = []
    for m in matches:
        if m.relation == "rewrite":
            da, db = parse_date(dates.get(m.a)), parse_date(dates.get(m.b))
            if da and db and abs((da - db).days) > MAX_REWRITE_DAYS:
                features = dict(m.features, date_gap_days=float(abs((da - db).days)))
                m = replace(m, relation=None, features=features)
        out.append(m)
    return out
