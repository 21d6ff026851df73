"""Reports of a scan: files on disk (JSONL, CSV, Parquet), terminal tables, the editors' HTML."""
