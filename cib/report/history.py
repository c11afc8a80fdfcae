"""The "returned" line of a network in report.html and report.md (issue 14).

A network whose playbook matches an old track or a watchlisted takedown
(``history.return_of``, :mod:`cib.tracking`) says what matched and which old network it is,
with a link to that run's report when the scheduled job knows its folder
(``return_of.report``, a relative path it writes itself). Every value is escaped; the link
is only emitted when it has the exact shape the job writes.
"""

from __future__ import annotations

import re
from typing import Any

from cib.report.model import Network
from cib.report.safety import h, md

__all__ = ["return_html", "return_md"]

_REPORT_LINK = re.compile(r"^\.\./[A-Za-z0-9_.:-]+/report\.html(#net-\d+)?$")


def _what(ret: dict[str, Any]) -> tuple[str, str | None]:
    old = ret.get("name") or ret.get("track_id") or ""
    where = []
    if ret.get("label"):
        where.append(f"watchlisted takedown {ret['label']!s}")
    if ret.get("track_id"):
        where.append(
            f"track {ret['track_id']}"
            + (
                f" (run {ret['run_id']}, network {ret['network_id']}: {old})"
                if ret.get("run_id")
                else ""
            )
        )
    link = ret.get("report")
    if link and not _REPORT_LINK.match(str(link)):
        link = None
    return " / ".join(where), link


def return_html(net: Network) -> str:
    ret = (net.get("history") or {}).get("return_of")
    if not ret:
        return ""
    what, link = _what(ret)
    why = "; ".join(str(w) for w in ret.get("why") or [])
    anchor = f' <a href="{h(link)}">old report</a>' if link else ""
    flagged = (
        " Flagged as the return of a taken-down operation, whatever its score."
        if (net.get("history") or {}).get("flagged_as_return")
        else ""
    )
    return (
        f'<div class="why"><strong>Returned:</strong> the playbook of {h(what)}{anchor}: '
        f"{h(why)}.{h(flagged)}</div>"
    )


def return_md(net: Network) -> list[str]:
    ret = (net.get("history") or {}).get("return_of")
    if not ret:
        return []
    what, link = _what(ret)
    why = "; ".join(str(w) for w in ret.get("why") or [])
    tail = f" ([old report]({link}))" if link else ""
    return [f"> **Returned:** the playbook of {md(what)}{tail}: {md(why)}", ""]
