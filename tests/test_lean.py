"""Lean stand-ins: packed figures equal the dict, spilled spans equal the tuple and outlive the scan
only as long as a result holds them."""
from __future__ import annotations

import gc
import json
import os
import pickle

from hypothesis import given, strategies as st

from dedup.lean import PackedFeatures, SpanSource, SpilledSpans
from dedup.store import ScanSpace, write_records
from dedup.types import Match, Span

names = st.text(alphabet="abcdefgh_", min_size=1, max_size=8)


@given(st.dictionaries(names, st.floats(allow_nan=False, allow_infinity=False), max_size=12))
def test_packed_features_are_the_dict(features):
    packed = PackedFeatures.pack(features)
    assert packed == features and features == packed
    assert dict(packed) == features and list(packed) == list(features)
    assert json.dumps(dict(packed)) == json.dumps(features)
    assert pickle.loads(pickle.dumps(packed)) == features
    m = Match("a", "b", 0.5, 0.5, 0.5, None, 0.1, features)
    assert Match("a", "b", 0.5, 0.5, 0.5, None, 0.1, packed) == m


def test_features_that_are_not_all_floats_stay_as_they_are():
    features = {"jaccard": 0.5, "pairs": 3}
    assert PackedFeatures.pack(features) is features


def test_spilled_spans_read_back_and_go_away_with_their_holders(tmp_path):
    spans = (Span(0, 11, "Advertising", "ad-label"), Span(40, 52, "Share this:", "share"))
    space = ScanSpace(tmp_path)
    offsets, lengths = write_records(space.file("spans-3.bin"), [(), spans])
    lazy = SpilledSpans(3, int(offsets[1]), int(lengths[1]), len(spans))
    lazy.source = SpanSource(space, str(space.path))
    del space
    gc.collect()
    assert os.listdir(tmp_path)  # held by the spans
    assert len(lazy) == 2 and tuple(lazy) == spans and lazy == spans and spans == lazy
    assert lazy[1].rule == "share" and hash(lazy) == hash(spans)
    assert pickle.loads(pickle.dumps(lazy)) == spans and type(pickle.loads(pickle.dumps(lazy))) is tuple
    del lazy
    gc.collect()
    assert os.listdir(tmp_path) == []
