"""Steps 1-5 of the pair plan (:mod:`cib.detect.pairs`) as Spark DataFrame jobs.

Every function keeps the step name of the default engine and works on all signals at once:
``signal`` is part of every key, and each signal's window comes from a literal map, so one
Spark job serves all signals. Step 6 (:func:`cib.detect.pairs.score_pairs`) is not here: the
engine collects the candidate pairs and runs the shared Polars code on the driver.

1. :func:`first_actions` — group by (signal, object, account): first time, its post, the
   referenced post's time; ``n_o`` and ``delay`` with window functions over the object;
   objects with fewer than two accounts dropped. :func:`rank_actions` then numbers actions
   within their object by (t, account_id) (``r``) and counts the actions at or before
   ``t + w`` (``hi``, a RANGE window): the partners of an action are ranks ``r+1 .. hi``.
2. :func:`band_pairs` — each action is exploded into rank offsets ``k = 1 .. min(hi - r,
   max_neighbors)`` and joined to the action of rank ``r + k`` of the same object: exactly the
   pairs the Polars engine's searchsorted band finds, never a full self-join of an object.
   The object's rarity weight ``log(N / n_o) / log(N)`` (floored at 0.05) rides along.
3. :func:`pair_aggregates` — per (signal, pair): X, W, first/last time, median gap.
4. :func:`shared_objects` and 5. :func:`delay_overlap` — computed together by
   :func:`candidate_evidence` from one per-account profile (objects, most recent delays)
   joined to each candidate pair: ``shared = |objects_a ∩ objects_b|`` and ``q`` = share of
   delay combinations within ``w`` (array functions; no per-combination rows).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cib.detect.pairs import IDF_FLOOR, MAX_DELAYS

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import Column, DataFrame

__all__ = [
    "account_profiles",
    "activity",
    "band_pairs",
    "candidate_evidence",
    "delay_overlap",
    "first_actions",
    "pair_aggregates",
    "rank_actions",
    "shared_objects",
    "signal_map",
]

OBJECT_KEY = ("signal", "object_id")
PAIR_KEY = ("signal", "account_a", "account_b")


def signal_map(values: Mapping[str, float | int], *, dtype: str = "long") -> Column:
    """``values[signal]`` as a column (a literal map looked up by the ``signal`` column)."""
    from pyspark.sql import functions as F

    if not values:
        return F.lit(None).cast(dtype)
    pairs: list[Column] = []
    for k, v in values.items():
        pairs += [F.lit(k), F.lit(v).cast(dtype)]
    return F.create_map(*pairs)[F.col("signal")]


def first_actions(events: DataFrame) -> DataFrame:
    """Step 1: ``signal, object_id, account_id, t, post_id, t_origin, n_o, delay``.

    Only each account's first action on an object counts (its post: the earliest; ties go to
    the smallest post id). Objects with fewer than two accounts are dropped.
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    acts = events.groupBy("signal", "object_id", "account_id").agg(
        F.min(F.struct("t", "post_id")).alias("_first"),
        F.min("t_origin").alias("t_origin"),
    )
    acts = acts.select(
        "signal",
        "object_id",
        "account_id",
        F.col("_first.t").alias("t"),
        F.col("_first.post_id").alias("post_id"),
        "t_origin",
    )
    obj = Window.partitionBy(*OBJECT_KEY)
    origin = F.least(F.col("t_origin"), F.min("t").over(obj))
    return (
        acts.withColumn("n_o", F.count(F.lit(1)).over(obj))
        .withColumn("delay", F.col("t") - origin)
        .filter(F.col("n_o") >= 2)
    )


def rank_actions(acts: DataFrame, windows: Mapping[str, int]) -> DataFrame:
    """Step 1b: add ``r`` (rank by t, account within the object) and ``hi`` (actions <= t + w).

    The RANGE frame needs a literal bound, so signals are ranked per distinct window and the
    parts are unioned (two parts with the default fast and slow windows).
    """
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    order = Window.partitionBy(*OBJECT_KEY).orderBy("t", "account_id")
    parts: list[DataFrame] = []
    for w in sorted(set(windows.values())):
        names = [s for s, v in windows.items() if v == w]
        band = (
            Window.partitionBy(*OBJECT_KEY)
            .orderBy("t")
            .rangeBetween(Window.unboundedPreceding, int(w))
        )
        parts.append(
            acts.filter(F.col("signal").isin(names))
            .withColumn("r", F.row_number().over(order))
            .withColumn("hi", F.count(F.lit(1)).over(band))
        )
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p)
    return out


def object_weight(n_accounts: Mapping[str, int]) -> Column:
    """Rarity weight of an action's object: ``log(N / n_o) / log(N)`` in [0.05, 1].

    ``N`` (distinct accounts with first actions on the signal, at least 3) comes from the
    driver, so ``log(N)`` is computed by Python exactly as the default engine does.
    """
    from pyspark.sql import functions as F

    log_n = signal_map({s: math.log(max(n, 3)) for s, n in n_accounts.items()}, dtype="double")
    w = (log_n - F.log(F.col("n_o").cast("double"))) / log_n
    return F.least(F.greatest(w, F.lit(IDF_FLOOR)), F.lit(1.0))


def capped(max_neighbors: int) -> Column:
    """True for actions whose window held more partners than ``max_neighbors``."""
    from pyspark.sql import functions as F

    return (F.col("hi") - F.col("r")) > max_neighbors


def band_pairs(
    ranked: DataFrame, *, max_neighbors: int, n_accounts: Mapping[str, int]
) -> DataFrame:
    """Step 2: synchronised (pair, object) rows (``COACTION_SCHEMA`` columns + ``signal``).

    ``ranked`` is :func:`rank_actions` output. Pairs are ordered (``account_a <
    account_b``); each unordered pair occurs at most once per object because first actions
    are unique per (object, account).
    """
    from pyspark.sql import functions as F

    k_max = F.least(F.col("hi") - F.col("r"), F.lit(max_neighbors))
    left = (
        ranked.filter(k_max >= 1)
        .select(
            "signal",
            "object_id",
            F.col("account_id").alias("acc_i"),
            F.col("t").alias("t_i"),
            F.col("post_id").alias("post_i"),
            object_weight(n_accounts).alias("weight"),
            "r",
            F.explode(F.sequence(F.lit(1), k_max)).alias("_k"),
        )
        .withColumn("r", F.col("r") + F.col("_k"))
        .drop("_k")
    )
    right = ranked.select(
        "signal",
        "object_id",
        "r",
        F.col("account_id").alias("acc_j"),
        F.col("t").alias("t_j"),
        F.col("post_id").alias("post_j"),
    )
    df = left.join(right, on=["signal", "object_id", "r"]).filter(
        F.col("acc_i") != F.col("acc_j")
    )
    swap = F.col("acc_i") > F.col("acc_j")

    def pick(a: str, b: str) -> Column:
        return F.when(swap, F.col(b)).otherwise(F.col(a))

    return df.select(
        "signal",
        pick("acc_i", "acc_j").alias("account_a"),
        pick("acc_j", "acc_i").alias("account_b"),
        "object_id",
        pick("t_i", "t_j").alias("t_a"),
        pick("t_j", "t_i").alias("t_b"),
        pick("post_i", "post_j").alias("post_a"),
        pick("post_j", "post_i").alias("post_b"),
        "weight",
    )


def pair_aggregates(co: DataFrame) -> DataFrame:
    """Step 3: per (signal, pair) X, W, first/last time and median gap."""
    from pyspark.sql import functions as F

    return co.groupBy(*PAIR_KEY).agg(
        F.count(F.lit(1)).alias("n_coactions"),
        F.sum("weight").alias("weight"),
        F.min("t_a").alias("first_t"),
        F.max("t_a").alias("last_t"),
        F.median(F.abs(F.col("t_b") - F.col("t_a")).cast("double")).alias("median_gap_s"),
    )


def account_profiles(acts: DataFrame) -> DataFrame:
    """Per (signal, account): ``objects`` (sorted), ``delays`` (the MAX_DELAYS most recent) and ``m``.

    "Most recent" orders by time descending, ties by object id.
    """
    from pyspark.sql import functions as F

    prof = acts.groupBy("signal", "account_id").agg(
        F.sort_array(F.collect_list("object_id")).alias("objects"),
        F.sort_array(
            F.collect_list(F.struct((-F.col("t")).alias("nt"), "object_id", "delay"))
        ).alias("_recent"),
    )
    return prof.select(
        "signal",
        "account_id",
        "objects",
        F.transform(F.slice("_recent", 1, MAX_DELAYS), lambda x: x["delay"]).alias("delays"),
        F.size("objects").cast("double").alias("m"),
    )


def activity(profiles: DataFrame) -> DataFrame:
    """Actions per account and signal (the activity null's ``m``): ``signal, account_id, m``."""
    return profiles.select("signal", "account_id", "m")


def shared_objects() -> Column:
    """Step 4 on a joined candidate row: objects both accounts acted on, at any time."""
    from pyspark.sql import functions as F

    return F.size(F.array_intersect("objects_a", "objects_b"))


def delay_overlap(window: Column) -> Column:
    """Step 5 on a joined candidate row: share of delay combinations within the window."""
    from pyspark.sql import functions as F

    hits = F.aggregate(
        "delays_a",
        F.lit(0).cast("long"),
        lambda acc, x: acc
        + F.size(F.filter("delays_b", lambda y: F.abs(x - y) <= window)).cast("long"),
    )
    n = F.size("delays_a").cast("long") * F.size("delays_b").cast("long")
    return hits.cast("double") / n.cast("double")


def candidate_evidence(
    cand: DataFrame, profiles: DataFrame, windows: Mapping[str, int]
) -> DataFrame:
    """Steps 4-5: candidate pairs with ``shared`` and ``q`` (and the aggregates of step 3)."""
    from pyspark.sql import functions as F

    pa = profiles.select(
        "signal",
        F.col("account_id").alias("account_a"),
        F.col("objects").alias("objects_a"),
        F.col("delays").alias("delays_a"),
    )
    pb = profiles.select(
        "signal",
        F.col("account_id").alias("account_b"),
        F.col("objects").alias("objects_b"),
        F.col("delays").alias("delays_b"),
    )
    joined = cand.join(pa, on=["signal", "account_a"]).join(pb, on=["signal", "account_b"])
    return joined.select(
        *PAIR_KEY,
        "n_coactions",
        "weight",
        "first_t",
        "last_t",
        "median_gap_s",
        shared_objects().alias("shared"),
        delay_overlap(signal_map(windows)).alias("q"),
    )
