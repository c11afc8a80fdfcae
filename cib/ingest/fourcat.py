"""4CAT dataset exports (CSV, or NDJSON of the same mapped items).

Every 4CAT data source maps its items onto a few common columns, which are read for any
source:

====================================  ===============================================
4CAT column                           canonical
====================================  ===============================================
``id``                                post_id
``author``                            account_id (unless ``author_id`` is given)
``unix_timestamp``, else              created_at (``timestamp`` is written in the 4CAT
``timestamp``                         server's local time; ``unix_timestamp`` is not)
``body`` (with ``subject`` first)     text
====================================  ===============================================

Source-specific columns used when present (and only these):

==========================================  ===========================================
column (data source)                        canonical
==========================================  ===========================================
``author_id`` (Twitter/X)                   account_id; ``author`` -> account_name
``author_username`` (Telegram)              account_name
``author_followers`` (X)                    followers
``author_location`` (X)                     account_location
``parent`` (Reddit, ``t1_``/``t3_``)        reply_to, the fullname prefix dropped to
                                            match 4CAT's bare ids
``reply_to`` (Telegram)                     reply_to ``<chat>-<id>`` (4CAT's Telegram
                                            ids are ``<chat>-<message id>``)
``author_forwarded_from_id`` /              repost_of ``fwd:<source>:<unix time>``: the
``author_forwarded_from_username`` /        origin's author and date identify the
``author_forwarded_from_name`` +            forwarded message (Telegram)
``unix_timestamp_forwarded_from``
``quote_tweet_id`` (X)                      quote_of
``urls`` (comma-separated; else links in    urls
the text), ``link_attached`` (Telegram),
``url`` (Reddit link posts; not ``self.``)
``hashtags`` (else ``#tags`` in the text)   hashtags
``mentions``, ``entities_mentioned``        mentions
``source`` (Twitter/X)                      client
``language_guess``                          lang
``images``, ``videos`` (X/Twitter via       media (comma-separated image URLs,
Zeeschuimer)                                ``media_url_https``)
==========================================  ===========================================

Twitter/X exports mark retweets with ``is_retweet`` and ``retweeted_user`` but carry no
retweeted tweet id, so their reposts cannot be mapped. The platform is inferred from
source-specific columns (``subreddit``: reddit, ``chat``: telegram, ``retweeted_user``:
twitter, ``board``: 4chan).
"""

from __future__ import annotations

import re
from typing import Any

from cib.ingest.fields import BadRecord, Row, hashtags_in, json_list, scalar, text, urls_in

__all__ = ["FOURCAT_COLUMNS", "fourcat_row"]

#: The columns every 4CAT export has.
FOURCAT_COLUMNS = ("id", "thread_id", "author", "body")

_PLATFORM_HINTS = (("subreddit", "reddit"), ("chat", "telegram"), ("board", "4chan"),
                   ("retweeted_user", "twitter"), ("is_retweet", "twitter"))  # fmt: skip


def _platform(rec: dict[str, Any]) -> str | None:
    for col, name in _PLATFORM_HINTS:
        if col in rec:
            return name
    return None


def _reply(rec: dict[str, Any]) -> str | None:
    parent = scalar(rec.get("parent"), "parent")
    if parent:
        return re.sub(r"^t\d_", "", parent)
    reply = scalar(rec.get("reply_to"), "reply_to")
    chat = scalar(rec.get("chat") or rec.get("thread_id"), "chat")
    if reply and chat and "chat" in rec:
        return f"{chat}-{reply}"
    return reply


def _forward(rec: dict[str, Any]) -> str | None:
    source = None
    for col in ("author_forwarded_from_id", "author_forwarded_from_username",
                "author_forwarded_from_name"):  # fmt: skip
        source = source or scalar(rec.get(col), col)
    when = scalar(rec.get("unix_timestamp_forwarded_from"), "unix_timestamp_forwarded_from")
    return f"fwd:{source}:{when}" if source and when else None


def _urls(rec: dict[str, Any], body: str | None) -> list[str]:
    urls = json_list(rec.get("urls"), "urls") if "urls" in rec else urls_in(body)
    urls += json_list(rec.get("link_attached"), "link_attached")
    domain = scalar(rec.get("domain"), "domain") or ""
    url = scalar(rec.get("url"), "url")
    if url and not domain.startswith("self."):
        urls.append(url)
    return list(dict.fromkeys(urls))


def fourcat_row(rec: Any) -> Row:
    """One 4CAT item (keys lower-cased) -> canonical row.

    Raises
    ------
    BadRecord
        If the item is not an object or a field has the wrong type.
    """
    if not isinstance(rec, dict):
        raise BadRecord(f"line is a JSON {type(rec).__name__}; expected a 4CAT item")
    author = scalar(rec.get("author"), "author")
    author_id = scalar(rec.get("author_id"), "author_id")
    subject = text(rec.get("subject"), "subject")
    body = text(rec.get("body"), "body")
    return {
        "post_id": scalar(rec.get("id"), "id"),
        "account_id": author_id or author,
        "account_name": scalar(rec.get("author_username"), "author_username")
        or (author if author_id else None),
        "created_at": scalar(rec.get("unix_timestamp"), "unix_timestamp")
        or scalar(rec.get("timestamp"), "timestamp"),
        "text": "\n\n".join(p for p in (subject, body) if p) or None,
        "reply_to": _reply(rec),
        "repost_of": _forward(rec),
        "quote_of": scalar(rec.get("quote_tweet_id"), "quote_tweet_id"),
        "urls": _urls(rec, body),
        "hashtags": json_list(rec.get("hashtags"), "hashtags")
        if "hashtags" in rec
        else hashtags_in(body),
        "mentions": json_list(rec.get("mentions"), "mentions")
        + json_list(rec.get("entities_mentioned"), "entities_mentioned"),
        "client": scalar(rec.get("source"), "source"),
        "lang": scalar(rec.get("language_guess"), "language_guess"),
        "followers": scalar(rec.get("author_followers"), "author_followers"),
        "account_location": text(rec.get("author_location"), "author_location"),
        "media": list(
            dict.fromkeys(
                json_list(rec.get("images"), "images") + json_list(rec.get("videos"), "videos")
            )
        ),
        "platform": _platform(rec),
    }
