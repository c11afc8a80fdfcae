"""Network identity across runs: which networks are new, continuing, grown, shrunk,
re-emerged or dormant, and which touch the watchlist.

Every detection run re-detects on the whole store, so network ids (``network_id``) are only
meaningful inside one run. This module gives each network a *track* that persists across
runs. A network of the new run is compared with the latest snapshot of every earlier track
(table ``run_networks``) on three things:

* **members**: Jaccard of the member sets;
* **evidence**: Jaccard of the evidence objects (``signal:object_id``; the day suffix of
  hashtag-set objects is dropped, so the same hashtag set on another day matches);
* **content**: cosine of content profiles. A profile is, per feature (hashtag, canonical
  URL, URL host, mentioned / reposted / replied-to account, text fingerprint), the share of
  members using it, weighted by the feature's rarity among all stored accounts (idf), so
  trending hashtags and big news sites weigh little and an operation's own domains, targets
  and copy-paste texts weigh a lot.

Status (``network["history"]["status"]``):

``continuing`` / ``grown`` / ``shrunk``
    Member Jaccard with an earlier track >= ``member_match``; grown / shrunk when the
    member count changed by at least ``grow_ratio`` / ``shrink_ratio``. The track id carries on.
``re-emerged``
    No member match, but at least ``new_member_share`` of the members are new to the
    matched track while its content or evidence matches (``content_match`` /
    ``evidence_match``); or the network matches the content of a watchlisted (taken-down)
    set of accounts, or holds accounts following a watchlisted handle pattern, while
    none of its members is watchlisted (``re_emerged`` is then true whatever the status).
    A re-emerged network gets a new track id and points at the old one.
``new``
    Anything else.

Tracks seen in the previous run and not matched now are listed in ``report.tracking
["dormant"]``. Because detection re-runs on the whole store, a network whose accounts stopped
posting stays detectable from its old posts; ``history["new_posts"]`` counts its members' posts
that arrived since the previous run, so a quiet network shows ``new_posts == 0``.

The watchlist (``cib watchlist add FILE``) lists accounts known to be operated or taken down.
``history["watchlist_hits"]`` lists members on it, the content similarity to what each
watchlisted label posted, and members whose handle follows a watchlisted handle's pattern.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import polars as pl

from cib import playbook as pb
from cib.config import TrackParams
from cib.report.model import Network, Report, ReportLike, RunMeta, Tracking, as_report
from cib.store import Store

__all__ = [
    "STATUSES",
    "TrackParams",
    "Track",
    "TrackFeatures",
    "TrackHistory",
    "annotate_with_history",
    "changes_summary",
    "content_similarity",
    "load_features",
    "load_history",
    "match_tracks",
    "with_history",
]

STATUSES = ("new", "continuing", "grown", "shrunk", "re-emerged")
_DAY_SUFFIX = re.compile(r"\s*@\d{4}-\d{2}-\d{2}$")
_HANDLE_STEM = re.compile(r"[\d_]+$")


# ---------------------------------------------------------------------------- building blocks
def evidence_keys(network: Network) -> list[str]:
    """``signal:object`` keys of a network's evidence (hashtag-set day suffix removed)."""
    keys = []
    for e in network.get("evidence", []):
        obj = _DAY_SUFFIX.sub("", str(e.get("object_id", "")))
        keys.append(f"{e.get('signal')}:{obj}")
    return sorted(set(keys))


def jaccard(a: set[Any] | list[Any], b: set[Any] | list[Any]) -> float:
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0


FAMILIES = ("tag", "url", "dom", "at", "fp")


def content_similarity(
    a: dict[str, float], b: dict[str, float], min_shared: int = 2
) -> tuple[float, str | None]:
    """Best cosine over feature families (hashtags, URLs, hosts, mentioned accounts, texts).

    Families are compared separately because an operation keeps some of its habits and not
    others: a repost farm amplifies the same accounts, but every day's posts (and so texts)
    are new. A family counts only when the two profiles share at least ``min_shared`` of its
    features, so one shared rare hashtag never makes a match on its own.
    """
    if not a or not b:
        return 0.0, None
    best: tuple[float, str | None] = (0.0, None)
    for fam in FAMILIES:
        pre = fam + ":"
        fa = {k: v for k, v in a.items() if k.startswith(pre)}
        fb = {k: v for k, v in b.items() if k.startswith(pre)}
        if len(fa.keys() & fb.keys()) < min_shared:
            continue
        c = cosine(fa, fb)
        if c > best[0]:
            best = (c, fam)
    return best


class _Features:
    """Account -> features, and each feature's idf over all stored accounts."""

    def __init__(self, params: TrackParams, df: pl.DataFrame, counts: pl.DataFrame, n: int) -> None:
        self.params = params
        self.by_account: dict[str, set[str]] = defaultdict(set)
        for acc, feat in df.iter_rows():
            self.by_account[acc].add(feat)
        n = max(1, n)
        self.idf = {
            f: math.log((n + 1) / (c + 1)) + 0.0
            for f, c in zip(counts["feature"].to_list(), counts["accounts"].to_list(), strict=True)
        }

    def profile(self, accounts: list[str]) -> dict[str, float]:
        """Share-of-members x idf for features enough members use (top ``max_profile``)."""
        p = self.params
        if not accounts:
            return {}
        c: Counter[str] = Counter()
        for a in set(accounts):
            c.update(self.by_account.get(a, ()))
        k = len(set(accounts))
        need = max(p.min_feature_accounts, math.ceil(p.min_feature_share * k))
        if k < p.min_feature_accounts:
            need = 1
        prof = {f: (n / k) * self.idf.get(f, 0.0) for f, n in c.items() if n >= need}
        prof = {f: w for f, w in prof.items() if w > 0}
        top = sorted(prof.items(), key=lambda kv: (-kv[1], kv[0]))[: p.max_profile]
        return {f: round(w, 4) for f, w in top}


def _stem(handle: str) -> str:
    return _HANDLE_STEM.sub("", handle.lower())


# ---------------------------------------------------------------------------- matching
def _latest_tracks(history: list[dict[str, Any]]) -> tuple[dict[str, dict[str, Any]], str | None]:
    """Latest snapshot per track id (a copy, with ``first_run``, ``first_seen_at`` and
    ``runs_seen``), and the id of the previous (latest finished) run."""
    latest: dict[str, dict[str, Any]] = {}
    prev = None
    for row in history:  # oldest first
        latest[row["track_id"]] = row
        prev = row["run_id"]
    first_seen: dict[str, dict[str, Any]] = {}
    runs_seen: Counter[str] = Counter()
    for row in history:
        first_seen.setdefault(row["track_id"], row)
        runs_seen[row["track_id"]] += 1
    out = {
        tid: {
            **row,
            "first_run": first_seen[tid]["run_id"],
            "first_seen_at": first_seen[tid]["run_created_at"],
            "runs_seen": runs_seen[tid],
        }
        for tid, row in latest.items()
    }
    return out, prev


def _size_status(n_now: int, n_then: int, p: TrackParams) -> str:
    if n_then and n_now >= p.grow_ratio * n_then and n_now > n_then:
        return "grown"
    if n_then and n_now <= p.shrink_ratio * n_then and n_now < n_then:
        return "shrunk"
    return "continuing"


def _iso(t: Any) -> str | None:
    if t is None:
        return None
    return t.isoformat() if hasattr(t, "isoformat") else str(t)


def _new_posts(store: Store, prev_shas: set[str], accounts: set[str]) -> dict[str, int]:
    """Posts per account that came in with files the previous run did not cover."""
    if not accounts:
        return {}
    ing = store.ingests()
    new_ids = [r["ingest_id"] for r in ing.iter_rows(named=True) if r["sha256"] not in prev_shas]
    if not new_ids:
        return {}
    counts = store.posts_per_account_in(new_ids)
    return {a: n for a, n in counts.items() if a in accounts}


# ---------------------------------------------------------------------------- inputs
@dataclass(frozen=True)
class TrackHistory:
    """What earlier runs left, as :func:`load_history` reads it from the store.

    ``rows`` are the snapshots of every earlier network (``Store.run_network_history``,
    oldest first); ``previous`` is the previous run's ``run_id`` and input ``sha256`` set
    (``Store.last_run_meta``, None before the first run); ``confirmed`` holds the track ids
    an investigator confirmed as operated.
    """

    rows: list[dict[str, Any]]
    previous: dict[str, Any] | None = None
    confirmed: frozenset[str] = frozenset()

    @property
    def previous_shas(self) -> set[str]:
        return set(self.previous["sha256"]) if self.previous else set()

    def latest(self) -> tuple[dict[str, dict[str, Any]], str | None]:
        """Latest snapshot per track and the previous run id (:func:`_latest_tracks`)."""
        return _latest_tracks(self.rows)

    def flagged_tracks(self) -> dict[str, dict[str, Any]]:
        """Latest snapshot of each track flagged in some run: old playbooks a new network
        may be the return of."""
        ever = {r["track_id"] for r in self.rows if r["flagged"]}
        return {tid: t for tid, t in self.latest()[0].items() if tid in ever}


@dataclass(frozen=True)
class TrackFeatures:
    """What the matching reads about accounts, as :func:`load_features` loads it.

    ``accounts``: each account's content features and their idf; ``watchlist``: the
    watchlist (``account_id, label, added_at``...); ``new_posts``: posts per member that
    arrived since the previous run; ``population``: the playbook population (members, old
    playbooks and an organic sample, :func:`cib.playbook.load_population`), None when there
    is no old playbook to look for.
    """

    accounts: _Features
    watchlist: pl.DataFrame
    new_posts: dict[str, int]
    population: pb.Population | None = None


@dataclass(frozen=True)
class Track:
    """One network's place in the tracks: its ``history`` block, its flag (a return of a
    taken-down operation is flagged), its snapshot row for ``run_networks``, and how many
    old playbooks it was compared with (``returned``: one matched)."""

    network_id: int
    history: dict[str, Any]
    flagged: bool
    snapshot: dict[str, Any]
    compared: int = 0
    returned: bool = False


class _Watchlist:
    """The watchlist as the matching reads it: labels per account, accounts per label, the
    content profile of each label, handle stems, each label's takedown time."""

    def __init__(self, wl: pl.DataFrame, feats: _Features, p: TrackParams) -> None:
        self.accounts = _watchlisted(wl)
        self.by_label = _by_label(wl)
        self.added = _label_times(wl)
        self.profiles = {lab: feats.profile(accs) for lab, accs in self.by_label.items()}
        self.stems = {_stem(a): a for a in self.accounts if len(_stem(a)) >= p.min_stem_chars}

    def hits(self, mset: set[str], prof: dict[str, float], p: TrackParams) -> dict[str, Any] | None:
        return _watchlist_hits(mset, prof, self.accounts, self.profiles, self.stems, p)


def _members_of(networks: list[Network]) -> dict[int, list[str]]:
    return {n["network_id"]: [m["account_id"] for m in n["members"]] for n in networks}


def _union(groups: Any) -> set[str]:
    out: set[str] = set()
    for g in groups:
        out |= set(g)
    return out


# ---------------------------------------------------------------------------- the shell
def load_history(store: Store, confirmed: set[str] | frozenset[str] = frozenset()) -> TrackHistory:
    """The snapshots of earlier runs (orphans of runs never saved are removed first)."""
    store.ensure_tracking_tables()
    store.drop_orphan_run_networks()
    return TrackHistory(
        rows=store.run_network_history(),
        previous=store.last_run_meta(),
        confirmed=frozenset(confirmed),
    )


def load_features(
    store: Store, report: Report, history: TrackHistory, params: TrackParams
) -> TrackFeatures:
    """The account features, watchlist, new-post counts and (when there is an old playbook
    to look for) the playbook population the matching of ``report`` needs."""
    p = params
    networks = report.networks
    all_members = _union(_members_of(networks).values())
    wl = store.watchlist()
    wl_accounts = set(wl["account_id"].to_list())
    old_tracks = history.flagged_tracks()
    old_members = _union(t["members"] for t in old_tracks.values())
    known = all_members | wl_accounts | old_members
    needed = bool(networks and (old_tracks or wl_accounts))
    sample_ids: list[str] = []
    sample: tuple[list[str], pl.DataFrame, float | None] | None = None
    if needed:
        sample = store.playbook_population(
            min_posts=p.null_min_posts, sample=p.null_sample + len(known), seed=p.null_seed
        )
        sample_ids = [a for a in sample[0] if a not in known][: p.null_sample]
    feat_df, feat_counts, feat_n = store.account_features(
        p.min_text_chars, sorted(known | set(sample_ids))
    )
    population = None
    if sample is not None:
        population = pb.load_population(
            store, all_members | old_members | wl_accounts, sample_ids, sample[1], sample[2],
            feat_df, feat_counts, feat_n, model_id=report.run.get("model_id"), params=p,
        )  # fmt: skip
    return TrackFeatures(
        accounts=_Features(p, feat_df, feat_counts, feat_n),
        watchlist=wl,
        new_posts=_new_posts(store, history.previous_shas, all_members),
        population=population,
    )


def annotate_with_history(
    store: Store,
    report: Report,
    params: TrackParams | None = None,
    *,
    confirmed: set[str] | frozenset[str] = frozenset(),
) -> Report:
    """``report`` with ``history`` on every network and its ``tracking`` block; saves the
    run's snapshot of its networks.

    The shell around :func:`match_tracks`: it loads what earlier runs left
    (:func:`load_history`) and the account data (:func:`load_features`), matches, and saves
    the snapshot rows. ``confirmed`` holds track ids an investigator confirmed as operated:
    a return of one of them (like a return of a watchlisted set) is flagged whatever its
    score when ``params.flag_returns``. Call it before :meth:`Store.save_run` (the snapshot
    rows of a run that is never saved are ignored and later removed). Returns a new report;
    ``report`` is left as it was.
    """
    p = params or TrackParams()
    history = load_history(store, confirmed)
    features = load_features(store, report, history, p)
    run_id = str(report.run["run_id"])
    tracks = match_tracks(report.networks, history, features, p, run_id=run_id)
    store.save_run_networks(run_id, [t.snapshot for t in tracks])
    return with_history(report, tracks, history, features, p)


# ---------------------------------------------------------------------------- the matching
def match_tracks(
    networks: list[Network],
    history: TrackHistory,
    features: TrackFeatures,
    params: TrackParams,
    *,
    run_id: str,
) -> list[Track]:
    """Each network's track, in the order of ``networks``; no I/O.

    A network takes the track of the earlier network its members match best (one-to-one,
    best Jaccard first, at least ``params.member_match``), or a new track id
    ``trk-<run_id>-<network_id>``; the playbook search (``features.population``) says
    whether it is the return of an old flagged track or a watchlisted set.
    """
    p = params
    tracks, _ = history.latest()
    members = _members_of(networks)
    feats = features.accounts
    wl = _Watchlist(features.watchlist, feats, p)
    profiles = {nid: feats.profile(ms) for nid, ms in members.items()}
    evid = {n["network_id"]: evidence_keys(n) for n in networks}
    member_match = _member_matches(networks, members, tracks, p)
    returns = None
    if features.population is not None and networks and (history.flagged_tracks() or wl.by_label):
        returns = _Returns(
            features.population, p, networks=networks, members=members,
            old_tracks=history.flagged_tracks(), by_label=wl.by_label, wl_added=wl.added,
            wl_profiles=wl.profiles,
        )  # fmt: skip
    out = []
    for n in networks:
        nid = n["network_id"]
        match = _Match(n, set(members[nid]), profiles[nid], evid[nid], tracks, member_match)
        out.append(_track(match, run_id, features, wl, returns, history.confirmed, p))
    return out


def _member_matches(
    networks: list[Network],
    members: dict[int, list[str]],
    tracks: dict[str, dict[str, Any]],
    p: TrackParams,
) -> dict[int, str]:
    """One-to-one member matches (network id -> track id), best Jaccard first."""
    cands = []
    for n in networks:
        nid = n["network_id"]
        ms = set(members[nid])
        for tid, t in tracks.items():
            j = jaccard(ms, t["members"])
            if j >= p.member_match:
                cands.append((j, nid, tid))
    cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    member_match: dict[int, str] = {}
    used: set[str] = set()
    for _j, nid, tid in cands:
        if nid in member_match or tid in used:
            continue
        member_match[nid] = tid
        used.add(tid)
    return member_match


@dataclass(frozen=True)
class _Match:
    """One network as the matching sees it, and the earlier track its members match."""

    network: Network
    mset: set[str]
    profile: dict[str, float]
    evidence: list[str]
    tracks: dict[str, dict[str, Any]]
    member_match: dict[int, str]

    @property
    def nid(self) -> int:
        return self.network["network_id"]

    @property
    def continues(self) -> dict[str, Any] | None:
        tid = self.member_match.get(self.nid)
        return self.tracks[tid] if tid is not None else None


def _track(
    m: _Match,
    run_id: str,
    features: TrackFeatures,
    wl: _Watchlist,
    returns: _Returns | None,
    confirmed: frozenset[str],
    p: TrackParams,
) -> Track:
    """The track of one network: status, match, return, watchlist hits, snapshot."""
    h = _new_history(m, run_id, features.new_posts, p)
    flagged = bool(m.network.get("flagged"))
    hits = wl.hits(m.mset, m.profile, p)
    compared, returned = 0, False
    if returns is not None:
        # A network that continues a track is only compared with watchlisted sets.
        best, compared = returns.best(
            m.nid, m.mset, m.profile, m.evidence, tracks=m.continues is None
        )
        if best is not None:
            returned = True
            hits, as_return = _returned(h, best, m, hits, confirmed, p)
            if as_return:
                flagged = True
        elif m.continues is not None and m.continues.get("return_of"):
            # The track this network continues was itself a return: it still is.
            h["re_emerged"] = True
            h["return_of"] = m.continues["return_of"]
    if hits:
        h["watchlist_hits"] = hits
    snapshot = {
        "network_id": m.nid,
        "track_id": h["track_id"],
        "status": h["status"],
        "flagged": flagged,
        "score": float(m.network.get("score", 0.0)),
        "name": m.network.get("name", ""),
        "members": sorted(m.mset),
        "evidence": m.evidence,
        "profile": m.profile,
        "return_of": _pointer(h.get("return_of")),
    }
    return Track(m.nid, h, flagged, snapshot, compared=compared, returned=returned)


def _new_history(
    m: _Match, run_id: str, new_posts: dict[str, int], p: TrackParams
) -> dict[str, Any]:
    """The history of a network before the return search: new, or the track it continues."""
    h: dict[str, Any] = {
        "status": "new",
        "track_id": f"trk-{run_id}-{m.nid}",
        "re_emerged": False,
        "matched_run": None,
        "matched_network": None,
        "matched_track": None,
        "matched_name": None,
        "member_overlap": 0.0,
        "evidence_overlap": 0.0,
        "content_overlap": 0.0,
        "content_family": None,
        "members_added": len(m.mset),
        "members_gone": 0,
        "first_seen_run": run_id,
        "runs_seen": 1,
        "new_posts": int(sum(new_posts.get(a, 0) for a in m.mset)),
    }
    t = m.continues
    if t is not None:
        h.update(
            status=_size_status(len(m.mset), len(set(t["members"])), p),
            track_id=t["track_id"],
            first_seen_run=t["first_run"],
            runs_seen=t["runs_seen"] + 1,
        )
        _fill_match(h, t, m.mset, m.profile, m.evidence)
    return h


def _returned(
    h: dict[str, Any],
    best: dict[str, Any],
    m: _Match,
    hits: dict[str, Any] | None,
    confirmed: frozenset[str],
    p: TrackParams,
) -> tuple[dict[str, Any] | None, bool]:
    """Mark ``h`` as the return of ``best``; the watchlist hits with the takedown's label,
    and whether the network is flagged as the return of a taken-down operation."""
    h["re_emerged"] = True
    if m.continues is None:
        h["status"] = "re-emerged"
        t = m.tracks.get(best["track_id"]) if best.get("track_id") else None
        if t is not None:
            _fill_match(h, t, m.mset, m.profile, m.evidence)
    h["return_of"] = best
    if best.get("label"):
        hits = hits or {"accounts": [], "labels": [], "content": {}, "pattern_accounts": []}
        hits["labels"] = sorted(set(hits["labels"]) | {best["label"]})
        hits["playbook"] = {best["label"]: best["why"]}
    takedown = bool(best.get("label")) or best.get("track_id") in confirmed
    as_return = takedown and p.flag_returns and not m.network.get("flagged")
    if as_return:
        h["flagged_as_return"] = True
    return hits, as_return


# ---------------------------------------------------------------------------- the report
def with_history(
    report: Report,
    tracks: list[Track],
    history: TrackHistory,
    features: TrackFeatures,
    params: TrackParams,
) -> Report:
    """A new report: ``history`` on each network (and the flag of a return), the run's new
    inputs and previous run, and the ``tracking`` block with the dormant tracks."""
    by_id = {t.network_id: t for t in tracks}
    networks: list[Network] = []
    for n in report.networks:
        t = by_id[n["network_id"]]
        flag: dict[str, Any] = {"flagged": True} if t.flagged and not n.get("flagged") else {}
        networks.append({**n, **flag, "history": t.history})  # type: ignore[typeddict-item]
    prev = history.previous
    shas = history.previous_shas
    run: RunMeta = {
        **report.run,
        "new_inputs": [i for i in report.run.get("inputs", []) if i["sha256"] not in shas],
        "previous_run_id": prev["run_id"] if prev else None,
    }
    dormant = dormant_tracks(tracks, history)
    counts = Counter(t.history["status"] for t in tracks)
    wl_accounts = len(set(features.watchlist["account_id"].to_list()))
    tracking: Tracking = {
        "previous_run_id": run["previous_run_id"],
        "earlier_runs": len({r["run_id"] for r in history.rows}),
        "counts": {s: counts.get(s, 0) for s in STATUSES} | {"dormant": len(dormant)},
        "dormant": dormant,
        "watchlist_accounts": wl_accounts,
        "params": asdict(params),
        "playbook": _playbook_summary(tracks, features, history),
    }
    return replace(report, run=run, networks=networks, tracking=tracking)


def dormant_tracks(tracks: list[Track], history: TrackHistory) -> list[dict[str, Any]]:
    """Tracks seen in the previous run that no network of this run continues."""
    latest, prev_run = history.latest()
    taken = {t.history["track_id"] for t in tracks}
    dormant = []
    for tid, t in latest.items():
        if tid in taken or t["run_id"] != prev_run:
            continue  # continued now, or went dormant in an earlier run already
        dormant.append(
            {
                "track_id": tid,
                "last_run": t["run_id"],
                "network_id": t["network_id"],
                "name": t["name"],
                "flagged": bool(t["flagged"]),
                "score": t["score"],
                "members": len(t["members"]),
            }
        )
    return dormant


def _playbook_summary(
    tracks: list[Track], features: TrackFeatures, history: TrackHistory
) -> dict[str, Any] | None:
    """Old playbooks, organic sample size, comparisons and returns (None: no search ran)."""
    pop = features.population
    wl = features.watchlist
    if pop is None or not tracks:
        return None
    return {
        "old_playbooks": len(_old_playbooks(pop, history.flagged_tracks(), _by_label(wl))[0]),
        "organic_sample": int(pop.sample.size),
        "compared": sum(t.compared for t in tracks),
        "returns": sum(t.returned for t in tracks),
    }


def _watchlisted(wl: pl.DataFrame) -> dict[str, list[str]]:
    """The labels of each watchlisted account (``watchlist`` where it has none)."""
    out: dict[str, list[str]] = defaultdict(list)
    for acc, label in zip(wl["account_id"].to_list(), wl["label"].to_list(), strict=True):
        out[acc].append(label or "watchlist")
    return out


def _by_label(wl: pl.DataFrame) -> dict[str, list[str]]:
    """The accounts of each watchlist label."""
    out: dict[str, list[str]] = defaultdict(list)
    for acc, labels in _watchlisted(wl).items():
        for lab in labels:
            out[lab].append(acc)
    return out


def _old_playbooks(
    pop: pb.Population, old_tracks: dict[str, dict[str, Any]], by_label: dict[str, list[str]]
) -> tuple[dict[str, np.ndarray], dict[str, set[str]]]:
    """Population rows and members of each old playbook (``track id``,
    ``watchlist:LABEL``) that has accounts in the population."""
    old: dict[str, np.ndarray] = {}
    members_of: dict[str, set[str]] = {}
    for tid, t in old_tracks.items():
        rows = pop.rows(t["members"])
        if rows.size:
            old[tid] = rows
            members_of[tid] = set(t["members"])
    for lab, accs in by_label.items():
        rows = pop.rows(accs)
        if rows.size:
            old[f"watchlist:{lab}"] = rows
            members_of[f"watchlist:{lab}"] = set(accs)
    return old, members_of


def _exact(profile: dict[str, float]) -> dict[str, float]:
    """The exact-content families of a profile: text fingerprints and canonical URLs."""
    return {k: v for k, v in profile.items() if k.startswith(("fp:", "url:"))}


def _pointer(ret: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a snapshot keeps of a return: the old track or label it points at and why."""
    if not ret:
        return None
    keep = ("kind", "label", "track_id", "run_id", "network_id", "name", "matched_parts",
            "why", "takedown_at", "report")  # fmt: skip
    return {k: ret.get(k) for k in keep}


def _label_times(wl: pl.DataFrame) -> dict[str, float]:
    """Latest ``added_at`` per watchlist label, in epoch seconds (the takedown time)."""
    out: dict[str, float] = {}
    for lab, t in zip(wl["label"].to_list(), wl["added_at"].to_list(), strict=True):
        if t is None:
            continue
        ts = t.timestamp() if hasattr(t, "timestamp") else float(t)
        key = lab or "watchlist"
        out[key] = max(out.get(key, ts), ts)
    return out


class _Returns:
    """Return detection for one run: which old playbook, if any, a new network carries on."""

    def __init__(
        self,
        pop: pb.Population,
        p: TrackParams,
        *,
        networks: list[Network],
        members: dict[int, list[str]],
        old_tracks: dict[str, dict[str, Any]],
        by_label: dict[str, list[str]],
        wl_added: dict[str, float],
        wl_profiles: dict[str, dict[str, float]],
    ) -> None:
        self.p = p
        self.wl_profiles = wl_profiles
        self.tracks = old_tracks
        self.by_label = by_label
        self.pop = pop
        old, self.members_of = _old_playbooks(pop, old_tracks, by_label)
        self.matcher = pb.ReturnMatcher(self.pop, old, p)
        self.ref: dict[str, float | None] = {}
        for key, rows in old.items():
            lab = key.split(":", 1)[1] if key.startswith("watchlist:") else None
            self.ref[key] = self._reference_time(rows, wl_added.get(lab) if lab else None)
        # The track the watchlisted accounts formed (for the pointer of a watchlist return).
        self.label_track: dict[str, str] = {}
        for lab, accs in by_label.items():
            best = max(
                ((jaccard(set(accs), t["members"]), tid) for tid, t in old_tracks.items()),
                default=(0.0, None),
            )
            if best[1] is not None and best[0] >= p.member_match:
                self.label_track[lab] = best[1]
        ids = [n["network_id"] for n in networks]
        self.rows = {nid: self.pop.rows(members[nid]) for nid in ids}
        self.new = pb.profiles(self.pop, [self.rows[nid] for nid in ids], p)
        self.new_index = {nid: i for i, nid in enumerate(ids)}
        self.matcher.set_peers(self.new, [set(members[nid]) for nid in ids], self.members_of)

    def _reference_time(self, rows: np.ndarray, added: float | None) -> float | None:
        """Takedown time: the watchlist's ``added_at`` when it falls inside the data (not
        before the accounts' posts, not after the store's last post), else when the
        accounts went quiet (90th percentile of their last posts)."""
        last = self.pop.last_t[rows]
        last = last[np.isfinite(last)]
        quiet = float(np.quantile(last, 0.9)) if last.size else None
        if added is not None and last.size:
            max_t = self.pop.max_t
            if float(np.median(last)) - 86_400 <= added and (max_t is None or added <= max_t):
                return added
        return quiet

    def best(
        self,
        nid: int,
        mset: set[str],
        prof: dict[str, float],
        ev: list[str],
        *,
        tracks: bool = True,
    ) -> tuple[dict[str, Any] | None, int]:
        """The old playbook network ``nid`` is the return of (best match) or None, and how
        many old playbooks it was compared with."""
        if nid not in self.new_index:
            return None, 0
        found, compared = self._returns(nid, mset, prof, ev, tracks=tracks)
        if not found:
            return None, compared
        found.sort(key=lambda x: (-x[0], -x[1], x[2]))
        return self._pointer_of(found), compared

    def _returns(
        self, nid: int, mset: set[str], prof: dict[str, float], ev: list[str], *, tracks: bool
    ) -> tuple[list[tuple[int, float, str, dict[str, Any]]], int]:
        """Every old playbook the network matches as a return: (matched parts, score, key,
        comparison), and the number compared."""
        i, rows, p = self.new_index[nid], self.rows[nid], self.p
        found = []
        compared = 0
        for key in self.matcher.keys:
            if not tracks and not key.startswith("watchlist:"):
                continue
            old = self.members_of[key]
            if len(mset - old) / max(1, len(mset)) < p.new_member_share:
                continue  # the old accounts themselves, not a return
            extra = self._texts(key, prof, ev)
            res = self.matcher.compare(self.new, i, rows, key, ref_t=self.ref.get(key), extra=extra)
            compared += 1
            if res["is_return"]:
                found.append((len(res["matched_parts"]), res["score"], key, res))
        return found, compared

    def _texts(self, key: str, prof: dict[str, float], ev: list[str]) -> dict[str, dict[str, Any]]:
        """The ``texts`` part of a comparison with old playbook ``key``, when it matches."""
        p = self.p
        if key.startswith("watchlist:"):
            lab = key.split(":", 1)[1]
            c, fam = content_similarity(_exact(prof), _exact(self.wl_profiles.get(lab, {})))
            if c >= p.content_match:
                return {"texts": {"matched": True, "similarity": round(c, 4),
                                  "detail": f"content cosine {c:.2f} ({fam})"}}  # fmt: skip
            return {}
        t = self.tracks[key]
        # Exact content only (texts, URLs): hosts, targets and hashtags are parts of their
        # own and must not count twice.
        c, fam = content_similarity(_exact(prof), _exact(t["profile"] or {}))
        e = jaccard(ev, t["evidence"] or [])
        if c >= p.content_match or e >= p.evidence_match:
            return {
                "texts": {
                    "matched": True,
                    "similarity": round(max(c, e), 4),
                    "detail": f"content cosine {c:.2f} ({fam}), evidence overlap {e:.2f}",
                }
            }
        return {}

    def _pointer_of(self, found: list[tuple[int, float, str, dict[str, Any]]]) -> dict[str, Any]:
        """``history.return_of`` for the best of ``found`` (sorted best first)."""
        p = self.p
        _, _, key, res = found[0]
        out: dict[str, Any] = {
            "kind": "watchlist" if key.startswith("watchlist:") else "track",
            "label": key.split(":", 1)[1] if key.startswith("watchlist:") else None,
            "track_id": key if not key.startswith("watchlist:") else None,
            "matched_parts": res["matched_parts"],
            "score": res["score"],
            "why": res["why"],
            "parts": res["parts"],
            "takedown_at": _iso_epoch(self.ref.get(key)),
        }
        # Name both sides when both match: the takedown label and the track it formed.
        if out["kind"] == "watchlist":
            out["track_id"] = self.label_track.get(out["label"]) or next(
                (k for *_, k, _r in found if not k.startswith("watchlist:")
                 and jaccard(self.members_of[k], self.members_of[key]) >= p.member_match),
                None,
            )  # fmt: skip
        else:
            out["label"] = next(
                (k.split(":", 1)[1] for *_, k, _r in found if k.startswith("watchlist:")
                 and (self.label_track.get(k.split(":", 1)[1]) == key
                      or jaccard(self.members_of[k], self.members_of[key]) >= p.member_match)),
                None,
            )  # fmt: skip
        t = self.tracks.get(out["track_id"]) if out["track_id"] else None
        if t is not None:
            out["run_id"] = t["run_id"]
            out["network_id"] = t["network_id"]
            out["name"] = t["name"]
        out["also"] = [f[2] for f in found[1:4]]
        return out


def _iso_epoch(t: float | None) -> str | None:
    if t is None:
        return None
    from datetime import UTC, datetime

    return datetime.fromtimestamp(t, UTC).isoformat()


def _fill_match(
    h: dict[str, Any], t: dict[str, Any], mset: set[str], prof: dict[str, float], ev: list[str]
) -> None:
    tm = set(t["members"])
    h.update(
        matched_run=t["run_id"],
        matched_network=t["network_id"],
        matched_track=t["track_id"],
        matched_name=t["name"],
        member_overlap=round(jaccard(mset, tm), 4),
        evidence_overlap=round(jaccard(ev, t["evidence"] or []), 4),
        content_overlap=round(content_similarity(prof, t["profile"] or {})[0], 4),
        content_family=content_similarity(prof, t["profile"] or {})[1],
        members_added=len(mset - tm),
        members_gone=len(tm - mset),
    )


def _watchlist_hits(
    mset: set[str],
    prof: dict[str, float],
    wl_accounts: dict[str, list[str]],
    wl_profiles: dict[str, dict[str, float]],
    wl_stems: dict[str, str],
    p: TrackParams,
) -> dict[str, Any] | None:
    if not wl_accounts:
        return None
    accounts = sorted(a for a in mset if a in wl_accounts)
    labels = sorted({lab for a in accounts for lab in wl_accounts[a]})
    content = {lab: round(content_similarity(prof, wp)[0], 4) for lab, wp in wl_profiles.items()}
    content = {lab: c for lab, c in content.items() if c >= p.content_match}
    pattern = sorted(a for a in mset if a not in wl_accounts and wl_stems.get(_stem(a)) is not None)
    if not accounts and not content and len(pattern) < p.min_pattern_accounts:
        return None
    return {
        "accounts": accounts,
        "labels": sorted(set(labels) | set(content)),
        "content": content,
        "pattern_accounts": pattern if len(pattern) >= p.min_pattern_accounts else [],
    }


# ---------------------------------------------------------------------------- changes
def network_brief(n: Network) -> dict[str, Any]:
    """A network's line in changes.json: ids, name, rank, score, flag, size, status."""
    h = n.get("history") or {}
    return {
        "network_id": n["network_id"],
        "track_id": h.get("track_id"),
        "name": n.get("name"),
        "rank": n.get("rank"),
        "score": n.get("score"),
        "flagged": bool(n.get("flagged")),
        "members": len(n.get("members", [])),
        "status": h.get("status"),
    }


def _brief(n: Network) -> dict[str, Any]:
    h = n.get("history", {})
    out = {
        **network_brief(n),
        "re_emerged": bool(h.get("re_emerged")),
        "new_posts": h.get("new_posts"),
    }
    for k in ("matched_run", "matched_network", "matched_track", "matched_name",
              "member_overlap", "evidence_overlap", "content_overlap", "content_family",
              "members_added",
              "members_gone", "watchlist_hits", "flagged_as_return"):  # fmt: skip
        if h.get(k) is not None:
            out[k] = h[k]
    if h.get("return_of"):
        out["return_of"] = _pointer(h["return_of"])
    return out


def changes_summary(report: ReportLike) -> dict[str, Any]:
    """``changes.json``: flagged networks that are new, re-emerged, grown, shrunk or continuing
    since the previous run, flagged tracks that went dormant, and every network with
    watchlist hits. ``alert`` is true when a flagged network is new or re-emerged."""
    rep = as_report(report)
    run = rep.run
    tracking: Tracking = rep.tracking or {}
    flagged = rep.flagged

    def pick(status: str) -> list[dict[str, Any]]:
        return [_brief(n) for n in flagged if n.get("history", {}).get("status") == status]

    re_emerged = pick("re-emerged")
    out = {
        "run_id": run["run_id"],
        "created_at": run["created_at"],
        "previous_run_id": tracking.get("previous_run_id", run.get("previous_run_id")),
        "new_inputs": run.get("new_inputs", []),
        "new": pick("new"),
        "re_emerged": re_emerged,
        "grown": pick("grown"),
        "shrunk": pick("shrunk"),
        "continuing": pick("continuing"),
        "dormant": [d for d in tracking.get("dormant", []) if d.get("flagged")],
        "watchlist_hits": [
            _brief(n) for n in rep.networks if n.get("history", {}).get("watchlist_hits")
        ],
        "counts": {
            "flagged_networks": len(flagged),
            "new": len(pick("new")),
            "re_emerged": len(re_emerged),
            "grown": len(pick("grown")),
            "shrunk": len(pick("shrunk")),
            "continuing": len(pick("continuing")),
            "dormant": len([d for d in tracking.get("dormant", []) if d.get("flagged")]),
        },
    }
    from cib.review import review_changes  # verdicts and affiliations (issue 17)

    out["review"] = review_changes(rep)
    out["alert"] = bool(out["new"] or out["re_emerged"] or out["review"]["alert"])
    return out
