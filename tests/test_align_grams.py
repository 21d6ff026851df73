"""The character-trigram sets of dedup.align made distinct by one sort of packed values equal those
of the sort by two keys, for any text (wide code points and many rows take the general path)."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.align import _char_grams, _unique_grams, _unique_pairs, sentence_features

ALPHABETS = st.sampled_from(["ab c", "abcdefghij ", "aé ü\u00df", "\u4e00\u4e01\u0e01 ", "a\U0001f600 b", "\uffff\u0100z "])


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(ALPHABETS, st.integers(0, 40), st.integers(0, 2**31)), max_size=30))
def test_packed_sort_gives_the_same_distinct_pairs(pieces):
    strings = []
    for alphabet, length, seed in pieces:
        rng = np.random.default_rng(seed)
        strings.append("".join(alphabet[i] for i in rng.integers(0, len(alphabet), length)))
    rows, keys = _char_grams(strings)
    expected_rows, expected_keys = _unique_pairs(rows, keys)
    got_rows, got_keys = _unique_grams(rows, keys)
    assert got_rows.dtype == expected_rows.dtype and got_keys.dtype == expected_keys.dtype
    assert got_rows.tolist() == expected_rows.tolist() and got_keys.tolist() == expected_keys.tolist()


def test_more_rows_than_the_packing_holds_take_the_general_path():
    rows = np.arange(40_000, dtype=np.int64)
    keys = np.full(40_000, (ord("a") << 42) | (ord("b") << 21) | ord("c"), dtype=np.int64)
    got, expected = _unique_grams(rows, keys), _unique_pairs(rows, keys)
    assert got[0].tolist() == expected[0].tolist() and got[1].tolist() == expected[1].tolist()


def test_sentence_features_hold_each_sentences_trigrams_once():
    features = sentence_features(["The cat sat.", "The cat sat.", "Ein Käfer läuft."])
    rows, grams = features.grams
    assert len(set(zip(rows.tolist(), grams.tolist()))) == len(rows)
    assert sorted(grams.tolist()) == grams.tolist()
    assert set(grams[rows == 0].tolist()) == set(grams[rows == 1].tolist())
