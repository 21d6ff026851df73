"""The small frozen records that flow between the stages, all keyed by stable string ids.

Every stage is a plain function over these records; none of them holds a row position.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

RELATIONS = ("verbatim", "edited", "rewrite", "partial")
ROLES = ("source", "copy", "unique")


@dataclass(frozen=True)
class Document:
    """One input article. `origin` says where it was read ("file:line"), for error messages."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None
    site: str | None = None
    origin: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    """Something wrong with the input: reported, never silently dropped."""

    kind: str  # "malformed", "invalid-utf8", "empty-text", "duplicate-id", "missing-text"
    file: str
    line: int | None
    message: str
    doc_id: str | None = None
    skipped: bool = False  # True when the record could not be read at all (with --on-error skip)

    def where(self) -> str:
        return f"{self.file}:{self.line}" if self.line is not None else self.file


@dataclass(frozen=True)
class Span:
    """A stretch of a document's text, [start, end) in characters of the original text."""

    start: int
    end: int
    text: str
    rule: str  # the named rule (or corpus evidence) that found it


@dataclass(frozen=True)
class Fingerprint:
    """What the candidate and verification stages need of a document, without its text.

    `shingles`: sorted unique uint32 hashes of the word shingles of the text minus boilerplate.
    `signature`: uint32[num_perm] MinHash values, equal to datasketch's MinHash (affine32 scheme)
    fed the same shingles through `dedup.fingerprint.shingle_hash`.
    `features`: sorted unique uint32 hashes of the content-word features used to reach rewrites.
    `feature_signature`: MinHash of `features`.
    `sentence_keys`: [n_sentences, bands] uint64 LSH band keys of the content words of each
    substantial sentence: two documents sharing sentences (copied, trimmed or paraphrased) collide.
    """

    id: str
    n_tokens: int
    shingles: np.ndarray
    signature: np.ndarray
    features: np.ndarray
    feature_signature: np.ndarray
    sentence_keys: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.uint64))

    def __reduce__(self):
        """Pickled as its id, its token count and each array's type, shape and raw bytes: about a
        quarter of the time of numpy's own pickling of five arrays, both ways (the spill writes a
        fingerprint per document, verification and grouping read them back)."""
        arrays = (self.shingles, self.signature, self.features, self.feature_signature, self.sentence_keys)
        return (_fingerprint_from_parts, (self.id, self.n_tokens,
                                          tuple((a.dtype.str, a.shape, bytearray(np.ascontiguousarray(a).data))
                                                for a in arrays)))


def _fingerprint_from_parts(doc_id: str, n_tokens: int, arrays: tuple) -> Fingerprint:
    """The Fingerprint that `Fingerprint.__reduce__` took apart (its arrays writable, as before)."""
    return Fingerprint(doc_id, n_tokens, *(np.frombuffer(data, dtype=np.dtype(kind)).reshape(shape)
                                          for kind, shape, data in arrays))


@dataclass(frozen=True)
class Candidate:
    """An unordered pair worth verifying (a < b), and which index proposed it."""

    a: str
    b: str
    via: str  # "shingles", "features"


@dataclass(frozen=True, slots=True)
class Match:
    """A verified pair. `a` is the earlier id in sort order; direction is decided when grouping.

    containment_a: share of a's shingles found in b (a inside b); containment_b likewise.
    relation: how the pair relates ("verbatim", "edited", "rewrite", "partial") or None when it
    is not a copy at all. `features` are the figures that decided it, kept for explanation.
    """

    a: str
    b: str
    jaccard: float
    containment_a: float
    containment_b: float
    relation: str | None
    score: float = 0.0
    features: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Member:
    """One document of a group, as it relates to the group's source."""

    id: str
    role: str  # "source" or "copy"
    relation: str | None  # None for the source
    similarity: float  # Jaccard of shingles with the source (1.0 for the source)
    containment: float  # share of the copy's shingles found in the source
    score: float = 1.0
    features: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    cluster: str
    source: str
    source_reason: str  # why this member was chosen as the source
    members: tuple[Member, ...]


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """One line of documents.jsonl: every input document appears exactly once."""

    id: str
    cluster: str | None
    role: str
    source: str | None
    relation: str | None
    similarity: float | None
    containment: float | None
    boilerplate: tuple[Span, ...] = ()
    title: str | None = None
    site: str | None = None
    date: str | None = None
    url: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ScanResult:
    """`documents`: every input document's result, in input order: a tuple, or (from a local scan)
    a sequence that behaves as that tuple and makes each result when asked for (dedup.lean)."""

    documents: Sequence[DocumentResult]
    groups: tuple[Group, ...]
    matches: tuple[Match, ...]
    problems: tuple[Problem, ...]
    config: Any  # dedup.config.Config
    stats: Mapping[str, Any] = field(default_factory=dict)

    def document(self, doc_id: str) -> DocumentResult:
        find = getattr(self.documents, "find", None)
        if find is not None:
            return find(doc_id)
        for d in self.documents:
            if d.id == doc_id:
                return d
        raise KeyError(doc_id)
