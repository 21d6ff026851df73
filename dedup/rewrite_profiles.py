"""What the rewrite evidence (`dedup.rewrite.pair_features`) needs of one text: its profile.

`profile(text)` builds one; `profiles(texts)` builds those of many texts at once, the same
profiles: the sentences and words of the texts that fold to ASCII (most news: plain text and
typographic quotes, apostrophes and dashes) are found together with numpy (`dedup.text_spans`), no
Python object per word; every other text is profiled alone. Verification profiles the documents of a
batch of pairs together.

Words are compared by their 64-bit word hash (`dedup.fingerprint.span_hashes`, the fingerprints'):
a sentence's content words as a set of hashes, the words a text holds once as hashes in the order
of the text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np
import regex

from .align import SentenceFeatures, _unique_pairs, sentence_features
from .fingerprint import content_mask, span_hashes, word_hashes
from .stopwords import STOPWORDS
from .text import fold, is_number, sentences_with_words, words

_QUOTE_RE = regex.compile(r'"([^"\n]{12,400})"')
MIN_SENTENCE_WORDS = 4  # sentences with fewer content words carry too little evidence


@dataclass(frozen=True)
class TextProfile:
    """What the rewrite features need of one text; built once per document."""

    sentence_weights: tuple[int, ...]  # content words (with repeats) of each substantial sentence
    sentence_texts: tuple[str, ...]  # the substantial sentences themselves
    sentence_numbers: tuple[frozenset[str], ...]  # the numbers of each substantial sentence
    sentence_quoted: tuple[bool, ...]  # is most of the sentence inside quotation marks?
    sentence_features: SentenceFeatures  # for dedup.align's sentence similarity
    quote_words: frozenset[str]  # content words inside quotation marks
    numbers: tuple[str, ...]  # numbers in order
    names: tuple[str, ...]  # capitalised words in order (proper-name proxy)
    n_content: int
    word_sets: tuple[np.ndarray, np.ndarray]  # each substantial sentence's content words: (sentence, word hash), sorted by hash
    once: tuple[np.ndarray, np.ndarray]  # content words occurring once: (word hash, position among the content words), in order


_QUOTE_OR_BREAK = regex.compile(r'["\n]')


def _inside_quotes(text: str) -> np.ndarray:
    """For each character: is it inside quotation marks? A quote opened on a line and not closed
    ends with the line (news style reopens a long quote at every paragraph)."""
    inside = np.zeros(len(text), dtype=bool)
    folded = fold(text)
    if len(folded) != len(text):
        return inside
    start = None
    for m in _QUOTE_OR_BREAK.finditer(folded):
        i = m.start()
        if folded[i] == '"':
            if start is None:
                start = i
            else:
                inside[start:i + 1] = True
                start = None
        elif start is not None:
            inside[start:i] = True
            start = None
    if start is not None:
        inside[start:] = True
    return inside


_NAME_RE = regex.compile(r"(?<![.!?]\s)(?<!^)\b\p{Lu}[\p{Ll}\p{Lu}]{2,}")  # capitalised words


@dataclass(frozen=True)
class _Words:
    """A text's sentences (stripped; offsets into the text) and their words, as arrays: word i has
    hash hashes[i] and length lengths[i] in characters; sentence j has counts[j] words; `numbers`:
    (word index, form) of the words that are numbers (`text.is_number`)."""

    starts: np.ndarray
    ends: np.ndarray
    counts: np.ndarray
    hashes: np.ndarray
    lengths: np.ndarray
    numbers: list[tuple[int, str]]


def profile(text: str) -> TextProfile:
    """The profile of one text (see `profiles`)."""
    found = sentences_with_words(text)
    forms = [ws for _, ws in found]
    hashes, _ = word_hashes(forms)
    flat = [w for ws in forms for w in ws]
    return _profile(text, _Words(np.array([s.start for s, _ in found], dtype=np.int64),
                                 np.array([s.end for s, _ in found], dtype=np.int64),
                                 np.array([len(ws) for ws in forms], dtype=np.int64), hashes,
                                 np.array([len(w) for w in flat], dtype=np.int64),
                                 [(i, w) for i, w in enumerate(flat) if w[0].isdigit() and is_number(w)]))


def profiles(texts: Sequence[str]) -> list[TextProfile]:
    """`[profile(t) for t in texts]`: the texts that fold to ASCII with the same offsets (their
    stand-in, `dedup.stand_in`, is ASCII) have their sentences and words found together."""
    from .stand_in import plain_stand_in
    from .text_spans import sentence_pieces

    stand_ins = [plain_stand_in(t) for t in texts]
    plain = [i for i, s in enumerate(stand_ins) if s is not None and s.isascii()]
    out: list[TextProfile | None] = [None] * len(texts)
    if plain:
        found = sentence_pieces([stand_ins[i] for i in plain])
        data = np.frombuffer(found.data, dtype=np.uint8)
        starts, ends = _stripped(data, found.piece_starts, found.piece_ends)
        # each piece's words: [first word, past word); each text's pieces: [first piece, past piece)
        first_word = np.searchsorted(found.starts, found.piece_starts)
        past_word = np.searchsorted(found.starts, found.piece_ends)
        hashes = span_hashes(found.data, found.starts, found.ends)
        lengths = found.ends - found.starts
        digit_first = np.flatnonzero((data[found.starts] >= 48) & (data[found.starts] <= 57)) if len(found.starts) else []
        number_forms = [(int(w), found.data[found.starts[w]:found.ends[w]].decode("ascii")) for w in digit_first]
        number_forms = [(w, f) for w, f in number_forms if is_number(f)]
        number_at = np.array([w for w, _ in number_forms], dtype=np.int64)
        piece_at = np.concatenate(([0], np.cumsum(found.text_pieces)))
        for k, i in enumerate(plain):
            p, q = piece_at[k], piece_at[k + 1]
            a, b = (int(first_word[p]), int(past_word[q - 1])) if q > p else (0, 0)
            base = int(found.text_starts[k])
            out[i] = _profile(texts[i], _Words(
                starts[p:q] - base, ends[p:q] - base, past_word[p:q] - first_word[p:q], hashes[a:b], lengths[a:b],
                [(w - a, f) for w, f in number_forms[np.searchsorted(number_at, a):np.searchsorted(number_at, b)]]))
    return [p if p is not None else profile(t) for p, t in zip(out, texts)]


_BLANK = np.array([chr(c).isspace() for c in range(256)], dtype=bool)


def _stripped(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pieces [starts, ends) of ASCII bytes without the whitespace (str.isspace's) around them
    (no piece is only whitespace)."""
    starts, ends = starts.copy(), ends.copy()
    moving = np.flatnonzero(_BLANK[data[starts]])
    while len(moving):
        starts[moving] += 1
        moving = moving[_BLANK[data[starts[moving]]]]
    moving = np.flatnonzero(_BLANK[data[ends - 1]])
    while len(moving):
        ends[moving] -= 1
        moving = moving[_BLANK[data[ends[moving] - 1]]]
    return starts, ends


def _profile(text: str, found: _Words) -> TextProfile:
    n = len(found.counts)
    sentence_of = np.repeat(np.arange(n), found.counts)
    content = content_mask(found.hashes) & (found.lengths > 1)  # (single digits too: not words here)
    weights = np.bincount(sentence_of[content], minlength=n)
    kept = np.flatnonzero(weights >= MIN_SENTENCE_WORDS)
    rank = np.full(n + 1, -1, dtype=np.int64)
    rank[kept] = np.arange(len(kept))
    row = rank[sentence_of]
    in_kept = content & (row >= 0)
    word_sets = _unique_pairs(row[in_kept], found.hashes[in_kept].view(np.int64))
    s_starts, s_ends = found.starts[kept], found.ends[kept]
    quoted_before = np.concatenate(([0], np.cumsum(_inside_quotes(text))))  # quoted characters before i
    quoted = 2 * (quoted_before[s_ends] - quoted_before[s_starts]) >= s_ends - s_starts
    sentence_texts = tuple(text[a:b] for a, b in zip(s_starts.tolist(), s_ends.tolist()))
    by_sentence: dict[int, list[str]] = {}
    for w, form in found.numbers:
        by_sentence.setdefault(int(rank[sentence_of[w]]), []).append(form)
    folded = fold(text)
    quote_words = frozenset(w for q in _QUOTE_RE.findall(folded) for w in words(q)
                            if w not in STOPWORDS and len(w) > 1)
    sentence_weights = tuple(weights[kept].tolist())
    return TextProfile(sentence_weights, sentence_texts,
                       tuple(frozenset(by_sentence.get(r, ())) for r in range(len(kept))),
                       tuple(quoted.tolist()), sentence_features(sentence_texts),
                       quote_words, tuple(form for _, form in found.numbers if len(form) > 1),
                       tuple(m.group().casefold() for m in _NAME_RE.finditer(folded)), sum(sentence_weights),
                       word_sets, _once_words(found.hashes[content]))


def _once_words(sequence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The words (hashes) that occur once in the sequence, and their positions, in the order of the sequence."""
    order = np.argsort(sequence, kind="stable")
    ordered = sequence[order]
    alone = np.ones(len(ordered), dtype=bool)
    if len(ordered) > 1:
        same = ordered[1:] == ordered[:-1]
        alone[1:] &= ~same
        alone[:-1] &= ~same
    positions = np.sort(order[alone])
    return sequence[positions], positions
