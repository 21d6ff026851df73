"""The faster forms of the rewrite evidence (dedup.rewrite, dedup.align.sentence_features) equal the
plain ones they replace, on random texts and sequences."""
from __future__ import annotations

import bisect
import zlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import align, rewrite, rewrite_profiles
from dedup.fingerprint import word_hashes

VOCABULARY = ["the", "of", "and", "a", "I", "x", "port", "harbour", "Velmora", "closed", "3.5", "2,400", "it's",
              "officials", "said", "ministry", "grain", "Tuesday", "storm", "cranes", "Straße", "Größe", "été",
              "北", "京", "ภาษา", "snake_case", "ǅemal", "ﬁne", "Ⅻ", "²", "\U0001f600", "forty", "vessels"]
PUNCTUATION = [" ", " ", " ", ", ", ". ", "! ", "? ", "\n", '"', ' "', '" ', "; ", " - "]

words_ = st.lists(st.sampled_from(VOCABULARY), max_size=25)
sentence = st.builds(lambda ws, sep: sep.join(ws), words_, st.sampled_from([" ", " ", ", ", " - "]))


def text_of(pieces: list[tuple[str, str]]) -> str:
    return "".join(w + p for w, p in pieces)


texts = st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(PUNCTUATION)), max_size=120).map(text_of)


def plain_sentence_features(sentences: list[str]) -> align.SentenceFeatures:
    """sentence_features as one loop per sentence and per word."""
    forms = [align._words(s) for s in sentences]
    stems = [align._word_features(f) for f in forms]
    rows = np.array([k for k, fs in enumerate(stems) for _ in fs], dtype=np.int64)
    keys = np.array([zlib.crc32(f.encode("utf-8")) for fs in stems for f in fs], dtype=np.int64)
    grams = align._char_grams([" " + " ".join(f) + " " for f in forms])
    return align.SentenceFeatures(align._unique_pairs(rows, keys), align._unique_grams(*grams), tuple(sentences))


@settings(max_examples=200, deadline=None)
@given(st.lists(sentence, max_size=12))
def test_sentence_features_equal_the_plain_loop(sentences):
    got, expected = align.sentence_features(sentences), plain_sentence_features(sentences)
    assert got.sentences == expected.sentences
    for mine, theirs in ((got.words, expected.words), (got.grams, expected.grams)):
        for x, y in zip(mine, theirs):
            assert x.dtype == y.dtype and x.tolist() == y.tolist()


def test_stopword_only_and_empty_sentences_keep_their_words():
    sentences = ["the of and", "", "...", "The harbour of Velmora", "a"]
    got, expected = align.sentence_features(sentences), plain_sentence_features(sentences)
    assert got.words[0].tolist() == expected.words[0].tolist() and got.words[1].tolist() == expected.words[1].tolist()
    assert set(got.words[0].tolist()) == {0, 3, 4}


def plain_lis(seq: list[int]) -> int:
    tails: list[int] = []
    for x in seq:
        i = bisect.bisect_left(tails, x)
        if i == len(tails):
            tails.append(x)
        else:
            tails[i] = x
    return len(tails)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(-5, 30), max_size=60))
def test_lis_equals_the_plain_patience_sort(seq):
    assert rewrite._lis(seq) == plain_lis(seq)
    assert rewrite._lis(sorted(seq)) == plain_lis(sorted(seq)) == len(set(seq))


def plain_sequence_overlap(x, y) -> float:
    if not x or not y:
        return 0.0
    if len(x) > len(y):
        x, y = y, x
    positions: dict[str, list[int]] = {}
    for i, t in enumerate(y):
        positions.setdefault(t, []).append(i)
    return plain_lis([p for t in x for p in reversed(positions.get(t, []))]) / len(x)


def plain_word_order(ua: dict[str, int], ub: dict[str, int]) -> float:
    if not ua or not ub:
        return 0.0
    shared = sorted((w for w in ua if w in ub), key=ua.get)
    return plain_lis([ub[w] for w in shared]) / min(len(ua), len(ub))


tokens = st.lists(st.sampled_from("abcdefghij"), max_size=40)


def plain_once_words(seq: list[str]) -> dict[str, int]:
    counts = {w: seq.count(w) for w in seq}
    return {w: i for i, w in enumerate(seq) if counts[w] == 1}


@settings(max_examples=300, deadline=None)
@given(tokens, tokens)
def test_sequence_figures_equal_the_plain_ones(x, y):
    assert rewrite._sequence_overlap(tuple(x), tuple(y)) == plain_sequence_overlap(tuple(x), tuple(y))
    ua, ub = rewrite_profiles._once_words(word_hashes([x])[0]), rewrite_profiles._once_words(word_hashes([y])[0])
    plain_a, plain_b = plain_once_words(x), plain_once_words(y)
    assert ua[0].tolist() == word_hashes([list(plain_a)])[0].tolist() and ua[1].tolist() == list(plain_a.values())
    assert rewrite._unique_word_order(ua, ub) == plain_word_order(plain_a, plain_b)


@settings(max_examples=150, deadline=None)
@given(texts, texts)
def test_quotation_figures_without_quotes_are_the_alignment_figures(x, y):
    a, b = rewrite.profile(x.replace('"', "")), rewrite.profile(y.replace('"', ""))
    got = rewrite.pair_features(a, b)
    if not (a.sentence_texts and b.sentence_texts):
        return
    sim = align.feature_similarity(a.sentence_features, b.sentence_features)
    wa, wb = np.asarray(a.sentence_weights, float), np.asarray(b.sentence_weights, float)
    chain = rewrite._in_order_chain(sim, 0.35)
    ia, ib = [i for i, _ in chain], [j for _, j in chain]
    sa = slice(min(ia), max(ia) + 1) if chain else slice(0, len(wa))
    sb = slice(min(ib), max(ib) + 1) if chain else slice(0, len(wb))
    general = rewrite._quotation_figures(a, b, sim, wa, wb, sa, sb, sim.max(axis=1), sim.max(axis=0))
    assert general == {k: got[k] for k in general}
    assert all(type(general[k]) is type(got[k]) for k in general)


@settings(max_examples=100, deadline=None)
@given(texts, texts)
def test_pair_features_are_symmetric_in_what_they_share(x, y):
    a, b = rewrite.profile(x), rewrite.profile(y)
    ab, ba = rewrite.pair_features(a, b), rewrite.pair_features(b, a)
    assert list(ab) == list(ba)
    for name in ("cov50_max", "numbers_seq", "names_seq", "length_ratio", "quotes"):
        assert ab[name] == ba[name]


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 9), st.integers(0, 9), st.integers(0, 2**31), st.sampled_from([0.1, 0.35, 0.5, 0.9]))
def test_chain_built_on_the_rows_with_a_counterpart_is_the_plain_one(n, m, seed, level):
    rng = np.random.default_rng(seed)
    sim = np.round(rng.random((n, m)), 1)  # (ties are frequent)
    sim[rng.random(n) < 0.4] = 0.0
    got = rewrite._in_order_chain(sim, level)
    assert got == rewrite._heaviest_chain(np.where(sim >= level, sim, 0.0))  # the table over every row
    assert all(type(i) is int and type(j) is int for i, j in got)
