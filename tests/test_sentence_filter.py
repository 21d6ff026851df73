"""The sentence index's evidence filter: chance collisions in one band are dropped, copied sentences kept."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.index import sentence_candidates


def keys(rows):
    return np.array(rows, dtype=np.uint64).reshape(len(rows), 3)


def test_two_sentences_colliding_in_one_band_each_are_dropped_when_asked():
    # documents of 10 indexed sentences each; a and b share two sentences in one band each (chance)
    a = keys([[1, 100 + i, 200 + i] for i in range(2)] + [[300 + i, 400 + i, 500 + i] for i in range(8)])
    b = keys([[1, 600, 700], [2, 610, 710]] + [[800 + i, 900 + i, 1000 + i] for i in range(8)])
    a[1, 0] = 2  # a's second sentence collides with b's second in band 0 only
    every = sentence_candidates(["a", "b"], [a, b], min_shared=2)
    assert [(c.a, c.b) for c in every] == [("a", "b")]
    assert sentence_candidates(["a", "b"], [a, b], min_shared=2, min_bands=2, min_fraction=0.25) == []


def test_a_sentence_copied_whole_collides_in_several_bands_and_is_kept():
    a = keys([[1, 2, 3], [4, 5, 6]] + [[300 + i, 400 + i, 500 + i] for i in range(6)])
    b = keys([[1, 2, 3], [4, 50, 60]] + [[800 + i, 900 + i, 1000 + i] for i in range(6)])
    found = sentence_candidates(["a", "b"], [a, b], min_shared=2, min_bands=2, min_fraction=0.25)
    assert [(c.a, c.b) for c in found] == [("a", "b")]


def test_many_shared_sentences_are_kept_even_in_one_band_each():
    a = keys([[i, 100 + i, 200 + i] for i in range(4)])
    b = keys([[i, 300 + i, 400 + i] for i in range(4)] + [[900, 901, 902]])
    found = sentence_candidates(["a", "b"], [a, b], min_shared=2, min_bands=2, min_fraction=0.25)
    assert [(c.a, c.b) for c in found] == [("a", "b")]


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 30), st.integers(1, 3), st.floats(0, 1), st.integers(0, 2**31))
def test_the_filter_keeps_only_pairs_that_share_a_sentence(n_docs, min_bands, min_fraction, seed):
    rng = np.random.default_rng(seed)
    sentence_keys = [rng.integers(0, 5, size=(int(rng.integers(0, 6)), 3)).astype(np.uint64) for _ in range(n_docs)]
    ids = [f"d{i:02d}" for i in range(n_docs)]
    every = set(sentence_candidates(ids, sentence_keys, min_shared=1))
    some = sentence_candidates(ids, sentence_keys, min_shared=2, min_bands=min_bands, min_fraction=min_fraction)
    assert set(some) <= every
    off = sentence_candidates(ids, sentence_keys, min_shared=2, min_bands=1, min_fraction=0.0)
    assert off == sentence_candidates(ids, sentence_keys, min_shared=2)


def test_one_sentence_strong_and_a_large_share_of_a_short_text_is_enough():
    # a four-sentence digest sharing one sentence (in 3 bands) with a long article: a candidate
    short = keys([[1, 2, 3]] + [[300 + i, 400 + i, 500 + i] for i in range(3)])
    long = keys([[1, 2, 3]] + [[800 + i, 900 + i, 1000 + i] for i in range(15)])
    found = sentence_candidates(["s", "t"], [short, long], min_shared=2, min_bands=2, min_fraction=0.25)
    assert [(c.a, c.b) for c in found] == [("s", "t")]
    # the same sentence shared by two long articles is a formula, not evidence
    other = keys([[1, 2, 3]] + [[1800 + i, 1900 + i, 11000 + i] for i in range(15)])
    assert sentence_candidates(["o", "t"], [other, long], min_shared=2, min_bands=2, min_fraction=0.25) == []
    # nor is one sentence colliding in a single band
    weak = short.copy()
    weak[0, 1:] = [77, 78]
    assert sentence_candidates(["s", "t"], [weak, long], min_shared=2, min_bands=2, min_fraction=0.25) == []
