"""Head rules: what sites put at the top of a page around the first sentence: the wire dateline
("LONDON (Reuters) - "), section and site names glued to a headline or to the first sentence, and
head lines that are only a section name. (Registered in `dedup.boilerplate_rules.RULES`.)"""
from __future__ import annotations

import re
from operator import itemgetter
from typing import Iterator

import regex

from . import boilerplate_phrases as P
from . import boilerplate_prefilters as F
from .boilerplate_page import _WORD, SENTENCE_END_CHARS, Line, Page, whole as _whole
from .text import fold

HEAD_LINES = 5  # lines at the top of a page where site names, sections and stamps sit
_RAW = itemgetter(Line._fields.index("raw"))


def _simple(s: str) -> str:
    return s.lower() if s.isascii() else fold(s).lower()


# "ADANA, Turkey (AP) — ", "LONDON (Reuters) - ", "NEW DELHI, March 3 (PTI) ", "Mumbai, Nov 5 (PTI) "
_DATELINE = regex.compile(
    rf"^(?:\p{{Lu}}[\p{{L}} .'\-]{{1,40}}?,\s*)?\p{{Lu}}[\p{{L}} .'\-]{{1,40}}(?:,[^\n()]{{1,40}})?\s*"
    rf"\((?i:{P.AGENCIES})\)\s*(?:[-\u2013\u2014:]\s*)?(?=\p{{Lu}}|\p{{N}}|[\"'\u201c])"
)


_AGENCY_NAMES = frozenset(F.AGENCY_NAMES)


def _may_open_with_dateline(raw: str) -> bool:
    """False when _DATELINE cannot match: it starts with a capital (Lu is isupper), and nothing before
    its "(" can be a "(" or ")", so its agency is what the line's first "(" and the next ")" enclose."""
    if not raw[0].isupper():
        return False
    opening = raw.find("(")
    closing = raw.find(")", opening + 1) if opening >= 0 else -1
    return closing > 0 and F.caseless(raw[opening + 1:closing]) in _AGENCY_NAMES


def dateline(page: Page) -> Iterator[tuple[int, int]]:
    """The wire dateline opening the first sentence ("LONDON (Reuters) - "): republishers drop or keep
    it, so it is furniture of the copy, not a change of wording. Only the dateline goes."""
    for line in page.lines[:12]:
        m = _DATELINE.match(line.raw) if line.n_words >= 8 and _may_open_with_dateline(line.raw) else None
        if m:
            yield line.start, line.start + m.end()
            return


def section_glued_headline(page: Page) -> Iterator[tuple[int, int]]:
    """"WorldPutin threatens ..." after the headline "Putin threatens ...": the section name and
    the repeated headline go (the first headline stays)."""
    head = page.lines[:HEAD_LINES + 2]
    # (lines of an ASCII text are ASCII, and _simple is their lower case)
    simple = list(map(str.lower, map(_RAW, head))) if page.text.isascii() else [_simple(line.raw) for line in head]
    titles: list[str] = []  # of the earlier lines of 3 words or more
    for j, line in enumerate(head):
        low = simple[j]
        if line.n_words >= 3:
            titles.append(low)
            if len(titles) == 1:
                continue
            ends_with_title = low.endswith(tuple(titles[:-1]))
        else:
            ends_with_title = bool(titles) and low.endswith(tuple(titles))
        if len(low) != len(line.raw) or not ends_with_title:  # (the test below, at C speed first)
            continue
        for earlier, title in zip(head[:j], simple):
            if earlier.n_words < 3 or len(low) <= len(title) or not low.endswith(title):
                continue
            prefix = line.raw[: len(low) - len(title)]
            words = _WORD.findall(prefix)
            if 1 <= len(words) <= 3 and prefix.strip() and not prefix[-1].isspace():
                yield line.start, line.start + len(prefix)
                yield line.start + len(prefix), line.end
                break


_ASCII_GLUE = re.compile("[a-z][A-Z]")
# The same shape with " " for whitespace: its end is the 4th " " (or the end), at or past where
# _FIRST_WORDS ends (the 4th whitespace character), so a glue starting before that is inside it
_FIRST_SPACED = re.compile("[^ ]*(?: [^ ]*){0,3}")
# What the first four words of _GLUED_HEAD's prefix can span: its words hold no whitespace and are
# joined by one whitespace character (its capital after the glue is the next character)
_FIRST_WORDS = regex.compile(r"\S*(?:\s\S*){0,3}")
_GLUED_HEAD = regex.compile(
    r"^(?P<prefix>(?:[\p{Lu}\d][\p{L}\d&.'\-]*\s){0,3}\p{Lu}[\p{L}]*?\p{Ll})(?=\p{Lu}\p{Ll}+\s)"
)


def site_name_glued(page: Page) -> Iterator[tuple[int, int]]:
    """"ENTRE NewsNorth Korea condemned ...": a site or section name glued to the first sentence
    at the head of the page. Only the name goes, and only when its last word is a site word."""
    for line in page.lines[:HEAD_LINES]:
        # (in ASCII, the glue is a lower-case letter then a capital, within the first four words)
        raw = line.raw
        if raw.isascii():
            # (the first glue: when it is past the four words, so are the others; searched only
            # where a glue starting inside the four words can be)
            glue = _ASCII_GLUE.search(raw, 0, _FIRST_SPACED.match(raw).end() + 1)
            if glue is None or glue.start() >= _FIRST_WORDS.match(raw).end():
                continue
        m = _GLUED_HEAD.match(raw)
        if not m:
            continue
        words = m.group("prefix").split()
        last = _WORD.findall(words[-1].casefold())
        if last and last[-1] in P.SITE_WORDS and line.n_words - len(words) >= 6:
            yield line.start, line.start + m.end()


_GLUED_SECTION = regex.compile(r"^(\p{Lu}\p{Ll}{2,})(?=\p{Lu})")


def section_label(page: Page) -> Iterator[tuple[int, int]]:
    """A head line that is only a section name ("World", "Sport"), or a section glued to a tag
    ("PoliticsNorth Korea")."""
    head = page.lines[:HEAD_LINES]
    for j, line in enumerate(head):
        if line.n_words == 1 and line.form.strip(" .:|") in P.SECTION_WORDS:
            yield _whole(line)
        elif line.n_words <= 4 and line.raw[-1] not in SENTENCE_END_CHARS:
            m = _GLUED_SECTION.match(line.raw)
            rest = _simple(line.raw[m.end():]) if m else ""
            if m and m.group(1).casefold() in P.SECTION_WORDS and all(_simple(e.raw) != rest for e in head[:j]):
                yield _whole(line)
