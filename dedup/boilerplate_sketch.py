"""The sketch of a document's body that corpus evidence compares documents by (see
`dedup.boilerplate_corpus`): the number of distinct word 3-shingles of the body and a 64-value
MinHash of them. Words are hashed with CRC-32 (zlib's), a shingle mixes its three words' hashes
with splitmix64, and each of the 64 values is the top 32 bits of the minimum of
splitmix64(shingle ^ seed) over the shingles.

`sketch` computes one document's sketch; `sketches` computes the same sketches for a batch of
bodies at once with numpy (word spans found together, CRC-32 of every word at once, the seeds
mixed over many documents' shingles per call)."""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from .text import word_bytes
from .text_spans import word_spans

NUM_PERM = 64  # MinHash values per document sketch
_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)
_SEEDS = np.array(
    [int.from_bytes(hashlib.blake2b(b"dedup-perm-%d" % i, digest_size=8).digest(), "little") for i in range(NUM_PERM)],
    dtype=np.uint64,
)


@dataclass(frozen=True)
class DocSketch:
    n_shingles: int
    minhash: bytes  # NUM_PERM uint32 values over the body's word 3-shingles
    site: str | None


_MIX = (np.uint64(30), np.uint64(0xBF58476D1CE4E5B9), np.uint64(27), np.uint64(0x94D049BB133111EB), np.uint64(31))


def _mix(x: np.ndarray, tmp: np.ndarray | None = None) -> np.ndarray:
    """splitmix64 finaliser: a good 64-bit mixing of uint64 values (wrapping arithmetic), in place
    on a fresh array (`tmp`: a buffer of its shape)."""
    tmp = np.empty_like(x) if tmp is None else tmp
    np.right_shift(x, _MIX[0], out=tmp)
    x ^= tmp
    return _mix_rest(x, tmp)


def _mix_rest(x: np.ndarray, tmp: np.ndarray) -> np.ndarray:
    """splitmix64 after its first step, in place (`tmp`: a buffer of x's shape)."""
    _, m1, s2, m2, s3 = _MIX
    x *= m1
    np.right_shift(x, s2, out=tmp)
    x ^= tmp
    x *= m2
    np.right_shift(x, s3, out=tmp)
    x ^= tmp
    return x


_ROWS = 32  # permutations mixed at a time (the blocks stay in cache: ~2x faster than all 64)
_S1 = _MIX[0]
_SEEDS_SHIFTED = _SEEDS ^ (_SEEDS >> _S1)  # (v ^ s) ^ ((v ^ s) >> 30) = (v ^ v >> 30) ^ (s ^ s >> 30)


def _seeded_mix(shifted: np.ndarray, row: int, block: np.ndarray, tmp: np.ndarray) -> None:
    """`block` := the rest of splitmix64 over `shifted` (values after its first step) for the
    _ROWS seeds from `row` on, one row a seed, in place."""
    np.bitwise_xor(shifted[None, :], _SEEDS_SHIFTED[row:row + _ROWS, None], out=block)
    _mix_rest(block, tmp)


def _minhash(values: np.ndarray) -> tuple[int, bytes]:
    """(distinct values, the top 32 bits of min over values of splitmix64(value ^ seed) per seed)."""
    if len(values) == 0:
        return 0, b""
    values = np.sort(values)
    if len(values) > 1:  # duplicates leave the minima alone: mixed once
        distinct = np.empty(len(values), dtype=bool)
        distinct[0] = True
        np.not_equal(values[1:], values[:-1], out=distinct[1:])
        values = values[distinct]
    shifted = values ^ (values >> _S1)  # splitmix's first step, shared by every seed
    mins = np.empty(NUM_PERM, dtype=np.uint64)
    block, tmp = np.empty((_ROWS, len(values)), dtype=np.uint64), np.empty((_ROWS, len(values)), dtype=np.uint64)
    for row in range(0, NUM_PERM, _ROWS):
        _seeded_mix(shifted, row, block, tmp)
        block.min(axis=1, out=mins[row:row + _ROWS])
    return len(values), (mins >> np.uint64(32)).astype("<u4").tobytes()


def sketch(text: str, site: str | None = None) -> DocSketch:
    """The sketch of a body text (see `body_text`)."""
    ws = np.fromiter(map(zlib.crc32, word_bytes(text)), dtype=np.uint64)
    shingles = ws
    if len(ws) >= 3:
        with np.errstate(over="ignore"):
            # the words mixed as first, second and third of a shingle, in one call (_mix is in place)
            mixed = _mix(ws[None, :] + np.arange(3, dtype=np.uint64)[:, None])
            shingles = mixed[0, :-2] ^ (mixed[1, 1:-1] * np.uint64(3)) ^ mixed[2, 2:]
    n, minhash = _minhash(shingles)
    return DocSketch(n, minhash, site)


# -- the same for a batch of bodies ---------------------------------------------------------------
def _crc_table() -> np.ndarray:
    table = np.arange(256, dtype=np.uint32)
    for _ in range(8):  # CRC-32's reflected polynomial, one bit at a time
        table = np.where(table & 1, (table >> np.uint32(1)) ^ np.uint32(0xEDB88320), table >> np.uint32(1))
    return table.astype(np.uint32)


_CRC_TABLE = _crc_table()
_BYTE = np.uint32(0xFF)
_EIGHT = np.uint32(8)
_ONES = np.uint32(0xFFFFFFFF)


def crc32_spans(data: bytes, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """`zlib.crc32(data[starts[i]:ends[i]])` of every span (uint32), all spans a byte at a time: the
    spans sorted longest first, byte j is folded into the CRCs of the spans longer than j."""
    lengths = ends - starts
    if len(lengths) == 0:
        return np.zeros(0, dtype=np.uint32)
    longest = int(lengths.max())
    key = longest - lengths  # (as 16 bits when it fits: numpy sorts those by radix)
    order = np.argsort(key.astype(np.uint16) if longest < 1 << 16 else key, kind="stable")
    first = starts[order]
    longer = np.searchsorted(-lengths[order], -np.arange(longest), side="left")  # spans longer than j
    codes = np.frombuffer(data, dtype=np.uint8)
    crc = np.full(len(first), _ONES, dtype=np.uint32)
    for j, n in enumerate(longer.tolist()):
        c = crc[:n]
        c[:] = _CRC_TABLE[(c ^ codes[first[:n] + j]) & _BYTE] ^ (c >> _EIGHT)
    out = np.empty(len(first), dtype=np.uint32)
    out[order] = crc ^ _ONES
    return out


_CHUNK = 8192  # shingles mixed with the seeds at a time (the blocks stay in cache)


def sketches(texts: Sequence[str], sites: Sequence[str | None]) -> list[DocSketch]:
    """`[sketch(t, s) for t, s in zip(texts, sites)]`, the same values, computed for the batch at once."""
    found = word_spans(texts)
    ws = crc32_spans(found.data, found.starts, found.ends).astype(np.uint64)
    counts = found.text_words.tolist()
    word_at = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(found.text_words, out=word_at[1:])
    shingles = ws
    if len(ws) >= 3:
        with np.errstate(over="ignore"):
            mixed = _mix(ws[None, :] + np.arange(3, dtype=np.uint64)[:, None])
            # the shingle starting at each word (those crossing into the next text are never read)
            shingles = mixed[0, :-2] ^ (mixed[1, 1:-1] * np.uint64(3)) ^ mixed[2, 2:]
    # each text's values: its shingles, or its words when it has fewer than three
    parts = [shingles[a:a + n - 2] if n >= 3 else ws[a:a + n] for a, n in zip(word_at.tolist(), counts)]
    sizes = [_distinct(v) for v in parts]
    mins = _batch_minima(parts)
    return [DocSketch(n, (mins[i] >> np.uint64(32)).astype("<u4").tobytes() if n else b"", site)
            for i, (n, site) in enumerate(zip(sizes, sites))]


def _distinct(values: np.ndarray) -> int:
    """How many distinct values (a sort: numpy's hashing unique is slower on short arrays)."""
    if len(values) < 2:
        return len(values)
    values = np.sort(values)
    return 1 + int(np.count_nonzero(values[1:] != values[:-1]))


def _batch_minima(parts: list[np.ndarray]) -> np.ndarray:
    """[len(parts), NUM_PERM]: per part and seed, min over its values of splitmix64(value ^ seed)
    (rows of empty parts are left undefined)."""
    out = np.zeros((len(parts), NUM_PERM), dtype=np.uint64)
    nonempty = [i for i, v in enumerate(parts) if len(v)]
    lo = 0
    while lo < len(nonempty):
        hi, width = lo, 0
        while hi < len(nonempty) and (hi == lo or width + len(parts[nonempty[hi]]) <= _CHUNK):
            width += len(parts[nonempty[hi]])
            hi += 1
        chosen = nonempty[lo:hi]
        values = np.concatenate([parts[i] for i in chosen])
        at = np.zeros(len(chosen), dtype=np.int64)
        np.cumsum([len(parts[i]) for i in chosen[:-1]], out=at[1:])
        shifted = values ^ (values >> _S1)  # splitmix's first step, shared by every seed
        block, tmp = np.empty((_ROWS, len(values)), dtype=np.uint64), np.empty((_ROWS, len(values)), dtype=np.uint64)
        for row in range(0, NUM_PERM, _ROWS):
            _seeded_mix(shifted, row, block, tmp)
            out[chosen, row:row + _ROWS] = np.minimum.reduceat(block, at, axis=1).T
        lo = hi
    return out
