"""LSH candidates: banding of MinHash signatures with datasketch's parameter choice.

Each band of r rows of every signature is hashed to one 64-bit key; documents sharing a key in any
band are candidates. Bands are sorted with numpy, so the whole index is a few array passes, not a
Python dict of buckets. A bucket larger than `max_bucket` (hundreds of verbatim copies, or texts
that are nothing but furniture) is linked as a star to its first member instead of all its pairs,
which keeps it connected without a quadratic number of pairs.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator, Mapping, Sequence

import numpy as np

from .types import Candidate


@lru_cache(maxsize=32)
def lsh_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) as datasketch's MinHashLSH chooses them: of every b bands of r rows with
    b * r <= num_perm (b, then r, ascending; the first least wins), the one least in half the false
    positive plus half the false negative probability mass, the integrals of 1 - (1 - s**r)**b below
    and of (1 - s**r)**b above the threshold. Each is a polynomial in s of degree b * r, which
    Gauss-Legendre quadrature on num_perm // 2 + 1 nodes integrates exactly, all (b, r) at once
    (datasketch integrates each with scipy's quad: importing it and scipy cost each worker process
    about half a second). Equal to datasketch's choice: tests/test_index.py."""
    b, r = np.array([(b, r) for b in range(1, num_perm + 1) for r in range(1, num_perm // b + 1)], dtype=np.float64).T
    x, w = np.polynomial.legendre.leggauss(num_perm // 2 + 1)

    def mass(lo: float, hi: float, collide: bool) -> np.ndarray:
        s = (hi - lo) / 2 * (x + 1) + lo  # the nodes mapped onto [lo, hi]
        missed = (1 - s[None, :] ** r[:, None]) ** b[:, None]  # chance that no band collides
        return ((1 - missed) if collide else missed) @ w * (hi - lo) / 2

    error = 0.5 * mass(0.0, threshold, True) + 0.5 * mass(threshold, 1.0, False)
    k = int(np.argmin(error))
    return int(b[k]), int(r[k])


def band_keys(signatures: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """[n_docs, bands] uint64 keys; equal keys mean equal bands (up to 64-bit collisions)."""
    n = signatures.shape[0]
    keys = np.empty((n, bands), dtype=np.uint64)
    sig = signatures.astype(np.uint64)
    with np.errstate(over="ignore"):
        for band in range(bands):
            acc = np.full(n, np.uint64(band + 1) * np.uint64(0x9E3779B97F4A7C15), dtype=np.uint64)
            for col in range(band * rows, (band + 1) * rows):
                acc = (acc ^ sig[:, col]) * np.uint64(0x100000001B3)
            keys[:, band] = acc ^ (acc >> np.uint64(29))
    return keys


def stable_order(keys: np.ndarray) -> np.ndarray:
    """`np.argsort(keys, kind="stable")` of uint64 keys, found by sorting values: each key with its
    position in the bits below the positions' width (a sort of values is ~10x faster than a stable
    argsort here). That order is the stable one unless two different keys agree above those bits,
    which is checked (then the stable argsort is used)."""
    n = len(keys)
    bits = max(1, (n - 1).bit_length())
    if n < 2 or bits > 40 or keys.dtype != np.uint64:
        return np.argsort(keys, kind="stable")
    low = np.uint64((1 << bits) - 1)
    packed = keys & ~low  # (in place from here: a band part's arrays are large)
    packed |= np.arange(n, dtype=np.uint64)
    packed.sort()
    order = (packed & low).view(np.int64)  # (positions are below 2**40)
    packed &= ~low  # each key's high bits, in order
    same = packed[1:] == packed[:-1]
    del packed
    ordered = keys[order]
    same &= ordered[1:] != ordered[:-1]
    if same.any():  # (one run of high bits holding two keys)
        return np.argsort(keys, kind="stable")
    return order


def candidate_pairs(signatures: np.ndarray, threshold: float, *, max_bucket: int = 200,
                    skip: np.ndarray | None = None) -> np.ndarray:
    """Candidate pairs (i < j, as an [m, 2] int64 array, sorted, unique) of rows of `signatures`.

    `skip` marks rows that take no part (e.g. documents with no shingles at all)."""
    n, num_perm = signatures.shape
    if n < 2:
        return np.zeros((0, 2), dtype=np.int64)
    bands, rows = lsh_params(threshold, num_perm)
    keys = band_keys(signatures, bands, rows)
    active = np.arange(n) if skip is None else np.flatnonzero(~skip)
    found = []
    for band in range(bands):
        k = keys[active, band]
        order = stable_order(k)
        k_sorted = k[order]
        starts = np.concatenate(([0], np.flatnonzero(np.diff(k_sorted)) + 1))
        sizes = np.diff(np.concatenate((starts, [len(k_sorted)])))
        found.append(bucket_pairs(active[order], starts, sizes, max_bucket))
    pairs = np.concatenate(found).astype(np.int64)
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    keys, _ = _unique_counts(np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1]))
    return np.stack([keys // n, keys % n], axis=1)


def bucket_pairs(members: np.ndarray, starts: np.ndarray, sizes: np.ndarray, max_bucket: int) -> np.ndarray:
    """Pairs [m, 2] of the members of every bucket (members[start:start + size], sorted by key):
    all pairs of a bucket of up to `max_bucket` members, a star on its first member above that."""
    found = [np.zeros((0, 2), dtype=np.int64)]
    for size in np.unique(sizes[sizes > 1]):
        group = members[starts[sizes == size][:, None] + np.arange(size)[None, :]]  # [buckets, size]
        if size > max_bucket:  # star: every member with the bucket's first
            first = np.repeat(group[:, :1], size - 1, axis=1).ravel()
            found.append(np.stack([first, group[:, 1:].ravel()], axis=1))
        else:
            i, j = np.triu_indices(int(size), k=1)
            found.append(np.stack([group[:, i].ravel(), group[:, j].ravel()], axis=1))
    return np.concatenate(found).astype(np.int64)


def candidates(ids: Sequence[str], signatures: np.ndarray, threshold: float, via: str, *,
               max_bucket: int = 200, skip: np.ndarray | None = None) -> list[Candidate]:
    """The candidate pairs as records keyed by id (a < b in sort order).

    Rows are taken in id order, so a star-linked bucket is centred on its smallest id and the
    pairs do not depend on the order of the input."""
    order = sorted(range(len(ids)), key=ids.__getitem__)
    ranked = [ids[i] for i in order]
    pairs = candidate_pairs(signatures[order], threshold, max_bucket=max_bucket,
                            skip=None if skip is None else skip[order])
    return [Candidate(ranked[i], ranked[j], via) for i, j in pairs.tolist()]


# Evidence asked of two documents' colliding sentences beyond their number (see sentence_candidates).
SENTENCE_MIN_BANDS = 2
SENTENCE_MIN_FRACTION = 0.25


def sentence_candidates(ids: Sequence[str], sentence_keys: Sequence[np.ndarray], *, min_shared: int = 2,
                        max_bucket: int = 200, min_bands: int = 1, min_fraction: float = 0.0,
                        clique: int | None = None) -> list[Candidate]:
    """Documents that share at least `min_shared` colliding sentences (one, when either document has
    fewer than `min_shared` indexed sentences): copies cut short, partial copies and paraphrases.

    A bucket of more than `max_bucket` sentences is a formula repeated across the corpus and is
    skipped; one of more than `clique` (a formula, or a story with many copies) is linked as a
    star on the sentence of its smallest id, not with all its pairs: the pairs of such buckets
    grow with the square of the corpus (on 300,000 generated articles, whose groups have at most 7
    documents, buckets of 21 to 200 sentences gave 51 of the 91 million colliding pairs).

    Two unrelated articles' sentences collide by chance in one band when they share a few common
    content words, and the number of such pairs grows with the square of the corpus: on 10,000
    generated articles, 8,625 of the 9,755 pairs found by sentences alone were unrelated (0.2 per
    document at 2,000, 0.86 at 10,000), each costing a full rewrite verification. Copied or
    paraphrased sentences collide in several bands. So a pair is kept only when one of its
    sentence pairs collides in at least `min_bands` bands, or its colliding sentences are at least
    `min_fraction` of the indexed sentences of the document that has fewer (pipeline values:
    SENTENCE_MIN_BANDS, SENTENCE_MIN_FRACTION; the defaults keep every pair)."""
    counts = np.array([len(k) for k in sentence_keys], dtype=np.int64)
    if counts.sum() == 0:
        return []
    keys = np.concatenate([k for k in sentence_keys if len(k)])
    doc = np.repeat(np.arange(len(ids)), counts)
    rank = np.empty(len(ids), dtype=np.int64)
    rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
    found = np.concatenate([sentence_band_pairs(keys[:, band], max_bucket, ranks=rank[doc], clique=clique)
                            for band in range(keys.shape[1])])
    pairs = sentence_shard_pairs(found, doc, counts, len(ids), min_shared=min_shared,
                                 min_bands=min_bands, min_fraction=min_fraction)
    out = []
    for (i, j) in pairs.tolist():
        a, b = (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i])
        out.append(Candidate(a, b, "sentences"))
    return out


def _unique_counts(keys: np.ndarray, in_place: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values of a 1-D integer array and how often each occurs (a sort and a mask;
    `in_place` sorts `keys` itself instead of a copy)."""
    if in_place:
        keys.sort()
    else:
        keys = np.sort(keys)
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return keys[starts], np.diff(np.append(starts, len(keys)))


# -- the same indexes band by band, for a corpus whose keys are on disk ----------------------------
# `candidate_pairs` and `sentence_candidates` hold every band of every document at once. The scan
# instead runs one band at a time on a worker (`band_pair_codes`, `sentence_band_pairs`), then
# reduces the colliding sentence pairs in shards of documents (`sentence_shard_pairs`); the pairs
# are exactly those of the whole-corpus functions (tests/test_index_bands.py).

def band_pair_codes(keys: np.ndarray, active: np.ndarray, max_bucket: int) -> np.ndarray:
    """One band of `candidate_pairs`: `keys` are the band's keys in rank order (rank = position of
    the id in sorted order), `active` the ranks that take part. Returns the band's pairs as sorted
    unique codes i * n + j (i < j, n = len(keys))."""
    n = len(keys)
    k = keys[active]
    order = stable_order(k)
    k_sorted = k[order]
    starts = np.concatenate(([0], np.flatnonzero(np.diff(k_sorted)) + 1)) if len(k) else np.zeros(0, np.int64)
    sizes = np.diff(np.concatenate((starts, [len(k_sorted)])))
    pairs = bucket_pairs(active[order], starts, sizes, max_bucket)
    codes = np.minimum(pairs[:, 0], pairs[:, 1]) * n + np.maximum(pairs[:, 0], pairs[:, 1])
    return _unique_counts(codes)[0]


def sentence_band_pairs(keys: np.ndarray, max_bucket: int, ranks: np.ndarray | None = None,
                        clique: int | None = None) -> np.ndarray:
    """One band of `sentence_candidates`: the colliding sentence pairs of the band's keys (one per
    sentence, sentences numbered in document order), each as (smaller << 32) | larger, uint64."""
    return np.concatenate([np.zeros(0, dtype=np.uint64),
                           *sentence_band_pair_chunks(keys, max_bucket, ranks=ranks, clique=clique)])


def sentence_band_pair_chunks(keys: np.ndarray, max_bucket: int, chunk: int = 1 << 22, *,
                              ranks: np.ndarray | None = None, clique: int | None = None) -> Iterator[np.ndarray]:
    """`sentence_band_pairs` in pieces of about `chunk` pairs (at most one bucket size's worth
    more), so that a caller can write them out without holding the band's pairs all at once.

    A bucket of up to `clique` sentences gives all its pairs; a larger one (up to `max_bucket`) a
    star on its sentence of smallest `ranks` (the id rank of the sentence's document: the centre
    does not depend on the input order; among one document's sentences, its first)."""
    order = stable_order(keys)
    k_sorted = keys[order]
    if len(k_sorted) == 0:
        return
    starts = np.concatenate(([0], np.flatnonzero(np.diff(k_sorted)) + 1))
    del k_sorted
    sizes = np.diff(np.concatenate((starts, [len(keys)])))
    for size in np.unique(sizes[(sizes > 1) & (sizes <= max_bucket)]).tolist():
        firsts = starts[sizes == size]
        star = clique is not None and ranks is not None and size > clique
        per_bucket = size - 1 if star else size * (size - 1) // 2
        if not star:
            i, j = np.triu_indices(size, k=1)
        step = max(1, chunk // per_bucket)
        for lo in range(0, len(firsts), step):
            members = order[firsts[lo : lo + step][:, None] + np.arange(size)[None, :]]
            if star:
                centre = np.argmin(ranks[members], axis=1)  # first of the smallest: bucket order is position order
                rest = np.arange(size)[None, :] != centre[:, None]
                first = np.repeat(members[np.arange(len(members)), centre], size - 1).astype(np.uint64)
                second = members[rest].astype(np.uint64)
            else:
                members = members.astype(np.uint64)
                first, second = members[:, i].ravel(), members[:, j].ravel()
            yield (np.minimum(first, second) << np.uint64(32)) | np.maximum(first, second)


def sentence_shard_pairs(found: np.ndarray, doc: np.ndarray, counts: np.ndarray, n_docs: int, *,
                         min_shared: int = 2, min_bands: int = 1, min_fraction: float = 0.0) -> np.ndarray:
    """The document pairs [m, 2] (i < j, document indices) that `sentence_candidates` keeps, from the
    colliding sentence pairs of every band (`found`, sorted in place) whose first sentence belongs to
    a document of one shard: every sentence pair of a document pair (i, j) has its first sentence in
    document i, so shards of first documents reduce apart. `doc`: document of each sentence;
    `counts`: indexed sentences of each document."""
    if len(found) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    sent_pairs, bands_hit = _unique_counts(found, in_place=True)
    sa = (sent_pairs >> np.uint64(32)).astype(np.int64)
    sb = (sent_pairs & np.uint64(0xFFFFFFFF)).astype(np.int64)
    da, db = doc[sa], doc[sb]
    other = da != db
    sa, da, db, bands_hit = sa[other], da[other], db[other], bands_hit[other]
    n = np.int64(n_docs)
    sent_doc, _ = _unique_counts(sa * n + db)  # sentences number in document order: da < db
    pair_keys, shared = _unique_counts(doc[sent_doc // n] * n + sent_doc % n)
    pairs = np.stack([pair_keys // n, pair_keys % n], axis=1)
    fewer = np.minimum(counts[pairs[:, 0]], counts[pairs[:, 1]])
    keep = shared >= np.minimum(min_shared, np.maximum(1, fewer))
    if min_bands > 1 or min_fraction > 0:
        strongest = np.zeros(len(pairs), dtype=np.int64)  # most bands any of a pair's sentence pairs hit
        np.maximum.at(strongest, np.searchsorted(pair_keys, da * n + db), bands_hit)
        # a single sentence may do when it is both: colliding in several bands, and a large share of
        # the shorter document's indexed sentences (a short digest, a copy cut after a few lines)
        strong, large = strongest >= min_bands, shared >= min_fraction * np.maximum(1, fewer)
        keep = (keep & (strong | large)) | (strong & large)
    return pairs[keep]


def pairs_by_component(codes: np.ndarray, n_docs: int) -> np.ndarray:
    """Positions of the pairs (codes i * n_docs + j), those of one connected component of the pairs'
    graph together, in their order within it: verification batches taken in this order hold most
    pairs of the documents they read, whose texts they read and profile once."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if len(codes) < 2:
        return np.arange(len(codes))
    a, b = codes // n_docs, codes % n_docs
    graph = coo_matrix((np.ones(len(codes), dtype=np.int8), (a, b)), shape=(n_docs, n_docs))
    _, label = connected_components(graph.tocsr(), directed=False)
    return np.lexsort((np.arange(len(codes)), label[a]))


def named_pairs(by_via: Mapping[str, np.ndarray], order: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Each pair (rank code) the indexes proposed once, in increasing order, and the place in
    `order` of the first index that proposed it (as dedup.verify.one_per_pair names them)."""
    if not by_via:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    pairs = np.unique(np.concatenate(list(by_via.values())))
    via = np.full(len(pairs), -1, dtype=np.int64)
    for v, name in reversed(list(enumerate(order))):
        if name in by_via:
            via[np.isin(pairs, by_via[name], assume_unique=True)] = v
    return pairs, via
