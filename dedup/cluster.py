"""Groups from verified pairs, without chaining stories together through partial copies.

Copies (verbatim, edited, rewrite) are joined as connected components. A partial copy -- a block of
a story inside substantially other material -- joins the group of the story it quotes most, but
never merges two groups: an article that quotes two wire stories must not make them one.
"""
from __future__ import annotations

from collections import defaultdict
from typing import Iterable, Sequence

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from .types import Match


def partial_copy_side(m: Match) -> str:
    """Which document of a partial match is the partial copy: the one less contained in the other."""
    return m.a if m.containment_a < m.containment_b else m.b


def components(ids: Sequence[str], matches: Iterable[Match]) -> list[list[str]]:
    """Groups (sorted lists of ids, two members at least), sorted by their first id.

    Independent of the order of `ids` and `matches`."""
    ids = sorted(ids)
    index = {doc_id: i for i, doc_id in enumerate(ids)}
    strong, partial = [], []
    for m in matches:
        if m.relation is None:
            continue
        (partial if m.relation == "partial" else strong).append(m)
    rows = [index[m.a] for m in strong]
    cols = [index[m.b] for m in strong]
    graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
    _, labels = connected_components(graph, directed=False)
    size = np.bincount(labels, minlength=len(ids))
    # a partial copy outside any group joins the group (or the document) it quotes most
    best: dict[str, tuple[float, str]] = {}
    for m in sorted(partial, key=lambda m: (m.a, m.b)):
        copy = partial_copy_side(m)
        other = m.b if copy == m.a else m.a
        if size[labels[index[copy]]] > 1:
            continue
        key = (m.score, max(m.containment_a, m.containment_b))
        if copy not in best or key > best[copy][0]:
            best[copy] = (key, other)
    # each lone partial copy links to one document only, so these links (chains and mutual
    # partials included) can bring loose documents into a group but never join two groups
    if best:
        for copy, (_, other) in sorted(best.items()):
            rows.append(index[copy])
            cols.append(index[other])
        graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(ids), len(ids)))
        _, labels = connected_components(graph, directed=False)
    groups: dict[int, list[str]] = defaultdict(list)
    for doc_id in ids:
        groups[int(labels[index[doc_id]])].append(doc_id)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])
