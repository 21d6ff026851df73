"""The local engine: in process, or a pool of processes over batches (every core by default)."""
from __future__ import annotations

import functools
import gc
import math
import multiprocessing
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator

AHEAD = 2  # batches submitted per worker beyond the one it runs: enough to keep it busy, and a
# bounded number of pickled batches in flight (a generator of batches is read as it is consumed)
MIN_BATCH = 250  # documents: below this a batch's vectorised work no longer pays its pickling
BATCHES_PER_WORKER = 4  # at least this many batches per worker when the corpus allows it (balance)
SPAWN_ABOVE = 512 << 20  # bytes: a parent holding more than this starts its workers afresh (below)


def resident_bytes() -> int:
    """This process's resident memory (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _collect_cycles(enabled: bool) -> None:
    """A worker's cyclic garbage collector on or off, as its parent's."""
    (gc.enable if enabled else gc.disable)()


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
        # Workers forked from this process share its pages until one side writes them. The objects
        # it holds now are left out of their cyclic garbage collections, which would otherwise
        # touch (and so copy) every page of them in each worker. But the parent goes on working
        # while the pool runs, and every page it then writes (reference counts of the objects it
        # reads, memory it frees) is copied, the workers keeping the old one: forked from a large
        # parent, the pool comes to hold a second copy of much of it (about 700 MB of 1.3 GB at the
        # group stage of a 1,000,000-document scan). Above SPAWN_ABOVE, workers are started as
        # new interpreters instead, which cost a start (importing the stages) but hold only
        # their own memory.
        # Workers collect cycles as the parent does (a scan pauses the collector: dedup.pipeline):
        # forked ones inherit its state, new interpreters are told it.
        context = multiprocessing.get_context("spawn") if resident_bytes() > SPAWN_ABOVE else None
        gc.freeze()
        try:
            with ProcessPoolExecutor(max_workers=self.workers, mp_context=context,
                                     initializer=_collect_cycles, initargs=(gc.isenabled(),)) as pool:
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
