"""Readers of post dumps: files, directories and globs of CSV/TSV, JSON lines, Parquet.

Public API
----------
FORMATS
    Accepted ``--format`` values.
expand_paths(paths)
    Files, directories (recursive, sorted) and globs -> files.
parse_mapping(spec)
    ``"canonical=source,..."`` -> ``{canonical: source}``.
ReadResult, read_file(path, ...)
    One file -> canonical normalised posts (STORED_POSTS) + quarantined rows.
read_file_chunks(path, ..., chunk_rows)
    The same in pieces (Parquet streamed by record batch), for bounded memory.
"""

from __future__ import annotations

from cib.ingest.formats import FORMATS, detect_format, parse_mapping
from cib.ingest.paths import expand_paths
from cib.ingest.readers import ReadResult, read_file, read_file_chunks

__all__ = [
    "FORMATS",
    "ReadResult",
    "detect_format",
    "expand_paths",
    "parse_mapping",
    "read_file",
    "read_file_chunks",
]
