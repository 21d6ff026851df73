"""A scan's spill on disk, so that the parent process holds only what the indexes need.

A scan writes every document once into a record file (one pickled record after another; the parent
keeps each record's offset and length), and each worker writes what it derives from a batch (the
boilerplate spans and fingerprint of every document, its band keys) into files of its own. Later
stages hand a worker the locations of the documents it needs, never the documents themselves:
texts and shingle sets are read back, on the worker, only for the documents a batch names.

    space = ScanSpace()                                   # a temporary directory, removed by close()
    with RecordWriter(space.file("documents.bin")) as out:
        offset, length = out.append(record)
    [record] = read_records(space.file("documents.bin"), [(offset, length)])
"""
from __future__ import annotations

import os
import pickle
import shutil
import tempfile
import weakref
from pathlib import Path
from typing import Any, Iterable, Sequence

import numpy as np

from .errors import DedupError
from .types import Document

_PROTOCOL = pickle.HIGHEST_PROTOCOL


class ScanSpace:
    """A temporary directory holding one scan's spill files; `close()` (or the end of the object)
    removes it. `DEDUP_TMPDIR` or the system's temporary directory holds it."""

    def __init__(self, parent: str | Path | None = None):
        parent = parent or os.environ.get("DEDUP_TMPDIR") or None
        try:
            self.path = Path(tempfile.mkdtemp(prefix="dedup-scan-", dir=parent))
        except OSError as exc:
            raise DedupError(f"cannot create a temporary directory for the scan in "
                             f"{parent or tempfile.gettempdir()}: {exc.strerror or exc}") from None
        self._remove = weakref.finalize(self, shutil.rmtree, str(self.path), True)

    def file(self, name: str) -> str:
        return str(self.path / name)

    def close(self) -> None:
        self._remove()

    def __enter__(self) -> "ScanSpace":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


class RecordWriter:
    """Appends pickled records to a file; `append` returns where each one is (offset, length)."""

    def __init__(self, path: str):
        self.path = path
        self._handle = open(path, "ab", buffering=1 << 20)
        self._offset = self._handle.tell()

    def append(self, record: Any) -> tuple[int, int]:
        data = pickle.dumps(record, protocol=_PROTOCOL)
        self._handle.write(data)
        where = (self._offset, len(data))
        self._offset += len(data)
        return where

    def flush(self) -> None:
        self._handle.flush()

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> "RecordWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def write_records(path: str, records: Iterable[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Write records into a new file; their offsets and lengths (int64 arrays)."""
    offsets, lengths = [], []
    with RecordWriter(path) as out:
        for record in records:
            offset, length = out.append(record)
            offsets.append(offset)
            lengths.append(length)
    return np.asarray(offsets, dtype=np.int64), np.asarray(lengths, dtype=np.int64)


def read_records(path: str, where: Sequence[tuple[int, int]]) -> list[Any]:
    """The records at (offset, length) of a file, in the order asked. Records that follow each
    other in the file are read with one system call. (Reading records scattered over the file
    without the kernel's read-ahead was tried: at 1,000,000 documents, whose spill the page cache
    here does not keep, verification read 4.7 GB instead of 10.7 but took 727 s of wall time
    instead of 518: benchmarks/PERF.md, eighth session.)"""
    out: list[Any] = [None] * len(where)
    order = sorted(range(len(where)), key=lambda i: where[i][0])
    fd = os.open(path, os.O_RDONLY)
    try:
        i = 0
        while i < len(order):
            j = i + 1
            start, length = where[order[i]]
            end = start + length
            while j < len(order) and where[order[j]][0] == end:  # a run of adjacent records
                end += where[order[j]][1]
                j += 1
            data = os.pread(fd, end - start, start)
            view = memoryview(data)
            for k in order[i:j]:
                off, n = where[k]
                out[k] = pickle.loads(view[off - start : off - start + n])
            i = j
    finally:
        os.close(fd)
    return out


def document_record(doc: Document) -> tuple:
    """A Document as the plain tuple that is spilled (smaller and faster to pickle than the object)."""
    return (doc.id, doc.text, doc.title, doc.url, doc.date, doc.site, doc.origin, dict(doc.extra) if doc.extra else None)


def document_from_record(record: tuple) -> Document:
    doc_id, text, title, url, date, site, origin, extra = record
    return Document(doc_id, text, title, url, date, site, origin, extra if extra is not None else {})
