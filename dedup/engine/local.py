"""The local engine: in process, or a pool of processes over batches (every core by default)."""
from __future__ import annotations

import functools
import gc
import math
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator

AHEAD = 2  # batches submitted per worker beyond the one it runs: enough to keep it busy, and a
# bounded number of pickled batches in flight (a generator of batches is read as it is consumed)
MIN_BATCH = 250  # documents: below this a batch's vectorised work no longer pays its pickling
BATCHES_PER_WORKER = 4  # at least this many batches per worker when the corpus allows it (balance)


def worker_count(workers: int) -> int:
    """0 means every core this process may use."""
    if workers > 0:
        return workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def balanced_batch_size(n_items: int, workers: int, largest: int, smallest: int = MIN_BATCH) -> int:
    """A batch size of at most `largest` that gives every worker several batches (so that none waits
    long for the last one), but not below `smallest` (nor 1)."""
    if workers <= 1 or n_items <= 0:
        return max(1, largest)
    even = math.ceil(n_items / (workers * BATCHES_PER_WORKER))
    return max(1, min(largest, max(smallest, even)))


class LocalEngine:
    def __init__(self, workers: int = 1):
        self.workers = worker_count(workers)

    def map(self, func: Callable, batches: Iterable[Any], *args: Any) -> Iterator[Any]:
        """func(batch, *args) for every batch, results in the order of the batches.

        With several workers, batches are taken from `batches` as the pool needs them (at most
        AHEAD per worker waiting), so a generator of large payloads is never all in memory."""
        if self.workers == 1:
            for batch in batches:
                yield func(batch, *args)
            return
        source = iter(batches)
        first = next(source, None)
        if first is None:
            return
        second = next(source, None)
        if second is None:  # one batch: no pool to start
            yield func(first, *args)
            return
        queued: deque = deque()
        # The pool's processes are forked from this one: the objects it holds now are left out of
        # their cyclic garbage collections, which would otherwise touch (and so copy) every page of
        # them in each worker. The parent's memory stays shared.
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=self.workers) as pool:
                for batch in (first, second):
                    queued.append(pool.submit(func, batch, *args))
                limit = self.workers * (1 + AHEAD)
                for batch in source:
                    while len(queued) >= limit:
                        yield queued.popleft().result()
                    queued.append(pool.submit(func, batch, *args))
                while queued:
                    yield queued.popleft().result()
        finally:
            gc.unfreeze()

    def map_reduce(self, func: Callable, combine: Callable, batches: Iterable[Any], *args: Any) -> Any:
        """combine(...) over func(batch, *args) of every batch (combine is associative)."""
        return functools.reduce(combine, self.map(func, batches, *args))
