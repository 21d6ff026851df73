"""CPU cost of each stage of `dedup.pipeline.scan`, per document, and the rewrite evidence's share.

    python benchmarks/stage_costs.py benchmarks/corpora/news-10000-seed1.jsonl [--workers 1] [--no-rewrites]

On a machine shared with other work, wall time says little; CPU time does. The scan's own stage clock
(pipeline.time.perf_counter) is swapped for a CPU clock (this process plus its finished workers,
whose pool ends with each stage), so ScanResult.stats["seconds"] holds CPU seconds per stage; the
wall seconds and the parent process's own CPU seconds of each stage are printed beside them (a
stage whose parent CPU is close to its wall time is serial). With
--workers 1 (the default here) everything runs in this process and the rewrite evidence is timed
as well: building each document's rewrite profile (rewrite.profile) and comparing two profiles
(rewrite.pair_features), the part of verification that only the rewrite detection needs.
Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dedup import pipeline, verify  # noqa: E402
from dedup.config import Config  # noqa: E402


def cpu_clock() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(func, totals: dict, name: str):
    def wrapper(*args, **kwargs):
        began = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.process_time() - began
            totals[name + "_calls"] = totals.get(name + "_calls", 0) + 1
    return wrapper


def stage_log(began: float):
    """A progress callback printing each stage's start and end on stderr, with the parent's RSS."""
    def report(stage: str, done: int, total: int) -> None:
        if done == 0 or done == total:
            with open("/proc/self/status", encoding="ascii") as f:
                rss = next((int(l.split()[1]) // 1024 for l in f if l.startswith("VmRSS")), -1)
            print(f"{time.perf_counter() - began:8.1f} s  {stage:<18} {done:>9,}/{total:<9,} parent RSS {rss:,} MB",
                  file=sys.stderr, flush=True)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--no-rewrites", action="store_true")
    parser.add_argument("--log", action="store_true", help="print each stage's start and end on stderr")
    args = parser.parse_args(argv)
    rewrite: dict = {}
    if args.workers == 1:  # in process: the wrappers see every call
        pipeline.profile = timed(pipeline.profile, rewrite, "profile")
        verify.pair_features = timed(verify.pair_features, rewrite, "pair_features")
    snapshots: list[tuple[float, float]] = []  # (wall, parent CPU) at each reading of the stage clock

    def clock() -> float:
        snapshots.append((time.perf_counter(), time.process_time()))
        return cpu_clock()

    pipeline.time = types.SimpleNamespace(perf_counter=clock)
    began = time.perf_counter()
    result = pipeline.scan(args.corpus, Config(workers=args.workers, rewrites=not args.no_rewrites),
                           progress=stage_log(began) if args.log else None)
    wall = time.perf_counter() - began
    n = result.stats["documents"]
    cpu = result.stats["seconds"]
    stages = [k for k in cpu if k != "total"]
    if len(snapshots) == len(stages) + 2:  # start, one per stage, total
        walls = {k: round(snapshots[i + 1][0] - snapshots[i][0], 3) for i, k in enumerate(stages)}
        parent = {k: round(snapshots[i + 1][1] - snapshots[i][1], 3) for i, k in enumerate(stages)}
    else:
        walls, parent = {}, {}
    out = {
        "corpus": args.corpus, "docs": n, "workers": args.workers, "rewrites": not args.no_rewrites,
        "wall_s": round(wall, 2), "cpu_s": cpu, "cpu_ms_per_doc": {k: round(v / n * 1e3, 3) for k, v in cpu.items()},
        "cpu_docs_per_s_per_core": round(n / cpu["total"], 1),
        "wall_s_by_stage": walls, "parent_cpu_s_by_stage": parent,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "candidates": result.stats["candidates"], "groups": result.stats["groups"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "largest_worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    if rewrite:
        spent = rewrite.get("profile", 0.0) + rewrite.get("pair_features", 0.0)
        out["rewrite_evidence"] = {
            "profile_s": round(rewrite.get("profile", 0.0), 2), "profiles": rewrite.get("profile_calls", 0),
            "pair_features_s": round(rewrite.get("pair_features", 0.0), 2),
            "pairs": rewrite.get("pair_features_calls", 0),
            "share_of_total": round(spent / cpu["total"], 3),
        }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
