"""The parts of a scan that run on the partitions of a corpus held on a cluster.

Plain functions over lists of Documents, the pipeline's per-batch results and numpy arrays; the
Dask engine (dedup.engine.dask) ships them to its workers. Nothing here imports dask.

Candidates are formed by an exchange of band keys: every partition turns its fingerprints into
rows (band, key, document) and splits them by a hash of (band, key) into `n_parts` pieces; each
bucket task receives the pieces of one hash range from every partition and pairs the documents that
share a key, exactly as dedup.index does over the whole corpus (the same bucket rules: all pairs up
to `max_bucket`, a star on the smallest id above it; for sentences, colliding sentences of other
documents counted per document pair, in a second exchange keyed by the pair).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np

from ..boilerplate import LineCounts, LineEvidence
from ..config import Config
from ..corpus import read_corpus
from ..errors import DedupError, InputError, MissingExtra
from ..index import SENTENCE_MIN_BANDS, SENTENCE_MIN_FRACTION, band_keys, lsh_params
from ..index import bucket_pairs as index_bucket_pairs
from ..pipeline import document_results, profile_cache, strip_text, verify_batch
from ..grouping import assemble_groups
from ..types import Candidate, Document, Fingerprint, Group, Match, Problem, Span

Prepared = Sequence[tuple[tuple[Span, ...], Fingerprint]]  # what pipeline.prepare_batch returns
_MIX = np.uint64(0x9E3779B97F4A7C15)


# -- reading ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReadOutcome:
    """One input unit (a file, or a directory of text files) as read on a worker. `error` is the
    first DedupError met, as (kind, file, line, message) so that it crosses processes intact."""

    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    error: tuple[str, str | None, int | None, str] | None = None


def read_unit(path: str | Path, id_field: str, text_field: str, on_error: str) -> ReadOutcome:
    """Read one unit; a DedupError is returned (not raised) so the client can raise it in input order."""
    try:
        corpus = read_corpus([path], id_field=id_field, text_field=text_field, on_error=on_error)
    except InputError as exc:
        return ReadOutcome((), (), ("input", exc.file, exc.line, exc.message))
    except MissingExtra as exc:
        return ReadOutcome((), (), ("extra", None, None, str(exc)))
    except DedupError as exc:
        return ReadOutcome((), (), ("dedup", None, None, str(exc)))
    return ReadOutcome(corpus.documents, corpus.problems)


def raise_read_error(error: tuple[str, str | None, int | None, str]) -> None:
    kind, file, line, message = error
    if kind == "input":
        raise InputError(file, line, message)
    raise (MissingExtra if kind == "extra" else DedupError)(message)


def outline(outcome: ReadOutcome) -> tuple[tuple[str, ...], tuple[str | None, ...], tuple[Problem, ...], tuple | None]:
    """What the client needs of a read unit: its ids in order, their dates, its problems, its error."""
    return tuple(d.id for d in outcome.documents), tuple(d.date for d in outcome.documents), outcome.problems, outcome.error


def slice_documents(outcome: ReadOutcome, start: int, stop: int) -> list[Document]:
    return list(outcome.documents[start:stop])


def as_documents(batch: Sequence[Document]) -> list[Document]:
    return list(batch)


# -- boilerplate evidence, reduced in shards of line keys ----------------------------------------
def shard_line_counts(counts: LineCounts, n_shards: int) -> list[LineCounts]:
    """A partition's line counts split by line key, each shard with the sketches of the documents
    its lines sample, so that shards reduce apart and line_evidence runs on each shard alone."""
    lines: list[dict] = [{} for _ in range(n_shards)]
    for key, value in counts.lines.items():
        lines[key % n_shards][key] = value
    shards = []
    for shard in lines:
        sampled = {d for _, sample, _ in shard.values() for d in sample}
        shards.append(LineCounts(shard, {d: s for d, s in counts.docs.items() if d in sampled}))
    return shards


def merge_evidence(a: LineEvidence, b: LineEvidence) -> LineEvidence:
    """The evidence of disjoint shards of line keys, together."""
    return LineEvidence({**a.lines, **b.lines})


# -- band keys and their exchange ----------------------------------------------------------------
def band_rows(prepared: Prepared, ranks: np.ndarray, first_index: int, config: Config,
              n_parts: int) -> list[dict[str, np.ndarray]]:
    """The band-key rows of one partition, split into `n_parts` pieces by a hash of (band, key).

    Rows: "shingles"/"features" [band, key, rank] (rank = position of the id in sorted order, so the
    smallest rank is the smallest id); "sentences" [band, key, rank, document index, sentence number,
    sentences of that document] (document index = position in the input)."""
    fps = [fp for _, fp in prepared]
    tables: dict[str, np.ndarray] = {}
    if fps:
        ranks = np.asarray(ranks, dtype=np.uint64)
        tables["shingles"] = _lsh_rows([f.signature for f in fps], [len(f.shingles) == 0 for f in fps],
                                       ranks, config.threshold)
        if config.rewrites:
            tables["features"] = _lsh_rows([f.feature_signature for f in fps],
                                           [len(f.features) == 0 for f in fps], ranks, config.feature_threshold)
        if config.sentence_bands:
            tables["sentences"] = _sentence_rows([f.sentence_keys for f in fps], ranks, first_index)
    pieces: list[dict[str, np.ndarray]] = [{} for _ in range(n_parts)]
    for name, rows in tables.items():
        with np.errstate(over="ignore"):
            target = ((rows[:, 1] ^ (rows[:, 0] * _MIX)) % np.uint64(n_parts)).astype(np.int64)
        for part in range(n_parts):
            pieces[part][name] = rows[target == part]
    return pieces


def _lsh_rows(signatures: list[np.ndarray], empty: list[bool], ranks: np.ndarray, threshold: float) -> np.ndarray:
    sigs = np.stack(signatures)
    bands, rows = lsh_params(threshold, sigs.shape[1])
    keys = band_keys(sigs, bands, rows)  # [n, bands]
    keep = ~np.asarray(empty, dtype=bool)
    keys, kept_ranks = keys[keep], ranks[keep]
    n = len(kept_ranks)
    band = np.tile(np.arange(bands, dtype=np.uint64), n)
    return np.stack([band, keys.ravel(), np.repeat(kept_ranks, bands)], axis=1)


def _sentence_rows(sentence_keys: list[np.ndarray], ranks: np.ndarray, first_index: int) -> np.ndarray:
    out = []
    for j, (keys, rank) in enumerate(zip(sentence_keys, ranks.tolist())):
        n_sent = len(keys)
        if n_sent == 0:
            continue
        bands = keys.shape[1]
        band = np.tile(np.arange(bands, dtype=np.uint64), n_sent)
        sent = np.repeat(np.arange(n_sent, dtype=np.uint64), bands)
        doc = np.full(n_sent * bands, first_index + j, dtype=np.uint64)
        count = np.full(n_sent * bands, n_sent, dtype=np.uint64)
        ranked = np.full(n_sent * bands, rank, dtype=np.uint64)
        out.append(np.stack([band, keys.astype(np.uint64).ravel(), ranked, doc, sent, count], axis=1))
    return np.concatenate(out) if out else np.zeros((0, 6), dtype=np.uint64)


def _concat(pieces: Sequence[Mapping[str, np.ndarray]], name: str, width: int) -> np.ndarray:
    found = [p[name] for p in pieces if name in p and len(p[name])]
    return np.concatenate(found) if found else np.zeros((0, width), dtype=np.uint64)


def _buckets(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by (band, key, then the remaining columns), bucket starts and sizes."""
    order = np.lexsort(tuple(rows[:, c] for c in range(rows.shape[1] - 1, -1, -1)))
    rows = rows[order]
    change = np.flatnonzero((np.diff(rows[:, 0].astype(np.int64)) != 0) | (np.diff(rows[:, 1]) != 0)) + 1
    starts = np.concatenate(([0], change)).astype(np.int64)
    sizes = np.diff(np.concatenate((starts, [len(rows)])))
    return rows, starts, sizes


def bucket_pairs(rows: np.ndarray, max_bucket: int) -> np.ndarray:
    """Pairs of ranks [m, 2] (i < j, unique) of documents sharing a band key: all pairs of a bucket
    of up to `max_bucket` members, a star on its smallest rank above that (as dedup.index does)."""
    if len(rows) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    rows, starts, sizes = _buckets(rows)
    pairs = index_bucket_pairs(rows[:, 2].astype(np.int64), starts, sizes, max_bucket)
    if len(pairs) == 0:
        return np.zeros((0, 2), dtype=np.int64)
    return np.unique(np.sort(pairs, axis=1), axis=0)


def sentence_triples(rows: np.ndarray, config: Config, n_parts: int) -> list[np.ndarray]:
    """Colliding sentences of different documents as [lower doc, higher doc, sentence of the lower,
    sentences needed, sentence of the higher, indexed sentences of the document with fewer] (one row
    per band they collide in), split into `n_parts` pieces by a hash of the document pair. A bucket
    of more than `config.sentence_clique` sentences gives a star on its first sentence (smallest
    id, then first sentence), as dedup.index.sentence_band_pair_chunks does."""
    empty = [np.zeros((0, 6), dtype=np.int64) for _ in range(n_parts)]
    if len(rows) < 2:
        return empty
    rows, starts, sizes = _buckets(rows)  # within a bucket: by rank (id), then sentence
    doc, sent, count = (rows[:, c].astype(np.int64) for c in (3, 4, 5))
    found = []
    for size in np.unique(sizes[(sizes > 1) & (sizes <= config.max_bucket)]).tolist():
        members = starts[sizes == size][:, None] + np.arange(size)[None, :]
        if size > config.sentence_clique:
            lo, hi = np.repeat(members[:, 0], size - 1), members[:, 1:].ravel()
        else:
            i, j = np.triu_indices(size, k=1)
            lo, hi = members[:, i].ravel(), members[:, j].ravel()
        other = doc[lo] != doc[hi]
        lo, hi = lo[other], hi[other]
        swap = doc[lo] > doc[hi]  # the lower document first
        lo, hi = np.where(swap, hi, lo), np.where(swap, lo, hi)
        fewer = np.minimum(count[lo], count[hi])
        need = np.minimum(config.min_shared_sentences, np.maximum(1, fewer))
        found.append(np.stack([doc[lo], doc[hi], sent[lo], need, sent[hi], fewer], axis=1))
    if not found:
        return empty
    triples = np.concatenate(found)
    with np.errstate(over="ignore"):
        mixed = triples[:, 0].astype(np.uint64) * _MIX ^ triples[:, 1].astype(np.uint64)
    target = (mixed % np.uint64(n_parts)).astype(np.int64)
    return [triples[target == part] for part in range(n_parts)]


def bucket_candidates(pieces: Sequence[Mapping[str, np.ndarray]], config: Config,
                      n_parts: int) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """One hash range of band keys: (shingle rank pairs, feature rank pairs, sentence triples by
    document-pair hash range)."""
    shingles = bucket_pairs(_concat(pieces, "shingles", 3), config.max_bucket)
    features = bucket_pairs(_concat(pieces, "features", 3), config.max_bucket)
    return shingles, features, sentence_triples(_concat(pieces, "sentences", 6), config, n_parts)


def sentence_pairs(pieces: Sequence[np.ndarray]) -> np.ndarray:
    """Document pairs [m, 2] (by input index) sharing enough distinct colliding sentences, with the
    same filter as dedup.index.sentence_candidates (a sentence pair colliding in SENTENCE_MIN_BANDS
    bands, or colliding sentences SENTENCE_MIN_FRACTION of the document with fewer)."""
    found = [p for p in pieces if len(p)]
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    collisions, bands_hit = np.unique(np.concatenate(found), axis=0, return_counts=True)  # one row per sentence pair
    triples = np.unique(collisions[:, :4], axis=0)  # distinct sentences of the lower document
    pairs, first, shared = np.unique(triples[:, :2], axis=0, return_index=True, return_counts=True)
    pair_of = np.unique(collisions[:, :2], axis=0, return_inverse=True)[1].ravel()
    strongest = np.zeros(len(pairs), dtype=np.int64)
    np.maximum.at(strongest, pair_of, bands_hit)
    fewer = np.zeros(len(pairs), dtype=np.int64)
    np.maximum.at(fewer, pair_of, collisions[:, 5])
    strong, large = strongest >= SENTENCE_MIN_BANDS, shared >= SENTENCE_MIN_FRACTION * np.maximum(1, fewer)
    keep = ((shared >= triples[first, 3]) & (strong | large)) | (strong & large)
    return pairs[keep]


def to_candidates(shingles: np.ndarray, features: np.ndarray, sentences: np.ndarray,
                  ids: Sequence[str], ranked: Sequence[str]) -> list[Candidate]:
    out = [Candidate(ranked[i], ranked[j], "shingles") for i, j in shingles.tolist()]
    out += [Candidate(ranked[i], ranked[j], "features") for i, j in features.tolist()]
    for i, j in sentences.tolist():
        a, b = (ids[i], ids[j]) if ids[i] < ids[j] else (ids[j], ids[i])
        out.append(Candidate(a, b, "sentences"))
    return out


# -- verification, groups, results ---------------------------------------------------------------
def verify_material(documents: Sequence[Document], prepared: Prepared,
                    wanted: Mapping[int, Sequence[str]]) -> dict[int, tuple[dict, dict]]:
    """For each verification batch, the fingerprints and stripped texts of this partition's
    documents it names."""
    here = {d.id: (d, spans, fp) for d, (spans, fp) in zip(documents, prepared)}
    out = {}
    for batch, ids in wanted.items():
        fps = {i: here[i][2] for i in ids}
        texts = {i: strip_text(here[i][0].text, here[i][1]) for i in ids}
        out[batch] = (fps, texts)
    return out


def verify_parts(batch: Sequence[Candidate], parts: Sequence[tuple[dict, dict]], config: Config) -> list[Match]:
    """pipeline.verify_batch over a batch whose documents came from several partitions."""
    fps: dict = {}
    texts: dict = {}
    for f, t in parts:
        fps.update(f)
        texts.update(t)
    return verify_batch((batch, fps, texts), config)


def member_material(documents: Sequence[Document], prepared: Prepared,
                    wanted: Mapping[int, Sequence[str]]) -> dict[int, dict[str, tuple]]:
    """For each chunk of groups, (document, spans, fingerprint) of this partition's members."""
    here = {d.id: (d, spans, fp) for d, (spans, fp) in zip(documents, prepared)}
    return {chunk: {i: here[i] for i in ids} for chunk, ids in wanted.items()}


def assemble_chunk(comps: Sequence[Sequence[str]], parts: Sequence[Mapping[str, tuple]],
                   verified: Mapping[tuple[str, str], Match], config: Config) -> list[Group]:
    """grouping.assemble_groups over a chunk of components whose members came from several partitions."""
    material: dict[str, tuple] = {}
    for part in parts:
        material.update(part)
    by_id = {i: m[0] for i, m in material.items()}
    spans = {i: m[1] for i, m in material.items()}
    fps = {i: m[2] for i, m in material.items()}
    return assemble_groups(comps, by_id, fps, verified, profile_cache(by_id, spans), config)


def partition_results(documents: Sequence[Document], prepared: Prepared, groups: Sequence[Group]):
    """pipeline.document_results of one partition (given the groups its documents belong to)."""
    spans = {d.id: s for d, (s, _) in zip(documents, prepared)}
    return document_results(documents, groups, spans)


def tree_pairs(items: Sequence) -> tuple[list[tuple], list]:
    """Items paired for one level of a tree reduction: (pairs, an odd one left over)."""
    pairs = [(items[i], items[i + 1]) for i in range(0, len(items) - 1, 2)]
    return pairs, ([items[-1]] if len(items) % 2 else [])
