"""Verdicts applied to a new run: what a later scan says about networks a team has judged.

Each network of the run is looked up by its track (:mod:`cib.tracking`): its own track id,
the tracks that track continues (``track_links``: a re-emerged network's new track points at
the old one), and the track it matched. The latest verdict found on that line applies
(``network["review"]``):

``continuation of confirmed operation``
    The network continues, or re-emerged from, a network judged ``confirmed``. It is flagged
    whatever its score and ranked first.
``judged benign``
    It continues a network judged ``benign`` and has not changed beyond what was judged. It
    is still detected and listed apart with its verdict, and not flagged.
``changed since judged benign``
    It gained at least ``review.benign_max_growth`` of the members judged (and at least
    ``review.benign_min_added``), or its content profile drifted below
    ``review.benign_min_content`` cosine of the one judged. It is flagged again as its score
    says, with the changes ("+12 members, new objects (...)").
``judged unsure``
    A badge only.

Networks of one declared organisation are ``declared affiliation``
(:mod:`cib.review.affiliations`). :func:`review_changes` is the ``review`` block of
``changes.json``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, replace
from typing import Any

from cib.config import ReviewParams
from cib.report.model import Network, Report, ReportLike, RunMeta, as_report
from cib.review.verdicts import current_verdicts
from cib.store import Store
from cib.tracking import cosine, network_brief

__all__ = [
    "AFFILIATION",
    "BENIGN",
    "CHANGED",
    "CONFIRMED",
    "UNSURE",
    "apply_verdicts",
    "benign_changes",
    "refresh_badges",
    "rerank",
    "review_changes",
]

CONFIRMED = "continuation of confirmed operation"
BENIGN = "judged benign"
CHANGED = "changed since judged benign"
UNSURE = "judged unsure"
AFFILIATION = "declared affiliation"
_RANK_PREFIX = re.compile(r"^N\d+ · ")


def _lineage(h: dict[str, Any], links: dict[str, str]) -> list[tuple[str, str]]:
    """Tracks whose verdicts apply to a network with history ``h``, nearest first, with how
    each was reached (``track``, ``link``, ``re-emerged``)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def walk(t: str | None, via: str) -> None:
        while t and t not in seen:
            seen.add(t)
            out.append((t, via))
            t, via = links.get(t), "link"

    walk(h.get("track_id"), "track")
    walk(h.get("matched_track"), "re-emerged" if h.get("status") == "re-emerged" else "track")
    return out


def benign_changes(
    network: Network,
    verdict: dict[str, Any],
    profile: dict[str, float],
    params: ReviewParams,
) -> list[str]:
    """How ``network`` (content profile ``profile``) changed beyond what was judged benign
    in ``verdict``; empty when it has not."""
    now = {m["account_id"] for m in network.get("members", [])}
    judged = set(verdict.get("members") or [])
    added = len(now - judged)
    out: list[str] = []
    if added >= params.benign_min_added and added >= params.benign_max_growth * max(1, len(judged)):
        out.append(f"+{added} members")
    then = verdict.get("profile") or {}
    if params.benign_min_content > 0 and then:
        c = cosine(profile, then)
        if c < params.benign_min_content:
            new = sorted((f for f in profile if f not in then), key=lambda f: (-profile[f], f))
            shown = f" ({', '.join(new[:3])})" if new else ""
            out.append(f"new objects{shown}: content similarity {c:.2f} to what was judged")
    return out


def _day(ts: Any) -> str:
    return str(ts or "")[:10]


def _op_name(v: dict[str, Any]) -> str:
    short = str(v.get("name") or "").split(" · ")[0] or f"network {v['network_id']}"
    return f"{short} of run {v['run_id']}"


def rerank(report: Report) -> Report:
    """Rank confirmed continuations first, then flagged networks, then the rest (by score
    within each), rename ``N<rank> · ...`` and recount the run's flagged totals (a new
    report)."""

    def group(n: Network) -> int:
        st = (n.get("review") or {}).get("status")
        return 0 if st == CONFIRMED and n["flagged"] else (1 if n["flagged"] else 2)

    nets = sorted(
        report.networks, key=lambda n: (group(n), -float(n["score"]), int(n["network_id"]))
    )
    ranked: list[Network] = [
        {
            **n,
            "rank": rank,
            "name": _RANK_PREFIX.sub(f"N{rank} · ", str(n.get("name", "")), count=1),
        }
        for rank, n in enumerate(nets, start=1)
    ]
    flagged = [n for n in ranked if n["flagged"]]
    run: RunMeta = {**report.run}
    run["counts"] = {
        **run.get("counts", {}),
        "flagged_networks": len(flagged),
        "flagged_accounts": sum(len(n.get("members", [])) for n in flagged),
    }
    if isinstance(run.get("demoted"), dict):
        run["demoted"] = {**run["demoted"], "networks_below_threshold": len(ranked) - len(flagged)}
    return replace(report, run=run, networks=ranked)


def apply_verdicts(store: Store, report: Report, params: ReviewParams | None = None) -> Report:
    """Apply the store's verdicts to a run annotated by :func:`cib.tracking.
    annotate_with_history` (call before :meth:`Store.save_run`); re-rank, update the run's
    tracking snapshot (flags, names) and record track links of re-emerged networks. Returns
    a new report."""
    params = params or ReviewParams()
    run_id = str(report.run["run_id"])
    cur = current_verdicts(store)
    links = store.track_links()
    snapshot = store.run_network_rows(run_id)
    profiles = {int(r["network_id"]): r.get("profile") or {} for r in snapshot}
    new_links: list[tuple[str, str]] = []
    counts: Counter[str] = Counter()
    networks: list[Network] = []
    for n in report.networks:
        h = n.get("history") or {}
        tid, old = h.get("track_id"), h.get("matched_track")
        if h.get("status") == "re-emerged" and old and old != tid:
            new_links.append((tid, old))
        found = next(((cur[t], via) for t, via in _lineage(h, links) if t in cur), None)
        if found is None:
            networks.append(n)
            continue
        judged = _judged(n, *found, profiles.get(int(n["network_id"]), {}), params)
        counts[judged["review"]["status"]] += 1
        networks.append(judged)
    out = rerank(replace(report, networks=networks))
    store.add_track_links(run_id, new_links)
    store.update_run_networks(
        run_id, [(int(n["network_id"]), bool(n["flagged"]), n["name"]) for n in out.networks]
    )
    review = {
        "verdicts": len(cur),
        "counts": {s: counts.get(s, 0) for s in (CONFIRMED, BENIGN, CHANGED, UNSURE)},
        "declared_affiliations": sum(
            1 for n in out.networks if (n.get("review") or {}).get("status") == AFFILIATION
        ),
        "params": asdict(params),
    }
    return replace(out, review=review)


def _judged(
    n: Network, v: dict[str, Any], via: str, profile: dict[str, float], params: ReviewParams
) -> Network:
    """Network ``n`` with the verdict ``v`` (reached ``via`` its lineage) applied: its
    ``review`` block, and its flag and demotions where the verdict decides them."""
    prior = n.get("review") or {}
    who, day = v.get("reviewer") or "unknown", _day(v.get("decided_at"))
    rv: dict[str, Any] = {
        "verdict": v["verdict"],
        "verdict_id": v["verdict_id"],
        "reviewer": who,
        "decided_at": v.get("decided_at"),
        "note": v.get("note") or "",
        "judged_track": v["track_id"],
        "judged_run": v["run_id"],
        "judged_network": int(v["network_id"]),
        "judged_name": v.get("name") or "",
        "judged_members": len(v.get("members") or []),
        "via": via,
    }
    out: Network = {**n}
    if v["verdict"] == "confirmed":
        rv["status"] = CONFIRMED
        rv["line"] = (
            f"continuation of confirmed operation {_op_name(v)} "
            f"(judged {day} by {who}; track {v['track_id']})"
        )
        out["flagged"] = True
        out["demoted"] = []
    elif v["verdict"] == "benign":
        changes = benign_changes(n, v, profile, params)
        if changes:
            rv["status"] = CHANGED
            rv["changes"] = changes
            rv["line"] = "changed since judged benign: " + ", ".join(changes)
        else:
            rv["status"] = BENIGN
            rv["line"] = f"judged benign by {who} on {day}" + (
                f": {rv['note']}" if rv["note"] else ""
            )
            out["flagged"] = False
            out["demoted"] = [rv["line"]] + [
                d for d in (n.get("demoted") or []) if "flag threshold" not in d
            ]
    else:
        rv["status"] = UNSURE
        rv["line"] = f"judged unsure by {who} on {day}" + (f": {rv['note']}" if rv["note"] else "")
    if prior.get("status") == AFFILIATION:
        rv["organisation"] = prior.get("organisation")
        if v["verdict"] != "confirmed":
            out["flagged"] = False  # a declared affiliation is never flagged on its own
    out["review"] = {**prior, **rv}
    return out


def refresh_badges(store: Store, report: Report) -> Report:
    """For re-rendering a stored run: the current verdict recorded on each network's own
    track goes to ``review["stored"]`` (a badge; flags stay as the run decided them).
    Returns a new report."""
    cur = current_verdicts(store)
    networks: list[Network] = []
    for n in report.networks:
        v = cur.get((n.get("history") or {}).get("track_id"))
        if v is None:
            networks.append(n)
            continue
        stored = {
            "verdict": v["verdict"],
            "reviewer": v.get("reviewer"),
            "decided_at": v.get("decided_at"),
            "note": v.get("note") or "",
        }
        networks.append({**n, "review": {**(n.get("review") or {}), "stored": stored}})
    return replace(report, networks=networks)


def _brief(n: Network) -> dict[str, Any]:
    r = n.get("review") or {}
    out = {
        **network_brief(n),
        "review": r.get("status"),
        "line": r.get("line"),
    }
    for k in ("verdict_id", "judged_track", "judged_run", "organisation", "changes"):
        if r.get(k) is not None:
            out[k] = r[k]
    return out


def review_changes(report: ReportLike) -> dict[str, Any]:
    """The ``review`` block of changes.json: confirmed continuations, networks judged benign
    (unchanged: not flagged; changed: flagged again), declared affiliations. ``alert`` is true
    when a benign network changed or a confirmed operation re-emerged or grew."""
    nets = as_report(report).networks

    def pick(status: str) -> list[dict[str, Any]]:
        return [_brief(n) for n in nets if (n.get("review") or {}).get("status") == status]

    out = {
        "confirmed_continuations": pick(CONFIRMED),
        "judged_benign": pick(BENIGN),
        "changed_since_benign": pick(CHANGED),
        "declared_affiliations": pick(AFFILIATION),
    }
    out["counts"] = {k: len(v) for k, v in out.items()}
    out["alert"] = bool(out["changed_since_benign"]) or any(
        c["status"] in ("re-emerged", "grown") for c in out["confirmed_continuations"]
    )
    return out
