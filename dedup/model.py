"""The decision on a pair: a logistic model over the pair's figures, shipped as JSON.

The fitted parameters live in dedup/models/copy_model.json (written by scripts/fit_copy_model.py,
with the cross-validated figures it reached). Every decision is explainable: `explain` gives each
figure's contribution to the log-odds.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from contextlib import contextmanager
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator, Mapping

from .errors import DedupError

MODEL_FILE = "copy_model.json"


@dataclass(frozen=True)
class CopyModel:
    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    threshold: float  # probability from which a pair without shared shingles counts as a rewrite
    merge_threshold: float  # probability from which a rewrite may join two existing groups
    meta: Mapping[str, Any]

    def log_odds_parts(self, values: Mapping[str, float]) -> dict[str, float]:
        return {name: c * (float(values.get(name, 0.0)) - m) / s
                for name, m, s, c in zip(self.features, self.mean, self.scale, self.coef)}

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.intercept + sum(self.log_odds_parts(values).values())
        return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, z))))

    def to_dict(self) -> dict[str, Any]:
        return {"features": list(self.features), "mean": list(self.mean), "scale": list(self.scale),
                "coef": list(self.coef), "intercept": self.intercept, "threshold": self.threshold,
                "merge_threshold": self.merge_threshold, "meta": dict(self.meta)}


def model_from_dict(data: Mapping[str, Any]) -> CopyModel:
    try:
        return CopyModel(tuple(data["features"]), tuple(map(float, data["mean"])), tuple(map(float, data["scale"])),
                         tuple(map(float, data["coef"])), float(data["intercept"]), float(data["threshold"]),
                         float(data.get("merge_threshold", 1.01)), dict(data.get("meta", {})))
    except (KeyError, TypeError, ValueError) as exc:
        raise DedupError(f"the copy model file is malformed: {exc}") from exc


@lru_cache(maxsize=1)
def shipped_model() -> CopyModel:
    text = resources.files("dedup.models").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    return model_from_dict(json.loads(text))


_IN_USE: list[CopyModel] = []  # models set by `using_model`, innermost last


def default_model() -> CopyModel:
    """The model decisions use: the shipped one, or the one `using_model` set in this process."""
    return _IN_USE[-1] if _IN_USE else shipped_model()


@contextmanager
def using_model(model: CopyModel) -> Iterator[CopyModel]:
    """Decide with `model` instead of the shipped one inside the block, in this process (a scan with
    workers=1): for cross-validating the whole scan with models fitted on other folds."""
    _IN_USE.append(model)
    try:
        yield model
    finally:
        _IN_USE.pop()


def copy_probability(features: Mapping[str, float], model: CopyModel | None = None) -> float:
    return (model or default_model()).probability(features)


def explain(features: Mapping[str, float], model: CopyModel | None = None, top: int = 5) -> list[tuple[str, float]]:
    """The figures that pushed the decision most, with their contribution to the log-odds."""
    parts = (model or default_model()).log_odds_parts(features)
    return sorted(parts.items(), key=lambda kv: -abs(kv[1]))[:top]
