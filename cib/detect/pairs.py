"""Pair evidence against chance: which account pairs co-act far more than chance predicts.

For one signal with window ``w`` (inclusive: a gap of exactly ``w`` seconds counts), the
plan is relational and split into steps that any engine can run (``cib.spark`` reruns
steps 1-5 as Spark jobs and shares step 6, :func:`score_pairs`):

1. :func:`first_actions` — each account's first action on each object (distinct objects, not
   repeats); objects with fewer than two accounts are dropped. Each action gets its
   ``delay``: seconds since the object appeared (the referenced post's time when the dump
   has it, else the object's first action in the dump).
2. :func:`band_pairs` — events sorted by (object, time, account) are paired with each of the
   next ``max_neighbors`` events of the same object whose gap is <= ``w``: a self-join on
   (object, rank) with a rank offset. Cost is linear in events times the cap, so a viral
   object never materialises all its pairs. Events whose window held more partners than the
   cap are counted in ``stats['capped_events']``.
3. :func:`pair_aggregates` — per pair: ``n_coactions`` (X, distinct objects), ``weight``
   (sum of object weights ``idf_o = log(N / n_o) / log(N)``, floored at 0.05, so a rare
   object counts more than a viral one), first/last time and median gap.
4-5. :func:`shared_objects` — for candidate pairs (X >= ``min_coactions``): ``shared``, the
   objects both acted on at any time, and ``q``: the share of (delay_a on one shared object,
   delay_b on another) combinations within ``w`` of each other.
6. :func:`score_pairs` — the two nulls:

   * **activity null (who)**: if accounts acted independently, synchronised co-actions would
     spread over pairs in proportion to the product of their activities:
     ``E = m_a * m_b * kappa``, with the background rate ``kappa = sum(W) / sum(m_a m_b)``
     taken over the pairs that are *not* candidates (an operation would otherwise inflate
     its own expectation);
     ``z = (W - E) / sqrt(E * mean_weight)``.
   * **timing null (when)**: keep each account's own habits (its reaction delays on the
     objects the pair shares) but shuffle which object each delay lands on. The expected
     synchronised count is then
     ``shared * q`` and ``timing_z`` is the binomial z of X against it. Fans who always
     repost their idol within a minute are explained by their habits (timing_z near 0);
     operators who fire together at a different moment for every object are not.

   Timing signals (reposts, replies, quotes of someone else's post: many people act on them
   for organic reasons) need ``timing_z >= min_timing_z`` as well; content signals (the same
   URL, hashtag set or text) are judged on repetition and the activity null.

An edge is kept when ``X >= min_coactions`` and ``z >= min_z`` (and, for timing signals,
``timing_z >= min_timing_z``).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

IDF_FLOOR = 0.05
MAX_SHARED = 40  # shared objects per pair used by the timing null (the most recent ones)

EDGE_SCHEMA = pl.Schema(
    {
        "account_a": pl.String,
        "account_b": pl.String,
        "n_coactions": pl.UInt32,
        "weight": pl.Float64,
        "expected": pl.Float64,
        "z": pl.Float64,
        "shared": pl.UInt32,
        "q": pl.Float64,
        "timing_z": pl.Float64,
        "lift": pl.Float64,
        "first_t": pl.Int64,
        "last_t": pl.Int64,
        "median_gap_s": pl.Float64,
        "kept": pl.Boolean,
    }
)
COACTION_SCHEMA = pl.Schema(
    {
        "account_a": pl.String,
        "account_b": pl.String,
        "object_id": pl.String,
        "t_a": pl.Int64,
        "t_b": pl.Int64,
        "post_a": pl.String,
        "post_b": pl.String,
        "weight": pl.Float64,
    }
)


def first_actions(events: pl.DataFrame) -> pl.DataFrame:
    """Step 1: ``object_id, account_id, t, post_id, n_o, delay`` for objects with >= 2 accounts."""
    acts = events.group_by(["object_id", "account_id"]).agg(
        pl.col("t").min(), pl.col("post_id").sort_by("t").first(), pl.col("t_origin").min()
    )
    origin = pl.min_horizontal(pl.col("t_origin"), pl.col("t").min().over("object_id"))
    return (
        acts.with_columns(
            pl.len().over("object_id").alias("n_o"),
            (pl.col("t") - origin).alias("delay"),
        )
        .filter(pl.col("n_o") >= 2)
        .sort(["object_id", "t", "account_id"])
    )


def object_weights(acts: pl.DataFrame) -> pl.Series:
    """Rarity weight of each action's object: ``log(N / n_o) / log(N)`` in [0.05, 1]."""
    n_accounts = max(acts["account_id"].n_unique(), 3)
    n_o = acts["n_o"].cast(pl.Float64)
    w = (math.log(n_accounts) - n_o.log()) / math.log(n_accounts)
    return w.clip(IDF_FLOOR, 1.0).alias("w")


def band_pairs(
    acts: pl.DataFrame, *, window_s: int, max_neighbors: int
) -> tuple[pl.DataFrame, int]:
    """Step 2: synchronised (pair, object) rows and the number of capped events.

    ``acts`` must be sorted by (object_id, t, account_id), as :func:`first_actions` returns.
    """
    obj = acts["object_id"].rank("dense").cast(pl.Int64).to_numpy()
    t = acts["t"].to_numpy().astype(np.int64)
    t0 = int(t.min())
    span = int(t.max()) - t0 + 2 * window_s + 2
    key = obj * span + (t - t0)
    hi = np.searchsorted(key, key + window_s, side="right")
    capped = int((hi - np.arange(key.size) - 1 > max_neighbors).sum())
    ii: list[np.ndarray] = []
    jj: list[np.ndarray] = []
    base = np.arange(key.size)
    for k in range(1, max_neighbors + 1):
        i = base[: key.size - k]
        ok = key[i + k] - key[i] <= window_s
        if not ok.any():
            break
        ii.append(i[ok])
        jj.append(i[ok] + k)
    i_idx = np.concatenate(ii) if ii else np.zeros(0, dtype=np.int64)
    j_idx = np.concatenate(jj) if jj else np.zeros(0, dtype=np.int64)
    acc = acts["account_id"]
    w = object_weights(acts)
    left = acts.select("account_id", "object_id", "t", "post_id")[i_idx]
    right = acts.select("account_id", "t", "post_id")[j_idx]
    df = pl.DataFrame(
        {
            "acc_i": acc.gather(i_idx),
            "acc_j": acc.gather(j_idx),
            "object_id": left["object_id"],
            "t_i": left["t"],
            "t_j": right["t"],
            "post_i": left["post_id"],
            "post_j": right["post_id"],
            "weight": w.gather(i_idx),
        }
    ).filter(pl.col("acc_i") != pl.col("acc_j"))
    swap = pl.col("acc_i") > pl.col("acc_j")
    co = df.select(
        pl.when(swap).then("acc_j").otherwise("acc_i").alias("account_a"),
        pl.when(swap).then("acc_i").otherwise("acc_j").alias("account_b"),
        "object_id",
        pl.when(swap).then("t_j").otherwise("t_i").alias("t_a"),
        pl.when(swap).then("t_i").otherwise("t_j").alias("t_b"),
        pl.when(swap).then("post_j").otherwise("post_i").alias("post_a"),
        pl.when(swap).then("post_i").otherwise("post_j").alias("post_b"),
        "weight",
    ).unique(subset=["account_a", "account_b", "object_id"], keep="first", maintain_order=True)
    return co.cast(dict(COACTION_SCHEMA)), capped


def pair_aggregates(co: pl.DataFrame) -> pl.DataFrame:
    """Step 3: per pair X, W, first/last time and median gap."""
    return co.group_by(["account_a", "account_b"]).agg(
        pl.len().cast(pl.UInt32).alias("n_coactions"),
        pl.col("weight").sum(),
        pl.col("t_a").min().alias("first_t"),
        pl.col("t_a").max().alias("last_t"),
        (pl.col("t_b") - pl.col("t_a")).abs().cast(pl.Float64).median().alias("median_gap_s"),
    )


def shared_objects(cand: pl.DataFrame, acts: pl.DataFrame, *, window_s: int) -> pl.DataFrame:
    """Steps 4-5: per candidate pair, ``shared`` objects (acted on by both, at any time) and
    ``q``, the chance that the two accounts fall within ``window_s`` when each one's delays on
    those shared objects are shuffled across them (pairs of different objects; at most
    ``MAX_SHARED`` most recent shared objects per pair)."""
    inc = acts.select("account_id", "object_id", "delay", "t")
    sh = (
        cand.select("account_a", "account_b")
        .join(inc.rename({"delay": "d_a"}), left_on="account_a", right_on="account_id")
        .join(
            inc.select("account_id", "object_id", pl.col("delay").alias("d_b")),
            left_on=["account_b", "object_id"],
            right_on=["account_id", "object_id"],
        )
    )
    counts = sh.group_by(["account_a", "account_b"]).agg(pl.len().cast(pl.UInt32).alias("shared"))
    recent = (
        sh.sort(["t", "object_id"], descending=True)
        .group_by(["account_a", "account_b"], maintain_order=True)
        .head(MAX_SHARED)
        .with_columns(pl.int_range(pl.len()).over(["account_a", "account_b"]).alias("k"))
    )
    cross = (
        recent.select("account_a", "account_b", "k", "d_a")
        .join(
            recent.select("account_a", "account_b", pl.col("k").alias("k2"), "d_b"),
            on=["account_a", "account_b"],
        )
        .filter(pl.col("k") != pl.col("k2"))
    )
    q = cross.group_by(["account_a", "account_b"]).agg(
        ((pl.col("d_a") - pl.col("d_b")).abs() <= window_s).mean().alias("q")
    )
    return counts.join(q, on=["account_a", "account_b"], how="left").with_columns(
        pl.col("q").fill_null(1.0)
    )


def activity(acts: pl.DataFrame) -> pl.DataFrame:
    """Actions per account (objects with >= 2 accounts): the activity null's ``m``."""
    return acts.group_by("account_id").agg(pl.len().cast(pl.Float64).alias("m"))


def score_pairs(
    agg: pl.DataFrame,
    shared: pl.DataFrame,
    m: pl.DataFrame,
    *,
    total_weight: float,
    n_coactions_total: int,
    min_z: float,
    min_timing_z: float,
    timing: bool,
) -> pl.DataFrame:
    """Step 6: both nulls and the keep rule. Engine-independent (pure Polars)."""
    mm = m["m"].to_numpy()
    denom = (mm.sum() ** 2 - (mm**2).sum()) / 2.0
    mean_w = total_weight / max(n_coactions_total, 1)
    ma = m.rename({"account_id": "account_a", "m": "m_a"})
    mb = m.rename({"account_id": "account_b", "m": "m_b"})
    df = (
        agg.join(ma, on="account_a", how="left")
        .join(mb, on="account_b", how="left")
        .join(shared, on=["account_a", "account_b"], how="left")
    )
    # Background rate from the pairs that are not candidates, so that a large operation does
    # not raise its own expectation (it would dominate a rate estimated from all pairs).
    cand_w = float(df["weight"].sum())
    cand_mm = float((df["m_a"] * df["m_b"]).sum())
    bg_w = max(total_weight - cand_w, 0.0)
    bg_den = denom - cand_mm
    kappa = bg_w / bg_den if bg_den > 0 and bg_w > 0 else (total_weight / denom if denom else 0.0)
    df = df.with_columns((pl.col("m_a") * pl.col("m_b") * kappa).alias("expected"))
    exp_t = pl.col("shared").cast(pl.Float64) * pl.col("q")
    df = df.with_columns(
        (
            (pl.col("weight") - pl.col("expected"))
            / (pl.col("expected").clip(lower_bound=1e-3) * mean_w).sqrt()
        ).alias("z"),
        (
            (pl.col("n_coactions") - exp_t)
            / (exp_t * (1 - pl.col("q"))).clip(lower_bound=0.25).sqrt()
        ).alias("timing_z"),
        (pl.col("n_coactions") / (exp_t + 1.0)).alias("lift"),
    )
    keep = pl.col("z") >= min_z
    if timing:
        keep = keep & (pl.col("timing_z") >= min_timing_z)
    return df.with_columns(keep.alias("kept")).select(list(EDGE_SCHEMA)).cast(dict(EDGE_SCHEMA))


def pair_evidence(
    events: pl.DataFrame,
    *,
    window_s: int,
    min_coactions: int,
    max_neighbors: int,
    min_z: float,
    min_timing_z: float,
    timing: bool,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, float]]:
    """Evidence for every candidate account pair on one signal's events (steps 1-6).

    Returns
    -------
    edges : one row per candidate pair (``X >= min_coactions``), ``EDGE_SCHEMA``.
    coactions : the synchronised (pair, object) rows behind kept edges, ``COACTION_SCHEMA``.
    stats : counts for the run metadata.
    """
    stats: dict[str, float] = {"events": float(events.height)}
    acts = first_actions(events)
    if acts.height < 2:
        return pl.DataFrame(schema=EDGE_SCHEMA), pl.DataFrame(schema=COACTION_SCHEMA), stats
    co, capped = band_pairs(acts, window_s=window_s, max_neighbors=max_neighbors)
    stats["capped_events"] = float(capped)
    stats["close_pair_objects"] = float(co.height)
    agg = pair_aggregates(co)
    cand = agg.filter(pl.col("n_coactions") >= min_coactions)
    stats["candidate_pairs"] = float(cand.height)
    if cand.height == 0:
        return pl.DataFrame(schema=EDGE_SCHEMA), pl.DataFrame(schema=COACTION_SCHEMA), stats
    edges = score_pairs(
        cand,
        shared_objects(cand, acts, window_s=window_s),
        activity(acts),
        total_weight=float(co["weight"].sum()),
        n_coactions_total=co.height,
        min_z=min_z,
        min_timing_z=min_timing_z,
        timing=timing,
    )
    stats["kept_edges"] = float(edges["kept"].sum())
    kept = edges.filter(pl.col("kept")).select("account_a", "account_b")
    return edges, co.join(kept, on=["account_a", "account_b"]), stats
