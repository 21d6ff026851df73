"""A parent above engine.local.SPAWN_ABOVE resident bytes starts its pool's workers as new
interpreters (spawn) instead of forking itself: same scan result."""
from __future__ import annotations

from dedup.config import Config
from dedup.engine import local
from dedup.engine.local import LocalEngine, resident_bytes
from dedup.pipeline import scan
from dedup.types import Document

STORY = ("Harbour officials in Port Velden said on Tuesday that the old grain pier will close for repairs "
         "after divers found cracks in three of its wooden piles. The pier, built in 1911, handles most "
         "of the town's fishing catch. Boats will land at the ferry quay until the work ends in spring.")


def _docs() -> list[Document]:
    return [Document("orig", STORY + "\n\nSubscribe to our newsletter", date="2024-02-06", site="a.test"),
            Document("copy", "Coast Daily\n\n" + STORY, date="2024-02-07", site="b.test"),
            Document("trim", STORY.rsplit(". ", 1)[0] + ".", date="2024-02-08", site="c.test")] + \
           [Document(f"note-{i}", f"Note {i}: the library opens at {i} o'clock on weekdays and closes early "
                     f"on the first day of month {i}.") for i in range(8)]


def test_resident_bytes_is_this_process():
    assert resident_bytes() > 1 << 20


def test_spawned_workers_give_the_result_of_one_process(monkeypatch):
    one = scan(_docs(), Config(workers=1, batch_size=3))
    monkeypatch.setattr(local, "SPAWN_ABOVE", 0)
    spawned = scan(_docs(), Config(workers=2, batch_size=3))
    assert spawned.documents == one.documents and spawned.groups == one.groups
    assert spawned.matches == one.matches
    assert {m.id for g in spawned.groups for m in g.members} >= {"orig", "copy", "trim"}
    assert list(LocalEngine(2).map(abs, [-1, -2, 3])) == [1, 2, 3]


def _collector_enabled(_: int) -> bool:
    import gc

    return gc.isenabled()


def test_workers_collect_cycles_as_their_parent_does(monkeypatch):
    """A scan pauses the cyclic collector (dedup.pipeline); forked workers inherit that, spawned
    ones are told it; with the collector on, both have it on."""
    import gc

    for spawn in (False, True):
        monkeypatch.setattr(local, "SPAWN_ABOVE", 0 if spawn else 1 << 62)
        try:
            gc.disable()
            assert set(LocalEngine(2).map(_collector_enabled, range(4))) == {False}
        finally:
            gc.enable()
        assert set(LocalEngine(2).map(_collector_enabled, range(4))) == {True}
