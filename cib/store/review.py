"""The investigator's verdicts on tracked networks and the links between tracks
(``verdicts``, ``track_links``; :mod:`cib.review`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from cib.store._base import StoreBase, _json_rows


class ReviewStore(StoreBase):
    """Tables ``verdicts`` and ``track_links``."""

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
        return _json_rows(rows, keys, ("members", "evidence", "profile"))

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
