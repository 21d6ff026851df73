"""Settling the verified matches before grouping: the support pairs of rewrites, the date rule, and
the cross pairs of groups a link connects. Every engine calls `settle_matches` with its own way of
verifying more pairs, so they all settle the same way."""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

from .cluster import components, is_mutual_copy
from .types import Candidate, Match
from .verify import apply_date_rule


def settle_matches(matches: list[Match], dates: Mapping[str, str | None],
                   verify_more: Callable[[Sequence[Candidate]], list[Match]]) -> list[Match]:
    """After the candidates are verified: the support pairs of rewrites, the date rule, and the cross
    pairs of linked groups. `verify_more(pairs)` verifies pairs wherever the engine runs (every
    engine calls this, so they all settle the same way)."""
    matches = matches + verify_more(support_candidates(matches))
    matches = apply_date_rule(matches, dates)
    # lone documents that resemble a member of a group: verify them against the group's other members
    comps = components(list(dates), matches)
    expansion = expansion_candidates(comps, matches)
    if expansion:
        matches = matches + apply_date_rule(verify_more(expansion), dates)
        comps = components(list(dates), matches)
    # groups linked to each other: verify more of their pairs, so that the grouping can tell a
    # story's several write-throughs (linked from many members) from a chance resemblance
    bridging = bridge_candidates(comps, matches)
    return matches + apply_date_rule(verify_more(bridging), dates)


EXPAND_FLOOR = 0.15  # probability of a lone document's pair with a group member that asks for more pairs
MAX_EXPAND = 8  # members of that group it is then verified against


def expansion_candidates(comps: Sequence[Sequence[str]], matches: Sequence[Match]) -> list[Candidate]:
    """Unverified pairs of a lone document with the members of a group it already resembles (a
    verified pair with a member scoring at least EXPAND_FLOOR), at most MAX_EXPAND members by id.
    Copies of one story are cut at different points and carry different furniture: a rewrite or a
    partial copy may share its passage with only the members that reach that far, and the index
    need not have proposed those."""
    group_of = {doc_id: i for i, members in enumerate(comps) for doc_id in members}
    verified = {(m.a, m.b) for m in matches}
    wanted = set()
    for m in matches:
        if m.score < EXPAND_FLOOR:
            continue
        for lone, member in ((m.a, m.b), (m.b, m.a)):
            if lone in group_of or member not in group_of:
                continue
            for other in comps[group_of[member]][:MAX_EXPAND]:
                pair = (min(lone, other), max(lone, other))
                if pair not in verified:
                    wanted.add(pair)
    return [Candidate(a, b, "expansion") for a, b in sorted(wanted)]


MAX_BRIDGE = 5  # members of each of two linked groups whose cross pairs are verified


def bridge_candidates(comps: Sequence[Sequence[str]], matches: Sequence[Match]) -> list[Candidate]:
    """Unverified pairs between two groups that a link already connects (at most MAX_BRIDGE
    members of each side: the linked member first, then the group's first ids)."""
    group_of = {doc_id: i for i, members in enumerate(comps) for doc_id in members}
    verified = {(m.a, m.b) for m in matches}
    wanted = set()
    for m in matches:
        if m.relation is None:
            continue
        ga, gb = group_of.get(m.a), group_of.get(m.b)
        if ga is None or gb is None or ga == gb:
            continue
        side_a = [m.a] + [x for x in comps[ga] if x != m.a][: MAX_BRIDGE - 1]
        side_b = [m.b] + [x for x in comps[gb] if x != m.b][: MAX_BRIDGE - 1]
        for x in side_a:
            for y in side_b:
                pair = (min(x, y), max(x, y))
                if pair not in verified:
                    wanted.add(pair)
    return [Candidate(a, b, "bridge") for a, b in sorted(wanted)]


MAX_SUPPORT = 4  # copies of the matched member a rewrite is also checked against


def support_candidates(matches: Sequence[Match]) -> list[Candidate]:
    """Pairs that back up a rewrite link: the rewrite against the republications (mutual copies) of
    the member it matched (see dedup.cluster), where they were not candidates already."""
    verified = {(m.a, m.b) for m in matches}
    copies: dict[str, list[str]] = {}
    for m in matches:
        if is_mutual_copy(m):
            copies.setdefault(m.a, []).append(m.b)
            copies.setdefault(m.b, []).append(m.a)
    wanted = set()
    for m in matches:
        if m.relation != "rewrite":
            continue
        for lone, member in ((m.a, m.b), (m.b, m.a)):
            for c in sorted(copies.get(member, []))[:MAX_SUPPORT]:
                pair = (min(lone, c), max(lone, c))
                if c != lone and pair not in verified:
                    wanted.add(pair)
    return [Candidate(a, b, "support") for a, b in sorted(wanted)]


