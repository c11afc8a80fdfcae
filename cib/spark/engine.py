"""The Spark engine: the default detection plan with steps 1-5 run as Spark jobs.

:func:`detect_spark` returns the same :class:`cib.detect.Detection` as
:func:`cib.detect.detect`: events, candidate edges (``EDGE_SCHEMA`` + ``signal``), the
co-actions behind kept edges (``COACTION_SCHEMA`` + ``signal``), fused edges, membership and
semantic clusters. The heavy, data-proportional work (events, first actions, the band join,
pair aggregates, shared objects, delay overlap) runs in Spark; only candidate pairs (pairs
with at least ``min_coactions`` synchronised objects), per-account activity counts and the
co-actions of kept edges come back to the driver, where the shared Polars code scores pairs
(:func:`cib.detect.pairs.score_pairs`), fuses edges and runs Leiden.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from cib.config import DetectParams, NetworkParams
from cib.detect import (
    CROWD_SCHEMA,
    Detection,
    DetectionStats,
    clock_resolution,
    crowd_objects,
    semantic_frame,
    time_resolution,
)
from cib.detect.networks import fuse_edges, networks_of
from cib.detect.pairs import COACTION_SCHEMA, EDGE_SCHEMA, AutoRule, HabitRule, score_pairs
from cib.detect.plan import Evidence, evidence_plan
from cib.errors import CibError
from cib.schemas import EVENTS
from cib.spark import pairs as sp
from cib.spark.session import get_session, is_local
from cib.spark.signals import POST_COLUMNS, check_posts, cluster_frame, extract_events

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = ["DriverLimitError", "detect_spark", "load_posts"]


class DriverLimitError(CibError):
    """More rows would come back to the Spark driver than ``max_driver_edges`` allows."""


def _to_polars(sdf: DataFrame) -> pl.DataFrame:
    out = pl.from_arrow(sdf.toArrow())
    assert isinstance(out, pl.DataFrame)
    return out


def _collect(sdf: DataFrame, *, limit: int, what: str, params: DetectParams) -> pl.DataFrame:
    """Collect a DataFrame to the driver, refusing more than ``limit`` rows.

    At most ``limit + 1`` rows ever reach the driver, so an oversized result fails fast
    instead of exhausting driver memory.
    """
    out = _to_polars(sdf.limit(limit + 1))
    if out.height > limit:
        raise DriverLimitError(
            f"the Spark engine would bring more than max_driver_edges={limit:,} {what} to "
            f"the driver. Raise min_coactions (now {params.min_coactions}) so fewer pairs "
            "are candidates, lower max_neighbors, or raise the limit "
            "(max_driver_edges) on a driver with more memory."
        )
    return out


def load_posts(
    spark: SparkSession, posts: pl.DataFrame | str | DataFrame, tmp_dir: Path
) -> DataFrame:
    """Stored posts as a Spark DataFrame.

    A string is a Parquet path or glob Spark can read (local, ``hdfs://``, ``s3a://``); a
    Polars frame is handed over through Parquet in ``tmp_dir`` on local masters and through
    Arrow otherwise; a Spark DataFrame is used as is.
    """
    if isinstance(posts, str):
        sdf = spark.read.parquet(posts)
    elif isinstance(posts, pl.DataFrame):
        if "media" not in posts.columns:  # posts kept from before the media column (issue 15)
            posts = posts.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias("media"))
        missing = [c for c in POST_COLUMNS if c not in posts.columns]
        if missing:
            from cib.schemas import DETECT_POSTS, check_schema

            check_schema(posts, DETECT_POSTS, stage="detect (spark)")
        # lang travels when present: the semantic texts read it (cib.spark.texts).
        small = posts.select([*POST_COLUMNS, *(["lang"] if "lang" in posts.columns else [])])
        if is_local(spark.sparkContext.master):
            path = tmp_dir / "posts.parquet"
            small.write_parquet(path)
            sdf = spark.read.parquet(str(path))
        else:
            sdf = spark.createDataFrame(small.to_arrow())
    else:
        sdf = posts
    check_posts(sdf)
    return sdf


def _post_stats(posts: pl.DataFrame | str | DataFrame, sdf: DataFrame) -> DetectionStats:
    """``posts`` and ``accounts`` counts (on the driver when the posts are a Polars frame)."""
    from pyspark.sql import functions as F

    if isinstance(posts, pl.DataFrame):
        return DetectionStats(
            posts=posts.height,
            accounts=posts["account_id"].n_unique(),
            time_resolution_s=time_resolution(posts["created_at"]),
        )
    head = sdf.agg(
        F.count(F.lit(1)).alias("posts"),
        F.countDistinct("account_id").alias("accounts"),
        F.max((F.unix_micros("created_at") % 60_000_000 != 0).cast("int")).alias("sub_minute"),
    ).first()
    assert head is not None
    return DetectionStats(
        posts=int(head["posts"]),
        accounts=int(head["accounts"]),
        time_resolution_s=clock_resolution(int(head["posts"]), not head["sub_minute"]),
    )


def _empty_edges(name: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    return (
        pl.DataFrame(schema=EDGE_SCHEMA).with_columns(pl.lit(name).alias("signal")),
        pl.DataFrame(schema=COACTION_SCHEMA).with_columns(pl.lit(name).alias("signal")),
    )


def _per_evidence(plan: list[Evidence], attr: str) -> Column:
    """A column giving each row's ``attr`` of its evidence run (by the ``signal`` name)."""
    from pyspark.sql import functions as F

    expr = F.lit(None).cast("int")
    for e in plan:
        expr = F.when(F.col("signal") == e.name, F.lit(getattr(e, attr))).otherwise(expr)
    return expr


def _by_signal(rows: list[Any], *cols: str) -> dict[str, dict[str, float]]:
    return {r["signal"]: {c: float(r[c] or 0) for c in cols} for r in rows}


def detect_spark(
    posts: pl.DataFrame | str | DataFrame,
    *,
    params: DetectParams,
    network: NetworkParams,
    max_driver_edges: int,
    vectors: np.ndarray | None = None,
    texts: pl.DataFrame | None = None,
    clusters: tuple[pl.DataFrame, dict[str, int]] | None = None,
    master: str | None = None,
    spark: SparkSession | None = None,
    collect_events: bool | None = None,
) -> Detection:
    """Run detection with steps 1-5 in Spark; same output as :func:`cib.detect.detect`.

    Parameters
    ----------
    posts : stored posts (``STORED_POSTS``) as a Polars frame, a Parquet path or glob
        (``/data/posts/*.parquet``, ``s3a://bucket/posts/``, ``hdfs:///cib/posts``) or a
        Spark DataFrame.
    params, network : the same parameters as the default engine.
    max_driver_edges : most candidate pairs (and per-account activity rows, and kept
        co-actions) collected to the driver; above it :class:`DriverLimitError` is raised
        (``engine.max_driver_edges`` of :class:`cib.config.EngineParams`).
    texts, vectors : :func:`cib.detect.semantic_texts` output and one unit vector per row
        (for the ``semantic`` signal, clustered on the driver); skipped when None.
    clusters : :func:`cib.detect.semantic_clusters` output, computed beforehand (then
        ``texts`` and ``vectors`` are not needed).
    master : Spark master URL (``engine.spark_master``), used when no ``spark`` session is
        given; one of the two is needed.
    spark : an existing session (e.g. the one ``spark-submit`` created).
    collect_events : bring the events frame to the driver (``Detection.events``); by default
        only when there are at most ``max_driver_edges`` events. When not collected,
        ``Detection.events`` is empty and ``stats['events']`` holds the count.
    """
    t_start = time.perf_counter()
    if spark is None:
        if master is None:
            raise ValueError(
                "detect_spark needs a Spark session (spark=) or a master URL (master=, such "
                "as ScanConfig().engine.spark_master)."
            )
        spark = get_session(master)
    run = _Run(spark, params, max_driver_edges)
    try:
        sdf = load_posts(spark, posts, run.tmp)
        stats = _post_stats(posts, sdf)
        clusters_df = semantic_frame(params, stats, clusters, texts, vectors)
        events = run.keep(extract_events(sdf, params, cluster_frame(spark, clusters_df)))
        steps = _pair_steps(run, events)
        stats.events = steps.n_events
        all_edges, stats.signals = _score_evidence(run, steps, stats.time_resolution_s or 0)
        coactions = _kept_coactions(spark, steps.co, all_edges, params, max_driver_edges)
        fused = fuse_edges(all_edges)
        membership = networks_of(fused, network)
        stats.kept_edges = fused.height
        stats.networks = membership["network_id"].n_unique()
        n_events = steps.n_events
        want_events = n_events <= max_driver_edges if collect_events is None else collect_events
        if want_events:
            ev_pl = _to_polars(events).select(list(EVENTS)).cast(EVENTS)
        else:
            ev_pl = pl.DataFrame(schema=EVENTS)
        stats.engine = {
            "name": "spark",
            "master": spark.sparkContext.master,
            "events_collected": bool(want_events),
            "seconds": round(time.perf_counter() - t_start, 3),
        }
        crowds = _crowds(spark, events, coactions, membership)
        return Detection(
            ev_pl, all_edges, coactions, fused, membership, clusters_df, stats, crowds=crowds
        )
    finally:
        run.close()


class _Run:
    """One Spark detection run: its session, parameters, evidence plan, the DataFrames it
    persisted (unpersisted by :meth:`close`) and a temporary folder."""

    def __init__(self, spark: SparkSession, params: DetectParams, max_driver_edges: int):
        self.spark = spark
        self.params = params
        self.limit = max_driver_edges
        self.plan = evidence_plan(params)
        self.windows = {e.name: e.window_s for e in self.plan}
        self.tmp = Path(tempfile.mkdtemp(prefix="cib-spark-"))
        self.cached: list[DataFrame] = []

    def keep(self, df: DataFrame) -> DataFrame:
        """``df`` persisted (memory and disk) until the run ends."""
        from pyspark import StorageLevel

        df = df.persist(StorageLevel.MEMORY_AND_DISK)
        self.cached.append(df)
        return df

    def close(self) -> None:
        for df in self.cached:
            df.unpersist()
        shutil.rmtree(self.tmp, ignore_errors=True)


@dataclass
class _Steps:
    """What steps 1-5 bring back: counts per evidence name, the candidate pairs with their
    evidence and the per-account activity (on the driver), and the co-actions (in Spark)."""

    n_events: int
    ev_counts: dict[str, dict[str, float]]
    act_stats: dict[str, dict[str, float]]
    co_stats: dict[str, dict[str, float]]
    cand: pl.DataFrame
    activity: pl.DataFrame
    co: DataFrame


def _pair_steps(run: _Run, events: DataFrame) -> _Steps:
    """Steps 1-5 of every evidence run as Spark jobs over ``events``."""
    from pyspark.sql import functions as F

    plan, windows = run.plan, run.windows
    ev_counts = _by_signal(events.groupBy("signal").count().collect(), "count")
    n_events = int(sum(v["count"] for v in ev_counts.values()))

    # The slow timing scale reads its signal's events under its own name.
    slow = [e for e in plan if e.name != e.signal]
    runs = events
    for e in slow:
        runs = runs.unionByName(
            events.filter(F.col("signal") == e.signal).withColumn("signal", F.lit(e.name))
        )

    # Each evidence run's neighbour cap, as a column expression over ``signal``.
    cap = _per_evidence(plan, "max_neighbors")

    # Step 1: first actions, ranked within their object.
    acts = run.keep(sp.first_actions(runs))
    ranked = run.keep(sp.rank_actions(acts, windows))
    act_stats = _by_signal(
        ranked.groupBy("signal")
        .agg(
            F.count(F.lit(1)).alias("acts"),
            F.countDistinct("account_id").alias("accounts"),
            F.sum(sp.capped(cap).cast("long")).alias("capped"),
        )
        .collect(),
        "acts",
        "accounts",
        "capped",
    )
    n_accounts = {s: int(v["accounts"]) for s, v in act_stats.items()}

    # Step 2: band join.
    co = run.keep(sp.band_pairs(ranked, max_neighbors=cap, n_accounts=n_accounts))
    rows = _by_signal(co.groupBy("signal").count().collect(), "count")

    # Steps 3-5: aggregates, candidates, shared objects and delay overlap. The activity
    # null's background is every pair's co-actions, one post counting once.
    agg = run.keep(sp.pair_aggregates(co))
    co_stats = _by_signal(
        agg.groupBy("signal")
        .agg(F.sum("n_coactions").alias("x"), F.sum("weight").alias("weight"))
        .collect(),
        "x",
        "weight",
    )
    for name, v in co_stats.items():
        v["rows"] = rows.get(name, {}).get("count", 0.0)
    floor = _per_evidence(plan, "min_coactions")
    cand = agg.filter(F.col("n_coactions") >= floor)
    evidence = sp.candidate_evidence(cand, acts, windows)
    params, limit = run.params, run.limit
    cand_pl = _collect(evidence, limit=limit, what="candidate pairs", params=params)
    # The activity null's m: posts on shared objects, or every post for the runs that count
    # all activity (the fast content scale; see cib.detect.plan).
    every = [e.name for e in plan if e.all_activity]
    m_df = sp.activity(acts.filter(~F.col("signal").isin(every)))
    if every:
        m_df = m_df.unionByName(sp.activity(runs.filter(F.col("signal").isin(every))))
    m_pl = _collect(
        m_df,
        limit=limit,
        what="(signal, account) activity rows",
        params=params,
    )
    return _Steps(n_events, ev_counts, act_stats, co_stats, cand_pl, m_pl, co)


def _score_evidence(
    run: _Run, steps: _Steps, clock_s: int
) -> tuple[pl.DataFrame, dict[str, dict[str, float]]]:
    """Step 6 on the driver, per evidence run, with the shared scoring code: all candidate
    edges (``EDGE_SCHEMA`` + ``signal``) and each run's counts."""
    params = run.params
    edge_parts: list[pl.DataFrame] = []
    signals: dict[str, dict[str, float]] = {}
    for e in run.plan:
        name = e.name
        st: dict[str, float] = {"events": steps.ev_counts.get(e.signal, {}).get("count", 0.0)}
        edges = _empty_edges(name)[0]
        if steps.act_stats.get(name, {}).get("acts", 0.0) >= 2:
            st["capped_events"] = steps.act_stats[name]["capped"]
            cs = steps.co_stats.get(name, {"rows": 0.0, "weight": 0.0, "x": 0.0})
            st["close_pair_objects"] = cs["rows"]
            c = steps.cand.filter(pl.col("signal") == name)
            st["candidate_pairs"] = float(c.height)
            if c.height:
                pair = ["account_a", "account_b"]
                agg = c.select(
                    *pair,
                    pl.col("n_coactions").cast(pl.UInt32),
                    "weight",
                    "first_t",
                    "last_t",
                    "median_gap_s",
                )
                scored = score_pairs(
                    agg,
                    c.select(*pair, pl.col("shared").cast(pl.UInt32), "origin_share", "q"),
                    steps.activity.filter(pl.col("signal") == name).select("account_id", "m"),
                    total_weight=cs["weight"],
                    n_coactions_total=int(cs["x"]),
                    min_z=params.min_z,
                    min_timing_z=params.min_timing_z,
                    timing=e.timing,
                    auto=AutoRule.of(params, clock_s),
                    habit=HabitRule.of(params),
                )
                st["automated_pairs"] = float(scored["automated"].sum())
                st["kept_edges"] = float(scored["kept"].sum())
                edges = scored.sort(pair).with_columns(pl.lit(name).alias("signal"))
        st["window_s"] = run.windows[name]
        signals[name] = st
        edge_parts.append(edges)
    all_edges = pl.concat(edge_parts) if edge_parts else pl.DataFrame()
    return all_edges, signals


def _crowds(
    spark: SparkSession, events: DataFrame, coactions: pl.DataFrame, membership: pl.DataFrame
) -> pl.DataFrame:
    """:func:`cib.detect.object_crowds`, counted in Spark over the events (which may be too
    many to collect): only the objects the networks co-acted on come back."""
    from pyspark.sql import functions as F

    objs = crowd_objects(coactions, membership)
    if objs.height == 0:
        return pl.DataFrame(schema=CROWD_SCHEMA)
    objs_sdf = spark.createDataFrame(objs.rows(), schema="signal string, object_id string")
    tied = spark.createDataFrame(
        [(a,) for a in membership["account_id"].unique().to_list()], schema="account_id string"
    ).withColumn("_t", F.lit(1))
    delay = F.min("t") - F.min("t_origin")
    is_tied = F.col("_t").isNotNull()
    rows = (
        events.join(F.broadcast(objs_sdf), on=["signal", "object_id"])
        .groupBy("signal", "object_id", "account_id")
        .agg(F.when(delay.isNotNull(), F.greatest(delay, F.lit(0))).alias("_d"))
        .join(F.broadcast(tied), on="account_id", how="left")
        .groupBy("signal", "object_id")
        .agg(
            F.count(F.lit(1)).alias("n_o"),
            F.sum(F.coalesce("_t", F.lit(0))).alias("n_tied"),
            F.median(F.when(is_tied, F.col("_d").cast("double"))).alias("d_tied"),
            F.median(F.when(~is_tied, F.col("_d").cast("double"))).alias("d_free"),
        )
    )
    out = pl.from_arrow(rows.toArrow())
    assert isinstance(out, pl.DataFrame)
    if out.height == 0:
        return pl.DataFrame(schema=CROWD_SCHEMA)
    return out.select(list(CROWD_SCHEMA)).cast(CROWD_SCHEMA)


def _kept_coactions(
    spark: SparkSession,
    co: DataFrame,
    edges: pl.DataFrame,
    params: DetectParams,
    limit: int,
) -> pl.DataFrame:
    """The synchronised (pair, object) rows behind kept edges, per signal."""
    from pyspark.sql import functions as F

    out_schema = {**COACTION_SCHEMA, "signal": pl.String}
    if edges.height == 0 or not edges["kept"].any():
        return pl.DataFrame(schema=out_schema)
    kept = edges.filter(pl.col("kept")).select("signal", "account_a", "account_b")
    kept_sdf = spark.createDataFrame(
        kept.rows(), schema="signal string, account_a string, account_b string"
    )
    rows = co.join(F.broadcast(kept_sdf), on=["signal", "account_a", "account_b"])
    df = _collect(rows, limit=limit, what="co-actions of kept edges", params=params)
    order = {e.name: i for i, e in enumerate(evidence_plan(params))}
    return (
        df.with_columns(pl.col("signal").replace_strict(order, return_dtype=pl.Int32).alias("_o"))
        .sort(["_o", "account_a", "account_b", "object_id"])
        .select(*COACTION_SCHEMA, "signal")
        .cast(out_schema)
    )
