"""`dedup scan --format sqlite`: a real database on disk holding what the JSONL output holds.

Scans data/corpus.jsonl (invented) and, when ../shared is present, the shared dev corpus; the
rows of the property test are invented by hypothesis.
"""
from __future__ import annotations

import json
import sqlite3
import weakref
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

import dedup
from dedup.cli import main
from dedup.config import Config
from dedup.errors import DedupError
from dedup.report.sqlite import FILENAME, read_rows, read_summary, write_sqlite
from dedup.report.writers import write_scan

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus.jsonl"
TABLES = {"documents", "boilerplate", "clusters", "members", "pairs", "scan"}


@pytest.fixture(scope="module")
def corpus_result():
    return dedup.scan(str(CORPUS), Config(workers=1))


@pytest.fixture(scope="module")
def both_outputs(corpus_result, tmp_path_factory):
    """The same scan written as JSONL and as SQLite."""
    root = tmp_path_factory.mktemp("outputs")
    write_scan(corpus_result, root / "jsonl", "jsonl")
    written = write_scan(corpus_result, root / "sqlite", "sqlite")
    return root / "jsonl", root / "sqlite", written


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def test_write_scan_writes_the_database_and_scan_json(both_outputs):
    _, out, written = both_outputs
    assert written == [out / FILENAME, out / "scan.json"]
    assert sorted(p.name for p in out.iterdir()) == [FILENAME, "scan.json"]  # no temporary file left
    with connect(out / FILENAME) as conn:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        indexes = {r[0] for r in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    assert names == TABLES
    assert indexes == {"CREATE INDEX documents_cluster ON documents(cluster)",
                       "CREATE INDEX documents_site ON documents(site)",
                       "CREATE INDEX members_id ON members(id)", "CREATE INDEX pairs_b ON pairs(b)"}


def test_every_input_document_appears_exactly_once(both_outputs):
    _, out, _ = both_outputs
    input_ids = [row["id"] for row in jsonl(CORPUS)]
    with connect(out / FILENAME) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM documents ORDER BY ordinal")]
        repeated = conn.execute("SELECT id FROM documents GROUP BY id HAVING count(*) > 1").fetchall()
    assert ids == input_ids
    assert repeated == []


def test_foreign_keys_and_integrity_check_clean(both_outputs):
    _, out, _ = both_outputs
    with connect(out / FILENAME) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        # every grouped document's group is a row of clusters, and the groups hold members
        assert conn.execute("SELECT count(*) FROM documents d LEFT JOIN clusters c ON c.cluster = d.cluster "
                            "WHERE d.cluster IS NOT NULL AND c.cluster IS NULL").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM members").fetchone()[0] > 0


def test_sql_rows_equal_the_jsonl_content(both_outputs):
    """Plain SELECTs (not the module's reader) give the JSONL output's values."""
    plain, out, _ = both_outputs
    docs, clusters, pairs = (jsonl(plain / f"{n}.jsonl") for n in ("documents", "clusters", "pairs"))
    with connect(out / FILENAME) as conn:
        got_docs = conn.execute("SELECT id, cluster, role, source, relation, similarity, containment, "
                                "boilerplate_chars, title, site, date, url, extra FROM documents ORDER BY ordinal")
        assert [tuple(r) for r in got_docs] == [
            (d["id"], d["cluster"], d["role"], d["source"], d["relation"], d["similarity"], d["containment"],
             d["boilerplate_chars"], d["title"], d["site"], d["date"], d["url"],
             json.dumps(d["extra"], ensure_ascii=False) if "extra" in d else None) for d in docs]
        spans = conn.execute('SELECT document_id, "start", "end", rule, text FROM boilerplate '
                             "JOIN documents ON documents.id = document_id "
                             "ORDER BY documents.ordinal, boilerplate.ordinal").fetchall()
        assert spans == [(d["id"], s["start"], s["end"], s["rule"], s["text"]) for d in docs for s in d["boilerplate"]]
        got_clusters = conn.execute("SELECT cluster, source, source_reason, size FROM clusters ORDER BY ordinal")
        assert got_clusters.fetchall() == [(c["cluster"], c["source"], c["source_reason"], c["size"]) for c in clusters]
        members = conn.execute("SELECT m.cluster, m.id, m.role, m.relation, m.similarity, m.containment, m.score, "
                               "m.features FROM members m JOIN clusters c USING (cluster) "
                               "ORDER BY c.ordinal, m.ordinal").fetchall()
        assert [r[:7] + (json.loads(r[7]),) for r in members] == [
            (c["cluster"], m["id"], m["role"], m["relation"], m["similarity"], m["containment"], m["score"],
             m["features"]) for c in clusters for m in c["members"]]
        got_pairs = conn.execute("SELECT a, b, relation, score, jaccard, containment_a, containment_b, features "
                                 "FROM pairs ORDER BY ordinal").fetchall()
        assert [r[:7] + (json.loads(r[7]),) for r in got_pairs] == [
            (p["a"], p["b"], p["relation"], p["score"], p["jaccard"], p["containment_a"], p["containment_b"],
             p["features"]) for p in pairs]
    assert len(pairs) > 0 and len(clusters) > 0


def test_read_rows_gives_the_jsonl_rows(both_outputs):
    plain, out, _ = both_outputs
    for name in ("documents", "clusters", "pairs"):
        assert list(read_rows(out / FILENAME, name)) == jsonl(plain / f"{name}.jsonl"), name
    assert read_summary(out / FILENAME) == json.loads((plain / "scan.json").read_text(encoding="utf-8"))


def test_an_editors_query(both_outputs):
    """'Every rewrite, with its group's source and the source's site' in one SQL statement."""
    plain, out, _ = both_outputs
    expected = sorted((m["id"], c["source"]) for c in jsonl(plain / "clusters.jsonl")
                      for m in c["members"] if m["relation"] == "rewrite")
    with connect(out / FILENAME) as conn:
        rows = conn.execute("SELECT m.id, c.source, s.site FROM members m JOIN clusters c USING (cluster) "
                            "JOIN documents s ON s.id = c.source WHERE m.relation = 'rewrite' "
                            "ORDER BY m.id, c.source").fetchall()
    assert [r[:2] for r in rows] == expected and expected
    assert all(site for _, _, site in rows)


def test_same_scan_writes_the_same_database(corpus_result, tmp_path):
    write_scan(corpus_result, tmp_path / "one", "sqlite")
    write_scan(corpus_result, tmp_path / "two", "sqlite")
    assert (tmp_path / "one" / FILENAME).read_bytes() == (tmp_path / "two" / FILENAME).read_bytes()


def test_rewriting_replaces_an_existing_database(corpus_result, tmp_path):
    (tmp_path / FILENAME).write_bytes(b"not a database at all")
    write_scan(corpus_result, tmp_path, "sqlite")
    reader = connect(tmp_path / FILENAME)  # a reader keeps the file it opened
    try:
        before = reader.execute("SELECT count(*) FROM documents").fetchone()
        write_scan(corpus_result, tmp_path, "sqlite")
        assert reader.execute("SELECT count(*) FROM documents").fetchone() == before == (54,)
    finally:
        reader.close()
    assert [r["id"] for r in read_rows(tmp_path / FILENAME, "documents")] == [r["id"] for r in jsonl(CORPUS)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILENAME, "scan.json"]


def doc(doc_id: str, cluster: str | None = None, role: str = "unique") -> dict:
    return {"id": doc_id, "cluster": cluster, "role": role, "source": cluster, "relation": None, "similarity": None,
            "containment": None, "boilerplate": [], "title": None, "site": None, "date": None, "url": None,
            "boilerplate_chars": 0}


def group(cluster: str, *ids: str) -> dict:
    return {"cluster": cluster, "source": ids[0], "source_reason": "earliest date", "size": len(ids),
            "members": [{"id": i, "role": "source" if k == 0 else "copy", "relation": None if k == 0 else "edited",
                         "similarity": 1.0, "containment": 1.0, "score": 1.0, "features": {}}
                        for k, i in enumerate(ids)]}


@pytest.mark.parametrize("docs, clusters, pairs, why", [
    ([doc("a", "a", "source")], [group("a", "a", "ghost")], [], "writing clusters"),  # a member no document is
    ([doc("a", "elsewhere", "copy")], [], [], "document 'a' is in group 'elsewhere'"),  # a missing group
    ([doc("a"), doc("a")], [], [], "documents.id"),  # the same id twice
    ([doc("a")], [], [{"a": "a", "b": "ghost", "relation": "verbatim", "score": 1.0, "jaccard": 1.0,
                       "containment_a": 1.0, "containment_b": 1.0, "features": {}}], "writing pairs"),
])
def test_rows_that_do_not_hold_together_leave_the_old_database(tmp_path, docs, clusters, pairs, why):
    write_sqlite(tmp_path, [doc("old")], [], [])
    with pytest.raises(DedupError, match="do not hold together") as raised:
        write_sqlite(tmp_path, docs, clusters, pairs)
    assert why in str(raised.value)
    assert [r["id"] for r in read_rows(tmp_path / FILENAME, "documents")] == ["old"]
    assert [p.name for p in tmp_path.iterdir()] == [FILENAME]


def test_rows_are_streamed_in_batches(tmp_path):
    """Rows are taken from the iterators a batch at a time, never all held at once."""

    class Row(dict):
        pass

    alive = most = 0

    def freed() -> None:
        nonlocal alive
        alive -= 1

    def rows(n: int):
        nonlocal alive, most
        for k in range(n):
            row = Row(doc(f"d{k:05d}"))
            weakref.finalize(row, freed)
            alive += 1
            most = max(most, alive)
            yield row

    write_sqlite(tmp_path, rows(2000), iter(()), iter(()), batch_rows=50)
    assert most <= 2 * 50 + 1
    with connect(tmp_path / FILENAME) as conn:
        assert conn.execute("SELECT count(*), min(id), max(id) FROM documents").fetchone() == (2000, "d00000", "d01999")


def test_unreadable_databases_are_errors(tmp_path):
    (tmp_path / FILENAME).write_bytes(b"plain bytes, no tables")
    with pytest.raises(DedupError, match="not a database"):
        list(read_rows(tmp_path / FILENAME, "documents"))
    with pytest.raises(DedupError, match="missing"):
        list(read_rows(tmp_path / "nowhere" / FILENAME, "documents"))
    write_sqlite(tmp_path, [doc("a")], [], [])
    with pytest.raises(DedupError, match="choose one of"):
        list(read_rows(tmp_path / FILENAME, "boilerplate"))


def test_cli_scan_to_sqlite_then_report(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["scan", str(CORPUS), "-o", str(tmp_path / "out"), "--format", "sqlite", "-q"],
                           prog_name="dedup", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / FILENAME).is_file() and (tmp_path / "out" / "scan.json").is_file()
    result = runner.invoke(main, ["scan", str(CORPUS), "-o", str(tmp_path / "plain"), "-q"], prog_name="dedup",
                           catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for name, out in (("from-sqlite.html", "out"), ("from-jsonl.html", "plain")):
        result = runner.invoke(main, ["report", str(tmp_path / out), "-o", str(tmp_path / name), "--workers", "1"],
                               prog_name="dedup", catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert "54 documents" in result.output
    html = (tmp_path / "from-sqlite.html").read_text(encoding="utf-8")
    assert "Floods kill 14 in southern Chile" in html
    assert html == (tmp_path / "from-jsonl.html").read_text(encoding="utf-8")
    # the database alone (moved without scan.json) still makes the report
    (tmp_path / "out" / "scan.json").unlink()
    result = runner.invoke(main, ["report", str(tmp_path / "out"), "-o", str(tmp_path / "alone.html"), "--workers",
                                  "1"], prog_name="dedup", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "alone.html").read_text(encoding="utf-8") == html


def test_report_names_the_sqlite_choice_when_nothing_is_there(tmp_path):
    (tmp_path / "scan.json").write_text("{}", encoding="utf-8")
    result = CliRunner().invoke(main, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")], prog_name="dedup")
    assert result.exit_code != 0
    assert "dedup.sqlite" in result.output


def test_shared_dev_corpus_database_equals_jsonl(shared_dir, tmp_path):
    corpus = shared_dir / "dev" / "corpus.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent")
    result = dedup.scan(str(corpus), Config(workers=1))
    write_scan(result, tmp_path / "jsonl", "jsonl")
    write_scan(result, tmp_path / "sqlite", "sqlite")
    for name in ("documents", "clusters", "pairs"):
        assert list(read_rows(tmp_path / "sqlite" / FILENAME, name)) == jsonl(tmp_path / "jsonl" / f"{name}.jsonl")
    with connect(tmp_path / "sqlite" / FILENAME) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


# -- property: any small set of consistent rows comes back as written --------------------------------

names = st.text(min_size=1, max_size=6)
optional_text = st.none() | st.text(max_size=12)
numbers = st.floats(allow_nan=False, allow_infinity=False, width=64)
features = st.dictionaries(st.text(max_size=6), numbers, max_size=3)
json_values = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | numbers | st.text(max_size=6),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                                      max_size=3), max_leaves=6)


@st.composite
def scan_rows(draw):
    ids = draw(st.lists(names, min_size=1, max_size=8, unique=True))
    # groups: disjoint runs of ids, the first of each the source
    groups, k = [], 0
    while k < len(ids) and draw(st.booleans()):
        size = draw(st.integers(1, len(ids) - k))
        groups.append(ids[k:k + size])
        k += size
    cluster_of = {i: g[0] for g in groups for i in g}
    docs = []
    for i in ids:
        spans = [{"start": s, "end": s + n, "rule": draw(st.text(max_size=8)), "text": draw(st.text(max_size=10))}
                 for s, n in draw(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 500)), max_size=3))]
        row = {"id": i, "cluster": cluster_of.get(i),
               "role": "unique" if i not in cluster_of else ("source" if cluster_of[i] == i else "copy"),
               "source": cluster_of.get(i), "relation": draw(st.none() | st.sampled_from(["verbatim", "rewrite"])),
               "similarity": draw(st.none() | numbers), "containment": draw(st.none() | numbers),
               "boilerplate": spans, "title": draw(optional_text), "site": draw(optional_text),
               "date": draw(optional_text), "url": draw(optional_text)}
        extra = draw(st.dictionaries(st.text(max_size=5), json_values, max_size=3))
        if extra:
            row["extra"] = extra
        row["boilerplate_chars"] = sum(s["end"] - s["start"] for s in spans)
        docs.append(row)
    clusters = [{"cluster": g[0], "source": g[0], "source_reason": draw(st.text(max_size=10)), "size": len(g),
                 "members": [{"id": i, "role": "source" if i == g[0] else "copy", "relation": draw(optional_text),
                              "similarity": draw(numbers), "containment": draw(numbers), "score": draw(numbers),
                              "features": draw(features)} for i in g]} for g in groups]
    pair_ids = draw(st.lists(st.tuples(st.sampled_from(ids), st.sampled_from(ids)), max_size=6, unique=True))
    pairs = [{"a": a, "b": b, "relation": draw(optional_text), "score": draw(numbers), "jaccard": draw(numbers),
              "containment_a": draw(numbers), "containment_b": draw(numbers), "features": draw(features)}
             for a, b in pair_ids]
    summary = {"config": draw(st.dictionaries(st.text(max_size=5), json_values, max_size=3)),
               "stats": draw(st.dictionaries(st.text(max_size=5), json_values, max_size=3)), "problems": []}
    return docs, clusters, pairs, summary


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=scan_rows(), batch_rows=st.integers(1, 4))
def test_any_consistent_rows_read_back_as_written(tmp_path, rows, batch_rows):
    docs, clusters, pairs, summary = rows
    written = write_sqlite(tmp_path, iter(docs), iter(clusters), iter(pairs), summary, batch_rows=batch_rows)
    assert written == [tmp_path / FILENAME]  # each example writes over the previous one's database
    assert list(read_rows(tmp_path / FILENAME, "documents")) == docs
    assert list(read_rows(tmp_path / FILENAME, "clusters")) == clusters
    assert list(read_rows(tmp_path / FILENAME, "pairs")) == pairs
    assert read_summary(tmp_path / FILENAME) == summary
    with connect(tmp_path / FILENAME) as conn:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
