"""Fit the rewrite model shipped in dedup/models/copy_model.json, and report cross-validated figures.

    .venv/bin/python scripts/fit_copy_model.py ../shared/dev/corpus.jsonl data/corpus.jsonl

Training pairs are the scan's own candidates that shingles alone do not settle (the only pairs the
model decides), labelled "same story or not". For each document, its best same-story pair carries
full weight and its other same-story pairs a fifth: a story's members need one good link each,
not to resemble every other member. Folds are grouped by event so that no event is both trained
and tested on, and the cross-validation is repeated over 20 assignments of events to folds (the
figures move by several points from one assignment to another); the means are reported. The
cluster-level figures come from grouping the held-out predictions as a scan does
(dedup.cluster.components, every verified pair given).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dedup.cluster import components  # noqa: E402
from dedup.config import Config  # noqa: E402
from dedup.corpus import read_corpus  # noqa: E402
from dedup.engine.local import LocalEngine  # noqa: E402
from dedup.evaluate import score  # noqa: E402
from dedup.model import CopyModel  # noqa: E402
from dedup.pipeline import corpus_evidence, find_candidates, prepare_batch, profile_cache  # noqa: E402
from dedup.types import Match  # noqa: E402
from dedup.verify import COPY_CONTAINMENT, apply_date_rule, is_templated, pair_evidence, relation_of  # noqa: E402

FEATURES = ("jaccard", "containment_max", "containment_min", "shared_shingles", "feature_containment", "cov50_max",
            "chain_short", "chain_long", "chain_pairs", "chain_similarity", "align50_max", "align50_min",
            "align65_max", "align65_min", "quotes", "numbers_seq", "names_seq", "word_order", "span_length_ratio",
            "number_conflicts", "narrative_align50", "narrative_min", "quoted_match")
OTHER_PAIR_WEIGHT = 0.2
THRESHOLD = 0.435
MERGE_THRESHOLD = 0.97
C = 0.1


def corpus_pairs(path: str, config: Config) -> tuple[list[dict], dict]:
    docs = list(read_corpus([path]).documents)
    labels = {d.id: {"story": d.extra["story"], "event": d.extra.get("event"), "relation": d.extra.get("relation"),
                     "date": d.date}
              for d in docs}
    engine = LocalEngine(1)
    evidence = corpus_evidence([docs], config, engine)
    prepared = prepare_batch(docs, config, evidence)
    fps = {fp.id: fp for _, fp in prepared}
    spans = {d.id: s for d, (s, _) in zip(docs, prepared)}
    profiles = profile_cache({d.id: d for d in docs}, spans)
    rows = []
    for c in find_candidates([d.id for d in docs], fps, config):
        if rows and (rows[-1]["a"], rows[-1]["b"]) == (c.a, c.b):
            continue
        f = pair_evidence(fps[c.a], fps[c.b], profiles)
        rows.append({"a": c.a, "b": c.b, "f": f, "same": labels[c.a]["story"] == labels[c.b]["story"],
                     "event": f"{path}::{labels[c.a]['event']}", "corpus": path})
    return rows, labels


def weights(rows: list[dict]) -> np.ndarray:
    has_copy = set()
    for r in rows:
        if r["same"] and r["f"]["containment_max"] >= COPY_CONTAINMENT:
            has_copy.update((r["a"], r["b"]))
    best: dict[str, int] = {}
    for i, r in enumerate(rows):
        if not r["same"] or r["f"]["containment_max"] >= COPY_CONTAINMENT:
            continue
        key = r["f"]["chain_short"] + r["f"]["align50_max"]
        for d in (r["a"], r["b"]):
            if d not in has_copy and (d not in best or key > rows[best[d]]["f"]["chain_short"] + rows[best[d]]["f"]["align50_max"]):
                best[d] = i
    chosen = set(best.values())
    return np.array([1.0 if (not r["same"] or i in chosen) else OTHER_PAIR_WEIGHT for i, r in enumerate(rows)])


def fit(X: np.ndarray, y: np.ndarray, w: np.ndarray):
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=C, max_iter=5000).fit((X - mean) / scale, y, sample_weight=w)
    return mean, scale, clf


def grouped(rows: list[dict], p: np.ndarray, labels: dict) -> dict:
    """Group the corpus as a scan would, with the given probabilities for the model's pairs."""
    dates = {doc_id: lab.get("date") for doc_id, lab in labels.items()}
    matches = []
    for r, prob in zip(rows, p):
        f = r["f"]
        ca, cb = f["containment_a"], f["containment_b"]
        if f["containment_max"] >= COPY_CONTAINMENT:
            matches.append(Match(r["a"], r["b"], f["jaccard"], ca, cb, relation_of(max(ca, cb), min(ca, cb), False), 1.0))
        else:
            rewrite = prob >= THRESHOLD and not is_templated(f)
            matches.append(Match(r["a"], r["b"], f["jaccard"], ca, cb, "rewrite" if rewrite else None, float(prob)))
    clusters = {}
    matches = apply_date_rule(matches, dates)
    for g in components(list(labels), matches, merge_threshold=MERGE_THRESHOLD, threshold=THRESHOLD):
        for d in g:
            clusters[d] = g[0]
    return score(labels, clusters).to_dict()


FOLD_SEEDS = (None, *range(1, 20))  # GroupKFold's own assignment, then 19 shuffled ones


def mean_figures(results: list[dict]) -> dict:
    """The mean of each figure over the fold assignments, recall per relation as mean found/total."""
    out = {k: round(float(np.mean([r[k] for r in results])), 4) for k in
           ("pair_precision", "pair_recall", "pair_f1", "ari", "same_event_merge_rate")}
    out["same_event_pairs"] = results[0]["same_event_pairs"]
    out["recall_by_relation"] = {
        rel: f"{np.mean([int(r['recall_by_relation'][rel].split('/')[0]) for r in results]):.1f}/{total.split('/')[1]}"
        for rel, total in results[0]["recall_by_relation"].items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpora", nargs="+", help="labelled JSONL corpora (id, text, story, event)")
    parser.add_argument("-o", "--output", default=str(ROOT / "dedup" / "models" / "copy_model.json"))
    args = parser.parse_args()
    config = Config()
    rows, labels = [], {}
    for path in args.corpora:
        r, lab = corpus_pairs(path, config)
        rows += r
        labels[path] = lab
    model_rows = [r for r in rows if r["f"]["containment_max"] < COPY_CONTAINMENT]
    X = np.array([[r["f"][k] for k in FEATURES] for r in model_rows])
    y = np.array([r["same"] for r in model_rows])
    groups = np.array([r["event"] for r in model_rows])
    w = weights(model_rows)
    cv = {"pairs": len(model_rows), "positives": int(y.sum()), "repeats": len(FOLD_SEEDS)}
    per_corpus: dict[str, list[dict]] = defaultdict(list)
    precisions = []
    for seed in FOLD_SEEDS:  # the figures depend on which events share a fold: several assignments
        folds = GroupKFold(n_splits=8) if seed is None else GroupKFold(n_splits=8, shuffle=True, random_state=seed)
        p = np.zeros(len(y))
        for train, test in folds.split(X, y, groups):
            mean, scale, clf = fit(X[train], y[train], w[train])
            p[test] = clf.predict_proba((X[test] - mean) / scale)[:, 1]
        precisions.append(float(average_precision_score(y, p)))
        prob = {(r["a"], r["b"], r["corpus"]): q for r, q in zip(model_rows, p)}
        for path in args.corpora:
            corpus_rows = [r for r in rows if r["corpus"] == path]
            probs = np.array([prob.get((r["a"], r["b"], path), 0.0) for r in corpus_rows])
            result = grouped(corpus_rows, probs, labels[path])
            false_merges = result.pop("false_merges")
            result.pop("missed")
            if seed is None:
                print(f"{path}: cross-validated false merges: {false_merges}", file=sys.stderr)
            per_corpus[path].append(result)
    cv["average_precision"] = round(float(np.mean(precisions)), 4)
    for path, results in per_corpus.items():
        name = Path(path).name if Path(path).name != "corpus.jsonl" else str(Path(path).parent.name) + "/corpus.jsonl"
        cv[name] = mean_figures(results)
    mean, scale, clf = fit(X, y, w)
    model = CopyModel(FEATURES, tuple(np.round(mean, 6)), tuple(np.round(scale, 6)), tuple(np.round(clf.coef_[0], 6)),
                      round(float(clf.intercept_[0]), 6), THRESHOLD, MERGE_THRESHOLD,
                      {"trained_on": [Path(p).name if Path(p).name != "corpus.jsonl" else f"{Path(p).parent.name}/corpus.jsonl" for p in args.corpora],
                       "C": C, "other_pair_weight": OTHER_PAIR_WEIGHT, "cross_validation": cv,
                       "how": "scripts/fit_copy_model.py: logistic regression on standardised figures, "
                              "8 folds grouped by event, repeated over 20 assignments of events to folds (means)"})
    Path(args.output).write_text(json.dumps(model.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(json.dumps(cv, indent=1))
    print("coefficients:", dict(zip(FEATURES, np.round(clf.coef_[0], 2))))


if __name__ == "__main__":
    main()
