"""Verifying candidate pairs: exact shingle scores, rewrite evidence, and the relation label.

Every candidate from the LSH indexes is checked on the exact shingle sets (Jaccard, and
containment in both directions so that a truncated copy still matches its source). Pairs whose
shingles do not settle it are checked for rewrite evidence (`dedup.rewrite`), and a small
explainable model (`dedup.model`) decides. The figures behind each decision stay in the Match.
"""
from __future__ import annotations

from typing import Callable, Iterable, Mapping

import numpy as np

from .config import Config
from .model import copy_probability
from .rewrite import TextProfile, pair_features
from .types import Candidate, Fingerprint, Match


def shingle_scores(a: Fingerprint, b: Fingerprint) -> tuple[float, float, float, int]:
    """(Jaccard, share of a in b, share of b in a, shared count) of the exact shingle sets."""
    if len(a.shingles) == 0 or len(b.shingles) == 0:
        return 0.0, 0.0, 0.0, 0
    shared = len(np.intersect1d(a.shingles, b.shingles, assume_unique=True))
    union = len(a.shingles) + len(b.shingles) - shared
    return shared / union, shared / len(a.shingles), shared / len(b.shingles), shared


def feature_scores(a: Fingerprint, b: Fingerprint) -> tuple[float, float]:
    """(Jaccard, best containment) of the content-word pair features."""
    if len(a.features) == 0 or len(b.features) == 0:
        return 0.0, 0.0
    shared = len(np.intersect1d(a.features, b.features, assume_unique=True))
    union = len(a.features) + len(b.features) - shared
    return shared / union, shared / min(len(a.features), len(b.features))


def relation_of(copy_in_source: float, source_in_copy: float, is_rewrite: bool) -> str:
    """The relation of a copy to its source, from the shares of shingles each has in the other."""
    if copy_in_source >= 0.9:
        return "verbatim"
    if copy_in_source >= 0.5:
        return "edited"
    if source_in_copy >= 0.5 and not is_rewrite:
        return "partial"
    if is_rewrite:
        return "rewrite"
    return "partial"


def verify_pair(a: Fingerprint, b: Fingerprint, profiles: Callable[[str], TextProfile],
                config: Config) -> Match:
    j, ca, cb, shared = shingle_scores(a, b)
    fj, fc = feature_scores(a, b)
    features: dict[str, float] = {"jaccard": j, "containment_a": ca, "containment_b": cb,
                                  "shared_shingles": float(shared), "feature_jaccard": fj,
                                  "feature_containment": fc}
    if config.rewrites:
        features.update(pair_features(profiles(a.id), profiles(b.id)))
    score = copy_probability(features)
    relation = None
    if score >= 0.5:
        high = max(ca, cb)
        relation = relation_of(high, min(ca, cb), is_rewrite=high < 0.5 and features.get("cov50_max", 0) >= 0.5)
    return Match(a.id, b.id, j, ca, cb, relation, score, {k: round(float(v), 4) for k, v in features.items()})


def verify(candidates: Iterable[Candidate], fingerprints: Mapping[str, Fingerprint],
           profiles: Callable[[str], TextProfile], config: Config) -> list[Match]:
    """Verify every candidate pair once; pairs proposed by both indexes are verified once."""
    seen: set[tuple[str, str]] = set()
    out = []
    for c in candidates:
        if (c.a, c.b) in seen:
            continue
        seen.add((c.a, c.b))
        out.append(verify_pair(fingerprints[c.a], fingerprints[c.b], profiles, config))
    return out
