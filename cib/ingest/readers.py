"""Reading one dump file: container sniffing, CSV/TSV, JSON lines, Parquet, gzip."""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from cib.config import IngestParams
from cib.errors import ConfigError, InputError
from cib.ingest.canonical import to_stored
from cib.ingest.formats import FORMATS, detect_format, not_a_dump_error
from cib.ingest.quarantine import excerpt, quarantine_frame, row_excerpts
from cib.ingest.records import (
    DEFAULT_PLATFORM,
    JSON_ONLY,
    RECORD_READERS,
    RawTable,
    colmap_for,
    mapped_table,
    read_json,
    table_records,
)
from cib.schemas import QUARANTINE, STORED_POSTS

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
    if head[:1] in (b"{", b"[") or name.endswith((".json", ".jsonl", ".ndjson")):
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


def read_file(
    path: Path | str,
    *,
    fmt: str = "auto",
    mapping: dict[str, str] | None = None,
    platform: str | None = None,
    max_text_bytes: int | None = None,
) -> ReadResult:
    """Read one dump file into canonical, normalised posts and quarantined rows.

    Parameters
    ----------
    path : Path or str
        A CSV/TSV, JSON lines, JSON document (a top-level array, a Telegram export),
        Parquet file, or a gzip of a CSV or JSON file.
    fmt : str
        One of :data:`FORMATS`; ``auto`` detects from the header or JSON keys.
    mapping : dict[str, str], optional
        Canonical column -> source column (from :func:`parse_mapping`); implies canonical.
    platform : str, optional
        Platform for rows whose dump does not say (default: the format's platform, e.g.
        ``twitter`` for Twitter formats, else ``unknown``).
    max_text_bytes : int, optional
        Texts longer than this (UTF-8 bytes) are quarantined (default:
        ``IngestParams.max_text_bytes``).

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
    if max_text_bytes is None:
        max_text_bytes = IngestParams().max_text_bytes
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path} is not a file; check the path.")
    sha = _sha256(path)
    kind, data, name = _container(path)
    raw, lines = _raw_table(path, kind, data, name, fmt, mapping)
    posts, bad_rows = to_stored(
        raw.table,
        raw.colmap,
        raw.lines,
        file=str(path),
        platform=platform or DEFAULT_PLATFORM.get(raw.format, "unknown"),
        max_text_bytes=max_text_bytes,
    )
    return _result(path, sha, raw.format, posts, _quarantined(path, kind, raw, bad_rows, lines))


class _Lines:
    """The physical lines of a file's bytes, split when first needed."""

    def __init__(self, data: bytes | None, lines: list[bytes] | None = None):
        self.data = data
        self.lines = lines

    def excerpt(self, i: int) -> str:
        """An excerpt of 1-based line ``i`` (empty past the end)."""
        if self.lines is None:
            self.lines = _split_lines(self.data or b"")
        return excerpt(self.lines[i - 1]) if 0 < i <= len(self.lines) else ""


def _raw_table(
    path: Path,
    kind: str,
    data: bytes | None,
    name: str,
    fmt: str,
    mapping: dict[str, str] | None,
) -> tuple[RawTable, _Lines]:
    """The file's raw table (by its container ``kind``) and its lines for excerpts."""
    if kind == "json":
        assert data is not None
        raw_lines = _split_lines(data)
        return read_json(data, raw_lines, fmt, mapping, str(path)), _Lines(data, raw_lines)
    if kind == "parquet":
        try:
            table = pl.read_parquet(path)
        except Exception as exc:  # noqa: BLE001 - any reader failure means the same
            raise InputError(f"{path}: not a readable Parquet file ({exc}).") from exc
        lines = pl.int_range(1, table.height + 1, eager=True, dtype=pl.Int64)
        return _tabular(path, kind, table, lines, [], fmt, mapping), _Lines(data)
    assert data is not None
    table, lines, bad = _read_csv(data, name)
    return _tabular(path, kind, table, lines, bad, fmt, mapping), _Lines(data)


def _quarantined(
    path: Path, kind: str, raw: RawTable, bad_rows: pl.DataFrame, lines: _Lines
) -> pl.DataFrame:
    """The quarantine rows of a file: rows :func:`to_stored` rejected (``bad_rows``) and
    records rejected before it (``raw.bad``), each with a raw excerpt."""
    if bad_rows.height:
        rows, at = bad_rows["row"].to_list(), bad_rows["line"].to_list()
        if raw.row_raws is not None:
            raws = [raw.row_raws[r] or lines.excerpt(i) for r, i in zip(rows, at, strict=True)]
        elif kind == "parquet" and raw.format not in RECORD_READERS:
            raws = row_excerpts(raw.table, rows)
        elif kind == "parquet":
            raws = [""] * len(rows)
        else:
            raws = [lines.excerpt(i) for i in at]
        q_main = quarantine_frame(str(path), at, bad_rows["reason"].to_list(), raws)
    else:
        q_main = pl.DataFrame(schema=QUARANTINE)
    if raw.bad:
        q_extra = quarantine_frame(
            str(path),
            [b[0] for b in raw.bad],
            [b[1] for b in raw.bad],
            [b[2] or (lines.excerpt(b[0]) if kind != "parquet" else "") for b in raw.bad],
        )
        q_main = pl.concat([q_main, q_extra])
    return q_main


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
    max_text_bytes: int | None = None,
    chunk_rows: int | None = None,
) -> Iterator[ReadResult]:
    """:func:`read_file` in pieces of at most ``chunk_rows`` rows, so memory follows the chunk
    (``None``: the ``IngestParams`` values).

    Parquet files are streamed by record batch (lines count rows across the whole file);
    other inputs come as one piece. Every piece carries the whole file's ``sha256`` and
    format; its ``rows_seen`` counts that piece only.
    """
    defaults = IngestParams()
    max_text_bytes = defaults.max_text_bytes if max_text_bytes is None else max_text_bytes
    chunk_rows = defaults.chunk_rows if chunk_rows is None else chunk_rows
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
    used = _table_format(path, kind, list(pf.schema_arrow.names), fmt, mapping)
    offset = 0
    for batch in pf.iter_batches(batch_size=chunk_rows):
        table = pl.from_arrow(batch)
        assert isinstance(table, pl.DataFrame)
        lines = pl.int_range(offset + 1, offset + table.height + 1, eager=True, dtype=pl.Int64)
        raw = _tabular(path, kind, table, lines, [], used, mapping)
        posts, bad = to_stored(
            raw.table,
            raw.colmap,
            raw.lines,
            file=str(path),
            platform=platform or DEFAULT_PLATFORM.get(used, "unknown"),
            max_text_bytes=max_text_bytes,
        )
        quarantine = pl.DataFrame(schema=QUARANTINE)
        if bad.height:
            rows = bad["row"].to_list()
            raws = row_excerpts(raw.table, rows) if used not in RECORD_READERS else [""] * len(rows)
            quarantine = quarantine_frame(
                str(path), bad["line"].to_list(), bad["reason"].to_list(), raws
            )
        if raw.bad:
            quarantine = pl.concat(
                [
                    quarantine,
                    quarantine_frame(
                        str(path),
                        [b[0] for b in raw.bad],
                        [b[1] for b in raw.bad],
                        [""] * len(raw.bad),
                    ),
                ]
            )
        offset += table.height
        yield _result(path, sha, used, posts, quarantine)


def _table_format(
    path: Path, kind: str, columns: list[str], fmt: str, mapping: dict[str, str] | None
) -> str:
    """Format of a CSV or Parquet table with ``columns`` (errors say why not)."""
    used = fmt if fmt != "auto" else detect_format(columns, mapping)
    if used in JSON_ONLY:
        raise InputError(
            f"{path}: format {used} needs JSON (lines or one document), but this is a {kind} "
            "file; use --format auto, canonical, twitter-io, twarc2-csv, 4cat or meta."
        )
    if used == "":
        raise not_a_dump_error(str(path), columns)
    return used


def _tabular(
    path: Path,
    kind: str,
    table: pl.DataFrame,
    lines: pl.Series,
    bad: list[tuple[int, str, str]],
    fmt: str,
    mapping: dict[str, str] | None,
) -> RawTable:
    """A CSV or Parquet table -> raw table: column-mapped, or record by record."""
    used = _table_format(path, kind, table.columns, fmt, mapping)
    if used in RECORD_READERS:
        out = mapped_table(used, table_records(table, lines))
        out.bad = bad + out.bad
        return out
    return RawTable(table, lines, bad, used, colmap_for(used, table.columns, mapping))
