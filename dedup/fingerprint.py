"""Shingles and MinHash signatures, computed in vectorised batches.

Hashing never loops over shingles in Python: the words of a whole batch of documents are joined
into one byte string and every word's hash is a polynomial over its bytes computed with prefix sums
(uint64 arithmetic wraps, which is the modulus). Shingle hashes combine k word hashes the same way;
MinHash applies datasketch's "affine32" permutations (MurmurHash3 finaliser, then a*h + b in
uint32) to every shingle of the batch at once and takes the minimum per document.

`shingle_hash` is the same function for one shingle, in plain Python: a datasketch MinHash built
with `hashfunc=shingle_hash` over a document's shingles has exactly the values of its signature
here (tests/test_fingerprint.py proves it).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Sequence

import numpy as np

from .config import Config
from .stopwords import stopword_hashes
from .types import Fingerprint

_MASK64 = (1 << 64) - 1
_BYTE_BASE = 0x100000001B3  # odd: invertible modulo 2**64
_BYTE_BASE_INV = pow(_BYTE_BASE, -1, 1 << 64)
_WORD_BASE = 0x9E3779B97F4A7C15
_SEPARATOR = "\x1f"  # joins the words of a batch; never inside a word (not a letter or digit)
MAX_HASH = np.uint32(0xFFFFFFFF)


# -- the reference, one value at a time ---------------------------------------------------------
def _fmix64_int(h: int) -> int:
    h ^= h >> 33
    h = (h * 0xFF51AFD7ED558CCD) & _MASK64
    h ^= h >> 33
    h = (h * 0xC4CEB9FE1A85EC53) & _MASK64
    return h ^ (h >> 33)


def word_hash(word: str) -> int:
    """64-bit hash of one normalised word (the reference for `word_hashes`)."""
    h, power = 0, 1
    for byte in word.encode("utf-8"):
        h = (h + (byte + 1) * power) & _MASK64
        power = (power * _BYTE_BASE) & _MASK64
    return _fmix64_int(h)


def shingle_hash(shingle: Sequence[str]) -> int:
    """32-bit hash of one shingle (a sequence of normalised words): datasketch's `hashfunc`."""
    acc = 0
    for word in shingle:
        acc = (acc * _WORD_BASE + word_hash(word)) & _MASK64
    return _fmix64_int(acc) >> 32


# -- the vectorised path ------------------------------------------------------------------------
@lru_cache(maxsize=8)
def _powers(n: int) -> tuple[np.ndarray, np.ndarray]:
    with np.errstate(over="ignore"):
        pw = np.empty(n, dtype=np.uint64)
        inv = np.empty(n, dtype=np.uint64)
        pw[0] = inv[0] = 1
        if n > 1:
            pw[1:] = np.uint64(_BYTE_BASE)
            inv[1:] = np.uint64(_BYTE_BASE_INV)
            np.cumprod(pw, out=pw)
            np.cumprod(inv, out=inv)
    return pw, inv


def _powers_for(n: int) -> tuple[np.ndarray, np.ndarray]:
    size = 1 << max(16, (n - 1).bit_length())  # cache by power of two so batches reuse them
    pw, inv = _powers(size)
    return pw[:n], inv[:n]


def _fmix64(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xFF51AFD7ED558CCD)
        h = h ^ (h >> np.uint64(33))
        h = h * np.uint64(0xC4CEB9FE1A85EC53)
        return h ^ (h >> np.uint64(33))


def _fmix32(h: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint32(16))
        h = h * np.uint32(0x85EBCA6B)
        h = h ^ (h >> np.uint32(13))
        h = h * np.uint32(0xC2B2AE35)
        return h ^ (h >> np.uint32(16))


WORD_CHUNK = 1 << 17  # words hashed together: ~1 MB of text, so the power tables and temporaries stay small


def word_hashes(word_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of every word of every list, concatenated, and the offsets where each list starts
    (len(word_lists) + 1 of them). Words are hashed WORD_CHUNK at a time (a word's hash depends
    on its bytes only), which bounds memory whatever the size of the batch."""
    counts = np.fromiter((len(w) for w in word_lists), dtype=np.int64, count=len(word_lists))
    offsets = np.zeros(len(word_lists) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    total = int(offsets[-1])
    if total == 0:
        return np.zeros(0, dtype=np.uint64), offsets
    flat = [w for ws in word_lists for w in ws]
    out = np.empty(total, dtype=np.uint64)
    for lo in range(0, total, WORD_CHUNK):
        out[lo : lo + WORD_CHUNK] = _hash_words(flat[lo : lo + WORD_CHUNK])
    return out, offsets


def _hash_words(words: Sequence[str]) -> np.ndarray:
    joined = _SEPARATOR.join(words).encode("utf-8")
    data = np.frombuffer(joined, dtype=np.uint8)
    ends = np.flatnonzero(data == ord(_SEPARATOR))
    starts = np.concatenate(([0], ends + 1))
    ends = np.concatenate((ends, [len(data)]))
    return span_hashes(joined, starts, ends)


SPAN_BYTES = 1 << 20  # bytes of text hashed together by span_hashes (power tables stay small)


def span_hashes(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """The `word_hash` of each word data[starts[i]:ends[i]] (UTF-8; starts never decrease), as
    `word_hashes` computes them, but over the text in place: no string per word, no joining. The
    prefix sums run over about SPAN_BYTES bytes at a time."""
    out = np.empty(len(starts), dtype=np.uint64)
    codes = np.frombuffer(data, dtype=np.uint8)
    lo = 0
    while lo < len(starts):
        base = int(starts[lo])
        hi = max(lo + 1, int(np.searchsorted(ends, base + SPAN_BYTES, side="right")))
        piece = codes[base : int(ends[hi - 1])]
        pw, inv = _powers_for(len(piece) + 1)
        with np.errstate(over="ignore"):
            values = piece.astype(np.uint64)
            values += np.uint64(1)
            values *= pw[: len(piece)]
            prefix = np.zeros(len(piece) + 1, dtype=np.uint64)
            np.cumsum(values, out=prefix[1:])
            first, last = starts[lo:hi] - base, ends[lo:hi] - base
            out[lo:hi] = _fmix64((prefix[last] - prefix[first]) * inv[first])
        lo = hi
    return out


def shingle_hashes(hashes: np.ndarray, offsets: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """32-bit hashes of the k-word shingles of every document (never across two documents).

    A document with fewer than k words (but at least one) has one shingle of all its words.
    Returns the hashes and, for each one, the index of its document."""
    n_docs = len(offsets) - 1
    counts = np.diff(offsets)
    doc_of_word = np.repeat(np.arange(n_docs), counts)
    out_hash, out_doc = [], []
    with np.errstate(over="ignore"):
        if len(hashes) >= k:
            width = len(hashes) - k + 1  # the shingle starting at each word
            acc = hashes[:width].copy()
            for j in range(1, k):
                acc *= np.uint64(_WORD_BASE)
                acc += hashes[j : j + width]
            same_doc = doc_of_word[:width] == doc_of_word[k - 1 :]
            out_hash.append(acc[same_doc])
            out_doc.append(doc_of_word[:width][same_doc])
        short = np.flatnonzero((counts > 0) & (counts < k))
        for d in short:  # few and tiny: the documents shorter than one shingle
            acc = np.uint64(0)
            for h in hashes[offsets[d] : offsets[d + 1]]:
                acc = acc * np.uint64(_WORD_BASE) + h
            out_hash.append(np.array([acc], dtype=np.uint64))
            out_doc.append(np.array([d]))
    if not out_hash:
        return np.zeros(0, dtype=np.uint32), np.zeros(0, dtype=np.int64)
    full = _fmix64_in_place(np.concatenate(out_hash) if len(out_hash) > 1 else out_hash[0]) >> np.uint64(32)
    return full.astype(np.uint32), (np.concatenate(out_doc) if len(out_doc) > 1 else out_doc[0]).astype(np.int64)


def _fmix64_in_place(h: np.ndarray) -> np.ndarray:
    """`_fmix64` of a fresh array, computed in it."""
    tmp = np.empty_like(h)
    with np.errstate(over="ignore"):
        for multiplier in (np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53)):
            np.right_shift(h, np.uint64(33), out=tmp)
            h ^= tmp
            h *= multiplier
        np.right_shift(h, np.uint64(33), out=tmp)
        h ^= tmp
    return h


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's affine32 permutation parameters (a, b) for this seed: h -> a * h + b mod 2**32,
    `a` odd, both drawn from numpy's RandomState(seed) as datasketch's MinHash draws them (equal to
    its `permutations`: tests/test_fingerprint.py). Drawn here rather than asked of datasketch,
    whose import (scipy with it) cost each worker process about half a second."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


def unique_per_document(values: np.ndarray, doc: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values of each document, as one array and the offsets of each document."""
    # (grouped by document already: the stable sort, a merge of runs, is about twice as fast)
    keys = np.sort((doc.astype(np.uint64) << np.uint64(32)) | values.astype(np.uint64), kind="stable")
    if len(keys) > 1:  # a sort and a mask: np.unique's hash table is ~20x slower on these keys
        first = np.empty(len(keys), dtype=bool)
        first[0] = True
        np.not_equal(keys[1:], keys[:-1], out=first[1:])
        keys = keys[first]
    uniq_doc = (keys >> np.uint64(32)).astype(np.int64)
    offsets = np.searchsorted(uniq_doc, np.arange(n_docs + 1))
    return (keys & np.uint64(0xFFFFFFFF)).astype(np.uint32), offsets


def minhash(values: np.ndarray, offsets: np.ndarray, num_perm: int, seed: int,
            chunk: int = 4096) -> np.ndarray:
    """MinHash signatures [n_docs, num_perm] (uint32) of the value sets values[offsets[i]:offsets[i+1]].
    An empty set has datasketch's empty signature (all 0xFFFFFFFF).

    Whole documents are taken in chunks of about `chunk` values; each chunk's permuted values are
    computed into one reused [num_perm, width] buffer (small enough to stay in cache) and reduced
    along its rows, which is several times faster than [width, num_perm] with a reduce down columns."""
    a, b = permutations(num_perm, seed)
    n_docs = len(offsets) - 1
    out = np.full((n_docs, num_perm), MAX_HASH, dtype=np.uint32)
    nonempty = np.flatnonzero(np.diff(offsets) > 0)
    if len(nonempty) == 0:
        return out
    mixed = _fmix32(values.astype(np.uint32))
    starts, ends = offsets[nonempty], offsets[nonempty + 1]
    group = (starts - starts[0]) // chunk
    cuts = np.flatnonzero(np.diff(group)) + 1
    bounds = np.concatenate(([0], cuts, [len(nonempty)]))
    buffer = np.empty((num_perm, 2 * chunk), dtype=np.uint32)
    a_col, b_col = a[:, None], b[:, None]
    for g0, g1 in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        lo, hi = int(starts[g0]), int(ends[g1 - 1])
        width = hi - lo
        buf = buffer[:, :width] if width <= buffer.shape[1] else np.empty((num_perm, width), dtype=np.uint32)
        np.multiply(a_col, mixed[None, lo:hi], out=buf)
        np.add(buf, b_col, out=buf)
        out[nonempty[g0:g1]] = np.minimum.reduceat(buf, starts[g0:g1] - lo, axis=1).T
    return out


@lru_cache(maxsize=1)
def _stopword_table() -> tuple[int, np.ndarray, np.ndarray]:
    """A direct table of the stopword hashes: (shift, present, hash) such that a hash h is a
    stopword's exactly when present[i] and hash[i] == h for i = (h >> shift) & 0xFFFF (a shift where
    no two stopwords share a slot)."""
    stop = stopword_hashes()
    for shift in range(0, 49):
        slots = (stop >> np.uint64(shift)) & np.uint64(0xFFFF)
        if len(np.unique(slots)) == len(stop):
            present = np.zeros(1 << 16, dtype=bool)
            table = np.zeros(1 << 16, dtype=np.uint64)
            present[slots] = True
            table[slots] = stop
            return shift, present, table
    raise ValueError("no shift separates the stopword hashes")  # (never with a few hundred hashes)


def content_mask(hashes: np.ndarray) -> np.ndarray:
    """Which word hashes are content words (not a stopword nor a single letter)."""
    shift, present, table = _stopword_table()  # a table look-up: a search in the sorted hashes is ~3x slower
    slots = hashes >> np.uint64(shift)
    slots &= np.uint64(0xFFFF)
    slots = slots.astype(np.intp)
    stop = table[slots] == hashes
    stop &= present[slots]
    return ~stop


def _kept_offsets(keep: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    kept_before = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept_before[1:])
    return kept_before[offsets]


def content_words(hashes: np.ndarray, offsets: np.ndarray, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The word hashes with stopwords and single letters left out, and their per-document offsets
    (`keep`: their `content_mask`, when it is already known)."""
    keep = content_mask(hashes) if keep is None else keep
    return hashes[keep], _kept_offsets(keep, offsets)


def sentence_band_keys(c_hashes: np.ndarray, sent_offsets: np.ndarray, config: Config) -> tuple[np.ndarray, np.ndarray]:
    """LSH band keys of the content words of every sentence with at least `min_sentence_words` of
    them: [n_kept, bands] uint64, and the index of each kept sentence."""
    from .index import band_keys

    n_perm = config.sentence_bands * config.sentence_rows
    if n_perm == 0:
        return np.zeros((0, 0), dtype=np.uint64), np.zeros(0, dtype=np.int64)
    sent_of = np.repeat(np.arange(len(sent_offsets) - 1), np.diff(sent_offsets))
    values, offsets = unique_per_document((c_hashes >> np.uint64(32)).astype(np.uint32), sent_of, len(sent_offsets) - 1)
    kept = np.flatnonzero(np.diff(offsets) >= config.min_sentence_words)
    if len(kept) == 0:
        return np.zeros((0, config.sentence_bands), dtype=np.uint64), kept
    sizes = np.diff(offsets)[kept]
    sub_offsets = np.zeros(len(kept) + 1, dtype=np.int64)
    np.cumsum(sizes, out=sub_offsets[1:])
    sel = np.arange(sub_offsets[-1]) + np.repeat(offsets[kept] - sub_offsets[:-1], sizes)
    sigs = minhash(values[sel], sub_offsets, n_perm, config.seed + 7)
    return band_keys(sigs, config.sentence_bands, config.sentence_rows), kept


def fingerprint_texts(ids: Sequence[str], texts: Sequence[str], config: Config) -> list[Fingerprint]:
    """Fingerprints of a batch of texts (already stripped of boilerplate)."""
    from .text_spans import sentence_word_spans

    words = sentence_word_spans(texts)  # every sentence's words, as spans of one byte string
    per_doc = np.asarray(words.text_sentences, dtype=np.int64)
    hashes = span_hashes(words.data, words.starts, words.ends)
    sent_off = np.zeros(len(words.sentence_lengths) + 1, dtype=np.int64)
    np.cumsum(words.sentence_lengths, out=sent_off[1:])
    doc_sent = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(per_doc, out=doc_sent[1:])
    offsets = sent_off[doc_sent]  # word offsets of each document
    sh, sh_doc = shingle_hashes(hashes, offsets, config.shingle_size)
    shingles, sh_off = unique_per_document(sh, sh_doc, len(texts))
    signatures = minhash(shingles, sh_off, config.num_perm, config.seed)
    # content-word pairs (stopwords skipped): shared by a paraphrase far more than 5-word shingles
    keep = content_mask(hashes)
    c_hashes, c_off = content_words(hashes, offsets, keep)
    ft, ft_doc = shingle_hashes(c_hashes, c_off, 2)
    features, ft_off = unique_per_document(ft, ft_doc, len(texts))
    feature_signatures = minhash(features, ft_off, config.num_perm, config.seed)
    # sentences: content words of each one, for sentence-level collisions
    sc_hashes, sc_off = c_hashes, _kept_offsets(keep, sent_off)
    s_keys, s_kept = sentence_band_keys(sc_hashes, sc_off, config)
    s_doc = np.searchsorted(doc_sent, s_kept, side="right") - 1
    s_bounds = np.searchsorted(s_doc, np.arange(len(texts) + 1))
    return [
        Fingerprint(
            id=doc_id,
            n_tokens=int(offsets[i + 1] - offsets[i]),
            shingles=shingles[sh_off[i] : sh_off[i + 1]].copy(),
            signature=signatures[i],
            features=features[ft_off[i] : ft_off[i + 1]].copy(),
            feature_signature=feature_signatures[i],
            sentence_keys=s_keys[s_bounds[i] : s_bounds[i + 1]].copy(),
        )
        for i, doc_id in enumerate(ids)
    ]


def to_datasketch(signature: np.ndarray, seed: int = 1):
    """The signature as a datasketch LeanMinHash, for users who index it with datasketch."""
    from datasketch import LeanMinHash

    return LeanMinHash(seed=seed, hashvalues=signature, scheme="affine32")
