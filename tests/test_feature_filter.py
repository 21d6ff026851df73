"""The content-word ("features") index can keep a pair only when its documents agree in
FEATURE_MIN_BANDS bands (chance agreement in one band dropped; 1 = every pair, the shipped value).
The whole-corpus index, the scan's band-at-a-time tasks and the Dask engine's key exchange give the
same pairs, whatever the value."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup import batch_tasks as T
from dedup.config import Config
from dedup.engine import partitions as P
from dedup.index import FEATURE_MIN_BANDS, band_keys, candidate_pairs, lsh_params

THRESHOLD = 0.2  # the features index's (Config.feature_threshold)


def brute_force(signatures: np.ndarray, min_bands: int, skip: np.ndarray) -> set[tuple[int, int]]:
    """Every pair of active rows whose band keys are equal in at least `min_bands` bands."""
    bands, rows = lsh_params(THRESHOLD, signatures.shape[1])
    keys = band_keys(signatures, bands, rows)
    n = len(signatures)
    return {(i, j) for i in range(n) for j in range(i + 1, n)
            if not skip[i] and not skip[j] and int((keys[i] == keys[j]).sum()) >= min_bands}


def signatures(seed: int, n: int, values: int, num_perm: int = 16) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, values, size=(n, num_perm)).astype(np.uint32)


def test_a_pair_agreeing_in_one_band_is_dropped_and_one_agreeing_in_two_is_kept():
    bands, rows = lsh_params(THRESHOLD, 128)
    assert (bands, rows) == (28, 2)
    base = np.arange(1000, 1128, dtype=np.uint32)
    one = np.arange(2000, 2128, dtype=np.uint32)
    one[:2] = base[:2]  # the first band only
    two = np.arange(3000, 3128, dtype=np.uint32)
    two[2:6] = base[2:6]  # the second and third bands
    sigs = np.stack([base, one, two])
    assert candidate_pairs(sigs, THRESHOLD).tolist() == [[0, 1], [0, 2]]
    assert candidate_pairs(sigs, THRESHOLD, min_bands=2).tolist() == [[0, 2]]
    assert candidate_pairs(sigs, THRESHOLD, min_bands=FEATURE_MIN_BANDS).tolist() == [[0, 1], [0, 2]]  # off


@settings(max_examples=50, deadline=None)
@given(st.integers(2, 40), st.integers(2, 4), st.integers(1, 3), st.integers(0, 2**31))
def test_the_filtered_index_is_every_pair_agreeing_in_enough_bands(n, values, min_bands, seed):
    sigs = signatures(seed, n, values)
    skip = np.random.default_rng(seed + 1).random(n) < 0.1
    found = candidate_pairs(sigs, THRESHOLD, max_bucket=10_000, skip=skip, min_bands=min_bands)
    assert {tuple(p) for p in found.tolist()} == brute_force(sigs, min_bands, skip)
    # filtering keeps a subset of the unfiltered index's pairs, whatever the bucket limit
    small = candidate_pairs(sigs, THRESHOLD, max_bucket=3, skip=skip)
    assert {tuple(p) for p in candidate_pairs(sigs, THRESHOLD, max_bucket=3, skip=skip,
                                              min_bands=min_bands).tolist()} <= {tuple(p) for p in small.tolist()}


@pytest.fixture(params=[FEATURE_MIN_BANDS, 2, 3], ids=lambda v: f"min_bands={v}")
def min_bands(request, monkeypatch):
    """The filter's value, set where the scan's tasks and the Dask engine read it."""
    monkeypatch.setattr(T, "FEATURE_MIN_BANDS", request.param)
    monkeypatch.setattr(P, "FEATURE_MIN_BANDS", request.param)
    return request.param


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(2, 40), st.integers(1, 4), st.integers(2, 6), st.integers(0, 2**31))
def test_the_scan_band_tasks_give_the_filtered_index(tmp_path_factory, min_bands, n, n_batches, max_bucket, seed):
    space = str(tmp_path_factory.mktemp("space"))
    rng = np.random.default_rng(seed)
    sigs = signatures(seed, n, 3)
    skip = rng.random(n) < 0.1
    ids = [f"d{x:03d}" for x in rng.permutation(n)]  # input order is not id order
    order = np.array(sorted(range(n), key=ids.__getitem__), dtype=np.int64)
    bands, rows = lsh_params(THRESHOLD, 16)
    keys = band_keys(sigs, bands, rows)
    cuts = np.linspace(0, n, n_batches + 1).astype(int)
    for b, (lo, hi) in enumerate(zip(cuts[:-1], cuts[1:])):
        T._save(space, f"keys-features-{b}.npy", keys[lo:hi])
        T._save(space, f"skip-features-{b}.npy", skip[lo:hi])
    T._save(space, "order.npy", order)
    codes = np.unique(np.concatenate([T.lsh_band((space, "features", band, n_batches, max_bucket))
                                      for band in range(bands)]))
    expected = candidate_pairs(sigs[order], THRESHOLD, max_bucket=max_bucket, skip=skip[order], min_bands=min_bands)
    assert codes.tolist() == (expected[:, 0] * n + expected[:, 1]).tolist()


class FakeFingerprint:
    def __init__(self, signature):
        self.signature = self.feature_signature = signature
        self.shingles = self.features = signature[:1] if signature[0] % 5 else signature[:0]
        self.sentence_keys = np.zeros((0, 0), dtype=np.uint64)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.integers(2, 40), st.integers(1, 4), st.integers(1, 4), st.integers(2, 6), st.integers(0, 2**31))
def test_the_dask_key_exchange_gives_the_filtered_index(min_bands, n, n_partitions, n_parts, max_bucket, seed):
    config = Config(num_perm=16, rewrites=True, sentence_bands=0, max_bucket=max_bucket)
    sigs = signatures(seed, n, 3)
    fps = [FakeFingerprint(s) for s in sigs]
    ranks = np.arange(n)  # ids already in sorted order
    cuts = np.linspace(0, n, n_partitions + 1).astype(int)
    keyed = [P.band_rows([((), f) for f in fps[lo:hi]], ranks[lo:hi], int(lo), config, n_parts)
             for lo, hi in zip(cuts[:-1], cuts[1:])]
    found = set()
    for p in range(n_parts):
        _, features, _ = P.bucket_candidates([k[p] for k in keyed], config, n_parts)
        found |= {tuple(x) for x in features.tolist()}
    skip = np.array([len(f.features) == 0 for f in fps])
    expected = candidate_pairs(sigs, THRESHOLD, max_bucket=max_bucket, skip=skip, min_bands=min_bands)
    assert found == {tuple(x) for x in expected.tolist()}
