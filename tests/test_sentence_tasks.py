"""The scan's sentence-index tasks over a spill (band keys sorted in parts, pairs sharded by document
modulo the number of shards) give exactly the whole-corpus sentence index's pairs, whatever the
number of parts, shards, shards reduced together and batches."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from dedup import batch_tasks as T
from dedup.config import Config
from dedup.index import SENTENCE_MIN_BANDS, SENTENCE_MIN_FRACTION, sentence_candidates


def _write_spill(space: str, keys: list[np.ndarray], batch: int, rank: np.ndarray) -> int:
    """skeys-B.npy / scount-B.npy as prepare_map writes them, and rank.npy; the number of batches."""
    n = len(keys)
    bounds = list(range(0, n, batch)) or [0]
    for b, lo in enumerate(bounds):
        part = keys[lo : lo + batch]
        rows = [k for k in part if len(k)]
        T._save(space, f"skeys-{b}.npy", np.ascontiguousarray(np.concatenate(rows).T) if rows
                else np.zeros((4, 0), dtype=np.uint64))
        T._save(space, f"scount-{b}.npy", np.array([len(k) for k in part], dtype=np.int64))
    T._save(space, "rank.npy", rank.astype(np.int64))  # the position of each id in sorted order
    return len(bounds)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n_docs=st.integers(0, 40), batch=st.integers(1, 9),
       n_shards=st.integers(1, 6), part=st.sampled_from([1, 2, 5, 1 << 21]), clique=st.sampled_from([2, 4, 20]),
       data=st.data())
def test_sentence_tasks_give_the_whole_index(tmp_path_factory, seed, n_docs, batch, n_shards, part, clique, data):
    space = str(tmp_path_factory.mktemp("spill"))
    rng = np.random.default_rng(seed)
    pool = rng.integers(0, 40, size=(25, 4), dtype=np.uint64)  # few distinct keys: many collisions
    keys = [pool[rng.integers(0, len(pool), size=rng.integers(0, 6))] for _ in range(n_docs)]
    perm = rng.permutation(n_docs)  # ids not in input order
    ids = [f"d{int(p):03d}" for p in perm]
    config = Config(max_bucket=8, sentence_clique=clique)
    expected = sentence_candidates(ids, keys, min_shared=config.min_shared_sentences, max_bucket=8,
                                   min_bands=SENTENCE_MIN_BANDS, min_fraction=SENTENCE_MIN_FRACTION, clique=clique)
    nb = _write_spill(space, keys, batch, perm)
    assert T.sentence_documents(space, nb) == sum(len(k) for k in keys)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(T, "SENTENCE_PART", part)
        for band in range(4):
            T.sentence_band((space, band, nb, 8, clique, n_shards))
    cuts = sorted(set(data.draw(st.lists(st.integers(1, max(1, n_shards - 1)), max_size=3)))) if n_shards > 1 else []
    tasks = [list(range(lo, hi)) for lo, hi in zip([0] + cuts, cuts + [n_shards])]  # shards taken together
    codes = np.concatenate([T.sentence_shard((space, task, nb, 4, config)) for task in tasks])
    ranked = sorted(ids)  # the shard tasks return codes of id ranks
    got = sorted((ranked[c // n_docs], ranked[c % n_docs]) for c in codes.tolist())
    assert got == sorted((c.a, c.b) for c in expected)
