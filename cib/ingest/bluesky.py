"""Bluesky: Jetstream (simplified firehose) JSON lines, and API post views.

A Jetstream line is ``{"did", "time_us", "kind": "commit", "commit": {"operation",
"collection", "rkey", "record", "cid"}}``. Creates in ``app.bsky.feed.post`` become posts
and creates in ``app.bsky.feed.repost`` reposts; other kinds (identity, account), other
operations (update, delete) and other collections (likes, follows, blocks) are not posts
and are skipped. Lines that are post views (``{"uri", "cid", "author", "record",
"indexedAt"}``, as ``searchPosts`` and ``getPosts`` return them) are read too.

==============================================  =========================================
field                                           canonical
==============================================  =========================================
``at://<did>/<collection>/<rkey>`` (``uri``)    post_id
``did`` (``author.did``)                        account_id
``time_us`` (``indexedAt``), else               created_at: the time the network saw the
``record.createdAt``                            post; ``createdAt`` is set by the client
                                                and can be back-dated
``record.text``                                 text
``record.langs[0]``                             lang
``record.subject.uri`` (repost)                 repost_of
``record.reply.parent.uri``                     reply_to
``record.embed`` ``#record`` / ``#recordWithMedia``  quote_of (the embedded record's uri)
facets ``#link``, ``embed.external.uri``        urls
facets ``#tag``, ``record.tags``                hashtags
facets ``#mention`` (a did)                     mentions
``author.handle`` (post views)                  account_name
``embed`` ``#images`` / ``#video`` (also as     media: each blob's CID (``ref.$link``, or
the media of ``#recordWithMedia``)              a legacy blob's ``cid``); a CID is the
                                                hash of the file, so the same file
                                                uploaded by two accounts has one key
==============================================  =========================================
"""

from __future__ import annotations

from typing import Any

from cib.ingest.fields import BadRecord, Row, items, obj, scalar, str_items, text

__all__ = ["BLUESKY_POST", "BLUESKY_REPOST", "bluesky_row"]

BLUESKY_POST = "app.bsky.feed.post"
BLUESKY_REPOST = "app.bsky.feed.repost"


def _uri(ref: Any, field: str) -> str | None:
    r = obj(ref, field)
    return scalar(r.get("uri"), f"{field}.uri") if r else None


def _facets(record: dict[str, Any]) -> tuple[list[str], list[str], list[str]]:
    urls: list[str] = []
    tags: list[str] = []
    mentions: list[str] = []
    for f in items(record.get("facets"), "record.facets"):
        facet = obj(f, "record.facets[]") or {}
        for feat in items(facet.get("features"), "record.facets[].features"):
            feature = obj(feat, "record.facets[].features[]") or {}
            kind = str(feature.get("$type", ""))
            if kind.endswith("#link"):
                u = scalar(feature.get("uri"), "facet #link uri")
                urls += [u] if u else []
            elif kind.endswith("#tag"):
                t = scalar(feature.get("tag"), "facet #tag tag")
                tags += [t] if t else []
            elif kind.endswith("#mention"):
                d = scalar(feature.get("did"), "facet #mention did")
                mentions += [d] if d else []
    return urls, tags, mentions


def _blob_cid(blob: Any, field: str) -> str | None:
    b = obj(blob, field)
    if not b:
        return None
    ref = b.get("ref")
    if isinstance(ref, dict):
        return scalar(ref.get("$link"), f"{field}.ref.$link")
    return scalar(ref, f"{field}.ref") or scalar(b.get("cid"), f"{field}.cid")


def _media(media: dict[str, Any]) -> list[str]:
    """Blob CIDs of an ``#images`` or ``#video`` embed."""
    kind = str(media.get("$type", ""))
    out: list[str] = []
    if kind.endswith("embed.images"):
        for im in items(media.get("images"), "record.embed.images"):
            cid = _blob_cid((obj(im, "record.embed.images[]") or {}).get("image"), "image")
            out += [cid] if cid else []
    elif kind.endswith("embed.video"):
        cid = _blob_cid(media.get("video"), "record.embed.video")
        out += [cid] if cid else []
    return out


def _embed(record: dict[str, Any]) -> tuple[list[str], str | None, list[str]]:
    """``(urls, quoted uri, media CIDs)`` of a post's embed."""
    embed = obj(record.get("embed"), "record.embed")
    if not embed:
        return [], None, []
    kind = str(embed.get("$type", ""))
    urls: list[str] = []
    quote = None
    media = embed
    if kind == "app.bsky.embed.record":
        quote = _uri(embed.get("record"), "record.embed.record")
    elif kind == "app.bsky.embed.recordWithMedia":
        inner = obj(embed.get("record"), "record.embed.record") or {}
        quote = _uri(inner.get("record"), "record.embed.record.record")
        media = obj(embed.get("media"), "record.embed.media") or {}
    ext = _uri(media.get("external"), "record.embed.external")
    if ext:
        urls.append(ext)
    return urls, quote, _media(media)


def _row(uri: str | None, did: str | None, created: str | None, coll: str, record: Any) -> Row:
    record = obj(record, "record")
    if record is None:
        raise BadRecord("the event has no record; expected commit.record to be an object")
    row: Row = {"post_id": uri, "account_id": did, "created_at": created, "platform": "bluesky"}
    if coll == BLUESKY_REPOST:
        row["repost_of"] = _uri(record.get("subject"), "record.subject")
        return row
    urls, tags, mentions = _facets(record)
    embed_urls, quote, media = _embed(record)
    langs = str_items(record.get("langs"), "record.langs")
    reply = obj(record.get("reply"), "record.reply") or {}
    row.update(
        text=text(record.get("text"), "record.text"),
        lang=langs[0] if langs else None,
        reply_to=_uri(reply.get("parent"), "record.reply.parent"),
        quote_of=quote,
        urls=list(dict.fromkeys(urls + embed_urls)),
        hashtags=tags + str_items(record.get("tags"), "record.tags"),
        mentions=mentions,
        media=media,
    )
    return row


def bluesky_row(rec: Any) -> Row | None:
    """One Jetstream event or post view -> canonical row (None: not a post).

    Raises
    ------
    BadRecord
        If the line is not an object or a field has the wrong type.
    """
    if not isinstance(rec, dict):
        raise BadRecord(f"line is a JSON {type(rec).__name__}; expected a Jetstream event")
    if "commit" in rec or "kind" in rec:
        if rec.get("kind", "commit") != "commit":
            return None
        commit = obj(rec.get("commit"), "commit")
        if commit is None:
            raise BadRecord("a commit event has no 'commit' object")
        coll = commit.get("collection")
        if commit.get("operation") != "create" or coll not in (BLUESKY_POST, BLUESKY_REPOST):
            return None
        did = scalar(rec.get("did"), "did")
        rkey = scalar(commit.get("rkey"), "commit.rkey")
        record = commit.get("record")
        created = scalar(rec.get("time_us"), "time_us") or scalar(
            (record or {}).get("createdAt") if isinstance(record, dict) else None,
            "record.createdAt",
        )
        uri = f"at://{did}/{coll}/{rkey}" if did and rkey else None
        return _row(uri, did, created, str(coll), record)
    if "record" in rec and "uri" in rec:
        author = obj(rec.get("author"), "author") or {}
        record = rec.get("record")
        created = scalar(rec.get("indexedAt"), "indexedAt") or scalar(
            record.get("createdAt") if isinstance(record, dict) else None, "record.createdAt"
        )
        row = _row(
            scalar(rec.get("uri"), "uri"),
            scalar(author.get("did"), "author.did"),
            created,
            BLUESKY_POST,
            record,
        )
        row["account_name"] = scalar(author.get("handle"), "author.handle")
        return row
    raise BadRecord("line is neither a Jetstream event (did, commit) nor a post view (uri, record)")
