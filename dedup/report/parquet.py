"""Writing a scan as Parquet (pyarrow): documents, clusters and pairs with explicit schemas.

Nested records stay nested (boilerplate spans, cluster members as lists of structs; the figures
behind a decision as maps); a document's free-form `extra` fields are kept as one JSON string,
since they differ from corpus to corpus.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Sequence

from ..errors import MissingExtra

HINT = "writing Parquet needs pyarrow; install it with: pip install 'dedup[dask]'"


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra(HINT) from None
    return pa, pq


def schemas(pa) -> dict[str, Any]:
    features = pa.map_(pa.string(), pa.float64())
    span = pa.struct([("start", pa.int64()), ("end", pa.int64()), ("rule", pa.string()), ("text", pa.string())])
    member = pa.struct([("id", pa.string()), ("role", pa.string()), ("relation", pa.string()),
                        ("similarity", pa.float64()), ("containment", pa.float64()), ("score", pa.float64()),
                        ("features", features)])
    return {
        "documents": pa.schema([
            ("id", pa.string()), ("cluster", pa.string()), ("role", pa.string()), ("source", pa.string()),
            ("relation", pa.string()), ("similarity", pa.float64()), ("containment", pa.float64()),
            ("boilerplate_chars", pa.int64()), ("title", pa.string()), ("site", pa.string()),
            ("date", pa.string()), ("url", pa.string()), ("boilerplate", pa.list_(span)), ("extra", pa.string()),
        ]),
        "clusters": pa.schema([
            ("cluster", pa.string()), ("source", pa.string()), ("source_reason", pa.string()),
            ("size", pa.int64()), ("members", pa.list_(member)),
        ]),
        "pairs": pa.schema([
            ("a", pa.string()), ("b", pa.string()), ("relation", pa.string()), ("score", pa.float64()),
            ("jaccard", pa.float64()), ("containment_a", pa.float64()), ("containment_b", pa.float64()),
            ("features", features),
        ]),
    }


def _as_map(values: dict[str, float]) -> list[tuple[str, float]]:
    return [(k, float(v)) for k, v in values.items()]


def _document(row: dict) -> dict:
    out = dict(row)
    extra = out.pop("extra", None)
    out["extra"] = json.dumps(extra, ensure_ascii=False, sort_keys=True, default=str) if extra else None
    return out


def _cluster(row: dict) -> dict:
    members = [dict(m, features=_as_map(m["features"])) for m in row["members"]]
    return dict(row, members=members)


def _pair(row: dict) -> dict:
    return dict(row, features=_as_map(row["features"]))


def write_parquet(out: Path, documents: Sequence[dict], clusters: Sequence[dict], pairs: Sequence[dict]) -> list[Path]:
    """documents.parquet, clusters.parquet and pairs.parquet in `out` from the writers' rows."""
    pa, pq = _pyarrow()
    schema = schemas(pa)
    written = []
    for name, rows, shape in (("documents", documents, _document), ("clusters", clusters, _cluster),
                              ("pairs", pairs, _pair)):
        table = pa.Table.from_pylist([shape(r) for r in rows], schema=schema[name])
        path = Path(out) / f"{name}.parquet"
        pq.write_table(table, path)
        written.append(path)
    return written
