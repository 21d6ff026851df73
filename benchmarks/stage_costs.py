"""CPU cost of each stage of `dedup.pipeline.scan`, per document, and the rewrite evidence's share.

    python benchmarks/stage_costs.py benchmarks/corpora/news-10000-seed1.jsonl [--workers 1] [--no-rewrites]

On a machine shared with other work, wall time says little; CPU time does. The scan's own stage clock
(pipeline.time.perf_counter) is swapped for a CPU clock (this process plus its finished workers,
whose pool ends with each stage), so ScanResult.stats["seconds"] holds CPU seconds per stage; the
wall seconds and the parent process's own CPU seconds of each stage are printed beside them (a
stage whose parent CPU is close to its wall time is serial), and so are each stage's system CPU
seconds, major page faults and MiB read from the file system (a stage whose reads grow faster than
the corpus is re-reading the spill from the disk: the page cache no longer holds it), and the CPU
seconds of each finer step the progress callback names (cpu_s_by_step: "sentence bands",
"confirm", ...). With --workers 1 (the default here) everything runs in this process and the
rewrite evidence is timed as well: building each document's rewrite profile (rewrite.profile, or
rewrite.profiles for the documents of a batch of pairs together) and comparing two profiles
(rewrite.pair_features), the part of verification that only the rewrite detection needs.
With --memory SECONDS, a thread reads /proc/PID/smaps_rollup of this process and of its children
(the pool's workers) that often and reports, per stage, the peak of the parent's RSS, of the
largest worker's RSS, PSS and private memory (pages no other process maps: what a worker holds on
its own, where its RSS also counts the pages it shares with the parent it was forked from), and of
the whole scan's PSS (parent + workers, shared pages counted once). Its own CPU time is reported:
it is included in the parent's.
Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dedup import pipeline, verify  # noqa: E402
from dedup.config import Config  # noqa: E402


def cpu_clock() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def kernel_reading() -> tuple[float, int, int]:
    """(system CPU seconds, major page faults, 512-byte blocks read from the file system) of this
    process and its finished workers: a stage whose system time or reads grow with the corpus is
    waiting on the disk, not computing."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return (own.ru_stime + children.ru_stime, own.ru_majflt + children.ru_majflt,
            own.ru_inblock + children.ru_inblock)


def timed(func, totals: dict, name: str, items=lambda *args: 1):
    """`func`, adding its CPU seconds to totals[name] and the items of each call (`items` of its
    arguments: 1, or the texts of a call that profiles many) to totals[name + "_calls"]."""
    def wrapper(*args, **kwargs):
        began = time.process_time()
        try:
            return func(*args, **kwargs)
        finally:
            totals[name] = totals.get(name, 0.0) + time.process_time() - began
            totals[name + "_calls"] = totals.get(name + "_calls", 0) + items(*args)
    return wrapper


def memory_of(pid: int | str) -> dict[str, int] | None:
    """MiB of a process from /proc/PID/smaps_rollup: rss, pss (its pages, shared ones divided among
    the processes sharing them), private (pages no other process maps: what it alone holds)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as f:
            kb = {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in f if ":" in l and l[0].isupper())}
    except (OSError, ValueError):
        return None
    return {"rss": kb.get("Rss", 0) // 1024, "pss": kb.get("Pss", 0) // 1024,
            "private": (kb.get("Private_Clean", 0) + kb.get("Private_Dirty", 0)) // 1024}


def children_of(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(name))
            except (OSError, IndexError, ValueError):
                pass
    return found


class MemorySampler:
    """Samples the parent's and its workers' memory (memory_of) every `interval` seconds on a thread
    and keeps, per stage (named by the progress callback; "after X" is the parent's own work that
    follows X), the peak of each figure: the parent's RSS and private memory, the largest worker's
    RSS, PSS and private memory, and the whole scan's PSS (parent + workers: its real footprint).
    The thread's own CPU time is reported, for it is counted in the parent's."""

    def __init__(self, interval: float):
        self.interval, self.stage, self.peaks = interval, "read", {}
        self.cpu = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def progress(self, stage: str, done: int, total: int) -> None:
        if done == 0:
            self.stage = stage
        elif done == total:
            self.stage = f"after {stage}"

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(self.interval):
            self.sample(me)
        self.cpu = time.thread_time()

    def sample(self, me: int) -> None:
        parent = memory_of(me)
        workers = [m for m in map(memory_of, children_of(me)) if m]
        if parent is None:
            return
        now = {"parent_rss": parent["rss"], "parent_private": parent["private"],
               "worker_rss": max((w["rss"] for w in workers), default=0),
               "worker_pss": max((w["pss"] for w in workers), default=0),
               "worker_private": max((w["private"] for w in workers), default=0),
               "total_pss": parent["pss"] + sum(w["pss"] for w in workers)}
        peak = self.peaks.setdefault(self.stage, {})
        for k, v in now.items():
            peak[k] = max(peak.get(k, 0), v)

    def __enter__(self) -> "MemorySampler":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        overall = {k: max(p.get(k, 0) for p in self.peaks.values()) for k in
                   ("parent_rss", "parent_private", "worker_rss", "worker_pss", "worker_private", "total_pss")}
        return {"interval_s": self.interval, "sampler_cpu_s": round(self.cpu, 2), "peak_mib": overall,
                "peak_mib_by_stage": self.peaks}


class StepClock:
    """CPU seconds (this process and its finished workers) of each step the progress callback names
    ("candidates", "sentence bands", "confirm", ...: finer than the stage clock). Every step that
    maps over the workers runs its own pool, which has ended when the next step starts, so the CPU
    between two step starts is the first step's, with the parent's work after it."""

    def __init__(self):
        self.step, self.since, self.cpu = "read", cpu_clock(), {}

    def progress(self, stage: str, done: int, total: int) -> None:
        if done == 0 and stage != self.step:
            self.close()
            self.step = stage

    def close(self) -> None:
        now = cpu_clock()
        self.cpu[self.step] = round(self.cpu.get(self.step, 0.0) + now - self.since, 3)
        self.since = now


def both(*callbacks):
    callbacks = [c for c in callbacks if c]
    return (lambda stage, done, total: [c(stage, done, total) for c in callbacks]) if callbacks else None


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
    parser.add_argument("--memory", type=float, default=0.0, metavar="SECONDS",
                        help="sample the parent's and workers' memory (RSS, PSS, private) this often")
    args = parser.parse_args(argv)
    rewrite: dict = {}
    if args.workers == 1:  # in process: the wrappers see every call
        pipeline.profile = timed(pipeline.profile, rewrite, "profile")
        pipeline.profiles = timed(pipeline.profiles, rewrite, "profile", lambda texts: len(texts))
        verify.pair_features = timed(verify.pair_features, rewrite, "pair_features")
    snapshots: list[tuple] = []  # (wall, parent CPU, kernel_reading()) at each reading of the stage clock

    def clock() -> float:
        snapshots.append((time.perf_counter(), time.process_time(), kernel_reading()))
        return cpu_clock()

    pipeline.time = types.SimpleNamespace(perf_counter=clock)
    sampler = MemorySampler(args.memory) if args.memory > 0 else None
    steps = StepClock()
    began = time.perf_counter()
    if sampler:
        sampler.__enter__()
    try:
        result = pipeline.scan(args.corpus, Config(workers=args.workers, rewrites=not args.no_rewrites),
                               progress=both(stage_log(began) if args.log else None, sampler and sampler.progress,
                                             steps.progress))
        steps.close()
    finally:
        if sampler:
            sampler.stage = "result held"
            sampler.sample(os.getpid())
            sampler.__exit__()
    wall = time.perf_counter() - began
    n = result.stats["documents"]
    cpu = result.stats["seconds"]
    stages = [k for k in cpu if k != "total"]
    if len(snapshots) == len(stages) + 2:  # start, one per stage, total
        walls = {k: round(snapshots[i + 1][0] - snapshots[i][0], 3) for i, k in enumerate(stages)}
        parent = {k: round(snapshots[i + 1][1] - snapshots[i][1], 3) for i, k in enumerate(stages)}
        kernel = {k: [round(x - y, 3) for x, y in zip(snapshots[i + 1][2], snapshots[i][2])] for i, k in enumerate(stages)}
    else:
        walls, parent, kernel = {}, {}, {}
    out = {
        "corpus": args.corpus, "docs": n, "workers": args.workers, "rewrites": not args.no_rewrites,
        "wall_s": round(wall, 2), "cpu_s": cpu, "cpu_ms_per_doc": {k: round(v / n * 1e3, 3) for k, v in cpu.items()},
        "cpu_docs_per_s_per_core": round(n / cpu["total"], 1),
        "wall_s_by_stage": walls, "parent_cpu_s_by_stage": parent,
        "system_cpu_s_by_stage": {k: v[0] for k, v in kernel.items()},
        "major_faults_by_stage": {k: int(v[1]) for k, v in kernel.items()},
        "mib_read_by_stage": {k: round(v[2] * 512 / 2**20, 1) for k, v in kernel.items()},
        "cpu_s_by_step": steps.cpu,
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "candidates": result.stats["candidates"], "groups": result.stats["groups"],
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "largest_worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }
    if sampler:
        out["memory"] = sampler.summary()
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
