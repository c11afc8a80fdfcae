"""Return detection over the takedown-and-return grid (issue 14): precision and recall.

For each seed the first week of :mod:`returnsim` is ingested and detected once (it does not
depend on the grid cell); each cell then copies that store twice, once with the first waves'
accounts watchlisted at the takedown (a known takedown) and once without (the first waves
simply went quiet: dormant tracks), ingests the second week and detects again.

A returning operation is *found* when the network holding most of its second-wave accounts
(and made mostly of them) is ``re_emerged`` and points at the right old playbook: the
first-week track of that operation (``history.return_of.track_id``) or, watchlisted, its
``takedown-<op>`` label. Every other network marked ``re_emerged`` is a *false return*.

    python pipelines/returns_grid.py --out DIR [--seeds 1,2] [--rewrite 0,0.5,1] \\
        [--changed 0,0.5,1] [--keep all,two,none] [--model static]

writes ``DIR/rows.jsonl`` (one row per seed, cell, order and operation), ``DIR/false.jsonl``
and prints the summary table (``DIR/summary.json``).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "pipelines"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))

from returnsim import KEEPABLE, Scenario, simulate_return, split_weeks  # noqa: E402

from cib.config import ScanConfig  # noqa: E402
from cib.pipeline import detect_store, ingest_paths  # noqa: E402
from cib.report.model import Report  # noqa: E402
from cib.store import open_store  # noqa: E402

RETURNING = ("copypasta", "locals")
KEEPS = {"all": KEEPABLE, "two": ("creation", "schedule"), "none": ()}


def _members(n: dict[str, Any]) -> set[str]:
    return {m["account_id"] for m in n["members"]}


def _op_network(report: Report, accounts: set[str]) -> dict[str, Any] | None:
    best = max(report.networks, key=lambda n: len(_members(n) & accounts), default=None)
    if best is None:
        return None
    inside = len(_members(best) & accounts)
    if inside < 3 or inside < 0.5 * len(best["members"]):
        return None
    return best


def _ingest(store: Any, frame: pl.DataFrame, path: Path, cfg: ScanConfig) -> None:
    frame.write_parquet(path)
    ingest_paths(store, [str(path)], config=cfg)


def evaluate(
    report: Report, labels: pl.DataFrame, tracks1: dict[str, str | None]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Per returning operation: detected / re_emerged / right pointer; and false returns."""
    camp = dict(zip(labels["account_id"].to_list(), labels["campaign"].to_list(), strict=True))
    wave = dict(zip(labels["account_id"].to_list(), labels["wave"].to_list(), strict=True))
    rows, mine = [], set()
    for op in RETURNING:
        w2 = {a for a, c in camp.items() if c == op and wave[a] == 2}
        n = _op_network(report, w2)
        row: dict[str, Any] = {"op": op, "detected": n is not None, "found": False}
        if n is not None:
            mine.add(n["network_id"])
            h = n["history"]
            ret = h.get("return_of") or {}
            ok = ret.get("track_id") == tracks1.get(op) and tracks1.get(op) is not None
            ok = ok or ret.get("label") == f"takedown-{op}"
            row.update(
                re_emerged=bool(h.get("re_emerged")),
                pointer_ok=bool(ok),
                found=bool(h.get("re_emerged") and ok),
                flagged=bool(n.get("flagged")),
                members=len(n["members"]),
                parts=ret.get("matched_parts"),
                why=ret.get("why"),
                status=h.get("status"),
            )
        rows.append(row)
    false = []
    for n in report.networks:
        if n["network_id"] in mine or not n["history"].get("re_emerged"):
            continue
        kinds = defaultdict(int)
        for a in _members(n):
            kinds[camp.get(a, "?") + ("" if wave.get(a, 0) == 0 else f"/w{wave[a]}")] += 1
        ret = n["history"].get("return_of") or {}
        false.append({
            "network_id": n["network_id"], "members": len(n["members"]),
            "flagged": bool(n.get("flagged")), "kinds": dict(kinds),
            "return_of": ret.get("track_id") or ret.get("label"),
            "parts": ret.get("matched_parts"), "why": ret.get("why"),
        })  # fmt: skip
    return rows, false


def run_seed(seed: int, cells: list[tuple[float, float, str]], out: Path, cfg: ScanConfig,
             accounts: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:  # fmt: skip
    work = out / f"seed{seed}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    base = simulate_return(Scenario(seed=seed, accounts=accounts))
    w1, _ = split_weeks(base["posts"], base["takedown_t"])
    labels1 = base["labels"]
    t = time.perf_counter()
    with open_store(work / "base.duckdb") as st:
        _ingest(st, w1, work / "week1.parquet", cfg)
        rep1 = detect_store(st, cfg)
    print(f"seed {seed}: week 1 detected in {time.perf_counter() - t:.1f} s", flush=True)
    tracks1: dict[str, str | None] = {}
    for op in RETURNING:
        w = set(labels1.filter((pl.col("campaign") == op) & (pl.col("wave") == 1))["account_id"])
        n = _op_network(rep1, w)
        tracks1[op] = n["history"]["track_id"] if n and n.get("flagged") else None
    rows, false = [], []
    for rewrite, changed, keep in cells:
        sc = Scenario(seed=seed, accounts=accounts, rewrite=rewrite, changed=changed,
                      keep=KEEPS[keep])  # fmt: skip
        res = simulate_return(sc)
        c1, w2 = split_weeks(res["posts"], res["takedown_t"])
        assert c1.height == w1.height, "week 1 must not depend on the cell"
        for order in ("watchlist", "dormant"):
            db = work / f"cell-{order}.duckdb"
            shutil.copy(work / "base.duckdb", db)
            t = time.perf_counter()
            with open_store(db) as st:
                if order == "watchlist":
                    at = datetime.fromtimestamp(res["takedown_t"], UTC)
                    st.add_watchlist(res["watchlist"], source="returnsim", added_at=at)
                _ingest(st, w2, work / "week2.parquet", cfg)
                rep2 = detect_store(st, cfg)
            secs = time.perf_counter() - t
            r, f = evaluate(rep2, res["labels"], tracks1)
            cell = {"seed": seed, "rewrite": rewrite, "changed": changed, "keep": keep,
                    "carried": round(sc.carried_share(), 3), "order": order,
                    "week1_flagged": {k: v is not None for k, v in tracks1.items()},
                    "seconds": round(secs, 1)}  # fmt: skip
            rows += [cell | x for x in r]
            false += [cell | x for x in f]
            msg = " ".join(f"{x['op']}={'Y' if x['found'] else ('-' if x['detected'] else 'nd')}"
                           for x in r)  # fmt: skip
            print(f"  rw={rewrite} ch={changed} keep={keep} {order}: {msg} false={len(f)} "
                  f"({secs:.0f} s)", flush=True)  # fmt: skip
            db.unlink()
    return rows, false


def summarise(rows: list[dict[str, Any]], false: list[dict[str, Any]]) -> dict[str, Any]:
    def rate(sel: list[dict[str, Any]]) -> dict[str, Any]:
        det = [r for r in sel if r["detected"]]
        return {
            "operations": len(sel),
            "detected": len(det),
            "found": sum(r["found"] for r in sel),
            "recall": round(sum(r["found"] for r in sel) / len(sel), 3) if sel else None,
            "recall_of_detected": round(sum(r["found"] for r in det) / len(det), 3)
            if det
            else None,
        }

    by_carried = defaultdict(list)
    for r in rows:
        by_carried[r["carried"]].append(r)
    n_cells = len({(r["seed"], r["rewrite"], r["changed"], r["keep"], r["order"]) for r in rows})
    found = sum(r["found"] for r in rows)
    return {
        "half_or_more": rate([r for r in rows if r["carried"] >= 0.5]),
        "under_half": rate([r for r in rows if r["carried"] < 0.5]),
        "by_carried": {str(k): rate(v) for k, v in sorted(by_carried.items())},
        "by_order": {
            o: rate([r for r in rows if r["order"] == o]) for o in ("watchlist", "dormant")
        },
        "false_returns": len(false),
        "false_flagged": sum(f["flagged"] for f in false),
        "scans": n_cells,
        "precision": round(found / (found + len(false)), 3) if found + len(false) else None,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--rewrite", default="0,0.5,1")
    ap.add_argument("--changed", default="0,0.5,1")
    ap.add_argument("--keep", default="all,two,none")
    ap.add_argument("--accounts", type=int, default=1500)
    ap.add_argument("--model", default=None)
    args = ap.parse_args(argv)
    cfg = ScanConfig()
    if args.model:
        cfg = cfg.override(embed={"model": args.model})
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cells = [(float(r), float(c), k) for r in args.rewrite.split(",")
             for c in args.changed.split(",") for k in args.keep.split(",")]  # fmt: skip
    rows, false = [], []
    for seed in [int(s) for s in args.seeds.split(",")]:
        r, f = run_seed(seed, cells, out, cfg, args.accounts)
        rows += r
        false += f
        with open(out / "rows.jsonl", "w") as fh:
            fh.writelines(json.dumps(x, default=str) + "\n" for x in rows)
        with open(out / "false.jsonl", "w") as fh:
            fh.writelines(json.dumps(x, default=str) + "\n" for x in false)
    summary = summarise(rows, false)
    (out / "summary.json").write_text(json.dumps(summary, indent=1))
    print(json.dumps(summary, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
