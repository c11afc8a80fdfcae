"""twarc2 CSV exports (``twarc2 csv``, the twarc-csv plugin): one flattened tweet per row.

Columns are the dotted paths of twarc-csv's ``DEFAULT_TWEET_COLUMNS``; those used here:

==========================================  ===========================================
column                                      canonical
==========================================  ===========================================
``id``                                      post_id
``author_id`` (or ``author.id``)            account_id
``created_at``                              created_at
``text``                                    text (``\\n`` escapes turned back into breaks)
``referenced_tweets.retweeted.id``          repost_of
``referenced_tweets.replied_to.id``         reply_to
``referenced_tweets.quoted.id``             quote_of
``entities.urls``                           urls (expanded URLs)
``entities.hashtags``                       hashtags
``entities.mentions``                       mentions
``source``                                  client
``lang``                                    lang
``author.username``                         account_name
``author.created_at``                       account_created_at
``author.location``                         account_location
``author.public_metrics.followers_count``   followers
``attachments.media`` (else                 media: each medium's ``url`` (a video's
``attachments.media_keys``)                 ``preview_image_url``), else its media key
==========================================  ===========================================

List cells are JSON arrays: by default twarc-csv writes ``["#tag", ...]``,
``["@user", ...]`` and ``["https://...", ...]``; older versions (and
``--no-process-entities``) wrote the API's entity objects (``[{"tag": ...}]``), and a
``referenced_tweets`` column with ``[{"type": "retweeted", "id": ...}]``. Both are read.
With ``--json-encode-text`` the text cell is a JSON string; it is decoded.
"""

from __future__ import annotations

import json
from typing import Any

from cib.ingest.fields import Row, json_list, scalar, text

__all__ = ["TWARC_MARKERS", "twarc_row"]

#: Column prefixes that only a twarc2 flattened CSV has (with ``id`` and ``author_id``).
TWARC_MARKERS = ("referenced_tweets.", "author.", "entities.", "public_metrics.")

#: The key of a media object in ``attachments.media``: as in the v2 JSON reader.
_MEDIA_KEY = ("url", "preview_image_url", "media_key")

_REF_TYPES = {"retweeted": "repost_of", "replied_to": "reply_to", "quoted": "quote_of"}


def _text(v: Any, field: str = "text") -> str | None:
    s = text(v, field)
    if s is None:
        return None
    if len(s) >= 2 and s[0] == '"' and s[-1] == '"':
        try:
            decoded = json.loads(s)
        except ValueError:
            decoded = None
        if isinstance(decoded, str):
            return decoded
    return s.replace("\\n", "\n")


def _refs(rec: dict[str, Any]) -> dict[str, str | None]:
    out = {canon: scalar(rec.get(f"referenced_tweets.{t}.id"), f"referenced_tweets.{t}.id")
           for t, canon in _REF_TYPES.items()}  # fmt: skip
    old = rec.get("referenced_tweets")
    if old and isinstance(old, str) and old.lstrip()[:1] == "[":
        try:
            refs = json.loads(old)
        except ValueError:
            refs = []
        for r in refs if isinstance(refs, list) else []:
            if isinstance(r, dict) and r.get("type") in _REF_TYPES:
                key = _REF_TYPES[r["type"]]
                out[key] = out[key] or scalar(r.get("id"), "referenced_tweets[].id")
    return out


def twarc_row(rec: dict[str, Any]) -> Row:
    """One twarc2 CSV row (keys lower-cased) -> canonical row.

    Raises
    ------
    BadRecord
        If a field has the wrong type.
    """
    return {
        "post_id": scalar(rec.get("id"), "id"),
        "account_id": scalar(rec.get("author_id") or rec.get("author.id"), "author_id"),
        "created_at": scalar(rec.get("created_at"), "created_at"),
        "text": _text(rec.get("text")),
        **_refs(rec),
        "urls": json_list(rec.get("entities.urls"), "entities.urls", ("expanded_url", "url")),
        "hashtags": json_list(rec.get("entities.hashtags"), "entities.hashtags", "tag"),
        "mentions": json_list(rec.get("entities.mentions"), "entities.mentions", "username"),
        "client": scalar(rec.get("source"), "source"),
        "lang": scalar(rec.get("lang"), "lang"),
        "account_name": scalar(rec.get("author.username"), "author.username"),
        "account_created_at": scalar(rec.get("author.created_at"), "author.created_at"),
        "account_location": _text(rec.get("author.location"), "author.location"),
        "followers": scalar(
            rec.get("author.public_metrics.followers_count"),
            "author.public_metrics.followers_count",
        ),
        "media": json_list(rec.get("attachments.media"), "attachments.media", _MEDIA_KEY)
        or json_list(rec.get("attachments.media_keys"), "attachments.media_keys"),
        "platform": "twitter",
    }
