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
4. :func:`shared_objects` — per candidate pair (cand ⋈ acts on account_a ⋈ acts on
   (account_b, object)): ``shared`` objects and the MAX_SHARED most recent ones with both
   accounts' delays (one sorted array per pair).
5. :func:`delay_overlap` — ``q``: the share of (d_a on one recent shared object, d_b on
   another) combinations within ``w``, with higher-order array functions on that array (at
   most MAX_SHARED² comparisons per pair, no per-combination rows).
   :func:`candidate_evidence` runs steps 4 and 5.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cib.detect.pairs import CROWD_ORIGIN, IDF_FLOOR, MAX_SHARED

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import Column, DataFrame

__all__ = [
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
#: Columns of :func:`candidate_evidence` (what the driver collects).
EVIDENCE_COLUMNS = (
    *PAIR_KEY,
    "n_coactions",
    "weight",
    "first_t",
    "last_t",
    "median_gap_s",
    "shared",
    "origin_share",
    "q",
)


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
        .withColumn(
            "has_origin",
            (F.col("t_origin").isNotNull() | (F.col("n_o") >= CROWD_ORIGIN)).cast("double"),
        )
        .filter(F.col("n_o") >= 2)
    )


def rank_actions(acts: DataFrame, windows: Mapping[str, int]) -> DataFrame:
    """Step 1b: add ``r`` (rank by t, account within the object) and ``hi`` (actions <= t + w).

    The RANGE frame needs a literal bound, so signals are ranked per distinct window and the
    parts are unioned (parts per distinct window: with the defaults 60 s, the 1-hour timing scale
    and the drip window of the content signals).
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


def _cap(max_neighbors: int | Column) -> Column:
    from pyspark.sql import functions as F

    return F.lit(max_neighbors) if isinstance(max_neighbors, int) else max_neighbors


def capped(max_neighbors: int | Column) -> Column:
    """True for actions whose window held more partners than ``max_neighbors`` (a number, or
    a column expression giving each signal's cap)."""
    from pyspark.sql import functions as F

    return (F.col("hi") - F.col("r")) > _cap(max_neighbors)


def band_pairs(
    ranked: DataFrame, *, max_neighbors: int | Column, n_accounts: Mapping[str, int]
) -> DataFrame:
    """Step 2: synchronised (pair, object) rows (``COACTION_SCHEMA`` columns + ``signal``).

    ``ranked`` is :func:`rank_actions` output. Pairs are ordered (``account_a <
    account_b``); each unordered pair occurs at most once per object because first actions
    are unique per (object, account).
    """
    from pyspark.sql import functions as F

    k_max = F.least(F.col("hi") - F.col("r"), _cap(max_neighbors))
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
    df = left.join(right, on=["signal", "object_id", "r"]).filter(F.col("acc_i") != F.col("acc_j"))
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
    """Step 3: per (signal, pair) X, W, first/last time and median gap; one post counts
    once (as in :func:`cib.detect.pairs.pair_aggregates`)."""
    from pyspark.sql import functions as F

    rows = F.count(F.lit(1))
    posts_x = F.least(F.countDistinct("post_a"), F.countDistinct("post_b"))
    return co.groupBy(*PAIR_KEY).agg(
        posts_x.alias("n_coactions"),
        (F.sum("weight") * posts_x / rows).alias("weight"),
        F.min("t_a").alias("first_t"),
        F.max("t_a").alias("last_t"),
        F.median(F.abs(F.col("t_b") - F.col("t_a")).cast("double")).alias("median_gap_s"),
    )


def activity(events: DataFrame) -> DataFrame:
    """Activity per account and signal (the activity null's ``m``): ``signal, account_id, m``,
    distinct posts among ``events`` (the first actions on shared objects, or every event of
    the signal; as in :func:`cib.detect.pairs.activity`)."""
    from pyspark.sql import functions as F

    return events.groupBy("signal", "account_id").agg(
        F.countDistinct("post_id").cast("double").alias("m")
    )


def shared_objects(cand: DataFrame, acts: DataFrame) -> DataFrame:
    """Step 4: per candidate pair, ``shared`` objects (acted on by both, at any time) and
    ``recent``: the MAX_SHARED most recent of them (by account_a's time, then object id,
    both descending) as ``struct(t, object_id, d_a, d_b)`` with each account's delay."""
    from pyspark.sql import functions as F

    inc_a = acts.select(
        "signal",
        F.col("account_id").alias("account_a"),
        "object_id",
        "t",
        F.col("delay").alias("d_a"),
        "has_origin",
    )
    inc_b = acts.select(
        "signal",
        F.col("account_id").alias("account_b"),
        "object_id",
        F.col("delay").alias("d_b"),
    )
    sh = (
        cand.select(*PAIR_KEY)
        .join(inc_a, on=["signal", "account_a"])
        .join(inc_b, on=["signal", "account_b", "object_id"])
    )
    recent = F.sort_array(F.collect_list(F.struct("t", "object_id", "d_a", "d_b")), asc=False)
    return sh.groupBy(*PAIR_KEY).agg(
        F.count(F.lit(1)).alias("shared"),
        F.avg("has_origin").alias("origin_share"),
        F.slice(recent, 1, MAX_SHARED).alias("recent"),
    )


def delay_overlap(window: Column) -> Column:
    """Step 5 on a candidate row with aligned ``d_a``, ``d_b`` (recent shared objects): ``q``.

    ``q`` = share of (d_a on one shared object, d_b on another) combinations within the
    window: hits / (k (k - 1)), the same division of the same integers as the default
    engine's mean of booleans; 1.0 when fewer than two shared objects. At most
    MAX_SHARED² comparisons per pair, in the JVM (higher-order array functions).
    """
    from pyspark.sql import functions as F

    cross = F.aggregate(
        "d_a",
        F.lit(0).cast("long"),
        lambda acc, x: acc + F.size(F.filter("d_b", lambda y: F.abs(x - y) <= window)),
    )
    diag = F.size(
        F.filter(F.arrays_zip("d_a", "d_b"), lambda z: F.abs(z["d_a"] - z["d_b"]) <= window)
    )
    k = F.size("d_a").cast("double")
    q = (cross - diag).cast("double") / (k * (k - F.lit(1.0)))
    return F.when(k >= 2, q).otherwise(F.lit(1.0))


def candidate_evidence(cand: DataFrame, acts: DataFrame, windows: Mapping[str, int]) -> DataFrame:
    """Steps 4-5: candidate pairs with the aggregates of step 3, ``shared`` and ``q``."""
    from pyspark.sql import functions as F

    rows = cand.join(shared_objects(cand, acts), on=list(PAIR_KEY)).select(
        *PAIR_KEY,
        F.col("n_coactions").cast("long").alias("n_coactions"),
        F.col("weight").cast("double").alias("weight"),
        F.col("first_t").cast("long").alias("first_t"),
        F.col("last_t").cast("long").alias("last_t"),
        F.col("median_gap_s").cast("double").alias("median_gap_s"),
        F.col("shared").cast("long").alias("shared"),
        F.col("origin_share").cast("double").alias("origin_share"),
        F.transform("recent", lambda x: x["d_a"]).alias("d_a"),
        F.transform("recent", lambda x: x["d_b"]).alias("d_b"),
    )
    return rows.select(*EVIDENCE_COLUMNS[:-1], delay_overlap(signal_map(windows)).alias("q"))
