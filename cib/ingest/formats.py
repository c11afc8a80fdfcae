"""Format detection from a header (tabular files) or keys (JSON records), and ``--map``."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping

from cib.config import FORMATS
from cib.errors import ConfigError, InputError
from cib.schemas import POSTS, REQUIRED_POST_COLUMNS

__all__ = [
    "COLUMN_ALIASES",
    "FORMATS",
    "FORMAT_SIGNS",
    "IO_COLUMNS",
    "detect_format",
    "match_columns",
    "not_a_dump_error",
    "parse_mapping",
]


#: What ``auto`` looks for, per format (in the order it looks), for error messages.
FORMAT_SIGNS: dict[str, str] = {
    "canonical": "columns post_id, account_id, created_at",
    "twitter-io": "Twitter/X information-operations archive columns tweetid, userid, tweet_time",
    "telegram": "a Telegram Desktop export: name, type, id and messages (or chats.list)",
    "bluesky": "Bluesky Jetstream events (did, time_us, kind, commit) or post views "
    "(uri, cid, author, record)",
    "twarc2-csv": "a twarc2 CSV: id, author_id and dotted columns such as "
    "referenced_tweets.retweeted.id",
    "4cat": "a 4CAT export: id, thread_id, author, body and timestamp or unix_timestamp",
    "twitter-v2": "Twitter API v2 JSON lines: data (pages) or id and author_id (tweets)",
    "reddit": "Pushshift/Arctic Shift Reddit NDJSON: author, created_utc and subreddit or link_id",
    "mastodon": "Mastodon API statuses: id, created_at, account, content",
    "twitter-v1": "Twitter API v1.1 statuses: id_str, or user, created_at and text",
    "meta": "a CrowdTangle CSV (Post Created, URL, Facebook Id or User Name) or Meta "
    "Content Library posts (creation_time, post_owner)",
}

#: Twitter/X information-operations archive column -> canonical column.
IO_COLUMNS: dict[str, str] = {
    "tweetid": "post_id",
    "userid": "account_id",
    "tweet_time": "created_at",
    "tweet_text": "text",
    "tweet_client_name": "client",
    "tweet_language": "lang",
    "account_creation_date": "account_created_at",
    "user_screen_name": "account_name",
    "user_reported_location": "account_location",
    "follower_count": "followers",
    "retweet_tweetid": "repost_of",
    "in_reply_to_tweetid": "reply_to",
    "quoted_tweet_tweetid": "quote_of",
    "hashtags": "hashtags",
    "urls": "urls",
    "user_mentions": "mentions",
}


#: Other names a canonical column goes by in dumps (matched after the canonical name itself):
#: CooRTweet's sample data calls its perceptual image hashes ``image_hashes``.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {"media": ("image_hashes",)}


def parse_mapping(spec: str | None) -> dict[str, str]:
    """Parse ``--map canonical=source,...`` into ``{canonical: source}``.

    Parameters
    ----------
    spec : str or None
        Comma-separated ``canonical=source`` pairs; ``None`` or blank gives ``{}``.

    Returns
    -------
    dict[str, str]
        Canonical column name -> source column name.

    Raises
    ------
    ConfigError
        On a pair without ``=``, an unknown canonical name, an empty source or a repeat.
    """
    if spec is None or not spec.strip():
        return {}
    out: dict[str, str] = {}
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise ConfigError(
                f"--map entry {part!r} has no '='; write canonical=source, e.g. "
                "--map post_id=tweet_id,account_id=user_id,created_at=time."
            )
        key, src = (x.strip() for x in part.split("=", 1))
        if key not in POSTS:
            raise ConfigError(
                f"--map key {key!r} is not a canonical column; use one of {list(POSTS)} "
                "on the left of '='."
            )
        if not src:
            raise ConfigError(f"--map entry {part!r} names no source column after '='.")
        if key in out:
            raise ConfigError(f"--map gives {key!r} twice ({out[key]!r} and {src!r}).")
        out[key] = src
    return out


def match_columns(columns: Collection[str], mapping: Mapping[str, str] | None) -> dict[str, str]:
    """Which source column feeds each canonical column (exact, then case-insensitive).

    Raises
    ------
    InputError
        If a mapped source column is absent.
    """
    cols = list(columns)
    lower = {c.strip().lower(): c for c in reversed(cols)}
    out: dict[str, str] = {}
    for canon, src in (mapping or {}).items():
        if src in cols:
            out[canon] = src
        elif src.strip().lower() in lower:
            out[canon] = lower[src.strip().lower()]
        else:
            raise InputError(
                f"--map {canon}={src}: the file has no column {src!r}; its columns are "
                f"{_show(cols)}."
            )
    used = set(out.values())
    for canon in POSTS:
        if canon in out:
            continue
        src = None
        for name in (canon, *COLUMN_ALIASES.get(canon, ())):
            src = name if name in cols else lower.get(name)
            if src is not None:
                break
        if src is not None and src not in used:
            out[canon] = src
            used.add(src)
    return out


def detect_format(columns: Collection[str], mapping: Mapping[str, str] | None = None) -> str:
    """The format implied by a header or JSON keys, or ``""`` when none fits.

    Formats are tried in the order of :data:`FORMAT_SIGNS`; a ``mapping`` means canonical.
    """
    cols = {c.strip().lower() for c in columns}
    if mapping:
        return "canonical"
    for name, test in _DETECTORS:
        if test(cols):
            return name
    return ""


def _dotted(cols: set[str], *prefixes: str) -> bool:
    return any(c.startswith(prefixes) for c in cols)


_DETECTORS: tuple[tuple[str, Callable[[set[str]], bool]], ...] = (
    ("canonical", lambda c: all(r in c for r in REQUIRED_POST_COLUMNS)),
    ("twitter-io", lambda c: {"tweetid", "userid", "tweet_time"} <= c),
    ("telegram", lambda c: ("messages" in c and bool({"name", "type", "id"} & c))
     or ("chats" in c and "messages" not in c and "data" not in c)
     or ({"id", "type", "date", "from_id"} <= c)),
    ("bluesky", lambda c: ("did" in c and bool({"commit", "time_us"} & c))
     or {"uri", "cid", "author", "record"} <= c),
    ("twarc2-csv", lambda c: {"id", "author_id"} <= c
     and _dotted(c, "referenced_tweets.", "author.", "entities.", "public_metrics.")),
    ("4cat", lambda c: {"id", "thread_id", "author", "body"} <= c
     and bool({"timestamp", "unix_timestamp"} & c)),
    ("twitter-v2", lambda c: "data" in c or {"id", "author_id"} <= c),
    ("reddit", lambda c: {"author", "created_utc"} <= c
     and bool({"subreddit", "subreddit_id", "link_id", "parent_id"} & c)),
    ("mastodon", lambda c: {"id", "created_at", "account", "content"} <= c),
    ("twitter-v1", lambda c: "id_str" in c
     or ({"user", "created_at"} <= c and bool({"text", "full_text"} & c))),
    ("meta", lambda c: ({"post created", "url"} <= c
                        and bool({"facebook id", "user name", "page name", "account"} & c))
     or ("creation_time" in c and ("post_owner" in c or _dotted(c, "post_owner.")))),
)  # fmt: skip


def _show(cols: Collection[str], n: int = 30) -> str:
    cols = list(cols)
    more = f" and {len(cols) - n} more" if len(cols) > n else ""
    return "[" + ", ".join(repr(c) for c in cols[:n]) + "]" + more


_GUESS = {
    "post_id": r"(^|_)(post|tweet|message|msg|status)?_?id$|^id$",
    "account_id": r"(user|account|author|from)_?(id|name)?$|^(user|author|account)",
    "created_at": r"(time|date|created|timestamp|^ts$|posted)",
}


def not_a_dump_error(path: str, columns: Collection[str]) -> InputError:
    """The error for a file that is not a posts dump, with a ``--map`` suggestion."""
    cols = [c for c in columns]
    guesses: dict[str, str] = {}
    for canon, pat in _GUESS.items():
        for c in cols:
            if c not in guesses.values() and re.search(pat, c.strip().lower()):
                guesses[canon] = c
                break
    example = ",".join(f"{k}={guesses.get(k, '<column>')}" for k in REQUIRED_POST_COLUMNS)
    looked = "; ".join(f"{name} ({sign})" for name, sign in FORMAT_SIGNS.items())
    return InputError(
        f"{path} does not look like a dump of posts: found columns {_show(cols)}. "
        f"Looked for these formats: {looked}. If the file is one of them, name it with "
        f"--format; if the posts are there under other names, map them: --map {example}"
    )
