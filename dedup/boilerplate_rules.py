"""Single-document furniture rules: each small, named, and kept in the `RULES` registry.

A document is seen as a `Page`: its non-blank lines with offsets into the original text and a
normalised form. Each rule takes the page and yields (start, end) stretches of the original text;
`dedup.boilerplate` runs them all and names every span after the rule that found it.

The rules are conservative on purpose: phrase families only fire on a line that is nothing but the
phrase (or starts with a notice and stays short); structural rules look at the head and the tail
of the page, at lines repeated in the page, and at caption credits. A sentence of the article body
is never a whole-line phrase, a date, a byline or a caption credit.

Speed (every document goes through here, twice in a scan): a costly pattern is only tried on a line
that passes a cheap necessary condition of it (its first characters, its last character, a digit,
a name ending the line; see `boilerplate_phrases`), so skipping changes no result; what several
rules share is computed once per page (`Page.memo`), and phrase results once per line form.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import regex

from . import boilerplate_phrases as P
from .boilerplate_page import _DATE_LABEL, _MARKERS, _WORD, Line, Page
from .text import fold

HEAD_LINES = 5  # lines at the top of a page where site names, sections and stamps sit
SHORT_WORDS = 14  # a "short" title-like line of a link list


@dataclass(frozen=True)
class Rule:
    name: str
    description: str
    find: Callable[[Page], Iterable[tuple[int, int]]]


def _whole(line: Line) -> tuple[int, int]:
    return line.start, line.end


# ---- phrase families -------------------------------------------------------------------------

_WHOLE = {family: P.compile_whole(patterns) for family, patterns in P.WHOLE.items()}
_LEADING = {family: P.compile_leading(patterns) for family, patterns in P.LEADING.items()}
# any family at all: one pattern tried first, as most lines are none
_ANY_WHOLE = P.compile_whole([p for patterns in P.WHOLE.values() for p in patterns])
_ANY_LEADING = P.compile_leading([p for patterns in P.LEADING.values() for p in patterns])
_WHOLE_START = P.start_test(_ANY_WHOLE.pattern)
_LEADING_START = P.leading_start_test([p for patterns in P.LEADING.values() for p in patterns])


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
    whole_may = _WHOLE_START(form)
    leading_may = n_words <= P.LEADING_MAX_WORDS and _LEADING_START(form)
    if not whole_may and not leading_may:
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


_SENTENCE_END_CHARS = frozenset(".!?\"'”’»)")  # a line ending in one ends a sentence


def _title_like(line: Line, max_words: int = SHORT_WORDS) -> bool:
    return 1 <= line.n_words <= max_words and line.raw[-1] not in _SENTENCE_END_CHARS


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
_AGENCY_LINE = regex.compile(
    rf"[(\[\-]*\s*(?:by |source: |fuente: |quelle: |sumber: |fonte: |foto: |photo: )?(?:{P.AGENCIES})"
    rf"(?:[ /](?:staff|news|photo|photos|reporters?|file|/[\w ]{{1,30}}))?\s*[)\]]*\s*[.|]?"
)
_AGENCY_SIGNOFF = regex.compile(rf"\s*[(\[](?:{P.AGENCIES})[)\]]\s*$", regex.IGNORECASE)


_BYLINE_WORDS = ("by", "por", "par", "von", "oleh", "di")  # how a byline's form starts


def byline(page: Page) -> Iterator[tuple[int, int]]:
    """"By Jane Doe", "Por María Pérez", "Von Max Muster, Berlin": a short line of names."""
    return (_whole(line) for line in page.lines if _is_byline(line))


def _is_byline(line: Line) -> bool:
    return line.n_words <= 12 and line.form.startswith(_BYLINE_WORDS) and _BYLINE.fullmatch(
        _MARKERS.sub("", fold(line.raw)).strip()) is not None


def _tail_search(pattern: regex.Pattern, raw: str, chars: int = P.TAIL_CHARS):
    """Search a pattern anchored at the line's end, only over the line's last characters."""
    return pattern.search(raw, max(0, len(raw) - chars))


_CREDIT_WORDS = regex.compile(r"copyright|©|photo|foto|image|imagen|bild|picture|credit|cr[eé]dito|gambar|\(", regex.I)


def _credit_search(raw: str):
    tail = max(0, len(raw) - P.CREDIT_CHARS)
    if not P.may_end_in_credit(raw[tail:]):
        return None
    return _CREDIT_TAIL.search(raw, tail) if _CREDIT_WORDS.search(raw, tail) else None




def agency_credit(page: Page) -> Iterator[tuple[int, int]]:
    """A line that is only an agency's name ("AFP", "(AP)", "Reuters Staff"), or an agency closing
    a line: "... said. (Yonhap)", "... en X. EFE", a caption's "...Tuesday.AP" (only the name)."""
    for line in page.lines:
        span = _agency_span(line)
        if span:
            yield span


def _agency_span(line: Line) -> tuple[int, int] | None:
    if line.n_words <= 4 and _AGENCY_LINE.fullmatch(line.form):
        return _whole(line)
    if line.n_words > 2:
        raw = line.raw
        m = (raw[-1] in ")]" and _tail_search(_AGENCY_SIGNOFF, raw)) or (
            raw[-1].isalpha() and P.may_end_with_agency(raw) and _tail_search(_AGENCY_TAIL, raw))
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
_CAPTION_FIRST = "▲▼►▶iIpPfFbBgG\u0130"  # what _CAPTION_START can start with (İ is an i in any case)


def photo_credit(page: Page) -> Iterator[tuple[int, int]]:
    """A caption ending in a credit ("- Copyright AFP ...", "Photo: ...", "(AP Photo/...)",
    "Credit: Getty Images", "...2023. Planet Labs PBC") or opened by a caption marker: the whole
    caption when it is caption sized, else only the credit. (A bare agency name at the end is left
    to `agency_credit`: an agency name also signs off article paragraphs.)"""
    for line in page.lines:
        span = _caption_span(line)
        if span:
            yield span


def _caption_span(line: Line) -> tuple[int, int] | None:
    raw = line.raw
    m = _credit_search(raw)
    if not m and P.may_end_with_source(raw):
        m = _tail_search(_SOURCE_TAIL, raw)
    if m or (raw[0] in _CAPTION_FIRST and _CAPTION_START.match(raw)):
        if line.n_words <= CAPTION_MAX_WORDS:
            return _whole(line)
        if m:
            return line.start + m.start(), line.end
    return None


def caption_repeat(page: Page) -> Iterator[tuple[int, int]]:
    """A caption shown twice: a line followed by a line that starts with it and adds a credit or
    a detail ("... north Korea." then "... North Korea on Monday.Planet Labs PBC"). Both go."""
    lines = page.lines
    for a, b in zip(lines, lines[1:]):
        if a.n_words < 4 or b.n_words > CAPTION_MAX_WORDS or b.n_words - a.n_words > 12:
            continue
        head = a.form.rstrip(".!? ")
        if b.form.startswith(head) and _WORD.search(b.form[len(head):]):
            yield _whole(a)
            yield _whole(b)


def repeated_line(page: Page) -> Iterator[tuple[int, int]]:
    """A line of 3 to 25 words (headline, caption, widget) shown again later in the page: the
    later copies go. Longer repeated paragraphs are left alone."""
    seen: set[str] = set()
    for line in page.lines:
        if 3 <= line.n_words <= 25:
            if line.form in seen:
                yield _whole(line)
            seen.add(line.form)


# ---- head: sections and site names glued to text ---------------------------------------------

def _simple(s: str) -> str:
    return s.lower() if s.isascii() else fold(s).lower()


# "ADANA, Turkey (AP) — ", "LONDON (Reuters) - ", "NEW DELHI, March 3 (PTI) ", "Mumbai, Nov 5 (PTI) "
_DATELINE = regex.compile(
    rf"^(?:\p{{Lu}}[\p{{L}} .'\-]{{1,40}}?,\s*)?\p{{Lu}}[\p{{L}} .'\-]{{1,40}}(?:,[^\n()]{{1,40}})?\s*"
    rf"\((?i:{P.AGENCIES})\)\s*(?:[-\u2013\u2014:]\s*)?(?=\p{{Lu}}|\p{{N}}|[\"'\u201c])"
)


def dateline(page: Page) -> Iterator[tuple[int, int]]:
    """The wire dateline opening the first sentence ("LONDON (Reuters) - "): republishers drop or keep
    it, so it is furniture of the copy, not a change of wording. Only the dateline goes."""
    for line in page.lines[:12]:
        # (a dateline starts with a capital: Lu is isupper)
        m = _DATELINE.match(line.raw) if line.n_words >= 8 and line.raw[0].isupper() and "(" in line.raw else None
        if m:
            yield line.start, line.start + m.end()
            return


def section_glued_headline(page: Page) -> Iterator[tuple[int, int]]:
    """"WorldPutin threatens ..." after the headline "Putin threatens ...": the section name and
    the repeated headline go (the first headline stays)."""
    head = page.lines[:HEAD_LINES + 2]
    simple = [_simple(line.raw) for line in head]
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
_GLUED_HEAD = regex.compile(
    r"^(?P<prefix>(?:[\p{Lu}\d][\p{L}\d&.'\-]*\s){0,3}\p{Lu}[\p{L}]*?\p{Ll})(?=\p{Lu}\p{Ll}+\s)"
)


def site_name_glued(page: Page) -> Iterator[tuple[int, int]]:
    """"ENTRE NewsNorth Korea condemned ...": a site or section name glued to the first sentence
    at the head of the page. Only the name goes, and only when its last word is a site word."""
    for line in page.lines[:HEAD_LINES]:
        # (in ASCII, the glue is a lower-case letter then a capital)
        m = None if line.raw.isascii() and not _ASCII_GLUE.search(line.raw) else _GLUED_HEAD.match(line.raw)
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
        elif line.n_words <= 4 and line.raw[-1] not in _SENTENCE_END_CHARS:
            m = _GLUED_SECTION.match(line.raw)
            rest = _simple(line.raw[m.end():]) if m else ""
            if m and m.group(1).casefold() in P.SECTION_WORDS and all(_simple(e.raw) != rest for e in head[:j]):
                yield _whole(line)


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

