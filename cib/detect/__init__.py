"""Detection core: events -> pair evidence against chance -> networks.

``detect`` is the only place the detection stages are chained. It reads canonical, normalised
posts (``STORED_POSTS``) and returns a :class:`Detection` with every intermediate frame the
report stage needs as evidence.
"""

from __future__ import annotations

from collections.abc import ItemsView
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import polars as pl

from cib.config import DetectParams, NetworkParams
from cib.detect.narrative import narrative_clusters
from cib.detect.networks import fuse_edges, networks_of
from cib.detect.pairs import AutoRule, HabitRule, pair_evidence
from cib.detect.plan import base_signal_col, evidence_plan
from cib.detect.semantic import near_duplicate_clusters
from cib.detect.signals import SignalContext, extract_events, registered, texty
from cib.schemas import DETECT_POSTS, check_schema

__all__ = [
    "CLUSTER_SCHEMA",
    "CROWD_SCHEMA",
    "clustered",
    "Detection",
    "DetectionStats",
    "crowd_objects",
    "object_crowds",
    "detect",
    "detect_events",
    "detection_events",
    "registered",
    "semantic_clusters",
    "semantic_frame",
    "semantic_texts",
    "clock_resolution",
    "time_resolution",
]


@dataclass
class DetectionStats:
    """The counts a detection run records (``run.detection`` of networks.json).

    A field is None until the stage that counts it ran (a detection assembled by hand may
    carry none); :meth:`to_dict` leaves those out, in field order, which is the order the
    stages fill them. ``signals`` maps each planned evidence (``repost``, ``repost_slow``...)
    to the counts of :func:`cib.detect.pairs.pair_evidence` plus its ``window_s``;
    ``semantic`` holds the text-cluster counts, ``engine`` the Spark engine's own block and
    ``affiliations`` what :func:`cib.review.apply_affiliations` left out.

    ``stats["posts"]``, ``stats["posts"] = n`` and :meth:`get` / :meth:`items` read and
    write the fields by name, for the callers written against the former dict (the
    affiliations step); new code uses the attributes.
    """

    posts: int | None = None
    accounts: int | None = None
    time_resolution_s: int | None = None
    semantic: dict[str, int] | None = None
    events: int | None = None
    signals: dict[str, dict[str, float]] | None = None
    kept_edges: int | None = None
    networks: int | None = None
    engine: dict[str, Any] | None = None
    affiliations: dict[str, Any] | None = None

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DetectionStats:
        """The record of a stats dict (keys as :meth:`to_dict` writes them)."""
        names = {f.name for f in fields(cls)}
        bad = sorted(set(d) - names)
        if bad:
            raise KeyError(f"unknown detection stats {bad}; expected some of {sorted(names)}")
        return cls(**d)

    def to_dict(self) -> dict[str, Any]:
        """The counts that were recorded, as plain data (for networks.json)."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    def _field(self, key: str) -> str:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return key

    def __getitem__(self, key: str) -> Any:
        value = getattr(self, self._field(key))
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        setattr(self, self._field(key), value)

    def get(self, key: str, default: Any = None) -> Any:
        value = getattr(self, key, None) if key in self.__dataclass_fields__ else None
        return default if value is None else value

    def items(self) -> ItemsView[str, Any]:
        return self.to_dict().items()


@dataclass
class Detection:
    """Everything detection produced."""

    events: pl.DataFrame
    edges: pl.DataFrame  # all candidate pairs, per signal, with kept flag
    coactions: pl.DataFrame  # synchronised (pair, object) rows behind kept edges
    fused: pl.DataFrame
    membership: pl.DataFrame
    semantic_clusters: pl.DataFrame
    stats: DetectionStats = field(default_factory=DetectionStats)
    #: Accounts acting on each object the networks co-acted on: ``signal, object_id, n_o,
    #: n_tied, d_tied, d_free`` (see :func:`object_crowds`); None when not computed.
    crowds: pl.DataFrame | None = None


CLUSTER_SCHEMA = pl.Schema(
    {"text_fp": pl.String, "cluster_id": pl.String, "narrative_id": pl.String}
)
CROWD_SCHEMA = pl.Schema(
    {
        "signal": pl.String,
        "object_id": pl.String,
        "n_o": pl.UInt32,
        "n_tied": pl.UInt32,
        "d_tied": pl.Float64,
        "d_free": pl.Float64,
    }
)


def crowd_objects(coactions: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """``signal, object_id`` of the co-actions inside networks (base signal names)."""
    if coactions.height == 0 or membership.height == 0:
        return pl.DataFrame(schema={"signal": pl.String, "object_id": pl.String})
    ids = membership["account_id"].implode()
    return (
        coactions.filter(pl.col("account_a").is_in(ids) & pl.col("account_b").is_in(ids))
        .select(base_signal_col().alias("signal"), "object_id")
        .unique()
    )


def object_crowds(
    events: pl.DataFrame, coactions: pl.DataFrame, membership: pl.DataFrame
) -> pl.DataFrame:
    """Per object the networks co-acted on: ``n_o``, the accounts acting on it in the dump,
    and ``n_tied``, those of them in some network (the crowd share of
    :mod:`cib.profile`); ``d_tied`` and ``d_free``, the median reaction delay in seconds
    (each account's first action after the object was posted) of the tied accounts and of
    the others, null where the object's own time is unknown or no such account acted (the
    lead of :mod:`cib.profile`)."""
    objs = crowd_objects(coactions, membership)
    if objs.height == 0 or events.height == 0:
        return pl.DataFrame(schema=CROWD_SCHEMA)
    tied = pl.col("_t")
    return (
        events.join(objs, on=["signal", "object_id"], how="semi")
        .group_by("signal", "object_id", "account_id")
        .agg((pl.col("t").min() - pl.col("t_origin").min()).clip(lower_bound=0).alias("_d"))
        .with_columns(pl.col("account_id").is_in(membership["account_id"].implode()).alias("_t"))
        .group_by("signal", "object_id")
        .agg(
            pl.len().alias("n_o"),
            tied.sum().alias("n_tied"),
            pl.col("_d").filter(tied).median().alias("d_tied"),
            pl.col("_d").filter(~tied).median().alias("d_free"),
        )
        .cast(CROWD_SCHEMA)
    )


#: Fewer posts than this say nothing about the clock (a few can be whole minutes by chance).
MIN_CLOCK_POSTS = 100


def time_resolution(created_at: pl.Series) -> int:
    """Seconds the dump's clock counts in: 60 when every timestamp is a whole minute (some
    archives, such as the IRA troll tweets, drop the seconds), else 0. A gap of one minute in
    such a dump means anything from 1 to 119 seconds."""
    whole_minutes = bool((created_at.dt.epoch("us") % 60_000_000 == 0).all())
    return clock_resolution(created_at.len(), whole_minutes)


def clock_resolution(n_posts: int, whole_minutes: bool) -> int:
    """The rule of :func:`time_resolution` from its two facts, for engines that count them
    their own way: 60 when at least ``MIN_CLOCK_POSTS`` posts all fall on whole minutes."""
    return 60 if n_posts >= MIN_CLOCK_POSTS and whole_minutes else 0


def semantic_texts(posts: pl.DataFrame, params: DetectParams) -> pl.DataFrame:
    """Distinct texts eligible for the semantic signal: ``text_fp, text_norm, t`` (first
    seen) and ``lang`` (null where the posts carry none)."""
    lang = pl.col("lang").min() if "lang" in posts.columns else pl.lit(None, pl.String)
    return (
        posts.lazy()
        .filter(texty(params.min_text_chars))
        .group_by("text_fp")
        .agg(
            pl.col("text_norm").min(),
            pl.col("created_at").min().dt.epoch("s").alias("t"),
            lang.cast(pl.String).alias("lang"),
        )
        .sort("text_fp")
        .collect()
    )


def semantic_clusters(
    texts: pl.DataFrame, vectors: np.ndarray, params: DetectParams
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Near-identical text clusters and narratives (``text_fp, cluster_id, narrative_id``,
    each null where a text is in none) and their stats, for :func:`detect`'s ``clusters``:
    ``texts`` from :func:`semantic_texts`, one unit vector per row. Computed apart so that
    a caller can drop the vectors before detection runs. Each part is computed only when
    its signal (``semantic``, ``narrative``) is on."""
    frame = pl.DataFrame(schema=CLUSTER_SCHEMA)
    stats: dict[str, int] = {}
    if "semantic" in params.signals:
        near, stats = near_duplicate_clusters(
            texts,
            vectors,
            threshold=params.semantic_threshold,
            bucket_s=2 * params.drip_window_s,
            threads=params.threads,
        )
        frame = near.with_columns(pl.lit(None, dtype=pl.String).alias("narrative_id"))
    if "narrative" in params.signals:
        narr, nst = narrative_clusters(texts, vectors, params)
        stats.update({f"narrative_{k}": v for k, v in nst.items()})
        frame = frame.drop("narrative_id").join(narr, on="text_fp", how="full", coalesce=True)
    return frame.select(list(CLUSTER_SCHEMA)).cast(CLUSTER_SCHEMA).sort("text_fp"), stats


def semantic_frame(
    params: DetectParams,
    stats: DetectionStats,
    clusters: tuple[pl.DataFrame, dict[str, int]] | None = None,
    texts: pl.DataFrame | None = None,
    vectors: np.ndarray | None = None,
) -> pl.DataFrame:
    """The ``text_fp, cluster_id`` frame the semantic signal reads (empty when the signal is
    off or nothing was given): ``clusters`` as given, else built from ``texts`` and
    ``vectors``. Their stats go to ``stats['semantic']``. Shared by both engines."""
    if not clustered(params):
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    if clusters is None and texts is not None and vectors is not None:
        clusters = semantic_clusters(texts, vectors, params)
    if clusters is None:
        return pl.DataFrame(schema=CLUSTER_SCHEMA)
    stats.semantic = clusters[1]
    frame = clusters[0]
    for col in CLUSTER_SCHEMA:  # frames computed by an older version lack narrative_id
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(col))
    return frame.select(list(CLUSTER_SCHEMA)).cast(CLUSTER_SCHEMA)


def clustered(params: DetectParams) -> bool:
    """Whether a scan needs embeddings and text clusters (``semantic`` or ``narrative``)."""
    return "semantic" in params.signals or "narrative" in params.signals


def detection_events(
    posts: pl.DataFrame,
    *,
    params: DetectParams,
    clusters: tuple[pl.DataFrame, dict[str, int]] | None = None,
    texts: pl.DataFrame | None = None,
    vectors: np.ndarray | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, DetectionStats]:
    """Stage one of :func:`detect`: the events of every enabled signal.

    Returns ``(events, clusters frame, stats)``; the posts are not needed after this, so a
    caller can free them before :func:`detect_events` runs."""
    if "media" not in posts.columns:  # posts kept from before the media column (issue 15)
        posts = posts.with_columns(pl.lit([], dtype=pl.List(pl.String)).alias("media"))
    check_schema(posts, DETECT_POSTS, stage="detect")
    stats = DetectionStats(
        posts=posts.height,
        accounts=posts["account_id"].n_unique(),
        time_resolution_s=time_resolution(posts["created_at"]),
    )
    clusters_df = semantic_frame(params, stats, clusters, texts, vectors)
    ctx = SignalContext(params=params, semantic_clusters=clusters_df)
    events = extract_events(posts.lazy(), ctx)
    stats.events = events.height
    return events, clusters_df, stats


def detect_events(
    events: pl.DataFrame,
    clusters_df: pl.DataFrame,
    stats: DetectionStats,
    *,
    params: DetectParams,
    network: NetworkParams,
) -> Detection:
    """Stage two of :func:`detect`: pair evidence per signal, fused edges, networks."""
    edge_parts: list[pl.DataFrame] = []
    co_parts: list[pl.DataFrame] = []
    stats.signals = signals = {}
    auto = AutoRule.of(params, stats.time_resolution_s or 0)
    for ev_plan in evidence_plan(params):
        name = ev_plan.name
        ev = events.filter(pl.col("signal") == ev_plan.signal)
        edges, co, st = pair_evidence(
            ev,
            window_s=ev_plan.window_s,
            min_coactions=ev_plan.min_coactions,
            max_neighbors=ev_plan.max_neighbors,
            min_z=params.min_z,
            min_timing_z=params.min_timing_z,
            timing=ev_plan.timing,
            auto=auto,
            habit=HabitRule.of(params),
            all_activity=ev_plan.all_activity,
        )
        del ev
        st["window_s"] = ev_plan.window_s
        signals[name] = st
        edge_parts.append(edges.with_columns(pl.lit(name).alias("signal")))
        co_parts.append(co.with_columns(pl.lit(name).alias("signal")))
    all_edges = pl.concat(edge_parts) if edge_parts else pl.DataFrame()
    coactions = pl.concat(co_parts) if co_parts else pl.DataFrame()
    fused = fuse_edges(all_edges)
    membership = networks_of(fused, network)
    stats.kept_edges = fused.height
    stats.networks = membership["network_id"].n_unique()
    crowds = object_crowds(events, coactions, membership)
    return Detection(
        events, all_edges, coactions, fused, membership, clusters_df, stats, crowds=crowds
    )


def detect(
    posts: pl.DataFrame,
    *,
    params: DetectParams,
    network: NetworkParams,
    vectors: np.ndarray | None = None,
    texts: pl.DataFrame | None = None,
    clusters: tuple[pl.DataFrame, dict[str, int]] | None = None,
) -> Detection:
    """Run the detection stages on stored posts (:func:`detection_events`, then
    :func:`detect_events`).

    Parameters
    ----------
    posts : frame with the ``DETECT_POSTS`` columns (``STORED_POSTS`` works too).
    params, network : detection and network parameters.
    texts, vectors : the output of :func:`semantic_texts` and one unit vector per row; needed
        for the ``semantic`` signal unless ``clusters`` is given; skipped when all are None.
    clusters : the output of :func:`semantic_clusters`, computed beforehand.
    """
    events, clusters_df, stats = detection_events(
        posts, params=params, clusters=clusters, texts=texts, vectors=vectors
    )
    return detect_events(events, clusters_df, stats, params=params, network=network)
