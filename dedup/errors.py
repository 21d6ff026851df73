"""The library's errors. The CLI turns them into clear messages and exit codes."""
from __future__ import annotations


class DedupError(Exception):
    """Any error the user can act on (bad input, bad option)."""

    exit_code = 2


class InputError(DedupError):
    """Bad input: names the file and, where it has one, the line."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {message}")


class MissingExtra(DedupError):
    """An optional part was asked for but its packages are not installed."""

    exit_code = 3
