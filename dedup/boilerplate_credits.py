"""Credit rules: agency names alone on a line or signing a line off, and photo captions with their
credits ("- Copyright AFP", "(AP Photo/...)", "...2023. Planet Labs PBC"), or shown twice.
(Registered in `dedup.boilerplate_rules.RULES`.)

Every costly pattern here is anchored at a line's end and only searched over its last characters,
after a cheap test of those characters (`dedup.boilerplate_prefilters`)."""
from __future__ import annotations

from itertools import compress, count
from operator import eq, itemgetter
from typing import Iterator

import regex

from . import boilerplate_phrases as P
from . import boilerplate_prefilters as F
from .boilerplate_page import _WORD, Line, Page, whole as _whole

# ---- agency names ------------------------------------------------------------------------------

_AGENCY_LINE = regex.compile(
    rf"[(\[\-]*\s*(?:by |source: |fuente: |quelle: |sumber: |fonte: |foto: |photo: )?(?:{P.AGENCIES})"
    rf"(?:[ /](?:staff|news|photo|photos|reporters?|file|/[\w ]{{1,30}}))?\s*[)\]]*\s*[.|]?"
)
_AGENCY_SIGNOFF = regex.compile(rf"\s*[(\[](?:{P.AGENCIES})[)\]]\s*$", regex.IGNORECASE)

def _tail_search(pattern: regex.Pattern, raw: str, chars: int = F.TAIL_CHARS):
    """Search a pattern anchored at the line's end, only over the line's last characters."""
    return pattern.search(raw, max(0, len(raw) - chars))


_CREDIT_WORDS = regex.compile(r"copyright|©|photo|foto|image|imagen|bild|picture|credit|cr[eé]dito|gambar|\(", regex.I)


def _credit_search(raw: str):
    tail = max(0, len(raw) - F.CREDIT_CHARS)
    if not F.may_end_in_credit(raw[tail:]):
        return None
    return _CREDIT_TAIL.search(raw, tail) if _CREDIT_WORDS.search(raw, tail) else None




def agency_credit(page: Page) -> Iterator[tuple[int, int]]:
    """A line that is only an agency's name ("AFP", "(AP)", "Reuters Staff"), or an agency closing
    a line: "... said. (Yonhap)", "... en X. EFE", a caption's "...Tuesday.AP" (only the name)."""
    for line in page.lines:
        span = agency_span(line)
        if span:
            yield span


def agency_span(line: Line) -> tuple[int, int] | None:
    if line.n_words <= 4 and _AGENCY_LINE.fullmatch(line.form):
        return _whole(line)
    if line.n_words > 2:
        raw = line.raw
        m = (raw[-1] in ")]" and _tail_search(_AGENCY_SIGNOFF, raw)) or (
            raw[-1].isalpha() and F.may_end_with_agency(raw) and _tail_search(_AGENCY_TAIL, raw))
        if m:
            return line.start + m.start() + (len(m.group()) - len(m.group().lstrip())), line.end
    return None


# ---- captions and credits --------------------------------------------------------------------

_CAPTION_START = regex.compile(r"^(?:[▲▼►▶]|(?:image|photo|foto|picture|imagen|bild|gambar|file photo)\s*:)", regex.I)
_CREDIT_TAIL = regex.compile(
    r"(?:\s[-–|]\s*(?:copyright|©)\s+[^.!?]{1,60}"
    r"|(?:(?<=[\s.,;\p{Ll}])|^)\(?(?:photo|photograph|foto|image|imagen|bild|picture|credit|credits|cr[eé]dito|gambar|fotograf[ií]a)s?\s*(?::|by)\s*[^.!?]{1,80}\)?"
    r"|\((?:ap|afp|reuters|epa|getty|ansa|efe|xinhua|ani|pti|dpa)[ /](?:photo|images?|file|/)[^()]{0,80}\))"
    r"\s*[|.]?\s*$",
    regex.I,
)
# A photo source glued or spaced after a caption's last sentence: "...2023. Planet Labs PBC".
_SOURCE_TAIL = regex.compile(
    rf"(?:(?<=[.!?'\")’”\]])\s*|(?<=\p{{Ll}}))(?=\p{{Lu}})"
    rf"(?i:{P.PHOTO_SOURCES})(?:/[\p{{L}} .]{{1,40}})?\s*[|.]?\s*$"
)
# An agency name closing a line, glued ("...Tuesday.AP") or after a sentence ("... en X. EFE").
_AGENCY_TAIL = regex.compile(rf"(?:(?<=[.!?'\")’”])\s*|(?<=\p{{Ll}}))(?=\p{{Lu}})(?i:{P.AGENCIES})\s*$")
CAPTION_MAX_WORDS = 60
_FORM, _HEAD = itemgetter(Line._fields.index("form")), itemgetter(slice(7))  # a line's form; its head
_CAPTION_FIRST = "▲▼►▶iIpPfFbBgG\u0130"  # what _CAPTION_START can start with (İ is an i in any case)


def photo_credit(page: Page) -> Iterator[tuple[int, int]]:
    """A caption ending in a credit ("- Copyright AFP ...", "Photo: ...", "(AP Photo/...)",
    "Credit: Getty Images", "...2023. Planet Labs PBC") or opened by a caption marker: the whole
    caption when it is caption sized, else only the credit. (A bare agency name at the end is left
    to `agency_credit`: an agency name also signs off article paragraphs.)"""
    for line in page.lines:
        span = caption_span(line)
        if span:
            yield span


def caption_span(line: Line) -> tuple[int, int] | None:
    raw = line.raw
    m = _credit_search(raw)
    if not m and F.may_end_with_source(raw):
        m = _tail_search(_SOURCE_TAIL, raw)
    if m or (raw[0] in _CAPTION_FIRST and _CAPTION_START.match(raw)):
        if line.n_words <= CAPTION_MAX_WORDS:
            return _whole(line)
        if m:
            return line.start + m.start(), line.end
    return None


# An ASCII line's end as far as may_end_with_source looks (its whitespace, "|" and "."): taking off
# any number of them leaves a source name closing the line where may_end_with_source sees one
# (names end in a letter)
_ASCII_END = "".join(c for c in map(chr, range(128)) if c.isspace()) + "|."


def credit_spans(line: Line) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """(agency_span(line), caption_span(line)). An ASCII line (most lines) is first put to tests
    that every match of these rules passes, on its lower case (which is its caseless form, see
    `boilerplate_prefilters.caseless`): most lines fail them all and cost a few string tests."""
    raw = line.raw
    if not raw.isascii():
        return agency_span(line), caption_span(line)
    low = raw.lower()
    last = raw[-1]
    # agency_span: a short line, a closing bracket, or an agency name ending the line
    agency = line.n_words <= 4 or last in ")]" or (last.isalpha() and low.endswith(F.AGENCY_NAMES))
    tail = low[-F.CREDIT_CHARS:]
    # caption_span: a caption marker's first character, or what may_end_in_credit (a "(", or
    # ":"/"by"/"copyright" and a credit word) or may_end_with_source (a "/", or a source name
    # closing the line; here not only its last characters) ask of the line's end
    caption = (raw[0] in _CAPTION_FIRST or "(" in tail or "/" in low[-F.TAIL_CHARS:]
               or ((":" in tail or "by" in tail or "copyright" in tail) and F.CREDIT_WORD.search(tail) is not None)
               or low.rstrip(_ASCII_END).endswith(F.PHOTO_SOURCE_NAMES))
    return agency_span(line) if agency else None, caption_span(line) if caption else None


def caption_repeat(page: Page) -> Iterator[tuple[int, int]]:
    """A caption shown twice: a line followed by a line that starts with it and adds a credit or
    a detail ("... north Korea." then "... North Korea on Monday.Planet Labs PBC"). Both go."""
    lines = page.lines
    # (4 words or more: the head is 7 characters or more) first the pairs of equal heads, at C speed
    heads = list(map(_HEAD, map(_FORM, lines)))
    for i in compress(count(), map(eq, heads, heads[1:])):
        a, b = lines[i], lines[i + 1]
        if a.n_words < 4 or b.n_words > CAPTION_MAX_WORDS or b.n_words - a.n_words > 12:
            continue
        head = a.form.rstrip(".!? ")
        if b.form.startswith(head) and _WORD.search(b.form[len(head):]):
            yield _whole(a)
            yield _whole(b)
