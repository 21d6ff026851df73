"""What a worker runs during a scan, over documents spilled to the scan's directory (dedup.store).

Each task is handed locations, not documents: it reads the texts and fingerprints it needs from the
spill, writes what it derives next to them, and returns only small results to the parent. The
per-document work is that of the stages (dedup.boilerplate, dedup.fingerprint, dedup.verify,
dedup.grouping), composed as dedup.pipeline composes them; the results are the same records.

Files in the scan directory (`d` below), `b` a batch number, `s` a shard number:
    documents.bin                 every document, one pickled record each (written by the parent)
    lines-b-s.npy, judged-s.pkl   corpus evidence: (line, document, shape) occurrences by batch and
                                  shard of line keys; the lines of shard s enough documents carry
    wanted.npy, sketches-b.pkl    keys of the documents that judged lines sample; their body sketches
    prepared-b.bin, spans-b.bin   boilerplate spans and fingerprint of each document of batch b; the
                                  spans alone (the scan's result reads them from there: dedup.lean)
    results-b.bin                 the DocumentResult of each document of batch b (read by dedup.lean)
    keys-NAME-b.npy, skip-NAME-b.npy   LSH band keys of batch b ("shingles", "features"), a row per
                                  band (a band task reads only its own keys)
    cwords-b.bin, cwoff-b.npy     content-word sets (Fingerprint.features, uint32) of batch b, one
                                  after the other, and where each document's starts
    skeys-b.npy, scount-b.npy     sentence band keys of batch b (a row per band) and sentences per document
    scount.npy, sdoc.npy          sentences of every document, the document of every sentence
    order.npy, rank.npy           input positions in id order, and the id rank of each position
    spairs-BAND-s.bin             colliding sentence pairs (uint64) of one band whose first document is in shard s
                                  (document i is in shard i % number of shards)
"""
from __future__ import annotations

import mmap
import os
import pickle
from dataclasses import replace
from typing import Any, Mapping, Sequence

import numpy as np

from .config import Config
from .index import (SENTENCE_MIN_BANDS, SENTENCE_MIN_FRACTION, band_keys, band_pair_codes, lsh_params,
                    sentence_band_pair_chunks, sentence_shard_pairs)
from .lean import PackedFeatures, SpilledSpans, result_record
from .store import document_from_record, read_records, write_records
from .types import Candidate, Document, Fingerprint, Group, Match, Span

CONFIRM_RELEASE = 1024  # pairs confirmed between two releases of the mapped pages (a set maps its page and those the kernel maps around it)
_NO_WORDS = np.zeros(0, dtype=np.uint32)
SENTENCE_PART = 1 << 21  # sentences a sentence band task sorts at once (about 80 bytes each)
SENTENCE_WRITE_PAIRS = 1 << 21  # sentence pairs a band task holds before writing them to the shards' files
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


# -- corpus evidence of furniture: lines counted by batch and reduced by shard of line keys; then
# the sketches of just the documents that judged lines sample (dedup.boilerplate_corpus's two passes)
def evidence_lines(task: tuple[str, int, Sequence[Where], int]) -> int:
    """Pass 1 on one batch: its (line, document, shape) occurrences, written by shard of line key."""
    from .boilerplate_corpus import line_occurrences

    space, batch, where, n_shards = task
    found = line_occurrences(read_documents(space, where))
    rows = np.stack([found.lines, found.docs, found.shapes.astype(np.uint64)], axis=1)
    shard = (found.lines % np.uint64(n_shards)).astype(np.int64)
    order = np.argsort(shard, kind="stable")
    cuts = np.searchsorted(shard[order], np.arange(n_shards + 1))
    for s in range(n_shards):
        _save(space, f"lines-{batch}-{s}.npy", rows[order[cuts[s] : cuts[s + 1]]])
    return len(where)


def evidence_shard(task: tuple[str, int, int]) -> np.ndarray:
    """One shard of line keys counted over every batch, keeping only the lines carried by enough
    documents to be judged (`line_evidence` skips the others); returns the keys of the documents
    whose sketches judging them needs (sorted uint64)."""
    from .boilerplate_corpus import MIN_DOCS_SITE, LineCounts, LineOccurrences, counts_of_occurrences, sketch_keys

    space, shard, n_batches = task
    parts = []
    for b in range(n_batches):
        rows = _load(space, f"lines-{b}-{shard}.npy")
        os.remove(_path(space, f"lines-{b}-{shard}.npy"))
        parts.append(LineOccurrences(rows[:, 0], rows[:, 1], rows[:, 2].astype(np.uint8)))
    counts = counts_of_occurrences(parts)
    lines = {k: v for k, v in counts.lines.items() if v[0] >= MIN_DOCS_SITE[v[2]]}
    _dump(space, f"judged-{shard}.pkl", lines)
    return np.array(sorted(sketch_keys(LineCounts(lines, {}))), dtype=np.uint64)


def evidence_sketches(task: tuple[str, int, Sequence[Where]]) -> int:
    """Pass 2 on one batch: the sketches of its documents that wanted.npy (sorted keys) names."""
    from .boilerplate_corpus import document_key, sketch_documents

    space, batch, where = task
    wanted = _load(space, "wanted.npy")
    docs = read_documents(space, where)
    if len(wanted):
        keys = np.array([document_key(d.id) for d in docs], dtype=np.uint64)
        hit = wanted[np.minimum(np.searchsorted(wanted, keys), len(wanted) - 1)] == keys
        docs = [d for d, h in zip(docs, hit.tolist()) if h]
    else:
        docs = []
    _dump(space, f"sketches-{batch}.pkl", sketch_documents(docs))
    return len(where)


def evidence_judge(task: tuple[str, int, int]) -> dict[int, str]:
    """`line_evidence` on one shard's judged lines, with the sketches of the documents they sample."""
    from .boilerplate_corpus import LineCounts, line_evidence

    space, shard, n_batches = task
    lines = _undump(space, f"judged-{shard}.pkl")
    wanted = {d for _, sample, _ in lines.values() for d in sample}
    docs = {}
    for b in range(n_batches):
        docs.update((k, v) for k, v in _undump(space, f"sketches-{b}.pkl").items() if k in wanted)
    return dict(line_evidence(LineCounts(lines, docs)).lines)


# -- boilerplate and fingerprints, written next to the documents -----------------------------------
def prepare_map(task: tuple[str, int, Sequence[Where], Config, Any]) -> np.ndarray:
    """Spans and fingerprints of one batch (dedup.pipeline.prepare_batch) into prepared-b.bin, the
    spans alone into spans-b.bin, and the batch's band keys into .npy files. Returns, per document,
    [offset, length] of its prepared record, [offset, length] of its spans record, its spans' count."""
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
        _save(space, f"keys-{name}-{batch}.npy", np.ascontiguousarray(band_keys(sigs, bands, rows).T))
        _save(space, f"skip-{name}-{batch}.npy", np.array([len(getattr(f, set_field)) == 0 for f in fps], dtype=bool))
    if config.rewrites:  # for confirm_content_words
        np.concatenate([f.features for f in fps] + [np.zeros(0, np.uint32)]).astype(np.uint32).tofile(
            _path(space, f"cwords-{batch}.bin"))
        _save(space, f"cwoff-{batch}.npy", np.concatenate(([0], np.cumsum([len(f.features) for f in fps]))).astype(np.int64))
    if config.sentence_bands:
        counts = np.array([len(f.sentence_keys) for f in fps], dtype=np.int64)
        keys = [f.sentence_keys for f in fps if len(f.sentence_keys)]
        _save(space, f"skeys-{batch}.npy",  # a row per band: a band task reads only its own keys
              np.ascontiguousarray(np.concatenate(keys).T) if keys else np.zeros((config.sentence_bands, 0), dtype=np.uint64))
        _save(space, f"scount-{batch}.npy", counts)
    span_offsets, span_lengths = write_records(_path(space, f"spans-{batch}.bin"), [spans for spans, _ in prepared])
    offsets, lengths = write_records(_path(space, f"prepared-{batch}.bin"), prepared)
    counts = np.array([len(spans) for spans, _ in prepared], dtype=np.int64)
    return np.stack([offsets, lengths, span_offsets, span_lengths, counts], axis=1)


# -- candidates, one band at a time ----------------------------------------------------------------
def lsh_band(task: tuple[str, str, int, int, int]) -> np.ndarray:
    """One band of the "shingles" or "features" index over the whole corpus: pair codes of ranks."""
    space, name, band, n_batches, max_bucket = task
    order = _load(space, "order.npy")
    keys = np.concatenate([_load(space, f"keys-{name}-{b}.npy", mmap=True)[band] for b in range(n_batches)])
    skip = np.concatenate([_load(space, f"skip-{name}-{b}.npy") for b in range(n_batches)])
    active = np.flatnonzero(~skip[order])
    return band_pair_codes(keys[order], active, max_bucket)


def confirm_content_words(task: tuple[str, np.ndarray, int, int]) -> np.ndarray:
    """For pairs (rank codes) the content-word index alone proposed: does each pass
    dedup.verify.confirmed_by_content_words? Read from the batches' content-word sets."""
    from .verify import confirms

    space, codes, n, n_batches = task
    order = _load(space, "order.npy")
    offsets = [_load(space, f"cwoff-{b}.npy") for b in range(n_batches)]
    maps: dict[int, mmap.mmap] = {}
    touched: set[int] = set()

    def words(b: int, lo: int, hi: int) -> np.ndarray:  # a document's set, from the mapped file of its batch
        if hi == lo:
            return _NO_WORDS
        if b not in maps:
            with open(_path(space, f"cwords-{b}.bin"), "rb") as f:
                maps[b] = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        touched.add(b)
        return np.frombuffer(maps[b], dtype=np.uint32, count=hi - lo, offset=4 * lo)

    first = np.concatenate(([0], np.cumsum([len(o) - 1 for o in offsets])))  # input position of each batch's first

    def where(ranks: np.ndarray) -> tuple[list[int], list[int]]:
        position = order[ranks]
        batch = np.searchsorted(first, position, side="right") - 1
        return batch.tolist(), (position - first[batch]).tolist()

    (ba, ia), (bb, ib) = where(codes // n), where(codes % n)
    keep = np.zeros(len(codes), dtype=bool)
    for k, (x, i, y, j) in enumerate(zip(ba, ia, bb, ib)):
        ox, oy = offsets[x], offsets[y]
        keep[k] = confirms(words(x, ox[i], ox[i + 1]), words(y, oy[j], oy[j + 1]))
        if k % CONFIRM_RELEASE == CONFIRM_RELEASE - 1:  # the pages read so far leave this process's memory
            for b in touched:  # (the pairs' documents are all over the corpus: kept mapped, they were 400 MiB
                maps[b].madvise(mmap.MADV_DONTNEED)  # of a worker at 1,000,000 documents)
            touched.clear()
    return keep


def sentence_documents(space: str, n_batches: int) -> int:
    """scount.npy, every document's count of indexed sentences, and sdoc.npy, the document of
    every sentence (int32), written from the batches' counts (sdoc through a file mapping, so
    that it does not take memory); returns the number of sentences."""
    counts = np.concatenate([_load(space, f"scount-{b}.npy") for b in range(n_batches)])
    _save(space, "scount.npy", counts)
    doc = np.lib.format.open_memmap(_path(space, "sdoc.npy"), mode="w+", dtype=np.int32, shape=(int(counts.sum()),))
    at, step = 0, 1 << 16
    for lo in range(0, len(counts), step):
        part = np.repeat(np.arange(lo, min(lo + step, len(counts)), dtype=np.int32), counts[lo : lo + step])
        doc[at : at + len(part)] = part
        at += len(part)
    doc.flush()
    del doc
    return at


def sentence_band(task: tuple[str, int, int, int, int, int]) -> int:
    """One band of the sentence index: its colliding sentence pairs, appended (in pieces, so that
    the band's pairs are never all in memory) to the file of the shard of the first sentence's
    document (document i's pairs go to shard i % n_shards: every shard has documents from the
    whole corpus, and so about as many pairs). The band's keys are sorted in parts of about
    SENTENCE_PART sentences, split by key (equal keys fall in one part), so that the band's sort
    needs memory for one part at a time."""
    space, band, n_batches, max_bucket, clique, n_shards = task
    keys = np.concatenate([_load(space, f"skeys-{b}.npy", mmap=True)[band] for b in range(n_batches)])
    doc, rank = _load(space, "sdoc.npy", mmap=True), _load(space, "rank.npy")
    n_parts = max(1, -(-len(keys) // SENTENCE_PART))
    part = (keys % np.uint64(n_parts)).astype(np.min_scalar_type(n_parts)) if n_parts > 1 else None
    total = 0
    files = [open(_path(space, f"spairs-{band}-{s}.bin"), "wb") for s in range(n_shards)]
    held: list[np.ndarray] = []  # pairs not yet written, in the order found
    holding = 0
    try:
        for p in range(n_parts):
            members = np.flatnonzero(part == p) if part is not None else None
            ranks = rank[doc[members] if part is not None else doc]  # of each sentence's document
            for found in sentence_band_pair_chunks(keys[members] if part is not None else keys, max_bucket,
                                                   ranks=ranks, clique=clique):
                if members is not None:  # positions in the part -> in the band (the order is kept)
                    first = members[(found >> np.uint64(32)).astype(np.int64)]
                    second = members[(found & np.uint64(0xFFFFFFFF)).astype(np.int64)]
                    found = (first.astype(np.uint64) << np.uint64(32)) | second.astype(np.uint64)
                    del first, second
                held.append(found)
                total += len(found)
                holding += len(found)
                if holding >= SENTENCE_WRITE_PAIRS:
                    _write_by_shard(held, doc, files)
                    holding = 0
        _write_by_shard(held, doc, files)
    finally:
        for f in files:
            f.close()
    return total


def _write_by_shard(held: list[np.ndarray], doc: np.ndarray, files: list) -> None:
    """Append the held sentence pairs to the files of their first sentence's document's shard (in
    the order they were found, within each shard), and let go of them. Written together: the
    chunks of a band are many and mostly small (one per bucket size), and each was cut into every
    shard (n_shards grows with the corpus: chunks x shards writes)."""
    if not held:
        return
    found = np.concatenate(held) if len(held) > 1 else held[0]
    held.clear()
    shard = doc[(found >> np.uint64(32)).astype(np.int64)] % len(files)
    order = np.argsort(shard, kind="stable")
    cuts = np.searchsorted(shard[order], np.arange(len(files) + 1))
    for s in np.flatnonzero(np.diff(cuts)).tolist():
        found[order[cuts[s] : cuts[s + 1]]].tofile(files[s])


def sentence_shard(task: tuple[str, Sequence[int], int, int, Config]) -> np.ndarray:
    """The sentence index's document pairs whose first document is in the given shards, as rank
    codes (any set of shards reduces apart: a document pair's sentence pairs all go to the shard
    of its first document)."""
    space, shards, n_batches, n_bands, config = task
    paths = [_path(space, f"spairs-{band}-{s}.bin") for s in shards for band in range(n_bands)]
    sizes = [os.path.getsize(p) // 8 for p in paths]
    found, at = np.empty(sum(sizes), dtype=np.uint64), 0
    for path, size in zip(paths, sizes):
        with open(path, "rb") as f:
            f.readinto(memoryview(found[at : at + size]).cast("B"))
        at += size
        os.remove(path)
    doc, counts = _load(space, "sdoc.npy", mmap=True).view(np.ndarray), _load(space, "scount.npy")
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
    return [Match(m.a, m.b, m.jaccard, m.containment_a, m.containment_b, m.relation, m.score,
                  PackedFeatures.pack(m.features)) for m in verify_batch((batch, fps, texts), config)]


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
    groups = assemble_groups(comps, by_id, fps, verified, profile_cache(by_id, spans), config)
    return [replace(g, members=tuple(replace(m, features=PackedFeatures.pack(m.features)) for m in g.members))
            for g in groups]


def results_located(task: tuple[str, int, Sequence[Where], np.ndarray, Sequence[Group]]) -> np.ndarray:
    """dedup.pipeline.document_results of one batch, in input order, written to results-b.bin (one
    record each: dedup.lean.result_record); each document's spans stay in spans-b.bin
    (SpilledSpans). Returns the [offset, length] of each document's record."""
    from .pipeline import document_results

    space, batch, where, span_where, groups = task
    docs = read_documents(space, where)
    spans = {d.id: SpilledSpans(batch, off, length, count) if count else ()
             for d, (off, length, count) in zip(docs, span_where.tolist())}
    results = document_results(docs, groups, spans)
    offsets, lengths = write_records(_path(space, f"results-{batch}.bin"), map(result_record, results))
    return np.stack([offsets, lengths], axis=1) if results else np.zeros((0, 2), dtype=np.int64)
