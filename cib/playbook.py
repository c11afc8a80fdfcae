"""Playbook profiles: recognise an operation's return by how it works, not by who or what words.

An operation taken down comes back with fresh accounts and rewritten texts, so member overlap
and exact features (text fingerprints, URLs) miss it. What it keeps is its *playbook*. The
playbook of a group of accounts has eight parts:

``narrative``
    the talking points: the mean of members' per-account mean text embeddings (the vectors
    the store caches for the semantic stage), minus the organic mean, so that "English text"
    is not a shared narrative;
``domains``, ``targets``, ``hashtags``
    URL hosts, accounts mentioned (reposts and replies mention their target) and hashtags,
    each weighted by the share of members using it times its rarity among all stored
    accounts (idf), kept when at least ``min_feature_share`` of the members use it;
``schedule``
    the share of posts per UTC hour of day (smoothed over neighbouring hours), minus the
    organic shares (weekdays are described, not compared: a few days of data say on which
    dates a group posted, not its week);
``clients``
    the posting clients, weighted like the feature parts;
``creation``
    how the accounts were made: the share of members created within
    ``creation_window_days`` after the old group's takedown (the watchlist's ``added_at``, or
    when its accounts went quiet);
``handles``
    handle shapes (letter runs ``a``, digits ``9``: "real_john123" is "a_a999"), weighted
    like the feature parts.

Feature parts are compared by weighted Jaccard (sum of minima over sum of maxima of the
weights), schedule and narrative by cosine. Whether a similarity is beyond chance is
calibrated per old playbook and network: ``null_groups`` random groups of the same size and
activity mix (posts per account, in powers of two), drawn from accounts in no network and not
watchlisted, are compared with the old
playbook the same way, and a part *matches* when its similarity is at least
``min_part_similarity`` (``narrative_min_cosine`` for the narrative) and at most a
``part_max_p`` share of the null groups reach it (an empirical p-value: a popular target or
a common client reaches high similarities by chance and so does not match, a rare one
does). ``creation`` matches when at least
``creation_min_share`` of the members were created in the window and a binomial test
against the organic creation rate in that window gives p <= ``creation_max_p``. A network
is a return (see :mod:`cib.tracking`) when at least ``min_parts`` parts match, one of them
a content part (narrative, domains, targets, hashtags, exact texts): schedule, clients and
account making alone are shared by unrelated operations.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import polars as pl
from scipy import sparse
from scipy.stats import binom

from cib.config import TrackParams
from cib.store import Store

__all__ = [
    "PARTS",
    "CONTENT_PARTS",
    "Population",
    "Profiles",
    "handle_shape",
    "load_population",
    "profiles",
    "part_similarities",
    "creation_test",
    "describe_match",
]

PARTS = (
    "narrative",
    "domains",
    "targets",
    "hashtags",
    "schedule",
    "clients",
    "creation",
    "handles",
)
CONTENT_PARTS = frozenset({"narrative", "domains", "targets", "hashtags"})
#: Feature family prefix -> part (``tag:``/``dom:``/``at:`` come from Store.account_features,
#: ``cli:``/``hnd:`` from Store.playbook_population).
FAMILIES = {
    "dom": "domains",
    "at": "targets",
    "tag": "hashtags",
    "cli": "clients",
    "hnd": "handles",
}
_SCHED = 24 + 7  # posts per UTC hour, then per ISO weekday (words only)
_LETTERS = re.compile(r"[a-z]+")
_DIGIT = re.compile(r"[0-9]")
DAY_S = 86_400.0


def activity_class(posts: np.ndarray) -> np.ndarray:
    """Activity classes: posts in powers of two (1, 2-3, 4-7, ...), capped at 2**12."""
    return np.minimum(np.log2(np.maximum(posts, 1)).astype(int), 12)


def _size_bucket(k: int) -> int:
    """``k`` rounded to the nearest of 2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 25, 32, ... (quarter
    powers of two) so that networks of similar size share their null groups."""
    return max(2, int(round(2 ** (round(4 * np.log2(k)) / 4))))


def handle_shape(handle: str) -> str:
    """Letter runs as ``a``, each digit as ``9`` (the twin of ``cib.store.HANDLE_SHAPE_SQL``)."""
    return _DIGIT.sub("9", _LETTERS.sub("a", handle.lower()))


# ---------------------------------------------------------------------------- population
@dataclass
class Population:
    """Per-account raw material for every account a run compares (networks, old tracks,
    watchlisted accounts and the organic sample), row-aligned."""

    accounts: list[str]
    row: dict[str, int]
    X: sparse.csr_matrix  # (n, F) account uses feature; columns grouped by family
    cols: list[str]
    fam: dict[str, slice]
    idf: np.ndarray
    sched: np.ndarray  # (n, 31): posts per UTC hour, then per ISO weekday
    narr: np.ndarray  # (n, d): mean text vector per account (0 where it has none)
    has_narr: np.ndarray
    created: np.ndarray  # epoch s, nan unknown
    last_t: np.ndarray
    posts: np.ndarray  # posts per account
    sample: np.ndarray  # rows of the organic sample
    narr_mean: np.ndarray
    sched_mean: np.ndarray
    max_t: float | None

    def rows(self, accounts: list[str] | set[str]) -> np.ndarray:
        return np.array(sorted(self.row[a] for a in set(accounts) if a in self.row), dtype=int)


def load_population(
    store: Store,
    accounts: set[str],
    sample_ids: list[str],
    pop_counts: pl.DataFrame,
    max_t: float | None,
    feature_pairs: pl.DataFrame,
    feature_counts: pl.DataFrame,
    n_feature_accounts: int,
    *,
    model_id: str | None,
    params: TrackParams,
) -> Population:
    """Load ``accounts`` and the organic sample ``sample_ids``.

    ``pop_counts`` and ``max_t`` come from :meth:`Store.playbook_population`;
    ``feature_pairs``/``feature_counts``/``n_feature_accounts`` from
    :meth:`Store.account_features` for ``accounts`` and the sample (its ``tag:``, ``dom:``
    and ``at:`` features are used).
    """
    p = params
    names = sorted(set(accounts) | set(sample_ids))
    row = {a: i for i, a in enumerate(names)}
    n = len(names)
    raw = store.playbook_accounts(names, min_text_chars=p.min_text_chars, max_texts=p.max_texts)
    counts = dict(
        zip(feature_counts["feature"].to_list(), feature_counts["accounts"].to_list(), strict=True)
    )
    counts.update(
        zip(pop_counts["feature"].to_list(), pop_counts["accounts"].to_list(), strict=True)
    )
    X, cols, fam, idf = _feature_matrix(
        feature_pairs, raw["clients"], names, row, counts, max(1, n_feature_accounts)
    )
    sched = _schedules(raw["hours"], row, n)
    created, last_t, posts = _account_meta(raw["meta"], row, n)
    narr, has_narr = _narratives(store, raw["texts"], row, n, model_id)
    srows = np.array(sorted(row[a] for a in sample_ids), dtype=int)
    if srows.size and has_narr[srows].any():
        narr_mean = narr[srows][has_narr[srows]].mean(axis=0)
    else:
        narr_mean = np.zeros(narr.shape[1])
    sched_mean = (
        _sched_shares(sched[srows].sum(axis=0, keepdims=True))[0]
        if srows.size
        else np.zeros(_SCHED)
    )
    return Population(
        accounts=names,
        row=row,
        X=X,
        cols=cols,
        fam=fam,
        idf=idf,
        sched=sched,
        narr=narr,
        has_narr=has_narr,
        created=created,
        last_t=last_t,
        posts=posts,
        sample=srows,
        narr_mean=narr_mean,
        sched_mean=sched_mean,
        max_t=max_t,
    )


def _feature_matrix(
    feature_pairs: pl.DataFrame,
    clients: pl.DataFrame,
    names: list[str],
    row: dict[str, int],
    counts: dict[str, int],
    n_all: int,
) -> tuple[sparse.csr_matrix, list[str], dict[str, slice], np.ndarray]:
    """``(X, cols, fam, idf)``: the accounts-by-features 0/1 matrix, its columns grouped by
    family (``fam``: each family's slice of ``cols``) and each column's idf over ``n_all``
    accounts (``counts``: accounts per feature)."""
    # Features: tag/dom/at from account_features, cli from clients, hnd from the handle.
    pairs = feature_pairs.filter(
        pl.col("feature").str.starts_with("tag:")
        | pl.col("feature").str.starts_with("dom:")
        | pl.col("feature").str.starts_with("at:")
    )
    cli = clients.select("account_id", ("cli:" + pl.col("client")).alias("feature"))
    hnd = pl.DataFrame({"account_id": names, "feature": [f"hnd:{handle_shape(a)}" for a in names]})
    pairs = pl.concat([pairs.select("account_id", "feature"), cli, hnd]).unique()
    pairs = pairs.filter(pl.col("account_id").is_in(names))
    fam_key = pl.col("feature").str.extract(r"^([a-z]+):", 1)
    pairs = pairs.with_columns(fam_key.alias("fam")).sort("fam", "feature")
    cols: list[str] = []
    fam: dict[str, slice] = {}
    for f in FAMILIES:
        feats = pairs.filter(pl.col("fam") == f)["feature"].unique().sort().to_list()
        fam[f] = slice(len(cols), len(cols) + len(feats))
        cols += feats
    col = {c: i for i, c in enumerate(cols)}
    idf = (
        np.array([math.log((n_all + 1) / (counts.get(c, 1) + 1)) for c in cols])
        if cols
        else np.zeros(0)
    )
    idf = np.maximum(idf, 0.0)
    ri = np.array([row[a] for a in pairs["account_id"].to_list()], dtype=np.int64)
    ci = np.array([col[c] for c in pairs["feature"].to_list()], dtype=np.int64)
    X = sparse.csr_matrix((np.ones(ri.size), (ri, ci)), shape=(len(names), len(cols)))
    return X, cols, fam, idf


def _schedules(h: pl.DataFrame, row: dict[str, int], n: int) -> np.ndarray:
    """Posts per account by hour of day (columns 0-23) and day of week (24-30)."""
    sched = np.zeros((n, _SCHED))
    if h.height:
        r = np.array([row[a] for a in h["account_id"].to_list()])
        hv = h["hour"].to_numpy()
        dv = h["dow"].to_numpy()
        nv = h["n"].to_numpy().astype(float)
        np.add.at(sched, (r, hv), nv)
        np.add.at(sched, (r, 24 + dv - 1), nv)
    return sched


def _account_meta(
    meta: pl.DataFrame, row: dict[str, int], n: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(created, last_t, posts)`` per account row (epoch s, nan unknown; posts 0)."""
    created = np.full(n, np.nan)
    last_t = np.full(n, np.nan)
    posts = np.zeros(n, dtype=np.int64)
    if meta.height:
        r = np.array([row[a] for a in meta["account_id"].to_list()])
        created[r] = meta["created"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        last_t[r] = meta["last_t"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        posts[r] = meta["posts"].to_numpy()
    return created, last_t, posts


def _narratives(
    store: Store, texts: pl.DataFrame, row: dict[str, int], n: int, model_id: str | None
) -> tuple[np.ndarray, np.ndarray]:
    """Per-account mean of the cached text vectors (model ``model_id``)."""
    if not model_id or model_id == "none" or texts.height == 0:
        return np.zeros((n, 1)), np.zeros(n, dtype=bool)
    fps = texts["text_fp"].unique().to_list()
    vecs = store.cached_embeddings(model_id, fps)
    if not vecs:
        return np.zeros((n, 1)), np.zeros(n, dtype=bool)
    dim = len(next(iter(vecs.values())))
    keep = texts.filter(pl.col("text_fp").is_in(list(vecs)))
    if keep.height == 0:
        return np.zeros((n, dim)), np.zeros(n, dtype=bool)
    mat = np.stack([vecs[f] for f in keep["text_fp"].to_list()]).astype(np.float32, copy=False)
    r = np.array([row[a] for a in keep["account_id"].to_list()])
    out = np.zeros((n, dim), dtype=np.float32)
    np.add.at(out, r, mat)
    cnt = np.bincount(r, minlength=n).astype(float)
    has = cnt > 0
    out[has] /= cnt[has, None]
    return out, has


def _sched_shares(counts: np.ndarray) -> np.ndarray:
    """Hour block and weekday block each as shares (rows of zeros stay zero)."""
    out = np.zeros_like(counts, dtype=float)
    for s in (slice(0, 24), slice(24, _SCHED)):
        tot = counts[:, s].sum(axis=1, keepdims=True)
        out[:, s] = np.divide(
            counts[:, s], tot, out=np.zeros_like(counts[:, s], dtype=float), where=tot > 0
        )
    return out


def _hour_profile(shares: np.ndarray) -> np.ndarray:
    """The hour-of-day shares, circularly smoothed (1/4, 1/2, 1/4). The weekday block is not
    compared: a dump of a few days says which dates a group posted on, not its week."""
    h = shares[:, :24]
    return 0.5 * h + 0.25 * np.roll(h, 1, axis=1) + 0.25 * np.roll(h, -1, axis=1)


# ---------------------------------------------------------------------------- group profiles
@dataclass
class Profiles:
    """Playbook profiles of several groups of one :class:`Population` (row per group)."""

    W: sparse.csr_matrix  # (G, F) share of members x idf, features enough members use
    sums: dict[str, np.ndarray]  # family -> (G,) total weight of its slice of W
    sched: np.ndarray  # (G, 24) smoothed hour shares minus the organic ones
    sched_raw: np.ndarray  # (G, 31) shares
    narr: np.ndarray  # (G, d) centred centroid
    has_narr: np.ndarray
    size: np.ndarray
    fam_csc: dict[str, sparse.csc_matrix] = field(default_factory=dict)

    def family(self, f: str, s: slice) -> sparse.csc_matrix:
        """The family's columns of ``W`` as CSC (cached: null groups are compared often)."""
        if f not in self.fam_csc:
            self.fam_csc[f] = self.W[:, s].tocsc()
        return self.fam_csc[f]


def profiles(pop: Population, groups: list[np.ndarray], params: TrackParams) -> Profiles:
    """Profiles of ``groups`` (arrays of population rows)."""
    p = params
    g = len(groups)
    sizes = np.array([len(x) for x in groups], dtype=float)
    ri = np.repeat(np.arange(g), [len(x) for x in groups])
    ci = np.concatenate(groups) if g and sizes.sum() else np.zeros(0, dtype=int)
    G = sparse.csr_matrix((np.ones(ci.size), (ri, ci.astype(int))), shape=(g, len(pop.accounts)))
    C = (G @ pop.X).tocsr()
    need = np.maximum(p.min_feature_accounts, np.ceil(p.min_feature_share * sizes))
    need = np.where(sizes < p.min_feature_accounts, 1, need)
    rows_of = np.repeat(np.arange(g), np.diff(C.indptr))
    keep = C.data >= need[rows_of] - 1e-9
    data = np.where(keep, C.data / np.maximum(sizes[rows_of], 1) * pop.idf[C.indices], 0.0)
    W = sparse.csr_matrix((data, C.indices, C.indptr), shape=C.shape)
    W.eliminate_zeros()
    sums = {}
    for f, s in pop.fam.items():
        sub = W[:, s]
        sums[f] = np.asarray(sub.sum(axis=1)).ravel()
    sched_raw = _sched_shares(np.asarray(G @ pop.sched))
    has_sched = sched_raw.sum(axis=1) > 0
    organic = _hour_profile(pop.sched_mean[None, :])
    sched = np.where(has_sched[:, None], _hour_profile(sched_raw) - organic, 0.0)
    Gn = G.multiply(pop.has_narr[None, :]).tocsr()
    cnt = np.asarray(Gn.sum(axis=1)).ravel()
    has_narr = cnt > 0
    narr = np.asarray(Gn @ pop.narr)
    narr[has_narr] = narr[has_narr] / cnt[has_narr, None] - pop.narr_mean
    narr[~has_narr] = 0.0
    return Profiles(W, sums, sched, sched_raw, narr, has_narr, sizes)


def _cos_rows(a: np.ndarray, B: np.ndarray) -> np.ndarray:
    na = float(np.linalg.norm(a))
    nb = np.linalg.norm(B, axis=1)
    den = na * nb
    return np.divide(B @ a, den, out=np.zeros(B.shape[0]), where=den > 0)


def part_similarities(pop: Population, A: Profiles, i: int, B: Profiles) -> dict[str, np.ndarray]:
    """Similarity of group ``i`` of ``A`` with every group of ``B``, per part (not creation).

    Feature parts: weighted Jaccard of the share x idf weights (sum of minima over sum of
    maxima), so a feature most members use counts more than one a couple use, which cosine
    would not see. Schedule and narrative: cosine of the centred vectors."""
    out: dict[str, np.ndarray] = {}
    g = B.W.shape[0]
    for f, s in pop.fam.items():
        a = A.W[i, s]
        if a.nnz:
            cols = a.indices
            sub = B.family(f, s)[:, cols].toarray()
            inter = np.minimum(sub, a.data[None, :]).sum(axis=1)
        else:
            inter = np.zeros(g)
        union = A.sums[f][i] + B.sums[f] - inter
        out[FAMILIES[f]] = np.divide(inter, union, out=np.zeros(g), where=union > 0)
    out["schedule"] = _cos_rows(A.sched[i], B.sched)
    if A.has_narr[i]:
        out["narrative"] = np.where(B.has_narr, _cos_rows(A.narr[i], B.narr), 0.0)
    else:
        out["narrative"] = np.zeros(B.narr.shape[0])
    return out


def creation_test(
    pop: Population, rows: np.ndarray, ref_t: float | None, params: TrackParams
) -> dict[str, Any] | None:
    """Were ``rows`` created in the ``creation_window_days`` after ``ref_t`` beyond the
    organic rate? ``None`` when nothing is known (no reference time or creation dates)."""
    p = params
    if ref_t is None or not np.isfinite(ref_t) or rows.size == 0:
        return None
    c = pop.created[rows]
    known = np.isfinite(c)
    if not known.any():
        return None
    lo, hi = ref_t - p.creation_lead_days * DAY_S, ref_t + p.creation_window_days * DAY_S
    inside = known & (c >= lo) & (c <= hi)
    k = int(known.sum())
    x = int(inside.sum())
    sc = pop.created[pop.sample]
    sc = sc[np.isfinite(sc)]
    base = (float(((sc >= lo) & (sc <= hi)).sum()) + 1.0) / (sc.size + 2.0)
    pval = float(binom.sf(x - 1, k, base)) if x else 1.0
    delay = float(np.median(c[inside] - ref_t) / DAY_S) if x else None
    return {
        "share": round(x / k, 4),
        "accounts": x,
        "known": k,
        "organic_share": round(base, 5),
        "p": pval,
        "median_delay_days": None if delay is None else round(delay, 2),
        "matched": x / k >= p.creation_min_share and pval <= p.creation_max_p,
    }


# ---------------------------------------------------------------------------- explanations
def _shared(
    pop: Population, A: Profiles, i: int, B: Profiles, j: int, fam: str, k: int = 3
) -> list[str]:
    s = pop.fam[fam]
    a = A.W[i, s].toarray().ravel()
    b = B.W[j, s].toarray().ravel()
    both = np.minimum(a, b)
    idx = [int(x) for x in np.argsort(-both)[:k] if both[x] > 0]
    return [pop.cols[s.start + x].split(":", 1)[1] for x in idx]


def _schedule_words(shares: np.ndarray) -> str:
    hours = shares[:24]
    days = shares[24:]
    best, start = -1.0, 0
    for h0 in range(24):
        tot = sum(hours[(h0 + d) % 24] for d in range(9))
        if tot > best:
            best, start = tot, h0
    weekday = float(days[:5].sum())
    span = f"{start:02d}-{(start + 9) % 24:02d} UTC"
    if best >= 0.75 and weekday >= 0.9:
        return f"office-hours schedule ({best:.0%} of posts {span}, {weekday:.0%} on weekdays)"
    return f"schedule ({best:.0%} of posts {span}, {weekday:.0%} on weekdays)"


def describe_match(
    pop: Population,
    A: Profiles,
    i: int,
    B: Profiles,
    j: int,
    parts: dict[str, dict[str, Any]],
) -> list[str]:
    """Human-readable list of what matched, strongest evidence first."""
    out = []
    for part in (*PARTS, "texts"):
        d = parts.get(part)
        if not d or not d.get("matched"):
            continue
        s = d.get("similarity")
        if part == "texts":
            out.append(f"same exact content ({d.get('detail')})")
        elif part == "narrative":
            out.append(f"same talking points (cosine {s:.2f})")
        elif part == "creation":
            delay = d.get("median_delay_days")
            when = (
                f"{abs(delay):.0f} day{'s' if round(abs(delay)) != 1 else ''} "
                f"{'after' if delay >= 0 else 'before'} the takedown"
                if delay is not None
                else "around the takedown"
            )
            out.append(
                f"accounts created {when} ({d['accounts']} of {d['known']}; organic rate "
                f"{d['organic_share']:.1%})"
            )
        elif part == "schedule":
            out.append(f"same {_schedule_words(A.sched_raw[i])} (cosine {s:.2f})")
        else:
            fam = next(f for f, pt in FAMILIES.items() if pt == part)
            shared = _shared(pop, A, i, B, j, fam)
            label = {
                "domains": "domain" if len(shared) == 1 else "domains",
                "targets": "targets",
                "hashtags": "hashtags",
                "clients": "client mix",
                "handles": "handle pattern",
            }[part]
            pre = {"targets": "@", "hashtags": "#"}.get(part, "")
            items = ", ".join(pre + x for x in shared)
            out.append(f"same {label} ({items}; overlap {s:.2f})" if items else f"same {label}")
    return out


# ---------------------------------------------------------------------------- matching
class ReturnMatcher:
    """Compare new groups with old playbooks (tracks, watchlisted sets) against the null.

    ``old`` maps a key (a track id, ``watchlist:LABEL``) to population rows. The null of an
    old playbook for groups of size k is computed once and reused for every network of that
    size.
    """

    def __init__(self, pop: Population, old: dict[str, np.ndarray], params: TrackParams) -> None:
        self.pop = pop
        self.p = params
        self.keys = list(old)
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.old = profiles(pop, [old[k] for k in self.keys], params)
        self._random: dict[tuple[tuple[int, int], ...], Profiles] = {}
        self._null: dict[tuple[str, tuple[tuple[int, int], ...]], dict[str, np.ndarray]] = {}
        cls = activity_class(pop.posts[pop.sample])
        self._by_class = {int(c): pop.sample[cls == c] for c in np.unique(cls)}

    def _random_groups(self, signature: tuple[tuple[int, int], ...]) -> Profiles:
        """Random organic groups with the same activity mix: for each activity class (posts,
        in powers of two) as many sample accounts as the network has members in it, from the
        nearest classes when one runs short. Busier accounts use more hashtags, clients and
        targets, so a null of quiet accounts would make any busy group look special."""
        if signature not in self._random:
            seed = [self.p.null_seed, *(x for pair in signature for x in pair)]
            rng = np.random.default_rng(seed)
            r = self.p.null_groups
            cols: list[np.ndarray] = []
            for b, need in signature:
                taken = 0
                for nb in sorted(self._by_class, key=lambda c: (abs(c - b), c)):
                    if taken >= need:
                        break
                    pool = self._by_class[nb]
                    k = min(need - taken, pool.size)
                    if k:
                        # k distinct accounts of the class per group, all groups at once.
                        order = np.argsort(rng.random((r, pool.size)), axis=1)[:, :k]
                        cols.append(pool[order])
                        taken += k
            mat = np.concatenate(cols, axis=1) if cols else np.zeros((r, 0), dtype=int)
            groups = [np.unique(row) for row in mat]
            self._random[signature] = profiles(self.pop, groups, self.p)
        return self._random[signature]

    def signature(self, rows: np.ndarray) -> tuple[tuple[int, int], ...]:
        """The activity mix of a group, coarsened so that similar networks share one null:
        its size rounded on a geometric grid (at most half the sample) spread over the ten
        deciles of its members' activity classes."""
        cap = max(2, self.pop.sample.size // 2)
        k = int(min(cap, _size_bucket(max(2, rows.size))))
        cls = activity_class(self.pop.posts[rows]) if rows.size else np.zeros(1, dtype=int)
        dec = np.quantile(cls, np.linspace(0.05, 0.95, 10), method="nearest").astype(int)
        per = np.full(10, k // 10)
        per[: k % 10] += 1
        counts: dict[int, int] = {}
        for c, n in zip(dec.tolist(), per.tolist(), strict=True):
            counts[c] = counts.get(c, 0) + n
        return tuple(sorted((c, n) for c, n in counts.items() if n))

    def null(self, key: str, rows: np.ndarray) -> dict[str, np.ndarray] | None:
        """Per part, the old playbook's similarity to each activity-matched random group."""
        if self.pop.sample.size < 10:
            return None
        sig = self.signature(rows)
        ck = (key, sig)
        if ck not in self._null:
            sims = part_similarities(self.pop, self.old, self.index[key], self._random_groups(sig))
            self._null[ck] = sims
        return self._null[ck]

    def set_peers(self, new: Profiles, members: list[set[str]], old_members: dict[str, set[str]]):
        """The run's networks as a second null: an old playbook that many current networks
        resemble (a popular topic, the common handle style of a fan base) is not evidence
        of a return. Networks made mostly of the old playbook's own accounts are left out."""
        self._peer_new = new
        self._peer_members = members
        self._old_members = old_members
        self._peer_cache: dict[str, tuple[dict[str, np.ndarray], np.ndarray]] = {}

    def _peers(self, new: Profiles, key: str, i: int) -> dict[str, np.ndarray] | None:
        if getattr(self, "_peer_new", None) is not new:
            return None
        if key not in self._peer_cache:
            old = self._old_members.get(key, set())
            ok = np.array(
                [len(m & old) < 0.5 * max(1, len(m)) for m in self._peer_members], dtype=bool
            )
            sims = part_similarities(self.pop, self.old, self.index[key], new)
            self._peer_cache[key] = (sims, ok)
        sims, ok = self._peer_cache[key]
        keep = ok.copy()
        keep[i] = False
        return {part: v[keep] for part, v in sims.items()}

    def compare(
        self,
        new: Profiles,
        i: int,
        rows: np.ndarray,
        key: str,
        *,
        ref_t: float | None,
        extra: dict[str, dict[str, Any]] | None = None,
    ) -> dict[str, Any]:
        """Part-by-part comparison of new group ``i`` (population ``rows``) with ``key``.

        ``extra`` adds parts decided elsewhere (the exact-content match, a watchlisted
        handle pattern), each ``{"matched": bool, ...}``; a part given there that is also
        computed here matches when either says so.
        """
        p = self.p
        j = self.index[key]
        sims = part_similarities(self.pop, new, i, self.old)
        nul = self.null(key, rows)
        peer = self._peers(new, key, i)
        parts: dict[str, dict[str, Any]] = {}
        for part, v in sims.items():
            s = float(v[j])
            if nul is None or part not in nul:
                continue
            null_sims = nul[part]
            floor = p.narrative_min_cosine if part == "narrative" else p.min_part_similarity
            above = int((null_sims >= s - 1e-9).sum())
            others = peer[part] if peer is not None else np.zeros(0)
            above += int((others >= s - 1e-9).sum())
            pval = (1 + above) / (1 + null_sims.size + others.size)
            parts[part] = {
                "similarity": round(s, 4),
                "null_mean": round(float(null_sims.mean()), 4),
                "null_max": round(float(null_sims.max()), 4),
                "p": round(pval, 5),
                "matched": bool(s >= floor and pval <= p.part_max_p),
            }
        c = creation_test(self.pop, rows, ref_t, p)
        if c is not None:
            parts["creation"] = c
        for part, d in (extra or {}).items():
            if part in parts:
                parts[part] = parts[part] | {
                    "matched": bool(parts[part]["matched"] or d.get("matched")),
                    "also": {k: v for k, v in d.items() if k != "matched"},
                }
            else:
                parts[part] = d
        matched = [
            pt
            for pt in (*PARTS, *sorted(set(parts) - set(PARTS)))
            if parts.get(pt, {}).get("matched")
        ]
        content = any(pt in CONTENT_PARTS or pt == "texts" for pt in matched)
        score = 0.0
        for pt in matched:
            pv = parts[pt].get("p")
            score += -math.log10(max(pv, 1e-12)) if isinstance(pv, (int, float)) else 2.0
        return {
            "parts": parts,
            "matched_parts": matched,
            "score": round(score, 3),
            "is_return": bool(len(matched) >= p.min_parts and content),
            "why": describe_match(self.pop, new, i, self.old, j, parts),
        }
