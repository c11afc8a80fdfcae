"""Twitter/X information-operations archive CSVs (``tweetid``, ``userid``, ``tweet_time``...).

The archive maps onto the canonical schema column for column (see
:data:`cib.ingest.formats.IO_COLUMNS`): ``tweet_time`` has minute resolution
(``2016-10-01 00:00``, UTC), list columns look like ``['a', 'b']`` and
``retweet_tweetid`` is only filled for retweets. Everything else (type coercion,
validation) is the canonical path's job.
"""

from __future__ import annotations

from collections.abc import Collection

from cib.ingest.formats import IO_COLUMNS

__all__ = ["io_colmap"]


def io_colmap(columns: Collection[str]) -> dict[str, str]:
    """Canonical column -> archive column for the archive columns present.

    Parameters
    ----------
    columns : Collection[str]
        Header of the archive file.

    Returns
    -------
    dict[str, str]
        Mapping usable by :func:`cib.ingest.canonical.to_stored`.
    """
    lower = {c.strip().lower(): c for c in columns}
    return {canon: lower[src] for src, canon in IO_COLUMNS.items() if src in lower}
