"""Measure `dedup scan` against datasketch and rensa on the same generated corpus, in one run.

    python benchmarks/harness.py --docs 10000 [--docs 100000] [--workers 2] [--skip-slow]

For each size the corpus is generated (cached in benchmarks/corpora/, git-ignored); then, each in
its own process so that time and peak memory are its own: `dedup scan CORPUS -o DIR --format jsonl`
exactly as a user runs it, the peers of benchmarks/peers.py, and (up to --exact-max documents) the
exact Jaccard ground truth. Printed: docs/s, wall seconds, peak memory, pair recall and precision
against exact Jaccard >= 0.5 and against the generator's story labels, and dedup's speed over each
peer's. Results are appended as JSON lines to benchmarks/results/harness.jsonl.

Peak memory is the larger of the kernel's peak RSS of the process (wait4) and the sampled sum over
its process tree of proportional set size (PSS, so pages shared by forked workers count once).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

CORPORA = HERE / "corpora"
RESULTS = HERE / "results" / "harness.jsonl"
PEERS = ("datasketch", "datasketch-tuned", "rensa", "rensa-bulk")
SLOW = "datasketch"


def dedup_command() -> list[str]:
    exe = ROOT / ".venv" / "bin" / "dedup"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "dedup"]


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                if line.startswith("model name")), platform.processor() or "unknown")
    mem = next((int(line.split()[1]) // 1024 for line in open("/proc/meminfo", encoding="utf-8")
                if line.startswith("MemTotal")), None)
    return {"nproc": os.cpu_count(), "cpu": cpu, "mem_mb": mem, "python": platform.python_version()}


def corpus(n: int, seed: int, jobs: int, typographic: bool = False) -> Path:
    """The cached corpus of n documents, generated when missing (`typographic`: typeset as most
    news is, generate.py --typographic)."""
    CORPORA.mkdir(parents=True, exist_ok=True)
    path = CORPORA / f"news-{n}-seed{seed}{'-typographic' if typographic else ''}.jsonl"
    if not path.exists():
        began = time.perf_counter()
        tmp = path.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as out:
            generate.write(n, seed, out, jobs=jobs, typographic=typographic)
        tmp.rename(path)
        print(f"generated {path.name} in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    return path


def sample(path: Path, n: int) -> Path:
    """The first n documents of a cached corpus (the corpus of n documents when n is a multiple of 1,000)."""
    out = path.with_name(f"{path.stem}-first{n}.jsonl")
    if not out.exists():
        with open(path, encoding="utf-8") as src, open(out.with_suffix(".tmp"), "w", encoding="utf-8") as dst:
            for i, line in zip(range(n), src):
                dst.write(line)
        out.with_suffix(".tmp").rename(out)
    return out


def _tree_memory(pid: int) -> float:
    """PSS (or RSS) in MB summed over a process and its descendants; 0 when psutil is missing."""
    try:
        import psutil
    except ImportError:
        return 0.0
    try:
        root = psutil.Process(pid)
        procs = [root] + root.children(recursive=True)
    except psutil.Error:
        return 0.0
    total = 0
    for p in procs:
        try:
            info = p.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except psutil.Error:
            try:
                total += p.memory_info().rss
            except psutil.Error:
                pass
    return total / 2**20


def measured(cmd: list[str], stdout_path: Path) -> dict:
    """Run cmd; its wall seconds, exit code, and peak memory in MB."""
    began = time.perf_counter()
    with open(stdout_path, "w", encoding="utf-8") as out, open(stdout_path.with_suffix(".err"), "w") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, cwd=ROOT)
        peak = [0.0]
        done = threading.Event()

        def sample_memory():
            while not done.wait(0.2):
                peak[0] = max(peak[0], _tree_memory(proc.pid))

        sampler = threading.Thread(target=sample_memory, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - began
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
    return {"wall_s": wall, "rc": proc.returncode, "peak_mb": max(peak[0], usage.ru_maxrss / 1024),
            "maxrss_mb": usage.ru_maxrss / 1024, "cpu_s": usage.ru_utime + usage.ru_stime,
            "load": os.getloadavg()[0]}


def read_pairs_tsv(path: Path) -> set[tuple[str, str]]:
    with open(path, encoding="utf-8") as f:
        return {tuple(line.rstrip("\n").split("\t")) for line in f if line.strip()}


def read_dedup_pairs(out_dir: Path) -> tuple[set, set]:
    """dedup's verified pairs (pairs.jsonl when written) and all pairs within its clusters."""
    matched = set()
    if (out_dir / "pairs.jsonl").exists():
        with open(out_dir / "pairs.jsonl", encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                a, b = str(row["a"]), str(row["b"])
                matched.add((a, b) if a < b else (b, a))
    grouped = set()
    with open(out_dir / "clusters.jsonl", encoding="utf-8") as f:
        for line in f:
            ids = sorted(str(m["id"]) for m in json.loads(line)["members"])
            grouped.update(combinations(ids, 2))
    return (matched or grouped), grouped


class Labels:
    """The generator's labels: each document's story, each copy's original and kind of edit."""

    def __init__(self, path: Path, limit: int | None = None) -> None:
        self.story: dict[str, str] = {}
        originals, copies = {}, []
        with open(path, encoding="utf-8") as f:
            for i, line in enumerate(f):
                if limit is not None and i >= limit:
                    break
                rec = json.loads(line)
                self.story[rec["id"]] = rec["story"]
                if rec.get("relation") == "original":
                    originals[rec["story"]] = rec["id"]
                elif rec.get("edit"):
                    copies.append((rec["id"], rec["story"], rec["edit"]))
        sizes = defaultdict(int)
        for s in self.story.values():
            sizes[s] += 1
        self.n_pairs = sum(k * (k - 1) // 2 for k in sizes.values())
        self.copies = [(c, originals[s], e) for c, s, e in copies if s in originals]

    def recall_by_edit(self, found: set) -> dict[str, float]:
        """For each kind of edit, the share of copies paired with their original."""
        hits, totals = defaultdict(int), defaultdict(int)
        for copy, original, edit in self.copies:
            totals[edit] += 1
            hits[edit] += (min(copy, original), max(copy, original)) in found
        return {e: round(hits[e] / totals[e], 3) for e in sorted(totals)}


def scores(found: set, truth: set | None, labels: Labels) -> dict:
    out = {"pairs": len(found)}
    if truth is not None:
        hit = len(found & truth)
        out["recall"] = hit / len(truth) if truth else None
        out["precision"] = hit / len(found) if found else None
    story = labels.story
    same = sum(1 for a, b in found if story.get(a) is not None and story.get(a) == story.get(b))
    out["story_recall"] = same / labels.n_pairs if labels.n_pairs else None
    out["story_precision"] = same / len(found) if found else None
    out["recall_by_edit"] = labels.recall_by_edit(found)
    return out


def run_size(n: int, args, run: dict, work: Path) -> list[dict]:
    path = corpus(n, args.seed, args.jobs, args.typographic)
    rows = []
    labels = Labels(path)
    truth, exact_run = None, None
    if n <= args.exact_max:
        exact_run = measured([sys.executable, str(HERE / "peers.py"), "exact", str(path), "--pairs",
                              str(work / "exact.tsv")], work / "exact.out")
        if exact_run["rc"] == 0:
            truth = read_pairs_tsv(work / "exact.tsv")
            print(f"[{n}] exact Jaccard >= 0.5: {len(truth)} pairs in {exact_run['wall_s']:.1f} s", file=sys.stderr)

    def record(tool, docs_run, m, found, extra=None):
        if docs_run == n:
            s = scores(found, truth, labels) if found is not None else {}
        else:  # a sample: score against the labels of the sample only
            s = scores(found, None, Labels(path, docs_run)) if found is not None else {}
        row = {**run, "docs": n, "tool": tool, "docs_run": docs_run, "sampled": docs_run != n,
               "wall_s": round(m["wall_s"], 2), "docs_per_s": round(docs_run / m["wall_s"], 1),
               "peak_mb": round(m["peak_mb"], 1), "maxrss_mb": round(m["maxrss_mb"], 1),
               "cpu_s": round(m["cpu_s"], 2), "load_after": round(m["load"], 2), "rc": m["rc"], **s, **(extra or {})}
        rows.append(row)
        print(f"[{n}] {tool}: {row['docs_per_s']:,.0f} docs/s, {row['wall_s']} s, {row['cpu_s']} CPU s, "
              f"{row['peak_mb']:.0f} MB, load {row['load_after']}"
              + (f" (exit {m['rc']})" if m["rc"] else ""), file=sys.stderr)

    scans = [("dedup scan", [])] + ([("dedup scan --no-rewrites", ["--no-rewrites"])] if args.no_rewrites_row else [])
    help_text = subprocess.run(dedup_command() + ["scan", "--help"], capture_output=True, text=True, cwd=ROOT).stdout
    workers = ["--workers", str(args.workers)] if "--workers" in help_text and args.workers is not None else []
    for tool, flags in scans:
        out_dir = work / tool.replace(" ", "_")
        cmd = dedup_command() + ["scan", str(path), "-o", str(out_dir), "--format", "jsonl"] + workers + flags
        m = measured(cmd, work / "dedup.out")
        found = read_dedup_pairs(out_dir) if m["rc"] == 0 else (None, None)
        extra = {"command": " ".join(["dedup"] + cmd[len(dedup_command()):]).replace(str(path), path.name)}
        if found[1] is not None:
            g = scores(found[1], truth, labels)
            extra.update({f"grouped_{k}": v for k, v in g.items()})
        if m["rc"]:
            extra["stderr"] = (work / "dedup.err").read_text(encoding="utf-8")[-2000:]
        record(tool, n, m, found[0], extra)
        shutil.rmtree(out_dir, ignore_errors=True)
    for peer in args.peers:
        if peer == SLOW and args.skip_slow:
            continue
        limit = args.slow_sample if peer == SLOW and n > 10_000 else (args.peer_max if n > args.peer_max else None)
        target = sample(path, limit) if limit else path
        m = measured([sys.executable, str(HERE / "peers.py"), peer, str(target), "--pairs",
                      str(work / f"{peer}.tsv")], work / f"{peer}.out")
        found = read_pairs_tsv(work / f"{peer}.tsv") if m["rc"] == 0 else None
        record(peer, limit or n, m, found)
    base = next((r for r in rows if r["tool"] == "dedup scan" and r["rc"] == 0), None)
    for r in rows:
        ok = base and r["rc"] == 0 and r["docs_per_s"]
        r["dedup_speedup"] = round(base["docs_per_s"] / r["docs_per_s"], 2) if ok else None
    if exact_run is not None:
        record("exact Jaccard (ground truth)", n, exact_run, truth)
        rows[-1]["dedup_speedup"] = None
    return rows


def _fmt(v, pct=False):
    if v is None:
        return "-"
    if pct:
        return f"{v:.3f}"
    return f"{v:,.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def table(rows: list[dict]) -> str:
    head = ("| docs | tool | docs/s | wall s | CPU s | peak MB | pairs | recall J>=0.5 | precision J>=0.5 "
            "| story recall | story precision | dedup speed / tool |")
    lines = [head, "|" + "|".join(["---"] * (head.count("|") - 1)) + "|"]
    for r in rows:
        if r.get("wall_s") is None:
            continue
        tool = r["tool"] + (f" (first {r['docs_run']:,} docs, docs/s extrapolated)" if r.get("sampled") else "")
        if r.get("rc"):
            lines.append(f"| {r['docs']:,} | {tool} | failed (exit {r['rc']}) |" + " - |" * 9)
            continue
        lines.append(f"| {r['docs']:,} | {tool} | {_fmt(r['docs_per_s'])} | {r['wall_s']:.1f} | {r['cpu_s']:.1f} | {r['peak_mb']:,.0f} "
                     f"| {r.get('pairs', '-')} | {_fmt(r.get('recall'), True)} | {_fmt(r.get('precision'), True)} "
                     f"| {_fmt(r.get('story_recall'), True)} | {_fmt(r.get('story_precision'), True)} "
                     f"| {_fmt(r.get('dedup_speedup')) if r['tool'] != 'dedup scan' else '-'} |")
    edits = [r for r in rows if r.get("recall_by_edit") and not r.get("rc")]
    if edits:
        kinds = sorted({k for r in edits for k in r["recall_by_edit"]})
        lines += ["", "Copies paired with their original, by the generator's kind of edit:", "",
                  "| docs | tool | " + " | ".join(kinds) + " |", "|" + "|".join(["---"] * (len(kinds) + 2)) + "|"]
        lines += [f"| {r['docs']:,} | {r['tool']} | " + " | ".join(_fmt(r["recall_by_edit"].get(k), True) for k in kinds)
                  + " |" for r in edits]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, action="append", required=True, help="corpus size (repeatable)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="passed to dedup scan --workers")
    parser.add_argument("--skip-slow", action="store_true", help="leave out datasketch as documented")
    parser.add_argument("--peers", nargs="*", default=list(PEERS), choices=PEERS)
    parser.add_argument("--slow-sample", type=int, default=5000,
                        help="above 10,000 docs, datasketch as documented runs on this many (extrapolated)")
    parser.add_argument("--peer-max", type=int, default=100_000,
                        help="peers run on at most this many documents (a sample, extrapolated)")
    parser.add_argument("--exact-max", type=int, default=20_000, help="largest size with exact ground truth")
    parser.add_argument("--no-rewrites-row", action="store_true",
                        help="also time dedup scan --no-rewrites (shows the rewrite stage's share)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes generating corpora")
    parser.add_argument("--typographic", action="store_true",
                        help="the corpus typeset as most news is (curly quotes, em dashes: not ASCII)")
    parser.add_argument("--no-save", action="store_true", help="do not append to benchmarks/results/")
    args = parser.parse_args(argv)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "dedup"],
                           capture_output=True, text=True, cwd=ROOT).stdout.split("\n")
    dirty = sorted(line[3:] for line in dirty if line.strip())  # uncommitted changes the scan ran with
    run = {"run": dt.datetime.now().strftime("%Y-%m-%dT%H:%M:%S"), "commit": commit,
           "command": "python benchmarks/harness.py " + " ".join(argv if argv is not None else sys.argv[1:]),
           "dirty": dirty, "machine": machine(), "seed": args.seed, "workers": args.workers,
           "typographic": args.typographic,
           "load_before": round(os.getloadavg()[0], 2)}
    rows = []
    for n in args.docs:
        with tempfile.TemporaryDirectory(prefix="dedup-bench-") as tmp:
            size_rows = run_size(n, args, run, Path(tmp))
        rows += size_rows
        if not args.no_save:
            RESULTS.parent.mkdir(parents=True, exist_ok=True)
            with open(RESULTS, "a", encoding="utf-8") as out:
                out.writelines(json.dumps(r) + "\n" for r in size_rows)
    mach = run["machine"]
    print(f"{run['command']}\n{run['run']}, commit {commit}, {mach['nproc']} x {mach['cpu']}, "
          f"{mach['mem_mb']:,} MB, Python {mach['python']}, dedup --workers {args.workers}, "
          f"load average at start {run['load_before']:.1f}, at end {os.getloadavg()[0]:.1f}"
          + (f"; uncommitted changes in {', '.join(dirty)}" if dirty else "") + "\n")
    print(table(rows))
    return 0 if all(r.get("rc", 0) == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
