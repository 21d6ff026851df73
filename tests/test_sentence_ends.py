"""dedup.sentence_ends finds, with numpy, the ends of the sentence-end pattern's matches on ASCII text."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from dedup.sentence_ends import sentence_ends
from dedup.text import _SENTENCE_END_RE

# pieces that exercise every branch: marks and runs of them, closers, each kind of space (and
# \x1c, which str.isspace takes and the pattern's \s does not), initials, listed abbreviations as
# whole words and inside longer ones, lower-case and upper-case starts, digits and underscores
PIECES = [".", "!", "?", "..", "?!", "'", '"', ")", "]", " ", "  ", "\n", "\t", "\r", "\x0b", "\x0c", "\x1c",
          "Mr", "Mrs", "vs", "Sept", "No", "Co", "XMr", "Mrx", "_Mr", "9Mr", "U.S", "U", "S", "A", "Ab",
          "AbC", "a", "z", "0", "7", "_", "the", "The", "word", "-", ",", "(", "Prof", "Corp", "Inc"]


def expected(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END_RE.finditer(text)]


def found(text: str) -> list[int]:
    return sentence_ends(np.frombuffer(text.encode("ascii"), dtype=np.uint8)).tolist()


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_the_ends_of_the_pattern_on_tricky_text(pieces):
    text = "".join(pieces)
    assert found(text) == expected(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_the_ends_of_the_pattern_on_any_ascii_text(text):
    assert found(text) == expected(text)


@pytest.mark.parametrize("text, ends", [
    ("", []),
    ("No end", []),
    ("It ended. Then", [9]),
    ("Mr. Smith left. He", [15]),  # an abbreviation ends no sentence
    ("Mr.. Smith", [4]),  # ... but a second mark does
    ("In the U.S. The", []),  # an initial either
    ('He said "no." Then', [13]),  # closers belong to the end
    ("It ended. then", []),  # a lower-case word after one space continues the sentence
    ("It ended.  then", [9]),  # ... after two it does not
    ("One\n\n  Two", [7]),  # a line break ends a line with the spaces after it
])
def test_examples(text, ends):
    assert found(text) == expected(text) == ends


def test_the_ends_on_the_sample_corpus():
    corpus = Path(__file__).resolve().parents[1] / "data" / "corpus.jsonl"
    for line in corpus.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        if text.isascii():
            assert found(text) == expected(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES + ["é", "2,400", "it's"]), max_size=25).map("".join), max_size=6))
def test_a_batchs_sentences_are_each_texts_own(texts):
    """sentence_word_spans finds the sentence ends of a batch's texts at once (joined by line
    breaks): each text keeps its own sentences and their words, whatever its neighbours."""
    assert_each_texts_own_sentences(texts)


def assert_each_texts_own_sentences(texts: list[str]) -> None:
    from dedup.text import sentence_words
    from dedup.text_spans import sentence_word_spans

    found = sentence_word_spans(texts)
    alone = [sentence_words(t) for t in texts]
    assert found.text_sentences.tolist() == [len(s) for s in alone]
    assert found.sentence_lengths.tolist() == [len(words) for s in alone for words in s]
    assert [found.data[a:b].decode("utf-8") for a, b in zip(found.starts.tolist(), found.ends.tolist())] == \
        [w for s in alone for words in s for w in words]


_TYPOGRAPHIC = ["\u201cNo,\u201d", "it\u2019s", "\u2014", "\u2013", "\u00a0", "\u2009", "\u200b", "\ufeff", "\u2033",
                "\u2026", "caf\u00e9", "\u00abOui\u00bb"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.lists(st.sampled_from(PIECES + _TYPOGRAPHIC), max_size=25).map("".join), max_size=6))
def test_typographic_texts_have_their_own_sentences_and_words(texts):
    """Texts that fold to ASCII go through the fast path as their folded stand-in: the same
    sentences and words as each text alone (and the same words for the body sketches)."""
    from dedup.text import word_bytes
    from dedup.text_spans import word_spans

    assert_each_texts_own_sentences(texts)
    spans = word_spans(texts)
    assert spans.text_words.tolist() == [len(word_bytes(t)) for t in texts]
    assert [spans.data[a:b] for a, b in zip(spans.starts.tolist(), spans.ends.tolist())] == \
        [w for t in texts for w in word_bytes(t)]
