"""Site furniture: find it, name the rule that found it, and keep it out of the fingerprints.

Two kinds of evidence:
- the single-document rules of `dedup.boilerplate_rules.RULES` (phrases in several languages,
  dates, weather, stamps, bylines, captions and credits, head and tail shapes);
- the corpus (`dedup.boilerplate_corpus`): lines that recur across otherwise unrelated documents.

    spans = find_boilerplate(doc, evidence)        # offsets into doc.text, each with its rule
    text_for_fingerprints = strip_boilerplate(doc.text, spans)
"""
from __future__ import annotations

from itertools import compress, count, repeat
from operator import add, is_, itemgetter
from typing import Iterable, Mapping

from .boilerplate_corpus import (  # re-exported: the corpus evidence is part of this API
    LineCounts,
    LineEvidence,
    count_lines,
    line_evidence,
    line_key,
    merge_counts,
)
from . import boilerplate_rules as R
from .boilerplate_credits import credit_spans
from .boilerplate_page import Line, Page, make_page
from .boilerplate_rules import RULES, Rule
from .types import Document, Span

__all__ = [
    "RULES", "Rule", "LineCounts", "LineEvidence", "count_lines", "merge_counts", "line_evidence",
    "find_boilerplate", "strip_boilerplate", "find_corpus_boilerplate", "corpus_evidence",
    "CORPUS_RULES", "describe_rule",
]

_PRIORITY = {name: i for i, name in enumerate(RULES)}
# The names corpus evidence gives its flags (see dedup.boilerplate_corpus.line_evidence).
CORPUS_RULES = {
    "corpus-site": "a line recurring across otherwise unrelated documents of one site",
    "corpus-line": "a line recurring across otherwise unrelated documents of several sites",
}


def describe_rule(name: str) -> str:
    """What a rule name on a span means (single-document rules and corpus evidence)."""
    if name in RULES:
        return RULES[name].description
    return CORPUS_RULES.get(name, "unknown rule")


# -- every rule at once ----------------------------------------------------------------------
# The rules that look at one line at a time run in one pass over the lines, and what they find on a
# line is kept for lines that recur across pages (furniture): a line's findings depend on its text
# only. The other rules (context: neighbours, the head, the tail, repeats) run as registered.
LINE_RULES = frozenset(R.P.WHOLE) | frozenset(R.P.LEADING) | {
    "date-widget", "publish-stamp", "byline", "agency-credit", "photo-caption"}
PAGE_RULES = tuple(name for name in RULES if name not in LINE_RULES)
Findings = tuple[tuple[tuple[str, ...], tuple[str, ...]], tuple[tuple[str, int, int], ...]]
_LINE_MEMO: dict[str, Findings] = {}
_LINE_MEMO_SIZE = 50_000
_LINE_MEMO_WORDS = 25  # longer lines are article prose, seldom seen twice


def find_all(page: Page) -> list[tuple[int, int, str]]:
    """(start, end, rule name) of everything the rules of `RULES` find on the page: the same as
    running each rule's `find`, in some order."""
    found: list[tuple[int, int, str]] = []
    phrase_lines: dict[str, list[int]] = {}
    lines = page.lines
    # each line's findings from the memo (a longer line is never put there), the others computed
    findings = list(map(_LINE_MEMO.get, map(_RAW, lines)))
    for i in compress(count(), map(is_, findings, repeat(None))):
        line = lines[i]
        findings[i] = _line_findings(line)
        if line.n_words <= _LINE_MEMO_WORDS:
            if len(_LINE_MEMO) >= _LINE_MEMO_SIZE:
                _LINE_MEMO.clear()
            _LINE_MEMO[line.raw] = findings[i]
    for i in compress(count(), map(_SPANS, findings)):  # (the lines where something was found)
        families, spans = findings[i]
        line = lines[i]
        if families is not R._NONE:
            for family in R._line_families(families):
                phrase_lines.setdefault(family, []).append(line.index)
        start = line.start
        found += [(start + a, start + b, name) for name, a, b in spans]
    page.memo.setdefault("phrases", list(map(_FAMILIES, findings)))
    page.memo.setdefault("phrase lines", phrase_lines)
    for name, rule in RULES.items():  # (a rule registered later runs here too)
        if name not in LINE_RULES:
            found.extend(map(add, rule.find(page), repeat((name,))))  # (start, end) + (name,)
    return found


_RAW = itemgetter(Line._fields.index("raw"))
_FAMILIES, _SPANS = itemgetter(0), itemgetter(1)  # of a line's Findings


def _line_findings(line: Line) -> Findings:
    """A line's phrase families, and (rule, start, end) of what the line rules find on it, with
    offsets into the line."""
    families = R._families(line.form, line.n_words)
    length = line.end - line.start
    spans = [(f, 0, length) for f in R._line_families(families)] if families is not R._NONE else []
    if line.n_words <= 14:  # (the word limits of these three rules)
        if R._is_date_line(line):
            spans.append(("date-widget", 0, length))
        if R._is_stamp_line(line):
            spans.append(("publish-stamp", 0, length))
        if R._is_byline(line):
            spans.append(("byline", 0, length))
    agency, caption = credit_spans(line)
    if agency:
        spans.append(("agency-credit", agency[0] - line.start, agency[1] - line.start))
    if caption:
        spans.append(("photo-caption", caption[0] - line.start, caption[1] - line.start))
    return families, tuple(spans)


def find_boilerplate(doc: Document, evidence: LineEvidence | None = None) -> tuple[Span, ...]:
    """The furniture of `doc`: spans sorted by start, non-overlapping, offsets into doc.text."""
    text = doc.text
    page = make_page(text)
    priority = _PRIORITY
    # (start, start - end, priority, end, rule): in the order spans are resolved (find_all: what
    # every rule of RULES finds)
    found = [(start, start - end, priority[name], end, name) for start, end, name in find_all(page) if end > start]
    if evidence is not None and evidence.lines:
        rule_for, corpus = evidence.lines.get, len(_PRIORITY)
        for line in page.lines:
            name = rule_for(line_key(line.form))
            if name is not None:
                found.append((line.start, line.start - line.end, corpus, line.end, name))
    return _resolve(text, found)


def _resolve(text: str, found: list[tuple[int, int, int, int, str]]) -> tuple[Span, ...]:
    """Non-overlapping spans: at each start the longest wins (then the earlier rule); a span that
    overlaps one already kept keeps only what sticks out past it. (`found`: (start, start - end,
    rule priority, end, rule name) of each finding.)"""
    spans: list[Span] = []
    kept_end = -1
    found.sort()
    for start, _, _, end, rule in found:
        if start < kept_end:
            start = kept_end
        piece = text[start:end]
        stripped = piece.strip()  # (str.strip drops what str.isspace accepts)
        if stripped:
            if stripped is not piece:
                start += len(piece) - len(piece.lstrip())
                end = start + len(stripped)
            spans.append(Span(start, end, stripped, rule))
            kept_end = end
    return tuple(spans)


def strip_boilerplate(text: str, spans: Iterable[Span]) -> str:
    """The text fingerprints are computed on: each span replaced by a single newline."""
    out: list[str] = []
    pos = 0
    for span in sorted(spans, key=lambda s: s.start):
        if span.start < pos:  # overlapping input: keep what was not yet removed
            if span.end <= pos:
                continue
            out.append("\n")
            pos = span.end
            continue
        out.append(text[pos:span.start])
        out.append("\n")
        pos = span.end
    out.append(text[pos:])
    return "".join(out)


def corpus_evidence(documents: Iterable[Document]) -> LineEvidence:
    """The corpus evidence of a set of documents in one process (map, then final step)."""
    return line_evidence(count_lines(documents))


def find_corpus_boilerplate(documents: Iterable[Document]) -> Mapping[str, tuple[Span, ...]]:
    """Every document's furniture, with the corpus evidence built from all of them; input order."""
    docs = list(documents)
    evidence = corpus_evidence(docs)
    return {doc.id: find_boilerplate(doc, evidence) for doc in docs}
