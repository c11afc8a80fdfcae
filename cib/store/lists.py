"""Lists of accounts an analyst declares: the watchlist (takedowns, for :mod:`cib.tracking`
and :mod:`cib.playbook`) and affiliations (declared organisations, for :mod:`cib.review`).
Both are ``account_id, <label>, source, added_at`` tables."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl

from cib.store._base import StoreBase


class ListsStore(StoreBase):
    """Tables ``watchlist`` (key ``label``) and ``affiliations`` (key ``organisation``)."""

    def add_watchlist(
        self, rows: list[tuple[str, str]], *, source: str, added_at: datetime | None = None
    ) -> int:
        """Register (account_id, label) pairs; pairs already listed are skipped.

        ``added_at`` (default: now) is the takedown time that return detection measures
        fresh accounts' creation from (:mod:`cib.playbook`)."""
        self.ensure_tracking_tables()
        return self._add_list_rows("watchlist", "label", rows, source=source, added_at=added_at)

    def watchlist(self) -> pl.DataFrame:
        """Watchlisted accounts (account_id, label, source, added_at)."""
        return self._table("watchlist", "label", "added_at, account_id")

    def add_affiliations(self, rows: list[tuple[str, str]], *, source: str) -> int:
        """Register (account_id, organisation) pairs; pairs already listed are skipped."""
        self.ensure_review_tables()
        return self._add_list_rows("affiliations", "organisation", rows, source=source)

    def affiliations(self) -> pl.DataFrame:
        """Declared affiliations (account_id, organisation, source, added_at)."""
        return self._table("affiliations", "organisation", "organisation, account_id")

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
        return self._pl(f"SELECT * FROM {name} ORDER BY {order}")

    def _add_list_rows(
        self,
        table: str,
        key: str,
        rows: list[tuple[str, str]],
        *,
        source: str,
        added_at: datetime | None = None,
    ) -> int:
        """Insert the (account_id, ``key``) pairs of ``rows`` not yet in ``table``, with
        ``source`` and ``added_at`` (default: now), in one transaction; returns how many."""
        df = pl.DataFrame(
            {"account_id": [r[0] for r in rows], key: [r[1] for r in rows]},
            schema={"account_id": pl.String, key: pl.String},
        ).unique(maintain_order=True)
        with self.transaction(), self._registered("_new_rows", df):
            before = self._count(table)
            self._x(
                f"""INSERT INTO {table} SELECT n.account_id, n.{key}, ?, ? FROM _new_rows n
                    WHERE NOT EXISTS (SELECT 1 FROM {table} x
                                      WHERE x.account_id = n.account_id AND x.{key} = n.{key})""",
                [source, added_at or datetime.now(UTC)],
            )
            added = self._count(table) - before
        return added
