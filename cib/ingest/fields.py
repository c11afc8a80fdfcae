"""Helpers every record reader shares: typed field access, list fields, object keys.

A record reader turns one parsed record (a JSON object, or a CSV row as a dict) into one
row with canonical keys (see :data:`cib.schemas.POSTS`) holding strings or lists of
strings; the canonical path (:mod:`cib.ingest.canonical`) coerces and validates them.
Readers raise :class:`BadRecord` for a record that cannot become a post, with a message
that names the field and what was expected; :func:`map_records` turns that into a
quarantine row and goes on with the next record.

Nothing here recurses into a record: hostile inputs nested thousands of levels deep are
walked with explicit stacks.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

__all__ = [
    "BadRecord",
    "Row",
    "digest",
    "get",
    "hashtags_in",
    "items",
    "json_list",
    "map_records",
    "obj",
    "pick",
    "scalar",
    "str_items",
    "text",
    "urls_in",
]

#: A canonical row: canonical column -> string, list of strings or None.
Row = dict[str, Any]
_Bad = list[tuple[int, str, str]]


class BadRecord(ValueError):
    """A record that cannot become a post; the message says why."""


def get(d: Any, *path: str) -> Any:
    """``d[path[0]][path[1]]...``, or None where a step is missing or not an object."""
    for key in path:
        if not isinstance(d, dict):
            return None
        d = d.get(key)
    return d


def pick(rec: dict[str, Any], dotted: str) -> Any:
    """A field given as ``a.b.c``: a flattened key of that name first, else the nested path."""
    if dotted in rec:
        return rec[dotted]
    return get(rec, *dotted.split("."))


def scalar(v: Any, field: str) -> str | None:
    """An id, count or timestamp as text; None for null or ``""``.

    Raises
    ------
    BadRecord
        If ``v`` is an object, an array or a boolean.
    """
    if v is None or v == "":
        return None
    if isinstance(v, bool) or isinstance(v, (dict, list)):
        raise BadRecord(f"field {field!r} is a {_kind(v)}; expected text or a number")
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def text(v: Any, field: str) -> str | None:
    """A free-text field (kept as is, whitespace included); None for null.

    Raises
    ------
    BadRecord
        If ``v`` is an object, an array or a boolean.
    """
    if v is None:
        return None
    if isinstance(v, str):
        return v
    return scalar(v, field)


def obj(v: Any, field: str) -> dict[str, Any] | None:
    """An optional nested object.

    Raises
    ------
    BadRecord
        If ``v`` is present but not an object.
    """
    if v is None:
        return None
    if not isinstance(v, dict):
        raise BadRecord(f"field {field!r} is a {_kind(v)}; expected an object")
    return v


def items(v: Any, field: str) -> list[Any]:
    """An optional array ([] when absent).

    Raises
    ------
    BadRecord
        If ``v`` is present but not an array.
    """
    if v is None:
        return []
    if not isinstance(v, list):
        raise BadRecord(f"field {field!r} is a {_kind(v)}; expected an array")
    return v


def str_items(v: Any, field: str, key: str | tuple[str, ...] | None = None) -> list[str]:
    """An array of strings, or of objects whose ``key`` holds the string.

    ``key`` may name several keys: the first non-empty one is used.

    Raises
    ------
    BadRecord
        If ``v`` is not an array, or an element is neither a scalar nor such an object.
    """
    keys = (key,) if isinstance(key, str) else key
    out: list[str] = []
    for it in items(v, field):
        where = f"{field}[]"
        if isinstance(it, dict) and keys:
            where = f"{field}[].{keys[0]}"
            it = next((it[k] for k in keys if it.get(k) not in (None, "")), None)
        s = scalar(it, where)
        if s:
            out.append(s)
    return out


def json_list(v: Any, field: str, key: str | tuple[str, ...] | None = None) -> list[str]:
    """A list cell of a CSV export: a JSON array (``["#a", "#b"]``), else split on commas.

    JSON arrays of objects are read through ``key`` (as :func:`str_items`); a cell that is
    not JSON (a Python list repr, ``a,b``) is split on commas after stripping brackets and
    quotes.
    """
    if v is None:
        return []
    if isinstance(v, list):
        return str_items(v, field, key)
    if isinstance(v, (dict, bool)):
        raise BadRecord(f"field {field!r} is a {_kind(v)}; expected a list")
    s = str(v).strip()
    if not s:
        return []
    if s[:1] in "[{":
        try:
            parsed = json.loads(s)
        except (ValueError, RecursionError):
            parsed = None
        if isinstance(parsed, dict):
            parsed = [parsed]
        if isinstance(parsed, list):
            return str_items(parsed, field, key)
    parts = (p.strip(" \t\r\n'\"") for p in s.strip(" \t\r\n[]").split(","))
    return [p for p in parts if p]


def digest(*parts: str | None) -> str:
    """A stable 16-hex-digit key built from ``parts`` (None counts as empty)."""
    h = hashlib.sha1(usedforsecurity=False)
    for p in parts:
        h.update((p or "").encode("utf-8", errors="replace"))
        h.update(b"\x1f")
    return h.hexdigest()[:16]


_URL_RE = re.compile(r"https?://[^\s<>\"'`\])}]+", re.IGNORECASE)
_TAG_RE = re.compile(r"(?<![\w&/#])[#＃](\w[\w-]*)")


def urls_in(s: str | None) -> list[str]:
    """``http(s)://`` links in plain text (trailing punctuation dropped)."""
    if not s:
        return []
    return [u.rstrip(".,;:!?*") for u in _URL_RE.findall(s)]


def hashtags_in(s: str | None) -> list[str]:
    """``#tag`` words in plain text, without the ``#``."""
    if not s:
        return []
    return [t for t in _TAG_RE.findall(s) if not t.isdigit()]


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, dict):
        return "object"
    if isinstance(v, list):
        return "array"
    return type(v).__name__


def map_records(
    records: Iterable[tuple[int, Any]],
    fn: Callable[[Any], Row | None],
    raws: Sequence[str] | None = None,
) -> tuple[list[Row], list[int], _Bad, list[str] | None]:
    """Run a record reader over ``(line, record)`` pairs.

    Parameters
    ----------
    records : Iterable[tuple[int, Any]]
        Physical line of each record (1-based) and the parsed record.
    fn : callable
        Record -> canonical row; None skips a record that is not a post (a service
        message, a like); :class:`BadRecord` quarantines it.
    raws : Sequence[str], optional
        Raw excerpt of each record (documents whose records span lines); aligned with
        ``records``.

    Returns
    -------
    tuple
        Rows, their lines, ``(line, reason, raw)`` for bad records, and the raw excerpt
        of each row (None without ``raws``).
    """
    rows: list[Row] = []
    lines: list[int] = []
    bad: _Bad = []
    row_raws: list[str] | None = [] if raws is not None else None
    for i, (line, rec) in enumerate(records):
        raw = raws[i] if raws is not None else ""
        try:
            row = fn(rec)
        except BadRecord as exc:
            bad.append((line, str(exc), raw))
            continue
        if row is None:
            continue
        rows.append(row)
        lines.append(line)
        if row_raws is not None:
            row_raws.append(raw)
    return rows, lines, bad, row_raws
