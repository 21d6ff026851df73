"""Corpus evidence of furniture: lines that recur across documents that are otherwise unrelated.

Wire copy is republished verbatim, so an article's own paragraphs recur across documents too; but
those documents are related: they share most of their other text. So each document gets a small
sketch (a 32-value MinHash of its word 3-shingles, and its shingle count), each line keeps a capped
sample of the documents carrying it, and a line is furniture when the sampled documents carrying
it are mostly unrelated to one another (their estimated containment is low).

Built as a map/reduce: `count_lines` over a batch, `merge_counts` (associative, commutative: counts
add, samples are the bottom-k document keys of the union), `line_evidence` at the end.
"""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Mapping

import numpy as np

from .boilerplate_rules import make_page
from .text import words
from .types import Document

NUM_PERM = 32  # MinHash values per document sketch
SAMPLE = 8  # documents kept per line (the bottom-k of their keys)
MAX_LINE_WORDS = 80  # longer lines are article paragraphs, never counted
RELATED_CONTAINMENT = 0.4  # two documents sharing this much of the smaller one are related
MAX_RELATED_SHARE = 0.5  # a line is furniture when fewer of its document pairs are related
LONG_LINE_WORDS = 40  # a line this long must recur in three documents, not two

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_SEEDS = np.array(
    [int.from_bytes(hashlib.blake2b(b"dedup-perm-%d" % i, digest_size=8).digest(), "little") for i in range(NUM_PERM)],
    dtype=np.uint64,
)


@dataclass(frozen=True)
class DocSketch:
    n_shingles: int
    minhash: bytes  # NUM_PERM uint32 values
    site: str | None


@dataclass(frozen=True)
class LineCounts:
    """lines: line key -> (documents carrying it, sorted sample of up to SAMPLE document keys,
    whether the line is long). docs: document key -> sketch, for the documents a sample names."""

    lines: Mapping[int, tuple[int, tuple[int, ...], bool]] = field(default_factory=dict)
    docs: Mapping[int, DocSketch] = field(default_factory=dict)


@dataclass(frozen=True)
class LineEvidence:
    """line key -> rule name ("corpus-site" when one site carries it, else "corpus-line")."""

    lines: Mapping[int, str] = field(default_factory=dict)

    def rule_for(self, form: str) -> str | None:
        return self.lines.get(line_key(form))


def _key(data: str) -> int:
    return int.from_bytes(hashlib.blake2b(data.encode("utf-8"), digest_size=8).digest(), "little")


def line_key(form: str) -> int:
    """The key of a normalised line (see `boilerplate_rules.line_form`); digits count as one."""
    return _key("".join("0" if c.isdigit() else c for c in form))


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a good 64-bit mixing of uint64 values (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


def sketch(text: str, site: str | None = None) -> DocSketch:
    ws = np.array([zlib.crc32(w.encode("utf-8")) for w in words(text)], dtype=np.uint64)
    if len(ws) >= 3:
        with np.errstate(over="ignore"):
            ws = _mix(ws[:-2]) ^ _mix(ws[1:-1] + np.uint64(1)) * np.uint64(3) ^ _mix(ws[2:] + np.uint64(2))
    shingles = np.unique(ws)
    if len(shingles) == 0:
        return DocSketch(0, b"", site)
    values = _mix(shingles[None, :] ^ _SEEDS[:, None]).min(axis=1) >> np.uint64(32)
    return DocSketch(len(shingles), values.astype("<u4").tobytes(), site)


def count_lines(documents: Iterable[Document]) -> LineCounts:
    """The map step over a batch of documents."""
    lines: dict[int, tuple[int, tuple[int, ...], bool]] = {}
    docs: dict[int, DocSketch] = {}
    for doc in documents:
        doc_key = _key(doc.id)
        keys = {line_key(l.form): l.n_words > LONG_LINE_WORDS
                for l in make_page(doc.text).lines if 1 <= l.n_words <= MAX_LINE_WORDS}
        if not keys:
            continue
        docs[doc_key] = sketch(doc.text, doc.site)
        for k, long in keys.items():
            n, sample, _ = lines.get(k, (0, (), long))
            lines[k] = (n + 1, _bottom(sample + (doc_key,)), long)
    return LineCounts(lines, docs)


def _bottom(keys: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(keys))[:SAMPLE])


def merge_counts(a: LineCounts, b: LineCounts) -> LineCounts:
    """The reduce step: associative and commutative."""
    if len(a.lines) < len(b.lines):
        a, b = b, a
    lines = dict(a.lines)
    for k, (n, sample, long) in b.lines.items():
        if k in lines:
            m, other, _ = lines[k]
            lines[k] = (m + n, _bottom(other + sample), long)
        else:
            lines[k] = (n, sample, long)
    docs = {**a.docs, **b.docs}
    return LineCounts(lines, docs)


def related(a: DocSketch, b: DocSketch) -> bool:
    """Do two documents share a good part of the smaller one (estimated from their sketches)?"""
    if not a.minhash or not b.minhash:
        return False
    j = float(np.mean(np.frombuffer(a.minhash, "<u4") == np.frombuffer(b.minhash, "<u4")))
    shared = j * (a.n_shingles + b.n_shingles) / (1.0 + j)
    return shared / max(1, min(a.n_shingles, b.n_shingles)) >= RELATED_CONTAINMENT


def line_evidence(counts: LineCounts) -> LineEvidence:
    """The final step: which recurring lines are carried by mostly unrelated documents."""
    flagged: dict[int, str] = {}
    cache: dict[tuple[int, int], bool] = {}
    for k, (n, sample, long) in counts.lines.items():
        if n < (3 if long else 2):
            continue
        carriers = [(d, counts.docs[d]) for d in sample if d in counts.docs]
        if len(carriers) < 2:
            continue
        pairs = list(combinations(carriers, 2))
        linked = 0
        for (ka, a), (kb, b) in pairs:
            if (ka, kb) not in cache:
                cache[ka, kb] = related(a, b)
            linked += cache[ka, kb]
        if linked / len(pairs) < MAX_RELATED_SHARE:
            sites = {s.site for _, s in carriers}
            flagged[k] = "corpus-site" if len(sites) == 1 and None not in sites else "corpus-line"
    return LineEvidence(flagged)
