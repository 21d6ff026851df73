"""The band-at-a-time index (what the scan's workers run) gives exactly the whole-corpus index's pairs."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from dedup.index import (band_keys, band_pair_codes, candidate_pairs, lsh_params, sentence_band_pair_chunks, sentence_band_pairs,
                         sentence_candidates, sentence_shard_pairs)


def _signatures(seed: int, n: int, families: int, num_perm: int = 32) -> np.ndarray:
    """n signatures drawn from a few families, so that many rows share bands."""
    rng = np.random.default_rng(seed)
    base = rng.integers(0, 2**32, size=(families, num_perm), dtype=np.uint64).astype(np.uint32)
    sigs = base[rng.integers(0, families, size=n)].copy()
    noise = rng.random(sigs.shape) < 0.3
    sigs[noise] = rng.integers(0, 2**32, size=int(noise.sum()), dtype=np.uint64).astype(np.uint32)
    return sigs


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(0, 60), families=st.integers(1, 6),
       max_bucket=st.integers(2, 12), threshold=st.sampled_from([0.3, 0.5, 0.8]))
def test_bands_one_at_a_time_give_the_whole_index(seed, n, families, max_bucket, threshold):
    sigs = _signatures(seed, n, families)
    skip = np.random.default_rng(seed + 1).random(n) < 0.1
    expected = candidate_pairs(sigs, threshold, max_bucket=max_bucket, skip=skip)
    bands, rows = lsh_params(threshold, sigs.shape[1])
    keys = band_keys(sigs, bands, rows)
    active = np.flatnonzero(~skip)
    codes = [band_pair_codes(keys[:, b], active, max_bucket) for b in range(bands)]
    union = np.unique(np.concatenate(codes)) if codes else np.zeros(0, np.int64)
    got = np.stack([union // max(n, 1), union % max(n, 1)], axis=1) if len(union) else np.zeros((0, 2), np.int64)
    assert got.tolist() == expected.tolist()


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_docs=st.integers(1, 30), n_shards=st.integers(1, 5),
       min_bands=st.sampled_from([1, 2]), min_fraction=st.sampled_from([0.0, 0.25]),
       clique=st.sampled_from([2, 3, 20]))
def test_sentence_pairs_reduced_by_shard_are_the_whole_index(seed, n_docs, n_shards, min_bands, min_fraction,
                                                              clique):
    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 40, size=(25, 4), dtype=np.uint64)  # few distinct keys: many collisions
    keys = [pool[rng.integers(0, len(pool), size=rng.integers(0, 6))] for _ in range(n_docs)]
    perm = rng.permutation(n_docs)  # ids not in input order
    ids = [f"d{int(p):03d}" for p in perm]
    expected = sentence_candidates(ids, keys, min_shared=2, max_bucket=8, min_bands=min_bands,
                                   min_fraction=min_fraction, clique=clique)
    counts = np.array([len(k) for k in keys], dtype=np.int64)
    doc = np.repeat(np.arange(n_docs), counts)
    ranks = perm[doc]  # the id rank of each sentence's document
    flat = np.concatenate(keys)
    found = np.concatenate([sentence_band_pairs(flat[:, b], 8, ranks=ranks, clique=clique)
                            for b in range(flat.shape[1])])
    for b in range(flat.shape[1]):  # in small pieces, the same pairs
        pieces = list(sentence_band_pair_chunks(flat[:, b], 8, chunk=3, ranks=ranks, clique=clique))
        joined = np.concatenate(pieces) if pieces else np.zeros(0, np.uint64)
        whole = sentence_band_pairs(flat[:, b], 8, ranks=ranks, clique=clique)
        assert np.sort(joined).tolist() == np.sort(whole).tolist()
    bounds = np.linspace(0, n_docs, n_shards + 1).astype(np.int64)
    first = doc[(found >> np.uint64(32)).astype(np.int64)]
    pairs = []
    for s in range(n_shards):
        mine = found[(first >= bounds[s]) & (first < bounds[s + 1])].copy()
        pairs += sentence_shard_pairs(mine, doc, counts, n_docs, min_shared=2, min_bands=min_bands,
                                      min_fraction=min_fraction).tolist()
    got = sorted(tuple(sorted((ids[i], ids[j]))) for i, j in pairs)
    assert got == sorted((c.a, c.b) for c in expected)


def test_a_sentence_in_many_documents_links_them_as_a_star_on_the_smallest_id():
    """A sentence shared by more documents than `clique` (a formula, a story with many copies)
    gives one pair per document, all with the smallest id, whatever the input order; two such
    sentences shared by the same documents still make those documents candidates with it."""
    rng = np.random.default_rng(3)
    shared = rng.integers(0, 2**63, size=(2, 4), dtype=np.uint64)
    n = 30
    for order in (np.arange(n), rng.permutation(n)):
        ids = [f"doc{int(i):02d}" for i in order]
        keys = [np.concatenate([shared, rng.integers(0, 2**63, size=(3, 4), dtype=np.uint64)]) for _ in ids]
        star = sentence_candidates(ids, keys, min_shared=2, max_bucket=200, clique=20)
        assert sorted((c.a, c.b) for c in star) == [("doc00", f"doc{i:02d}") for i in range(1, n)]
        every = sentence_candidates(ids, keys, min_shared=2, max_bucket=200)
        assert len(every) == n * (n - 1) // 2


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2**20), st.booleans()), max_size=300),
       st.integers(0, 2**63))
def test_stable_order_is_the_stable_argsort(parts, base):
    """Keys that repeat, and different keys that agree in their high bits (where the positions go):
    the order is np.argsort(kind="stable")'s either way."""
    from dedup.index import stable_order

    keys = np.array([(base + (high << 40)) % 2**64 + (low if mixed else 0) for high, low, mixed in parts],
                    dtype=np.uint64)
    assert stable_order(keys).tolist() == np.argsort(keys, kind="stable").tolist()
    assert stable_order(np.sort(keys)[::-1].copy()).tolist() == np.argsort(np.sort(keys)[::-1], kind="stable").tolist()


def test_stable_order_of_keys_that_differ_only_where_the_positions_go():
    from dedup.index import stable_order

    base = np.uint64(0xABCD_0000_0000_0000)
    keys = np.array([base + np.uint64(2), base + np.uint64(1), base + np.uint64(2), base + np.uint64(1)], dtype=np.uint64)
    assert stable_order(keys).tolist() == [1, 3, 0, 2]
