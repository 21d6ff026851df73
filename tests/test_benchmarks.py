"""The benchmark tools: the corpus generator is deterministic and labelled as it says; the peers
agree with exact Jaccard on a small corpus; the exact ground truth equals brute force."""
from __future__ import annotations

import io
import itertools
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

import generate  # noqa: E402
import peers  # noqa: E402

FIELDS = {"id", "text", "title", "site", "date", "url", "story", "event", "relation", "edit"}


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return list(generate.generate(2500, seed=3))


def test_same_seed_same_corpus_other_seed_other_corpus(corpus):
    assert list(generate.generate(2500, seed=3)) == corpus
    other = list(generate.generate(300, seed=4))
    assert [r["text"] for r in other] != [r["text"] for r in corpus[:300]]


def test_a_smaller_corpus_is_the_start_of_a_larger_one(corpus):
    assert list(generate.generate(2000, seed=3)) == corpus[:2000]


def test_written_lines_are_the_records_for_any_number_of_jobs(corpus):
    one, two = io.StringIO(), io.StringIO()
    assert generate.write(2500, 3, one, jobs=1) == 2500
    generate.write(2500, 3, two, jobs=2)
    assert one.getvalue() == two.getvalue()
    assert [json.loads(line) for line in one.getvalue().splitlines()] == corpus


def test_the_command_writes_the_asked_number_of_lines(tmp_path):
    out = tmp_path / "c.jsonl"
    assert generate.main(["--docs", "42", "--seed", "9", "-o", str(out), "--jobs", "1"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 42
    assert [json.loads(line) for line in lines] == list(generate.generate(42, 9))


def test_records_have_the_fields_and_unique_ids(corpus):
    assert all(set(r) == FIELDS for r in corpus)
    assert len({r["id"] for r in corpus}) == len(corpus)
    assert all(r["text"].strip() and r["title"] in r["text"] and r["site"] in r["url"] for r in corpus)
    assert {r["relation"] for r in corpus} == {"original", "verbatim", "edited", "rewrite", "partial",
                                              "independent", "unique"}
    assert {r["edit"] for r in corpus} == set(generate.EDITS) | {None}


def test_news_length_articles(corpus):
    sizes = sorted(len(r["text"]) for r in corpus if r["relation"] in ("original", "unique"))
    median = sizes[len(sizes) // 2]
    assert 2800 <= median <= 4500
    words = sorted(len(r["text"].split()) for r in corpus if r["relation"] == "unique")
    assert 400 <= words[len(words) // 2] <= 700


def test_about_thirty_percent_in_syndication_groups(corpus):
    stories = defaultdict(list)
    for r in corpus:
        stories[r["story"]].append(r)
    grouped = [rs for rs in stories.values() if len(rs) > 1]
    share = sum(len(rs) for rs in grouped) / len(corpus)
    assert 0.2 <= share <= 0.4
    for rs in grouped:
        originals = [r for r in rs if r["relation"] == "original"]
        assert len(originals) == 1 and 3 <= len(rs) <= 7
        assert all(r["date"] >= originals[0]["date"] for r in rs)
        assert len({r["site"] for r in rs}) == len(rs)  # each copy on another site


def test_same_event_pairs_are_different_stories_about_the_same_names(corpus):
    events = defaultdict(list)
    for r in corpus:
        if r["relation"] == "independent":
            events[r["event"]].append(r)
    assert events and all(len(rs) == 2 for rs in events.values())
    for a, b in events.values():
        assert a["story"] != b["story"]
        names = lambda r: {w for w in r["text"].split() if w[:1].isupper()}  # noqa: E731
        assert len(names(a) & names(b)) >= 3  # the same invented people and places


def test_site_furniture_repeats_on_every_article_of_a_site(corpus):
    by_site = defaultdict(list)
    for r in corpus:
        by_site[r["site"]].append(r["text"])
    assert 20 <= len(by_site) <= 60
    for texts in by_site.values():
        first_lines = Counter(t.split("\n", 1)[0] for t in texts)
        last_lines = Counter(t.rsplit("\n", 1)[-1] for t in texts)
        assert len(first_lines) == 1 and len(last_lines) == 1


def test_copies_relate_to_their_original_as_labelled(corpus):
    by_id = {r["id"]: r for r in corpus}
    original = {r["story"]: r for r in corpus if r["relation"] == "original"}
    sets = {}

    def shingles(r):
        if r["id"] not in sets:
            sets[r["id"]] = peers.shingles(r["text"])
        return sets[r["id"]]

    def jaccard(a, b):
        return len(shingles(a) & shingles(b)) / len(shingles(a) | shingles(b))

    def contained(a, b):  # the share of a's shingles found in b
        return len(shingles(a) & shingles(b)) / len(shingles(a))

    scores = defaultdict(list)
    for r in by_id.values():
        if r["edit"]:
            src = original[r["story"]]
            scores[r["edit"]].append((jaccard(r, src), contained(r, src)))
    mean = {edit: [sum(v) / len(v) for v in zip(*vals)] for edit, vals in scores.items()}
    assert mean["verbatim"][0] > 0.85
    assert mean["light-edit"][0] > 0.6
    assert mean["dropped-paragraph"][0] > 0.7
    assert mean["trimmed"][1] > 0.8  # a trimmed copy is contained in its source
    assert mean["paraphrase"][0] < 0.3  # rewrites share few 5-shingles
    assert 0.1 < mean["partial"][1] < 0.7


def test_same_event_pairs_and_unique_articles_do_not_look_alike(corpus):
    independent = [r for r in corpus if r["relation"] in ("independent", "unique")][:400]
    found = peers.exact_pairs((r["id"], r["text"]) for r in independent)
    assert found == {}


def _brute(texts: list[str], threshold: float) -> dict:
    sets = [peers.shingles(t) for t in texts]
    out = {}
    for a, b in itertools.combinations(range(len(texts)), 2):
        inter = len(sets[a] & sets[b])
        union = len(sets[a]) + len(sets[b]) - inter
        if union and inter / union >= threshold:
            out[peers._pair(str(a), str(b))] = inter / union
    return out


WORD = st.sampled_from("red blue green gold grey pink teal navy".split())


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(WORD, min_size=0, max_size=14).map(" ".join), min_size=0, max_size=12),
       st.sampled_from([0.3, 0.5, 0.8]))
def test_exact_pairs_equal_brute_force(texts, threshold):
    found = peers.exact_pairs(((str(i), t) for i, t in enumerate(texts)), threshold=threshold)
    expected = _brute(texts, threshold)
    assert found.keys() == expected.keys()
    assert all(abs(found[k] - expected[k]) < 1e-12 for k in found)


@pytest.fixture(scope="module")
def small(corpus) -> tuple[list[tuple[str, str]], dict]:
    records = [(r["id"], r["text"]) for r in corpus[:400]]
    return records, peers.exact_pairs(records)


def test_exact_ground_truth_on_the_generated_corpus_equals_brute_force(small):
    records, exact = small
    brute = _brute([t for _, t in records], peers.THRESHOLD)
    assert {peers._pair(records[int(a)][0], records[int(b)][0]) for a, b in brute} == set(exact)
    assert len(exact) > 20


@pytest.mark.parametrize("name", ["datasketch", "datasketch-tuned", "rensa", "rensa-bulk"])
def test_each_lsh_peer_finds_the_exact_pairs(small, name):
    pytest.importorskip("rensa" if name.startswith("rensa") else "datasketch")
    records, exact = small
    found = peers.PEERS[name](iter(records), {})
    assert all(a < b for a, b in found)
    strong = {p for p, j in exact.items() if j >= 0.8}
    assert strong <= found  # near-certain at 128 permutations
    assert len(found & set(exact)) >= 0.9 * len(exact)
    assert len(found & set(exact)) >= 0.7 * len(found)  # candidates, mostly true


def test_peer_command_writes_pairs_and_counts(tmp_path, small, capsys):
    records, exact = small
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": k, "text": t}) + "\n" for k, t in records), encoding="utf-8")
    assert peers.main(["exact", str(corpus), "--pairs", str(tmp_path / "p.tsv"), "--limit", "400"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["docs"] == 400 and summary["pairs"] == len(exact)
    lines = (tmp_path / "p.tsv").read_text().splitlines()
    assert [tuple(line.split("\t")) for line in lines] == sorted(exact)


def test_harness_scores_pairs_against_truth_and_labels(tmp_path):
    import harness

    path = tmp_path / "c.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        generate.write(1000, 5, out)
    labels = harness.Labels(path)
    records = [(r["id"], r["text"]) for r in generate.generate(1000, 5)]
    truth = set(peers.exact_pairs(records))
    perfect = harness.scores(truth, truth, labels)
    assert perfect["recall"] == perfect["precision"] == 1.0
    assert perfect["story_precision"] == 1.0 and 0.3 < perfect["story_recall"] < 0.8
    assert perfect["recall_by_edit"]["verbatim"] == 1.0 and perfect["recall_by_edit"]["paraphrase"] == 0.0
    stories = defaultdict(list)
    for key, story in labels.story.items():
        stories[story].append(key)
    every = {p for ids in stories.values() for p in itertools.combinations(sorted(ids), 2)}
    assert harness.scores(every, truth, labels)["story_recall"] == 1.0
    # dedup's output directory: pairs.jsonl when present, else pairs within clusters
    out = tmp_path / "out"
    out.mkdir()
    (out / "clusters.jsonl").write_text(json.dumps({"members": [{"id": "b"}, {"id": "a"}, {"id": "c"}]}) + "\n")
    assert harness.read_dedup_pairs(out) == ({("a", "b"), ("a", "c"), ("b", "c")},) * 2
    (out / "pairs.jsonl").write_text(json.dumps({"a": "c", "b": "a", "relation": "edited"}) + "\n")
    assert harness.read_dedup_pairs(out)[0] == {("a", "c")}


def test_a_typographic_corpus_folds_back_to_the_plain_one():
    """--typographic typesets texts and titles as most news sites do (curly quotes, em dashes):
    not ASCII, and folding gives the plain corpus back."""
    from dedup.text import fold_chars

    typeset = list(generate.generate(300, seed=3, typographic=True))
    assert sum(not r["text"].isascii() for r in typeset) > 250
    for plain, fancy in zip(generate.generate(300, seed=3), typeset):
        assert {**fancy, "text": fold_chars(fancy["text"]), "title": fold_chars(fancy["title"])} == plain
    out = io.StringIO()
    generate.write(300, 3, out, jobs=2, typographic=True)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == typeset
