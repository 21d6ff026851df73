"""Reading a corpus: directories of text files, JSON Lines, CSV/TSV and Parquet, one or many at once.

`iter_documents` streams Documents one at a time; `read_corpus` collects them with the Problems
found on the way. Bad input names its file and line: with on_error="fail" it raises InputError,
with on_error="skip" it becomes a Problem and reading goes on. Invalid UTF-8, empty texts and
duplicate ids are never fatal and never silent: each one is recorded as a Problem.
"""
from __future__ import annotations

import csv
import glob
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

from .errors import DedupError, InputError, MissingExtra
from .types import Document, Problem

ON_ERROR_CHOICES = ("fail", "skip")
NAMED_FIELDS = ("title", "url", "date", "site")
TEXT_SUFFIXES = (".txt", ".md")
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".json")
GLOB_CHARS = ("*", "?", "[")
BOM = "\ufeff"
PARQUET_BATCH_ROWS = 1024


@dataclass(frozen=True)
class Corpus:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class _Input:
    """One file to read; `root` is the directory it was found in when the input was a directory."""

    path: Path
    root: Path | None = None


@dataclass(frozen=True)
class _Record:
    """A record as read from a file, before ids are made unique."""

    id: str | None
    text: str
    line: int | None
    fields: dict[str, Any]
    extra: dict[str, Any]
    bad_utf8: bool = False


def read_corpus(paths, *, id_field="id", text_field="text", on_error="fail") -> Corpus:
    """Read every document of `paths` (files, directories, globs) with the problems found."""
    problems: list[Problem] = []
    stream = iter_documents(paths, id_field=id_field, text_field=text_field,
                            on_error=on_error, problems=problems)
    documents = tuple(stream)
    return Corpus(documents=documents, problems=tuple(problems))


def iter_documents(paths, *, id_field="id", text_field="text", on_error="fail",
                   problems: list[Problem] | None = None) -> Iterator[Document]:
    """Yield the documents of `paths` one at a time, appending Problems to `problems` as they come.

    Options and paths are checked at once (a bad option or a missing path raises here, before
    the first document); bad records raise InputError (or are skipped) while iterating.
    """
    if on_error not in ON_ERROR_CHOICES:
        raise DedupError(f"on_error must be 'fail' or 'skip', not {on_error!r}")
    for name, value in (("id_field", id_field), ("text_field", text_field)):
        if not isinstance(value, str) or not value:
            raise DedupError(f"{name} must be a non-empty field name, not {value!r}")
    inputs = _expand(paths)
    sink = problems if problems is not None else []
    return _documents(inputs, id_field, text_field, on_error, sink)


def expand_paths(paths) -> list[Path]:
    """The files `paths` stand for: globs and directories resolved, each input's files sorted.

    Inputs keep the order they were given in; a file named twice is read once. A path that does
    not exist, a glob that matches nothing or a directory without .txt/.md files is an InputError.
    """
    return [item.path for item in _expand(paths)]


# --- paths -------------------------------------------------------------------------------------


def _as_list(paths) -> list[str | Path]:
    if isinstance(paths, (str, Path)):
        return [paths]
    try:
        return list(paths)
    except TypeError:
        raise DedupError(f"expected a path or a list of paths, not {paths!r}") from None


def _expand(paths) -> list[_Input]:
    found: list[_Input] = []
    seen: set[Path] = set()
    for given in _as_list(paths):
        for item in _expand_one(given):
            key = item.path.resolve()
            if key not in seen:
                seen.add(key)
                found.append(item)
    return found


def _expand_one(given: str | Path) -> list[_Input]:
    path = Path(given)
    if path.is_dir():
        return _directory_files(path)
    if path.is_file():
        return [_Input(path)]
    pattern = str(given)
    if any(ch in pattern for ch in GLOB_CHARS):
        matches = sorted(glob.glob(pattern, recursive=True))
        if not matches:
            raise InputError(pattern, None, "no files match this pattern")
        items: list[_Input] = []
        for match in matches:
            p = Path(match)
            items.extend(_directory_files(p) if p.is_dir() else [_Input(p)])
        return items
    if path.exists():
        raise InputError(str(given), None, "is neither a file nor a directory")
    raise InputError(str(given), None, "no such file or directory")


def _directory_files(directory: Path) -> list[_Input]:
    files = [
        p
        for p in directory.rglob("*")
        if p.is_file()
        and p.suffix.lower() in TEXT_SUFFIXES
        and not any(part.startswith(".") for part in p.relative_to(directory).parts)
    ]
    if not files:
        raise InputError(str(directory), None, "the directory holds no .txt or .md files "
                         "(name JSONL/CSV/Parquet files or a glob such as dir/*.jsonl to read those)")
    files.sort(key=lambda p: p.relative_to(directory).as_posix())
    return [_Input(p, root=directory) for p in files]


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        return "jsonl"
    if suffix in (".csv", ".tsv", ".parquet"):
        return suffix[1:]
    return "text"


# --- documents ---------------------------------------------------------------------------------


def _documents(inputs, id_field, text_field, on_error, problems) -> Iterator[Document]:
    first_seen: dict[str, str] = {}  # id -> where it was first seen
    for item in inputs:
        file = str(item.path)
        for rec in _records(item, id_field, text_field, on_error, problems):
            origin = file if rec.line is None else f"{file}:{rec.line}"
            doc_id = _unique_id(rec.id, origin, first_seen, file, rec.line, problems)
            if rec.bad_utf8:
                problems.append(Problem(
                    "invalid-utf8", file, rec.line,
                    "invalid UTF-8 bytes were replaced with U+FFFD", doc_id=doc_id,
                ))
            if not rec.text.strip():
                problems.append(Problem(
                    "empty-text", file, rec.line,
                    "the text is empty; the document is kept and reported as unique",
                    doc_id=doc_id,
                ))
            yield Document(id=doc_id, text=rec.text, origin=origin, extra=rec.extra, **rec.fields)


def _unique_id(doc_id, origin, first_seen, file, line, problems) -> str:
    if doc_id not in first_seen:
        first_seen[doc_id] = origin
        return doc_id
    n = 2
    while f"{doc_id}~{n}" in first_seen:
        n += 1
    new_id = f"{doc_id}~{n}"
    first_seen[new_id] = origin
    problems.append(Problem(
        "duplicate-id", file, line,
        f"id {doc_id!r} was already used at {first_seen[doc_id]}; this document is renamed {new_id!r}",
        doc_id=new_id,
    ))
    return new_id


def _records(item: _Input, id_field, text_field, on_error, problems) -> Iterator[_Record]:
    kind = _kind(item.path)
    reader = {"jsonl": _jsonl_records, "parquet": _parquet_records}.get(kind, _csv_records)
    try:
        if kind == "text":
            yield _text_record(item)
            return
        for rec in reader(item.path, id_field, text_field):
            if isinstance(rec, InputError):
                if on_error == "fail":
                    raise rec
                problems.append(Problem("malformed", rec.file, rec.line,
                                        f"{rec.message}; record skipped", skipped=True))
            else:
                yield rec
    except _FileError as exc:  # the whole file cannot be read as its kind says
        if on_error == "fail":
            raise InputError(exc.file, exc.line, exc.message) from None
        problems.append(Problem("malformed", exc.file, exc.line,
                                f"{exc.message}; file skipped", skipped=True))
    except OSError as exc:
        raise InputError(str(item.path), None, f"cannot be read: {exc.strerror or exc}") from None


class _FileError(InputError):
    """A whole file is unreadable (no header, no text column...): skipped as a unit."""


def _decode(raw: bytes) -> tuple[str, bool]:
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        return raw.decode("utf-8", errors="replace"), True


def _text_record(item: _Input) -> _Record:
    text, bad = _decode(item.path.read_bytes())
    text = text.removeprefix(BOM).replace("\r\n", "\n")
    if item.root is not None:
        doc_id = item.path.relative_to(item.root).with_suffix("").as_posix()
    else:
        doc_id = item.path.stem
    return _Record(doc_id, text, None, {}, {}, bad)


def _record_from_mapping(row: dict[str, Any], path, line, id_field, text_field, bad) -> _Record:
    """A record from one object/row; raises InputError (returned by callers) when unusable."""
    if text_field not in row:
        raise InputError(str(path), line, f"no {text_field!r} field")
    text = row[text_field]
    if text is None:
        raise InputError(str(path), line, f"the {text_field!r} field is null")
    if not isinstance(text, str):
        raise InputError(str(path), line,
                         f"the {text_field!r} field is a {type(text).__name__}, not a string")
    raw_id = row.get(id_field)
    if raw_id is None or raw_id == "":
        doc_id = f"{path.stem}:{line}"
    elif isinstance(raw_id, (dict, list)):
        doc_id = json.dumps(raw_id, ensure_ascii=False, sort_keys=True)
    else:
        doc_id = str(raw_id)
    fields = {}
    for name in NAMED_FIELDS:
        value = row.get(name)
        fields[name] = None if value is None or value == "" else _as_text(value)
    skip = {id_field, text_field, *NAMED_FIELDS}
    extra = {k: v for k, v in row.items() if k not in skip}
    return _Record(doc_id, text, line, fields, extra, bad)


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if hasattr(value, "isoformat"):  # dates and timestamps from Parquet
        return value.isoformat()
    return str(value)


# --- JSON Lines --------------------------------------------------------------------------------


def _jsonl_records(path: Path, id_field, text_field) -> Iterator[_Record | InputError]:
    started = False
    with path.open("rb") as handle:
        for line_no, raw in enumerate(handle, 1):
            if line_no == 1:
                raw = raw.removeprefix(BOM.encode())
            line, bad = _decode(raw)
            if not line.strip():
                continue
            if not started and line.lstrip().startswith("["):
                raise _FileError(str(path), line_no,
                                 "holds a JSON array; dedup reads JSON Lines (one object per line)")
            started = True
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                yield InputError(str(path), line_no,
                                 f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(row, dict):
                yield InputError(str(path), line_no,
                                 f"a JSON {type(row).__name__}, not an object")
                continue
            try:
                yield _record_from_mapping(row, path, line_no, id_field, text_field, bad)
            except InputError as exc:
                yield exc


# --- CSV and TSV -------------------------------------------------------------------------------


class _LineSource:
    """Decodes a binary file line by line for the csv module, remembering lines with bad UTF-8."""

    def __init__(self, handle: io.BufferedReader):
        self.handle = handle
        self.line_no = 0
        self.bad_lines: set[int] = set()

    def __iter__(self):
        return self

    def __next__(self) -> str:
        raw = self.handle.readline()
        if not raw:
            raise StopIteration
        self.line_no += 1
        if self.line_no == 1:
            raw = raw.removeprefix(BOM.encode())
        text, bad = _decode(raw)
        if bad:
            self.bad_lines.add(self.line_no)
        return text


def _csv_records(path: Path, id_field, text_field) -> Iterator[_Record | InputError]:
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    csv.field_size_limit(2**31 - 1)  # news articles can exceed the 128 KiB default
    with path.open("rb") as handle:
        source = _LineSource(handle)
        reader = csv.reader(source, delimiter=delimiter, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise _FileError(str(path), 1, f"unreadable header row ({exc})") from None
        if not header or not any(h.strip() for h in header):
            raise _FileError(str(path), 1, "no header row (the first line must name the columns)")
        header = [h.strip() for h in header]
        if text_field not in header:
            raise _FileError(str(path), 1,
                             f"no {text_field!r} column in the header (columns: {', '.join(header)})")
        repeated = sorted({h for h in header if header.count(h) > 1})
        if repeated:
            raise _FileError(str(path), 1, f"repeated column names in the header: {', '.join(repeated)}")
        while True:
            start = source.line_no + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                reason = ("a quoted field is never closed: the rest of the file is in it"
                          if "end of data" in str(exc) else exc)
                yield InputError(str(path), start, f"unreadable row ({reason})")
                continue
            if not cells:  # a blank line
                continue
            if len(cells) != len(header):
                yield InputError(str(path), start,
                                 f"{len(cells)} fields where the header has {len(header)}")
                continue
            bad = any(n in source.bad_lines for n in range(start, source.line_no + 1))
            row: dict[str, Any] = {h: (c if c != "" else None) for h, c in zip(header, cells)}
            if row[text_field] is None:
                row[text_field] = ""
            else:
                row[text_field] = row[text_field].replace("\r\n", "\n")
            try:
                yield _record_from_mapping(row, path, start, id_field, text_field, bad)
            except InputError as exc:
                yield exc


# --- Parquet -----------------------------------------------------------------------------------


def _parquet_records(path: Path, id_field, text_field) -> Iterator[_Record | InputError]:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtra(
            f"{path}: reading Parquet needs pyarrow; install it with: pip install 'dedup[dask]'"
        ) from None
    try:
        parquet = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises its own error types for corrupt files
        raise _FileError(str(path), None, f"not a readable Parquet file ({exc})") from None
    columns = parquet.schema_arrow.names
    if text_field not in columns:
        raise _FileError(str(path), None,
                         f"no {text_field!r} column (columns: {', '.join(columns)})")
    row_no = 0
    for batch in parquet.iter_batches(batch_size=PARQUET_BATCH_ROWS):
        for row in batch.to_pylist():
            row_no += 1
            try:
                yield _record_from_mapping(row, path, row_no, id_field, text_field, False)
            except InputError as exc:
                yield exc
