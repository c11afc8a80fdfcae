"""The DuckDB store: one file holding posts, quarantine, ingests, embeddings and runs.

The store carries a schema version (table ``meta``) and refuses files written by an
incompatible version. Each ingest is one transaction. DuckDB allows one writing process
per file; a second one gets :class:`~cib.errors.StoreLockedError`.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa

from cib.errors import InputError, StoreLockedError, StoreVersionError
from cib.normalize import MENTION_PATTERN
from cib.schemas import QUARANTINE, STORED_POSTS

SCHEMA_VERSION = 1

#: A handle's shape: lower-cased, letter runs as ``a``, each digit as ``9`` ("john_doe84" ->
#: "a_a99"); the Python twin is :func:`cib.playbook.handle_shape`.
HANDLE_SHAPE_SQL = (
    "regexp_replace(regexp_replace(lower(account_id), '[a-z]+', 'a', 'g'), '[0-9]', '9', 'g')"
)

_DDL = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS ingests (
        ingest_id VARCHAR, path VARCHAR, sha256 VARCHAR, format VARCHAR, rows_seen BIGINT,
        ingested BIGINT, duplicates BIGINT, quarantined BIGINT, started_at TIMESTAMPTZ,
        finished_at TIMESTAMPTZ)""",
    """CREATE TABLE IF NOT EXISTS quarantine (
        ingest_id VARCHAR, file VARCHAR, line BIGINT, reason VARCHAR, raw VARCHAR)""",
    """CREATE TABLE IF NOT EXISTS embeddings (
        model_id VARCHAR, text_fp VARCHAR, embedding FLOAT[])""",
    """CREATE TABLE IF NOT EXISTS runs (
        run_id VARCHAR, created_at TIMESTAMPTZ, status VARCHAR, config JSON, report JSON)""",
]

#: Tables added after schema version 1 shipped (created lazily, so version 1 stores keep working).
_TRACKING_DDL = [
    """CREATE TABLE IF NOT EXISTS run_networks (
        run_id VARCHAR, network_id BIGINT, track_id VARCHAR, status VARCHAR, flagged BOOLEAN,
        score DOUBLE, name VARCHAR, members JSON, evidence JSON, profile JSON,
        created_at TIMESTAMPTZ)""",
    """CREATE TABLE IF NOT EXISTS watchlist (
        account_id VARCHAR, label VARCHAR, source VARCHAR, added_at TIMESTAMPTZ)""",
]
_DDL += _TRACKING_DDL
#: Tables of the investigator's loop (cib.review), created lazily like the tracking tables.
_REVIEW_DDL = [
    """CREATE TABLE IF NOT EXISTS verdicts (
        verdict_id VARCHAR, track_id VARCHAR, run_id VARCHAR, network_id BIGINT, name VARCHAR,
        verdict VARCHAR, note VARCHAR, reviewer VARCHAR, decided_at TIMESTAMPTZ,
        source VARCHAR, members JSON, evidence JSON, profile JSON, recorded_at TIMESTAMPTZ)""",
    """CREATE TABLE IF NOT EXISTS track_links (
        track_id VARCHAR, parent_track_id VARCHAR, run_id VARCHAR, created_at TIMESTAMPTZ)""",
    """CREATE TABLE IF NOT EXISTS affiliations (
        account_id VARCHAR, organisation VARCHAR, source VARCHAR, added_at TIMESTAMPTZ)""",
]
_DDL += _REVIEW_DDL


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


_SQL_TYPES = {
    pl.String: "VARCHAR",
    pl.Int64: "BIGINT",
    pl.List(pl.String): "VARCHAR[]",
    pl.Datetime("us", "UTC"): "TIMESTAMPTZ",
}

#: Post columns added after schema version 1 shipped (issue 15: ``media``), with the value
#: the posts of an older store get: the column is added (``ALTER TABLE ... ADD COLUMN``)
#: when such a store is opened for writing, and read as that value when it is opened
#: read-only. The schema version stays 1: the change is additive.
_POSTS_ADDED: dict[str, str] = {"media": "[]"}


def _posts_ddl() -> str:
    cols = ", ".join(f"{name} {_SQL_TYPES[dtype]}" for name, dtype in STORED_POSTS.items())
    return f"CREATE TABLE IF NOT EXISTS posts ({cols}, ingest_id VARCHAR)"


class Store:
    """A cib store in one DuckDB file. Use :func:`open_store`."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self.con = con
        self.path = path

    def _x(self, sql: str, params: list[Any] | None = None) -> list[Any]:
        """Execute a statement and drain its result (DuckDB 2 requires it)."""
        return self.con.execute(sql, params or []).fetchall()

    def _one(self, sql: str, params: list[Any] | None = None) -> Any:
        rows = self._x(sql, params)
        return rows[0] if rows else None

    # ------------------------------------------------------------------ lifecycle
    def set_memory_limit(self, mb: int) -> None:
        """Cap the memory DuckDB uses for this store (it spills to disk past it)."""
        self._x(f"SET memory_limit = '{int(mb)}MB'")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _init_schema(self) -> None:
        row = None
        try:
            row = self._one("SELECT value FROM meta WHERE key='schema_version'")
        except duckdb.CatalogException:
            pass
        if row is not None and int(row[0]) != SCHEMA_VERSION:
            raise StoreVersionError(
                f"store {self.path!r} has schema version {row[0]}, but this cib needs "
                f"{SCHEMA_VERSION}. Re-ingest your dumps into a new store (--db NEW.duckdb) "
                "or use the cib version that wrote it."
            )
        if row is None:
            tables = self._one(
                "SELECT count(*) FROM information_schema.tables WHERE table_name='posts'"
            )
            if tables and tables[0] and self._has_meta() is False:
                raise StoreVersionError(
                    f"{self.path!r} is a DuckDB file but not a cib store (no meta table). "
                    "Point --db at a new file."
                )
            for ddl in [*_DDL, _posts_ddl()]:
                self._x(ddl)
            self._x(
                "INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)]
            )
        else:
            for name, default in _POSTS_ADDED.items():
                self._x(
                    f"ALTER TABLE posts ADD COLUMN IF NOT EXISTS {name} "
                    f"{_SQL_TYPES[STORED_POSTS[name]]} DEFAULT {default}"
                )

    def _has_meta(self) -> bool:
        r = self._one("SELECT count(*) FROM information_schema.tables WHERE table_name='meta'")
        return bool(r and r[0])

    @contextmanager
    def _registered(self, name: str, frame: pl.DataFrame | pa.Table) -> Iterator[None]:
        """``frame`` visible to SQL as ``name`` for the duration of the block."""
        self.con.register(name, frame.to_arrow() if isinstance(frame, pl.DataFrame) else frame)
        try:
            yield
        finally:
            self.con.unregister(name)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._x("BEGIN TRANSACTION")
        try:
            yield
        except BaseException:
            self._x("ROLLBACK")
            raise
        self._x("COMMIT")

    def _check_version_ro(self: Store) -> None:
        try:
            row = self._one("SELECT value FROM meta WHERE key='schema_version'")
        except duckdb.CatalogException as exc:
            raise StoreVersionError(
                f"{self.path!r} is not a cib store (no meta table). Point --db at a cib store."
            ) from exc
        if row is None or int(row[0]) != SCHEMA_VERSION:
            raise StoreVersionError(
                f"store {self.path!r} has schema version {row[0] if row else None}, but this cib "
                f"needs {SCHEMA_VERSION}. Re-ingest into a new store (--db NEW.duckdb)."
            )

    # ------------------------------------------------------------------ ingest
    def ingested_sha256(self) -> set[str]:
        return {r[0] for r in self._x("SELECT DISTINCT sha256 FROM ingests")}

    def add_posts(
        self,
        posts: pl.DataFrame,
        quarantine: pl.DataFrame,
        *,
        path: str,
        sha256: str,
        fmt: str,
        rows_seen: int,
    ) -> IngestCounts:
        """Insert posts not already stored (key: platform, post_id) in one transaction."""
        return self.add_post_chunks(
            [(posts, quarantine)], path=path, sha256=sha256, fmt=fmt, rows_seen=rows_seen
        )

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
        return counts

    def _count(self, table: str) -> int:
        r = self._one(f"SELECT count(*) FROM {table}")
        return int(r[0]) if r else 0

    # ------------------------------------------------------------------ reads
    def posts(self, columns: list[str] | None = None) -> pl.DataFrame:
        """Stored posts (all ``STORED_POSTS`` columns, or ``columns``), timestamps in UTC."""
        cols = self._post_columns(columns or list(STORED_POSTS))
        return self._utc(self.con.sql(f"SELECT {cols} FROM posts").pl())

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
        return self.con.sql(
            f"""
            SELECT text_fp, min(text_norm) AS text_norm,
                   CAST(floor(epoch(min(created_at))) AS BIGINT) AS t, min(lang) AS lang
            FROM posts
            WHERE repost_of IS NULL AND text_fp <> ''
              AND length(regexp_replace(text_norm, '{MENTION_PATTERN}', '', 'g'))
                  >= {int(min_text_chars)}
            GROUP BY text_fp ORDER BY text_fp
            """
        ).pl()

    def report_posts(self, accounts: list[str]) -> pl.DataFrame:
        """Every column of the posts of ``accounts`` and of the posts they repost, reply to
        or quote (what a report shows as evidence), straight from the store."""
        cols = self._post_columns(list(STORED_POSTS), alias="p.")
        with self._registered("_acc", _ids(accounts)):
            df = self.con.sql(
                f"""
                WITH m AS (SELECT {cols} FROM posts p SEMI JOIN _acc a
                           ON p.account_id = a.account_id),
                refs AS (SELECT repost_of AS id FROM m WHERE repost_of IS NOT NULL
                         UNION SELECT reply_to FROM m WHERE reply_to IS NOT NULL
                         UNION SELECT quote_of FROM m WHERE quote_of IS NOT NULL)
                SELECT * FROM m
                UNION ALL
                SELECT {cols} FROM posts p WHERE p.post_id IN (SELECT id FROM refs)
                AND p.account_id NOT IN (SELECT account_id FROM _acc)
                """
            ).pl()
        return self._utc(df)

    def baseline_aggregates(self) -> dict[str, Any]:
        """Dump-wide counts for :meth:`cib.profile.Baseline.from_aggregates`, in DuckDB."""
        acc = self._utc(
            self.con.sql(
                "SELECT account_id, min(account_created_at) AS account_created_at "
                "FROM posts GROUP BY account_id"
            ).pl()
        )
        clients = self.con.sql(
            "SELECT client, count(*) AS n FROM posts WHERE client IS NOT NULL GROUP BY client"
        ).pl()
        loc_hours = self.con.sql(
            "SELECT account_location, hour(timezone('UTC', created_at))::INTEGER AS hour, "
            "count(*) AS n FROM posts WHERE account_location IS NOT NULL "
            "AND created_at IS NOT NULL GROUP BY 1, 2"
        ).pl()
        return {
            "n_accounts": acc.height,
            "created": acc["account_created_at"],
            "clients": clients,
            "loc_hours": loc_hours,
        }

    def ingests(self) -> pl.DataFrame:
        return self.con.sql("SELECT * FROM ingests ORDER BY started_at").pl()

    def quarantine(self) -> pl.DataFrame:
        return self.con.sql("SELECT * FROM quarantine").pl()

    def counts(self) -> dict[str, int]:
        return {t: self._count(t) for t in ("posts", "quarantine", "ingests", "embeddings", "runs")}

    # ------------------------------------------------------------------ embeddings cache
    def cached_embeddings(self, model_id: str, fps: list[str]) -> dict[str, np.ndarray]:
        if not fps:
            return {}
        with self._registered("_fps", pl.DataFrame({"text_fp": fps})):
            rows = self.con.sql(
                "SELECT e.text_fp, e.embedding FROM embeddings e JOIN _fps f USING (text_fp) "
                "WHERE e.model_id = ?",
                params=[model_id],
            ).pl()
        if rows.height == 0:
            return {}
        emb = rows["embedding"]
        lengths = emb.list.len()
        dim = int(lengths[0])
        if emb.null_count() or int(lengths.min()) != dim or int(lengths.max()) != dim:
            vecs = [np.asarray(v, dtype=np.float32) for v in emb.to_list()]
            return dict(zip(rows["text_fp"].to_list(), vecs, strict=True))
        # Straight from the Arrow buffer: (rows, dim) without Python lists.
        mat = emb.explode().to_numpy().astype(np.float32, copy=False).reshape(rows.height, dim)
        return dict(zip(rows["text_fp"].to_list(), mat, strict=True))

    def add_embeddings(self, model_id: str, fps: list[str], vectors: np.ndarray) -> None:
        if not fps:
            return
        mat = np.ascontiguousarray(vectors, dtype=np.float32)
        if mat.ndim != 2 or mat.shape[0] != len(fps):
            raise ValueError(f"vectors {mat.shape} do not match {len(fps)} text fingerprints")
        # The FLOAT[] column straight from the numpy buffer (Arrow list = offsets + values).
        n, dim = mat.shape
        large = n * dim >= 2**31
        offsets = pa.array(np.arange(n + 1, dtype=np.int64 if large else np.int32) * dim)
        lists = pa.LargeListArray if large else pa.ListArray
        embedding = lists.from_arrays(offsets, pa.array(mat.reshape(-1)))
        table = pa.table(
            {
                "model_id": pa.array([model_id] * n, type=pa.string()),
                "text_fp": pa.array(fps, type=pa.string()),
                "embedding": embedding,
            }
        )
        with self.transaction(), self._registered("_emb", table):
            self._x("INSERT INTO embeddings SELECT * FROM _emb")

    # ------------------------------------------------------------------ runs
    def save_run(self, report: dict[str, Any], config: dict[str, Any]) -> str:
        run_id = str(report["run"]["run_id"])
        with self.transaction():
            self._x(
                "INSERT INTO runs VALUES (?, ?, 'done', ?, ?)",
                [run_id, datetime.now(UTC), json.dumps(config), json.dumps(report, default=str)],
            )
        return run_id

    def last_report(self, run_id: str | None = None) -> dict[str, Any] | None:
        q = "SELECT report FROM runs WHERE status='done'"
        params: list[Any] = []
        if run_id:
            q += " AND run_id = ?"
            params.append(run_id)
        q += " ORDER BY created_at DESC LIMIT 1"
        row = self._one(q, params)
        return json.loads(row[0]) if row else None

    def runs(self) -> pl.DataFrame:
        return self.con.sql("SELECT run_id, created_at, status FROM runs ORDER BY created_at").pl()

    # ------------------------------------------------------------------ tracking (cib.tracking)
    def ensure_tracking_tables(self) -> None:
        """Create ``run_networks`` and ``watchlist`` in stores written before they existed."""
        for ddl in _TRACKING_DDL:
            self._x(ddl)
        # Added with return detection (issue 14): the old track a re-emerged network points at.
        self._x("ALTER TABLE run_networks ADD COLUMN IF NOT EXISTS return_of JSON")

    def _has_table(self, name: str) -> bool:
        r = self._one("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])
        return bool(r and r[0])

    def save_run_networks(self, run_id: str, rows: list[dict[str, Any]]) -> None:
        """Replace the tracking snapshot of ``run_id`` (one transaction).

        Rows of a run that never reached :meth:`save_run` (a killed job) are ignored by
        :meth:`run_network_history` and removed by :meth:`drop_orphan_run_networks`.
        """
        self.ensure_tracking_tables()
        now = datetime.now(UTC)
        with self.transaction():
            self._x("DELETE FROM run_networks WHERE run_id = ?", [run_id])
            for r in rows:
                self._x(
                    "INSERT INTO run_networks (run_id, network_id, track_id, status, flagged, "
                    "score, name, members, evidence, profile, created_at, return_of) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        run_id,
                        int(r["network_id"]),
                        r["track_id"],
                        r["status"],
                        bool(r["flagged"]),
                        float(r["score"]),
                        r["name"],
                        json.dumps(r["members"]),
                        json.dumps(r["evidence"]),
                        json.dumps(r["profile"]),
                        now,
                        json.dumps(r["return_of"]) if r.get("return_of") else None,
                    ],
                )

    def drop_orphan_run_networks(self) -> int:
        """Delete tracking rows of runs that were never saved (killed between the two writes)."""
        if not self._has_table("run_networks"):
            return 0
        n = self._one(
            "SELECT count(*) FROM run_networks WHERE run_id NOT IN "
            "(SELECT run_id FROM runs WHERE status = 'done')"
        )
        if n and n[0]:
            with self.transaction():
                self._x(
                    "DELETE FROM run_networks WHERE run_id NOT IN "
                    "(SELECT run_id FROM runs WHERE status = 'done')"
                )
        return int(n[0]) if n else 0

    def run_network_history(self) -> list[dict[str, Any]]:
        """Tracking rows of every finished run, oldest first (with the run's time)."""
        if not self._has_table("run_networks"):
            return []
        rows = self._x(
            """SELECT n.run_id, CAST(r.created_at AS VARCHAR), n.network_id, n.track_id,
                      n.status, n.flagged, n.score, n.name, n.members, n.evidence, n.profile,
                      n.return_of
               FROM run_networks n JOIN runs r ON r.run_id = n.run_id AND r.status = 'done'
               ORDER BY r.created_at, n.network_id"""
        )
        keys = ("run_id", "run_created_at", "network_id", "track_id", "status", "flagged",
                "score", "name", "members", "evidence", "profile", "return_of")  # fmt: skip
        out = []
        for row in rows:
            d = dict(zip(keys, row, strict=True))
            for k in ("members", "evidence", "profile", "return_of"):
                d[k] = json.loads(d[k]) if d[k] is not None else None
            out.append(d)
        return out

    def last_run_meta(self) -> dict[str, Any] | None:
        """Run id, time and input sha256s of the latest finished run (without the report)."""
        row = self._one(
            """SELECT run_id, CAST(created_at AS VARCHAR), json_extract(report, '$.run.inputs')
               FROM runs WHERE status = 'done' ORDER BY created_at DESC LIMIT 1"""
        )
        if row is None:
            return None
        inputs = json.loads(row[2]) if row[2] else []
        return {
            "run_id": row[0],
            "created_at": row[1],
            "inputs": inputs,
            "sha256": {i["sha256"] for i in inputs},
        }

    def add_watchlist(
        self, rows: list[tuple[str, str]], *, source: str, added_at: datetime | None = None
    ) -> int:
        """Register (account_id, label) pairs; pairs already listed are skipped.

        ``added_at`` (default: now) is the takedown time that return detection measures
        fresh accounts' creation from (:mod:`cib.playbook`)."""
        self.ensure_tracking_tables()
        df = pl.DataFrame(
            {"account_id": [r[0] for r in rows], "label": [r[1] for r in rows]},
            schema={"account_id": pl.String, "label": pl.String},
        ).unique(maintain_order=True)
        with self.transaction(), self._registered("_wl", df):
            before = self._count("watchlist")
            self._x(
                """INSERT INTO watchlist SELECT w.account_id, w.label, ?, ? FROM _wl w
                   WHERE NOT EXISTS (SELECT 1 FROM watchlist x
                                     WHERE x.account_id = w.account_id AND x.label = w.label)""",
                [source, added_at or datetime.now(UTC)],
            )
            added = self._count("watchlist") - before
        return added

    def posts_per_account_in(self, ingest_ids: list[Any]) -> dict[str, int]:
        """Posts per account that came in with the given ingests."""
        if not ingest_ids:
            return {}
        with self._registered("_trk_ing", pl.DataFrame({"ingest_id": ingest_ids})):
            df = self.con.sql(
                "SELECT account_id, count(*) AS n FROM posts "
                "WHERE ingest_id IN (SELECT ingest_id FROM _trk_ing) GROUP BY account_id"
            ).pl()
        return {str(a): int(n) for a, n in df.iter_rows()}

    def _table(self, name: str, key: str, order: str) -> pl.DataFrame:
        """``account_id, <key>, source, added_at`` rows of a list table (watchlist,
        affiliations), empty with that schema before the table exists."""
        if not self._has_table(name):
            return pl.DataFrame(
                schema={
                    "account_id": pl.String,
                    key: pl.String,
                    "source": pl.String,
                    "added_at": pl.Datetime("us", "UTC"),
                }  # fmt: skip
            )
        return self.con.sql(f"SELECT * FROM {name} ORDER BY {order}").pl()

    def watchlist(self) -> pl.DataFrame:
        """Watchlisted accounts (account_id, label, source, added_at)."""
        return self._table("watchlist", "label", "added_at, account_id")

    def account_features(
        self, min_text_chars: int, accounts: list[str]
    ) -> tuple[pl.DataFrame, pl.DataFrame, int]:
        """Content features of ``accounts`` and how common each one is, for content matching.

        Features: ``tag:`` hashtag, ``url:`` canonical URL, ``dom:`` URL host, ``at:``
        mentioned account (reposts and replies mention their target), ``fp:`` text
        fingerprint of texts of at least ``min_text_chars`` normalised characters.

        Returns ``(pairs, counts, n)``: distinct ``(account_id, feature)`` of ``accounts``;
        ``(feature, accounts)``, the number of stored accounts using each of those features;
        and ``n``, the number of stored accounts with any feature. Aggregated in DuckDB, so
        memory follows the accounts asked about, not the store.
        """
        with self._registered("_want", _ids(accounts)):
            self._x(
                f"""
                CREATE OR REPLACE TEMP TABLE _feat AS
                WITH f AS (
                  SELECT account_id, 'tag:' || unnest(hashtags_norm) AS feature FROM posts
                  UNION ALL
                  SELECT account_id, 'url:' || unnest(urls_norm) FROM posts
                  UNION ALL
                  SELECT account_id, 'dom:' || regexp_extract(unnest(urls_norm),
                         '^[a-zA-Z]+://(www[.])?([^/:?#]+)', 2) FROM posts
                  UNION ALL
                  SELECT account_id, 'at:' || lower(unnest(mentions)) FROM posts
                  UNION ALL
                  SELECT account_id, 'fp:' || text_fp FROM posts
                  WHERE text_fp <> '' AND length(text_norm) >= {int(min_text_chars)}
                )
                SELECT DISTINCT account_id, feature FROM f
                WHERE feature IS NOT NULL AND feature NOT IN ('dom:', 'tag:', 'at:', 'url:')
                """
            )
            try:
                pairs = self.con.sql(
                    "SELECT f.account_id, f.feature FROM _feat f SEMI JOIN _want w "
                    "ON f.account_id = w.account_id"
                ).pl()
                with self._registered("_wf", pairs.select("feature").unique()):
                    counts = self.con.sql(
                        "SELECT f.feature, count(*) AS accounts FROM _feat f SEMI JOIN _wf w "
                        "ON f.feature = w.feature GROUP BY f.feature"
                    ).pl()
                n = int(self._one("SELECT count(DISTINCT account_id) FROM _feat")[0])
            finally:
                self._x("DROP TABLE IF EXISTS _feat")
        return pairs, counts, n

    # ------------------------------------------------------------------ review (cib.review)
    def ensure_review_tables(self) -> None:
        """Create ``verdicts``, ``track_links`` and ``affiliations`` in older stores."""
        for ddl in _REVIEW_DDL:
            self._x(ddl)

    def has_run(self, run_id: str) -> bool:
        """Whether a finished run ``run_id`` is stored."""
        r = self._one("SELECT count(*) FROM runs WHERE run_id = ? AND status = 'done'", [run_id])
        return bool(r and r[0])

    def run_network_rows(self, run_id: str) -> list[dict[str, Any]]:
        """The tracking snapshot rows of one run (saved or not yet), by network id."""
        if not self._has_table("run_networks"):
            return []
        rows = self._x(
            """SELECT network_id, track_id, status, flagged, score, name, members, evidence,
                      profile FROM run_networks WHERE run_id = ? ORDER BY network_id""",
            [run_id],
        )
        keys = ("network_id", "track_id", "status", "flagged", "score", "name", "members",
                "evidence", "profile")  # fmt: skip
        out = []
        for row in rows:
            d = dict(zip(keys, row, strict=True))
            for k in ("members", "evidence", "profile"):
                d[k] = json.loads(d[k]) if d[k] is not None else None
            out.append(d)
        return out

    def update_run_networks(self, run_id: str, rows: list[tuple[int, bool, str]]) -> None:
        """Set ``flagged`` and ``name`` of snapshot rows ``(network_id, flagged, name)``."""
        with self.transaction():
            for nid, flagged, name in rows:
                self._x(
                    "UPDATE run_networks SET flagged = ?, name = ? "
                    "WHERE run_id = ? AND network_id = ?",
                    [bool(flagged), name, run_id, int(nid)],
                )

    def add_verdicts(self, rows: list[dict[str, Any]]) -> int:
        """Record verdicts in one transaction; rows whose ``verdict_id`` is stored are skipped.
        Returns the number added."""
        self.ensure_review_tables()
        have = {r[0] for r in self._x("SELECT verdict_id FROM verdicts")}
        now = datetime.now(UTC)
        added = 0
        with self.transaction():
            for r in rows:
                if r["verdict_id"] in have:
                    continue
                have.add(r["verdict_id"])
                self._x(
                    "INSERT INTO verdicts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        r["verdict_id"],
                        r["track_id"],
                        r["run_id"],
                        int(r["network_id"]),
                        r["name"],
                        r["verdict"],
                        r["note"],
                        r["reviewer"],
                        r["decided_at"],
                        r["source"],
                        json.dumps(r["members"]),
                        json.dumps(r["evidence"]),
                        json.dumps(r["profile"]),
                        now,
                    ],
                )
                added += 1
        return added

    def verdicts(self) -> list[dict[str, Any]]:
        """Every recorded verdict, oldest decision first."""
        if not self._has_table("verdicts"):
            return []
        rows = self._x(
            """SELECT verdict_id, track_id, run_id, network_id, name, verdict, note, reviewer,
                      CAST(decided_at AS VARCHAR), source, members, evidence, profile
               FROM verdicts ORDER BY decided_at, recorded_at, verdict_id"""
        )
        keys = ("verdict_id", "track_id", "run_id", "network_id", "name", "verdict", "note",
                "reviewer", "decided_at", "source", "members", "evidence", "profile")  # fmt: skip
        out = []
        for row in rows:
            d = dict(zip(keys, row, strict=True))
            for k in ("members", "evidence", "profile"):
                d[k] = json.loads(d[k]) if d[k] is not None else None
            out.append(d)
        return out

    def add_track_links(self, run_id: str, links: list[tuple[str, str]]) -> None:
        """Record that track ``child`` continues track ``parent`` (a re-emerged network)."""
        self.ensure_review_tables()
        now = datetime.now(UTC)
        with self.transaction():
            self._x("DELETE FROM track_links WHERE run_id = ?", [run_id])
            for child, parent in links:
                self._x("INSERT INTO track_links VALUES (?, ?, ?, ?)", [child, parent, run_id, now])

    def track_links(self) -> dict[str, str]:
        """Track -> the track it continues, from finished runs."""
        if not self._has_table("track_links"):
            return {}
        rows = self._x(
            """SELECT l.track_id, l.parent_track_id FROM track_links l
               JOIN runs r ON r.run_id = l.run_id AND r.status = 'done'
               ORDER BY l.created_at"""
        )
        return {child: parent for child, parent in rows if child != parent}

    def add_affiliations(self, rows: list[tuple[str, str]], *, source: str) -> int:
        """Register (account_id, organisation) pairs; pairs already listed are skipped."""
        self.ensure_review_tables()
        df = pl.DataFrame(
            {"account_id": [r[0] for r in rows], "organisation": [r[1] for r in rows]},
            schema={"account_id": pl.String, "organisation": pl.String},
        ).unique(maintain_order=True)
        with self.transaction(), self._registered("_aff", df):
            before = self._count("affiliations")
            self._x(
                """INSERT INTO affiliations SELECT a.account_id, a.organisation, ?, ? FROM _aff a
                   WHERE NOT EXISTS (SELECT 1 FROM affiliations x WHERE
                       x.account_id = a.account_id AND x.organisation = a.organisation)""",
                [source, datetime.now(UTC)],
            )
            added = self._count("affiliations") - before
        return added

    def affiliations(self) -> pl.DataFrame:
        """Declared affiliations (account_id, organisation, source, added_at)."""
        return self._table("affiliations", "organisation", "organisation, account_id")

    # ------------------------------------------------------------------ playbooks (cib.playbook)
    def playbook_accounts(
        self, accounts: list[str], *, min_text_chars: int, max_texts: int
    ) -> dict[str, pl.DataFrame]:
        """Raw material of playbook profiles for ``accounts``, aggregated in DuckDB.

        Returns frames keyed ``meta`` (``account_id, created, first_t, last_t, posts``; times
        in epoch seconds), ``hours`` (``account_id, hour, dow, n``: posts per UTC hour of day
        and ISO weekday 1-7), ``clients`` (``account_id, client, n``) and ``texts``
        (``account_id, text_fp``: up to ``max_texts`` distinct original texts per account
        that the semantic stage embeds, chosen by a hash of the fingerprint).
        """
        out: dict[str, pl.DataFrame] = {}
        with self._registered("_pb_acc", _ids(accounts)):
            self._x(
                "CREATE OR REPLACE TEMP TABLE _pb_posts AS SELECT p.account_id, p.created_at, "
                "p.account_created_at, p.client, p.text_fp, p.repost_of, "
                f"length(regexp_replace(p.text_norm, '{MENTION_PATTERN}', '', 'g')) AS text_len "
                "FROM posts p SEMI JOIN _pb_acc a ON p.account_id = a.account_id"
            )
        try:
            out["meta"] = self.con.sql(
                "SELECT account_id, epoch(min(account_created_at)) AS created, "
                "epoch(min(created_at)) AS first_t, epoch(max(created_at)) AS last_t, "
                "count(*) AS posts FROM _pb_posts GROUP BY account_id"
            ).pl()
            out["hours"] = self.con.sql(
                "SELECT account_id, hour(timezone('UTC', created_at))::INTEGER AS hour, "
                "isodow(timezone('UTC', created_at))::INTEGER AS dow, count(*) AS n "
                "FROM _pb_posts WHERE created_at IS NOT NULL GROUP BY 1, 2, 3"
            ).pl()
            out["clients"] = self.con.sql(
                "SELECT account_id, client, count(*) AS n FROM _pb_posts "
                "WHERE client IS NOT NULL AND client <> '' GROUP BY 1, 2"
            ).pl()
            out["texts"] = self.con.sql(
                f"""
                SELECT account_id, text_fp FROM (
                  SELECT DISTINCT account_id, text_fp FROM _pb_posts
                  WHERE repost_of IS NULL AND text_fp <> '' AND text_len >= {int(min_text_chars)})
                QUALIFY row_number() OVER (PARTITION BY account_id ORDER BY hash(text_fp))
                        <= {int(max_texts)}
                """
            ).pl()
        finally:
            self._x("DROP TABLE IF EXISTS _pb_posts")
        return out

    def playbook_population(
        self, *, min_posts: int, sample: int, seed: int
    ) -> tuple[list[str], pl.DataFrame, float | None]:
        """The organic side of playbook matching.

        Returns ``(sample_ids, counts, max_t)``: up to ``sample`` accounts with at least
        ``min_posts`` posts, in a fixed pseudo-random order (hash of id and ``seed``); the
        number of stored accounts using each client (``cli:NAME``) and each handle shape
        (``hnd:SHAPE``, letters runs as ``a``, digits as ``9``); the latest post time
        (epoch seconds).
        """
        ids = (
            self.con.sql(
                f"""SELECT account_id FROM posts GROUP BY account_id
                HAVING count(*) >= {int(min_posts)}
                ORDER BY hash(account_id || '{int(seed)}'), account_id LIMIT {int(sample)}"""
            )
            .pl()["account_id"]
            .to_list()
        )
        counts = self.con.sql(
            f"""
            SELECT 'cli:' || client AS feature, count(DISTINCT account_id) AS accounts
            FROM posts WHERE client IS NOT NULL AND client <> '' GROUP BY client
            UNION ALL
            SELECT 'hnd:' || {HANDLE_SHAPE_SQL} AS feature, count(*) AS accounts
            FROM (SELECT DISTINCT account_id FROM posts) GROUP BY 1
            """
        ).pl()
        row = self._one("SELECT epoch(max(created_at)) FROM posts")
        return ids, counts, (float(row[0]) if row and row[0] is not None else None)


def _ids(accounts: list[str]) -> pl.DataFrame:
    return pl.DataFrame({"account_id": accounts}, schema={"account_id": pl.String})


def open_store(path: str | Path, *, read_only: bool = False) -> Store:
    """Open (creating if needed) the store at ``path``; check its schema version."""
    p = Path(path)
    if read_only and not p.exists():
        raise InputError(f"store {str(p)!r} does not exist; run `cib ingest` or `cib scan` first.")
    if p.parent and not p.parent.exists():
        p.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(p), read_only=read_only)
    except duckdb.IOException as exc:
        msg = str(exc)
        if "lock" in msg.lower():
            raise StoreLockedError(
                f"store {str(p)!r} is locked by another run ({msg.splitlines()[0]}). "
                "Wait for it to finish, or use a different --db."
            ) from exc
        raise InputError(f"cannot open store {str(p)!r}: {msg}") from exc
    except duckdb.Error as exc:
        raise StoreVersionError(
            f"{str(p)!r} is not a readable DuckDB store ({exc}). Point --db at a new file."
        ) from exc
    store = Store(con, str(p))
    if not read_only:
        store._init_schema()
    else:
        store._check_version_ro()
    return store
