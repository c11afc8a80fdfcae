"""Vectorised timestamp parsing to UTC microseconds.

Accepted, column-wise (each format is tried on the whole column with Polars, and the
first that parses a value wins):

* ISO 8601 with an offset, ``Z``/``UTC``/``GMT``, or naive (read as UTC); ``T`` or a
  space between date and time; seconds and fractions optional
  (``2016-10-01 00:00`` as in the Twitter information-operations archive); a bare date;
* epoch seconds, milliseconds, microseconds or nanoseconds, as numbers or numeric
  strings (the unit is chosen by magnitude: below 1e11 seconds, below 1e14 milliseconds,
  below 1e17 microseconds, else nanoseconds; so epoch milliseconds before 1973-03-03 read
  as seconds);
* Twitter's ``Wed Oct 10 20:19:24 +0000 2018``;
* native Datetime (naive = UTC) and Date columns.

Anything else becomes null; the caller quarantines it.
"""

from __future__ import annotations

import polars as pl

__all__ = ["UTC_US", "TIMESTAMP_HELP", "parse_timestamps"]

UTC_US = pl.Datetime("us", "UTC")

#: What to tell a user whose timestamps do not parse.
TIMESTAMP_HELP = (
    "use ISO 8601 (2016-10-01T00:00:00Z), epoch seconds or milliseconds, or Twitter's "
    "'Wed Oct 10 20:19:24 +0000 2018'"
)

_ISO_RE = (
    r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(?::(\d{2}))?(\.\d{1,9})?)?"
    r" ?(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$"
)
_NUM_INT_RE = r"^[+-]?\d{1,19}$"
_NUM_FLOAT_RE = r"^[+-]?(?:\d+\.\d*|\.\d+|\d+(?:\.\d*)?[eE][+-]?\d+)$"


def _from_epoch_int(v: pl.Expr) -> pl.Expr:
    a = v.abs()
    us = (
        pl.when(a < 100_000_000_000)
        .then(v * 1_000_000)
        .when(a < 100_000_000_000_000)
        .then(v * 1_000)
        .when(a < 100_000_000_000_000_000)
        .then(v)
        .otherwise(v // 1_000)
    )
    return us.cast(pl.Int64).cast(UTC_US)


def _from_epoch_float(v: pl.Expr) -> pl.Expr:
    a = v.abs()
    us = (
        pl.when(a < 1e11)
        .then(v * 1e6)
        .when(a < 1e14)
        .then(v * 1e3)
        .when(a < 1e17)
        .then(v)
        .otherwise(v / 1e3)
    )
    ok = v.is_finite() & (a < 9e18)
    return pl.when(ok).then(us.round(0).cast(pl.Int64, strict=False)).cast(UTC_US)


def _iso(s: pl.Expr) -> pl.Expr:
    g = s.str.extract_groups(_ISO_RE)
    off = g.struct.field("5")
    off_digits = off.str.replace(":", "")
    offset = (
        pl.when(off.is_null() | off.is_in(["Z", "z", "UTC", "GMT"]))
        .then(pl.lit("+0000"))
        .when(off_digits.str.len_bytes() == 3)
        .then(off_digits + "00")
        .otherwise(off_digits)
    )
    text = pl.concat_str(
        g.struct.field("1"),
        pl.lit("T"),
        g.struct.field("2").fill_null("00:00"),
        pl.lit(":"),
        g.struct.field("3").fill_null("00"),
        g.struct.field("4").fill_null(".0"),
        offset,
    )
    return text.str.to_datetime(
        "%Y-%m-%dT%H:%M:%S%.f%z", strict=False, time_unit="us", time_zone="UTC"
    )


def _twitter(s: pl.Expr) -> pl.Expr:
    return s.str.to_datetime(
        "%a %b %d %H:%M:%S %z %Y", strict=False, time_unit="us", time_zone="UTC"
    )


def _parse_strings(s: pl.Expr) -> pl.Expr:
    t = s.str.strip_chars()
    as_int = pl.when(t.str.contains(_NUM_INT_RE)).then(
        _from_epoch_int(t.cast(pl.Int64, strict=False))
    )
    as_float = pl.when(t.str.contains(_NUM_FLOAT_RE)).then(
        _from_epoch_float(t.cast(pl.Float64, strict=False))
    )
    return pl.coalesce(as_int, as_float, _iso(t), _twitter(t))


#: Exact formats tried on the whole column first (cheap); misses go to the general parser.
_FAST_FORMATS = ("%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%d %H:%M:%S%z")


def _parse_string_series(s: pl.Series) -> pl.Series:
    out = None
    for fmt in _FAST_FORMATS:
        out = s.str.to_datetime(fmt, strict=False, time_unit="us", time_zone="UTC")
        if out.null_count() < len(s) // 2 + 1:
            break
    assert out is not None
    miss = out.is_null() & s.is_not_null()
    if miss.any():
        idx = miss.arg_true()
        rest = pl.DataFrame({"v": s.gather(idx)}).select(_parse_strings(pl.col("v"))).to_series()
        out = out.scatter(idx, rest)
    return out.rename(s.name)


def parse_timestamps(s: pl.Series) -> pl.Series:
    """Parse a column of timestamps to ``Datetime('us', 'UTC')``.

    Parameters
    ----------
    s : pl.Series
        Strings, integers, floats, dates or datetimes.

    Returns
    -------
    pl.Series
        Same length and name; null where the input is null or not a recognised timestamp.
    """
    dt = s.dtype
    if isinstance(dt, pl.Datetime):
        out = (
            s.dt.replace_time_zone("UTC") if dt.time_zone is None else s.dt.convert_time_zone("UTC")
        )
        return out.dt.cast_time_unit("us")
    if dt == pl.Date:
        return s.cast(pl.Datetime("us")).dt.replace_time_zone("UTC")
    frame = pl.DataFrame({"v": s})
    v = pl.col("v")
    if dt.is_integer():
        expr = _from_epoch_int(v.cast(pl.Int64, strict=False))
    elif dt.is_float():
        expr = _from_epoch_float(v.cast(pl.Float64))
    elif dt == pl.String:
        return _parse_string_series(s)
    else:
        expr = pl.lit(None, dtype=UTC_US)
    return frame.select(expr.alias(s.name)).to_series()
