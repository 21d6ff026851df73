"""The words of a whole batch of texts as spans of one byte string, found with numpy: no Python
object per word. `sentence_word_spans` gives `text.sentence_words` of every text (the fingerprints
hash them in place), `word_spans` gives `text.word_bytes` of every text (the body sketches of the
corpus evidence). ASCII texts, and those with a stand-in (`dedup.stand_in`: typographic quotes
folded, letters outside ASCII of scripts written with spaces, symbols as "~"), are lower-cased,
joined by newlines (a newline is in no word) and encoded in UTF-8; their words are the runs of
letters and digits (a letter outside ASCII is a run of bytes above 127), except in the few chunks
of letters, digits and [.,'] holding an inner mark ("2,400", "it's"), whose words are the token
pattern's."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .sentence_ends import sentence_ends
from .stand_in import plain_stand_in
from .text import _CHAR_CLASS, _DIGIT, _LETTER, _marks_of, sentence_words, word_bytes


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
    """`[sentence_words(t) for t in texts]` as spans of one byte string. ASCII texts (and those
    with a stand-in, `dedup.stand_in`) are handled together with numpy (lower-cased, one after
    the other, in UTF-8: words are their runs of letters and digits, except in sentences holding an inner
    mark, whose words are the token pattern's matches); the words of the other texts are appended
    after them. Offsets here are those of the UTF-8 bytes."""
    stand_ins = [plain_stand_in(t) for t in texts]  # (typographic quotes and dashes folded)
    plain = [i for i, t in enumerate(stand_ins) if t is not None]
    texts = [t if a is None else a for t, a in zip(texts, stand_ins)]
    found = sentence_pieces([texts[i] for i in plain])
    lengths = np.searchsorted(found.starts, found.piece_ends) - np.searchsorted(found.starts, found.piece_starts)
    if len(plain) == len(texts):
        return SentenceWords(found.data, found.starts, found.ends, lengths, found.text_pieces)
    return _with_other_texts(texts, plain, found.text_starts, found.data, found.starts, found.ends, lengths,
                             found.text_pieces)


@dataclass(frozen=True)
class SentencePieces:
    """The sentences and words of stand-ins (`dedup.stand_in`), found together: the texts
    lower-cased, joined by newlines and encoded in UTF-8 as `data`, text k from text_starts[k];
    its pieces (the text between two sentence ends, as `text.sentences` cuts it, but for the
    whitespace around them) are [piece_starts[j], piece_ends[j]), text k has text_pieces[k] of
    them; word i is data[starts[i]:ends[i]] (starts never decrease)."""

    data: bytes
    text_starts: np.ndarray  # int64, one more than the texts (the last: past the end, and its newline)
    piece_starts: np.ndarray
    piece_ends: np.ndarray
    text_pieces: np.ndarray
    starts: np.ndarray
    ends: np.ndarray


def sentence_pieces(stand_ins: Sequence[str]) -> SentencePieces:
    """The pieces and words of texts that are each their own stand-in (see `SentencePieces`)."""
    joined = "\n".join(stand_ins)
    lower = joined.lower()  # (a newline is in no word: none spans two texts)
    first = np.zeros(len(stand_ins) + 1, dtype=np.int64)
    np.cumsum([(len(t) if t.isascii() else len(t.encode("utf-8"))) + 1 for t in stand_ins], out=first[1:])
    # pieces: the text between two sentence ends (and the text's start and end), in `lower`; those
    # that are only whitespace are left out. The ends are found in all the texts at once, joined by
    # newlines: a text's ends are those it has alone, but for ends at most followed by whitespace to
    # its end (a text ends a piece anyway) and one after a following text's leading whitespace
    # (which makes a whitespace-only piece): the same pieces.
    raw = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)  # (lower-casing keeps every offset)
    cuts = np.sort(np.concatenate((sentence_ends(raw), first[:-1], first[1:] - 1)))
    cuts = cuts[np.concatenate(([True], cuts[1:] != cuts[:-1]))] if len(cuts) else cuts
    kept = np.flatnonzero(_past_blanks(raw, cuts[:-1]) < cuts[1:])  # (str.isspace's blanks)
    piece_start, piece_end = cuts[kept], cuts[kept + 1]
    per_text = np.bincount(np.searchsorted(first, piece_start, side="right") - 1, minlength=len(stand_ins)).astype(np.int64)
    data = lower.encode("utf-8")
    starts, ends = _ascii_word_spans(data, _CHAR_CLASS[np.frombuffer(data, dtype=np.uint8)])  # (no sentence end inside a word)
    return SentencePieces(data, first, piece_start, piece_end, per_text, starts, ends)


_NO_INDEX = np.zeros(0, dtype=np.int64)
# the bytes of str.isspace's ASCII blanks (a stand-in's only ones; in UTF-8, 0x85 and 0xA0 are parts of letters); 256: past the end
_BLANK = np.array([c < 128 and chr(c).isspace() for c in range(256)] + [False], dtype=bool)


def _past_blanks(data: np.ndarray, at: np.ndarray) -> np.ndarray:
    """For each position, the first at or after it holding no character str.isspace accepts (or
    the length): whitespace runs are short, so a few steps over the positions still in one."""
    n = len(data)
    at = at.copy()

    def blank(pos: np.ndarray) -> np.ndarray:
        return _BLANK[np.where(pos < n, data[np.minimum(pos, n - 1)], 256)]

    moving = np.flatnonzero(blank(at))
    while len(moving):
        at[moving] += 1
        moving = moving[blank(at[moving])]
    return at


def _ascii_word_spans(lower: bytes, cls: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the words of a lower-cased text's UTF-8 bytes (ASCII, or with letters
    outside ASCII as stand-ins hold them; `cls`: its _CHAR_CLASS codes): its runs of
    letters and digits, except in chunks holding an inner mark (the token pattern's words)."""
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
    stand_ins = [plain_stand_in(t) for t in texts]  # (typographic quotes and dashes folded)
    return _word_spans([t if a is None else a for t, a in zip(texts, stand_ins)], [a is not None for a in stand_ins])


def _word_spans(texts: Sequence[str], plain: Sequence[bool]) -> WordSpans:
    """`word_spans` of texts, each its stand-in where `plain` says it has one."""
    if all(plain):
        lower = "\n".join([t.lower() for t in texts])
        data = lower.encode("utf-8")
        starts, ends = _ascii_word_spans(data, _CHAR_CLASS[np.frombuffer(data, dtype=np.uint8)])
        text_start = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum([(len(t) if t.isascii() else len(t.encode("utf-8"))) + 1 for t in texts], out=text_start[1:])
        text_start[-1] = len(data) + 1
        return WordSpans(data, starts, ends, np.diff(np.searchsorted(starts, text_start)))
    runs = _runs(texts, plain)
    parts = [_word_spans(group, [True] * len(group)) if is_plain else None for is_plain, group in runs]
    pieces, starts, ends, counts, pos = [], [], [], [], 0
    for (_, group), part in zip(runs, parts):
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


def _runs(texts: Sequence[str], plain: Sequence[bool]) -> list[tuple[bool, list[str]]]:
    """The texts cut into runs of stand-ins (`plain`) and runs of the others, in order."""
    runs: list[tuple[bool, list[str]]] = []
    for text, is_plain in zip(texts, plain):
        if runs and runs[-1][0] == is_plain:
            runs[-1][1].append(text)
        else:
            runs.append((is_plain, [text]))
    return runs


_CHUNK_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,'" + bytes(range(128, 256)))
_CHUNK_END = re.compile(rb"[A-Za-z0-9.,'\x80-\xff]*")
# the token pattern (text.TOKEN_RE) on the UTF-8 bytes of text whose only characters outside ASCII
# are letters (stand-ins, `dedup.stand_in`): a letter is an ASCII letter or the bytes of another
_TOKEN_BYTES_RE = re.compile(rb"[A-Za-z0-9\x80-\xff]+(?:(?<=[0-9])[.,][0-9]+)*(?:'[A-Za-z\x80-\xff]+)?")


def _words_of_marked_chunks(lower: bytes, cls: np.ndarray, starts: np.ndarray, ends: np.ndarray, marks: np.ndarray):
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
        while a > 0 and lower[a - 1] in _CHUNK_BYTES:
            a -= 1
        chunk_end = _CHUNK_END.match(lower, mark).end()
        chunk_starts.append(a)
        chunk_ends.append(chunk_end)
        spans += [m.span() for m in _TOKEN_BYTES_RE.finditer(lower, a, chunk_end)]
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
