"""Co-action signals as Spark DataFrame expressions, mirroring :mod:`cib.detect.signals`.

Each function turns a Spark DataFrame of stored posts (the ``STORED_POSTS`` columns listed in
:data:`POST_COLUMNS`) into events ``signal, object_id, account_id, post_id, t, t_origin``
exactly as the Polars signal of the same name does:

* ``repost`` / ``reply`` / ``quote``: the referenced post id; ``t_origin`` is the referenced
  post's time when the dump holds it,
* ``url``: each canonical URL of a post that is not a repost,
* ``hashtags``: the sorted hashtag set joined with ``" #"``, then ``" @"`` and the UTC day,
  for non-reposts with at least ``min_hashtags`` hashtags,
* ``text``: the text fingerprint of non-reposts with ``text_norm`` of at least
  ``min_text_chars`` characters,
* ``semantic``: the near-duplicate cluster of those texts (clusters computed on the driver).

Events with a null or empty object are dropped, as in the default engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import polars as pl

from cib.config import DetectParams
from cib.errors import SchemaError

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = [
    "EVENT_COLUMNS",
    "POST_COLUMNS",
    "check_posts",
    "extract_events",
    "semantic_texts",
]

#: Stored-post columns the signals read.
POST_COLUMNS: tuple[str, ...] = (
    "post_id",
    "account_id",
    "created_at",
    "repost_of",
    "reply_to",
    "quote_of",
    "urls_norm",
    "hashtags_norm",
    "text_norm",
    "text_fp",
)
#: Event columns, in the order of ``cib.schemas.EVENTS``.
EVENT_COLUMNS: tuple[str, ...] = ("signal", "object_id", "account_id", "post_id", "t", "t_origin")
#: Signals that carry ``t_origin`` (the referenced post's time, when in the dump).
ORIGIN_SIGNALS: tuple[str, ...] = ("repost", "reply", "quote")

SparkSignal = Callable[["DataFrame", DetectParams, "DataFrame | None"], "DataFrame"]


def check_posts(posts: DataFrame) -> None:
    """Raise :class:`SchemaError` when a stored-posts DataFrame lacks a column signals read."""
    missing = [c for c in POST_COLUMNS if c not in posts.columns]
    if missing:
        raise SchemaError(
            f"stage 'detect (spark)' got posts without columns {missing}. The Spark engine "
            "reads normalised stored posts (STORED_POSTS): read dumps with "
            "cib.ingest.read_file and write res.posts to Parquet, or export the store's posts."
        )


def with_epoch(posts: DataFrame) -> DataFrame:
    """The signal columns plus ``_t``: ``created_at`` in epoch seconds."""
    from pyspark.sql import functions as F

    return posts.select(*POST_COLUMNS).withColumn(
        "_t", F.unix_seconds(F.col("created_at").cast("timestamp"))
    )


def _events(df: DataFrame, name: str, obj: Column) -> DataFrame:
    from pyspark.sql import functions as F

    out = df.select(
        F.lit(name).alias("signal"),
        obj.cast("string").alias("object_id"),
        F.col("account_id"),
        F.col("post_id"),
        F.col("_t").alias("t"),
        F.lit(None).cast("long").alias("t_origin"),
    )
    return out.filter(F.col("object_id").isNotNull() & (F.col("object_id") != ""))


def _not_repost() -> Column:
    from pyspark.sql import functions as F

    return F.col("repost_of").isNull()


def _texty(posts: DataFrame, params: DetectParams) -> DataFrame:
    from pyspark.sql import functions as F

    return posts.filter(
        _not_repost()
        & (F.length("text_norm") >= params.min_text_chars)
        & (F.col("text_fp") != "")
    )


def _repost(posts: DataFrame, params: DetectParams, clusters: DataFrame | None) -> DataFrame:
    from pyspark.sql import functions as F

    return _events(posts, "repost", F.col("repost_of"))


def _reply(posts: DataFrame, params: DetectParams, clusters: DataFrame | None) -> DataFrame:
    from pyspark.sql import functions as F

    return _events(posts, "reply", F.col("reply_to"))


def _quote(posts: DataFrame, params: DetectParams, clusters: DataFrame | None) -> DataFrame:
    from pyspark.sql import functions as F

    return _events(posts, "quote", F.col("quote_of"))


def _url(posts: DataFrame, params: DetectParams, clusters: DataFrame | None) -> DataFrame:
    from pyspark.sql import functions as F

    # Reposts carry the original's URLs: they are already covered by the repost signal.
    lf = posts.filter(_not_repost()).select("*", F.explode("urls_norm").alias("_url"))
    return _events(lf, "url", F.col("_url"))


def _hashtags(posts: DataFrame, params: DetectParams, clusters: DataFrame | None) -> DataFrame:
    from pyspark.sql import functions as F

    lf = posts.filter(_not_repost() & (F.size("hashtags_norm") >= params.min_hashtags))
    # Each UTC day of use of a hashtag set is its own object (as in the default engine).
    # The day comes from epoch seconds, so it does not depend on the session time zone.
    day = F.expr("cast(date_from_unix_date(cast(floor(_t / 86400) as int)) as string)")
    key = F.concat(F.concat_ws(" #", F.array_sort("hashtags_norm")), F.lit(" @"), day)
    return _events(lf, "hashtags", key)


def _text(posts: DataFrame, params: DetectParams, clusters: DataFrame | None) -> DataFrame:
    from pyspark.sql import functions as F

    return _events(_texty(posts, params), "text", F.col("text_fp"))


def _semantic(posts: DataFrame, params: DetectParams, clusters: DataFrame | None) -> DataFrame:
    from pyspark.sql import functions as F

    if clusters is None:
        return _events(posts.limit(0), "semantic", F.lit(None))
    lf = _texty(posts, params).join(F.broadcast(clusters), on="text_fp", how="inner")
    return _events(lf, "semantic", F.col("cluster_id"))


#: Spark signals by name; the same names as ``cib.detect.signals.registered()``.
REGISTRY: dict[str, SparkSignal] = {
    "repost": _repost,
    "reply": _reply,
    "quote": _quote,
    "url": _url,
    "hashtags": _hashtags,
    "text": _text,
    "semantic": _semantic,
}


def _with_origin(events: DataFrame, posts: DataFrame) -> DataFrame:
    """Set ``t_origin`` to the referenced post's time when that post is in the dump."""
    from pyspark.sql import functions as F

    origin = posts.groupBy(F.col("post_id").alias("object_id")).agg(F.min("_t").alias("_t0"))
    return (
        events.join(origin, on="object_id", how="left")
        .withColumn("t_origin", F.col("_t0"))
        .select(*EVENT_COLUMNS)
    )


def cluster_frame(spark: SparkSession, clusters: pl.DataFrame | None) -> DataFrame | None:
    """The driver's semantic clusters (``text_fp, cluster_id``) as a Spark DataFrame."""
    if clusters is None or clusters.height == 0:
        return None
    return spark.createDataFrame(
        clusters.select("text_fp", "cluster_id").rows(),
        schema="text_fp string, cluster_id string",
    )


def extract_events(
    posts: DataFrame, params: DetectParams, clusters: DataFrame | None = None
) -> DataFrame:
    """All events of the enabled signals as one Spark DataFrame (``EVENTS`` columns)."""
    check_posts(posts)
    base = with_epoch(posts)
    names = [n for n in params.signals if n in REGISTRY]
    origin_parts = [REGISTRY[n](base, params, clusters) for n in names if n in ORIGIN_SIGNALS]
    parts = [REGISTRY[n](base, params, clusters) for n in names if n not in ORIGIN_SIGNALS]
    if origin_parts:
        joined = origin_parts[0]
        for p in origin_parts[1:]:
            joined = joined.unionByName(p)
        parts.insert(0, _with_origin(joined, base))
    if not parts:
        from pyspark.sql import functions as F

        return _events(base.limit(0), "none", F.lit(None))
    out = parts[0]
    for p in parts[1:]:
        out = out.unionByName(p)
    return out.select(*EVENT_COLUMNS)


def semantic_texts(posts: DataFrame, params: DetectParams) -> pl.DataFrame:
    """Distinct texts for the semantic signal, collected: ``text_fp, text_norm, t``.

    Mirrors :func:`cib.detect.semantic_texts` (first-seen time per fingerprint, sorted by
    fingerprint) for posts that live in Spark, e.g. a Parquet dump on S3 or HDFS.
    """
    from pyspark.sql import functions as F

    check_posts(posts)
    df = (
        _texty(with_epoch(posts), params)
        .groupBy("text_fp")
        .agg(F.min("text_norm").alias("text_norm"), F.min("_t").alias("t"))
    )
    out = pl.from_arrow(df.toArrow())
    assert isinstance(out, pl.DataFrame)
    if out.height == 0:
        return pl.DataFrame(schema={"text_fp": pl.String, "text_norm": pl.String, "t": pl.Int64})
    return out.with_columns(pl.col("t").cast(pl.Int64)).sort("text_fp")
