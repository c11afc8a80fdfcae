"""Real positives among organic hard negatives: the IRA fortnight inside a simulated crowd.

Usage::

    python pipelines/ira_mix.py [--background congress,ind,alt,cib] [--seed 1] [--ira PATH]
                                [--slice all|week1|week2|half]

The IRA fortnight (``../shared/data/ira_2016-10-01_to_14.parquet``, real troll accounts,
no organic background) has no negatives, so precision cannot be measured on it alone. Here
each background generator's *organic* accounts (celebrity fans, share-button crowds, news
bursts, trending hashtags, newsrooms; every planted operation is removed) are shifted by
whole days onto the fortnight's first day (each post keeps its hour of day) and mixed
in; one default scan of the mix gives recall per IRA category (does the background change
what is found?) and the organic accounts flagged (precision against hard negatives nobody
here chose). Nothing is tuned on it.

``--slice`` scans less of the fortnight, as a held-out dump may hold less of an operation:
one week (``week1``, ``week2``) or half of the posts drawn at random (``half``: every
account, half its activity); ``--background none`` scans the slice alone. Recall counts the
IRA accounts with a post in the slice.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import polars as pl

sys.path.insert(0, str(Path(__file__).resolve().parent))

from quality import DEFAULT_SIZE, stored_frames  # noqa: E402

from cib.assemble import build_report  # noqa: E402
from cib.config import ScanConfig  # noqa: E402
from cib.detect import detect, semantic_texts  # noqa: E402
from cib.embed import get_embedder  # noqa: E402
from cib.evaluate import ORGANIC  # noqa: E402
from cib.ingest import read_file  # noqa: E402
from cib.schemas import STORED_POSTS  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def ira_frames(path: Path) -> tuple[pl.DataFrame, dict[str, str]]:
    read = read_file(str(path))
    labels = pl.read_csv(str(path).replace(".parquet", "_accounts.csv"), infer_schema=False)
    cats = dict(labels.select("account_id", "account_category").iter_rows())
    return read.posts.select(list(STORED_POSTS)), cats


def organic_background(generator: str, seed: int, start: object) -> pl.DataFrame:
    accounts, days = DEFAULT_SIZE[generator]
    stored, labels = stored_frames(generator, seed, accounts, days)
    camp = labels.with_columns(pl.col("campaign").fill_null("organic").str.to_lowercase())
    planted = camp.filter(~pl.col("campaign").is_in(list(ORGANIC)))["account_id"]
    bg = stored.filter(~pl.col("account_id").is_in(planted.implode()))
    # Account ids of the two sources cannot collide: the background's get a prefix.
    return shift_to_day(bg, start).with_columns(("bg_" + pl.col("account_id")).alias("account_id"))


def shift_to_day(posts: pl.DataFrame, start: object) -> pl.DataFrame:
    """``posts`` moved so that their first day is ``start``'s, by whole days: each post keeps
    its hour of day (a shift by hours would put a legislature's office hours in the night
    of its claimed locations: a circadian mismatch it does not have)."""
    first = posts["created_at"].min()
    shift = timedelta(days=(start.date() - first.date()).days)  # type: ignore[attr-defined]
    return posts.with_columns(pl.col("created_at") + shift)


SLICES = ("all", "week1", "week2", "half")


def ira_slice(ira: pl.DataFrame, which: str) -> pl.DataFrame:
    """The part of the fortnight a ``--slice`` scans (see the module docstring)."""
    if which == "half":
        return ira.sample(fraction=0.5, seed=7).sort("created_at")
    if which in ("week1", "week2"):
        start = ira["created_at"].min() + timedelta(days=7 * (which == "week2"))  # type: ignore[operator]
        return ira.filter(
            pl.col("created_at").is_between(start, start + timedelta(days=7), closed="left")
        )
    return ira


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--background", default="congress,ind,alt,cib")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ira", default=str(DATA / "ira_2016-10-01_to_14.parquet"))
    ap.add_argument("--slice", choices=SLICES, default="all")
    args = ap.parse_args()
    cfg = ScanConfig()
    ira, cats = ira_frames(Path(args.ira))
    ira = ira_slice(ira, args.slice)
    present = set(ira["account_id"].unique().to_list())
    cats = {a: c for a, c in cats.items() if a in present}
    embedder = get_embedder(cfg.embed.model)
    per_cat = Counter(cats.values())
    head = " | ".join(sorted(per_cat))
    print(f"| background ({args.slice}) | organic accounts | {head} | all | organic flagged |")
    print("|---|---:|" + "---:|" * (len(per_cat) + 2))
    for gen in [g.strip() for g in args.background.split(",") if g.strip()]:
        if gen == "none":
            bg = ira.clear()
        else:
            bg = organic_background(gen, args.seed, ira["created_at"].min())
        mix = pl.concat([ira, bg.select(ira.columns).cast(ira.schema)])
        texts = semantic_texts(mix, cfg.detect)
        vectors = embedder.encode(texts["text_norm"].to_list())
        det = detect(mix, params=cfg.detect, network=cfg.network, vectors=vectors, texts=texts)
        rep = build_report(mix, det, config=cfg, run={})
        flagged = {m["account_id"] for n in rep.networks if n["flagged"] for m in n["members"]}
        rec = {
            c: sum(1 for a, x in cats.items() if x == c and a in flagged) / k
            for c, k in per_cat.items()
        }
        fp = sum(1 for a in flagged if a.startswith("bg_"))
        n_bg = bg["account_id"].n_unique()
        row = " | ".join(f"{rec[c]:.2f}" for c in sorted(per_cat))
        row += f" | {sum(1 for a in cats if a in flagged) / max(len(cats), 1):.2f}"
        print(f"| {gen} seed {args.seed} | {n_bg:,} | {row} | {fp} |", flush=True)


if __name__ == "__main__":
    main()
