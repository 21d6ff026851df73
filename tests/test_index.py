"""LSH candidates: datasketch's parameter choice, banding, star-linked large buckets, order independence."""
from __future__ import annotations

import random

import numpy as np
import pytest
from datasketch import MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import Config
from dedup.fingerprint import fingerprint_texts
from dedup.index import band_keys, candidate_pairs, candidates, lsh_params
from dedup.types import Candidate

BASE = ("Firefighters in the northern province battled a wildfire for a third day on Sunday as strong "
        "winds pushed the flames towards two villages, forcing some 800 residents to leave their homes "
        "overnight, the regional civil protection agency said in a statement.")
NEAR = BASE.replace("a third day", "the third day").replace("overnight", "late on Saturday")
OTHER = ("The central bank kept its main interest rate unchanged at its monthly meeting, saying inflation "
         "had eased more slowly than expected and that wage growth remained strong in most sectors.")
THIRD = ("A local bakery won the national bread contest with a rye loaf baked in a wood oven, beating "
         "more than 300 entries from across the country in a blind tasting held in the capital.")


@pytest.mark.parametrize("threshold", [0.3, 0.5, 0.7, 0.9])
@pytest.mark.parametrize("num_perm", [32, 128, 256])
def test_lsh_params_equal_datasketch_minhashlsh(threshold, num_perm):
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    assert lsh_params(threshold, num_perm) == (lsh.b, lsh.r)


@pytest.mark.parametrize("num_perm", [16, 100, 128, 256])
def test_lsh_params_equal_datasketch_at_every_threshold(num_perm):
    """dedup computes the choice itself (exact quadrature, no datasketch import in the workers);
    it is datasketch's at every threshold from 0.05 to 0.95, the content-word index's 0.2 included."""
    from datasketch.lsh import _optimal_param

    for step in range(1, 20):
        threshold = step / 20
        assert lsh_params(threshold, num_perm) == _optimal_param(threshold, num_perm, 0.5, 0.5), threshold


def sigs(texts: dict[str, str], config: Config = Config()) -> tuple[list[str], np.ndarray]:
    ids = list(texts)
    fps = fingerprint_texts(ids, [texts[i] for i in ids], config)
    return ids, np.stack([fp.signature for fp in fps])


def test_near_duplicates_are_candidates_unrelated_texts_are_not():
    ids, signatures = sigs({"base": BASE, "near": NEAR, "other": OTHER, "third": THIRD})
    found = candidates(ids, signatures, 0.5, "shingles")
    assert found == [Candidate("base", "near", "shingles")]


def test_candidates_agree_with_datasketch_minhashlsh():
    """Pairs found by banding are exactly the pairs datasketch's MinHashLSH finds (same b, r)."""
    texts = {"base": BASE, "near": NEAR, "other": OTHER, "third": THIRD,
             "half": BASE[: len(BASE) // 2] + " " + OTHER[: len(OTHER) // 2]}
    ids, signatures = sigs(texts)
    ours = {(c.a, c.b) for c in candidates(ids, signatures, 0.5, "shingles")}
    from dedup.fingerprint import to_datasketch

    lsh = MinHashLSH(threshold=0.5, num_perm=signatures.shape[1])
    for doc_id, sig in zip(ids, signatures):
        lsh.insert(doc_id, to_datasketch(sig))
    theirs = set()
    for doc_id, sig in zip(ids, signatures):
        for other in lsh.query(to_datasketch(sig)):
            if other != doc_id:
                theirs.add((min(doc_id, other), max(doc_id, other)))
    assert ours == theirs


def test_pairs_are_sorted_unique_and_ordered_within():
    ids, signatures = sigs({"a": BASE, "b": BASE, "c": NEAR, "d": OTHER})
    pairs = candidate_pairs(signatures, 0.5)
    assert pairs.dtype == np.int64 and pairs.shape[1] == 2
    assert (pairs[:, 0] < pairs[:, 1]).all()
    assert [tuple(p) for p in pairs.tolist()] == sorted({tuple(p) for p in pairs.tolist()})
    assert [tuple(p) for p in pairs.tolist()] == [(0, 1), (0, 2), (1, 2)]


def test_bucket_larger_than_max_bucket_is_linked_as_a_star():
    n = 12
    row = np.arange(64, dtype=np.uint32)
    signatures = np.tile(row, (n, 1))  # n identical signatures: one bucket per band
    star = candidate_pairs(signatures, 0.5, max_bucket=5)
    assert len(star) == n - 1
    assert set(star[:, 0].tolist()) == {0} and set(star[:, 1].tolist()) == set(range(1, n))
    full = candidate_pairs(signatures, 0.5, max_bucket=200)
    assert len(full) == n * (n - 1) // 2


def test_skipped_rows_take_no_part():
    signatures = np.tile(np.arange(32, dtype=np.uint32), (3, 1))
    skip = np.array([False, True, False])
    assert candidate_pairs(signatures, 0.5, skip=skip).tolist() == [[0, 2]]


def test_fewer_than_two_documents_have_no_pairs():
    assert candidate_pairs(np.zeros((0, 16), dtype=np.uint32), 0.5).shape == (0, 2)
    assert candidate_pairs(np.zeros((1, 16), dtype=np.uint32), 0.5).shape == (0, 2)


def test_band_keys_equal_exactly_when_bands_equal():
    a = np.arange(16, dtype=np.uint32)
    b = a.copy()
    b[5] += 1  # differs only in the band of rows 4..7
    keys = band_keys(np.stack([a, b]), bands=4, rows=4)
    assert (keys[0] == keys[1]).tolist() == [True, False, True, True]


def test_same_values_in_different_bands_give_different_keys():
    sig = np.tile(np.array([7, 7, 7, 7], dtype=np.uint32), 2)[None, :]
    keys = band_keys(sig, bands=2, rows=4)
    assert keys[0, 0] != keys[0, 1]


@settings(max_examples=30, deadline=None)
@given(st.randoms(use_true_random=False), st.sampled_from([2, 3, 200]))
def test_candidates_do_not_depend_on_input_order(rnd: random.Random, max_bucket: int):
    texts = {"base": BASE, "near": NEAR, "dup": BASE, "dup2": BASE, "other": OTHER, "third": THIRD,
             "other-copy": OTHER + " The decision was expected.", "mix": BASE[:120] + OTHER[60:]}
    ids, signatures = sigs(texts, Config(num_perm=64))
    reference = candidates(ids, signatures, 0.5, "shingles", max_bucket=max_bucket)
    order = list(range(len(ids)))
    rnd.shuffle(order)
    shuffled = candidates([ids[i] for i in order], signatures[order], 0.5, "shingles", max_bucket=max_bucket)
    assert shuffled == reference


def test_star_bucket_is_centred_on_the_smallest_id_whatever_the_order():
    signatures = np.tile(np.arange(32, dtype=np.uint32), (4, 1))
    for ids in (["d", "c", "b", "a"], ["b", "d", "a", "c"]):
        got = candidates(ids, signatures, 0.5, "shingles", max_bucket=2)
        assert [(c.a, c.b) for c in got] == [("a", "b"), ("a", "c"), ("a", "d")]
