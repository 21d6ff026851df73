"""Settling verified matches: which further pairs are verified before grouping, and why."""
from __future__ import annotations

from dedup.settle import (EXPAND_FLOOR, MAX_EXPAND, bridge_candidates, expansion_candidates, settle_matches,
                          support_candidates)
from dedup.types import Candidate, Match


def match(a: str, b: str, relation: str | None, score: float, ca: float = 0.1, cb: float = 0.1) -> Match:
    a, b, ca, cb = (a, b, ca, cb) if a < b else (b, a, cb, ca)
    return Match(a, b, min(ca, cb), ca, cb, relation, score)


def test_a_lone_document_resembling_a_member_is_checked_against_the_whole_group():
    comps = [["m1", "m2", "m3"]]
    matches = [match("m1", "m2", "verbatim", 1.0, 0.9, 0.9), match("m2", "m3", "edited", 1.0, 0.7, 0.7),
               match("lone", "m1", None, EXPAND_FLOOR + 0.05)]
    assert expansion_candidates(comps, matches) == [Candidate("lone", "m2", "expansion"),
                                                    Candidate("lone", "m3", "expansion")]
    # a faint resemblance asks for nothing, and neither does a document already in a group
    faint = matches[:2] + [match("lone", "m1", None, EXPAND_FLOOR - 0.05)]
    assert expansion_candidates(comps, faint) == []
    assert expansion_candidates([["m1", "m2", "m3"], ["x", "y"]], matches[:2] + [match("x", "m1", None, 0.9)]) == []


def test_expansion_is_bounded_per_group():
    members = [f"m{i:02d}" for i in range(20)]
    matches = [match("lone", "m00", None, 0.5)]
    assert len(expansion_candidates([members], matches)) == MAX_EXPAND - 1


def test_settling_finds_the_member_that_holds_the_rewritten_passage():
    # "deep" is the only copy long enough to hold the passage "lone" rewrites; the index proposed
    # only a faint pair with "short"; the verification of the expansion pair finds the rewrite
    verified = {("deep", "lone"): match("deep", "lone", "rewrite", 0.84)}

    def verify_more(pairs):
        return [verified.get((c.a, c.b), match(c.a, c.b, None, 0.05)) for c in pairs]

    matches = [match("deep", "short", "edited", 1.0, 0.55, 0.95), match("lone", "short", None, 0.25)]
    settled = settle_matches(matches, {"deep": None, "lone": None, "short": None}, verify_more)
    assert any(m.relation == "rewrite" and (m.a, m.b) == ("deep", "lone") for m in settled)


def test_support_and_bridge_pairs():
    matches = [match("a", "a2", "verbatim", 1.0, 0.9, 0.9), match("lone", "a", "rewrite", 0.8)]
    assert support_candidates(matches) == [Candidate("a2", "lone", "support")]
    comps = [["a", "a2"], ["b", "b2"]]
    linked = [match("a", "b", "rewrite", 0.8)]
    assert {(c.a, c.b) for c in bridge_candidates(comps, linked)} == {("a", "b2"), ("a2", "b"), ("a2", "b2")}
