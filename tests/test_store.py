"""The scan's spill: records come back as written, the scan's directory goes away."""
from __future__ import annotations

import os

import numpy as np

from hypothesis import given, settings, strategies as st

from dedup.store import RecordWriter, ScanSpace, document_from_record, document_record, read_records, write_records
from dedup.types import Document


@settings(max_examples=30, deadline=None)
@given(st.lists(st.one_of(st.text(), st.integers(), st.lists(st.floats(allow_nan=False))), max_size=20),
       st.randoms(use_true_random=False))
def test_records_read_back_in_any_order(records, rnd):
    with ScanSpace() as space:
        path = space.file("r.bin")
        offsets, lengths = write_records(path, records)
        asked = list(range(len(records)))
        rnd.shuffle(asked)
        where = [(int(offsets[i]), int(lengths[i])) for i in asked]
        assert read_records(path, where) == [records[i] for i in asked]


def test_appended_records_and_documents_round_trip():
    docs = [Document("a", "Floods closed the coast road.", title="Road shut", date="2024-03-01",
                     site="example.test", origin="x.jsonl:1", extra={"lang": "en"}),
            Document("b", "")]
    with ScanSpace() as space:
        with RecordWriter(space.file("d.bin")) as out:
            where = [out.append(document_record(d)) for d in docs]
        back = [document_from_record(r) for r in read_records(space.file("d.bin"), where)]
    assert back == docs


def test_the_scan_directory_is_removed_on_close(tmp_path):
    space = ScanSpace(tmp_path)
    with open(space.file("x"), "w") as f:
        f.write("spill")
    assert os.listdir(tmp_path)
    space.close()
    assert os.listdir(tmp_path) == []


_DTYPES = st.sampled_from([np.uint32, np.uint64, np.int64, np.float64])


@st.composite
def _arrays(draw, two_d: bool = False):
    dtype = draw(_DTYPES)
    shape = (draw(st.integers(0, 6)), draw(st.integers(0, 4))) if two_d else (draw(st.integers(0, 40)),)
    values = draw(st.lists(st.integers(0, 2**31), min_size=int(np.prod(shape)), max_size=int(np.prod(shape))))
    return np.array(values, dtype=dtype).reshape(shape)


@given(st.text(max_size=12), st.integers(0, 10**6), _arrays(), _arrays(), _arrays(), _arrays(), _arrays(two_d=True))
@settings(max_examples=60, deadline=None)
def test_a_fingerprint_pickles_to_equal_writable_arrays(doc_id, n_tokens, shingles, signature, features, fsig, keys):
    """Fingerprint.__reduce__ packs the arrays as raw bytes: back come the same types, shapes and
    values, writable, for any array (empty ones and a [0, 0] sentence-key table included)."""
    import pickle

    from dedup.types import Fingerprint

    fp = Fingerprint(doc_id, n_tokens, shingles, signature, features, fsig, keys[:, ::2] if keys.size else keys)
    back = pickle.loads(pickle.dumps(fp, protocol=pickle.HIGHEST_PROTOCOL))
    assert (back.id, back.n_tokens) == (fp.id, fp.n_tokens)
    for name in ("shingles", "signature", "features", "feature_signature", "sentence_keys"):
        a, b = getattr(fp, name), getattr(back, name)
        assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b) and b.flags.writeable
    assert pickle.loads(pickle.dumps(Fingerprint("x", 0, *[np.zeros(0, np.uint32)] * 4))).sentence_keys.shape == (0, 0)
