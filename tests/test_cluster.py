"""Groups from verified pairs: connected components, and partial copies that never chain stories."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.cluster import components
from dedup.types import Match


def match(a: str, b: str, relation: str | None, ca: float = 0.95, cb: float = 0.95, score: float = 0.9) -> Match:
    a, b, ca, cb = (a, b, ca, cb) if a < b else (b, a, cb, ca)
    return Match(a, b, jaccard=min(ca, cb), containment_a=ca, containment_b=cb, relation=relation, score=score)


def test_connected_components_of_copies():
    ids = ["s1", "s1-copy", "s1-edit", "s2", "s2-copy", "alone"]
    matches = [match("s1", "s1-copy", "verbatim"), match("s1-copy", "s1-edit", "edited"),
               match("s2", "s2-copy", "rewrite", ca=0.3, cb=0.3)]
    assert components(ids, matches) == [["s1", "s1-copy", "s1-edit"], ["s2", "s2-copy"]]


def test_rejected_pairs_join_nothing():
    assert components(["a", "b", "c"], [match("a", "b", None), match("b", "c", None)]) == []


def test_no_matches_no_groups_and_singletons_left_out():
    assert components(["x", "y"], []) == []
    assert components([], []) == []


def test_components_do_not_depend_on_order():
    ids = ["a", "b", "c", "d", "e"]
    matches = [match("a", "b", "verbatim"), match("d", "e", "edited"), match("c", "d", "verbatim")]
    expected = [["a", "b"], ["c", "d", "e"]]
    assert components(ids, matches) == expected
    assert components(ids[::-1], matches[::-1]) == expected


def test_partial_copy_joins_the_story_it_quotes():
    ids = ["story", "story-copy", "roundup"]
    matches = [match("story", "story-copy", "verbatim"), match("roundup", "story", "partial", ca=0.25, cb=0.8)]
    assert components(ids, matches) == [["roundup", "story", "story-copy"]]


def test_partial_copy_of_two_stories_joins_one_and_never_merges_them():
    ids = ["a", "a-copy", "b", "b-copy", "roundup"]
    matches = [
        match("a", "a-copy", "verbatim"),
        match("b", "b-copy", "edited", ca=0.8, cb=0.8),
        # the roundup quotes more of story b than of story a
        match("roundup", "a", "partial", ca=0.2, cb=0.6, score=0.7),
        match("roundup", "b", "partial", ca=0.3, cb=0.9, score=0.8),
    ]
    groups = components(ids, matches)
    assert ["a", "a-copy"] in groups
    assert ["b", "b-copy", "roundup"] in groups
    assert len(groups) == 2


def test_partial_copy_between_two_singletons_makes_one_group():
    groups = components(["wire", "blog"], [match("blog", "wire", "partial", ca=0.3, cb=0.9)])
    assert groups == [["blog", "wire"]]


def test_a_chain_of_partials_keeps_every_member():
    # x holds part of y and y part of z: nobody is dropped from the group on the way
    ids = ["x", "y", "z"]
    matches = [match("x", "y", "partial", ca=0.3, cb=0.6), match("y", "z", "partial", ca=0.3, cb=0.6)]
    assert components(ids, matches) == [["x", "y", "z"]]


def test_two_partials_of_each_other_make_one_group():
    matches = [match("p", "q", "partial", ca=0.3, cb=0.6, score=0.7)]
    assert components(["p", "q", "r"], matches) == [["p", "q"]]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["p1", "p2", "p3", "a", "a2", "b", "b2"]),
                          st.sampled_from(["p1", "p2", "p3", "a", "a2", "b", "b2"]),
                          st.floats(0.05, 0.45), st.floats(0.5, 1.0), st.floats(0.5, 1.0)),
                max_size=8))
def test_partial_copies_never_merge_two_stories(partials):
    ids = ["a", "a2", "b", "b2", "p1", "p2", "p3"]
    matches = [match("a", "a2", "verbatim"), match("b", "b2", "edited", ca=0.7, cb=0.7)]
    seen = set()
    for x, y, low, high, score in partials:
        if x == y or tuple(sorted((x, y))) in seen:
            continue
        seen.add(tuple(sorted((x, y))))
        matches.append(match(x, y, "partial", ca=low, cb=high, score=score))
    groups = components(ids, matches)
    members = [m for g in groups for m in g]
    assert len(members) == len(set(members))
    assert not any({"a", "b"} <= set(g) for g in groups)
    assert ["a", "a2"] == [m for m in next(g for g in groups if "a" in g) if m in ("a", "a2")]


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_partial_grouping_does_not_depend_on_match_order(rnd: random.Random):
    ids = ["a", "a-copy", "b", "b-copy", "roundup", "digest"]
    matches = [
        match("a", "a-copy", "verbatim"), match("b", "b-copy", "edited", ca=0.8, cb=0.8),
        match("roundup", "a", "partial", ca=0.2, cb=0.6, score=0.7),
        match("roundup", "b", "partial", ca=0.3, cb=0.9, score=0.8),
        match("digest", "a-copy", "partial", ca=0.4, cb=0.7, score=0.75),
    ]
    expected = components(ids, matches)
    ids2, matches2 = ids[:], matches[:]
    rnd.shuffle(ids2)
    rnd.shuffle(matches2)
    assert components(ids2, matches2) == expected


# -- the grouping rules that weigh evidence beyond one pair ------------------------------------------
def _two_stories():
    # two groups of republications (mutual copies), as a scan finds a story's two write-throughs
    return [match("a1", "a2", "edited", 0.8, 0.8), match("b1", "b2", "edited", 0.8, 0.8)]


def _two_write_throughs():
    # two groups, each a text and a rewrite of it (two distinct texts per group)
    return [match("a1", "a2", "rewrite", 0.1, 0.1, score=0.9), match("b1", "b2", "rewrite", 0.1, 0.1, score=0.9)]


def test_two_groups_merge_when_rewrite_links_reach_two_texts_on_each_side():
    ids = ["a1", "a2", "b1", "b2"]
    one = _two_write_throughs() + [match("a1", "b1", "rewrite", 0.1, 0.1, score=0.8)]
    assert len(components(ids, one, threshold=0.5)) == 2  # one member resembling the other group
    two = one + [match("a2", "b2", "rewrite", 0.1, 0.1, score=0.7)]
    assert len(components(ids, two, threshold=0.5)) == 1  # a story's two write-throughs


def test_copies_of_one_text_count_once_when_groups_would_merge():
    # b1 and b2 are copies of one text (an agency story and its excerpt) that paraphrases the
    # release a1/a2: two links from one text are one piece of evidence
    ids = ["a1", "a2", "b1", "b2"]
    matches = _two_write_throughs()[:1] + [match("b1", "b2", "verbatim", 1.0, 0.95, 0.6),
                                           match("a1", "b1", "rewrite", 0.1, 0.1, score=0.8),
                                           match("a2", "b2", "rewrite", 0.1, 0.1, score=0.7)]
    assert components(ids, matches, threshold=0.5) == [["a1", "a2"], ["b1", "b2"]]


def test_a_document_that_joined_on_one_link_is_no_evidence_for_merging_groups():
    # "x" resembles copies of two stories; it joins story b (its stronger link) and must not then
    # count as a second member linking story b to story a
    ids = ["a1", "a2", "b1", "b2", "x"]
    matches = _two_write_throughs() + [match("b1", "x", "rewrite", 0.1, 0.1, score=0.9),
                                match("b2", "x", "rewrite", 0.1, 0.1, score=0.85),
                                match("a1", "x", "rewrite", 0.1, 0.1, score=0.6),
                                match("a2", "x", "rewrite", 0.1, 0.1, score=0.55),
                                match("a1", "b1", "rewrite", 0.1, 0.1, score=0.7)]
    assert components(ids, matches, threshold=0.5) == [["a1", "a2"], ["b1", "b2", "x"]]
    # a second member of b linked to a second member of a: that is two write-throughs
    more = matches + [match("a2", "b2", "rewrite", 0.1, 0.1, score=0.7)]
    assert components(ids, more, threshold=0.5) == [ids]


def test_a_copy_cut_before_the_rewritten_passage_is_not_asked_for_support():
    # "lone" rewrites a passage of "m" that m's short copy "cut" (holding 55% of m) does not reach
    ids = ["cut", "lone", "m"]
    rewrite = match("lone", "m", "rewrite", 0.1, 0.1, score=0.8)
    short_copy = match("cut", "m", "edited", ca=0.95, cb=0.55)  # cut is in m; m only 55% in cut
    assert components(ids, [short_copy, rewrite, match("cut", "lone", None, 0.0, 0.0, score=0.02)], threshold=0.5) \
        == [["cut", "lone", "m"]]
    # a copy that holds all of m must resemble the rewrite too
    full_copy = match("cut", "m", "verbatim", ca=0.95, cb=0.95)
    assert components(ids, [full_copy, rewrite, match("cut", "lone", None, 0.0, 0.0, score=0.02)], threshold=0.5) \
        == [["cut", "m"]]


def test_a_text_resembling_one_rewrite_of_a_release_must_resemble_its_republications():
    # the group: a release "r" republished by "p1", "p2", and rewritten by "rw"; "other" shares a
    # statement with the rewrite only
    ids = ["other", "p1", "p2", "r", "rw"]
    group = [match("p1", "r", "verbatim"), match("p2", "r", "verbatim"), match("p1", "p2", "verbatim"),
             match("r", "rw", "rewrite", 0.2, 0.2, score=0.9)]
    link = match("other", "rw", "rewrite", 0.1, 0.1, score=0.6)
    unlike = [match("other", "p1", None, 0.0, 0.0, score=0.1), match("other", "r", None, 0.0, 0.0, score=0.2)]
    assert components(ids, group + [link] + unlike, threshold=0.5) == [["p1", "p2", "r", "rw"]]
    like = [match("other", "p1", None, 0.1, 0.1, score=0.7), match("other", "r", None, 0.1, 0.1, score=0.6)]
    assert components(ids, group + [link] + like, threshold=0.5) == [ids]


def test_two_rewrites_of_one_text_join_its_republications():
    # "s" and its verbatim copy "s-copy" are one text; "r1" and "r2" rewrite it (and resemble each
    # other): each resembles both copies, so the two groups are one story
    ids = ["r1", "r2", "s", "s-copy"]
    matches = [match("s", "s-copy", "verbatim"), match("r1", "r2", "rewrite", 0.3, 0.3, score=0.95),
               match("r1", "s", "rewrite", 0.1, 0.1, score=0.8), match("r1", "s-copy", "rewrite", 0.1, 0.1, score=0.7),
               match("r2", "s", "rewrite", 0.1, 0.1, score=0.6), match("r2", "s-copy", "rewrite", 0.1, 0.1, score=0.55)]
    assert components(ids, matches, threshold=0.5) == [ids]
    assert components(ids[::-1], matches[::-1], threshold=0.5) == [ids]


def test_sparse_links_to_one_text_do_not_merge_groups():
    # a wire story restating a release ("w1", with its rewrite "w2") resembles one copy of the
    # release "p" out of its four republications: not a story of the release
    ids = ["p", "p1", "p2", "p3", "w1", "w2"]
    release = [match("p", c, "verbatim") for c in ("p1", "p2", "p3")] + \
              [match(a, b, "verbatim") for a, b in (("p1", "p2"), ("p1", "p3"), ("p2", "p3"))]
    wire = [match("w1", "w2", "rewrite", 0.3, 0.3, score=0.95),
            match("w1", "p", "rewrite", 0.1, 0.1, score=0.8), match("w2", "p", "rewrite", 0.1, 0.1, score=0.7)]
    assert components(ids, release + wire, threshold=0.5) == [["p", "p1", "p2", "p3"], ["w1", "w2"]]


def test_a_document_resembling_three_texts_of_its_group_counts_as_a_member():
    # "x" joins the write-throughs g1-g3 on its strongest link, but resembles all three: it is a
    # member like them, so its link to h1 and g1's to h2 are two members on each side
    ids = ["g1", "g2", "g3", "h1", "h2", "x"]
    story = [match("g1", "g2", "rewrite", 0.3, 0.3, score=0.95), match("g2", "g3", "rewrite", 0.3, 0.3, score=0.94),
             match("g1", "g3", "rewrite", 0.3, 0.3, score=0.93), match("h1", "h2", "rewrite", 0.3, 0.3, score=0.92)]
    x = [match("g1", "x", "rewrite", 0.1, 0.1, score=0.9), match("g2", "x", "rewrite", 0.1, 0.1, score=0.8),
         match("g3", "x", "rewrite", 0.1, 0.1, score=0.7)]
    across = [match("h1", "x", "rewrite", 0.1, 0.1, score=0.6), match("g1", "h2", "rewrite", 0.1, 0.1, score=0.6)]
    assert components(ids, story + x + across, threshold=0.5) == [ids]
    # resembling one text of the group only, x is an attachment and no evidence
    assert components(ids, story + x[:1] + across, threshold=0.5) == [["g1", "g2", "g3", "x"], ["h1", "h2"]]


def test_a_document_resembling_more_texts_of_another_group_counts_as_its_member():
    # "d" (an edited copy of a release) joins the release's republications p/p-copy on its
    # strongest link, but resembles two texts of the group of the release's rewrites y1-y3 and one
    # of its own: it is a member of both, so its links and p's make two texts on each side
    ids = ["d", "p", "p-copy", "y1", "y2", "y3"]
    release = [match("p", "p-copy", "verbatim"), match("d", "p", "rewrite", 0.3, 0.3, score=0.99),
               match("d", "p-copy", "rewrite", 0.3, 0.3, score=0.98)]
    rewrites = [match("y1", "y2", "rewrite", 0.2, 0.2, score=0.95), match("y2", "y3", "rewrite", 0.2, 0.2, score=0.94),
                match("y1", "y3", "rewrite", 0.2, 0.2, score=0.93)]
    across = [match("d", "y1", "rewrite", 0.1, 0.1, score=0.9), match("p", "y1", "rewrite", 0.1, 0.1, score=0.6)]
    assert components(ids, release + rewrites + across, threshold=0.5) == [["d", "p", "p-copy"], ["y1", "y2", "y3"]]
    second = match("d", "y2", "rewrite", 0.1, 0.1, score=0.85)
    assert components(ids, release + rewrites + across + [second], threshold=0.5) == [ids]
    # resembling as many texts of its own group (a second one, "e"), it counts for neither
    own = [match("d", "e", "rewrite", 0.1, 0.1, score=0.8), match("e", "p", "rewrite", 0.1, 0.1, score=0.97),
           match("e", "p-copy", "rewrite", 0.1, 0.1, score=0.96)]
    assert components(ids + ["e"], release + rewrites + across + [second] + own, threshold=0.5) \
        == [["d", "e", "p", "p-copy"], ["y1", "y2", "y3"]]


def test_a_text_resembling_one_of_several_rewrites_must_resemble_another():
    # a release rewritten three times ("w1".."w3"), no copy republished whole; "own" is a wire's own
    # story that shares one quotation with w1 and hardly resembles the others
    ids = ["own", "w1", "w2", "w3"]
    group = [match("w1", "w2", "rewrite", 0.2, 0.2, score=0.9), match("w2", "w3", "rewrite", 0.2, 0.2, score=0.85),
             match("w1", "w3", "rewrite", 0.2, 0.2, score=0.8)]
    link = match("own", "w1", "rewrite", 0.1, 0.1, score=0.6)
    unlike = [match("own", "w2", None, 0.0, 0.0, score=0.2), match("own", "w3", None, 0.0, 0.0, score=0.1)]
    assert components(ids, group + [link] + unlike, threshold=0.5) == [["w1", "w2", "w3"]]
    # a fourth rewrite resembles the others too
    like = [match("own", "w2", None, 0.1, 0.1, score=0.45), match("own", "w3", None, 0.1, 0.1, score=0.5)]
    assert components(ids, group + [link] + like, threshold=0.5) == [ids]


def test_another_rewrite_of_the_text_a_group_was_written_from_needs_no_other_support():
    # "s" was rewritten as "r1" and "r2", which resemble s only (each paraphrases it its own way):
    # "d", a third rewrite of s, need not resemble them
    ids = ["d", "r1", "r2", "s"]
    star = [match("r1", "s", "rewrite", 0.1, 0.1, score=0.9), match("r2", "s", "rewrite", 0.1, 0.1, score=0.8)]
    unlike = [match("d", "r1", None, 0.0, 0.0, score=0.1), match("d", "r2", None, 0.0, 0.0, score=0.05)]
    assert components(ids, star + [match("d", "s", "rewrite", 0.1, 0.1, score=0.6)] + unlike, threshold=0.5) == [ids]
    # matching one of the rewrites, it must resemble the text they were written from too
    to_leaf = [match("d", "r1", "rewrite", 0.1, 0.1, score=0.6), match("d", "s", None, 0.0, 0.0, score=0.1),
               match("d", "r2", None, 0.0, 0.0, score=0.05)]
    assert components(ids, star + to_leaf, threshold=0.5) == [["r1", "r2", "s"]]


_DOCS = ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7"]


@settings(max_examples=120, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_DOCS), st.sampled_from(_DOCS),
                          st.sampled_from(["verbatim", "edited", "rewrite", "rewrite", "partial", None]),
                          st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 1.0)), max_size=20),
       st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_input_order(links, rnd: random.Random):
    # every rule at once (copies, attachments, support, dense and well-linked merges) on any graph
    matches, seen = [], set()
    for x, y, relation, ca, cb, score in links:
        if x != y and tuple(sorted((x, y))) not in seen:
            seen.add(tuple(sorted((x, y))))
            matches.append(match(x, y, relation, ca=ca, cb=cb, score=score))
    expected = components(_DOCS, matches, threshold=0.5)
    members = [m for g in expected for m in g]
    assert len(members) == len(set(members))
    ids, shuffled = _DOCS[:], matches[:]
    rnd.shuffle(ids)
    rnd.shuffle(shuffled)
    assert components(ids, shuffled, threshold=0.5) == expected
