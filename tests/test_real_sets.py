"""The scan on the real material in ../shared: the seed articles and the labelled dev set.

These guard the rewrite detection and the grouping rules against regressions on real pages; the
figures asserted are the issue's targets that the shipped model meets on the dev set (it was fitted
on it, so the cross-validated figures in the README are the estimate for other sets).
"""
from __future__ import annotations

import pytest

from dedup.evaluate import evaluate
from dedup.pipeline import scan


def test_the_seeds_rewrites_join_the_afp_story_and_same_topic_pieces_stay_apart(shared_dir):
    result = scan([shared_dir / "seeds"])
    cluster = {d.id: d.cluster for d in result.documents}
    by_prefix = {doc_id.split("_")[0]: doc_id for doc_id in cluster}
    afp = cluster[by_prefix["004"]]
    assert afp is not None
    assert cluster[by_prefix["001"]] == afp  # machine-translated rewrite with a comment-form footer
    assert cluster[by_prefix["000"]] == afp  # paraphrase plus commentary
    assert cluster[by_prefix["002"]] != afp and cluster[by_prefix["003"]] != afp  # same topic, not copies
    group = next(g for g in result.groups if g.cluster == afp)
    assert group.source == by_prefix["004"]
    assert len(result.documents) == 5


def test_dev_set_meets_the_rewrite_issue_targets(shared_dir):
    path = shared_dir / "dev" / "corpus.jsonl"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    ev, result = evaluate(str(path))
    assert len(result.documents) == 232
    assert ev.pair_precision >= 0.95
    assert ev.same_event_merge_rate <= 0.02
    assert ev.ari >= 0.90
    found, total = ev.recall_by_relation["verbatim"]
    assert found == total
    found, total = ev.recall_by_relation["rewrite"]
    assert found / total >= 0.80
