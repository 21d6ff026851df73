"""A progress bar on stderr for runs longer than a second: documents/s and time left."""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn


# what each stage of dedup.pipeline.scan counts (it reports (stage, done, total))
STAGE_UNITS = {"read": "docs", "evidence": "docs", "evidence reduce": "shards",
               "evidence sketches": "docs", "evidence judge": "shards", "fingerprint": "docs",
               "candidates": "bands", "sentence bands": "bands", "sentence pairs": "shards",
               "confirm": "pairs", "verify": "pairs", "verify more": "pairs", "group": "docs", "results": "docs"}


@contextmanager
def progress_bar(enabled: bool = True, delay: float = 1.0) -> Iterator:
    """Yields a callback(stage, done, total); the bar appears only after `delay` seconds."""
    if not enabled:
        yield None
        return
    started = time.monotonic()
    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn(),
                   console=Console(stderr=True), transient=True)
    tasks: dict[str, int] = {}
    stage_started: dict[str, float] = {}  # the rate of a stage counts from its first report
    shown = False

    def update(stage: str, done: int, total: int) -> None:
        nonlocal shown
        stage_started.setdefault(stage, time.monotonic())
        if not shown and time.monotonic() - started < delay:
            return
        if not shown:
            bar.start()
            shown = True
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total, rate="")
        elapsed = max(1e-9, time.monotonic() - stage_started[stage])
        unit = STAGE_UNITS.get(stage, "items")
        bar.update(tasks[stage], completed=done, total=total, rate=f"{done / elapsed:,.0f} {unit}/s")

    try:
        yield update
    finally:
        if shown:
            bar.stop()
