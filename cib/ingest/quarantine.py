"""Building quarantine rows (file, line, reason, raw excerpt)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import polars as pl

from cib.schemas import QUARANTINE

__all__ = ["RAW_MAX", "excerpt", "quarantine_frame", "row_excerpts"]

#: Longest raw excerpt kept per quarantined row (characters).
RAW_MAX = 500


def excerpt(raw: bytes | str | None) -> str:
    """At most :data:`RAW_MAX` characters of a raw line, decoded leniently."""
    if raw is None:
        return ""
    if isinstance(raw, bytes):
        raw = raw[: RAW_MAX * 4].decode("utf-8", errors="replace")
    return raw.rstrip("\r\n")[:RAW_MAX]


def quarantine_frame(
    file: str, lines: Sequence[int], reasons: Sequence[str], raws: Sequence[str]
) -> pl.DataFrame:
    """A QUARANTINE frame from parallel sequences."""
    return pl.DataFrame(
        {
            "file": [file] * len(lines),
            "line": list(lines),
            "reason": list(reasons),
            "raw": [excerpt(r) for r in raws],
        },
        schema=QUARANTINE,
    )


def _jsonable(v: Any) -> Any:
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: _jsonable(x) for k, x in v.items()}
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    return str(v)


def row_excerpts(frame: pl.DataFrame, rows: Sequence[int]) -> list[str]:
    """JSON excerpts of some rows of a frame (for sources without text lines: Parquet)."""
    out = []
    for i in rows:
        rec = _jsonable(frame.row(int(i), named=True))
        out.append(excerpt(json.dumps(rec, ensure_ascii=False, default=str)))
    return out
