"""Mastodon API statuses (``/api/v1/...`` responses): a JSON array, or one status per line.

==========================================  ============================================
status field                                canonical
==========================================  ============================================
``id``                                      post_id (ids are the collecting server's;
                                            read one server's statuses per dump)
``account.id``                              account_id
``account.acct``                            account_name (``user`` or ``user@domain``)
``account.created_at``                      account_created_at
``account.followers_count``                 followers
``created_at``                              created_at
``content`` (HTML)                          text: tags stripped by a linear tokenizer
                                            (nothing is executed or fetched;
                                            ``<script>``/``<style>`` bodies dropped),
                                            ``<br>``/``<p>`` become line breaks, entities
                                            decoded; ``spoiler_text`` is put first
``reblog``                                  repost_of = ``reblog.id``; text, tags, links
                                            and card come from the reblogged status
``in_reply_to_id``                          reply_to
``quote.quoted_status.id`` /                quote_of (quote posts, Mastodon 4.4+)
``quote.quoted_status_id``
``card.url``, links in ``content``          urls (mention and hashtag links excluded)
``tags[].name``                             hashtags
``mentions[].acct``                         mentions
``application.name``                        client
``language``                                lang
``media_attachments[]``                     media: ``blurhash:<blurhash>:<width>x<height>``
                                            (``meta.original``) where the server computed
                                            a blurhash, so the same image uploaded by two
                                            accounts (or on two servers) has one key; else
                                            ``remote_url``, else ``url``
==========================================  ============================================
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from cib.ingest.fields import BadRecord, Row, get, items, obj, scalar, str_items, text

__all__ = ["html_text", "mastodon_row"]

_BLOCK = {"p", "div", "li", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
_DROP = {"script", "style", "template", "noscript"}
#: A tag, comment or declaration; none may hold ``<`` or ``>``, so every scan stops at the
#: next bracket and reading is linear in the input, however hostile.
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>|<[!?][^<>]*>")
_ATTR = r"""\b{}\s*=\s*(?:"([^"<>]*)"|'([^'<>]*)'|([^\s"'<>]+))"""
_HREF_RE = re.compile(_ATTR.format("href"), re.IGNORECASE)
_CLASS_RE = re.compile(_ATTR.format("class"), re.IGNORECASE)


def _attr(pattern: re.Pattern[str], attrs: str) -> str:
    m = pattern.search(attrs)
    return unescape(next((g for g in m.groups() if g is not None), "")) if m else ""


def html_text(html: str) -> tuple[str, list[str]]:
    """Plain text and link targets of a status's HTML ``content`` (never executed).

    Tags are removed (``<script>``, ``<style>`` and the like with their bodies),
    ``<br>`` and block tags become line breaks, entities are decoded. Nothing is fetched
    or run, and the work is linear in the length of the input.

    Parameters
    ----------
    html : str
        Mastodon ``content`` HTML.

    Returns
    -------
    tuple[str, list[str]]
        The text and the ``href`` of links that are not mentions or hashtags.
    """
    chunks: list[str] = []
    links: list[str] = []
    lower = html.lower()
    has_text = False
    pos = 0
    while True:
        m = _TAG_RE.search(html, pos)
        chunk = unescape(html[pos : m.start() if m else len(html)])
        chunks.append(chunk)
        has_text = has_text or bool(chunk.strip())
        if m is None:
            break
        pos = m.end()
        closing, tag, attrs = m.group(1), (m.group(2) or "").lower(), m.group(3) or ""
        if not tag or closing:
            continue
        if tag in _DROP:
            end = lower.find(f"</{tag}", pos)
            pos = end if end >= 0 else len(html)
        elif tag == "br":
            chunks.append("\n")
        elif tag in _BLOCK and has_text:
            chunks.append("\n\n")
        elif tag == "a":
            cls = _attr(_CLASS_RE, attrs).split()
            href = _attr(_HREF_RE, attrs)
            if href and "mention" not in cls and "hashtag" not in cls:
                links.append(href)
    return "".join(chunks).strip(), links


def _status(s: dict[str, Any], where: str) -> tuple[str | None, list[str], list[str]]:
    """``(text, urls, hashtags)`` of one status object."""
    content = text(s.get("content"), f"{where}content")
    body, links = html_text(content) if content else ("", [])
    spoiler = text(s.get("spoiler_text"), f"{where}spoiler_text")
    if spoiler:
        body = f"{spoiler}\n\n{body}" if body else spoiler
    card = obj(s.get("card"), f"{where}card") or {}
    card_url = scalar(card.get("url"), f"{where}card.url")
    urls = list(dict.fromkeys(links + ([card_url] if card_url else [])))
    tags = str_items(s.get("tags"), f"{where}tags", "name")
    return body or None, urls, tags


def _media(s: dict[str, Any], where: str) -> list[str]:
    """Media keys of a status's attachments (see the module table)."""
    out: list[str] = []
    for att in items(s.get("media_attachments"), f"{where}media_attachments"):
        a = obj(att, f"{where}media_attachments[]") or {}
        blurhash = scalar(a.get("blurhash"), f"{where}media_attachments[].blurhash")
        if blurhash:
            orig = obj(get(a, "meta", "original"), "meta.original") or {}
            w, h = scalar(orig.get("width"), "width"), scalar(orig.get("height"), "height")
            out.append(f"blurhash:{blurhash}:{w or ''}x{h or ''}")
            continue
        url = scalar(a.get("remote_url"), f"{where}media_attachments[].remote_url") or scalar(
            a.get("url"), f"{where}media_attachments[].url"
        )
        out += [url] if url else []
    return out


def mastodon_row(rec: Any) -> Row:
    """One Mastodon status -> canonical row.

    Raises
    ------
    BadRecord
        If the status is not an object or a field has the wrong type.
    """
    if not isinstance(rec, dict):
        raise BadRecord(f"a status is a JSON {type(rec).__name__}; expected an object")
    account = obj(rec.get("account"), "account") or {}
    reblog = obj(rec.get("reblog"), "reblog")
    body, urls, tags = _status(rec, "")
    media = _media(rec, "")
    if reblog is not None:
        r_body, r_urls, r_tags = _status(reblog, "reblog.")
        body, urls, tags = body or r_body, urls or r_urls, tags or r_tags
        media = media or _media(reblog, "reblog.")
    quote = obj(rec.get("quote"), "quote") or {}
    quoted = obj(quote.get("quoted_status"), "quote.quoted_status") or {}
    app = obj(rec.get("application"), "application") or {}
    return {
        "post_id": scalar(rec.get("id"), "id"),
        "account_id": scalar(account.get("id"), "account.id"),
        "account_name": scalar(account.get("acct"), "account.acct"),
        "account_created_at": scalar(account.get("created_at"), "account.created_at"),
        "followers": scalar(account.get("followers_count"), "account.followers_count"),
        "created_at": scalar(rec.get("created_at"), "created_at"),
        "text": body,
        "repost_of": scalar(reblog.get("id"), "reblog.id") if reblog is not None else None,
        "reply_to": scalar(rec.get("in_reply_to_id"), "in_reply_to_id"),
        "quote_of": scalar(quoted.get("id"), "quote.quoted_status.id")
        or scalar(quote.get("quoted_status_id"), "quote.quoted_status_id"),
        "urls": urls,
        "hashtags": tags,
        "mentions": str_items(rec.get("mentions"), "mentions", "acct"),
        "client": scalar(app.get("name"), "application.name"),
        "lang": scalar(rec.get("language"), "language"),
        "media": media,
        "platform": "mastodon",
    }
