"""Detection quality on simulated dumps, beside the classic baseline.

``python pipelines/quality.py [--generator cib|alt|ind] [--seeds 1,2,3]``

For each seed, simulates a dump, runs ``cib`` detection with the default configuration and
the default embedding model, and prints account-level precision, recall, F1, ARI, the average
precision of the network ranking (every network, flagged or not, ranked by score; accounts in
no network rank last) and recall per campaign. Beside it runs the classic co-action network
that the peers compute (:mod:`cib.detect.classic`: co-repost, co-reply, co-URL, co-hashtag
set and identical text within a fixed window, at least ``k`` shared objects, connected
components) at each window of ``--classic-windows``, and prints its recall per campaign and
the precision of the components that hold each campaign's accounts.

Generators: ``cib`` (``cib.simulate``, the one the defaults were first tuned on), ``alt``
(``pipelines/altsim.py``) and ``ind`` (``pipelines/indsim.py``): the last two were written
by agents that did not read cib's detection code; ``congress``
(``pipelines/congresssim.py``, by another such agent) has no operations at all: every
account flagged there is a false positive.

``--affiliations orgs,feeds`` declares what the simulators know about ownership, as a team
would with ``cib affiliations add`` (:mod:`cib.review.affiliations`): ``orgs``, the
organisations' own accounts (``alt``: a city's accounts cross-posting its press releases,
one organisation per city); ``feeds``, the news aggregators (``alt`` and ``cib``), declared
as one syndicate. ``cib`` and ``ind`` have no organisations.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl
from sklearn.metrics import average_precision_score

from cib.assemble import build_report
from cib.config import ClassicParams, ScanConfig, SimulateParams
from cib.detect import detect, semantic_texts
from cib.detect.classic import classic_network
from cib.embed import get_embedder
from cib.evaluate import ORGANIC, evaluate
from cib.ingest import read_file
from cib.normalize import normalize_posts
from cib.report.model import Report
from cib.review import apply_affiliations, mark_affiliations, rerank
from cib.schemas import POSTS, STORED_POSTS
from cib.simulate import simulate_frames

SCRIPTS = {"alt": "altsim.py", "ind": "indsim.py", "congress": "congresssim.py"}
DEFAULT_SIZE = {"cib": (2000, 10), "alt": (3000, 14), "ind": (2200, 10), "congress": (600, 14)}


def external_frames(
    generator: str, seed: int, accounts: int, days: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Stored posts (read by ``cib``'s own ingest) and labels from an external simulator
    (with the simulator's ``role`` of each account where it writes ``account_roles.csv``)."""
    script = Path(__file__).with_name(SCRIPTS[generator])
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, str(script), "--out", tmp]
            + ["--seed", str(seed), "--accounts", str(accounts), "--days", str(days)],
            check=True,
            capture_output=True,
        )
        read = read_file(Path(tmp) / "posts.parquet")
        labels = pl.read_csv(Path(tmp) / "labels.csv", infer_schema=False)
        roles = Path(tmp) / "account_roles.csv"
        if roles.exists():
            labels = labels.join(
                pl.read_csv(roles, infer_schema=False), on="account_id", how="left"
            )
    if read.quarantine.height:
        raise SystemExit(f"{script.name} wrote rows cib rejects: {read.quarantine.head(3)}")
    keep = [c for c in ("account_id", "campaign", "role") if c in labels.columns]
    return read.posts, labels.select(keep)


def to_stored(posts: pl.DataFrame) -> pl.DataFrame:
    """Canonical posts (a simulator's frame) as the store holds them, normalised; optional
    canonical columns the simulator does not write (``media``...) are empty."""
    missing = [c for c in POSTS if c not in posts.columns]
    posts = posts.with_columns(pl.lit(None, dtype=POSTS[c]).alias(c) for c in missing)
    return (
        normalize_posts(posts.select(list(POSTS)))
        .with_columns(
            pl.lit("sim").alias("source_file"), pl.lit(1, dtype=pl.Int64).alias("source_line")
        )
        .select(list(STORED_POSTS))
    )


def stored_frames(
    generator: str, seed: int, accounts: int, days: int
) -> tuple[pl.DataFrame, pl.DataFrame]:
    if generator in SCRIPTS:
        return external_frames(generator, seed, accounts, days)
    posts, labels = simulate_frames(SimulateParams(accounts=accounts, days=days, seed=seed))
    return to_stored(posts), labels


def simulator_affiliations(
    generator: str,
    seed: int,
    accounts: int,
    stored: pl.DataFrame,
    labels: pl.DataFrame,
    kinds: tuple[str, ...],
) -> pl.DataFrame:
    """``account_id, organisation`` the simulator knows (see the module docstring)."""
    rows: list[tuple[str, str]] = []
    if generator == "cib" and "feeds" in kinds:
        import numpy as np

        from cib.simulate import _accounts as A
        from cib.simulate import _organic as O

        rng = np.random.default_rng(seed)  # the first draws of simulate_frames: the roles
        acc = A.build(rng, accounts)
        O.assign_roles(rng, acc)
        rows += [(str(h), "news aggregators") for h in acc.handle[acc.role == A.AGGREGATOR]]
    elif "role" in labels.columns:
        where = stored.group_by("account_id").agg(pl.col("account_location").drop_nulls().first())
        loc = dict(where.iter_rows())
        for acc_id, role in labels.select("account_id", "role").iter_rows():
            if role == "org" and "orgs" in kinds:
                rows.append((acc_id, f"city of {str(loc.get(acc_id) or '').split(',')[0]}"))
            elif role == "aggregator" and "feeds" in kinds:
                rows.append((acc_id, "news aggregators"))
    return pl.DataFrame(rows, schema=["account_id", "organisation"], orient="row")


def ranking_ap(labels: pl.DataFrame, report: Report) -> float:
    """Average precision of the ranking: each account scored by its network's score (every
    network, flagged or not), accounts in no network scored 0."""
    score: dict[str, float] = {}
    for n in report.networks:
        for m in n["members"]:
            score[m["account_id"]] = max(score.get(m["account_id"], 0.0), float(n["score"]))
    truth = [str(c).lower() not in ORGANIC for c in labels["campaign"].fill_null("organic")]
    if not any(truth):
        return 0.0
    scores = [score.get(a, 0.0) for a in labels["account_id"].to_list()]
    return round(float(average_precision_score(truth, scores)), 4)


def classic_scores(
    stored: pl.DataFrame, labels: pl.DataFrame, window_s: int, cp: ClassicParams, cfg: ScanConfig
) -> dict[str, Any]:
    """Recall per campaign of the classic network, and the precision of the components that
    hold each campaign's accounts."""
    res = classic_network(
        stored,
        window_s=window_s,
        min_shared=cp.min_shared,
        min_accounts=cp.min_accounts,
        max_neighbors=cp.max_neighbors,
        min_text_chars=cfg.detect.min_text_chars,
    )
    ev = evaluate(labels, res.membership.with_columns(pl.col("network_id").cast(pl.String)))
    lab = labels.with_columns(
        (~pl.col("campaign").fill_null("organic").str.to_lowercase().is_in(list(ORGANIC))).alias(
            "op"
        )
    )
    joined = res.membership.join(lab, on="account_id", how="left").with_columns(
        pl.col("op").fill_null(False)
    )
    comp_prec = joined.group_by("network_id").agg(pl.col("op").mean().alias("p"), pl.len())
    per_camp: dict[str, float] = {}
    for camp, grp in joined.filter(pl.col("op")).group_by("campaign"):
        comps = comp_prec.filter(pl.col("network_id").is_in(grp["network_id"].unique().implode()))
        tot = float(comps["len"].sum())
        per_camp[str(camp[0])] = round(float((comps["p"] * comps["len"]).sum()) / tot, 4)
    ev["component_precision"] = per_camp
    return ev


def run_seed(
    seed: int,
    accounts: int,
    days: int,
    cfg: ScanConfig,
    generator: str = "cib",
    classic_windows: tuple[int, ...] = (),
    affiliations: tuple[str, ...] = (),
) -> dict[str, Any]:
    stored, labels = stored_frames(generator, seed, accounts, days)
    aff = simulator_affiliations(generator, seed, accounts, stored, labels, affiliations)
    t0 = time.perf_counter()
    texts = semantic_texts(stored, cfg.detect)
    vectors = get_embedder(cfg.embed.model).encode(texts["text_norm"].to_list())
    det = detect(stored, params=cfg.detect, network=cfg.network, vectors=vectors, texts=texts)
    det = apply_affiliations(det, aff, cfg.network)
    report = rerank(mark_affiliations(build_report(stored, det, config=cfg, run={}), aff))
    seconds = time.perf_counter() - t0
    rows = [
        (m["account_id"], str(n["network_id"]))
        for n in report.networks
        if n["flagged"]
        for m in n["members"]
    ]
    flagged = pl.DataFrame(rows, schema=["account_id", "network_id"], orient="row")
    res = evaluate(labels, flagged)
    res.update(seed=seed, posts=stored.height, seconds=round(seconds, 1))
    res["ap"] = ranking_ap(labels, report)
    res["below_threshold"] = sum(not n["flagged"] for n in report.networks)
    res["affiliated_accounts"] = aff.height
    res["affiliated_pairs"] = int(det.stats.get("affiliations", {}).get("pairs", 0))
    org = set(aff["account_id"].to_list())
    res["fp_affiliated"] = sum(
        1
        for a, c in labels.select("account_id", "campaign").iter_rows()
        if a in org and str(c).lower() in ORGANIC and a in set(flagged["account_id"].to_list())
    )
    res["classic"] = {
        w: classic_scores(stored, labels, w, ClassicParams(), cfg) for w in classic_windows
    }
    return res


def style_of(campaign: str) -> str:
    """A campaign's operation style (``retweet_ring_2`` -> ``retweet_ring``)."""
    return re.sub(r"_\d+$", "", campaign)


def per_style(
    results: list[dict[str, Any]], classic_windows: tuple[int, ...]
) -> dict[str, dict[str, Any]]:
    """Accounts, flagged accounts (cib and classic, per window) and the classic components'
    precision per style, pooled over seeds and campaigns of the same style."""
    out: dict[str, dict[str, Any]] = {}
    for r in results:
        for camp, v in r["per_campaign"].items():
            d = out.setdefault(
                style_of(camp),
                {"accounts": 0, "cib": 0.0}
                | {f"c{w}": 0.0 for w in classic_windows}
                | {f"p{w}": [] for w in classic_windows},
            )
            d["accounts"] += v["accounts"]
            d["cib"] += v["recall"] * v["accounts"]
            for w in classic_windows:
                c = r["classic"][w]
                d[f"c{w}"] += c["per_campaign"].get(camp, {"recall": 0.0})["recall"] * v["accounts"]
                d[f"p{w}"].append(c["component_precision"].get(camp, 0.0))
    return out


def print_tables(results: list[dict[str, Any]], classic_windows: tuple[int, ...]) -> None:
    camps = sorted({c for r in results for c in r["per_campaign"]})
    head = ["seed", "posts", "precision", "recall", "F1", "AP", "ARI", *camps, "detect s"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in results:
        cells = [r["seed"], r["posts"], r["precision"], r["recall"], r["f1"], r["ap"], r["ari"]]
        cells += [r["per_campaign"].get(c, {}).get("recall", "") for c in camps]
        cells += [r["seconds"]]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    keys = ("precision", "recall", "f1", "ap")
    mean = {k: sum(r[k] for r in results) / len(results) for k in keys}
    print(
        f"\nMean precision {mean['precision']:.3f}, recall {mean['recall']:.3f}, "
        f"F1 {mean['f1']:.3f}, AP {mean['ap']:.3f}."
    )
    print(
        "Organic accounts flagged per seed: cib "
        + ", ".join(str(r.get("fp", 0)) for r in results)
        + "".join(
            f"; classic {w} s " + ", ".join(str(r["classic"][w].get("fp", 0)) for r in results)
            for w in classic_windows
        )
        + "."
    )
    if any(r.get("affiliated_accounts") for r in results):
        print(
            "Declared affiliations: "
            + ", ".join(
                f"seed {r['seed']}: {r['affiliated_accounts']} accounts, "
                f"{r['affiliated_pairs']} pairs left out, {r['fp_affiliated']} still flagged"
                for r in results
            )
            + "."
        )
    if not classic_windows:
        return
    print("\nRecall per style (campaigns pooled over seeds): cib vs the classic co-action network")
    print("(classic: recall / mean precision of the components holding the style's accounts)\n")
    head = ["style", "accounts", "cib", *[f"classic {w} s" for w in classic_windows]]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for style, d in sorted(per_style(results, classic_windows).items()):
        cells = [style, str(d["accounts"]), f"{d['cib'] / d['accounts']:.2f}"]
        for w in classic_windows:
            prec = d[f"p{w}"]
            mean_p = sum(prec) / len(prec) if prec else 0.0
            cells.append(f"{d[f'c{w}'] / d['accounts']:.2f} / {mean_p:.2f}")
        print("| " + " | ".join(cells) + " |")
    for w in classic_windows:
        f1 = sum(r["classic"][w]["f1"] for r in results) / len(results)
        p = sum(r["classic"][w]["precision"] for r in results) / len(results)
        print(f"\nclassic {w} s: mean precision {p:.3f}, F1 {f1:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--generator", choices=("cib", "alt", "ind", "congress"), default="cib")
    ap.add_argument("--accounts", type=int, default=None, help="default per generator")
    ap.add_argument("--days", type=int, default=None, help="default per generator")
    ap.add_argument("--classic-windows", default="60,3600", help="seconds; '' for none")
    ap.add_argument("--json", help="also write the results to this file")
    ap.add_argument(
        "--affiliations",
        default="",
        help="declare what the simulator knows: orgs, feeds or orgs,feeds (default: none)",
    )
    args = ap.parse_args()
    accounts, days = DEFAULT_SIZE[args.generator]
    accounts = args.accounts or accounts
    days = args.days or days
    windows = tuple(int(w) for w in args.classic_windows.split(",") if w)
    kinds = tuple(k.strip() for k in args.affiliations.split(",") if k.strip())
    bad = [k for k in kinds if k not in ("orgs", "feeds")]
    if bad:
        raise SystemExit(f"--affiliations takes orgs, feeds or orgs,feeds; got {bad}.")
    cfg = ScanConfig()
    results = [
        run_seed(int(s), accounts, days, cfg, args.generator, windows, kinds)
        for s in args.seeds.split(",")
    ]
    print_tables(results, windows)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
