"""The local engine: in process, or a pool of processes over batches (every core by default)."""
from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
import functools
from typing import Any, Callable, Iterable, Iterator


def worker_count(workers: int) -> int:
    """0 means every core this process may use."""
    if workers > 0:
        return workers
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class LocalEngine:
    def __init__(self, workers: int = 1):
        self.workers = worker_count(workers)

    def map(self, func: Callable, batches: Iterable[Any], *args: Any) -> Iterator[Any]:
        """func(batch, *args) for every batch, results in the order of the batches."""
        batches = list(batches)
        if self.workers == 1 or len(batches) < 2:
            for batch in batches:
                yield func(batch, *args)
            return
        with ProcessPoolExecutor(max_workers=min(self.workers, len(batches))) as pool:
            futures = [pool.submit(func, batch, *args) for batch in batches]
            for future in futures:
                yield future.result()

    def map_reduce(self, func: Callable, combine: Callable, batches: Iterable[Any], *args: Any) -> Any:
        """combine(...) over func(batch, *args) of every batch (combine is associative)."""
        return functools.reduce(combine, self.map(func, batches, *args))
