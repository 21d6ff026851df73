"""The corpus evidence in two passes (line keys first, then only the sketches line_evidence reads)
is the evidence of `count_lines`, whatever the batches."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup.boilerplate_corpus import (
    LineCounts, LineOccurrences, count_line_keys, count_lines, counts_of_occurrences, document_key, line_evidence,
    line_key, line_occurrences, merge_counts, merge_occurrences, sketch_documents, sketch_keys, with_sketches,
)
from dedup.corpus import read_corpus
from dedup.types import Document

SITE_FOOTER = ["Harbour Lantern, owned by readers", "Tips to the newsroom", "Printed by the river"]
STORIES = [
    "The ferry to the outer islands will run twice a day from Monday after the new pier opened at last.",
    "A bakery on the high street has won a regional prize for its rye loaf, its second award in three years.",
    "Volunteers counted more than four hundred seabirds on the cliffs during the annual spring survey.",
    "The swimming pool reopens next month with longer hours and a new learner pool for small children.",
    "Two lanes of the coast road will close overnight while workers repair storm damage to the sea wall.",
    "The choir raised enough money at its winter concert to replace the church hall's leaking roof.",
]
WIRE = [
    "The finance ministry said on Tuesday that tax receipts rose by four percent in the first quarter.",
    "Officials credited stronger consumer spending and a rebound in tourism after two difficult years.",
    "Opposition lawmakers said the figures hid a widening gap between the capital and the provinces.",
]


def corpus() -> list[Document]:
    """Site pages sharing a footer, unrelated pages of other sites, and copies of one wire story."""
    docs = []
    for i, story in enumerate(STORIES):
        site = "harbourlantern.example" if i % 2 == 0 else None
        text = f"Story {i}\n\n{story}\n\n" + "\n".join(SITE_FOOTER)
        docs.append(Document(id=f"page{i}", text=text, site=site))
    for i in range(4):
        text = f"Copy {i}\n\n" + "\n\n".join(WIRE[: 3 - i % 2]) + f"\n\nSubscribe to site {i} today.\n"
        docs.append(Document(id=f"copy{i}", text=text, site=f"site{i}.example"))
    docs.append(Document(id="empty", text="   \n\n", site=None))
    docs.append(Document(id="lonely", text="A letter from the lighthouse keeper\n\nThe lamp was lit at dusk.", site=None))
    return docs


def two_pass_evidence(batches: list[list[Document]]):
    counts = LineCounts()
    for batch in batches:
        counts = merge_counts(counts, count_line_keys(batch))
    wanted = sketch_keys(counts)
    sketches = {}
    for batch in batches:
        sketches.update(sketch_documents([d for d in batch if document_key(d.id) in wanted]))
    return line_evidence(with_sketches(counts, sketches)), wanted


def one_pass_evidence(batches: list[list[Document]]):
    counts = LineCounts()
    for batch in batches:
        counts = merge_counts(counts, count_lines(batch))
    return line_evidence(counts)


def test_the_passes_split_count_lines():
    docs = corpus()
    whole = count_lines(docs)
    assert count_line_keys(docs).lines == whole.lines
    assert count_line_keys(docs).docs == {}
    assert sketch_documents(docs) == whole.docs
    assert document_key("empty") not in sketch_documents(docs)  # no line to count: no sketch either


def test_only_documents_sampled_by_judged_lines_are_sketched():
    docs = corpus()
    evidence, wanted = two_pass_evidence([docs])
    assert evidence == one_pass_evidence([docs])
    assert evidence.lines  # the footer is found
    # the pages are sketched for their footer, the wire copies for the paragraphs they share
    # (a page whose lines no other page carries is never sketched)
    assert wanted == {document_key(d.id) for d in docs if d.id not in ("empty", "lonely")}
    assert document_key("empty") not in wanted


@settings(max_examples=30, deadline=None)
@given(st.permutations(list(range(12))), st.lists(st.integers(1, 11), max_size=3))
def test_two_passes_give_the_evidence_of_one_whatever_the_batches(order, cuts):
    docs = [corpus()[i] for i in order]
    cuts = sorted(set(cuts))
    batches = [docs[a:b] for a, b in zip([0] + cuts, cuts + [len(docs)])]
    assert two_pass_evidence(batches)[0] == one_pass_evidence([docs])


def test_two_passes_on_the_dev_corpus(shared_dir):
    docs = list(read_corpus(shared_dir / "dev" / "corpus.jsonl").documents)
    batches = [docs[i:i + 50] for i in range(0, len(docs), 50)]
    evidence, wanted = two_pass_evidence(batches)
    assert evidence == one_pass_evidence(batches)
    assert len(wanted) < len(docs)


# -- the first pass as arrays of (line, document) occurrences --------------------------------------

def judged_lines(batches: list[list[Document]]) -> dict:
    counts = LineCounts()
    for batch in batches:
        counts = merge_counts(counts, count_line_keys(batch))
    return {k: v for k, v in counts.lines.items() if v[0] >= 2}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 11), max_size=30), st.lists(st.integers(1, 29), max_size=4))
def test_occurrences_count_the_lines_that_count_line_keys_counts(picks, cuts):
    # documents may come twice (the same id): counted twice, sampled once
    docs = [corpus()[i] for i in picks]
    cuts = sorted({c for c in cuts if c < len(docs)})
    batches = [docs[a:b] for a, b in zip([0] + cuts, cuts + [len(docs)])]
    parts = [line_occurrences(batch) for batch in batches]
    expected = judged_lines(batches)
    assert counts_of_occurrences(parts).lines == expected
    merged = LineOccurrences()
    for part in reversed(parts):
        merged = merge_occurrences(merged, part)
    assert counts_of_occurrences([merged]).lines == expected


def test_occurrences_of_nothing_count_nothing():
    assert counts_of_occurrences([]).lines == {}
    assert counts_of_occurrences([line_occurrences([])]).lines == {}


def test_a_sample_keeps_the_smallest_document_keys():
    footer = "\n".join(SITE_FOOTER)
    docs = [Document(id=f"p{i}", text=f"Page {i} of the harbour\n\n{footer}", site="s.example") for i in range(20)]
    counts = counts_of_occurrences([line_occurrences(docs[:7]), line_occurrences(docs[7:])])
    keys = sorted(document_key(d.id) for d in docs)
    n, sample, _ = counts.lines[line_key("tips to the newsroom")]
    assert n == 20 and sample == tuple(keys[:8])


def test_two_passes_with_occurrences_on_the_dev_corpus(shared_dir):
    docs = list(read_corpus(shared_dir / "dev" / "corpus.jsonl").documents)
    batches = [docs[i:i + 50] for i in range(0, len(docs), 50)]
    counts = counts_of_occurrences(line_occurrences(batch) for batch in batches)
    wanted = sketch_keys(counts)
    sketches = sketch_documents([d for d in docs if document_key(d.id) in wanted])
    assert line_evidence(with_sketches(counts, sketches)) == one_pass_evidence(batches)


def plain_sketch(text: str, site=None):
    """A body sketch as first defined: each word 3-shingle mixed on its own."""
    import zlib

    import numpy as np

    from dedup import boilerplate_sketch as BS
    from dedup.text import words

    hashes = [zlib.crc32(w.encode("utf-8")) for w in words(text)]
    one = lambda v: int(BS._mix(np.array([v % 2**64], dtype=np.uint64))[0])  # noqa: E731
    if len(hashes) >= 3:
        values = [one(a) ^ ((one(b + 1) * 3) % 2**64) ^ one(c + 2) for a, b, c in zip(hashes, hashes[1:], hashes[2:])]
    else:
        values = hashes
    return BS._minhash(np.array(values, dtype=np.uint64)) + (site,)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["ferry", "pier", "Harbour", "2,400", "it's", "the", "\u00e9t\u00e9", "9"]), max_size=30)
       .map(" ".join))
def test_sketches_are_those_of_their_plain_definition(text):
    from dedup.boilerplate_corpus import sketch

    found = sketch(text, "s.example")
    assert (found.n_shingles, found.minhash, found.site) == plain_sketch(text, "s.example")


_BODY_WORDS = ["ferry", "pier", "Harbour", "2,400", "3.5", "it's", "the", "\u00e9t\u00e9", "9", "O'Neil", "x",
               "Stra\u00dfe", "\u00c9COLE", "a.b", "1,2,3", "rock'n'roll", "\u5317\u4eac"]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.lists(st.sampled_from(_BODY_WORDS), max_size=12),
                          st.sampled_from([" ", "\n", ". ", ", ", "  ", " - ", "'"]),
                          st.sampled_from([None, "a.example", "b.example"])), max_size=8))
def test_batch_sketches_are_the_sketches_of_each_body(bodies):
    """`sketches` (a batch at once) == `sketch` of each body, ASCII or not, empty, short or long."""
    from dedup.boilerplate_sketch import sketch, sketches

    texts = [sep.join(ws) for ws, sep, _ in bodies]
    sites = [site for _, _, site in bodies]
    assert sketches(texts, sites) == [sketch(t, s) for t, s in zip(texts, sites)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.binary(max_size=40), max_size=30))
def test_crc32_of_spans_is_zlib_crc32(pieces):
    import zlib

    import numpy as np

    from dedup.boilerplate_sketch import crc32_spans

    data = b"".join(pieces)
    ends = np.cumsum([len(p) for p in pieces], dtype=np.int64)
    starts = ends - np.array([len(p) for p in pieces], dtype=np.int64)
    expected = [zlib.crc32(p) for p in pieces]
    assert crc32_spans(data, starts.reshape(-1), ends.reshape(-1)).tolist() == expected


def test_second_pass_sketches_on_the_dev_corpus_are_those_of_count_lines():
    import os

    import pytest

    path = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "dev", "corpus.jsonl")
    if not os.path.exists(path):
        pytest.skip("../shared/dev/corpus.jsonl is absent")
    docs = list(read_corpus(path).documents)
    assert sketch_documents(docs) == dict(count_lines(docs).docs)


_KEY_CHARS = list("abc XYZ 0 123 .,-") + ["\u00e9", "\u00fc", "\u0663", "\u07c1", "\U0001d7d7", "\U00010400",
                                          "\u00b9", "\u00b2", "\u2462", "\u00bd", "\U0001f600", "\u0966", "\uff11"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(_KEY_CHARS), min_size=1, max_size=30))
def test_line_keys_count_every_digit_as_zero(form):
    """A line's key is that of its form with every digit (str.isdigit: ASCII, other scripts',
    superscripts, beyond the first plane) written 0, whatever branch computes it."""
    import hashlib

    from dedup.boilerplate_corpus import _line_key

    zeros = "".join("0" if c.isdigit() else c for c in form).encode("utf-8")
    assert _line_key(form) == int.from_bytes(hashlib.blake2b(zeros, digest_size=8).digest(), "little")
