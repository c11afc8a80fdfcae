"""Property-based fuzzing of every reader: good records kept, bad ones quarantined, no crash.

Each format has a spec: a good record built around an arbitrary (often hostile) text,
ways to break a record so that it cannot become a post (a field of the wrong type, a
required field missing, a timestamp that is not one, a truncated or unparseable record,
nesting thousands of levels deep, a lone UTF-16 surrogate), and for some formats a
record that is not a post at all (a like, a service message), which is skipped. A file
mixing them is written in the format's container (CSV, JSON lines, a JSON array, a
Telegram export) and read; the property is exact: every good record comes out as a post
on its line, every bad record is quarantined on its line, nothing else appears.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cib.errors import CibError
from cib.ingest import read_file

FUZZ = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
T0 = 1_676_880_000  # 2023-02-20T08:00:00Z
DEEP = "[" * 3000 + "]" * 3000
#: Values of the wrong type, by what the field should hold.
WRONG: dict[str, tuple[Any, ...]] = {
    "scalar": ({"an": "object"}, ["an", "array"], True),
    "object": ("a string", ["an", "array"], 5, True),
    "list": ({"an": "object"}, True),
    "objects": ("a string", 5, True, {"an": "object"}, ["an", "array"]),  # a list of objects
    "parts": (5, True, {"an": "object"}),  # Telegram text: a string or a list of parts
}

Rec = dict[str, Any]

#: Texts real dumps carry and parsers trip on (all must be kept as they are).
HOSTILE = [
    "<script>alert(1)</script><img src=x onerror=alert(1)>",
    "'; DROP TABLE posts; --",
    '=HYPERLINK("http://evil.example","click")',
    "\u202egnp.exe \u200b\u200d\ufeff zero-width",
    "emoji 👍🏽🇺🇦 and 𝕏 outside the BMP",
    'a,b;c|d\te "quoted" \\ back\\slash',
    "line one\nline two\n\nline four",
    "#tag @user https://x.example/a?b=1&utm_source=z",
    "{not json} [nor this]",
    "",
    "   ",
]
_TEXT_JSON = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=30),
)
_TEXT_CSV = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=30),
)


def put(rec: Rec, path: str, value: Any) -> Rec:
    """A deep copy of ``rec`` with ``path`` (dotted; a key may hold dots) set to ``value``."""
    out = copy.deepcopy(rec)
    if path in out or "." not in path:
        out[path] = value
        return out
    d = out
    keys = path.split(".")
    for k in keys[:-1]:
        d = d.setdefault(k, {})
    d[keys[-1]] = value
    return out


def drop(rec: Rec, path: str) -> Rec:
    out = copy.deepcopy(rec)
    if path in out:
        del out[path]
        return out
    d = out
    keys = path.split(".")
    for k in keys[:-1]:
        d = d[k]
    del d[keys[-1]]
    return out


@dataclass(frozen=True)
class Spec:
    """How to make good, bad and skipped records of one format."""

    fmt: str
    container: str  # jsonl | csv | array | telegram
    good: Callable[[int, str], Rec]
    typed: tuple[str, ...]  # "path:kind" fields whose wrong type makes the record bad
    required: tuple[str, ...]  # fields whose absence makes the record bad
    time: str  # the timestamp field
    skip: Callable[[int], Rec] | None = None
    columns: tuple[str, ...] = ()
    extra_bad: tuple[Callable[[Rec], Rec], ...] = field(default_factory=tuple)


# ------------------------------------------------------------------- good records


def _canonical(i: int, t: str) -> Rec:
    return {
        "post_id": f"p{i}",
        "account_id": f"a{i % 3}",
        "created_at": T0 + i,
        "text": t,
        "hashtags": ["x", "y"],
        "followers": 5,
    }


def _canonical_csv(i: int, t: str) -> Rec:
    return {
        "post_id": f"p{i}",
        "account_id": f"a{i % 3}",
        "created_at": str(T0 + i),
        "text": t,
        "hashtags": "x y",
        "followers": "5",
    }


def _io(i: int, t: str) -> Rec:
    return {
        "tweetid": str(1000 + i),
        "userid": f"u{i % 3}",
        "tweet_time": "2016-10-01 00:00",
        "tweet_text": t,
        "follower_count": "12",
        "hashtags": "['a', 'b']",
    }


def _v2(i: int, t: str) -> Rec:
    return {
        "id": str(1000 + i),
        "author_id": f"{i % 3}",
        "created_at": "2023-01-10T09:00:00.000Z",
        "text": t,
        "referenced_tweets": [{"type": "retweeted", "id": "1"}],
        "entities": {"hashtags": [{"tag": "a"}], "urls": [{"expanded_url": "https://a.example"}]},
    }


def _v1(i: int, t: str) -> Rec:
    return {
        "id_str": str(1000 + i),
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "text": t,
        "user": {"id_str": f"{i % 3}", "screen_name": "u"},
        "entities": {"hashtags": [{"text": "a"}], "urls": [], "user_mentions": []},
    }


def _twarc(i: int, t: str) -> Rec:
    return {
        "id": str(1000 + i),
        "author_id": f"{i % 3}",
        "created_at": "2023-02-20T07:00:00.000Z",
        "text": t,
        "referenced_tweets.retweeted.id": "1",
        "entities.hashtags": '["#a"]',
        "entities.urls": '["https://a.example"]',
        "author.username": "u",
        "author.public_metrics.followers_count": "7",
        "source": "Web",
    }


def _telegram(i: int, t: str) -> Rec:
    return {
        "id": i,
        "type": "message",
        "date": "2023-02-20T09:00:00",
        "date_unixtime": str(T0 + i),
        "from": "F",
        "from_id": f"user{i % 3}",
        "text": [t, {"type": "link", "text": "https://a.example"}],
        "reply_to_message_id": 1,
        "forwarded_from": "Src",
    }


def _telegram_skip(i: int) -> Rec:
    return {
        "id": i,
        "type": "service",
        "date": "2023-02-20T09:00:00",
        "actor": "A",
        "actor_id": "user1",
        "action": "pin_message",
        "text": "",
    }


def _bluesky(i: int, t: str) -> Rec:
    record = {
        "$type": "app.bsky.feed.post",
        "text": t,
        "createdAt": "2025-01-01T00:00:00Z",
        "langs": ["en"],
        "facets": [{"features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "x"}]}],
        "reply": {"parent": {"uri": "at://did:plc:z/app.bsky.feed.post/1"}},
    }
    return {
        "did": f"did:plc:{i % 3}",
        "time_us": (T0 + i) * 1_000_000,
        "kind": "commit",
        "commit": {
            "operation": "create",
            "collection": "app.bsky.feed.post",
            "rkey": f"r{i}",
            "record": record,
        },
    }


def _bluesky_skip(i: int) -> Rec:
    return {
        "did": "did:plc:1",
        "time_us": T0 * 1_000_000,
        "kind": "commit",
        "commit": {
            "operation": "create",
            "collection": "app.bsky.feed.like",
            "rkey": f"l{i}",
            "record": {"subject": {"uri": "at://x"}},
        },
    }


def _reddit(i: int, t: str) -> Rec:
    return {
        "id": f"c{i}",
        "author": f"user{i % 3}",
        "created_utc": T0 + i,
        "body": t,
        "link_id": "t3_z",
        "parent_id": "t3_z",
        "subreddit": "x",
    }


def _mastodon(i: int, t: str) -> Rec:
    from html import escape

    return {
        "id": str(100 + i),
        "created_at": "2023-02-20T08:00:00.000Z",
        "content": f"<p>{escape(t)}</p>",
        "account": {"id": f"{i % 3}", "acct": "u", "followers_count": 3},
        "tags": [{"name": "x"}],
        "mentions": [],
        "application": {"name": "Web"},
        "reblog": None,
        "card": None,
    }


def _fourcat(i: int, t: str) -> Rec:
    return {
        "id": f"m{i}",
        "thread_id": "t",
        "author": f"a{i % 3}",
        "body": t,
        "timestamp": "2023-02-20 09:00:00",
        "unix_timestamp": T0 + i,
        "hashtags": "a,b",
    }


def _fourcat_csv(i: int, t: str) -> Rec:
    return {k: str(v) for k, v in _fourcat(i, t).items()} | {"author_followers": "9"}


def _crowdtangle(i: int, t: str) -> Rec:
    return {
        "Page Name": "P",
        "User Name": f"page{i % 3}",
        "Facebook Id": str(10 + i % 3),
        "Post Created": "2023-02-20 03:00:05 EST",
        "URL": f"https://www.facebook.com/p/posts/{i}",
        "Message": t,
        "Link": "https://a.example",
        "Followers at Posting": "1,530",
    }


def _mcl(i: int, t: str) -> Rec:
    return {
        "id": str(i),
        "creation_time": "2024-03-01T08:00:00+0000",
        "text": t,
        "post_owner": {"id": f"{i % 3}", "name": "N"},
        "link_attachment": {"link": "https://a.example"},
    }


SPECS = [
    Spec(
        "canonical",
        "jsonl",
        _canonical,
        ("post_id:scalar", "account_id:scalar", "text:scalar", "hashtags:list"),
        ("post_id", "account_id", "created_at"),
        "created_at",
    ),
    Spec(
        "canonical",
        "csv",
        _canonical_csv,
        ("followers",),
        ("post_id", "account_id"),
        "created_at",
        columns=("post_id", "account_id", "created_at", "text", "hashtags", "followers"),
    ),
    Spec(
        "twitter-io",
        "csv",
        _io,
        ("follower_count",),
        ("tweetid", "userid"),
        "tweet_time",
        columns=("tweetid", "userid", "tweet_time", "tweet_text", "follower_count", "hashtags"),
    ),
    Spec(
        "twitter-v2",
        "jsonl",
        _v2,
        (
            "id:scalar",
            "author_id:scalar",
            "text:scalar",
            "entities.hashtags:list",
            "referenced_tweets:objects",
            "entities:object",
        ),
        ("id", "author_id", "created_at"),
        "created_at",
    ),
    Spec(
        "twitter-v1",
        "jsonl",
        _v1,
        (
            "id_str:scalar",
            "text:scalar",
            "user:object",
            "entities.hashtags:list",
            "entities:object",
        ),
        ("id_str", "created_at"),
        "created_at",
    ),
    Spec(
        "twarc2-csv",
        "csv",
        _twarc,
        ("author.public_metrics.followers_count",),
        ("id", "author_id"),
        "created_at",
        columns=(
            "id",
            "author_id",
            "created_at",
            "text",
            "referenced_tweets.retweeted.id",
            "entities.hashtags",
            "entities.urls",
            "author.username",
            "author.public_metrics.followers_count",
            "source",
        ),
    ),
    Spec(
        "telegram",
        "telegram",
        _telegram,
        ("from_id:scalar", "text:parts", "id:scalar"),
        ("from_id",),
        "date_unixtime",
        skip=_telegram_skip,
    ),
    Spec(
        "mastodon",
        "array",
        _mastodon,
        ("id:scalar", "content:scalar", "account:object", "tags:list", "account.id:scalar"),
        ("id", "created_at"),
        "created_at",
    ),
    Spec(
        "mastodon",
        "jsonl",
        _mastodon,
        ("id:scalar", "content:scalar", "application:object"),
        ("account",),
        "created_at",
    ),
    Spec(
        "bluesky",
        "jsonl",
        _bluesky,
        (
            "did:scalar",
            "commit.record:object",
            "commit.record.text:scalar",
            "commit.record.facets:list",
            "commit.record.reply:object",
        ),
        ("did", "commit.rkey"),
        "time_us",
        skip=_bluesky_skip,
    ),
    Spec(
        "reddit",
        "jsonl",
        _reddit,
        ("author:scalar", "created_utc:scalar", "body:scalar", "parent_id:scalar"),
        ("author", "created_utc"),
        "created_utc",
        extra_bad=(lambda r: put(r, "author", "[deleted]"),),
    ),
    Spec(
        "4cat",
        "jsonl",
        _fourcat,
        ("id:scalar", "author:scalar", "body:scalar", "hashtags:list"),
        ("id", "author"),
        "unix_timestamp",
        extra_bad=(lambda r: put(put(r, "unix_timestamp", None), "timestamp", "x"),),
    ),
    Spec(
        "4cat",
        "csv",
        _fourcat_csv,
        ("author_followers",),
        ("id", "author"),
        "unix_timestamp",
        columns=(
            "id",
            "thread_id",
            "author",
            "body",
            "timestamp",
            "unix_timestamp",
            "hashtags",
            "author_followers",
        ),
    ),
    Spec(
        "meta",
        "csv",
        _crowdtangle,
        ("Followers at Posting",),
        ("URL", "Facebook Id", "User Name"),
        "Post Created",
        columns=(
            "Page Name",
            "User Name",
            "Facebook Id",
            "Post Created",
            "URL",
            "Message",
            "Link",
            "Followers at Posting",
        ),
    ),
    Spec(
        "meta",
        "jsonl",
        _mcl,
        ("id:scalar", "text:scalar", "post_owner.id:scalar"),
        ("id", "post_owner"),
        "creation_time",
    ),
]


# ------------------------------------------------------------------- bad records


def _drop_all(rec: Rec, spec: Spec) -> Rec:
    for path in spec.required:
        rec = drop(rec, path)
    return rec


@st.composite
def bad_record(draw: st.DrawFn, spec: Spec, rec: Rec) -> tuple[str, Rec | str]:
    """A broken version of ``rec``: ``(kind, record or raw text)``."""
    kinds = ["wrong_type", "missing", "bad_time"] + (["extra_bad"] if spec.extra_bad else [])
    if spec.container == "csv":
        kinds += ["extra_fields", "truncated"]
    else:
        kinds += ["truncated", "deep", "surrogate", "not_an_object"]
    kind = draw(st.sampled_from(kinds))
    if kind == "wrong_type":
        path, _, what = draw(st.sampled_from(spec.typed)).partition(":")
        value = draw(st.sampled_from(WRONG[what])) if spec.container != "csv" else "lots"
        return kind, put(rec, path, value)
    if kind == "missing":
        return kind, _drop_all(rec, spec)
    if kind == "bad_time":
        return kind, put(rec, spec.time, "yesterday at noon")
    if kind == "extra_bad":
        return kind, draw(st.sampled_from(spec.extra_bad))(rec)
    if kind == "surrogate":
        return kind, put(rec, "surrogate_text", "half \ud800 pair")
    if kind == "not_an_object":
        return kind, draw(st.sampled_from(['"a string"', "42", "null", '["a", "list"]']))
    if kind == "deep":
        return kind, json.dumps(rec)[:-1] + f', "deep": {DEEP}}}'
    if kind == "truncated" and spec.container == "csv":
        return kind, "TRUNCATED"
    if kind == "truncated":
        raw = json.dumps(rec)
        if spec.container in ("array", "telegram"):  # keeps the document's brackets whole
            return kind, raw[:-1] + ', "x": }'
        return kind, raw[: draw(st.integers(1, len(raw) - 1))]
    return kind, "EXTRA"


@st.composite
def dumps(draw: st.DrawFn, spec: Spec) -> list[tuple[str, Rec | str]]:
    """A sequence of ``(kind, record)``: kind ``good``, ``skip`` or a bad kind."""
    text = _TEXT_CSV if spec.container == "csv" else _TEXT_JSON
    out = []
    for i in range(draw(st.integers(1, 8))):
        rec = spec.good(i + 2, draw(text))
        choice = draw(st.sampled_from(["good", "good", "bad"] + (["skip"] if spec.skip else [])))
        if choice == "good":
            out.append(("good", rec))
        elif choice == "skip":
            assert spec.skip is not None
            out.append(("skip", spec.skip(i + 2)))
        else:
            out.append(draw(bad_record(spec, rec)))
    return out


# ------------------------------------------------------------------- containers


def _json_text(rec: Rec | str, indent: int | None) -> str:
    if isinstance(rec, str):
        return rec
    return json.dumps(rec, indent=indent)  # ensure_ascii: a lone surrogate becomes \ud800


def write(
    spec: Spec, items: list[tuple[str, Rec | str]], indent: int | None
) -> tuple[str, list[int]]:
    """File text and the physical line where each item starts."""
    lines: list[int] = []
    if spec.container == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(spec.columns)
        for _, rec in items:
            lines.append(buf.getvalue().count("\n") + 1)
            if rec == "TRUNCATED":
                row = [spec.good(0, "t")[spec.columns[0]]]
            elif rec == "EXTRA":
                row = [spec.good(0, "t").get(c, "") for c in spec.columns] + ["x", "y"]
            else:
                assert isinstance(rec, dict)
                row = [rec.get(c, "") for c in spec.columns]
            w.writerow(row)
        return buf.getvalue(), lines
    if spec.container == "jsonl":
        text = ""
        for _, rec in items:
            lines.append(text.count("\n") + 1)
            text += _json_text(rec, None) + "\n"
        return text, lines
    head = '{\n "name": "C",\n "type": "public_channel",\n "id": 42,\n "messages": [\n'
    text = head if spec.container == "telegram" else "[\n"
    for k, (_, rec) in enumerate(items):
        lines.append(text.count("\n") + 1)
        text += _json_text(rec, indent) + (",\n" if k < len(items) - 1 else "\n")
    return text + ("]\n}\n" if spec.container == "telegram" else "]\n"), lines


_SUFFIX = {"csv": ".csv", "jsonl": ".jsonl", "array": ".json", "telegram": ".json"}


def _check(spec: Spec, items: list[tuple[str, Rec | str]], indent: int | None) -> None:
    text, lines = write(spec, items, indent)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"dump{_SUFFIX[spec.container]}"
        path.write_text(text, encoding="utf-8")
        has_good = any(kind == "good" for kind, _ in items)
        try:
            r = read_file(path)
        except CibError:
            # only a file with no good record may fail to be recognised as its format
            assert not has_good, "a file with good records was not read"
            return
    good = [ln for (kind, _), ln in zip(items, lines, strict=True) if kind == "good"]
    bad = [ln for (kind, _), ln in zip(items, lines, strict=True) if kind not in ("good", "skip")]
    if has_good:
        assert r.format == spec.fmt
    got_good = r.posts["source_line"].to_list()
    got_bad = r.quarantine["line"].to_list()
    reasons = dict(zip(got_bad, r.quarantine["reason"].to_list(), strict=True))
    assert got_good == good, f"kept {got_good}, expected {good}; quarantined: {reasons}"
    assert got_bad == bad, f"quarantined {reasons}, expected lines {bad}"
    assert r.rows_seen == len(good) + len(bad)
    assert all(reasons.values()), "every quarantined row says why"


def _spec_id(spec: Spec) -> str:
    return f"{spec.fmt}-{spec.container}"


@pytest.mark.slow  # every format fuzzed for seconds each; the crash fuzzers below stay fast
@pytest.mark.parametrize("spec", SPECS, ids=_spec_id)
@FUZZ
@given(data=st.data())
def test_every_good_record_kept_every_bad_one_quarantined(spec: Spec, data: st.DataObject) -> None:
    items = data.draw(dumps(spec))
    indent = data.draw(st.sampled_from([None, 1, 2]))
    _check(spec, items, indent)


@FUZZ
@given(
    data=st.binary(max_size=400),
    suffix=st.sampled_from([".csv", ".jsonl", ".json", ".tsv"]),
)
def test_arbitrary_bytes_never_crash(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / f"x{suffix}"
        path.write_bytes(data)
        try:
            r = read_file(path)
        except CibError:
            return  # a typed error that names the fix, not a crash
    assert r.rows_seen == r.posts.height + r.quarantine.height


_TEMPLATES = [
    b'{"name": "C", "type": "public_channel", "id": 1, "messages": [{"id": 1, "type": '
    b'"message", "date_unixtime": "1676880000", "from_id": "user1", "text": ["a", '
    b'{"type": "link", "text": "u"}]}]}',
    b'[{"id": "1", "created_at": "2023-01-01T00:00:00Z", "account": {"id": "a"}, '
    b'"content": "<p>x</p>"}]',
    b'{"did": "did:plc:a", "time_us": 1676880000000000, "kind": "commit", "commit": {"operation": '
    b'"create", "collection": "app.bsky.feed.post", "rkey": "1", "record": {"text": "x"}}}',
]


@FUZZ
@given(
    template=st.sampled_from(_TEMPLATES),
    cut=st.integers(0, 200),
    junk=st.binary(max_size=8),
    where=st.integers(0, 200),
)
def test_mangled_documents_never_crash(template: bytes, cut: int, junk: bytes, where: int) -> None:
    """Truncated or spliced exports: read what can be read, or a typed error; never a crash."""
    data = template[: max(1, len(template) - cut)]
    data = data[:where] + junk + data[where:]
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "x.json"
        path.write_bytes(data)
        try:
            r = read_file(path)
        except CibError:
            return
    assert r.rows_seen == r.posts.height + r.quarantine.height
