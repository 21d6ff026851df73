"""The invented sample corpus in data/corpus.jsonl is well formed and labelled as its README says.

These tests read the file with the standard library only: they do not depend on the dedup package,
so a broken stage never hides a broken sample (and the other way round).
"""
from __future__ import annotations

import datetime
import difflib
import json
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus.jsonl"
FIELDS = ("id", "text", "title", "url", "site", "date", "story", "event", "relation", "wire", "lang", "notes")
RELATIONS = ("original", "verbatim", "edited", "rewrite", "partial", "independent")
DERIVED = ("verbatim", "edited", "rewrite", "partial")
WORD = re.compile(r"\w+", re.UNICODE)


@pytest.fixture(scope="module")
def docs() -> list[dict]:
    rows = []
    with CORPUS.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:  # pragma: no cover - the failure message is the point
                pytest.fail(f"{CORPUS.name}:{number}: not JSON: {exc}")
    return rows


@pytest.fixture(scope="module")
def by_id(docs) -> dict[str, dict]:
    return {d["id"]: d for d in docs}


@pytest.fixture(scope="module")
def stories(docs) -> dict[str, list[dict]]:
    groups = defaultdict(list)
    for d in docs:
        groups[d["story"]].append(d)
    return groups


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def longest_shared_run(a: str, b: str) -> int:
    """Length in words of the longest word sequence that two texts share."""
    wa, wb = words(a), words(b)
    match = difflib.SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb))
    return match.size


def shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def original_of(members: list[dict]) -> dict:
    return next(d for d in members if d["relation"] == "original")


# ---------------------------------------------------------------- the file itself
def test_every_line_is_an_object_with_all_fields(docs):
    assert docs, "the corpus is empty"
    for d in docs:
        missing = [f for f in FIELDS if f not in d]
        assert not missing, f"{d.get('id')}: missing {missing}"
        for field in ("id", "text", "title", "url", "site", "story", "event", "relation", "lang", "notes"):
            assert isinstance(d[field], str) and d[field].strip(), f"{d['id']}: empty {field}"
        assert d["date"] is None or isinstance(d["date"], str)
        assert d["wire"] is None or isinstance(d["wire"], str)


def test_ids_are_unique_and_readable(docs):
    counts = Counter(d["id"] for d in docs)
    assert [i for i, n in counts.items() if n > 1] == []
    for d in docs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", d["id"]), d["id"]


def test_relations_languages_dates_and_urls_are_valid(docs):
    for d in docs:
        assert d["relation"] in RELATIONS, f"{d['id']}: relation {d['relation']!r}"
        assert re.fullmatch(r"[a-z]{2}", d["lang"]), f"{d['id']}: lang {d['lang']!r}"
        if d["date"] is not None:
            datetime.date.fromisoformat(d["date"])
        assert d["url"].startswith("https://") and ".example/" in d["url"], f"{d['id']}: invented domains only"
        assert d["site"] in d["url"], f"{d['id']}: site {d['site']!r} is not the url's host"


def test_documents_are_news_length(docs):
    assert 35 <= len(docs) <= 60
    for d in docs:
        assert 150 <= len(d["text"].split()) <= 500, f"{d['id']}: {len(d['text'].split())} words"


# ---------------------------------------------------------------- stories and events
def test_each_story_has_one_original(stories):
    for story, members in stories.items():
        relations = Counter(d["relation"] for d in members)
        if len(members) == 1 and relations["independent"] == 1:
            continue  # an outlet's own piece, alone in its story
        assert relations["original"] == 1, f"story {story}: {dict(relations)}"
        assert relations["independent"] == 0, f"story {story}: an independent piece is never a copy"


def test_a_story_stays_within_one_event_language_and_wire(stories):
    for story, members in stories.items():
        for field in ("event", "lang", "wire"):
            values = {d[field] for d in members}
            assert len(values) == 1, f"story {story}: several {field}s {values}"


def test_events_with_several_stories_really_have_them(docs, stories):
    events = defaultdict(set)
    for d in docs:
        events[d["event"]].add(d["story"])
    shared = {e: s for e, s in events.items() if len(s) > 1}
    assert len(shared) >= 2, "at least two events must be covered by two different stories"
    for event, names in shared.items():
        for name in names:
            assert stories[name], f"event {event}: story {name} has no member"
    # an independent piece is only a hard negative if another story covers the same event
    for d in docs:
        if d["relation"] == "independent":
            assert len(events[d["event"]]) > 1, f"{d['id']}: independent but alone in its event"


def test_the_mix_asked_for(docs, stories):
    relations = Counter(d["relation"] for d in docs)
    for relation in DERIVED:
        assert relations[relation] >= 1, f"no {relation} copy"
    wire_stories = [s for s, m in stories.items() if len(m) > 1 and original_of(m)["wire"] not in (None, "own")
                    and 2 <= len(m) - 1 <= 5 and {d["relation"] for d in m} - {"original", "verbatim"}]
    assert len(wire_stories) >= 6, wire_stories
    assert len({original_of(stories[s])["wire"] for s in wire_stories}) >= 5, "several agencies"
    same_event_others = 0
    for name, members in stories.items():
        event = members[0]["event"]
        if any(s != name and m[0]["event"] == event for s, m in stories.items()):
            same_event_others += 1
    assert same_event_others >= 7, "at least five independent same-event pieces besides the copied stories"
    other_languages = {d["lang"] for d in docs if d["lang"] != "en"}
    assert other_languages & {"fr", "es", "de"}
    assert sum(d["lang"] == "en" for d in docs) > len(docs) / 2


def test_every_story_original_is_dated_first_with_two_documented_exceptions(stories):
    undated, same_day = [], []
    for name, members in stories.items():
        first = original_of(members)["date"] if any(d["relation"] == "original" for d in members) else None
        assert first is not None or len(members) == 1, f"story {name}: undated original"
        for d in members:
            if d["relation"] in ("original", "independent"):
                continue
            if d["date"] is None:
                undated.append(name)
            elif d["date"] == first:
                same_day.append(name)
            else:
                assert d["date"] > first, f"{d['id']} is dated before its original"
    assert len(set(undated)) == 1, f"exactly one story has an undated copy: {undated}"
    assert len(set(same_day)) == 1, f"exactly one story has a copy dated like its original: {same_day}"
    assert set(undated) != set(same_day)


# ---------------------------------------------------------------- the texts match their labels
def test_copies_share_wording_with_their_original(stories):
    need = {"verbatim": 60, "edited": 20, "partial": 40, "rewrite": 8}
    for members in stories.values():
        if len(members) == 1:
            continue
        source = original_of(members)
        for d in members:
            if d["relation"] in need:
                run = longest_shared_run(source["text"], d["text"])
                assert run >= need[d["relation"]], f"{d['id']}: longest shared run {run} words"


def test_rewrites_are_paraphrased_not_copied(stories):
    for members in stories.values():
        rewrites = [d for d in members if d["relation"] == "rewrite"]
        if not rewrites:
            continue
        source = shingles(original_of(members)["text"])
        for d in rewrites:
            mine = shingles(d["text"])
            assert len(mine & source) / len(mine) < 0.35, f"{d['id']} reads like an edited copy"


def test_independent_coverage_is_written_independently(docs):
    for d in docs:
        if d["relation"] != "independent":
            continue
        for other in docs:
            if other["event"] == d["event"] and other["story"] != d["story"]:
                run = longest_shared_run(d["text"], other["text"])
                # a quoted sentence of an official statement is allowed (independent reports quote
                # the same release); copied narrative paragraphs are not
                assert run < 30, f"{d['id']} shares {run} words with {other['id']}"


def test_one_site_carries_its_furniture_on_unrelated_articles(docs):
    def lines(d):
        return {line.strip() for line in d["text"].splitlines() if len(line.strip()) >= 40}

    by_site = defaultdict(list)
    for d in docs:
        by_site[d["site"]].append(d)
    found = []
    for site, members in by_site.items():
        for a in members:
            for b in members:
                if a["id"] < b["id"] and a["event"] != b["event"] and len(lines(a) & lines(b)) >= 2:
                    found.append((site, a["id"], b["id"]))
    assert found, "no site shares boilerplate lines between articles about different events"


def test_templated_reports_share_wording_but_not_story(docs):
    templated = [d for d in docs if "templated" in d["notes"].lower()]
    assert len(templated) >= 2
    a, b = templated[:2]
    assert a["story"] != b["story"] and a["event"] != b["event"] and a["date"] != b["date"]
    assert len(shingles(a["text"]) & shingles(b["text"])) >= 20, "templates should share much wording"
