"""Operation-space sweep: recall and false positives per grid cell, cib beside the classic
co-action network.

``python pipelines/sweep.py [--seeds 0] [--out sweep.json] [--md sweep.md] [--only STYLE]``

The cells come from ``pipelines/sweepgen.py`` (written by an agent that did not read cib's
code): each is a fixed organic background plus one planted operation (six styles over
group size, participation, reaction delay and its shape, number of objects and the spread
of account creation) or one organic counterpart (fan bases, share-button crowds, news
bursts, trending hashtags). Every cell is scanned with the default configuration and the
default embedding model, no per-cell tuning, and with the classic baseline
(:mod:`cib.detect.classic`) at 60 s and 1 h.

Per operation cell: recall of the planted accounts, flagged organic accounts, and the same
for the classic network (recall, and the precision of the components holding the planted
accounts). Per organic cell: flagged accounts among the counterpart's accounts and among
all organic accounts. A cell is marked *not identifiable* where a typical pair of members
shares fewer than two objects (``n_objects * participation ** 2 < 2``): for most pairs
nothing repeats. Some pairs still share two or more, and the classic network can string
those into components: such cells are listed apart in the summary, with cib's recall beside
the classic network's wherever its components hold the operation at precision >= 0.8.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))

from quality import classic_scores, to_stored  # noqa: E402
from sweepgen import make_cell, operation_grid, organic_grid  # noqa: E402

from cib.assemble import build_report  # noqa: E402
from cib.config import ClassicParams, ScanConfig  # noqa: E402
from cib.detect import detect, semantic_texts  # noqa: E402
from cib.embed import get_embedder  # noqa: E402

CLASSIC_WINDOWS = (60, 3600)
AXES = ("size", "participation", "delay_s", "delay_shape", "n_objects", "creation_spread_days")


def identifiable(cell: dict[str, Any]) -> tuple[bool, str]:
    """Whether any co-action method could tell the cell's operation from organic activity."""
    if cell["kind"] != "operation":
        return True, ""
    shared = cell["n_objects"] * cell["participation"] ** 2
    if shared < 2:
        return False, (
            f"members share {shared:.1f} objects per pair on average: for most pairs nothing "
            "repeats"
        )
    return True, ""


def run_cell(cell: dict[str, Any], seed: int, cfg: ScanConfig, embedder: Any) -> dict[str, Any]:
    posts, labels = make_cell(cell, seed)
    stored = to_stored(posts)
    t0 = time.perf_counter()
    texts = semantic_texts(stored, cfg.detect)
    vectors = embedder.encode(texts["text_norm"].to_list())
    det = detect(stored, params=cfg.detect, network=cfg.network, vectors=vectors, texts=texts)
    report = build_report(stored, det, config=cfg, run={})
    seconds = time.perf_counter() - t0
    flagged = {m["account_id"] for n in report.networks if n["flagged"] for m in n["members"]}
    listed = {m["account_id"] for n in report.networks for m in n["members"]}
    planted = set(labels.filter(pl.col("campaign") != "organic")["account_id"].to_list())
    organic = set(labels.filter(pl.col("campaign") == "organic")["account_id"].to_list())
    counterpart = set(
        labels.filter(
            (pl.col("campaign") == "organic") & ~pl.col("role").is_in(["background", "popular"])
        )["account_id"].to_list()
    )
    ok, why = identifiable(cell)
    out: dict[str, Any] = {
        **{k: cell.get(k) for k in ("cell", "kind", "style", "varied", *AXES)},
        "seed": seed,
        "posts": stored.height,
        "seconds": round(seconds, 1),
        "identifiable": ok,
        "why_not": why,
        "planted": len(planted),
        "recall": round(len(flagged & planted) / len(planted), 3) if planted else None,
        "listed_recall": round(len(listed & planted) / len(planted), 3) if planted else None,
        "fp_accounts": len(flagged & organic),
        "fp_counterpart": len(flagged & counterpart),
        "counterpart": len(counterpart),
        # Every listed network's score with its planted / organic / counterpart members and
        # its score parts, so that a threshold or a part can be studied without rescanning.
        "networks": [
            [n["score"], *(len(ids & s) for s in (planted, organic, counterpart)), n["parts"]]
            for n in report.networks
            for ids in [{m["account_id"] for m in n["members"]}]
        ],
    }
    lab = labels.select("account_id", "campaign")
    for w in CLASSIC_WINDOWS:
        c = classic_scores(stored, lab, w, ClassicParams(), cfg)
        camp = c["per_campaign"].get(cell.get("style"), {}) if planted else {}
        out[f"classic_{w}_recall"] = camp.get("recall")
        out[f"classic_{w}_precision"] = c["component_precision"].get(cell.get("style"))
        out[f"classic_{w}_fp"] = c["fp"]
    return out


def markdown(rows: list[dict[str, Any]]) -> str:
    """Tables for BENCHMARKS.md: operation cells per style, organic cells, and a summary."""
    lines: list[str] = []
    ops = [r for r in rows if r["kind"] == "operation"]
    org = [r for r in rows if r["kind"] == "organic"]
    head = (
        "| cell | varied | cib recall | listed | FP accts | classic 60 s R / P | "
        "classic 1 h R / P | note |"
    )
    for style in sorted({r["style"] for r in ops}):
        lines += [
            f"\n**{style}** (baseline: size 20, participation 0.6, 30 s uniform, "
            "10 objects, creation over 8 years)\n",
            head,
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in (x for x in ops if x["style"] == style):
            val = r[r["varied"]] if r["varied"] in r else "base"
            cls = [
                f"{_f(r[f'classic_{w}_recall'])} / {_f(r[f'classic_{w}_precision'])}"
                for w in CLASSIC_WINDOWS
            ]
            note = "" if r["identifiable"] else f"not identifiable: {r['why_not']}"
            lines.append(
                f"| {r['cell']} | {r['varied']}={val} | {_f(r['recall'])} | "
                f"{_f(r['listed_recall'])} | {r['fp_accounts']} | {cls[0]} | {cls[1]} | {note} |"
            )
    lines += [
        "\n**Organic counterparts** (flagged accounts: of the counterpart / of all organic)\n",
        "| cell | style | accounts | cib flagged | classic 60 s FP | classic 1 h FP |",
        "|---|---|---|---|---|---|",
    ]
    for r in org:
        lines.append(
            f"| {r['cell']} | {r['style']} | {r['counterpart']} | {r['fp_counterpart']} / "
            f"{r['fp_accounts']} | {r['classic_60_fp']} | {r['classic_3600_fp']} |"
        )
    ident = [r for r in ops if r["identifiable"]]
    found = [r for r in ident if (r["recall"] or 0) >= 0.9]
    flagged_ops = sum(round((r["recall"] or 0) * r["planted"]) for r in ops)
    flagged_org = sum(r["fp_counterpart"] for r in org)
    share = flagged_org / max(flagged_ops + flagged_org, 1)
    below = [
        r["cell"]
        for r in ops
        if r["identifiable"]
        and (r["recall"] or 0) + 0.01 < (r["classic_60_recall"] or 0)
        and (r["classic_60_precision"] or 0) >= 0.8
    ]
    # Cells the pair rule calls not identifiable where the classic network still holds the
    # operation (some pairs share two objects and its components string them together).
    seen = [
        r
        for r in ops
        if not r["identifiable"]
        and (r["classic_60_recall"] or 0) >= 0.5
        and (r["classic_60_precision"] or 0) >= 0.8
    ]
    level = [r for r in seen if (r["recall"] or 0) + 0.01 >= (r["classic_60_recall"] or 0)]
    background = sorted(r["fp_accounts"] - r["fp_counterpart"] for r in org)
    lines += [
        "",
        f"Identifiable operation cells with recall >= 0.9: {len(found)} of {len(ident)}. "
        f"Organic counterpart accounts flagged: {flagged_org} ({share:.1%} of all flagged "
        f"accounts in the sweep). Flagged accounts of the shared organic background per "
        f"organic cell: median {background[len(background) // 2] if background else 0}. "
        f"Identifiable cells where cib's recall is below the classic 60 s network's while its "
        f"components hold the operation at precision >= 0.8: {len(below)} "
        f"({', '.join(below)}). "
        f"Cells marked not identifiable that the classic 60 s network still finds (recall >= "
        f"0.5 at precision >= 0.8): {len(seen)}; cib's recall at least the classic's in "
        f"{len(level)} ("
        + ", ".join(f"{r['cell']} {_f(r['recall'])} vs {_f(r['classic_60_recall'])}" for r in seen)
        + ").",
    ]
    return "\n".join(lines) + "\n"


def _f(x: Any) -> str:
    return "-" if x is None else f"{float(x):.2f}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--out", default="sweep.json")
    ap.add_argument("--md", default=None, help="also write the Markdown tables here")
    ap.add_argument("--only", default=None, help="only cells of this style")
    ap.add_argument(
        "--config",
        default=None,
        help='JSON overrides (a parameter sweep), e.g. \'{"detect": {"min_z": 4}}\'',
    )
    args = ap.parse_args()
    cfg = ScanConfig()
    if args.config:
        cfg = cfg.override(**json.loads(args.config))
    embedder = get_embedder(cfg.embed.model)
    cells = operation_grid() + organic_grid()
    if args.only:
        cells = [c for c in cells if c["style"] == args.only]
    rows: list[dict[str, Any]] = []
    for seed in (int(s) for s in args.seeds.split(",")):
        for cell in cells:
            row = run_cell(cell, seed, cfg, embedder)
            rows.append(row)
            print(json.dumps(row), flush=True)
            Path(args.out).write_text(json.dumps(rows, indent=1))
    if args.md:
        Path(args.md).write_text(markdown(rows))


if __name__ == "__main__":
    main()
