"""`dedup eval`: scan a labelled corpus and score the grouping against its labels.

Labels: "story" (the wire copy a text derives from), optional "event" (texts of one event but
different stories are independent coverage) and "relation". Figures: pair precision, recall and
F1, the adjusted Rand index, the share of same-event pairs from different stories that were merged,
recall per relation, and the time taken.
"""
from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any, Mapping

from .config import Config
from .corpus import read_corpus
from .errors import DedupError
from .types import ScanResult


@dataclass(frozen=True)
class Evaluation:
    documents: int
    pair_precision: float
    pair_recall: float
    pair_f1: float
    ari: float
    same_event_pairs: int
    same_event_merged: int
    same_event_merge_rate: float
    recall_by_relation: Mapping[str, tuple[int, int]]
    seconds: float
    false_merges: tuple[tuple[str, str], ...] = ()
    missed: tuple[tuple[str, str], ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"documents": self.documents, "pair_precision": self.pair_precision, "pair_recall": self.pair_recall,
                "pair_f1": self.pair_f1, "ari": self.ari, "same_event_pairs": self.same_event_pairs,
                "same_event_merged": self.same_event_merged, "same_event_merge_rate": self.same_event_merge_rate,
                "recall_by_relation": {k: f"{a}/{b}" for k, (a, b) in self.recall_by_relation.items()},
                "seconds": self.seconds, "false_merges": [list(p) for p in self.false_merges],
                "missed": [list(p) for p in self.missed]}


def score(labels: Mapping[str, Mapping[str, Any]], clusters: Mapping[str, str | None], seconds: float = 0.0) -> Evaluation:
    """Score predicted clusters (id -> cluster or None) against labels (id -> {"story", "event", "relation"})."""
    from sklearn.metrics import adjusted_rand_score

    ids = sorted(labels)
    pred = {i: clusters.get(i) or f"__single__{i}" for i in ids}
    story = {i: labels[i]["story"] for i in ids}
    tp = fp = fn = hard = hard_merged = 0
    false_merges, missed = [], []
    for a, b in combinations(ids, 2):
        same_true, same_pred = story[a] == story[b], pred[a] == pred[b]
        tp += same_true and same_pred
        if same_pred and not same_true:
            fp += 1
            false_merges.append((a, b))
        if same_true and not same_pred:
            fn += 1
            missed.append((a, b))
        event_a, event_b = labels[a].get("event"), labels[b].get("event")
        if not same_true and event_a and event_a == event_b:
            hard += 1
            hard_merged += same_pred
    members = defaultdict(list)
    for i in ids:
        members[story[i]].append(i)
    found, total = Counter(), Counter()
    for i in ids:
        rel = labels[i].get("relation")
        if rel in (None, "original", "independent") or len(members[story[i]]) < 2:
            continue
        total[rel] += 1
        found[rel] += any(pred[j] == pred[i] for j in members[story[i]] if j != i)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return Evaluation(
        documents=len(ids), pair_precision=round(p, 4), pair_recall=round(r, 4),
        pair_f1=round(2 * p * r / (p + r), 4) if p + r else 0.0,
        ari=round(float(adjusted_rand_score([story[i] for i in ids], [pred[i] for i in ids])), 4),
        same_event_pairs=hard, same_event_merged=hard_merged,
        same_event_merge_rate=round(hard_merged / hard, 4) if hard else 0.0,
        recall_by_relation={k: (found[k], total[k]) for k in sorted(total)}, seconds=round(seconds, 3),
        false_merges=tuple(false_merges), missed=tuple(missed))


def evaluate(path: str | Path, config: Config | None = None, *, id_field: str = "id", text_field: str = "text",
             engine=None) -> tuple[Evaluation, ScanResult]:
    """Scan a labelled JSONL/CSV corpus and score the result against its "story" labels."""
    from .pipeline import scan

    corpus = read_corpus([path], id_field=id_field, text_field=text_field)
    unlabelled = [d.id for d in corpus.documents if not d.extra.get("story")]
    if unlabelled:
        raise DedupError(f"{path}: {len(unlabelled)} documents have no \"story\" label (first: {unlabelled[0]!r})")
    started = time.perf_counter()
    result = scan(list(corpus.documents), config, engine=engine)
    seconds = time.perf_counter() - started
    labels = {d.id: d.extra for d in corpus.documents}
    clusters = {d.id: d.cluster for d in result.documents}
    return score(labels, clusters, seconds), result
