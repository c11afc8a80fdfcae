"""Declared affiliations: accounts a team knows belong to one organisation.

``cib affiliations add FILE`` reads a CSV with a header holding ``account_id`` and
``organisation`` (``organization`` and ``org`` are read too): a newsroom and its regional
accounts, a party and its candidates, a city and its departments. An account may belong to
several organisations (one row each).

What detection does with them (:func:`apply_affiliations`, called on the fused edges before
networks are formed, the same for both engines):

* a pair whose two accounts share a declared organisation is not evidence: its edge is left
  out of network building, and counted in ``run.demoted.pairs.affiliated`` with the reason
  ``declared affiliation`` (rank, don't drop: nothing disappears silently);
* accounts of an organisation that coordinate with outsiders still count: their edges to
  outsiders are evidence as before;
* the organisation's own accounts that act together (and are in no network of evidence) are
  kept as one network per organisation, scored like any other, reported as
  ``declared affiliation`` and never flagged (:func:`mark_affiliations`); so is any network
  whose members all share one organisation.
"""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from cib.config import NetworkParams
from cib.detect import Detection, object_crowds
from cib.detect.networks import networks_of, within_networks
from cib.errors import InputError
from cib.report.model import Network, Report, RunMeta
from cib.schemas import MEMBERSHIP
from cib.store import Store
from cib.watchlist import read_utf8

__all__ = [
    "AFFILIATED",
    "AFFILIATION_REASON",
    "add_affiliations_file",
    "apply_affiliations",
    "mark_affiliations",
    "read_affiliations",
    "shared_organisation",
]

#: Key of the demoted pairs in ``run.demoted.pairs`` and the status of such networks.
AFFILIATED = "affiliated"
AFFILIATION_REASON = "declared affiliation: both accounts belong to one declared organisation"
_ORG_COLUMNS = ("organisation", "organization", "org")
#: Bad rows named in one error message (the rest are counted).
_MAX_BAD_SHOWN = 5


def read_affiliations(path: str | Path) -> list[tuple[str, str]]:
    """``(account_id, organisation)`` pairs of an affiliations CSV.

    The whole file is checked before anything is returned: a row with an empty account id
    or organisation, or with too few cells, raises :class:`InputError` naming its line and
    the fix, so a bad file adds nothing.
    """
    p = Path(path)
    text = read_utf8(p, "affiliations")
    rows = [
        (i, r)
        for i, r in enumerate(csv.reader(text.splitlines()), start=1)
        if r and any(c.strip() for c in r)
    ]
    need = "a CSV with a header line 'account_id,organisation' and one account per line"
    if not rows:
        raise InputError(f"affiliations {str(p)!r} is empty; expected {need}.")
    head = [c.strip().lower() for c in rows[0][1]]
    org_col = next((c for c in _ORG_COLUMNS if c in head), None)
    if "account_id" not in head or org_col is None:
        raise InputError(
            f"affiliations {str(p)!r} has the header {rows[0][1]!r}; expected {need} "
            f"(the organisation column may be named {' or '.join(_ORG_COLUMNS)})."
        )
    ai, oi = head.index("account_id"), head.index(org_col)
    out: list[tuple[str, str]] = []
    bad: list[str] = []
    for line, r in rows[1:]:
        acc = r[ai].strip() if ai < len(r) else ""
        org = r[oi].strip() if oi < len(r) else ""
        if not acc or not org:
            what = "account_id" if not acc else "organisation"
            bad.append(f"line {line}: empty {what} ({','.join(r)[:80]!r})")
            continue
        out.append((acc, org))
    if bad:
        shown = "; ".join(bad[:_MAX_BAD_SHOWN])
        more = f" and {len(bad) - _MAX_BAD_SHOWN} more" if len(bad) > _MAX_BAD_SHOWN else ""
        raise InputError(
            f"affiliations {str(p)!r} has {len(bad)} bad row(s): {shown}{more}. Every row needs "
            "an account_id and an organisation; fix or delete those rows and add the file "
            "again. Nothing was added."
        )
    if not out:
        raise InputError(f"affiliations {str(p)!r} lists no accounts; expected {need}.")
    return out


def add_affiliations_file(store: Store, path: str | Path) -> dict[str, Any]:
    """Register the affiliations of ``path``; returns counts (read, added, organisations)."""
    pairs = read_affiliations(path)
    added = store.add_affiliations(pairs, source=str(path))
    return {
        "file": str(path),
        "read": len(pairs),
        "added": added,
        "organisations": len({o for _, o in pairs}),
    }


def shared_organisation(pairs: pl.DataFrame, aff: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``pairs`` (``account_a, account_b``) whose two accounts share a declared
    organisation: ``account_a, account_b, organisation`` (the first shared one by name)."""
    if pairs.height == 0 or aff.height == 0:
        return pl.DataFrame(
            schema={"account_a": pl.String, "account_b": pl.String, "organisation": pl.String}
        )
    a = pairs.select("account_a", "account_b").join(
        aff.rename({"account_id": "account_a"}), on="account_a"
    )
    both = a.join(aff.rename({"account_id": "account_b"}), on=["account_b", "organisation"])
    return (
        both.group_by("account_a", "account_b")
        .agg(pl.col("organisation").min())
        .sort("account_a", "account_b")
    )


def _no_stats(aff: pl.DataFrame) -> dict[str, Any]:
    return {
        "organisations": int(aff["organisation"].n_unique()) if aff.height else 0,
        "accounts": int(aff["account_id"].n_unique()) if aff.height else 0,
        "pairs": 0,
        "networks": [],
    }


def apply_affiliations(det: Detection, aff: pl.DataFrame, network: NetworkParams) -> Detection:
    """Leave pairs inside one declared organisation out of network building (see the module
    docstring); returns ``det`` with membership, fused edges, evidence and crowds redone.

    Nothing changes when no kept pair shares an organisation. Otherwise networks are formed
    again (Leiden) from the other edges; the organisation's own tied accounts left over form
    one network per organisation; the affiliated pairs inside a network of evidence leave its
    edges and co-actions. ``det.stats["affiliations"]`` counts what was done. On the Spark
    engine with events too many to collect, the crowd counts are those of the first pass.
    """
    aff = aff.select("account_id", "organisation").unique()
    stats = _no_stats(aff)
    det.stats["affiliations"] = stats
    if aff.height == 0 or det.fused.height == 0:
        return det
    intra = shared_organisation(det.fused, aff)
    stats["pairs"] = intra.height
    if intra.height == 0:
        return det
    key = ["account_a", "account_b"]
    fused_ev = det.fused.join(intra.select(key), on=key, how="anti")
    mem_ev = networks_of(fused_ev, network)
    placed = set(mem_ev["account_id"].to_list())
    weights = det.fused.join(intra, on=key).filter(
        ~pl.col("account_a").is_in(list(placed)) & ~pl.col("account_b").is_in(list(placed))
    )
    next_id = int(mem_ev["network_id"].max() or 0) + 1  # type: ignore[arg-type]
    groups: list[pl.DataFrame] = []
    assigned: set[str] = set()
    by_org = weights.partition_by("organisation", as_dict=True)
    for (org,), grp in sorted(by_org.items(), key=lambda kv: (-kv[1].height, str(kv[0][0]))):
        grp = grp.filter(
            ~pl.col("account_a").is_in(list(assigned)) & ~pl.col("account_b").is_in(list(assigned))
        )
        accounts = set(grp["account_a"].to_list()) | set(grp["account_b"].to_list())
        if len(accounts) < network.min_accounts:
            continue
        degree = (
            pl.concat(
                [
                    grp.select(pl.col("account_a").alias("account_id"), "weight"),
                    grp.select(pl.col("account_b").alias("account_id"), "weight"),
                ]
            )
            .group_by("account_id")
            .agg(pl.col("weight").sum().alias("degree"))
        )
        groups.append(degree.with_columns(pl.lit(next_id).alias("network_id")))
        stats["networks"].append(
            {"network_id": next_id, "organisation": str(org), "accounts": len(accounts)}
        )
        assigned |= accounts
        next_id += 1
    membership = pl.concat(
        [mem_ev.select(list(MEMBERSHIP)).cast(dict(MEMBERSHIP))]
        + [g.select(list(MEMBERSHIP)).cast(dict(MEMBERSHIP)) for g in groups]
    )
    inside = within_networks(intra.select(key), mem_ev.select("account_id", "network_id"))
    if inside.height:
        pairs = inside.select(key)
        det.edges = det.edges.join(pairs, on=key, how="anti")
        if det.coactions.height:
            det.coactions = det.coactions.join(pairs, on=key, how="anti")
    det.fused = fused_ev
    det.membership = membership
    det.stats["kept_edges"] = fused_ev.height
    det.stats["networks"] = membership["network_id"].n_unique()
    if det.events.height:
        det.crowds = object_crowds(det.events, det.coactions, membership)
    return det


def mark_affiliations(report: Report, aff: pl.DataFrame) -> Report:
    """Report every network whose members all share a declared organisation as ``declared
    affiliation`` (never flagged), and the affiliated pairs as demoted (a new report)."""
    if aff.height == 0:
        return report
    orgs: dict[str, set[str]] = {}
    for acc, org in aff.select("account_id", "organisation").iter_rows():
        orgs.setdefault(acc, set()).add(org)
    networks = [_declared(n, orgs) for n in report.networks]
    run: RunMeta = {**report.run}
    st = (run.get("detection") or {}).get("affiliations") or {}
    if st.get("pairs"):
        dem = dict(run.get("demoted") or {"networks_below_threshold": 0, "pairs": {}})
        dem["pairs"] = {
            **(dem.get("pairs") or {}),
            AFFILIATED: {"count": int(st["pairs"]), "reason": AFFILIATION_REASON},
        }
        run["demoted"] = dem
    return replace(report, run=run, networks=networks)


def _declared(n: Network, orgs: dict[str, set[str]]) -> Network:
    """``n`` marked ``declared affiliation`` when all its members share an organisation."""
    common: set[str] | None = None
    for m in n.get("members", []):
        have = orgs.get(m["account_id"], set())
        common = set(have) if common is None else common & have
        if not common:
            break
    if not common:
        return n
    org = sorted(common)[0]
    line = f"declared affiliation: all {len(n['members'])} members belong to {org}"
    review = {**(n.get("review") or {}), "status": "declared affiliation"}
    review |= {"organisation": org, "line": line}
    demoted = [line] + [d for d in (n.get("demoted") or []) if "flag threshold" not in d]
    return {**n, "flagged": False, "review": review, "demoted": demoted}
