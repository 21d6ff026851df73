"""Engines decide where the batch stages run: in process, a local process pool, a Dask cluster."""
