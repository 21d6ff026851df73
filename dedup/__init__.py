"""dedup: near-duplicate and syndication detection for news.

    import dedup
    result = dedup.scan("data/corpus.jsonl")        # groups, sources, relations (ScanResult)
    d = dedup.diff(source_text, copy_text)          # what the copy changed (Diff)
    evaluation, result = dedup.evaluate("labelled.jsonl")
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["scan", "diff", "evaluate", "Config", "Document", "DedupError"]

from .config import Config
from .errors import DedupError
from .types import Document

if TYPE_CHECKING:  # pragma: no cover
    from .diff import Diff
    from .evaluate import Evaluation
    from .types import ScanResult


def scan(inputs: Any, config: Config | None = None, **options: Any) -> "ScanResult":
    """Scan paths (directories, text/JSONL/CSV/Parquet files, globs) or Documents for copies.
    See dedup.pipeline.scan for the options."""
    from .pipeline import scan as run

    return run(inputs, config, **options)


def diff(source: str, copy: str, **options: Any) -> "Diff":
    """What `copy` changed of `source`, phrase by phrase (see dedup.diff.diff_texts)."""
    from .diff import diff_texts

    return diff_texts(source, copy, **options)


def evaluate(path: str, config: Config | None = None, **options: Any) -> tuple["Evaluation", "ScanResult"]:
    """Scan a labelled corpus and score the grouping against its "story" labels."""
    from .evaluate import evaluate as run

    return run(path, config, **options)
