"""Helpers shared by test_incremental.py and test_tracking.py: small simulated daily dumps."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from cib.config import ScanConfig, SimulateParams
from cib.simulate import simulate_frames
from cib.simulate._io import write_posts

SIM = SimulateParams(accounts=400, days=4, seed=3)
CFG = ScanConfig().override(embed={"model": "hash"})


@cache
def frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    return simulate_frames(SIM)


def daily(posts: pl.DataFrame) -> list[pl.DataFrame]:
    day = pl.col("created_at").dt.date()
    days = posts.select(day.unique().sort()).to_series().to_list()
    return [posts.filter(day == d) for d in days]


def write_csv(posts: pl.DataFrame, path: Path) -> Path:
    """Write ``posts`` as a canonical CSV at ``path`` (via the simulator's writer)."""
    tmp = path.parent / f".{path.name}.d"
    tmp.mkdir(parents=True, exist_ok=True)
    write_posts(posts, tmp, ("csv",))
    (tmp / "posts.csv").rename(path)
    tmp.rmdir()
    return path


def write_days(posts: pl.DataFrame, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [write_csv(p, folder / f"day{i}.csv") for i, p in enumerate(daily(posts))]


def campaign_accounts(labels: pl.DataFrame, campaign: str) -> list[str]:
    return labels.filter(pl.col("campaign") == campaign)["account_id"].to_list()


def replace_accounts(
    posts: pl.DataFrame, accounts: list[str], prefix: str = "fresh_", created_at=None
) -> pl.DataFrame:
    """The same posts with ``accounts`` renamed to fresh ids (a takedown and replacement);
    with ``created_at`` (a UTC datetime) the fresh accounts were created then."""
    mapping = {a: f"{prefix}{a}" for a in accounts}
    out = posts.with_columns(pl.col("account_id").replace(mapping))
    if created_at is not None:
        fresh = pl.col("account_id").is_in(list(mapping.values()))
        when = pl.lit(created_at).cast(pl.Datetime("us", "UTC"))
        out = out.with_columns(
            pl.when(fresh)
            .then(when)
            .otherwise(pl.col("account_created_at"))
            .alias("account_created_at")
        )
    return out
