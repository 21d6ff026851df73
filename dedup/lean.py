"""Lean stand-ins for the parts of a scan's records that dominate its memory at corpus scale.

A ScanResult holds one DocumentResult per input document and every verified Match. Held as plain
Python objects, a document's boilerplate spans cost about 4 KB (eleven Span objects with their
text), its other fields about 700 bytes (title, url, the input's extra fields), and a match's
figures about 1 KB (a dict of fifteen floats). So a large scan keeps:

- `SpilledResults`: the DocumentResults themselves left in files of the scan's spill (a record of
  their fields each), made again when asked for; the parent holds 16 bytes a document.
- `SpilledSpans`: a document's spans left in a file of the scan's spill, read when iterated. The
  files stay as long as any of these does (they hold the directory's owner).
- `PackedFeatures`: a match's figures as one array of floats beside a names tuple shared by every
  record with the same names.

Each behaves as what it stands for: a sequence of DocumentResults equal to the tuple of them, a
sequence of Spans equal to the tuple of them (both pickle as that tuple), a mapping equal to the
dict (it pickles packed).
"""
from __future__ import annotations

import bisect
from array import array
from collections.abc import Mapping, Sequence
from typing import Any, Iterator

import numpy as np

from .store import read_records
from .types import DocumentResult


class SpanSource:
    """Owns the directory that SpilledSpans read from (it is removed when the last one is gone)."""

    def __init__(self, space: Any, directory: str):
        self.space, self.directory = space, directory


class SpilledSpans(Sequence):
    """The boilerplate spans of one document, kept at (offset, length) of spans-BATCH.bin."""

    __slots__ = ("batch", "offset", "length", "count", "source")

    def __init__(self, batch: int, offset: int, length: int, count: int):
        self.batch, self.offset, self.length, self.count = batch, offset, length, count
        self.source: SpanSource | None = None  # set by the parent, which owns the spill

    def _spans(self) -> tuple:
        if self.source is None:
            raise RuntimeError("spilled spans read before the scan's parent bound them to its spill")
        path = f"{self.source.directory}/spans-{self.batch}.bin"
        return read_records(path, [(self.offset, self.length)])[0]

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator:
        return iter(self._spans())

    def __getitem__(self, index):
        return self._spans()[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list, SpilledSpans)):
            return len(self) == len(other) and self._spans() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._spans())

    def __repr__(self) -> str:
        return repr(self._spans())

    def __reduce__(self):
        if self.source is None:  # a worker sending it to the parent
            return (SpilledSpans, (self.batch, self.offset, self.length, self.count))
        return (tuple, (self._spans(),))


_NAMES: dict[tuple[str, ...], tuple[tuple[str, ...], dict[str, int]]] = {}


def _shared_names(names: tuple[str, ...]) -> tuple[tuple[str, ...], dict[str, int]]:
    found = _NAMES.get(names)
    if found is None:
        found = _NAMES[names] = (names, {n: i for i, n in enumerate(names)})
    return found


class PackedFeatures(Mapping):
    """A mapping of names to floats, packed (the values of a Match's or Member's `features`)."""

    __slots__ = ("_names", "_index", "_values")

    def __init__(self, names: tuple[str, ...], values: array):
        self._names, self._index = _shared_names(tuple(names))
        self._values = values

    @classmethod
    def pack(cls, features: Mapping[str, float]) -> "PackedFeatures | Mapping[str, float]":
        """Packed, when every value is a float (else the mapping as it is)."""
        if isinstance(features, PackedFeatures) or not all(type(v) is float for v in features.values()):
            return features
        return cls(tuple(features), array("d", features.values()))

    def __getitem__(self, name: str) -> float:
        return self._values[self._index[name]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names)

    def __len__(self) -> int:
        return len(self._names)

    def __repr__(self) -> str:
        return repr(dict(self))

    def __reduce__(self):
        return (PackedFeatures, (self._names, self._values))


def result_record(r: DocumentResult) -> tuple:
    """A DocumentResult as the plain tuple that is spilled (its spans stay where they are: a
    SpilledSpans pickles as its location)."""
    return (r.id, r.cluster, r.role, r.source, r.relation, r.similarity, r.containment, r.boilerplate,
            r.title, r.site, r.date, r.url, r.extra)


class SpilledResults(Sequence):
    """The DocumentResults of a scan, in input order, kept in the results-BATCH.bin files of its
    spill: `starts[b]` is the position of batch b's first document (one more entry gives the end),
    `where[i]` the (offset, length) of document i's record in its batch's file. `ranked` (the ids in
    sorted order) and `order` (the position of each) find a document by id. A DocumentResult is made
    from its record each time it is asked for; iterating reads a batch's records at once."""

    __slots__ = ("_source", "_starts", "_where", "_ranked", "_order")

    def __init__(self, source: SpanSource, starts: np.ndarray, where: np.ndarray,
                 ranked: Sequence[str], order: np.ndarray):
        self._source, self._starts, self._where = source, starts, where
        self._ranked, self._order = ranked, order

    def _made(self, record: tuple) -> DocumentResult:
        spans = record[7]
        if isinstance(spans, SpilledSpans):
            spans.source = self._source
        return DocumentResult(*record)

    def _batch(self, b: int, lo: int, hi: int) -> list[DocumentResult]:
        """Documents lo..hi - 1 (positions in the corpus) of batch b."""
        path = f"{self._source.directory}/results-{b}.bin"
        return [self._made(r) for r in read_records(path, [tuple(w) for w in self._where[lo:hi].tolist()])]

    def __len__(self) -> int:
        return len(self._where)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        n = len(self)
        i = index.__index__()
        if i < 0:
            i += n
        if not 0 <= i < n:
            raise IndexError("document result index out of range")
        b = int(np.searchsorted(self._starts, i, side="right")) - 1
        return self._batch(b, i, i + 1)[0]

    def __iter__(self) -> Iterator[DocumentResult]:
        for b in range(len(self._starts) - 1):
            lo, hi = int(self._starts[b]), int(self._starts[b + 1])
            if hi > lo:
                yield from self._batch(b, lo, hi)

    def find(self, doc_id: str) -> DocumentResult:
        """The result of the document with this id (KeyError if there is none)."""
        at = bisect.bisect_left(self._ranked, doc_id)
        if at == len(self._ranked) or self._ranked[at] != doc_id:
            raise KeyError(doc_id)
        return self[int(self._order[at])]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list, SpilledResults)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None  # like a tuple of DocumentResults, whose `extra` mappings cannot be hashed

    def __add__(self, other):
        if isinstance(other, (tuple, SpilledResults)):
            return tuple(self) + tuple(other)
        return NotImplemented

    def __radd__(self, other):
        if isinstance(other, tuple):
            return other + tuple(self)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(tuple(self))

    def __reduce__(self):
        return (tuple, (tuple(self),))
