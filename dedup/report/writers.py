"""Writing a scan to a directory: documents, clusters and verified pairs as JSONL, CSV, Parquet or
one SQLite database, and scan.json with the configuration, figures and input problems (so every output says how it was made)."""
from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any, Iterable

from ..errors import DedupError
from ..types import DocumentResult, Group, Match, ScanResult

FORMATS = ("jsonl", "csv", "parquet", "sqlite")
DOCUMENT_COLUMNS = ("id", "cluster", "role", "source", "relation", "similarity", "containment",
                    "boilerplate_chars", "title", "site", "date", "url")


def document_row(d: DocumentResult) -> dict[str, Any]:
    row = {"id": d.id, "cluster": d.cluster, "role": d.role, "source": d.source, "relation": d.relation,
           "similarity": d.similarity, "containment": d.containment,
           "boilerplate": [{"start": s.start, "end": s.end, "rule": s.rule, "text": s.text} for s in d.boilerplate],
           "title": d.title, "site": d.site, "date": d.date, "url": d.url}
    if d.extra:
        row["extra"] = dict(d.extra)
    return row


def cluster_row(g: Group) -> dict[str, Any]:
    return {"cluster": g.cluster, "source": g.source, "source_reason": g.source_reason, "size": len(g.members),
            "members": [{"id": m.id, "role": m.role, "relation": m.relation, "similarity": m.similarity,
                         "containment": m.containment, "score": m.score, "features": dict(m.features)}
                        for m in g.members]}


def match_row(m: Match) -> dict[str, Any]:
    return {"a": m.a, "b": m.b, "relation": m.relation, "score": round(m.score, 4), "jaccard": round(m.jaccard, 4),
            "containment_a": round(m.containment_a, 4), "containment_b": round(m.containment_b, 4),
            "features": dict(m.features)}


def _with_boilerplate_chars(row: dict[str, Any]) -> dict[str, Any]:
    row["boilerplate_chars"] = sum(s["end"] - s["start"] for s in row["boilerplate"])
    return row


def scan_summary(result: ScanResult) -> dict[str, Any]:
    """What scan.json holds. Timings stay out (they are in result.stats["seconds"]) so that the same
    input and seed write the same bytes."""
    stats = {k: v for k, v in result.stats.items() if k != "seconds"}
    return {"config": result.config.to_dict(), "stats": stats,
            "problems": [asdict(p) for p in result.problems]}


def _dumps(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, default=str)


def _write_jsonl(path: Path, rows: Iterable[dict]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(_dumps(row) + "\n")


def _flat(row: dict, columns: Iterable[str]) -> dict[str, Any]:
    return {c: (_dumps(row[c]) if isinstance(row.get(c), (list, dict)) else row.get(c)) for c in columns}


def _write_csv(path: Path, rows: Iterable[dict], columns: list[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(_flat(row, columns))


def write_scan(result: ScanResult, out_dir: str | Path, fmt: str = "jsonl") -> list[Path]:
    """Write documents, clusters, pairs and scan.json into out_dir; returns the files written."""
    if fmt not in FORMATS:
        raise DedupError(f"unknown output format {fmt!r}: choose one of {', '.join(FORMATS)}")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DedupError(f"cannot create output directory {out}: {exc.strerror}") from exc
    # rows are made as they are written (a million documents' rows are never all in memory), except
    # for Parquet, whose columns need them all (SQLite takes them in batches)
    docs = map(_with_boilerplate_chars, map(document_row, result.documents))
    clusters = map(cluster_row, result.groups)
    pairs = map(match_row, result.matches)
    written = []
    if fmt == "jsonl":
        for name, rows in (("documents", docs), ("clusters", clusters), ("pairs", pairs)):
            _write_jsonl(out / f"{name}.jsonl", rows)
            written.append(out / f"{name}.jsonl")
    elif fmt == "csv":
        _write_csv(out / "documents.csv", docs, list(DOCUMENT_COLUMNS) + ["boilerplate"])
        _write_csv(out / "clusters.csv", clusters, ["cluster", "source", "source_reason", "size", "members"])
        _write_csv(out / "pairs.csv", pairs, ["a", "b", "relation", "score", "jaccard", "containment_a",
                                              "containment_b", "features"])
        written += [out / "documents.csv", out / "clusters.csv", out / "pairs.csv"]
    elif fmt == "sqlite":
        from .sqlite import write_sqlite

        written += write_sqlite(out, docs, clusters, pairs, scan_summary(result))
    else:
        from .parquet import write_parquet

        written += write_parquet(out, list(docs), list(clusters), list(pairs))
    (out / "scan.json").write_text(_dumps(scan_summary(result)) + "\n", encoding="utf-8")
    written.append(out / "scan.json")
    return written
