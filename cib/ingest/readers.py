"""Reading one dump file: container sniffing, CSV/TSV, JSON lines, Parquet, gzip."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from cib.errors import ConfigError, InputError
from cib.ingest.canonical import to_stored
from cib.ingest.formats import FORMATS, detect_format, match_columns, not_a_dump_error
from cib.ingest.quarantine import excerpt, quarantine_frame, row_excerpts
from cib.ingest.twitter_api import records_frame, v1_rows, v2_rows
from cib.ingest.twitter_io import io_colmap
from cib.schemas import POSTS, QUARANTINE, STORED_POSTS

__all__ = ["ReadResult", "read_file", "read_file_chunks"]

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
_Bad = list[tuple[int, str, str]]


@dataclass
class ReadResult:
    """What :func:`read_file` got out of one file.

    Attributes
    ----------
    path : Path
        The file read.
    sha256 : str
        Hex SHA-256 of the file's bytes on disk.
    format : str
        The format used (one of :data:`FORMATS` but ``auto``).
    posts : pl.DataFrame
        Accepted posts, :data:`cib.schemas.STORED_POSTS` exactly (duplicates kept).
    quarantine : pl.DataFrame
        Rejected rows, :data:`cib.schemas.QUARANTINE`, sorted by line.
    rows_seen : int
        Rows read: ``posts.height + quarantine.height``.
    """

    path: Path
    sha256: str
    format: str
    posts: pl.DataFrame
    quarantine: pl.DataFrame
    rows_seen: int


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _container(path: Path) -> tuple[str, bytes | None, str]:
    """``(kind, data, inner_name)``: kind is parquet, csv or json; data is None for parquet."""
    with path.open("rb") as f:
        magic = f.read(4)
    name = path.name.lower()
    if magic == b"PAR1" or name.endswith((".parquet", ".pq")):
        return "parquet", None, name
    data = path.read_bytes()
    if magic[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputError(f"{path}: gzip data is corrupt ({exc}); re-download it.") from exc
        name = name.removesuffix(".gz")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    head = data[:4096].lstrip()
    if head[:1] in (b"{", b"["):
        return "json", data, name
    return "csv", data, name


def _sniff_sep(data: bytes, name: str) -> str:
    if name.endswith(".tsv"):
        return "\t"
    end = data.find(b"\n")
    header = data[: end if end >= 0 else len(data)]
    counts = {sep: header.count(sep.encode()) for sep in (",", "\t", ";", "|")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def _physical_lines(data: bytes) -> int:
    return data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)


def _csv_fast(data: bytes, sep: str) -> tuple[pl.DataFrame, pl.Series] | None:
    try:
        df = pl.read_csv(
            data,
            separator=sep,
            infer_schema=False,
            encoding="utf8-lossy",
            truncate_ragged_lines=False,
            raise_if_empty=False,
        )
    except (pl.exceptions.PolarsError, ValueError):
        return None
    if df.height == 0:
        return df, pl.Series("line", [], dtype=pl.Int64)
    nl = df.select(
        pl.sum_horizontal(pl.all().str.count_matches("\n").fill_null(0)).cast(pl.Int64)
    ).to_series()
    lines = pl.int_range(2, df.height + 2, eager=True, dtype=pl.Int64) + nl.cum_sum() - nl
    if int(lines[-1]) + int(nl[-1]) != _physical_lines(data):
        return None  # blank lines or odd line ends: let the exact reader count
    return df, lines


def _csv_slow(data: bytes, sep: str) -> tuple[pl.DataFrame, pl.Series, _Bad]:
    text = data.decode("utf-8", errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        header = []
    names = [h if h else f"column_{i + 1}" for i, h in enumerate(header)]
    cols: list[list[str | None]] = [[] for _ in names]
    lines: list[int] = []
    bad: _Bad = []
    prev = reader.line_num
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            bad.append((prev + 1, f"unreadable CSV row ({exc}); fix its quoting", ""))
            prev = reader.line_num
            continue
        start, prev = prev + 1, reader.line_num
        if len(row) > len(names):
            bad.append(
                (
                    start,
                    f"row has {len(row)} fields but the header has {len(names)}; "
                    f"quote fields that contain {sep!r} or line breaks",
                    "",
                )
            )
            continue
        for j, col in enumerate(cols):
            v = row[j] if j < len(row) else ""
            col.append(v if v != "" else None)
        lines.append(start)
    df = pl.DataFrame(
        {n: pl.Series(n, c, dtype=pl.String) for n, c in zip(names, cols, strict=True)}
    )
    return df, pl.Series("line", lines, dtype=pl.Int64), bad


def _read_csv(data: bytes, name: str) -> tuple[pl.DataFrame, pl.Series, _Bad]:
    sep = _sniff_sep(data, name)
    fast = _csv_fast(data, sep)
    df, lines, bad = (*fast, []) if fast is not None else _csv_slow(data, sep)
    if df.width:
        keep = df.select(~pl.all_horizontal(pl.all().is_null())).to_series()
        if not keep.all():  # blank lines hold no row
            df, lines = df.filter(keep), lines.filter(keep)
    return df, lines, bad


def _split_lines(data: bytes) -> list[bytes]:
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def _parse_records(lines: list[bytes]) -> tuple[list[tuple[int, Any]], _Bad]:
    recs: list[tuple[int, Any]] = []
    bad: _Bad = []
    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            recs.append((i, json.loads(raw)))
        except ValueError as exc:
            bad.append((i, f"line is not valid JSON ({exc}); fix or remove the line", ""))
    return recs, bad


def _json_keys(recs: list[tuple[int, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for _, r in recs[:1000]:
        if isinstance(r, dict):
            keys.update(dict.fromkeys(r))
    return list(keys)


def _list_value(v: Any) -> Any:
    import re

    if isinstance(v, str):
        return [x for x in re.split(r"[\s,]+", re.sub(r"[\[\]'\"]", "", v)) if x]
    return v


def _canonical_records(
    recs: list[tuple[int, Any]], colmap: dict[str, str]
) -> tuple[pl.DataFrame, pl.Series, _Bad]:
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
    return records_frame(rows), pl.Series("line", lines, dtype=pl.Int64), bad


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


def read_file(
    path: Path | str,
    *,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    platform: str | None = None,
    max_text_bytes: int = 1_000_000,
) -> ReadResult:
    """Read one dump file into canonical, normalised posts and quarantined rows.

    Parameters
    ----------
    path : Path or str
        A CSV/TSV, JSON lines, Parquet file, or a gzip of a CSV or JSON lines file.
    fmt : str
        One of :data:`FORMATS`; ``auto`` detects from the header or JSON keys.
    mapping : dict[str, str], optional
        Canonical column -> source column (from :func:`parse_mapping`); implies canonical.
    platform : str, optional
        Platform for rows without one (default: ``twitter`` for Twitter formats, else
        ``unknown``).
    max_text_bytes : int
        Texts longer than this (UTF-8 bytes) are quarantined.

    Returns
    -------
    ReadResult

    Raises
    ------
    InputError
        If the file is missing, unreadable, or not a dump of posts.
    ConfigError
        If ``fmt`` is unknown.
    """
    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {list(FORMATS)}; got {fmt!r}.")
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} is not a file; check the path.")
    sha = _sha256(path)
    kind, data, name = _container(path)
    extra_bad: _Bad = []
    raw_lines: list[bytes] | None = None
    if kind == "json":
        assert data is not None
        raw_lines = _split_lines(data)
        table, lines, extra_bad, used, colmap = _read_json(data, raw_lines, fmt, mapping, str(path))
    else:
        if kind == "parquet":
            try:
                table = pl.read_parquet(path)
            except Exception as exc:  # noqa: BLE001 - any reader failure means the same
                raise InputError(f"{path}: not a readable Parquet file ({exc}).") from exc
            lines = pl.int_range(1, table.height + 1, eager=True, dtype=pl.Int64)
        else:
            assert data is not None
            table, lines, extra_bad = _read_csv(data, name)
        used, colmap = _table_format(path, kind, table.columns, fmt, mapping)
    default_platform = platform or ("twitter" if used.startswith("twitter") else "unknown")
    posts, bad = to_stored(
        table,
        colmap,
        lines,
        file=str(path),
        platform=default_platform,
        max_text_bytes=max_text_bytes,
    )
    if bad.height:
        if kind == "parquet":
            raws = row_excerpts(table, bad["row"].to_list())
        else:
            raw_lines = raw_lines if raw_lines is not None else _split_lines(data or b"")
            raws = [
                excerpt(raw_lines[i - 1]) if 0 < i <= len(raw_lines) else ""
                for i in bad["line"].to_list()
            ]
        q_main = quarantine_frame(str(path), bad["line"].to_list(), bad["reason"].to_list(), raws)
    else:
        q_main = pl.DataFrame(schema=QUARANTINE)
    if extra_bad:
        raw_lines = raw_lines if raw_lines is not None else _split_lines(data or b"")
        q_extra = quarantine_frame(
            str(path),
            [b[0] for b in extra_bad],
            [b[1] for b in extra_bad],
            [
                b[2] or (excerpt(raw_lines[b[0] - 1]) if 0 < b[0] <= len(raw_lines) else "")
                for b in extra_bad
            ],
        )
        q_main = pl.concat([q_main, q_extra])
    return _result(path, sha, used, posts, q_main)


def _result(
    path: Path, sha: str, used: str, posts: pl.DataFrame, quarantine: pl.DataFrame
) -> ReadResult:
    quarantine = quarantine.sort("line", maintain_order=True)
    return ReadResult(
        path=path,
        sha256=sha,
        format=used,
        posts=posts.select(list(STORED_POSTS)),
        quarantine=quarantine,
        rows_seen=posts.height + quarantine.height,
    )


def read_file_chunks(
    path: Path | str,
    *,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    platform: str | None = None,
    max_text_bytes: int = 1_000_000,
    chunk_rows: int = 200_000,
) -> Iterator[ReadResult]:
    """:func:`read_file` in pieces of at most ``chunk_rows`` rows, so memory follows the chunk.

    Parquet files are streamed by record batch (lines count rows across the whole file);
    other inputs come as one piece. Every piece carries the whole file's ``sha256`` and
    format; its ``rows_seen`` counts that piece only.
    """
    path = Path(path)
    kind = _container(path)[0] if path.is_file() else ""
    if kind != "parquet":
        yield read_file(
            path, fmt=fmt, mapping=mapping, platform=platform, max_text_bytes=max_text_bytes
        )
        return
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # noqa: BLE001 - any reader failure means the same
        raise InputError(f"{path}: not a readable Parquet file ({exc}).") from exc
    if pf.metadata.num_rows <= chunk_rows:
        yield read_file(
            path, fmt=fmt, mapping=mapping, platform=platform, max_text_bytes=max_text_bytes
        )
        return
    if fmt not in FORMATS:
        raise ConfigError(f"format must be one of {list(FORMATS)}; got {fmt!r}.")
    sha = _sha256(path)
    used, colmap = _table_format(path, kind, list(pf.schema_arrow.names), fmt, mapping)
    default_platform = platform or ("twitter" if used.startswith("twitter") else "unknown")
    offset = 0
    for batch in pf.iter_batches(batch_size=chunk_rows):
        table = pl.from_arrow(batch)
        assert isinstance(table, pl.DataFrame)
        lines = pl.int_range(offset + 1, offset + table.height + 1, eager=True, dtype=pl.Int64)
        posts, bad = to_stored(
            table,
            colmap,
            lines,
            file=str(path),
            platform=default_platform,
            max_text_bytes=max_text_bytes,
        )
        if bad.height:
            raws = row_excerpts(table, bad["row"].to_list())
            quarantine = quarantine_frame(
                str(path), bad["line"].to_list(), bad["reason"].to_list(), raws
            )
        else:
            quarantine = pl.DataFrame(schema=QUARANTINE)
        offset += table.height
        yield _result(path, sha, used, posts, quarantine)


def _table_format(
    path: Path, kind: str, columns: list[str], fmt: str, mapping: dict[str, str] | None
) -> tuple[str, dict[str, str]]:
    """Format and column map of a CSV or Parquet table with ``columns`` (errors say why not)."""
    used = fmt if fmt != "auto" else detect_format(columns, mapping)
    if used in ("twitter-v2", "twitter-v1"):
        raise InputError(
            f"{path}: format {used} needs JSON lines, but this is a {kind} "
            "file; use --format auto, canonical or twitter-io."
        )
    if used == "":
        raise not_a_dump_error(str(path), columns)
    return used, _colmap(used, columns, mapping)


def _colmap(used: str, columns: list[str], mapping: dict[str, str] | None) -> dict[str, str]:
    if used != "twitter-io":
        return match_columns(columns, mapping)
    colmap = io_colmap(columns)
    if mapping:
        colmap.update({k: v for k, v in match_columns(columns, mapping).items() if k in mapping})
    return colmap


def _all_keys(recs: list[tuple[int, Any]]) -> list[str]:
    keys: dict[str, None] = {}
    for _, r in recs:
        if isinstance(r, dict):
            keys.update(dict.fromkeys(r))
    return list(keys)


def _read_json(
    data: bytes, raw_lines: list[bytes], fmt: str, mapping: dict[str, str] | None, path: str
) -> tuple[pl.DataFrame, pl.Series, _Bad, str, dict[str, str]]:
    """JSON lines (or one JSON document) -> raw table, lines, parse failures, format, colmap."""
    probe, _ = _parse_records(raw_lines[:200])
    recs: list[tuple[int, Any]] | None = None
    bad: _Bad = []
    if not probe:  # maybe one pretty-printed document or a top-level array
        try:
            doc = json.loads(data)
        except ValueError:
            doc = None
        if doc is not None:
            recs = [(1, r) for r in (doc if isinstance(doc, list) else [doc])]
        else:
            recs, bad = _parse_records(raw_lines)
    used = fmt if fmt != "auto" else detect_format(_json_keys(recs or probe), mapping)
    if used == "":
        raise not_a_dump_error(path, _json_keys(recs or probe))
    if used == "canonical" and recs is None:
        fast = _ndjson_fast(data, raw_lines)
        if fast is not None:
            return fast[0], fast[1], [], used, match_columns(fast[0].columns, mapping)
    if recs is None:
        recs, bad = _parse_records(raw_lines)
    identity = {c: c for c in POSTS}
    if used in ("canonical", "twitter-io"):
        keys = _all_keys(recs)
        colmap = _colmap(used, keys, mapping)
        if used == "canonical":
            missing = [c for c in ("post_id", "account_id", "created_at") if c not in colmap]
            if missing:
                raise not_a_dump_error(path, keys)
        table, lines, bad2 = _canonical_records(recs, colmap)
        return table, lines, bad + bad2, used, identity
    rows, line_list, bad2 = (v2_rows if used == "twitter-v2" else v1_rows)(recs)
    lines = pl.Series("line", line_list, dtype=pl.Int64)
    return records_frame(rows), lines, bad + bad2, used, identity
