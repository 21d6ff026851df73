"""The exact edit script of a diff: aligned sentence groups diffed word by word, the rest as whole
sentences deleted and inserted.

The concatenation of the script's `old` parts is the source and of its `new` parts the copy,
character for character (`apply_script`, `revert_script`). Word edits are merged into phrase-level
changes (see `word_edits`).
"""
from __future__ import annotations

import bisect
import difflib
import re
from itertools import accumulate
from dataclasses import dataclass
from typing import Iterable, Sequence

from .align import SentencePair
from .text import Sentence
from .types import Span

# A text is cut once into pieces: runs of whitespace, words (letters and digits with the combining
# marks of Indic scripts and inner apostrophes), one character of the scripts written without spaces,
# any other single character. Diff units are the non-space pieces.
_NO_SPACE = "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_MARKS = "\u0300-\u036f\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0900-\u0963\u0966-\u0dff'\u2019"
_PIECE_RE = re.compile(rf"\s+|[^\W{_NO_SPACE}]+(?:[{_MARKS}]+[^\W{_NO_SPACE}]*)*|.", re.DOTALL)

_BRIDGE_CHARS = frozenset("'\u2019-")  # marks inside a phrase: an edit may be merged across them
MAX_BRIDGE_WORDS = 1  # unchanged words between two edits that still make them one change...
MAX_BRIDGE_SHORT_WORDS = 2  # ... or this many short words (SHORT_WORD letters at most each)
SHORT_WORD = 3
BOILERPLATE_SHARE = 0.5  # an added sentence is boilerplate when the finder covers this much of it


@dataclass(frozen=True)
class Edit:
    """One step of the exact edit script, in reading order of both texts.

    op: "equal", "replace", "insert" or "delete". kind says what the step is: "same" (unchanged
    words), "change" (a phrase reworded inside an aligned sentence), "space" (whitespace between
    sentences), "removed" / "added" (a whole sentence with the whitespace after it), "moved-out" /
    "moved-in" (a sentence aligned out of order, deleted where it was and inserted where it is).
    """

    op: str
    old: str
    new: str
    source_start: int
    copy_start: int
    kind: str
    source_sentence: int | None = None
    copy_sentence: int | None = None
    boilerplate: bool = False
    rule: str | None = None


def apply_script(script: Iterable[Edit], source: str) -> str:
    """Replay the script on `source`: the copy. Raises ValueError if `source` is not its source."""
    out, pos = [], 0
    for edit in script:
        if edit.source_start != pos or source[pos:pos + len(edit.old)] != edit.old:
            raise ValueError(f"the script does not apply to this source at character {pos}")
        out.append(edit.new)
        pos += len(edit.old)
    if pos != len(source):
        raise ValueError(f"the script ends at character {pos} of a {len(source)}-character source")
    return "".join(out)


def revert_script(script: Iterable[Edit], copy: str) -> str:
    """Replay the script backwards on `copy`: the source."""
    return apply_script([Edit(e.op, e.new, e.old, e.copy_start, e.source_start, e.kind)
                         for e in script], copy)


@dataclass(frozen=True)
class Units:
    """The non-space pieces of a text, cut once: starts, ends, and whether each is a word."""

    starts: list[int]
    ends: list[int]
    is_word: list[bool]

    @classmethod
    def of(cls, text: str) -> "Units":
        pieces = _PIECE_RE.findall(text)
        ends = list(accumulate(map(len, pieces)))
        keep = [k for k, piece in enumerate(pieces) if not piece.isspace()]
        return cls([ends[k] - len(pieces[k]) for k in keep], [ends[k] for k in keep],
                   [pieces[k][0].isalnum() for k in keep])

    def within(self, start: int, end: int) -> tuple[list[int], list[int], list[bool]]:
        """Units of text[start:end] (clipped at its ends); leading whitespace is a unit of its own."""
        lo, hi = bisect.bisect_right(self.ends, start), bisect.bisect_left(self.starts, end)
        starts, ends, is_word = self.starts[lo:hi], self.ends[lo:hi], self.is_word[lo:hi]
        if starts:
            starts[0], ends[-1] = max(starts[0], start), min(ends[-1], end)
        if start < end and (not starts or starts[0] > start):
            starts.insert(0, start)
            ends.insert(0, starts[1] if len(starts) > 1 else end)
            is_word.insert(0, False)
        return starts, ends, is_word


def _bridgeable(keys: list[str], is_word: list[bool], lo: int, hi: int) -> bool:
    """Whether the unchanged units [lo, hi) between two edits are few and plain enough to merge."""
    word_lengths = []
    for k in range(lo, hi):
        if is_word[k]:
            word_lengths.append(len(keys[k]))
        elif not (keys[k].isspace() or keys[k] in _BRIDGE_CHARS):
            return False
    if len(word_lengths) <= MAX_BRIDGE_WORDS:
        return True
    return len(word_lengths) <= MAX_BRIDGE_SHORT_WORDS and max(word_lengths) <= SHORT_WORD


def word_edits(source: str, copy: str, source_span: tuple[int, int], copy_span: tuple[int, int],
               units: tuple[Units, Units] | None = None) -> list[tuple[str, int, int, int, int]]:
    """Phrase-level edit steps turning source[source_span] into copy[copy_span].

    Returns (op, source_start, source_end, copy_start, copy_end) steps covering both spans in order,
    op in "equal", "replace", "insert", "delete". Words and punctuation are diffed (each unit owns
    the whitespace after it; whitespace that differs between equal units is a step of its own).
    Word edits separated only by whitespace, a hyphen or an apostrophe and at most one word (or two
    short ones) are merged into one change.
    """
    source_units, copy_units = units or (Units.of(source), Units.of(copy))
    (s0, s1), (c0, c1) = source_span, copy_span
    a_starts, a_ends, a_word = source_units.within(s0, s1)
    b_starts, b_ends, b_word = copy_units.within(c0, c1)
    a_bounds, b_bounds = a_starts + [s1], b_starts + [c1]
    a_keys = [source[x:y] for x, y in zip(a_starts, a_ends)]
    b_keys = [copy[x:y] for x, y in zip(b_starts, b_ends)]
    opcodes = difflib.SequenceMatcher(None, a_keys, b_keys, autojunk=False).get_opcodes()
    merged: list[list] = []  # [op, i1, i2, j1, j2] in units
    for op, i1, i2, j1, j2 in opcodes:
        if op != "equal" and len(merged) >= 2 and merged[-1][0] == "equal" and merged[-2][0] != "equal" \
                and _bridgeable(a_keys, a_word, merged[-1][1], merged[-1][2]):
            merged.pop()
            merged[-1][2], merged[-1][4] = i2, j2
        elif op != "equal" and merged and merged[-1][0] != "equal":
            merged[-1][2], merged[-1][4] = i2, j2
        else:
            merged.append([op, i1, i2, j1, j2])
    steps: list[list] = []

    def add(op, a0, a1, b0, b1):
        if a0 == a1 and b0 == b1:
            return
        if op != "equal" and steps and steps[-1][0] != "equal":
            steps[-1][2], steps[-1][4] = a1, b1
        else:
            steps.append([op, a0, a1, b0, b1])

    for op, i1, i2, j1, j2 in merged:
        if op != "equal":
            add("change", a_bounds[i1], a_bounds[i2], b_bounds[j1], b_bounds[j2])
            continue
        a_pos, b_pos = a_bounds[i1], b_bounds[j1]
        for ua, ub in zip(range(i1, i2), range(j1, j2)):
            a_gap, b_gap = (a_ends[ua], a_bounds[ua + 1]), (b_ends[ub], b_bounds[ub + 1])
            if source[a_gap[0]:a_gap[1]] != copy[b_gap[0]:b_gap[1]]:
                add("equal", a_pos, a_gap[0], b_pos, b_gap[0])
                add("change", a_gap[0], a_gap[1], b_gap[0], b_gap[1])
                a_pos, b_pos = a_gap[1], b_gap[1]
        add("equal", a_pos, a_bounds[i2], b_pos, b_bounds[j2])
    return _trimmed(steps, source, copy)


def _trimmed(steps: list[list], source: str, copy: str) -> list[tuple[str, int, int, int, int]]:
    """Changes without the whitespace they share at both ends (handed to the equal steps around)."""
    out: list[list] = []

    def put(op, a0, a1, b0, b1):
        if a0 == a1 and b0 == b1:
            return
        if out and out[-1][0] == op == "equal":
            out[-1][2], out[-1][4] = a1, b1
        else:
            out.append([op, a0, a1, b0, b1])

    for op, a0, a1, b0, b1 in steps:
        if op == "equal":
            put(op, a0, a1, b0, b1)
            continue
        lead = 0
        while a0 + lead < a1 and b0 + lead < b1 and source[a0 + lead] == copy[b0 + lead] \
                and source[a0 + lead].isspace():
            lead += 1
        trail = 0
        while a1 - trail > a0 + lead and b1 - trail > b0 + lead and source[a1 - trail - 1] == \
                copy[b1 - trail - 1] and source[a1 - trail - 1].isspace():
            trail += 1
        put("equal", a0, a0 + lead, b0, b0 + lead)
        x0, x1, y0, y1 = a0 + lead, a1 - trail, b0 + lead, b1 - trail
        put("replace" if x1 > x0 and y1 > y0 else ("delete" if x1 > x0 else "insert"), x0, x1, y0, y1)
        put("equal", a1 - trail, a1, b1 - trail, b1)
    return [tuple(step) for step in out]


def _nonspace(text: str) -> int:
    return len("".join(text.split()))


def _covered(spans: Sequence[Span], start: int, end: int, text: str) -> tuple[bool, str | None]:
    """Whether boilerplate spans cover most of text[start:end], and the rule covering most of it."""
    total = _nonspace(text[start:end])
    if not spans or total == 0:
        return False, None
    by_rule: dict[str, int] = {}
    for span in spans:
        lo, hi = max(start, span.start), min(end, span.end)
        if lo < hi:
            by_rule[span.rule] = by_rule.get(span.rule, 0) + _nonspace(text[lo:hi])
    covered = sum(by_rule.values())
    if covered < BOILERPLATE_SHARE * total:
        return False, None
    return True, max(sorted(by_rule), key=by_rule.__getitem__)


def _groups(pairs: Sequence[SentencePair]) -> list[tuple[list[int], list[int], float]]:
    """In-order aligned pairs joined into groups (a split or merged sentence with its parts),
    kept only while they stay in order in both texts."""
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    in_order = [p for p in pairs if not p.moved and p.source is not None and p.copy is not None]
    for p in in_order:
        parent[find(("s", p.source))] = find(("c", p.copy))
    members: dict[tuple[str, int], list[SentencePair]] = {}
    for p in in_order:
        members.setdefault(find(("c", p.copy)), []).append(p)
    groups = []
    for group in members.values():
        src = sorted({p.source for p in group})
        cpy = sorted({p.copy for p in group})
        groups.append((src, cpy, max(p.similarity for p in group)))
    groups.sort(key=lambda g: (g[1][0], g[0][0]))
    kept, last_s, last_c = [], -1, -1
    for src, cpy, sim in groups:
        if src[0] > last_s and cpy[0] > last_c and src[-1] - src[0] == len(src) - 1 \
                and cpy[-1] - cpy[0] == len(cpy) - 1:
            kept.append((src, cpy, sim))
            last_s, last_c = src[-1], cpy[-1]
    return kept


def _sentence_at(sents: Sequence[Sentence], starts: list[int], pos: int, lo: int, hi: int) -> int:
    return min(max(bisect.bisect_right(starts, pos) - 1, lo), hi)


def _sentences_within(sents: Sequence[Sentence], starts: list[int], start: int, end: int) -> list[int]:
    return list(range(bisect.bisect_left(starts, start), bisect.bisect_left(starts, end)))


def _op(old: str, new: str) -> str:
    return "equal" if old == new else ("replace" if old and new else ("delete" if old else "insert"))


def _gap_edits(text: tuple[str, str], sents: tuple[Sequence[Sentence], Sequence[Sentence]],
               starts: tuple[list[int], list[int]], span: tuple[int, int, int, int],
               moved_source: set[int], moved_copy: set[int], copy_boilerplate: Sequence[Span]) -> list[Edit]:
    """Edits for the stretch between two aligned groups: whole sentences deleted, then inserted."""
    source, copy = text
    s0, s1, c0, c1 = span
    old, new = source[s0:s1], copy[c0:c1]
    if not old and not new:
        return []
    in_source = _sentences_within(sents[0], starts[0], s0, s1)
    in_copy = _sentences_within(sents[1], starts[1], c0, c1)
    if not in_source and not in_copy:
        return [Edit(_op(old, new), old, new, s0, c0, "space")]
    p = 0
    while p < min(len(old), len(new)) and old[p] == new[p] and old[p].isspace():
        p += 1
    q = 0
    while q < min(len(old), len(new)) - p and old[-1 - q] == new[-1 - q] and old[-1 - q].isspace():
        q += 1
    edits = [Edit("equal", old[:p], new[:p], s0, c0, "space")] if p else []
    ms, mc, es, ec = s0 + p, c0 + p, s1 - q, c1 - q  # the middle of the gap on both sides
    fs = sents[0][in_source[0]].start if in_source else es  # its first sentences
    fc = sents[1][in_copy[0]].start if in_copy else ec
    if fs > ms or fc > mc:  # whitespace before them (or all there is on one side)
        edits.append(Edit(_op(source[ms:fs], copy[mc:fc]), source[ms:fs], copy[mc:fc], ms, mc, "space"))
    cuts = [sents[0][k].start for k in in_source] + [es]
    for k, a, b in zip(in_source, cuts, cuts[1:]):
        kind = "moved-out" if k in moved_source else "removed"
        edits.append(Edit("delete", source[a:b], "", a, fc, kind, source_sentence=k))
    cuts = [sents[1][k].start for k in in_copy] + [ec]
    for k, a, b in zip(in_copy, cuts, cuts[1:]):
        kind = "moved-in" if k in moved_copy else "added"
        bp, rule = (False, None) if kind == "moved-in" else _covered(
            copy_boilerplate, sents[1][k].start, sents[1][k].end, copy)
        edits.append(Edit("insert", "", copy[a:b], es, a, kind, copy_sentence=k, boilerplate=bp, rule=rule))
    if q:
        edits.append(Edit("equal", old[len(old) - q:], new[len(new) - q:], s1 - q, c1 - q, "space"))
    return edits


