"""A document as the boilerplate rules see it: a `Page` of non-blank `Line`s with offsets into the
original text, a normalised form and a word count, built at C speed (every document goes through
here twice in a scan)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate, compress, count, repeat
from typing import NamedTuple

import regex

from .stand_in import line_forms_text, stand_in_with_symbols
from .text import normalise

class Line(NamedTuple):  # a named tuple: pages are built for every document, ~3x cheaper than a dataclass
    index: int  # position among the page's non-blank lines
    start: int  # offsets of the stripped line into the original text
    end: int
    raw: str  # text[start:end]
    form: str  # normalised, leading list markers dropped, whitespace collapsed
    n_words: int


@dataclass(frozen=True)
class Page:
    text: str
    lines: tuple[Line, ...]
    memo: dict = field(default_factory=dict, compare=False, repr=False)  # what rules share, per page


def whole(line: Line) -> tuple[int, int]:
    """The (start, end) of a whole line."""
    return line.start, line.end


SENTENCE_END_CHARS = frozenset(".!?\"'”’»)")  # a line ending in one ends a sentence
_MARKER_CHARS = "-*\u2022\u00b7>|\u25b2\u25bc\u25ba\u25b6\u25a0\u25a1\u25c6\u25cf\u25cb#"  # list markers a line form drops
_MARKERS = regex.compile(r"^[\s" + regex.escape(_MARKER_CHARS) + "]+")
_DATE_LABEL = regex.compile(r"^\s*date \d{4}-\d{2}-\d{2}\b")
_WORD = regex.compile(r"[\p{L}\p{N}]+")


_ASCII_MARKERS = " \t\n\x0b\x0c\r-*>|#"  # the ASCII characters _MARKERS drops
# ASCII letters and digits -> "a", anything else -> " ": words of an ASCII form, counted at C speed
_ASCII_WORD_BYTES = bytes(ord("a") if chr(i).isalnum() and i < 128 else ord(" ") for i in range(256))


def line_form(raw: str) -> str:
    """The form lines are compared in: normalised, list markers dropped, whitespace collapsed."""
    if raw.isascii():  # NFKC and folding leave ASCII alone, and casefold is lower
        form = raw.lower()
        if form[:1] and form[0] in _ASCII_MARKERS:
            form = _MARKERS.sub("", form)
    else:
        form = _MARKERS.sub("", normalise(raw))
    return " ".join(form.split())


def count_words(form: str) -> int:
    """The number of words (runs of letters and digits) of a line form."""
    if form.isascii():
        return len(form.encode("ascii").translate(_ASCII_WORD_BYTES).split())
    return len(_WORD.findall(form))


_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"  # where str.splitlines breaks (all isspace)
# A line without the whitespace around it (the standard library's \s is str.isspace)
_LINE = re.compile(rf"\S(?:[^{_BREAKS}]*\S)?")


def make_page(text: str) -> Page:
    found = stand_in_with_symbols(text)  # (typographic quotes and dashes folded: the same lines)
    if found is not None:
        stand_in, symbols = found
        lines = _plain_lines(stand_in, text, symbols)
        if lines is not None:
            return Page(text, tuple(lines))
        if stand_in is not text and stand_in.isascii() and not symbols:
            new = tuple.__new__  # each line's raw text is the original's (Line(...) without its Python __new__)
            return Page(text, tuple(new(Line, (i, start, end, text[start:end], form, n))
                                    for i, start, end, _, form, n in make_page(stand_in).lines))
    spans = [m.span() for m in _LINE.finditer(text)]
    if spans:
        spans[:1] = _first_line(text, *spans[0])
    # An ASCII text whose lines need no whitespace collapsed: forms are slices of the lower-cased
    # text and words are counted on one translation of it (the same values as line_form/count_words).
    if text.isascii() and "  " not in text and "\t" not in text and "\x1f" not in text:
        low = text.lower()
        word_bytes = text.encode("ascii").translate(_ASCII_WORD_BYTES)  # words: runs of b"a"
        new = tuple.__new__  # Line(...) without the named tuple's Python-level __new__
        lines = [new(Line, (i, start, end, text[start:end], low[start:end],
                            word_bytes.count(b" a", start, end) + (word_bytes[start] == 97)))
                 for i, (start, end) in enumerate(spans)]
        for i, line in enumerate(lines):
            if line.form[0] in _ASCII_MARKERS:
                lines[i] = line._replace(form=" ".join(_MARKERS.sub("", line.form).split()))
    else:
        lines = []
        for i, (start, end) in enumerate(spans):
            form = line_form(text[start:end])
            lines.append(Line(i, start, end, text[start:end], form, count_words(form)))
    return Page(text, tuple(lines))


_OTHER_SPACE = tuple(c for c in map(chr, range(128)) if c.isspace() and c not in " \n")
_PLAIN_MARKERS = _MARKER_CHARS  # the markers a line can start with when no whitespace surrounds it


def _plain_lines(stand_in: str, text: str, symbols: bool) -> list[Line] | None:
    """The lines of a plain text (most texts) given its stand-in and whether symbols stand in it
    (`stand_in.stand_in_with_symbols`): lines broken by "\n" only, no whitespace but single spaces
    (between words, or one at either end of a line). Cut by str.split, with the values of the
    general path; None for any other text."""
    cut = _plain_cut(stand_in, line_forms_text(text) if symbols else None)
    if cut is None:
        return None
    starts, raws, forms, counts = cut
    ends = [start + len(raw) for start, raw in zip(starts, raws)]
    if stand_in is not text:  # each line's raw text is the original's
        raws = [text[start:end] for start, end in zip(starts, ends)]
    # Line(...) without the named tuple's Python-level __new__
    return list(map(tuple.__new__, repeat(Line), zip(count(), starts, ends, raws, forms, counts)))


def line_forms(text: str) -> list[tuple[str, int]]:
    """(form, words) of each line of `make_page(text)`, without building the page when the text is
    plain (see `_plain_lines`)."""
    found = stand_in_with_symbols(text)
    cut = None if found is None else _plain_cut(found[0], line_forms_text(text) if found[1] else None)
    if cut is None:
        return [(line.form, line.n_words) for line in make_page(text).lines]
    return list(zip(cut[2], cut[3]))


# ASCII letters and digits and the bytes of letters outside ASCII (UTF-8, in stand-ins:
# dedup.stand_in) -> "a", "\n" kept, anything else -> " ": the words of each line at C speed
_LINE_WORD_BYTES = bytes(ord("a") if chr(i).isalnum() or i >= 128 else 10 if i == 10 else 32 for i in range(256))


def _plain_cut(text: str, forms_text: str | None = None) -> tuple[list[int], list[str], list[str], list[int]] | None:
    """A plain text's lines (its pieces between "\n", without the single space either end may
    have; blank pieces are no lines): their starts, raw texts, forms and word counts. `text` is
    ASCII or a stand-in (dedup.stand_in: a line break or a space is ASCII) whose lower-cased lines
    are their forms, or, when symbols stand in it, those of `forms_text` (`line_forms_text`: the
    same lines, with the symbols)."""
    if "  " in text or any(c in text for c in _OTHER_SPACE):
        return None
    pieces = text.split("\n")
    raws = [piece.strip(" ") for piece in pieces]  # (at most one space at either end: no "  ")
    kept = list(map(bool, raws))
    starts = [at + (piece[:1] == " ") for at, piece in
              compress(zip(accumulate([len(p) + 1 for p in pieces], initial=0), pieces), kept)]
    raws = list(compress(raws, kept))
    if not raws:
        return [], [], [], []
    forms = [form.strip(" ") for form in compress((forms_text or text).lower().split("\n"), kept)]
    for i, form in enumerate(forms):
        if form[0] in _PLAIN_MARKERS:
            forms[i] = " ".join(_MARKERS.sub("", form).split())
    # (a word after a space is " a" in the translation; a line's first word may have none before it)
    words = compress(text.encode("utf-8").translate(_LINE_WORD_BYTES).split(b"\n"), kept)
    counts = [piece.count(b" a") + (piece[:1] == b"a") for piece in words]
    label = _DATE_LABEL.match(raws[0]) if raws[0].startswith("date ") else None
    if label:  # a stored "date 2024-07-13" label glued to the first line is a line of its own
        if forms_text is not None:  # (its forms are made from the raw text, which symbols stand in here)
            return None
        parts = [(starts[0] + a + len(piece) - len(piece.lstrip()), piece.strip())
                 for a, piece in ((0, raws[0][:label.end()]), (label.end(), raws[0][label.end():]))]
        parts = [(start, raw, line_form(raw)) for start, raw in parts if raw]
        starts[:1], raws[:1] = [start for start, _, _ in parts], [raw for _, raw, _ in parts]
        forms[:1], counts[:1] = [form for _, _, form in parts], [count_words(form) for _, _, form in parts]
    return starts, raws, forms, counts


def _first_line(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The first line, or two: a stored "date 2024-07-13" label glued to it is a line of its own."""
    body_start = start
    while body_start > 0 and text[body_start - 1] not in _BREAKS:
        body_start -= 1
    body_end = end
    while body_end < len(text) and text[body_end] not in _BREAKS:
        body_end += 1
    label = _DATE_LABEL.match(text[body_start:body_end])
    if not label:
        return [(start, end)]
    out = []
    cut = body_start + label.end()
    for start, end in ((body_start, cut), (cut, body_end)):
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out
