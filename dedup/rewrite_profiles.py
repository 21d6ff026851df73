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

from bisect import bisect_left
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import regex

from .align import _NO_SPACE, SentenceFeatures, _unique_pairs, sentence_features
from .fingerprint import content_mask, span_hashes, word_hashes
from .stopwords import STOPWORDS, stopword_hashes
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


_NO_SPACE_CHAR = regex.compile(f"[{_NO_SPACE}]")
TOGETHER_TEXTS = 128  # texts profiled together: from 16 to 256 they cost the same a text, more spill the caches
TOGETHER_CHARS = 1 << 20  # ... and at most this many characters (the arrays hold ~60 bytes a character)


def profiles(texts: Sequence[str]) -> list[TextProfile]:
    """`[profile(t) for t in texts]`: the texts that have a stand-in (`dedup.stand_in`: typographic
    quotes and dashes folded, symbols outside ASCII as "~", letters outside ASCII of scripts
    written with spaces kept) have their sentences and words found together, up to TOGETHER_TEXTS
    texts and TOGETHER_CHARS characters at a time (a longer text alone)."""
    from .stand_in import plain_stand_in

    # (a symbol of a script written without spaces, which a stand-in may hold as "~", is a word to
    # the similarity features: such a text is profiled alone)
    stand_ins = [plain_stand_in(t) for t in texts]
    stand_ins = [None if s is not None and "~" in s and _NO_SPACE_CHAR.search(t) else s for s, t in zip(stand_ins, texts)]
    out: list[TextProfile | None] = [None] * len(texts)
    for ascii_only in (True, False):  # (a part of ASCII stand-ins only packs its trigrams tighter)
        chunk: list[int] = []
        chars = 0
        for i, s in enumerate(stand_ins):
            if s is None or s.isascii() != ascii_only:
                continue
            if chunk and (len(chunk) == TOGETHER_TEXTS or chars + len(s) > TOGETHER_CHARS):
                _profiles_together(texts, stand_ins, chunk, out)
                chunk, chars = [], 0
            chunk.append(i)
            chars += len(s)
        _profiles_together(texts, stand_ins, chunk, out)
    return [p if p is not None else profile(t) for p, t in zip(out, texts)]


def _profiles_together(texts: Sequence[str], stand_ins: Sequence[str], plain: list[int], out: list) -> None:
    """The profiles of texts[i] for i in `plain` (texts with a stand-in, which has their offsets),
    into out[i]. Sentences and words are found on the stand-ins' UTF-8 bytes; offsets into the
    texts, word lengths and the similarity features are in characters (code points)."""
    from .text_spans import sentence_pieces

    if not plain:
        return
    found = sentence_pieces([stand_ins[i] for i in plain])
    data = np.frombuffer(found.data, dtype=np.uint8)
    starts, ends = _stripped(data, found.piece_starts, found.piece_ends)
    if all(stand_ins[i].isascii() for i in plain):
        codes, char_at, byte_at = data, None, None  # (a byte is a character)
    else:  # char_at[b]: the characters before byte b; byte_at[c]: where character c starts
        lead = (data & 0xC0) != 0x80
        char_at = np.concatenate(([0], np.cumsum(lead)))
        byte_at = np.append(np.flatnonzero(lead), len(data))
        codes = np.frombuffer(found.data.decode("utf-8").encode("utf-32-le"), dtype=np.uint32)
    in_chars = (lambda at: at) if char_at is None else char_at.__getitem__
    # each piece's words: [first word, past word); each text's pieces: [first piece, past piece)
    first_word = np.searchsorted(found.starts, found.piece_starts)
    past_word = np.searchsorted(found.starts, found.piece_ends)
    hashes = span_hashes(found.data, found.starts, found.ends)
    lengths = in_chars(found.ends) - in_chars(found.starts)
    digit_first = np.flatnonzero((data[found.starts] >= 48) & (data[found.starts] <= 57)) if len(found.starts) else []
    number_forms = [(int(w), found.data[found.starts[w]:found.ends[w]].decode("utf-8")) for w in digit_first]
    number_forms = [(w, f) for w, f in number_forms if is_number(f)]
    number_at = [w for w, _ in number_forms]
    piece_at = np.concatenate(([0], np.cumsum(found.text_pieces)))
    starts, ends = in_chars(starts), in_chars(ends)
    # the substantial sentences of every text, and their similarity features, found together
    content = content_mask(hashes) & (lengths > 1)
    piece_of_word = np.repeat(np.arange(len(starts)), past_word - first_word)
    kept = np.flatnonzero(np.bincount(piece_of_word[content], minlength=len(starts)) >= MIN_SENTENCE_WORDS)
    text_of_kept = np.searchsorted(piece_at, kept, side="right") - 1
    parts = _feature_parts(codes, byte_at, found.data, starts[kept], ends[kept], text_of_kept, len(plain))
    for k, i in enumerate(plain):
        p, q = piece_at[k], piece_at[k + 1]
        a, b = (int(first_word[p]), int(past_word[q - 1])) if q > p else (0, 0)
        base = int(in_chars(found.text_starts[k]))
        out[i] = _profile(texts[i], _Words(
            starts[p:q] - base, ends[p:q] - base, past_word[p:q] - first_word[p:q], hashes[a:b], lengths[a:b],
            [(w - a, f) for w, f in number_forms[bisect_left(number_at, a):bisect_left(number_at, b)]]),
            parts[k])


# -- the sentences' similarity features (dedup.align.sentence_features) of ASCII texts together ----
_FEATURE_BYTE = np.zeros(256, dtype=bool)  # what dedup.align's feature words are made of, in ASCII
_FEATURE_BYTE[list(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")] = True
_ROW_BITS, _CODE_BITS = 15, 7


_STOPWORD_HASHES = stopword_hashes(single_letters=False)  # (align keeps single letters as words)


def _feature_parts(codes: np.ndarray, byte_at: np.ndarray | None, raw: bytes, starts: np.ndarray, ends: np.ndarray,
                   text_of: np.ndarray, n_texts: int) -> list[tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]]:
    """(words, grams) of `align.sentence_features` for the sentences [starts, ends) of lower-cased
    stand-ins (`codes`: their characters' code points; `raw`: their UTF-8 bytes, character c from
    byte byte_at[c], or byte c when byte_at is None), sentence j of text text_of[j] (in order):
    per text. The words are the runs of word characters in each sentence (every letter outside
    ASCII is one), their stems' keys the crc32 of the UTF-8 of their first STEM_LENGTH characters
    (`boilerplate_sketch.crc32_spans`); the trigrams those of " w1 w2 ... "."""
    n = len(starts)
    if n == 0:
        nothing = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        return [(nothing, nothing)] * n_texts
    ws, we, sentence = _feature_words(codes, starts, ends)
    first_of_text = np.searchsorted(text_of, np.arange(n_texts))
    text = text_of[sentence]
    row = sentence - first_of_text[text]
    # words: each sentence's stems (its content words', or all its words' when it has none)
    from .align import STEM_LENGTH
    from .boilerplate_sketch import crc32_spans

    in_bytes = (lambda at: at) if byte_at is None else byte_at.__getitem__
    keys = crc32_spans(raw, in_bytes(ws), in_bytes(np.minimum(we, ws + STEM_LENGTH))).astype(np.int64)
    hashes = span_hashes(raw, in_bytes(ws), in_bytes(we))
    at = np.minimum(np.searchsorted(_STOPWORD_HASHES, hashes), len(_STOPWORD_HASHES) - 1)
    content = _STOPWORD_HASHES[at] != hashes
    keep = content | (np.bincount(sentence[content], minlength=n) == 0)[sentence]
    w_text, stems, w_row = _distinct_by_text(text[keep], np.where(content, keys, -1 - keys)[keep], row[keep], 33, 1 << 32)
    # grams: the trigrams of " w1 w2 ... " of each sentence (a sentence without words has none)
    lengths = we - ws
    size = np.bincount(sentence, weights=lengths + 1, minlength=n).astype(np.int64)
    size += size > 0  # (the leading space)
    out_start = np.concatenate(([0], np.cumsum(size)))
    step = lengths + 1
    before = np.cumsum(step) - step  # the words before each one, with their spaces
    dest = out_start[sentence] + 1 + before - before[np.searchsorted(sentence, sentence)]
    spread = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    joined = np.full(int(out_start[-1]) + 2, 32, dtype=codes.dtype)
    joined[np.repeat(dest, lengths) + spread] = codes[np.repeat(ws, lengths) + spread]
    per_sentence = np.maximum(size - 2, 0)  # a trigram starts at each position but a sentence's last two
    g_sentence = np.repeat(np.arange(n), per_sentence)
    pos = np.arange(len(g_sentence)) + np.repeat(out_start[:-1] - (np.cumsum(per_sentence) - per_sentence), per_sentence)
    points = joined.astype(np.int64)
    bits = max(_CODE_BITS, int(points.max()).bit_length())  # (packed as narrow as the code points allow)
    grams = (points[pos] << 2 * bits) | (points[pos + 1] << bits) | points[pos + 2]
    g_text = text_of[g_sentence]
    g_text, grams, g_row = _distinct_by_text(g_text, grams, g_sentence - first_of_text[g_text], 3 * bits)
    if bits != 21:  # as align packs a trigram: three code points of 21 bits
        mask = (1 << bits) - 1
        grams = ((grams >> 2 * bits) << 42) | (((grams >> bits) & mask) << 21) | (grams & mask)
    word_at, gram_at = np.searchsorted(w_text, np.arange(n_texts + 1)), np.searchsorted(g_text, np.arange(n_texts + 1))
    return [((w_row[word_at[t]:word_at[t + 1]], stems[word_at[t]:word_at[t + 1]]),
             (g_row[gram_at[t]:gram_at[t + 1]], grams[gram_at[t]:gram_at[t + 1]])) for t in range(n_texts)]


def _feature_words(codes: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(start, end, sentence) of the runs of word characters inside the sentences [starts, ends)."""
    word = _FEATURE_BYTE[codes] if codes.dtype == np.uint8 else (codes >= 128) | _FEATURE_BYTE[np.minimum(codes, 127)]
    edges = np.flatnonzero(word[1:] != word[:-1]) + 1
    # the runs of word characters: their starts and ends alternate among the edges
    ws, we = (np.append(0, edges[1::2]), edges[0::2]) if word[0] else (edges[0::2], edges[1::2])
    if len(we) < len(ws):
        we = np.append(we, len(codes))
    bounds = np.concatenate((starts, ends))
    run = np.maximum(np.searchsorted(ws, bounds, side="right") - 1, 0)
    if np.any((ws[run] < bounds) & (we[run] > bounds)):  # (a sentence bound inside a run: no sentence end makes one)
        cuts = np.sort(np.concatenate((edges, bounds, [0, len(codes)])))
        cuts = cuts[np.concatenate(([True], cuts[1:] != cuts[:-1]))]
        ws, we = cuts[:-1], cuts[1:]
        ws, we = ws[word[ws]], we[word[ws]]
    sentence = np.searchsorted(starts, ws, side="right") - 1
    inside = (sentence >= 0) & (we <= ends[np.maximum(sentence, 0)])
    return ws[inside], we[inside], sentence[inside]


def _distinct_by_text(text: np.ndarray, keys: np.ndarray, rows: np.ndarray, key_bits: int,
                      offset: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct (text, key, row) triples, sorted (keys in [-offset, 2**key_bits - offset)):
    packed in one int64 and sorted as values where they fit, else sorted by the three keys."""
    shift = key_bits + _ROW_BITS
    if shift >= 63 or (len(rows) and (rows.max() >= 1 << _ROW_BITS or text.max() >= 1 << (63 - shift))):
        order = np.lexsort((rows, keys, text))
        text, keys, rows = text[order], keys[order], rows[order]
        first = np.ones(len(keys), dtype=bool)
        first[1:] = (text[1:] != text[:-1]) | (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
        return text[first], keys[first], rows[first]
    packed = np.sort((text << shift) | ((keys + offset) << _ROW_BITS) | rows)
    packed = packed[np.concatenate(([True], packed[1:] != packed[:-1]))] if len(packed) else packed
    return packed >> shift, ((packed >> _ROW_BITS) & ((1 << key_bits) - 1)) - offset, packed & ((1 << _ROW_BITS) - 1)


def _stripped(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pieces [starts, ends) of a stand-in's UTF-8 bytes without the whitespace (str.isspace's;
    a stand-in's is ASCII) around them (no piece is only whitespace)."""
    from .text_spans import _BLANK, _past_blanks

    starts, ends = _past_blanks(data, starts), ends.copy()
    moving = np.flatnonzero(_BLANK[data[ends - 1]])
    while len(moving):
        ends[moving] -= 1
        moving = moving[_BLANK[data[ends[moving] - 1]]]
    return starts, ends


def _profile(text: str, found: _Words, feature_parts=None) -> TextProfile:
    """The profile of a text from its sentences and words (`feature_parts`: the (words, grams) of
    its substantial sentences' `align.sentence_features`, when they were found already)."""
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
    if found.numbers:
        for r, (_, form) in zip(row[[w for w, _ in found.numbers]].tolist(), found.numbers):
            by_sentence.setdefault(r, []).append(form)
    folded = fold(text)
    quote_words = frozenset(w for q in _QUOTE_RE.findall(folded) for w in words(q)
                            if w not in STOPWORDS and len(w) > 1)
    sentence_weights = tuple(weights[kept].tolist())
    return TextProfile(sentence_weights, sentence_texts,
                       tuple(frozenset(by_sentence.get(r, ())) for r in range(len(kept))),
                       tuple(quoted.tolist()),
                       sentence_features(sentence_texts) if feature_parts is None else SentenceFeatures(*feature_parts, sentence_texts),
                       quote_words, tuple(form for _, form in found.numbers if len(form) > 1),
                       tuple(map(str.casefold, _NAME_RE.findall(folded))), sum(sentence_weights),
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
