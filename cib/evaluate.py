"""Score flagged accounts against ground-truth labels (simulator or hand-coded).

Labels: ``account_id,campaign`` with ``organic`` (or empty) for accounts in no operation.
Predictions: ``accounts.csv`` from a scan (``account_id,network_id,...``).
Accounts absent from the predictions are predicted organic.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
from sklearn.metrics import adjusted_rand_score

from cib.errors import InputError

ORGANIC = {"organic", "", "none"}


def _read(path: str | Path, need: tuple[str, ...]) -> pl.DataFrame:
    try:
        df = pl.read_csv(path, infer_schema=False)
    except (FileNotFoundError, pl.exceptions.ComputeError) as exc:
        raise InputError(f"cannot read {str(path)!r}: {exc}") from exc
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise InputError(
            f"{str(path)!r} lacks columns {missing}; found {df.columns}. "
            f"It needs at least {list(need)}."
        )
    return df


def evaluate(labels: pl.DataFrame, accounts: pl.DataFrame) -> dict[str, Any]:
    """Account-level precision, recall, F1, recall per campaign and adjusted Rand index."""
    lab = labels.select(
        pl.col("account_id").cast(pl.String),
        pl.col("campaign").cast(pl.String).fill_null("organic"),
    ).unique(subset="account_id")
    pred = accounts.select(
        pl.col("account_id").cast(pl.String), pl.col("network_id").cast(pl.String)
    ).unique(subset="account_id")
    df = lab.join(pred, on="account_id", how="full", coalesce=True).with_columns(
        pl.col("campaign").fill_null("organic"), pl.col("network_id").fill_null("")
    )
    truth = ~df["campaign"].str.to_lowercase().is_in(list(ORGANIC))
    flagged = df["network_id"] != ""
    tp = int((truth & flagged).sum())
    fp = int((~truth & flagged).sum())
    fn = int((truth & ~flagged).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    per = (
        df.filter(truth)
        .group_by("campaign")
        .agg(pl.len().alias("accounts"), (pl.col("network_id") != "").mean().alias("recall"))
        .sort("campaign")
    )
    ops = df.filter(truth | flagged)
    ari = (
        adjusted_rand_score(
            ops["campaign"].to_list(),
            [n or f"_unflagged_{i}" for i, n in enumerate(ops["network_id"].to_list())],
        )
        if ops.height
        else 0.0
    )
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "ari": round(float(ari), 4),
        "per_campaign": {
            r["campaign"]: {"accounts": r["accounts"], "recall": round(r["recall"], 4)}
            for r in per.iter_rows(named=True)
        },
    }


def evaluate_files(labels: str | Path, accounts: str | Path) -> dict[str, Any]:
    return evaluate(
        _read(labels, ("account_id", "campaign")), _read(accounts, ("account_id", "network_id"))
    )
