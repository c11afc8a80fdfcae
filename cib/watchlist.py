"""The watchlist: accounts known to be operated, or taken down, whose return is watched.

``cib watchlist add FILE [--label NAME]`` reads a CSV with a header holding ``account_id``
and optionally ``label`` (a bare one-column file without header works too). Networks that
include watchlisted accounts, whose content matches what watchlisted accounts posted, or
whose members follow a watchlisted handle pattern get ``history["watchlist_hits"]`` (see
:mod:`cib.tracking`).
"""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from cib.errors import InputError
from cib.store import Store

__all__ = ["read_watchlist", "add_watchlist_file", "parse_takedown_time"]

DEFAULT_LABEL = "watchlist"


def read_utf8(path: Path, what: str) -> str:
    """The text of a small CSV the user hands in (a watchlist, affiliations); an unreadable or
    non-UTF-8 file raises :class:`InputError` naming ``what`` and the fix."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"cannot read {what} {str(path)!r}: {exc.strerror or exc}.") from exc
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{what} {str(path)!r} is not UTF-8 text ({exc}); save it as UTF-8 CSV."
        ) from exc


def read_watchlist(path: str | Path, label: str | None = None) -> list[tuple[str, str]]:
    """(account_id, label) pairs of a watchlist CSV; ``label`` overrides the file's labels."""
    p = Path(path)
    text = read_utf8(p, "watchlist")
    rows = [r for r in csv.reader(text.splitlines()) if r and any(c.strip() for c in r)]
    if not rows:
        raise InputError(f"watchlist {str(p)!r} is empty; expected a CSV with account_id[,label].")
    head = [c.strip().lower() for c in rows[0]]
    if "account_id" in head:
        ai = head.index("account_id")
        li = head.index("label") if "label" in head else None
        body = rows[1:]
    else:
        ai, li, body = 0, (1 if len(rows[0]) > 1 else None), rows
    out: list[tuple[str, str]] = []
    for r in body:
        acc = r[ai].strip() if ai < len(r) else ""
        if not acc:
            continue
        lab = label or (r[li].strip() if li is not None and li < len(r) else "") or DEFAULT_LABEL
        out.append((acc, lab))
    if not out:
        raise InputError(f"watchlist {str(p)!r} lists no account_id values.")
    return out


def parse_takedown_time(value: str) -> datetime:
    """``--taken-down-at``: ISO 8601 (``Z`` or an offset; naive means UTC)."""
    try:
        t = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(
            f"--taken-down-at must be an ISO 8601 time such as 2024-03-09T00:00Z; got {value!r}."
        ) from exc
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def add_watchlist_file(
    store: Store, path: str | Path, label: str | None = None, *, added_at: datetime | None = None
) -> dict:
    """Register the accounts of ``path``; returns counts (read, added). ``added_at`` (default
    now) is the takedown time return detection measures account creation from."""
    pairs = read_watchlist(path, label)
    added = store.add_watchlist(pairs, source=str(path), added_at=added_at)
    return {"file": str(path), "read": len(pairs), "added": added}
