"""Invariants of the whole scan, with hypothesis: generated corpora of copies with random edits.

The grouping must not depend on the order of the input; the same input and seed give the same
output; light edits of a story stay with it; copies of different stories never share a group."""
from __future__ import annotations

import importlib.util

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dedup.config import Config
from dedup.pipeline import scan
from dedup.types import Document, ScanResult

BASES = {
    "bridge": ("VESTRA (AFP) - The old stone bridge over the Mellow river in Vestra will close for eighteen "
               "months from August so that engineers can strengthen its arches, the city said on Wednesday. "
               "Cars will be sent along the ring road, while a temporary footbridge is built for pedestrians "
               "and cyclists. Traders on both banks fear a loss of custom, but the mayor said the work could "
               "not wait after inspectors found deep cracks in two of the five arches last spring. The bridge "
               "was built in 1712 and carries about 9,000 vehicles a day."),
    "orchestra": ("SALTMERE (Reuters) - The Saltmere youth orchestra will tour six countries next summer, its "
                  "director announced on Friday, the first tour abroad since the ensemble was founded by a group "
                  "of music teachers in a school basement twenty years ago. The ninety young players, aged "
                  "between fourteen and twenty-one, will perform a new symphony written for them by a former "
                  "member, alongside works by composers from each country they visit. Tickets go on sale in "
                  "March, and part of the money raised will buy instruments for village schools."),
    "harvest": ("DORNEK, Aravia (AP) - Farmers across the eastern plains expect the smallest wheat harvest in a "
                "decade after a dry spring followed by hailstorms in June, the agriculture ministry said in a "
                "report published on Monday. Yields could fall by a third in the worst affected districts, and "
                "the government is considering a scheme of cheap loans for growers who lost most of their crop. "
                "Bakers warned that bread prices may rise before the end of the year, although stocks held in "
                "state silos should cover demand until the next season."),
}
UNRELATED = [
    "A pair of rare white storks has nested on the chimney of the town library for the first time in "
    "living memory, and birdwatchers have set up a camera so that visitors can follow the chicks online.",
    "The county chess club celebrated its hundredth anniversary with a tournament played on boards made "
    "by local carpenters, won after nine rounds by a retired postman who first joined the club as a boy.",
]
FURNITURE = ["Share this article", "Sign up for our newsletter", "Read more: local news", "Advertisement"]
FILLERS = ["quickly", "local", "officials", "new", "several", "however", "still", "major"]


def default_config(**changes) -> Config:
    if importlib.util.find_spec("dedup.boilerplate") is None:
        changes.setdefault("boilerplate", False)
    return Config().with_(**changes)


@st.composite
def edited_copy(draw, base: str) -> str:
    words = base.split()
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["replace", "delete", "insert"]))
        at = draw(st.integers(0, len(words) - 1))
        if kind == "replace":
            words[at] = draw(st.sampled_from(FILLERS))
        elif kind == "delete" and len(words) > 40:
            del words[at]
        else:
            words.insert(at, draw(st.sampled_from(FILLERS)))
    if draw(st.booleans()):  # truncated: the first 70..100 % of the words
        keep = draw(st.integers(int(len(words) * 0.7), len(words)))
        words = words[:keep]
    text = " ".join(words)
    if draw(st.booleans()):
        text = "\n".join([draw(st.sampled_from(FURNITURE)), text] + draw(st.lists(st.sampled_from(FURNITURE), max_size=2)))
    return text


@st.composite
def corpora(draw) -> tuple[list[Document], dict[str, str]]:
    """Documents, and the story each one was made from ("" for unrelated ones)."""
    docs, story_of = [], {}
    for name in draw(st.lists(st.sampled_from(sorted(BASES)), min_size=1, max_size=3, unique=True)):
        if draw(st.booleans()):
            docs.append(Document(f"{name}-wire", BASES[name], date="2024-04-01"))
            story_of[f"{name}-wire"] = name
        for i in range(draw(st.integers(1, 3))):
            doc_id = f"{name}-copy{i}"
            docs.append(Document(doc_id, draw(edited_copy(BASES[name])), date=draw(st.sampled_from(["2024-04-01", "2024-04-02", None]))))
            story_of[doc_id] = name
    for i, text in enumerate(UNRELATED[: draw(st.integers(0, 2))]):
        docs.append(Document(f"other{i}", text))
        story_of[f"other{i}"] = ""
    return docs, story_of


def outcome(result: ScanResult):
    """Everything the scan decided, in a form that does not depend on the input order."""
    groups = {frozenset(m.id for m in g.members): g.source for g in result.groups}
    rows = {d.id: (d.cluster, d.role, d.source, d.relation, d.similarity, d.containment) for d in result.documents}
    return groups, rows


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(corpora(), st.randoms(use_true_random=False))
def test_grouping_does_not_depend_on_input_order(corpus, rnd):
    docs, _ = corpus
    shuffled = docs[:]
    rnd.shuffle(shuffled)
    config = default_config()
    first, second = scan(docs, config), scan(shuffled, config)
    assert outcome(first) == outcome(second)
    assert [d.id for d in second.documents] == [d.id for d in shuffled]  # input order kept in the output


@SETTINGS
@given(corpora(), st.integers(0, 2**31 - 1))
def test_same_input_and_seed_same_output(corpus, seed):
    docs, _ = corpus
    config = default_config(seed=seed, num_perm=64)
    first, second = scan(docs, config), scan(docs, config)
    assert first.documents == second.documents
    assert first.groups == second.groups
    assert first.matches == second.matches


@SETTINGS
@given(corpora())
def test_light_edits_stay_with_their_story_and_stories_stay_apart(corpus):
    docs, story_of = corpus
    result = scan(docs, default_config())
    rows = {d.id: d for d in result.documents}
    assert sorted(rows) == sorted(story_of)  # every document exactly once
    for g in result.groups:
        stories = {story_of[m.id] for m in g.members}
        assert len(stories) == 1 and "" not in stories, stories  # never two stories, never unrelated text
    for name in set(story_of.values()) - {""}:
        members = [i for i, s in story_of.items() if s == name]
        clusters = {rows[i].cluster for i in members}
        if len(members) > 1:
            assert len(clusters) == 1 and None not in clusters, (name, clusters)
