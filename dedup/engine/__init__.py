"""Engines decide where the batch stages run: in process, a local process pool, a Dask cluster."""
from __future__ import annotations

from ..errors import MissingExtra

DASK_HINT = "install it with: pip install 'dedup[dask]'"


def dask_engine(scheduler: str | None = None, workers: int = 0):
    """A DaskEngine on the cluster at `scheduler` (tcp://HOST:PORT), or on a LocalCluster of
    `workers` processes (2 when 0) started for the scan. Raises MissingExtra when dask, distributed
    or pyarrow are not installed."""
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
    except ImportError as exc:
        raise MissingExtra(f"--engine dask needs dask[distributed] ({exc.name} is missing); {DASK_HINT}") from None
    from .dask import DaskEngine

    return DaskEngine(scheduler, workers)
