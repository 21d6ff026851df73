"""The scan spills documents to a temporary directory and runs its stages on workers: same result
with one process or a pool, nothing left behind, progress reported for every stage."""
from __future__ import annotations

import gc
import os
import pickle

import pytest

from dedup.config import Config
from dedup.pipeline import scan
from dedup.types import Document

STORY = ("Harbour officials in Port Velden said on Tuesday that the old grain pier will close for repairs "
         "after divers found cracks in three of its wooden piles. The pier, built in 1911, handles most "
         "of the town's fishing catch. Boats will land at the ferry quay until the work ends in spring, "
         "the harbour master said, adding that the cost would be shared with the regional council.")
OTHER = ("A choir from the hill village of Brask won the national folk singing prize on Sunday with a "
         "programme of shepherd songs collected by a local teacher in the 1950s. The twenty singers, "
         "the youngest aged nine, will perform at the capital's spring festival next month.")


def _corpus() -> list[Document]:
    docs = [Document("orig", STORY + "\n\nSubscribe to our newsletter", date="2024-02-06", site="a.test"),
            Document("copy", "Coast Daily\n\n" + STORY, date="2024-02-06", site="b.test"),
            Document("trim", STORY.rsplit(". ", 1)[0] + ".", date="2024-02-07", site="c.test"),
            Document("choir", OTHER, date="2024-02-05", site="a.test"),
            Document("empty", "", site="c.test")]
    return docs + [Document(f"filler-{i}", f"Note {i}: the library opens at {i} o'clock on weekdays "
                            f"and closes early on the first day of month {i}.") for i in range(12)]


def _summary(result):
    return ([(d.id, d.cluster, d.role, d.source, d.relation, d.similarity, d.containment, d.boilerplate)
             for d in result.documents], result.groups, result.matches,
            {k: v for k, v in result.stats.items() if k != "seconds"})


def test_a_pool_gives_the_result_of_one_process(tmp_path, monkeypatch):
    monkeypatch.setenv("DEDUP_TMPDIR", str(tmp_path))
    one = scan(_corpus(), Config(workers=1, batch_size=3))
    pool = scan(_corpus(), Config(workers=2, batch_size=3))
    assert _summary(one) == _summary(pool)
    assert [d.id for d in one.documents] == [d.id for d in _corpus()]
    assert {m.id for g in one.groups for m in g.members} >= {"orig", "copy", "trim"}
    spans = {d.id: tuple(d.boilerplate) for d in one.documents}
    assert any(spans.values())
    assert pickle.loads(pickle.dumps(one)) == one  # spans pickle as tuples, features packed
    del one, pool
    gc.collect()
    assert os.listdir(tmp_path) == []  # the spill is gone with the results that read it


def test_every_stage_reports_progress(tmp_path, monkeypatch):
    monkeypatch.setenv("DEDUP_TMPDIR", str(tmp_path))
    seen: dict[str, tuple[int, int]] = {}
    scan(_corpus(), Config(workers=1, batch_size=4), progress=lambda s, d, t: seen.__setitem__(s, (d, t)))
    for stage in ("read", "evidence", "fingerprint", "candidates", "verify", "group", "results"):
        assert stage in seen
        done, total = seen[stage]
        assert done == total


def test_a_failed_read_leaves_nothing_behind(tmp_path, monkeypatch):
    spill = tmp_path / "spill"
    spill.mkdir()
    monkeypatch.setenv("DEDUP_TMPDIR", str(spill))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "One line of text."}\n{"id": "b", "text": \n', encoding="utf-8")
    with pytest.raises(Exception) as raised:
        scan(bad, Config(workers=1))
    assert "bad.jsonl:2" in str(raised.value)
    assert os.listdir(spill) == []


def _unrelated_with_furniture(n: int = 12) -> list[Document]:
    """Unrelated invented articles (random words) that all end with the same two site lines."""
    import random

    rnd = random.Random(7)
    vocab = [a + b for a in ("bra", "cle", "dor", "fen", "gul", "hap", "jor", "kel", "lim", "mun")
             for b in ("tak", "vel", "sor", "pin", "dax", "lom", "rut", "wen", "zib", "qua")]
    furniture = "\n\nHarbourside Gazette serving the coast since 1921\nGazette members get the weekly almanac"
    docs = []
    for i in range(n):
        paragraphs = [" ".join(rnd.choice(vocab) for _ in range(30)) + "." for _ in range(4)]
        docs.append(Document(f"note-{i:02d}", "\n\n".join(paragraphs) + furniture, site="gazette.test"))
    return docs


def test_shards_do_not_change_the_result(monkeypatch):
    from dedup import scan_stages

    docs = _corpus() + _unrelated_with_furniture()
    default = scan(docs, Config(workers=1, batch_size=4))
    monkeypatch.setattr(scan_stages, "LINE_SHARD_DOCS", 1)
    monkeypatch.setattr(scan_stages, "SENTENCE_SHARD_DOCS", 1)
    sharded = scan(docs, Config(workers=1, batch_size=4))
    assert _summary(sharded) == _summary(default)
    assert any(s.rule.startswith("corpus") for d in default.documents for s in d.boilerplate)
