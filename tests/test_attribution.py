"""Choosing a group's source: earliest date, then agency credit or dateline, then containment."""
from __future__ import annotations

from datetime import date

import pytest

from dedup.attribution import choose_source, credit_score, credits, parse_date
from dedup.types import Document

STORY = ("Rescue teams pulled three hikers from a ravine in the southern hills on Tuesday after they "
         "spent two nights sheltering under a rock ledge, the mountain rescue service said.")


def docs(*items: Document) -> dict[str, Document]:
    return {d.id: d for d in items}


def flat(_: str) -> float:
    return 0.5


# --- credits -------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,kind", [
    ("VALMORA, Esteria (AFP) - " + STORY, "dateline"),
    ("KESTON, May 3 (Reuters) - " + STORY, "dateline"),
    ("NORTH HAVEN (AP) \u2014 " + STORY, "dateline"),
    (STORY + "\n\u00a9 AFP 2024", "copyright"),
    (STORY + "\nCopyright 2023 Reuters", "copyright"),
    (STORY + "\n(Reporting by Ines Varga; Editing by Tom Olu)", "reporting-by"),
    (STORY + "\nAFP\n", "credit-line"),
])
def test_agency_credits_are_recognised(text, kind):
    assert kind in credits(text)
    assert credit_score(text) >= 1


@pytest.mark.parametrize("text", [
    STORY,
    "The app said the update would arrive in spring.",  # "ap" inside a word is no agency
    "Afterwards the apartment was quiet.",
    "He was reporting by phone from the scene.",  # no parenthesised credit
])
def test_plain_text_has_no_credit(text):
    assert credits(text) == []
    assert credit_score(text) == 0


def test_credit_score_counts_distinct_kinds():
    text = "VALMORA, Esteria (AFP) - " + STORY + "\n\u00a9 AFP 2024"
    assert credit_score(text) == len(credits(text)) >= 2


# --- dates ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value,expected", [
    ("2024-07-13", date(2024, 7, 13)),
    ("2024-07-13T08:00:00Z", date(2024, 7, 13)),
    ("2024-07-13T23:30:00+02:00", date(2024, 7, 13)),
    ("2024-07-13 08:00", date(2024, 7, 13)),
    (" 2024-07-13 ", date(2024, 7, 13)),
    ("2024-07-13T08:00:00.123456", date(2024, 7, 13)),
])
def test_parse_date_reads_iso_like_values(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", [None, "", "yesterday", "not a date", "2024-13-45"])
def test_parse_date_gives_none_for_unreadable_values(value):
    assert parse_date(value) is None


# --- choosing the source -------------------------------------------------------------------------


def test_earliest_date_wins_over_credit():
    d = docs(Document("late-agency", "VALMORA (AFP) - " + STORY, date="2024-05-02"),
             Document("early-site", STORY, date="2024-05-01"))
    source, reason = choose_source(list(d), d, flat)
    assert source == "early-site"
    assert reason.startswith("earliest date")
    assert "2024-05-01" in reason


def test_an_undated_member_is_not_ruled_out_by_date():
    # wire originals are often stored without a date: only a later date rules a member out
    d = docs(Document("undated", "VALMORA (AFP) - " + STORY), Document("dated", STORY, date="2024-05-03"),
             Document("later", "VALMORA (AFP) - " + STORY, date="2024-05-04"))
    source, reason = choose_source(list(d), d, flat)
    assert source == "undated"
    assert reason.startswith("agency credit") and "1 later-dated members ruled out" in reason


@pytest.mark.parametrize("credited", [
    "VALMORA, Esteria (AFP) - " + STORY,
    STORY + "\n\u00a9 AFP",
    STORY + "\n(Reporting by Ines Varga; Editing by Tom Olu)",
])
def test_same_date_then_agency_credit_wins(credited):
    d = docs(Document("a-site", STORY + " Read more on our site.", date="2024-05-01"),
             Document("z-wire", credited, date="2024-05-01"))
    source, reason = choose_source(list(d), d, flat)
    assert source == "z-wire"
    assert reason.startswith("agency credit or dateline")


def test_then_the_member_most_contained_in_the_others():
    d = docs(Document("a", STORY), Document("b", STORY), Document("c", STORY))
    contained = {"a": 0.4, "b": 0.9, "c": 0.6}.__getitem__
    source, reason = choose_source(list(d), d, contained)
    assert source == "b"
    assert reason.startswith("the most complete text")


def test_then_the_first_id_among_equals():
    d = docs(Document("m", STORY), Document("k", STORY))
    assert choose_source(["m", "k"], d, flat) == ("k", "first id among equals")


def test_choice_does_not_depend_on_member_order():
    d = docs(Document("x1", STORY, date="2024-05-02"), Document("x2", "VALMORA (AFP) - " + STORY, date="2024-05-02"),
             Document("x3", STORY, date="2024-05-02"))
    contained = {"x1": 0.9, "x2": 0.1, "x3": 0.5}.__getitem__
    assert choose_source(["x1", "x2", "x3"], d, contained) == choose_source(["x3", "x2", "x1"], d, contained)
    assert choose_source(["x1", "x2", "x3"], d, contained)[0] == "x2"


def test_single_member():
    d = docs(Document("only", STORY))
    assert choose_source(["only"], d, flat) == ("only", "only member")


# the cheap tests in front of the credit patterns never change what they find
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_PIECES = ["AFP", "Reuters", "AP", "Associated Press", "(AP)", "© AFP", "(c) 2024 Reuters", "Copyright 2023 PTI",
           "COPYRIGHT Xinhua", "Reuters covers the world", "AFP is a leading global news agency", "dpa",
           "LONDON (Reuters) - ", "(Reporting by Ann Lee)", "\n", "\n\n", " ", "  ", "\t", "word", "Paris",
           "copy", "(C)", "is an independent global news", "EFE", "\u00a0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25))
def test_credits_equal_the_patterns_alone(pieces):
    from dedup.attribution import _CREDIT_PATTERNS, credits

    text = "".join(pieces)
    assert credits(text) == [name for name, p in _CREDIT_PATTERNS.items() if p.search(text)]
