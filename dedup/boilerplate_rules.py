"""Single-document furniture rules: each small, named, and kept in the `RULES` registry.

A document is seen as a `Page`: its non-blank lines with offsets into the original text and a
normalised form. Each rule takes the page and yields (start, end) stretches of the original text;
`dedup.boilerplate` runs them all and names every span after the rule that found it.

The rules are conservative on purpose: phrase families only fire on a line that is nothing but the
phrase (or starts with a notice and stays short); structural rules look at the head and the tail
of the page, at lines repeated in the page, and at caption credits. A sentence of the article body
is never a whole-line phrase, a date, a byline or a caption credit. Here: phrase families, link
lists, dates, weather, stamps, bylines, repeated lines and the registry; the credit and caption
rules are in `boilerplate_credits`, the rules of the page's head in `boilerplate_head`.

Speed (every document goes through here, twice in a scan): a costly pattern is only tried on a line
that passes a cheap necessary condition of it (its first characters, its last character, a digit,
a name ending the line; see `boilerplate_prefilters`), so skipping changes no result; what several
rules share is computed once per page (`Page.memo`), and phrase results once per line form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import regex

from . import boilerplate_phrases as P
from . import boilerplate_prefilters as F
from .boilerplate_credits import agency_credit, caption_repeat, photo_credit
from .boilerplate_head import HEAD_LINES, dateline, section_glued_headline, section_label, site_name_glued
from .boilerplate_page import _DATE_LABEL, _MARKERS, SENTENCE_END_CHARS, Line, Page, whole as _whole
from .text import fold

SHORT_WORDS = 14  # a "short" title-like line of a link list


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    find: Callable[[Page], Iterable[tuple[int, int]]]


# ---- phrase families -------------------------------------------------------------------------

_WHOLE = {family: P.compile_whole(patterns) for family, patterns in P.WHOLE.items()}
_LEADING = {family: P.compile_leading(patterns) for family, patterns in P.LEADING.items()}
# any family at all: one pattern tried first, as most lines are none
_ANY_WHOLE = P.compile_whole([p for patterns in P.WHOLE.values() for p in patterns])
_ANY_LEADING = P.compile_leading([p for patterns in P.LEADING.values() for p in patterns])
_WHOLE_START = F.start_test(_ANY_WHOLE.pattern)
_LEADING_START = F.leading_start_test([p for patterns in P.LEADING.values() for p in patterns])
# either test in one call (most lines pass neither): matches where one of the two matches
_EITHER_START = re.compile(f"(?:{_WHOLE_START.__self__.pattern})|(?:{_LEADING_START.__self__.pattern})").match


def phrase_families(page: Page) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per line, the phrase families it is whole, and those it starts with (when short enough);
    found once per page."""
    found = page.memo.get("phrases")
    if found is None:
        found = page.memo["phrases"] = [_families(line.form, line.n_words) for line in page.lines]
    return found


def _line_families(families: tuple[tuple[str, ...], tuple[str, ...]]) -> tuple[str, ...]:
    """The families flagging a line (each once) from its (whole, leading) families."""
    whole, leading = families
    return tuple(dict.fromkeys(whole + leading)) if leading else whole


def _phrase_lines(page: Page) -> dict[str, list[int]]:
    """Family -> the indices of the lines it flags."""
    hits = page.memo.get("phrase lines")
    if hits is None:
        hits = page.memo["phrase lines"] = {}
        for i, families in enumerate(phrase_families(page)):
            if families is not _NONE:
                for family in _line_families(families):
                    hits.setdefault(family, []).append(i)
    return hits


_NONE: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
_MEMO: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # furniture lines recur across pages
_MEMO_SIZE = 20_000


def _families(form: str, n_words: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    if n_words <= P.LEADING_MAX_WORDS:
        if not _EITHER_START(form):
            return _NONE
        whole_may, leading_may = _WHOLE_START(form), _LEADING_START(form)
    else:
        whole_may, leading_may = _WHOLE_START(form), False
        if not whole_may:
            return _NONE
    found = _MEMO.get(form)  # (n_words is a function of the form)
    if found is None:
        whole: tuple[str, ...] = ()
        if whole_may and _ANY_WHOLE.fullmatch(form):
            whole = tuple(f for f, r in _WHOLE.items() if r.fullmatch(form))
        leading: tuple[str, ...] = ()
        if leading_may and _ANY_LEADING.match(form):
            leading = tuple(f for f, r in _LEADING.items() if r.match(form))
        found = (whole, leading)
        if len(_MEMO) >= _MEMO_SIZE:
            _MEMO.clear()
        _MEMO[form] = found
    return found


def _phrase_rule(family: str) -> Callable[[Page], Iterator[tuple[int, int]]]:
    def find(page: Page) -> Iterator[tuple[int, int]]:
        for i in _phrase_lines(page).get(family, ()):
            yield _whole(page.lines[i])

    return find


def _title_like(line: Line, max_words: int = SHORT_WORDS) -> bool:
    return 1 <= line.n_words <= max_words and line.raw[-1] not in SENTENCE_END_CHARS


def related_list(page: Page) -> Iterator[tuple[int, int]]:
    """Short title-like lines right after a "Related posts"/"Read also" header: links elsewhere."""
    lines = page.lines
    phrases = phrase_families(page)
    headers = [i for i in _phrase_lines(page).get("related-header", ()) if "related-header" in phrases[i][0]]
    for i in headers:
        for nxt in lines[i + 1:]:
            if not _title_like(nxt, 16) or "related-header" in phrases[nxt.index][0]:
                break
            yield _whole(nxt)


def tail_link_list(page: Page) -> Iterator[tuple[int, int]]:
    """A run of at least three short title-like lines closing the page (links, tags, menus),
    anchored by furniture: a furniture phrase inside the run or just above it."""
    run: list[Line] = []
    for line in reversed(page.lines):
        if not _title_like(line):
            break
        run.append(line)
    if len(run) < 3 or len(run) >= len(page.lines):
        return
    phrases = phrase_families(page)
    if any(phrases[line.index][0] for line in [page.lines[-len(run) - 1]] + run):
        yield from (_whole(line) for line in run)


# ---- dates, weather, stamps, bylines ---------------------------------------------------------

_DATE_LINE = regex.compile(rf"(?:{P.DATE_LINE})(?:\s*[-|,]?\s*by [^,.;]{{1,40}})?\s*[.|]?")
_WEATHER = regex.compile(r"-?\d{1,3}(?:[.,]\d)? ?°? ?[fc](?: [\p{L} .'-]{2,30})?")
_PLACE = regex.compile(r"[\p{L} .'-]{2,30}")
_STAMP = regex.compile(rf"(?:{P.STAMP_WORDS})(?P<rest>(?:\s*(?::|on|at|le|el|am|em|il|pada|\d|by|\|)\s*.*)?)")


_ASCII_DIGIT = re.compile("[0-9]")


def _may_have_digit(raw: str) -> bool:
    """False when neither the line nor its form holds a digit (date patterns all need one)."""
    return not raw.isascii() or _ASCII_DIGIT.search(raw) is not None


def date_widget(page: Page) -> Iterator[tuple[int, int]]:
    """A line that is only a date (and time, and maybe a byline): a date widget or stamp."""
    return (_whole(line) for line in page.lines if _is_date_line(line))


def _is_date_line(line: Line) -> bool:
    return line.n_words <= 14 and _may_have_digit(line.raw) and bool(
        _DATE_LINE.fullmatch(line.form) or _DATE_LABEL.fullmatch(line.raw))


def weather_widget(page: Page) -> Iterator[tuple[int, int]]:
    """A temperature line ("79.7 F") at the head, with the place name that follows it."""
    lines = page.lines[:HEAD_LINES + 2]
    for i, line in enumerate(lines):
        first = line.form[:1]  # (a temperature starts with "-" or a digit)
        if (first == "-" or first.isdigit()) and _WEATHER.fullmatch(line.form):
            yield _whole(line)
            if i + 1 < len(lines) and lines[i + 1].n_words <= 4 and _PLACE.fullmatch(lines[i + 1].form):
                yield _whole(lines[i + 1])


def publish_stamp(page: Page) -> Iterator[tuple[int, int]]:
    """"Published", "Updated: 13 July 2024 10:05", "Veröffentlicht am ..." lines."""
    return (_whole(line) for line in page.lines if _is_stamp_line(line))


def _is_stamp_line(line: Line) -> bool:
    m = _STAMP.fullmatch(line.form) if line.n_words <= 12 else None
    if m:
        rest = m.group("rest").strip(" :|.-")
        return not rest or regex.search(r"\d|\bby\b", rest) is not None
    return False


_NAME = r"\p{Lu}[\p{L}'.\-]*(?:\s+(?:\p{Lu}[\p{L}'.\-]*|van|von|de|da|del|der|di|la|le|bin|binti)){0,4}"
_BYLINE = regex.compile(
    rf"(?:By|BY|by|Por|POR|Par|PAR|Von|VON|Oleh|OLEH|Di|di)\s+{_NAME}"
    rf"(?:\s*(?:,|and|&|y|et|und|e|dan)\s+{_NAME})*(?:\s*[,|\-–]\s*[^.!?]{{0,40}})?"
)

_BYLINE_WORDS = ("by", "por", "par", "von", "oleh", "di")  # how a byline's form starts


def byline(page: Page) -> Iterator[tuple[int, int]]:
    """"By Jane Doe", "Por María Pérez", "Von Max Muster, Berlin": a short line of names."""
    return (_whole(line) for line in page.lines if _is_byline(line))


def _is_byline(line: Line) -> bool:
    return line.n_words <= 12 and line.form.startswith(_BYLINE_WORDS) and _BYLINE.fullmatch(
        _MARKERS.sub("", fold(line.raw)).strip()) is not None


def repeated_line(page: Page) -> Iterator[tuple[int, int]]:
    """A line of 3 to 25 words (headline, caption, widget) shown again later in the page: the
    later copies go. Longer repeated paragraphs are left alone."""
    seen: set[str] = set()
    for line in page.lines:
        if 3 <= line.n_words <= 25:
            if line.form in seen:
                yield _whole(line)
            seen.add(line.form)


# ---- the registry ----------------------------------------------------------------------------

def _phrase(name: str, description: str) -> Rule:
    return Rule(name, description, _phrase_rule(name))


RULES: dict[str, Rule] = {r.name: r for r in (
    _phrase("comment-form", "comment forms and their notices (Leave a Reply, Tinggalkan Balasan, ...)"),
    _phrase("related-header", "headers of link lists (Related posts, Read more, Baca juga, ...)"),
    Rule("related-list", "short title lines under a related header", related_list),
    _phrase("source-link", "Source link, Source: ..., Fuente, Quelle, Sumber"),
    _phrase("share-prompt", "share and follow prompts"),
    _phrase("newsletter-prompt", "newsletter and subscription prompts"),
    _phrase("cookie-notice", "cookie notices"),
    _phrase("copyright", "copyright lines and All rights reserved"),
    _phrase("agency-blurb", "an agency's description of itself, syndication disclaimers"),
    _phrase("reporting-credit", "(Reporting by ...; Editing by ...)"),
    _phrase("media-notice", "ads, video and gallery widgets, navigation, separators"),
    Rule("date-widget", "a line that is only a date (and time)", date_widget),
    Rule("weather-widget", "a temperature and its place at the head", weather_widget),
    Rule("publish-stamp", "Published / Updated stamps", publish_stamp),
    Rule("byline", "By Jane Doe", byline),
    Rule("agency-credit", "a line that is only an agency name, or a closing (Agency) sign-off", agency_credit),
    Rule("dateline", "the wire dateline opening the first sentence (PLACE (Agency) -)", dateline),
    Rule("caption-repeat", "a caption shown twice, the second time with its credit", caption_repeat),
    Rule("photo-caption", "a caption with a photo credit, or the credit alone", photo_credit),
    Rule("section-glued-headline", "a section name glued to a repeated headline", section_glued_headline),
    Rule("site-name-glued", "a site name glued to the first sentence", site_name_glued),
    Rule("section-label", "a head line that is only a section name", section_label),
    Rule("repeated-line", "a line shown again later in the page", repeated_line),
    Rule("tail-link-list", "a run of short title lines closing the page", tail_link_list),
)}


