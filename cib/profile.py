"""Member fingerprints and network score parts.

Every part is a number in [0, 1]; higher means more suspicious. Parts compare a network with
the whole dump (the baseline) where that matters, so a client everybody uses or a week in
which many accounts were created does not count against anyone.

=====================  =====================================================================
part                   meaning
=====================  =====================================================================
cohesion               share of member pairs tied by a kept edge: an operation acts as one
                       unit, while chance survivors among fans or news crowds are sparse
significance           how far the pair evidence beats chance: ``1 - exp(-median_z / 20)``
synchrony              how tight the co-action gaps are: ``1 - median(gap / window)``, the
                       window widened by the dump's clock resolution (60 s when timestamps
                       are whole minutes)
ties                   median number of members each member is tied to, / 8 (a large
                       operation is sparsely tied: cohesion must fall with size)
hub                    share of the other members firmly tied (at least
                       ``network.strong_tie_coactions`` objects together) to the best-tied
                       member: a star is sparse but cohesive; from 0.5 on the score
                       takes ``max(cohesion, hub)`` as cohesion
support                how many member pairs are tied: ``1 - exp(-pairs / 8)``
repetition             how many distinct objects the members acted on together (objects with
                       synchronised co-actions): ``1 - exp(-objects / 10)``
similarity             share of members' original posts whose text (identical after
                       normalisation, or near-identical) another member also posted
burstiness             Goh-Barabasi burstiness of the network's pooled posting times
creation_clustering    excess share of members created in the densest 14-day window
client_homogeneity     excess share of the members whose main client is the commonest one
                       (shrunk towards the dump's share for small groups)
circadian_mismatch     excess share of posts in the claimed location's night (00-06 local)
coordinated_share      median share of a member's posts that are synchronised co-actions
size                   ``1 - exp(-n / 10)``
timing_weight          share of the network's ties on timing signals / 0.6, at most 1: how
                       much of the score the timing part gates (the gate is
                       ``1 - timing_weight * (1 - timing)``)
timing                 for networks tied by reposts/replies/quotes: median timing z (against
                       each member's own reaction delays) over all member pairs, / 3, for
                       the best timing signal and time scale; pairs flagged ``automated``
                       (within seconds, every time) count as 3; or the shared habit, when
                       higher: the shared habit (``habit``, or the group's own:
                       coordinated_share / 0.5, when higher) times its corroboration
                       (crowd share from 0.5 to 0.85 mapped to 0-1, times 1 -
                       target_fame; or the strongest marker; or, for reply-led networks,
                       devotion: coordinated_share from 0.6 to 0.85 mapped to 0-1, and
                       target_fame counted at half, see REPLY_FAME_WEIGHT; or lead, times
                       1 - target_fame); crowd share, devotion and lead combine as a
                       noisy-or, ``1 - (1 - crowd)(1 - devotion)(1 - lead)``
habit                  median shared-habit strength of member pairs on timing signals
                       (consistency x overlap of their activity) / 0.3
crowd_share            median share of the accounts acting on the posts the network
                       reposted, replied to or quoted together that are tied into networks:
                       a farm is the crowd on its principals' posts, fans are a sliver of a
                       star's
lead                   how far the members react ahead of the rest of the crowd on the
                       posts they reposted, replied to or quoted together: median over
                       those posts of log10(other accounts' median delay / the tied
                       accounts'), delays floored at 60 s, from 0.5 to 1 decade mapped to
                       0-1 (first responders: a farm on its principals' posts, a swarm on
                       its targets'; fans of a star are most of its fast crowd)
target_fame            how famous the authors of the posts the network reposted, replied to or
                       quoted together are: 0 up to 30k followers (median), 1 from 300k;
                       a star's fast fans are not corroborated by the crowd share
crowded                for networks whose objects are popular (median >= 50 accounts
                       each): 1 - (share of those accounts tied into networks) / 0.5, at
                       least 0; the score is scaled by 1 - crowded (share-button crowds,
                       viral posts: a group that is a sliver of the crowd)
=====================  =====================================================================

The network score is the weighted mean of the coordination parts (``SCORE_WEIGHTS``), raised
by the strongest inauthenticity marker (creation clustering, client homogeneity, circadian
mismatch), in proportion to how far the pair evidence beats chance (see :func:`combine` and
:func:`corroborating_marker`). Markers whose data is missing in the dump (no client, no
creation date, no location) count as absent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import polars as pl

from cib.detect.pairs import ORIGIN_SHARE_MIN
from cib.detect.plan import SLOW_SUFFIX, base_signal_col
from cib.geo import utc_offset

SCORE_WEIGHTS: dict[str, float] = {
    "cohesion": 0.30,
    "support": 0.12,
    "coordinated_share": 0.15,
    "similarity": 0.10,
    "repetition": 0.08,
    "synchrony": 0.05,
    "significance": 0.05,
    "burstiness": 0.03,
    "size": 0.12,
}
#: Inauthenticity markers: evidence when present, silent when absent (many operations use
#: old accounts, common clients and local hours). The strongest one closes part of the gap
#: between the coordination score and 1, in proportion to the network's significance
#: (see corroborating_marker).
MARKERS: tuple[str, ...] = ("creation_clustering", "client_homogeneity", "circadian_mismatch")
MARKER_GAIN = 0.5
#: Pseudo-members at the dump's client share that a network's client homogeneity is shrunk
#: towards (a small group's one shared client is weak evidence).
CLIENT_PRIOR = 5
#: Cohesion and repetition at or above which a network is not scaled down (see combine).
COHESION_FULL = 0.4
#: Ties (members tied to) of a typical member at which a network counts as fully connected,
#: and the lowest cohesion a large network may need (see cohesion_need).
TIES_FULL = 8
COHESION_FLOOR = 0.25
#: Significance (``1 - exp(-median_z / 20)``) from which the cohesion a network needs falls,
#: at which it has fallen by SIGNIFICANCE_RELIEF (see cohesion_need): median z 18 and 48.
SIGNIFICANCE_SOLID = 0.6
SIGNIFICANCE_FIRM = 0.9
SIGNIFICANCE_RELIEF = 0.5
REPETITION_FULL = 0.6
#: Hub share (see star_cohesion) from which a network counts as a star.
HUB_STAR = 0.5
#: Networks tied by reposts, replies or quotes must also be synchronised beyond their
#: members' habits: the gate is multiplied by ``1 - w * (1 - timing)``, with the timing part
#: ``min(1, median timing z over all member pairs / TIMING_Z_FULL)``, taken per timing
#: signal and time scale (``<signal>_slow``, see :mod:`cib.detect.plan`; the best one
#: counts), and ``w`` the share of the network's ties on those signals over TIMING_MAJORITY
#: (at most 1: a network tied mostly by reposts is gated in full, see timing_weight).
#: The timing signals are ``detect.timing_signals`` (:class:`cib.config.DetectParams`).
TIMING_MAJORITY = 0.6
TIMING_Z_FULL = 3.0
#: A timing signal or scale with fewer than this share of the best-covered one's pairs is
#: too thin to judge the network on, unless its pairs cover the network: at least
#: ``TIMING_COVER`` pairs per member (36 retweet accounts of which 65 pairs co-retweet in
#: the same minute beyond their habits, while 355 pairs within the hour do not).
TIMING_THIN_SHARE = 0.5
TIMING_COVER = 1.5
#: Shared-habit strength (consistency x overlap) of a typical member pair at which a habit
#: counts in full; the crowd share above which it starts to be corroborated (the group is
#: most of the crowd) and at which it is corroborated in full (see network_parts).
HABIT_FULL = 0.3
CROWD_SHARE_HALF = 0.5
CROWD_SHARE_FULL = 0.85
#: Share of a member's posts in the group's synchronised co-actions (coordinated_share) at
#: which the group's own shared habit counts in full (see _corroborated_timing).
GROUP_HABIT_FULL = 0.5
#: Reply-led networks (at least TIMING_MAJORITY of their ties are replies): the targets'
#: fame counts at REPLY_FAME_WEIGHT (a swarm answers journalists and politicians, whose
#: followings are large by trade), and devotion corroborates the shared habit: a member
#: share of the group's co-actions (coordinated_share) from DEVOTION_LOW to DEVOTION_FULL,
#: mapped to 0-1, times 1 - target_fame. Organic repliers to a famous account answer it now
#: and then among many other things; a swarm does little else.
REPLY_FAME_WEIGHT = 0.5
DEVOTION_LOW = 0.6
DEVOTION_FULL = 0.85
#: Lead (see _lead): delays below LEAD_FLOOR_S count as LEAD_FLOOR_S; a lead of LEAD_LOW
#: decades counts as nothing, of LEAD_FULL decades in full.
LEAD_FLOOR_S = 60
LEAD_LOW = 0.5
LEAD_FULL = 1.0
#: On popular objects a network below this share of the crowd is scaled down (crowded).
CROWDED_SHARE = 0.7
#: Follower counts between which a network's targets go from obscure to famous (target_fame):
#: fast reposts of a star's posts are what fans do, of an obscure account's posts they are not.
FAME_LOW = 30_000
FAME_HIGH = 300_000
#: Objects acted on by at least this many accounts (median over a network's objects) are
#: popular: there a network must be a good part of the crowd (see network_parts, crowded).
CROWD_POPULAR = 50
CREATION_WINDOW_DAYS = 14
NIGHT_HOURS = range(0, 6)


def _ramp(x: float, lo: float, hi: float) -> float:
    """``x`` mapped from ``[lo, hi]`` to ``[0, 1]``, clipped."""
    return float(min(1.0, max(0.0, (x - lo) / (hi - lo))))


def _tie_signals(net_edges: pl.DataFrame) -> pl.DataFrame:
    """One row per member pair and signal (``account_a, account_b, signal``), whatever the
    time scales that kept it."""
    return net_edges.select("account_a", "account_b", base_signal_col()).unique()


def _excess(share: float, baseline: float) -> float:
    if baseline >= 1.0:
        return 0.0
    return float(min(1.0, max(0.0, (share - baseline) / (1.0 - baseline))))


def _densest_window(days: np.ndarray, width: int) -> tuple[int, int]:
    """(count, start day) of the densest ``width``-day window."""
    days = np.sort(days)
    hi = np.searchsorted(days, days + width, side="left")
    counts = hi - np.arange(days.size)
    i = int(np.argmax(counts))
    return int(counts[i]), int(days[i])


def burstiness(times: np.ndarray) -> float:
    """Goh-Barabasi burstiness of event times mapped to [0, 1] (0.5 = Poisson)."""
    if times.size < 3:
        return 0.0
    gaps = np.diff(np.sort(times)).astype(np.float64)
    mu, sd = gaps.mean(), gaps.std()
    if mu + sd == 0:
        return 1.0
    return float(((sd - mu) / (sd + mu) + 1) / 2)


class Baseline:
    """Dump-wide distributions that network parts are compared against.

    Built from a posts frame, or with :meth:`from_aggregates` from counts a store computed
    (so that a report never needs every post in memory)."""

    def __init__(self, posts: pl.DataFrame) -> None:
        acc = posts.group_by("account_id").agg(pl.col("account_created_at").drop_nulls().first())
        created = acc["account_created_at"].drop_nulls()
        clients = posts["client"].drop_nulls().value_counts(name="n")
        loc_hours = (
            posts.select("account_location", pl.col("created_at").dt.hour().alias("hour"))
            .drop_nulls()
            .group_by("account_location", "hour")
            .agg(pl.len().alias("n"))
        )
        self._set(acc.height, created, clients, loc_hours)

    @classmethod
    def from_aggregates(
        cls,
        n_accounts: int,
        created: pl.Series,
        clients: pl.DataFrame,
        loc_hours: pl.DataFrame,
    ) -> Baseline:
        """From ``n_accounts``; each account's creation time (``created``); ``clients``
        (``client, n`` posts); ``loc_hours`` (``account_location, hour, n`` posts)."""
        base = cls.__new__(cls)
        base._set(n_accounts, created.drop_nulls(), clients, loc_hours)
        return base

    def _set(
        self, n_accounts: int, created: pl.Series, clients: pl.DataFrame, loc_hours: pl.DataFrame
    ) -> None:
        self.n_accounts = n_accounts
        self.created_days = (created.dt.epoch("s") // 86_400).to_numpy() if created.len() else None
        self.client_share: dict[str, float] = {}
        total = int(clients["n"].sum()) if clients.height else 0
        if total:
            self.client_share = {
                c: n / total
                for c, n in zip(clients["client"].to_list(), clients["n"].to_list(), strict=True)
            }
        self.night_share = self._night_share(loc_hours)

    @staticmethod
    def _night_share(loc_hours: pl.DataFrame) -> float | None:
        if loc_hours.height == 0:
            return None
        offs = _offsets(loc_hours["account_location"])
        known = offs.is_not_null().to_numpy()
        if not known.any():
            return None
        hours = loc_hours["hour"].to_numpy()[known].astype(np.float64)
        n = loc_hours["n"].to_numpy()[known].astype(np.float64)
        local = (hours + offs.filter(offs.is_not_null()).to_numpy()) % 24
        night = np.isin(np.floor(local), list(NIGHT_HOURS))
        return float(n[night].sum() / n.sum())


def _offsets(locations: pl.Series) -> pl.Series:
    uniq = locations.unique().to_list()
    table = {u: (None if (o := utc_offset(u)) is None else float(o)) for u in uniq}
    return locations.replace_strict(table, default=None, return_dtype=pl.Float64)


def member_table(mem_posts: pl.DataFrame, membership: pl.DataFrame) -> pl.DataFrame:
    """One row per network member with its fingerprint. ``mem_posts`` are the members'
    posts with their ``network_id`` and a boolean ``coordinated`` (the post is one of a
    synchronised co-action inside the network)."""
    members = mem_posts.group_by("account_id").agg(
        pl.col("network_id").first(),
        pl.col("account_name").drop_nulls().first(),
        pl.col("account_location").drop_nulls().first(),
        pl.col("account_created_at").drop_nulls().first(),
        pl.col("followers").drop_nulls().max(),
        pl.col("client").drop_nulls().mode().sort().first(),
        pl.len().alias("posts"),
        pl.col("coordinated").sum().alias("coordinated_posts"),
    )
    return members.join(membership.select("account_id", "degree"), on="account_id")


def network_parts(
    net_posts: pl.DataFrame,
    members: pl.DataFrame,
    net_edges: pl.DataFrame,
    net_co: pl.DataFrame,
    windows: dict[str, int],
    base: Baseline,
    net_candidates: pl.DataFrame | None = None,
    crowds: pl.DataFrame | None = None,
    target_followers: float | None = None,
    *,
    strong_tie: int = 0,
    timing_signals: Sequence[str],
    window_s: int,
) -> dict[str, float | None]:
    """Score parts of one network (None where the dump lacks the data).

    ``net_candidates`` are all candidate pairs among the members (kept or not); the timing
    part uses them so that edges kept by chance cannot make a group look synchronised.
    ``crowds`` (``signal, object_id, n_o``: accounts acting on each object in the dump) gives
    the crowd share of the timing signals' objects; ``target_followers`` is the median
    follower count of the authors of the posts the network reposted, replied to or quoted
    together (None when unknown). ``windows`` gives each evidence's window (``window_s``
    for evidence it does not name); ``timing_signals`` are the signals judged by timing
    (``detect.timing_signals``).
    """
    n = members.height
    parts = _coaction_parts(net_edges, net_co, windows, n, window_s=window_s)
    parts["ties"] = _ties_part(net_edges, n)
    parts["hub"] = _hub_part(net_edges, n, strong_tie)
    parts["similarity"] = _similarity_part(net_posts, net_co)
    times = net_posts["created_at"].dt.epoch("s").to_numpy()
    parts["burstiness"] = burstiness(times)
    parts["creation_clustering"] = _creation_part(members, base)
    parts["client_homogeneity"] = client_homogeneity(members["client"], base.client_share)
    parts["circadian_mismatch"] = _circadian_part(net_posts, base)
    share = (members["coordinated_posts"] / members["posts"]).median()
    parts["coordinated_share"] = float(share or 0.0)
    parts["size"] = 1 - math.exp(-n / 10)
    timing, habit = _timing_part(net_edges, net_candidates, n, timing_signals=timing_signals)
    parts["habit"] = habit
    parts["timing_weight"] = None if timing is None else timing_weight(net_edges, timing_signals)
    timed = _network_crowds(net_co, crowds, timing_signals=timing_signals)
    parts["crowd_share"], _ = _crowd_share(timed)
    everyone, popular = _crowd_share(_network_crowds(net_co, crowds, timing_signals=None))
    # On popular objects (share-button articles, viral posts) a group that is a small part
    # of the crowd is explained by the object's popularity, whatever its repetition.
    parts["crowded"] = (
        1.0 - min(1.0, (everyone or 0.0) / CROWDED_SHARE)
        if popular is not None and popular >= CROWD_POPULAR
        else 0.0
    )
    parts["lead"] = _lead(timed)
    parts["timing_null"] = timing
    parts["target_fame"] = target_fame(target_followers)
    parts["timing"] = _corroborated_timing(
        parts, timing, habit, reply_led=_reply_share(net_edges) >= TIMING_MAJORITY
    )
    return parts


def _reply_share(net_edges: pl.DataFrame) -> float:
    """Share of a network's ties (one per pair and signal, any time scale) that are replies."""
    if net_edges.height == 0:
        return 0.0
    return float((_tie_signals(net_edges)["signal"] == "reply").mean() or 0.0)


def _coaction_parts(
    net_edges: pl.DataFrame,
    net_co: pl.DataFrame,
    windows: dict[str, int],
    n: int,
    *,
    window_s: int,
) -> dict[str, float | None]:
    """``significance``, ``synchrony``, ``repetition``, ``support`` and ``cohesion`` of a
    network of ``n`` members, from its kept edges and co-actions."""
    parts: dict[str, float | None] = {}
    z = float(net_edges["z"].median() or 0.0) if net_edges.height else 0.0
    parts["significance"] = 1 - math.exp(-max(z, 0.0) / 20)
    if net_co.height:
        w = net_co["signal"].replace_strict(windows, default=window_s, return_dtype=pl.Float64)
        gap = (net_co["t_b"] - net_co["t_a"]).abs().cast(pl.Float64) / w
        parts["synchrony"] = float(1 - min(1.0, gap.median() or 0.0))
    else:
        parts["synchrony"] = 0.0
    n_obj = net_co.select("signal", "object_id").unique().height if net_co.height else 0
    parts["repetition"] = 1 - math.exp(-n_obj / 10)
    n_pairs = net_edges.select("account_a", "account_b").unique().height if net_edges.height else 0
    parts["support"] = 1 - math.exp(-n_pairs / 8)
    parts["cohesion"] = (
        net_edges.select("account_a", "account_b").unique().height / (n * (n - 1) / 2)
        if n >= 2 and net_edges.height
        else 0.0
    )
    return parts


def _similarity_part(net_posts: pl.DataFrame, net_co: pl.DataFrame) -> float:
    """Share of the network's original posts whose text another member also posted, or
    that a text, semantic or narrative co-action covers."""
    orig = net_posts.filter(pl.col("repost_of").is_null() & (pl.col("text_fp") != ""))
    if not orig.height:
        return 0.0
    shared = orig.group_by("text_fp").agg(pl.col("account_id").n_unique().alias("k"))
    fp_shared = shared.filter(pl.col("k") >= 2)["text_fp"]
    in_text = orig["text_fp"].is_in(fp_shared.implode())
    coord_text = net_co.filter(base_signal_col().is_in(["text", "semantic", "narrative"]))
    coord_ids = pl.concat([coord_text["post_a"], coord_text["post_b"]]).unique()
    in_co = orig["post_id"].is_in(coord_ids.implode())
    return float((in_text | in_co).mean() or 0.0)


def _creation_part(members: pl.DataFrame, base: Baseline) -> float | None:
    """Excess share of the members created within one ``CREATION_WINDOW_DAYS`` window over
    the dump's share (None without creation dates)."""
    created = members["account_created_at"].drop_nulls()
    if created.len() >= 2 and base.created_days is not None and base.created_days.size >= 2:
        days = (created.dt.epoch("s") // 86_400).to_numpy()
        cnt, start = _densest_window(days, CREATION_WINDOW_DAYS)
        b = base.created_days
        base_share = float(((b >= start) & (b < start + CREATION_WINDOW_DAYS)).mean())
        return _excess(cnt / created.len(), base_share)
    return None


def _circadian_part(net_posts: pl.DataFrame, base: Baseline) -> float | None:
    """Excess share of the posts made at night (``NIGHT_HOURS``) at the accounts' stated
    locations over the dump's share (None without locations)."""
    loc = net_posts.select("account_location", "created_at").drop_nulls()
    offs = _offsets(loc["account_location"]) if loc.height else pl.Series([], dtype=pl.Float64)
    if loc.height and offs.is_not_null().any() and base.night_share is not None:
        known = offs.is_not_null().to_numpy()
        hours = loc["created_at"].dt.hour().to_numpy()[known]
        local = np.floor((hours + offs.filter(offs.is_not_null()).to_numpy()) % 24)
        return _excess(float(np.isin(local, list(NIGHT_HOURS)).mean()), base.night_share)
    return None


def _corroborated_timing(
    parts: dict[str, float | None],
    timing: float | None,
    habit: float | None,
    *,
    reply_led: bool = False,
) -> float | None:
    """The timing part: the timing null's, or a shared habit where it is corroborated.
    ``reply_led``: most of the network's ties are replies (see ``REPLY_FAME_WEIGHT``)."""
    if timing is not None and habit is not None:
        # A shared habit counts as synchrony when it is corroborated: the group is nearly
        # all of the crowd on the posts it acts on and those are not a star's posts (a farm
        # on its principals' posts; fans are most of a star's crowd only in a small dump),
        # or the accounts carry an inauthenticity marker (creation burst, one client).
        marker = max((parts.get(m) or 0.0) for m in MARKERS)
        crowd = _ramp(parts["crowd_share"] or 0.0, CROWD_SHARE_HALF, CROWD_SHARE_FULL)
        fame = (parts["target_fame"] or 0.0) * (REPLY_FAME_WEIGHT if reply_led else 1.0)
        crowd *= 1.0 - fame
        # The group's own habit: a pair's habit strength falls with the group's size (each
        # pair shares a small part of each member's activity), so the share of a member's
        # posts that are the group's synchronised co-actions stands for the group's overlap.
        share = parts.get("coordinated_share") or 0.0
        group = min(1.0, share / GROUP_HABIT_FULL)
        # A reply swarm does little but answer its targets together.
        devotion = _ramp(share, DEVOTION_LOW, DEVOTION_FULL) * (1.0 - fame) if reply_led else 0.0
        # First responders: the group reacts long before the rest of the crowd on its posts.
        lead = (parts.get("lead") or 0.0) * (1.0 - fame)
        # Crowd share, devotion and lead are independent partial evidence of one thing (the
        # habit is the group's, not each member's), so they combine as a noisy-or.
        behaviour = 1.0 - (1.0 - crowd) * (1.0 - devotion) * (1.0 - lead)
        timing = max(timing, max(habit, group) * max(behaviour, marker))
    return timing


def client_homogeneity(clients: pl.Series, client_share: dict[str, float]) -> float | None:
    """Excess share of the members whose main client is the network's commonest one, over
    the dump's share of that client (None without client data). Each member's main client
    is one draw, and the share is shrunk towards the dump's by ``CLIENT_PRIOR``
    pseudo-members: five accounts on the commonest phone app are not an automation marker,
    fifty on TweetDeck are."""
    clients = clients.drop_nulls().rename("client")
    if not clients.len() or not client_share:
        return None
    vc = clients.value_counts(name="k").sort(["k", "client"], descending=[True, False])
    top, k = vc["client"][0], vc["k"][0]
    b = client_share.get(top, 0.0)
    return _excess((k + CLIENT_PRIOR * b) / (clients.len() + CLIENT_PRIOR), b)


def target_fame(followers: float | None) -> float | None:
    """How famous the accounts a network amplifies are, in [0, 1]: 0 up to
    ``FAME_LOW`` followers (median over the posts it reposted, replied to or quoted
    together), 1 from ``FAME_HIGH``, log-linear between; None when unknown."""
    if followers is None or not followers > 0:
        return None
    lo, hi = math.log10(FAME_LOW), math.log10(FAME_HIGH)
    return float(min(1.0, max(0.0, (math.log10(followers) - lo) / (hi - lo))))


def _network_crowds(
    net_co: pl.DataFrame, crowds: pl.DataFrame | None, *, timing_signals: Sequence[str] | None
) -> pl.DataFrame | None:
    """The crowd rows (:data:`cib.detect.CROWD_SCHEMA`) of the objects a network acted on
    together, only the posts it reposted, replied to or quoted when ``timing_signals`` are
    given; None without crowds or such co-actions."""
    if crowds is None or net_co.height == 0:
        return None
    base = base_signal_col()
    timed = net_co if timing_signals is None else net_co.filter(base.is_in(list(timing_signals)))
    if timed.height == 0:
        return None
    per = timed.select(base, "object_id").unique().join(crowds, on=["signal", "object_id"])
    return per if per.height else None


def _crowd_share(per: pl.DataFrame | None) -> tuple[float | None, float | None]:
    """``(share, size)``: median share, over a network's objects (``per``, see
    :func:`_network_crowds`), of the accounts acting on the object that are tied by kept
    edges (in this network or any other: a large farm may come out as several networks),
    and the median number of accounts acting on them (``n_o``); None without objects."""
    if per is None:
        return None, None
    share = float((per["n_tied"] / per["n_o"]).clip(upper_bound=1.0).median() or 0.0)
    return share, float(per["n_o"].median() or 0.0)


def _lead(per: pl.DataFrame | None) -> float | None:
    """How far the network's accounts react ahead of the rest of the crowd on the posts it
    reposted, replied to or quoted together (``per``, see :func:`_network_crowds`): the
    median over those posts of ``log10(d_free / d_tied)``, both delays floored at
    ``LEAD_FLOOR_S`` (leading by seconds says nothing), mapped from ``LEAD_LOW`` to
    ``LEAD_FULL`` decades onto 0-1; None where no post has both tied and other accounts
    with known delays."""
    objs = per.drop_nulls(["d_tied", "d_free"]) if per is not None else None
    if objs is None or objs.height == 0:
        return None
    dec = (
        pl.max_horizontal(pl.col("d_free"), pl.lit(LEAD_FLOOR_S)).log10()
        - pl.max_horizontal(pl.col("d_tied"), pl.lit(LEAD_FLOOR_S)).log10()
    )
    return _ramp(float(objs.select(dec.median()).item() or 0.0), LEAD_LOW, LEAD_FULL)


def _ties_part(net_edges: pl.DataFrame, n: int) -> float:
    """Median number of members each member is tied to, / ``TIES_FULL`` (at most 1): how well
    connected a large network is, where the share of all member pairs (cohesion) must fall."""
    if n < 2 or net_edges.height == 0:
        return 0.0
    pairs = net_edges.select("account_a", "account_b").unique()
    deg = pl.concat([pairs["account_a"], pairs["account_b"]]).value_counts(name="k")["k"]
    ties = np.zeros(n)
    ties[: deg.len()] = deg.to_numpy()
    return float(min(1.0, np.median(ties) / TIES_FULL))


def _hub_part(net_edges: pl.DataFrame, n: int, strong: int) -> float:
    """Share of the other members firmly tied to the network's best-tied member: a pair
    that acted together on at least ``strong`` objects on one signal (as
    ``max_coactions`` in :func:`cib.detect.networks.fuse_edges`). A hub and the
    accounts that each work with it many times is a star: sparse (low cohesion), but no
    chance edge repeats that often. 0 when ``strong`` is 0 (switched off)."""
    if strong <= 0 or n < 3 or net_edges.height == 0:
        return 0.0
    per = (
        net_edges.filter(pl.col("n_coactions") >= strong).select("account_a", "account_b").unique()
    )
    if per.height == 0:
        return 0.0
    best = pl.concat([per["account_a"], per["account_b"]]).value_counts(name="k")["k"].max()
    return min(1.0, float(best) / (n - 1))  # type: ignore[arg-type]


def _timed_signals(timing_signals: Sequence[str]) -> list[str]:
    """The evidence names of the timing signals, at both time scales."""
    return [s + sfx for s in timing_signals for sfx in ("", SLOW_SUFFIX)]


def timing_weight(net_edges: pl.DataFrame, timing_signals: Sequence[str]) -> float:
    """How much of a network's score the timing part gates, in [0, 1]: its share of ties
    (one per pair and signal) on timing signals, / ``TIMING_MAJORITY``, at most 1. A
    network tied mostly by reposts is gated in full; in one tied partly by reposts and
    partly by links or texts, the repost part is judged in proportion: fans who repost a
    star within the hour, joined by a few chance link ties to a share-button crowd, are
    still fans."""
    ties = _tie_signals(net_edges)
    if ties.height == 0:
        return 0.0
    share = float(ties["signal"].is_in(_timed_signals(timing_signals)).mean() or 0.0)
    return min(1.0, share / TIMING_MAJORITY)


def _timing_part(
    net_edges: pl.DataFrame,
    cand: pl.DataFrame | None,
    n_members: int,
    *,
    timing_signals: Sequence[str],
) -> tuple[float | None, float | None]:
    """``(timing, habit)`` of a network tied by reposts, replies or quotes, each in [0, 1];
    ``(None, None)`` when none of its kept edges is on a timing signal (there the timing null
    carries no information) or when no candidates are given. How much the timing part
    weighs is :func:`timing_weight`.

    ``timing`` is the median timing z over all candidate member pairs on the best timing
    signal and scale, / ``TIMING_Z_FULL`` (automated pairs count as full). ``habit`` is the
    median shared-habit strength of the same pairs (consistency x overlap, see
    :func:`cib.detect.pairs.score_pairs`), / ``HABIT_FULL``: the members react the same way
    to the same posts, which the timing null calls a habit and which, shared by a whole
    group, is the coordination.
    """
    if cand is None or cand.height == 0 or net_edges.height == 0:
        return None, None
    timed = _timed_signals(timing_signals)
    if not _tie_signals(net_edges)["signal"].is_in(timed).any():
        return None, None
    # Pairs flagged as automated (reposting within seconds every time) count as fully
    # synchronised: their own habits "explain" their timing only because a tool sets it.
    tz = (
        cand.filter(
            pl.col("signal").is_in(timed)
            & (pl.col("origin_share").fill_null(0.0) >= ORIGIN_SHARE_MIN)
        )
        .select(
            "signal",
            pl.when(pl.col("automated").fill_null(False))
            .then(pl.max_horizontal(pl.col("timing_z"), pl.lit(TIMING_Z_FULL)))
            .otherwise(pl.col("timing_z"))
            .alias("tz"),
            pl.col("habit").fill_null(0.0),
        )
        .drop_nulls()
    )
    if tz.height == 0:
        return None, None
    # Each timing signal and time scale is its own test of the network; the best one counts
    # (a reply brigade is synchronised at minutes, a script at seconds).
    # (Signals with fewer than half the pairs of the best-covered one are too thin to count,
    # unless they hold TIMING_COVER pairs per member.)
    per = tz.group_by("signal").agg(pl.col("tz").median(), pl.col("habit").median(), pl.len())
    thick = per.filter(
        (pl.col("len") >= TIMING_THIN_SHARE * per["len"].max())
        | (pl.col("len") >= TIMING_COVER * n_members)
    )
    best = float(thick["tz"].max() or 0.0)
    habit = float(thick["habit"].max() or 0.0)
    return (
        float(min(1.0, max(0.0, best / TIMING_Z_FULL))),
        float(min(1.0, max(0.0, habit / HABIT_FULL))),
    )


def demotion_reasons(parts: dict[str, float | None], n_objects: int) -> list[str]:
    """Why a network's score is held down, in words (the gates of :func:`combine` that bite,
    then the weakest coordination parts). Shown for networks below the flag threshold."""
    reasons: list[str] = []
    cohesion = parts.get("cohesion") or 0.0
    if star_cohesion(parts) < COHESION_FULL:
        reasons.append(f"sparsely tied: {cohesion:.0%} of member pairs share a kept edge")
    if (parts.get("repetition") or 0.0) < REPETITION_FULL:
        reasons.append(f"few objects acted on together ({n_objects})")
    crowded = parts.get("crowded") or 0.0
    if crowded > 0:
        reasons.append(
            f"a small part of the crowd on popular objects (crowded {crowded:.2f}): their "
            "popularity explains the co-actions"
        )
    timing = parts.get("timing")
    if timing is not None and timing < 1.0:
        habit = parts.get("habit")
        weight = parts.get("timing_weight")
        reasons.append(
            f"reaction habits explain the timing (timing {timing:.2f}"
            + (f", shared habit {habit:.2f}" if habit is not None else "")
            + (
                f"; {weight * TIMING_MAJORITY:.0%} of its ties are timed, weighed in proportion"
                if weight is not None and weight < 1.0
                else ""
            )
            + ")"
        )
    weak = sorted(
        (v, k) for k, v in parts.items() if k in SCORE_WEIGHTS and v is not None and v < 0.3
    )
    if weak:
        reasons.append("weak parts: " + ", ".join(f"{k} {v:.2f}" for v, k in weak[:3]))
    return reasons


def star_cohesion(parts: dict[str, float | None]) -> float:
    """Cohesion, or the hub share where the network is a star (``hub >= HUB_STAR``: one
    member works firmly with at least half of the others; a sprawling web whose busiest
    account has strong ties to a few is not one)."""
    cohesion, hub = parts.get("cohesion") or 0.0, parts.get("hub") or 0.0
    return max(cohesion, hub) if hub >= HUB_STAR else cohesion


def cohesion_need(n: int, coordinated_share: float = 0.0, significance: float = 0.0) -> float:
    """Cohesion at which a network of ``n`` members is not scaled down: ``COHESION_FULL``
    for small groups; for large ones, the cohesion of a group whose members are each tied
    to ``TIES_FULL`` others (a large operation is sparsely tied: each member works with
    some of the others, not all), but never below a floor: ``COHESION_FLOOR`` times
    ``(1 - coordinated_share) ** 2``. Chance ties between two members come from what both do
    besides the coordination, so the floor falls with the square of the share of their
    posts outside it. A sprawling web of chance ties among a third of a dump's accounts, or
    a legislature's party (240 members tied to a tenth of each other who spend a quarter of
    their posts on shared talking points and retweet drives), is not an operation; 500
    accounts that spend half or more of their posts on the same pushes are one however
    sparse their sampled ties (cohesion 0.04-0.09: the band join keeps at most
    ``max_neighbors`` partners per action).

    The need falls by up to ``SIGNIFICANCE_RELIEF`` (half) as the pair evidence's
    ``significance`` rises from ``SIGNIFICANCE_SOLID`` to ``SIGNIFICANCE_FIRM``: the gate
    stops chance edges strung together, and edges whose median z is 20-50 are not chance.
    In a thin dump (one week of an operation, or a sample of its accounts) fewer member
    pairs reach ``min_coactions``, so a real operation's cohesion falls while each kept
    tie stays overwhelming (36 IRA retweet accounts in half of their posts: cohesion 0.29,
    significance 0.76)."""
    if n < 2:
        return COHESION_FULL
    floor = COHESION_FLOOR * (1.0 - min(1.0, max(0.0, coordinated_share))) ** 2
    need = max(floor, min(COHESION_FULL, TIES_FULL / (n - 1)))
    firm = (significance - SIGNIFICANCE_SOLID) / (SIGNIFICANCE_FIRM - SIGNIFICANCE_SOLID)
    return need * (1.0 - SIGNIFICANCE_RELIEF * min(1.0, max(0.0, firm)))


def combine(parts: dict[str, float | None], n_members: int) -> float:
    """Network score in [0, 1].

    ``core`` is the weighted mean of the ``SCORE_WEIGHTS`` parts; the strongest inauthenticity
    marker closes part of the gap to 1; a gate scales the result down for sparse groups or
    groups that acted together on few objects:
    ``gate * (core + (1 - core) * MARKER_GAIN * corroborating_marker(parts))`` with
    ``gate = min(1, cohesion / cohesion_need(n, coordinated_share)) * min(1, repetition /
    REPETITION_FULL)``.
    A star counts as cohesive: where ``hub >= HUB_STAR`` cohesion is ``max(cohesion, hub)``.
    """
    parts = {**parts, "cohesion": star_cohesion(parts)}
    num = den = 0.0
    for name, weight in SCORE_WEIGHTS.items():
        v = parts.get(name)
        if v is None:
            continue
        num += weight * v
        den += weight
    core = num / den if den else 0.0
    # Gate: a sparse group (chance edges strung together) or one that acted together on only
    # a few objects is not a network, however large or active its members are.
    need = cohesion_need(
        n_members, parts.get("coordinated_share") or 0.0, parts.get("significance") or 0.0
    )
    gate = min(1.0, (parts.get("cohesion") or 0.0) / need) * min(
        1.0, (parts.get("repetition") or 0.0) / REPETITION_FULL
    )
    timing = parts.get("timing")
    if timing is not None:
        weight = parts.get("timing_weight")
        weight = 1.0 if weight is None else weight
        gate *= 1.0 - weight * (1.0 - timing)
    gate *= 1.0 - (parts.get("crowded") or 0.0)
    return round(gate * (core + (1 - core) * MARKER_GAIN * corroborating_marker(parts)), 4)


def corroborating_marker(parts: dict[str, float | None]) -> float:
    """The strongest inauthenticity marker, scaled by how far the network's pair evidence
    beats chance: ``min(1, significance / SIGNIFICANCE_SOLID)``. A marker corroborates
    coordination, it does not make it: a dump's accounts fall into many chance groups
    of topical near-duplicates, and some of them (five accounts on the commonest phone
    app: client homogeneity 0.5) carry a marker by chance; tied at a median z of 5 they
    take a quarter of its lift, at 18 and beyond all of it."""
    marker = max((parts.get(m) or 0.0) for m in MARKERS)
    significance = parts.get("significance") or 0.0
    return marker * min(1.0, max(0.0, significance) / SIGNIFICANCE_SOLID)


def hour_profile(net_posts: pl.DataFrame) -> dict[str, Any]:
    counts = np.bincount(net_posts["created_at"].dt.hour().to_numpy(), minlength=24)
    locs = net_posts["account_location"].drop_nulls()
    counts_by_loc = locs.value_counts(name="k").sort(
        ["k", "account_location"], descending=[True, False]
    )  # ties in a fixed order, so the same dump always claims the same locations
    top = counts_by_loc["account_location"].head(5).to_list()
    offs = [o for o in (utc_offset(x) for x in top) if o is not None]
    claimed = float(np.median(offs)) if offs else None
    mismatch = 0.0
    if claimed is not None and counts.sum():
        local = (np.arange(24) + claimed) % 24
        mismatch = float(counts[np.isin(np.floor(local), list(NIGHT_HOURS))].sum() / counts.sum())
    return {
        "utc_hour_counts": [int(c) for c in counts],
        "claimed_locations": top,
        "claimed_utc_offset_h": claimed,
        "active_local_hours_mismatch": mismatch,
    }
