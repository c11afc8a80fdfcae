"""Posts, the ingest log and quarantine: one transaction per ingested file, and the reads
over posts that detection and the report make."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl

from cib.normalize import MENTION_PATTERN
from cib.schemas import QUARANTINE, STORED_POSTS
from cib.store._base import _POSTS_ADDED, _SQL_TYPES, StoreBase, _ids


@dataclass
class IngestCounts:
    """What one file added to the store."""

    path: str
    sha256: str
    format: str
    rows_seen: int
    ingested: int
    duplicates: int
    quarantined: int
    skipped: bool = False

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


class PostsStore(StoreBase):
    """Tables ``posts``, ``ingests`` and ``quarantine``."""

    # ------------------------------------------------------------------ ingest
    def ingested_sha256(self) -> set[str]:
        return {r[0] for r in self._x("SELECT DISTINCT sha256 FROM ingests")}

    def add_post_chunks(
        self,
        chunks: Iterable[tuple[pl.DataFrame, pl.DataFrame]],
        *,
        path: str,
        sha256: str,
        fmt: str,
        rows_seen: int | None = None,
    ) -> IngestCounts:
        """Insert one file's ``(posts, quarantine)`` pieces in one transaction; posts already
        stored (key: platform, post_id), in the store or an earlier piece, are duplicates.
        ``rows_seen`` defaults to the rows of all pieces."""
        ingest_id = uuid.uuid4().hex[:12]
        started = datetime.now(UTC)
        seen = ingested = duplicates = quarantined = 0
        with self.transaction():
            for posts, quarantine in chunks:
                new = posts.select(list(STORED_POSTS)).with_columns(
                    pl.lit(ingest_id).alias("ingest_id")
                )
                new = new.unique(subset=["platform", "post_id"], keep="first", maintain_order=True)
                before = self._count("posts")
                with self._registered("_new_posts", new):
                    self._x(
                        """INSERT INTO posts BY NAME SELECT n.* FROM _new_posts n
                           WHERE NOT EXISTS (SELECT 1 FROM posts p
                                             WHERE p.platform = n.platform
                                             AND p.post_id = n.post_id)"""
                    )
                added = self._count("posts") - before
                del new
                if quarantine.height:
                    q = quarantine.select(list(QUARANTINE)).with_columns(
                        pl.lit(ingest_id).alias("ingest_id")
                    )
                    with self._registered("_new_q", q.select(["ingest_id", *QUARANTINE])):
                        self._x("INSERT INTO quarantine SELECT * FROM _new_q")
                ingested += added
                duplicates += posts.height - added
                quarantined += quarantine.height
                seen += posts.height + quarantine.height
            counts = IngestCounts(
                path=path,
                sha256=sha256,
                format=fmt,
                rows_seen=seen if rows_seen is None else rows_seen,
                ingested=ingested,
                duplicates=duplicates,
                quarantined=quarantined,
            )
            self._x(
                "INSERT INTO ingests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    ingest_id,
                    path,
                    sha256,
                    fmt,
                    counts.rows_seen,
                    ingested,
                    duplicates,
                    quarantined,
                    started,
                    datetime.now(UTC),
                ],
            )
        self.release_memory()  # what the inserts left cached (1 GB after a million posts)
        return counts

    def ingests(self) -> pl.DataFrame:
        return self._pl("SELECT * FROM ingests ORDER BY started_at")

    # ------------------------------------------------------------------ reads
    def posts(self, columns: list[str] | None = None) -> pl.DataFrame:
        """Stored posts (all ``STORED_POSTS`` columns, or ``columns``), timestamps in UTC."""
        cols = self._post_columns(columns or list(STORED_POSTS))
        df = self._utc(self._pl(f"SELECT {cols} FROM posts"))
        self.release_memory()
        return df

    def _post_columns(self, columns: list[str], alias: str = "") -> str:
        """A select list of ``columns`` of ``posts``; a column added after this store was
        written (:data:`_POSTS_ADDED`, in a store opened read-only) reads as its default."""
        have = {
            r[0]
            for r in self._x(
                "SELECT column_name FROM information_schema.columns WHERE table_name = 'posts'"
            )
        }
        out = []
        for c in columns:
            if c in have or c not in _POSTS_ADDED:
                out.append(f"{alias}{c}")
            else:
                out.append(f"CAST({_POSTS_ADDED[c]} AS {_SQL_TYPES[STORED_POSTS[c]]}) AS {c}")
        return ", ".join(out)

    @staticmethod
    def _utc(df: pl.DataFrame) -> pl.DataFrame:
        for c in ("created_at", "account_created_at"):
            if c in df.columns:
                utc = pl.col(c).dt.convert_time_zone("UTC").dt.cast_time_unit("us")
                df = df.with_columns(utc)
        return df

    def semantic_texts(self, min_text_chars: int) -> pl.DataFrame:
        """Distinct texts for the semantic signal: ``text_fp, text_norm, t`` (first seen, epoch
        seconds), ``lang``, sorted by ``text_fp``. The store-side twin of
        :func:`cib.detect.semantic_texts` (same rows), so no posts need be in memory."""
        df = self._pl(
            f"""
            SELECT text_fp, min(text_norm) AS text_norm,
                   CAST(floor(epoch(min(created_at))) AS BIGINT) AS t, min(lang) AS lang
            FROM posts
            WHERE repost_of IS NULL AND text_fp <> ''
              AND length(regexp_replace(text_norm, '{MENTION_PATTERN}', '', 'g'))
                  >= {int(min_text_chars)}
            GROUP BY text_fp ORDER BY text_fp
            """
        )
        self.release_memory()
        return df

    def report_posts(self, accounts: list[str], columns: list[str] | None = None) -> pl.DataFrame:
        """The posts of ``accounts`` and the posts they repost, reply to or quote (what a
        report shows as evidence), straight from the store: every column, or ``columns``
        (:data:`cib.schemas.REPORT_POSTS` is what the report reads)."""
        want = list(columns or STORED_POSTS)
        # The references are followed whichever columns are asked for.
        refs = [c for c in ("repost_of", "reply_to", "quote_of") if c not in want]
        cols = self._post_columns(want, alias="p.")
        m_cols = self._post_columns([*want, *refs], alias="p.")
        with self._registered("_acc", _ids(accounts)):
            df = self._pl_lean(
                f"""
                WITH m AS (SELECT {m_cols} FROM posts p SEMI JOIN _acc a
                           ON p.account_id = a.account_id),
                refs AS (SELECT repost_of AS id FROM m WHERE repost_of IS NOT NULL
                         UNION SELECT reply_to FROM m WHERE reply_to IS NOT NULL
                         UNION SELECT quote_of FROM m WHERE quote_of IS NOT NULL)
                SELECT {", ".join(want)} FROM m
                UNION ALL
                SELECT {cols} FROM posts p WHERE p.post_id IN (SELECT id FROM refs)
                AND p.account_id NOT IN (SELECT account_id FROM _acc)
                """
            )
        return self._utc(df)

    def baseline_aggregates(self) -> dict[str, Any]:
        """Dump-wide counts for :meth:`cib.profile.Baseline.from_aggregates`, in DuckDB."""
        acc = self._utc(
            self._pl(
                "SELECT account_id, min(account_created_at) AS account_created_at "
                "FROM posts GROUP BY account_id"
            )
        )
        clients = self._pl(
            "SELECT client, count(*) AS n FROM posts WHERE client IS NOT NULL GROUP BY client"
        )
        loc_hours = self._pl(
            "SELECT account_location, hour(timezone('UTC', created_at))::INTEGER AS hour, "
            "count(*) AS n FROM posts WHERE account_location IS NOT NULL "
            "AND created_at IS NOT NULL GROUP BY 1, 2"
        )
        self.release_memory()
        return {
            "n_accounts": acc.height,
            "created": acc["account_created_at"],
            "clients": clients,
            "loc_hours": loc_hours,
        }
