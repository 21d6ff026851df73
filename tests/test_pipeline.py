"""`dedup.pipeline.scan` end to end on small invented corpora."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from dedup.config import Config
from dedup.errors import DedupError
from dedup.pipeline import scan
from dedup.report.writers import write_scan
from dedup.types import Document

WIRE = ("ORVANE, Castria (AFP) - Engineers in the port city of Orvane began on Monday to drain a flooded "
        "metro tunnel after three days of heavy rain left parts of the network under a metre of water, "
        "the transport authority said. About 40,000 commuters were told to use buses while pumps run day "
        "and night. The authority said the line would reopen by the end of next week if no more rain fell. "
        "Shopkeepers near the flooded stations said they had lost most of their trade since Friday, and "
        "the city council promised a fund to help them. Forecasters expect drier weather from Wednesday. "
        "The tunnel, opened in 1998, has flooded twice before, in 2009 and 2017, and a report last year "
        "called for larger drains along the river embankment.")
FURNITURE_TOP = "Daily Tidings\n"
FURNITURE_END = ("\nShare this article on social media\nSubscribe to our newsletter for the latest news\n"
                 "\u00a9 2024 Daily Tidings. All rights reserved.")
VERBATIM = FURNITURE_TOP + WIRE.replace("ORVANE, Castria (AFP) - ", "") + FURNITURE_END
TRUNCATED = WIRE.split(" Forecasters")[0]
EDITED = (WIRE.replace("ORVANE, Castria (AFP) - ", "")
          .replace("began on Monday to drain", "started draining on Monday")
          .replace("About 40,000 commuters", "Some 40,000 daily commuters")
          .replace("Shopkeepers near", "Traders close to")
          .replace("promised a fund", "has promised an emergency fund"))
UNRELATED = ("The national chess federation named a 15-year-old from a mountain village as its youngest ever "
             "grandmaster on Saturday, after she won a tournament in the capital without losing a game. Her "
             "coach said she learned the game from her grandfather on a board carved from olive wood, and "
             "trained for years by replaying old championship matches from library books.")
STORY2 = ("BRELLIN (Reuters) - A cargo ship that ran aground off the coast of Brellin on Sunday was refloated "
          "at high tide on Tuesday, the coastguard said, and no fuel leaked into the bay. The vessel, carrying "
          "timber and machinery parts, had lost engine power in a storm. Tugs will tow it to the harbour for "
          "inspection, where divers will check the hull before it is allowed to sail on to its next port.")
STORY2_COPY = STORY2.replace("BRELLIN (Reuters) - ", "") + "\nRelated: Storm warnings along the coast"


def documents() -> list[Document]:
    return [
        Document("site/copy", VERBATIM, title="Metro tunnel flooded", date="2024-03-04", site="tidings.example"),
        Document("afp/wire", WIRE, title="Engineers drain flooded Orvane metro tunnel", date="2024-03-04",
                 site="afp.example", url="https://afp.example/orvane", extra={"lang": "en"}),
        Document("blog/trunc", TRUNCATED, date="2024-03-05"),
        Document("paper/edit", EDITED, date="2024-03-05", site="paper.example"),
        Document("misc/chess", UNRELATED, date="2024-03-04"),
        Document("reuters/ship", STORY2, date="2024-05-10"),
        Document("port/ship", STORY2_COPY, date="2024-05-11"),
    ]


def default_config(**changes) -> Config:
    """The default config; boilerplate off only while dedup.boilerplate is not there yet."""
    if importlib.util.find_spec("dedup.boilerplate") is None:
        changes.setdefault("boilerplate", False)
    return Config().with_(**changes)


@pytest.fixture(scope="module")
def result():
    return scan(documents(), default_config())


def by_id(result):
    return {d.id: d for d in result.documents}


def test_every_document_exactly_once_in_input_order(result):
    assert [d.id for d in result.documents] == [d.id for d in documents()]


def test_copies_of_one_story_form_one_group_with_the_wire_as_source(result):
    docs = by_id(result)
    story = {"afp/wire", "site/copy", "blog/trunc", "paper/edit"}
    clusters = {docs[i].cluster for i in story}
    assert len(clusters) == 1 and None not in clusters
    (group,) = [g for g in result.groups if g.cluster in clusters]
    assert {m.id for m in group.members} == story
    assert group.source == "afp/wire"
    assert docs["afp/wire"].role == "source" and docs["afp/wire"].relation is None
    for copy in story - {"afp/wire"}:
        assert docs[copy].role == "copy"
        assert docs[copy].source == "afp/wire"
        assert 0.0 < docs[copy].similarity <= 1.0
        assert 0.0 < docs[copy].containment <= 1.0


def test_relations_of_the_copies(result):
    docs = by_id(result)
    assert docs["site/copy"].relation == "verbatim"
    assert docs["paper/edit"].relation == "edited"
    assert docs["blog/trunc"].relation in ("verbatim", "edited")  # all of it is in the source
    assert docs["blog/trunc"].containment >= 0.9


def test_unrelated_article_is_unique(result):
    chess = by_id(result)["misc/chess"]
    assert (chess.cluster, chess.role, chess.source, chess.relation) == (None, "unique", None, None)
    assert chess.similarity is None and chess.containment is None


def test_two_stories_stay_two_groups(result):
    docs = by_id(result)
    assert docs["reuters/ship"].cluster is not None
    assert docs["reuters/ship"].cluster == docs["port/ship"].cluster != docs["afp/wire"].cluster
    assert docs["port/ship"].source == "reuters/ship"
    assert len(result.groups) == 2
    assert result.stats["groups"] == 2 and result.stats["copies"] == 4 and result.stats["documents"] == 7


def test_document_fields_are_carried_through(result):
    wire = by_id(result)["afp/wire"]
    assert (wire.title, wire.site, wire.date, wire.url) == (
        "Engineers drain flooded Orvane metro tunnel", "afp.example", "2024-03-04", "https://afp.example/orvane")
    assert dict(wire.extra) == {"lang": "en"}


def test_matches_are_verified_copies_between_known_documents(result):
    ids = {d.id for d in documents()}
    assert result.matches
    for m in result.matches:
        assert m.a < m.b and {m.a, m.b} <= ids
        assert m.relation in ("verbatim", "edited", "rewrite", "partial")
        assert 0.0 <= m.jaccard <= 1.0
    assert not any("misc/chess" in (m.a, m.b) for m in result.matches)


def test_group_members_are_source_first_then_copies(result):
    for g in result.groups:
        assert g.members[0].id == g.source and g.members[0].role == "source"
        assert all(m.role == "copy" for m in g.members[1:])
        assert g.source_reason


def write_twice(tmp_path: Path, fmt: str) -> tuple[Path, Path]:
    one, two = tmp_path / "one", tmp_path / "two"
    write_scan(scan(documents(), default_config()), one, fmt)
    write_scan(scan(documents(), default_config()), two, fmt)
    return one, two


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_output_is_deterministic_byte_for_byte(tmp_path, fmt):
    one, two = write_twice(tmp_path, fmt)
    names = sorted(p.name for p in one.iterdir())
    assert names == sorted(p.name for p in two.iterdir())
    assert "scan.json" in names
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_config_is_echoed_in_scan_json(tmp_path):
    config = default_config(seed=7, num_perm=64, shingle_size=4)
    result = scan(documents(), config)
    assert result.config == config
    write_scan(result, tmp_path, "jsonl")
    summary = json.loads((tmp_path / "scan.json").read_text(encoding="utf-8"))
    assert summary["config"] == config.to_dict()
    assert summary["stats"]["documents"] == 7
    assert summary["problems"] == []


def test_written_documents_and_clusters(tmp_path):
    write_scan(scan(documents(), default_config()), tmp_path, "jsonl")
    rows = [json.loads(line) for line in (tmp_path / "documents.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == [d.id for d in documents()]
    for key in ("id", "cluster", "role", "source", "relation", "similarity", "containment"):
        assert all(key in r for r in rows)
    clusters = [json.loads(line) for line in (tmp_path / "clusters.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(clusters) == 2
    members = [m["id"] for c in clusters for m in c["members"]]
    assert len(members) == len(set(members)) == 6
    for c in clusters:
        assert c["source"] == c["members"][0]["id"]
        assert all({"id", "relation", "similarity", "containment"} <= set(m) for m in c["members"])


def test_a_different_seed_gives_the_same_groups():
    a = scan(documents(), default_config(seed=1))
    b = scan(documents(), default_config(seed=99))
    assert [(d.id, d.cluster, d.role) for d in a.documents] == [(d.id, d.cluster, d.role) for d in b.documents]


def test_duplicate_document_ids_raise():
    docs = documents() + [Document("afp/wire", "another text with the same id")]
    with pytest.raises(DedupError, match="duplicate document id 'afp/wire'"):
        scan(docs, default_config())


def test_documents_and_paths_cannot_be_mixed(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(WIRE, encoding="utf-8")
    with pytest.raises(DedupError):
        scan([Document("x", WIRE), str(path)], default_config())


def test_scan_reads_paths(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": d.id, "text": d.text, "date": d.date}) + "\n" for d in documents()),
                      encoding="utf-8")
    from_file = scan(corpus, default_config())
    from_docs = scan(documents(), default_config())
    assert [(d.id, d.cluster, d.role, d.relation) for d in from_file.documents] == \
           [(d.id, d.cluster, d.role, d.relation) for d in from_docs.documents]
    assert scan(str(corpus), default_config()).documents == from_file.documents


def test_scan_of_a_directory_of_text_files(tmp_path):
    (tmp_path / "wire.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "sites").mkdir()
    (tmp_path / "sites" / "copy.md").write_text(VERBATIM, encoding="utf-8")
    (tmp_path / "chess.txt").write_text(UNRELATED, encoding="utf-8")
    result = scan(tmp_path, default_config())
    docs = by_id(result)
    assert sorted(docs) == ["chess", "sites/copy", "wire"]
    assert docs["wire"].cluster == docs["sites/copy"].cluster is not None
    assert docs["wire"].role == "source"  # its dateline credits the agency
    assert docs["chess"].role == "unique"


def test_empty_and_tiny_documents_are_kept_and_unique():
    docs = documents() + [Document("empty", ""), Document("tiny", "Breaking")]
    result = scan(docs, default_config())
    rows = by_id(result)
    assert len(result.documents) == len(docs)
    assert rows["empty"].role == "unique" and rows["tiny"].role == "unique"


def test_empty_corpus():
    result = scan([], default_config())
    assert result.documents == () and result.groups == ()


def test_process_pool_gives_the_same_result():
    one = scan(documents(), default_config(workers=1, batch_size=2))
    pool = scan(documents(), default_config(workers=2, batch_size=2))
    assert one.documents == pool.documents
    assert one.groups == pool.groups


def test_progress_is_reported():
    seen = []
    scan(documents(), default_config(), progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert ("fingerprint", 7, 7) in seen
    assert any(stage == "verify" for stage, _, _ in seen)


@pytest.mark.parametrize("enabled_before", [True, False])
def test_the_cyclic_collector_is_paused_during_a_scan_and_restored_after(enabled_before):
    import gc

    during = []
    (gc.enable if enabled_before else gc.disable)()
    try:
        result = scan(documents(), default_config(), progress=lambda *_: during.append(gc.isenabled()))
        after = gc.isenabled()
    finally:
        gc.enable()
    assert during and not any(during)
    assert after is enabled_before
    assert len(result.documents) == 7


def test_the_collector_is_restored_when_a_scan_fails(tmp_path):
    import gc

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "text": "fine"}\nnot json\n', encoding="utf-8")
    with pytest.raises(DedupError):
        scan(str(bad), default_config())
    assert gc.isenabled()


def test_the_package_level_scan_is_the_pipeline_scan(tmp_path):
    import dedup

    config = default_config()
    assert dedup.scan(documents(), config).documents == scan(documents(), config).documents
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps({"id": d.id, "text": d.text}) + "\n" for d in documents()), encoding="utf-8")
    result = dedup.scan(str(corpus), config, on_error="skip")
    assert len(result.documents) == 7 and len(result.groups) == 2
