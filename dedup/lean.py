"""Lean stand-ins for the parts of a scan's records that dominate its memory at corpus scale.

A ScanResult holds one DocumentResult per input document and every verified Match. Held as plain
Python objects, a document's boilerplate spans cost about 4 KB (eleven Span objects with their
text) and a match's figures about 1 KB (a dict of fifteen floats). So a large scan keeps:

- `SpilledSpans`: a document's spans left in a file of the scan's spill, read when iterated. The
  file stays as long as any of them does (they hold the directory's owner).
- `PackedFeatures`: a match's figures as one array of floats beside a names tuple shared by every
  record with the same names.

Both behave as what they stand for: a sequence of Spans equal to the tuple of them (it pickles as
that tuple), a mapping equal to the dict (it pickles packed).
"""
from __future__ import annotations

from array import array
from collections.abc import Mapping, Sequence
from typing import Any, Iterator

from .store import read_records


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
