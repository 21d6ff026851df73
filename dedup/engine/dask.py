"""The Dask engine: the scan's stages on a Dask cluster, with the corpus kept on the workers.

    engine = DaskEngine("tcp://scheduler:8786")       # an existing cluster
    engine = DaskEngine(workers=4)                     # or a LocalCluster, started and closed here
    result = dedup.pipeline.scan(["archive/*.jsonl"], config, engine=engine)

Like the local engine it maps a function over batches (`map`) and reduces (`map_reduce`, as a tree
of tasks on the cluster). It also runs the whole scan (`scan`), with the pipeline's own stage
functions, so that documents and fingerprints never travel to the client:

- read: one task per input file (a directory of text files is one task); partitions of at most
  `config.batch_size` documents are cut from each file on the workers;
- boilerplate evidence: line counts per partition, split by line key into shards, each shard
  merged as a tree reduction and judged (boilerplate.line_evidence) on the cluster;
- boilerplate spans and fingerprints (pipeline.prepare_batch) per partition;
- candidates: band keys exchanged between tasks by a hash of the key (dedup.engine.partitions);
- verification (pipeline.verify_batch) on the workers, each batch receiving from each partition
  only the fingerprints and texts it needs;
- connected components on the client (verified pairs are small), then the groups' sources and
  relations (grouping.assemble_groups) and every document's result on the workers.

The client holds the ids, the candidate and verified pairs and the final per-document results.
Every task is recomputable from its inputs, so a lost worker only costs its work: Dask reruns it.
"""
from __future__ import annotations

import logging
import time
from collections import defaultdict
from operator import getitem
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence

import dask
from distributed import Client, LocalCluster, as_completed

from ..boilerplate import line_evidence
from ..cluster import components
from ..config import Config
from ..corpus import GLOB_CHARS, expand_paths, read_corpus
from ..errors import DedupError, InputError
from ..pipeline import _batches, _read, count_lines_batch, merge_line_counts, prepare_batch, settle_matches
from ..verify import one_per_pair
from ..types import Document, ScanResult
from . import partitions as P

ALLOWED_FAILURES = 4  # a task may be on this many workers that died before it counts as failed


class DaskEngine:
    """Runs on the cluster at `scheduler`, or on a LocalCluster of `workers` processes (2 when 0)
    started when first needed and closed by close() (or at the end of a scan it started for)."""

    def __init__(self, scheduler: str | None = None, workers: int = 0, *, client: Client | None = None,
                 partitions: int = 0):
        self.scheduler = scheduler
        self.workers = workers
        self.partitions = partitions  # hash ranges of the band-key exchange (0: twice the workers)
        self._client = client
        self._cluster: LocalCluster | None = None
        self._owns_client = client is None

    # -- the cluster ---------------------------------------------------------------------------
    @property
    def client(self) -> Client:
        if self._client is None:
            self._start()
        return self._client

    def _start(self) -> None:
        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout="10s")
            except (OSError, TimeoutError) as exc:
                raise DedupError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
            return
        with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
            self._cluster = LocalCluster(n_workers=self.workers or 2, threads_per_worker=1, processes=True,
                                         dashboard_address=":0", silence_logs=logging.ERROR)
            self._client = Client(self._cluster)

    def close(self) -> None:
        if self._owns_client and self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> "DaskEngine":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def worker_count(self) -> int:
        return max(1, len(self.client.scheduler_info(n_workers=-1)["workers"]))

    # -- the engine interface ------------------------------------------------------------------
    def map(self, func: Callable, batches: Iterable[Any], *args: Any) -> Iterator[Any]:
        """func(batch, *args) for every batch on the workers, results in the order of the batches."""
        futures = [self.client.submit(func, batch, *args) for batch in batches]
        for future in futures:
            yield future.result()

    def map_reduce(self, func: Callable, combine: Callable, batches: Iterable[Any], *args: Any) -> Any:
        """combine(...) over func(batch, *args) of every batch, reduced as a tree on the cluster."""
        futures = [self.client.submit(func, batch, *args) for batch in batches]
        if not futures:
            raise TypeError("map_reduce of no batches")
        return self.tree_reduce(combine, futures).result()

    def tree_reduce(self, combine: Callable, futures: Sequence) -> Any:
        """One future: combine applied pairwise, level by level, by tasks on the cluster."""
        level = list(futures)
        while len(level) > 1:
            pairs, rest = P.tree_pairs(level)
            level = [self.client.submit(combine, a, b) for a, b in pairs] + rest
        return level[0]

    # -- the scan ------------------------------------------------------------------------------
    def scan(self, inputs, config: Config, *, id_field: str = "id", text_field: str = "text",
             on_error: str = "fail", progress: Callable[[str, int, int], None] | None = None) -> ScanResult:
        """pipeline.scan on the cluster: the same stages, the same result."""
        started_here = self._client is None
        try:
            return _DistributedScan(self, config, progress or (lambda *a: None)).run(
                inputs, id_field=id_field, text_field=text_field, on_error=on_error)
        finally:
            if started_here:
                self.close()


class _DistributedScan:
    def __init__(self, engine: DaskEngine, config: Config, progress):
        self.engine, self.client, self.config, self.progress = engine, engine.client, config, progress
        self.timings: dict[str, float] = {}
        self._lap = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.timings[name] = round(now - self._lap, 4)
        self._lap = now

    def submit(self, func, *args):
        return self.client.submit(func, *args)

    def run(self, inputs, *, id_field, text_field, on_error) -> ScanResult:
        begun = time.perf_counter()
        config = self.config
        self.read(inputs, id_field, text_field, on_error)
        self.lap("read")
        evidence = self.evidence() if config.boilerplate and self.parts else None
        self.prepared = [self.submit(prepare_batch, part, config, evidence) for part in self.parts]
        self.progress("fingerprint", 0, len(self.ids))
        for done, _ in enumerate(as_completed(self.prepared), 1):
            self.progress("fingerprint", min(done * config.batch_size, len(self.ids)), len(self.ids))
        self.lap("boilerplate_and_fingerprint")
        cands = self.candidates()
        self.lap("candidates")
        verify_size = max(1, config.batch_size // 4)
        pairs = one_per_pair(cands)
        self.progress("verify", 0, len(pairs))
        matches = self.verify(_batches(pairs, verify_size))
        self.progress("verify", len(pairs), len(pairs))
        self.lap("verify")
        matches = settle_matches(matches, self.dates, lambda pairs: self.verify(_batches(pairs, verify_size)))
        verified = {(m.a, m.b): m for m in matches}
        groups = self.groups(components(self.ids, matches), verified)
        self.lap("group")
        results = self.results(groups)
        self.timings["total"] = round(time.perf_counter() - begun, 4)
        stats = {
            "documents": len(self.ids), "groups": len(groups),
            "copies": sum(len(g.members) - 1 for g in groups),
            "candidates": len(cands), "verified_copies": sum(1 for m in matches if m.relation),
            "problems": len(self.problems), "skipped_records": sum(1 for p in self.problems if p.skipped),
            "seconds": self.timings, "engine": "dask", "partitions": len(self.parts),
        }
        kept = tuple(m for m in matches if m.relation)
        return ScanResult(tuple(results), tuple(groups), kept, tuple(self.problems), config, stats)

    # -- read: one task per file, partitions cut on the workers ---------------------------------
    def read(self, inputs, id_field, text_field, on_error) -> None:
        units = _read_units(inputs)
        if units is None:  # Documents given, or inputs the per-file read cannot reproduce exactly
            documents, problems = _read(inputs, id_field=id_field, text_field=text_field, on_error=on_error)
            return self._scatter(documents, problems)
        outcomes = [self.submit(P.read_unit, str(u), id_field, text_field, on_error) for u in units]
        outlines = self.client.gather([self.submit(P.outline, o) for o in outcomes])
        for _, _, _, error in outlines:
            if error is not None:
                P.raise_read_error(error)
        ids = [i for unit_ids, _, _, _ in outlines for i in unit_ids]
        if len(set(ids)) != len(ids):  # an id repeats across files: renamed in one pass, as locally
            corpus = read_corpus([str(u) for u in units], id_field=id_field, text_field=text_field,
                                 on_error=on_error)
            return self._scatter(list(corpus.documents), list(corpus.problems))
        self.ids, self.problems, self.parts, self.part_ids = ids, [p for _, _, ps, _ in outlines for p in ps], [], []
        self.dates = {i: d for unit_ids, dates, _, _ in outlines for i, d in zip(unit_ids, dates)}
        size = self.config.batch_size
        for outcome, (unit_ids, _, _, _) in zip(outcomes, outlines):
            for start in range(0, len(unit_ids), size):
                self.parts.append(self.submit(P.slice_documents, outcome, start, start + size))
                self.part_ids.append(list(unit_ids[start:start + size]))

    def _scatter(self, documents: list[Document], problems) -> None:
        """Documents already on the client become partitions (as task arguments, so that a lost
        worker's copy can be made again)."""
        self.ids, self.problems = [d.id for d in documents], list(problems)
        self.dates = {d.id: d.date for d in documents}
        batches = _batches(documents, self.config.batch_size)
        self.parts = [self.submit(P.as_documents, list(b)) for b in batches]
        self.part_ids = [[d.id for d in b] for b in batches]

    # -- boilerplate evidence: line counts reduced on the cluster, in shards of line keys ---------
    def evidence(self):
        n_shards = self.n_parts()
        counts = [self.submit(count_lines_batch, part) for part in self.parts]
        shards = [self.submit(P.shard_line_counts, c, n_shards) for c in counts]
        merged = [self.engine.tree_reduce(merge_line_counts, [self.submit(getitem, s, n) for s in shards])
                  for n in range(n_shards)]
        return self.engine.tree_reduce(P.merge_evidence, [self.submit(line_evidence, m) for m in merged])

    def n_parts(self) -> int:
        return self.engine.partitions or 2 * self.engine.worker_count()

    # -- candidates: band keys exchanged by hash ------------------------------------------------
    def candidates(self):
        n_parts = self.n_parts()
        ranked = sorted(self.ids)
        rank = {doc_id: r for r, doc_id in enumerate(ranked)}
        first, keyed = 0, []
        for prepared, ids in zip(self.prepared, self.part_ids):
            ranks = [rank[i] for i in ids]
            keyed.append(self.submit(P.band_rows, prepared, ranks, first, self.config, n_parts))
            first += len(ids)
        pieces = [[self.submit(getitem, k, p) for k in keyed] for p in range(n_parts)]
        buckets = [self.submit(P.bucket_candidates, ps, self.config, n_parts) for ps in pieces]
        triples = [[self.submit(_sentence_piece, b, p) for b in buckets] for p in range(n_parts)]
        sentences = [self.submit(P.sentence_pairs, ts) for ts in triples]
        lsh = self.client.gather([self.submit(_lsh_pairs, b) for b in buckets])
        found = []
        for (shingles, features), sent in zip(lsh, self.client.gather(sentences)):
            found += P.to_candidates(shingles, features, sent, self.ids, ranked)
        return sorted(set(found), key=lambda c: (c.a, c.b, c.via))

    # -- material of chosen documents, sent from the partitions that hold them -------------------
    def exchange(self, extract, wanted: Sequence[Iterable[str]]) -> list[list]:
        """For each entry of `wanted` (a set of ids), futures of the pieces of `extract` from the
        partitions holding them."""
        where = {i: p for p, ids in enumerate(self.part_ids) for i in ids}
        per_part: dict[int, dict[int, list[str]]] = defaultdict(dict)
        for n, ids in enumerate(wanted):
            split = defaultdict(list)
            for i in sorted(set(ids)):
                split[where[i]].append(i)
            for p, part_ids in split.items():
                per_part[p][n] = part_ids
        out: list[list] = [[] for _ in wanted]
        for p, asks in sorted(per_part.items()):
            material = self.submit(extract, self.parts[p], self.prepared[p], asks)
            for n in asks:
                out[n].append(self.submit(getitem, material, n))
        return out

    def verify(self, batches) -> list:
        """pipeline.verify_batch over batches of candidates, on the workers; matches in batch order."""
        parts = self.exchange(P.verify_material, [[x for c in b for x in (c.a, c.b)] for b in batches])
        futures = [self.submit(P.verify_parts, b, ps, self.config) for b, ps in zip(batches, parts)]
        return [m for result in self.client.gather(futures) for m in result]

    def groups(self, comps: list[list[str]], verified) -> list:
        chunks, chunk, size = [], [], 0
        for comp in comps:
            chunk.append(comp)
            size += len(comp)
            if size >= self.config.batch_size:
                chunks.append(chunk)
                chunk, size = [], 0
        if chunk:
            chunks.append(chunk)
        parts = self.exchange(P.member_material, [[i for c in ch for i in c] for ch in chunks])
        chunk_of = {i: n for n, ch in enumerate(chunks) for c in ch for i in c}
        pairs_of: list[dict] = [{} for _ in chunks]  # the verified pairs naming a chunk's members, in order
        for key, m in verified.items():
            for n in {chunk_of.get(key[0]), chunk_of.get(key[1])} - {None}:
                pairs_of[n][key] = m
        futures = [self.submit(P.assemble_chunk, ch, ps, mine, self.config)
                   for ch, ps, mine in zip(chunks, parts, pairs_of)]
        groups = [g for gs in self.client.gather(futures) for g in gs]
        return sorted(groups, key=lambda g: (-len(g.members), g.cluster))

    def results(self, groups) -> list:
        group_of = {m.id: n for n, g in enumerate(groups) for m in g.members}
        futures = []
        for part, prepared, ids in zip(self.parts, self.prepared, self.part_ids):
            touched = sorted({group_of[i] for i in ids if i in group_of})
            futures.append(self.submit(P.partition_results, part, prepared, [groups[n] for n in touched]))
        return [r for rs in self.client.gather(futures) for r in rs]


def _lsh_pairs(bucket):
    return bucket[0], bucket[1]


def _sentence_piece(bucket, part: int):
    return bucket[2][part]


def _read_units(inputs) -> list[Path] | None:
    """The units read by one task each (files; a directory of text files is one unit), or None when
    the inputs are Documents or a per-unit read would not see the files the local read sees."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = list(inputs)
    if not inputs or any(isinstance(x, Document) for x in inputs):
        return None
    files = expand_paths(inputs)  # raises for missing paths and empty globs, as the local read does
    units: list[Path] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir() or path.is_file():
            units.append(path)
        elif any(ch in str(given) for ch in GLOB_CHARS):
            import glob

            units.extend(Path(m) for m in sorted(glob.glob(str(given), recursive=True)))
        else:
            raise InputError(str(given), None, "no such file or directory")
    unit_files = [f for u in units for f in (expand_paths([u]) if u.is_dir() else [u])]
    if [f.resolve() for f in unit_files] != [f.resolve() for f in files]:
        return None  # a file named twice (e.g. inside a directory and by itself): read as locally
    return units
