"""Throughput of the scan on the local engine and on a Dask LocalCluster of 1 and 2 workers, on the
same generated corpus (benchmarks/generate.py), split into several JSONL files read as partitions.

    python benchmarks/bench_dask.py --docs 4000 --seed 1 --files 4

Each configuration scans the same files; the Dask rows time the scan on an already started cluster
(the cluster's start is printed apart). Every engine's per-document results are checked equal to
the local engine's before a figure is printed. Output: a Markdown table on stdout.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from dedup.config import Config  # noqa: E402
from dedup.pipeline import scan  # noqa: E402


def generate(docs: int, seed: int, files: int, directory: Path) -> list[Path]:
    whole = directory / "corpus.jsonl"
    subprocess.run([sys.executable, str(HERE / "generate.py"), "--docs", str(docs), "--seed", str(seed),
                    "-o", str(whole)], check=True)
    lines = whole.read_text(encoding="utf-8").splitlines(keepends=True)
    size = -(-len(lines) // files)
    parts = []
    for n in range(files):
        part = directory / f"part-{n:03d}.jsonl"
        part.write_text("".join(lines[n * size:(n + 1) * size]), encoding="utf-8")
        parts.append(part)
    whole.unlink()
    return parts


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rows_of(result) -> list[tuple]:
    return [(d.id, d.cluster, d.role, d.relation, d.similarity, d.containment) for d in result.documents]


def timed(inputs, config, engine=None):
    started = time.perf_counter()
    result = scan(inputs, config, engine=engine)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--files", type=int, default=4, help="JSONL files the corpus is split into")
    parser.add_argument("--batch-size", type=int, default=Config.batch_size)
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args()
    counts = [int(w) for w in args.workers.split(",")]

    import distributed

    from dedup.engine.dask import DaskEngine

    with tempfile.TemporaryDirectory() as tmp:
        inputs = [str(p) for p in generate(args.docs, args.seed, args.files, Path(tmp))]
        config = Config(batch_size=args.batch_size)
        table = []
        reference = None
        for workers in counts:
            seconds, result = timed(inputs, config.with_(workers=workers))
            reference = reference or rows_of(result)
            assert rows_of(result) == reference, "local engines disagree"
            table.append((f"local, {workers} process{'es' if workers > 1 else ''}", seconds, result, (None, "")))
        for workers in counts:
            started = time.perf_counter()
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                               dashboard_address=":0", silence_logs=50)
            client = distributed.Client(cluster)
            startup = time.perf_counter() - started
            try:
                timed(inputs[:1], config, DaskEngine(client=client))  # warm the workers' imports
                seconds, result = timed(inputs, config, DaskEngine(client=client))
                peaks = sorted(client.run(peak_rss_mb).values())
            finally:
                client.close()
                cluster.close()
            if rows_of(result) != reference:
                raise SystemExit(f"dask with {workers} workers disagrees with the local engine")
            table.append((f"dask, {workers} worker{'s' if workers > 1 else ''}", seconds, result,
                          (startup, "/".join(f"{p:.0f}" for p in peaks))))

    load = os.getloadavg()[0]
    print(f"{args.docs} documents (seed {args.seed}) in {args.files} JSONL files, batch size {args.batch_size}, "
          f"{os.cpu_count()} cores, load average {load:.1f} at the end")
    print()
    print("| engine | seconds | documents/s | cluster start (s) | worker peak RSS (MB) | groups | stage seconds |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, seconds, result, (startup, peaks) in table:
        stages = {k: v for k, v in result.stats["seconds"].items() if k != "total"}
        print(f"| {name} | {seconds:.1f} | {args.docs / seconds:.0f} | "
              f"{'' if startup is None else f'{startup:.1f}'} | {peaks} | {result.stats['groups']} | "
              f"{json.dumps(stages)} |")


if __name__ == "__main__":
    main()
