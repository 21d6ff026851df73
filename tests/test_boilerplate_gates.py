"""The cheap tests put before the line rules (gates) never turn away a line a rule would flag."""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dedup import boilerplate_credits as BCR
from dedup import boilerplate_prefilters as F
from dedup import boilerplate_rules as R
from dedup.boilerplate_page import make_page
from dedup.corpus import read_corpus

from test_boilerplate_fast import _LINES, _PAGES

_CASES = Path(__file__).parent / "cases" / "boilerplate"
_CREDIT_PIECES = st.sampled_from([
    "Photo", "photos", "PHOTO", "Foto", "Image", "imagen", "Bild", "Picture", "Credit", "credits", "Cr\u00e9dito",
    "Gambar", "Fotograf\u00eda", "Copyright", "\u00a9", ":", " by ", " By ", "(", ")", "[", "]", "/", "|", ".", " ",
    "  ", "-", " - ", "AP", "AFP", "Reuters", "EFE", "Yonhap", "Getty Images", "Planet Labs PBC", "Handout", "x",
    "said", "\u0130", "\u017f", "\u25b2", "Tuesday.", "the council", "2023",
])
_CREDIT_LINES = st.lists(_CREDIT_PIECES, min_size=1, max_size=10).map("".join)


def _texts_of(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [t for v in value for t in _texts_of(v)]
    return []


def _assert_gated_as_ungated(text: str) -> None:
    for line in make_page(text).lines:
        assert BCR.credit_spans(line) == (BCR.agency_span(line), BCR.caption_span(line)), line.raw
        either = R._EITHER_START(line.form)
        assert bool(either) == bool(R._WHOLE_START(line.form) or R._LEADING_START(line.form)), line.raw


def test_source_and_agency_names_end_in_a_letter():
    # (credit_spans takes a line ending in such a name for one whose last character is a letter)
    assert all(name[-1].isalpha() for name in F.PHOTO_SOURCE_NAMES + F.AGENCY_NAMES)


@settings(max_examples=800, deadline=None)
@given(st.lists(st.one_of(_CREDIT_LINES, st.sampled_from(_LINES)), min_size=1, max_size=6).map("\n".join))
def test_credit_spans_are_what_the_credit_rules_find(text):
    _assert_gated_as_ungated(text)


@settings(max_examples=300, deadline=None)
@given(_PAGES)
def test_gates_on_pages_of_furniture(text):
    _assert_gated_as_ungated(text)


def test_gates_on_the_golden_cases_and_the_dev_corpus(shared_dir):
    for path in sorted(_CASES.glob("*.json")):
        for text in _texts_of(json.loads(path.read_text())):
            if text.strip():
                _assert_gated_as_ungated(text)
    for doc in read_corpus(shared_dir / "dev" / "corpus.jsonl").documents:
        _assert_gated_as_ungated(doc.text)
