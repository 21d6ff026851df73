"""The command line: a thin click face over the library.

Each command lives in its own module of this package: it parses options, calls one library
function, renders the result, and turns the library's errors into messages and exit codes.
"""
from __future__ import annotations

import functools
import sys

import click

from ..errors import DedupError


def handle_errors(func):
    """Turn library errors into a one-line message on stderr and the error's exit code."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except DedupError as exc:
            click.echo(f"dedup: error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="dedup")
def main() -> None:
    """Find which news articles reproduce the same wire copy, how, and what changed."""


def _register() -> None:
    from . import boilerplate_cmd, diff_cmd, eval_cmd, report_cmd, scan_cmd

    for module in (scan_cmd, boilerplate_cmd, diff_cmd, eval_cmd, report_cmd):
        main.add_command(module.command)


_register()
