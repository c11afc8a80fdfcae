"""accounts.csv: one row per member of each flagged network, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from cib.report.model import ReportLike, as_report
from cib.report.safety import csv_cell

ACCOUNT_COLUMNS: tuple[str, ...] = (
    "account_id",
    "network_id",
    "network_rank",
    "network_score",
    "role",
    "degree",
    "posts",
    "coordinated_posts",
    "account_name",
)


def render_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """CSV text where every cell went through :func:`csv_cell` (formula injection guard)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([csv_cell(c) for c in header])
    for row in rows:
        writer.writerow([csv_cell(c) for c in row])
    return buf.getvalue()


def account_rows(report: ReportLike) -> list[list[Any]]:
    """Rows of accounts.csv: members of networks marked ``flagged``, in rank order."""
    rows: list[list[Any]] = []
    for net in as_report(report).by_rank:
        if not net.get("flagged"):
            continue
        members = sorted(
            net.get("members", []),
            key=lambda m: (m.get("role") != "hub", -float(m.get("degree") or 0), m["account_id"]),
        )
        for m in members:
            rows.append(
                [
                    m["account_id"],
                    net["network_id"],
                    net["rank"],
                    round(float(net["score"]), 4),
                    m.get("role"),
                    round(float(m.get("degree") or 0.0), 4),
                    m.get("posts"),
                    m.get("coordinated_posts"),
                    m.get("account_name"),
                ]
            )
    return rows


def render_accounts_csv(report: ReportLike) -> str:
    """accounts.csv text."""
    return render_csv(ACCOUNT_COLUMNS, account_rows(report))
