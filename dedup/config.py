"""One frozen configuration for a scan, with defaults; echoed into every output."""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from .errors import DedupError


@dataclass(frozen=True)
class Config:
    shingle_size: int = 5  # words per shingle for the copy index and exact verification
    num_perm: int = 128  # MinHash permutations
    threshold: float = 0.5  # LSH Jaccard threshold of the shingle index
    seed: int = 1  # MinHash seed (datasketch's default)
    feature_threshold: float = 0.2  # LSH threshold of the content-word index that reaches rewrites
    sentence_bands: int = 10  # LSH bands over each sentence's content words (0 = no sentence index)
    sentence_rows: int = 3  # rows per sentence band
    min_sentence_words: int = 5  # content words that make a sentence worth indexing
    min_shared_sentences: int = 2  # colliding sentences that make two documents candidates
    sentence_clique: int = 20  # a sentence bucket larger than this is linked as a star on its smallest id
    rewrites: bool = True  # look for rewrites (second index + sentence alignment)
    boilerplate: bool = True  # remove site furniture before fingerprinting
    min_containment: float = 0.5  # containment that makes a copy (truncated copies included)
    max_bucket: int = 200  # LSH buckets larger than this are skipped (site furniture, templates)
    workers: int = 1  # processes for the local engine (0 = every core)
    batch_size: int = 2000  # documents per batch handed to a worker

    def __post_init__(self) -> None:
        problems = []
        if self.shingle_size < 1:
            problems.append("shingle_size must be at least 1")
        if not 1 <= self.num_perm <= 1024:
            problems.append("num_perm must be between 1 and 1024")
        for name in ("threshold", "feature_threshold", "min_containment"):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                problems.append(f"{name} must be in (0, 1], got {value}")
        if self.workers < 0:
            problems.append("workers must be 0 (every core) or more")
        if self.batch_size < 1:
            problems.append("batch_size must be at least 1")
        if self.sentence_clique < 1:
            problems.append("sentence_clique must be at least 1")
        if problems:
            raise DedupError("invalid configuration: " + "; ".join(problems))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def with_(self, **changes: Any) -> "Config":
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise DedupError(f"unknown configuration field(s): {', '.join(sorted(unknown))}")
        return replace(self, **{k: v for k, v in changes.items() if v is not None})
