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

# Sentence ends: . ! ? and their CJK/Devanagari/Arabic forms, followed by space/quote/end; or a
# line break. Abbreviations like "U.S." or "Mr." stay inside a sentence when a lower-case word or a
# digit follows.
# (The look-behind is checked after the first mark, on the text before it: the same matches as
# a look-behind before `[.!?]+`, found ~25% faster because the search starts from a literal set.)
_SENTENCE_END_RE = regex.compile(
    r"""(?:[.!?](?<!(?:[A-Z][a-z]?\.?[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Prof|No|vs|Inc|Ltd|Co|Corp|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec))[.!?])[.!?]*['")\]]*(?=\s+(?![a-z0-9])|\s*$)|[。！？।؟]+['")\]」]*|\n\s*)"""
)


def fold(text: str) -> str:
    """NFKC, then quotes, apostrophes and dashes folded to ASCII and odd spaces to plain ones."""
    if text.isascii():  # NFKC leaves ASCII alone, and every folded character is outside it
        return text
    return unicodedata.normalize("NFKC", text).translate(_FOLD)


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
    folded = text.translate(_FOLD)  # translate keeps lengths (1 char -> 1)
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
    folded = text if text.isascii() else text.translate(_FOLD)  # (folding leaves ASCII alone)
    bounds = [0, *[m.end() for m in _SENTENCE_END_RE.finditer(folded)], len(text)]
    out: list[Sentence] = []
    for start, end in zip(bounds, bounds[1:]):
        piece = text[start:end]
        stripped = piece.strip()  # (str.strip drops what str.isspace accepts)
        if stripped:
            start += len(piece) - len(piece.lstrip())
            out.append(Sentence(start, start + len(stripped), stripped))
    return out


def sentence_words(text: str) -> list[list[str]]:
    """The words of each sentence: `[words(s.text) for s in sentences(text)]`, faster.

    When folding leaves the text ASCII (and NFKC changes nothing), the text is lower-cased once
    and each sentence's words are found in place, without a copy or a normalisation per sentence."""
    folded = text.translate(_FOLD)
    lower = folded.lower() if folded.isascii() else None
    if lower is None or normalise(text) != lower:
        return [words(s.text) for s in sentences(text)]
    # A sentence without an inner mark (see _ascii_words) has for words the runs of letters and
    # digits: a slice of the text translated once; the others go through the pattern.
    findall = _ASCII_TOKEN_RE.findall
    marks = _inner_marks(lower.encode("ascii"))
    marks.append(len(text))  # (a sentinel)
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


_SPACE = 16  # a class of _CHAR_CLASS too
_CHAR_CLASS[[c for c in range(256) if chr(c).isspace()]] = _SPACE


@dataclass(frozen=True)
class SentenceWords:
    """The words of `sentence_words(t)` for every text t of a batch, without a string per word:
    word i (texts one after the other, sentences in order) is data[starts[i]:ends[i]], its UTF-8
    form; sentence j has sentence_lengths[j] words, text k has text_sentences[k] sentences.
    Words are laid out in order: starts never decrease."""

    data: bytes
    starts: np.ndarray  # int64
    ends: np.ndarray
    sentence_lengths: np.ndarray
    text_sentences: np.ndarray


def sentence_word_spans(texts: Sequence[str]) -> SentenceWords:
    """`[sentence_words(t) for t in texts]` as spans of one byte string. ASCII texts are handled
    together with numpy (lower-cased, one after the other: words are their runs of letters and
    digits, except in sentences holding an inner mark, whose words are the token pattern's
    matches); the words of the other texts are appended after them."""
    plain = [i for i, t in enumerate(texts) if t.isascii()]
    lower = "\n".join([texts[i].lower() for i in plain])  # (a newline is in no word: none spans two texts)
    first = np.zeros(len(plain) + 1, dtype=np.int64)
    np.cumsum([len(texts[i]) + 1 for i in plain], out=first[1:])
    # pieces: the text between two sentence ends (and the text's start and end), in `lower`; those
    # that are only whitespace are left out
    piece_start: list[int] = []
    piece_end: list[int] = []
    per_text = np.zeros(len(plain), dtype=np.int64)
    finditer = _SENTENCE_END_RE.finditer
    for k, (i, base) in enumerate(zip(plain, first.tolist())):
        text = texts[i]
        n, pos = len(piece_start), 0
        for end in [m.end() for m in finditer(text)] + [len(text)]:
            if end > pos and not text[pos:end].isspace():
                piece_start.append(base + pos)
                piece_end.append(base + end)
            pos = end
        per_text[k] = len(piece_start) - n
    cls = _CHAR_CLASS[np.frombuffer(lower.encode("ascii"), dtype=np.uint8)]
    starts, ends = _ascii_word_spans(lower, cls)  # (sentence ends never fall inside a word)
    lengths = np.searchsorted(starts, piece_end) - np.searchsorted(starts, piece_start)
    if len(plain) == len(texts):
        return SentenceWords(lower.encode("ascii"), starts, ends, lengths, per_text)
    return _with_other_texts(texts, plain, first, lower.encode("ascii"), starts, ends, lengths, per_text)


_NO_INDEX = np.zeros(0, dtype=np.int64)


def _ascii_word_spans(lower: str, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the words of a lower-cased ASCII text (`cls`: its _CHAR_CLASS codes): its
    runs of letters and digits, except in chunks holding an inner mark (the token pattern's words)."""
    alnum = np.zeros(len(cls) + 2, dtype=bool)
    np.not_equal(np.bitwise_and(cls, _DIGIT | _LETTER), 0, out=alnum[1:-1])
    edges = np.flatnonzero(alnum[1:] != alnum[:-1])  # a run's start, its end, the next start...
    starts, ends = edges[0::2].copy(), edges[1::2].copy()
    marks = _marks_of(cls)
    if len(marks):
        starts, ends = _words_of_marked_chunks(lower, cls, starts, ends, marks)
    return starts, ends


@dataclass(frozen=True)
class WordSpans:
    """The words of `word_bytes(t)` for every text t of a batch, without an object per word: word i
    is data[starts[i]:ends[i]]; text k has text_words[k] words, texts one after the other."""

    data: bytes
    starts: np.ndarray  # int64, never decreasing
    ends: np.ndarray
    text_words: np.ndarray


def word_spans(texts: Sequence[str]) -> WordSpans:
    """`[word_bytes(t) for t in texts]` as spans of one byte string: ASCII texts lower-cased and
    joined by newlines (a newline is in no word), their words found together with numpy; the words
    of any other text are written after a space each, in their place."""
    if all(t.isascii() for t in texts):
        lower = "\n".join([t.lower() for t in texts])
        data = lower.encode("ascii")
        starts, ends = _ascii_word_spans(lower, _CHAR_CLASS[np.frombuffer(data, dtype=np.uint8)])
        text_start = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum([len(t) + 1 for t in texts], out=text_start[1:])
        text_start[-1] = len(data) + 1
        return WordSpans(data, starts, ends, np.diff(np.searchsorted(starts, text_start)))
    parts = [word_spans(group) if plain else None for plain, group in _runs(texts)]
    pieces, starts, ends, counts, pos = [], [], [], [], 0
    for (plain, group), part in zip(_runs(texts), parts):
        if part is None:
            for text in group:
                segment = b"".join(b" " + w for w in word_bytes(text))  # (no word holds a space)
                spaces = np.flatnonzero(np.frombuffer(segment, dtype=np.uint8) == 32)
                starts.append(pos + spaces + 1)
                ends.append(pos + np.append(spaces[1:], len(segment)) if len(spaces) else _NO_INDEX)
                counts.append(np.array([len(spaces)], dtype=np.int64))
                pieces.append(segment)
                pos += len(segment)
            continue
        pieces.append(part.data + b"\n")
        starts.append(part.starts + pos)
        ends.append(part.ends + pos)
        counts.append(part.text_words)
        pos += len(part.data) + 1
    return WordSpans(b"".join(pieces), np.concatenate(starts + [_NO_INDEX]), np.concatenate(ends + [_NO_INDEX]),
                     np.concatenate(counts + [_NO_INDEX]))


def _runs(texts: Sequence[str]) -> list[tuple[bool, list[str]]]:
    """The texts cut into runs of ASCII texts and runs of the others, in order."""
    runs: list[tuple[bool, list[str]]] = []
    for text in texts:
        plain = text.isascii()
        if runs and runs[-1][0] == plain:
            runs[-1][1].append(text)
        else:
            runs.append((plain, [text]))
    return runs


_CHUNK_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,'")
_CHUNK_END = re.compile(r"[A-Za-z0-9.,']*")


def _words_of_marked_chunks(lower: str, cls: np.ndarray, starts: np.ndarray, ends: np.ndarray, marks: np.ndarray):
    """Word spans where each chunk of letters, digits and [.,'] holding an inner mark has the token
    pattern's words instead of its runs (no match holds any other character, so the pattern finds
    the same words in a chunk as in its sentence). Marks are few: each chunk is found from its mark
    in the text, and the chunks' words are merged into the others in place (no sort)."""
    chunk_starts: list[int] = []
    chunk_ends: list[int] = []
    spans: list[tuple[int, int]] = []
    chunk_end = -1
    for mark in marks.tolist():
        if mark < chunk_end:  # in the chunk just done
            continue
        a = mark
        while a > 0 and lower[a - 1] in _CHUNK_CHARS:
            a -= 1
        chunk_end = _CHUNK_END.match(lower, mark).end()
        chunk_starts.append(a)
        chunk_ends.append(chunk_end)
        spans += [m.span() for m in _ASCII_TOKEN_RE.finditer(lower, a, chunk_end)]
    first = np.searchsorted(starts, chunk_starts)  # the runs inside each chunk: [first, past)
    past = np.searchsorted(starts, chunk_ends)
    inside = past - first
    keep = np.ones(len(starts), dtype=bool)
    keep[np.repeat(first - np.cumsum(inside) + inside, inside) + np.arange(int(inside.sum()))] = False
    new = np.array(spans, dtype=np.int64).reshape(-1, 2)
    kept_starts = starts[keep]
    at = np.searchsorted(kept_starts, new[:, 0]) + np.arange(len(new))  # the new words' places
    old = np.ones(len(kept_starts) + len(new), dtype=bool)
    old[at] = False
    out_starts = np.empty(len(old), dtype=np.int64)
    out_ends = np.empty(len(old), dtype=np.int64)
    out_starts[old], out_starts[at] = kept_starts, new[:, 0]
    out_ends[old], out_ends[at] = ends[keep], new[:, 1]
    return out_starts, out_ends


def _with_other_texts(texts, plain, first, data, starts, ends, lengths, per_text) -> SentenceWords:
    """The spans of the ASCII texts (`plain`, at `first` in `data`) and the words of the others
    (UTF-8, each after a space), laid out in the order of `texts` (positions never decrease)."""
    pieces, parts, sentences = [], [], []
    pos = 0
    plain_at = {i: k for k, i in enumerate(plain)}
    word_at = np.concatenate(([0], np.cumsum(lengths)))
    sentence_at = np.concatenate(([0], np.cumsum(per_text)))
    for i, text in enumerate(texts):
        k = plain_at.get(i)
        if k is not None:
            a, b = word_at[sentence_at[k]], word_at[sentence_at[k + 1]]
            shift = pos - int(first[k])
            parts.append((starts[a:b] + shift, ends[a:b] + shift))
            sentences.append(lengths[sentence_at[k]:sentence_at[k + 1]])
            size = int(first[k + 1] - first[k])  # the text and its newline (the last has none in `data`)
            pieces += [data[first[k]:first[k] + size - 1], b"\n"]
            pos += size
            continue
        lists = sentence_words(text)
        flat = [w for ws in lists for w in ws]
        segment = ("".join(" " + w for w in flat)).encode("utf-8")  # (no word holds a space)
        spaces = np.flatnonzero(np.frombuffer(segment, dtype=np.uint8) == 32)
        ends_at = np.append(spaces[1:], len(segment)) if len(spaces) else _NO_INDEX
        parts.append((pos + spaces + 1, pos + ends_at))
        sentences.append(np.array([len(ws) for ws in lists], dtype=np.int64))
        pieces.append(segment)
        pos += len(segment)
    counts = np.array([len(s) for s in sentences], dtype=np.int64)
    return SentenceWords(b"".join(pieces), np.concatenate([p[0] for p in parts] + [_NO_INDEX]),
                         np.concatenate([p[1] for p in parts] + [_NO_INDEX]),
                         np.concatenate(sentences + [_NO_INDEX]), counts)


def sentences_with_words(text: str) -> list[tuple[Sentence, list[str]]]:
    """`list(zip(sentences(text), sentence_words(text)))`, finding the sentence ends once."""
    folded = text if text.isascii() else text.translate(_FOLD)
    lower = folded.lower() if folded.isascii() else None
    if lower is None or normalise(text) != lower:
        return list(zip(sentences(text), sentence_words(text)))
    bounds = [0, *[m.end() for m in _SENTENCE_END_RE.finditer(folded)], len(text)]
    findall = _ASCII_TOKEN_RE.findall
    marks = _inner_marks(lower.encode("ascii"))
    marks.append(len(text))  # (a sentinel)
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
