"""Pair evidence against chance: which account pairs co-act far more than chance predicts.

For one signal, with window ``w`` (inclusive: a gap of exactly ``w`` seconds counts):

1. Each account's first action on each object is kept (distinct objects, not repeats).
2. **Band join.** Events are sorted by (object, time); pairs are formed between an event and
   each of the next ``max_neighbors`` events of the same object whose gap is <= ``w``. This is
   a self-join on (object, rank) with a rank offset, so cost is linear in events times the cap:
   a viral object never materialises all its pairs. Events whose window held more partners
   than the cap are counted in ``stats['capped_events']``.
3. **Object weight.** ``idf_o = log(N / n_o) / log(N)`` (N accounts active on the signal,
   n_o accounts on the object), floored at 0.05: a co-action on a rare object is worth more
   than one on a viral object.
4. **Activity null (who).** If accounts acted independently, synchronised co-actions would
   spread over pairs in proportion to the product of their activities:
   ``E_ab = m_a * m_b * kappa`` with ``kappa = sum(W) / sum_{a<b} m_a m_b``. The z-score is
   ``(W_ab - E_ab) / sqrt(E_ab * mean_weight)``.
5. **Timing null (when).** Shuffling action times within each object gives each object a
   chance ``p_o`` that two of its actors fall within ``w`` (its close-pair share, counted
   exactly with binary search, no pairs needed). For a pair sharing objects S (at any time),
   the expected synchronised count is ``sum_{o in S} p_o``; ``lift = X / expected``. Fans of
   one big account share many objects but are no tighter than the crowd: lift near 1.
6. Objects only the group itself touches carry no timing information (p_o is high because
   everyone on them is in the group). There, ``consistency = X / |S|`` — the share of shared
   objects acted on in sync — stands in for the lift.

An edge is kept when ``X >= min_coactions``, ``z >= min_z`` and
(``lift >= min_lift`` or ``consistency >= min_consistency``).
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

IDF_FLOOR = 0.05


def _first_actions(ev: pl.DataFrame) -> pl.DataFrame:
    return ev.group_by(["object_id", "account_id"]).agg(
        pl.col("t").min(), pl.col("post_id").sort_by("t").first()
    )


def pair_evidence(
    events: pl.DataFrame,
    *,
    window_s: int,
    min_coactions: int,
    max_neighbors: int,
    min_z: float,
    min_lift: float,
    min_consistency: float,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, float]]:
    """Evidence for every account pair on one signal's events.

    Returns
    -------
    edges : one row per candidate pair (``X >= min_coactions``) with ``n_coactions``,
        ``weight``, ``expected``, ``z``, ``lift``, ``consistency``, ``shared``, ``first_t``,
        ``last_t``, ``median_gap_s`` and ``kept``.
    coactions : the synchronised (pair, object) rows behind kept edges:
        ``account_a, account_b, object_id, t_a, t_b, post_a, post_b``.
    stats : counts for the run metadata.
    """
    stats: dict[str, float] = {"events": float(events.height)}
    acts = _first_actions(events)
    acts = acts.with_columns(pl.len().over("object_id").alias("n_o")).filter(pl.col("n_o") >= 2)
    empty_edges = pl.DataFrame(
        schema={
            "account_a": pl.String,
            "account_b": pl.String,
            "n_coactions": pl.UInt32,
            "weight": pl.Float64,
            "expected": pl.Float64,
            "z": pl.Float64,
            "lift": pl.Float64,
            "consistency": pl.Float64,
            "shared": pl.UInt32,
            "first_t": pl.Int64,
            "last_t": pl.Int64,
            "median_gap_s": pl.Float64,
            "kept": pl.Boolean,
        }
    )
    empty_co = pl.DataFrame(
        schema={
            "account_a": pl.String,
            "account_b": pl.String,
            "object_id": pl.String,
            "t_a": pl.Int64,
            "t_b": pl.Int64,
            "post_a": pl.String,
            "post_b": pl.String,
        }
    )
    if acts.height < 2:
        return empty_edges, empty_co, stats
    n_accounts = acts["account_id"].n_unique()
    acts = acts.sort(["object_id", "t", "account_id"])
    obj_code = acts["object_id"].rank("dense").cast(pl.Int64).to_numpy() - 1
    t = acts["t"].to_numpy().astype(np.int64)
    t0 = int(t.min())
    span = int(t.max()) - t0 + 2 * window_s + 2
    key = obj_code * span + (t - t0)
    # Exact partners within +-w on the same object (binary search; no pairs materialised).
    lo = np.searchsorted(key, key - window_s, side="left")
    hi = np.searchsorted(key, key + window_s, side="right")
    k_e = hi - lo - 1
    fwd = hi - np.arange(key.size) - 1
    stats["capped_events"] = float((fwd > max_neighbors).sum())
    n_o = acts["n_o"].to_numpy()
    close_pairs_o = np.bincount(obj_code, weights=k_e) / 2.0
    pairs_o = n_o * (n_o - 1) / 2.0
    p_event = close_pairs_o[obj_code] / pairs_o
    log_n = math.log(max(n_accounts, 3))
    idf = np.clip(np.log(max(n_accounts, 3) / n_o) / log_n, IDF_FLOOR, 1.0)

    # Account codes in string order, so code order is string order (account_a < account_b).
    acc = acts["account_id"].rank("dense").cast(pl.Int64).to_numpy() - 1
    names = acts["account_id"].unique().sort()

    # Band join: event i with i+k, same object, gap <= w, k <= max_neighbors.
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
    if not ii:
        return empty_edges, empty_co, stats
    i_idx = np.concatenate(ii)
    j_idx = np.concatenate(jj)
    a = np.minimum(acc[i_idx], acc[j_idx])
    b = np.maximum(acc[i_idx], acc[j_idx])
    diff = a != b
    i_idx, j_idx, a, b = i_idx[diff], j_idx[diff], a[diff], b[diff]
    swap = acc[i_idx] != a
    ia = np.where(swap, j_idx, i_idx)
    ib = np.where(swap, i_idx, j_idx)
    co = pl.DataFrame(
        {
            "a": a,
            "b": b,
            "obj": obj_code[ia],
            "ia": ia,
            "ib": ib,
            "w": idf[ia],
            "gap": np.abs(t[ib] - t[ia]).astype(np.float64),
        }
    ).unique(subset=["a", "b", "obj"], keep="first")
    stats["close_pair_objects"] = float(co.height)

    # Activity null.
    m = np.bincount(acc, minlength=len(names)).astype(np.float64)
    total_w = float(co["w"].sum())
    denom = (m.sum() ** 2 - (m**2).sum()) / 2.0
    kappa = total_w / denom if denom > 0 else 0.0
    mean_w = total_w / max(co.height, 1)
    agg = co.group_by(["a", "b"]).agg(
        pl.len().cast(pl.UInt32).alias("n_coactions"),
        pl.col("w").sum().alias("weight"),
        pl.col("gap").median().alias("median_gap_s"),
        pl.col("ia").min().alias("_ia_min"),
    )
    agg = agg.filter(pl.col("n_coactions") >= min_coactions)
    stats["candidate_pairs"] = float(agg.height)
    if agg.height == 0:
        return empty_edges, empty_co, stats
    ma = m[agg["a"].to_numpy()]
    mb = m[agg["b"].to_numpy()]
    expected = ma * mb * kappa
    z = (agg["weight"].to_numpy() - expected) / np.sqrt(np.maximum(expected, 1e-3) * mean_w)

    # Timing null over every object the pair shares (at any time).
    inc = pl.DataFrame({"acc": acc, "obj": obj_code, "p": p_event})
    cand = agg.select("a", "b")
    shared = (
        cand.join(inc, left_on="a", right_on="acc")
        .join(inc.select("acc", "obj"), left_on=["b", "obj"], right_on=["acc", "obj"])
        .group_by(["a", "b"])
        .agg(pl.len().cast(pl.UInt32).alias("shared"), pl.col("p").sum().alias("p_sum"))
    )
    agg = agg.with_columns(pl.Series("expected", expected), pl.Series("z", z)).join(
        shared, on=["a", "b"], how="left"
    )
    t_first = (
        co.with_columns(pl.Series("ta", t[co["ia"].to_numpy()]))
        .group_by(["a", "b"])
        .agg(pl.col("ta").min().alias("first_t"), pl.col("ta").max().alias("last_t"))
    )
    agg = agg.join(t_first, on=["a", "b"], how="left").with_columns(
        (pl.col("n_coactions") / pl.col("p_sum").clip(lower_bound=1e-9)).alias("lift"),
        (pl.col("n_coactions") / pl.col("shared").cast(pl.Float64)).alias("consistency"),
    )
    agg = agg.with_columns(
        (
            (pl.col("z") >= min_z)
            & ((pl.col("lift") >= min_lift) | (pl.col("consistency") >= min_consistency))
        ).alias("kept")
    )
    edges = agg.select(
        names.gather(agg["a"].to_numpy()).alias("account_a"),
        names.gather(agg["b"].to_numpy()).alias("account_b"),
        "n_coactions",
        "weight",
        "expected",
        "z",
        "lift",
        "consistency",
        "shared",
        "first_t",
        "last_t",
        "median_gap_s",
        "kept",
    )
    stats["kept_edges"] = float(edges["kept"].sum())
    kept_ab = agg.filter(pl.col("kept")).select("a", "b")
    co_k = co.join(kept_ab, on=["a", "b"])
    obj_names = acts["object_id"].to_numpy()
    post = acts["post_id"].to_numpy()
    ia_k = co_k["ia"].to_numpy()
    ib_k = co_k["ib"].to_numpy()
    coactions = pl.DataFrame(
        {
            "account_a": names.gather(co_k["a"].to_numpy()),
            "account_b": names.gather(co_k["b"].to_numpy()),
            "object_id": obj_names[ia_k],
            "t_a": t[ia_k],
            "t_b": t[ib_k],
            "post_a": post[ia_k],
            "post_b": post[ib_k],
        },
        schema=empty_co.schema,
    )
    return edges, coactions, stats
