"""`dedup boilerplate`: each document's site furniture, with the rule that found it."""
from __future__ import annotations

import json

import click

from . import handle_errors


@click.command("boilerplate")
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field holding the document id.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text.")
@click.option("--on-error", type=click.Choice(["fail", "skip"]), default="fail", show_default=True,
              help="Malformed records: stop with an error naming file and line, or skip them with a warning.")
@handle_errors
def command(paths, fmt, id_field, text_field, on_error):
    """Show the boilerplate (site furniture) of every document of PATHS, and the rule behind each flag.

    The corpus evidence (lines recurring across otherwise unrelated documents) is built from all
    the documents given; offsets in the json output point into the original text.
    """
    from ..boilerplate import find_corpus_boilerplate
    from ..corpus import read_corpus

    corpus = read_corpus(list(paths), id_field=id_field, text_field=text_field, on_error=on_error)
    for p in corpus.problems:
        click.echo(f"dedup: warning: {p.where()}: {p.kind}: {p.message}", err=True)
    found = find_corpus_boilerplate(corpus.documents)
    if fmt == "json":
        out = [{"id": doc.id, "boilerplate": [
            {"text": s.text, "rule": s.rule, "start": s.start, "end": s.end} for s in found[doc.id]]}
            for doc in corpus.documents]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for doc in corpus.documents:
        spans = found[doc.id]
        chars = sum(s.end - s.start for s in spans)
        click.echo(f"{doc.id}: {len(spans)} span(s), {chars} of {len(doc.text)} characters")
        for s in spans:
            shown = s.text if len(s.text) <= 100 else s.text[:97] + "..."
            click.echo(f"  {s.start}-{s.end} [{s.rule}] {shown!r}")
