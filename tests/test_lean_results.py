"""SpilledResults: a scan's document results left in its spill behave as the tuple of DocumentResults
they stand for (length, order, indexing, slicing, equality, lookup by id, pickling), and the spill
goes away with the last holder of them."""
from __future__ import annotations

import gc
import os
import pickle
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from dedup.config import Config
from dedup.lean import SpanSource, SpilledResults, SpilledSpans, result_record
from dedup.pipeline import scan
from dedup.store import ScanSpace, write_records
from dedup.types import Document, DocumentResult, ScanResult, Span

SPANS = (Span(0, 11, "Advertising", "ad-label"), Span(40, 52, "Share this:", "share"))
words = st.text(alphabet="abcdefgh -", max_size=12)
floats = st.none() | st.floats(allow_nan=False, allow_infinity=False)


@st.composite
def results(draw) -> list[DocumentResult]:
    ids = draw(st.lists(st.text(alphabet="abcxyz-0123", min_size=1, max_size=6), unique=True, max_size=30))
    out = []
    for i in ids:
        grouped = draw(st.booleans())
        out.append(DocumentResult(
            i, draw(words) if grouped else None, draw(st.sampled_from(("source", "copy"))) if grouped else "unique",
            draw(st.none() | words), draw(st.none() | st.sampled_from(("verbatim", "edited", "rewrite", "partial"))),
            draw(floats), draw(floats), SPANS if draw(st.booleans()) else (),
            title=draw(st.none() | words), site=draw(st.none() | words), date=draw(st.none() | words),
            url=draw(st.none() | words),
            extra=draw(st.dictionaries(words, st.none() | words | st.integers(), max_size=3))))
    return out


def spill(tmp_path, docs: list[DocumentResult], batch: int) -> SpilledResults:
    """docs written as a scan writes them: batches of `batch` results, spans in spans-B.bin."""
    space = ScanSpace(tmp_path)
    starts, where = [], np.zeros((len(docs), 2), dtype=np.int64)
    for b, lo in enumerate(range(0, len(docs), batch)):
        part = docs[lo : lo + batch]
        offs, lens = write_records(space.file(f"spans-{b}.bin"), [d.boilerplate for d in part])
        lazy = [SpilledSpans(b, int(o), int(n), len(d.boilerplate)) if d.boilerplate else ()
                for d, o, n in zip(part, offs.tolist(), lens.tolist())]
        records = [result_record(DocumentResult(*result_record(d)[:7], s, *result_record(d)[8:]))
                   for d, s in zip(part, lazy)]
        offs, lens = write_records(space.file(f"results-{b}.bin"), records)
        where[lo : lo + len(part)] = np.stack([offs, lens], axis=1)
        starts.append(lo)
    order = np.array(sorted(range(len(docs)), key=lambda k: docs[k].id), dtype=np.int64)
    ranked = [docs[k].id for k in order.tolist()]
    return SpilledResults(SpanSource(space, str(space.path)), np.array(starts + [len(docs)], dtype=np.int64),
                          where, ranked, order)


@settings(max_examples=40, deadline=None)
@given(results(), st.integers(1, 7), st.data())
def test_spilled_results_are_the_tuple(tmp_path_factory, docs, batch, data):
    expected = tuple(docs)
    lazy = spill(tmp_path_factory.mktemp("spill"), docs, batch)
    assert len(lazy) == len(expected)
    assert tuple(lazy) == expected and list(lazy) == list(expected)
    assert lazy == expected and expected == lazy and lazy == list(expected) and not (lazy != expected)
    assert all(isinstance(d, DocumentResult) for d in lazy)
    assert [tuple(d.boilerplate) for d in lazy] == [d.boilerplate for d in expected]
    for k in range(-len(expected), len(expected)):
        assert lazy[k] == expected[k]
    for bad in (len(expected), -len(expected) - 1):
        with pytest.raises(IndexError):
            lazy[bad]
    start, stop, step = (data.draw(st.none() | st.integers(-8, 8)) for _ in range(3))
    if step != 0:
        assert lazy[start:stop:step] == expected[start:stop:step]
        assert type(lazy[start:stop:step]) is tuple
    assert list(reversed(lazy)) == list(reversed(expected))
    assert lazy + () == expected and () + lazy == expected
    result = ScanResult(lazy, (), (), (), None, {})
    for d in expected:
        assert result.document(d.id) == d and d in lazy and lazy.index(d) == expected.index(d)
    with pytest.raises(KeyError):
        result.document("no such id")
    again = pickle.loads(pickle.dumps(lazy))
    assert type(again) is tuple and again == expected
    if expected:
        changed = expected[:-1] + (replace(expected[-1], role="changed"),)
        assert lazy != expected[:-1] and lazy != changed and changed != lazy


def test_the_spill_lives_as_long_as_the_results_or_their_spans(tmp_path):
    docs = [DocumentResult("a", "1", "source", "a", None, 1.0, 1.0, SPANS, title="A", extra={"k": 1}),
            DocumentResult("b", None, "unique", None, None, None, None)]
    lazy = spill(tmp_path, docs, 1)
    gc.collect()
    assert os.listdir(tmp_path)
    spans = lazy[0].boilerplate
    del lazy
    gc.collect()
    assert os.listdir(tmp_path) and tuple(spans) == SPANS  # the spans still read their file
    del spans
    gc.collect()
    assert os.listdir(tmp_path) == []


def test_a_local_scan_gives_spilled_results_equal_to_the_in_memory_stages(tmp_path, monkeypatch):
    from dedup import pipeline

    monkeypatch.setenv("DEDUP_TMPDIR", str(tmp_path))
    story = ("Harbour officials in Port Velden said on Tuesday that the old grain pier will close for repairs "
             "after divers found cracks in three of its wooden piles. The pier, built in 1911, handles most "
             "of the town's fishing catch.")
    docs = [Document("orig", story + "\n\nSubscribe to our newsletter", title="Pier", url="u1", date="2024-02-06",
                     site="a.test", extra={"story": "pier"}),
            Document("copy", "Coast Daily\n\n" + story, date="2024-02-07", site="b.test", extra={"story": "pier"}),
            Document("other", "A choir from the hill village of Brask won the national folk singing prize.")]
    result = scan(docs, Config(workers=1, batch_size=2))
    assert isinstance(result.documents, SpilledResults)
    assert [d.id for d in result.documents] == ["orig", "copy", "other"]
    copy = result.document("copy")
    assert copy.role == "copy" and copy.source == "orig" and copy.site == "b.test" and copy.extra == {"story": "pier"}
    assert result.document("orig").title == "Pier" and result.document("orig").url == "u1"
    groups = result.groups
    spans = {d.id: tuple(d.boilerplate) for d in result.documents}
    assert result.documents == tuple(pipeline.document_results(docs, groups, spans))
