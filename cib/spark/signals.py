"""Co-action signals as Spark DataFrame expressions, mirroring :mod:`cib.detect.signals`.

Each function turns a Spark DataFrame of stored posts (the ``STORED_POSTS`` columns listed in
:data:`POST_COLUMNS`) into events ``signal, object_id, account_id, post_id, t, t_origin``
exactly as the Polars signal of the same name does:

* ``repost`` / ``reply`` / ``quote``: the referenced post id; ``t_origin`` is the referenced
  post's time when the dump holds it,
* ``url``: each canonical URL of a post that is not a repost,
* ``hashtags``: each pair of the post's distinct hashtags (sorted, joined with ``" #"``),
  then ``" @"`` and the UTC day, for non-reposts with at least ``min_hashtags`` hashtags;
  the whole sorted set instead when it has more than ``MAX_PAIR_TAGS`` hashtags,
* ``text``: the text fingerprint of non-reposts with ``text_norm`` of at least
  ``min_text_chars`` characters once @-mentions are removed,
* ``semantic``: the near-duplicate cluster of those texts (clusters computed on the driver),
* ``media``: each distinct media object of a post that is not a repost
  (:func:`cib.detect.signals.media_object`: URLs without query and fragment, hex keys
  lower-cased).

Events with a null or empty object are dropped, as in the default engine.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import polars as pl

from cib.config import DetectParams
from cib.detect.signals import MAX_PAIR_TAGS, MEDIA_HEX_PATTERN, MEDIA_URL_PATTERN
from cib.errors import SchemaError
from cib.normalize import MENTION_PATTERN
from cib.schemas import DETECT_POSTS

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = [
    "EVENT_COLUMNS",
    "POST_COLUMNS",
    "check_posts",
    "extract_events",
    "semantic_text_frame",
    "semantic_texts",
]

#: Stored-post columns the signals read.
POST_COLUMNS: tuple[str, ...] = tuple(DETECT_POSTS)
#: Event columns, in the order of ``cib.schemas.EVENTS``.
EVENT_COLUMNS: tuple[str, ...] = ("signal", "object_id", "account_id", "post_id", "t", "t_origin")
#: Stored-post columns added after the first release: a posts DataFrame without them reads
#: them as empty (Parquet exports of stored posts written before issue 15 have no ``media``).
OPTIONAL_COLUMNS: tuple[str, ...] = ("media",)
#: Signals that carry ``t_origin`` (the referenced post's time, when in the dump).
ORIGIN_SIGNALS: tuple[str, ...] = ("repost", "reply", "quote")

#: A signal maps a post row to an array of ``struct<signal, object_id>`` (empty: no event).
SparkSignal = Callable[[DetectParams], "Column"]


def check_posts(posts: DataFrame) -> None:
    """Raise :class:`SchemaError` when a stored-posts DataFrame lacks a column signals read."""
    missing = [c for c in POST_COLUMNS if c not in posts.columns and c not in OPTIONAL_COLUMNS]
    if missing:
        raise SchemaError(
            f"stage 'detect (spark)' got posts without columns {missing}. The Spark engine "
            "reads normalised stored posts (STORED_POSTS): read dumps with "
            "cib.ingest.read_file and write res.posts to Parquet, or export the store's posts."
        )


def with_epoch(posts: DataFrame) -> DataFrame:
    """The signal columns plus ``_t``: ``created_at`` in epoch seconds."""
    from pyspark.sql import functions as F

    cols = [
        F.col(c) if c in posts.columns else F.lit(None).cast("array<string>").alias(c)
        for c in POST_COLUMNS
    ]
    if "lang" in posts.columns:  # read by the semantic texts only
        cols.append(F.col("lang"))
    return posts.select(*cols).withColumn(
        "_t", F.unix_seconds(F.col("created_at").cast("timestamp"))
    )


def _one(name: str, obj: Column, when: Column | None = None) -> Column:
    """``[struct(name, obj)]``, or an empty array where ``when`` is false or null."""
    from pyspark.sql import functions as F

    arr = F.array(F.struct(F.lit(name).alias("signal"), obj.cast("string").alias("object_id")))
    if when is None:
        return arr
    return F.when(when, arr).otherwise(_empty())


def _empty() -> Column:
    from pyspark.sql import functions as F

    return F.array().cast("array<struct<signal:string,object_id:string>>")


def _not_repost() -> Column:
    from pyspark.sql import functions as F

    return F.col("repost_of").isNull()


def _texty(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    content = F.regexp_replace(F.col("text_norm"), MENTION_PATTERN, "")
    return _not_repost() & (F.length(content) >= params.min_text_chars) & (F.col("text_fp") != "")


def _repost(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    return _one("repost", F.col("repost_of"))


def _reply(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    return _one("reply", F.col("reply_to"))


def _quote(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    return _one("quote", F.col("quote_of"))


def _url(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    # Reposts carry the original's URLs: they are already covered by the repost signal.
    urls = F.transform(
        "urls_norm",
        lambda u: F.struct(F.lit("url").alias("signal"), u.cast("string").alias("object_id")),
    )
    return F.when(_not_repost() & F.col("urls_norm").isNotNull(), urls).otherwise(_empty())


def _hashtags(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    ok = _not_repost() & (F.size("hashtags_norm") >= params.min_hashtags)
    # Each pair of a post's distinct hashtags per UTC day of use is its own object; posts
    # with more than MAX_PAIR_TAGS hashtags give their whole set (as in the default engine).
    # The day comes from epoch seconds, so it does not depend on the session time zone.
    day = "cast(date_from_unix_date(cast(floor(_t / 86400) as int)) as string)"
    tags = "array_sort(array_distinct(hashtags_norm))"
    pairs = F.expr(
        f"flatten(transform(sequence(0, size({tags}) - 2), i -> transform("
        f"slice({tags}, i + 2, size({tags}) - i - 1), y -> named_struct("
        f"'signal', 'hashtags', 'object_id', concat({tags}[i], ' #', y, ' @', {day})))))"
    )
    n = F.size(F.array_distinct("hashtags_norm"))
    whole = F.concat(F.concat_ws(" #", F.expr(tags)), F.lit(" @"), F.expr(day))
    return (
        F.when(ok & (n >= 2) & (n <= MAX_PAIR_TAGS), pairs)
        .when(ok, _one("hashtags", whole))
        .otherwise(_empty())
    )


def _text(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    return _one("text", F.col("text_fp"), _texty(params))


def _semantic(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    # ``cluster_id`` is joined from the driver's clusters (null when the text is in none).
    return _one("semantic", F.col("cluster_id"), _texty(params))


def _narrative(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    # ``narrative_id`` is joined from the driver's clusters (null when the text is in none).
    return _one("narrative", F.col("narrative_id"), _texty(params))


def _media_object(key: Column) -> Column:
    from pyspark.sql import functions as F

    return (
        F.when(
            key.rlike(MEDIA_URL_PATTERN),
            F.concat(
                F.lower(F.regexp_extract(key, MEDIA_URL_PATTERN, 1)),
                F.regexp_extract(key, MEDIA_URL_PATTERN, 2),
            ),
        )
        .when(key.rlike(MEDIA_HEX_PATTERN), F.lower(key))
        .otherwise(key)
    )


def _media(params: DetectParams) -> Column:
    from pyspark.sql import functions as F

    # Reposts carry the original's media: they are already covered by the repost signal.
    objects = F.array_distinct(F.transform("media", _media_object))
    structs = F.transform(
        objects,
        lambda k: F.struct(F.lit("media").alias("signal"), k.cast("string").alias("object_id")),
    )
    return F.when(_not_repost() & F.col("media").isNotNull(), structs).otherwise(_empty())


#: Spark signals by name; the same names as ``cib.detect.signals.registered()``.
REGISTRY: dict[str, SparkSignal] = {
    "repost": _repost,
    "reply": _reply,
    "quote": _quote,
    "url": _url,
    "hashtags": _hashtags,
    "text": _text,
    "semantic": _semantic,
    "narrative": _narrative,
    "media": _media,
}


def _with_origin(events: DataFrame, posts: DataFrame) -> DataFrame:
    """Set ``t_origin`` to the referenced post's time when that post is in the dump.

    Only events of :data:`ORIGIN_SIGNALS` look their object up; the others keep null.
    """
    from pyspark.sql import functions as F

    origin = posts.groupBy(F.col("post_id").alias("_ref")).agg(F.min("_t").alias("t_origin"))
    ref = F.when(F.col("signal").isin(*ORIGIN_SIGNALS), F.col("object_id"))
    return events.withColumn("_ref", ref).join(origin, on="_ref", how="left").select(*EVENT_COLUMNS)


def cluster_frame(spark: SparkSession, clusters: pl.DataFrame | None) -> DataFrame | None:
    """The driver's text clusters (``text_fp, cluster_id, narrative_id``) as a Spark
    DataFrame."""
    if clusters is None or clusters.height == 0:
        return None
    if "narrative_id" not in clusters.columns:
        clusters = clusters.with_columns(pl.lit(None, dtype=pl.String).alias("narrative_id"))
    return spark.createDataFrame(
        clusters.select("text_fp", "cluster_id", "narrative_id").rows(),
        schema="text_fp string, cluster_id string, narrative_id string",
    )


def extract_events(
    posts: DataFrame, params: DetectParams, clusters: DataFrame | None = None
) -> DataFrame:
    """All events of the enabled signals as one Spark DataFrame (``EVENTS`` columns).

    One pass over the posts: every enabled signal adds its ``(signal, object_id)`` structs
    to an array per post, which is exploded once; null and empty objects are dropped.
    """
    from pyspark.sql import functions as F

    check_posts(posts)
    base = with_epoch(posts)
    names = [n for n in params.signals if n in REGISTRY]
    if "semantic" in names or "narrative" in names:
        if clusters is None:
            names = [n for n in names if n not in ("semantic", "narrative")]
        else:
            base = base.join(F.broadcast(clusters), on="text_fp", how="left")
    arrays = [REGISTRY[n](params) for n in names] or [_empty()]
    exploded = base.select(
        F.explode(F.concat(*arrays)).alias("_e"),
        "account_id",
        "post_id",
        F.col("_t").alias("t"),
    ).select(
        F.col("_e.signal").alias("signal"),
        F.col("_e.object_id").alias("object_id"),
        "account_id",
        "post_id",
        "t",
    )
    events = exploded.filter(F.col("object_id").isNotNull() & (F.col("object_id") != ""))
    if params.narrative_links_apart and "narrative" in names and "url" in names:
        events = _links_apart(events)
    if any(n in ORIGIN_SIGNALS for n in names):
        return _with_origin(events, base)
    return events.withColumn("t_origin", F.lit(None).cast("long")).select(*EVENT_COLUMNS)


def _links_apart(events: DataFrame) -> DataFrame:
    """:func:`cib.detect.signals.links_apart` in Spark: narrative events on posts that
    another account's post in the same narrative repeats (the same link with the same or a
    near-identical text) are left out."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    narr = events.filter(F.col("signal") == "narrative").select(
        "post_id", "account_id", F.col("object_id").alias("_n")
    )
    url = events.filter(F.col("signal") == "url").select("post_id", F.col("object_id").alias("_u"))
    first = Window.partitionBy("post_id").orderBy("signal")
    same = (
        events.filter(F.col("signal").isin("semantic", "text"))
        .withColumn("_r", F.row_number().over(first))
        .filter(F.col("_r") == 1)
        .select("post_id", F.col("object_id").alias("_c"))
    )
    both = narr.join(url, on="post_id").join(same, on="post_id")
    shared = (
        both.groupBy("_n", "_u", "_c")
        .agg(F.countDistinct("account_id").alias("_k"))
        .filter(F.col("_k") >= 2)
    )
    linked = (
        both.join(shared, on=["_n", "_u", "_c"], how="left_semi")
        .select("post_id")
        .distinct()
        .withColumn("_linked", F.lit(True))
    )
    return (
        events.join(linked, on="post_id", how="left")
        .filter(~((F.col("signal") == "narrative") & F.col("_linked").isNotNull()))
        .drop("_linked")
    )


def semantic_text_frame(posts: DataFrame, params: DetectParams) -> DataFrame:
    """Distinct texts for the semantic signals as a Spark DataFrame: ``text_fp, text_norm,
    t, lang`` (first-seen time per fingerprint, the smallest language code; null where the
    posts carry none), the rows of :func:`cib.detect.semantic_texts`."""
    from pyspark.sql import functions as F

    check_posts(posts)
    lang = F.min("lang") if "lang" in posts.columns else F.lit(None).cast("string")
    return (
        with_epoch(posts)
        .filter(_texty(params))
        .groupBy("text_fp")
        .agg(
            F.min("text_norm").alias("text_norm"),
            F.min("_t").alias("t"),
            lang.cast("string").alias("lang"),
        )
    )


def semantic_texts(posts: DataFrame, params: DetectParams) -> pl.DataFrame:
    """Distinct texts for the semantic signal, collected: ``text_fp, text_norm, t, lang``.

    Mirrors :func:`cib.detect.semantic_texts` (first-seen time per fingerprint, sorted by
    fingerprint) for posts that live in Spark, e.g. a Parquet dump on S3 or HDFS.
    """
    out = pl.from_arrow(semantic_text_frame(posts, params).toArrow())
    assert isinstance(out, pl.DataFrame)
    schema = {"text_fp": pl.String, "text_norm": pl.String, "t": pl.Int64, "lang": pl.String}
    if out.height == 0:
        return pl.DataFrame(schema=schema)
    return out.cast(schema).sort("text_fp")
