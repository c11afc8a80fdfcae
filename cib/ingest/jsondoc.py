"""Parsing JSON safely: JSON lines, and single documents whose records span many lines.

Two hostile inputs used to crash a run and are now one quarantined record each:

* a record nested thousands of levels deep (``json.loads`` raises ``RecursionError``);
* a lone UTF-16 surrogate escape such as ``"\\ud800"`` (valid JSON, but not Unicode: it
  raised ``UnicodeEncodeError`` when the text reached Polars).

A single document is a top-level array of records (a Mastodon API response), or an object
whose ``messages`` arrays hold the records (a Telegram Desktop export, one chat or the whole
account under ``chats.list``). Its records are found with ``raw_decode`` and, where one of
them cannot be parsed, with an explicit-stack scan for the end of its value, so one bad
record is quarantined on its own physical line and the rest of the file is read.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from cib.ingest.quarantine import RAW_MAX

__all__ = [
    "DEPTH_REASON",
    "SURROGATE_REASON",
    "Document",
    "Member",
    "has_surrogate_escape",
    "is_document",
    "load_record",
    "parse_lines",
    "read_document",
]

_Bad = list[tuple[int, str, str]]

DEPTH_REASON = (
    f"record is nested too deeply to read (over about {sys.getrecursionlimit()} levels of "
    "[ and {); flatten it or remove it from the dump"
)
SURROGATE_REASON = (
    "record holds a lone UTF-16 surrogate escape (such as \\ud800) that is not valid "
    "Unicode; re-export the dump as UTF-8 or remove the record"
)

#: A surrogate escape that is not half of a high+low pair (prefilter: bytes, no parsing).
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


@dataclass(frozen=True)
class Member:
    """A record found inside a container object (a Telegram message inside its chat).

    Attributes
    ----------
    container : dict
        The container's scalar fields (``name``, ``type``, ``id``).
    value : Any
        The parsed record.
    """

    container: dict[str, Any]
    value: Any


@dataclass
class Document:
    """Records of one JSON document, each with its physical line and a raw excerpt."""

    records: list[tuple[int, Any]] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    bad: _Bad = field(default_factory=list)
    containers: int = 0
    """How many ``messages`` containers were found (0: an array or a single object)."""


def has_surrogate_escape(raw: bytes) -> bool:
    """Whether ``raw`` may hold a lone surrogate escape (a cheap, conservative test)."""
    return b"\\u" in raw and _LONE_SURROGATE.search(raw) is not None


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        x = stack.pop()
        if isinstance(x, str):
            try:
                x.encode("utf-8")
            except UnicodeEncodeError:
                return True
        elif isinstance(x, dict):
            stack.extend(x.keys())
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return False


def load_record(raw: bytes | str) -> Any:
    """``json.loads`` that reports depth and surrogate problems as ``ValueError``.

    Raises
    ------
    ValueError
        With :data:`DEPTH_REASON`, :data:`SURROGATE_REASON`, or the JSON error.
    """
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ValueError(DEPTH_REASON) from None
    b = raw.encode("utf-8", errors="surrogatepass") if isinstance(raw, str) else raw
    if has_surrogate_escape(b) and _has_lone_surrogate(value):
        raise ValueError(SURROGATE_REASON)
    return value


def _reason(exc: ValueError) -> str:
    msg = str(exc)
    if msg in (DEPTH_REASON, SURROGATE_REASON):
        return msg
    return f"line is not valid JSON ({msg}); fix or remove the line"


def parse_lines(lines: list[bytes]) -> tuple[list[tuple[int, Any]], _Bad]:
    """JSON lines -> ``(line, record)`` pairs and ``(line, reason, "")`` for bad lines.

    Blank lines are skipped (they hold no record).
    """
    recs: list[tuple[int, Any]] = []
    bad: _Bad = []
    for i, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            recs.append((i, load_record(raw)))
        except ValueError as exc:
            bad.append((i, _reason(exc), ""))
    return recs, bad


def is_document(lines: list[bytes]) -> bool:
    """Whether the JSON input is one document rather than JSON lines.

    JSON lines: the first non-blank line is a whole JSON value by itself (and, when it is
    the only line, not an array). Anything else starting with ``[`` or ``{`` is tried as a
    document first.
    """
    nonblank = [raw for raw in lines[:2000] if raw.strip()]
    if not nonblank:
        return False
    first = nonblank[0].strip()
    if len(nonblank) == 1 and len(lines) <= 2000:
        return first[:1] == b"["
    try:
        json.loads(first)
    except (ValueError, RecursionError):
        return first[:1] in (b"[", b"{")
    return False


class _Malformed(ValueError):
    """The document's own structure (not one record) is broken."""


_WS = re.compile(r"[ \t\n\r]*")
_TOKEN = re.compile(r'["\[\]{}]')
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_SCALAR = re.compile(r"[^\s,\]}]+")
_SPACES = re.compile(r"\s+")


def _ws(t: str, i: int) -> int:
    m = _WS.match(t, i)
    assert m is not None  # matches the empty string
    return m.end()


def _skip(t: str, i: int) -> int:
    """End of the JSON value starting at ``t[i]``, found without parsing (no recursion)."""
    c = t[i : i + 1]
    if c == '"':
        m = _STRING.match(t, i)
        if m is None:
            raise _Malformed(f"unterminated string at character {i}")
        return m.end()
    if c not in ("[", "{"):
        m = _SCALAR.match(t, i)
        if m is None:
            raise _Malformed(f"expected a value at character {i}")
        return m.end()
    depth = 0
    while True:
        m = _TOKEN.search(t, i)
        if m is None:
            raise _Malformed("unbalanced brackets: the document ends inside a value")
        j = m.start()
        if m.group() == '"':
            s = _STRING.match(t, j)
            if s is None:
                raise _Malformed(f"unterminated string at character {j}")
            i = s.end()
            continue
        depth += 1 if m.group() in "[{" else -1
        i = j + 1
        if depth == 0:
            return i


class _Walker:
    """Walks one document, collecting records with their lines and raw excerpts."""

    def __init__(self, text: str) -> None:
        self.t = text
        self.dec = json.JSONDecoder()
        self.pos = 0
        self.line = 1
        self.doc = Document()

    def line_at(self, i: int) -> int:
        if i < self.pos:
            self.pos, self.line = 0, 1
        self.line += self.t.count("\n", self.pos, i)
        self.pos = i
        return self.line

    def excerpt(self, i: int, end: int) -> str:
        return _SPACES.sub(" ", self.t[i : min(end, i + RAW_MAX * 4)]).strip()[:RAW_MAX]

    def value(self, i: int) -> tuple[Any, int, str | None]:
        """``(value, end, problem)``: the parsed value, or None and why not."""
        try:
            v, end = self.dec.raw_decode(self.t, i)
        except RecursionError:
            return None, _skip(self.t, i), DEPTH_REASON
        except ValueError as exc:
            return None, _skip(self.t, i), f"record is not valid JSON ({exc}); fix or remove it"
        if "\\u" in self.t[i:end] and _has_lone_surrogate(v):
            return None, end, SURROGATE_REASON
        return v, end, None

    def array(self, i: int, container: dict[str, Any] | None) -> int:
        """Records of the array at ``t[i]``; returns the index after ``]``."""
        i = _ws(self.t, i + 1)
        if self.t[i : i + 1] == "]":
            return i + 1
        while True:
            line = self.line_at(i)
            v, end, problem = self.value(i)
            raw = self.excerpt(i, end)
            if problem is not None:
                self.doc.bad.append((line, problem, raw))
            else:
                self.doc.records.append((line, v if container is None else Member(container, v)))
                self.doc.raws.append(raw)
            i = _ws(self.t, end)
            c = self.t[i : i + 1]
            if c == "]":
                return i + 1
            if c != ",":
                raise _Malformed(f"expected ',' or ']' at character {i}")
            i = _ws(self.t, i + 1)

    def members(self, i: int, on_value: Any) -> int:
        """Walk the object at ``t[i]``; ``on_value(key, start)`` returns each value's end."""
        i = _ws(self.t, i + 1)
        if self.t[i : i + 1] == "}":
            return i + 1
        while True:
            if self.t[i : i + 1] != '"':
                raise _Malformed(f"expected a key at character {i}")
            kend = _skip(self.t, i)
            try:
                key = json.loads(self.t[i:kend])
            except ValueError as exc:
                raise _Malformed(f"bad key at character {i}") from exc
            i = _ws(self.t, kend)
            if self.t[i : i + 1] != ":":
                raise _Malformed(f"expected ':' at character {i}")
            i = _ws(self.t, on_value(key, _ws(self.t, i + 1)))
            c = self.t[i : i + 1]
            if c == "}":
                return i + 1
            if c != ",":
                raise _Malformed(f"expected ',' or '}}' at character {i}")
            i = _ws(self.t, i + 1)

    def container(self, i: int) -> int:
        """An object: its scalar fields, ``messages`` arrays and ``chats`` lists."""
        meta: dict[str, Any] = {}

        def on_value(key: str, start: int) -> int:
            c = self.t[start : start + 1]
            if key == "messages" and c == "[":
                self.doc.containers += 1
                return self.array(start, meta)
            if key in ("chats", "left_chats") and c == "{":
                return self.members(start, self.chat_list)
            try:
                v, end = self.dec.raw_decode(self.t, start)
            except (ValueError, RecursionError):
                return _skip(self.t, start)
            if not isinstance(v, (dict, list)):
                meta[key] = v
            return end

        return self.members(i, on_value)

    def chat_list(self, key: str, start: int) -> int:
        """``chats.list`` of a whole-account export: one container per chat."""
        if key != "list" or self.t[start : start + 1] != "[":
            return _skip(self.t, start)
        i = _ws(self.t, start + 1)
        if self.t[i : i + 1] == "]":
            return i + 1
        while True:
            if self.t[i : i + 1] == "{":
                i = self.container(i)
            else:
                end = _skip(self.t, i)
                self.doc.bad.append(
                    (self.line_at(i), "a chat is not a JSON object", self.excerpt(i, end))
                )
                i = end
            i = _ws(self.t, i)
            c = self.t[i : i + 1]
            if c == "]":
                return i + 1
            if c != ",":
                raise _Malformed(f"expected ',' or ']' at character {i}")
            i = _ws(self.t, i + 1)


def read_document(data: bytes) -> Document | None:
    """The records of one JSON document, or None if ``data`` is not one JSON value.

    Parameters
    ----------
    data : bytes
        The whole file (UTF-8; undecodable bytes become U+FFFD).

    Returns
    -------
    Document or None
        For a top-level array, its elements; for an object with ``messages`` (or
        ``chats.list[].messages``) arrays, their elements as :class:`Member` records;
        for any other object, the object itself (line 1).
    """
    t = data.decode("utf-8", errors="replace")
    start = _ws(t, 0)
    w = _Walker(t)
    try:
        if t[start : start + 1] == "[":
            end = w.array(start, None)
        elif t[start : start + 1] == "{":
            end = w.container(start)
            if not w.doc.containers:  # one record, e.g. a pretty-printed API page
                w.doc = Document()
                v, end, problem = w.value(start)
                raw = w.excerpt(start, end)
                if problem is not None:
                    w.doc.bad.append((1, problem, raw))
                else:
                    w.doc.records.append((1, v))
                    w.doc.raws.append(raw)
        else:
            return None
    except _Malformed:
        return None
    if t[end:].strip():
        return None
    w.doc.bad.sort(key=lambda b: b[0])
    return w.doc
