"""Co-media (issue 15): the ``media`` column, the readers that fill it, the ``media`` signal,
cross-platform evidence, and stores written before the column existed.

``sample_data/formats/co_media.jsonl`` (see sample_data/formats/README.md) holds two rings
and a crowd, over one week:

* ring M: 4 accounts, 2 on Telegram and 2 on Bluesky, post the same image within minutes,
  6 times (one member writes the hex hash in upper case; the last image is a CDN URL with a
  different size parameter per member);
* ring U: 4 accounts, 2 on Mastodon and 2 on Twitter, share the same link within minutes,
  6 times;
* a crowd of 30 unrelated accounts: 3 meme images, each posted by 24 of them at their own
  times, their own pictures, blog links and 4 news links shared by 12 each.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pytest

import cib
from cib.config import SIGNALS
from cib.detect.plan import base_signal
from cib.ingest import read_file
from cib.store import open_store

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "formats"
FIXTURE = SAMPLES / "co_media.jsonl"
HASH = cib.ScanConfig().override(embed={"model": "hash"})
RING_M = {"pix_tg_1", "pix_tg_2", "did:plc:pixbsky3", "did:plc:pixbsky4"}
RING_U = {"linkpush_m1", "linkpush_m2", "linkpush_t3", "linkpush_t4"}


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, cib.ScanResult]:
    tmp = tmp_path_factory.mktemp("co_media")
    without = HASH.override(detect={"signals": [s for s in SIGNALS if s != "media"]})
    return {
        "with": cib.scan(str(FIXTURE), db=tmp / "with.duckdb", config=HASH),
        "without": cib.scan(str(FIXTURE), db=tmp / "without.duckdb", config=without),
    }


def _members(net: dict[str, Any]) -> set[str]:
    return {m["account_id"] for m in net["members"]}


def _network(res: cib.ScanResult, members: set[str]) -> dict[str, Any]:
    nets = [n for n in res.report.networks if _members(n) == members]
    assert len(nets) == 1, [sorted(_members(n)) for n in res.report.networks]
    return nets[0]


def _memes() -> set[str]:
    """Media keys of the fixture that 20 or more accounts posted (the crowd's memes)."""
    posts = read_file(FIXTURE).posts.explode("media").drop_nulls("media")
    crowd = posts.group_by("media").agg(pl.col("account_id").n_unique().alias("n"))
    return set(crowd.filter(pl.col("n") >= 20)["media"].to_list())


def test_image_ring_across_platforms_is_flagged_on_media(scans: dict[str, cib.ScanResult]) -> None:
    res = scans["with"]
    net = _network(res, RING_M)
    assert net["flagged"]
    assert net["platforms"] == {"bluesky": 2, "telegram": 2}
    assert "posted the same 6 images or videos" in net["why"]
    ev = res.evidence.filter(pl.col("network_id") == net["network_id"])
    # Evidence rows name their run: the signal at the drip scale or its fast scale.
    assert {base_signal(x) for x in ev["signal"]} == {"media"}
    objects = set(ev["object_id"])
    # The upper-case hash folds onto its lower-case twin; the CDN URL loses its query.
    assert len(objects) == 6 and "https://cdn.example/img/round6.jpg" in objects
    assert all(o == o.lower() for o in objects)
    # Pairs across the two platforms carry the evidence, not only pairs on one platform.
    cross = ev.filter(
        pl.col("account_a").str.starts_with("did:") != pl.col("account_b").str.starts_with("did:")
    )
    assert cross.height >= 4 * 6
    labels = {e["label"] for e in net["evidence"]}
    assert "media https://cdn.example/img/round6.jpg" in labels


def test_meme_crowd_forms_no_flagged_network(scans: dict[str, cib.ScanResult]) -> None:
    res = scans["with"]
    det = res.report.run["detection"]["signals"]["media"]
    # Chance puts many crowd pairs on two memes within a day: they are candidates...
    assert det["candidate_pairs"] >= 20
    memes = _memes()
    assert len(memes) == 3
    flagged = [n for n in res.report.networks if n["flagged"]]
    assert {frozenset(_members(n)) for n in flagged} == {frozenset(RING_M), frozenset(RING_U)}
    # ...but none of the crowd is in a flagged network, and no meme is a flagged network's
    # evidence.
    flagged_ids = [n["network_id"] for n in flagged]
    ev = res.evidence.filter(pl.col("network_id").is_in(flagged_ids))
    assert not set(ev["object_id"]) & memes
    assert not any(a.startswith("fan_") for n in flagged for a in _members(n))


def test_link_ring_across_platforms(scans: dict[str, cib.ScanResult]) -> None:
    res = scans["with"]
    net = _network(res, RING_U)
    assert net["platforms"] == {"mastodon": 2, "twitter": 2}
    ev = res.evidence.filter(pl.col("network_id") == net["network_id"])
    assert {base_signal(x) for x in ev["signal"]} == {"url"}
    cross = ev.filter(
        pl.col("account_a").str.contains("_m") != pl.col("account_b").str.contains("_m")
    )
    assert cross.height >= 4 * 6  # 4 Mastodon-Twitter pairs, 6 links each


def test_without_the_media_signal_the_image_ring_is_not_found(
    scans: dict[str, cib.ScanResult],
) -> None:
    res = scans["without"]
    assert "media" not in res.report.run["detection"]["signals"]
    in_networks = {a for n in res.report.networks for a in _members(n)}
    assert not in_networks & RING_M
    assert _network(res, RING_U)["flagged"]


# ------------------------------------------------------------------------------ readers


def _write_lines(path: Path, records: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _media(path: Path) -> dict[str, list[str]]:
    posts = read_file(path).posts
    return dict(zip(posts["post_id"].to_list(), posts["media"].to_list(), strict=True))


def test_twitter_v2_media_from_includes_and_flattened(tmp_path: Path) -> None:
    page = {
        "data": [
            {
                "id": "1",
                "author_id": "7",
                "created_at": "2023-01-01T00:00:00.000Z",
                "text": "a",
                "attachments": {"media_keys": ["3_11", "7_12"]},
            },
            {
                "id": "2",
                "author_id": "7",
                "created_at": "2023-01-01T00:01:00.000Z",
                "text": "b",
                "attachments": {"media_keys": ["3_99"]},
            },
        ],
        "includes": {
            "media": [
                {"media_key": "3_11", "type": "photo", "url": "https://pbs.twimg.com/media/A.jpg"},
                {
                    "media_key": "7_12",
                    "type": "video",
                    "preview_image_url": "https://pbs.twimg.com/ext_tw_video_thumb/12/pu/img/B.jpg",
                },
            ]
        },
    }
    flat = {
        "id": "3",
        "author_id": "8",
        "created_at": "2023-01-01T00:02:00.000Z",
        "text": "c",
        "attachments": {
            "media_keys": ["3_11"],
            "media": [
                {"media_key": "3_11", "type": "photo", "url": "https://pbs.twimg.com/media/A.jpg"}
            ],
        },
    }
    bad = {
        "id": "4",
        "author_id": "8",
        "created_at": "2023-01-01T00:03:00.000Z",
        "attachments": "3_11",
    }
    r = read_file(_write_lines(tmp_path / "v2.jsonl", [page, flat, bad]))
    assert r.format == "twitter-v2"
    media = dict(zip(r.posts["post_id"].to_list(), r.posts["media"].to_list(), strict=True))
    assert media["1"] == [
        "https://pbs.twimg.com/media/A.jpg",
        "https://pbs.twimg.com/ext_tw_video_thumb/12/pu/img/B.jpg",
    ]
    assert media["2"] == ["3_99"]  # not in includes: the media key itself
    assert media["3"] == ["https://pbs.twimg.com/media/A.jpg"]  # same image, same key
    assert r.quarantine["line"].to_list() == [3]
    assert "attachments" in r.quarantine["reason"][0]


def test_twitter_v1_media(tmp_path: Path) -> None:
    user = {"id_str": "5", "screen_name": "u"}
    s1 = {
        "id_str": "1",
        "user": user,
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "text": "x",
        "extended_entities": {
            "media": [
                {"id_str": "11", "media_url_https": "https://pbs.twimg.com/media/A.jpg"},
                {"id_str": "12", "media_url_https": "https://pbs.twimg.com/media/C.jpg"},
            ]
        },
        "entities": {
            "media": [{"id_str": "11", "media_url_https": "https://pbs.twimg.com/media/A.jpg"}]
        },
    }
    s2 = {
        "id_str": "2",
        "user": user,
        "created_at": "Wed Oct 10 20:20:24 +0000 2018",
        "text": "y",
        "truncated": True,
        "extended_tweet": {
            "full_text": "y long",
            "extended_entities": {"media": [{"id_str": "13"}]},
        },
    }
    s3 = {
        "id_str": "3",
        "user": user,
        "created_at": "Wed Oct 10 20:21:24 +0000 2018",
        "text": "z",
        "extended_entities": {"media": {"id_str": "13"}},
    }
    r = read_file(_write_lines(tmp_path / "v1.jsonl", [s1, s2, s3]))
    assert r.format == "twitter-v1"
    assert r.posts["media"].to_list() == [
        ["https://pbs.twimg.com/media/A.jpg", "https://pbs.twimg.com/media/C.jpg"],
        ["13"],
    ]
    assert r.quarantine["line"].to_list() == [3]


def test_twarc2_csv_media(tmp_path: Path) -> None:
    media = json.dumps(
        [{"media_key": "3_11", "type": "photo", "url": "https://pbs.twimg.com/media/A.jpg"}]
    )
    rows = pl.DataFrame(
        {
            "id": ["1", "2"],
            "author_id": ["7", "8"],
            "created_at": ["2023-01-01T00:00:00.000Z", "2023-01-01T00:01:00.000Z"],
            "text": ["a", "b"],
            "author.username": ["u7", "u8"],
            "attachments.media": [media, None],
            "attachments.media_keys": ['["3_11"]', '["3_11", "16_5"]'],
        }
    )
    rows.write_csv(tmp_path / "t.csv")
    r = read_file(tmp_path / "t.csv")
    assert r.format == "twarc2-csv"
    assert r.posts["media"].to_list() == [["https://pbs.twimg.com/media/A.jpg"], ["3_11", "16_5"]]


def test_telegram_media(tmp_path: Path) -> None:
    def msg(mid: int, **kw: Any) -> dict[str, Any]:
        m = {
            "id": mid,
            "type": "message",
            "date": "2023-02-20T09:00:00",
            "date_unixtime": str(1676880000 + mid),
            "from_id": f"user{mid}",
            "text": f"m{mid}",
        }
        m.update(kw)
        return m

    photo = {"photo_file_size": 83654, "width": 1075, "height": 836}
    messages = [
        msg(1, photo="photos/photo_1@20-02-2023_09-00-01.jpg", **photo),
        msg(2, photo="(File not included. Change data exporting settings to download.)", **photo),
        msg(
            3,
            photo="photos/photo_3@20-02-2023_09-00-03.jpg",
            photo_file_size=90001,
            width=1075,
            height=836,
        ),
        msg(
            4,
            file="video_files/v.mp4",
            media_type="video_file",
            mime_type="video/mp4",
            file_size=5000000,
            duration_seconds=12,
            width=720,
            height=1280,
        ),
        msg(5, file="stickers/s.webp", media_type="sticker", file_size=20000),
        msg(6, photo="photos/photo_6.jpg"),  # an older export: no size, no key
    ]
    doc = {"name": "G", "type": "public_supergroup", "id": 9, "messages": messages}
    (tmp_path / "result.json").write_text(json.dumps(doc, indent=1))
    media = _media(tmp_path / "result.json")
    assert media["9:1"] == media["9:2"] and media["9:1"][0].startswith("tg:")  # same file
    assert media["9:3"] != media["9:1"] and len(media["9:3"]) == 1
    assert len(media["9:4"]) == 1 and media["9:4"] != media["9:1"]
    assert media["9:5"] == [] and media["9:6"] == []


def test_bluesky_media_blob_cids(tmp_path: Path) -> None:
    def event(rkey: str, embed: dict[str, Any]) -> dict[str, Any]:
        record = {
            "$type": "app.bsky.feed.post",
            "text": rkey,
            "createdAt": "2025-02-20T08:00:00Z",
            "embed": embed,
        }
        return {
            "did": "did:plc:a",
            "time_us": 1740038400000000,
            "kind": "commit",
            "commit": {
                "operation": "create",
                "collection": "app.bsky.feed.post",
                "rkey": rkey,
                "record": record,
            },
        }

    def blob(cid: str) -> dict[str, Any]:
        return {"$type": "blob", "ref": {"$link": cid}, "mimeType": "image/jpeg", "size": 1}

    images = {
        "$type": "app.bsky.embed.images",
        "images": [
            {"alt": "", "image": blob("bafkreiaaa")},
            {"alt": "", "image": blob("bafkreibbb")},
        ],
    }
    video = {
        "$type": "app.bsky.embed.recordWithMedia",
        "record": {
            "$type": "app.bsky.embed.record",
            "record": {"uri": "at://did:plc:b/app.bsky.feed.post/q"},
        },
        "media": {"$type": "app.bsky.embed.video", "video": blob("bafkreivvv")},
    }
    legacy = {
        "$type": "app.bsky.embed.images",
        "images": [{"image": {"cid": "bafkreiold", "mimeType": "image/png"}}],
    }
    bad = {"$type": "app.bsky.embed.images", "images": "bafkreiaaa"}
    path = _write_lines(
        tmp_path / "js.jsonl",
        [event("1", images), event("2", video), event("3", legacy), event("4", bad)],
    )
    r = read_file(path)
    media = dict(zip(r.posts["text"].to_list(), r.posts["media"].to_list(), strict=True))
    assert media == {"1": ["bafkreiaaa", "bafkreibbb"], "2": ["bafkreivvv"], "3": ["bafkreiold"]}
    assert (
        r.posts.filter(pl.col("text") == "2")["quote_of"][0]
        == "at://did:plc:b/app.bsky.feed.post/q"
    )
    assert r.quarantine["line"].to_list() == [4]


def test_mastodon_media_by_blurhash(tmp_path: Path) -> None:
    def status(sid: str, media: list[dict[str, Any]]) -> dict[str, Any]:
        return {
            "id": sid,
            "created_at": "2023-02-20T08:00:00.000Z",
            "content": "<p>x</p>",
            "account": {"id": f"a{sid}", "acct": f"u{sid}"},
            "media_attachments": media,
        }

    meta = {"original": {"width": 640, "height": 480}}
    statuses = [
        status(
            "1",
            [
                {
                    "id": "9",
                    "type": "image",
                    "url": "https://one.example/m/1.jpg",
                    "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH",
                    "meta": meta,
                }
            ],
        ),
        status(
            "2",
            [
                {
                    "id": "7",
                    "type": "image",
                    "url": "https://two.example/m/7.jpg",
                    "remote_url": "https://one.example/m/1.jpg",
                    "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH",
                    "meta": meta,
                }
            ],
        ),
        status("3", [{"id": "5", "type": "gifv", "url": "https://two.example/m/5.mp4"}]),
    ]
    (tmp_path / "statuses.json").write_text(json.dumps(statuses))
    media = _media(tmp_path / "statuses.json")
    key = "blurhash:UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH:640x480"
    assert media == {"1": [key], "2": [key], "3": ["https://two.example/m/5.mp4"]}


def test_reddit_image_submissions(tmp_path: Path) -> None:
    base = {"author": "a", "created_utc": 1676880000, "subreddit": "pics", "title": "t"}
    recs = [
        {**base, "id": "1", "url": "https://i.redd.it/abc123.jpg", "post_hint": "image"},
        {**base, "id": "2", "url": "https://i.imgur.com/XyZ.png"},
        {**base, "id": "3", "url": "https://news.example/story", "post_hint": "link"},
        {**base, "id": "4", "url": "https://v.redd.it/vid9", "post_hint": "hosted:video"},
    ]
    media = _media(_write_lines(tmp_path / "r.ndjson", recs))
    assert media == {
        "t3_1": ["https://i.redd.it/abc123.jpg"],
        "t3_2": ["https://i.imgur.com/XyZ.png"],
        "t3_3": [],
        "t3_4": ["https://v.redd.it/vid9"],
    }


def test_fourcat_twitter_images_and_videos(tmp_path: Path) -> None:
    pl.DataFrame(
        {
            "id": ["1", "2"],
            "thread_id": ["1", "2"],
            "author": ["a", "b"],
            "body": ["x", "y"],
            "unix_timestamp": [1676880000, 1676880060],
            "is_retweet": ["no", "no"],
            "images": ["https://pbs.twimg.com/media/A.jpg,https://pbs.twimg.com/media/C.jpg", ""],
            "videos": ["", "https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/V.jpg"],
        }
    ).write_csv(tmp_path / "4cat.csv")
    r = read_file(tmp_path / "4cat.csv")
    assert r.format == "4cat"
    assert r.posts["media"].to_list() == [
        ["https://pbs.twimg.com/media/A.jpg", "https://pbs.twimg.com/media/C.jpg"],
        ["https://pbs.twimg.com/ext_tw_video_thumb/1/pu/img/V.jpg"],
    ]


def test_canonical_media_image_hashes_alias_and_bad_types(tmp_path: Path) -> None:
    t = dt.datetime(2021, 9, 1, tzinfo=dt.UTC)
    pl.DataFrame(
        {
            "post_id": ["1", "2"],
            "account_id": ["a", "b"],
            "created_at": [t, t],
            "image_hashes": [["10408", "7148"], []],
        }
    ).write_parquet(tmp_path / "coortweet.parquet")
    r = read_file(tmp_path / "coortweet.parquet")
    assert r.posts["media"].to_list() == [["10408", "7148"], []]
    lines = [
        {"post_id": "1", "account_id": "a", "created_at": 1, "media": ["ab12", " cd34 "]},
        {"post_id": "2", "account_id": "a", "created_at": 2, "media": {"key": "ab12"}},
        {
            "post_id": "3",
            "account_id": "a",
            "created_at": 3,
            "media": "ef56 https://x.example/i.png",
        },
    ]
    r = read_file(_write_lines(tmp_path / "c.jsonl", lines))
    assert r.posts["media"].to_list() == [["ab12", "cd34"], ["ef56", "https://x.example/i.png"]]
    assert r.quarantine["line"].to_list() == [2] and "media" in r.quarantine["reason"][0]
    pl.DataFrame(
        {
            "post_id": ["1"],
            "account_id": ["a"],
            "created_at": ["2021-09-01T00:00:00Z"],
            "media": ["ab12 https://x.example/i.png"],
        }
    ).write_csv(tmp_path / "c.csv")
    assert read_file(tmp_path / "c.csv").posts["media"].to_list() == [
        ["ab12", "https://x.example/i.png"]
    ]


# ------------------------------------------------------------------------------ store


def test_store_written_before_the_media_column(tmp_path: Path) -> None:
    """A store whose posts table has no media column opens read-only (media reads empty),
    gets the column when opened for writing, and then ingests and detects on media."""
    db = tmp_path / "old.duckdb"
    with open_store(db) as store:
        res = read_file(SAMPLES / "canonical.jsonl")
        store.add_post_chunks(
            [(res.posts, res.quarantine)], path="c", sha256="x", fmt="canonical", rows_seen=6
        )
    con = duckdb.connect(str(db))
    con.execute("ALTER TABLE posts DROP COLUMN media")
    con.close()
    with open_store(db, read_only=True) as store:
        old = store.posts(["post_id", "media"])
        assert old.height == 6 and old["media"].to_list() == [[]] * 6
        assert store.report_posts(["acc_a"])["media"].to_list()[0] == []
    result = cib.scan(str(FIXTURE), db=db, config=HASH)
    assert _network(result, RING_M)["flagged"]
    with open_store(db, read_only=True) as store:
        posts = store.posts(["post_id", "media"])
        assert posts.height == 6 + 288
        assert posts["media"].list.len().sum() > 0
