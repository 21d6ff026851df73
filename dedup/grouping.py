"""From components of verified pairs to groups: the source of each, and each copy's relation to it."""
from __future__ import annotations

from typing import Callable, Mapping, Sequence

import numpy as np

from .attribution import choose_source
from .config import Config
from .relation import EDITED_SHARE, relation_label, sentence_identity
from .rewrite import TextProfile
from .types import Document, Fingerprint, Group, Match, Member
from .verify import relation_of, shingle_scores, verify_pair

MAX_PAIRS_FOR_SOURCE = 40  # members compared with each other when choosing a source


def _centrality(members: Sequence[str], fps: Mapping[str, Fingerprint]) -> Callable[[str], float]:
    """How much of a member is found in the others and of the others in it (mean of both
    containments), over a bounded sample of the others."""
    sample = members[:MAX_PAIRS_FOR_SOURCE]
    cache: dict[str, float] = {}

    def centrality(doc_id: str) -> float:
        if doc_id not in cache:
            values = []
            for other in sample:
                if other != doc_id:
                    _, in_other, other_in, _ = shingle_scores(fps[doc_id], fps[other])
                    values.append((in_other + other_in) / 2)
            cache[doc_id] = float(np.mean(values)) if values else 0.0
        return cache[doc_id]

    return centrality


def _member(copy: str, source: str, pair: Match, via: Match | None,
            fingerprints: Mapping[str, Fingerprint]) -> Member:
    """The copy's record: scores against the source; relation from the direct pair when it is a
    copy of the source, else from the pair that brought it into the group."""
    copy_in_source = pair.containment_a if pair.a == copy else pair.containment_b
    source_in_copy = pair.containment_b if pair.a == copy else pair.containment_a
    decided = pair if pair.relation is not None else via
    identity = sentence_identity(fingerprints[copy], fingerprints[source])
    shingle_copy = pair.relation is not None and pair.relation != "rewrite"
    if shingle_copy or identity["same_in_stretch"] >= EDITED_SHARE:  # shares text with the source
        relation = relation_label(copy_in_source, source_in_copy, identity)
        features = dict(pair.features, **{k: round(v, 4) for k, v in identity.items()})
        return Member(copy, "copy", relation, round(pair.jaccard, 4), round(copy_in_source, 4),
                      round(pair.score, 4), features)
    if decided is None:
        relation = relation_of(copy_in_source, source_in_copy, is_rewrite=True)
        features, score = dict(pair.features), pair.score
    else:
        c_copy = decided.containment_a if decided.a == copy else decided.containment_b
        c_other = decided.containment_b if decided.a == copy else decided.containment_a
        is_rewrite = max(c_copy, c_other) < 0.5
        relation = decided.relation if decided.relation == "rewrite" else relation_of(c_copy, c_other, is_rewrite)
        features, score = dict(decided.features), decided.score
    return Member(copy, "copy", relation, round(pair.jaccard, 4), round(copy_in_source, 4),
                  round(score, 4), features)


def assemble_groups(components: Sequence[Sequence[str]], documents: Mapping[str, Document],
                    fingerprints: Mapping[str, Fingerprint], matches: Mapping[tuple[str, str], Match],
                    profiles: Callable[[str], TextProfile], config: Config) -> list[Group]:
    by_doc: dict[str, list[Match]] = {}
    for m in matches.values():
        if m.relation:
            by_doc.setdefault(m.a, []).append(m)
            by_doc.setdefault(m.b, []).append(m)
    groups = []
    for members in components:
        member_set = set(members)
        source, reason = choose_source(members, documents, _centrality(list(members), fingerprints))
        out = [Member(source, "source", None, 1.0, 1.0, 1.0, {})]
        for copy in members:
            if copy == source:
                continue
            key = (min(copy, source), max(copy, source))
            pair = matches.get(key) or verify_pair(fingerprints[key[0]], fingerprints[key[1]], profiles, config)
            via = None
            if pair.relation is None:  # joined through another member: its strongest pair in the group
                linked = [m for m in by_doc.get(copy, []) if (m.b if m.a == copy else m.a) in member_set]
                via = max(linked, key=lambda m: (m.score, m.jaccard), default=None)
            out.append(_member(copy, source, pair, via, fingerprints))
        groups.append(Group(cluster=source, source=source, source_reason=reason, members=tuple(out)))
    return sorted(groups, key=lambda g: (-len(g.members), g.cluster))
