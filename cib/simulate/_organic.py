"""Organic activity: the hard negatives.

Heavy-tailed posting with daily rhythms, reposts/replies/quotes of popular posts with realistic
delays, celebrities with fast fan reposts, breaking-news share-button bursts, trending hashtag
sets, popular-article URL bursts and news aggregators that post the same feeds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from cib.simulate import _accounts as A
from cib.simulate import _text as T
from cib.simulate import _vocab as V
from cib.simulate._chunks import ORIGINAL, QUOTE, REPLY, REPOST, chunk


@dataclass
class Article:
    """A news article: outlet index, headline, canonical URL, publication time."""

    outlet: int
    title: str
    url: str
    t: int


def assign_roles(rng: np.random.Generator, acc: A.Accounts) -> None:
    """Mark celebrities and news aggregators among regular accounts (in place)."""
    n = acc.n
    free = np.flatnonzero(acc.role == A.REGULAR)
    n_celeb = max(2, round(n / 400))
    n_agg = max(2, round(n / 300))
    pick = rng.choice(free, n_celeb + n_agg, replace=False)
    celebs, aggs = pick[:n_celeb], pick[n_celeb:]
    acc.role[celebs] = A.CELEB
    acc.followers[celebs] = np.exp(rng.uniform(np.log(1e5), np.log(8e6), n_celeb)).astype(np.int64)
    acc.rate[celebs] = rng.uniform(4, 12, n_celeb)
    acc.mix[celebs] = [0.85, 0.05, 0.08, 0.02]
    acc.created[celebs] = A.START - rng.integers(2500, 5000, n_celeb) * A.DAY
    acc.role[aggs] = A.AGGREGATOR
    acc.rate[aggs] = rng.uniform(0.0, 2.0, n_agg)
    acc.mix[aggs] = [1.0, 0.0, 0.0, 0.0]
    acc.profile[aggs] = A.FLAT
    acc.weekdays_only[aggs] = False
    acc.followers[aggs] = rng.lognormal(7.5, 1.2, n_agg).astype(np.int64)
    clients = np.array(V.AGGREGATOR_CLIENTS, dtype=object)
    acc.client1[aggs] = clients[rng.integers(0, len(clients), n_agg)]
    acc.p_client1[aggs] = 1.0
    names = ["News", "Daily", "Wire", "Feed", "Updates", "Now", "Headlines"]
    for k, i in enumerate(aggs):
        acc.name[i] = (
            f"{V.WORDS_HANDLE[int(rng.integers(len(V.WORDS_HANDLE)))].title()} "
            f"{names[k % len(names)]}"
        )


def _hashtag_lists(rng: np.random.Generator, n: int, p: float) -> list[list[str]]:
    """Evergreen hashtags (Zipf-popular) for ``n`` posts, each tagged with probability ``p``."""
    tags = V.EVERGREEN_TAGS
    w = 1.0 / np.arange(1, len(tags) + 1) ** 0.8
    w /= w.sum()
    has = rng.random(n) < p
    k = np.where(has, rng.integers(1, 3, n), 0)
    idx = rng.choice(len(tags), (n, 2), p=w)
    return [
        [tags[idx[i, 0]]]
        if k[i] == 1
        else ([tags[idx[i, 0]], tags[idx[i, 1]]] if idx[i, 0] != idx[i, 1] else [tags[idx[i, 0]]])
        if k[i] == 2
        else []
        for i in range(n)
    ]


def _generic_urls(rng: np.random.Generator, n: int, p: float) -> list[list[str]]:
    has = rng.random(n) < p
    dom = rng.integers(0, len(V.GENERIC_DOMAINS), n)
    # A long tail of paths with a few popular ones (so URLs are shared a little organically).
    path = np.where(rng.random(n) < 0.3, rng.zipf(1.6, n) % 500, rng.integers(0, 10**7, n))
    return [
        [f"https://{V.GENERIC_DOMAINS[dom[i]]}/p/{path[i]:x}"] if has[i] else [] for i in range(n)
    ]


def originals(
    rng: np.random.Generator, acc: A.Accounts, days: int, counts: np.ndarray
) -> pl.DataFrame:
    """Organic original posts for every account, ``counts[i]`` each."""
    who = np.repeat(np.arange(acc.n), counts)
    t = A.sample_times(rng, acc, who, days)
    n = who.size
    text = T.compose(rng, n, V.ORIGINAL_TEMPLATES)
    tags = _hashtag_lists(rng, n, 0.14)
    tag_str = pl.Series([" ".join(x) for x in tags], dtype=pl.String)
    text = pl.select(
        pl.when(tag_str != "").then(pl.concat_str([text, tag_str], separator=" ")).otherwise(text)
    ).to_series()
    return chunk(who, t, ORIGINAL, text, hashtags=tags, urls=_generic_urls(rng, n, 0.08))


def external_posts(rng: np.random.Generator, n: int) -> tuple[list[str], list[str], list[str]]:
    """Posts outside the dump that organic accounts repost: (post_id, author, text)."""
    first = np.array(V.FIRST, dtype=object)[rng.integers(0, len(V.FIRST), n)]
    last = np.array(V.LAST, dtype=object)[rng.integers(0, len(V.LAST), n)]
    authors = A._handles(rng, n, first, last)
    lo, hi = 1_700_000_000_000_000_000, 1_760_000_000_000_000_000  # snowflakes before START
    ids = [str(int(x)) for x in rng.integers(lo, hi, n)]
    return ids, list(authors), T.compose(rng, n, V.ORIGINAL_TEMPLATES).to_list()


def _pick_refs(
    rng: np.random.Generator,
    t_child: np.ndarray,
    orig_t: np.ndarray,
    cumw: np.ndarray,
    median_s: float,
    sigma: float,
    window_s: float,
) -> np.ndarray:
    """Choose referenced originals (row numbers in time order), popularity-weighted.

    Each child gets a delay ``d`` (lognormal) and picks among originals posted in
    ``[t - d - window, t - d]`` with probability proportional to popularity. -1 when none.
    """
    m = t_child.size
    d = rng.lognormal(np.log(median_s), sigma, m)
    hi = np.searchsorted(orig_t, t_child - d, side="right")
    lo = np.searchsorted(orig_t, t_child - d - window_s, side="left")
    u = cumw[lo] + rng.random(m) * (cumw[hi] - cumw[lo])
    j = np.clip(np.searchsorted(cumw, u, side="right") - 1, lo, np.maximum(hi - 1, lo))
    return np.where(hi > lo, j, -1)


#: Interaction kind: (popularity exponent, median delay s, delay sigma, window s,
#: P(outside the dump)).
_INTERACTIONS = {
    REPOST: (0.6, 240.0, 1.7, 600.0, 0.2),
    REPLY: (0.45, 600.0, 1.5, 900.0, 0.1),
    QUOTE: (0.5, 1200.0, 1.5, 1200.0, 0.15),
}


@dataclass
class _Targets:
    """What interactions refer to: the organic originals (``order``: their rows in time
    order, ``o_ts`` their sorted times) and the posts outside the dump (``ext_*``, drawn
    with weights ``ext_w``)."""

    orig: pl.DataFrame
    o_acc: np.ndarray
    order: np.ndarray
    o_ts: np.ndarray
    handles: pl.Series
    ext_ids: list[str]
    ext_auth: list[str]
    ext_text: list[str]
    ext_w: np.ndarray


def interactions(
    rng: np.random.Generator,
    acc: A.Accounts,
    days: int,
    orig: pl.DataFrame,
    counts: dict[int, np.ndarray],
    n_ext: int,
) -> list[pl.DataFrame]:
    """Reposts, replies and quotes of organic originals (or of posts outside the dump)."""
    ext_ids, ext_auth, ext_text = external_posts(rng, n_ext)
    ext_w = 1.0 / np.arange(1, n_ext + 1) ** 1.1
    ext_w /= ext_w.sum()
    o_t = orig["t"].to_numpy()
    order = np.argsort(o_t, kind="stable")
    tg = _Targets(
        orig=orig,
        o_acc=orig["acc"].to_numpy(),
        order=order,
        o_ts=o_t[order],
        handles=pl.Series(acc.handle.tolist(), dtype=pl.String),
        ext_ids=ext_ids,
        ext_auth=ext_auth,
        ext_text=ext_text,
        ext_w=ext_w,
    )
    out: list[pl.DataFrame] = []
    for kind, (expo, median_s, sigma, window, p_ext) in _INTERACTIONS.items():
        who = np.repeat(np.arange(acc.n), counts[kind])
        if who.size == 0:
            continue
        t = A.sample_times(rng, acc, who, days)
        w = (acc.followers[tg.o_acc[tg.order]] + 20.0) ** expo
        cumw = np.concatenate([[0.0], np.cumsum(w)])
        j = _pick_refs(rng, t, tg.o_ts, cumw, median_s, sigma, window)
        ref = np.where(j >= 0, tg.order[np.maximum(j, 0)], -1)
        self_ref = (ref >= 0) & (tg.o_acc[np.maximum(ref, 0)] == who)
        ext = (ref < 0) | self_ref | (rng.random(who.size) < p_ext)
        ref = np.where(ext, -1, ref)
        e = rng.choice(n_ext, who.size, p=tg.ext_w)
        out.append(_interaction_chunk(rng, kind, who, t, ref, ext, e, tg))
    return out


def _interaction_chunk(
    rng: np.random.Generator,
    kind: int,
    who: np.ndarray,
    t: np.ndarray,
    ref: np.ndarray,
    ext: np.ndarray,
    e: np.ndarray,
    tg: _Targets,
) -> pl.DataFrame:
    """The posts of one interaction ``kind``: each of ``who`` at ``t`` refers to original
    ``ref`` or, where ``ext``, to outside post ``e`` (its text drawn here, after the
    references, so the simulator's random draws keep their order)."""
    ext_ref = pl.Series(np.array(tg.ext_ids, dtype=object)[e]).set(pl.Series(~ext), None)  # type: ignore[arg-type]
    author = pl.select(
        pl.when(pl.Series(ext))
        .then(pl.Series(np.array(tg.ext_auth, dtype=object)[e], dtype=pl.String))
        .otherwise(tg.handles.gather(tg.o_acc[np.maximum(ref, 0)]))
    ).to_series()
    mentions = author.to_frame("a").select(pl.concat_list(pl.col("a"))).to_series()
    if kind == REPOST:
        src = pl.select(
            pl.when(pl.Series(ext))
            .then(pl.Series(np.array(tg.ext_text, dtype=object)[e], dtype=pl.String))
            .otherwise(tg.orig["text"].gather(np.maximum(ref, 0)))
        ).to_series()
        rt = rng.random(who.size) < 0.8
        text = pl.select(
            pl.when(pl.Series(rt))
            .then(pl.concat_str([pl.lit("RT @"), author, pl.lit(": "), src]))
            .otherwise(src)
        ).to_series()
        hashtags = pl.select(
            pl.when(pl.Series(ext))
            .then(pl.lit([], dtype=pl.List(pl.String)))
            .otherwise(tg.orig["hashtags"].gather(np.maximum(ref, 0)))
        ).to_series()
        return chunk(
            who, t, REPOST, text, ref=ref, ext_ref=ext_ref, mentions=mentions, hashtags=hashtags
        )
    if kind == REPLY:
        body = T.compose(rng, who.size, V.REPLY_TEMPLATES)
        text = pl.select(pl.concat_str([pl.lit("@"), author, pl.lit(" "), body])).to_series()
        return chunk(who, t, REPLY, text, ref=ref, ext_ref=ext_ref, mentions=mentions)
    text = T.compose(rng, who.size, V.QUOTE_TEMPLATES)
    return chunk(who, t, QUOTE, text, ref=ref, ext_ref=ext_ref)


def fan_reposts(rng: np.random.Generator, acc: A.Accounts, orig: pl.DataFrame) -> pl.DataFrame:
    """Each celebrity has a fan base that reposts most of its posts within seconds to minutes."""
    celebs = np.flatnonzero(acc.role == A.CELEB)
    pool = np.flatnonzero(acc.role == A.REGULAR)
    o_acc = orig["acc"].to_numpy()
    o_t = orig["t"].to_numpy()
    accs, ts, refs = [], [], []
    base = max(10, acc.n * 0.02)
    for c in celebs:
        posts = np.flatnonzero(o_acc == c)
        k = int(min(len(pool), min(150, base * rng.uniform(0.6, 1.5))))
        if posts.size == 0 or k == 0:
            continue
        fans = rng.choice(pool, k, replace=False)
        p = rng.beta(2.5, 1.5, k) * 0.95
        hit = rng.random((posts.size, k)) < p
        pi, fi = np.nonzero(hit)
        speed = rng.lognormal(np.log(60), 0.8, k)  # each fan has a typical reaction time
        delay = rng.lognormal(np.log(speed[fi]), 0.9)
        accs.append(fans[fi])
        ts.append(o_t[posts[pi]] + 3 + delay.astype(np.int64))
        refs.append(posts[pi])
    if not accs:
        return chunk(np.zeros(0), np.zeros(0), REPOST, [])
    a, t, r = np.concatenate(accs), np.concatenate(ts), np.concatenate(refs)
    author = pl.Series(acc.handle[o_acc[r]].tolist(), dtype=pl.String)
    src = orig["text"].gather(r)
    rt = rng.random(a.size) < 0.85
    text = pl.select(
        pl.when(pl.Series(rt))
        .then(pl.concat_str([pl.lit("RT @"), author, pl.lit(": "), src]))
        .otherwise(src)
    ).to_series()
    mentions = author.to_frame("a").select(pl.concat_list(pl.col("a"))).to_series()
    return chunk(a, t, REPOST, text, ref=r, mentions=mentions, hashtags=orig["hashtags"].gather(r))


def _participants(rng: np.random.Generator, acc: A.Accounts, k: int) -> np.ndarray:
    pool = np.flatnonzero(np.isin(acc.role, (A.REGULAR, A.HEAVY)))
    w = np.sqrt(acc.rate[pool])
    k = min(k, pool.size)
    return rng.choice(pool, k, replace=False, p=w / w.sum())


def articles(rng: np.random.Generator, days: int) -> list[Article]:
    """Articles published by the outlets over the dump."""
    out: list[Article] = []
    for o, (_, domain) in enumerate(V.OUTLETS):
        n = rng.poisson(4 * days)
        for t in np.sort(rng.integers(A.START, A.START + days * A.DAY, n)):
            title = T.headline(rng)
            section = ["world", "politics", "business", "tech", "sport", "science", "local"][
                int(rng.integers(7))
            ]
            url = f"https://{domain}/{section}/{2024}/{T.slugify(title)[:60]}-{rng.integers(10**6)}"
            out.append(Article(o, title, url, int(t)))
    return out


def news_bursts(
    rng: np.random.Generator, acc: A.Accounts, days: int, arts: list[Article]
) -> list[pl.DataFrame]:
    """Breaking news (identical share text), article URL bursts and aggregator feeds."""
    n, end = acc.n, A.START + days * A.DAY
    out: list[pl.DataFrame] = []
    # Breaking news: many unrelated accounts post the identical share-button text within minutes.
    n_ev = max(2, round(days * 0.6))
    for art_i in rng.choice(len(arts), n_ev, replace=False):
        art = arts[art_i]
        handle = V.OUTLETS[art.outlet][0]
        tags = list(rng.choice(V.TREND_TAGS, int(rng.integers(1, 3)), replace=False))
        share = f"BREAKING: {art.title} {' '.join(tags)} via @{handle}"
        k = int(np.clip(n * rng.uniform(0.01, 0.04), 15, 3000))
        who = _participants(rng, acc, k)
        fast = rng.random(who.size) < 0.7
        delay = np.where(
            fast, rng.exponential(240, who.size), rng.lognormal(np.log(3600), 1.0, who.size)
        )
        t = art.t + 30 + delay.astype(np.int64)
        own = rng.random(who.size) < 0.25
        comments = T.compose(rng, who.size, V.SHARE_TEMPLATES).to_list()
        text = [f"{c} {share}" if o else share for c, o in zip(comments, own, strict=True)]
        urls = [[T.url_variant(rng, art.url)] for _ in range(who.size)]
        out.append(
            chunk(
                who,
                t,
                ORIGINAL,
                text,
                urls=urls,
                hashtags=[tags] * who.size,
                mentions=[[handle]] * who.size,
            )
        )
    # Popular articles: shared by many accounts over hours, with their own comments.
    n_pop = max(3, round(days * 4))
    for art_i in rng.choice(len(arts), min(n_pop, len(arts)), replace=False):
        art = arts[art_i]
        k = int(np.clip(rng.pareto(1.3) * 6 + 3, 3, max(10, n * 0.05)))
        who = _participants(rng, acc, k)
        t = art.t + 60 + rng.exponential(rng.uniform(3600, 4 * 3600), who.size).astype(np.int64)
        with_title = rng.random(who.size) < 0.4
        comments = T.compose(rng, who.size, V.SHARE_TEMPLATES).to_list()
        text = [f"{c} {art.title}" if w else c for c, w in zip(comments, with_title, strict=True)]
        urls = [[T.url_variant(rng, art.url)] for _ in range(who.size)]
        out.append(chunk(who, t, ORIGINAL, text, urls=urls))
    # Aggregators post every article of the outlets they follow, a few minutes after it appears.
    aggs = np.flatnonzero(acc.role == A.AGGREGATOR)
    by_outlet: dict[int, list[Article]] = {}
    for a in arts:
        by_outlet.setdefault(a.outlet, []).append(a)
    for g in aggs:
        follows = rng.choice(len(V.OUTLETS), int(rng.integers(1, 4)), replace=False)
        feed = [a for o in follows for a in by_outlet.get(int(o), [])]
        if not feed:
            continue
        style = int(rng.integers(4))
        tag = ["", " #news", " #breaking", ""][style]
        utm = f"utm_source={acc.client1[g].split('.')[0].lower()}&utm_medium=twitter"
        poll = rng.uniform(120, 1500)
        t = np.array([a.t for a in feed]) + rng.uniform(20, poll, len(feed)).astype(np.int64)
        text = [(a.title if style != 3 else a.title.upper()) + tag for a in feed]
        urls = [[f"{a.url}?{utm}"] for a in feed]
        tags = [[tag.strip()] if tag else [] for _ in feed]
        out.append(chunk(np.full(len(feed), g), t, ORIGINAL, text, urls=urls, hashtags=tags))
    return [c.filter(pl.col("t") < end) for c in out]


def trends(rng: np.random.Generator, acc: A.Accounts, days: int) -> pl.DataFrame:
    """Trending hashtag sets used by many accounts around an event."""
    n = acc.n
    parts: list[pl.DataFrame] = []
    for _ in range(max(2, round(days * 1.5))):
        tags = list(rng.choice(V.TREND_TAGS, int(rng.integers(2, 4)), replace=False))
        t0 = int(rng.integers(A.START, A.START + days * A.DAY))
        k = int(np.clip(n * rng.uniform(0.01, 0.05), 10, 5000))
        who = _participants(rng, acc, k)
        t = t0 + np.abs(rng.normal(0, rng.uniform(1, 4) * 3600, who.size)).astype(np.int64)
        lists: list[list[str]] = []
        for _i in range(who.size):
            u = rng.random()
            if u < 0.65:
                lists.append(tags)
            elif u < 0.85 and len(tags) > 2:
                lists.append(list(rng.permutation(tags))[:-1])
            else:
                lists.append([*tags, V.EVERGREEN_TAGS[int(rng.integers(len(V.EVERGREEN_TAGS)))]])
        body = T.compose(rng, who.size, V.ORIGINAL_TEMPLATES).to_list()
        text = [f"{b} {' '.join(tl)}" for b, tl in zip(body, lists, strict=True)]
        parts.append(chunk(who, t, ORIGINAL, text, hashtags=lists))
    return pl.concat(parts).filter(pl.col("t") < A.START + days * A.DAY)
