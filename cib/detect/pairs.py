"""Pair evidence against chance: which account pairs co-act far more than chance predicts.

For one signal with window ``w`` (inclusive: a gap of exactly ``w`` seconds counts), the
plan is relational and split into steps that any engine can run (``cib.spark`` reruns
steps 1-5 as Spark jobs and shares step 6, :func:`score_pairs`):

1. :func:`first_actions` — each account's first action on each object (distinct objects, not
   repeats); objects with fewer than two accounts are dropped. Each action gets its
   ``delay``: seconds since the object appeared (the referenced post's time when the dump
   has it, else the object's first action in the dump). The origin counts as known
   (``has_origin``) when the referenced post is in the dump or when at least
   ``CROWD_ORIGIN`` accounts acted on the object (the first of a crowd marks the moment).
2. :func:`band_pairs` — events sorted by (object, time, account) are paired with each of the
   next ``max_neighbors`` events of the same object whose gap is <= ``w``: a self-join on
   (object, rank) with a rank offset. Cost is linear in events times the cap, so a viral
   object never materialises all its pairs. Events whose window held more partners than the
   cap are counted in ``stats['capped_events']``.
3. :func:`pair_aggregates` — per pair: ``n_coactions`` (X, distinct objects, one post
   counting once), ``weight``
   (sum of object weights ``idf_o = log(N / n_o) / log(N)``, floored at 0.05, so a rare
   object counts more than a viral one), first/last time and median gap.
4-5. :func:`shared_objects` — for candidate pairs (X >= ``min_coactions``): ``shared``, the
   objects both acted on at any time, and ``q``: the share of (delay_a on one shared object,
   delay_b on another) combinations within ``w`` of each other. In process this is a
   compiled merge of the two accounts' sorted object lists (:mod:`cib.detect._pairs_kernel`);
   Spark runs it as joins; both give the same numbers.
6. :func:`score_pairs` — the two nulls:

   * **activity null (who)**: if accounts acted independently, synchronised co-actions would
     spread over pairs in proportion to the product of their activities:
     ``E = m_a * m_b * kappa``, with the background rate ``kappa = sum(W) / sum(m_a m_b)``
     taken over the pairs that are *not* candidates (an operation would otherwise inflate
     its own expectation);
     ``z = (W - E) / sqrt(E * mean_weight)``. An account's activity ``m`` is its posts on
     shared objects; with ``all_activity`` (the fast content scale, see
     :mod:`cib.detect.plan`) all of its posts on the signal, those on objects nobody else
     acted on included. (Counting only the posts on shared objects calibrates the null on
     the accounts that share at all: where a campaign's members are nearly the only
     accounts posting the same texts or hashtag sets, its own pairs are the background and
     two co-uses look like chance.)
   * **timing null (when)**: keep each account's own habits (its reaction delays on the
     objects the pair shares) but shuffle which object each delay lands on. The expected
     synchronised count is then
     ``shared * q`` and ``timing_z`` is the binomial z of X against it. Fans who always
     repost their idol within a minute are explained by their habits (timing_z near 0);
     operators who fire together at a different moment for every object are not.

   Timing signals (reposts, replies, quotes of someone else's post: many people act on them
   for organic reasons) need ``timing_z >= min_timing_z`` as well; content signals (the same
   URL, hashtag set or text) are judged on repetition and the activity null.

   * **automation**: the timing null cannot tell an auto-repost tool (every member reposts
     each post within seconds of the others, every time) from fans with fast habits: both
     are "explained" by their delays. Such a pair is flagged ``automated`` when its median
     gap is at most ``auto_gap_s`` and it co-acted within the window on at least
     ``auto_share`` of at least ``auto_min_objects`` shared objects; people are not that
     fast and that regular. (Off for dumps whose clock is coarser than ``auto_gap_s``.)

An edge is kept when ``X >= min_coactions`` and ``z >= min_z`` (and, for timing signals,
``timing_z >= min_timing_z`` or ``automated``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from cib.config import DetectParams
from cib.detect._pairs_kernel import shared_and_q

IDF_FLOOR = 0.05
ORIGIN_SHARE_MIN = 0.5  # timing null applies when this share of shared objects has a known origin
#: Objects acted on by at least this many accounts have a usable origin even when the
#: referenced post is missing from the dump: the first of a crowd's reactions comes within
#: moments of the post. (With a handful of reactions the first one says little: those
#: objects count as origin unknown.)
CROWD_ORIGIN = 20
MAX_SHARED = 40  # shared objects per pair used by the timing null (the most recent ones)

EDGE_SCHEMA = pl.Schema(
    {
        "account_a": pl.String,
        "account_b": pl.String,
        "n_coactions": pl.UInt32,
        "weight": pl.Float64,
        "expected": pl.Float64,
        "z": pl.Float64,
        "shared": pl.UInt32,
        "q": pl.Float64,
        "origin_share": pl.Float64,
        "timing_z": pl.Float64,
        "lift": pl.Float64,
        "automated": pl.Boolean,
        "first_t": pl.Int64,
        "last_t": pl.Int64,
        "median_gap_s": pl.Float64,
        "consistency": pl.Float64,
        "overlap": pl.Float64,
        "habit": pl.Float64,
        "verdict": pl.String,  # set to VERDICT_ENUM below, once VERDICTS is defined
        "kept": pl.Boolean,
    }
)
#: Why a candidate pair was kept or demoted (``EDGE_SCHEMA.verdict``), as a reader reads it.
VERDICTS: dict[str, str] = {
    "synchronised": "synchronised beyond the accounts' own reaction habits",
    "automated": "automated: within seconds of each other on nearly every shared post",
    "shared_habit": "a shared habit: the same fast reactions to the same posts, nearly every time",
    "origin_unknown": "when the posts appeared is unknown: judged on repetition",
    "repeated": "repeated beyond chance",
    "habits_explain_timing": "demoted: the accounts' own reaction habits explain the timing",
    "below_chance": "demoted: not beyond chance for how active the accounts are",
}
DEMOTED = ("habits_explain_timing", "below_chance")
#: Verdicts as an enum column: millions of candidate pairs carry one of seven words.
VERDICT_ENUM = pl.Enum(list(VERDICTS))
EDGE_SCHEMA = pl.Schema({**EDGE_SCHEMA, "verdict": VERDICT_ENUM})
COACTION_SCHEMA = pl.Schema(
    {
        "account_a": pl.String,
        "account_b": pl.String,
        "object_id": pl.String,
        "t_a": pl.Int64,
        "t_b": pl.Int64,
        "post_a": pl.String,
        "post_b": pl.String,
        "weight": pl.Float64,
    }
)


def first_actions(events: pl.DataFrame) -> pl.DataFrame:
    """Step 1: ``object_id, account_id, t, post_id, n_o, delay`` for objects with >= 2 accounts."""
    acts = events.group_by(["object_id", "account_id"]).agg(
        pl.col("t").min(), pl.col("post_id").sort_by("t").first(), pl.col("t_origin").min()
    )
    origin = pl.min_horizontal(pl.col("t_origin"), pl.col("t").min().over("object_id"))
    return (
        acts.with_columns(
            pl.len().over("object_id").alias("n_o"),
            (pl.col("t") - origin).alias("delay"),
            (pl.col("t_origin").is_not_null() | (pl.len().over("object_id") >= CROWD_ORIGIN)).alias(
                "has_origin"
            ),
        )
        .filter(pl.col("n_o") >= 2)
        .sort(["object_id", "t", "account_id"])
    )


def object_weights(acts: pl.DataFrame) -> pl.Series:
    """Rarity weight of each action's object: ``log(N / n_o) / log(N)`` in [0.05, 1]."""
    n_accounts = max(acts["account_id"].n_unique(), 3)
    n_o = acts["n_o"].cast(pl.Float64)
    w = (math.log(n_accounts) - n_o.log()) / math.log(n_accounts)
    return w.clip(IDF_FLOOR, 1.0).alias("w")


def account_codes(acts: pl.DataFrame) -> tuple[np.ndarray, pl.Series]:
    """``(code per action, names)``: int32 account codes that sort like the ``account_id``
    strings (dense rank, from 0), and ``names``, the id of each code (``names[code]``)."""
    codes = (acts["account_id"].rank("dense").cast(pl.Int64) - 1).cast(pl.Int32).to_numpy()
    names = acts["account_id"].unique().sort()
    return codes, names


def band_pairs(
    acts: pl.DataFrame,
    *,
    window_s: int,
    max_neighbors: int,
    accounts: np.ndarray | None = None,
) -> tuple[pl.DataFrame, int]:
    """Step 2: synchronised (pair, object) rows and the number of capped events.

    ``acts`` must be sorted by (object_id, t, account_id), as :func:`first_actions` returns;
    ``accounts`` is its :func:`account_codes` (computed when None). The rows hold integers
    only, one per distinct (pair, object): ``a < b`` (Int32 account codes, so ``account_a <
    account_b`` as strings) and ``ra, rb`` (Int32 rows of ``acts``: the actions of ``a`` and
    of ``b``). Strings are built later, only for what is reported (:func:`coaction_rows`).
    """
    n = acts.height
    if n >= 2**31 - max_neighbors - 1:
        raise ValueError(f"too many actions for int32 row indices: {n}")
    obj = acts["object_id"].rank("dense").cast(pl.Int64).to_numpy()
    t = acts["t"].to_numpy().astype(np.int64)
    t0 = int(t.min())
    span = int(t.max()) - t0 + 2 * window_s + 2
    key = obj * span + (t - t0)
    del t
    hi = np.searchsorted(key, key + window_s, side="right")
    capped = int((hi - np.arange(n) - 1 > max_neighbors).sum())
    del hi
    acc = account_codes(acts)[0] if accounts is None else accounts
    ii: list[np.ndarray] = []
    jj: list[np.ndarray] = []
    base = np.arange(n, dtype=np.int32)
    for k in range(1, max_neighbors + 1):
        near = key[k:] - key[: n - k] <= window_s
        if not near.any():
            break
        i = base[: n - k][near & (acc[k:] != acc[: n - k])]
        ii.append(i)
        jj.append(i + np.int32(k))
    del key, near
    i_idx = np.concatenate(ii) if ii else np.zeros(0, dtype=np.int32)
    del ii
    j_idx = np.concatenate(jj) if jj else np.zeros(0, dtype=np.int32)
    del jj
    acc_i = acc[i_idx]
    acc_j = acc[j_idx]
    swap = acc_i > acc_j
    a = np.minimum(acc_i, acc_j)
    b = np.maximum(acc_i, acc_j)
    del acc_i, acc_j
    ra = np.where(swap, j_idx, i_idx)
    rb = np.where(swap, i_idx, j_idx)
    del swap, i_idx, j_idx
    # One row per (a, b, object), the first one. (``acts`` holds one first action per
    # (object, account), so no row is dropped; kept as a guard.)
    n_acc = int(acc.max()) + 1 if acc.size else 1
    n_obj = int(obj.max()) + 1 if obj.size else 1
    if n_acc * n_acc * n_obj < 2**62:
        packed = (a.astype(np.int64) * n_acc + b) * n_obj + obj[ra]
        first = pl.Series(packed).is_first_distinct()
        del packed
    else:
        first = pl.DataFrame({"a": a, "b": b, "o": obj[ra]}).select(
            pl.struct("a", "b", "o").is_first_distinct()
        )[:, 0]
    co = pl.DataFrame({"a": a, "b": b, "ra": ra, "rb": rb})
    if not first.all():
        co = co.filter(first)
    return co, capped


def pair_aggregates(co: pl.DataFrame, acts: pl.DataFrame, w: pl.Series) -> pl.DataFrame:
    """Step 3: per pair (codes ``a, b``) X, W, first/last time and median gap.

    ``co`` from :func:`band_pairs`, ``w`` the :func:`object_weights` of ``acts``. X counts
    distinct objects, but one post counts once: where a post carries several objects (links,
    hashtag pairs), X is the smaller of the pair's distinct posts on each side, and W is
    scaled by the same ratio (one post with three hashtags is one co-action, not three)."""
    t = acts["t"].to_numpy().astype(np.int64)
    ra = co["ra"].to_numpy()
    t_a = t[ra]
    n_acc = int(co["b"].to_numpy().max()) + 1 if co.height else 1
    frame = pl.DataFrame(
        {
            "p": co["a"].cast(pl.Int64) * n_acc + co["b"].cast(pl.Int64),
            "w": w.to_numpy()[ra],
            "t_a": t_a,
            "gap": np.abs(t[co["rb"].to_numpy()] - t_a),
        }
    )
    del t_a
    aggs = [
        pl.len().cast(pl.UInt32).alias("n_coactions"),
        pl.col("w").sum().alias("weight"),
        pl.col("t_a").min().alias("first_t"),
        pl.col("t_a").max().alias("last_t"),
        pl.col("gap").cast(pl.Float64).median().alias("median_gap_s"),
    ]
    multi = acts.height != acts["post_id"].n_unique()
    if multi:
        post = (acts["post_id"].rank("dense").cast(pl.Int64)).to_numpy()
        frame = frame.with_columns(
            pl.Series("pa", post[ra]), pl.Series("pb", post[co["rb"].to_numpy()])
        )
        aggs += [pl.col("pa").n_unique().alias("_na"), pl.col("pb").n_unique().alias("_nb")]
    agg = frame.group_by("p").agg(aggs)
    if multi:
        posts_x = pl.min_horizontal("_na", "_nb").cast(pl.UInt32)
        agg = agg.with_columns(
            posts_x.alias("n_coactions"),
            (pl.col("weight") * posts_x / pl.col("n_coactions")).alias("weight"),
        ).drop("_na", "_nb")
    return agg.select(
        (pl.col("p") // n_acc).cast(pl.Int32).alias("a"),
        (pl.col("p") % n_acc).cast(pl.Int32).alias("b"),
        pl.exclude("p"),
    )


def shared_objects(
    cand: pl.DataFrame, acts: pl.DataFrame, *, window_s: int, accounts: np.ndarray
) -> pl.DataFrame:
    """Steps 4-5: per candidate pair (codes ``a, b``), ``shared`` objects (acted on by both, at
    any time), ``origin_share`` (the share of them whose referenced post is in the dump) and
    ``q``, the chance that the two accounts fall within ``window_s`` when each one's delays
    on those shared objects are shuffled across them (pairs of different objects; at most
    ``MAX_SHARED`` most recent shared objects per pair, by the first account's time).

    ``accounts`` is the :func:`account_codes` of ``acts``. Runs as a compiled merge of the two
    accounts' sorted object lists (:mod:`cib.detect._pairs_kernel`): cost ``m_a + m_b`` per
    pair and no (pair, object) rows in memory."""
    obj = acts["object_id"].rank("dense").cast(pl.Int64).to_numpy()
    by = np.lexsort((obj, accounts))
    n_acc = int(accounts.max()) + 1 if accounts.size else 1
    start = np.zeros(n_acc + 1, dtype=np.int64)
    np.cumsum(np.bincount(accounts, minlength=n_acc), out=start[1:])
    shared, origin, q = shared_and_q(
        cand["a"].to_numpy().astype(np.int64),
        cand["b"].to_numpy().astype(np.int64),
        start,
        obj[by],
        acts["delay"].to_numpy().astype(np.int64)[by],
        acts["t"].to_numpy().astype(np.int64)[by],
        acts["has_origin"].to_numpy().astype(np.int64)[by],
        int(window_s),
        MAX_SHARED,
    )
    out = pl.DataFrame(
        {
            "a": cand["a"],
            "b": cand["b"],
            "shared": shared,
            "origin_share": origin,
            "q": np.where(np.isnan(q), 1.0, q),
        }
    )
    return out.filter(pl.col("shared") > 0)


def coaction_rows(
    co: pl.DataFrame, acts: pl.DataFrame, w: pl.Series, names: pl.Series
) -> pl.DataFrame:
    """Co-action rows (``COACTION_SCHEMA``) of the integer rows ``co``, with their strings."""
    ra = co["ra"]
    rb = co["rb"]
    return pl.DataFrame(
        {
            "account_a": names.gather(co["a"]),
            "account_b": names.gather(co["b"]),
            "object_id": acts["object_id"].gather(ra),
            "t_a": acts["t"].gather(ra),
            "t_b": acts["t"].gather(rb),
            "post_a": acts["post_id"].gather(ra),
            "post_b": acts["post_id"].gather(rb),
            "weight": w.gather(ra),
        }
    ).cast(COACTION_SCHEMA)


def activity(events: pl.DataFrame) -> pl.DataFrame:
    """Activity per account, the activity null's ``m``: its distinct posts among ``events``
    (the first actions on shared objects, or every event of the signal: see
    ``all_activity`` in :func:`pair_evidence`). One post counts once however many objects it
    carries, as in :func:`pair_aggregates`."""
    return events.group_by("account_id").agg(
        pl.col("post_id").n_unique().cast(pl.Float64).alias("m")
    )


@dataclass(frozen=True)
class HabitRule:
    """The shared-habit rule of :func:`score_pairs` (``DetectParams.habit_*``)."""

    min_strength: float
    min_objects: int

    @classmethod
    def of(cls, params: DetectParams) -> HabitRule:
        return cls(params.habit_min_strength, params.habit_min_objects)


@dataclass(frozen=True)
class AutoRule:
    """The automation rule of :func:`score_pairs` (``DetectParams.auto_*``)."""

    gap_s: float
    share: float
    min_objects: int

    @classmethod
    def of(cls, params: DetectParams, clock_s: int = 0) -> AutoRule:
        """The rule of ``params``; off when the dump's clock (``clock_s``, see
        :func:`cib.detect.time_resolution`) is coarser than ``auto_gap_s``: with whole-minute
        timestamps a gap of 0 s only says "the same minute"."""
        gap = params.auto_gap_s if clock_s <= params.auto_gap_s else 0.0
        return cls(gap, params.auto_share, params.auto_min_objects)


def score_pairs(
    agg: pl.DataFrame,
    shared: pl.DataFrame,
    m: pl.DataFrame,
    *,
    total_weight: float,
    n_coactions_total: int,
    min_z: float,
    min_timing_z: float,
    timing: bool,
    auto: AutoRule | None = None,
    habit: HabitRule | None = None,
) -> pl.DataFrame:
    """Step 6: both nulls, the automation and shared-habit rules, the keep rule and each
    pair's verdict (:data:`VERDICTS`). Engine-independent (pure Polars). ``auto`` and
    ``habit`` default to the rules switched off."""
    auto = auto or AutoRule(gap_s=0.0, share=1.0, min_objects=1)
    habit = habit or HabitRule(min_strength=2.0, min_objects=1)
    mean_w = total_weight / max(n_coactions_total, 1)
    ma = m.rename({"account_id": "account_a", "m": "m_a"})
    mb = m.rename({"account_id": "account_b", "m": "m_b"})
    df = (
        agg.join(ma, on="account_a", how="left")
        .join(mb, on="account_b", how="left")
        .join(shared, on=["account_a", "account_b"], how="left")
    )
    kappa = _background_rate(df, m, total_weight)
    df = df.with_columns((pl.col("m_a") * pl.col("m_b") * kappa).alias("expected"))
    df = df.with_columns(_null_columns(mean_w=mean_w, timing=timing, auto=auto))
    df = df.with_columns((pl.col("consistency") * pl.col("overlap")).alias("habit"))
    verdict = _verdict(min_z=min_z, min_timing_z=min_timing_z, timing=timing, habit=habit)
    df = df.with_columns(verdict.fill_null("below_chance").alias("verdict"))
    keep = ~pl.col("verdict").is_in(list(DEMOTED))
    return df.with_columns(keep.alias("kept")).select(list(EDGE_SCHEMA)).cast(EDGE_SCHEMA)


def _background_rate(df: pl.DataFrame, m: pl.DataFrame, total_weight: float) -> float:
    """The activity null's rate: expected weight per unit of ``m_a * m_b`` (``df``: the
    candidate pairs with ``weight``, ``m_a``, ``m_b``; ``m``: every account's activity)."""
    mm = m["m"].to_numpy()
    denom = (mm.sum() ** 2 - (mm**2).sum()) / 2.0
    # Background rate from the pairs that are not candidates, so that a large operation does
    # not raise its own expectation (it would dominate a rate estimated from all pairs).
    cand_w = float(df["weight"].sum())
    cand_mm = float((df["m_a"] * df["m_b"]).sum())
    bg_w = max(total_weight - cand_w, 0.0)
    bg_den = denom - cand_mm
    # A background that is only float residue (every pair is a candidate) counts as empty.
    has_bg = bg_den > 0 and bg_w > 1e-9 * max(total_weight, 1e-300)
    kappa: float = bg_w / bg_den if has_bg else (total_weight / denom if denom else 0.0)
    return kappa


def _null_columns(*, mean_w: float, timing: bool, auto: AutoRule) -> list[pl.Expr]:
    """``z``, ``timing_z``, ``lift``, ``automated``, ``consistency`` and ``overlap`` of a
    pair, from its counts and ``expected``."""
    exp_t = pl.col("shared").cast(pl.Float64) * pl.col("q")
    return [
        (
            (pl.col("weight") - pl.col("expected"))
            / (pl.col("expected").clip(lower_bound=1e-3) * mean_w).sqrt()
        ).alias("z"),
        (
            (pl.col("n_coactions") - exp_t)
            / (exp_t * (1 - pl.col("q"))).clip(lower_bound=0.25).sqrt()
        ).alias("timing_z"),
        (pl.col("n_coactions") / (exp_t + 1.0)).alias("lift"),
        (
            pl.lit(timing and auto.gap_s > 0)
            & (pl.col("median_gap_s") <= auto.gap_s)
            & (pl.col("n_coactions") >= auto.min_objects)
            & (pl.col("n_coactions") >= auto.share * pl.col("shared").cast(pl.Float64))
        )
        .fill_null(False)
        .alias("automated"),
        # Shared habit: the share of shared objects acted on together (consistency) times
        # the overlap of the two accounts' whole activity on this signal (Jaccard).
        (pl.col("n_coactions") / pl.col("shared").clip(lower_bound=1))
        .clip(upper_bound=1.0)
        .fill_null(0.0)
        .alias("consistency"),
        (
            pl.col("shared").cast(pl.Float64)
            / (pl.col("m_a") + pl.col("m_b") - pl.col("shared")).clip(lower_bound=1.0)
        )
        .clip(upper_bound=1.0)
        .fill_null(0.0)
        .alias("overlap"),
    ]


def _verdict(*, min_z: float, min_timing_z: float, timing: bool, habit: HabitRule) -> pl.Expr:
    """Each pair's verdict (:data:`VERDICTS`; null where no rule applies, i.e. below chance)."""
    chance = pl.col("z") >= min_z
    below = pl.when(~chance).then(pl.lit("below_chance"))
    if not timing:
        return below.otherwise(pl.lit("repeated"))
    # The timing null needs to know when each object appeared: where most shared objects'
    # referenced posts are missing from the dump (keyword samples, takedown archives) and
    # few accounts acted on them, a group that alone acts on them looks "habitual"; judge
    # those pairs on repetition. (A crowd's first reaction stands in for a missing post:
    # fans of an account whose posts are not in the dump are still judged by timing.)
    known = pl.col("origin_share").fill_null(0.0) >= ORIGIN_SHARE_MIN
    # The timing null may demote, never veto on its own: a group whose members all have
    # the same fast habit on the same few accounts' posts (a repost farm, a scripted reply
    # team) is explained by its habits only because the habit is the coordination. Such
    # a pair is kept as a shared habit when it acted together on nearly every post both
    # touched and those posts make up most of both accounts' activity on the signal;
    # fans are loose (partial participation, spread delays, many other interests).
    shared_habit = (pl.col("habit") >= habit.min_strength) & (
        pl.col("n_coactions") >= habit.min_objects
    )
    return (
        below.when(pl.col("timing_z") >= min_timing_z)
        .then(pl.lit("synchronised"))
        .when(pl.col("automated"))
        .then(pl.lit("automated"))
        .when(~known)
        .then(pl.lit("origin_unknown"))
        .when(shared_habit)
        .then(pl.lit("shared_habit"))
        .otherwise(pl.lit("habits_explain_timing"))
    )


def pair_evidence(
    events: pl.DataFrame,
    *,
    window_s: int,
    min_coactions: int,
    max_neighbors: int,
    min_z: float,
    min_timing_z: float,
    timing: bool,
    auto: AutoRule | None = None,
    habit: HabitRule | None = None,
    all_activity: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, float]]:
    """Evidence for every candidate account pair on one signal's events (steps 1-6).
    ``all_activity``: the activity null's ``m`` counts every event, not only the first
    actions on shared objects (see the module docstring).

    Steps 2-5 run on integer codes (accounts, objects, rows of the first actions); ids
    become strings only for candidate pairs and for the co-action rows behind kept edges.

    Returns
    -------
    edges : one row per candidate pair (``X >= min_coactions``), ``EDGE_SCHEMA``.
    coactions : the synchronised (pair, object) rows behind kept edges, ``COACTION_SCHEMA``.
    stats : counts for the run metadata.
    """
    stats: dict[str, float] = {"events": float(events.height)}
    acts = first_actions(events)
    if acts.height < 2:
        return pl.DataFrame(schema=EDGE_SCHEMA), pl.DataFrame(schema=COACTION_SCHEMA), stats
    accounts, names = account_codes(acts)
    co, capped = band_pairs(acts, window_s=window_s, max_neighbors=max_neighbors, accounts=accounts)
    stats["capped_events"] = float(capped)
    stats["close_pair_objects"] = float(co.height)
    w = object_weights(acts)
    agg = pair_aggregates(co, acts, w)
    # The background of the activity null: every pair's co-actions, one post counting once.
    total_weight = float(agg["weight"].sum())
    n_coactions_total = int(agg["n_coactions"].sum())
    cand = agg.filter(pl.col("n_coactions") >= min_coactions)
    del agg
    stats["candidate_pairs"] = float(cand.height)
    if cand.height == 0:
        return pl.DataFrame(schema=EDGE_SCHEMA), pl.DataFrame(schema=COACTION_SCHEMA), stats
    shared = shared_objects(cand, acts, window_s=window_s, accounts=accounts)

    def to_ids(df: pl.DataFrame) -> pl.DataFrame:
        return df.with_columns(
            names.gather(df["a"]).alias("account_a"), names.gather(df["b"]).alias("account_b")
        ).drop("a", "b")

    edges = score_pairs(
        to_ids(cand),
        to_ids(shared),
        activity(events if all_activity else acts),
        total_weight=total_weight,
        n_coactions_total=n_coactions_total,
        min_z=min_z,
        min_timing_z=min_timing_z,
        timing=timing,
        auto=auto,
        habit=habit,
    )
    stats["automated_pairs"] = float(edges["automated"].sum())
    stats["kept_edges"] = float(edges["kept"].sum())
    code = pl.DataFrame({"id": names, "code": pl.int_range(names.len(), eager=True).cast(pl.Int32)})
    kept = (
        edges.filter(pl.col("kept"))
        .select("account_a", "account_b")
        .join(code.rename({"id": "account_a", "code": "a"}), on="account_a")
        .join(code.rename({"id": "account_b", "code": "b"}), on="account_b")
        .select("a", "b")
    )
    return edges, coaction_rows(co.join(kept, on=["a", "b"]), acts, w, names), stats
