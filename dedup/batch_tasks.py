"""What a worker runs during a scan, over documents spilled to the scan's directory (dedup.store).

Each task is handed locations, not documents: it reads the texts and fingerprints it needs from the
spill, writes what it derives next to them, and returns only small results to the parent. The
per-document work is that of the stages (dedup.boilerplate, dedup.fingerprint, dedup.verify,
dedup.grouping), composed as dedup.pipeline composes them; the results are the same records.

Files in the scan directory (`d` below), `b` a batch number, `s` a shard number:
    documents.bin                 every document, one pickled record each (written by the parent)
    lines-b-s.pkl, sketch-*-b.*   corpus evidence: line counts by shard of line keys, body sketches
    prepared-b.bin                boilerplate spans and fingerprint of each document of batch b
    keys-NAME-b.npy, skip-NAME-b.npy   LSH band keys of batch b ("shingles", "features")
    skeys-b.npy, scount-b.npy     sentence band keys of batch b and sentences per document
    order.npy, rank.npy           input positions in id order, and the id rank of each position
    spairs-BAND-s.npy             colliding sentence pairs of one band whose first document is in shard s
"""
from __future__ import annotations

import os
import pickle
from typing import Any, Mapping, Sequence

import numpy as np

from .config import Config
from .index import (SENTENCE_MIN_BANDS, SENTENCE_MIN_FRACTION, band_keys, band_pair_codes, lsh_params,
                    sentence_band_pairs, sentence_shard_pairs)
from .store import document_from_record, read_records, write_records
from .types import Candidate, Document, Fingerprint, Group, Match, Span

Where = tuple[int, int]  # (offset, length) of a record
# Where a document's material is: its record in documents.bin, and (batch, offset, length) of its
# prepared record.
Location = tuple[int, int, int, int, int]


def _path(space: str, name: str) -> str:
    return os.path.join(space, name)


def _save(space: str, name: str, array: np.ndarray) -> None:
    with open(_path(space, name), "wb") as f:
        np.save(f, array, allow_pickle=False)


def _load(space: str, name: str, mmap: bool = False) -> np.ndarray:
    return np.load(_path(space, name), mmap_mode="r" if mmap else None, allow_pickle=False)


def _dump(space: str, name: str, obj: Any) -> None:
    with open(_path(space, name), "wb") as f:
        pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)


def _undump(space: str, name: str) -> Any:
    with open(_path(space, name), "rb") as f:
        return pickle.load(f)


def read_documents(space: str, where: Sequence[Where]) -> list[Document]:
    return [document_from_record(r) for r in read_records(_path(space, "documents.bin"), where)]


# -- corpus evidence of furniture: map over batches, reduce by shards of line keys -----------------
def evidence_map(task: tuple[str, int, Sequence[Where], int]) -> int:
    """Line counts of one batch, written by shard of line key; body sketches as arrays."""
    from .boilerplate import count_lines

    space, batch, where, n_shards = task
    counts = count_lines(read_documents(space, where))
    shards: list[dict] = [{} for _ in range(n_shards)]
    for key, value in counts.lines.items():
        shards[key % n_shards][key] = value
    for s, lines in enumerate(shards):
        _dump(space, f"lines-{batch}-{s}.pkl", lines)
    keys = np.array(sorted(counts.docs), dtype=np.uint64)
    sketches = [counts.docs[int(k)] for k in keys]
    sites = sorted({s.site for s in sketches if s.site is not None})
    code = {site: i for i, site in enumerate(sites)}
    _save(space, f"sketch-keys-{batch}.npy", keys)
    _save(space, f"sketch-n-{batch}.npy", np.array([s.n_shingles for s in sketches], dtype=np.int64))
    width = max([len(s.minhash) for s in sketches], default=0)
    minhash = np.zeros((len(sketches), width), dtype=np.uint8)
    for i, s in enumerate(sketches):
        minhash[i, : len(s.minhash)] = np.frombuffer(s.minhash, dtype=np.uint8)
    _save(space, f"sketch-mh-{batch}.npy", minhash)
    _save(space, f"sketch-site-{batch}.npy", np.array([-1 if s.site is None else code[s.site] for s in sketches],
                                                     dtype=np.int64))
    _dump(space, f"sketch-sites-{batch}.pkl", sites)
    return len(where)


def evidence_reduce(task: tuple[str, int, int]) -> dict[int, str]:
    """The corpus evidence of one shard of line keys: its lines merged over every batch, then
    `line_evidence` on the lines carried by at least two documents (the others are never furniture)
    with the sketches of the documents they sample."""
    from .boilerplate import LineCounts, line_evidence, merge_counts
    from .boilerplate_corpus import MIN_DOCS_SITE, DocSketch

    space, shard, n_batches = task
    parts = [LineCounts(_undump(space, f"lines-{b}-{shard}.pkl"), {}) for b in range(n_batches)]
    while len(parts) > 1:  # a tree of merges (merge_counts copies its larger side)
        parts = [merge_counts(parts[i], parts[i + 1]) if i + 1 < len(parts) else parts[i]
                 for i in range(0, len(parts), 2)]
    least = min(MIN_DOCS_SITE)
    lines = {k: v for k, v in parts[0].lines.items() if v[0] >= least} if parts else {}
    wanted = np.array(sorted({d for _, sample, _ in lines.values() for d in sample}), dtype=np.uint64)
    docs: dict[int, DocSketch] = {}
    for b in range(n_batches):
        if len(wanted) == 0:
            break
        keys = _load(space, f"sketch-keys-{b}.npy")
        found = np.flatnonzero(np.isin(keys, wanted, assume_unique=True))
        if len(found) == 0:
            continue
        n_sh, mh = _load(space, f"sketch-n-{b}.npy"), _load(space, f"sketch-mh-{b}.npy", mmap=True)
        site, sites = _load(space, f"sketch-site-{b}.npy"), _undump(space, f"sketch-sites-{b}.pkl")
        for i in found.tolist():
            n = int(n_sh[i])
            docs[int(keys[i])] = DocSketch(n, bytes(mh[i]) if n else b"", None if site[i] < 0 else sites[site[i]])
    return dict(line_evidence(LineCounts(lines, docs)).lines)


# -- boilerplate and fingerprints, written next to the documents -----------------------------------
def prepare_map(task: tuple[str, int, Sequence[Where], Config, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Spans and fingerprints of one batch (dedup.pipeline.prepare_batch) into prepared-b.bin, and
    the batch's band keys into .npy files; returns the prepared records' offsets and lengths."""
    from .pipeline import prepare_batch

    space, batch, where, config, evidence = task
    prepared = prepare_batch(read_documents(space, where), config, evidence)
    fps = [fp for _, fp in prepared]
    indexes = [("shingles", config.threshold, "signature", "shingles")]
    if config.rewrites:
        indexes.append(("features", config.feature_threshold, "feature_signature", "features"))
    for name, threshold, sig_field, set_field in indexes:
        bands, rows = lsh_params(threshold, config.num_perm)
        sigs = np.stack([getattr(f, sig_field) for f in fps]) if fps else np.zeros((0, config.num_perm), np.uint32)
        _save(space, f"keys-{name}-{batch}.npy", band_keys(sigs, bands, rows))
        _save(space, f"skip-{name}-{batch}.npy", np.array([len(getattr(f, set_field)) == 0 for f in fps], dtype=bool))
    if config.sentence_bands:
        counts = np.array([len(f.sentence_keys) for f in fps], dtype=np.int64)
        keys = [f.sentence_keys for f in fps if len(f.sentence_keys)]
        _save(space, f"skeys-{batch}.npy",
              np.concatenate(keys) if keys else np.zeros((0, config.sentence_bands), dtype=np.uint64))
        _save(space, f"scount-{batch}.npy", counts)
    return write_records(_path(space, f"prepared-{batch}.bin"), prepared)


# -- candidates, one band at a time ----------------------------------------------------------------
def lsh_band(task: tuple[str, str, int, int, int]) -> np.ndarray:
    """One band of the "shingles" or "features" index over the whole corpus: pair codes of ranks."""
    space, name, band, n_batches, max_bucket = task
    order = _load(space, "order.npy")
    keys = np.concatenate([_load(space, f"keys-{name}-{b}.npy", mmap=True)[:, band] for b in range(n_batches)])
    skip = np.concatenate([_load(space, f"skip-{name}-{b}.npy") for b in range(n_batches)])
    active = np.flatnonzero(~skip[order])
    return band_pair_codes(keys[order], active, max_bucket)


def _sentence_docs(space: str, n_batches: int) -> tuple[np.ndarray, np.ndarray]:
    counts = np.concatenate([_load(space, f"scount-{b}.npy") for b in range(n_batches)])
    return np.repeat(np.arange(len(counts)), counts), counts


def sentence_band(task: tuple[str, int, int, int, np.ndarray]) -> int:
    """One band of the sentence index: its colliding sentence pairs, written by shard of the
    first sentence's document (shard s holds documents bounds[s]..bounds[s + 1] - 1)."""
    space, band, n_batches, max_bucket, bounds = task
    keys = np.concatenate([_load(space, f"skeys-{b}.npy", mmap=True)[:, band] for b in range(n_batches)])
    found = sentence_band_pairs(keys, max_bucket)
    del keys
    doc, _ = _sentence_docs(space, n_batches)
    first_doc = doc[(found >> np.uint64(32)).astype(np.int64)]
    shard = np.searchsorted(bounds, first_doc, side="right") - 1
    order = np.argsort(shard, kind="stable")
    cuts = np.searchsorted(shard[order], np.arange(len(bounds)))
    for s in range(len(bounds) - 1):
        _save(space, f"spairs-{band}-{s}.npy", found[order[cuts[s] : cuts[s + 1]]])
    return len(found)


def sentence_shard(task: tuple[str, int, int, int, Config]) -> np.ndarray:
    """The sentence index's document pairs whose first document is in one shard, as rank codes."""
    space, shard, n_batches, n_bands, config = task
    found = np.concatenate([_load(space, f"spairs-{band}-{shard}.npy") for band in range(n_bands)])
    for band in range(n_bands):
        os.remove(_path(space, f"spairs-{band}-{shard}.npy"))
    doc, counts = _sentence_docs(space, n_batches)
    pairs = sentence_shard_pairs(found, doc, counts, len(counts), min_shared=config.min_shared_sentences,
                                 min_bands=SENTENCE_MIN_BANDS, min_fraction=SENTENCE_MIN_FRACTION)
    rank = _load(space, "rank.npy")
    ra, rb = rank[pairs[:, 0]], rank[pairs[:, 1]]
    return np.minimum(ra, rb) * len(rank) + np.maximum(ra, rb)


# -- verification, groups and results, reading what they need ------------------------------------
def read_material(space: str, located: Mapping[str, Location]) -> dict[str, tuple[Document, tuple[Span, ...], Fingerprint]]:
    """(document, spans, fingerprint) of each located id."""
    ids = sorted(located)
    docs = read_documents(space, [located[i][:2] for i in ids])
    by_batch: dict[int, list[str]] = {}
    for i in ids:
        by_batch.setdefault(located[i][2], []).append(i)
    prepared: dict[str, tuple] = {}
    for batch, members in by_batch.items():
        records = read_records(_path(space, f"prepared-{batch}.bin"), [located[i][3:] for i in members])
        prepared.update(zip(members, records))
    return {i: (d, prepared[i][0], prepared[i][1]) for i, d in zip(ids, docs)}


def verify_located(task: tuple[str, Sequence[Candidate], Mapping[str, Location], Config]) -> list[Match]:
    """dedup.pipeline.verify_batch over a batch of pairs whose documents are read from the spill."""
    from .pipeline import strip_text, verify_batch

    space, batch, located, config = task
    material = read_material(space, located)
    fps = {i: m[2] for i, m in material.items()}
    texts = {i: strip_text(m[0].text, m[1]) for i, m in material.items()}
    return verify_batch((batch, fps, texts), config)


def groups_located(task: tuple[str, Sequence[Sequence[str]], Mapping[str, Location],
                                Mapping[tuple[str, str], Match], Config]) -> list[Group]:
    """dedup.grouping.assemble_groups over a chunk of components (the verified pairs naming their
    members are enough: each component is assembled on its own)."""
    from .grouping import assemble_groups
    from .pipeline import profile_cache

    space, comps, located, verified, config = task
    material = read_material(space, located)
    by_id = {i: m[0] for i, m in material.items()}
    spans = {i: m[1] for i, m in material.items()}
    fps = {i: m[2] for i, m in material.items()}
    return assemble_groups(comps, by_id, fps, verified, profile_cache(by_id, spans), config)


def results_located(task: tuple[str, int, Sequence[Where], Sequence[Where], Sequence[Group]]) -> list:
    """dedup.pipeline.document_results of one batch, in input order."""
    from .pipeline import document_results

    space, batch, where, prepared_where, groups = task
    docs = read_documents(space, where)
    prepared = read_records(_path(space, f"prepared-{batch}.bin"), prepared_where)
    spans = {d.id: p[0] for d, p in zip(docs, prepared)}
    return document_results(docs, groups, spans)
