"""`dedup diff SOURCE COPY`: what the copy changed in its source, phrase by phrase."""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..diff import Diff, diff_texts
from ..diff_render import to_html, to_json, to_runs, to_word
from ..errors import InputError
from . import handle_errors

# Terminal styles of the runs of dedup.diff_render.to_runs.
STYLES = {
    "": "",
    "del": "red strike",
    "ins": "green",
    "removed": "red strike dim",
    "new": "bold green",
    "bp": "yellow dim",
    "moved": "cyan",
    "moved-from": "cyan strike dim",
}


def read_text(path: str) -> str:
    """A UTF-8 text file; a missing or unreadable file, or invalid UTF-8, is an InputError naming it."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, None, "is a directory, not a text file") from None
    except OSError as exc:
        raise InputError(path, None, f"cannot be read: {exc.strerror or exc}") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise InputError(path, line, f"is not valid UTF-8 (byte {exc.start})") from None


def _render_text(diff: Diff, source_name: str, copy_name: str) -> None:
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    s = diff.stats
    console.print(Text(f"{copy_name} against its source {source_name}", style="bold"))
    console.print(
        f"source: {s['source_verbatim']:.0%} verbatim, {s['source_reworded']:.0%} reworded, "
        f"{s['source_removed']:.0%} removed ({s['source_moved']:.0%} moved)   "
        f"copy: {s['copy_new']:.0%} new content, {s['copy_boilerplate']:.0%} boilerplate   "
        f"{s['changes']} changes"
    )
    legend = Text("legend: ")
    for label, style in (("removed", "del"), ("added", "ins"), ("new content", "new"),
                         ("boilerplate", "bp"), ("moved", "moved")):
        legend.append(label, style=STYLES[style]).append("  ")
    console.print(legend)
    console.rule()
    body = Text()
    for text, style in to_runs(diff):
        body.append(text, style=STYLES.get(style, ""))
    console.print(body)


@click.command("diff")
@click.argument("source", type=click.Path(dir_okay=False))
@click.argument("copy", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["text", "word", "json", "html"]), default="text",
              show_default=True, help="text: coloured terminal view; word: [-old-]{+new+} word diff "
              "(exactly replayable); json: changes, additions, removals, figures; html: fragment.")
@handle_errors
def command(source: str, copy: str, fmt: str) -> None:
    """Show what COPY changed in its SOURCE: reworded phrases, moved, cut and added sentences,
    and which additions are only site furniture (boilerplate)."""
    source_text, copy_text = read_text(source), read_text(copy)
    diff = diff_texts(source_text, copy_text)
    if fmt == "json":
        click.echo(json.dumps(to_json(diff, source, copy), ensure_ascii=False, indent=2))
    elif fmt == "word":
        click.echo(to_word(diff), nl=False)
    elif fmt == "html":
        click.echo(to_html(diff))
    else:
        _render_text(diff, source, copy)
