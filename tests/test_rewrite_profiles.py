"""Rewrite profiles (dedup.rewrite_profiles): the profiles of many texts built together equal those
built one by one, and both hold what a plain loop over each sentence's words finds."""
from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import align
from dedup.fingerprint import word_hash
from dedup.rewrite_profiles import MIN_SENTENCE_WORDS, TextProfile, profile, profiles
from dedup.stopwords import STOPWORDS
from dedup.text import is_number, sentences_with_words

VOCABULARY = ["the", "of", "and", "a", "I", "x", "7", "port", "harbour", "Velmora", "closed", "3.5", "2,400",
              "it's", "officials", "said", "ministry", "grain", "Tuesday", "storm", "cranes", "Straße", "été",
              "北", "ﬁne", "forty", "vessels", "Mr", "U.S.", "1990s", "snake_case", "Zürich", "ÉCOLE", "Ελλάδα",
              "Москва", "à", "2é", "naïve", "İstanbul", "\u00e0\u00e0\u00e0\u00e0\u00e0\u00e0", "\u10a0\u10a1",
              "\ua7b4eta", "\U00010400\U00010401"]  # (code points of 7, 11, 16 and 21 bits)
PUNCTUATION = [" ", " ", " ", " ", ", ", ". ", "! ", "? ", "\n", "\n\n", '"', ' "', '" ', " \u201c", "\u201d ",
               "\u2019s ", " \u2014 ", "; ", " - ", "... ", " \u2026 ", "\t", " \u00a0", " \u30fb ", "\u0e3f",
               " \u20ac", " \u2022 "]
texts = st.lists(st.tuples(st.sampled_from(VOCABULARY), st.sampled_from(PUNCTUATION)), max_size=120).map(
    lambda pieces: "".join(w + p for w, p in pieces))
LEADING = st.sampled_from(["", " ", "\n", "  \n ", "\u201c"])


def assert_same_profiles(got: TextProfile, expected: TextProfile) -> None:
    for name in TextProfile.__dataclass_fields__:
        x, y = getattr(got, name), getattr(expected, name)
        if name == "sentence_features":
            assert x.sentences == y.sentences
            for u, v in zip(x.words + x.grams, y.words + y.grams):
                assert u.dtype == v.dtype and u.tolist() == v.tolist(), name
        elif name in ("word_sets", "once"):
            for u, v in zip(x, y):
                assert u.dtype == v.dtype and u.tolist() == v.tolist(), name
        else:
            assert x == y, name


def plain_profile_parts(text: str) -> dict:
    """What profile holds of each sentence, by a loop over each sentence's words (strings)."""
    weights, sentences, numbers, sets, sequence, all_words = [], [], [], [], [], []
    for s, forms in sentences_with_words(text):
        all_words += forms
        content = [w for w in forms if w not in STOPWORDS and len(w) > 1]
        sequence += content
        if len(content) >= MIN_SENTENCE_WORDS:
            weights.append(len(content))
            sentences.append(s.text)
            numbers.append(frozenset(w for w in forms if w[0].isdigit() and is_number(w)))
            sets.append(frozenset(content))
    counts = {w: sequence.count(w) for w in sequence}
    once = [(w, i) for i, w in enumerate(sequence) if counts[w] == 1]
    rows = np.array([k for k, ws in enumerate(sets) for _ in ws], dtype=np.int64)
    keys = np.array([word_hash(w) for ws in sets for w in ws], dtype=np.uint64).view(np.int64)
    return {"sentence_weights": tuple(weights), "sentence_texts": tuple(sentences),
            "sentence_numbers": tuple(numbers), "n_content": sum(weights),
            "numbers": tuple(w for w in all_words if len(w) > 1 and w[0].isdigit() and is_number(w)),
            "word_sets": [a.tolist() for a in align._unique_pairs(rows, keys)],
            "once": [[word_hash(w) for w, _ in once], [i for _, i in once]]}


def assert_plain_parts(got: TextProfile, text: str) -> None:
    expected = plain_profile_parts(text)
    for name, value in expected.items():
        mine = getattr(got, name)
        assert ([a.tolist() for a in mine] if name in ("word_sets", "once") else mine) == value, name


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(LEADING, texts), max_size=6))
def test_profiles_together_equal_profiles_alone(pieces):
    batch = [lead + t for lead, t in pieces]
    for got, text in zip(profiles(batch), batch):
        assert_same_profiles(got, profile(text))
        assert_plain_parts(got, text)


def test_profiles_of_empty_and_blank_texts():
    batch = ["", "  \n ", "Velmora.", "The harbour of Velmora closed on Tuesday, officials said. " * 2]
    got = profiles(batch)
    assert [p.sentence_weights for p in got] == [(), (), (), (5, 5)]
    for p, text in zip(got, batch):
        assert_same_profiles(p, profile(text))
    assert profiles([]) == []
    for p, text in zip(profiles(["", "Velmora.", "The of and."]), ["", "Velmora.", "The of and."]):
        assert_same_profiles(p, profile(text))  # (a batch without a single substantial sentence)


NEWS = ("The harbour of Velmora closed on Tuesday after the storm, officials said. Cranes at the grain "
        "terminal were secured and 2,400 workers sent home. \u201cWe expect to reopen by Friday,\u201d the port "
        "authority\u2019s director said. Forty vessels waited offshore on Wednesday morning.\n")


def test_features_of_many_rows_sorted_by_several_keys(monkeypatch):
    """Where a row number would not fit the packed sort (over 32,767 sentences in a text), the
    features are sorted by several keys instead: the same features (here with 2 bits for a row)."""
    from dedup import rewrite_profiles

    monkeypatch.setattr(rewrite_profiles, "_ROW_BITS", 2)
    batch = [NEWS * 3, NEWS, "Velmora."]
    for got, text in zip(profiles(batch), batch):
        assert_same_profiles(got, profile(text))


def test_profiles_built_in_parts_of_bounded_size(monkeypatch):
    """Texts are profiled together a bounded number (and length) at a time; a text longer than the
    bound alone: the same profiles, whatever the parts."""
    from dedup import rewrite_profiles

    batch = [NEWS, "Velmora.", NEWS * 4, "\u00e9t\u00e9 " + NEWS, NEWS.upper(), NEWS[:200], NEWS * 2]
    expected = [profile(t) for t in batch]
    for texts, chars in ((2, 10_000), (100, 300), (1, 1)):
        monkeypatch.setattr(rewrite_profiles, "TOGETHER_TEXTS", texts)
        monkeypatch.setattr(rewrite_profiles, "TOGETHER_CHARS", chars)
        for got, want in zip(profiles(batch), expected):
            assert_same_profiles(got, want)


def test_features_of_sentences_cut_inside_a_word():
    """A sentence bound inside a run of word characters (no sentence end makes one) cuts the word
    in two, as align.sentence_features of the two sentences does."""
    from dedup.rewrite_profiles import _feature_parts

    raw = b"harbour closed alpha beta gamma delta said"
    data = np.frombuffer(raw, dtype=np.uint8)
    starts, ends = np.array([0, 18, 27]), np.array([18, 27, 42])  # ("harbour closed alp", "ha beta g", ...)
    (words, grams), = _feature_parts(data, None, raw, starts, ends, np.zeros(3, dtype=np.int64), 1)
    expected = align.sentence_features([raw[a:b].decode() for a, b in zip(starts, ends)])
    assert [a.tolist() for a in words] == [a.tolist() for a in expected.words]
    assert [a.tolist() for a in grams] == [a.tolist() for a in expected.grams]


def test_profiles_on_the_dev_corpus(shared_dir):
    path = shared_dir / "dev" / "corpus.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent: the labelled dev set is not beside this checkout")
    batch = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for got, text in zip(profiles(batch), batch):
        assert_same_profiles(got, profile(text))
        assert_plain_parts(got, text)


def test_verify_hands_prepare_the_documents_to_profile_and_decides_the_same():
    """verify's `prepare` is handed, before any profile is asked for, exactly the documents of the
    pairs the rewrite evidence weighs (not those settled on their fingerprints), in the order of
    their pairs; the matches are those verify makes without it."""
    from dedup.config import Config
    from dedup.types import Candidate
    from dedup.verify import verify

    from test_rewrite_and_model import INDEPENDENT, REWRITE, SOURCE
    from test_verify_precheck import UNRELATED, fingerprints

    texts = {"s": SOURCE, "r": REWRITE, "i": INDEPENDENT, "u": UNRELATED, "c": SOURCE + " Comments are closed."}
    fps = fingerprints(**texts)
    cands = [Candidate("r", "s", "features"), Candidate("c", "s", "shingles"), Candidate("s", "u", "shingles"),
             Candidate("i", "s", "sentences"), Candidate("i", "r", "sentences")]
    asked: list[str] = []
    prepared: list[list[str]] = []
    built = dict(zip(texts, profiles(list(texts.values()))))

    def profile_of(doc_id: str) -> TextProfile:
        asked.append(doc_id)
        return built[doc_id]

    def prepare(ids) -> None:
        assert not asked  # (before any profile is asked for)
        prepared.append(list(ids))

    with_prepare = verify(cands, fps, profile_of, Config(), prepare)
    assert prepared == [list(dict.fromkeys(asked))] and set(asked) == {"r", "s", "i"}
    assert with_prepare == verify(cands, fps, lambda d: profile(texts[d]), Config())
    assert [(m.a, m.b) for m in with_prepare] == [(c.a, c.b) for c in cands]
