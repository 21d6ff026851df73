"""Median time per diff of two ~800-word articles: dedup's diff against difflib on the whole texts.

    .venv/bin/python benchmarks/bench_diff.py [--pairs 40] [--repeat 5] [--seed 1] [--dev PATH]

Pairs are built from invented articles (pseudo-words and English function words, ~800 words in
paragraphs) and a copy made by realistic edits: words reworded in a third of the sentences, a
sentence split in two, two sentences cut, one moved, new sentences and site furniture added. With
--dev (default: ../shared/dev/corpus.jsonl when present) the real dev pairs (each story's original
against every other member; short texts, at most ~2,000 bytes) are timed as well.

Timed in the same run, on the same pairs:
- dedup: `diff_texts(source, copy, copy_boilerplate=())` (alignment, phrase-level word diff,
  classification, exact script), and with the boilerplate finder (as `dedup diff` runs it);
- difflib.SequenceMatcher(autojunk=False) on the whitespace-split words, and on the characters
  (with and without autojunk), get_opcodes() each -- what a plain diff of the whole texts costs.
"""
from __future__ import annotations

import argparse
import difflib
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dedup.diff import diff_texts  # noqa: E402

FUNCTION = ("the of and to a in that is was for it with as on be at by this had not are but from or "
            "have an they which were their has when who will more no if out so said about into than "
            "only other new some could two may then first after also before over").split()


def _pseudo_words(rng: random.Random, n: int) -> list[str]:
    onsets, vowels, codas = "b br d f g k l m n p pr r s st t tr v z".split(), "a e i o u ai ou".split(), \
        "n r s l m t nd x".split() + [""] * 4
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                          for _ in range(rng.choice((1, 2, 2, 3)))))
    return sorted(words)


def _sentence(rng: random.Random, vocab: list[str], names: list[str]) -> str:
    n = rng.randint(12, 28)
    words = [rng.choice(FUNCTION) if rng.random() < 0.45 else rng.choice(vocab) for _ in range(n)]
    words[rng.randrange(n)] = rng.choice(names)
    if rng.random() < 0.3:
        words.insert(rng.randrange(n), str(rng.randint(2, 9000)))
    if rng.random() < 0.3:
        k = rng.randrange(n - 3)
        words[k] = "\u201c" + words[k]
        words[k + 2] = words[k + 2] + "\u201d,"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def make_pair(rng: random.Random, words: int = 800) -> tuple[str, str]:
    """An invented ~`words`-word article and a copy with reworded, split, cut, moved and added parts."""
    vocab = _pseudo_words(rng, 600)
    names = [w.capitalize() for w in rng.sample(vocab, 12)]
    sentences: list[str] = []
    while sum(len(s.split()) for s in sentences) < words:
        sentences.append(_sentence(rng, vocab, names))
    copy = list(sentences)
    for k in rng.sample(range(len(copy)), len(copy) // 3):  # reword a third of the sentences
        tokens = copy[k].split(" ")
        for _ in range(rng.randint(1, 3)):
            j = rng.randrange(len(tokens))
            tokens[j] = rng.choice(vocab) if rng.random() < 0.7 else ""
        copy[k] = " ".join(t for t in tokens if t)
    k = rng.randrange(len(copy))  # split one sentence in two
    tokens = copy[k].split(" ")
    half = len(tokens) // 2
    copy[k] = " ".join(tokens[:half]) + ". " + tokens[half].capitalize() + " " + " ".join(tokens[half + 1:])
    for k in sorted(rng.sample(range(1, len(copy)), 2), reverse=True):  # cut two
        del copy[k]
    moved = copy.pop(rng.randrange(1, len(copy) // 2))  # move one further down
    copy.insert(rng.randrange(len(copy) // 2, len(copy)), moved)
    for _ in range(3):  # new content
        copy.insert(rng.randrange(len(copy)), _sentence(rng, vocab, names))

    def paragraphs(items: list[str]) -> str:
        return "\n\n".join(" ".join(items[i:i + 3]) for i in range(0, len(items), 3))

    furniture = "\n\nShare this article\nRead more: " + " ".join(rng.sample(vocab, 6)) + "\nPost a comment"
    return paragraphs(sentences), "Home | World\n\n" + paragraphs(copy) + furniture


def dev_pairs(path: Path) -> list[tuple[str, str]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    stories: dict[str, list[dict]] = {}
    for row in rows:
        stories.setdefault(row["story"], []).append(row)
    return [(o["text"], m["text"]) for members in stories.values()
            for o in members if o["relation"] == "original" for m in members if m is not o]


def _median_ms(fn, pairs, repeat: int) -> tuple[float, float]:
    """Median over the pairs of the best of `repeat` runs: wall-clock and CPU time of this process,
    in ms. (On a machine shared with other work, wall-clock times of anything longer than a
    scheduler slice are inflated by waiting; the CPU time is the fairer figure there.)"""
    wall, cpu = [], []
    for source, copy in pairs:
        best_wall = best_cpu = float("inf")
        for _ in range(repeat):
            w0, c0 = time.perf_counter(), time.process_time()
            fn(source, copy)
            best_cpu = min(best_cpu, time.process_time() - c0)
            best_wall = min(best_wall, time.perf_counter() - w0)
        wall.append(best_wall)
        cpu.append(best_cpu)
    return statistics.median(wall) * 1000, statistics.median(cpu) * 1000


def _contestants():
    def finder_diff(s, c):
        return diff_texts(s, c)

    return {
        "dedup diff_texts (no boilerplate finder)": lambda s, c: diff_texts(s, c, copy_boilerplate=()),
        "dedup diff_texts (with boilerplate finder, as the CLI)": finder_diff,
        "difflib words (autojunk=False)": lambda s, c: difflib.SequenceMatcher(
            None, s.split(), c.split(), autojunk=False).get_opcodes(),
        "difflib characters (autojunk=False)": lambda s, c: difflib.SequenceMatcher(
            None, s, c, autojunk=False).get_opcodes(),
        "difflib characters (autojunk=True)": lambda s, c: difflib.SequenceMatcher(None, s, c).get_opcodes(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5, help="runs per pair; the best one counts")
    parser.add_argument("--seed", type=int, default=1)
    default_dev = Path(__file__).resolve().parents[2] / "shared" / "dev" / "corpus.jsonl"
    parser.add_argument("--dev", type=Path, default=default_dev if default_dev.exists() else None)
    parser.add_argument("--no-chars", action="store_true", help="skip difflib on characters (slow)")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    sets = {"invented ~800-word pairs": [make_pair(rng) for _ in range(args.pairs)]}
    if args.dev:
        sets["dev pairs (real, <=2 KB)"] = dev_pairs(args.dev)
    diff_texts(*sets["invented ~800-word pairs"][0])  # warm up imports and regex caches
    for name, pairs in sets.items():
        words = statistics.median(len(s.split()) + len(c.split()) for s, c in pairs) / 2
        print(f"{name}: {len(pairs)} pairs, median {words:.0f} words per text")
        for label, fn in _contestants().items():
            if args.no_chars and "characters" in label:
                continue
            wall, cpu = _median_ms(fn, pairs, args.repeat)
            print(f"  {label:<56} {wall:8.2f} ms wall {cpu:8.2f} ms cpu  (median per diff)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
