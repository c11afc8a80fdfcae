"""Tests of the dump simulator (cib.simulate): determinism, formats, labels, campaign styles."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from cib.config import SimulateParams
from cib.schemas import POSTS, check_schema
from cib.simulate import CAMPAIGN_KINDS, simulate, simulate_frames
from cib.simulate import _vocab as V
from cib.simulate._io import read_csv_posts

SMALL = SimulateParams(accounts=500, days=4, seed=11)
ZW = "".join(V.ZERO_WIDTH)
_FOLD = {g: k for k, gs in V.HOMOGLYPHS.items() for g in gs}


def _norm(text: str) -> str:
    text = "".join(_FOLD.get(c, c) for c in text if c not in ZW).casefold()
    return " ".join(re.sub(r"[^\w#' .,:?!]", " ", text).split())


def _canon_url(url: str) -> str:
    url = url.split("?")[0].replace("http://", "https://").replace("://www.", "://")
    url = url.removesuffix("/amp")
    return url.rstrip("/")


@pytest.fixture(scope="module")
def dump(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("sim")
    return out, simulate(out, params=SMALL)


@pytest.fixture(scope="module")
def frames(dump: tuple[Path, dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    out, _ = dump
    posts = pl.read_parquet(out / "posts.parquet")
    labels = pl.read_csv(out / "labels.csv")
    return posts, labels


def _camp(frames: tuple[pl.DataFrame, pl.DataFrame], name: str) -> pl.DataFrame:
    posts, labels = frames
    ids = labels.filter(pl.col("campaign") == name)["account_id"]
    return posts.filter(pl.col("account_id").is_in(ids.implode()))


def test_deterministic_for_a_seed() -> None:
    p = SimulateParams(accounts=150, days=2, seed=5)
    a_posts, a_labels = simulate_frames(p)
    b_posts, b_labels = simulate_frames(p)
    assert a_posts.equals(b_posts)
    assert a_labels.equals(b_labels)
    c_posts, _ = simulate_frames(SimulateParams(accounts=150, days=2, seed=6))
    assert not a_posts.equals(c_posts)


def test_summary_and_files(
    dump: tuple[Path, dict], frames: tuple[pl.DataFrame, pl.DataFrame]
) -> None:
    out, summary = dump
    posts, labels = frames
    assert set(summary["files"]) == {"posts.csv", "posts.jsonl", "posts.parquet", "labels.csv"}
    assert all((out / f).exists() for f in summary["files"])
    assert summary["n_posts"] == posts.height
    assert summary["n_accounts"] == labels.height == posts["account_id"].n_unique()
    assert set(summary["campaigns"]) == set(CAMPAIGN_KINDS)


def test_canonical_schema(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts, _ = frames
    check_schema(posts, POSTS, stage="test")
    assert posts.columns == list(POSTS)
    assert posts["post_id"].is_unique().all()
    assert (posts["platform"] == "sim").all()
    assert posts["created_at"].is_sorted()
    # In-dump references point at posts that exist and came earlier.
    ids = posts.select("post_id", pl.col("created_at").alias("parent_t"))
    for col in ("repost_of", "reply_to", "quote_of"):
        refs = posts.filter(pl.col(col).is_not_null()).join(ids, left_on=col, right_on="post_id")
        assert refs.height > 0
        assert (refs["created_at"] > refs["parent_t"]).all()
    tags = posts["hashtags"].explode().drop_nulls()
    assert tags.str.starts_with("#").all()


def test_three_formats_hold_the_same_rows(
    dump: tuple[Path, dict], frames: tuple[pl.DataFrame, pl.DataFrame]
) -> None:
    out, _ = dump
    posts, _ = frames
    from_csv = read_csv_posts(out / "posts.csv")
    raw_json = pl.read_ndjson(out / "posts.jsonl", infer_schema_length=None)
    from_json = raw_json.with_columns(
        pl.col(c).str.to_datetime("%Y-%m-%dT%H:%M:%SZ", time_zone="UTC", time_unit="us")
        for c in ("created_at", "account_created_at")
    ).select(pl.col(c).cast(t) for c, t in POSTS.items())
    assert from_json.equals(posts)
    assert from_csv.equals(posts)
    head = (out / "posts.csv").read_text(encoding="utf-8").splitlines()[1]
    assert re.search(r",\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ,", head)


def test_labels_cover_every_account(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts, labels = frames
    assert labels.columns == ["account_id", "campaign"]
    assert labels["account_id"].is_unique().all()
    assert set(labels["account_id"]) == set(posts["account_id"])
    camps = set(labels["campaign"])
    assert camps == {"organic", *CAMPAIGN_KINDS}
    share = (labels["campaign"] == "organic").mean()
    assert 0.8 < share < 0.97
    # Ids reveal nothing: no campaign word in any account id.
    assert not labels["account_id"].str.contains("copypaste|paraphrase|farm|swarm|drip").any()


def test_copypaste_copies_are_mutated(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts = _camp(frames, "copypaste_evasion")
    tricky = posts.filter(
        pl.col("text").map_elements(
            lambda t: any(c in ZW or c in _FOLD for c in t), return_dtype=pl.Boolean
        )
    )
    assert tricky.height >= 20
    groups = (
        tricky.with_columns(
            pl.col("text").map_elements(_norm, return_dtype=pl.String).alias("norm")
        )
        .group_by("norm")
        .agg(
            pl.col("account_id").n_unique().alias("acc"),
            pl.col("text").n_unique().alias("raw"),
            (pl.col("created_at").max() - pl.col("created_at").min()).alias("span"),
        )
    )
    big = groups.filter(pl.col("acc") >= 3)
    assert big.height >= 3
    assert (big["raw"] >= 2).all()
    assert (big["span"] <= timedelta(minutes=25)).all()
    organic = _camp(frames, "organic")
    assert not organic["text"].str.contains(f"[{ZW}]").any()


def test_paraphrase_rewrites_talking_points(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts = _camp(frames, "paraphrase")
    subj = "|".join(re.escape(s) for s in V.TP_SUBJ)
    tp = posts.filter(pl.col("text").str.to_lowercase().str.contains(subj))
    assert tp.height >= 15
    assert tp["text"].n_unique() / tp.height > 0.9
    assert not tp["text"].str.contains(f"[{ZW}]").any()


def test_repost_farm_batch_created_and_fast(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts = _camp(frames, "repost_farm")
    created = posts["account_created_at"]
    assert created.max() - created.min() <= timedelta(days=7)  # type: ignore[operator]
    rp = posts.filter(pl.col("repost_of").is_not_null())
    per = rp.group_by("repost_of").agg(
        pl.len(), (pl.col("created_at").max() - pl.col("created_at").min()).alias("span")
    )
    busy = per.filter(pl.col("len") >= 3)
    assert busy.height >= 5
    assert (busy["span"].dt.total_seconds() < 300).mean() > 0.8
    assert posts["client"].is_in(["AutoPoster Pro", "PostPilot Scheduler"]).mean() > 0.3


def test_hashtag_push_runs_round_the_clock(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts = _camp(frames, "hashtag_push")
    sets = posts.filter(pl.col("hashtags").list.len() >= 2)
    assert sets.height > 50
    hours = sets["created_at"].dt.hour()
    assert hours.n_unique() == 24
    top = sets["hashtags"].explode().value_counts().sort("count", descending=True)
    assert top["count"][1] / sets.height > 0.9  # the pushed set is in nearly every post
    start = datetime(2024, 3, 4, tzinfo=UTC)
    oldest = posts["account_created_at"].min()
    assert start - oldest <= timedelta(days=60)  # type: ignore[operator]


def test_slow_drip_spreads_url_variants_over_hours(
    frames: tuple[pl.DataFrame, pl.DataFrame],
) -> None:
    posts = _camp(frames, "slow_drip_links").filter(pl.col("urls").list.len() > 0)
    ex = posts.select("account_id", "created_at", pl.col("urls").list.first().alias("url"))
    ex = ex.with_columns(
        pl.col("url").map_elements(_canon_url, return_dtype=pl.String).alias("canon")
    )
    per = ex.group_by("canon").agg(
        pl.col("account_id").n_unique().alias("acc"),
        pl.col("url").n_unique().alias("raw"),
        (pl.col("created_at").max() - pl.col("created_at").min()).dt.total_hours().alias("h"),
    )
    shared = per.filter(pl.col("acc") >= 3)
    assert shared.height >= 5
    assert (shared["raw"] >= 2).mean() > 0.8
    assert shared["h"].max() >= 2
    assert shared["h"].max() <= 7


def test_foreign_locals_keep_moscow_office_hours(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts = _camp(frames, "foreign_locals")
    assert posts.height > 20
    msk = posts["created_at"].dt.convert_time_zone("Europe/Moscow")
    assert msk.dt.hour().is_between(9, 18).all()
    assert (msk.dt.weekday() <= 5).all()
    locs = set(posts["account_location"].drop_nulls())
    assert locs <= set(V.US_PLACES)
    # Organic accounts claiming the same places mostly do not work Moscow hours.
    org = _camp(frames, "organic").filter(pl.col("account_location").is_in(list(V.US_PLACES)))
    org_h = org["created_at"].dt.convert_time_zone("Europe/Moscow").dt.hour()
    assert (~org_h.is_between(9, 17)).mean() > 0.4


def test_reply_swarm_piles_on_targets(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts, labels = frames
    swarm = _camp(frames, "reply_swarm")
    n = labels.filter(pl.col("campaign") == "reply_swarm").height
    assert 4 <= n <= 15
    replies = swarm.filter(pl.col("reply_to").is_not_null())
    piles = replies.group_by("reply_to").agg(
        pl.len(), (pl.col("created_at").max() - pl.col("created_at").min()).alias("span")
    )
    piles = piles.filter(pl.col("len") >= 3)
    assert piles.height >= 3
    assert (piles["span"].dt.total_minutes() <= 20).mean() > 0.8
    parents = posts.filter(pl.col("post_id").is_in(piles["reply_to"].implode()))
    assert parents["account_id"].n_unique() <= 4


def test_organic_hard_negatives(frames: tuple[pl.DataFrame, pl.DataFrame]) -> None:
    posts = _camp(frames, "organic")
    # Identical breaking-news share text posted by many unrelated accounts.
    same = (
        posts.filter(pl.col("text").str.starts_with("BREAKING: "))
        .group_by("text")
        .agg(pl.col("account_id").n_unique().alias("acc"))
    )
    assert same["acc"].max() >= 10
    # Celebrity fans repost within minutes.
    rp = posts.filter(pl.col("repost_of").is_not_null()).group_by("repost_of").len()
    assert rp["len"].max() >= 10
    # Several human clients and a heavy-tailed activity distribution.
    assert posts["client"].n_unique() >= 5
    per = posts.group_by("account_id").len()["len"]
    assert per.max() > 10 * per.median()
    assert posts["account_location"].n_unique() > 20


def test_small_dump_is_fast() -> None:
    t0 = time.perf_counter()
    posts, labels = simulate_frames(SimulateParams(accounts=200, days=2, seed=1))
    assert time.perf_counter() - t0 < 5
    assert 500 < posts.height < 10_000
    assert set(labels["campaign"]) >= {"organic", *CAMPAIGN_KINDS}


def test_default_size_post_count() -> None:
    posts, labels = simulate_frames(SimulateParams(accounts=2000, days=10, seed=2))
    assert 50_000 <= posts.height <= 150_000
    ops = labels.filter(pl.col("campaign") != "organic").height / labels.height
    assert 0.04 <= ops <= 0.1


def test_formats_option(tmp_path: Path) -> None:
    s = simulate(tmp_path, params=SimulateParams(accounts=100, days=1, seed=3), formats=("csv",))
    assert s["files"] == ["posts.csv", "labels.csv"]
    assert not (tmp_path / "posts.parquet").exists()
    with pytest.raises(ValueError, match="unknown format"):
        simulate(tmp_path, params=SimulateParams(accounts=100, days=1, seed=3), formats=("xml",))
