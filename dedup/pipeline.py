"""The scan, composed from the stages: read -> boilerplate -> fingerprint -> candidates -> verify ->
group and attribute -> results. An engine decides where the batch stages run."""
from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

import numpy as np

from .config import Config
from .corpus import read_corpus
from .errors import DedupError
from .lean import SpilledSpans
from .fingerprint import fingerprint_texts
from .index import SENTENCE_MIN_BANDS, SENTENCE_MIN_FRACTION, candidates as lsh_candidates, sentence_candidates
from .rewrite import TextProfile, profile, profiles
from .types import Candidate, Document, DocumentResult, Fingerprint, Match, Problem, ScanResult, Span
from .settle import settle_matches  # noqa: F401  (engines import it from here)
from .verify import verify

Progress = Callable[[str, int, int], None]  # (stage, done, total)


def _no_progress(stage: str, done: int, total: int) -> None:
    pass


# -- the per-batch stage an engine maps over ------------------------------------------------------
def prepare_batch(batch: Sequence[Document], config: Config, evidence=None) -> list[tuple[tuple[Span, ...], Fingerprint]]:
    """Boilerplate spans and fingerprints of a batch of documents (runs on a worker)."""
    spans = [find_spans(doc, config, evidence) for doc in batch]
    stripped = [strip_text(doc.text, s) for doc, s in zip(batch, spans)]
    fps = fingerprint_texts([d.id for d in batch], stripped, config)
    return list(zip(spans, fps))


def find_spans(doc: Document, config: Config, evidence=None) -> tuple[Span, ...]:
    if not config.boilerplate:
        return ()
    from .boilerplate import find_boilerplate

    return find_boilerplate(doc, evidence)


def strip_text(text: str, spans: Sequence[Span]) -> str:
    if not spans:
        return text
    from .boilerplate import strip_boilerplate

    return strip_boilerplate(text, spans)


def count_lines_batch(batch: Sequence[Document]):
    """Map step of the corpus evidence: line counts of one batch (runs on a worker)."""
    from .boilerplate import count_lines

    return count_lines(batch)


def merge_line_counts(a, b):
    """Reduce step of the corpus evidence (associative and commutative)."""
    from .boilerplate import merge_counts

    return merge_counts(a, b)


def corpus_evidence(batches: Sequence[Sequence[Document]], config: Config, engine):
    """Lines that recur across otherwise unrelated documents, as a map/reduce over the batches
    (None when boilerplate is off)."""
    if not config.boilerplate or not batches:
        return None
    from .boilerplate import line_evidence

    return line_evidence(engine.map_reduce(count_lines_batch, merge_line_counts, batches))


VerifyPayload = tuple[Sequence[Candidate], Mapping[str, Fingerprint], Mapping[str, str]]


def verify_batch(payload: VerifyPayload, config: Config) -> list[Match]:
    """Verify a batch of candidate pairs (runs on a worker): the payload carries the pairs, their
    documents' fingerprints and their texts without boilerplate (for the rewrite evidence)."""
    batch, fingerprints, texts = payload
    cache: dict[str, TextProfile] = {}

    def profile_of(doc_id: str) -> TextProfile:
        if doc_id not in cache:
            cache[doc_id] = profile(texts[doc_id])
        return cache[doc_id]

    def prepare(ids: Sequence[str]) -> None:  # the profiles the pairs will ask for, built together
        missing = [i for i in ids if i not in cache]
        cache.update(zip(missing, profiles([texts[i] for i in missing])))

    return verify(batch, fingerprints, profile_of, config, prepare)


def _batches(items: Sequence, size: int) -> list[Sequence]:
    return [items[i : i + size] for i in range(0, len(items), size)]


# -- the scan -----------------------------------------------------------------------------------
def scan(inputs: str | Path | Sequence[str | Path] | Iterable[Document], config: Config | None = None, *,
         id_field: str = "id", text_field: str = "text", on_error: str = "fail",
         engine=None, progress: Progress | None = None) -> ScanResult:
    """Scan a corpus: paths (directories, text, JSONL, CSV, Parquet files, globs) or Documents.

    Returns a ScanResult with every input document exactly once. The documents are spilled to a
    temporary directory as they are read (dedup.store); every stage that costs time per document
    runs on the engine's workers, which read back only the documents their batch names
    (dedup.batch_tasks), so the parent holds ids, dates and where each document is."""
    config = config or Config()
    progress = progress or _no_progress
    if hasattr(engine, "scan"):  # an engine that keeps the corpus where it runs composes the same stages itself
        return engine.scan(inputs, config, id_field=id_field, text_field=text_field, on_error=on_error,
                           progress=progress)
    if engine is None:
        from .engine.local import LocalEngine

        engine = LocalEngine(config.workers)
    from .scan_stages import SpilledScan

    with _cyclic_collection_paused(), SpilledScan(config, engine, progress, clock=lambda: time.perf_counter()) as run:
        return run.scan(inputs, id_field=id_field, text_field=text_field, on_error=on_error)


@contextmanager
def _cyclic_collection_paused():
    """Python's cyclic garbage collector paused while the scan runs (its state restored after).
    The parent holds millions of small objects for a large scan (the verified matches, the maps
    of the grouping), and each full collection walks all of them: at 300,000 documents the
    collections took 9.6 of the parent's 37 s of CPU, at 100,000 2.1 of 10.7, a share that grows
    with the corpus. The stages make no reference cycles of their own, so nothing waits for the
    collector; reference counting frees everything as before (benchmarks/PERF.md, sixth session)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _read(inputs, *, id_field: str, text_field: str, on_error: str) -> tuple[list[Document], list[Problem]]:
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = list(inputs)
    if inputs and all(isinstance(x, Document) for x in inputs):
        seen = set()
        for doc in inputs:
            if doc.id in seen:
                raise DedupError(f"duplicate document id {doc.id!r}: ids must be unique")
            seen.add(doc.id)
        return inputs, []
    if any(isinstance(x, Document) for x in inputs):
        raise DedupError("give either paths or Documents, not both")
    corpus = read_corpus(inputs, id_field=id_field, text_field=text_field, on_error=on_error)
    return list(corpus.documents), list(corpus.problems)


def find_candidates(ids: list[str], fingerprints: Mapping[str, Fingerprint], config: Config):
    """Pairs from the shingle index, and (for rewrites) from the content-word index."""
    sigs = np.stack([fingerprints[i].signature for i in ids]) if ids else np.zeros((0, config.num_perm), np.uint32)
    empty = np.array([len(fingerprints[i].shingles) == 0 for i in ids], dtype=bool)
    found = lsh_candidates(ids, sigs, config.threshold, "shingles", max_bucket=config.max_bucket, skip=empty)
    if config.rewrites and ids:
        fsigs = np.stack([fingerprints[i].feature_signature for i in ids])
        fempty = np.array([len(fingerprints[i].features) == 0 for i in ids], dtype=bool)
        found += lsh_candidates(ids, fsigs, config.feature_threshold, "features",
                                max_bucket=config.max_bucket, skip=fempty)
    if config.sentence_bands and ids:
        found += sentence_candidates(ids, [fingerprints[i].sentence_keys for i in ids],
                                     min_shared=config.min_shared_sentences, max_bucket=config.max_bucket,
                                     min_bands=SENTENCE_MIN_BANDS, min_fraction=SENTENCE_MIN_FRACTION,
                                     clique=config.sentence_clique)
    return sorted(set(found), key=lambda c: (c.a, c.b, c.via))


def profile_cache(documents: Mapping[str, Document], spans: Mapping[str, Sequence[Span]]) -> Callable[[str], TextProfile]:
    """Rewrite profiles of documents (text minus boilerplate), computed when first asked for."""
    cache: dict[str, TextProfile] = {}

    def profile_of(doc_id: str) -> TextProfile:
        if doc_id not in cache:
            cache[doc_id] = profile(strip_text(documents[doc_id].text, spans[doc_id]))
        return cache[doc_id]

    return profile_of


def document_results(documents: Sequence[Document], groups: Sequence, spans: Mapping[str, Sequence[Span]]) -> list[DocumentResult]:
    member_of = {}
    for g in groups:
        for m in g.members:
            member_of[m.id] = (g, m)
    out = []
    for doc in documents:
        g, m = member_of.get(doc.id, (None, None))
        found = spans.get(doc.id, ())
        common = dict(boilerplate=found if isinstance(found, (tuple, SpilledSpans)) else tuple(found),
                      title=doc.title, site=doc.site,
                      date=doc.date, url=doc.url, extra=doc.extra)
        if g is None:
            out.append(DocumentResult(doc.id, None, "unique", None, None, None, None, **common))
        else:
            out.append(DocumentResult(doc.id, g.cluster, m.role, g.source, m.relation,
                                      m.similarity, m.containment, **common))
    return out
