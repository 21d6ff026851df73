"""`dedup scan`: read a corpus, group copies of the same wire story, write what was found."""
from __future__ import annotations

import sys

import click

from . import handle_errors
from ..config import Config


@click.command("scan")
@click.argument("inputs", nargs=-1, required=True)
@click.option("-o", "--output", "output", type=click.Path(file_okay=False), help="Directory for documents, clusters and pairs.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet", "sqlite"]), default="jsonl", show_default=True)
@click.option("--report", type=click.Path(dir_okay=False), help="Also write the editors' HTML report to this file.")
@click.option("--id-field", default="id", show_default=True, help="JSONL/CSV field holding the document id.")
@click.option("--text-field", default="text", show_default=True, help="JSONL/CSV field holding the text.")
@click.option("--on-error", type=click.Choice(["fail", "skip"]), default="fail", show_default=True,
              help="Malformed records: stop with an error naming file and line, or skip them with a warning.")
@click.option("--shingle-size", type=int, help=f"Words per shingle [default: {Config.shingle_size}].")
@click.option("--num-perm", type=int, help=f"MinHash permutations [default: {Config.num_perm}].")
@click.option("--threshold", type=float, help=f"LSH Jaccard threshold [default: {Config.threshold}].")
@click.option("--seed", type=int, help=f"MinHash seed [default: {Config.seed}].")
@click.option("--no-rewrites", is_flag=True, help="Look for verbatim and edited copies only (faster).")
@click.option("--no-boilerplate", is_flag=True, help="Keep site furniture in the fingerprints.")
@click.option("--workers", type=int, default=0, show_default=True, help="Processes (0 = every core).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True)
@click.option("--scheduler", help="Dask scheduler address (tcp://HOST:PORT); without it a LocalCluster is started.")
@click.option("-q", "--quiet", is_flag=True, help="No table or progress, only errors.")
@handle_errors
def command(inputs, output, fmt, report, id_field, text_field, on_error, shingle_size, num_perm, threshold,
            seed, no_rewrites, no_boilerplate, workers, engine, scheduler, quiet):
    """Scan INPUTS (directories, .txt/.md, JSONL, CSV, Parquet files or globs) for copies of the same story."""
    from rich.console import Console

    from ..pipeline import scan
    from ..report.tables import render_scan
    from ..report.writers import write_scan
    from .progress import progress_bar

    config = Config().with_(shingle_size=shingle_size, num_perm=num_perm, threshold=threshold, seed=seed,
                            workers=workers, rewrites=False if no_rewrites else None,
                            boilerplate=False if no_boilerplate else None)
    eng = None
    if engine == "dask":
        from ..engine import dask_engine

        eng = dask_engine(scheduler, workers)
    elif scheduler:
        raise click.UsageError("--scheduler goes with --engine dask")
    console = Console(stderr=False, width=None if sys.stdout.isatty() else 120)
    with progress_bar(enabled=not quiet and sys.stderr.isatty()) as progress:  # no bar in logs
        result = scan(list(inputs), config, id_field=id_field, text_field=text_field, on_error=on_error,
                      engine=eng, progress=progress)
    from ..report.html import record_inputs; result = record_inputs(result, inputs, id_field, text_field, on_error)
    for p in result.problems:  # always on stderr, so stdout holds only the summary
        click.echo(f"dedup: warning: {p.where()}: {p.kind}: {p.message}", err=True)
    if output:
        write_scan(result, output, fmt)
    if report:
        from ..report.html import write_report

        write_report(result, report)
    if not quiet:
        render_scan(result, console)
        if output:
            click.echo(f"wrote {output.rstrip('/') or output}/ ({fmt})")  # never wrapped: paths can be long
        if report:
            click.echo(f"wrote {report}")
    sys.exit(0)
