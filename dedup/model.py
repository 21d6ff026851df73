"""The decision: is a verified pair a copy? A small explainable model over the pair's figures.

Until a fitted model is shipped (dedup/models/copy_model.json), shingle containment decides.
"""
from __future__ import annotations

from typing import Mapping


def copy_probability(features: Mapping[str, float]) -> float:
    high = max(features.get("containment_a", 0.0), features.get("containment_b", 0.0))
    if high >= 0.5:
        return 1.0
    if features.get("cov50_max", 0.0) >= 0.6 and features.get("cov50_order", 0.0) >= 0.8 and features.get("cov50_n", 0) >= 3:
        return 0.75
    return 0.0
