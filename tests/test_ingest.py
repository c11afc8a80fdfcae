"""Readers: formats, timestamps, quarantine, paths, mapping, real data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cib.errors import ConfigError, InputError
from cib.ingest import FORMATS, expand_paths, parse_mapping, read_file
from cib.ingest.timestamps import parse_timestamps
from cib.schemas import QUARANTINE, STORED_POSTS

SAMPLES = Path(__file__).resolve().parents[1] / "sample_data" / "formats"
UTC = dt.UTC
FAST = settings(max_examples=60, deadline=None)

_DATES = st.datetimes(min_value=dt.datetime(1980, 1, 1), max_value=dt.datetime(2090, 12, 31))


def _parse_one(v: object) -> dt.datetime | None:
    return parse_timestamps(pl.Series([v]))[0]


@FAST
@given(_DATES, st.integers(-14 * 60, 14 * 60), st.booleans())
def test_iso_round_trip(d: dt.datetime, offset_min: int, use_t: bool) -> None:
    tz = dt.timezone(dt.timedelta(minutes=offset_min))
    aware = d.replace(tzinfo=tz)
    assert _parse_one(aware.isoformat(sep="T" if use_t else " ")) == aware.astimezone(UTC)
    z = d.replace(tzinfo=UTC).isoformat().replace("+00:00", "Z")
    assert _parse_one(z) == d.replace(tzinfo=UTC)
    assert _parse_one(d.isoformat()) == d.replace(tzinfo=UTC)  # naive = UTC


@FAST
@given(_DATES)
def test_epoch_and_twitter_round_trip(d: dt.datetime) -> None:
    d = d.replace(tzinfo=UTC)
    secs = d.replace(microsecond=0)
    ms = d.replace(microsecond=d.microsecond // 1000 * 1000)
    assert _parse_one(int(secs.timestamp())) == secs
    assert _parse_one(str(int(secs.timestamp()))) == secs
    epoch_ms = (ms - dt.datetime(1970, 1, 1, tzinfo=UTC)) // dt.timedelta(milliseconds=1)
    assert _parse_one(epoch_ms) == ms
    assert _parse_one(str(epoch_ms)) == ms
    assert _parse_one(secs.strftime("%a %b %d %H:%M:%S +0000 %Y")) == secs
    minute = secs.replace(second=0)
    assert _parse_one(minute.strftime("%Y-%m-%d %H:%M")) == minute


def test_unparseable_timestamps_are_null() -> None:
    out = parse_timestamps(pl.Series(["yesterday", "", None, "2016-13-45T00:00:00Z"]))
    assert out.null_count() == 4


EXPECTED = {
    "canonical.csv": ("canonical", 6, 0),
    "canonical.tsv": ("canonical", 6, 0),
    "canonical.jsonl": ("canonical", 6, 0),
    "canonical.jsonl.gz": ("canonical", 6, 0),
    "canonical.parquet": ("canonical", 6, 0),
    "twitter_io.csv": ("twitter-io", 4, 0),
    "twitter_v2.jsonl": ("twitter-v2", 6, 0),
    "twitter_v1.jsonl": ("twitter-v1", 4, 0),
    "corrupted.csv": ("canonical", 5, 6),
    "corrupted.jsonl": ("canonical", 2, 4),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sample_detection_and_counts(name: str) -> None:
    fmt, n_posts, n_bad = EXPECTED[name]
    r = read_file(SAMPLES / name)
    assert r.format == fmt
    assert r.posts.schema == STORED_POSTS
    assert r.quarantine.schema == QUARANTINE
    assert (r.posts.height, r.quarantine.height) == (n_posts, n_bad)
    assert r.rows_seen == n_posts + n_bad
    assert len(r.sha256) == 64


def test_round_trip_same_posts_from_every_container() -> None:
    frames = [
        read_file(SAMPLES / f"canonical.{ext}").posts.drop("source_file", "source_line")
        for ext in ("csv", "tsv", "jsonl", "jsonl.gz", "parquet")
    ]
    for other in frames[1:]:
        assert other.equals(frames[0])
    p = frames[0].filter(pl.col("post_id") == "p2").row(0, named=True)
    p1 = frames[0].filter(pl.col("post_id") == "p1").row(0, named=True)
    assert p["text_norm"].startswith("vote now!! the election is rigged")
    assert p1["urls_norm"] == p["urls_norm"]
    assert p["urls_norm"] == ["https://example.com/story?id=7"]
    assert p["hashtags_norm"] == ["election2024"]


def test_written_round_trip(tmp_path: Path) -> None:
    posts = read_file(SAMPLES / "canonical.parquet").posts
    base = posts.drop(
        "source_file", "source_line", "text_norm", "text_fp", "urls_norm", "hashtags_norm"
    )
    base.write_parquet(tmp_path / "x.parquet")
    base.write_ndjson(tmp_path / "x.jsonl")
    lists = ("urls", "hashtags", "mentions", "media")
    base.with_columns(pl.col(c).list.join(" ") for c in lists).write_csv(tmp_path / "x.csv")
    want = posts.drop("source_file", "source_line")
    for name in ("x.parquet", "x.jsonl", "x.csv"):
        got = read_file(tmp_path / name).posts.drop("source_file", "source_line")
        assert got.equals(want), name


def test_corrupted_csv_lines_and_reasons() -> None:
    r = read_file(SAMPLES / "corrupted.csv", max_text_bytes=200)
    q = r.quarantine
    assert q["line"].to_list() == [3, 4, 5, 8, 9, 10, 14]
    reasons = dict(zip(q["line"].to_list(), q["reason"].to_list(), strict=True))
    assert "missing post_id" in reasons[3]
    assert "missing account_id" in reasons[4]
    assert "not a recognised timestamp" in reasons[5]
    assert "7 fields but the header has 5" in reasons[8]
    assert "followers" in reasons[9]
    assert "max_text_bytes" in reasons[10]
    assert "missing created_at" in reasons[14]
    assert all(len(x) <= 500 for x in q["raw"].to_list())
    assert r.posts["source_line"].to_list() == [2, 6, 12, 13]
    assert r.posts["post_id"].to_list() == ["c1", "c5", "c9", "c1"]  # duplicates kept
    assert r.rows_seen == 11


def test_corrupted_jsonl_lines() -> None:
    r = read_file(SAMPLES / "corrupted.jsonl")
    assert r.quarantine["line"].to_list() == [2, 4, 5, 7]
    assert r.posts["source_line"].to_list() == [1, 6]
    assert r.posts.filter(pl.col("post_id") == "6")["hashtags"].to_list() == [["a", "b"]]


def test_twitter_fields() -> None:
    v2 = read_file(SAMPLES / "twitter_v2.jsonl").posts
    rt = v2.filter(pl.col("post_id") == "1002").row(0, named=True)
    assert rt["repost_of"] == "1001" and rt["account_name"] == "beta_bot"
    assert rt["platform"] == "twitter" and rt["followers"] == 2
    assert v2.filter(pl.col("post_id") == "1004")["quote_of"][0] == "1001"
    assert v2.filter(pl.col("post_id") == "1003")["reply_to"][0] == "1001"
    v1 = read_file(SAMPLES / "twitter_v1.jsonl").posts
    first = v1.row(0, named=True)
    assert first["client"] == "Twitter for Android"
    assert first["text"].startswith("To make room") and "#Emoji" in first["text"]
    assert first["urls"] == ["https://blog.twitter.com/emoji/"]
    assert v1["repost_of"].to_list()[1] == "1050118621198921728"
    io = read_file(SAMPLES / "twitter_io.csv").posts
    assert io["hashtags"].to_list()[3] == ["новости", "Россия"]
    assert io["repost_of"].to_list()[:2] == [None, "781957420563001344"]
    assert io["created_at"][0] == dt.datetime(2016, 10, 1, tzinfo=UTC)


def test_platform_override() -> None:
    r = read_file(
        SAMPLES / "custom_columns.csv",
        platform="forum",
        mapping=parse_mapping("post_id=msg_id,account_id=user,created_at=ts,text=body,urls=links"),
    )
    assert r.posts.height == 5 and set(r.posts["platform"]) == {"forum"}


def test_not_a_dump_error_message() -> None:
    with pytest.raises(InputError) as exc:
        read_file(SAMPLES / "custom_columns.csv")
    msg = str(exc.value)
    assert "'msg_id'" in msg and "'ts'" in msg
    assert "--map post_id=msg_id,account_id=user,created_at=ts" in msg


def test_parse_mapping() -> None:
    assert parse_mapping("post_id=a, account_id = b") == {"post_id": "a", "account_id": "b"}
    assert parse_mapping(None) == {} and parse_mapping("") == {}
    for bad in ("nope=a", "post_id", "post_id=", "post_id=a,post_id=b"):
        with pytest.raises(ConfigError):
            parse_mapping(bad)


def test_expand_paths(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    for name in ("b.csv", "sub/a.jsonl", "sub/z.parquet", ".hidden.csv", "notes.md"):
        (tmp_path / name).write_text("x")
    got = expand_paths([str(tmp_path)])
    assert [p.relative_to(tmp_path).as_posix() for p in got] == [
        "b.csv",
        "sub/a.jsonl",
        "sub/z.parquet",
    ]
    assert expand_paths([str(tmp_path / "**" / "*.jsonl")]) == [tmp_path / "sub" / "a.jsonl"]
    with pytest.raises(InputError, match="matches no file"):
        expand_paths([str(tmp_path / "nothing*.csv")])
    assert "auto" in FORMATS


@pytest.mark.parametrize(
    "name,rows",
    [
        ("ira_2016-10-01_to_14.parquet", 64_546),
        ("coortweet_russian_coord_tweets.parquet", 35_125),
    ],
)
def test_real_data_reads_every_row(shared_data: Path, name: str, rows: int) -> None:
    path = shared_data / name
    if not path.exists():
        pytest.skip(f"real data file {path} is absent on this machine")
    r = read_file(path)
    assert r.rows_seen == rows
    assert r.posts.height == rows and r.quarantine.height == 0
    assert r.posts["created_at"].null_count() == 0
