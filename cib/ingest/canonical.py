"""From a table with source columns to validated canonical posts plus rejected rows.

Every reader ends here: it hands over a frame of raw values (any Polars types), which
source column feeds which canonical column, and each row's physical line. This module
coerces types column-wise, records every problem of a row as a human-readable reason, and
normalises the rows that pass.
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from cib.errors import InputError
from cib.ingest.timestamps import TIMESTAMP_HELP, UTC_US, parse_timestamps
from cib.normalize import normalize_posts
from cib.schemas import LIST_POST_COLUMNS, POSTS, REQUIRED_POST_COLUMNS, STORED_POSTS

__all__ = ["to_stored"]

_ID_COLS = ("post_id", "account_id", "repost_of", "reply_to", "quote_of")
_TIME_COLS = ("created_at", "account_created_at")
_STRIP_PREFIX = {"hashtags": "#＃", "mentions": "@＠", "urls": "", "media": ""}
_Result = tuple[pl.Series, pl.Series | None]


def _problem(cond: pl.Series, msg: pl.Series | str) -> pl.Series:
    """A String series: ``msg`` where ``cond`` holds, null elsewhere."""
    frame = pl.DataFrame({"c": cond.fill_null(False)})
    if isinstance(msg, pl.Series):
        frame = frame.with_columns(msg.alias("m"))
    m = pl.col("m") if isinstance(msg, pl.Series) else pl.lit(msg)
    return frame.select(pl.when(pl.col("c")).then(m).otherwise(None).cast(pl.String)).to_series()


def _const(name: str, n: int, dtype: pl.DataType) -> pl.Series:
    """``n`` nulls (or empty lists for list types), built without Python objects."""
    value = pl.lit([], dtype=dtype) if isinstance(dtype, pl.List) else pl.lit(None, dtype=dtype)
    return pl.select(pl.repeat(value, n)).to_series().rename(name).cast(dtype)


def _wrong_type(s: pl.Series, name: str, want: str) -> _Result:
    return (
        _const(name, len(s), POSTS[name]),
        _problem(s.is_not_null(), f"{name} holds {s.dtype} values; expected {want}"),
    )


def _blank_to_null(s: pl.Series) -> pl.Series:
    return (
        pl.DataFrame({"v": s})
        .select(pl.when(pl.col("v") != "").then(pl.col("v")))
        .to_series()
        .rename(s.name)
    )


def _as_string(s: pl.Series, name: str, *, strip: bool) -> _Result:
    dt = s.dtype
    if dt == pl.String:
        out = s.str.strip_chars() if strip else s
        return _blank_to_null(out), None
    if dt == pl.Null:
        return s.cast(pl.String), None
    if dt.is_integer() or dt == pl.Decimal:
        return s.cast(pl.String), None
    if dt.is_float():
        integral = (s == s.floor()) & (s.abs() < 2**63)
        ints = s.cast(pl.Int64, strict=False).cast(pl.String)
        return ints.zip_with(integral.fill_null(False), s.cast(pl.String)), None
    return _wrong_type(s, name, "text or a number")


def _as_time(s: pl.Series, name: str) -> _Result:
    if not (
        s.dtype in (pl.String, pl.Date, pl.Null)
        or s.dtype.is_numeric()
        or isinstance(s.dtype, pl.Datetime)
    ):
        return _wrong_type(s, name, "a timestamp")
    if s.dtype == pl.String:
        s = _blank_to_null(s.str.strip_chars())
    out = parse_timestamps(s).cast(UTC_US)
    bad = s.is_not_null() & out.is_null()
    if not bad.any():
        return out, None
    msg = (
        pl.DataFrame({"r": s.cast(pl.String).str.slice(0, 60)})
        .select(
            pl.format(
                "{} '{}' is not a recognised timestamp; " + TIMESTAMP_HELP,
                pl.lit(name),
                pl.col("r"),
            )
        )
        .to_series()
    )
    return out, _problem(bad, msg)


def _as_int(s: pl.Series, name: str) -> _Result:
    dt = s.dtype
    if dt.is_integer() or dt == pl.Null:
        return s.cast(pl.Int64, strict=False), None
    if not (dt.is_float() or dt == pl.String):
        return _wrong_type(s, name, "a whole number")
    v = pl.col("v")
    if dt == pl.String:
        v = v.str.strip_chars().str.replace_all(r"[,_ ]", "")
        v = pl.when(v != "").then(v)
    f = v.cast(pl.Float64, strict=False)
    ok = f.is_not_null() & (f == f.floor()) & (f.abs() < 2**62)
    res = pl.DataFrame({"v": s}).select(
        pl.when(ok).then(f.cast(pl.Int64, strict=False)).alias("out"),
        (v.is_not_null() & ~ok.fill_null(False)).alias("bad"),
    )
    bad = res["bad"]
    prob = _problem(bad, f"{name} is not a whole number; give a count like 1234")
    return res["out"], prob if bad.any() else None


def _as_list(s: pl.Series, name: str) -> _Result:
    dt = s.dtype
    prefix = _STRIP_PREFIX[name]
    if dt == pl.String:
        frame = pl.DataFrame({"v": s})
        s = frame.select(
            pl.col("v")
            .str.replace_all(r"[\[\]'\"]", "")
            .str.replace_all(r"[\s,]+", " ")
            .str.strip_chars(" ")
            .str.split(" ")
        ).to_series()
        dt = s.dtype
    if dt == pl.Null:
        return _const(name, len(s), pl.List(pl.String)), None
    if not isinstance(dt, pl.List) or not (
        dt.inner in (pl.String, pl.Null) or dt.inner.is_numeric()
    ):
        return _wrong_type(s, name, "a list of strings")
    el = pl.element().cast(pl.String).str.strip_chars()
    if prefix:
        el = el.str.strip_chars_start(prefix)
    out = (
        pl.DataFrame({"v": s})
        .select(
            pl.col("v")
            .list.eval(el)
            .list.eval(pl.element().filter(pl.element().is_not_null() & (pl.element() != "")))
            .fill_null(pl.lit([], dtype=pl.List(pl.String)))
        )
        .to_series()
        .cast(pl.List(pl.String))
    )
    return out, None


def _coerce(name: str, s: pl.Series) -> _Result:
    if name in _ID_COLS:
        return _as_string(s, name, strip=True)
    if name in _TIME_COLS:
        return _as_time(s, name)
    if name in LIST_POST_COLUMNS:
        return _as_list(s, name)
    if name == "followers":
        return _as_int(s, name)
    value, prob = _as_string(s, name, strip=name != "text")
    if name == "client" and value.dtype == pl.String:
        value = _blank_to_null(value.str.replace_all(r"<[^>]*>", "").str.strip_chars())
    return value, prob


def to_stored(
    frame: pl.DataFrame,
    colmap: Mapping[str, str],
    lines: pl.Series,
    *,
    file: str,
    platform: str,
    max_text_bytes: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Validate, coerce and normalise a raw frame.

    Parameters
    ----------
    frame : pl.DataFrame
        Raw rows, one per record, in file order.
    colmap : Mapping[str, str]
        Canonical column -> column of ``frame`` (see :func:`cib.ingest.formats.match_columns`).
    lines : pl.Series
        1-based physical line of each row (Int64).
    file : str
        Source file name stored with each post.
    platform : str
        Platform for rows without one.
    max_text_bytes : int
        Texts longer than this (UTF-8 bytes) are rejected.

    Returns
    -------
    tuple[pl.DataFrame, pl.DataFrame]
        The STORED_POSTS rows that passed, and ``(row, line, reason)`` for those that did
        not (``row`` is the 0-based index into ``frame``).

    Raises
    ------
    InputError
        If a required canonical column has no source column.
    """
    missing = [c for c in REQUIRED_POST_COLUMNS if c not in colmap]
    if missing:
        raise InputError(
            f"{file}: no column for {', '.join(missing)}; columns are {frame.columns[:30]}. "
            f"Map them, e.g. --map {','.join(f'{c}=<column>' for c in missing)}"
        )
    n = frame.height
    cols, problems = _coerced_columns(frame, colmap, platform)
    problems += _row_problems(frame, colmap, cols, max_text_bytes)
    posts = pl.DataFrame(cols)
    reasons = (
        pl.DataFrame([p.rename(f"p{i}") for i, p in enumerate(problems)])
        .select(pl.concat_str(pl.all(), separator="; ", ignore_nulls=True).alias("reason"))
        .to_series()
        if problems
        else _const("reason", n, pl.String).fill_null("")
    )
    bad_mask = reasons.fill_null("") != ""
    lines = lines.cast(pl.Int64).rename("line")
    bad = pl.DataFrame(
        {"row": pl.int_range(0, n, eager=True, dtype=pl.Int64), "line": lines, "reason": reasons}
    ).filter(bad_mask)
    good = posts.filter(~bad_mask)
    stored = normalize_posts(good).with_columns(
        pl.lit(file, dtype=pl.String).alias("source_file"),
        lines.filter(~bad_mask).alias("source_line"),
    )
    return stored.select(list(STORED_POSTS)), bad


def _coerced_columns(
    frame: pl.DataFrame, colmap: Mapping[str, str], platform: str
) -> tuple[dict[str, pl.Series], list[pl.Series]]:
    """Each ``POSTS`` column coerced from its source column (or constant when it has none),
    and the problems coercion found (one reason or null per row)."""
    n = frame.height
    cols: dict[str, pl.Series] = {}
    problems: list[pl.Series] = []
    for name, dtype in POSTS.items():
        if name in colmap:
            value, prob = _coerce(name, frame[colmap[name]].rename(name))
            if prob is not None:
                problems.append(prob)
        else:
            value = _const(name, n, dtype)
        cols[name] = value.rename(name).cast(dtype)
    cols["platform"] = cols["platform"].fill_null(platform)
    return cols, problems


def _row_problems(
    frame: pl.DataFrame,
    colmap: Mapping[str, str],
    cols: dict[str, pl.Series],
    max_text_bytes: int,
) -> list[pl.Series]:
    """Missing required values and over-long texts, one reason or null per row."""
    problems: list[pl.Series] = []
    for name in REQUIRED_POST_COLUMNS:
        if name == "created_at" and "created_at" in colmap:
            raw = frame[colmap[name]]
            absent = raw.is_null() | (raw.cast(pl.String, strict=False).str.strip_chars() == "")
        else:
            absent = cols[name].is_null()
        problems.append(
            _problem(absent, f"missing {name}; every post needs post_id, account_id and created_at")
        )
    if "text" in colmap:
        nbytes = cols["text"].str.len_bytes()
        problems.append(
            _problem(
                nbytes > max_text_bytes,
                f"text is over max_text_bytes={max_text_bytes} bytes; raise "
                "--max-text-bytes or trim the text",
            )
        )
    return problems
