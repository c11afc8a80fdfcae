"""Telegram Desktop exports (``result.json``): one chat, or the whole account.

The export is one pretty-printed JSON document, ``{name, type, id, messages: [...]}`` for
a channel or group, or ``{..., chats: {list: [{name, type, id, messages}, ...]}}`` for a
whole account. Each message maps as follows:

=======================================  ==============================================
message field                            canonical
=======================================  ==============================================
chat ``id`` + ``id``                     post_id ``<chat id>:<message id>`` (ids are
                                         only unique within a chat)
``from_id`` (``user123``, ``channel9``)  account_id
``from``                                 account_name
``date_unixtime`` (else ``date``)        created_at; ``date`` is the exporting
                                         machine's local time and is read as UTC, so
                                         prefer exports with ``date_unixtime``
``text`` / ``text_entities``             text (entity parts joined); ``link`` and
                                         ``text_link`` (``href``) entities -> urls,
                                         ``hashtag`` -> hashtags, ``mention`` (and
                                         ``mention_name`` as ``user<user_id>``)
                                         -> mentions
``reply_to_message_id``                  reply_to ``<chat id>:<id>`` (the chat of
                                         ``reply_to_peer_id`` when given)
``forwarded_from`` / ``forwarded_from_id``  repost_of: a forward is a repost of its origin.
                                         The export has no origin message id, so the
                                         object key is ``fwd:<digest of source, text,
                                         media>``; forwards with no text get none (their
                                         media files cannot be told apart)
``via_bot``                              client
``photo`` / ``file`` with                media ``tg:<digest of kind, size, width,
``photo_file_size`` / ``file_size``      height, duration, mime type>``: the export
                                         names each file after its message, so the
                                         path is no key; the same file sent again
                                         keeps its bytes. Stickers and files without
                                         a size (older exports) give no key
=======================================  ==============================================

Service messages (``type: service``: joins, pins, calls) are not posts and are skipped.
JSON lines holding chat objects or bare messages are read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from cib.ingest.fields import BadRecord, Row, digest, get, map_records, scalar, text
from cib.ingest.jsondoc import Member

__all__ = ["telegram_rows"]

_PEER_RE = re.compile(r"^(?:user|channel|chat)(\d+)$")
_MEDIA_KEYS = ("media_type", "mime_type", "duration_seconds", "width", "height", "title")


def _peer(v: Any) -> str | None:
    s = scalar(v, "reply_to_peer_id")
    if s is None:
        return None
    m = _PEER_RE.match(s)
    return m.group(1) if m else s


def _parts(msg: dict[str, Any]) -> list[Any]:
    ents = msg.get("text_entities")
    if isinstance(ents, list):
        return ents
    t = msg.get("text")
    if t is None or isinstance(t, str):
        return [t or ""]
    if not isinstance(t, list):
        raise BadRecord(f"field 'text' is a {type(t).__name__}; expected text or a list of parts")
    return t


def _entities(parts: list[Any]) -> tuple[str, list[str], list[str], list[str]]:
    """``(plain text, urls, hashtags, mentions)`` of a message's text parts."""
    chunks: list[str] = []
    urls: list[str] = []
    tags: list[str] = []
    mentions: list[str] = []
    for p in parts:
        if isinstance(p, str):
            chunks.append(p)
            continue
        if not isinstance(p, dict):
            raise BadRecord(f"a text part is a {type(p).__name__}; expected text or an object")
        s = text(p.get("text"), "text[].text") or ""
        chunks.append(s)
        kind = p.get("type")
        if kind == "link" and s:
            urls.append(s)
        elif kind == "text_link":
            href = scalar(p.get("href"), "text[].href")
            if href:
                urls.append(href)
        elif kind == "hashtag" and s:
            tags.append(s)
        elif kind == "mention" and s:
            mentions.append(s)
        elif kind == "mention_name":
            uid = scalar(p.get("user_id"), "text[].user_id")
            if uid:
                mentions.append(f"user{uid}")
    return "".join(chunks), urls, tags, mentions


def _forward_key(msg: dict[str, Any], plain: str) -> str | None:
    if "forwarded_from" not in msg and "forwarded_from_id" not in msg:
        return None
    source = scalar(msg.get("forwarded_from_id"), "forwarded_from_id") or text(
        msg.get("forwarded_from"), "forwarded_from"
    )
    if not plain.strip():
        return None
    media = [scalar(msg.get(k), k) for k in _MEDIA_KEYS]
    return "fwd:" + digest(source or "unknown", plain, *media)


def _media(msg: dict[str, Any]) -> list[str]:
    """The key of a message's photo or file (see the module table), or none."""
    if msg.get("photo") is not None:
        kind, size = "photo", scalar(msg.get("photo_file_size"), "photo_file_size")
    elif msg.get("file") is not None:
        kind = scalar(msg.get("media_type"), "media_type") or "file"
        size = scalar(msg.get("file_size"), "file_size")
    else:
        return []
    if kind == "sticker" or not size or size == "0":
        return []
    dims = [scalar(msg.get(k), k) for k in ("width", "height", "duration_seconds", "mime_type")]
    return ["tg:" + digest(kind, size, *dims)]


def _message(rec: Member) -> Row | None:
    chat, msg = rec.container, rec.value
    if not isinstance(msg, dict):
        raise BadRecord(f"a message is a {type(msg).__name__}; expected a JSON object")
    if msg.get("type", "message") != "message":
        return None
    chat_id = scalar(chat.get("id"), "id")
    mid = scalar(msg.get("id"), "id")
    plain, urls, tags, mentions = _entities(_parts(msg))
    reply = scalar(msg.get("reply_to_message_id"), "reply_to_message_id")
    reply_chat = _peer(msg.get("reply_to_peer_id")) or chat_id
    via = scalar(msg.get("via_bot"), "via_bot")
    return {
        "post_id": f"{chat_id}:{mid}" if chat_id and mid else mid,
        "account_id": scalar(msg.get("from_id"), "from_id"),
        "account_name": text(msg.get("from"), "from"),
        "created_at": scalar(msg.get("date_unixtime"), "date_unixtime")
        or scalar(msg.get("date"), "date"),
        "text": plain,
        "reply_to": f"{reply_chat}:{reply}" if reply and reply_chat else reply,
        "repost_of": _forward_key(msg, plain),
        "urls": urls,
        "hashtags": tags,
        "mentions": mentions,
        "client": via,
        "media": _media(msg),
        "platform": "telegram",
    }


def _expand(records: Iterable[tuple[int, Any]]) -> Iterator[tuple[int, Member]]:
    """JSON-lines records -> messages: chat objects are opened, bare messages kept."""
    for line, rec in records:
        if isinstance(rec, Member):
            yield line, rec
            continue
        chats = get(rec, "chats", "list")
        if isinstance(rec, dict) and isinstance(chats, list):
            candidates = chats
        else:
            candidates = [rec]
        for c in candidates:
            if isinstance(c, dict) and isinstance(c.get("messages"), list):
                meta = {k: v for k, v in c.items() if not isinstance(v, (dict, list))}
                for m in c["messages"]:
                    yield line, Member(meta, m)
            else:
                yield line, Member({}, c)


def telegram_rows(
    records: Iterable[tuple[int, Any]], raws: Sequence[str] | None = None
) -> tuple[list[Row], list[int], list[tuple[int, str, str]], list[str] | None]:
    """Messages of Telegram exports; see :func:`cib.ingest.fields.map_records`."""
    if raws is None:
        return map_records(_expand(records), _message)
    members = ((line, r if isinstance(r, Member) else Member({}, r)) for line, r in records)
    return map_records(members, _message, raws)
