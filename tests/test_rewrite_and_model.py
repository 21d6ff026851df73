"""The rewrite evidence, the shipped model and the verification decision."""
import json

import numpy as np
import pytest

from dedup.config import Config
from dedup.errors import DedupError
from dedup.fingerprint import fingerprint_texts
from dedup.model import default_model, explain, model_from_dict
from dedup.rewrite import _in_order_chain, pair_features, profile
from dedup.types import Match
from dedup.verify import apply_date_rule, relation_of, verify_pair

SOURCE = (
    "The harbour authority of Velmora closed the northern port on Tuesday after a storm tore two cranes "
    "from their rails, officials said. Captain Ilse Marnow told reporters that no one had been hurt in the collapse. "
    "Shipping companies were told to divert at least forty vessels to the southern terminal until Friday. "
    "Engineers from the regional transport ministry will inspect the quay walls before any reopening, the authority added. "
    "The port handles roughly a third of the country's grain exports, according to the trade ministry."
)
REWRITE = (
    "Velmora's harbour authority shut the northern port on Tuesday when a storm ripped two cranes off their rails, "
    "according to officials. No one was injured in the collapse, Captain Ilse Marnow told journalists. "
    "Shipping firms have been asked to send at least forty vessels to the southern terminal until Friday. "
    "Before the port reopens, engineers from the regional transport ministry are to examine the quay walls, the authority said. "
    "Roughly a third of the country's grain exports pass through the port, the trade ministry says."
)
INDEPENDENT = (
    "Grain traders in Velmora warned on Wednesday that prices could climb after Tuesday's storm. "
    "Captain Ilse Marnow, speaking at a briefing, said the damage was worse than first thought. "
    "Farmers' unions asked the government for emergency storage while the northern port stays closed. "
    "Insurers estimated the cost of the two lost cranes at several million. "
    "Opposition lawmakers called for an inquiry into the maintenance of the port's equipment."
)


def test_a_rewrite_keeps_the_sentence_plan_and_independent_coverage_does_not():
    src, rew, ind = profile(SOURCE), profile(REWRITE), profile(INDEPENDENT)
    f_rew, f_ind = pair_features(src, rew), pair_features(src, ind)
    for name in ("chain_short", "align50_max", "word_order", "cov50_max"):
        assert f_rew[name] > f_ind[name], name
    assert f_rew["chain_short"] >= 0.8


def test_the_model_scores_the_rewrite_above_the_threshold_and_the_independent_piece_below():
    config = Config()
    fps = {fp.id: fp for fp in fingerprint_texts(["s", "r", "i"], [SOURCE, REWRITE, INDEPENDENT], config)}
    profiles = {"s": profile(SOURCE), "r": profile(REWRITE), "i": profile(INDEPENDENT)}
    rewrite = verify_pair(fps["r"], fps["s"], profiles.__getitem__, config)
    other = verify_pair(fps["i"], fps["s"], profiles.__getitem__, config)
    assert rewrite.relation == "rewrite" and rewrite.score >= default_model().threshold
    assert other.relation is None and other.score < default_model().threshold
    assert set(default_model().features) <= set(rewrite.features)  # the figures behind it are kept


def test_in_order_chain_is_the_heaviest_increasing_chain():
    sim = np.array([[0.9, 0.0, 0.0], [0.0, 0.0, 0.8], [0.0, 0.7, 0.0]])
    chain = _in_order_chain(sim, 0.35)
    assert chain in ([(0, 0), (1, 2)], [(0, 0), (2, 1)])
    assert _in_order_chain(np.zeros((2, 2)), 0.35) == []


def test_relation_from_containment():
    assert relation_of(0.95, 0.4, False) == "verbatim"
    assert relation_of(0.7, 0.7, False) == "edited"
    assert relation_of(0.1, 0.8, False) == "partial"
    assert relation_of(0.1, 0.1, True) == "rewrite"


def test_rewrites_dated_weeks_apart_are_refused_and_the_gap_is_kept():
    m = Match("a", "b", 0.1, 0.2, 0.2, "rewrite", 0.9, {})
    copy = Match("a", "c", 0.9, 0.95, 0.95, "verbatim", 1.0, {})
    out = apply_date_rule([m, copy], {"a": "2024-01-07", "b": "2024-05-25", "c": "2025-01-01"})
    assert out[0].relation is None and out[0].features["date_gap_days"] == 139
    assert out[1].relation == "verbatim"  # shingle copies may be republished later
    assert apply_date_rule([m], {"a": "2024-01-07", "b": "2024-01-08"})[0].relation == "rewrite"


def test_the_shipped_model_is_explainable_and_carries_its_cross_validation():
    model = default_model()
    assert model.meta["cross_validation"]["pairs"] > 100
    assert 0 < model.threshold < model.merge_threshold <= 1.01
    parts = explain({name: 1.0 for name in model.features})
    assert len(parts) == 5 and all(name in model.features for name, _ in parts)


def test_a_malformed_model_file_is_a_clear_error():
    with pytest.raises(DedupError, match="malformed"):
        model_from_dict(json.loads('{"features": ["a"]}'))


def _m(a, b, relation, score=1.0, ca=0.95, cb=0.95):
    a, b = sorted((a, b))
    return Match(a, b, 0.5, ca, cb, relation, score, {})


def test_groups_linked_by_rewrites_from_two_texts_a_side_become_one():
    from dedup.cluster import components

    ids = ["a1", "a2", "b1", "b2"]
    copies = [_m("a1", "a2", "verbatim"), _m("b1", "b2", "verbatim")]
    one_link = [_m("a1", "b1", "rewrite", 0.8, 0.2, 0.2)]
    assert components(ids, copies + one_link, merge_threshold=0.97, threshold=0.55) == [["a1", "a2"], ["b1", "b2"]]
    # links from both copies of one text are one piece of evidence
    two_copies = one_link + [_m("a2", "b2", "rewrite", 0.7, 0.2, 0.2)]
    assert components(ids, copies + two_copies, merge_threshold=0.97, threshold=0.55) == [["a1", "a2"], ["b1", "b2"]]
    # two write-throughs on each side (a text and its rewrite) linked pairwise: one story
    rewrites = [_m("a1", "a2", "rewrite", 0.9, 0.2, 0.2), _m("b1", "b2", "rewrite", 0.9, 0.2, 0.2)]
    assert components(ids, rewrites + two_copies, merge_threshold=0.97, threshold=0.55) == [ids]


def test_a_paraphrase_with_added_commentary_is_judged_on_its_rewritten_block():
    commentary = (" Analysts in the capital said the closure showed how exposed the economy remains to storms. "
                  "Several lawmakers have asked for a review of how the port is maintained and insured. "
                  "Trade groups warned that delays could ripple through regional supply chains for weeks. "
                  "The government has not said when it will publish its own assessment of the damage.")
    f = pair_features(profile(SOURCE), profile(REWRITE + commentary))
    assert f["span_length_ratio"] > 0.8  # the commentary after the rewritten block is left out
    assert f["chain_short"] >= 0.8


def test_another_days_templated_report_is_not_a_rewrite():
    from dedup.verify import is_templated

    day1 = ("The rupee rose 6 paise to 83.41 against the US dollar in early trade on Tuesday. "
            "At the interbank foreign exchange, the rupee opened at 83.43 and touched 83.41 against the greenback. "
            "On Monday, the rupee settled at 83.47 against the US dollar. "
            "The dollar index was trading 0.12 per cent lower at 103.84 against six major peers. "
            "Brent crude futures fell 0.35 per cent to USD 74.62 per barrel.")
    day2 = ("The rupee fell 9 paise to 83.50 against the US dollar in early trade on Wednesday. "
            "At the interbank foreign exchange, the rupee opened at 83.48 and touched 83.50 against the greenback. "
            "On Tuesday, the rupee settled at 83.41 against the US dollar. "
            "The dollar index was trading 0.74 per cent higher at 104.61 against six major peers. "
            "Brent crude futures rose 0.64 per cent to USD 75.10 per barrel.")
    f = pair_features(profile(day1), profile(day2))
    assert f["numbered_pairs"] >= 3 and is_templated(f)
    assert not is_templated(pair_features(profile(SOURCE), profile(REWRITE)))


def test_sentences_inside_quotation_marks_are_told_apart():
    text = ('The minister spoke to reporters outside the ministry on Monday morning after the meeting.\n'
            '"We will rebuild every house that the river destroyed, and we will start this week," she said.\n'
            '"No family will be left without a roof before the winter comes to the valley.\n'
            'Officials said the repairs would cost several million over the coming two years.')
    p = profile(text)
    assert p.sentence_quoted == (False, True, True, False)


def test_using_model_sets_the_model_decisions_use_inside_the_block_only():
    from dataclasses import replace

    from dedup.model import default_model, shipped_model, using_model

    strict = replace(shipped_model(), threshold=0.99)
    with using_model(strict):
        assert default_model() is strict
    assert default_model() is shipped_model()
