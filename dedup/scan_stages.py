"""The parent's side of a scan whose documents are spilled to disk (see dedup.store, dedup.batch_tasks).

The parent reads the corpus once, writing each document into the scan's directory, and keeps per
document only its id, its date (the date rule needs every date) and where its records are. Every
stage that costs time per document is a map of dedup.batch_tasks over the engine's workers:

    read (parent, streamed) -> corpus evidence (map by batch, reduce by shard of line keys)
    -> spans and fingerprints (map; band keys written to disk) -> candidates (one task per band,
    sentence pairs reduced by shard of documents) -> verification (batches of pairs, texts and
    fingerprints read back for just their documents) -> settling (dedup.settle) -> groups (chunks of
    components) -> document results (map by batch)

The result is the same as composing the stages over a corpus held in memory (the Dask engine
does that on a cluster; tests/test_dask.py compares the two).
"""
from __future__ import annotations

import bisect
import math
import os
from array import array
from collections.abc import Mapping
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

import numpy as np

from . import batch_tasks as T
from .cluster import components
from .config import Config
from .corpus import iter_documents
from .errors import DedupError
from .index import lsh_params, named_pairs, pairs_by_component
from .lean import SpanSource, SpilledResults
from .settle import settle_matches
from .store import RecordWriter, ScanSpace, document_record
from .types import Candidate, Document, Match, Problem, ScanResult
from .verify import CONTENT_WORD_INDEX

VERIFY_BATCH_DIVISOR = 4  # pairs per verification batch: config.batch_size // this
LINE_SHARD_DOCS = 100_000  # documents per shard of line keys (at least two shards per worker)
SENTENCE_SHARD_DOCS = 2_000  # documents per shard of the sentence index's pairs (document i in shard i % shards)
SENTENCE_TASK_BYTES = 24 << 20  # colliding sentence pairs (8 bytes each) a reduce task takes at most: ~300 MB of memory
VIA_ORDER = ("sentences", "shingles", CONTENT_WORD_INDEX)  # the index named on a pair several proposed (as one_per_pair)
CONFIRM_TASK_PAIRS = 200_000  # pairs the content-word index alone proposed, confirmed by one task


class SpilledScan:
    def __init__(self, config: Config, engine, progress: Callable[[str, int, int], None],
                 clock: Callable[[], float]):
        self.config, self.engine, self.progress, self.clock = config, engine, progress, clock
        self.space = ScanSpace()
        self.dir = str(self.space.path)
        self.timings: dict[str, float] = {}
        self.workers = getattr(engine, "workers", 1)
        self.handed_over = False

    def __enter__(self) -> "SpilledScan":
        return self

    def __exit__(self, *exc) -> None:
        if not self.handed_over:
            self.space.close()

    def lap(self, name: str) -> None:
        now = self.clock()
        self.timings[name] = round(now - self._last, 4)
        self._last = now

    def scan(self, inputs, *, id_field: str, text_field: str, on_error: str) -> ScanResult:
        started = self._last = self.clock()
        self.read(inputs, id_field=id_field, text_field=text_field, on_error=on_error)
        self.lap("read")
        self.batches = self._doc_batches()
        evidence = self.evidence()
        self.lap("corpus_evidence")
        self.prepare(evidence)
        self.lap("boilerplate_and_fingerprint")
        by_via, n_candidates = self.candidates()
        candidates = self._confirmed(*named_pairs(by_via, VIA_ORDER))
        del by_via
        self.lap("candidates")
        matches = self.verify(candidates, "verify")
        del candidates
        self.lap("verify")
        matches = settle_matches(matches, self.dates, self.verify_more)
        self.lap("verify_support_and_links")
        del self.dates, self.date_list  # (the date rule has been applied)
        groups = self.groups(components(self.ids, matches), matches)
        matches = [m for m in matches if m.relation]  # the pairs found not to be copies are done with
        self.lap("group")
        results = self.results(groups)
        self.lap("results")
        self.timings["total"] = round(self.clock() - started, 4)
        stats = {
            "documents": len(self.ids), "groups": len(groups),
            "copies": sum(len(g.members) - 1 for g in groups),
            "candidates": n_candidates, "verified_copies": sum(1 for m in matches if m.relation),
            "problems": len(self.problems), "skipped_records": sum(1 for p in self.problems if p.skipped),
            "seconds": self.timings,
        }
        return ScanResult(results, tuple(groups), tuple(matches), tuple(self.problems), self.config, stats)

    # -- read: every document spilled once --------------------------------------------------------
    def read(self, inputs, *, id_field: str, text_field: str, on_error: str) -> None:
        self.problems: list[Problem] = []
        self.ids: list[str] = []
        self.date_list: list[str | None] = []
        where = array("q")
        with RecordWriter(self.space.file("documents.bin")) as out:
            for n, doc in enumerate(_documents(inputs, id_field, text_field, on_error, self.problems), 1):
                self.ids.append(doc.id)
                self.date_list.append(doc.date)
                where.extend(out.append(document_record(doc)))
                if n % 5000 == 0:
                    self.progress("read", n, n)
        self.doc_where = np.frombuffer(where, dtype=np.int64).reshape(-1, 2).copy()
        self.dates = _Dates(self)
        self.progress("read", len(self.ids), len(self.ids))

    def _doc_batches(self) -> list[tuple[int, int]]:
        from .engine.local import balanced_batch_size

        n = len(self.ids)
        size = balanced_batch_size(n, self.workers, self.config.batch_size)
        return [(lo, min(n, lo + size)) for lo in range(0, n, size)]

    def _where(self, lo: int, hi: int) -> list[tuple[int, int]]:
        return [tuple(w) for w in self.doc_where[lo:hi].tolist()]

    def _mapped(self, func, tasks: Sequence, stage: str, sizes: Sequence[int]) -> Iterator:
        """engine.map with progress: `sizes[i]` items done when task i returns."""
        total = int(sum(sizes))
        self.progress(stage, 0, total)
        done = 0
        for size, result in zip(sizes, self.engine.map(func, tasks)):
            done += size
            self.progress(stage, done, total)
            yield result

    # -- corpus evidence of furniture --------------------------------------------------------------
    def evidence(self):
        if not self.config.boilerplate or not self.ids:
            return None
        from .boilerplate import LineEvidence

        n_batches, sizes = len(self.batches), [hi - lo for lo, hi in self.batches]
        n_shards = max(2 * self.workers, math.ceil(len(self.ids) / LINE_SHARD_DOCS))
        tasks = [(self.dir, b, self._where(lo, hi), n_shards) for b, (lo, hi) in enumerate(self.batches)]
        for _ in self._mapped(T.evidence_lines, tasks, "evidence", sizes):
            pass
        shards = [(self.dir, s, n_batches) for s in range(n_shards)]
        wanted = list(self._mapped(T.evidence_shard, shards, "evidence reduce", [1] * n_shards))
        wanted = np.unique(np.concatenate(wanted)) if wanted else np.zeros(0, dtype=np.uint64)
        T._save(self.dir, "wanted.npy", wanted)
        tasks = [(self.dir, b, self._where(lo, hi)) for b, (lo, hi) in enumerate(self.batches)]
        for _ in self._mapped(T.evidence_sketches, tasks, "evidence sketches", sizes):
            pass
        flagged: dict[int, str] = {}
        for lines in self._mapped(T.evidence_judge, shards, "evidence judge", [1] * n_shards):
            flagged.update(lines)
        return LineEvidence(flagged)

    # -- spans, fingerprints and band keys --------------------------------------------------------
    def prepare(self, evidence) -> None:
        n = len(self.ids)
        self.prep_batch = np.zeros(n, dtype=np.int64)
        self.prep_where = np.zeros((n, 2), dtype=np.int64)
        tasks = [(self.dir, b, self._where(lo, hi), self.config, evidence) for b, (lo, hi) in enumerate(self.batches)]
        sizes = [hi - lo for lo, hi in self.batches]
        self.span_where = np.zeros((n, 3), dtype=np.int64)
        for b, located in enumerate(self._mapped(T.prepare_map, tasks, "fingerprint", sizes)):
            lo, hi = self.batches[b]
            self.prep_batch[lo:hi] = b
            self.prep_where[lo:hi], self.span_where[lo:hi] = located[:, :2], located[:, 2:]
        order = np.array(sorted(range(n), key=self.ids.__getitem__), dtype=np.int64)
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n)
        self.order = order
        self.ranked = [self.ids[i] for i in order.tolist()]
        T._save(self.dir, "order.npy", order)
        T._save(self.dir, "rank.npy", rank)

    # -- candidates ------------------------------------------------------------------------------
    def candidates(self) -> tuple[dict[str, np.ndarray], int]:
        """Unique pair codes (rank_a * n + rank_b) per index that proposed them, and the number of
        (pair, index) candidates."""
        n, config, nb = len(self.ids), self.config, len(self.batches)
        tasks, vias = [], []
        if n >= 2:
            indexes = [("shingles", config.threshold)] + ([("features", config.feature_threshold)] if config.rewrites else [])
            for name, threshold in indexes:
                bands, _ = lsh_params(threshold, config.num_perm)
                for band in range(bands):
                    tasks.append((self.dir, name, band, nb, config.max_bucket))
                    vias.append(name)
        found: dict[str, list[np.ndarray]] = {}
        for via, codes in zip(vias, self._mapped(T.lsh_band, tasks, "candidates", [1] * len(tasks))):
            found.setdefault(via, []).append(codes)
        if config.sentence_bands and n:
            found["sentences"] = list(self._sentence_pairs())
        by_via = {via: np.unique(np.concatenate(codes)) for via, codes in found.items() if codes}
        return by_via, int(sum(len(c) for c in by_via.values()))

    def _sentence_pairs(self) -> Iterator[np.ndarray]:
        """The band tasks write each band's colliding sentence pairs by shard of first document
        (small shards); a reduce task then takes consecutive shards holding up to SENTENCE_TASK_BYTES
        of pairs (their number per document grows with the corpus: chance collisions)."""
        n, nb, bands = len(self.ids), len(self.batches), self.config.sentence_bands
        n_shards = max(2 * self.workers, math.ceil(n / SENTENCE_SHARD_DOCS))
        T.sentence_documents(self.dir, nb)
        tasks = [(self.dir, band, nb, self.config.max_bucket, self.config.sentence_clique, n_shards)
                 for band in range(bands)]
        for _ in self._mapped(T.sentence_band, tasks, "sentence bands", [1] * bands):
            pass
        sizes = [sum(os.path.getsize(os.path.join(self.dir, f"spairs-{band}-{s}.bin")) for band in range(bands))
                 for s in range(n_shards)]
        budget = max(1, min(SENTENCE_TASK_BYTES, math.ceil(sum(sizes) / (2 * self.workers))))
        groups, group, size = [], [], 0
        for s, found in enumerate(sizes):
            if group and size + found > budget:
                groups.append(group)
                group, size = [], 0
            group.append(s)
            size += found
        groups.append(group)
        shards = [(self.dir, g, nb, bands, self.config) for g in groups]
        yield from self._mapped(T.sentence_shard, shards, "sentence pairs", [len(g) for g in groups])

    def _confirmed(self, pairs: np.ndarray, via: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The candidates without the pairs the content-word index alone proposed that the exact
        sets do not confirm (dedup.verify.confirmed_by_content_words), checked on the workers from
        the batches' content-word sets before verification reads any document."""
        alone = np.flatnonzero(via == VIA_ORDER.index(CONTENT_WORD_INDEX))
        if len(alone) == 0:
            return pairs, via
        step = max(1, min(CONFIRM_TASK_PAIRS, -(-len(alone) // (2 * self.workers))))
        tasks = [(self.dir, pairs[alone[lo : lo + step]], len(self.ids), len(self.batches))
                 for lo in range(0, len(alone), step)]
        keep = np.ones(len(pairs), dtype=bool)
        keep[alone] = np.concatenate(list(self._mapped(T.confirm_content_words, tasks, "confirm",
                                                       [len(t[1]) for t in tasks])))
        return pairs[keep], via[keep]

    # -- verification -----------------------------------------------------------------------------
    def _index(self, doc_id: str) -> int:
        return int(self.order[bisect.bisect_left(self.ranked, doc_id)])

    def _located(self, ids: Iterable[str]) -> dict[str, T.Location]:
        out = {}
        for i in ids:
            x = self._index(i)
            (d_off, d_len), (p_off, p_len) = self.doc_where[x].tolist(), self.prep_where[x].tolist()
            out[i] = (d_off, d_len, int(self.prep_batch[x]), p_off, p_len)
        return out

    def verify_more(self, pairs: Sequence[Candidate]) -> list[Match]:
        """Pairs named by id (settling asks for a few more), verified as the candidates are."""
        n, ranked = len(self.ids), self.ranked
        codes = np.array([bisect.bisect_left(ranked, c.a) * n + bisect.bisect_left(ranked, c.b) for c in pairs],
                         dtype=np.int64)
        vias = {name: v for v, name in enumerate(VIA_ORDER)}
        via = np.array([vias.setdefault(c.via, len(vias)) for c in pairs], dtype=np.int64)
        names = sorted(vias, key=vias.get)
        return self.verify((codes, via, names), "verify more")

    def verify(self, candidates: tuple, stage: str) -> list[Match]:
        """Matches of the pairs (rank codes, index of each pair's name in `names`), in their order.
        Candidate records are made batch by batch, as the pool takes them."""
        from .engine.local import balanced_batch_size

        codes, via, *rest = candidates
        names = rest[0] if rest else VIA_ORDER
        n, ranked = len(self.ids), self.ranked
        size = balanced_batch_size(len(codes), self.workers, max(1, self.config.batch_size // VERIFY_BATCH_DIVISOR), 50)
        order = pairs_by_component(codes, n)  # a batch holds most pairs of the documents it reads

        def batch(lo: int) -> list[Candidate]:
            return [Candidate(ranked[c // n], ranked[c % n], names[v])
                    for c, v in zip(codes[order[lo : lo + size]].tolist(), via[order[lo : lo + size]].tolist())]

        def tasks():
            for lo in range(0, len(codes), size):
                b = batch(lo)
                yield (self.dir, b, self._located({x for c in b for x in (c.a, c.b)}), self.config)

        sizes = [min(size, len(codes) - lo) for lo in range(0, len(codes), size)]
        found = [m for result in self._mapped(T.verify_located, tasks(), stage, sizes) for m in result]
        matches: list = [None] * len(found)
        for k, m in zip(order.tolist(), found):  # back in the order of the pairs, with the parent's
            # id strings (a worker's come back as copies of their own: 120 bytes a match)
            a, b = ranked[codes[k] // n], ranked[codes[k] % n]
            matches[k] = (Match(a, b, m.jaccard, m.containment_a, m.containment_b, m.relation, m.score, m.features)
                          if (m.a, m.b) == (a, b) else m)  # (the constructor: half the time of dataclasses.replace)
        return matches

    # -- groups and results -----------------------------------------------------------------------
    def groups(self, comps: list[list[str]], matches: Sequence[Match]) -> list:
        """Groups of the components, a task per chunk of components. Each task is handed the
        verified pairs naming its members, keyed (a, b) in the order of `matches` (a pair verified
        twice: its first place, its last match), made as the pool takes the task."""
        chunks, chunk, size = [], [], 0
        limit = max(50, min(self.config.batch_size, math.ceil(sum(map(len, comps)) / (4 * self.workers) or 1)))
        for comp in comps:
            chunk.append(comp)
            size += len(comp)
            if size >= limit:
                chunks.append(chunk)
                chunk, size = [], 0
        if chunk:
            chunks.append(chunk)
        chunk_of = {i: n for n, ch in enumerate(chunks) for c in ch for i in c}
        # (chunk, match) entries, a match once for each chunk holding one of its documents
        ca = np.array([chunk_of.get(m.a, -1) for m in matches], dtype=np.int64)
        cb = np.array([chunk_of.get(m.b, -1) for m in matches], dtype=np.int64)
        del chunk_of
        at = np.arange(len(matches), dtype=np.int64)
        also_b = (cb >= 0) & (cb != ca)
        entry_chunk = np.concatenate([ca[ca >= 0], cb[also_b]])
        entry_match = np.concatenate([at[ca >= 0], at[also_b]])
        del ca, cb, at, also_b
        by_chunk = np.lexsort((entry_match, entry_chunk))
        entry_chunk, entry_match = entry_chunk[by_chunk], entry_match[by_chunk]
        cuts = np.searchsorted(entry_chunk, np.arange(len(chunks) + 1)).tolist()
        del entry_chunk, by_chunk

        def pairs_of(n: int) -> dict[tuple[str, str], Match]:
            mine = {}
            for k in entry_match[cuts[n] : cuts[n + 1]].tolist():
                m = matches[k]
                mine[(m.a, m.b)] = m
            return mine

        tasks = ((self.dir, ch, self._located(i for c in ch for i in c), pairs_of(n), self.config)
                 for n, ch in enumerate(chunks))
        sizes = [sum(map(len, ch)) for ch in chunks]
        groups = [g for gs in self._mapped(T.groups_located, tasks, "group", sizes) for g in gs]
        return sorted(groups, key=lambda g: (-len(g.members), g.cluster))

    def results(self, groups) -> SpilledResults:
        """Every document's result, left in the spill (dedup.lean.SpilledResults): the parent keeps
        where each record is."""
        group_of = {m.id: n for n, g in enumerate(groups) for m in g.members}
        tasks = []
        for b, (lo, hi) in enumerate(self.batches):
            touched = sorted({group_of[i] for i in self.ids[lo:hi] if i in group_of})
            tasks.append((self.dir, b, self._where(lo, hi), self.span_where[lo:hi], [groups[n] for n in touched]))
        del group_of
        sizes = [hi - lo for lo, hi in self.batches]
        where = np.zeros((len(self.ids), 2), dtype=np.int64)
        for (lo, hi), located in zip(self.batches, self._mapped(T.results_located, tasks, "results", sizes)):
            where[lo:hi] = located
        starts = np.array([lo for lo, _ in self.batches] + [len(self.ids)], dtype=np.int64)
        self._keep_only_results()
        self.handed_over = True  # the spill now lives as long as the results
        return SpilledResults(SpanSource(self.space, self.dir), starts, where, self.ranked, self.order)

    def _keep_only_results(self) -> None:
        for name in os.listdir(self.dir):
            if not name.startswith(("spans-", "results-")):
                os.remove(os.path.join(self.dir, name))


class _Dates(Mapping):
    """Every document's date by id, for the date rule (dedup.settle): a view over the scan's list
    of dates, in input order, instead of a dict of a million entries."""

    def __init__(self, run: SpilledScan):
        self._run = run

    def __getitem__(self, doc_id: str) -> str | None:
        ranked = self._run.ranked
        at = bisect.bisect_left(ranked, doc_id)
        if at == len(ranked) or ranked[at] != doc_id:
            raise KeyError(doc_id)
        return self._run.date_list[int(self._run.order[at])]

    def __iter__(self) -> Iterator[str]:
        return iter(self._run.ids)

    def __len__(self) -> int:
        return len(self._run.ids)


def _documents(inputs, id_field: str, text_field: str, on_error: str, problems: list[Problem]) -> Iterator[Document]:
    """The input documents one at a time: read from paths (problems appended as they are met), or
    Documents given, whose ids must be unique."""
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = list(inputs)
    if inputs and all(isinstance(x, Document) for x in inputs):
        seen: set[str] = set()
        for doc in inputs:
            if doc.id in seen:
                raise DedupError(f"duplicate document id {doc.id!r}: ids must be unique")
            seen.add(doc.id)
        return iter(inputs)
    if any(isinstance(x, Document) for x in inputs):
        raise DedupError("give either paths or Documents, not both")
    return iter_documents(inputs, id_field=id_field, text_field=text_field, on_error=on_error, problems=problems)
