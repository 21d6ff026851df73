"""Cheap necessary conditions of the furniture patterns (`dedup.boilerplate_phrases`), tried
before them so that the costly patterns run on few lines; a test that fails means the pattern
cannot match, so skipping it changes no result:
- `start_test`: what a match can start with, unfolded from a pattern's parse;
- the names of `AGENCIES` and `PHOTO_SOURCES` as lists, and the `may_end_*` tests of line ends.
"""
from __future__ import annotations

import re
import re._constants as _C
import re._parser as _parser

import regex

from .boilerplate_phrases import _LEADING_MARKS, AGENCIES, PHOTO_SOURCES

def alternatives(pattern: str) -> tuple[str, ...]:
    """The strings a pattern of plain alternatives matches ("getty( images)?|epa" -> getty, getty
    images, epa); ValueError when an alternative is more than letters, spaces, ' and - with at most
    one optional tail."""
    out: list[str] = []
    for alt in pattern.split("|"):
        m = regex.fullmatch(r"([\w '\-]+)(?:\(([\w '\-]+)\)\?)?", alt, regex.ASCII)
        if m is None:
            raise ValueError(f"not a plain alternative: {alt!r}")
        out.append(m.group(1))
        if m.group(2):
            out.append(m.group(1) + m.group(2))
    return tuple(out)


AGENCY_NAMES = alternatives(AGENCIES)
PHOTO_SOURCE_NAMES = alternatives(PHOTO_SOURCES)
_AGENCY_CHARS = max(map(len, AGENCY_NAMES))
_SOURCE_CHARS = max(map(len, PHOTO_SOURCE_NAMES))
TAIL_CHARS = 60  # how far from a line's end the name patterns are searched
CREDIT_CHARS = 200  # ... and the credit pattern
# Case-insensitive patterns match these words in any case: copyright, caption and credit words.
CREDIT_WORDS = ("copyright", "©", "photo", "foto", "image", "bild", "picture", "credit", "crédito", "gambar")
CREDIT_WORD = re.compile("|".join(map(re.escape, CREDIT_WORDS)))
# The only characters a case-insensitive letter matches whose lower case is not that letter.
_CASELESS = str.maketrans({"\u0130": "i", "\u017f": "s"})


def caseless(text: str) -> str:
    """Lower case in which every case-insensitive match of a lower-case word shows as that word."""
    if "\u0130" in text or "\u017f" in text:
        text = text.translate(_CASELESS)
    return text.lower()


def may_end_in_credit(tail: str) -> bool:
    """False when the credit pattern cannot match: no credit word, and no "(...)" closing the line."""
    low = caseless(tail)
    if "(" in low and _strip_end(low).endswith(")"):
        return True  # "(AP Photo/...)"
    # a credit word then ":" or "by" ("Photo: ...", "Picture by ..."), or a copyright
    if ":" not in low and "by" not in low and "©" not in low and "copyright" not in low:
        return False
    return CREDIT_WORD.search(low) is not None


def _strip_end(low: str) -> str:
    """A line's end without the `\\s*[|.]?\\s*` patterns allow after a credit or a name."""
    low = low.rstrip()
    return low[:-1].rstrip() if low[-1:] in ("|", ".") else low


def may_end_with_agency(raw: str) -> bool:
    """False when no agency name (in any case) closes the line: the agency tail pattern cannot match."""
    return caseless(raw[-_AGENCY_CHARS:]).endswith(AGENCY_NAMES)


def may_end_with_source(raw: str) -> bool:
    """False when the photo source pattern cannot match: no photo source name closing the line's end."""
    tail = raw[-TAIL_CHARS:]
    if "/" in tail:
        return True
    end = _strip_end(tail)
    # names end in a letter, and so does whatever matches one in any case
    return end[-1:].isalpha() and caseless(end[-_SOURCE_CHARS:]).endswith(PHOTO_SOURCE_NAMES)


# ---- how a match can start: a test of a line's first characters before the patterns ----------
# A pattern's source is read with the standard library's parser (the phrase patterns use only the
# syntax both engines share) into the set of strings of at most `size` characters its matches can
# start with: a closed string stands for any continuation (a wide class, `.`, the pattern's end).
# Only ASCII is listed: a line starting with another character is always tried.

_ASCII_SPACE = " \t\n\r\x0b\x0c"
_NOT_ASCII = "\x80"  # stands for every non-ASCII character (never in a tested start)
_DIGITS_AS_ZERO = str.maketrans("123456789", "000000000")  # "0": any ASCII digit
_LIMIT = 200_000  # listed starts; past it a pattern stops being unfolded
_WIDE = 2  # a repeated class with more members is unfolded once
START_SIZE = 6  # characters of a line's start tested


def start_test(pattern: str, size: int = START_SIZE, before: str = ""):
    """A test of a string's start (a standard library pattern's `match`): no match only when
    `pattern` (compiled without flags, as the phrase patterns are) cannot match at the start.
    `before`: a standard pattern for what may come first."""
    try:
        parsed = _parser.parse(pattern)
        flagged = parsed.state.flags & ~re.UNICODE  # (?i), (?x)...: no test
        starts = {""} if flagged else {s for s, _ in _sequence(parsed, size)}
    except Exception:  # syntax the standard parser does not know: no test
        starts = {""}
    return re.compile(before + _trie(starts)).match


def leading_start_test(patterns: list[str], size: int = START_SIZE):
    """`start_test` of `compile_leading(patterns)` (the standard engine's \\s is the wider)."""
    return start_test("(?:" + "|".join(patterns) + ")", size, before=_LEADING_MARKS + "*")


def _trie(starts: set[str]) -> str:
    """A pattern matching the strings that start with one of `starts` (ASCII digits shown as 0,
    any non-ASCII character as _NOT_ASCII)."""
    if "" in starts:
        return ""
    if not starts:
        return "(?!)"
    branches: dict[str, set[str]] = {}
    for s in starts:
        branches.setdefault(s[0], set()).add(s[1:])
    alts = []
    for first in sorted(branches):
        char = "[0-9]" if first == "0" else "[^\\x00-\\x7f]" if first == _NOT_ASCII else re.escape(first)
        alts.append(char + _trie(branches[first]))
    return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"


def _concat(first: set, then: set, size: int) -> set:
    out = set()
    for s, open_ in first:
        if not open_ or len(s) >= size:
            out.add((s[:size], False))
            continue
        for t, more in then:
            u = s + t
            out.add((u[:size], False) if len(u) >= size else (u, more))
    if len(out) > _LIMIT:
        return {(s, False) for s, _ in first}
    return out


def _sequence(items, size: int) -> set:
    out = {("", True)}
    for item in items:
        if all(not open_ or len(s) >= size for s, open_ in out):
            break
        out = _concat(out, _item(item, size), size)
    return out


def _item(item, size: int) -> set:
    op, av = item
    if op is _C.LITERAL:
        return {(chr(av).translate(_DIGITS_AS_ZERO), True) if av < 128 else (_NOT_ASCII, False)}
    if op is _C.IN:
        members = _members(av)
        return {("", False)} if members is None else {(c, True) for c in members} | {(_NOT_ASCII, False)}
    if op is _C.BRANCH:
        return set().union(*(_sequence(branch, size) for branch in av[1]))
    if op is _C.SUBPATTERN:
        return {("", False)} if av[1] or av[2] else _sequence(av[3], size)  # inline flags: no test
    if op is _C.MAX_REPEAT or op is _C.MIN_REPEAT:
        low, high, inner = av[0], av[1], _sequence(av[2], size)
        if len(inner) > _WIDE:  # a repeated wide class: listed once, then any continuation
            return ({("", True)} if low == 0 else set()) | {(s, False) for s, _ in inner}
        times = min(high, size)
        out, reps = set(), {("", True)}
        for i in range(times + 1):
            if i >= low:
                out |= reps
            if i < times:
                reps = _concat(reps, inner, size)
        if high > times:  # more repeats may follow: what was listed is only a start
            out |= {(s, False) for s, _ in reps}
        return out
    if op is _C.AT or op is _C.ASSERT or op is _C.ASSERT_NOT:
        return {("", True)}  # zero width (a look-around's condition is not tested)
    return {("", False)}


def _members(items) -> set[str] | None:
    """The ASCII members of a character class (digits as 0), or None when it is too wide to list."""
    out: set[str] = set()
    for op, av in items:
        if op is _C.LITERAL:
            if av < 128:
                out.add(chr(av).translate(_DIGITS_AS_ZERO))
        elif op is _C.RANGE:
            out |= {chr(c).translate(_DIGITS_AS_ZERO) for c in range(av[0], min(av[1], 127) + 1)}
        elif op is _C.CATEGORY and av is _C.CATEGORY_DIGIT:
            out.add("0")
        elif op is _C.CATEGORY and av is _C.CATEGORY_SPACE:
            out |= set(_ASCII_SPACE)
        else:
            return None
    return out
