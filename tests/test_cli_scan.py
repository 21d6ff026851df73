"""`dedup scan` through click's CliRunner: outputs, messages and exit codes."""
from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedup.cli import main

WIRE = ("KALDER, Nesovia (AFP) - A fire broke out on Thursday night in a furniture warehouse on the edge of "
        "Kalder, sending a column of black smoke over the northern suburbs, the fire service said. Nobody "
        "was hurt. Some 60 firefighters worked through the night to stop the flames from reaching a paint "
        "depot next door, and residents were asked to keep their windows shut until the smoke cleared. The "
        "cause of the fire was not yet known, a spokeswoman said, and an inquiry had been opened.")
COPY = ("Kalder Courier\n" + WIRE.replace("KALDER, Nesovia (AFP) - ", "") +
        "\nShare this article\nSign up for our morning newsletter")
EDIT = (WIRE.replace("KALDER, Nesovia (AFP) - ", "")
        .replace("broke out on Thursday night", "broke out late on Thursday")
        .replace("Some 60 firefighters", "About sixty firefighters")
        .replace("an inquiry had been opened", "police had opened an inquiry"))
OTHER = ("A small museum of clocks opened in the old railway station of a mountain town on Saturday, showing "
         "more than 200 timepieces collected over forty years by a retired teacher, who gave them all to the "
         "town on the condition that every clock be kept running.")

ROWS = [
    {"id": "afp-fire", "text": WIRE, "title": "Warehouse fire in Kalder", "date": "2024-06-06", "site": "afp.example",
     "lang": "en"},
    {"id": "courier-fire", "text": COPY, "date": "2024-06-07", "site": "courier.example"},
    {"id": "gazette-fire", "text": EDIT, "date": "2024-06-07", "site": "gazette.example"},
    {"id": "clock-museum", "text": OTHER, "date": "2024-06-08"},
]
DOCUMENT_FIELDS = {"id", "cluster", "role", "source", "relation", "similarity", "containment"}


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="dedup", catch_exceptions=False)


@pytest.fixture
def corpus(tmp_path) -> Path:
    return write_jsonl(tmp_path / "corpus.jsonl", ROWS)


def check_fire_group(documents: list[dict]) -> None:
    by_id = {d["id"]: d for d in documents}
    assert [d["id"] for d in documents] == [r["id"] for r in ROWS]
    fire = by_id["afp-fire"]
    assert (fire["cluster"], fire["role"], fire["source"], fire["relation"]) == ("afp-fire", "source", "afp-fire", None)
    for copy, relation in (("courier-fire", "verbatim"), ("gazette-fire", "edited")):
        row = by_id[copy]
        assert (row["cluster"], row["role"], row["source"], row["relation"]) == ("afp-fire", "copy", "afp-fire", relation)
        assert 0 < row["similarity"] <= 1 and 0 < row["containment"] <= 1
    museum = by_id["clock-museum"]
    assert {k: museum[k] for k in DOCUMENT_FIELDS} == {
        "id": "clock-museum", "cluster": None, "role": "unique", "source": None, "relation": None,
        "similarity": None, "containment": None}


def test_scan_jsonl_writes_the_four_files(corpus, tmp_path):
    out = tmp_path / "out"
    result = run("scan", str(corpus), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["clusters.jsonl", "documents.jsonl", "pairs.jsonl", "scan.json"]
    documents = read_jsonl(out / "documents.jsonl")
    assert all(DOCUMENT_FIELDS <= set(d) for d in documents)
    check_fire_group(documents)
    assert documents[0]["title"] == "Warehouse fire in Kalder" and documents[0]["site"] == "afp.example"
    assert documents[0]["extra"] == {"lang": "en"}  # other fields carried through untouched

    (cluster,) = read_jsonl(out / "clusters.jsonl")
    assert cluster["cluster"] == cluster["source"] == "afp-fire"
    assert cluster["size"] == 3
    assert [m["id"] for m in cluster["members"]] == ["afp-fire", "courier-fire", "gazette-fire"]
    assert [m["relation"] for m in cluster["members"]] == [None, "verbatim", "edited"]
    assert all({"id", "relation", "similarity", "containment", "score"} <= set(m) for m in cluster["members"])
    assert cluster["source_reason"]

    pairs = read_jsonl(out / "pairs.jsonl")
    assert pairs and all({"a", "b", "relation", "jaccard", "containment_a", "containment_b"} <= set(p) for p in pairs)
    assert all(p["a"] < p["b"] and "clock-museum" not in (p["a"], p["b"]) for p in pairs)

    summary = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert summary["config"]["seed"] == 1 and summary["config"]["shingle_size"] == 5
    assert summary["stats"]["documents"] == 4 and summary["stats"]["groups"] == 1
    assert summary["problems"] == []

    lines = result.stdout.splitlines()
    assert lines[0].strip() == "1 groups of copies in 4 documents"
    assert "copies by relation: 1 edited, 1 verbatim; 1 documents in no group" in lines
    assert lines[-1] == f"wrote {out}/ (jsonl)"
    assert result.stderr == ""


def test_scan_directory(tmp_path):
    src = tmp_path / "articles"
    (src / "wire").mkdir(parents=True)
    (src / "wire" / "afp-fire.txt").write_text(WIRE, encoding="utf-8")
    (src / "courier-fire.md").write_text(COPY, encoding="utf-8")
    (src / "clock-museum.txt").write_text(OTHER, encoding="utf-8")
    out = tmp_path / "out"
    result = run("scan", str(src), "-o", str(out))
    assert result.exit_code == 0, result.output
    rows = {d["id"]: d for d in read_jsonl(out / "documents.jsonl")}
    assert sorted(rows) == ["clock-museum", "courier-fire", "wire/afp-fire"]
    assert rows["courier-fire"]["source"] == "wire/afp-fire"
    assert rows["courier-fire"]["relation"] == "verbatim"
    assert rows["clock-museum"]["role"] == "unique"


def test_several_inputs_in_one_run(tmp_path):
    first = write_jsonl(tmp_path / "a.jsonl", ROWS[:2])
    second = write_jsonl(tmp_path / "b.jsonl", ROWS[2:])
    out = tmp_path / "out"
    assert run("scan", str(first), str(second), "-o", str(out)).exit_code == 0
    check_fire_group(read_jsonl(out / "documents.jsonl"))


def test_format_csv(corpus, tmp_path):
    out = tmp_path / "out"
    result = run("scan", str(corpus), "-o", str(out), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["clusters.csv", "documents.csv", "pairs.csv", "scan.json"]
    with (out / "documents.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert DOCUMENT_FIELDS <= set(reader.fieldnames)
        rows = list(reader)
    assert [r["id"] for r in rows] == [r["id"] for r in ROWS]
    by_id = {r["id"]: r for r in rows}
    assert (by_id["courier-fire"]["role"], by_id["courier-fire"]["source"], by_id["courier-fire"]["relation"]) == (
        "copy", "afp-fire", "verbatim")
    assert by_id["clock-museum"]["cluster"] == "" and by_id["clock-museum"]["role"] == "unique"
    with (out / "clusters.csv").open(encoding="utf-8", newline="") as f:
        (cluster,) = list(csv.DictReader(f))
    assert cluster["source"] == "afp-fire"
    assert [m["id"] for m in json.loads(cluster["members"])] == ["afp-fire", "courier-fire", "gazette-fire"]
    assert result.stdout.splitlines()[-1] == f"wrote {out}/ (csv)"


def test_malformed_jsonl_line_is_an_error_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n" + '{"id": "broken", "text": oops}\n' + json.dumps(ROWS[3]) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    result = run("scan", str(path), "-o", str(out))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"dedup: error: {path}:2: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists()


def test_on_error_skip_warns_and_counts(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(ROWS[0]) + "\n" + '{"id": "broken", "text": oops}\n' + json.dumps(ROWS[1]) + "\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    result = run("scan", str(path), "-o", str(out), "--on-error", "skip")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("dedup: warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith(f"dedup: warning: {path}:2: malformed: ")
    assert "1 malformed records skipped" in result.stdout.splitlines()
    summary = json.loads((out / "scan.json").read_text(encoding="utf-8"))
    assert summary["stats"]["skipped_records"] == 1
    assert [(p["kind"], p["line"], p["skipped"]) for p in summary["problems"]] == [("malformed", 2, True)]
    assert [d["id"] for d in read_jsonl(out / "documents.jsonl")] == ["afp-fire", "courier-fire"]


def test_quiet_prints_nothing_but_warnings(tmp_path):
    path = tmp_path / "c.jsonl"
    write_jsonl(path, ROWS + [{"id": "afp-fire", "text": OTHER + " Again."}, {"id": "blank", "text": ""}])
    out = tmp_path / "out"
    result = run("scan", "-q", str(path), "-o", str(out))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"dedup: warning: {path}:5: duplicate-id: id 'afp-fire' was already used at {path}:1; "
        "this document is renamed 'afp-fire~2'",
        f"dedup: warning: {path}:6: empty-text: the text is empty; the document is kept and reported as unique",
    ]
    ids = [d["id"] for d in read_jsonl(out / "documents.jsonl")]
    assert ids == [r["id"] for r in ROWS] + ["afp-fire~2", "blank"]  # reported, never dropped


def test_id_and_text_fields(tmp_path):
    rows = [{"guid": r["id"], "body": r["text"], "date": r["date"]} for r in ROWS]
    path = write_jsonl(tmp_path / "custom.jsonl", rows)
    out = tmp_path / "out"
    result = run("scan", str(path), "-o", str(out), "--id-field", "guid", "--text-field", "body")
    assert result.exit_code == 0, result.output
    check_fire_group(read_jsonl(out / "documents.jsonl"))


def test_missing_text_field_is_an_error(corpus, tmp_path):
    result = run("scan", str(corpus), "-o", str(tmp_path / "out"), "--text-field", "body")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"dedup: error: {corpus}:1: ")
    assert "'body'" in result.stderr


def test_missing_input_path(tmp_path):
    missing = tmp_path / "nowhere.jsonl"
    result = run("scan", str(missing), "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"dedup: error: {missing}: no such file or directory\n"


def test_no_input_is_a_usage_error():
    result = run("scan")
    assert result.exit_code == 2
    assert "Missing argument 'INPUTS...'" in result.stderr


def test_scheduler_without_dask_engine_is_a_usage_error(corpus):
    result = run("scan", str(corpus), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == "Usage: dedup scan [OPTIONS] INPUTS..."
    assert result.stderr.splitlines()[-1] == "Error: --scheduler goes with --engine dask"


def test_bad_option_values(corpus):
    result = run("scan", str(corpus), "--threshold", "0")
    assert result.exit_code == 2
    assert result.stderr == "dedup: error: invalid configuration: threshold must be in (0, 1], got 0.0\n"
    result = run("scan", str(corpus), "--format", "xml")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr


def test_options_are_echoed_into_scan_json(corpus, tmp_path):
    out = tmp_path / "out"
    result = run("scan", "-q", str(corpus), "-o", str(out), "--seed", "7", "--num-perm", "64",
                 "--shingle-size", "4", "--threshold", "0.6", "--no-rewrites", "--workers", "1")
    assert result.exit_code == 0, result.output
    config = json.loads((out / "scan.json").read_text(encoding="utf-8"))["config"]
    assert {k: config[k] for k in ("seed", "num_perm", "shingle_size", "threshold", "rewrites", "workers")} == {
        "seed": 7, "num_perm": 64, "shingle_size": 4, "threshold": 0.6, "rewrites": False, "workers": 1}


def test_same_input_same_output(corpus, tmp_path):
    for name in ("one", "two"):
        assert run("scan", "-q", str(corpus), "-o", str(tmp_path / name)).exit_code == 0
    for name in ("documents.jsonl", "clusters.jsonl", "pairs.jsonl", "scan.json"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), name


def test_without_output_only_the_summary_is_printed(corpus):
    result = run("scan", str(corpus))
    assert result.exit_code == 0
    assert "afp-fire" in result.stdout
    assert not any(line.startswith("wrote ") for line in result.stdout.splitlines())


def test_python_dash_m_dedup(corpus, tmp_path):
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "dedup", "scan", "-q", str(corpus), "-o", str(out)],
                          capture_output=True, text=True, cwd=Path(__file__).resolve().parents[1])
    assert proc.returncode == 0, proc.stderr
    check_fire_group(read_jsonl(out / "documents.jsonl"))
