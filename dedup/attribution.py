"""Choosing the source of a group: earliest date, then an agency credit or dateline, then the member
most contained in the others."""
from __future__ import annotations

from datetime import date, datetime
from typing import Callable, Mapping, Sequence

import regex

from .types import Document

AGENCIES = ("AFP", "Reuters", "AP", "Associated Press", "Agence France-Presse", "PTI", "Press Trust of India",
            "Xinhua", "EFE", "dpa", "DPA", "ANSA", "Bernama", "UPI", "PA", "Yonhap", "Kyodo", "IANS", "AAP",
            "ANI", "TASS", "Anadolu", "KCNA", "Europa Press", "Notimex", "Antara")
_AGENCY = "|".join(regex.escape(a) for a in sorted(AGENCIES, key=len, reverse=True))
_CREDIT_PATTERNS = {
    # "ADANA, Turkey (AP) —", "LONDON (Reuters) -", "NEW DELHI, March 3 (PTI)"
    "dateline": regex.compile(rf"^[\p{{Lu}}][\p{{Lu}} .,'-]{{2,40}}(?:,[^\n(]{{0,40}})?\s*\((?:{_AGENCY})\)\s*[-—–:]", regex.M),
    "copyright": regex.compile(rf"(?:©|\(c\)|Copyright)\s*(?:\d{{4}}\s*)?(?:{_AGENCY})\b", regex.I),
    "reporting-by": regex.compile(r"\((?:Reporting|Additional reporting|Writing) by [^)]{3,200}\)"),
    "credit-line": regex.compile(rf"^\s*(?:{_AGENCY})\s*$", regex.M),
    "agency-in-parens": regex.compile(rf"\((?:{_AGENCY})\)"),
    "agency-blurb": regex.compile(rf"(?:{_AGENCY}) (?:covers the world|is a leading global news agency|is an independent global news)", regex.I),
}


# Cheap tests that must pass before a pattern can match (the case-insensitive patterns would
# otherwise try every agency name at every position of the text).
_BLURB_HINTS = ("covers the world", "is a leading global news agency", "is an independent global news")
_AGENCY_NAMES = frozenset(AGENCIES)


def _may_match(name: str, text: str, lower: str) -> bool:
    if name == "agency-blurb":
        return any(hint in lower for hint in _BLURB_HINTS)
    if name == "copyright":
        return "©" in text or "(c)" in lower or "copyright" in lower
    return True


def _found(name: str, text: str, lower: str) -> bool:
    if name == "credit-line":  # a line that is only an agency's name
        return any(line.strip() in _AGENCY_NAMES for line in text.splitlines())
    return _may_match(name, text, lower) and _CREDIT_PATTERNS[name].search(text) is not None


def credits(text: str) -> list[str]:
    """The names of the credit patterns found (for explaining the choice)."""
    lower = text.lower()
    return [name for name in _CREDIT_PATTERNS if _found(name, text, lower)]


def credit_score(text: str) -> int:
    """How many distinct kinds of agency credit or dateline the text carries."""
    return len(credits(text))


def parse_date(value: str | None) -> date | None:
    """A date from an ISO-like string ("2024-07-13", "2024-07-13T08:00:00Z"); None if unreadable."""
    if not value:
        return None
    value = str(value).strip()
    for candidate in (value, value[:10]):
        try:
            return datetime.fromisoformat(candidate.replace("Z", "+00:00")).date()
        except ValueError:
            continue
    return None


def choose_source(members: Sequence[str], documents: Mapping[str, Document],
                  centrality: Callable[[str], float]) -> tuple[str, str]:
    """The source of a group and why it was chosen.

    Dates rule out members published after the earliest one; a member without a date cannot be
    ruled out (wire originals are often stored without one). Among the rest: an agency credit or
    dateline, then `centrality(id)` -- how much of the member is found in the others and of the
    others in it (0..1): the complete text that the copies were cut and edited from -- then id."""
    days = {m: parse_date(documents[m].date) for m in members}
    known = [d for d in days.values() if d is not None]
    earliest = min(known) if known else None
    pool = [m for m in members if days[m] is None or days[m] == earliest]
    later = len(members) - len(pool)

    def key(doc_id: str):
        return (-credit_score(documents[doc_id].text), -round(centrality(doc_id), 3), days[doc_id] is None, doc_id)

    ranked = sorted(pool, key=key)
    best = ranked[0]
    if len(members) == 1:
        return best, "only member"
    if len(ranked) == 1:
        return best, f"earliest date ({documents[best].date})"
    kb, kr = key(best), key(ranked[1])
    dated = f"; {later} later-dated members ruled out" if later else ""
    if kb[0] != kr[0]:
        return best, "agency credit or dateline: " + ", ".join(credits(documents[best].text)) + dated
    if kb[1] != kr[1]:
        return best, f"the most complete text: most shared with the other members ({-kb[1]:.2f}){dated}"
    return best, "first id among equals" + dated
