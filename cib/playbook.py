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
calibrated per old playbook and network size: ``null_groups`` random groups of the same
size, drawn from accounts in no network and not watchlisted, are compared with the old
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


def handle_shape(handle: str) -> str:
    """Letter runs as ``a``, each digit as ``9`` (the twin of ``Store.HANDLE_SHAPE_SQL``)."""
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

    # Features: tag/dom/at from account_features, cli from clients, hnd from the handle.
    pairs = feature_pairs.filter(
        pl.col("feature").str.starts_with("tag:")
        | pl.col("feature").str.starts_with("dom:")
        | pl.col("feature").str.starts_with("at:")
    )
    cli = raw["clients"].select("account_id", ("cli:" + pl.col("client")).alias("feature"))
    hnd = pl.DataFrame({"account_id": names, "feature": [f"hnd:{handle_shape(a)}" for a in names]})
    pairs = pl.concat([pairs.select("account_id", "feature"), cli, hnd]).unique()
    pairs = pairs.filter(pl.col("account_id").is_in(names))
    counts = dict(
        zip(feature_counts["feature"].to_list(), feature_counts["accounts"].to_list(), strict=True)
    )
    counts.update(
        zip(pop_counts["feature"].to_list(), pop_counts["accounts"].to_list(), strict=True)
    )
    n_all = max(1, n_feature_accounts)
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
    X = sparse.csr_matrix((np.ones(ri.size), (ri, ci)), shape=(n, len(cols)))

    sched = np.zeros((n, _SCHED))
    h = raw["hours"]
    if h.height:
        r = np.array([row[a] for a in h["account_id"].to_list()])
        hv = h["hour"].to_numpy()
        dv = h["dow"].to_numpy()
        nv = h["n"].to_numpy().astype(float)
        np.add.at(sched, (r, hv), nv)
        np.add.at(sched, (r, 24 + dv - 1), nv)

    meta = raw["meta"]
    created = np.full(n, np.nan)
    last_t = np.full(n, np.nan)
    if meta.height:
        r = np.array([row[a] for a in meta["account_id"].to_list()])
        created[r] = meta["created"].cast(pl.Float64).fill_null(np.nan).to_numpy()
        last_t[r] = meta["last_t"].cast(pl.Float64).fill_null(np.nan).to_numpy()

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
        sample=srows,
        narr_mean=narr_mean,
        sched_mean=sched_mean,
        max_t=max_t,
    )


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
    mat = np.stack([vecs[f] for f in keep["text_fp"].to_list()]).astype(np.float64)
    r = np.array([row[a] for a in keep["account_id"].to_list()])
    out = np.zeros((n, dim))
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
        elif part == "handles" and "pattern_accounts" in (d.get("also") or d):
            pat = (d.get("also") or d)["pattern_accounts"]
            out.append(f"handles following watchlisted handles' pattern ({', '.join(pat[:3])})")
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
        self._random: dict[int, Profiles] = {}
        self._null: dict[tuple[str, int], dict[str, np.ndarray]] = {}

    def _random_groups(self, k: int) -> Profiles:
        if k not in self._random:
            rng = np.random.default_rng(self.p.null_seed * 100_003 + k)
            s = self.pop.sample
            groups = [rng.choice(s, size=k, replace=False) for _ in range(self.p.null_groups)]
            self._random[k] = profiles(self.pop, groups, self.p)
        return self._random[k]

    def null(self, key: str, size: int) -> dict[str, np.ndarray] | None:
        """Per part, the old playbook's similarity to each random group of ``size``."""
        s = self.pop.sample.size
        if s < 10:
            return None
        k = int(min(max(size, 2), s // 2))
        ck = (key, k)
        if ck not in self._null:
            sims = part_similarities(self.pop, self.old, self.index[key], self._random_groups(k))
            self._null[ck] = sims
        return self._null[ck]

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
        nul = self.null(key, int(new.size[i]))
        parts: dict[str, dict[str, Any]] = {}
        for part, v in sims.items():
            s = float(v[j])
            if nul is None or part not in nul:
                continue
            null_sims = nul[part]
            floor = p.narrative_min_cosine if part == "narrative" else p.min_part_similarity
            above = int((null_sims >= s - 1e-9).sum())
            pval = (1 + above) / (1 + null_sims.size)
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
