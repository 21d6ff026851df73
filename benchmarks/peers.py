"""The near-duplicate job done by peer libraries, for the benchmark harness.

    python benchmarks/peers.py PEER CORPUS.jsonl [--pairs OUT.tsv] [--limit N]

Every peer does the same job on the same records: the text tokenised the same simple way
(lowercase words by a regex), word 5-shingles, 128 permutations, an LSH index at Jaccard 0.5,
every document indexed and then queried; out come the candidate pairs. Peers:

  datasketch          as its documentation shows: MinHash.update once per shingle (default
                      SHA-1 hash), MinHashLSH.insert, then MinHashLSH.query
  datasketch-tuned    MinHash.bulk with a fast C hash (zlib.crc32), LeanMinHash, and
                      MinHashLSH.insertion_session
  rensa               RMinHash.update per document, RMinHashLSH.insert / query (its README's way)
  rensa-bulk          RMinHash.from_token_sets, RMinHashLSH.insert_many / query_all
  exact               the ground truth: every pair of Jaccard >= 0.5 on the exact shingle sets,
                      found by prefix filtering over an inverted index (exact, not sampled)

Run as a script, a peer writes its pairs (id TAB id, sorted) and prints one JSON line of counts and
phase timings; the harness runs each in its own process to measure its time and memory.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
import time
import zlib
from typing import Callable, Iterable, Iterator

import numpy as np

SHINGLE = 5
NUM_PERM = 128
THRESHOLD = 0.5
SEED = 1  # datasketch's default seed
RENSA_SEED = 42  # the seed rensa's README uses
# rensa needs num_perm divisible by the number of bands; 32 bands of 4 rows is the closest to
# datasketch's choice for 0.5 (25 bands of 5 rows; its S-curve midpoint ~0.53, rensa's ~0.42).
RENSA_BANDS = 32
BATCH = 1000

WORD_RE = re.compile(r"\w+")

Pair = tuple[str, str]


def words(text: str) -> list[str]:
    """The peers' tokens: lowercase words by a regex."""
    return WORD_RE.findall(text.lower())


def shingles(text: str, k: int = SHINGLE) -> set[str]:
    """The word k-shingles of a text (a text shorter than k words is one shingle)."""
    ws = words(text)
    if len(ws) <= k:
        return {" ".join(ws)} if ws else set()
    return {" ".join(ws[i:i + k]) for i in range(len(ws) - k + 1)}


def read_records(path: str, limit: int | None = None) -> Iterator[tuple[str, str]]:
    """(id, text) of each JSON line, streamed."""
    with open(path, encoding="utf-8") as lines:
        for number, line in enumerate(lines):
            if limit is not None and number >= limit:
                return
            rec = json.loads(line)
            yield str(rec.get("id", number)), rec["text"]


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def _batches(records: Iterable[tuple[str, str]], size: int = BATCH) -> Iterator[list[tuple[str, str]]]:
    batch = []
    for rec in records:
        batch.append(rec)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def datasketch_documented(records: Iterable[tuple[str, str]], times: dict) -> set[Pair]:
    from datasketch import MinHash, MinHashLSH

    began = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    minhashes = {}
    for key, text in records:
        m = MinHash(num_perm=NUM_PERM)
        for s in shingles(text):
            m.update(s.encode("utf8"))
        lsh.insert(key, m)
        minhashes[key] = m
    times["index"] = time.perf_counter() - began
    began = time.perf_counter()
    pairs = {_pair(key, other) for key, m in minhashes.items() for other in lsh.query(m) if other != key}
    times["query"] = time.perf_counter() - began
    return pairs


def datasketch_tuned(records: Iterable[tuple[str, str]], times: dict) -> set[Pair]:
    from datasketch import LeanMinHash, MinHash, MinHashLSH

    began = time.perf_counter()
    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    keys, lean = [], []
    with lsh.insertion_session() as session:
        for batch in _batches(records):
            sets = [[s.encode("utf8") for s in shingles(text)] for _, text in batch]
            for (key, _), m in zip(batch, MinHash.bulk(sets, num_perm=NUM_PERM, hashfunc=zlib.crc32)):
                m = LeanMinHash(m)
                session.insert(key, m, check_duplication=False)
                keys.append(key)
                lean.append(m)
    times["index"] = time.perf_counter() - began
    began = time.perf_counter()
    pairs = {_pair(key, other) for key, m in zip(keys, lean) for other in lsh.query(m) if other != key}
    times["query"] = time.perf_counter() - began
    return pairs


def rensa_documented(records: Iterable[tuple[str, str]], times: dict) -> set[Pair]:
    from rensa import RMinHash, RMinHashLSH

    began = time.perf_counter()
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=RENSA_BANDS)
    keys, minhashes = [], []
    for key, text in records:
        m = RMinHash(num_perm=NUM_PERM, seed=RENSA_SEED)
        m.update(list(shingles(text)))
        lsh.insert(len(keys), m)
        keys.append(key)
        minhashes.append(m)
    times["index"] = time.perf_counter() - began
    began = time.perf_counter()
    pairs = {_pair(keys[i], keys[j]) for i, m in enumerate(minhashes) for j in lsh.query(m) if j != i}
    times["query"] = time.perf_counter() - began
    return pairs


def rensa_bulk(records: Iterable[tuple[str, str]], times: dict) -> set[Pair]:
    from rensa import RMinHash, RMinHashLSH

    began = time.perf_counter()
    lsh = RMinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM, num_bands=RENSA_BANDS)
    keys, minhashes = [], []
    for batch in _batches(records):
        ms = RMinHash.from_token_sets([list(shingles(text)) for _, text in batch], NUM_PERM, RENSA_SEED)
        lsh.insert_many(ms, start_key=len(keys))
        keys += [key for key, _ in batch]
        minhashes += ms
    times["index"] = time.perf_counter() - began
    began = time.perf_counter()
    pairs = {_pair(keys[i], keys[j]) for i, found in enumerate(lsh.query_all(minhashes))
             for j in found if j != i}
    times["query"] = time.perf_counter() - began
    return pairs


def exact_pairs(records: Iterable[tuple[str, str]], times: dict | None = None,
                threshold: float = THRESHOLD) -> dict[Pair, float]:
    """Every pair with Jaccard >= threshold on the exact shingle sets, with its Jaccard.

    Prefix filtering (exact): order each set by how rare its shingles are in the corpus; two sets
    with Jaccard >= t share at least ceil(t*|x|) shingles, so they share one among the first
    |x| - ceil(t*|x|) + 1 of either. Candidates come from an inverted index over those prefixes and
    are verified on the full sets."""
    times = {} if times is None else times
    began = time.perf_counter()
    vocabulary: dict[str, int] = {}
    keys, sets = [], []
    for key, text in records:
        keys.append(key)
        sets.append(np.array([vocabulary.setdefault(s, len(vocabulary)) for s in shingles(text)], dtype=np.int64))
    times["read"] = time.perf_counter() - began
    began = time.perf_counter()
    df = np.bincount(np.concatenate(sets), minlength=len(vocabulary)) if sets else np.zeros(0, np.int64)
    rank = np.argsort(np.argsort(df, kind="stable"), kind="stable")  # rarest shingle first
    prefix_tokens, prefix_docs = [], []
    for doc, ids in enumerate(sets):
        if len(ids) == 0:
            continue
        size = len(ids) - math.ceil(threshold * len(ids)) + 1
        prefix = ids[np.argsort(rank[ids])[:size]]
        prefix_tokens.append(rank[prefix])
        prefix_docs.append(np.full(len(prefix), doc))
    candidates = _shared(np.concatenate(prefix_tokens) if prefix_tokens else np.zeros(0, np.int64),
                         np.concatenate(prefix_docs) if prefix_docs else np.zeros(0, np.int64), len(sets))
    times["candidates"] = time.perf_counter() - began
    began = time.perf_counter()
    as_sets = [frozenset(ids.tolist()) for ids in sets]
    out = {}
    for a, b in candidates.tolist():
        inter = len(as_sets[a] & as_sets[b])
        jaccard = inter / (len(as_sets[a]) + len(as_sets[b]) - inter)
        if jaccard >= threshold:
            out[_pair(keys[a], keys[b])] = jaccard
    times["verify"] = time.perf_counter() - began
    return out


def _shared(tokens: np.ndarray, docs: np.ndarray, n_docs: int) -> np.ndarray:
    """Unique (a, b) doc pairs, a < b, that share a token; vectorised over offsets in sorted runs."""
    order = np.lexsort((docs, tokens))
    tokens, docs = tokens[order], docs[order]
    codes = []
    offset = 1
    alive = np.arange(len(tokens) - 1)
    while len(alive):
        alive = alive[alive + offset < len(tokens)]
        alive = alive[tokens[alive] == tokens[alive + offset]]
        a, b = docs[alive], docs[alive + offset]
        codes.append(np.minimum(a, b) * n_docs + np.maximum(a, b))
        offset += 1
    codes = np.unique(np.concatenate(codes)) if codes else np.zeros(0, np.int64)
    codes = codes[codes // n_docs != codes % n_docs] if n_docs else codes
    return np.stack([codes // n_docs, codes % n_docs], axis=1) if len(codes) else np.zeros((0, 2), np.int64)


def exact(records: Iterable[tuple[str, str]], times: dict) -> set[Pair]:
    return set(exact_pairs(records, times))


PEERS: dict[str, Callable[[Iterable[tuple[str, str]], dict], set[Pair]]] = {
    "datasketch": datasketch_documented,
    "datasketch-tuned": datasketch_tuned,
    "rensa": rensa_documented,
    "rensa-bulk": rensa_bulk,
    "exact": exact,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("peer", choices=sorted(PEERS))
    parser.add_argument("corpus", help="JSONL with 'id' and 'text'")
    parser.add_argument("--pairs", help="write the pairs here, one 'id<TAB>id' per line")
    parser.add_argument("--limit", type=int, help="only the first N documents")
    args = parser.parse_args(argv)
    times: dict[str, float] = {}
    began = time.perf_counter()
    count = 0

    def counted():
        nonlocal count
        for rec in read_records(args.corpus, args.limit):
            count += 1
            yield rec

    pairs = PEERS[args.peer](counted(), times)
    times["total"] = time.perf_counter() - began
    if args.pairs:
        with open(args.pairs, "w", encoding="utf-8") as out:
            out.writelines(f"{a}\t{b}\n" for a, b in sorted(pairs))
    print(json.dumps({"peer": args.peer, "docs": count, "pairs": len(pairs),
                      "seconds": {k: round(v, 3) for k, v in times.items()}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
