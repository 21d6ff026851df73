"""Renderings of a Diff: word diff (exactly replayable), JSON-ready dict, HTML fragment, styled runs.

- `to_word(diff)`: the whole text with changes marked `[-old-]{+new+}` like git's word diff; literal
  backslashes and marker pairs in the texts are escaped with a backslash, so `word_replay(word,
  "source")` gives the source back and `word_replay(word, "copy")` the copy, exactly.
- `to_json(diff, source_name, copy_name)`: a dict of plain values for json.dumps.
- `to_html(diff)`: an escaped HTML fragment of the copy with changes, additions (new content `new`,
  site furniture `bp` with its rule in the title), removals and moved sentences marked.
- `to_runs(diff)`: (text, style) runs for a terminal view; the CLI turns them into colours.
"""
from __future__ import annotations

import html
import re
from typing import Any

from .diff import Change, Diff, Edit

_MARK_RE = re.compile(r"\\|\[-|-\]|\{\+|\+\}")
_ESCAPES = {"\\": "\\\\", "[-": "[\\-", "-]": "-\\]", "{+": "{\\+", "+}": "+\\}"}
# What ends a stretch of text in each state of the reader: an escape, or the next marker.
_NEXT_MARK = {"eq": re.compile(r"\\.|\\\Z|\[-|\{\+", re.DOTALL),
              "del": re.compile(r"\\.|\\\Z|-\]", re.DOTALL),
              "ins": re.compile(r"\\.|\\\Z|\+\}", re.DOTALL)}


def escape_word(text: str) -> str:
    """Escape backslashes and the word-diff markers "[-", "-]", "{+", "+}" in a literal text."""
    return _MARK_RE.sub(lambda m: _ESCAPES[m.group()], text)


def _pieces(script: tuple[Edit, ...]) -> list[tuple[str, str]]:
    """("eq" | "del" | "ins", text) pieces in script order, neighbours of one kind joined."""
    out: list[list[str]] = []
    for edit in script:
        parts = [("eq", edit.new)] if edit.op == "equal" else [("del", edit.old), ("ins", edit.new)]
        for kind, text in parts:
            if not text:
                continue
            if out and out[-1][0] == kind:
                out[-1][1] += text
            else:
                out.append([kind, text])
    return [(k, t) for k, t in out]


def to_word(diff: Diff) -> str:
    """The word diff: unchanged text as is, deletions `[-...-]`, insertions `{+...+}`."""
    opener = {"eq": "", "del": "[-", "ins": "{+"}
    closer = {"eq": "", "del": "-]", "ins": "+}"}
    return "".join(opener[k] + escape_word(t) + closer[k] for k, t in _pieces(diff.script))


def word_replay(word_text: str, side: str = "source") -> str:
    """The source (drop every {+...+}, unwrap every [-...-]) or the copy (the reverse) of a word diff."""
    if side not in ("source", "copy"):
        raise ValueError(f'side must be "source" or "copy", not {side!r}')
    keep = "del" if side == "source" else "ins"
    out: list[str] = []
    state, pos = "eq", 0
    while True:
        m = _NEXT_MARK[state].search(word_text, pos)
        end = m.start() if m else len(word_text)
        if state in ("eq", keep):
            out.append(word_text[pos:end])
        if not m:
            break
        token = m.group()
        if token == "\\":
            raise ValueError("the word diff ends with a lone backslash")
        if token.startswith("\\"):
            if state in ("eq", keep):
                out.append(token[1:])
        elif token == "[-":
            state = "del"
        elif token == "{+":
            state = "ins"
        else:
            state = "eq"
        pos = m.end()
    if state != "eq":
        raise ValueError("the word diff ends inside a change")
    return "".join(out)


def _change_dict(change: Change) -> dict[str, Any]:
    return {"op": change.op, "old": change.old, "new": change.new,
            "source_sentence": change.source_sentence, "copy_sentence": change.copy_sentence,
            "source_start": change.source_start, "copy_start": change.copy_start,
            "moved": change.moved, "boilerplate": change.boilerplate, "rule": change.rule}


def to_json(diff: Diff, source_name: str | None = None, copy_name: str | None = None) -> dict[str, Any]:
    """The diff as plain values: changes, added, removed, moved, every sentence classified, figures."""
    def part(p):
        return {"sentence": p.sentence, "start": p.start, "end": p.end, "kind": p.kind,
                "counterpart": list(p.counterpart), "similarity": p.similarity, "moved": p.moved,
                "boilerplate": p.boilerplate, "rule": p.rule}

    return {
        "source": source_name, "copy": copy_name,
        "changes": [_change_dict(c) for c in diff.changes],
        "added": [{"text": b.text, "boilerplate": b.boilerplate, "rule": b.rule, "start": b.start,
                   "end": b.end, "sentences": list(b.sentences)} for b in diff.added],
        "removed": [{"text": b.text, "boilerplate": b.boilerplate, "rule": b.rule, "start": b.start,
                     "end": b.end, "sentences": list(b.sentences)} for b in diff.removed],
        "moved": [{"source_sentence": m.source_sentence, "copy_sentence": m.copy_sentence,
                   "similarity": m.similarity, "old": m.old, "new": m.new,
                   "changes": [_change_dict(c) for c in m.changes]} for m in diff.moved],
        "sentences": {"source": [part(p) for p in diff.source_parts],
                      "copy": [part(p) for p in diff.copy_parts]},
        "stats": dict(diff.stats),
    }


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _change_html(old: str, new: str, boilerplate: bool = False, rule: str | None = None) -> str:
    cls = "chg bp" if boilerplate else "chg"
    title = f' title="boilerplate: {_e(rule)}"' if boilerplate and rule else ""
    out = f'<del class="{cls}">{_e(old)}</del>' if old else ""
    return out + (f'<ins class="{cls}"{title}>{_e(new)}</ins>' if new else "")


def _moved_html(diff: Diff, edit: Edit) -> str:
    """A moved sentence where it now stands, with the changes made to it."""
    moved = next((m for m in diff.moved if m.copy_sentence == edit.copy_sentence), None)
    body, pos = [], edit.copy_start
    for change in (moved.changes if moved else ()):
        body.append(_e(diff.copy[pos:change.copy_start]))
        body.append(_change_html(change.old, change.new, change.boilerplate, change.rule))
        pos = change.copy_start + len(change.new)
    end = edit.copy_start + len(edit.new)
    body.append(_e(diff.copy[pos:end]))
    source = f"source sentence {moved.source_sentence + 1}" if moved else "elsewhere in the source"
    return f'<span class="moved" title="moved from {source}">{"".join(body)}</span>'


def to_html(diff: Diff) -> str:
    """An HTML fragment of the copy: <del>/<ins class="chg"> for reworded phrases, <ins class="new">
    for added content, <ins class="bp" title="boilerplate: RULE"> for added site furniture,
    <del class="removed"> for cut sentences, <span class="moved"> for moved ones."""
    out = ['<div class="dedup-diff" style="white-space: pre-wrap">']
    for edit in diff.script:
        if edit.op == "equal":
            out.append(_e(edit.new))
        elif edit.kind == "change":
            out.append(_change_html(edit.old, edit.new, edit.boilerplate, edit.rule))
        elif edit.kind == "space":
            out.append(_e(edit.new))
        elif edit.kind == "removed":
            out.append(f'<del class="removed" title="removed from the source">{_e(edit.old)}</del>')
        elif edit.kind == "moved-out":
            out.append(f'<del class="moved-from" title="moved elsewhere in the copy">{_e(edit.old)}</del>')
        elif edit.kind == "added" and edit.boilerplate:
            out.append(f'<ins class="bp" title="boilerplate: {_e(edit.rule or "")}">{_e(edit.new)}</ins>')
        elif edit.kind == "added":
            out.append(f'<ins class="new" title="new content">{_e(edit.new)}</ins>')
        elif edit.kind == "moved-in":
            out.append(_moved_html(diff, edit))
    out.append("</div>")
    return "".join(out)


def to_runs(diff: Diff) -> list[tuple[str, str]]:
    """(text, style) runs of the copy for a terminal; styles: "" (unchanged), "del", "ins",
    "removed", "new", "bp", "moved", "moved-from"."""
    runs: list[tuple[str, str]] = []
    for edit in diff.script:
        if edit.op == "equal" or edit.kind == "space":
            runs.append((edit.new, ""))
        elif edit.kind == "change":
            runs += [(edit.old, "del"), (edit.new, "bp" if edit.boilerplate else "ins")]
        elif edit.kind == "removed":
            runs.append((edit.old, "removed"))
        elif edit.kind == "moved-out":
            runs.append((edit.old, "moved-from"))
        elif edit.kind == "added":
            runs.append((edit.new, "bp" if edit.boilerplate else "new"))
        elif edit.kind == "moved-in":
            runs.append((edit.new, "moved"))
    return [(text, style) for text, style in runs if text]
