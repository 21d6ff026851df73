"""Cross-validate the whole scan on a labelled corpus, end to end.

    .venv/bin/python scripts/cross_validate_scan.py ../shared/dev/corpus.jsonl --also data/corpus.jsonl

`scripts/fit_copy_model.py` cross-validates the model on the scan's candidate pairs; this runs the
scan itself. The corpus's events are split into folds (8, grouped by event, repeated over 20
assignments of events to folds); for each fold the rewrite model is fitted on the other folds'
candidate pairs (and on every `--also` corpus), and the held-out events' documents are scanned with
it alone: candidates, support and expansion pairs, the date rule and the grouping all run as in
`dedup scan`. The held-out groupings are put together and scored like `dedup eval`. The figures
estimate what the shipped model does on a corpus it was not fitted on.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fit_copy_model as fitting  # noqa: E402
from dedup.config import Config  # noqa: E402
from dedup.corpus import read_corpus  # noqa: E402
from dedup.evaluate import score  # noqa: E402
from dedup.model import CopyModel, using_model  # noqa: E402
from dedup.pipeline import scan  # noqa: E402

SCANNED_FIELDS = ("id", "text", "title", "url", "site", "date")


def fit_model(rows: list[dict]) -> CopyModel:
    model_rows = [r for r in rows if r["f"]["containment_max"] < fitting.COPY_CONTAINMENT]
    X = np.array([[r["f"][k] for k in fitting.FEATURES] for r in model_rows])
    y = np.array([r["same"] for r in model_rows])
    mean, scale, clf = fitting.fit(X, y, fitting.weights(model_rows))
    return CopyModel(fitting.FEATURES, tuple(mean), tuple(scale), tuple(clf.coef_[0]), float(clf.intercept_[0]),
                     fitting.THRESHOLD, fitting.MERGE_THRESHOLD, {})


def held_out_clusters(records: list[dict], model: CopyModel, fold: int, config: Config) -> dict[str, str | None]:
    """Scan only `records` (the held-out events) with `model`; cluster ids tagged with the fold."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "held-out.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for r in records:
                f.write(json.dumps({k: r.get(k) for k in SCANNED_FIELDS}, ensure_ascii=False) + "\n")
        with using_model(model):
            result = scan([path], config)
    return {d.id: (f"{fold}:{d.cluster}" if d.cluster else None) for d in result.documents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", help="labelled JSONL corpus (id, text, story, event)")
    parser.add_argument("--also", action="append", default=[], help="labelled corpora always in the training folds")
    args = parser.parse_args()
    config = Config(workers=1)  # the model is set in this process
    rows, _ = fitting.corpus_pairs(args.corpus, config)
    extra = [r for path in args.also for r in fitting.corpus_pairs(path, config)[0]]
    records = [json.loads(line) for line in open(args.corpus, encoding="utf-8") if line.strip()]
    events = np.array([r.get("event") or r["id"] for r in records])
    labels = {d.id: d.extra for d in read_corpus([args.corpus]).documents}
    runs = []
    for seed in fitting.FOLD_SEEDS:
        folds = GroupKFold(n_splits=8) if seed is None else GroupKFold(n_splits=8, shuffle=True, random_state=seed)
        predicted: dict[str, str | None] = {}
        for k, (_, test) in enumerate(folds.split(records, groups=events)):
            held = {events[i] for i in test}
            train = [r for r in rows if r["event"].split("::", 1)[1] not in held] + extra
            predicted.update(held_out_clusters([records[i] for i in test], fit_model(train), k, config))
        result = score(labels, predicted).to_dict()
        result.pop("false_merges")
        result.pop("missed")
        runs.append(result)
        print(json.dumps({"fold_seed": seed, **result}), file=sys.stderr)
    print(json.dumps(fitting.mean_figures(runs), indent=1))


if __name__ == "__main__":
    main()
