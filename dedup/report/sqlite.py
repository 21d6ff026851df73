"""Writing a scan as one SQLite database (stdlib sqlite3), and reading its rows back.

OUT/dedup.sqlite holds the same content as the JSONL output, in tables an editor can query:

    documents    one row per input document (its boilerplate spans in `boilerplate`)
    boilerplate  one row per span of site furniture: document_id, start, "end", rule, text
    clusters     one row per group of copies (its members in `members`)
    members      one row per member of a group, source first
    pairs        one row per verified pair (a, b)
    scan         what scan.json holds: config, stats, problems (key -> JSON value)

Every table has an `ordinal` column: the 0-based order of the row in the JSONL output (of the span
in its document, of the member in its group), so reading back in that order gives the same rows.
Maps and free-form fields (features, extra, scan values) are JSON text; query them with json_extract.
Foreign keys tie spans, members, pairs and groups to documents, and documents to their group.

The rows are streamed in batches inside one transaction into a temporary file next to the target,
which then replaces OUT/dedup.sqlite in one step: a reader never sees half a database.
"""
from __future__ import annotations

import json
import os
import sqlite3
import threading
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..errors import DedupError

FILENAME = "dedup.sqlite"
BATCH_ROWS = 5000
ROW_TABLES = ("documents", "clusters", "pairs")

SCHEMA = """
CREATE TABLE documents (
    id TEXT PRIMARY KEY, ordinal INTEGER NOT NULL UNIQUE,
    cluster TEXT REFERENCES clusters(cluster) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL, source TEXT, relation TEXT, similarity REAL, containment REAL,
    boilerplate_chars INTEGER NOT NULL, title TEXT, site TEXT, date TEXT, url TEXT, extra TEXT);
CREATE TABLE boilerplate (
    document_id TEXT NOT NULL REFERENCES documents(id), ordinal INTEGER NOT NULL,
    "start" INTEGER NOT NULL, "end" INTEGER NOT NULL, rule TEXT, text TEXT,
    PRIMARY KEY (document_id, ordinal));
CREATE TABLE clusters (
    cluster TEXT PRIMARY KEY, ordinal INTEGER NOT NULL UNIQUE,
    source TEXT REFERENCES documents(id), source_reason TEXT, size INTEGER NOT NULL);
CREATE TABLE members (
    cluster TEXT NOT NULL REFERENCES clusters(cluster), ordinal INTEGER NOT NULL,
    id TEXT NOT NULL REFERENCES documents(id), role TEXT NOT NULL, relation TEXT,
    similarity REAL, containment REAL, score REAL, features TEXT,
    PRIMARY KEY (cluster, ordinal));
CREATE TABLE pairs (
    a TEXT NOT NULL REFERENCES documents(id), b TEXT NOT NULL REFERENCES documents(id),
    ordinal INTEGER NOT NULL UNIQUE, relation TEXT, score REAL, jaccard REAL,
    containment_a REAL, containment_b REAL, features TEXT,
    PRIMARY KEY (a, b));
CREATE TABLE scan (key TEXT PRIMARY KEY, value TEXT);
CREATE INDEX documents_cluster ON documents(cluster);
CREATE INDEX documents_site ON documents(site);
CREATE INDEX members_id ON members(id);
CREATE INDEX pairs_b ON pairs(b);
"""
# a fresh file that replaces the target only once complete: no journal, no fsync per transaction
# (one fsync of the finished file instead), a larger page cache for the indexes
BULK_PRAGMAS = ("PRAGMA journal_mode=OFF", "PRAGMA synchronous=OFF", "PRAGMA cache_size=-65536",
                "PRAGMA foreign_keys=ON")

INSERT = {
    "documents": "INSERT INTO documents (id, ordinal, cluster, role, source, relation, similarity, containment, "
                 "boilerplate_chars, title, site, date, url, extra) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
    "boilerplate": 'INSERT INTO boilerplate (document_id, ordinal, "start", "end", rule, text) VALUES (?,?,?,?,?,?)',
    "clusters": "INSERT INTO clusters (cluster, ordinal, source, source_reason, size) VALUES (?,?,?,?,?)",
    "members": "INSERT INTO members (cluster, ordinal, id, role, relation, similarity, containment, score, features) "
               "VALUES (?,?,?,?,?,?,?,?,?)",
    "pairs": "INSERT INTO pairs (a, b, ordinal, relation, score, jaccard, containment_a, containment_b, features) "
             "VALUES (?,?,?,?,?,?,?,?,?)",
    "scan": "INSERT INTO scan (key, value) VALUES (?, ?)",
}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[tuple[int, dict]]]:
    """(ordinal, row) in lists of at most `size`: only one batch of rows is held at a time."""
    numbered = enumerate(rows)
    while batch := list(islice(numbered, size)):
        yield batch


def _insert_documents(conn: sqlite3.Connection, docs: Iterable[dict], size: int) -> None:
    for batch in _batches(docs, size):
        conn.executemany(INSERT["documents"], (
            (r["id"], n, r.get("cluster"), r["role"], r.get("source"), r.get("relation"), r.get("similarity"),
             r.get("containment"), r.get("boilerplate_chars", sum(s["end"] - s["start"] for s in r["boilerplate"])),
             r.get("title"), r.get("site"), r.get("date"), r.get("url"), _json(r["extra"]) if r.get("extra") else None)
            for n, r in batch))
        conn.executemany(INSERT["boilerplate"], (
            (r["id"], k, s["start"], s["end"], s["rule"], s["text"])
            for _, r in batch for k, s in enumerate(r["boilerplate"])))


def _insert_clusters(conn: sqlite3.Connection, clusters: Iterable[dict], size: int) -> None:
    for batch in _batches(clusters, size):
        conn.executemany(INSERT["clusters"], (
            (r["cluster"], n, r["source"], r.get("source_reason"), r.get("size", len(r["members"])))
            for n, r in batch))
        conn.executemany(INSERT["members"], (
            (r["cluster"], k, m["id"], m["role"], m.get("relation"), m["similarity"], m["containment"],
             m.get("score"), _json(m.get("features") or {}))
            for _, r in batch for k, m in enumerate(r["members"])))


def _insert_pairs(conn: sqlite3.Connection, pairs: Iterable[dict], size: int) -> None:
    for batch in _batches(pairs, size):
        conn.executemany(INSERT["pairs"], (
            (r["a"], r["b"], n, r.get("relation"), r["score"], r["jaccard"], r["containment_a"], r["containment_b"],
             _json(r.get("features") or {}))
            for n, r in batch))


def _missing_group(conn: sqlite3.Connection) -> str:
    """Why the commit failed: the only reference checked at the end is a document's group."""
    found = conn.execute("SELECT d.id, d.cluster FROM documents d LEFT JOIN clusters c ON c.cluster = d.cluster "
                         "WHERE d.cluster IS NOT NULL AND c.cluster IS NULL LIMIT 1").fetchone()
    if found is None:
        return "a foreign key constraint failed"
    return f"document {found[0]!r} is in group {found[1]!r}, which is not among the clusters"


def _fill(conn: sqlite3.Connection, docs: Iterable[dict], clusters: Iterable[dict], pairs: Iterable[dict],
          summary: dict[str, Any] | None, batch_rows: int) -> None:
    for pragma in BULK_PRAGMAS:
        conn.execute(pragma)
    conn.executescript(SCHEMA)
    conn.execute("BEGIN")
    for name, insert, rows in (("documents", _insert_documents, docs), ("clusters", _insert_clusters, clusters),
                               ("pairs", _insert_pairs, pairs)):
        try:
            insert(conn, rows, batch_rows)
        except sqlite3.IntegrityError as exc:  # a repeated key, or a name no document (or group) has
            raise DedupError(f"the scan's rows do not hold together: writing {name}: {exc}") from None
    conn.executemany(INSERT["scan"], ((k, _json(v)) for k, v in (summary or {}).items()))
    try:
        conn.execute("COMMIT")
    except sqlite3.IntegrityError:
        raise DedupError(f"the scan's rows do not hold together: {_missing_group(conn)}") from None


def write_sqlite(out_dir: str | Path, docs: Iterable[dict], clusters: Iterable[dict], pairs: Iterable[dict],
                 summary: dict[str, Any] | None = None, *, batch_rows: int = BATCH_ROWS) -> list[Path]:
    """Write out_dir/dedup.sqlite from the writers' rows (document_row, cluster_row, match_row dicts)
    and scan.json's summary; replaces an existing file atomically. Returns [the path written]."""
    out = Path(out_dir)
    target = out / FILENAME
    # a name of this process and thread (sqlite3 creates the file with the usual permissions)
    tmp = out / f".{FILENAME}.{os.getpid()}.{threading.get_ident()}.tmp"
    try:
        tmp.unlink(missing_ok=True)  # left by a run that was killed
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _fill(conn, docs, clusters, pairs, summary, batch_rows)
        except sqlite3.Error as exc:
            raise DedupError(f"cannot write {target}: {exc}") from exc
        finally:
            conn.close()
        fd = os.open(tmp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DedupError(f"cannot write {target}: {exc.strerror}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return [target]


def _connect_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise DedupError(f"{path} is missing: give the output directory of `dedup scan -o OUT --format sqlite`")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        conn.execute("SELECT 1 FROM documents LIMIT 1")
    except sqlite3.Error as exc:
        raise DedupError(f"{path} is not a database `dedup scan --format sqlite` wrote ({exc})") from None
    return conn


def _document_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    spans = conn.cursor()
    for (doc_id, cluster, role, source, relation, similarity, containment, chars, title, site, date, url,
         extra) in conn.execute("SELECT id, cluster, role, source, relation, similarity, containment, "
                                "boilerplate_chars, title, site, date, url, extra FROM documents ORDER BY ordinal"):
        row = {"id": doc_id, "cluster": cluster, "role": role, "source": source, "relation": relation,
               "similarity": similarity, "containment": containment,
               "boilerplate": [{"start": s, "end": e, "rule": rule, "text": text} for s, e, rule, text in spans.execute(
                   'SELECT "start", "end", rule, text FROM boilerplate WHERE document_id = ? ORDER BY ordinal',
                   (doc_id,))],
               "title": title, "site": site, "date": date, "url": url}
        if extra is not None:
            row["extra"] = json.loads(extra)
        row["boilerplate_chars"] = chars
        yield row


def _cluster_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    members = conn.cursor()
    for cluster, source, reason, size in conn.execute(
            "SELECT cluster, source, source_reason, size FROM clusters ORDER BY ordinal"):
        yield {"cluster": cluster, "source": source, "source_reason": reason, "size": size,
               "members": [{"id": m, "role": role, "relation": relation, "similarity": sim, "containment": cont,
                            "score": score, "features": json.loads(features) if features else {}}
                           for m, role, relation, sim, cont, score, features in members.execute(
                               "SELECT id, role, relation, similarity, containment, score, features FROM members "
                               "WHERE cluster = ? ORDER BY ordinal", (cluster,))]}


def _pair_rows(conn: sqlite3.Connection) -> Iterator[dict[str, Any]]:
    for a, b, relation, score, jaccard, cont_a, cont_b, features in conn.execute(
            "SELECT a, b, relation, score, jaccard, containment_a, containment_b, features FROM pairs ORDER BY ordinal"):
        yield {"a": a, "b": b, "relation": relation, "score": score, "jaccard": jaccard, "containment_a": cont_a,
               "containment_b": cont_b, "features": json.loads(features) if features else {}}


def read_rows(path: str | Path, name: str) -> Iterator[dict[str, Any]]:
    """The rows of `name` ("documents", "clusters" or "pairs") in the database write_sqlite wrote,
    as the same dicts (and in the same order) as the JSONL output's lines."""
    readers = {"documents": _document_rows, "clusters": _cluster_rows, "pairs": _pair_rows}
    if name not in readers:
        raise DedupError(f"no {name!r} rows in a scan database: choose one of {', '.join(ROW_TABLES)}")
    conn = _connect_read_only(Path(path))
    try:
        yield from readers[name](conn)
    except sqlite3.Error as exc:
        raise DedupError(f"cannot read {name} from {path}: {exc}") from None
    finally:
        conn.close()


def read_summary(path: str | Path) -> dict[str, Any]:
    """What scan.json holds (config, stats, problems), from the database's `scan` table."""
    conn = _connect_read_only(Path(path))
    try:
        return {key: json.loads(value) for key, value in conn.execute("SELECT key, value FROM scan ORDER BY rowid")}
    except sqlite3.Error as exc:
        raise DedupError(f"cannot read the scan table of {path}: {exc}") from None
    finally:
        conn.close()
