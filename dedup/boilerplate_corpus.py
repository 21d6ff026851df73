"""Corpus evidence of furniture: lines that recur across documents that are otherwise unrelated.

Wire copy is republished verbatim, so an article's own paragraphs recur across documents too; but
those documents are related: they share most of their other text. So each document gets a small
sketch of its body (a 64-value MinHash of the word 3-shingles of its paragraphs of 8 words or
more that no single-document rule flagged, and their count), each line keeps a capped sample of
the documents carrying it, and a line is furniture when the sampled documents carrying it are
mostly unrelated to one another (low estimated containment of their bodies).

Lines recurring within one site are the usual furniture; lines recurring across sites need more
documents, and sentence-shaped or long lines more still: independent coverage of one event
shares short factual sentences ("He was 52."), and follow-up stories share background paragraphs.

Built as a map/reduce: `count_lines` over a batch, `merge_counts` (associative, commutative: counts
add, samples are the bottom-k document keys of the union), `line_evidence` at the end. Cheaper, the
same evidence in two passes: the lines first (`line_occurrences`, `counts_of_occurrences`), then the
sketches of only the documents the judged lines sample (`sketch_keys`, `sketch_documents`).
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from itertools import combinations, repeat
from typing import Iterable, Mapping

import numpy as np

from .boilerplate_page import Page, line_forms, make_page
from .boilerplate_sketch import DocSketch, sketch, sketches
from .types import Document

SAMPLE = 8  # documents kept per line (the bottom-k of their keys)
MAX_LINE_WORDS = 80  # longer lines are article paragraphs, never counted
RELATED_CONTAINMENT = 0.4  # share of the smaller body's shingles that makes two documents related
# within one site, a shared template block (footer, disclaimer) is common and copies are near whole:
SITE_RELATED_CONTAINMENT = 0.6
BODY_LINE_WORDS = 8  # lines this long (and not flagged by a rule) make the body of the sketch
MAX_RELATED_SHARE = 0.5  # a line is furniture when fewer of its document pairs are related
LONG_LINE_WORDS = 40
# documents needed, by line shape (short, sentence, long): within one site / across sites
MIN_DOCS_SITE = (2, 2, 3)
MIN_DOCS_CROSS = (3, 5, 5)
SHORT, SENTENCE, LONG = 0, 1, 2



@dataclass(frozen=True)
class LineCounts:
    """lines: line key -> (documents carrying it, sorted sample of up to SAMPLE document keys,
    line shape SHORT/SENTENCE/LONG). docs: document key -> sketch."""

    lines: Mapping[int, tuple[int, tuple[int, ...], int]] = field(default_factory=dict)
    docs: Mapping[int, DocSketch] = field(default_factory=dict)


@dataclass(frozen=True)
class LineEvidence:
    """line key -> rule name ("corpus-site" when one site carries it, else "corpus-line")."""

    lines: Mapping[int, str] = field(default_factory=dict)

    def rule_for(self, form: str) -> str | None:
        return self.lines.get(line_key(form))


def _key(data: str) -> int:
    return int.from_bytes(hashlib.blake2b(data.encode("utf-8"), digest_size=8).digest(), "little")


_ASCII_DIGITS = bytes.maketrans(b"123456789", b"000000000")


@cache
def _wide_digit_or_astral() -> re.Pattern:
    """The non-ASCII characters of the first plane that str.isdigit accepts, and every character
    beyond the first plane (built on first use)."""
    digits = "".join(re.escape(chr(c)) for c in range(128, 0x10000) if chr(c).isdigit())
    return re.compile("[" + digits + "\U00010000-\U0010FFFF]")


_KEY_MEMO: dict[str, int] = {}  # keys of short lines (furniture recurs across pages)
_KEY_MEMO_SIZE = 50_000
_KEY_MEMO_CHARS = 160


def line_key(form: str) -> int:
    """The key of a normalised line (see `boilerplate_page.line_form`); digits count as one."""
    key = _KEY_MEMO.get(form)
    if key is None:
        key = _line_key(form)
        if len(form) <= _KEY_MEMO_CHARS:
            if len(_KEY_MEMO) >= _KEY_MEMO_SIZE:
                _KEY_MEMO.clear()
            _KEY_MEMO[form] = key
    return key


def _line_key(form: str) -> int:
    if form.isascii():
        data = form.encode("ascii").translate(_ASCII_DIGITS)
    elif _wide_digit_or_astral().search(form):  # (a character beyond the first plane, or a digit outside ASCII)
        data = "".join("0" if c.isdigit() else c for c in form).encode("utf-8")
    else:  # only ASCII digits (in UTF-8, bytes below 0x80 are ASCII characters)
        data = form.encode("utf-8").translate(_ASCII_DIGITS)
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def body_text(page: Page) -> str:
    """The page's paragraphs that no rule flags and that are long enough to be prose."""
    from .boilerplate import find_all  # (the rules, run as find_boilerplate runs them)

    flagged: set[int] = set()
    starts = {line.start: line.index for line in page.lines}
    for start, end, _ in find_all(page):
        if start in starts and end >= page.lines[starts[start]].end:
            flagged.add(starts[start])
    body = [l.raw for l in page.lines if l.n_words >= BODY_LINE_WORDS and l.index not in flagged]
    return "\n".join(body) if body else page.text


def line_shape(n_words: int, form: str) -> int:
    if n_words > LONG_LINE_WORDS:
        return LONG
    # a sentence ends the line: . ! or ? maybe inside closing quotes or brackets
    return SENTENCE if n_words >= 3 and form.rstrip("\"')]")[-1:] in (".", "!", "?") else SHORT


def count_lines(documents: Iterable[Document]) -> LineCounts:
    """The map step over a batch of documents."""
    lines: dict[int, tuple[int, tuple[int, ...], int]] = {}
    docs: dict[int, DocSketch] = {}
    for doc in documents:
        page = make_page(doc.text)
        keys = _line_keys(page)
        if keys:
            doc_key = _key(doc.id)
            docs[doc_key] = sketch(body_text(page), doc.site)
            _count(lines, doc_key, keys)
    return LineCounts(lines, docs)


# -- the same in two passes: most documents' sketches are never read ------------------------------
# `line_evidence` reads the sketches of the documents sampled by lines that enough documents carry
# (often under a third of a corpus), and a sketch costs more than counting a document's lines. So:
#     counts = merge of count_line_keys(batch) over the batches       (docs left empty)
#     wanted = sketch_keys(counts)
#     sketches = merge of sketch_documents(batch with document_key(doc.id) in wanted) over batches
#     evidence = line_evidence(with_sketches(counts, sketches))   # == line_evidence(merged count_lines)

def count_line_keys(documents: Iterable[Document]) -> LineCounts:
    """`count_lines` without the body sketches (`docs` is empty): the first pass."""
    lines: dict[int, tuple[int, tuple[int, ...], int]] = {}
    for doc in documents:
        keys = _text_line_keys(doc.text)
        if keys:
            _count(lines, _key(doc.id), keys)
    return LineCounts(lines, {})


def document_key(doc_id: str) -> int:
    """The key a document has in `LineCounts` (samples and sketches)."""
    return _key(doc_id)


def sketch_keys(counts: LineCounts) -> set[int]:
    """The documents whose sketches `line_evidence(counts)` reads: those sampled by a line that
    enough documents carry to be judged."""
    wanted: set[int] = set()
    for n, sample, shape in counts.lines.values():
        if n >= MIN_DOCS_SITE[shape]:
            wanted.update(sample)
    return wanted


def sketch_documents(documents: Iterable[Document]) -> dict[int, DocSketch]:
    """The second pass: the sketches `count_lines` gives these documents (document key -> sketch)."""
    keys: list[int] = []
    bodies: list[str] = []
    sites: list[str | None] = []
    for doc in documents:
        page = make_page(doc.text)
        if any(1 <= line.n_words <= MAX_LINE_WORDS for line in page.lines):  # (a line counted)
            keys.append(_key(doc.id))
            bodies.append(body_text(page))
            sites.append(doc.site)
    return dict(zip(keys, sketches(bodies, sites)))  # (all at once: the same sketches as `sketch`)


def with_sketches(counts: LineCounts, found: Mapping[int, DocSketch]) -> LineCounts:
    return LineCounts(counts.lines, {**counts.docs, **found})


# -- the first pass as arrays: cheap to pickle and to reduce (a concatenation) ---------------------
@dataclass(frozen=True)
class LineOccurrences:
    """Every (line, document) of some batches as parallel arrays: line keys, document keys, shapes."""

    lines: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    docs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    shapes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))


def line_occurrences(documents: Iterable[Document]) -> LineOccurrences:
    """The first pass over a batch, as arrays (see `counts_of_occurrences`)."""
    lines: list[int] = []
    docs: list[int] = []
    shapes: list[int] = []
    for doc in documents:
        keys = _text_line_keys(doc.text)
        if keys:
            lines += keys
            shapes += keys.values()
            docs += repeat(_key(doc.id), len(keys))
    return LineOccurrences(np.array(lines, dtype=np.uint64), np.array(docs, dtype=np.uint64),
                           np.array(shapes, dtype=np.uint8))


def merge_occurrences(a: LineOccurrences, b: LineOccurrences) -> LineOccurrences:
    """The reduce step: associative; commutative up to order, which `counts_of_occurrences` ignores."""
    return LineOccurrences(np.concatenate([a.lines, b.lines]), np.concatenate([a.docs, b.docs]),
                           np.concatenate([a.shapes, b.shapes]))


def counts_of_occurrences(parts: Iterable[LineOccurrences]) -> LineCounts:
    """`count_line_keys` of the documents of `parts` (merged), less the lines fewer than two
    documents carry: line_evidence never judges those, so the evidence and `sketch_keys` are the
    same. (Handing every part at once spares the copies of a reduction by `merge_occurrences`.)"""
    parts = list(parts) or [LineOccurrences()]
    lines, docs = np.concatenate([p.lines for p in parts]), np.concatenate([p.docs for p in parts])
    order = np.lexsort((docs, lines))
    lines, docs, shapes = lines[order], docs[order], np.concatenate([p.shapes for p in parts])[order]
    if len(lines) == 0:
        return LineCounts({}, {})
    first = np.flatnonzero(np.concatenate(([True], lines[1:] != lines[:-1])))  # each line's first row
    carried = np.diff(np.append(first, len(lines)))
    # a document's first row for each line (a document counted twice is sampled once)
    new_doc = np.concatenate(([True], (lines[1:] != lines[:-1]) | (docs[1:] != docs[:-1])))
    rank = np.cumsum(new_doc) - 1  # the distinct (line, document) pairs, numbered
    rank -= rank[first].repeat(carried)  # ... from 0 within each line
    in_sample = new_doc & (rank < SAMPLE)
    kept = np.flatnonzero(carried >= min(MIN_DOCS_SITE))
    sample_rows = np.flatnonzero(in_sample)
    bounds = np.searchsorted(sample_rows, np.append(first, len(lines)))
    # (a line's shape is that of its form, the same in every document: the key keeps length and ends)
    keys, ns, shape_of = lines[first].tolist(), carried.tolist(), shapes[first].tolist()
    doc_list = docs[sample_rows].tolist()
    return LineCounts({keys[i]: (ns[i], tuple(doc_list[bounds[i]:bounds[i + 1]]), shape_of[i])
                       for i in kept.tolist()}, {})


def _line_keys(page: Page) -> dict[int, int]:
    """Line key -> shape of the page's lines that are counted (1 to MAX_LINE_WORDS words)."""
    return {line_key(l.form): line_shape(l.n_words, l.form)
            for l in page.lines if 1 <= l.n_words <= MAX_LINE_WORDS}


def _text_line_keys(text: str) -> dict[int, int]:
    """`_line_keys(make_page(text))`, without building the page of a plain text."""
    return {line_key(form): line_shape(n, form) for form, n in line_forms(text) if 1 <= n <= MAX_LINE_WORDS}


def _count(lines: dict, doc_key: int, keys: Mapping[int, int]) -> None:
    get = lines.get
    for k, shape in keys.items():
        found = get(k)
        if found is None:
            lines[k] = (1, (doc_key,), shape)
        else:
            lines[k] = (found[0] + 1, _add_key(found[1], doc_key), shape)


def _bottom(keys: Iterable[int]) -> tuple[int, ...]:
    return tuple(sorted(set(keys))[:SAMPLE])


def _add_key(sample: tuple[int, ...], key: int) -> tuple[int, ...]:
    """`_bottom(sample + (key,))` of a sorted sample, without sorting it again."""
    i = bisect.bisect_left(sample, key)
    if i >= SAMPLE or (i < len(sample) and sample[i] == key):
        return sample
    return (sample[:i] + (key,) + sample[i:])[:SAMPLE]


def merge_counts(a: LineCounts, b: LineCounts) -> LineCounts:
    """The reduce step: associative and commutative."""
    if len(a.lines) < len(b.lines):
        a, b = b, a
    lines = dict(a.lines)
    for k, (n, sample, shape) in b.lines.items():
        if k in lines:
            m, other, _ = lines[k]
            lines[k] = (m + n, _bottom(other + sample), shape)
        else:
            lines[k] = (n, sample, shape)
    docs = {**a.docs, **b.docs}
    return LineCounts(lines, docs)


def _containment(a: bytes, na: int, b: bytes, nb: int) -> float:
    """Estimated share of the smaller set found in the other, from two MinHashes and the sizes."""
    if not a or not b:
        return 0.0
    j = float(np.mean(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4")))
    return j * (na + nb) / (1.0 + j) / max(1, min(na, nb))


def related(a: DocSketch, b: DocSketch) -> bool:
    """Do two documents share a good part of the smaller body (estimated from their sketches)?"""
    bar = SITE_RELATED_CONTAINMENT if a.site is not None and a.site == b.site else RELATED_CONTAINMENT
    return _containment(a.minhash, a.n_shingles, b.minhash, b.n_shingles) >= bar


def line_evidence(counts: LineCounts) -> LineEvidence:
    """The final step: which recurring lines are carried by mostly unrelated documents."""
    flagged: dict[int, str] = {}
    cache: dict[tuple[int, int], bool] = {}
    for k, (n, sample, shape) in counts.lines.items():
        if n < MIN_DOCS_SITE[shape]:
            continue
        carriers = [(d, counts.docs[d]) for d in sample if d in counts.docs]
        sites = {s.site for _, s in carriers}
        one_site = len(sites) == 1 and None not in sites
        if len(carriers) < 2 or n < (MIN_DOCS_SITE if one_site else MIN_DOCS_CROSS)[shape]:
            continue
        pairs = list(combinations(carriers, 2))
        linked = 0
        for (ka, a), (kb, b) in pairs:
            if (ka, kb) not in cache:
                cache[ka, kb] = related(a, b)
            linked += cache[ka, kb]
        if linked / len(pairs) < MAX_RELATED_SHARE:
            flagged[k] = "corpus-site" if one_site else "corpus-line"
    return LineEvidence(flagged)
