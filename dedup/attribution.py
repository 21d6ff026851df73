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


def credit_score(text: str) -> int:
    """How many distinct kinds of agency credit or dateline the text carries."""
    return sum(1 for pattern in _CREDIT_PATTERNS.values() if pattern.search(text))


def credits(text: str) -> list[str]:
    """The names of the credit patterns found (for explaining the choice)."""
    return [name for name, pattern in _CREDIT_PATTERNS.items() if pattern.search(text)]


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
                  contained: Callable[[str], float]) -> tuple[str, str]:
    """The source of a group and why it was chosen.

    `contained(id)` is how much of that member is found in the other members (0..1): a member
    whose text the others reproduce is more likely the copy they were made from."""
    def key(doc_id: str):
        doc = documents[doc_id]
        day = parse_date(doc.date)
        return (day is None, day or date.max, -credit_score(doc.text), -round(contained(doc_id), 3), doc_id)

    ranked = sorted(members, key=key)
    best, runner = ranked[0], ranked[1] if len(ranked) > 1 else None
    if runner is None:
        return best, "only member"
    kb, kr = key(best), key(runner)
    if kb[:2] != kr[:2]:
        return best, f"earliest date ({documents[best].date})"
    if kb[2] != kr[2]:
        return best, "agency credit or dateline: " + ", ".join(credits(documents[best].text))
    if kb[3] != kr[3]:
        return best, f"most contained in the other members ({-kb[3]:.2f})"
    return best, "first id among equals"
