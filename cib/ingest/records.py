"""From parsed input to a raw table: JSON lines and documents, and record-mapped formats.

Tabular formats that map column for column (canonical, twitter-io) go straight to the
canonical path with a column map. Every other format is *record-mapped*: a reader turns
each record (a JSON object, or a CSV/Parquet row as a dict with lower-cased keys) into a
row with canonical keys (:data:`RECORD_READERS`), and bad records are quarantined one by
one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from cib.ingest.bluesky import bluesky_row
from cib.ingest.fields import Row, map_records
from cib.ingest.formats import detect_format, match_columns, not_a_dump_error
from cib.ingest.fourcat import fourcat_row
from cib.ingest.jsondoc import (
    Member,
    has_surrogate_escape,
    is_document,
    parse_lines,
    read_document,
)
from cib.ingest.mastodon import mastodon_row
from cib.ingest.meta import meta_row
from cib.ingest.reddit import reddit_row
from cib.ingest.telegram import telegram_rows
from cib.ingest.twarc_csv import twarc_row
from cib.ingest.twitter_api import records_frame, v1_rows, v2_rows
from cib.ingest.twitter_io import io_colmap
from cib.schemas import LIST_POST_COLUMNS, POSTS

__all__ = [
    "DEFAULT_PLATFORM",
    "JSON_ONLY",
    "RECORD_READERS",
    "RawTable",
    "colmap_for",
    "read_json",
    "table_records",
]

_Bad = list[tuple[int, str, str]]
_Recs = list[tuple[int, Any]]
_Mapped = tuple[list[Row], list[int], _Bad, list[str] | None]


def _per_record(
    fn: Callable[[Any], Row | None],
) -> Callable[[_Recs, Sequence[str] | None], _Mapped]:
    def run(recs: _Recs, raws: Sequence[str] | None) -> _Mapped:
        values = ((line, r.value if isinstance(r, Member) else r) for line, r in recs)
        return map_records(values, fn, raws)

    return run


#: Record-mapped formats: ``(records, raws) -> (rows, lines, bad, row_raws)``.
RECORD_READERS: dict[str, Callable[[_Recs, Sequence[str] | None], _Mapped]] = {
    "twarc2-csv": _per_record(twarc_row),
    "telegram": telegram_rows,
    "bluesky": _per_record(bluesky_row),
    "reddit": _per_record(reddit_row),
    "mastodon": _per_record(mastodon_row),
    "4cat": _per_record(fourcat_row),
    "meta": _per_record(meta_row),
}

#: Formats that only come as JSON (their records nest).
JSON_ONLY = frozenset({"twitter-v2", "twitter-v1", "telegram", "bluesky", "reddit", "mastodon"})

#: Platform of rows whose record does not say, per format (else ``unknown``).
DEFAULT_PLATFORM = {"twitter-io": "twitter", "twitter-v2": "twitter", "twitter-v1": "twitter",
                    "twarc2-csv": "twitter", "telegram": "telegram", "bluesky": "bluesky",
                    "reddit": "reddit", "mastodon": "mastodon", "meta": "facebook"}  # fmt: skip


@dataclass
class RawTable:
    """A raw table ready for :func:`cib.ingest.canonical.to_stored`.

    Attributes
    ----------
    table : pl.DataFrame
        Raw rows (source columns, or canonical columns for record-mapped formats).
    lines : pl.Series
        Physical line of each row.
    bad : list
        ``(line, reason, raw)`` of records rejected before the canonical path.
    format : str
        The format used.
    colmap : dict[str, str]
        Canonical column -> column of ``table``.
    row_raws : list[str] or None
        Raw excerpt of each row, for inputs whose records span lines (else None: the
        physical line is the excerpt).
    """

    table: pl.DataFrame
    lines: pl.Series
    bad: _Bad
    format: str
    colmap: dict[str, str]
    row_raws: list[str] | None = None


def colmap_for(used: str, columns: list[str], mapping: dict[str, str] | None) -> dict[str, str]:
    """Canonical column -> source column for the column-mapped formats."""
    if used != "twitter-io":
        return match_columns(columns, mapping)
    colmap = io_colmap(columns)
    if mapping:
        colmap.update({k: v for k, v in match_columns(columns, mapping).items() if k in mapping})
    return colmap


def table_records(table: pl.DataFrame, lines: pl.Series) -> _Recs:
    """Rows of a CSV/Parquet table as records with stripped, lower-cased keys."""
    names = {c: c.strip().lower() for c in table.columns}
    out: _Recs = []
    for line, row in zip(lines.to_list(), table.iter_rows(named=True), strict=True):
        out.append((line, {names[k]: v for k, v in row.items() if v is not None}))
    return out


def mapped_table(used: str, recs: _Recs, raws: Sequence[str] | None = None) -> RawTable:
    """Run a record-mapped format's reader: canonical rows, lines and bad records."""
    rows, line_list, bad, row_raws = RECORD_READERS[used](recs, raws)
    lines = pl.Series("line", line_list, dtype=pl.Int64)
    identity = {c: c for c in POSTS}
    return RawTable(records_frame(rows), lines, bad, used, identity, row_raws)


def _json_keys(recs: Iterable[tuple[int, Any]], n: int | None = 1000) -> list[str]:
    keys: dict[str, None] = {}
    for i, (_, r) in enumerate(recs):
        if n is not None and i >= n:
            break
        r = r.value if isinstance(r, Member) else r
        if isinstance(r, dict):
            keys.update(dict.fromkeys(r))
    return list(keys)


def _list_value(v: Any) -> Any:
    if isinstance(v, str):
        return [x for x in re.split(r"[\s,]+", re.sub(r"[\[\]'\"]", "", v)) if x]
    return v


def _canonical_records(recs: _Recs, colmap: dict[str, str]) -> tuple[pl.DataFrame, list[int], _Bad]:
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    bad: _Bad = []
    for line, rec in recs:
        if not isinstance(rec, dict):
            bad.append((line, f"line is a JSON {type(rec).__name__}; expected an object", ""))
            continue
        row: dict[str, Any] = {}
        problem = None
        for canon, src in colmap.items():
            v = rec.get(src)
            if POSTS[canon] == pl.List(pl.String):
                v = _list_value(v)
                if v is not None and not (
                    isinstance(v, list) and all(isinstance(x, (str, int, float)) for x in v)
                ):
                    problem = f"field {src!r} is a {type(v).__name__}; expected a list of strings"
                    break
                row[canon] = [str(x) for x in v] if v is not None else []
            else:
                if isinstance(v, (dict, list)) or isinstance(v, bool):
                    problem = f"field {src!r} is a {type(v).__name__}; expected text or a number"
                    break
                if isinstance(v, float) and v.is_integer() and canon != "created_at":
                    v = int(v)
                row[canon] = None if v is None else str(v)
        if problem:
            bad.append((line, problem, ""))
        else:
            rows.append(row)
            lines.append(line)
    return records_frame(rows), lines, bad


def _ndjson_fast(data: bytes, lines: list[bytes]) -> tuple[pl.DataFrame, pl.Series] | None:
    df = None
    for infer in (1000, None):  # a sample first (fast); the whole file if types drift later
        try:
            df = pl.read_ndjson(io.BytesIO(data), infer_schema_length=infer)
            break
        except (pl.exceptions.PolarsError, ValueError, RuntimeError):
            continue
    if df is None:
        return None
    if b"\n\n" in data or b"\n\r\n" in data or data[:1] in (b"\n", b"\r"):
        idx = [i for i, raw in enumerate(lines, start=1) if raw.strip()]
    else:
        idx = None
    n = len(idx) if idx is not None else len(lines)
    if df.height != n:
        return None
    line = (
        pl.Series("line", idx, dtype=pl.Int64)
        if idx is not None
        else pl.int_range(1, n + 1, eager=True, dtype=pl.Int64)
    )
    return df, line


def _stringified(df: pl.DataFrame, colmap: dict[str, str]) -> bool:
    """Whether Polars may have turned objects, arrays or booleans into text.

    Polars reads a column mixing strings with objects (or booleans) as text holding their
    JSON; the exact path quarantines such records, so a file with any value that looks
    like one takes that path (a genuine text starting with ``{`` only costs speed).
    """
    for canon, src in colmap.items():
        s = df[src]
        if s.dtype == pl.String:
            looks = s.str.contains(r"^\s*[\[{]") | s.is_in(["true", "false"])
        elif isinstance(s.dtype, pl.List) and s.dtype.inner == pl.String:
            looks = s.list.eval(pl.element().str.contains(r"^\s*[\[{]")).list.any()
        else:
            continue
        if canon in LIST_POST_COLUMNS and s.dtype == pl.String:
            looks = s.str.contains(r"^\s*(?:\{|\[\s*[\[{])") | s.is_in(["true", "false"])
        if looks.fill_null(False).any():
            return True
    return False


def _by_line(lines: list[int], recs: _Recs, raws: Sequence[str] | None) -> list[str] | None:
    """Raw excerpts of rows keyed by line, when every record starts on its own line."""
    if raws is None or len({line for line, _ in recs}) != len(recs):
        return None
    at = {line: raw for (line, _), raw in zip(recs, raws, strict=True)}
    return [at.get(line, "") for line in lines]


def read_json(
    data: bytes, raw_lines: list[bytes], fmt: str, mapping: dict[str, str] | None, path: str
) -> RawTable:
    """JSON lines or one JSON document -> raw table (format detected from the keys).

    Raises
    ------
    InputError
        If no known format fits the keys.
    """
    doc = read_document(data) if is_document(raw_lines) else None
    recs: _Recs | None = None
    raws: list[str] | None = None
    bad: _Bad = []
    if doc is not None:
        recs, raws, bad = doc.records, doc.raws, list(doc.bad)
        keys = _json_keys(recs)
        if fmt != "auto":
            used = fmt
        elif doc.containers and not mapping:
            used = "telegram"
        else:
            used = detect_format(keys, mapping)
    else:
        probe, _ = parse_lines(raw_lines[:200])
        keys = _json_keys(probe)
        if not keys:  # the first lines are all broken: look at the whole file
            recs, bad = parse_lines(raw_lines)
            keys = _json_keys(recs)
        used = fmt if fmt != "auto" else detect_format(keys, mapping)
    if used == "":
        raise not_a_dump_error(path, keys)
    if used in RECORD_READERS:
        if recs is None:
            recs, bad = parse_lines(raw_lines)
        out = mapped_table(used, recs, raws)
        out.bad = bad + out.bad
        return out
    if used == "canonical" and recs is None and not has_surrogate_escape(data):
        fast = _ndjson_fast(data, raw_lines)
        if fast is not None:
            colmap = match_columns(fast[0].columns, mapping)
            if not _stringified(fast[0], colmap):
                return RawTable(fast[0], fast[1], [], used, colmap)
    if recs is None:
        recs, bad = parse_lines(raw_lines)
    else:
        recs = [(line, r.value if isinstance(r, Member) else r) for line, r in recs]
    identity = {c: c for c in POSTS}
    if used in ("canonical", "twitter-io"):
        keys = _json_keys(recs, None)
        colmap = colmap_for(used, keys, mapping)
        if used == "canonical":
            missing = [c for c in ("post_id", "account_id", "created_at") if c not in colmap]
            if missing:
                raise not_a_dump_error(path, keys)
        table, line_list, bad2 = _canonical_records(recs, colmap)
    else:
        rows, line_list, bad2 = (v2_rows if used == "twitter-v2" else v1_rows)(recs)
        table = records_frame(rows)
    lines = pl.Series("line", line_list, dtype=pl.Int64)
    return RawTable(table, lines, bad + bad2, used, identity, _by_line(line_list, recs, raws))
