"""Readers of post dumps: files, directories and globs of CSV/TSV, JSON, Parquet.

Formats (see :data:`FORMATS`; each module's docstring maps its fields): the canonical
columns and the Twitter/X archive CSV map column for column (:mod:`canonical`,
:mod:`twitter_io`); Twitter API v2/v1.1 (:mod:`twitter_api`), twarc2 CSV
(:mod:`twarc_csv`), Telegram exports (:mod:`telegram`), Bluesky (:mod:`bluesky`), Reddit
(:mod:`reddit`), Mastodon (:mod:`mastodon`), 4CAT (:mod:`fourcat`) and Meta exports
(:mod:`meta`) are read record by record (:mod:`records`, :mod:`fields`). JSON is parsed
with guards against deep nesting and lone surrogates (:mod:`jsondoc`); a bad record is
quarantined with its file, line and reason, and the rest of the file is read.

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
