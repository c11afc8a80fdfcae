"""Twitter API exports: v2 JSON lines and v1.1 status objects, record by record.

v2 lines are either whole response pages as ``twarc2 search``/``timeline`` write them
(``data`` list, ``includes.users``, ``meta``, ``__twarc``), streamed tweets (``data``
object, ``matching_rules``), or one tweet object per line as ``twarc2 flatten`` writes
them (with the user embedded as ``author``); users from every page are joined onto tweets
by ``author_id``. Lines that only hold API ``errors`` are quarantined with the API's
message. v1.1 lines are status objects with an embedded ``user``.

Media: a v2 tweet's ``attachments.media_keys`` are looked up in the pages'
``includes.media`` (``twarc2 flatten`` embeds them as ``attachments.media``) and a v1.1
status's ``extended_entities.media`` (else ``entities.media``) is read; each medium's key is
its image URL (``url`` / ``media_url_https``; a video's preview image ``preview_image_url``),
the same in both versions, else its media key or id. Values are pulled out in
Python (the nesting varies too much for a fixed schema) and handed to the canonical path
as strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import polars as pl

from cib.ingest.fields import BadRecord, str_items
from cib.schemas import LIST_POST_COLUMNS, POSTS

__all__ = ["BadRecord", "records_frame", "v1_rows", "v2_rows"]

_TAG_RE = re.compile(r"<[^<>]*>")  # a tag holds no "<": linear on hostile input


def _scalar(v: Any, field: str) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, bool) or isinstance(v, (dict, list)):
        raise BadRecord(f"field {field!r} is a {type(v).__name__}; expected text or a number")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _get(d: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def _pluck(items: Any, key: str, field: str) -> list[str]:
    if items is None:
        return []
    if not isinstance(items, list):
        raise BadRecord(f"field {field!r} is a {type(items).__name__}; expected a list")
    out = []
    for it in items:
        v = it.get(key) if isinstance(it, dict) else it
        s = _scalar(v, f"{field}[].{key}")
        if s:
            out.append(s)
    return out


#: The key of a v2 media object: its image URL (a video's preview image), else its key.
_V2_MEDIA_KEY = ("url", "preview_image_url", "media_key")
#: The key of a v1.1 media entity: its image URL, else its id.
_V1_MEDIA_KEY = ("media_url_https", "media_url", "id_str", "id")


def _v2_media(t: dict[str, Any]) -> list[str]:
    """Media keys of a v2 tweet: embedded ``attachments.media`` objects (flattened tweets),
    else the raw ``attachments.media_keys`` (resolved against ``includes.media`` later)."""
    att = t.get("attachments")
    if att is None:
        return []
    if not isinstance(att, dict):
        raise BadRecord(f"field 'attachments' is a {type(att).__name__}; expected an object")
    if att.get("media") is not None:
        return str_items(att.get("media"), "attachments.media", _V2_MEDIA_KEY)
    return str_items(att.get("media_keys"), "attachments.media_keys")


def _v1_media(s: dict[str, Any]) -> list[str]:
    ext = s.get("extended_tweet") if isinstance(s.get("extended_tweet"), dict) else {}
    for where, holder in (
        ("extended_tweet.extended_entities", ext.get("extended_entities")),
        ("extended_entities", s.get("extended_entities")),
        ("entities", s.get("entities")),
    ):
        if isinstance(holder, dict) and holder.get("media") is not None:
            return str_items(holder.get("media"), f"{where}.media", _V1_MEDIA_KEY)
    return []


def _client(v: Any) -> str | None:
    s = _scalar(v, "source")
    return _TAG_RE.sub("", s).strip() or None if s else None


def _v2_tweet(t: Any) -> dict[str, Any]:
    if not isinstance(t, dict):
        raise BadRecord(f"a tweet is a {type(t).__name__}; expected a JSON object")
    refs: dict[str, str] = {}
    rt = t.get("referenced_tweets")
    if rt is not None and not isinstance(rt, list):
        raise BadRecord("field 'referenced_tweets' is not a list")
    for r in rt or []:
        if not isinstance(r, dict):
            raise BadRecord("an element of 'referenced_tweets' is not an object")
        if r.get("type") and r.get("id") is not None:
            refs.setdefault(str(r["type"]), _scalar(r["id"], "referenced_tweets[].id") or "")
    ent = t.get("entities") or {}
    if not isinstance(ent, dict):
        raise BadRecord("field 'entities' is not an object")
    author = t.get("author")
    user = _v2_user(author) if isinstance(author, dict) else {}
    return {
        **user,
        "post_id": _scalar(t.get("id"), "id"),
        "account_id": _scalar(t.get("author_id"), "author_id"),
        "created_at": _scalar(t.get("created_at"), "created_at"),
        "text": _scalar(t.get("text"), "text"),
        "repost_of": refs.get("retweeted") or None,
        "reply_to": refs.get("replied_to") or None,
        "quote_of": refs.get("quoted") or None,
        "urls": str_items(ent.get("urls"), "entities.urls", ("expanded_url", "url")),
        "hashtags": _pluck(ent.get("hashtags"), "tag", "entities.hashtags"),
        "mentions": _pluck(ent.get("mentions"), "username", "entities.mentions"),
        "client": _client(t.get("source")),
        "lang": _scalar(t.get("lang"), "lang"),
        "media": _v2_media(t),
    }


def _v2_user(u: dict[str, Any]) -> dict[str, Any]:
    return {
        "account_name": _scalar(u.get("username"), "username"),
        "account_location": _scalar(u.get("location"), "location"),
        "account_created_at": _scalar(u.get("created_at"), "created_at"),
        "followers": _scalar(_get(u, "public_metrics", "followers_count"), "followers_count"),
    }


def v2_rows(
    records: Iterable[tuple[int, Any]],
) -> tuple[list[dict[str, Any]], list[int], list[tuple[int, str, str]]]:
    """Tweets of v2 pages or tweet lines.

    Parameters
    ----------
    records : Iterable[tuple[int, Any]]
        ``(line, parsed JSON)`` per line.

    Returns
    -------
    tuple
        Rows (canonical keys), their lines, and ``(line, reason, raw)`` for bad records.
    """
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    bad: list[tuple[int, str, str]] = []
    users: dict[str, dict[str, Any]] = {}
    media: dict[str, str] = {}  # media_key -> image URL, from every page's includes.media
    for line, rec in records:
        if not isinstance(rec, dict):
            bad.append((line, "line is not a JSON object; expected a v2 tweet or page", ""))
            continue
        if "errors" in rec and "data" not in rec and "id" not in rec:
            errs = rec["errors"] if isinstance(rec["errors"], list) else [rec["errors"]]
            first = errs[0] if errs and isinstance(errs[0], dict) else {}
            what = first.get("detail") or first.get("title") or first.get("message") or ""
            bad.append((line, f"API error response with no tweets ({str(what)[:120]})", ""))
            continue
        if "data" in rec:
            tweets = rec["data"] if isinstance(rec["data"], list) else [rec["data"]]
            included = _get(rec, "includes", "users")
            for u in included if isinstance(included, list) else []:
                if isinstance(u, dict) and u.get("id") is not None:
                    try:
                        users.setdefault(str(u["id"]), _v2_user(u))
                    except BadRecord:
                        pass
            included_media = _get(rec, "includes", "media")
            for m in included_media if isinstance(included_media, list) else []:
                if isinstance(m, dict) and isinstance(m.get("media_key"), str):
                    url = m.get("url") or m.get("preview_image_url")
                    if isinstance(url, str) and url:
                        media.setdefault(m["media_key"], url)
        else:
            tweets = [rec]
        for t in tweets:
            try:
                rows.append(_v2_tweet(t))
                lines.append(line)
            except BadRecord as exc:
                bad.append((line, str(exc), ""))
    for row in rows:
        user = users.get(row["account_id"] or "")
        if user:
            row.update(user)
        if row["media"] and media:
            row["media"] = [media.get(k, k) for k in row["media"]]
    return rows, lines, bad


def _v1_status(s: Any) -> dict[str, Any]:
    if not isinstance(s, dict):
        raise BadRecord(f"line is a {type(s).__name__}; expected a v1.1 status object")
    user = s.get("user") or {}
    if not isinstance(user, dict):
        raise BadRecord("field 'user' is not an object")
    ent = s.get("entities") or {}
    text = _get(s, "extended_tweet", "full_text") or s.get("full_text") or s.get("text")
    if isinstance(s.get("extended_tweet"), dict):
        ent = s["extended_tweet"].get("entities") or ent
    if not isinstance(ent, dict):
        raise BadRecord("field 'entities' is not an object")
    return {
        "post_id": _scalar(s.get("id_str") or s.get("id"), "id_str"),
        "account_id": _scalar(user.get("id_str") or user.get("id"), "user.id_str"),
        "created_at": _scalar(s.get("created_at"), "created_at"),
        "text": _scalar(text, "text"),
        "repost_of": _scalar(
            _get(s, "retweeted_status", "id_str") or _get(s, "retweeted_status", "id"),
            "retweeted_status.id_str",
        ),
        "reply_to": _scalar(
            s.get("in_reply_to_status_id_str") or s.get("in_reply_to_status_id"),
            "in_reply_to_status_id_str",
        ),
        "quote_of": _scalar(
            s.get("quoted_status_id_str") or s.get("quoted_status_id"), "quoted_status_id_str"
        ),
        "urls": str_items(ent.get("urls"), "entities.urls", ("expanded_url", "url")),
        "hashtags": _pluck(ent.get("hashtags"), "text", "entities.hashtags"),
        "mentions": _pluck(ent.get("user_mentions"), "screen_name", "entities.user_mentions"),
        "client": _client(s.get("source")),
        "lang": _scalar(s.get("lang"), "lang"),
        "account_created_at": _scalar(user.get("created_at"), "user.created_at"),
        "account_name": _scalar(user.get("screen_name"), "user.screen_name"),
        "account_location": _scalar(user.get("location"), "user.location"),
        "followers": _scalar(user.get("followers_count"), "user.followers_count"),
        "media": _v1_media(s),
    }


def v1_rows(
    records: Iterable[tuple[int, Any]],
) -> tuple[list[dict[str, Any]], list[int], list[tuple[int, str, str]]]:
    """v1.1 status objects; same return value as :func:`v2_rows`."""
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    bad: list[tuple[int, str, str]] = []
    for line, rec in records:
        try:
            rows.append(_v1_status(rec))
            lines.append(line)
        except BadRecord as exc:
            bad.append((line, str(exc), ""))
    return rows, lines, bad


def records_frame(rows: list[dict[str, Any]]) -> pl.DataFrame:
    """Rows with canonical keys -> frame of String / List(String) columns.

    Columns are built with PyArrow (list columns through Polars' Python path cost
    seconds per 100k rows).
    """
    import pyarrow as pa

    arrays = {}
    for c in POSTS:
        if c in LIST_POST_COLUMNS:
            vals = [r.get(c) or [] for r in rows]
            arrays[c] = pa.array(vals, type=pa.large_list(pa.large_string()))
        else:
            arrays[c] = pa.array([r.get(c) for r in rows], type=pa.large_string())
    frame = pl.from_arrow(pa.table(arrays))
    assert isinstance(frame, pl.DataFrame)
    schema = {c: (pl.List(pl.String) if c in LIST_POST_COLUMNS else pl.String) for c in POSTS}
    return frame.cast(schema)  # type: ignore[arg-type]
