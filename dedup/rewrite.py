"""Evidence that one text rewrites another, beyond shared word shingles.

A rewrite (paraphrase, machine translation and back, light re-edit) keeps the source's sentence
plan: most of its sentences have a counterpart with many of the same content words, in the same
order, and it keeps the quotations, numbers and names in sequence. Independent coverage of the
same event shares names, numbers and even an official quote, but not the sentence plan.

`pair_features` measures that; `dedup.verify` turns the figures into a decision.
"""
from __future__ import annotations

import bisect

import numpy as np

from .align import _join_counts, feature_similarity
from .rewrite_profiles import TextProfile, profile, profiles  # noqa: F401 (the profiles' home; here for callers)


def similarity_matrix(a: TextProfile, b: TextProfile) -> np.ndarray:
    """Dice similarity of the content words of every sentence of a against every one of b."""
    n, m = len(a.sentence_weights), len(b.sentence_weights)
    if not n or not m:
        return np.zeros((n, m))
    shared = _join_counts(a.word_sets, b.word_sets, n, m)
    sizes = np.add.outer(np.asarray(a.sentence_weights, float), np.asarray(b.sentence_weights, float))
    return 2 * shared / sizes


def _lis(seq: list[int]) -> int:
    """Length of the longest strictly increasing subsequence (patience sorting: `tails[k]` is the
    least last element of such a subsequence of length k + 1; an element above them all extends
    the longest, which in texts that keep an order is most of them)."""
    tails: list[int] = []
    for x in seq:
        if tails and x <= tails[-1]:
            tails[bisect.bisect_left(tails, x)] = x
        else:
            tails.append(x)
    return len(tails)


def _sequence_overlap(x: tuple[str, ...], y: tuple[str, ...]) -> float:
    """Share of the shorter sequence found in the longer one in the same order: the length of their
    longest common subsequence, bit-parallel (bit i of `v` stands for position i of y; each token
    of x that y holds is one step of integer arithmetic, whatever its repeats)."""
    if not x or not y:
        return 0.0
    if len(x) > len(y):
        x, y = y, x
    where: dict[str, int] = {}  # each token's positions in y, as bits
    for i, t in enumerate(y):
        where[t] = where.get(t, 0) | 1 << i
    full = (1 << len(y)) - 1
    v = full  # (its zero bits: the common subsequence so far)
    for t in x:
        bits = where.get(t)
        if bits:
            u = v & bits
            v = ((v + u) | (v - u)) & full
    return (len(y) - v.bit_count()) / len(x)


def _coverage(sim: np.ndarray, weights: tuple[int, ...], level: float) -> tuple[float, float, int]:
    """For each sentence (row): does it have a counterpart at `level`? Weighted share covered,
    share of the matched ones in order, and how many matched."""
    if sim.size == 0:
        return 0.0, 0.0, 0
    best = sim.max(axis=1)
    arg = sim.argmax(axis=1)
    matched = best >= level
    w = np.asarray(weights, float)
    cov = float(w[matched].sum() / w.sum())
    n = int(matched.sum())
    order = _lis(arg[matched].tolist()) / n if n else 0.0
    return cov, order, n


def _in_order_chain(sim: np.ndarray, level: float) -> list[tuple[int, int]]:
    """The heaviest chain of sentence pairs (similarity >= level) increasing in both texts."""
    weight = np.where(sim >= level, sim, 0.0)
    # A row of a without any counterpart at `level` leaves the table as it is (each row is
    # non-decreasing) and the walk back steps over it: the table is built on the other rows only.
    rows = np.flatnonzero(weight.any(axis=1))
    return [(int(rows[i]), j) for i, j in _heaviest_chain(weight[rows])]


def _heaviest_chain(weight: np.ndarray) -> list[tuple[int, int]]:
    """The chain of positive weights increasing in both rows and columns with the largest sum (a
    dynamic programme over every row)."""
    n, m = weight.shape
    best = np.zeros((n + 1, m + 1))
    for i in range(1, n + 1):  # row[j] = max(above[j], above[j-1] + w, row[j-1]): a running maximum
        above = best[i - 1]
        step = np.maximum(above[1:], above[:-1] + weight[i - 1])
        best[i, 1:] = np.maximum.accumulate(step)
    chain, i, j = [], n, m
    while i > 0 and j > 0:
        if weight[i - 1, j - 1] > 0 and best[i, j] == best[i - 1, j - 1] + weight[i - 1, j - 1]:
            chain.append((i - 1, j - 1))
            i, j = i - 1, j - 1
        elif best[i, j] == best[i - 1, j]:
            i -= 1
        else:
            j -= 1
    return chain[::-1]


def _unique_word_order(ua: tuple[np.ndarray, np.ndarray], ub: tuple[np.ndarray, np.ndarray]) -> float:
    """Content words that occur once in each text (`TextProfile.once`): how many of them keep
    their order (LIS), as a share of the smaller text's once-words. A rewrite keeps them in order;
    independent coverage shares names and facts in another order."""
    (a_words, _), (b_words, b_positions) = ua, ub
    if not len(a_words) or not len(b_words):
        return 0.0
    order = np.argsort(b_words)
    b_sorted = b_words[order]
    at = np.minimum(np.searchsorted(b_sorted, a_words), len(b_sorted) - 1)
    shared = b_sorted[at] == a_words  # (a's once-words in a's order, and their positions in b)
    return _lis(b_positions[order[at[shared]]].tolist()) / min(len(a_words), len(b_words))


def _quotation_figures(a: TextProfile, b: TextProfile, sim: np.ndarray, wa: np.ndarray, wb: np.ndarray,
                       sa: slice, sb: slice, row_best: np.ndarray, col_best: np.ndarray) -> dict[str, float]:
    """Independent reports of one statement share the statement; a rewrite shares the narrative
    around it as well. `narrative_align50`: the share of the better-covered text's sentences that
    are not quotations with a counterpart (similarity >= 0.5) among the other's; `narrative_min`:
    the same in the worse-covered direction, over the chained stretch of each text; `quoted_match`:
    the share of the better-covered text's matched sentences that are quotations. (`row_best`,
    `col_best`: the best similarity of each sentence of a and of b.)"""
    qa, qb = np.array(a.sentence_quoted, dtype=bool), np.array(b.sentence_quoted, dtype=bool)
    na, nb = ~qa, ~qb
    out = {"narrative_align50": 0.0, "narrative_min": 0.0}
    if na.any() and nb.any():
        sub = sim[na][:, nb]
        x = float((wa[na] * (sub.max(axis=1) >= 0.5)).sum() / wa[na].sum())
        y = float((wb[nb] * (sub.max(axis=0) >= 0.5)).sum() / wb[nb].sum())
        out["narrative_align50"] = max(x, y)
    in_a, in_b = np.zeros(len(wa), dtype=bool), np.zeros(len(wb), dtype=bool)
    in_a[sa], in_b[sb] = True, True
    ka, kb = na & in_a, nb & in_b
    if ka.any() and kb.any():
        sub = sim[ka][:, kb]
        x = float((wa[ka] * (sub.max(axis=1) >= 0.5)).sum() / wa[ka].sum())
        y = float((wb[kb] * (sub.max(axis=0) >= 0.5)).sum() / wb[kb].sum())
        out["narrative_min"] = min(x, y)
    matched_a, matched_b = wa * (row_best >= 0.5), wb * (col_best >= 0.5)
    matched, quoted = (matched_a, qa) if matched_a.sum() / wa.sum() >= matched_b.sum() / wb.sum() else (matched_b, qb)
    out["quoted_match"] = float(matched[quoted].sum() / matched.sum()) if matched.sum() else 0.0
    return out


def pair_features(a: TextProfile, b: TextProfile) -> dict[str, float]:
    """Figures on how much of a's and b's sentence plan, quotes, numbers and names they share.

    Both directions are measured; names ending in "_short" / "max" are the better direction (the
    shorter text covered by the longer), "_long" / "min" the other."""

    out: dict[str, float] = {}
    dice = similarity_matrix(a, b)
    ca, _, na = _coverage(dice, a.sentence_weights, 0.5)
    cb, _, nb = _coverage(dice.T, b.sentence_weights, 0.5)
    out["cov50_max"] = max(ca, cb)
    if a.sentence_texts and b.sentence_texts:
        sim = feature_similarity(a.sentence_features, b.sentence_features)
        wa, wb = np.asarray(a.sentence_weights, float), np.asarray(b.sentence_weights, float)
        total_a, total_b = wa.sum(), wb.sum()  # (weights are whole numbers: every sum of them is exact)
        chain = _in_order_chain(sim, 0.35)
        ia, ib = [i for i, _ in chain], [j for _, j in chain]
        chained_a, chained_b = wa[ia].sum(), wb[ib].sum()
        out["chain_short"] = max(chained_a / total_a, chained_b / total_b)
        out["chain_pairs"] = float(np.log1p(len(chain)))
        out["chain_similarity"] = float(np.mean(sim[ia, ib])) if chain else 0.0
        # the "_long"/"_min" figures are taken over the stretch of each text between its first and
        # last chained sentence: a rewritten block amid added commentary is judged as a block
        sa = slice(min(ia), max(ia) + 1) if chain else slice(0, len(wa))
        sb = slice(min(ib), max(ib) + 1) if chain else slice(0, len(wb))
        stretch_a, stretch_b = wa[sa], wb[sb]
        span_a, span_b = stretch_a.sum(), stretch_b.sum()
        out["chain_long"] = min(chained_a / span_a, chained_b / span_b) if chain else 0.0
        out["span_share_min"] = min(span_a / total_a, span_b / total_b)
        row_best, col_best = sim.max(axis=1), sim.max(axis=0)
        stretch = sim[sa, sb]
        stretch_row, stretch_col = stretch.max(axis=1), stretch.max(axis=0)
        for level, tag in ((0.5, "align50"), (0.65, "align65")):
            x = float((wa * (row_best >= level)).sum() / total_a)
            y = float((wb * (col_best >= level)).sum() / total_b)
            xs = float((stretch_a * (stretch_row >= level)).sum() / span_a)
            ys = float((stretch_b * (stretch_col >= level)).sum() / span_b)
            out[f"{tag}_max"], out[f"{tag}_min"] = max(x, y), min(xs, ys)
        if any(a.sentence_quoted) or any(b.sentence_quoted):
            out.update(_quotation_figures(a, b, sim, wa, wb, sa, sb, row_best, col_best))
        else:  # no quotation: the narrative is every sentence, and no matched sentence is quoted
            out.update(narrative_align50=out["align50_max"], narrative_min=out["align50_min"], quoted_match=0.0)
        # a templated report (a market opening, a lottery draw) repeats yesterday's sentences with
        # today's numbers: chained sentences that both carry numbers but share none
        numbered = [(i, j) for i, j in chain if a.sentence_numbers[i] and b.sentence_numbers[j]]
        out["number_conflicts"] = (sum(1 for i, j in numbered if not a.sentence_numbers[i] & b.sentence_numbers[j])
                                   / len(numbered)) if numbered else 0.0
        out["numbered_pairs"] = float(len(numbered))
        small, large = sorted((span_a, span_b))
        out["span_length_ratio"] = float(small / large) if large else 0.0
    else:
        for name in ("chain_short", "chain_long", "chain_pairs", "chain_similarity", "align50_max",
                     "align50_min", "align65_max", "align65_min", "span_share_min", "span_length_ratio",
                     "number_conflicts", "numbered_pairs", "narrative_align50", "narrative_min",
                     "quoted_match"):
            out[name] = 0.0
    qa, qb = a.quote_words, b.quote_words
    out["quotes"] = len(qa & qb) / max(1, min(len(qa), len(qb))) if qa and qb else 0.0
    out["numbers_seq"] = _sequence_overlap(a.numbers, b.numbers)
    out["names_seq"] = _sequence_overlap(a.names, b.names)
    out["word_order"] = _unique_word_order(a.once, b.once)
    small, large = sorted((a.n_content, b.n_content))
    out["length_ratio"] = small / large if large else 0.0
    return out
