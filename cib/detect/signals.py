"""Co-action signals: each turns posts into (signal, object_id, account_id, post_id, t) events.

A signal is a function registered with :func:`signal`; adding one never touches the others.
Objects are what accounts act on together: a repost target, a reply target, a canonical URL,
a hashtag set, a text fingerprint, a cluster of near-identical texts, or a media key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from cib.config import DetectParams
from cib.normalize import MENTION_PATTERN
from cib.schemas import EVENTS

SignalFn = Callable[[pl.LazyFrame, "SignalContext"], pl.LazyFrame]
_REGISTRY: dict[str, SignalFn] = {}


@dataclass(frozen=True)
class SignalContext:
    """What signals may read besides the posts."""

    params: DetectParams
    #: text_fp -> cluster_id (near-identical texts) and narrative_id (narratives), each
    #: null where the text is in none.
    semantic_clusters: pl.DataFrame | None = None


def signal(name: str) -> Callable[[SignalFn], SignalFn]:
    """Register a signal function under ``name``."""

    def deco(fn: SignalFn) -> SignalFn:
        _REGISTRY[name] = fn
        return fn

    return deco


def registered() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def _events(lf: pl.LazyFrame, name: str, obj: pl.Expr) -> pl.LazyFrame:
    return lf.select(
        pl.lit(name).alias("signal"),
        obj.cast(pl.String).alias("object_id"),
        pl.col("account_id"),
        pl.col("post_id"),
        pl.col("created_at").dt.epoch("s").alias("t"),
        pl.lit(None, dtype=pl.Int64).alias("t_origin"),
    ).filter(pl.col("object_id").is_not_null() & (pl.col("object_id") != ""))


def _with_origin(events: pl.LazyFrame, posts: pl.LazyFrame) -> pl.LazyFrame:
    """Set ``t_origin`` to the referenced post's time when that post is in the dump."""
    origin = posts.select(
        pl.col("post_id").alias("object_id"),
        pl.col("created_at").dt.epoch("s").alias("_t0"),
    ).unique(subset="object_id")
    return (
        events.join(origin, on="object_id", how="left")
        .with_columns(pl.col("_t0").alias("t_origin"))
        .drop("_t0")
    )


@signal("repost")
def _repost(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    return _with_origin(_events(posts, "repost", pl.col("repost_of")), posts)


@signal("reply")
def _reply(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    return _with_origin(_events(posts, "reply", pl.col("reply_to")), posts)


@signal("quote")
def _quote(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    return _with_origin(_events(posts, "quote", pl.col("quote_of")), posts)


@signal("url")
def _url(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    # Reposts carry the original's URLs: they are already covered by the repost signal.
    lf = posts.filter(pl.col("repost_of").is_null()).explode("urls_norm")
    return _events(lf, "url", pl.col("urls_norm"))


#: A media key that is a URL: its scheme and host (group 1) and path (group 2); the query and
#: fragment (CDN size variants, signed tokens) are not part of the object. The same pattern
#: runs in Polars (Rust regex) and Spark (Java regex).
MEDIA_URL_PATTERN = r"^([A-Za-z][A-Za-z0-9+.\-]*://[^/?#]*)([^?#]*)"
#: A media key that is all hex digits (a perceptual hash): compared without regard to case.
MEDIA_HEX_PATTERN = r"^[0-9A-Fa-f]+$"


def media_object(key: pl.Expr) -> pl.Expr:
    """The object of a media key (keys arrive stripped from ingest): a URL without its query
    and fragment, scheme and host lower-cased; a hex key (perceptual hash) lower-cased; any
    other key (a platform media id, a blob CID, a blurhash) as it is."""
    head = key.str.extract(MEDIA_URL_PATTERN, 1)
    return (
        pl.when(head.is_not_null())
        .then(pl.concat_str(head.str.to_lowercase(), key.str.extract(MEDIA_URL_PATTERN, 2)))
        .when(key.str.contains(MEDIA_HEX_PATTERN))
        .then(key.str.to_lowercase())
        .otherwise(key)
    )


@signal("media")
def _media(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    """Co-media: each distinct media object of a post (the same image or video, by its key).

    Like URLs, a content object: judged at ``drip_window_s`` on repetition and the activity
    null, so a meme that many unrelated accounts post at their own times stays below it."""
    # Reposts carry the original's media: they are already covered by the repost signal.
    objects = pl.col("media").list.eval(media_object(pl.element())).list.unique()
    lf = (
        posts.filter(pl.col("repost_of").is_null())
        .with_columns(objects.alias("_media"))
        .explode("_media")
    )
    return _events(lf, "media", pl.col("_media"))


#: Posts with at most this many distinct hashtags give one object per hashtag *pair*; posts
#: with more give their whole set as one object (hashtag spam would otherwise explode).
MAX_PAIR_TAGS = 6


@signal("hashtags")
def _hashtags(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    """Hashtag co-use: each pair of hashtags a post carries, per UTC day of use.

    A campaign that rotates 2 or 3 of the same few hashtags per post rarely repeats the exact
    set, but its members keep using the same pairs; each day is its own object, so repetition
    counts the days two accounts pushed the same pair together. Posts with more than
    ``MAX_PAIR_TAGS`` hashtags count their whole set once."""
    tags = pl.col("hashtags_norm").list.unique().list.sort()
    lf = (
        posts.filter(
            pl.col("repost_of").is_null()
            & (pl.col("hashtags_norm").list.len() >= ctx.params.min_hashtags)
        )
        .with_columns(
            tags.alias("_tags"), pl.col("created_at").dt.strftime("%Y-%m-%d").alias("_day")
        )
        .with_row_index("_row")
    )
    n = pl.col("_tags").list.len()
    whole = lf.filter((n > MAX_PAIR_TAGS) | (n < 2)).with_columns(
        pl.concat_str(pl.col("_tags").list.join(" #"), pl.lit(" @"), pl.col("_day")).alias("_key")
    )
    few = lf.filter((n <= MAX_PAIR_TAGS) & (n >= 2))
    left = few.select("_row", pl.col("_tags").alias("_x")).explode("_x")
    pairs = (
        left.join(left.rename({"_x": "_y"}), on="_row")
        .filter(pl.col("_x") < pl.col("_y"))
        .join(few.drop("_tags"), on="_row")
        .with_columns(
            pl.concat_str(
                pl.col("_x"), pl.lit(" #"), pl.col("_y"), pl.lit(" @"), pl.col("_day")
            ).alias("_key")
        )
        .drop("_x", "_y")
    )
    both = pl.concat([whole.drop("_tags"), pairs], how="diagonal_relaxed")
    return _events(both, "hashtags", pl.col("_key"))


def texty(min_text_chars: int) -> pl.Expr:
    """Posts whose text counts for the text and semantic signals: not reposts, and at least
    ``min_text_chars`` normalised characters once @-mentions are removed."""
    return (
        pl.col("repost_of").is_null()
        & (pl.col("text_fp") != "")
        & (
            pl.col("text_norm").str.replace_all(MENTION_PATTERN, "").str.len_chars()
            >= min_text_chars
        )
    )


def _texty(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    return posts.filter(texty(ctx.params.min_text_chars))


@signal("text")
def _text(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    return _events(_texty(posts, ctx), "text", pl.col("text_fp"))


@signal("semantic")
def _semantic(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    if ctx.semantic_clusters is None or ctx.semantic_clusters.height == 0:
        return pl.LazyFrame(schema=EVENTS)
    lf = _texty(posts, ctx).join(
        ctx.semantic_clusters.lazy().select("text_fp", "cluster_id").drop_nulls(),
        on="text_fp",
        how="inner",
    )
    return _events(lf, "semantic", pl.col("cluster_id"))


@signal("narrative")
def _narrative(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    clusters = ctx.semantic_clusters
    if clusters is None or clusters.height == 0 or "narrative_id" not in clusters.columns:
        return pl.LazyFrame(schema=EVENTS)
    lf = _texty(posts, ctx).join(
        clusters.lazy().select("text_fp", "narrative_id").drop_nulls(),
        on="text_fp",
        how="inner",
    )
    return _events(lf, "narrative", pl.col("narrative_id"))


def extract_events(posts: pl.LazyFrame, ctx: SignalContext) -> pl.DataFrame:
    """All events of the enabled signals, one frame in the EVENTS schema."""
    parts = [
        _REGISTRY[name](posts, ctx).select(list(EVENTS)).cast(EVENTS)
        for name in ctx.params.signals
        if name in _REGISTRY
    ]
    if not parts:
        return pl.DataFrame(schema=EVENTS)
    events = pl.concat(parts).collect()
    if ctx.params.narrative_links_apart:
        events = links_apart(events)
    return events


def links_apart(events: pl.DataFrame) -> pl.DataFrame:
    """``events`` without the narrative events on posts that another account's post in the
    same narrative repeats: the same link with the same (or a near-identical) text (see
    ``DetectParams.narrative_links_apart``).

    One act is judged once. An article's headline with its link, as the outlet, the
    aggregators ("#news ...", "... - Gazette") and the share buttons post it, is a co-URL
    and a near-duplicate, judged by those signals' nulls against how popular the link is;
    counted again as a narrative, every newsroom and aggregator posting the day's news
    forms a network of its own. Texts in their own words keep their narrative, with their
    own links (troll "news" accounts) or with a shared one (a paraphrase team pushing an
    article). The Spark engine runs the same step (:mod:`cib.spark.signals`)."""
    narr = events.filter(pl.col("signal") == "narrative")
    url = events.filter(pl.col("signal") == "url")
    if narr.height == 0 or url.height == 0:
        return events
    same = (
        events.filter(pl.col("signal").is_in(["semantic", "text"]))
        .sort("signal")  # a near-duplicate cluster ("semantic") before the exact text
        .unique(subset="post_id", keep="first", maintain_order=True)
        .select("post_id", pl.col("object_id").alias("_c"))
    )
    both = (
        narr.select("post_id", "account_id", pl.col("object_id").alias("_n"))
        .join(url.select("post_id", pl.col("object_id").alias("_u")), on="post_id")
        .join(same, on="post_id")
    )
    shared = (
        both.group_by("_n", "_u", "_c")
        .agg(pl.col("account_id").n_unique().alias("_k"))
        .filter(pl.col("_k") >= 2)
    )
    linked = both.join(shared, on=["_n", "_u", "_c"], how="semi")["post_id"].unique()
    if linked.len() == 0:
        return events
    return events.filter(
        ~((pl.col("signal") == "narrative") & pl.col("post_id").is_in(linked.implode()))
    )
