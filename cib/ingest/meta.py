"""Meta exports: CrowdTangle CSV (Facebook and Instagram) and Meta Content Library posts.

CrowdTangle's historical-data CSV (columns as CrowdTangle wrote them; matched without
regard to case):

=========================================  ==========================================
column                                     canonical
=========================================  ==========================================
``URL``                                    post_id (the post's permalink, unique)
``Facebook Id``; Instagram: ``User Name``  account_id
``User Name``, else ``Page Name`` /        account_name
``Group Name`` / ``Account``
``Post Created`` (``2021-01-05 20:00:31    created_at: US zone abbreviations
EST``)                                     (EST/EDT, CST/CDT, MST/MDT, PST/PDT) and
                                           UTC/GMT are turned into offsets
``Message``, else ``Description``          text
``Final Link``, else ``Link``              urls (when not the post itself)
``#tags`` in the text                      hashtags
``Followers at Posting`` (else ``Likes     followers
at Posting``)
``Page Created``                           account_created_at
=========================================  ==========================================

Meta Content Library posts (the UI's CSV with dotted columns, or API results as JSON):
``id`` -> post_id, ``post_owner.id`` -> account_id, ``post_owner.username`` (else
``post_owner.name``) -> account_name, ``creation_time`` -> created_at, ``text``,
``lang``, ``link_attachment.link`` -> urls, ``#tags`` in the text -> hashtags.

Neither export says which post a share reshared, so reposts are not mapped; shared
links still count through urls. Neither names a media key that stays the same when the
same image is posted again (a photo post's ``Link`` is that upload's own page, and it is
kept as a URL), so media is not mapped. Shares, reactions and views counts have no
canonical column.
"""

from __future__ import annotations

from typing import Any

from cib.ingest.fields import BadRecord, Row, hashtags_in, pick, scalar, text

__all__ = ["meta_row"]

#: US zone abbreviations CrowdTangle writes, as offsets.
_ZONES = {
    "EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500", "MST": "-0700",
    "MDT": "-0600", "PST": "-0800", "PDT": "-0700", "UTC": "+0000", "GMT": "+0000",
}  # fmt: skip


def _when(v: Any, field: str) -> str | None:
    s = scalar(v, field)
    if not s:
        return s
    head, _, zone = s.rstrip().rpartition(" ")
    if head and zone in _ZONES:
        return head.rstrip() + " " + _ZONES[zone]
    return s


def _crowdtangle(rec: dict[str, Any]) -> Row:
    url = (scalar(rec.get("url"), "URL") or "").rstrip("/") or None
    handle = scalar(rec.get("user name"), "User Name")
    fb_id = scalar(rec.get("facebook id"), "Facebook Id")
    body = text(rec.get("message"), "Message") or text(rec.get("description"), "Description")
    link = scalar(rec.get("final link"), "Final Link") or scalar(rec.get("link"), "Link")
    name = handle
    for col in ("page name", "group name", "account"):
        name = name or scalar(rec.get(col), col.title())
    return {
        "post_id": url,
        "account_id": fb_id or handle,
        "account_name": name,
        "created_at": _when(rec.get("post created"), "Post Created"),
        "text": body,
        "urls": [link] if link and link.rstrip("/") != url else [],
        "hashtags": hashtags_in(body),
        "followers": scalar(rec.get("followers at posting"), "Followers at Posting")
        or scalar(rec.get("likes at posting"), "Likes at Posting"),
        "account_created_at": _when(rec.get("page created"), "Page Created"),
        "platform": "facebook" if "facebook id" in rec or "page name" in rec else "instagram",
    }


def _content_library(rec: dict[str, Any]) -> Row:
    body = text(pick(rec, "text"), "text")
    link = scalar(pick(rec, "link_attachment.link"), "link_attachment.link")
    mcl_url = scalar(pick(rec, "mcl_url"), "mcl_url") or ""
    return {
        "post_id": scalar(pick(rec, "id"), "id"),
        "account_id": scalar(pick(rec, "post_owner.id"), "post_owner.id"),
        "account_name": scalar(pick(rec, "post_owner.username"), "post_owner.username")
        or scalar(pick(rec, "post_owner.name"), "post_owner.name"),
        "created_at": _when(pick(rec, "creation_time"), "creation_time"),
        "text": body,
        "lang": scalar(pick(rec, "lang"), "lang"),
        "urls": [link] if link else [],
        "hashtags": hashtags_in(body),
        "platform": "instagram" if "instagram" in mcl_url else "facebook",
    }


def meta_row(rec: Any) -> Row:
    """One CrowdTangle row (keys lower-cased) or Content Library post -> canonical row.

    Raises
    ------
    BadRecord
        If the record is not an object or a field has the wrong type.
    """
    if not isinstance(rec, dict):
        raise BadRecord(f"line is a JSON {type(rec).__name__}; expected a post")
    if "post created" in rec:
        return _crowdtangle(rec)
    return _content_library(rec)
