"""Reddit dumps: Pushshift and Arctic Shift NDJSON comments and submissions.

Comments have ``body``, ``link_id`` and ``parent_id``; submissions have ``title``,
``selftext`` and ``url``. Both have ``id``, ``author``, ``created_utc`` and ``subreddit``.

==========================================  ============================================
field                                       canonical
==========================================  ============================================
``name``, else ``t1_<id>`` (comments) or    post_id: Reddit's fullnames, the form
``t3_<id>`` (submissions)                   ``parent_id`` and ``crosspost_parent`` use
``author``                                  account_id and account_name (usernames are
                                            unique and permanent); ``[deleted]`` and
                                            ``[removed]`` authors cannot be attributed
                                            and are quarantined
``created_utc``                             created_at
``body``; ``title`` + ``selftext``          text (``[removed]``/``[deleted]`` bodies
                                            dropped)
``parent_id`` (``t1_``: a comment,          reply_to
``t3_``: the submission)
``crosspost_parent`` (``t3_...``)           repost_of
``url`` of link submissions, links in       urls
the body or selftext
``u/name`` in the body                      mentions
``author_created_utc`` (when present)       account_created_at
``url`` of image and video submissions      media (also in urls): ``post_hint`` image,
                                            hosted:video or rich:video, or a host or path
                                            that is plainly an image or video
                                            (``i.redd.it``, ``v.redd.it``, ``i.imgur.com``,
                                            ``.jpg``, ``.png``, ``.gif``, ``.mp4``, ...)
==========================================  ============================================

``subreddit`` has no canonical column and is not kept.
"""

from __future__ import annotations

import re
from typing import Any

from cib.ingest.fields import BadRecord, Row, scalar, text, urls_in

__all__ = ["reddit_row"]

_GONE = {"[deleted]", "[removed]"}
_MENTION_RE = re.compile(r"(?<![\w/])/?u/([A-Za-z0-9_-]{3,20})\b")
_MD_LINK_RE = re.compile(r"\]\((https?://[^)\s]+)\)")
_EXTERNAL_RE = re.compile(r"^https?://", re.IGNORECASE)
_OWN_RE = re.compile(r"^https?://([\w-]+\.)?reddit\.com/r/[^/]+/comments/", re.IGNORECASE)


_MEDIA_HINTS = {"image", "hosted:video", "rich:video"}
_MEDIA_URL_RE = re.compile(
    r"^https?://(?:(?:i|v|preview)\.redd\.it|i\.imgur\.com)/"
    r"|\.(?:jpe?g|png|gif|gifv|webp|mp4|webm)(?:[?#]|$)",
    re.IGNORECASE,
)


def _media(rec: dict[str, Any], link: str | None) -> list[str]:
    """The submission's own image or video, when its ``url`` plainly is one."""
    if not link or not _EXTERNAL_RE.match(link):
        return []
    hint = rec.get("post_hint")
    if (isinstance(hint, str) and hint in _MEDIA_HINTS) or _MEDIA_URL_RE.search(link):
        return [link]
    return []


def _fullname(rec: dict[str, Any], is_comment: bool) -> str | None:
    name = scalar(rec.get("name"), "name")
    if name:
        return name
    rid = scalar(rec.get("id"), "id")
    if rid is None or re.match(r"^t\d_", rid):
        return rid
    return ("t1_" if is_comment else "t3_") + rid


def _links(body: str | None) -> list[str]:
    md = _MD_LINK_RE.findall(body or "")
    return list(dict.fromkeys(md + urls_in(body)))


def reddit_row(rec: Any) -> Row:
    """One Pushshift / Arctic Shift comment or submission -> canonical row.

    Raises
    ------
    BadRecord
        If the line is not an object, a field has the wrong type, or the author is gone.
    """
    if not isinstance(rec, dict):
        raise BadRecord(f"line is a JSON {type(rec).__name__}; expected a comment or submission")
    is_comment = "body" in rec or "parent_id" in rec
    author = scalar(rec.get("author"), "author")
    if author in _GONE:
        raise BadRecord(
            f"author is {author}: the post cannot be attributed to an account; "
            "it is kept out of detection"
        )
    media: list[str] = []
    if is_comment:
        body = text(rec.get("body"), "body")
        body = None if body in _GONE else body
        urls = _links(body)
    else:
        title = text(rec.get("title"), "title")
        self_text = text(rec.get("selftext"), "selftext")
        self_text = None if self_text in _GONE else self_text
        body = "\n\n".join(p for p in (title, self_text) if p) or None
        urls = _links(self_text)
        link = scalar(rec.get("url"), "url")
        is_self = rec.get("is_self")
        if link and not is_self and _EXTERNAL_RE.match(link) and not _OWN_RE.search(link):
            urls.insert(0, link)
            media = _media(rec, link)
    return {
        "post_id": _fullname(rec, is_comment),
        "account_id": author,
        "account_name": author,
        "created_at": scalar(rec.get("created_utc"), "created_utc"),
        "text": body,
        "reply_to": scalar(rec.get("parent_id"), "parent_id") if is_comment else None,
        "repost_of": scalar(rec.get("crosspost_parent"), "crosspost_parent"),
        "urls": urls,
        "mentions": _MENTION_RE.findall(body or ""),
        "account_created_at": scalar(rec.get("author_created_utc"), "author_created_utc"),
        "media": media,
        "platform": "reddit",
    }
