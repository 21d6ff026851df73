"""Normalisation, word tokens with character offsets, and sentences, for text in any script.

Tokens are found on the original text so that offsets point into it; each token's *form* is
normalised (NFKC, quotes and dashes folded, case folded). Han, Hiragana, Katakana and Thai have no
spaces between words: each of their characters is a token of its own, which makes shingles of
characters there (the usual practice for near-duplicate detection of CJK text).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np
import regex

# Folded to ASCII before anything else looks at the text: quotes, apostrophes, dashes, odd spaces.
_FOLD = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u02bc": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"',
    "\u00bb": '"', "\u2039": "'", "\u203a": "'", "\u300c": '"', "\u300d": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u200b": " ", "\ufeff": " ",
})

_FOLD_CHARS = {chr(code): to for code, to in _FOLD.items()}
_FOLD_PAIRS = tuple(_FOLD_CHARS.items())  # (every replacement is ASCII: none is folded again)


def fold_chars(text: str) -> str:
    """`text.translate(_FOLD)`, the same string: str.translate looks every character of a non-ASCII
    text up in the table (about 190 us for a news article); a replacement of each folded
    character the text holds does not (29 searches at C speed: about 5 us for a typeset article,
    against 17 us for a pattern substituting each match)."""
    if text.isascii():
        return text
    for char, to in _FOLD_PAIRS:
        if char in text:
            text = text.replace(char, to)
    return text


_SCRIPT_CHAR = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}"
# A word: letters, marks and digits (marks keep Devanagari, Arabic and Thai vowels inside words),
# with inner apostrophes, dots or commas between digits ("3.5", "2,400"); or one character of a
# script written without spaces.
TOKEN_RE = regex.compile(
    rf"[{_SCRIPT_CHAR}]|(?:(?![{_SCRIPT_CHAR}])[\p{{L}}\p{{M}}\p{{N}}])+"
    rf"(?:(?<=\p{{N}})[.,](?=\p{{N}})(?:\p{{N}})+)*"
    rf"(?:'(?![{_SCRIPT_CHAR}])[\p{{L}}\p{{M}}]+)?"
)
# The same tokens, faster: set difference instead of a lookahead at every character (VERSION1 sets).
_TOKEN_SET_RE = regex.compile(
    rf"[{_SCRIPT_CHAR}]|[[\p{{L}}\p{{M}}\p{{N}}]--[{_SCRIPT_CHAR}]]+"
    rf"(?:(?<=\p{{N}})[.,]\p{{N}}+)*"
    rf"(?:'[[\p{{L}}\p{{M}}]--[{_SCRIPT_CHAR}]][\p{{L}}\p{{M}}]*)?",  # as TOKEN_RE: only the first is checked
    regex.V1,
)
# ...and on ASCII text (the common case after folding), where letters are [A-Za-z], digits [0-9]
# and there are no marks or scripts without spaces, with the standard library's engine (7x faster).
_ASCII_TOKEN_RE = re.compile(r"[A-Za-z0-9]+(?:(?<=[0-9])[.,][0-9]+)*(?:'[A-Za-z]+)?")
_NUMBER_RE = regex.compile(r"^\p{N}[\p{N}.,]*$")

# abbreviations whose full stop ends no sentence (dedup.sentence_ends finds the same ends with numpy)
SENTENCE_ABBREVIATIONS = ("Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "Gen", "Col", "Lt", "Sgt", "Gov", "Sen", "Rep",
                          "Prof", "No", "vs", "Inc", "Ltd", "Co", "Corp", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul",
                          "Aug", "Sep", "Sept", "Oct", "Nov", "Dec")

# Sentence ends: . ! ? and their CJK/Devanagari/Arabic forms, followed by space/quote/end; or a
# line break. Abbreviations like "U.S." or "Mr." stay inside a sentence when a lower-case word or a
# digit follows.
# (The look-behind is checked after the first mark, on the text before it: the same matches as
# a look-behind before `[.!?]+`, found ~25% faster because the search starts from a literal set.)
_SENTENCE_END_RE = regex.compile(
    r"""(?:[.!?](?<!(?:[A-Z][a-z]?\.?[A-Z]|\b(?:""" + "|".join(SENTENCE_ABBREVIATIONS)
    + r"""))[.!?])[.!?]*['")\]]*(?=\s+(?![a-z0-9])|\s*$)|[。！？।؟]+['")\]」]*|\n\s*)"""
)


def fold(text: str) -> str:
    """NFKC, then quotes, apostrophes and dashes folded to ASCII and odd spaces to plain ones."""
    if text.isascii():  # NFKC leaves ASCII alone, and every folded character is outside it
        return text
    if unicodedata.is_normalized("NFKC", text):  # (a quick check: most text is, and then NFKC is a copy)
        return fold_chars(text)
    return fold_chars(unicodedata.normalize("NFKC", text))


def normalise(text: str) -> str:
    """The form texts are compared in: folded, and case folded."""
    if text.isascii():  # (and casefold is lower on ASCII)
        return text.lower()
    return fold(text).casefold()


@dataclass(frozen=True)
class Token:
    form: str  # normalised
    start: int  # offsets into the original text
    end: int


def tokens(text: str) -> list[Token]:
    """Word tokens of `text`, with offsets into it and normalised forms."""
    folded = fold_chars(text)  # (folding keeps lengths: 1 char -> 1)
    if folded.isascii():  # NFKC leaves ASCII alone and casefold is lower
        return [Token(m.group().lower(), m.start(), m.end()) for m in _ASCII_TOKEN_RE.finditer(folded)]
    nfkc = unicodedata.normalize
    return [Token(nfkc("NFKC", m.group()).casefold(), m.start(), m.end()) for m in _TOKEN_SET_RE.finditer(folded)]


def words(text: str) -> list[str]:
    """Normalised word forms only: the fast path for fingerprints (no offsets, no objects)."""
    form = normalise(text)
    if form.isascii():
        return _ascii_words(form, form.encode("ascii"), _STR_TABLES)
    return _TOKEN_SET_RE.findall(form)


def word_bytes(text: str) -> list[bytes]:
    """`[w.encode("utf-8") for w in words(text)]`, without a string per word on ASCII text."""
    form = normalise(text)
    if form.isascii():
        data = form.encode("ascii")
        return _ascii_words(data, data, _BYTES_TABLES)
    return [w.encode("utf-8") for w in _TOKEN_SET_RE.findall(form)]


# Words of a lower-cased ASCII form without running the pattern over all of it: a word is a run of
# letters and digits except where "." or "," sits between two digits ("2,400") or an apostrophe
# between a letter or digit and a letter ("it's"). The form is split on everything else; only the
# pieces holding such an inner mark (found with numpy) go through _ASCII_TOKEN_RE. (Characters no
# match can contain are replaced by spaces, which leaves the pattern's matches as they are.)
_ASCII_ALNUM = "".join(chr(c) if chr(c).isalnum() else " " for c in range(128)) + " " * 128
_ASCII_KEEP = "".join(chr(c) if chr(c).isalnum() or chr(c) in ".,'" else " " for c in range(128)) + " " * 128
_STR_TABLES = (str.maketrans({c: _ASCII_ALNUM[c] for c in range(128)}),
               str.maketrans({c: _ASCII_KEEP[c] for c in range(128)}), " ", _ASCII_TOKEN_RE.findall)
_BYTES_TABLES = (_ASCII_ALNUM.encode("latin-1"), _ASCII_KEEP.encode("latin-1"), b" ",
                 re.compile(_ASCII_TOKEN_RE.pattern.encode("ascii")).findall)
_DIGIT, _LETTER, _DOT, _APOSTROPHE = 1, 2, 4, 8
_CHAR_CLASS = np.zeros(256, dtype=np.uint8)
_CHAR_CLASS[np.frombuffer(b"0123456789", np.uint8)] = _DIGIT
_CHAR_CLASS[np.frombuffer(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", np.uint8)] = _LETTER
_CHAR_CLASS[np.frombuffer(b".,", np.uint8)] = _DOT
_CHAR_CLASS[ord("'")] = _APOSTROPHE
_CHAR_CLASS[128:] = _LETTER  # the UTF-8 bytes of a letter outside ASCII (in stand-ins: dedup.stand_in)


def _inner_marks(data: bytes) -> list[int]:
    """Positions of the marks a word can hold: digit [.,] digit, or letter/digit ' letter."""
    return _marks_of(_CHAR_CLASS[np.frombuffer(data, dtype=np.uint8)]).tolist()


def _marks_of(cls: np.ndarray) -> np.ndarray:
    """`_inner_marks` from the character classes of the text."""
    at = np.flatnonzero(cls[1:-1] & (_DOT | _APOSTROPHE)) + 1  # the few marks, then their neighbours
    mark, before, after = cls[at], cls[at - 1], cls[at + 1]
    inner = (mark == _DOT) & (before == _DIGIT) & (after == _DIGIT)
    inner |= (mark == _APOSTROPHE) & ((before & (_DIGIT | _LETTER)) != 0) & (after == _LETTER)
    return at[inner]


_SHORT_FORM = 1500  # characters below which the token pattern alone is cheaper than numpy's set-up
_MARKS_PER_CHAR = 0.01  # more inner marks than this: each costs a pattern call, the pattern alone is cheaper


def _ascii_words(low, data: bytes, tables) -> list:
    """The words of a lower-cased ASCII form `low` (a str or bytes; `data`: its bytes)."""
    alnum, keep, space, findall = tables
    if len(data) < _SHORT_FORM:
        return findall(low)
    marks = _inner_marks(data)
    if len(marks) > _MARKS_PER_CHAR * len(data):
        return findall(low)
    return _split_ascii_words(low, tables, marks)


def _split_ascii_words(low, tables, marks: list[int]) -> list:
    """The words of `low` (lower-cased ASCII) with the positions of its inner marks."""
    alnum, keep, space, findall = tables
    if not marks:
        return low.translate(alnum).split()
    kept = low.translate(keep)
    out: list = []
    pos = 0
    for mark in marks:
        if mark < pos:  # in the piece just done
            continue
        start = kept.rfind(space, 0, mark) + 1
        end = kept.find(space, mark)
        end = len(kept) if end < 0 else end
        out += kept[pos:start].translate(alnum).split()
        out += findall(kept, start, end)
        pos = end
    out += kept[pos:].translate(alnum).split()
    return out


def is_number(form: str) -> bool:
    return bool(_NUMBER_RE.match(form))


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences (and lines) of `text` with offsets; whitespace-only pieces are left out."""
    folded = fold_chars(text)  # (folding leaves ASCII alone)
    bounds = [0, *[m.end() for m in _SENTENCE_END_RE.finditer(folded)], len(text)]
    out: list[Sentence] = []
    for start, end in zip(bounds, bounds[1:]):
        piece = text[start:end]
        stripped = piece.strip()  # (str.strip drops what str.isspace accepts)
        if stripped:
            start += len(piece) - len(piece.lstrip())
            out.append(Sentence(start, start + len(stripped), stripped))
    return out


def _plain_lower(text: str):
    """(stand-in, lower-cased, the positions of its inner marks and a sentinel, the token pattern's
    findall) of a text whose words `sentence_words` finds in place: folding leaves it ASCII and
    normalising it gives the folded text lower-cased, or it has a stand-in with letters or symbols
    outside ASCII (`dedup.stand_in`: its letters outside ASCII are letters to `_CHAR_CLASS`, and to
    the general pattern used on its pieces with an inner mark); None for any other."""
    folded = fold_chars(text)
    if folded.isascii():
        lower = folded.lower()
        if normalise(text) != lower:
            return None
    else:
        from .stand_in import stands_for  # (dedup.stand_in imports this module)

        found = stands_for(text, folded)
        if found is None:
            return None
        folded = found[0]
        lower = folded.lower()
    if lower.isascii():
        marks = _inner_marks(lower.encode("ascii"))
        findall = _ASCII_TOKEN_RE.findall
    else:
        codes = np.frombuffer(lower.encode("utf-32-le"), dtype=np.uint32)
        marks = _marks_of(_CHAR_CLASS[np.minimum(codes, 255)]).tolist()
        findall = _TOKEN_SET_RE.findall
    marks.append(len(text))  # (a sentinel)
    return folded, lower, marks, findall


def sentence_words(text: str) -> list[list[str]]:
    """The words of each sentence: `[words(s.text) for s in sentences(text)]`, faster.

    When folding leaves the text ASCII (and NFKC changes nothing), or it has a stand-in (dedup.stand_in),
    the text is lower-cased once and each sentence's words are found in place, without a copy or a
    normalisation per sentence."""
    plain = _plain_lower(text)
    if plain is None:
        return [words(s.text) for s in sentences(text)]
    # A sentence without an inner mark (see _ascii_words) has for words the runs of letters and
    # digits: a slice of the text translated once; the others go through the pattern.
    folded, lower, marks, findall = plain
    runs = lower.translate(_STR_TABLES[0])
    out: list[list[str]] = []
    pos = mark = 0
    for m in _SENTENCE_END_RE.finditer(folded):
        end = m.end()
        if not text[pos:end].isspace() and end > pos:
            while marks[mark] < pos:
                mark += 1
            out.append(findall(lower, pos, end) if marks[mark] < end else runs[pos:end].split())
        pos = end
    if not text[pos:].isspace() and len(text) > pos:
        out.append(findall(lower, pos))
    return out


def sentence_word_spans(texts: Sequence[str]):
    """`[sentence_words(t) for t in texts]` as spans of one byte string (see dedup.text_spans)."""
    from .text_spans import sentence_word_spans as spans

    return spans(texts)


def word_spans(texts: Sequence[str]):
    """`[word_bytes(t) for t in texts]` as spans of one byte string (see dedup.text_spans)."""
    from .text_spans import word_spans as spans

    return spans(texts)


def sentences_with_words(text: str) -> list[tuple[Sentence, list[str]]]:
    """`list(zip(sentences(text), sentence_words(text)))`, finding the sentence ends once."""
    plain = _plain_lower(text)
    if plain is None:
        return list(zip(sentences(text), sentence_words(text)))
    folded, lower, marks, findall = plain
    bounds = [0, *[m.end() for m in _SENTENCE_END_RE.finditer(folded)], len(text)]
    runs = lower.translate(_STR_TABLES[0])
    out: list[tuple[Sentence, list[str]]] = []
    mark = 0
    for start, end in zip(bounds, bounds[1:]):
        piece = text[start:end]
        stripped = piece.strip()
        if stripped:
            while marks[mark] < start:
                mark += 1
            forms = findall(lower, start, end) if marks[mark] < end else runs[start:end].split()
            first = start + len(piece) - len(piece.lstrip())
            out.append((Sentence(first, first + len(stripped), stripped), forms))
    return out


def _append_sentence(text: str, start: int, end: int, out: list[Sentence]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(start, end, text[start:end]))


def lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line of `text`, without its line break."""
    pos = 0
    for line in text.splitlines(keepends=True):
        stripped = line.rstrip("\r\n")
        yield pos, pos + len(stripped)
        pos += len(line)
