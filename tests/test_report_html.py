"""The editors' HTML report: escaped, self-contained, complete, and linear in size.

Every text here is invented for these tests.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from dedup.cli import main
from dedup.config import Config
from dedup.diff import diff_texts
from dedup.diff_render import to_runs
from dedup.errors import DedupError
from dedup.report.html import (COPY_SIDE, encode_runs, json_block, read_texts, record_inputs, render_report,
                               report_model, similarity_histogram, sort_groups, text_ops, write_report)
from dedup.types import DocumentResult, Group, Member, ScanResult, Span

WIRE = ("Harbour workers in Velmora ended a nine-day strike on Tuesday after the port authority agreed "
        "to raise night-shift pay by twelve percent, union leader Odile Marrant said.\n\n"
        "\"We did not want to stop the ships, but nobody listened until we did,\" Marrant told reporters "
        "outside the union hall.\n\n"
        "The stoppage had left more than forty container vessels waiting at anchor off the coast, "
        "according to the authority.\n\n"
        "Exporters of dried fruit and timber said the delays cost them orders from three countries.")
FURNITURE = "Sign up for our morning newsletter"
NETWORK_RE = re.compile(r'<(script|link|img)[^>]+(src|href)=["\']?(https?:)?//', re.I)
JSON_BLOCK_RE = re.compile(r'<script type="application/json" id="([^"]+)">(.*?)</script>', re.S)


def edited(text: str) -> str:
    return text.replace("ended", "called off").replace("told reporters", "said")


def make_result(groups: list[list[tuple[str, str, str | None, str | None]]], unique: list[tuple[str, str]] = ()):
    """A ScanResult from groups of (id, text, relation, date) -- the first of each is the source --
    and documents in no group; returns (result, texts)."""
    docs, built, texts = [], [], {}
    for k, members in enumerate(groups):
        source = members[0][0]
        records = []
        for doc_id, text, relation, date in members:
            texts[doc_id] = text
            role = "source" if doc_id == source else "copy"
            spans = tuple(Span(m.start(), m.end(), m.group(), "newsletter") for m in re.finditer(FURNITURE, text))
            records.append(Member(doc_id, role, relation, 1.0 if role == "source" else 0.6, 0.9))
            docs.append(DocumentResult(doc_id, source, role, source, relation, 0.6, 0.9, spans,
                                       f"Title of {doc_id}", f"site{k}.example", date))
        built.append(Group(source, source, "earliest date", tuple(records)))
    for doc_id, text in unique:
        texts[doc_id] = text
        docs.append(DocumentResult(doc_id, None, "unique", None, None, None, None))
    return ScanResult(tuple(docs), tuple(built), (), (), Config(workers=1), {}), texts


def blocks(html: str) -> dict[str, object]:
    return {name: json.loads(body) for name, body in JSON_BLOCK_RE.findall(html)}


def decode(ops: list[list], text: str) -> list[tuple[str, str]]:
    """What the page's script does: copy-side lengths are UTF-16 units into the copy's text."""
    units, pos, out = text.encode("utf-16-le"), 0, []
    for op in ops:
        if isinstance(op[1], int):
            out.append((op[0], units[2 * pos:2 * (pos + op[1])].decode("utf-16-le")))
            pos += op[1]
        else:
            out.append((op[0], op[1]))
    return out


def copy_codes() -> set[str]:
    return set(COPY_SIDE.values())


def test_article_text_is_escaped_and_comes_back_whole():
    hostile = WIRE + "\n\n<script>alert('x')</script></script><!-- <img src=x onerror=alert(1)> & \u2028 done"
    result, texts = make_result([[("wire", WIRE, None, "2024-05-02"), ("copy", hostile, "edited", "2024-05-03")]])
    html = render_report(result, texts)
    assert "<script>alert('x')</script>" not in html
    assert "<img src=x" not in html and "<!-- <img" not in html
    assert not NETWORK_RE.search(html)
    data = blocks(html)
    assert data["data-0"]["texts"] == {"wire": WIRE, "copy": hostile}
    # the copy's ops spell it exactly; the hostile line is there as plain characters
    pieces = decode(data["data-0"]["ops"]["copy"], hostile)
    assert "".join(t for c, t in pieces if c in copy_codes()) == hostile


def test_report_shows_groups_members_and_figures():
    result, texts = make_result(
        [[("wire", WIRE, None, "2024-05-02"), ("same", WIRE, "verbatim", "2024-05-02"),
          ("changed", edited(WIRE) + "\n\n" + FURNITURE, "edited", "2024-05-03")]],
        unique=[("alone", "An unrelated piece about a village choir winning a regional prize.")])
    html = render_report(result, texts)
    for text in ("wire", "same", "changed", "alone", "earliest date", "site0.example", "Title of changed"):
        assert text in html
    assert 'data-relation="verbatim"' in html and 'data-relation="edited"' in html
    ops = blocks(html)["data-0"]["ops"]
    codes = [op[0] for op in ops["changed"]]
    assert "d" in codes and "i" in codes  # reworded phrases: the source's and the copy's wording
    assert ["b", len(FURNITURE), "newsletter"] in ops["changed"]  # furniture marked apart, with its rule
    assert {op[0] for op in ops["same"]} == {"="}
    assert blocks(html)["unique-data"] == [{"id": "alone", "title": "", "site": "", "date": ""}]


def test_same_input_same_report():
    result, texts = make_result([[("wire", WIRE, None, None), ("copy", edited(WIRE), "edited", None)],
                                 [("w2", WIRE, None, None), ("c2", WIRE + "\n\n" + FURNITURE, "verbatim", None)]])
    assert render_report(result, texts) == render_report(result, dict(reversed(list(texts.items()))))


def test_groups_are_sorted_by_size_then_most_recent_source():
    result, _ = make_result([
        [("a", WIRE, None, "2024-01-01"), ("a2", WIRE, "verbatim", None)],
        [("b", WIRE, None, "2024-03-01"), ("b2", WIRE, "verbatim", None)],
        [("c", WIRE, None, None), ("c2", WIRE, "verbatim", None), ("c3", WIRE, "verbatim", None)],
        [("d", WIRE, None, None), ("d2", WIRE, "verbatim", None)],
    ])
    docs = {d.id: d for d in result.documents}
    assert [g.cluster for g in sort_groups(result.groups, docs)] == ["c", "b", "a", "d"]


@given(st.lists(st.tuples(st.floats(0, 1), st.sampled_from(["verbatim", "edited", "rewrite", "partial"])),
                max_size=60))
def test_histogram_counts_every_copy_once(values):
    hist = similarity_histogram(values)
    assert sum(b["total"] for b in hist["bars"]) == len(values)
    assert all(sum(s["count"] for s in b["stack"]) == b["total"] for b in hist["bars"])
    assert all(0 <= s["y"] <= hist["height"] + 1e-6 for b in hist["bars"] for s in b["stack"])


WORDS = ["harbour", "strike", "union", "pay", "ships", "timber", "authority", "night", "anchor", "coast",
         "Velmora", "Marrant", "naïve", "日本", "😀", "«quoted»", "it’s", "<b>", "&amp;", "</script>"]
sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=9).map(lambda w: " ".join(w).capitalize() + ".")
article = st.lists(sentence, min_size=1, max_size=6).map(" ".join)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(article, article, st.lists(sentence, max_size=2))
def test_encoded_runs_spell_the_copy_exactly(source, tail, extra):
    copy = source.replace("strike", "walkout") + " " + " ".join(extra) + " " + tail
    diff = diff_texts(source, copy, copy_boilerplate=())
    ops = encode_runs(to_runs(diff), copy)
    assert "".join(t for c, t in decode(ops, copy) if c in copy_codes()) == copy


@given(st.text(max_size=80), st.lists(st.tuples(st.integers(0, 80), st.integers(0, 20)), max_size=4))
def test_text_ops_spell_the_text_and_mark_its_spans(text, cuts):
    spans = [Span(min(a, len(text)), min(a + n, len(text)), text[min(a, len(text)):min(a + n, len(text))], "rule")
             for a, n in cuts]
    pieces = decode(text_ops(text, spans), text)
    assert "".join(t for _, t in pieces) == text
    marked = {i for s in spans for i in range(s.start, s.end)}
    pos = 0
    for code, piece in pieces:
        assert all((i in marked) == (code == "b") for i in range(pos, pos + len(piece)))
        pos += len(piece)


def test_json_block_cannot_close_its_script():
    value = {"t": "</script><script>alert(1)</script> & 'q'"}
    dumped = json_block(value)
    assert "<" not in dumped and ">" not in dumped and json.loads(dumped) == value


def test_texts_are_read_again_from_the_recorded_inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wire.txt").write_text(WIRE, encoding="utf-8")
    (folder / "copy.txt").write_text(edited(WIRE), encoding="utf-8")
    result, _ = make_result([[("wire", WIRE, None, None), ("copy", edited(WIRE), "edited", None)]])
    with pytest.raises(DedupError, match="did not record its inputs"):
        read_texts(result)
    recorded = record_inputs(result, [folder])
    assert recorded.stats["inputs"]["paths"] == [str(folder.resolve())]
    assert read_texts(recorded) == {"wire": WIRE, "copy": edited(WIRE)}
    (folder / "copy.txt").unlink()
    with pytest.raises(DedupError, match="not in its inputs"):
        read_texts(recorded)


def test_changed_inputs_are_refused(tmp_path):
    (tmp_path / "wire.txt").write_text(WIRE + "\n" + FURNITURE, encoding="utf-8")
    (tmp_path / "copy.txt").write_text(WIRE, encoding="utf-8")
    result, _ = make_result([[("wire", WIRE + "\n" + FURNITURE, None, None), ("copy", WIRE, "verbatim", None)]])
    (tmp_path / "wire.txt").write_text("Another text entirely.\n" + WIRE + "\n" + FURNITURE, encoding="utf-8")
    with pytest.raises(DedupError, match="changed since the scan"):
        read_texts(record_inputs(result, [tmp_path]))


def test_write_report_refuses_missing_texts(tmp_path):
    result, texts = make_result([[("wire", WIRE, None, None), ("copy", WIRE, "verbatim", None)]])
    with pytest.raises(DedupError, match="no text for 1 documents"):
        write_report(result, tmp_path / "r.html", {"wire": WIRE})


def test_scan_report_and_report_command(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "wire.txt").write_text(WIRE, encoding="utf-8")
    (folder / "copy.txt").write_text(edited(WIRE) + "\n\n<script>alert('x')</script>", encoding="utf-8")
    (folder / "other.txt").write_text("A village choir from the hills won the regional singing prize on "
                                      "Sunday, its third in a row, after a final against a school ensemble.",
                                      encoding="utf-8")
    runner = CliRunner()
    out, first = tmp_path / "out", tmp_path / "first.html"
    done = runner.invoke(main, ["scan", str(folder), "-o", str(out), "--report", str(first), "-q"])
    assert done.exit_code == 0, done.output
    html = first.read_text(encoding="utf-8")
    assert "<script>alert('x')</script>" not in html and "copy" in html and "other" in html
    second = tmp_path / "second.html"
    done = runner.invoke(main, ["report", str(out), "-o", str(second), "--workers", "1"])
    assert done.exit_code == 0, done.output
    assert second.read_text(encoding="utf-8") == html  # the same report, later, from the output directory
    moved = tmp_path / "moved"
    folder.rename(moved)
    done = runner.invoke(main, ["report", str(out), "-o", str(second)])
    assert done.exit_code == 2 and "no such file" in done.output
    done = runner.invoke(main, ["report", str(out), "-o", str(second), "--input", str(moved)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(main, ["report", str(tmp_path / "nowhere"), "-o", str(second)])
    assert done.exit_code == 2 and "not a directory" in done.output


def synthetic(n_groups: int):
    """n_groups groups of the same shape: a source and three copies (verbatim, edited, with furniture)."""
    groups = [[(f"g{k}-wire", WIRE, None, f"2024-05-{k % 28 + 1:02d}"), (f"g{k}-same", WIRE, "verbatim", None),
               (f"g{k}-edit", edited(WIRE), "edited", None), (f"g{k}-plus", WIRE + "\n\n" + FURNITURE, "verbatim", None)]
              for k in range(n_groups)]
    return make_result(groups)


class OnceEngine:
    """Runs each distinct diff once (the groups repeat the same texts), so the test stays fast."""

    def __init__(self):
        self.done = {}

    def map(self, func, batches, *args):
        for batch in batches:
            keys = [repr(item) for item in batch]
            todo = [item for key, item in zip(keys, batch) if key not in self.done]
            for item, found in zip(todo, func(todo, *args) if todo else []):
                self.done[repr(item)] = found
            yield [self.done[key] for key in keys]


def test_file_size_grows_linearly_with_the_groups():
    engine, sizes = OnceEngine(), {}
    for n in (200, 2000):
        result, texts = synthetic(n)
        sizes[n] = len(render_report(result, texts, engine=engine).encode("utf-8"))
    assert 8.5 < sizes[2000] / sizes[200] < 10.5, sizes
    per_group = (sizes[2000] - sizes[200]) / 1800
    texts_per_group = sum(len(t) for t in synthetic(1)[1].values())
    # every text once, its ops and the member rows: a bounded overhead per member
    assert texts_per_group < per_group < texts_per_group + 4 * 1200, (per_group, texts_per_group)


def test_model_counts():
    result, texts = synthetic(3)
    model = report_model(result, texts)
    assert (model["n_groups"], model["n_copies"], model["n_documents"]) == (3, 9, 12)
    assert dict(model["by_relation"]) == {"verbatim": 6, "edited": 3, "rewrite": 0, "partial": 0}
