"""The internal post table: chunks of posts that are concatenated and finalised at the end.

Internal columns
----------------
acc : Int64
    Account number (index into :class:`cib.simulate._accounts.Accounts`).
t : Int64
    Epoch seconds.
kind : Int8
    0 original, 1 repost, 2 reply, 3 quote.
ref : Int64
    Row number (in the first chunk, the organic originals) of the post referenced, or null.
ext_ref : String
    post_id of a referenced post outside the dump, or null.
text, urls, hashtags, mentions, client
    As in the canonical schema; client null means "drawn from the account's client mix".
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import polars as pl

ORIGINAL, REPOST, REPLY, QUOTE = 0, 1, 2, 3

CHUNK = pl.Schema(
    {
        "acc": pl.Int64,
        "t": pl.Int64,
        "kind": pl.Int8,
        "ref": pl.Int64,
        "ext_ref": pl.String,
        "text": pl.String,
        "urls": pl.List(pl.String),
        "hashtags": pl.List(pl.String),
        "mentions": pl.List(pl.String),
        "client": pl.String,
    }
)


def _col(value: object, n: int, name: str) -> pl.Series:
    dtype = CHUNK[name]
    if value is None:
        if isinstance(dtype, pl.List):
            return (
                pl.Series(name, [[]], dtype=dtype).extend_constant([], n - 1)
                if n
                else pl.Series(name, [], dtype=dtype)
            )
        return pl.Series(name, [None] * n, dtype=dtype)
    if isinstance(value, pl.Series):
        return value.alias(name).cast(dtype)
    if isinstance(value, np.ndarray) and value.dtype != object:
        return pl.Series(name, value).cast(dtype)
    return pl.Series(name, list(value) if not isinstance(value, list) else value, dtype=dtype)


def chunk(
    acc: np.ndarray,
    t: np.ndarray,
    kind: int | np.ndarray,
    text: pl.Series | Sequence[str],
    *,
    ref: np.ndarray | None = None,
    ext_ref: Sequence[str | None] | pl.Series | None = None,
    urls: Sequence[list[str]] | pl.Series | None = None,
    hashtags: Sequence[list[str]] | pl.Series | None = None,
    mentions: Sequence[list[str]] | pl.Series | None = None,
    client: Sequence[str | None] | pl.Series | None = None,
) -> pl.DataFrame:
    """Build one chunk of posts in the internal :data:`CHUNK` schema."""
    n = len(acc)
    kinds = np.full(n, kind, dtype=np.int8) if np.isscalar(kind) else np.asarray(kind, np.int8)
    if ref is not None:
        ref_s = pl.Series("ref", np.asarray(ref, dtype=np.int64))
        ref_s = ref_s.set(ref_s < 0, None) if n else ref_s  # type: ignore[arg-type]
    else:
        ref_s = _col(None, n, "ref")
    return pl.DataFrame(
        [
            pl.Series("acc", np.asarray(acc, dtype=np.int64)),
            pl.Series("t", np.asarray(t, dtype=np.int64)),
            pl.Series("kind", kinds),
            ref_s,
            _col(ext_ref, n, "ext_ref"),
            _col(text, n, "text"),
            _col(urls, n, "urls"),
            _col(hashtags, n, "hashtags"),
            _col(mentions, n, "mentions"),
            _col(client, n, "client"),
        ]
    )


def empty_list_col(n: int) -> pl.Series:
    """``n`` empty string lists."""
    return _col(None, n, "urls")
