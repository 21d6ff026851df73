"""Shared pytest fixtures."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def shared_dir() -> Path:
    """The project's shared material (../shared: seeds, dev set, checks); skips when absent."""
    path = (REPO_ROOT / ".." / "shared").resolve()
    if not path.is_dir():
        pytest.skip(f"../shared is absent: no {path} next to the repository")
    return path
