"""Typesetting for the generated corpus: text as most news sites publish it (not ASCII)."""
from __future__ import annotations

import json

_OPENING_BEFORE = frozenset(" \n([")  # a quote after one of these (or at the start) opens


def typeset(text: str) -> str:
    """The text as most news sites publish it: curly double and single quotes and apostrophes, and
    an em dash for a spaced hyphen. Folding (dedup.text.fold_chars) gives the text back."""
    out = []
    for i, c in enumerate(text):
        opening = i == 0 or text[i - 1] in _OPENING_BEFORE
        if c == '"':
            c = "\u201c" if opening else "\u201d"
        elif c == "'":
            c = "\u2018" if opening else "\u2019"
        elif c == "-" and 0 < i < len(text) - 1 and text[i - 1] == " " and text[i + 1] == " ":
            c = "\u2014"
        out.append(c)
    return "".join(out)


def typeset_lines(lines: str) -> str:
    """JSON lines of records with their texts and titles typeset."""
    return "".join(json.dumps({k: typeset(v) if k in ("text", "title") and isinstance(v, str) else v
                               for k, v in json.loads(line).items()}) + "\n" for line in lines.splitlines())
