"""Co-action signals: each turns posts into (signal, object_id, account_id, post_id, t) events.

A signal is a function registered with :func:`signal`; adding one never touches the others.
Objects are what accounts act on together: a repost target, a reply target, a canonical URL,
a hashtag set, a text fingerprint, or a cluster of near-identical texts.
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
    semantic_clusters: pl.DataFrame | None = None  # text_fp -> cluster_id


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


@signal("hashtags")
def _hashtags(posts: pl.LazyFrame, ctx: SignalContext) -> pl.LazyFrame:
    lf = posts.filter(
        pl.col("repost_of").is_null()
        & (pl.col("hashtags_norm").list.len() >= ctx.params.min_hashtags)
    )
    # A hashtag set is reused for days; each UTC day of use is its own object, so repetition
    # counts the days two accounts pushed the same set together.
    day = pl.col("created_at").dt.strftime("%Y-%m-%d")
    key = pl.concat_str(pl.col("hashtags_norm").list.sort().list.join(" #"), pl.lit(" @"), day)
    return _events(lf, "hashtags", key)


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
    lf = _texty(posts, ctx).join(ctx.semantic_clusters.lazy(), on="text_fp", how="inner")
    return _events(lf, "semantic", pl.col("cluster_id"))


def extract_events(posts: pl.LazyFrame, ctx: SignalContext) -> pl.DataFrame:
    """All events of the enabled signals, one frame in the EVENTS schema."""
    parts = [
        _REGISTRY[name](posts, ctx).select(list(EVENTS)).cast(dict(EVENTS))
        for name in ctx.params.signals
        if name in _REGISTRY
    ]
    if not parts:
        return pl.DataFrame(schema=EVENTS)
    return pl.concat(parts).collect()
