"""Hashing words in place (span_hashes) gives word_hash of each word, whatever the piece size."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings, strategies as st

from dedup import fingerprint as F
from dedup.text import sentence_words
from dedup.text_spans import sentence_word_spans


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=12), max_size=30), st.integers(1, 64))
def test_span_hashes_are_word_hashes(words, piece):
    data = b""
    starts, ends = [], []
    for w in words:
        b = w.encode("utf-8")
        starts.append(len(data))
        data += b
        ends.append(len(data))
        data += b" "
    saved = F.SPAN_BYTES
    F.SPAN_BYTES = piece
    try:
        got = F.span_hashes(data, np.array(starts, dtype=np.int64), np.array(ends, dtype=np.int64))
    finally:
        F.SPAN_BYTES = saved
    assert got.tolist() == [F.word_hash(w) for w in words]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("abcé .!?\n'-1")), max_size=80), max_size=6))
def test_texts_hash_as_their_sentence_words(texts):
    found = sentence_word_spans(texts)
    expected = [F.word_hash(w) for t in texts for s in sentence_words(t) for w in s]
    assert F.span_hashes(found.data, found.starts, found.ends).tolist() == expected


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 2**64 - 1), st.sampled_from(["the", "a", "of", "z", "harbour", "la", "der"])),
                max_size=60))
def test_content_mask_is_not_a_stopword_nor_a_single_letter(items):
    """The table look-up of content_mask == membership in the sorted stopword hashes."""
    import numpy as np

    from dedup.fingerprint import content_mask, word_hash
    from dedup.stopwords import stopword_hashes

    hashes = np.array([word_hash(x) if isinstance(x, str) else x for x in items], dtype=np.uint64)
    stop = stopword_hashes()
    near = (stop[:5] ^ np.uint64(1 << 20)).astype(np.uint64)  # a stopword's slot, another hash
    for values in (hashes, np.concatenate([hashes, stop, near])):
        assert content_mask(values).tolist() == np.isin(values, stop, invert=True).tolist()
