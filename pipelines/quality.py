"""Detection quality on simulated dumps: `python pipelines/quality.py [--seeds 1,2,3,4,5]`.

For each seed, simulates a dump (default 2,000 accounts over 10 days), runs detection with the
default configuration and the default embedding model, and prints account-level precision,
recall, F1, ARI and recall per campaign as a Markdown table (for BENCHMARKS.md).
"""

from __future__ import annotations

import argparse
import time

import polars as pl

from cib.assemble import build_report
from cib.config import ScanConfig, SimulateParams
from cib.detect import detect, semantic_texts
from cib.embed import get_embedder
from cib.evaluate import evaluate
from cib.normalize import normalize_posts
from cib.schemas import STORED_POSTS
from cib.simulate import simulate_frames


def run_seed(seed: int, accounts: int, days: int, cfg: ScanConfig) -> dict:
    posts, labels = simulate_frames(SimulateParams(accounts=accounts, days=days, seed=seed))
    stored = (
        normalize_posts(posts)
        .with_columns(
            pl.lit("sim").alias("source_file"), pl.lit(1, dtype=pl.Int64).alias("source_line")
        )
        .select(list(STORED_POSTS))
    )
    t0 = time.perf_counter()
    texts = semantic_texts(stored, cfg.detect)
    vectors = get_embedder(cfg.embed.model).encode(texts["text_norm"].to_list())
    det = detect(stored, params=cfg.detect, network=cfg.network, vectors=vectors, texts=texts)
    report = build_report(stored, det, config=cfg, run={})
    seconds = time.perf_counter() - t0
    rows = [
        (m["account_id"], str(n["network_id"]))
        for n in report["networks"]
        if n["flagged"]
        for m in n["members"]
    ]
    flagged = pl.DataFrame(rows, schema=["account_id", "network_id"], orient="row")
    res = evaluate(labels, flagged)
    res.update(seed=seed, posts=stored.height, seconds=round(seconds, 1))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--accounts", type=int, default=2000)
    ap.add_argument("--days", type=int, default=10)
    args = ap.parse_args()
    cfg = ScanConfig()
    results = [run_seed(int(s), args.accounts, args.days, cfg) for s in args.seeds.split(",")]
    camps = sorted({c for r in results for c in r["per_campaign"]})
    head = ["seed", "posts", "precision", "recall", "F1", "ARI", *camps, "detect s"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in results:
        cells = [r["seed"], r["posts"], r["precision"], r["recall"], r["f1"], r["ari"]]
        cells += [r["per_campaign"].get(c, {}).get("recall", "") for c in camps]
        cells += [r["seconds"]]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    mean = {k: sum(r[k] for r in results) / len(results) for k in ("precision", "recall", "f1")}
    print(
        f"\nMean precision {mean['precision']:.3f}, recall {mean['recall']:.3f}, "
        f"F1 {mean['f1']:.3f}."
    )


if __name__ == "__main__":
    main()
