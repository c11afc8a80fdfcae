"""Detection runs (``runs``: config and report JSON) and their tracking snapshots
(``run_networks``: one row per network, with its track, for :mod:`cib.tracking`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import polars as pl

from cib.store._base import StoreBase, _json_rows


class RunsStore(StoreBase):
    """Tables ``runs`` and ``run_networks``."""

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
        report: dict[str, Any] | None = json.loads(row[0]) if row else None
        return report

    def runs(self) -> pl.DataFrame:
        return self._pl("SELECT run_id, created_at, status FROM runs ORDER BY created_at")

    def has_run(self, run_id: str) -> bool:
        """Whether a finished run ``run_id`` is stored."""
        r = self._one("SELECT count(*) FROM runs WHERE run_id = ? AND status = 'done'", [run_id])
        return bool(r and r[0])

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

    # ------------------------------------------------------------------ tracking (cib.tracking)
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
        return _json_rows(rows, keys, ("members", "evidence", "profile", "return_of"))

    # ------------------------------------------------------------------ review (cib.review)
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
        return _json_rows(rows, keys, ("members", "evidence", "profile"))

    def update_run_networks(self, run_id: str, rows: list[tuple[int, bool, str]]) -> None:
        """Set ``flagged`` and ``name`` of snapshot rows ``(network_id, flagged, name)``."""
        with self.transaction():
            for nid, flagged, name in rows:
                self._x(
                    "UPDATE run_networks SET flagged = ?, name = ? "
                    "WHERE run_id = ? AND network_id = ?",
                    [bool(flagged), name, run_id, int(nid)],
                )
