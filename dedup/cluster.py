"""Groups from verified pairs, without chaining stories together.

Two texts that each have most of their shingles in the other are copies of one text: such pairs
are joined unconditionally. Every other link -- a text contained in a much longer one (a truncated
copy, or a partial copy that quotes a block of the story amid other material) and a rewrite --
only brings a document that is still alone into a group; it never merges two groups. So an
article that quotes two wire stories joins one of them and does not make them one, and a rewrite
that happens to resemble a second story's copy does not pull that whole group in. A rewrite with
a probability of at least the model's `merge_threshold` may join two groups.

A rewrite joins a group only if it also resembles the republications (mutual copies) of the member it
matched that hold most of that member (mean probability over the verified pairs at least the
model's threshold): a text that rewrites a wire story resembles every republication of it, while an
independent story that happens to score high against one republication does not score high against
the others. When the matched member is itself a rewrite, the group's republications are asked,
and when the group has none, the two other members the document resembles most.
Two groups become one when rewrite links between them involve two members or more on each side (a
story's write-throughs), or two members of one linked to a document of the other and half of the
document pairs across the two (two rewrites of one text and its republications), not counting
documents that joined a group on a single link and resemble fewer than three of its texts (unless
they resemble two texts of the other group or more, and more of them than of their own).

The result does not depend on the order of the inputs: links are taken strongest first, ties
broken by ids.
"""
from __future__ import annotations

from collections import defaultdict
from typing import AbstractSet as Set, Iterable, Mapping, Sequence

from .model import default_model
from .types import Match
from .verify import COPY_CONTAINMENT


def is_mutual_copy(m: Match) -> bool:
    return m.relation in ("verbatim", "edited") and min(m.containment_a, m.containment_b) >= COPY_CONTAINMENT


def link_strength(m: Match) -> float:
    """Shingle copies first (by containment), then rewrites by probability."""
    high = max(m.containment_a, m.containment_b)
    return 2.0 + high if high >= COPY_CONTAINMENT else m.score


class _Groups:
    def __init__(self, ids: Sequence[str]):
        self.parent = {i: i for i in ids}
        self.size = {i: 1 for i in ids}

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        a, b = self.find(a), self.find(b)
        if a == b:
            return
        if (self.size[a], b) < (self.size[b], a):
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]


SUPPORT_COVERAGE = 0.9  # share of the matched member a copy must hold to be asked for support
SUPPORT_PEERS = 2  # members asked when the matched member has no copies and the group no republications


def _supported(m: Match, groups: _Groups, copies_of, score, partners, threshold: float) -> bool:
    """Does the lone document of a rewrite link also resemble the copies of the member it matched?
    Only copies that hold most of the member are asked: a copy cut before the passage the lone
    document rewrites cannot resemble it. When the member has no such copies (it is a rewrite or a
    partial copy itself), the group's republications (members with a mutual copy) verified against
    the lone document are asked: a text that shares a statement with one rewrite of a release does
    not resemble the release's republications. When the group has none either (a release rewritten
    several times, no copy republished whole), the SUPPORT_PEERS other members verified against the
    lone document that it resembles most are asked: a rewrite of the release resembles more than one
    of its rewrites, a wire's own story that shares one quotation with one of them does not. Only
    members that resemble a member besides the matched one are asked: rewrites of one text need not
    resemble each other (each paraphrases it its own way), so when the matched member is the text
    the others were each written from, and they resemble nothing else, there is nothing to ask."""
    lone, member = (m.a, m.b) if groups.size[groups.find(m.a)] == 1 else (m.b, m.a)
    root = groups.find(member)
    same_text = [c for c, held in copies_of[member].items() if groups.find(c) == root and held >= SUPPORT_COVERAGE]
    values = [m.score] + [score[(min(lone, c), max(lone, c))] for c in same_text
                          if (min(lone, c), max(lone, c)) in score]
    if not copies_of.get(member):
        values += [p for other, p in partners.get(lone, ())
                   if other != member and copies_of.get(other) and groups.find(other) == root]
        if len(values) == 1:  # nor any republication: the members it resembles most after the matched one,
            # among those that resemble a member besides the matched one
            def resembles_another(other: str) -> bool:
                return any(p >= threshold and o not in (member, lone) and groups.find(o) == root
                           for o, p in partners.get(other, ()))

            values += sorted((p for other, p in partners.get(lone, ())
                              if other != member and groups.find(other) == root and resembles_another(other)),
                             reverse=True)[:SUPPORT_PEERS]
    return sum(values) / len(values) >= threshold


MIN_LINKED_MEMBERS = 2  # members on each side of the links that make two groups one
DENSE_LINKS = 0.5  # share of the two groups' document pairs linked when one side is a single text


def _merge_well_linked(groups: _Groups, links: Sequence[Match], threshold: float,
                       attached: Set[str] = frozenset(), text_of: Mapping[str, str] | None = None) -> None:
    """Two groups become one when rewrite links between them involve at least MIN_LINKED_MEMBERS
    members on each side: several write-throughs and rewrites of one story link to each other from
    many members, while a text that merely resembles one copy links from a single member. A group
    that is one text and its republications has a single member to offer: when the links reach one
    text of a group, it becomes one with the other group's two texts or more when one of its
    documents is linked to two of those texts and the links are dense (at least DENSE_LINKS of the document pairs across the two groups): rewrites of
    one wire story each resemble the story and most of its republications, while a story that
    restates a press release resembles a few of its copies, and an agency story's copies that
    paraphrase a release each resemble a different rewrite of it.
    Containment links do not count: two digests that each quote the same two stories must not make
    them one. Nor do `attached` documents (ones that joined an existing group on a single link and
    resemble fewer than EMBEDDED_TEXTS of its texts, and not more texts of the other group): a text
    that resembles two stories joins one of them, and is no evidence that they are one. Members
    that are copies of one text (`text_of`: document -> its copy family) count once."""
    text_of = text_of or {}
    changed = True
    while changed:
        changed = False
        # (group, group) -> each side's linked texts, the linked document pairs, and for each linked
        # document the texts of the other group it links to
        sides: dict[tuple[str, str], tuple[set[str], set[str], set[tuple[str, str]], dict[str, set[str]]]] = {}
        for m in links:
            if m.relation != "rewrite" or m.score < threshold:
                continue  # a text contained in another (a partial copy, a quoted block) never counts
            ra, rb = groups.find(m.a), groups.find(m.b)
            if ra == rb or m.a in attached or m.b in attached:
                continue
            key, (left, right) = ((ra, rb), (m.a, m.b)) if ra < rb else ((rb, ra), (m.b, m.a))
            a_side, b_side, pairs, reach = sides.setdefault(key, (set(), set(), set(), defaultdict(set)))
            a_side.add(text_of.get(left, left))
            b_side.add(text_of.get(right, right))
            pairs.add((m.a, m.b))
            reach[left].add(text_of.get(right, right))
            reach[right].add(text_of.get(left, left))
        for (ra, rb), (a_side, b_side, pairs, reach) in sorted(sides.items()):
            ra, rb = groups.find(ra), groups.find(rb)
            if ra == rb:
                continue
            fewer, more = sorted((len(a_side), len(b_side)))
            dense = (more >= MIN_LINKED_MEMBERS
                     and max(len(texts) for texts in reach.values()) >= MIN_LINKED_MEMBERS
                     and len(pairs) >= DENSE_LINKS * groups.size[ra] * groups.size[rb])
            if fewer >= MIN_LINKED_MEMBERS or dense:
                groups.union(ra, rb)
                changed = True


EMBEDDED_TEXTS = 3  # texts of its own group a document resembles to count as a member, not an attachment


def _members_not_attachments(groups: _Groups, links: Sequence[Match], threshold: float,
                             text_of: Mapping[str, str]) -> set[str]:
    """Documents that count as members of their group although they joined it on a single link:
    - linked (any relation, at least the threshold) to EMBEDDED_TEXTS distinct texts of their own
      group: one that joined on its strongest link but resembles three of its texts is a member
      like the others, not a text that happened to resemble one copy;
    - or whose rewrite links reach MIN_LINKED_MEMBERS texts of another group or more, and more
      texts of it than of their own (their own text left out): most of what such a document
      resembles is the other group, so it is a member there too and its links count as evidence.
      A text that resembles as many texts of both groups still counts for neither."""
    texts: dict[tuple[str, str], set[str]] = defaultdict(set)  # (document, group) -> texts it resembles
    for m in links:
        if m.score < threshold:
            continue
        ra, rb = groups.find(m.a), groups.find(m.b)
        if ra != rb and m.relation != "rewrite":
            continue
        texts[(m.a, rb)].add(text_of.get(m.b, m.b))
        texts[(m.b, ra)].add(text_of.get(m.a, m.a))
    members = set()
    for (doc_id, root), linked in texts.items():
        own = groups.find(doc_id)
        if root == own:
            if len(linked) >= EMBEDDED_TEXTS:
                members.add(doc_id)
        elif len(linked) >= MIN_LINKED_MEMBERS \
                and len(linked) > len(texts.get((doc_id, own), set()) - {text_of.get(doc_id, doc_id)}):
            members.add(doc_id)
    return members


def components(ids: Sequence[str], matches: Iterable[Match], merge_threshold: float | None = None,
               threshold: float | None = None) -> list[list[str]]:
    """Groups (sorted lists of ids, two members at least), sorted by their first id."""
    if merge_threshold is None:
        merge_threshold = default_model().merge_threshold
    if threshold is None:
        threshold = default_model().threshold
    groups = _Groups(sorted(ids))
    matches = list(matches)
    links = [m for m in matches if m.relation is not None]
    score = {(m.a, m.b): m.score for m in matches}
    partners: dict[str, list[tuple[str, float]]] = defaultdict(list)  # every verified pair, from each side
    for m in matches:
        partners[m.a].append((m.b, m.score))
        partners[m.b].append((m.a, m.score))
    copies_of: dict[str, dict[str, float]] = defaultdict(dict)  # member -> its copy -> share of it the copy holds
    for m in links:
        if is_mutual_copy(m):
            copies_of[m.a][m.b] = m.containment_a
            copies_of[m.b][m.a] = m.containment_b
    for m in sorted(links, key=lambda m: (m.a, m.b)):
        if is_mutual_copy(m):
            groups.union(m.a, m.b)
    text_of = {doc_id: groups.find(doc_id) for doc_id in copies_of}  # copy families, before other links
    attached: set[str] = set()
    for m in sorted(links, key=lambda m: (-link_strength(m), m.a, m.b)):
        if is_mutual_copy(m):
            continue
        ra, rb = groups.find(m.a), groups.find(m.b)
        if ra == rb:
            continue
        alone = groups.size[ra] == 1 or groups.size[rb] == 1
        if m.relation == "rewrite" and alone and not _supported(m, groups, copies_of, score, partners, threshold):
            continue
        if alone or (m.relation == "rewrite" and m.score >= merge_threshold):
            if alone and max(groups.size[ra], groups.size[rb]) > 1:  # a lone document joins a group
                attached.add(m.a if groups.size[ra] == 1 else m.b)
            groups.union(ra, rb)
    attached -= _members_not_attachments(groups, links, threshold, text_of)
    _merge_well_linked(groups, links, threshold, attached, text_of)
    members: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(ids):
        members[groups.find(doc_id)].append(doc_id)
    return sorted((g for g in members.values() if len(g) > 1), key=lambda g: g[0])
