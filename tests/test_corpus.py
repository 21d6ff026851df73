"""Reading a corpus: every format, every kind of bad input, determinism."""
from __future__ import annotations

import json
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.corpus import Corpus, expand_paths, iter_documents, read_corpus
from dedup.errors import DedupError, InputError
from dedup.types import Document


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def jsonl(*rows) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)


def kinds(corpus: Corpus) -> list[str]:
    return [p.kind for p in corpus.problems]


# --- formats -----------------------------------------------------------------------------------


def test_directory_is_read_recursively_with_relative_ids(tmp_path):
    root = tmp_path / "articles"
    write(root / "world" / "afp-nk-001.txt", "Pyongyang protested on Tuesday.")
    write(root / "local" / "fair.md", "# Fair opens\nThe county fair opened.")
    write(root / "top.txt", "A short note.")
    write(root / "notes.csv", "id,text\nx,ignored\n")  # not a text file: not part of a directory
    write(root / ".hidden" / "secret.txt", "not read")

    corpus = read_corpus(root)

    assert [d.id for d in corpus.documents] == ["local/fair", "top", "world/afp-nk-001"]
    doc = corpus.documents[2]
    assert doc.text == "Pyongyang protested on Tuesday."
    assert doc.origin == str(root / "world" / "afp-nk-001.txt")
    assert corpus.problems == ()


def test_single_text_file_gets_its_stem_as_id(tmp_path):
    path = write(tmp_path / "storm-warning.txt", "Heavy rain is expected tonight.\n")
    (doc,) = read_corpus(path).documents
    assert doc.id == "storm-warning"
    assert doc.text == "Heavy rain is expected tonight.\n"
    assert doc.origin == str(path)


def test_unknown_suffix_is_read_as_text(tmp_path):
    path = write(tmp_path / "bulletin.log", "Bridge closed for repairs.")
    (doc,) = read_corpus(path).documents
    assert (doc.id, doc.text) == ("bulletin", "Bridge closed for repairs.")


def test_text_file_bom_and_windows_line_endings(tmp_path):
    path = write(tmp_path / "win.txt", b"\xef\xbb\xbfFirst line\r\nSecond line\r\n")
    (doc,) = read_corpus(path).documents
    assert doc.text == "First line\nSecond line\n"


def test_jsonl_fields_extra_and_generated_ids(tmp_path):
    path = write(tmp_path / "feed.jsonl", jsonl(
        {"id": 7, "text": "Markets rose.", "title": "Up", "url": "https://example.test/a",
         "date": "2024-03-01", "site": "example.test", "lang": "en", "tags": ["a", "b"]},
        {"text": "No id here.", "score": 0.5},
    ))
    corpus = read_corpus(path)
    first, second = corpus.documents
    assert first.id == "7"  # ids become strings
    assert (first.title, first.url, first.date, first.site) == (
        "Up", "https://example.test/a", "2024-03-01", "example.test")
    assert first.extra == {"lang": "en", "tags": ["a", "b"]}
    assert first.origin == f"{path}:1"
    assert second.id == "feed:2"  # "<file stem>:<line>", never a bare position
    assert second.title is None
    assert second.extra == {"score": 0.5}
    assert corpus.problems == ()


def test_jsonl_custom_id_and_text_fields(tmp_path):
    path = write(tmp_path / "custom.ndjson", jsonl(
        {"doc": "a1", "body": "Council approves budget.", "id": "kept as extra"},
    ))
    (doc,) = read_corpus(path, id_field="doc", text_field="body").documents
    assert doc.id == "a1"
    assert doc.text == "Council approves budget."
    assert doc.extra == {"id": "kept as extra"}


def test_json_suffix_with_one_object_per_line(tmp_path):
    path = write(tmp_path / "lines.json", jsonl({"id": "j", "text": "One."}, {"id": "k", "text": "Two."}))
    assert [d.id for d in read_corpus(path).documents] == ["j", "k"]


def test_jsonl_bom_crlf_and_blank_lines(tmp_path):
    raw = b"\xef\xbb\xbf" + b'{"id": "a", "text": "x\\r\\ny"}\r\n\r\n{"id": "b", "text": "z"}\r\n'
    path = write(tmp_path / "win.jsonl", raw)
    corpus = read_corpus(path)
    assert [(d.id, d.text) for d in corpus.documents] == [("a", "x\r\ny"), ("b", "z")]
    assert corpus.documents[1].origin == f"{path}:3"
    assert corpus.problems == ()


def test_json_array_file_is_refused_with_a_clear_message(tmp_path):
    path = write(tmp_path / "array.json", '[{"id": "a", "text": "x"}]\n')
    with pytest.raises(InputError, match="JSON array"):
        read_corpus(path)


def test_csv_with_quoted_multiline_cell_and_line_numbers(tmp_path):
    path = write(tmp_path / "sheet.csv",
                 'id,title,text,section\n'
                 'c1,Flood,"Rivers rose.\nRoads closed, officials said.",news\n'
                 'c2,,"Short, ""quoted"" item",\n')
    corpus = read_corpus(path)
    c1, c2 = corpus.documents
    assert c1.text == "Rivers rose.\nRoads closed, officials said."
    assert c1.title == "Flood"
    assert c1.extra == {"section": "news"}
    assert c1.origin == f"{path}:2"
    assert c2.text == 'Short, "quoted" item'
    assert c2.title is None  # empty optional cell
    assert c2.extra == {"section": None}
    assert c2.origin == f"{path}:4"  # the physical line where the record starts


def test_csv_windows_line_endings_and_bom(tmp_path):
    path = write(tmp_path / "excel.csv",
                 b'\xef\xbb\xbfid,text\r\nw1,"Line one\r\nline two"\r\nw2,plain\r\n')
    corpus = read_corpus(path)
    assert [(d.id, d.text) for d in corpus.documents] == [("w1", "Line one\nline two"), ("w2", "plain")]


def test_csv_without_id_column_gets_generated_ids(tmp_path):
    path = write(tmp_path / "noid.csv", "text\nalpha\nbeta\n")
    assert [d.id for d in read_corpus(path).documents] == ["noid:2", "noid:3"]


def test_tsv(tmp_path):
    path = write(tmp_path / "table.tsv", "id\ttext\tsite\nt1\tA tab, separated\tnews.test\n")
    (doc,) = read_corpus(path).documents
    assert (doc.id, doc.text, doc.site) == ("t1", "A tab, separated", "news.test")


def test_parquet(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    table = pa.table({
        "id": ["p1", None, "p3"],
        "text": ["Ferry resumes service.", "Snow in the hills.", "Library reopens."],
        "site": ["ferry.test", None, "lib.test"],
        "words": [3, 4, 2],
    })
    path = tmp_path / "batch.parquet"
    pq.write_table(table, path, row_group_size=2)
    corpus = read_corpus(path)
    assert [d.id for d in corpus.documents] == ["p1", "batch:2", "p3"]
    assert corpus.documents[0].site == "ferry.test"
    assert corpus.documents[2].extra == {"words": 2}
    assert corpus.documents[2].origin == f"{path}:3"


def test_parquet_without_text_column(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "wrong.parquet"
    pq.write_table(pa.table({"id": ["a"], "body": ["x"]}), path)
    with pytest.raises(InputError, match="no 'text' column") as info:
        read_corpus(path)
    assert info.value.file == str(path)
    skipped = read_corpus(path, on_error="skip")
    assert skipped.documents == ()
    assert kinds(skipped) == ["malformed"] and skipped.problems[0].skipped


def test_globs_and_several_inputs_of_mixed_kinds(tmp_path):
    write(tmp_path / "data" / "b.jsonl", jsonl({"id": "b1", "text": "Bee."}))
    write(tmp_path / "data" / "a.jsonl", jsonl({"id": "a1", "text": "Ay."}))
    write(tmp_path / "parts" / "x" / "one.csv", "id,text\nx1,Ex.\n")
    write(tmp_path / "parts" / "two.csv", "id,text\nt2,Tee.\n")
    write(tmp_path / "dir" / "note.txt", "Note.")

    inputs = [str(tmp_path / "data" / "*.jsonl"), str(tmp_path / "parts" / "**" / "*.csv"),
              tmp_path / "dir"]
    assert expand_paths(inputs) == [
        tmp_path / "data" / "a.jsonl", tmp_path / "data" / "b.jsonl",
        tmp_path / "parts" / "two.csv", tmp_path / "parts" / "x" / "one.csv",
        tmp_path / "dir" / "note.txt",
    ]
    corpus = read_corpus(inputs)
    assert [d.id for d in corpus.documents] == ["a1", "b1", "t2", "x1", "note"]


def test_a_file_named_twice_is_read_once(tmp_path):
    path = write(tmp_path / "one.jsonl", jsonl({"id": "a", "text": "x"}))
    corpus = read_corpus([path, str(path), str(tmp_path / "*.jsonl")])
    assert [d.id for d in corpus.documents] == ["a"]


def test_iter_documents_streams_and_reports_problems(tmp_path):
    path = write(tmp_path / "s.jsonl", jsonl({"id": "a", "text": "x"}, {"id": "a", "text": ""}))
    problems: list = []
    stream = iter_documents(path, problems=problems)
    first = next(stream)
    assert first.id == "a" and problems == []
    second = next(stream)
    assert second.id == "a~2"
    assert [p.kind for p in problems] == ["duplicate-id", "empty-text"]
    assert list(stream) == []


# --- bad input ---------------------------------------------------------------------------------


def test_missing_path_is_named(tmp_path):
    missing = tmp_path / "nowhere.jsonl"
    with pytest.raises(InputError, match="no such file") as info:
        read_corpus([write(tmp_path / "ok.txt", "fine"), missing])
    assert info.value.file == str(missing)


def test_glob_matching_nothing_is_an_error(tmp_path):
    with pytest.raises(InputError, match="no files match"):
        expand_paths(str(tmp_path / "*.jsonl"))


def test_directory_without_text_files_is_an_error(tmp_path):
    write(tmp_path / "only.csv", "id,text\n")
    with pytest.raises(InputError, match=r"no \.txt or \.md"):
        read_corpus(tmp_path)


def test_bad_on_error_value():
    with pytest.raises(DedupError, match="on_error"):
        read_corpus([], on_error="ignore")


BAD_JSONL = jsonl({"id": "good1", "text": "Fine."}) + "{not json\n" + jsonl(
    ["a", "list"], {"id": "notext", "title": "no text"}, {"id": "num", "text": 42},
    {"id": "good2", "text": "Also fine."},
)


@pytest.mark.parametrize("line, message", [(2, "not valid JSON")])
def test_malformed_json_line_names_file_and_line(tmp_path, line, message):
    path = write(tmp_path / "bad.jsonl", BAD_JSONL)
    with pytest.raises(InputError, match=message) as info:
        read_corpus(path)
    assert (info.value.file, info.value.line) == (str(path), line)
    assert f"{path}:{line}" in str(info.value)


@pytest.mark.parametrize("bad_line, message", [
    (3, "not an object"), (4, "no 'text' field"), (5, "not a string")])
def test_each_kind_of_bad_json_record_fails(tmp_path, bad_line, message):
    lines = BAD_JSONL.splitlines(keepends=True)
    path = write(tmp_path / "one-bad.jsonl", lines[0] + lines[bad_line - 1])
    with pytest.raises(InputError, match=message) as info:
        read_corpus(path)
    assert info.value.line == 2


def test_malformed_json_lines_skipped_become_problems(tmp_path):
    path = write(tmp_path / "bad.jsonl", BAD_JSONL)
    corpus = read_corpus(path, on_error="skip")
    assert [d.id for d in corpus.documents] == ["good1", "good2"]
    assert [(p.kind, p.line, p.skipped, p.file) for p in corpus.problems] == [
        ("malformed", n, True, str(path)) for n in (2, 3, 4, 5)]
    assert "no 'text' field" in corpus.problems[2].message


def test_bad_csv_rows(tmp_path):
    path = write(tmp_path / "rows.csv",
                 "id,text,site\nr1,Good row.,a.test\nr2,Too,many,fields\nr3\nr4,Fine too.,\n")
    with pytest.raises(InputError, match="4 fields where the header has 3") as info:
        read_corpus(path)
    assert (info.value.file, info.value.line) == (str(path), 3)
    corpus = read_corpus(path, on_error="skip")
    assert [d.id for d in corpus.documents] == ["r1", "r4"]
    assert [(p.kind, p.line) for p in corpus.problems] == [("malformed", 3), ("malformed", 4)]


def test_csv_without_text_column(tmp_path):
    path = write(tmp_path / "cols.csv", "id,body\nz,words\n")
    with pytest.raises(InputError, match="no 'text' column") as info:
        read_corpus(path)
    assert (info.value.file, info.value.line) == (str(path), 1)
    other = write(tmp_path / "other.jsonl", jsonl({"id": "o", "text": "Other."}))
    corpus = read_corpus([path, other], on_error="skip")
    assert [d.id for d in corpus.documents] == ["o"]
    assert corpus.problems[0].kind == "malformed" and corpus.problems[0].skipped


def test_empty_csv_has_no_header(tmp_path):
    path = write(tmp_path / "empty.csv", "")
    with pytest.raises(InputError, match="no header row"):
        read_corpus(path)


def test_invalid_utf8_is_replaced_and_reported(tmp_path):
    text_file = write(tmp_path / "latin.txt", b"Caf\xe9 reopens")
    jsonl_file = write(tmp_path / "latin.jsonl", b'{"id": "j", "text": "Se\xf1or"}\n')
    csv_file = write(tmp_path / "latin.csv", b'id,text\nc,"two\nlines \xff"\n')
    corpus = read_corpus([text_file, jsonl_file, csv_file])
    assert [d.text for d in corpus.documents] == ["Caf\ufffd reopens", "Se\ufffdor", "two\nlines \ufffd"]
    assert [(p.kind, p.doc_id, p.line) for p in corpus.problems] == [
        ("invalid-utf8", "latin", None), ("invalid-utf8", "j", 1), ("invalid-utf8", "c", 2)]
    assert not any(p.skipped for p in corpus.problems)


def test_empty_text_is_kept_and_reported(tmp_path):
    path = write(tmp_path / "e.jsonl", jsonl({"id": "e1", "text": "  \n\t"}, {"id": "e2", "text": "Words."}))
    blank = write(tmp_path / "blank.txt", "")
    corpus = read_corpus([path, blank])
    assert [d.id for d in corpus.documents] == ["e1", "e2", "blank"]
    assert [(p.kind, p.doc_id) for p in corpus.problems] == [("empty-text", "e1"), ("empty-text", "blank")]


def test_duplicate_ids_are_renamed_and_reported(tmp_path):
    a = write(tmp_path / "a.jsonl", jsonl({"id": "x", "text": "1"}, {"id": "x", "text": "2"},
                                          {"id": "x~2", "text": "3"}))
    b = write(tmp_path / "b.csv", "id,text\nx,4\n")
    corpus = read_corpus([a, b])
    assert [d.id for d in corpus.documents] == ["x", "x~2", "x~2~2", "x~3"]
    assert [d.text for d in corpus.documents] == ["1", "2", "3", "4"]
    dup = [p for p in corpus.problems if p.kind == "duplicate-id"]
    assert [p.doc_id for p in dup] == ["x~2", "x~2~2", "x~3"]
    assert f"{a}:1" in dup[0].message and f"{a}:2" in dup[1].message
    assert dup[2].file == str(b) and dup[2].line == 2


def test_generated_ids_do_not_collide_across_files(tmp_path):
    a = write(tmp_path / "one.jsonl", jsonl({"text": "a"}))
    b = write(tmp_path / "two.jsonl", jsonl({"text": "b"}))
    corpus = read_corpus([a, b])
    assert [d.id for d in corpus.documents] == ["one:1", "two:1"]
    assert corpus.problems == ()


# --- determinism and round trip ----------------------------------------------------------------


def test_reading_is_deterministic(tmp_path):
    for name in ("zeta", "alpha", "mid", "beta"):
        write(tmp_path / "d" / name / f"{name}.txt", f"Text of {name}.")
        write(tmp_path / "j" / f"{name}.jsonl", jsonl({"text": name}, {"id": "same", "text": name}))
    inputs = [tmp_path / "d", str(tmp_path / "j" / "*.jsonl")]
    first = read_corpus(inputs)
    assert [d.id for d in first.documents][:4] == ["alpha/alpha", "beta/beta", "mid/mid", "zeta/zeta"]
    for _ in range(3):
        assert read_corpus(inputs) == first


def test_seed_directory_reads_five_articles(shared_dir):
    corpus = read_corpus(shared_dir / "seeds")
    assert len(corpus.documents) == 5
    assert [d.id[:3] for d in corpus.documents] == ["000", "001", "002", "003", "004"]
    assert all(d.text.strip() for d in corpus.documents)


ids = st.text(alphabet=string.ascii_letters + string.digits + "-_/.", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(records=st.lists(st.tuples(ids, st.text()), max_size=8, unique_by=lambda r: r[0]))
def test_jsonl_round_trip(tmp_path_factory, records):
    path = tmp_path_factory.mktemp("rt") / "round.jsonl"
    path.write_text(jsonl(*({"id": i, "text": t} for i, t in records)), encoding="utf-8")
    corpus = read_corpus(path)
    assert [(d.id, d.text) for d in corpus.documents] == records
    assert all(isinstance(d, Document) for d in corpus.documents)
    empty = [p.doc_id for p in corpus.problems if p.kind == "empty-text"]
    assert empty == [i for i, t in records if not t.strip()]
    assert [p for p in corpus.problems if p.kind != "empty-text"] == []


@settings(max_examples=60, deadline=None)
@given(records=st.lists(st.tuples(ids, st.text()), max_size=8, unique_by=lambda r: r[0]))
def test_csv_round_trip(tmp_path_factory, records):
    import csv

    path = tmp_path_factory.mktemp("rt") / "round.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows(records)
    corpus = read_corpus(path)
    assert [(d.id, d.text) for d in corpus.documents] == [
        (i, t.replace("\r\n", "\n")) for i, t in records]


def test_parquet_without_pyarrow_names_the_extra(tmp_path, monkeypatch):
    import sys

    from dedup.errors import MissingExtra

    path = write(tmp_path / "any.parquet", b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(MissingExtra, match=r"pip install 'dedup\[dask\]'"):
        read_corpus(path)


def test_csv_unclosed_quote_is_not_silently_swallowed(tmp_path):
    path = write(tmp_path / "open.csv", 'id,text\nok,Fine.\nq,"never closed\nr,would be lost\n')
    with pytest.raises(InputError, match="never closed") as info:
        read_corpus(path)
    assert info.value.line == 3
    corpus = read_corpus(path, on_error="skip")
    assert [d.id for d in corpus.documents] == ["ok"]
    assert [(p.kind, p.line, p.skipped) for p in corpus.problems] == [("malformed", 3, True)]


def test_csv_text_after_closing_quote_is_a_bad_row(tmp_path):
    path = write(tmp_path / "stray.csv", 'id,text\na,"quoted"tail\nb,Next row.\n')
    corpus = read_corpus(path, on_error="skip")
    assert [d.id for d in corpus.documents] == ["b"]
    assert [(p.kind, p.line) for p in corpus.problems] == [("malformed", 2)]


def test_null_text_is_malformed(tmp_path):
    path = write(tmp_path / "null.jsonl", jsonl({"id": "n", "text": None}))
    with pytest.raises(InputError, match="'text' field is null"):
        read_corpus(path)


def test_unreadable_file_is_named(tmp_path, monkeypatch):
    path = write(tmp_path / "locked.txt", "secret")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(InputError, match="cannot be read: Permission denied") as info:
        read_corpus(path)
    assert info.value.file == str(path)
