"""CPU cost per document of the per-document text stages: boilerplate (rules and corpus evidence)
and the text functions, in this tree and, with --base, at an earlier revision in the same run.

    python benchmarks/bench_boilerplate.py benchmarks/corpora/news-10000-seed1.jsonl --base b086530

The corpus is cut into --rounds slices of distinct documents; each function runs over each slice,
the two trees taking turns, and the cheapest slice is kept (the machine is shared: CPU time by
time.process_time, the minimum being the run least disturbed by others). With --base, the
boilerplate spans and the corpus evidence of both trees are compared document by document.
Prints one JSON object.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedup.corpus import read_corpus  # noqa: E402


def package_at(revision: str, into: Path) -> str:
    """A copy of the dedup package at `revision`, importable under another name."""
    name = "dedup_at_" + "".join(c for c in revision if c.isalnum())
    target = into / name
    target.mkdir()
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "--name-only", revision, "dedup/"],
                            check=True, capture_output=True, text=True).stdout.split()
    for path in listed:
        if path.endswith(".py"):
            source = subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:{path}"],
                                    check=True, capture_output=True).stdout
            (target / Path(path).name).write_bytes(source)
    sys.path.insert(0, str(into))
    return name


def stages(package: str) -> dict:
    """name -> function of a slice of documents, for one tree."""
    B = importlib.import_module(package + ".boilerplate")
    C = importlib.import_module(package + ".boilerplate_corpus")
    P = importlib.import_module(package + ".boilerplate_page")
    T = importlib.import_module(package + ".text")
    evidence = {}

    def evidence_one_pass(docs):
        evidence[id(docs)] = B.line_evidence(C.count_lines(docs))

    def find(docs):
        ev = evidence[id(docs)]
        return [B.find_boilerplate(d, ev) for d in docs]

    out = {
        "make_page": lambda docs: [P.make_page(d.text) for d in docs],
        "corpus evidence, one pass (count_lines + line_evidence)": evidence_one_pass,
        "find_boilerplate": find,
        "text.words": lambda docs: [T.words(d.text) for d in docs],
        "text.sentence_words": lambda docs: [T.sentence_words(d.text) for d in docs],
    }
    if hasattr(C, "count_line_keys"):
        def two_pass(docs):
            counts = C.count_line_keys(docs)
            wanted = C.sketch_keys(counts)
            sketches = C.sketch_documents([d for d in docs if C.document_key(d.id) in wanted])
            return C.line_evidence(C.with_sketches(counts, sketches))

        out["corpus evidence, two passes (count_line_keys, sketch_documents)"] = two_pass
    if hasattr(C, "line_occurrences"):
        def two_pass_arrays(docs):
            counts = C.counts_of_occurrences([C.line_occurrences(docs)])
            wanted = C.sketch_keys(counts)
            sketches = C.sketch_documents([d for d in docs if C.document_key(d.id) in wanted])
            return C.line_evidence(C.with_sketches(counts, sketches))

        out["corpus evidence, two passes, arrays (line_occurrences, sketch_documents)"] = two_pass_arrays
    if hasattr(T, "sentence_word_spans"):
        out["text.sentence_word_spans (batch)"] = lambda docs: T.sentence_word_spans([d.text for d in docs])
    out["_evidence"] = evidence
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus")
    parser.add_argument("--base", help="a git revision to measure in the same run")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    docs = list(read_corpus(args.corpus).documents)[: args.docs]
    size = max(1, len(docs) // args.rounds)
    slices = [docs[i * size:(i + 1) * size] for i in range(max(1, min(args.rounds, len(docs))))]
    with tempfile.TemporaryDirectory() as tmp:
        trees = {"this tree": stages("dedup")}
        if args.base:
            trees[args.base] = stages(package_at(args.base, Path(tmp)))
        best: dict[str, dict[str, float]] = {tree: {} for tree in trees}
        spans: dict[str, list] = {tree: [] for tree in trees}
        for part in slices:
            for tree, funcs in trees.items():
                for name, func in funcs.items():
                    if name.startswith("_"):
                        continue
                    began = time.process_time()
                    result = func(part)
                    ms = 1000 * (time.process_time() - began) / len(part)
                    best[tree][name] = min(best[tree].get(name, ms), ms)
                    if name == "find_boilerplate":
                        spans[tree].extend(result)
                funcs["_evidence"].clear()
    report = {"corpus": args.corpus, "docs": len(docs), "slices": len(slices), "docs_per_slice": size,
              "cpu_ms_per_doc": {tree: {k: round(v, 4) for k, v in b.items()} for tree, b in best.items()},
              "load_average": os.getloadavg(), "date": time.strftime("%Y-%m-%d %H:%M")}
    if args.base:
        mine, theirs = spans["this tree"], spans[args.base]
        report["same_spans"] = len(mine) == len(theirs) and all(
            [(s.start, s.end, s.text, s.rule) for s in a] == [(s.start, s.end, s.text, s.rule) for s in b]
            for a, b in zip(mine, theirs))
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
