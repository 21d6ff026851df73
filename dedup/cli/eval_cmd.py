"""`dedup eval`: scan a labelled corpus and report how well the grouping matches its labels."""
from __future__ import annotations

import json

import click

from . import handle_errors
from ..config import Config


@click.command("eval")
@click.argument("labelled", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--id-field", default="id", show_default=True)
@click.option("--text-field", default="text", show_default=True)
@click.option("--workers", type=int, default=1, show_default=True, help="Processes (0 = every core).")
@click.option("--show", type=int, default=10, show_default=True, help="False merges and misses listed (text format).")
@handle_errors
def command(labelled, fmt, id_field, text_field, workers, show):
    """Scan LABELLED (JSONL/CSV with "id", "text", "story", optional "event", "relation") and score it:
    pair precision, recall and F1, adjusted Rand index, same-event merges, recall per relation, time."""
    from ..evaluate import evaluate

    ev, _ = evaluate(labelled, Config(workers=workers), id_field=id_field, text_field=text_field)
    if fmt == "json":
        click.echo(json.dumps(ev.to_dict(), ensure_ascii=False))
        return
    rel = ", ".join(f"{k} {a}/{b}" for k, (a, b) in ev.recall_by_relation.items())
    lines = [
        f"documents              {ev.documents}",
        f"pair precision         {ev.pair_precision:.3f}",
        f"pair recall            {ev.pair_recall:.3f}",
        f"pair F1                {ev.pair_f1:.3f}",
        f"adjusted Rand index    {ev.ari:.3f}",
        f"same-event merges      {ev.same_event_merged}/{ev.same_event_pairs} pairs ({ev.same_event_merge_rate:.2%})",
        f"recall by relation     {rel or 'none'}",
        f"time                   {ev.seconds:.2f} s",
    ]
    for title, pairs in (("false merges", ev.false_merges), ("missed pairs", ev.missed)):
        if pairs and show:
            lines.append(f"{title} ({len(pairs)}), first {min(show, len(pairs))}:")
            lines += [f"  {a}  ~  {b}" for a, b in pairs[:show]]
    click.echo("\n".join(lines))
