"""Neutralising adversary-written text for every output format, and atomic file writes.

Everything a report shows that came from a dump (post text, names, locations, URLs, ids) is
written by the operator of the network under investigation. Renderers pass each such value
through one of the helpers below before it reaches a file:

* :func:`clean` makes text *visible and inert*: bidi overrides and control characters become
  a visible ``⟨U+202E⟩`` marker, so a name cannot reorder the text around it or smuggle
  terminal escape codes, and XML-illegal code points cannot break the GEXF file.
* :func:`h` escapes for HTML text *and* attributes (``html.escape(quote=True)``) after
  :func:`clean`.
* :func:`md` escapes Markdown and HTML specials for ``report.md``.
* :func:`csv_cell` guards spreadsheet formula injection.
* :func:`xml` escapes for XML attributes and text (GEXF).
* :func:`safe_url` returns a URL only when its scheme is http or https; other schemes
  (``javascript:``, ``data:``, ``vbscript:``...) are never made into links.
"""

from __future__ import annotations

import html as _html
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

#: Bidi embedding/override/isolate controls (U+202A-E, U+2066-9) plus the invisible marks
#: LRM, RLM and ALM, which can also reorder neighbouring text.
BIDI_CHARS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f", "\u061c"]
)

# C0 controls except tab/newline, DEL, C1 controls, lone surrogates, U+FFFE/FFFF, bidi.
_UNSAFE_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    + "".join(sorted(BIDI_CHARS))
    + "]"
)

#: A cell starting with one of these is read as a formula by spreadsheet software.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

_MD_SPECIALS_RE = re.compile(r"([\\`*_{}\[\]()#+!|~])")


def _marker(m: re.Match[str]) -> str:
    return f"⟨U+{ord(m.group(0)):04X}⟩"


def clean(value: Any) -> str:
    """``value`` as display text with bidi controls and control characters made visible.

    ``None`` becomes the empty string. Tab and newline are kept (renderers that need a single
    line collapse them); every other control character, lone surrogate and bidi control is
    replaced by a visible marker such as ``⟨U+202E⟩``.
    """
    if value is None:
        return ""
    return _UNSAFE_RE.sub(_marker, str(value))


def one_line(value: Any) -> str:
    """:func:`clean` text with runs of whitespace (newlines, tabs) collapsed to one space."""
    return " ".join(clean(value).split())


def h(value: Any) -> str:
    """Escape ``value`` for HTML text or a quoted attribute (after :func:`clean`)."""
    return _html.escape(clean(value), quote=True)


def truncate(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def safe_url(value: Any) -> str | None:
    """``value`` when it is an absolute http(s) URL with a host, else ``None``.

    The scheme test runs on the URL after stripping the whitespace and control characters
    browsers ignore, so ``" java\\tscript:..."`` or ``"JAVASCRIPT:..."`` are both refused.
    """
    if not isinstance(value, str):
        return None
    candidate = value.strip()
    if not candidate or _UNSAFE_RE.search(candidate) or any(c.isspace() for c in candidate):
        return None
    try:
        parts = urlsplit(candidate)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return candidate


def html_link(url: Any, label: Any | None = None) -> str:
    """An ``<a>`` for an http(s) URL (rel=noopener noreferrer nofollow), else escaped text."""
    shown = h(url if label is None else label)
    target = safe_url(url)
    if target is None:
        return f'<span class="nolink">{shown}</span>'
    return (
        f'<a href="{h(target)}" rel="noopener noreferrer nofollow" '
        f'target="_blank" class="ext">{shown}</a>'
    )


def md(value: Any) -> str:
    """Escape ``value`` for Markdown inline text (tables included), on one line.

    ``&``, ``<`` and ``>`` become HTML entities (so no raw HTML tag or autolink survives),
    Markdown punctuation (backticks, pipes, brackets, emphasis, ``#``) is backslash-escaped.
    """
    text = one_line(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIALS_RE.sub(r"\\\1", text)


def md_link(url: Any, label: Any | None = None) -> str:
    """A Markdown link for an http(s) URL, else the escaped text (never a live link)."""
    shown = md(url if label is None else label)
    target = safe_url(url)
    if target is None:
        return shown
    href = quote(target, safe=":/?#@!$&'*+,;=%~-._")
    return f"[{shown}](<{href}>)"


def csv_cell(value: Any) -> Any:
    """A CSV cell that spreadsheets will not evaluate: formula-like strings get a ``'`` prefix.

    Numbers (not bools) pass through unchanged; ``None`` becomes an empty cell; strings are
    :func:`clean`-ed and prefixed with a single quote when they start with ``= + - @``, tab or
    carriage return.
    """
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        text = repr(value) if isinstance(value, float) else str(value)
        return "'" + text if text.startswith(FORMULA_PREFIXES) else value
    text = clean(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def xml(value: Any) -> str:
    """Escape ``value`` for XML text or a double-quoted attribute (after :func:`clean`)."""
    text = clean(value)
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&apos;")
        .replace("\n", "&#10;")
        .replace("\t", "&#9;")
        .replace("\r", "&#13;")
    )


def atomic_write(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same directory and ``os.replace``.

    Readers see either the old file or the complete new one, never a partial write.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; reports are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path
