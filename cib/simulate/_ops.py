"""Planted coordinated operations: planning (who, restyling) and their coordinated posts."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from cib.simulate import _accounts as A
from cib.simulate import _text as T
from cib.simulate import _vocab as V
from cib.simulate._chunks import ORIGINAL, REPLY, REPOST, chunk
from cib.simulate._organic import Article

KINDS: tuple[str, ...] = (
    "copypaste_evasion",
    "paraphrase",
    "repost_farm",
    "hashtag_push",
    "slow_drip_links",
    "foreign_locals",
    "reply_swarm",
)
MSK = 3.0


@dataclass
class Op:
    """One planted operation."""

    kind: str
    name: str
    members: np.ndarray
    targets: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    tags: list[str] = field(default_factory=list)
    tz: float = 0.0


def plan(rng: np.random.Generator, acc: A.Accounts) -> list[Op]:
    """Choose operations, their sizes and members; restyle members and targets (in place).

    About 5-8 % of accounts are planted. Each kind appears once per ~245 planted accounts, so
    large dumps hold several operations of a kind (``paraphrase``, ``paraphrase_2``, ...).
    """
    n = acc.n
    total = rng.uniform(0.05, 0.08) * n
    n_inst = max(1, round(total / (7 * 35)))
    lo = int(np.clip(n // 80, 5, 10))
    kinds = [k for _ in range(n_inst) for k in KINDS]
    sizes = rng.dirichlet([2.0] * len(kinds)) * total
    pool = list(rng.permutation(np.flatnonzero(acc.role == A.REGULAR)))
    budget = len(pool) // 2
    ops: list[Op] = []
    for i, (kind, s) in enumerate(zip(kinds, sizes, strict=True)):
        size = (
            int(np.clip(round(s), min(5, lo), 15))
            if kind == "reply_swarm"
            else int(np.clip(round(s), lo, 60))
        )
        size = min(size, budget)
        budget -= size
        if size < 2:
            break
        members = np.array([pool.pop() for _ in range(size)], dtype=np.int64)
        inst = i // len(KINDS)
        name = kind if inst == 0 else f"{kind}_{inst + 1}"
        tags = list(rng.choice(V.CAMPAIGN_TAGS, int(rng.integers(2, 5)), replace=False))
        tz = float(V.PLACES[int(rng.integers(len(V.PLACES)))][1])
        op = Op(kind, name, members, tags=tags, tz=tz)
        if kind in ("repost_farm", "reply_swarm"):
            k = int(rng.integers(2, 6 if kind == "repost_farm" else 5))
            op.targets = np.array([pool.pop() for _ in range(min(k, len(pool)))], dtype=np.int64)
        ops.append(op)
        _restyle(rng, acc, op)
    return ops


def _restyle(rng: np.random.Generator, acc: A.Accounts, op: Op) -> None:
    m = op.members
    k = m.size
    acc.label[m] = op.name
    acc.role[m] = A.OPERATOR
    # Coordination is only part of what members do: they keep some organic-looking filler.
    acc.rate[m] = np.clip(acc.rate[m], 0.5, 8.0) * rng.uniform(0.3, 0.8, k)
    if op.kind == "repost_farm":
        batch = A.START - int(rng.integers(30, 540)) * A.DAY
        acc.created[m] = batch + rng.integers(0, 7 * A.DAY, k)
        auto = rng.random(k) < 0.75
        farm = np.array(V.FARM_CLIENTS, dtype=object)
        acc.client1[m[auto]] = farm[rng.integers(0, len(farm), int(auto.sum()))]
        acc.p_client1[m[auto]] = rng.uniform(0.9, 1.0, int(auto.sum()))
        acc.followers[m] = rng.lognormal(3.0, 1.0, k).astype(np.int64)
        acc.mix[m] = rng.dirichlet([1.5, 8.0, 0.8, 0.3], k)
        t = op.targets
        acc.followers[t] = rng.lognormal(9.0, 1.0, t.size).astype(np.int64)
        acc.rate[t] = rng.uniform(3, 8, t.size)
        acc.mix[t] = [0.8, 0.1, 0.08, 0.02]
    elif op.kind == "hashtag_push":
        acc.created[m] = A.START - rng.integers(2 * A.DAY, 60 * A.DAY, k)
        acc.profile[m] = A.FLAT
        acc.weekdays_only[m] = False
        acc.followers[m] = rng.lognormal(3.5, 1.0, k).astype(np.int64)
    elif op.kind == "foreign_locals":
        acc.location[m] = np.array(V.US_PLACES, dtype=object)[rng.integers(0, len(V.US_PLACES), k)]
        acc.tz[m] = MSK
        acc.profile[m] = A.OFFICE
        acc.weekdays_only[m] = True
        web = rng.random(k)
        acc.client1[m] = np.where(
            web < 0.7,
            "Twitter Web App",
            np.where(web < 0.9, "TweetDeck Web App", "Twitter for Android"),
        )
        acc.p_client1[m] = rng.uniform(0.9, 1.0, k)
    elif op.kind == "reply_swarm":
        t = op.targets
        acc.followers[t] = rng.lognormal(10.0, 0.8, t.size).astype(np.int64)
        acc.rate[t] = rng.uniform(3, 8, t.size)
        acc.mix[t] = [0.75, 0.1, 0.13, 0.02]
        acc.followers[m] = rng.lognormal(4.0, 1.2, k).astype(np.int64)


def _slots(
    rng: np.random.Generator,
    n: int,
    days: int,
    tz: float,
    profile: int = A.HUMAN,
    weekdays: bool = False,
) -> np.ndarray:
    """``n`` event times following a rhythm profile in time zone ``tz``."""
    if weekdays:
        wd = np.flatnonzero(np.arange(days) % 7 < 5)
        day = wd[rng.integers(0, wd.size, n)] if wd.size else rng.integers(0, days, n)
    else:
        day = rng.integers(0, days, n)
    c = np.cumsum(A.PROFILES[profile])
    hour = np.searchsorted(c / c[-1], rng.random(n), side="right") + rng.random(n)
    local = day * A.DAY + (hour * 3600).astype(np.int64) - int(tz * 3600)
    return A.START + np.mod(local, days * A.DAY)


def _crowd(rng: np.random.Generator, members: np.ndarray, p: float) -> np.ndarray:
    """The members taking part in one coordinated action (at least two)."""
    who = members[rng.random(members.size) < p]
    if who.size < 2:
        who = rng.choice(members, min(2, members.size), replace=False)
    return rng.permutation(who)


def _n_events(rng: np.random.Generator, days: int, lo: float, hi: float) -> int:
    return max(3, int(1.5 * days), int(rng.poisson(days * rng.uniform(lo, hi))))


def _copypaste(rng: np.random.Generator, acc: A.Accounts, op: Op, days: int) -> pl.DataFrame:
    rows: dict[str, list] = {k: [] for k in ("acc", "t", "text", "urls", "hashtags")}
    n_ev = _n_events(rng, days, 2, 4.5)
    t0s = _slots(rng, n_ev, days, op.tz)
    p, mean_gap, strength = rng.uniform(0.5, 0.85), rng.uniform(60, 240), rng.uniform(0.6, 1.4)
    for t0 in t0s:
        tags = list(rng.choice(op.tags, int(rng.integers(1, 3)), replace=False))
        msg = T.paraphrase(rng, T.talking_point(rng), p_syn=0.0) + " " + " ".join(tags)
        url = (
            []
            if rng.random() < 0.7
            else [
                f"https://{V.OP_DOMAINS[int(rng.integers(len(V.OP_DOMAINS)))]}/a/{rng.integers(10**6)}"
            ]
        )
        who = _crowd(rng, op.members, p)
        delay = np.minimum(rng.exponential(mean_gap, who.size), 1200).astype(np.int64)
        delay[0] = 0
        for a, d in zip(who, delay, strict=True):
            rows["acc"].append(a)
            rows["t"].append(t0 + d)
            rows["text"].append(T.mutate_copy(rng, msg, strength) if rng.random() < 0.93 else msg)
            rows["urls"].append([T.url_variant(rng, url[0])] if url else [])
            rows["hashtags"].append(tags)
    return chunk(
        np.array(rows["acc"]),
        np.array(rows["t"]),
        ORIGINAL,
        rows["text"],
        urls=rows["urls"],
        hashtags=rows["hashtags"],
    )


def _paraphrase(rng: np.random.Generator, acc: A.Accounts, op: Op, days: int) -> pl.DataFrame:
    accs, ts, texts, tags_l = [], [], [], []
    n_ev = _n_events(rng, days, 2, 4)
    t0s = _slots(rng, n_ev, days, op.tz)
    p, mean_gap = rng.uniform(0.5, 0.8), rng.uniform(600, 1500)
    for t0 in t0s:
        tp = T.talking_point(rng)
        who = _crowd(rng, op.members, p)
        delay = np.minimum(rng.exponential(mean_gap, who.size), 5400).astype(np.int64)
        for a, d in zip(who, delay, strict=True):
            tags = [op.tags[0]] if rng.random() < 0.35 else []
            text = T.paraphrase(rng, tp)
            accs.append(a)
            ts.append(t0 + d)
            texts.append(f"{text} {tags[0]}" if tags else text)
            tags_l.append(tags)
    return chunk(np.array(accs), np.array(ts), ORIGINAL, texts, hashtags=tags_l)


def _repost_farm(
    rng: np.random.Generator, acc: A.Accounts, op: Op, orig: pl.DataFrame, days: int
) -> pl.DataFrame:
    o_acc = orig["acc"].to_numpy()
    o_t = orig["t"].to_numpy()
    posts = np.flatnonzero(np.isin(o_acc, op.targets))
    posts = posts[rng.random(posts.size) < rng.uniform(0.7, 0.95)]
    p, mean_gap = rng.uniform(0.6, 0.9), rng.uniform(3, 10)
    accs, ts, refs = [], [], []
    for j in posts:
        who = _crowd(rng, op.members, p)
        lag = rng.uniform(15, 600)
        delay = (lag + np.cumsum(rng.exponential(mean_gap, who.size))).astype(np.int64)
        accs.append(who)
        ts.append(o_t[j] + delay)
        refs.append(np.full(who.size, j))
    if not accs:
        return chunk(np.zeros(0), np.zeros(0), REPOST, [])
    a, t, r = np.concatenate(accs), np.concatenate(ts), np.concatenate(refs)
    author = pl.Series(acc.handle[o_acc[r]].tolist(), dtype=pl.String)
    src = orig["text"].gather(r)
    text = pl.select(pl.concat_str([pl.lit("RT @"), author, pl.lit(": "), src])).to_series()
    mentions = author.to_frame("a").select(pl.concat_list(pl.col("a"))).to_series()
    return chunk(a, t, REPOST, text, ref=r, mentions=mentions, hashtags=orig["hashtags"].gather(r))


def _push_tags(rng: np.random.Generator, tags: list[str]) -> list[str]:
    out = list(rng.permutation(tags))
    if rng.random() < 0.3:
        out.append(V.EVERGREEN_TAGS[int(rng.integers(len(V.EVERGREEN_TAGS)))])
    return out


def _hashtag_push(rng: np.random.Generator, acc: A.Accounts, op: Op, days: int) -> pl.DataFrame:
    push = op.tags[: int(rng.integers(2, len(op.tags) + 1))]
    span = days * A.DAY
    # Steady posting around the clock ...
    per = rng.uniform(4, 12, op.members.size) * days
    who = np.repeat(op.members, rng.poisson(per))
    t = A.START + rng.integers(0, span, who.size)
    # ... plus waves every few hours in which many members post within minutes.
    wave_t = A.START + np.cumsum(rng.exponential(rng.uniform(2, 5) * 3600, int(days * 12)))
    wave_t = wave_t[wave_t < A.START + span]
    w_acc, w_t = [], []
    for t0 in wave_t:
        crowd = _crowd(rng, op.members, 0.4)
        w_acc.append(crowd)
        w_t.append(t0 + rng.exponential(300, crowd.size).astype(np.int64))
    who = np.concatenate([who, *w_acc])
    t = np.concatenate([t, *w_t])
    tags = [_push_tags(rng, push) for _ in range(who.size)]
    body = T.compose(rng, who.size, V.ORIGINAL_TEMPLATES).to_list()
    text = [
        f"{b} {' '.join(tg)}" if i % 3 else f"{' '.join(tg)} {b}"
        for i, (b, tg) in enumerate(zip(body, tags, strict=True))
    ]
    return chunk(who, t, ORIGINAL, text, hashtags=tags)


def _drip(
    rng: np.random.Generator, acc: A.Accounts, op: Op, days: int, arts: list[Article]
) -> pl.DataFrame:
    accs, ts, texts, urls = [], [], [], []
    n_ev = _n_events(rng, days, 2, 4)
    t0s = _slots(rng, n_ev, days, op.tz)
    p, jitter = rng.uniform(0.45, 0.8), rng.uniform(3, 6) * 3600
    for t0 in t0s:
        if rng.random() < 0.3 and arts:
            base = arts[int(rng.integers(len(arts)))].url
        else:
            dom = V.OP_DOMAINS[int(rng.integers(len(V.OP_DOMAINS)))]
            slug = T.slugify(T.paraphrase(rng, T.talking_point(rng), p_syn=0.0))[:50]
            base = f"https://{dom}/{slug}-{rng.integers(10**5)}"
        who = _crowd(rng, op.members, p)
        delay = rng.uniform(0, jitter, who.size).astype(np.int64)
        comments = T.compose(rng, who.size, V.SHARE_TEMPLATES).to_list()
        for a, d, c in zip(who, delay, comments, strict=True):
            accs.append(a)
            ts.append(t0 + d)
            texts.append(c)
            urls.append([T.url_variant(rng, base, heavy=True)])
    return chunk(np.array(accs), np.array(ts), ORIGINAL, texts, urls=urls)


def _foreign(rng: np.random.Generator, acc: A.Accounts, op: Op, days: int) -> pl.DataFrame:
    accs, ts, texts, urls, tags_l = [], [], [], [], []
    n_ev = _n_events(rng, days, 2.5, 4)
    t0s = _slots(rng, n_ev, days, MSK, A.OFFICE, weekdays=True)
    p = rng.uniform(0.5, 0.75)
    for t0 in t0s:
        tp = T.talking_point(rng)
        link = rng.random() < 0.5
        dom = V.OP_DOMAINS[int(rng.integers(len(V.OP_DOMAINS)))]
        base = f"https://{dom}/news/{T.slugify(tp['obj'])}-{rng.integers(10**5)}"
        who = _crowd(rng, op.members, p)
        # Within the office day (the slot itself already falls in 9-18 MSK).
        delay = rng.uniform(0, 2700, who.size).astype(np.int64)
        for a, d in zip(who, delay, strict=True):
            tags = [op.tags[0]] if rng.random() < 0.3 else []
            text = (
                T.paraphrase(rng, tp)
                if not link or rng.random() < 0.3
                else T.compose(rng, 1, V.SHARE_TEMPLATES)[0]
            )
            accs.append(a)
            ts.append(t0 + d)
            texts.append(f"{text} {tags[0]}" if tags else text)
            urls.append([T.url_variant(rng, base, heavy=True)] if link else [])
            tags_l.append(tags)
    return chunk(np.array(accs), np.array(ts), ORIGINAL, texts, urls=urls, hashtags=tags_l)


def _swarm(rng: np.random.Generator, acc: A.Accounts, op: Op, orig: pl.DataFrame) -> pl.DataFrame:
    o_acc = orig["acc"].to_numpy()
    o_t = orig["t"].to_numpy()
    posts = np.flatnonzero(np.isin(o_acc, op.targets))
    posts = posts[rng.random(posts.size) < rng.uniform(0.4, 0.7)]
    accs, ts, refs, texts, ments = [], [], [], [], []
    for j in posts:
        target = str(acc.handle[o_acc[j]])
        who = _crowd(rng, op.members, 0.65)
        lag = rng.uniform(60, 480)
        delay = (lag + rng.exponential(150, who.size)).astype(np.int64)
        for a, d in zip(who, delay, strict=True):
            accs.append(a)
            ts.append(o_t[j] + d)
            refs.append(j)
            texts.append(T.hostile_reply(rng, target))
            ments.append([target])
    return chunk(
        np.array(accs),
        np.array(ts),
        REPLY,
        texts,
        ref=np.array(refs, dtype=np.int64),
        mentions=ments,
    )


def generate(
    rng: np.random.Generator,
    acc: A.Accounts,
    ops: list[Op],
    orig: pl.DataFrame,
    days: int,
    arts: list[Article],
) -> list[pl.DataFrame]:
    """The coordinated posts of every operation (filler comes from the organic generator)."""
    out: list[pl.DataFrame] = []
    for op in ops:
        if op.kind == "copypaste_evasion":
            out.append(_copypaste(rng, acc, op, days))
        elif op.kind == "paraphrase":
            out.append(_paraphrase(rng, acc, op, days))
        elif op.kind == "repost_farm":
            out.append(_repost_farm(rng, acc, op, orig, days))
        elif op.kind == "hashtag_push":
            out.append(_hashtag_push(rng, acc, op, days))
        elif op.kind == "slow_drip_links":
            out.append(_drip(rng, acc, op, days, arts))
        elif op.kind == "foreign_locals":
            out.append(_foreign(rng, acc, op, days))
        elif op.kind == "reply_swarm":
            out.append(_swarm(rng, acc, op, orig))
    end = A.START + days * A.DAY
    return [c.filter(pl.col("t") < end) for c in out]
