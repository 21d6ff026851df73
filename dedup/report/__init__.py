"""Reports of a scan: files on disk (JSONL, CSV, Parquet, SQLite), terminal tables, the editors' HTML."""
