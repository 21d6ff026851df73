"""The local engine: results in batch order in process and in a pool, batches read as needed."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dedup.engine.local import AHEAD, LocalEngine, balanced_batch_size, worker_count


def total_plus(batch, extra):
    return sum(batch) + extra


def test_map_keeps_batch_order_in_process_and_in_a_pool():
    batches = [list(range(i, i + 5)) for i in range(0, 60, 5)]
    expected = [sum(b) + 1 for b in batches]
    assert list(LocalEngine(1).map(total_plus, batches, 1)) == expected
    assert list(LocalEngine(2).map(total_plus, batches, 1)) == expected
    assert list(LocalEngine(2).map(total_plus, iter(batches), 1)) == expected  # a generator too


def test_map_of_nothing_and_of_one_batch():
    assert list(LocalEngine(2).map(total_plus, [], 0)) == []
    assert list(LocalEngine(2).map(total_plus, iter([[1, 2]]), 0)) == [3]


def test_a_generator_of_batches_is_read_as_the_pool_needs_it():
    pulled = []

    def batches():
        for i in range(40):
            pulled.append(i)
            yield [i]

    results = LocalEngine(2).map(total_plus, batches(), 0)
    assert next(results) == 0
    assert len(pulled) <= 2 * (1 + AHEAD) + 1  # not the whole generator before the first result
    assert [0] + list(results) == [sum([i]) for i in range(40)]
    assert len(pulled) == 40


def test_map_reduce_combines_every_batch():
    batches = [[i] for i in range(10)]
    assert LocalEngine(2).map_reduce(total_plus, lambda a, b: a + b, batches, 0) == 45


def test_worker_count_zero_means_every_core():
    assert worker_count(0) >= 1
    assert worker_count(3) == 3


@given(st.integers(0, 2_000_000), st.integers(1, 64), st.integers(1, 5000))
def test_balanced_batch_size_is_bounded_and_spreads_work(n, workers, largest):
    size = balanced_batch_size(n, workers, largest)
    assert 1 <= size <= max(1, largest)
    if workers > 1 and n >= workers * 4 * min(largest, 250):
        assert -(-n // size) >= min(workers * 4, -(-n // largest))  # several batches per worker
