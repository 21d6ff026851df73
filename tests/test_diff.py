"""The diff: exact replay (any texts), phrase-level changes, classification, renderings, the CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.cli import main
from dedup.diff import apply_script, diff_texts, revert_script, word_edits
from dedup.diff_render import escape_word, to_html, to_json, to_runs, to_word, word_replay
from dedup.types import Span

SOURCE = (
    "Harbour officials in Velmora said on Tuesday that the ferry strike had ended.\n\n"
    "The union accepted a pay offer of 4.5 percent after three days of talks.\n\n"
    "Ferries to the outer islands will run on a reduced timetable until Friday.\n\n"
    "The port authority thanked passengers for their patience."
)
COPY = (
    "Harbour officials in Velmora said Tuesday that the ferry strike was over.\n\n"
    "Ferries to the outer islands will run on a reduced timetable until Friday.\n\n"
    "The union accepted a pay offer of 4.5 percent after three days of talks.\n\n"
    "Share this article\nFollow us on social media"
)


def _no_boilerplate(source: str, copy: str, **kw):
    return diff_texts(source, copy, copy_boilerplate=(), **kw)


# Any text: letters of several scripts, digits, punctuation, the word-diff markers and backslashes,
# and every kind of whitespace.
_ALPHABET = st.sampled_from(list("ab cA.\n\t,-[]{}+\\'’“”") + ["\u00a0", "日本", "ก", "é", "ß", "ї", "!", "?", "  "])
_TEXT = st.lists(_ALPHABET, max_size=60).map("".join)
_WORDS = st.lists(st.sampled_from(["the", "ferry", "strike", "ended", "talks", "union", ".", ",", " ", "\n\n",
                                   "[-", "+}", "\\", "日本語", "ক্ষ", "Ω"]), max_size=40).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_TEXT, _WORDS, st.text(max_size=80)), st.one_of(_TEXT, _WORDS, st.text(max_size=80)))
def test_replay_is_exact_for_any_two_texts(source, copy):
    diff = _no_boilerplate(source, copy)
    assert apply_script(diff.script, source) == copy
    assert revert_script(diff.script, copy) == source
    word = to_word(diff)
    assert word_replay(word, "source") == source
    assert word_replay(word, "copy") == copy


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_escaped_text_reads_back_as_itself(text):
    assert word_replay(escape_word(text), "source") == text
    assert word_replay(escape_word(text), "copy") == text


def test_empty_texts():
    for source, copy in (("", ""), ("", "Something new."), ("Something old.", ""), (" \n", "\t")):
        diff = _no_boilerplate(source, copy)
        assert apply_script(diff.script, source) == copy
        assert word_replay(to_word(diff), "copy") == copy


def test_word_replay_rejects_broken_input():
    with pytest.raises(ValueError):
        word_replay("[-unclosed", "source")
    with pytest.raises(ValueError):
        word_replay("lone\\", "copy")
    with pytest.raises(ValueError):
        word_replay("x", "both")


def test_nearby_word_edits_are_one_change():
    source = "The minister “most strongly denounces and rejects” the plan."
    copy = "The minister “strongly condemns and rejects” the plan."
    changes = _no_boilerplate(source, copy).changes
    assert [(c.op, c.old, c.new) for c in changes] == [("replace", "most strongly denounces", "strongly condemns")]


def test_distant_edits_stay_apart():
    source = "Rain fell on the northern hills and the river rose by two metres overnight."
    copy = "Snow fell on the northern hills and the river rose by three metres overnight."
    changes = _no_boilerplate(source, copy).changes
    assert [(c.old, c.new) for c in changes] == [("Rain", "Snow"), ("two", "three")]


def test_punctuation_keeps_changes_apart():
    steps = word_edits("a b, c d", "x b, c y", (0, 8), (0, 8))
    assert [s[0] for s in steps] == ["replace", "equal", "replace"]


def test_classification_and_figures():
    diff = _no_boilerplate(SOURCE, COPY)
    kinds = [p.kind for p in diff.copy_parts]
    assert kinds == ["reworded", "unchanged", "unchanged", "added", "added"]
    moved = [p for p in diff.copy_parts if p.moved]
    assert len(moved) == 1 and diff.moved[0].old == diff.moved[0].new
    assert [p.kind for p in diff.source_parts] == ["reworded", "kept", "kept", "removed"]
    assert [b.text for b in diff.removed] == ["The port authority thanked passengers for their patience."]
    assert [b.text for b in diff.added] == ["Share this article\nFollow us on social media"]
    assert not diff.added[0].boilerplate
    stats = diff.stats
    assert stats["source_verbatim"] + stats["source_reworded"] + stats["source_removed"] == pytest.approx(1, abs=1e-3)
    assert stats["copy_unchanged"] + stats["copy_reworded"] + stats["copy_new"] + stats["copy_boilerplate"] \
        == pytest.approx(1, abs=1e-3)
    assert stats["sentences_moved"] == 1 and stats["sentences_removed"] == 1


def test_added_boilerplate_carries_the_rule():
    start = COPY.index("Share this article")
    span = Span(start, len(COPY), COPY[start:], "share-links")
    diff = diff_texts(SOURCE, COPY, copy_boilerplate=(span,))
    assert [(b.boilerplate, b.rule) for b in diff.added] == [(True, "share-links")]
    assert diff.stats["copy_boilerplate"] > 0 and diff.stats["copy_new"] == 0
    html = to_html(diff)
    assert 'class="bp" title="boilerplate: share-links"' in html
    assert 'class="moved"' in html and '<del class="chg">on </del>' in html


def test_renderings():
    diff = _no_boilerplate(SOURCE, COPY)
    data = json.loads(json.dumps(to_json(diff, "a.txt", "b.txt")))
    assert data["source"] == "a.txt" and data["copy"] == "b.txt"
    assert {c["op"] for c in data["changes"]} <= {"replace", "insert", "delete"}
    assert any(c["old"] == "had ended" and c["new"] == "was over" for c in data["changes"])
    assert data["removed"][0]["text"].startswith("The port authority")
    assert data["moved"] and data["stats"]["changes"] == len(data["changes"])
    html = to_html(diff)
    assert html.startswith('<div class="dedup-diff"') and html.endswith("</div>")
    assert '<del class="removed"' in html and '<ins class="new"' in html
    assert "".join(text for text, _ in to_runs(diff) if _ not in ("del", "removed", "moved-from")) == COPY


def test_html_escapes_the_texts():
    diff = _no_boilerplate("<b>Old</b> & co.", "<script>alert(1)</script> & co.")
    html = to_html(diff)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp; co." in html


def _seed(shared: Path, prefix: str) -> Path:
    return next((shared / "seeds").glob(f"{prefix}_*.txt"))


def test_seeds_004_to_001_and_000(shared_dir):
    source = _seed(shared_dir, "004").read_text(encoding="utf-8")
    for prefix in ("001", "000"):
        copy = _seed(shared_dir, prefix).read_text(encoding="utf-8")
        diff = diff_texts(source, copy)
        assert apply_script(diff.script, source) == copy
        if prefix == "001":
            assert any("most strongly denounces" in c.old and "strongly condemns" in c.new for c in diff.changes)
            assert any("Tinggalkan Balasan" in b.text and b.boilerplate for b in diff.added)
        else:
            assert any("Post a Comment" in b.text and b.boilerplate for b in diff.added)
            assert any("international community is divided" in b.text and not b.boilerplate for b in diff.added)


def _dev_pairs(shared: Path):
    rows = [json.loads(line) for line in (shared / "dev" / "corpus.jsonl").read_text(encoding="utf-8").splitlines()
            if line.strip()]
    stories: dict[str, list[dict]] = {}
    for row in rows:
        stories.setdefault(row["story"], []).append(row)
    for members in stories.values():
        for original in (m for m in members if m["relation"] == "original"):
            for other in members:
                if other is not original:
                    yield original, other


def test_word_format_replays_on_every_dev_pair(shared_dir):
    pairs = list(_dev_pairs(shared_dir))
    assert pairs
    for original, other in pairs:
        diff = diff_texts(original["text"], other["text"])
        word = to_word(diff)
        assert word_replay(word, "source") == original["text"], (original["id"], other["id"])
        assert word_replay(word, "copy") == other["text"], (original["id"], other["id"])


def test_cli_formats(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(SOURCE, encoding="utf-8")
    b.write_text(COPY, encoding="utf-8")
    runner = CliRunner()
    word = runner.invoke(main, ["diff", str(a), str(b), "--format", "word"])
    assert word.exit_code == 0 and word_replay(word.output, "copy") == COPY
    data = json.loads(runner.invoke(main, ["diff", str(a), str(b), "--format", "json"]).output)
    assert data["changes"] and data["stats"]["source_chars"] > 0
    html = runner.invoke(main, ["diff", str(a), str(b), "--format", "html"])
    assert html.exit_code == 0 and "dedup-diff" in html.output
    text = runner.invoke(main, ["diff", str(a), str(b)])
    assert text.exit_code == 0 and "Velmora" in text.output


def test_cli_names_bad_files(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("A sentence.", encoding="utf-8")
    bad.write_bytes(b"ok line\n\xff\xfe broken")
    runner = CliRunner()
    missing = runner.invoke(main, ["diff", str(tmp_path / "nope.txt"), str(good)])
    assert missing.exit_code == 2 and "nope.txt" in missing.output
    invalid = runner.invoke(main, ["diff", str(good), str(bad)])
    assert invalid.exit_code == 2 and "bad.txt:2" in invalid.output and "UTF-8" in invalid.output


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(_TEXT, _WORDS), st.one_of(_TEXT, _WORDS, st.just("Comments\nPost a Comment\nShare this:")))
def test_replay_is_exact_with_the_boilerplate_finder(source, copy):
    diff = diff_texts(source, copy)  # copy_boilerplate found by dedup.boilerplate when present
    assert apply_script(diff.script, source) == copy
    assert word_replay(to_word(diff), "source") == source
