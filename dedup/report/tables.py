"""Terminal rendering of a scan with rich: the summary table of groups, problems, figures."""
from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from ..types import ScanResult


def render_scan(result: ScanResult, console: Console, *, limit: int = 50) -> None:
    table = Table(title=f"{len(result.groups)} groups of copies in {len(result.documents)} documents",
                  title_justify="left", show_lines=False)
    table.add_column("group", no_wrap=True)
    table.add_column("source", overflow="fold")
    table.add_column("why source", overflow="fold")
    table.add_column("copies", overflow="fold")
    # spilled results look ids up without making every document at once; a tuple is indexed once
    find = getattr(result.documents, "find", None) or {d.id: d for d in result.documents}.__getitem__
    for g in result.groups[:limit]:
        src = find(g.source)
        title = f" — {src.title}" if src.title else ""
        copies = "\n".join(f"{m.id} ({m.relation} {m.similarity:.2f})" for m in g.members if m.role == "copy")
        table.add_row(str(len(g.members)), f"{g.source}{title}", g.source_reason, copies)
    console.print(table)
    if len(result.groups) > limit:
        console.print(f"... and {len(result.groups) - limit} more groups (see clusters.jsonl)")
    # from the groups' members: a million-document scan's results stay on disk, unread here
    relations = Counter(m.relation for g in result.groups for m in g.members if m.role == "copy" and m.relation)
    unique = len(result.documents) - sum(len(g.members) for g in result.groups)
    parts = ", ".join(f"{n} {r}" for r, n in sorted(relations.items()))
    console.print(f"copies by relation: {parts or 'none'}; {unique} documents in no group")
    # each problem is a warning on stderr (the CLI's job); here only their count
    if result.problems:
        console.print(f"[yellow]{len(result.problems)} input problems, each reported as a warning[/yellow]")
    skipped = sum(1 for p in result.problems if p.skipped)
    if skipped:
        console.print(f"[yellow]{skipped} malformed records skipped[/yellow]")
