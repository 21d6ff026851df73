"""Sentence similarity and alignment: in order, moved, split and merged sentences, paraphrase."""
from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.align import SentencePair, align, sentence_similarity

SOURCE = [
    "The city council of Brennmark approved a new budget for public transport on Monday.",
    "The plan adds forty electric buses and extends the night service to every district.",
    "Opposition members criticised the cost, which they estimate at 12 million euros.",
    "The mayor said the first buses would arrive before the winter.",
]


def _pairs(pairs):
    return [(p.source, p.copy, p.moved) for p in pairs]


def test_similarity_shape_range_and_identity():
    copy = [SOURCE[2], "Something else entirely about the weather in the mountains.", SOURCE[0]]
    sim = sentence_similarity(SOURCE, copy)
    assert sim.shape == (4, 3)
    assert np.all((sim >= 0) & (sim <= 1))
    assert sim[2, 0] == 1.0 and sim[0, 2] == 1.0
    assert sim[:, 1].max() < 0.3
    assert sentence_similarity([], copy).shape == (0, 3)
    assert sentence_similarity(SOURCE, []).shape == (4, 0)


def test_paraphrase_scores_above_unrelated_sentences():
    paraphrase = "On Monday Brennmark's city council approved a budget for public transport."
    unrelated = "The council of Brennmark also discussed the renovation of the old library."
    sim = sentence_similarity([SOURCE[0]], [paraphrase, unrelated])
    assert sim[0, 0] > 0.5 > sim[0, 1]


def test_identical_texts_align_in_order():
    assert _pairs(align(SOURCE, SOURCE)) == [(k, k, False) for k in range(4)]


def test_moved_sentence_is_found():
    copy = [SOURCE[0], SOURCE[2], SOURCE[3], SOURCE[1]]
    pairs = align(SOURCE, copy)
    assert sorted(_pairs(pairs)) == [(0, 0, False), (1, 3, True), (2, 1, False), (3, 2, False)]


def test_removed_and_added_sentences():
    copy = [SOURCE[0], "Readers can subscribe to our newsletter for daily updates.", SOURCE[3]]
    pairs = _pairs(align(SOURCE, copy))
    assert (1, None, False) in pairs and (2, None, False) in pairs and (None, 1, False) in pairs
    assert (0, 0, False) in pairs and (3, 2, False) in pairs
    # reading order: removed source sentences come after the pair that precedes them
    assert pairs.index((0, 0, False)) < pairs.index((1, None, False)) < pairs.index((3, 2, False))


def test_split_sentence_is_aligned_to_both_parts():
    source = ["Rescue teams reached the flooded village of Osterhal at dawn, and they evacuated "
              "two hundred residents by boat before the river crested in the afternoon."]
    copy = ["Rescue teams reached the flooded village of Osterhal at dawn.",
            "They evacuated two hundred residents by boat before the river crested."]
    assert sorted(_pairs(align(source, copy))) == [(0, 0, False), (0, 1, False)]


def test_merged_sentences_are_aligned_to_one():
    source = ["Rescue teams reached the flooded village of Osterhal at dawn.",
              "They evacuated two hundred residents by boat before the river crested."]
    copy = ["Rescue teams reached the flooded village of Osterhal at dawn and evacuated two "
            "hundred residents by boat before the river crested."]
    assert sorted(_pairs(align(source, copy))) == [(0, 0, False), (1, 0, False)]


def test_paraphrased_sentences_align():
    copy = [
        "On Monday, Brennmark's city council passed a new public transport budget.",
        "Under the plan, forty electric buses are added and night service is extended to all districts.",
        "The mayor said the first buses would be delivered before winter.",
    ]
    assert _pairs(align(SOURCE, copy)) == [(0, 0, False), (1, 1, False), (2, None, False), (3, 2, False)]


def test_unrelated_texts_do_not_align():
    copy = ["Heavy snow closed the mountain pass for the third day.",
            "Skiers were advised to stay in the valley hotels."]
    pairs = align(SOURCE, copy)
    assert all(p.source is None or p.copy is None for p in pairs)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SOURCE + ["Short one.", "", "日本語の文です。", "x"]), max_size=8),
       st.lists(st.sampled_from(SOURCE + ["Short one.", "Another line here.", "ক্ষমতা"]), max_size=8))
def test_every_sentence_is_accounted_for_and_in_order_pairs_increase(source, copy):
    pairs = align(source, copy)
    assert all(isinstance(p, SentencePair) and 0.0 <= p.similarity <= 1.0 for p in pairs)
    assert {p.source for p in pairs if p.source is not None} == set(range(len(source)))
    assert {p.copy for p in pairs if p.copy is not None} == set(range(len(copy)))
    in_order = sorted({(p.source, p.copy) for p in pairs if p.source is not None and p.copy is not None
                       and not p.moved})
    for (s1, c1), (s2, c2) in zip(in_order, in_order[1:]):
        assert s2 >= s1 and c2 >= c1
    assert align(source, copy) == pairs  # deterministic


def test_precomputed_features_give_the_same_similarity():
    from dedup.align import feature_similarity, sentence_features, sentence_similarity

    a = ["The harbour authority closed the northern port on Tuesday.", "No one was hurt, officials said.",
         "北京市今天天气很好。"]
    b = ["Officials said no one was hurt.", "The northern port was closed by the harbour authority on Tuesday.",
         "The harbour authority closed the northern port on Tuesday."]
    assert (feature_similarity(sentence_features(a), sentence_features(b)) == sentence_similarity(a, b)).all()
    assert feature_similarity(sentence_features([]), sentence_features(b)).shape == (0, 3)
