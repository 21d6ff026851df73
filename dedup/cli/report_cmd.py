"""`dedup report`: the editors' HTML report from a finished scan's output directory.

The directory holds what `dedup scan -o` wrote (documents, clusters, scan.json; JSONL, CSV or
dedup.sqlite); the
texts are read again from the inputs scan.json records, or from --input when they have moved.
"""
from __future__ import annotations

import csv
import json
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterator

import click

from . import handle_errors
from ..config import Config
from ..errors import DedupError, InputError
from ..types import DocumentResult, Group, Member, Problem, ScanResult, Span


def _rows(out_dir: Path, name: str) -> Iterator[tuple[str, int, dict[str, Any]]]:
    """(file, line, row) of documents/clusters as JSONL, CSV (JSON-encoded list columns) or from
    dedup.sqlite (line: the row's number in its table)."""
    jsonl, table, database = out_dir / f"{name}.jsonl", out_dir / f"{name}.csv", out_dir / "dedup.sqlite"
    if jsonl.is_file():
        with jsonl.open(encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if line.strip():
                    try:
                        yield str(jsonl), n, json.loads(line)
                    except json.JSONDecodeError as exc:
                        raise InputError(str(jsonl), n, f"not JSON: {exc.msg}") from None
    elif table.is_file():
        with table.open(encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.DictReader(f), 2):
                yield str(table), n, {k: _csv_value(k, v) for k, v in row.items()}
    elif database.is_file():
        from ..report.sqlite import read_rows

        for n, row in enumerate(read_rows(database, name), 1):
            yield f"{database} ({name})", n, row
    else:
        raise DedupError(f"{out_dir} holds no {name}.jsonl, {name}.csv or dedup.sqlite: give the directory "
                         "`dedup scan -o` wrote (JSONL, CSV or SQLite)")


def _csv_value(key: str, value: str | None) -> Any:
    if value in (None, ""):
        return None
    if key in ("boilerplate", "members"):
        return json.loads(value)
    if key in ("similarity", "containment"):
        return float(value)
    return value


def _document(file: str, line: int, row: dict[str, Any]) -> DocumentResult:
    try:
        spans = tuple(Span(int(s["start"]), int(s["end"]), s["text"], s["rule"]) for s in row.get("boilerplate") or ())
        return DocumentResult(row["id"], row.get("cluster"), row.get("role") or "unique", row.get("source"),
                              row.get("relation"), row.get("similarity"), row.get("containment"), spans,
                              row.get("title"), row.get("site"), row.get("date"), row.get("url"),
                              row.get("extra") or {})
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(file, line, f"not a document row of a scan ({exc})") from None


def _group(file: str, line: int, row: dict[str, Any]) -> Group:
    try:
        members = tuple(Member(m["id"], m["role"], m.get("relation"), float(m["similarity"]),
                               float(m["containment"]), float(m.get("score", 1.0)), m.get("features") or {})
                        for m in row["members"])
        return Group(row["cluster"], row["source"], row.get("source_reason") or "", members)
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(file, line, f"not a cluster row of a scan ({exc})") from None


def read_scan_dir(out_dir: str | Path) -> ScanResult:
    """The ScanResult `dedup scan -o OUT_DIR` wrote (documents, groups, config, figures, problems;
    without the verified pairs, which the report does not show)."""
    out = Path(out_dir)
    if not out.is_dir():
        raise DedupError(f"{out} is not a directory: give the output directory of `dedup scan -o`")
    summary_path, database = out / "scan.json", out / "dedup.sqlite"
    try:
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        if not database.is_file():
            raise DedupError(f"{summary_path} is missing: give the output directory of `dedup scan -o`") from None
        from ..report.sqlite import read_summary

        summary = read_summary(database)  # the database alone, moved without its scan.json
    except json.JSONDecodeError as exc:
        raise InputError(str(summary_path), exc.lineno, f"not JSON: {exc.msg}") from None
    known = {f.name for f in fields(Config)}
    config = Config(**{k: v for k, v in (summary.get("config") or {}).items() if k in known})
    problems = tuple(Problem(**p) for p in summary.get("problems") or ())
    documents = tuple(_document(*r) for r in _rows(out, "documents"))
    groups = tuple(_group(*r) for r in _rows(out, "clusters"))
    ids = {d.id for d in documents}
    for g in groups:
        for m in g.members:
            if m.id not in ids:
                raise DedupError(f"{out}: group {g.cluster} names {m.id}, which documents does not hold")
    return ScanResult(documents, groups, (), problems, config, summary.get("stats") or {})


@click.command("report")
@click.argument("out_dir", type=click.Path(file_okay=False))
@click.option("-o", "--output", default="report.html", show_default=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")
@click.option("--input", "inputs", multiple=True,
              help="Where the scanned texts are now (repeatable), when they moved since the scan.")
@click.option("--title", default="dedup report", show_default=True, help="The report's heading.")
@click.option("--workers", type=int, default=0, show_default=True, help="Processes for the diffs (0 = every core).")
@handle_errors
def command(out_dir, output, inputs, title, workers):
    """Write the editors' HTML report from OUT_DIR, the output directory of `dedup scan -o`."""
    from ..engine.local import LocalEngine
    from ..report.html import read_texts, write_report

    result = read_scan_dir(out_dir)
    texts = read_texts(result, paths=list(inputs) or None)
    written = write_report(result, output, texts, engine=LocalEngine(workers), title=title)
    click.echo(f"wrote {written} ({len(result.groups)} groups, {len(result.documents)} documents)")
