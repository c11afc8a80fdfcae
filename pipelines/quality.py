"""Detection quality on simulated dumps: `python pipelines/quality.py [--seeds 1,2,3,4,5]`.

For each seed, simulates a dump (default 2,000 accounts over 10 days), runs detection with the
default configuration and the default embedding model, and prints account-level precision,
recall, F1, ARI and recall per campaign as a Markdown table (for BENCHMARKS.md).

``--generator alt`` uses the independently written simulator ``pipelines/altsim.py``
(default 3,000 accounts over 14 days) instead of ``cib.simulate``: the check that detection
generalises beyond the generator its thresholds were tuned on.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

from cib.assemble import build_report
from cib.config import ScanConfig, SimulateParams
from cib.detect import detect, semantic_texts
from cib.embed import get_embedder
from cib.evaluate import evaluate
from cib.ingest import read_file
from cib.normalize import normalize_posts
from cib.schemas import STORED_POSTS
from cib.simulate import simulate_frames


def alt_frames(seed: int, accounts: int, days: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Stored posts (read by ``cib``'s own ingest) and labels from ``pipelines/altsim.py``."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, str(Path(__file__).with_name("altsim.py")), "--out", tmp]
            + ["--seed", str(seed), "--accounts", str(accounts), "--days", str(days)],
            check=True,
            capture_output=True,
        )
        read = read_file(Path(tmp) / "posts.parquet")
        labels = pl.read_csv(Path(tmp) / "labels.csv", infer_schema=False)
    if read.quarantine.height:
        raise SystemExit(f"altsim wrote rows cib rejects: {read.quarantine.head(3)}")
    return read.posts, labels


def run_seed(seed: int, accounts: int, days: int, cfg: ScanConfig, generator: str = "cib") -> dict:
    if generator == "alt":
        stored, labels = alt_frames(seed, accounts, days)
    else:
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
    ap.add_argument("--generator", choices=("cib", "alt"), default="cib")
    ap.add_argument("--accounts", type=int, default=None, help="default 2000 (cib), 3000 (alt)")
    ap.add_argument("--days", type=int, default=None, help="default 10 (cib), 14 (alt)")
    args = ap.parse_args()
    alt = args.generator == "alt"
    accounts = args.accounts or (3000 if alt else 2000)
    days = args.days or (14 if alt else 10)
    cfg = ScanConfig()
    results = [run_seed(int(s), accounts, days, cfg, args.generator) for s in args.seeds.split(",")]
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
