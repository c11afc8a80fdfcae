"""Turn a detection into the report model (:class:`cib.report.model.Report`, the content of
networks.json).

This is where networks get their score parts, their rank, their "why flagged" line and the
evidence an investigator checks: the shared objects with example posts and timestamps, the
member timeline, account-creation dates and hour-of-day profile.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

import polars as pl

from cib.bursts import find_bursts
from cib.config import ReportParams, ScanConfig
from cib.detect import Detection
from cib.detect.networks import devoted_peripherals, peripheral_members, within_networks
from cib.detect.pairs import DEMOTED, VERDICTS
from cib.detect.plan import base_signal, base_signal_col, scale_rank
from cib.detect.plan import windows as evidence_windows
from cib.profile import (
    CROWD_SHARE_HALF,
    FAME_HIGH,
    FAME_LOW,
    LEAD_FULL,
    LEAD_LOW,
    Baseline,
    combine,
    demotion_reasons,
    hour_profile,
    member_table,
    network_parts,
)
from cib.report.model import (
    Edge,
    Evidence,
    HistogramBucket,
    Member,
    Network,
    Report,
    RunMeta,
    TimelinePoint,
)

MAX_TIMELINE = 1000
MAX_EDGES = 2000
EXAMPLE_POSTS = 5

_VERBS = {
    "repost": "reposted the same {n} posts",
    "reply": "replied to the same {n} posts",
    "quote": "quoted the same {n} posts",
    "url": "shared the same {n} links",
    "hashtags": "used the same {n} hashtag sets",
    "text": "posted {n} identical texts (after normalisation)",
    "semantic": "posted {n} near-identical texts",
    "narrative": "wrote on the same {n} narratives (in their own words)",
    "media": "posted the same {n} images or videos",
}


def _iso(ts: int | None) -> str | None:
    return None if ts is None else datetime.fromtimestamp(int(ts), UTC).isoformat()


def _fmt_gap(s: float) -> str:
    if s < 90:
        return f"{s:.0f} s"
    if s < 5400:
        return f"{s / 60:.0f} min"
    return f"{s / 3600:.1f} h"


def _reference_texts(
    posts: pl.DataFrame, co: pl.DataFrame
) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """Texts that label referenced objects (reposted, replied-to, quoted posts) of the
    co-actions ``co``: the referenced post's own text by post id where the dump holds it,
    and otherwise the first repost's text by ``(signal, object_id)``."""
    if not co.height:
        return {}, {}
    ref = (
        co.select(base_signal_col(), "object_id")
        .unique()
        .filter(pl.col("signal").is_in(["repost", "reply", "quote"]))
    )
    ids = ref["object_id"].unique()
    by_id = posts.filter(pl.col("post_id").is_in(ids.implode())).select("post_id", "text")
    own = dict(zip(by_id["post_id"].to_list(), by_id["text"].to_list(), strict=True))
    missing = ref.filter((pl.col("signal") == "repost") & ~pl.col("object_id").is_in(list(own)))
    first = (
        posts.filter(pl.col("repost_of").is_in(missing["object_id"].implode()))
        .group_by("repost_of")
        # The earliest repost (then the lowest post id): the store's row order varies.
        .agg(pl.col("text").sort_by("created_at", "post_id").first())
    )
    reposted = {("repost", o): t for o, t in first.iter_rows() if t is not None}
    return own, reposted


def _object_labels(
    objects: pl.DataFrame, ref_texts: tuple[dict[str, str], dict[tuple[str, str], str]]
) -> dict[tuple[str, str], str]:
    """Human-readable label per (signal, object_id)."""
    own, reposted = ref_texts
    labels: dict[tuple[str, str], str] = {}
    for sig, oid in objects.select("signal", "object_id").iter_rows():
        base = base_signal(sig)
        if base in ("url", "hashtags"):
            labels[(sig, oid)] = oid if base == "url" else "#" + oid
        elif base == "media":
            labels[(sig, oid)] = "media " + oid
        elif base in ("repost", "reply", "quote"):
            txt = own.get(oid) or reposted.get((base, oid))
            labels[(sig, oid)] = f"{base} of {oid}" + (f": {txt}" if txt else "")
    return labels


@dataclass(frozen=True)
class _Frames:
    """What every network's entry is cut from, computed once for the whole run."""

    #: co-actions inside a network; ``_shown`` marks one time scale per object
    co: pl.DataFrame
    cand: pl.DataFrame  # candidate edges inside a network
    kept: pl.DataFrame  # the kept ones
    mem_posts: pl.DataFrame  # the members' posts, each marked coordinated or not
    members: pl.DataFrame  # member_table of every network
    followers: pl.DataFrame  # post_id, followers of the posts networks co-acted on
    ref_texts: tuple[dict[str, str], dict[tuple[str, str], str]]
    #: member_table of the peripheral members (listed, flagged with their network, not scored)
    peripheral: pl.DataFrame
    #: their ``network_id, account_id, platform`` (each network's members per platform)
    peripheral_platforms: pl.DataFrame
    #: member_table-like rows of each network's principals (see :func:`principals`)
    principals: pl.DataFrame
    #: ``co``, ``cand`` and ``kept`` are sorted by network: each network's ``(start, rows)``
    spans: dict[str, dict[int, tuple[int, int]]]


def build_report(
    posts: pl.DataFrame,
    det: Detection,
    *,
    config: ScanConfig,
    run: Mapping[str, Any],
    baseline: Baseline | None = None,
    peripheral: pl.DataFrame | None = None,
    release: bool = False,
) -> Report:
    """The report model: run metadata and ranked networks with evidence.

    ``posts`` must hold every post of the network members, of the ``peripheral`` members
    (:func:`cib.detect.networks.peripheral_members`, computed when None) and the posts they
    act on (:meth:`cib.store.Store.report_posts`); ``baseline`` holds the dump-wide
    distributions (computed from ``posts`` when None, so ``posts`` must then be the whole
    dump).

    With ``release``, ``det.coactions`` is replaced by the rows the report gathered: the
    co-actions inside a network, network by network, with their ``network_id`` (what
    :func:`evidence_frame` keeps), and ``det.edges`` by the candidate edges inside a network
    (the demoted pairs of the summary are taken first), so that one copy of each is alive
    while the networks are built, not two (BENCHMARKS.md)."""
    rp: ReportParams = config.report
    # Synchrony is judged against the window plus the dump's clock resolution: in a dump
    # with whole-minute timestamps a recorded gap of 60 s may be 1 s.
    res = int(det.stats.time_resolution_s or 0)
    windows = {name: w + res for name, w in evidence_windows(config.detect).items()}
    base = baseline if baseline is not None else Baseline(posts)
    n_posts, n_accounts = _dump_counts(posts, det)
    rows = _coaction_rows(det.coactions, det.membership.select("account_id", "network_id"))
    if peripheral is None:
        peripheral = peripheral_members(det.fused, det.membership, config.network, det.edges)
    peripheral = devoted_peripherals(
        peripheral, posts, det.membership, config.network.peripheral_share
    )
    side = _post_frames(posts, det, rows, peripheral, config.network.principal_share)
    # The members' posts are in side["mem_posts"] now: dropping the posts (most of the dump at
    # 1M posts; the pipeline hands them over) before the co-actions are gathered keeps the
    # two copies from adding up with them.
    del posts
    demoted = demoted_pairs(det.edges, rp)  # before release replaces det.edges
    frames = _frames(det, rows, side)
    if release:
        det.coactions = frames.co.drop("_shown")
        det.edges = frames.cand
    built = [
        _network(nid, net_posts, frames, det, windows, base, config)
        for nid, net_posts in _by_network(frames.mem_posts)
    ]
    del frames, side  # the entries are built: the frames they were cut from can go
    networks = _ranked(built, rp)
    meta = _run_meta(run, n_posts, n_accounts, det, networks, demoted)
    return Report(run=meta, networks=networks)


def _by_network(mem_posts: pl.DataFrame) -> list[tuple[int, pl.DataFrame]]:
    """Each network's posts (without ``network_id``), in network order: zero-copy slices of
    ``mem_posts`` sorted by network (``partition_by`` would copy every member's posts once
    more: +0.5 GB at 1M posts)."""
    if mem_posts.height == 0:
        return []
    counts = mem_posts.group_by("network_id").len().sort("network_id")
    body = mem_posts.drop("network_id")
    out: list[tuple[int, pl.DataFrame]] = []
    start = 0
    for nid, n in counts.iter_rows():
        out.append((int(nid), body.slice(start, n)))
        start += n
    return out


def _frames(det: Detection, rows: pl.DataFrame, side: dict[str, Any]) -> _Frames:
    """The frames of every network's entry: the co-actions of :func:`_coaction_rows`,
    gathered once; the candidate edges inside a network (both ends in the same network);
    and what :func:`_post_frames` cut from the posts."""
    co = det.coactions
    if co.height:
        # Network by network (stable): each network's rows are a zero-copy slice, not a
        # filtered copy per network.
        rows = rows.sort("network_id", maintain_order=True)
        co = co[rows["_row"]].with_columns(rows["network_id"], rows["_shown"])
    net_of = det.membership.select("account_id", "network_id")
    cand = within_networks(det.edges, net_of, by_network=True)
    kept = cand.filter(pl.col("kept")) if cand.height else cand
    spans = {"co": _spans(co), "cand": _spans(cand), "kept": _spans(kept)}
    return _Frames(co=co, cand=cand, kept=kept, spans=spans, **side)


def _spans(df: pl.DataFrame) -> dict[int, tuple[int, int]]:
    """``network_id -> (start, rows)`` of a frame sorted by network (empty without rows)."""
    if df.height == 0:
        return {}
    runs = df["network_id"].rle()
    out: dict[int, tuple[int, int]] = {}
    start = 0
    for n, nid in runs.struct.unnest().iter_rows():
        out[int(nid)] = (start, int(n))
        start += int(n)
    return out


def _post_frames(
    posts: pl.DataFrame,
    det: Detection,
    rows: pl.DataFrame,
    peripheral: pl.DataFrame,
    principal_share: float = 0.0,
) -> dict[str, Any]:
    """What the report needs from the posts: the members' posts (``mem_posts``, in network
    order, each marked coordinated or not) and their ``members`` table, the ``followers`` of
    the posts networks co-acted on, the reference texts, the peripheral members' frames and
    the principals (:func:`principals`, with ``principal_share``); ``rows`` are the
    co-actions of :func:`_coaction_rows`."""
    mem = det.membership
    net_of = mem.select("account_id", "network_id")
    co = det.coactions
    shown = rows.filter(pl.col("_shown"))["_row"]
    # Only the co-action columns read here, at the report's rows (not every column).
    objs = co.select(base_signal_col(), "object_id")[shown].unique() if co.height else co
    posted = co.select("post_a", "post_b")[shown] if co.height else co
    coord_set = (
        pl.concat([posted["post_a"], posted["post_b"]]).unique().rename("post_id")
        if co.height
        else pl.Series("post_id", [], dtype=pl.String)
    )
    del posted
    # The members' posts in network order (posts' order within one) in one pass (not one
    # per network): the network of each post is found on (row, account) alone and the posts
    # are gathered once (joining and sorting every column copied them three times).
    at = (
        posts.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"), "account_id")
        .join(net_of, on="account_id", maintain_order="left")
        .sort("network_id", maintain_order=True)
    )
    mem_posts = posts[at["_row"]].with_columns(
        at["network_id"], pl.col("post_id").is_in(coord_set.implode()).alias("coordinated")
    )
    # Followers of each post's author, for the fame of the posts networks amplify (only the
    # posts the networks co-acted on: one small frame, not a join over every post).
    followers = (
        posts.join(objs.select(pl.col("object_id").alias("post_id")).unique(), on="post_id")
        .select("post_id", "followers")
        .drop_nulls()
        if co.height
        else pl.DataFrame(schema={"post_id": pl.String, "followers": pl.Int64})
    )
    return {
        "mem_posts": mem_posts,
        "members": member_table(mem_posts, mem),
        "followers": followers,
        "principals": principals(posts, co, rows, det, peripheral, share=principal_share),
        # Texts that label the referenced posts of every network's evidence, looked up once.
        "ref_texts": _reference_texts(posts, objs),
        **_peripheral_frames(posts, det, peripheral),
    }


def _peripheral_frames(
    posts: pl.DataFrame, det: Detection, peripheral: pl.DataFrame
) -> dict[str, pl.DataFrame]:
    """:func:`member_table` of the peripheral members (a post is coordinated when it is
    one of a synchronised co-action with a member of the same network) and their platforms."""
    net_of = peripheral.select("account_id", "network_id")
    if det.coactions.height and peripheral.height:
        both = pl.concat([net_of, det.membership.select("account_id", "network_id")])
        # Only the co-actions of a peripheral member count below, and only the columns read
        # here are gathered (not a copy of every co-action).
        ids = net_of["account_id"].implode()
        co = within_networks(
            det.coactions.select("account_a", "account_b", "post_a", "post_b").filter(
                pl.col("account_a").is_in(ids) | pl.col("account_b").is_in(ids)
            ),
            both,
        )
        mine = pl.concat(
            [
                co.select(
                    pl.col(f"account_{s}").alias("account_id"), pl.col(f"post_{s}").alias("post_id")
                )
                for s in ("a", "b")
            ]
        ).join(net_of, on="account_id", how="semi")
        coord = mine.select("post_id").unique().with_columns(pl.lit(True).alias("coordinated"))
    else:
        coord = pl.DataFrame(schema={"post_id": pl.String, "coordinated": pl.Boolean})
    own = (
        posts.join(net_of, on="account_id")
        .join(coord, on="post_id", how="left")
        .with_columns(pl.col("coordinated").fill_null(False))
    )
    platform = pl.col("platform") if "platform" in own.columns else pl.lit(None, pl.String)
    return {
        "peripheral": member_table(own, peripheral),
        "peripheral_platforms": own.select("network_id", "account_id", platform.alias("platform")),
    }


def _network(
    nid: int,
    net_posts: pl.DataFrame,
    frames: _Frames,
    det: Detection,
    windows: dict[str, int],
    base: Baseline,
    config: ScanConfig,
) -> tuple[Network, str]:
    """One network's entry (rank, flag and name still to set) and its top signal."""

    def own(name: str) -> pl.DataFrame:
        df: pl.DataFrame = getattr(frames, name)
        start, n = frames.spans[name].get(nid, (0, 0))
        return df.slice(start, n)

    members = frames.members.filter(pl.col("network_id") == nid)
    net_edges, net_cand = own("kept"), own("cand")
    net_co = own("co").filter(pl.col("_shown")).drop("_shown")
    parts = network_parts(
        net_posts,
        members,
        net_edges,
        net_co,
        windows,
        base,
        net_cand,
        det.crowds,
        _target_followers(net_co, frames.followers),
        strong_tie=config.network.strong_tie_coactions,
        timing_signals=config.detect.timing_signals,
        window_s=config.detect.window_s,
    )
    score = combine(parts, members.height)
    # Members per platform, the peripheral ones included.
    platforms = _platforms(
        pl.concat(
            [
                net_posts.select("account_id", "platform"),
                frames.peripheral_platforms.filter(pl.col("network_id") == nid).select(
                    "account_id", "platform"
                ),
                frames.principals.filter(pl.col("network_id") == nid).select(
                    "account_id", pl.col("platform").cast(pl.String)
                ),
            ]
        )
        if "platform" in net_posts.columns
        else net_posts
    )
    network, top = _network_dict(
        nid,
        score,
        parts,
        members,
        net_posts,
        net_edges,
        net_co,
        frames.ref_texts,
        config.report,
        platforms,
    )
    _list_beside(
        network,
        frames.principals.filter(pl.col("network_id") == nid),
        "principal",
        "whose posts the members reposted together, for an audience that is mostly these members",
    )
    _list_beside(
        network,
        frames.peripheral.filter(pl.col("network_id") == nid),
        "peripheral",
        "left out by peeling or by the timing null, tied mostly to these members",
    )
    return network, top


def _list_beside(network: Network, rows: pl.DataFrame, role: str, why: str) -> None:
    """Append ``rows`` (:func:`cib.profile.member_table` rows) to ``network``'s members with
    ``role``, after the scored members (flagged with the network, never in its score), and
    say so in its ``why``."""
    if rows.height == 0:
        return
    network["members"] += [{**m, "role": role} for m in _member_rows(rows)]
    n = rows.height
    network["why"] += (
        f" {n} more account{'s' if n > 1 else ''} {why}, listed as {role} (not scored)."
    )


def _ranked(built: list[tuple[Network, str]], rp: ReportParams) -> list[Network]:
    """The networks by score, each with its rank, flag, name and demotion reasons."""
    built = sorted(built, key=lambda b: (-b[0]["score"], b[0]["network_id"]))
    out: list[Network] = []
    for rank, (n, top_signal) in enumerate(built, start=1):
        flagged = n["score"] >= rp.flag_threshold
        demoted = (
            []
            if flagged
            else [f"score {n['score']:.2f} below the flag threshold {rp.flag_threshold:.2f}"]
            + demotion_reasons(n["parts"], len(n["evidence"]))
        )
        name = f"N{rank} · {top_signal} · {len(n['members'])} accounts"
        out.append({**n, "rank": rank, "flagged": flagged, "demoted": demoted, "name": name})
    return out


def _dump_counts(posts: pl.DataFrame, det: Detection) -> tuple[int, int]:
    """``(posts, accounts)`` of the dump: the detection's counts, else those of ``posts``."""
    stats = det.stats
    n_posts = _or(stats.posts, posts.height)
    n_accounts = stats.accounts if stats.accounts is not None else posts["account_id"].n_unique()
    return int(n_posts), int(n_accounts)


def _run_meta(
    run: Mapping[str, Any],
    n_posts: int,
    n_accounts: int,
    det: Detection,
    networks: list[Network],
    demoted: dict[str, Any],
) -> RunMeta:
    """``run`` with the run's counts, caps, detection stats and demotions (``demoted``:
    :func:`demoted_pairs`)."""
    flagged = [n for n in networks if n["flagged"]]
    stats = det.stats
    counts = {
        **run.get("counts", {}),
        "posts": n_posts,
        "accounts": n_accounts,
        "events": int(_or(stats.events, det.events.height)),
        "edges": det.fused.height,
        "networks": len(networks),
        "flagged_networks": len(flagged),
        "flagged_accounts": sum(len(n["members"]) for n in flagged),
    }
    caps = {
        f"{sig}_capped_events": int(st.get("capped_events", 0))
        for sig, st in (stats.signals or {}).items()
    }
    meta = {
        **run,
        "counts": counts,
        "caps": caps,
        "detection": _jsonable(stats.to_dict()),
        "demoted": {"networks_below_threshold": len(networks) - len(flagged), **demoted},
    }
    return cast(RunMeta, meta)


def demoted_pairs(edges: pl.DataFrame, rp: ReportParams) -> dict[str, Any]:
    """What detection demoted instead of dropping: candidate ``pairs`` per verdict (count and
    reason) and the strongest demoted pairs (``top_pairs``)."""
    out: dict[str, Any] = {"pairs": {}, "top_pairs": []}
    if edges.height == 0 or "verdict" not in edges.columns:
        return out
    # Only the columns shown: the demoted pairs are most of the candidate edges.
    shown = ["account_a", "account_b", "signal", "n_coactions", "z", "timing_z", "habit"]
    dem = edges.select(*(c for c in shown if c in edges.columns), "verdict").filter(
        pl.col("verdict").is_in(list(DEMOTED))
    )
    for verdict, k in dem.group_by("verdict").len().sort("verdict").iter_rows():
        out["pairs"][verdict] = {"count": int(k), "reason": VERDICTS[verdict]}
    order = ["n_coactions", "z", "account_a", "account_b", "signal"]
    top = dem.top_k(rp.max_evidence, by=["n_coactions", "z"]).sort(
        order, descending=[True, True, False, False, False]
    )
    out["top_pairs"] = [
        {
            "account_a": r["account_a"],
            "account_b": r["account_b"],
            "signal": r["signal"],
            "n_coactions": int(r["n_coactions"]),
            "z": round(float(r["z"]), 3),
            "timing_z": None if r["timing_z"] is None else round(float(r["timing_z"]), 3),
            "habit": None if r["habit"] is None else round(float(r["habit"]), 3),
            "reason": VERDICTS[r["verdict"]],
        }
        for r in top.iter_rows(named=True)
    ]
    return out


def principals(
    posts: pl.DataFrame,
    co: pl.DataFrame,
    rows: pl.DataFrame,
    det: Detection,
    peripheral: pl.DataFrame,
    *,
    share: float,
) -> pl.DataFrame:
    """Each network's principals, as :func:`cib.profile.member_table` rows (``degree`` 0).

    A repost farm exists to amplify a few accounts: they post, the farm reposts them within
    the minute, and they share no co-action with anyone, so no pair evidence ties them to
    the farm (the classic network misses them too). An account is listed beside a network
    as its principal when all of this holds: it is not a member of the network nor listed
    beside it (it may be a member of another); its posts are at least ``share``
    of the posts the network reposted together; it is not famous (``target_fame`` below a
    half: a star's fans make no star a principal); and the network is most of the audience
    of those posts (the median share of their reposters tied into networks is at least
    ``CROWD_SHARE_HALF``, from ``Detection.crowds``). It is flagged with its network, never
    scored. ``co`` and ``rows`` are the co-actions and :func:`_coaction_rows`."""
    empty = member_table(
        posts.clear().with_columns(
            pl.lit(0, pl.Int32).alias("network_id"), pl.lit(False).alias("coordinated")
        ),
        pl.DataFrame(schema={"account_id": pl.String, "degree": pl.Float64}),
    )
    empty = empty.with_columns(pl.lit(None, pl.String).alias("platform"))
    if share <= 0 or co.height == 0 or rows.height == 0 or det.crowds is None:
        return empty
    shown = rows.filter(pl.col("_shown"))
    objs = (
        co.select(base_signal_col(), "object_id")[shown["_row"]]
        .with_columns(shown["network_id"])
        .filter(pl.col("signal") == "repost")
        .select("network_id", "object_id")
        .unique()
    )
    if objs.height == 0:
        return empty
    authored = objs.join(
        posts.select(pl.col("post_id").alias("object_id"), pl.col("account_id").alias("author")),
        on="object_id",
    ).join(
        det.crowds.filter(pl.col("signal") == "repost").select(
            "object_id", (pl.col("n_tied") / pl.col("n_o")).clip(upper_bound=1.0).alias("crowd")
        ),
        on="object_id",
        how="left",
    )
    total = objs.group_by("network_id").agg(pl.len().alias("total"))
    cand = (
        authored.group_by("network_id", "author")
        .agg(pl.len().alias("k"), pl.col("crowd").median())
        .join(total, on="network_id")
        .filter(
            (pl.col("k") >= share * pl.col("total"))
            & (pl.col("crowd").fill_null(0.0) >= CROWD_SHARE_HALF)
        )
        # Not a member of the network itself nor listed beside it already.
        .join(
            pl.concat(
                [
                    det.membership.select(pl.col("account_id").alias("author"), "network_id"),
                    peripheral.select(pl.col("account_id").alias("author"), "network_id"),
                ]
            ),
            on=["author", "network_id"],
            how="anti",
        )
    )
    if cand.height == 0:
        return empty
    own = posts.join(
        cand.select("network_id", pl.col("author").alias("account_id")), on="account_id"
    ).with_columns(pl.col("post_id").is_in(objs["object_id"].implode()).alias("coordinated"))
    table = member_table(
        own, cand.select(pl.col("author").alias("account_id"), pl.lit(0.0).alias("degree"))
    )
    platform = pl.col("platform") if "platform" in own.columns else pl.lit(None, pl.String)
    where = own.group_by("account_id").agg(platform.drop_nulls().first().alias("platform"))
    # target_fame below a half: fewer followers than the geometric mean of its two ends.
    famous = pl.col("followers").fill_null(0) >= math.sqrt(FAME_LOW * FAME_HIGH)
    return table.filter(~famous).join(where, on="account_id", how="left")


def _target_followers(net_co: pl.DataFrame, followers: pl.DataFrame) -> float | None:
    """Median follower count of the authors of the posts a network reposted, replied to or
    quoted together (the posts must be in ``posts``; None when none are)."""
    if net_co.height == 0 or followers.height == 0:
        return None
    objs = (
        net_co.filter(base_signal_col().is_in(["repost", "reply", "quote"]))
        .select(pl.col("object_id").alias("post_id"))
        .unique()
    )
    got = objs.join(followers, on="post_id", how="inner")["followers"]
    return float(got.median()) if got.len() else None  # type: ignore[arg-type]


def _coaction_rows(coactions: pl.DataFrame, net_of: pl.DataFrame) -> pl.DataFrame:
    """``_row, network_id, _shown``: the rows of ``coactions`` inside a network (both
    accounts in it), fast time scales first. ``_shown`` marks the one the report reads per
    (pair, signal, object): a signal judged at two time scales finds the fast scale's
    co-actions again at the slow one, and the fast row is shown. Found on the key columns
    alone, so that the co-actions are gathered once (joining, sorting and deduplicating every
    column copied them four times: +0.8 GB at 1M posts)."""
    if coactions.height == 0:
        return pl.DataFrame(
            schema={
                "_row": pl.UInt32,
                "network_id": net_of.schema["network_id"],
                "_shown": pl.Boolean,
            }
        )
    keys = coactions.select(
        pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"),
        "account_a",
        "account_b",
        base_signal_col().alias("_base"),
        "object_id",
        scale_rank().alias("_scale"),
    )
    first = pl.struct("account_a", "account_b", "_base", "object_id").is_first_distinct()
    return (
        within_networks(keys, net_of)
        .sort("_scale", maintain_order=True)
        .select("_row", "network_id", first.alias("_shown"))
    )


def _or(value: int | None, default: int) -> int:
    return default if value is None else value


def _jsonable(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, float) and x.is_integer():
        return int(x)
    return x


def _network_dict(
    nid: int,
    score: float,
    parts: dict[str, float | None],
    members: pl.DataFrame,
    net_posts: pl.DataFrame,
    net_edges: pl.DataFrame,
    net_co: pl.DataFrame,
    ref_texts: tuple[dict[str, str], dict[tuple[str, str], str]],
    rp: ReportParams,
    platforms: dict[str, int] | None = None,
) -> tuple[Network, str]:
    """A network's entry (rank 0, not flagged, no name yet) and its top signal;
    ``platforms`` counts members per platform (those of ``net_posts`` when None)."""
    signals: dict[str, int] = {}
    if net_edges.height:
        for sig, k in net_edges.group_by("signal").len().iter_rows():
            signals[sig] = int(k)
    evidence = _evidence(net_co, net_posts, ref_texts, rp)
    top_signal = base_signal(max(signals, key=lambda s: (signals[s], s))) if signals else "mixed"
    network: Network = {
        "network_id": int(nid),
        "rank": 0,
        "score": score,
        "flagged": False,
        "name": "",
        "why": _why(members, signals, net_edges, net_co, parts, evidence),
        "parts": {k: (None if v is None else round(float(v), 4)) for k, v in parts.items()},
        "signals": signals,
        "members": _member_rows(members),
        "edges": _edge_rows(net_edges),
        "evidence": evidence,
        "timeline": _timeline(net_posts),
        "creation_histogram": _creation_histogram(members),
        "hours": hour_profile(net_posts),
        "bursts": _bursts(net_co),
        "platforms": _platforms(net_posts) if platforms is None else platforms,
    }
    return network, top_signal


def _evidence(
    net_co: pl.DataFrame,
    net_posts: pl.DataFrame,
    ref_texts: tuple[dict[str, str], dict[tuple[str, str], str]],
    rp: ReportParams,
) -> list[Evidence]:
    """Shared objects, most accounts first, each with its first example posts."""
    if not net_co.height:
        return []
    # One evidence entry per object, whichever time scale found its co-actions.
    base = base_signal_col()
    long = pl.concat(
        [
            net_co.select(
                base,
                "object_id",
                pl.col(f"account_{s}").alias("account_id"),
                pl.col(f"t_{s}").alias("t"),
                pl.col(f"post_{s}").alias("post_id"),
            )
            for s in ("a", "b")
        ]
    ).unique(subset=["signal", "object_id", "post_id"])
    objs = (
        long.group_by("signal", "object_id")
        .agg(
            pl.col("account_id").n_unique().alias("n_accounts"),
            pl.col("t").min().alias("first"),
            pl.col("t").max().alias("last"),
        )
        .sort(
            ["n_accounts", "first", "signal", "object_id"],
            descending=[True, False, False, False],
        )
        .head(rp.max_evidence)
    )
    labels = _object_labels(objs, ref_texts)
    ex = long.join(objs.select("signal", "object_id"), on=["signal", "object_id"])
    ex = ex.join(net_posts.select("post_id", "text"), on="post_id", how="left")
    ex = ex.sort("t", "post_id")
    out: list[Evidence] = []
    for sig, oid, n_acc, first, last in objs.iter_rows():
        rows = ex.filter((pl.col("signal") == sig) & (pl.col("object_id") == oid))
        sample = rows.head(EXAMPLE_POSTS)
        label = labels.get((sig, oid)) or (sample["text"][0] if sample.height else oid)
        if sig == "narrative":
            # A reader must see why these posts "say the same thing": the narrative's
            # top terms over all the members' posts in it, then one of them.
            terms = top_terms(rows["text"].drop_nulls().to_list())
            label = f"narrative [{', '.join(terms)}]: {label}"
        out.append(
            {
                "signal": sig,
                "object_id": oid,
                "label": label or oid,
                "n_accounts": int(n_acc),
                "first_at": _iso(first),
                "last_at": _iso(last),
                "span_s": float(last - first),
                "posts": [
                    {"post_id": p, "account_id": a, "created_at": _iso(t), "text": tx}
                    for p, a, t, tx in sample.select(
                        "post_id", "account_id", "t", "text"
                    ).iter_rows()
                ],
            }
        )
    return out


def _member_rows(members: pl.DataFrame) -> list[Member]:
    """The members, highest degree first; the top fifth of a network of 5+ are hubs."""
    deg = members["degree"]
    hub_cut = float(deg.quantile(0.8) or 0.0) if members.height >= 5 else float("inf")
    return [
        {
            "account_id": r["account_id"],
            "account_name": r["account_name"],
            "account_location": r["account_location"],
            "account_created_at": r["account_created_at"].isoformat()
            if r["account_created_at"]
            else None,
            "followers": r["followers"],
            "client": r["client"],
            "posts": int(r["posts"]),
            "coordinated_posts": int(r["coordinated_posts"]),
            "degree": float(r["degree"]),
            "role": "hub" if r["degree"] >= hub_cut else "member",
        }
        for r in members.sort(
            pl.col("degree").round(6), pl.col("account_id"), descending=[True, False]
        ).iter_rows(named=True)
    ]


def _edge_rows(net_edges: pl.DataFrame) -> list[Edge]:
    """The network's kept edges, heaviest first (at most ``MAX_EDGES``)."""
    if not net_edges.height:
        return []
    return [
        {
            "account_a": a,
            "account_b": b,
            "signal": s,
            "n_coactions": int(x),
            "weight": float(w),
            "z": float(z),
        }
        for a, b, s, x, w, z in net_edges.sort(
            ["weight", "account_a", "account_b", "signal"],
            descending=[True, False, False, False],
        )
        .head(MAX_EDGES)
        .select("account_a", "account_b", "signal", "n_coactions", "weight", "z")
        .iter_rows()
    ]


def _timeline(net_posts: pl.DataFrame) -> list[TimelinePoint]:
    """The members' posts in time order; past ``MAX_TIMELINE``, coordinated ones first."""
    tl = net_posts.select(
        "account_id", "post_id", "created_at", pl.col("coordinated").alias("c")
    ).sort("created_at", "post_id")
    if tl.height > MAX_TIMELINE:
        tl = tl.sort(["c", "created_at", "post_id"], descending=[True, False, False])
        tl = tl.head(MAX_TIMELINE).sort("created_at", "post_id")
    return [
        {"account_id": a, "created_at": t.isoformat(), "coordinated": bool(c)}
        for a, _, t, c in tl.iter_rows()
    ]


def _creation_histogram(members: pl.DataFrame) -> list[HistogramBucket]:
    """Members' accounts created per week."""
    created = members["account_created_at"].drop_nulls()
    if not created.len():
        return []
    wk = created.dt.truncate("1w").dt.strftime("%Y-%m-%d").value_counts(name="count")
    return [{"bucket": b, "count": int(c)} for b, c in wk.sort(wk.columns[0]).iter_rows()]


_STOP = frozenset(
    "the and for that this with from have are was were will would they their them you your "
    "our but not all just what when who about into over more than then there here been has "
    "had its it's can could should http https www com amp".split()
)


def top_terms(texts: list[str], k: int = 6) -> list[str]:
    """The ``k`` most frequent words (4+ letters, not stop words) across ``texts``, each
    counted once per text."""
    counts: dict[str, int] = {}
    for text in texts:
        for w in set(re.findall(r"[^\W\d_]{4,}", text.lower())):
            if w not in _STOP:
                counts[w] = counts.get(w, 0) + 1
    return [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:k]]


def _platforms(net_posts: pl.DataFrame) -> dict[str, int]:
    """Members per platform (a mixed-platform dump: the same group on Telegram and X)."""
    if "platform" not in net_posts.columns or net_posts.height == 0:
        return {}
    per = (
        net_posts.select(pl.col("platform").fill_null("unknown"), "account_id")
        .unique()
        .group_by("platform")
        .len()
        .sort(["len", "platform"], descending=[True, False])
    )
    return {str(p): int(n) for p, n in per.iter_rows()}


def _bursts(net_co: pl.DataFrame) -> dict[str, Any]:
    """The network's burst structure (:func:`cib.bursts.find_bursts`) over the times of its
    synchronised posts (one per post)."""
    if net_co.height == 0:
        return {"bursts": [], "in_bursts": 0.0}
    posts = pl.concat(
        [
            net_co.select(
                pl.col("post_a").alias("p"),
                pl.col("t_a").alias("t"),
                pl.col("account_a").alias("a"),
            ),
            net_co.select(
                pl.col("post_b").alias("p"),
                pl.col("t_b").alias("t"),
                pl.col("account_b").alias("a"),
            ),
        ]
    ).unique(subset="p")
    # In a fixed order: find_bursts samples a large network's posts, and unique() does not
    # keep one (the same dump gave different bursts from run to run).
    posts = posts.sort("t", "p", "a")
    return find_bursts(posts["t"].to_numpy(), posts["a"].to_numpy())


def _why(
    members: pl.DataFrame,
    signals: dict[str, int],
    net_edges: pl.DataFrame,
    net_co: pl.DataFrame,
    parts: dict[str, float | None],
    evidence: list[Evidence],
) -> str:
    n = members.height
    bits: list[str] = []
    if net_co.height:
        # The slow timing scale re-finds the fast one's objects: one line per signal.
        per_sig = (
            net_co.with_columns(base_signal_col().alias("signal"))
            .group_by("signal")
            .agg(
                pl.col("object_id").n_unique().alias("k"),
                (pl.col("t_b") - pl.col("t_a")).abs().median().alias("gap"),
            )
            .sort(["k", "signal"], descending=[True, False])
        )
        for sig, k, gap in per_sig.head(2).iter_rows():
            verb = _VERBS.get(sig, sig + " {n}").format(n=k)
            bits.append(f"{verb} within a median {_fmt_gap(float(gap or 0))} of each other")
    lead = f"{n} accounts " + "; and ".join(bits) if bits else f"{n} accounts co-acted"
    extras: list[str] = []
    if (parts.get("creation_clustering") or 0) >= 0.5:
        extras.append("most were created within the same two weeks")
    if (parts.get("client_homogeneity") or 0) >= 0.5:
        top = members["client"].drop_nulls().mode()
        extras.append(f"they mostly post from {top[0]!r}" if top.len() else "one client app")
    if (parts.get("circadian_mismatch") or 0) >= 0.3:
        extras.append("they post at night for their claimed location")
    lead_part = parts.get("lead") or 0.0
    if lead_part >= 0.5:
        # Invert the lead's mapping (cib.profile._lead): decades of lead, at least.
        decades = LEAD_LOW + lead_part * (LEAD_FULL - LEAD_LOW)
        extras.append(
            f"they reacted to the posts they acted on together at least {10**decades:.0f}x "
            "sooner than the other accounts acting on them"
        )
    cs = parts.get("coordinated_share") or 0
    if cs >= 0.3:
        extras.append(f"{cs:.0%} of a typical member's posts are synchronised")
    tail = "; ".join(extras)
    return lead + (". " + tail[:1].upper() + tail[1:] + "." if extras else ".")
