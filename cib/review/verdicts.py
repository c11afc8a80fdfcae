"""Verdicts: an investigator's decision on a network, recorded in the store.

A verdict is ``confirmed`` (an operation), ``benign`` (a newsroom's own accounts, an RSS
syndicate, a fan club) or ``unsure``, with a note, who decided and when, and the network as
it was judged: its members, evidence objects and content profile (from the run's tracking
snapshot). It is attached to the network's *track* (:mod:`cib.tracking`), not to the run, so
it carries to the next scans (:mod:`cib.review.apply`).

Ways in: ``cib review NETWORK --verdict V --note TEXT [--run ID]`` (:func:`record_verdict`)
and ``cib review import verdicts.json`` (:func:`import_verdicts`), the file report.html's
"Download verdicts" button writes. Importing the same file twice adds nothing: each verdict of
a file has an id made from its content. Every file is checked whole before anything is
written, so a bad file records nothing and loses nothing.

Way out: ``cib review export --labels FILE`` (:func:`export_labels`) writes the members of
confirmed networks as their operation and those of benign ones as ``organic``, the
``account_id,campaign`` file ``cib evaluate`` reads: a team's verdicts become its test set.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import re
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from cib.config import ReviewParams
from cib.errors import InputError, NotDetectedError
from cib.store import Store
from cib.tracking import evidence_keys

__all__ = [
    "FILE_FORMAT",
    "VERDICTS",
    "confirmed_tracks",
    "current_verdicts",
    "export_labels",
    "import_verdicts",
    "parse_verdicts_file",
    "record_verdict",
    "resolve_network",
    "reviewer_name",
]

VERDICTS = ("confirmed", "benign", "unsure")
#: ``format`` of verdicts.json and its version.
FILE_FORMAT = "cib-verdicts"
FILE_VERSION = 1
_RANK_NAME = re.compile(r"^[Nn](\d+)$")


def reviewer_name(params: ReviewParams, given: str | None = None) -> str:
    """Who records: ``given``, else ``review.reviewer``, else the login name."""
    if given and given.strip():
        return given.strip()
    if params.reviewer:
        return params.reviewer
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a container
        return "unknown"


def _run_report(store: Store, run_id: str | None) -> dict[str, Any]:
    rep = store.last_report(run_id)
    if rep is None:
        if run_id:
            runs = store.runs()["run_id"].to_list()
            raise InputError(
                f"run {run_id!r} is not in store {store.path!r} (its runs: "
                f"{', '.join(runs[-5:]) or 'none'}). Pass a run id from report.html or "
                "networks.json of this store, or leave --run out for the latest run."
            )
        raise NotDetectedError(
            f"store {store.path!r} has no finished detection run to judge; run `cib scan` first."
        )
    return rep


def resolve_network(report: dict[str, Any], key: str | int) -> dict[str, Any]:
    """The network of ``report`` named by ``key``: its network id (``3``), its rank name
    (``N1``) or its track id (``trk-...``)."""
    nets = report.get("networks", [])
    text = str(key).strip()
    found = None
    if text.isdigit():
        found = next((n for n in nets if int(n["network_id"]) == int(text)), None)
    elif (m := _RANK_NAME.match(text)) is not None:
        found = next((n for n in nets if int(n["rank"]) == int(m.group(1))), None)
    else:
        found = next((n for n in nets if (n.get("history") or {}).get("track_id") == text), None)
    if found is None:
        run_id = report.get("run", {}).get("run_id")
        listed = ", ".join(
            f"{n['network_id']} (N{n['rank']})" for n in sorted(nets, key=lambda n: n["rank"])[:12]
        )
        raise InputError(
            f"network {text!r} is not in run {run_id!r}; its networks are "
            f"{listed or 'none'}{' ...' if len(nets) > 12 else ''}. Pass a network id, a rank "
            "name (N1) or a track id as report.html and networks.json show them, and --run "
            "for an older run."
        )
    return found


def _snapshot(store: Store, run_id: str, network: dict[str, Any]) -> dict[str, Any]:
    rows = {int(r["network_id"]): r for r in store.run_network_rows(run_id)}
    row = rows.get(int(network["network_id"])) or {}
    return {
        "track_id": (network.get("history") or {}).get("track_id")
        or row.get("track_id")
        or f"run-{run_id}-{network['network_id']}",
        "members": sorted(m["account_id"] for m in network.get("members", [])),
        "evidence": row.get("evidence") or evidence_keys(network),
        "profile": row.get("profile") or {},
    }


def _check_verdict(verdict: Any, note: Any, params: ReviewParams, where: str) -> None:
    if verdict not in VERDICTS:
        raise InputError(
            f"{where}verdict must be one of {list(VERDICTS)}; got {verdict!r}. Choose confirmed "
            "(an operation), benign (an organisation's own accounts, a syndicate, a fan club) or "
            "unsure."
        )
    if not isinstance(note, str):
        raise InputError(f"{where}note must be text; got {type(note).__name__} {note!r}.")
    if len(note) > params.max_note_chars:
        raise InputError(
            f"{where}note has {len(note):,} characters, more than review.max_note_chars = "
            f"{params.max_note_chars:,}; shorten it or raise max_note_chars in the [review] "
            "table of your config TOML."
        )


def _row(
    store: Store,
    report: dict[str, Any],
    network: dict[str, Any],
    *,
    verdict: str,
    note: str,
    reviewer: str,
    decided_at: datetime,
    source: str,
    verdict_id: str,
) -> dict[str, Any]:
    run_id = str(report["run"]["run_id"])
    snap = _snapshot(store, run_id, network)
    return {
        "verdict_id": verdict_id,
        "track_id": snap["track_id"],
        "run_id": run_id,
        "network_id": int(network["network_id"]),
        "name": network.get("name", ""),
        "verdict": verdict,
        "note": note,
        "reviewer": reviewer,
        "decided_at": decided_at,
        "source": source,
        "members": snap["members"],
        "evidence": snap["evidence"],
        "profile": snap["profile"],
    }


def record_verdict(
    store: Store,
    network: str | int,
    verdict: str,
    *,
    note: str = "",
    run_id: str | None = None,
    reviewer: str | None = None,
    params: ReviewParams | None = None,
) -> dict[str, Any]:
    """Record a verdict on ``network`` of run ``run_id`` (the latest when None); returns the
    stored row (who, when, the members at that time)."""
    params = params or ReviewParams()
    _check_verdict(verdict, note, params, "")
    report = _run_report(store, run_id)
    net = resolve_network(report, network)
    row = _row(
        store,
        report,
        net,
        verdict=verdict,
        note=note,
        reviewer=reviewer_name(params, reviewer),
        decided_at=datetime.now(UTC),
        source="cli",
        verdict_id=uuid.uuid4().hex[:16],
    )
    store.add_verdicts([row])
    return row


def _when(value: Any, where: str) -> datetime:
    if not isinstance(value, str):
        raise InputError(f"{where}decided_at must be an ISO 8601 time; got {value!r}.")
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(f"{where}decided_at must be an ISO 8601 time; got {value!r}.") from exc
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def parse_verdicts_file(path: str | Path) -> dict[str, Any]:
    """The JSON of a verdicts file, checked for its format (not yet against a store)."""
    p = Path(path)
    redo = "Download it again with report.html's 'Download verdicts' button."
    try:
        data = json.loads(p.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"cannot read verdicts {str(p)!r}: {exc.strerror or exc}.") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"verdicts {str(p)!r} is not valid JSON ({exc}). {redo}") from exc
    if not isinstance(data, dict) or data.get("format") != FILE_FORMAT:
        raise InputError(
            f"{str(p)!r} is not a cib verdicts file (expected an object with "
            f'"format": "{FILE_FORMAT}"). {redo}'
        )
    if data.get("version") != FILE_VERSION:
        raise InputError(
            f"verdicts {str(p)!r} has version {data.get('version')!r}; this cib reads version "
            f"{FILE_VERSION}. Use the cib version that wrote the report."
        )
    if not isinstance(data.get("run_id"), str) or not data["run_id"]:
        raise InputError(f"verdicts {str(p)!r} names no run_id. {redo}")
    if not isinstance(data.get("verdicts"), list):
        raise InputError(f'verdicts {str(p)!r} has no "verdicts" list. {redo}')
    return data


def import_verdicts(
    store: Store,
    path: str | Path,
    *,
    reviewer: str | None = None,
    params: ReviewParams | None = None,
) -> dict[str, Any]:
    """Record the verdicts of a verdicts.json file (all or none); returns counts (read,
    added, already recorded). A verdict already imported is skipped."""
    params = params or ReviewParams()
    data = parse_verdicts_file(path)
    run_id = data["run_id"]
    if not store.has_run(run_id):
        runs = store.runs()["run_id"].to_list()
        raise InputError(
            f"verdicts {str(path)!r} are for run {run_id!r}, which is not in store "
            f"{store.path!r} (its runs: {', '.join(runs[-5:]) or 'none'}). Import the file "
            "into the store that produced the report (--db), or judge the networks of a "
            "current report again. Nothing was recorded."
        )
    report = _run_report(store, run_id)
    who_file = data.get("reviewer") if isinstance(data.get("reviewer"), str) else None
    who = reviewer_name(params, reviewer or who_file)
    rows = []
    for i, v in enumerate(data["verdicts"]):
        where = f"verdicts[{i}]."
        if not isinstance(v, dict):
            raise InputError(f"{where[:-1]} must be an object; got {v!r}. Nothing was recorded.")
        nid = v.get("network_id")
        if isinstance(nid, bool) or not isinstance(nid, int):
            raise InputError(
                f"{where}network_id must be an integer; got {nid!r}. Nothing was recorded."
            )
        try:
            net = resolve_network(report, nid)
        except InputError as exc:
            raise InputError(f"{where[:-1]}: {exc} Nothing was recorded.") from exc
        try:
            _check_verdict(v.get("verdict"), v.get("note", ""), params, where)
            decided = _when(v.get("decided_at"), where)
        except InputError as exc:
            raise InputError(f"{exc} Nothing was recorded.") from exc
        track = (net.get("history") or {}).get("track_id")
        if v.get("track_id") not in (None, track):
            raise InputError(
                f"{where}track_id {v.get('track_id')!r} does not match network {nid} of run "
                f"{run_id!r} (track {track!r}): the file was edited or comes from another "
                "store. Nothing was recorded."
            )
        content = [run_id, int(nid), track, v["verdict"], v.get("note", ""), who, decided]
        vid = hashlib.sha256(json.dumps(content, default=str).encode()).hexdigest()[:16]
        rows.append(
            _row(
                store,
                report,
                net,
                verdict=v["verdict"],
                note=v.get("note", ""),
                reviewer=who,
                decided_at=decided,
                source=f"import:{Path(path).name}",
                verdict_id=vid,
            )
        )
    added = store.add_verdicts(rows)
    return {"file": str(path), "read": len(rows), "added": added, "skipped": len(rows) - added}


def current_verdicts(store: Store) -> dict[str, dict[str, Any]]:
    """The latest verdict on each track (a later decision replaces an earlier one)."""
    out: dict[str, dict[str, Any]] = {}
    for v in store.verdicts():  # oldest first
        out[v["track_id"]] = v
    return out


def confirmed_tracks(store: Store) -> set[str]:
    """Tracks whose current verdict is ``confirmed``, and the tracks that continue them
    (``track_links``) without a verdict of their own: :func:`cib.tracking.
    annotate_with_history` flags their returns whatever the score."""
    cur = current_verdicts(store)
    out = {t for t, v in cur.items() if v["verdict"] == "confirmed"}
    links = store.track_links()
    for child in links:
        seen, t = set(), child
        while t in links and t not in seen and t not in cur:
            seen.add(t)
            t = links[t]
        if t in out and child not in cur:
            out.add(child)
    return out


def export_labels(store: Store, path: str | Path) -> dict[str, Any]:
    """Write ``account_id,campaign`` for the members of judged networks (current verdicts):
    a confirmed network's members as ``confirmed:<track id>``, a benign one's as ``organic``
    (confirmed wins for an account in both); unsure verdicts are left out."""
    cur = current_verdicts(store)
    label: dict[str, str] = {}
    for v in sorted(cur.values(), key=lambda v: v["verdict"] != "benign"):  # benign first
        if v["verdict"] == "unsure":
            continue
        camp = "organic" if v["verdict"] == "benign" else f"confirmed:{v['track_id']}"
        for acc in v["members"] or []:
            label[acc] = camp
    if not label:
        raise InputError(
            f"store {store.path!r} has no confirmed or benign verdicts to export; record some "
            "with `cib review NETWORK --verdict ...` or `cib review import FILE` first."
        )
    df = pl.DataFrame(
        {"account_id": list(label), "campaign": list(label.values())},
        schema={"account_id": pl.String, "campaign": pl.String},
    ).sort("account_id")
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    df.write_csv(p)
    return {
        "file": str(p),
        "accounts": df.height,
        "confirmed": int((df["campaign"] != "organic").sum()),
        "benign": int((df["campaign"] == "organic").sum()),
    }
