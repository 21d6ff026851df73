"""Sentence alignment of a source and a copy: which sentences were kept, reworded, moved, cut or added.

Shared by verification (is a candidate pair a rewrite?) and by the diff (what changed?).

Similarity of two sentences mixes two signals, both computed for every pair at once with sparse
matrix products:

- content words: Dice overlap of the sets of content-word stems (stopwords dropped, words cut to
  their first letters), which survives paraphrase, reordering within the sentence and machine
  translation back and forth (names, numbers and content words stay, inflections change);
- character trigrams: Dice overlap of the sets of character 3-grams of the normalised words, which
  catches spelling and inflection changes and works for any script (CJK included).

Alignment first finds the heaviest in-order chain of similar pairs (increasing in both texts), then
one source sentence split into neighbouring copy sentences (or several merged into one), then
sentences aligned out of order: moved.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import re
import unicodedata
import zlib
from itertools import chain

import numpy as np

from .stopwords import STOPWORDS

STEM_LENGTH = 5  # content words are compared by their first letters (crude, but any language)
WORD_WEIGHT = 0.6  # share of the content-word signal in the similarity (the rest: character trigrams)
MIN_SIMILARITY = 0.35  # least similarity for an in-order alignment
MIN_MOVED_SIMILARITY = 0.5  # least similarity for a sentence aligned out of order (moved)
JOIN_CHUNK = 2_000_000  # (source, copy) sentence pairs joined at once when counting shared features
MIN_PART_CONTAINMENT = 0.7  # share of a split-off sentence's content found in its source sentence


# Words for the similarity features: one character at a time for scripts written without spaces,
# runs of letters and digits otherwise (a simpler, much faster pattern than dedup.text's tokens,
# enough for overlap features).
_NO_SPACE = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_FEATURE_WORD_RE = re.compile(rf"[{_NO_SPACE}]|[^\W{_NO_SPACE}]+")


def _words(sentence: str) -> list[str]:
    return _FEATURE_WORD_RE.findall(unicodedata.normalize("NFKC", sentence).casefold())


@dataclass(frozen=True)
class SentencePair:
    source: int | None  # index into the source sentences (None: added in the copy)
    copy: int | None  # index into the copy sentences (None: removed from the source)
    similarity: float  # 0..1
    moved: bool  # aligned, but out of order relative to the other aligned pairs


def _word_features(forms: list[str]) -> set[str]:
    content = [w for w in forms if w not in STOPWORDS]
    return {w[:STEM_LENGTH] for w in (content or forms)}


def _char_grams(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(row, trigram) of every character trigram of every string, trigrams packed in an int64
    (three code points of 21 bits), computed over all strings at once."""
    lengths = np.array([len(t) for t in strings], dtype=np.int64)
    codes = np.frombuffer("".join(strings).encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    row_of = np.repeat(np.arange(len(strings)), lengths)
    ends = np.cumsum(lengths)[row_of] if len(codes) else np.zeros(0, dtype=np.int64)
    pos = np.arange(len(codes))
    keep = pos + 2 < ends
    p = pos[keep]
    return row_of[keep], (codes[p] << 42) | (codes[p + 1] << 21) | codes[p + 2]


_WIDE_CODE_POINTS = np.int64(~((0xFFFF << 42) | (0xFFFF << 21) | 0xFFFF))  # bits of code points >= 2**16


def _unique_grams(rows: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`_unique_pairs` of `_char_grams`' (row, trigram) pairs. When every code point is below 2**16
    and every row below 2**15 (as in most texts), each pair packs into one int64 in the same order
    (code points, then row): a sort of values instead of a sort by two keys (1.4x faster on
    news articles of ~3,000 trigrams)."""
    if len(keys) == 0 or rows.max() >= 1 << 15 or rows.min() < 0 or np.any(keys & _WIDE_CODE_POINTS):
        return _unique_pairs(rows, keys)
    short = 0xFFFF
    packed = np.sort((keys >> 42 << 47) | ((keys >> 21) & short) << 31 | (keys & short) << 15 | rows)
    first = np.ones(len(packed), dtype=bool)
    first[1:] = packed[1:] != packed[:-1]
    packed = packed[first]
    grams = (packed >> 47 << 42) | ((packed >> 31) & short) << 21 | (packed >> 15) & short
    return packed & 0x7FFF, grams


def _unique_pairs(rows: np.ndarray, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (row, key) pairs, sorted by key: each row's features as a set."""
    order = np.lexsort((rows, keys))
    rows, keys = rows[order], keys[order]
    first = np.ones(len(keys), dtype=bool)
    first[1:] = (keys[1:] != keys[:-1]) | (rows[1:] != rows[:-1])
    return rows[first], keys[first]


def _intersections(source: tuple[np.ndarray, np.ndarray], copy: tuple[np.ndarray, np.ndarray],
                   n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Size of the intersection of the feature sets of every source row with every copy row [n, m],
    and the set sizes, from (row, feature key) arrays: every source row sharing a key is joined to
    every copy row holding it (a sorted join in numpy; no sparse matrix machinery needed)."""
    return _sorted_intersections(_unique_pairs(*source), _unique_pairs(*copy), n, m)


def _sorted_intersections(source: tuple[np.ndarray, np.ndarray], copy: tuple[np.ndarray, np.ndarray],
                          n: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`_intersections` of (row, key) arrays already made distinct and sorted by key (`_unique_pairs`)."""
    return _join_counts(source, copy, n, m), _set_sizes(source[0], n), _set_sizes(copy[0], m)


def _set_sizes(rows: np.ndarray, n: int) -> np.ndarray:
    return np.bincount(rows, minlength=n).astype(np.float64)


def _join_counts(source: tuple[np.ndarray, np.ndarray], copy: tuple[np.ndarray, np.ndarray],
                 n: int, m: int) -> np.ndarray:
    """The intersection sizes [n, m] of `_sorted_intersections` (without the set sizes)."""
    s_rows, s_keys = source
    c_rows, c_keys = copy
    lo = np.searchsorted(s_keys, c_keys, side="left")
    counts = np.searchsorted(s_keys, c_keys, side="right") - lo
    total_pairs = int(counts.sum())
    if total_pairs <= JOIN_CHUNK:  # the usual case: one join
        if not total_pairs:
            return np.zeros((n, m))
        offsets = np.repeat(lo - (np.cumsum(counts) - counts), counts) + np.arange(total_pairs)
        inter = np.bincount(s_rows[offsets] * m + np.repeat(c_rows, counts), minlength=n * m).astype(np.float64)
        return inter.reshape(n, m)
    inter = np.zeros(n * m, dtype=np.float64)
    ends = np.cumsum(counts)
    start = 0  # the copy entries are joined in chunks of at most JOIN_CHUNK pairs (memory stays small)
    while start < len(c_keys):
        limit = ends[start] - counts[start] + JOIN_CHUNK
        stop = max(int(np.searchsorted(ends, limit, side="right")), start + 1)
        part = counts[start:stop]
        total = int(part.sum())
        if total:
            offsets = np.repeat(lo[start:stop] - (np.cumsum(part) - part), part) + np.arange(total)
            inter += np.bincount(s_rows[offsets] * m + np.repeat(c_rows[start:stop], part), minlength=n * m)
        start = stop
    return inter.reshape(n, m)


def _word_keys(feature_sets: list[set[str]], vocabulary: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    rows = [k for k, features in enumerate(feature_sets) for _ in features]
    keys = [vocabulary.setdefault(f, len(vocabulary)) for features in feature_sets for f in features]
    return np.array(rows, dtype=np.int64), np.array(keys, dtype=np.int64)


def _dice(inter: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    total = size_a[:, None] + size_b[None, :]
    return np.divide(2.0 * inter, total, out=np.zeros_like(inter, dtype=np.float64), where=total > 0)


def _similarity_and_containment(source: Sequence[str], copy: Sequence[str]):
    """Similarity [len(source), len(copy)], and the share of each copy sentence's content words
    found in each source sentence (and the reverse), for split and merge detection."""
    if not source or not copy:
        empty = np.zeros((len(source), len(copy)))
        return empty, empty, empty
    src_forms = [_words(s) for s in source]
    cpy_forms = [_words(s) for s in copy]
    vocabulary: dict[str, int] = {}
    inter, size_s, size_c = _intersections(
        _word_keys([_word_features(f) for f in src_forms], vocabulary),
        _word_keys([_word_features(f) for f in cpy_forms], vocabulary), len(source), len(copy))
    word_sim = _dice(inter, size_s, size_c)
    copy_in_source = inter / np.maximum(size_c[None, :], 1)
    source_in_copy = inter / np.maximum(size_s[:, None], 1)
    char_sim = _dice(*_intersections(*(_char_grams([" " + " ".join(f) + " " for f in forms])
                                       for forms in (src_forms, cpy_forms)), len(source), len(copy)))
    sim = WORD_WEIGHT * word_sim + (1.0 - WORD_WEIGHT) * char_sim
    sim = np.where(_exact_matches(source, copy), 1.0, np.minimum(sim, 0.999))
    return sim, copy_in_source, source_in_copy


def _exact_matches(source: Sequence[str], copy: Sequence[str]) -> np.ndarray:
    out = np.zeros((len(source), len(copy)), dtype=bool)
    where: dict[str, list[int]] = {}
    for j, s in enumerate(copy):
        where.setdefault(s, []).append(j)
    for i, s in enumerate(source):
        for j in where.get(s, ()):
            out[i, j] = True
    return out


def sentence_similarity(source: Sequence[str], copy: Sequence[str]) -> np.ndarray:
    """Similarity in 0..1 of every source sentence with every copy sentence, [len(source), len(copy)].

    1.0 only for identical sentences; paraphrases and translations back and forth usually score
    0.4-0.8, unrelated sentences on the same topic below 0.3.
    """
    return _similarity_and_containment(source, copy)[0]


@dataclass(frozen=True)
class SentenceFeatures:
    """The similarity features of a text's sentences, computed once and compared with many texts
    (the verification stage compares one document with several candidates). Each is a (sentence,
    key) array pair made distinct and sorted by key, ready for the join."""

    words: tuple[np.ndarray, np.ndarray]  # (sentence, content-word stem key) pairs
    grams: tuple[np.ndarray, np.ndarray]  # (sentence, character trigram key) pairs
    sentences: tuple[str, ...]


def sentence_features(sentences: Sequence[str]) -> SentenceFeatures:
    forms = _sentence_forms(sentences)
    lengths = np.fromiter(map(len, forms), dtype=np.int64, count=len(forms))
    keys = np.fromiter(map(_STEM_KEYS.__getitem__, chain.from_iterable(forms)), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(forms), dtype=np.int64), lengths)
    content = keys >= 0  # a sentence of stopwords only is compared by all its words (`_word_features`)
    keep = content | (np.bincount(rows[content], minlength=len(forms)) == 0)[rows]
    stems = np.where(content, keys, -1 - keys)[keep]
    grams = _char_grams([" " + " ".join(f) + " " for f in forms])
    return SentenceFeatures(_unique_pairs(rows[keep], stems), _unique_grams(*grams), tuple(sentences))


def _sentence_forms(sentences: Sequence[str]) -> list[list[str]]:
    """`[_words(s) for s in sentences]`; on ASCII sentences (NFKC leaves them alone and case
    folding is lower-casing) the sentences are lower-cased at once and each one's words found in place."""
    joined = "\n".join(sentences)  # (a line break is no part of a word)
    if not joined.isascii():
        return [_words(s) for s in sentences]
    low, findall = joined.lower(), _FEATURE_WORD_RE.findall
    out, start = [], 0
    for s in sentences:
        out.append(findall(low, start, start + len(s)))
        start += len(s) + 1
    return out


class _StemKeys(dict):
    """word -> the key of its stem in `sentence_features` (crc32 of its first STEM_LENGTH letters),
    as -1 - key for a stopword; remembered for the first _STEM_MEMO words met."""

    def __missing__(self, word: str) -> int:
        key = zlib.crc32(word[:STEM_LENGTH].encode("utf-8"))
        if word in STOPWORDS:
            key = -1 - key
        if len(self) < _STEM_MEMO:
            self[word] = key
        return key


_STEM_MEMO = 50_000
_STEM_KEYS = _StemKeys()


def feature_similarity(a: SentenceFeatures, b: SentenceFeatures) -> np.ndarray:
    """sentence_similarity(a's sentences, b's sentences) from their precomputed features."""
    n, m = len(a.sentences), len(b.sentences)
    if not n or not m:
        return np.zeros((n, m))
    word_sim = _dice(*_sorted_intersections(a.words, b.words, n, m))
    char_sim = _dice(*_sorted_intersections(a.grams, b.grams, n, m))
    sim = WORD_WEIGHT * word_sim + (1.0 - WORD_WEIGHT) * char_sim
    return np.where(_exact_matches(a.sentences, b.sentences), 1.0, np.minimum(sim, 0.999))


def _in_order_chain(sim: np.ndarray, min_similarity: float) -> list[tuple[int, int]]:
    """The in-order chain (strictly increasing in both texts) of pairs at or above min_similarity
    with the greatest total similarity: heaviest increasing subsequence with a Fenwick tree."""
    rows, cols = np.nonzero(sim >= min_similarity)
    if rows.size == 0:
        return []
    order = np.lexsort((-cols, rows))  # by source, and within one source by copy descending
    rows, cols = rows[order], cols[order]
    weights = sim[rows, cols]
    size = sim.shape[1]
    tree_value = [0.0] * (size + 1)
    tree_index = [-1] * (size + 1)
    best = np.zeros(rows.size)
    back = [-1] * rows.size
    for k in range(rows.size):
        j = int(cols[k])
        value, index, pos = 0.0, -1, j  # best chain ending at a copy index < j
        while pos > 0:
            if tree_value[pos] > value:
                value, index = tree_value[pos], tree_index[pos]
            pos -= pos & -pos
        best[k] = value + weights[k]
        back[k] = index
        pos = j + 1
        while pos <= size:
            if best[k] > tree_value[pos]:
                tree_value[pos], tree_index[pos] = best[k], k
            pos += pos & -pos
    k = int(np.argmax(best))
    chain = []
    while k >= 0:
        chain.append((int(rows[k]), int(cols[k])))
        k = back[k]
    return chain[::-1]


def _attach_parts(pairs: dict[tuple[int, int], float], sim: np.ndarray, contain: np.ndarray,
                  used_self: set[int], self_count: int, transpose: bool, min_similarity: float) -> None:
    """Attach unaligned sentences of one side to the sentence their neighbour is aligned with when
    most of their content comes from it (a sentence split in two, or two merged into one)."""
    changed = True
    while changed:
        changed = False
        anchors = {}
        for (i, j) in pairs:
            own, other = (j, i) if transpose else (i, j)
            anchors.setdefault(own, other)
        for k in range(self_count):
            if k in used_self:
                continue
            for neighbour in (k - 1, k + 1):
                other = anchors.get(neighbour)
                if other is None:
                    continue
                key = (other, k) if transpose else (k, other)
                if contain[key] >= MIN_PART_CONTAINMENT and sim[key] >= 0.8 * min_similarity:
                    pairs[key] = float(sim[key])
                    used_self.add(k)
                    changed = True
                    break


def align(source: Sequence[str], copy: Sequence[str], *, min_similarity: float = MIN_SIMILARITY,
          min_moved_similarity: float = MIN_MOVED_SIMILARITY) -> tuple[SentencePair, ...]:
    """Align source and copy sentences.

    Returns every source and every copy sentence at least once: aligned pairs (in order, or moved),
    source sentences with copy=None (removed) and copy sentences with source=None (added). A source
    sentence split into neighbouring copy sentences appears in several pairs (and likewise for
    merges). Pairs come in reading order: by copy sentence, removed ones after the in-order pair
    that precedes them in the source.
    """
    sim, copy_in_source, source_in_copy = _similarity_and_containment(source, copy)
    chain = _in_order_chain(sim, min_similarity) if sim.size else []
    pairs: dict[tuple[int, int], float] = {(i, j): float(sim[i, j]) for i, j in chain}
    used_source = {i for i, _ in chain}
    used_copy = {j for _, j in chain}
    if sim.size:
        _attach_parts(pairs, sim, copy_in_source, used_copy, len(copy), True, min_similarity)
        _attach_parts(pairs, sim, source_in_copy, used_source, len(source), False, min_similarity)
    moved: dict[tuple[int, int], float] = {}
    if sim.size:
        rows, cols = np.nonzero(sim >= max(min_similarity, min_moved_similarity))
        candidates = sorted(zip(rows.tolist(), cols.tolist()),
                            key=lambda p: (-sim[p], abs(p[0] - p[1]), p))
        for i, j in candidates:
            if i not in used_source and j not in used_copy:
                moved[(i, j)] = float(sim[i, j])
                used_source.add(i)
                used_copy.add(j)
    return _reading_order(pairs, moved, len(source), len(copy))


def _reading_order(pairs: dict[tuple[int, int], float], moved: dict[tuple[int, int], float],
                   n_source: int, n_copy: int) -> tuple[SentencePair, ...]:
    keyed: list[tuple[tuple, SentencePair]] = []
    aligned_source = {i for i, _ in pairs} | {i for i, _ in moved}
    aligned_copy = {j for _, j in pairs} | {j for _, j in moved}
    for (i, j), s in pairs.items():
        keyed.append(((j, 0, i), SentencePair(i, j, round(s, 4), False)))
    for (i, j), s in moved.items():
        keyed.append(((j, 0, i), SentencePair(i, j, round(s, 4), True)))
    for j in range(n_copy):
        if j not in aligned_copy:
            keyed.append(((j, 0, -1), SentencePair(None, j, 0.0, False)))
    in_order = sorted(pairs)
    for i in range(n_source):
        if i in aligned_source:
            continue
        before = [j for (si, j) in in_order if si < i]
        keyed.append(((max(before) if before else -1, 1, i), SentencePair(i, None, 0.0, False)))
    keyed.sort(key=lambda item: item[0])
    return tuple(pair for _, pair in keyed)
