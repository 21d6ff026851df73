"""What a copy changed in its source, phrase by phrase.

`diff_texts(source, copy)` aligns the sentences of both texts (dedup.align), diffs the words of each
in-order aligned group of sentences and merges nearby word edits into phrase-level changes; the
sentences between aligned groups are removed (source) and added (copy) -- or moved when they are
aligned out of order. Added sentences are marked as site furniture when the boilerplate finder
covers most of them.

`Diff.script` is exact (dedup.diff_script): replaying it on the source gives the copy character for
character, and back. Renderings (word diff, JSON, HTML, styled runs for a terminal) live in
dedup.diff_render.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .align import SentencePair, align
from .diff_script import (Edit, Units, _covered, _gap_edits, _groups, _nonspace, _sentence_at,
                          apply_script, revert_script, word_edits)
from .text import Sentence, sentences
from .types import Document, Span

__all__ = ["Block", "Change", "Diff", "Edit", "Moved", "Part", "apply_script", "diff_texts",
           "revert_script", "word_edits"]


@dataclass(frozen=True)
class Change:
    """A phrase-level change inside an aligned pair of sentences (offsets into each text)."""

    op: str  # "replace", "insert" or "delete"
    old: str
    new: str
    source_start: int
    copy_start: int
    source_sentence: int | None
    copy_sentence: int | None
    moved: bool = False
    boilerplate: bool = False
    rule: str | None = None


@dataclass(frozen=True)
class Block:
    """A run of consecutive added (copy) or removed (source) sentences, [start, end) in its text."""

    text: str
    start: int
    end: int
    sentences: tuple[int, ...]
    boilerplate: bool = False
    rule: str | None = None


@dataclass(frozen=True)
class Moved:
    """A sentence aligned out of order, with the phrase-level changes made to it."""

    source_sentence: int
    copy_sentence: int
    similarity: float
    old: str
    new: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class Part:
    """The classification of one sentence of either text.

    kind: copy side "unchanged", "reworded" or "added"; source side "kept", "reworded" or
    "removed". counterpart: the sentences it is aligned with on the other side.
    """

    side: str
    sentence: int
    start: int
    end: int
    kind: str
    counterpart: tuple[int, ...] = ()
    similarity: float = 0.0
    moved: bool = False
    boilerplate: bool = False
    rule: str | None = None


@dataclass(frozen=True)
class Diff:
    source: str
    copy: str
    source_sentences: tuple[Sentence, ...]
    copy_sentences: tuple[Sentence, ...]
    pairs: tuple[SentencePair, ...]
    script: tuple[Edit, ...]
    changes: tuple[Change, ...]
    added: tuple[Block, ...]
    removed: tuple[Block, ...]
    moved: tuple[Moved, ...]
    source_parts: tuple[Part, ...]
    copy_parts: tuple[Part, ...]
    stats: dict


def _find_copy_boilerplate(copy: str) -> tuple[Span, ...]:
    try:
        from .boilerplate import find_boilerplate
    except ImportError:  # the boilerplate finder is optional for the diff
        return ()
    return tuple(find_boilerplate(Document(id="copy", text=copy)))


def diff_texts(source: str, copy: str, *, source_boilerplate: Sequence[Span] = (),
               copy_boilerplate: Sequence[Span] | None = None,
               min_similarity: float | None = None) -> Diff:
    """The phrase-level diff of `copy` against its `source`.

    copy_boilerplate None: found with dedup.boilerplate.find_boilerplate (none if that module is
    absent). min_similarity: least sentence similarity to align two sentences (align's default).
    """
    if copy_boilerplate is None:
        copy_boilerplate = _find_copy_boilerplate(copy)
    ss, cs = tuple(sentences(source)), tuple(sentences(copy))
    starts = ([s.start for s in ss], [s.start for s in cs])
    options = {} if min_similarity is None else {"min_similarity": min_similarity}
    pairs = align([s.text for s in ss], [s.text for s in cs], **options)
    units = (Units.of(source), Units.of(copy))
    groups = _groups(pairs)
    grouped_s = {i for g in groups for i in g[0]}
    grouped_c = {j for g in groups for j in g[1]}
    moved_pairs: list[SentencePair] = []
    for p in pairs:
        if p.source is not None and p.copy is not None and p.source not in grouped_s \
                and p.copy not in grouped_c and all(p.source != m.source and p.copy != m.copy
                                                    for m in moved_pairs):
            moved_pairs.append(p)
    moved_s, moved_c = {p.source for p in moved_pairs}, {p.copy for p in moved_pairs}
    script: list[Edit] = []
    s_pos = c_pos = 0
    for src, cpy, _ in groups:
        gs0, gs1, gc0, gc1 = ss[src[0]].start, ss[src[-1]].end, cs[cpy[0]].start, cs[cpy[-1]].end
        script += _gap_edits((source, copy), (ss, cs), starts, (s_pos, gs0, c_pos, gc0),
                             moved_s, moved_c, copy_boilerplate)
        for op, a0, a1, b0, b1 in word_edits(source, copy, (gs0, gs1), (gc0, gc1), units):
            old, new = source[a0:a1], copy[b0:b1]
            kind = "same" if op == "equal" else ("space" if (old + new).isspace() else "change")
            bp, rule = _covered(copy_boilerplate, b0, b1, copy) if kind == "change" else (False, None)
            script.append(Edit(op, old, new, a0, b0, kind,
                               _sentence_at(ss, starts[0], a0, src[0], src[-1]),
                               _sentence_at(cs, starts[1], b0, cpy[0], cpy[-1]), bp, rule))
        s_pos, c_pos = gs1, gc1
    script += _gap_edits((source, copy), (ss, cs), starts, (s_pos, len(source), c_pos, len(copy)),
                         moved_s, moved_c, copy_boilerplate)
    moved = tuple(_moved(source, copy, ss, cs, p, units, copy_boilerplate) for p in moved_pairs)
    return _summarise(source, copy, ss, cs, pairs, tuple(script), moved, groups,
                      source_boilerplate, copy_boilerplate)


def _moved(source: str, copy: str, ss: Sequence[Sentence], cs: Sequence[Sentence], pair: SentencePair,
           units: tuple[Units, Units], copy_boilerplate: Sequence[Span]) -> Moved:
    a, b = ss[pair.source], cs[pair.copy]
    changes = []
    for op, a0, a1, b0, b1 in word_edits(source, copy, (a.start, a.end), (b.start, b.end), units):
        old, new = source[a0:a1], copy[b0:b1]
        if op != "equal" and not (old + new).isspace():
            bp, rule = _covered(copy_boilerplate, b0, b1, copy)
            changes.append(Change(op, old, new, a0, b0, pair.source, pair.copy, True, bp, rule))
    return Moved(pair.source, pair.copy, pair.similarity, a.text, b.text, tuple(changes))


def _blocks(parts: Sequence[Part], kind: str, text: str) -> tuple[Block, ...]:
    """Consecutive sentences of `kind` with the same boilerplate status, as blocks of text."""
    blocks: list[list[Part]] = []
    for part in parts:
        if part.kind != kind:
            continue
        last = blocks[-1][-1] if blocks else None
        if last and last.sentence == part.sentence - 1 and (last.boilerplate, last.rule) == \
                (part.boilerplate, part.rule):
            blocks[-1].append(part)
        else:
            blocks.append([part])
    return tuple(Block(text[b[0].start:b[-1].end], b[0].start, b[-1].end,
                       tuple(p.sentence for p in b), b[0].boilerplate, b[0].rule) for b in blocks)


def _parts(side: str, sents: Sequence[Sentence], text: str, aligned: dict[int, list[SentencePair]],
           changed: set[int], boilerplate: Sequence[Span]) -> tuple[Part, ...]:
    names = ("kept", "removed") if side == "source" else ("unchanged", "added")
    out = []
    for k, sent in enumerate(sents):
        found = aligned.get(k)
        if found:
            other = tuple(sorted((p.copy if side == "source" else p.source) for p in found))
            out.append(Part(side, k, sent.start, sent.end, "reworded" if k in changed else names[0],
                            other, max(p.similarity for p in found), any(p.moved for p in found)))
        else:
            bp, rule = _covered(boilerplate, sent.start, sent.end, text)
            out.append(Part(side, k, sent.start, sent.end, names[1], boilerplate=bp, rule=rule))
    return tuple(out)


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


def _summarise(source: str, copy: str, ss: tuple[Sentence, ...], cs: tuple[Sentence, ...],
               pairs: tuple[SentencePair, ...], script: tuple[Edit, ...], moved: tuple[Moved, ...],
               groups: list, source_boilerplate: Sequence[Span],
               copy_boilerplate: Sequence[Span]) -> Diff:
    """Changes, blocks, the classification of every sentence of both texts, and the figures."""
    grouped_s = {i for g in groups for i in g[0]}
    grouped_c = {j for g in groups for j in g[1]}
    effective = [p for p in pairs if not p.moved and p.source in grouped_s and p.copy in grouped_c]
    moved_keys = {(m.source_sentence, m.copy_sentence) for m in moved}
    effective += [p for p in pairs if (p.source, p.copy) in moved_keys]
    by_source: dict[int, list[SentencePair]] = {}
    by_copy: dict[int, list[SentencePair]] = {}
    for p in effective:
        by_source.setdefault(p.source, []).append(p)
        by_copy.setdefault(p.copy, []).append(p)
    changes = [Change(e.op, e.old, e.new, e.source_start, e.copy_start, e.source_sentence,
                      e.copy_sentence, False, e.boilerplate, e.rule)
               for e in script if e.kind == "change"]
    changes += [c for m in moved for c in m.changes]
    changes.sort(key=lambda c: (c.copy_start, c.source_start))
    changed_s = {c.source_sentence for c in changes}
    changed_c = {c.copy_sentence for c in changes}
    source_parts = _parts("source", ss, source, by_source, changed_s, source_boilerplate)
    copy_parts = _parts("copy", cs, copy, by_copy, changed_c, copy_boilerplate)
    stats = _stats(source, copy, ss, cs, script, moved, source_parts, copy_parts, len(changes))
    return Diff(source, copy, ss, cs, pairs, script, tuple(changes),
                _blocks(copy_parts, "added", copy), _blocks(source_parts, "removed", source),
                moved, source_parts, copy_parts, stats)


def _stats(source: str, copy: str, ss: Sequence[Sentence], cs: Sequence[Sentence],
           script: Sequence[Edit], moved: Sequence[Moved], source_parts: Sequence[Part],
           copy_parts: Sequence[Part], n_changes: int) -> dict:
    """Shares of non-space characters: the source reused verbatim, reworded, removed; the copy
    unchanged, reworded, new content, boilerplate; and sentence counts."""
    same = sum(_nonspace(e.old) for e in script if e.kind == "same")
    reworded_s = sum(_nonspace(e.old) for e in script if e.kind == "change")
    reworded_c = sum(_nonspace(e.new) for e in script if e.kind == "change")
    moved_s = moved_c = 0
    for m in moved:
        old_changed = sum(_nonspace(c.old) for c in m.changes)
        new_changed = sum(_nonspace(c.new) for c in m.changes)
        same += _nonspace(m.old) - old_changed
        reworded_s += old_changed
        reworded_c += new_changed
        moved_s += _nonspace(m.old)
        moved_c += _nonspace(m.new)
    removed = sum(_nonspace(ss[p.sentence].text) for p in source_parts if p.kind == "removed")
    removed_bp = sum(_nonspace(ss[p.sentence].text) for p in source_parts
                     if p.kind == "removed" and p.boilerplate)
    new = sum(_nonspace(cs[p.sentence].text) for p in copy_parts if p.kind == "added" and not p.boilerplate)
    bp = sum(_nonspace(cs[p.sentence].text) for p in copy_parts if p.kind == "added" and p.boilerplate)
    n_s, n_c = _nonspace(source), _nonspace(copy)

    def count(parts, kind, **flags):
        return sum(1 for p in parts if p.kind == kind and all(getattr(p, f) == v for f, v in flags.items()))

    return {
        "source_chars": n_s, "copy_chars": n_c,
        "source_verbatim": _share(same, n_s), "source_reworded": _share(reworded_s, n_s),
        "source_removed": _share(removed, n_s), "source_removed_boilerplate": _share(removed_bp, n_s),
        "source_moved": _share(moved_s, n_s),
        "copy_unchanged": _share(same, n_c), "copy_reworded": _share(reworded_c, n_c),
        "copy_new": _share(new, n_c), "copy_boilerplate": _share(bp, n_c), "copy_moved": _share(moved_c, n_c),
        "source_sentences": len(ss), "copy_sentences": len(cs),
        "sentences_kept": count(source_parts, "kept"), "sentences_reworded": count(source_parts, "reworded"),
        "sentences_removed": count(source_parts, "removed"),
        "sentences_moved": len(moved), "sentences_added": count(copy_parts, "added"),
        "sentences_added_boilerplate": count(copy_parts, "added", boilerplate=True),
        "changes": n_changes,
    }
