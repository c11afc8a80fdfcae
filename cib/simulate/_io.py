"""Writers for simulated dumps: CSV (space-separated list columns), JSONL and Parquet."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from cib.schemas import LIST_POST_COLUMNS, POSTS

_ISO = "%Y-%m-%dT%H:%M:%SZ"
FORMATS = ("csv", "jsonl", "parquet")


def _iso(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(
        pl.col(c).dt.strftime(_ISO) for c, t in POSTS.items() if isinstance(t, pl.Datetime)
    )


def write_posts(posts: pl.DataFrame, out_dir: Path, formats: tuple[str, ...]) -> list[str]:
    """Write ``posts`` in each of ``formats`` to ``out_dir``; return the file names written.

    CSV: timestamps ISO 8601 with ``Z``, list columns joined by single spaces (hashtags keep
    their ``#``). JSONL: same timestamps, list columns as arrays. Parquet: native types.
    """
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"unknown format(s) {bad}; expected some of {list(FORMATS)}.")
    files: list[str] = []
    if "csv" in formats:
        flat = _iso(posts).with_columns(pl.col(c).list.join(" ") for c in LIST_POST_COLUMNS)
        flat.write_csv(out_dir / "posts.csv")
        files.append("posts.csv")
    if "jsonl" in formats:
        _iso(posts).write_ndjson(out_dir / "posts.jsonl")
        files.append("posts.jsonl")
    if "parquet" in formats:
        posts.write_parquet(out_dir / "posts.parquet", compression="zstd")
        files.append("posts.parquet")
    return files


def read_csv_posts(path: str | Path) -> pl.DataFrame:
    """Read a simulator CSV back into the canonical schema (for tests and round trips)."""
    raw = pl.read_csv(path, schema={c: pl.String for c in POSTS})
    return raw.with_columns(
        *(
            pl.col(c).str.to_datetime(_ISO, time_zone="UTC", time_unit="us")
            for c, t in POSTS.items()
            if isinstance(t, pl.Datetime)
        ),
        *(
            pl.when(pl.col(c).is_null() | (pl.col(c) == ""))
            .then(pl.lit([], pl.List(pl.String)))
            .otherwise(pl.col(c).str.split(" "))
            .alias(c)
            for c in LIST_POST_COLUMNS
        ),
        pl.col("followers").cast(pl.Int64),
    ).select(list(POSTS))
