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

Tracks seen in the previous run and not matched now are listed in ``report["tracking"]
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
from dataclasses import asdict, dataclass
from typing import Any

import polars as pl

from cib.store import Store

__all__ = [
    "STATUSES",
    "TrackParams",
    "annotate_with_history",
    "changes_summary",
    "content_similarity",
]

STATUSES = ("new", "continuing", "grown", "shrunk", "re-emerged")
_DAY_SUFFIX = re.compile(r"\s*@\d{4}-\d{2}-\d{2}$")
_HANDLE_STEM = re.compile(r"[\d_]+$")


@dataclass(frozen=True)
class TrackParams:
    """Thresholds of network matching across runs (documented in docs/scheduled.md)."""

    member_match: float = 0.3
    """Min member Jaccard for the same network (continuing / grown / shrunk)."""
    grow_ratio: float = 1.2
    """Member count at least this times the earlier count: grown."""
    shrink_ratio: float = 0.8
    """Member count at most this times the earlier count: shrunk."""
    content_match: float = 0.35
    """Min content-profile cosine for a content match (re-emerged, watchlist content hit)."""
    evidence_match: float = 0.2
    """Min evidence-object Jaccard for an evidence match (re-emerged)."""
    new_member_share: float = 0.5
    """Share of members new to the matched network (or not watchlisted) to call it re-emerged."""
    min_feature_share: float = 0.2
    """A feature enters a network's profile when at least this share of members use it ..."""
    min_feature_accounts: int = 2
    """... and at least this many members."""
    max_profile: int = 200
    """Features kept per profile (highest weight first)."""
    min_text_chars: int = 25
    """Texts shorter than this (normalised) give no text-fingerprint feature."""
    min_stem_chars: int = 5
    """Handle stems shorter than this never count as a watchlisted handle pattern."""
    min_pattern_accounts: int = 2
    """Members following watchlisted handle patterns needed for a pattern hit."""


# ---------------------------------------------------------------------------- building blocks
def evidence_keys(network: dict[str, Any]) -> list[str]:
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

    def __init__(self, store: Store, params: TrackParams, accounts: set[str]) -> None:
        df, counts, n = store.account_features(params.min_text_chars, sorted(accounts))
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
    """Latest snapshot per track id, and the id of the previous (latest finished) run."""
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
    for tid, row in latest.items():
        row["first_run"] = first_seen[tid]["run_id"]
        row["first_seen_at"] = first_seen[tid]["run_created_at"]
        row["runs_seen"] = runs_seen[tid]
    return latest, prev


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
    store.con.register("_trk_ing", pl.DataFrame({"ingest_id": new_ids}).to_arrow())
    try:
        df = store.con.sql(
            "SELECT account_id, count(*) AS n FROM posts "
            "WHERE ingest_id IN (SELECT ingest_id FROM _trk_ing) GROUP BY account_id"
        ).pl()
    finally:
        store.con.unregister("_trk_ing")
    return {a: int(n) for a, n in df.iter_rows() if a in accounts}


def annotate_with_history(
    store: Store, report: dict[str, Any], params: TrackParams | None = None
) -> dict[str, Any]:
    """Add ``history`` to every network and ``tracking`` to the report; save the snapshot.

    Call it before :meth:`Store.save_run` (the snapshot rows of a run that is never saved are
    ignored and later removed). Returns the same (mutated) report.
    """
    p = params or TrackParams()
    store.ensure_tracking_tables()
    store.drop_orphan_run_networks()
    history = store.run_network_history()
    tracks, prev_run = _latest_tracks(history)
    prev_meta = store.last_run_meta()
    prev_shas = prev_meta["sha256"] if prev_meta else set()
    run = report["run"]
    run_id = str(run["run_id"])
    run["new_inputs"] = [i for i in run.get("inputs", []) if i["sha256"] not in prev_shas]
    run["previous_run_id"] = prev_meta["run_id"] if prev_meta else None

    networks = report.get("networks", [])
    members = {n["network_id"]: [m["account_id"] for m in n["members"]] for n in networks}
    all_members = set().union(*members.values()) if members else set()
    wl = store.watchlist()
    feats = _Features(store, p, all_members | set(wl["account_id"].to_list()))
    wl_accounts: dict[str, list[str]] = defaultdict(list)
    for acc, label in zip(wl["account_id"].to_list(), wl["label"].to_list(), strict=True):
        wl_accounts[acc].append(label or "watchlist")
    wl_profiles: dict[str, dict[str, float]] = {}
    by_label: dict[str, list[str]] = defaultdict(list)
    for acc, labels in wl_accounts.items():
        for lab in labels:
            by_label[lab].append(acc)
    for lab, accs in by_label.items():
        wl_profiles[lab] = feats.profile(accs)
    wl_stems = {_stem(a): a for a in wl_accounts if len(_stem(a)) >= p.min_stem_chars}

    new_posts = _new_posts(store, prev_shas, all_members)
    profiles = {nid: feats.profile(ms) for nid, ms in members.items()}
    evid = {n["network_id"]: evidence_keys(n) for n in networks}

    # One-to-one member matches, best Jaccard first.
    cands = []
    for n in networks:
        nid = n["network_id"]
        ms = set(members[nid])
        for tid, t in tracks.items():
            j = jaccard(ms, t["members"])
            if j >= p.member_match:
                cands.append((j, nid, tid))
    cands.sort(key=lambda x: (-x[0], x[1], x[2]))
    member_match: dict[Any, str] = {}
    used: set[str] = set()
    for _j, nid, tid in cands:
        if nid in member_match or tid in used:
            continue
        member_match[nid] = tid
        used.add(tid)

    rows = []
    for n in networks:
        nid = n["network_id"]
        ms = members[nid]
        mset = set(ms)
        prof = profiles[nid]
        h: dict[str, Any] = {
            "status": "new",
            "track_id": f"trk-{run_id}-{nid}",
            "re_emerged": False,
            "matched_run": None,
            "matched_network": None,
            "matched_track": None,
            "matched_name": None,
            "member_overlap": 0.0,
            "evidence_overlap": 0.0,
            "content_overlap": 0.0,
            "content_family": None,
            "members_added": len(mset),
            "members_gone": 0,
            "first_seen_run": run_id,
            "runs_seen": 1,
            "new_posts": int(sum(new_posts.get(a, 0) for a in mset)),
        }
        if nid in member_match:
            t = tracks[member_match[nid]]
            tm = set(t["members"])
            h.update(
                status=_size_status(len(mset), len(tm), p),
                track_id=t["track_id"],
                first_seen_run=t["first_run"],
                runs_seen=t["runs_seen"] + 1,
            )
            _fill_match(h, t, mset, prof, evid[nid])
        else:
            best = None
            for t in tracks.values():
                c = content_similarity(prof, t["profile"] or {})[0]
                e = jaccard(evid[nid], t["evidence"] or [])
                tm = set(t["members"])
                new_share = len(mset - tm) / max(1, len(mset))
                if new_share < p.new_member_share:
                    continue
                if c >= p.content_match or e >= p.evidence_match:
                    key = (max(c, e), c, e)
                    if best is None or key > best[0]:
                        best = (key, t)
            if best is not None:
                t = best[1]
                h.update(status="re-emerged", re_emerged=True)
                _fill_match(h, t, mset, prof, evid[nid])
        # Watchlist.
        hits = _watchlist_hits(mset, prof, wl_accounts, wl_profiles, wl_stems, p)
        if hits:
            h["watchlist_hits"] = hits
            # Re-emerged from the watchlist: none of the listed accounts is back, but the
            # network posts what they posted, or its handles follow their pattern.
            content_hit = any(v >= p.content_match for v in hits["content"].values())
            pattern_hit = len(hits["pattern_accounts"]) >= p.min_pattern_accounts
            if (content_hit or pattern_hit) and not hits["accounts"]:
                h["re_emerged"] = True
                if h["status"] == "new":
                    h["status"] = "re-emerged"
        n["history"] = h
        rows.append(
            {
                "network_id": nid,
                "track_id": h["track_id"],
                "status": h["status"],
                "flagged": bool(n.get("flagged")),
                "score": float(n.get("score", 0.0)),
                "name": n.get("name", ""),
                "members": sorted(mset),
                "evidence": evid[nid],
                "profile": prof,
            }
        )

    matched_tracks = {n["history"]["track_id"] for n in networks}
    dormant = []
    for tid, t in tracks.items():
        if tid in matched_tracks or tid in used:
            continue
        if t["run_id"] != prev_run:
            continue  # went dormant in an earlier run already
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
    counts = Counter(n["history"]["status"] for n in networks)
    report["tracking"] = {
        "previous_run_id": run["previous_run_id"],
        "earlier_runs": len({r["run_id"] for r in history}),
        "counts": {s: counts.get(s, 0) for s in STATUSES} | {"dormant": len(dormant)},
        "dormant": dormant,
        "watchlist_accounts": len(wl_accounts),
        "params": asdict(p),
    }
    store.save_run_networks(run_id, rows)
    return report


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
def _brief(n: dict[str, Any]) -> dict[str, Any]:
    h = n.get("history", {})
    out = {
        "network_id": n["network_id"],
        "track_id": h.get("track_id"),
        "name": n.get("name"),
        "rank": n.get("rank"),
        "score": n.get("score"),
        "flagged": bool(n.get("flagged")),
        "members": len(n.get("members", [])),
        "status": h.get("status"),
        "re_emerged": bool(h.get("re_emerged")),
        "new_posts": h.get("new_posts"),
    }
    for k in ("matched_run", "matched_network", "matched_track", "matched_name",
              "member_overlap", "evidence_overlap", "content_overlap", "content_family",
              "members_added",
              "members_gone", "watchlist_hits"):  # fmt: skip
        if h.get(k) is not None:
            out[k] = h[k]
    return out


def changes_summary(report: dict[str, Any]) -> dict[str, Any]:
    """``changes.json``: flagged networks that are new, re-emerged, grown, shrunk or continuing
    since the previous run, flagged tracks that went dormant, and every network with
    watchlist hits. ``alert`` is true when a flagged network is new or re-emerged."""
    run = report["run"]
    tracking = report.get("tracking", {})
    flagged = [n for n in report.get("networks", []) if n.get("flagged")]

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
            _brief(n)
            for n in report.get("networks", [])
            if n.get("history", {}).get("watchlist_hits")
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
    out["alert"] = bool(out["new"] or out["re_emerged"])
    return out
