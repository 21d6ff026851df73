"""Fingerprints: shingles and MinHash signatures equal in value to datasketch's MinHash."""
from __future__ import annotations

import numpy as np
import pytest
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.config import Config
from dedup.fingerprint import (fingerprint_texts, minhash, permutations, shingle_hash, shingle_hashes, to_datasketch,
                               unique_per_document, word_hash, word_hashes)
from dedup.text import words

TEXTS = {
    "wire": ("The regional council approved on Thursday a plan to rebuild the old harbour bridge, "
             "which has been closed to lorries since a crack was found in one of its piers last winter."),
    "copy": ("The regional council approved on Thursday a plan to rebuild the old harbour bridge, "
             "which has been closed to heavy vehicles since a crack was found in one of its piers."),
    "empty": "",
    "punctuation": " -- ! ? ",
    "one-word": "Breaking",
    "three-words": "Storm hits coast",
    "russian": "Городской совет в четверг одобрил план восстановления старого моста через гавань.",
    "hindi": "नगर परिषद ने गुरुवार को पुराने बंदरगाह पुल के पुनर्निर्माण की योजना को मंजूरी दी।",
    "arabic": "وافق المجلس البلدي يوم الخميس على خطة لإعادة بناء الجسر القديم في الميناء",
    "japanese": "市議会は木曜日、古い港の橋を再建する計画を承認した。",
}


def shingles_of(text: str, k: int) -> set[tuple[str, ...]]:
    """The reference shingles: tuples of k consecutive normalised words (all words if fewer)."""
    w = words(text)
    if not w:
        return set()
    if len(w) < k:
        return {tuple(w)}
    return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)}


def reference_minhash(text: str, k: int, num_perm: int, seed: int) -> MinHash:
    m = MinHash(num_perm=num_perm, seed=seed, hashfunc=shingle_hash, scheme="affine32")
    for shingle in sorted(shingles_of(text, k)):
        m.update(shingle)
    return m


@pytest.mark.parametrize("num_perm,seed", [(128, 1), (64, 7), (16, 12345), (256, 0)])
@pytest.mark.parametrize("shingle_size", [1, 3, 5])
def test_signatures_equal_datasketch(num_perm, seed, shingle_size):
    config = Config(num_perm=num_perm, seed=seed, shingle_size=shingle_size)
    ids = list(TEXTS)
    fps = fingerprint_texts(ids, [TEXTS[i] for i in ids], config)
    for doc_id, fp in zip(ids, fps):
        assert fp.id == doc_id
        expected = reference_minhash(TEXTS[doc_id], shingle_size, num_perm, seed)
        assert fp.signature.dtype == np.uint32
        np.testing.assert_array_equal(fp.signature, expected.hashvalues.astype(np.uint32), err_msg=doc_id)


def test_shingle_sets_are_the_hashes_of_the_reference_shingles():
    config = Config(shingle_size=5)
    ids = list(TEXTS)
    fps = fingerprint_texts(ids, [TEXTS[i] for i in ids], config)
    for doc_id, fp in zip(ids, fps):
        expected = sorted({shingle_hash(s) for s in shingles_of(TEXTS[doc_id], 5)})
        assert fp.shingles.tolist() == expected, doc_id
        assert fp.n_tokens == len(words(TEXTS[doc_id]))


def test_empty_text_has_datasketch_empty_signature_and_no_shingles():
    (fp,) = fingerprint_texts(["e"], [""], Config(num_perm=32))
    assert len(fp.shingles) == 0 and fp.n_tokens == 0
    np.testing.assert_array_equal(fp.signature, MinHash(num_perm=32, scheme="affine32").hashvalues)


def test_text_shorter_than_a_shingle_has_one_shingle_of_all_its_words():
    (fp,) = fingerprint_texts(["s"], ["Storm hits coast"], Config(shingle_size=5))
    assert fp.shingles.tolist() == [shingle_hash(("storm", "hits", "coast"))]


def test_cjk_shingles_are_character_shingles():
    (fp,) = fingerprint_texts(["j"], ["港の橋を再建"], Config(shingle_size=3))
    expected = {shingle_hash(tuple("港の橋を再建"[i : i + 3])) for i in range(4)}
    assert set(fp.shingles.tolist()) == expected


_WORD = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x1f"),
                min_size=1, max_size=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(_WORD, max_size=8), max_size=6))
def test_vectorised_word_hashes_equal_word_hash(word_lists):
    hashes, offsets = word_hashes(word_lists)
    assert offsets.tolist() == np.cumsum([0] + [len(w) for w in word_lists]).tolist()
    flat = [w for ws in word_lists for w in ws]
    assert hashes.tolist() == [word_hash(w) for w in flat]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["a", "b", "c", "dé", "жж", "東"]), max_size=9), min_size=1, max_size=5),
       st.integers(1, 4))
def test_vectorised_shingle_hashes_equal_shingle_hash(word_lists, k):
    hashes, offsets = word_hashes(word_lists)
    sh, doc = shingle_hashes(hashes, offsets, k)
    values, off = unique_per_document(sh, doc, len(word_lists))
    for i, ws in enumerate(word_lists):
        if not ws:
            expected = set()
        elif len(ws) < k:
            expected = {shingle_hash(ws)}
        else:
            expected = {shingle_hash(ws[j : j + k]) for j in range(len(ws) - k + 1)}
        assert values[off[i] : off[i + 1]].tolist() == sorted(expected)


def test_batching_does_not_change_a_fingerprint():
    config = Config(num_perm=64)
    ids = list(TEXTS)
    together = fingerprint_texts(ids, [TEXTS[i] for i in ids], config)
    for doc_id, fp in zip(ids, together):
        (alone,) = fingerprint_texts([doc_id], [TEXTS[doc_id]], config)
        np.testing.assert_array_equal(alone.signature, fp.signature)
        np.testing.assert_array_equal(alone.shingles, fp.shingles)
        np.testing.assert_array_equal(alone.features, fp.features)
        np.testing.assert_array_equal(alone.feature_signature, fp.feature_signature)
    # and in reverse order, in a batch with itself twice
    again = fingerprint_texts(ids[::-1] + ids, [TEXTS[i] for i in ids[::-1] + ids], config)
    for fp in again:
        np.testing.assert_array_equal(fp.signature, together[ids.index(fp.id)].signature)


def test_minhash_in_small_chunks_equals_one_chunk():
    config = Config(num_perm=32)
    ids = list(TEXTS)
    fps = fingerprint_texts(ids, [TEXTS[i] for i in ids], config)
    values = np.concatenate([fp.shingles for fp in fps])
    offsets = np.cumsum([0] + [len(fp.shingles) for fp in fps])
    whole = minhash(values, offsets, 32, config.seed)
    chunked = minhash(values, offsets, 32, config.seed, chunk=7)
    np.testing.assert_array_equal(whole, chunked)
    np.testing.assert_array_equal(whole, np.stack([fp.signature for fp in fps]))


def test_to_datasketch_gives_a_lean_minhash_with_the_same_jaccard():
    config = Config(num_perm=128, seed=3)
    a, b = fingerprint_texts(["wire", "copy"], [TEXTS["wire"], TEXTS["copy"]], config)
    la, lb = to_datasketch(a.signature, seed=3), to_datasketch(b.signature, seed=3)
    assert isinstance(la, LeanMinHash)
    estimate = float(np.mean(a.signature == b.signature))
    assert la.jaccard(lb) == pytest.approx(estimate)
    assert 0.0 < estimate < 1.0
    # and it agrees with a MinHash datasketch builds itself
    ref = reference_minhash(TEXTS["copy"], 5, 128, 3)
    assert la.jaccard(LeanMinHash(ref)) == pytest.approx(estimate)


def test_near_duplicates_have_close_signatures_unrelated_texts_do_not():
    config = Config()
    wire, copy, other = fingerprint_texts(["w", "c", "o"], [TEXTS["wire"], TEXTS["copy"], TEXTS["russian"]], config)
    assert np.mean(wire.signature == copy.signature) > 0.4
    assert np.mean(wire.signature == other.signature) < 0.1


@given(st.integers(1, 300), st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None)
def test_permutations_are_datasketchs_drawn_without_importing_it(num_perm, seed):
    """The affine32 parameters are drawn as datasketch's MinHash draws them (dedup does not import
    datasketch to get them: its import costs every worker process about half a second)."""
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    ours_a, ours_b = permutations(num_perm, seed)
    assert ours_a.dtype == ours_b.dtype == np.uint32
    assert np.array_equal(ours_a, np.asarray(a, dtype=np.uint32))
    assert np.array_equal(ours_b, np.asarray(b, dtype=np.uint32))
    assert np.all(ours_a % 2 == 1)


def test_a_scan_imports_no_datasketch():
    """Fingerprinting a batch needs no datasketch (nor scipy) in the process."""
    import subprocess
    import sys

    code = ("import sys; from dedup.config import Config; from dedup.fingerprint import fingerprint_texts; "
            "fingerprint_texts(['a'], ['The council approved the plan to rebuild the bridge.'], Config()); "
            "print('datasketch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
