"""The classic co-action network that the peer tools compute (CooRTweet, the QUT
coordination-network-toolkit): the baseline cib must never fall below.

For each signal (co-repost, co-reply, co-URL, co-hashtag set, identical text), two accounts
are linked when they acted on the same object within ``window_s`` seconds of each other on at
least ``min_shared`` distinct objects; the networks are the connected components of the union
of those links. There is no null model, no rarity weight and no community split: this is what
"accounts that repeatedly co-share within a window" means before any statistics.

The pairing reuses cib's band join (:func:`cib.detect.pairs.band_pairs`) with a generous
neighbour cap (``max_neighbors``) so that a viral object cannot exhaust memory; the cap is
the only difference from an all-pairs join and is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import igraph as ig
import polars as pl

from cib.config import DetectParams
from cib.detect.pairs import account_codes, band_pairs, first_actions
from cib.detect.signals import SignalContext, extract_events

CLASSIC_SIGNALS = ("repost", "reply", "url", "hashtags", "text")


@dataclass(frozen=True)
class ClassicResult:
    """``membership``: ``account_id, network_id`` (components of at least ``min_accounts``);
    ``pairs``: the linked pairs per signal; ``capped_events``: band-join cap hits."""

    membership: pl.DataFrame
    pairs: pl.DataFrame
    capped_events: int


def classic_network(
    posts: pl.DataFrame,
    *,
    window_s: int,
    min_shared: int,
    min_accounts: int,
    max_neighbors: int,
    signals: tuple[str, ...] = CLASSIC_SIGNALS,
    min_text_chars: int,
) -> ClassicResult:
    """Connected components of the co-action graph of ``posts`` (``DETECT_POSTS`` columns).

    Every signal uses the same window (``window_s``), as the peers do."""
    params = DetectParams(signals=list(signals), min_text_chars=min_text_chars)
    events = extract_events(posts.lazy(), SignalContext(params=params))
    parts: list[pl.DataFrame] = []
    capped = 0
    for sig in signals:
        acts = first_actions(events.filter(pl.col("signal") == sig))
        if acts.height < 2:
            continue
        codes, names = account_codes(acts)
        co, cap = band_pairs(acts, window_s=window_s, max_neighbors=max_neighbors, accounts=codes)
        capped += cap
        pairs = co.group_by("a", "b").len("n_shared").filter(pl.col("n_shared") >= min_shared)
        if pairs.height:
            parts.append(
                pl.DataFrame(
                    {
                        "account_a": names.gather(pairs["a"]),
                        "account_b": names.gather(pairs["b"]),
                        "n_shared": pairs["n_shared"],
                    }
                ).with_columns(pl.lit(sig).alias("signal"))
            )
    schema = {"account_id": pl.String, "network_id": pl.Int32}
    if not parts:
        return ClassicResult(pl.DataFrame(schema=schema), pl.DataFrame(), capped)
    pairs = pl.concat(parts)
    names = pl.concat([pairs["account_a"], pairs["account_b"]]).unique().sort()
    index = {n: i for i, n in enumerate(names.to_list())}
    g = ig.Graph(
        n=len(names),
        edges=[
            (index[a], index[b])
            for a, b in zip(pairs["account_a"].to_list(), pairs["account_b"].to_list(), strict=True)
        ],
    )
    comp = g.connected_components().membership
    out = pl.DataFrame({"account_id": names, "c": comp})
    big = out.group_by("c").len().filter(pl.col("len") >= min_accounts)
    ranked = big.sort(["len", "c"], descending=[True, False]).with_row_index("network_id", 1)
    membership = out.join(ranked.select("c", "network_id"), on="c").select(
        "account_id", pl.col("network_id").cast(pl.Int32)
    )
    return ClassicResult(membership, pairs, capped)
