"""The local engine's workers share the parent's memory: a worker's garbage collection does not copy
the objects the parent held when the pool was forked."""
from __future__ import annotations

import gc
import os

import pytest

from dedup.engine.local import LocalEngine


def _collect_and_report_private_kb(batch):
    gc.collect()
    with open("/proc/self/smaps_rollup", encoding="ascii") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("Private_Dirty"))


@pytest.mark.skipif(not os.path.exists("/proc/self/smaps_rollup"), reason="needs Linux's /proc/PID/smaps_rollup")
def test_workers_do_not_copy_the_parents_objects():
    held = [[i, {"n": i}] for i in range(300_000)]  # about 100 MB of objects the collector tracks
    private = list(LocalEngine(2).map(_collect_and_report_private_kb, [0, 1, 2]))
    assert len(held) == 300_000
    assert max(private) < 30_000, f"a worker copied {max(private)} kB of the parent's pages"
    assert gc.isenabled() and gc.get_freeze_count() == 0  # the parent collects as before afterwards
