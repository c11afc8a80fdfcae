"""The connection, the schema (version, tables, migrations) and the helpers every part shares."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Self

import duckdb
import polars as pl
import pyarrow as pa  # type: ignore[import-untyped]

from cib.errors import StoreVersionError
from cib.schemas import STORED_POSTS

SCHEMA_VERSION = 1

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


#: The memory limit :meth:`StoreBase.release_memory` lowers DuckDB's to for a moment.
RELEASE_LIMIT_MB = 16

#: DuckDB's memory limit while :meth:`StoreBase._pl_lean` reads a large result: a scan that
#: needs little working memory then keeps few table blocks cached while it runs (the 1M-post
#: report read: 0.76 -> 0.42 GB high-water rise, +0.3 s; BENCHMARKS.md).
LEAN_READ_LIMIT_MB = 64


def _posts_ddl() -> str:
    cols = ", ".join(f"{name} {_SQL_TYPES[dtype]}" for name, dtype in STORED_POSTS.items())
    return f"CREATE TABLE IF NOT EXISTS posts ({cols}, ingest_id VARCHAR)"


def _ids(accounts: list[str]) -> pl.DataFrame:
    """``accounts`` as a one-column frame (``account_id``) to register as a view."""
    return pl.DataFrame({"account_id": accounts}, schema={"account_id": pl.String})


class StoreBase:
    """The DuckDB connection and what every part of :class:`cib.store.Store` shares."""

    def __init__(self, con: duckdb.DuckDBPyConnection, path: str) -> None:
        self.con = con
        self.path = path
        self._memory_mb: int | None = None  # set_memory_limit's cap (None: DuckDB's default)

    def _x(self, sql: str, params: list[Any] | None = None) -> list[Any]:
        """Execute a statement and drain its result (DuckDB 2 requires it)."""
        return self.con.execute(sql, params or []).fetchall()

    def _pl(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """The result of a query as a Polars frame (DuckDB 2: ``sql(...).pl()``)."""
        frame: pl.DataFrame = self.con.sql(sql, params=params).pl()
        return frame

    def _pl_lean(self, sql: str, params: list[Any] | None = None) -> pl.DataFrame:
        """:meth:`_pl` under DuckDB memory limit :data:`LEAN_READ_LIMIT_MB` (a query that
        needs more than that runs again under the store's own limit), then
        :meth:`release_memory`: for large reads whose operators need little memory, whose
        cached blocks would otherwise sit beside the frames the caller is building."""
        try:
            self._x(f"SET memory_limit = '{LEAN_READ_LIMIT_MB}MB'")
            try:
                return self._pl(sql, params)
            except duckdb.OutOfMemoryException:
                self._restore_memory_limit()
                return self._pl(sql, params)
        finally:
            self.release_memory()

    def _one(self, sql: str, params: list[Any] | None = None) -> Any:
        rows = self._x(sql, params)
        return rows[0] if rows else None

    # ------------------------------------------------------------------ lifecycle
    def set_memory_limit(self, mb: int) -> None:
        """Cap the memory DuckDB uses for this store (it spills to disk past it)."""
        self._memory_mb = int(mb)
        self._x(f"SET memory_limit = '{int(mb)}MB'")

    def release_memory(self) -> None:
        """Hand the memory DuckDB keeps after a large read or insert back to the system.

        DuckDB keeps table blocks it read and its allocator's freed pages up to its memory
        limit: after ingesting or reading a million posts that is 0.3-0.6 GB of resident
        memory that the frames built next would sit on top of. Lowering the limit evicts
        the cached blocks and flushes the allocator (nothing is lost: blocks are re-read
        from the file when needed); the cap is then restored."""
        try:
            self._x(f"SET memory_limit = '{RELEASE_LIMIT_MB}MB'")
        except duckdb.Error:
            pass  # more than that is in use (pinned): nothing to hand back now
        self._restore_memory_limit()

    def _restore_memory_limit(self) -> None:
        """Back to :meth:`set_memory_limit`'s cap (DuckDB's default without one)."""
        if self._memory_mb is None:
            self._x("RESET memory_limit")
        else:
            self._x(f"SET memory_limit = '{self._memory_mb}MB'")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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

    # ------------------------------------------------------------------ schema
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

    def _check_version_ro(self) -> None:
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

    def ensure_tracking_tables(self) -> None:
        """Create ``run_networks`` and ``watchlist`` in stores written before they existed."""
        for ddl in _TRACKING_DDL:
            self._x(ddl)
        # Added with return detection (issue 14): the old track a re-emerged network points at.
        self._x("ALTER TABLE run_networks ADD COLUMN IF NOT EXISTS return_of JSON")

    def ensure_review_tables(self) -> None:
        """Create ``verdicts``, ``track_links`` and ``affiliations`` in older stores."""
        for ddl in _REVIEW_DDL:
            self._x(ddl)

    # ------------------------------------------------------------------ shared reads
    def _has_table(self, name: str) -> bool:
        r = self._one("SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name])
        return bool(r and r[0])

    def _count(self, table: str) -> int:
        r = self._one(f"SELECT count(*) FROM {table}")
        return int(r[0]) if r else 0

    def counts(self) -> dict[str, int]:
        return {t: self._count(t) for t in ("posts", "quarantine", "ingests", "embeddings", "runs")}


def _json_rows(
    rows: list[Any], keys: tuple[str, ...], json_keys: tuple[str, ...]
) -> list[dict[str, Any]]:
    """``rows`` as dicts keyed ``keys``, the JSON columns ``json_keys`` decoded (null: None)."""
    out = []
    for row in rows:
        d = dict(zip(keys, row, strict=True))
        for k in json_keys:
            d[k] = json.loads(d[k]) if d[k] is not None else None
        out.append(d)
    return out
