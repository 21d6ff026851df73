"""The scan's spill: records come back as written, the scan's directory goes away."""
from __future__ import annotations

import os

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
