"""The Dask engine: on a real LocalCluster of 2 worker processes, the scan writes what the local
engine writes, document for document -- with partitioned inputs, with a worker killed in the middle
of a run -- and without dask, --engine dask says how to install it."""
from __future__ import annotations

import csv
import json
import os
import signal
import sys
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from dedup.config import Config
from dedup.errors import InputError
from dedup.index import SENTENCE_MIN_BANDS, SENTENCE_MIN_FRACTION, candidates as lsh_candidates, sentence_candidates
from dedup.pipeline import scan
from dedup.report.writers import write_scan

distributed = pytest.importorskip("distributed", reason="dask[distributed] is not installed")
pa = pytest.importorskip("pyarrow", reason="pyarrow is not installed")

from dedup.engine import partitions as P  # noqa: E402
from dedup.engine.dask import DaskEngine  # noqa: E402

pytestmark = pytest.mark.dask
REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data" / "corpus.jsonl"
COMPARED = ("documents.jsonl", "clusters.jsonl", "pairs.jsonl")


@pytest.fixture(scope="module")
def client():
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 4}):
        cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                           dashboard_address=":0", silence_logs=50)
    c = distributed.Client(cluster)
    yield c
    c.close()
    cluster.close()


def written(result, out: Path) -> dict[str, list[dict]]:
    write_scan(result, out)
    return {name: [json.loads(line) for line in (out / name).read_text(encoding="utf-8").splitlines()]
            for name in COMPARED}


def assert_same_output(inputs, config: Config, client, tmp_path: Path):
    """Scan with both engines, compare what they write; returns the local rows and the dask result."""
    local = written(scan(inputs, config), tmp_path / "local")
    result = scan(inputs, config, engine=DaskEngine(client=client))
    on_dask = written(result, tmp_path / "dask")
    for name in COMPARED:
        assert len(on_dask[name]) == len(local[name]), name
        for row_dask, row_local in zip(on_dask[name], local[name]):
            assert row_dask == row_local, name
    return local, result


def test_same_output_as_local_on_the_sample_corpus(client, tmp_path):
    out, _ = assert_same_output(DATA, Config(), client, tmp_path)
    assert any(row["role"] == "copy" for row in out["documents.jsonl"])  # it found something


def test_same_output_as_local_on_the_dev_set(client, tmp_path, shared_dir):
    corpus = shared_dir / "dev" / "corpus.jsonl"
    if not corpus.is_file():
        pytest.skip(f"{corpus} is absent")
    assert_same_output(corpus, Config(batch_size=120), client, tmp_path)


def split_corpus(directory: Path) -> str:
    """data/corpus.jsonl as three files, JSONL, CSV and Parquet; returns a glob naming them."""
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    fields = ["id", "text", "title", "site", "date", "url"]
    rows = [{f: r.get(f) for f in fields} for r in rows]
    third = len(rows) // 3
    with (directory / "part-0.jsonl").open("w", encoding="utf-8") as f:
        for r in rows[:third]:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with (directory / "part-1.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows[third:2 * third])
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(rows[2 * third:]), directory / "part-2.parquet")
    return str(directory / "part-*")


def test_partitioned_inputs_read_on_the_workers(client, tmp_path):
    parts = tmp_path / "parts"
    parts.mkdir()
    pattern = split_corpus(parts)
    _, result = assert_same_output(pattern, Config(batch_size=8), client, tmp_path)
    assert result.stats["partitions"] >= 6  # several per file


def test_ids_repeated_across_files_are_renamed_as_locally(client, tmp_path):
    lines = DATA.read_text(encoding="utf-8").splitlines()[:6]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text("\n".join(lines[:3]) + "\n", encoding="utf-8")
    inputs = [str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    out, _ = assert_same_output(inputs, Config(), client, tmp_path)
    assert sum(1 for row in out["documents.jsonl"] if "~2" in row["id"]) == 3


def test_bad_input_is_reported_with_file_and_line(client, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": \n', encoding="utf-8")
    with pytest.raises(InputError) as local:
        scan(bad, Config())
    with pytest.raises(InputError) as on_dask:
        scan(bad, Config(), engine=DaskEngine(client=client))
    assert str(on_dask.value) == str(local.value)
    assert on_dask.value.line == 2


class KillOnFirstFingerprint(distributed.WorkerPlugin):
    """Kills its worker process the first time any worker starts fingerprinting a partition."""

    def __init__(self, marker: str):
        self.marker = marker

    def transition(self, key, start, finish, **kwargs):
        if finish == "executing" and "prepare_batch" in str(key) and not os.path.exists(self.marker):
            Path(self.marker).write_text(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGKILL)


def test_a_worker_killed_in_the_middle_of_a_run(client, tmp_path):
    marker = tmp_path / "killed"
    client.register_plugin(KillOnFirstFingerprint(str(marker)), name="kill-once")
    try:
        assert_same_output(DATA, Config(batch_size=12), client, tmp_path)
    finally:
        client.unregister_worker_plugin("kill-once")
    assert marker.exists(), "no worker was killed"
    client.wait_for_workers(2, timeout=60)


def test_map_and_tree_reduction_keep_the_order_of_batches(client):
    engine = DaskEngine(client=client)
    batches = [[i] for i in range(7)]
    assert list(engine.map(sum, batches)) == list(range(7))
    assert engine.map_reduce(list, _concat, batches) == list(range(7))  # associative, not commutative


def _concat(a, b):
    return a + b


def test_without_dask_the_cli_says_how_to_install_it(monkeypatch):
    from dedup.cli import main

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed raises ImportError
    result = CliRunner().invoke(main, ["scan", "--engine", "dask", str(DATA), "-q"])
    assert result.exit_code == 3
    assert "pip install 'dedup[dask]'" in result.output


def test_parquet_output_holds_the_jsonl_rows(tmp_path):
    import pyarrow.parquet as pq

    result = scan(DATA, Config())
    write_scan(result, tmp_path, "parquet")
    write_scan(result, tmp_path / "j")
    docs = pq.read_table(tmp_path / "documents.parquet").to_pylist()
    rows = [json.loads(line) for line in (tmp_path / "j" / "documents.jsonl").read_text().splitlines()]
    assert [d["id"] for d in docs] == [r["id"] for r in rows]
    assert [d["boilerplate"] for d in docs] == [r["boilerplate"] for r in rows]
    clusters = pq.read_table(tmp_path / "clusters.parquet").to_pylist()
    assert [[m["id"] for m in c["members"]] for c in clusters] == [[m.id for m in g.members] for g in result.groups]
    assert pq.read_table(tmp_path / "pairs.parquet").num_rows == len(result.matches)


# -- the band-key exchange equals the whole-corpus index (no cluster needed) ----------------------
def exchanged(ids, fingerprints_like, n_partitions, n_parts, config):
    ranked = sorted(ids)
    rank = {i: r for r, i in enumerate(ranked)}
    cuts = np.linspace(0, len(ids), n_partitions + 1).astype(int)
    keyed = []
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        prepared = [((), fp) for fp in fingerprints_like[lo:hi]]
        keyed.append(P.band_rows(prepared, [rank[i] for i in ids[lo:hi]], int(lo), config, n_parts))
    buckets = [P.bucket_candidates([k[p] for k in keyed], config, n_parts) for p in range(n_parts)]
    found = []
    for p, (sh, fe, _) in enumerate(buckets):
        sent = P.sentence_pairs([b[2][p] for b in buckets])
        found += P.to_candidates(sh, fe, sent, ids, ranked)
    return sorted(set(found), key=lambda c: (c.a, c.b, c.via))


class FakeFingerprint:
    def __init__(self, signature, sentence_keys):
        self.signature = self.feature_signature = signature
        self.shingles = self.features = signature[:1] if signature[0] % 5 else signature[:0]
        self.sentence_keys = sentence_keys


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 40), st.integers(1, 5), st.integers(1, 4), st.integers(2, 6), st.integers(0, 2**31),
       st.sampled_from([1, 3, 20]))
def test_band_key_exchange_equals_the_index(n_docs, n_partitions, n_parts, max_bucket, seed, clique):
    rng = np.random.default_rng(seed)
    config = Config(num_perm=16, threshold=0.5, rewrites=False, max_bucket=max_bucket, min_shared_sentences=2,
                    sentence_clique=clique)
    # few distinct values, so that bands collide often; ids in an order that is not sorted
    sigs = rng.integers(0, 3, size=(n_docs, 16)).astype(np.uint32)
    sentence_keys = [rng.integers(0, 4, size=(int(rng.integers(0, 4)), 2)).astype(np.uint64) for _ in range(n_docs)]
    ids = [f"d{int(x)}" for x in rng.permutation(n_docs * 3)[:n_docs]]
    fps = [FakeFingerprint(s, k) for s, k in zip(sigs, sentence_keys)]
    empty = np.array([len(f.shingles) == 0 for f in fps])
    expected = lsh_candidates(ids, sigs, config.threshold, "shingles", max_bucket=max_bucket, skip=empty)
    expected += sentence_candidates(ids, sentence_keys, min_shared=2, max_bucket=max_bucket,
                                    min_bands=SENTENCE_MIN_BANDS, min_fraction=SENTENCE_MIN_FRACTION, clique=clique)
    expected = sorted(set(expected), key=lambda c: (c.a, c.b, c.via))
    assert exchanged(ids, fps, min(n_partitions, n_docs), n_parts, config) == expected


@pytest.mark.parametrize("n_partitions, n_shards", [(1, 1), (3, 2), (7, 5)])
def test_sharded_evidence_equals_the_whole_corpus_evidence(n_partitions, n_shards):
    from functools import reduce

    from dedup.boilerplate import count_lines, line_evidence, merge_counts
    from dedup.corpus import read_corpus

    docs = list(read_corpus(DATA).documents)
    whole = line_evidence(count_lines(docs))
    cuts = np.linspace(0, len(docs), n_partitions + 1).astype(int)
    shards = [P.shard_line_counts(count_lines(docs[lo:hi]), n_shards) for lo, hi in zip(cuts[:-1], cuts[1:])]
    evidence = [line_evidence(reduce(merge_counts, [s[n] for s in shards])) for n in range(n_shards)]
    assert reduce(P.merge_evidence, evidence) == whole
    assert whole.lines  # the sample corpus has furniture shared across sites


def test_cli_scan_on_a_scheduler_address_writes_parquet(client, tmp_path):
    import pyarrow.parquet as pq

    from dedup.cli import main

    address = client.scheduler.address
    result = CliRunner().invoke(main, ["scan", "--engine", "dask", "--scheduler", address, str(DATA),
                                       "-o", str(tmp_path / "out"), "--format", "parquet", "-q"])
    assert result.exit_code == 0, result.output
    rows = pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist()
    local = scan(DATA, Config())
    assert [(r["id"], r["cluster"], r["role"], r["relation"]) for r in rows] == \
        [(d.id, d.cluster, d.role, d.relation) for d in local.documents]
    assert client.status == "running"  # the engine closed its own connection, not the cluster
