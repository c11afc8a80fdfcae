"""Simulated social-media dumps with planted coordinated operations and ground-truth labels.

The organic population (about 90 % of accounts) is built to be a hard negative: heavy-tailed
activity with daily rhythms, celebrities whose fans repost them within minutes, breaking-news
share-button bursts (identical text and URL), trending hashtag sets, article URL bursts and news
aggregators that post the same feeds. Planted operations (``copypaste_evasion``,
``paraphrase``, ``repost_farm``, ``hashtag_push``, ``slow_drip_links``, ``foreign_locals``,
``reply_swarm``) act repeatedly with jitter and keep organic-looking filler.

Examples
--------
>>> from cib.config import SimulateParams
>>> posts, labels = simulate_frames(SimulateParams(accounts=200, days=2, seed=3))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from cib.config import SimulateParams
from cib.schemas import POSTS, UTC_US
from cib.simulate import _accounts as A
from cib.simulate import _ops as P
from cib.simulate import _organic as O
from cib.simulate._chunks import QUOTE, REPLY, REPOST
from cib.simulate._io import write_posts

__all__ = ["simulate", "simulate_frames", "CAMPAIGN_KINDS"]

#: Kinds of planted operation (large dumps add ``_2``, ``_3``... instances).
CAMPAIGN_KINDS: tuple[str, ...] = P.KINDS
_TWITTER_EPOCH_MS = 1_288_834_974_657


def _post_ids(rng: np.random.Generator, t: np.ndarray) -> np.ndarray:
    """Unique snowflake-style ids (time-ordered like real platform ids, random low bits)."""
    ms = t * 1000 + rng.integers(0, 1000, t.size)
    ids = ((ms - _TWITTER_EPOCH_MS) << 22) | rng.integers(0, 1 << 22, t.size)
    while True:
        _, first, counts = np.unique(ids, return_index=True, return_counts=True)
        if (counts == 1).all():
            return ids
        dup = np.ones(ids.size, dtype=bool)
        dup[first] = False
        ids[dup] = ids[dup] ^ rng.integers(1, 1 << 22, int(dup.sum()))


def _finalise(rng: np.random.Generator, acc: A.Accounts, table: pl.DataFrame) -> pl.DataFrame:
    """Turn the internal post table into the canonical POSTS frame, sorted by time."""
    n = table.height
    a = table["acc"].to_numpy()
    t = table["t"].to_numpy()
    pid = _post_ids(rng, t)
    pid_s = pl.Series(pid.astype(str).tolist(), dtype=pl.String)
    ref = table["ref"].fill_null(-1).to_numpy()
    ref_id = pl.select(
        pl.when(pl.Series(ref >= 0))
        .then(pid_s.gather(np.maximum(ref, 0)))
        .otherwise(table["ext_ref"])
    ).to_series()
    kind = table["kind"]
    use1 = rng.random(n) < acc.p_client1[a]
    client = np.where(use1, acc.client1[a], acc.client2[a])
    posts = pl.DataFrame(
        {
            "post_id": pid_s,
            "account_id": pl.Series(acc.handle[a].tolist(), dtype=pl.String),
            "created_at": pl.Series(t * 1_000_000).cast(UTC_US),
            "text": table["text"],
            "platform": pl.repeat("sim", n, eager=True, dtype=pl.String),
            "repost_of": pl.select(pl.when(kind == REPOST).then(ref_id)).to_series(),
            "reply_to": pl.select(pl.when(kind == REPLY).then(ref_id)).to_series(),
            "quote_of": pl.select(pl.when(kind == QUOTE).then(ref_id)).to_series(),
            "urls": table["urls"],
            "hashtags": table["hashtags"],
            "mentions": table["mentions"],
            "client": table["client"].fill_null(pl.Series(client.tolist(), dtype=pl.String)),
            "lang": pl.repeat("en", n, eager=True, dtype=pl.String),
            "account_created_at": pl.Series(acc.created[a] * 1_000_000).cast(UTC_US),
            "account_name": pl.Series(acc.name[a].tolist(), dtype=pl.String),
            "account_location": pl.Series(acc.location[a].tolist(), dtype=pl.String),
            "followers": pl.Series(acc.followers[a], dtype=pl.Int64),
            "media": pl.select(pl.repeat(pl.lit([], dtype=pl.List(pl.String)), n)).to_series(),
        },
        schema=POSTS,
    )
    # Location is an optional profile field: no location reads as null, not "".
    posts = posts.with_columns(
        pl.when(pl.col("account_location") == "")
        .then(None)
        .otherwise(pl.col("account_location"))
        .alias("account_location")
    )
    return posts.sort(["created_at", "post_id"])


def simulate_frames(params: SimulateParams) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Simulate one dump in memory.

    Parameters
    ----------
    params
        Accounts, days and seed. The same params always give the same frames.

    Returns
    -------
    tuple[pl.DataFrame, pl.DataFrame]
        Posts in the :data:`cib.schemas.POSTS` schema (sorted by ``created_at``) and labels
        with columns ``account_id`` and ``campaign`` (``"organic"`` or the operation's name)
        for every account that posted.
    """
    rng = np.random.default_rng(params.seed)
    days = params.days
    acc = A.build(rng, params.accounts)
    O.assign_roles(rng, acc)
    ops = P.plan(rng, acc)
    total = rng.poisson(acc.rate * days)
    counts = rng.multinomial(total, acc.mix)
    orig = O.originals(rng, acc, days, counts[:, 0])
    chunks = [orig]
    n_ext = max(50, acc.n // 10)
    chunks += O.interactions(
        rng,
        acc,
        days,
        orig,
        {REPOST: counts[:, 1], REPLY: counts[:, 2], QUOTE: counts[:, 3]},
        n_ext,
    )
    chunks.append(O.fan_reposts(rng, acc, orig))
    arts = O.articles(rng, days)
    chunks += O.news_bursts(rng, acc, days, arts)
    chunks.append(O.trends(rng, acc, days))
    chunks += P.generate(rng, acc, ops, orig, days, arts)
    end = A.START + days * A.DAY
    # The first chunk (the originals others point at) is already inside the window.
    table = pl.concat([orig, *(c.filter(pl.col("t") < end) for c in chunks[1:])])
    posts = _finalise(rng, acc, table)
    seen = np.unique(table["acc"].to_numpy())
    labels = pl.DataFrame(
        {"account_id": acc.handle[seen].tolist(), "campaign": acc.label[seen].tolist()},
        schema={"account_id": pl.String, "campaign": pl.String},
    ).sort("account_id")
    return posts, labels


def simulate(
    out_dir: str | Path,
    *,
    params: SimulateParams | None = None,
    formats: tuple[str, ...] = ("csv", "jsonl", "parquet"),
) -> dict:
    """Simulate a dump and write it to ``out_dir``.

    Parameters
    ----------
    out_dir
        Directory (created if needed) for ``posts.csv``, ``posts.jsonl``, ``posts.parquet``
        (the same rows, canonical columns) and ``labels.csv`` (``account_id,campaign``).
    params
        Simulation parameters; defaults to :class:`cib.config.SimulateParams`.
    formats
        Which post files to write, among ``"csv"``, ``"jsonl"``, ``"parquet"``.

    Returns
    -------
    dict
        ``n_posts``, ``n_accounts``, ``campaigns`` ({name: n_accounts}, organic excluded),
        ``files`` (names written), ``seed``, ``accounts``, ``days``.
    """
    params = params or SimulateParams()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    posts, labels = simulate_frames(params)
    files = write_posts(posts, out, tuple(formats))
    labels.write_csv(out / "labels.csv")
    files.append("labels.csv")
    camp = labels.filter(pl.col("campaign") != "organic").group_by("campaign").len()
    return {
        "n_posts": posts.height,
        "n_accounts": labels.height,
        "campaigns": dict(
            sorted(zip(camp["campaign"].to_list(), camp["len"].to_list(), strict=True))
        ),
        "files": files,
        "seed": params.seed,
        "accounts": params.accounts,
        "days": params.days,
    }
