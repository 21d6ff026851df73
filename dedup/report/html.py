"""The editors' report: one self-contained HTML file with every group and every change.

`write_report(result, path, texts=None)` renders a ScanResult with the jinja2 templates in
report/templates (autoescaped; CSS and JS inlined, nothing loaded from the network). Each copy's
diff against its source (dedup.diff, rendered by dedup.diff_render.to_runs) is embedded as JSON in
one <script type="application/json"> block per group -- with "<", ">" and "&" escaped so article
text cannot close the block -- and turned into DOM nodes with textContent only when it is opened,
so the page loads fast at thousands of groups and the file grows linearly with the copies.

The report needs the documents' texts, which a ScanResult does not carry: pass them as `texts`,
or let them be read again from the inputs the scan recorded with `record_inputs`.
"""
from __future__ import annotations

import dataclasses
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from ..errors import DedupError
from ..types import RELATIONS, DocumentResult, Group, ScanResult, Span

# to_runs styles -> one-letter codes; copy-side runs are stored as lengths into the copy's text
COPY_SIDE = {"": "=", "ins": "i", "new": "n", "bp": "b", "moved": "m"}
SOURCE_SIDE = {"del": "d", "removed": "r", "moved-from": "f"}
HISTOGRAM_BINS = 10
DIFF_BATCH = 64  # copies per batch handed to an engine worker


# -- the texts ----------------------------------------------------------------------------------
def record_inputs(result: ScanResult, inputs: Sequence[str | Path], id_field: str = "id",
                  text_field: str = "text", on_error: str = "fail") -> ScanResult:
    """The result with where its texts came from in stats["inputs"] (absolute paths and fields), so
    a report can be written later from the scan's output directory (scan.json carries the stats)."""
    paths = [os.path.abspath(str(p)) for p in inputs]
    recorded = {"paths": paths, "id_field": id_field, "text_field": text_field, "on_error": on_error}
    return dataclasses.replace(result, stats={**dict(result.stats), "inputs": recorded})


def read_texts(result: ScanResult, ids: Iterable[str] | None = None,
               paths: Sequence[str | Path] | None = None) -> dict[str, str]:
    """The texts of `ids` (default: every member of a group), read again from `paths` or from the
    inputs recorded in result.stats["inputs"]. Raises DedupError when they cannot be found or no
    longer match what the scan saw (a boilerplate span's text differs)."""
    from ..corpus import iter_documents

    recorded = dict(result.stats.get("inputs") or {})
    if paths is None:
        paths = recorded.get("paths")
    if not paths:
        raise DedupError("the report needs the documents' texts: this scan did not record its inputs; "
                         "give the input files again")
    wanted = set(ids) if ids is not None else {m.id for g in result.groups for m in g.members}
    texts: dict[str, str] = {}
    for doc in iter_documents(list(paths), id_field=recorded.get("id_field", "id"),
                              text_field=recorded.get("text_field", "text"),
                              on_error=recorded.get("on_error", "fail")):
        if doc.id in wanted:
            texts[doc.id] = doc.text
    missing = sorted(wanted - texts.keys())
    if missing:
        raise DedupError(f"{len(missing)} documents of the scan are not in its inputs any more "
                         f"({', '.join(missing[:3])}{'...' if len(missing) > 3 else ''}): "
                         f"give the inputs the scan read")
    by_id = {d.id: d for d in result.documents}
    for doc_id, text in texts.items():
        for span in by_id[doc_id].boilerplate if doc_id in by_id else ():
            if text[span.start:span.end] != span.text:
                raise DedupError(f"the text of {doc_id} changed since the scan: give the inputs the scan read")
    return texts


# -- diffs, encoded for the page ------------------------------------------------------------------
def _utf16_len(text: str) -> int:
    """Length in JavaScript string units, so the page can slice the copy's text."""
    return len(text.encode("utf-16-le")) // 2


def _rule_at(spans: Sequence[Span], start: int, end: int) -> str | None:
    for span in spans:
        if span.start < end and start < span.end:
            return span.rule
    return None


def encode_runs(runs: Sequence[tuple[str, str]], copy: str, spans: Sequence[Span] = ()) -> list[list]:
    """Compact ops of a diff's (text, style) runs: copy-side runs as [code, length] (the page slices
    the copy's text, embedded once), source-side runs as [code, text]; site furniture gets its rule
    as a third element. Falls back to [code, text] for every run if the runs do not spell the copy."""
    copy_side = "".join(text for text, style in runs if style in COPY_SIDE)
    exact = copy_side == copy
    ops: list[list] = []
    pos = 0
    for text, style in runs:
        if style in SOURCE_SIDE:
            body = text.strip()
            lead = text[:len(text) - len(text.lstrip())] if body else text
            for piece in (lead, body, text[len(lead) + len(body):]):
                if piece:  # whitespace apart: the page leaves it unmarked
                    ops.append([SOURCE_SIDE[style], piece])
            continue
        code = COPY_SIDE.get(style, "=")
        body = text.strip() if code != "=" else text
        lead = text[:len(text) - len(text.lstrip())] if code != "=" and body else ""
        trail = text[len(lead) + len(body):]
        # whitespace around a marked run stays unmarked, so marks and labels sit on the words
        for piece, piece_code in ((lead, "="), (body, code), (trail, "=")):
            if not piece:
                continue
            op: list = [piece_code, _utf16_len(piece) if exact else piece]
            if piece_code == "b":
                op.append(_rule_at(spans, pos, pos + len(piece)) or "")
            ops.append(op)
            pos += len(piece)
    return _merged(ops)


def _merged(ops: list[list]) -> list[list]:
    """Neighbouring copy-side ops of one code joined (lengths added; rules kept apart)."""
    out: list[list] = []
    for op in ops:
        last = out[-1] if out else None
        if last and last[0] == op[0] and isinstance(op[1], int) and isinstance(last[1], int) and last[2:] == op[2:]:
            last[1] = last[1] + op[1]
        else:
            out.append(list(op))
    return out


def text_ops(text: str, spans: Sequence[Span]) -> list[list]:
    """Ops of a text shown alone (a source): plain stretches and its boilerplate marked."""
    ops: list[list] = []
    pos = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.end <= pos:
            continue
        start = max(span.start, pos)
        if start > pos:
            ops.append(["=", _utf16_len(text[pos:start])])
        ops.append(["b", _utf16_len(text[start:span.end]), span.rule])
        pos = span.end
    if pos < len(text):
        ops.append(["=", _utf16_len(text[pos:])])
    return ops


def member_diffs(batch: Sequence[tuple[str, Sequence[Span], str, Sequence[Span]]]) -> list[dict[str, Any]]:
    """For (source text, source spans, copy text, copy spans) tuples: the encoded diff and its figures
    (runs on an engine worker)."""
    from ..diff import diff_texts
    from ..diff_render import to_runs

    out = []
    for source, source_spans, copy, copy_spans in batch:
        diff = diff_texts(source, copy, source_boilerplate=tuple(source_spans),
                          copy_boilerplate=tuple(copy_spans))
        out.append({"ops": encode_runs(to_runs(diff), copy, copy_spans), "stats": dict(diff.stats)})
    return out


def _compute_diffs(jobs: list[tuple[str, str]], texts: Mapping[str, str], docs: Mapping[str, DocumentResult],
                   engine) -> dict[tuple[str, str], dict[str, Any]]:
    payload = [(texts[s], docs[s].boilerplate, texts[c], docs[c].boilerplate) for s, c in jobs]
    batches = [payload[i:i + DIFF_BATCH] for i in range(0, len(payload), DIFF_BATCH)]
    results: list[dict[str, Any]] = []
    for found in engine.map(member_diffs, batches):
        results.extend(found)
    return dict(zip(jobs, results))


# -- the page's model ---------------------------------------------------------------------------------
def display_title(doc: DocumentResult, text: str | None) -> str:
    """The document's title, else its first line of several words that is not furniture."""
    if doc.title:
        return doc.title
    if text:
        offset = 0
        for line in text.split("\n"):
            words = line.split()
            covered = any(s.start <= offset and offset + len(line) <= s.end for s in doc.boilerplate)
            if len(words) >= 4 and not covered:
                return line.strip()[:160]
            offset += len(line) + 1
    return doc.id


def _member_view(group: Group, member, doc: DocumentResult, text: str | None,
                 diff: dict[str, Any] | None) -> dict[str, Any]:
    stats = diff["stats"] if diff else {}
    rules = sorted({s.rule for s in doc.boilerplate})
    return {
        "id": doc.id, "role": member.role, "relation": member.relation or "source",
        "title": display_title(doc, text), "site": doc.site or "", "date": doc.date or "", "url": doc.url or "",
        "similarity": member.similarity, "containment": member.containment,
        "reused": round(stats.get("source_verbatim", 0) + stats.get("source_reworded", 0), 4) if diff else None,
        "verbatim": stats.get("source_verbatim"), "reworded": stats.get("source_reworded"),
        "new": stats.get("copy_new"), "bp_share": stats.get("copy_boilerplate"),
        "unchanged": stats.get("copy_unchanged"), "copy_reworded": stats.get("copy_reworded"),
        "changes": stats.get("changes"), "removed": stats.get("source_removed"),
        "tally": [stats.get("changes", 0), stats.get("sentences_added", 0) - stats.get("sentences_added_boilerplate", 0),
                  stats.get("sentences_added_boilerplate", 0), stats.get("sentences_removed", 0),
                  stats.get("sentences_moved", 0)] if diff else None,
        "bp_rules": rules, "bp_chars": sum(s.end - s.start for s in doc.boilerplate),
    }


_RELATION_ORDER = {r: i for i, r in enumerate(RELATIONS)}


def sort_groups(groups: Sequence[Group], docs: Mapping[str, DocumentResult]) -> list[Group]:
    """Biggest first, then the most recent source (ISO dates; undated last), then by id."""
    ordered = sorted(groups, key=lambda g: g.cluster)
    ordered.sort(key=lambda g: docs[g.source].date or "", reverse=True)
    ordered.sort(key=lambda g: len(g.members), reverse=True)
    return ordered


def report_model(result: ScanResult, texts: Mapping[str, str], engine=None) -> dict[str, Any]:
    """Everything the template shows: overview figures, histogram, groups with members and diffs."""
    docs = {d.id: d for d in result.documents}
    groups = sort_groups(result.groups, docs)
    jobs = [(g.source, m.id) for g in groups for m in g.members if m.role != "source"]
    if engine is None:
        from ..engine.local import LocalEngine

        engine = LocalEngine(getattr(result.config, "workers", 1) if len(jobs) > DIFF_BATCH else 1)
    diffs = _compute_diffs(jobs, texts, docs, engine)
    views, blocks = [], []
    for n, g in enumerate(groups):
        members = sorted(g.members, key=lambda m: (m.role != "source", _RELATION_ORDER.get(m.relation, 9),
                                                   -m.similarity, m.id))
        rows = [_member_view(g, m, docs[m.id], texts.get(m.id), diffs.get((g.source, m.id))) for m in members]
        source_doc = docs[g.source]
        data = {"source": g.source, "texts": {m.id: texts[m.id] for m in members},
                "ops": {m.id: (text_ops(texts[m.id], source_doc.boilerplate) if m.role == "source"
                               else diffs[(g.source, m.id)]["ops"]) for m in members}}
        relations = Counter(m.relation for m in g.members if m.relation)
        views.append({"n": n, "cluster": g.cluster, "source": rows[0], "reason": g.source_reason,
                      "members": rows, "relations": sorted(relations.items(), key=lambda kv: _RELATION_ORDER.get(kv[0], 9)),
                      "search": " ".join(f"{r['id']} {r['title']} {r['site']} {r['url']}" for r in rows).lower()})
        blocks.append(data)
    copies = [m for g in groups for m in g.members if m.role != "source"]
    unique = [{"id": d.id, "title": d.title or "", "site": d.site or "", "date": d.date or ""}
              for d in result.documents if d.role == "unique"]
    return {
        "n_documents": len(result.documents), "n_groups": len(groups), "n_copies": len(copies),
        "n_unique": len(unique), "n_problems": len(result.problems),
        "by_relation": [(r, sum(1 for m in copies if m.relation == r)) for r in RELATIONS],
        "histogram": similarity_histogram([(m.similarity, m.relation) for m in copies]),
        "groups": views, "blocks": blocks, "unique": unique,
        "inputs": [Path(p).name for p in (result.stats.get("inputs") or {}).get("paths", ())],
        "config": {k: v for k, v in (result.config.to_dict() if hasattr(result.config, "to_dict") else {}).items()
                   if k in ("shingle_size", "num_perm", "threshold", "seed", "rewrites", "boilerplate")},
    }


def similarity_histogram(values: Sequence[tuple[float, str | None]], bins: int = HISTOGRAM_BINS) -> dict[str, Any]:
    """Counts of copies per similarity bin and relation, with the bar geometry of the inline SVG."""
    counts = [Counter() for _ in range(bins)]
    for value, relation in values:
        counts[min(bins - 1, max(0, int(value * bins)))][relation or "copy"] += 1
    top = max((sum(c.values()) for c in counts), default=0) or 1
    height, width = 120.0, 36.0
    bars = []
    for i, c in enumerate(counts):
        y = height
        stack = []
        for relation in RELATIONS:
            h = c.get(relation, 0) / top * height
            if h:
                y -= h
                stack.append({"relation": relation, "count": c[relation], "y": round(y, 2), "h": round(h, 2)})
        bars.append({"x": i * (width + 4), "low": i / bins, "high": (i + 1) / bins,
                     "total": sum(c.values()), "stack": stack})
    return {"bars": bars, "top": top, "height": height, "width": width, "bins": bins}


# -- rendering ---------------------------------------------------------------------------------------
def _environment():
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("dedup", "report/templates"),
                      autoescape=select_autoescape(["html", "htm", "xml"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    # |tojson escapes <, >, & and ' as \\u00XX: article text cannot close its <script> block
    env.policies["json.dumps_kwargs"] = {"ensure_ascii": False, "sort_keys": False, "separators": (",", ":")}
    env.filters["pct"] = lambda v: "–" if v is None else f"{round(v * 100)}%"
    return env


def render_report(result: ScanResult, texts: Mapping[str, str] | None = None, *, engine=None,
                  title: str = "dedup report") -> str:
    """The report as one HTML string (texts read again from the recorded inputs when not given)."""
    if texts is None:
        texts = read_texts(result)
    needed = {m.id for g in result.groups for m in g.members}
    missing = sorted(needed - set(texts))
    if missing:
        raise DedupError(f"no text for {len(missing)} documents of the groups ({', '.join(missing[:3])})")
    model = report_model(result, texts, engine)
    return _environment().get_template("report.html").render(title=title, relations=RELATIONS, **model)


def write_report(result: ScanResult, path: str | Path, texts: Mapping[str, str] | None = None, *,
                 engine=None, title: str = "dedup report") -> Path:
    """Write the editors' report to `path`; returns the path."""
    html = render_report(result, texts, engine=engine, title=title)
    out = Path(path)
    try:
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise DedupError(f"cannot write the report to {out}: {exc.strerror}") from exc
    return out


def json_block(value: Any) -> str:
    """JSON safe inside a <script> element (what the template's |tojson does), for tests and tools."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c") \
        .replace(">", "\\u003e").replace("&", "\\u0026").replace("'", "\\u0027")
