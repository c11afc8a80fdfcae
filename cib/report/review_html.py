"""The investigator's loop in report.html: verdict badges, verdict controls, the download.

Each network carries a verdict control (confirmed / benign / unsure and a note). The page's
one script (``report.js``, allowed by its hash) collects the choices and, on "Download
verdicts", writes ``verdicts.json`` from a Blob; ``cib review import verdicts.json`` records
it. No form is submitted and nothing leaves the page. Every value from the report is escaped
with :func:`cib.report.safety.h`.
"""

from __future__ import annotations

from cib.report.model import Network, Report
from cib.report.safety import h, one_line, truncate

#: Status of ``network["review"]`` -> (badge class, short text).
_STATUS_BADGE = {
    "continuation of confirmed operation": ("rv-confirmed", "continuation of confirmed operation"),
    "judged benign": ("rv-benign", "judged benign"),
    "changed since judged benign": ("rv-changed", "changed since judged benign"),
    "judged unsure": ("rv-unsure", "judged unsure"),
    "declared affiliation": ("rv-affil", "declared affiliation"),
}
_VERDICT_CLASS = {"confirmed": "rv-confirmed", "benign": "rv-benign", "unsure": "rv-unsure"}
VERDICT_CHOICES = ("confirmed", "benign", "unsure")


def group_of(net: Network) -> str:
    """Which list of the page a network goes to: ``flagged``, ``benign`` (judged benign and
    unchanged), ``affiliation`` (declared affiliation) or ``below``."""
    if net.get("flagged"):
        return "flagged"
    status = (net.get("review") or {}).get("status")
    if status == "judged benign":
        return "benign"
    if status == "declared affiliation":
        return "affiliation"
    return "below"


def badges(net: Network) -> str:
    """The network's review badges: its status from verdicts or affiliations, and a verdict
    recorded on its track after the run (``review.stored``)."""
    r = net.get("review") or {}
    out = []
    status = r.get("status")
    if status in _STATUS_BADGE:
        cls, text = _STATUS_BADGE[status]
        who = f" · {r['reviewer']}" if r.get("reviewer") else ""
        org = f" · {r['organisation']}" if status == "declared affiliation" else ""
        out.append(
            f'<span class="badge {cls}" title="{h(r.get("line"))}">{h(text + who + org)}</span>'
        )
    stored = r.get("stored")
    if stored and stored.get("verdict") in _VERDICT_CLASS:
        when = str(stored.get("decided_at") or "")[:10]
        out.append(
            f'<span class="badge {_VERDICT_CLASS[stored["verdict"]]}" '
            f'title="{h(stored.get("note"))}">verdict: {h(stored["verdict"])} · '
            f"{h(stored.get('reviewer'))} · {h(when)}</span>"
        )
    return " ".join(out)


def review_line(net: Network) -> str:
    """The verdict line of a network section (empty when it has no review status)."""
    r = net.get("review") or {}
    if not r.get("line"):
        return ""
    note = (
        f' <span class="muted">Note: {h(truncate(one_line(r["note"]), 400))}</span>'
        if r.get("note") and r.get("status") not in ("judged benign", "judged unsure")
        else ""
    )
    return f'<div class="why rv-line"><strong>Verdict:</strong> {h(r["line"])}{note}</div>'


def verdict_control(net: Network) -> str:
    """Radio buttons and a note for one network; read by report.js."""
    nid = int(net["network_id"])
    track = (net.get("history") or {}).get("track_id") or ""
    radios = "".join(
        f'<label><input type="radio" name="verdict-{nid}" value="{v}"> {v}</label>'
        for v in VERDICT_CHOICES
    )
    return (
        f'<fieldset class="verdict-control noprint" data-network-id="{nid}" '
        f'data-track-id="{h(track)}" data-name="{h(net.get("name"))}">'
        f"<legend>Your verdict on network {nid}</legend>{radios}"
        f'<label class="rv-note">note <textarea rows="2" maxlength="4000" '
        f'aria-label="note on network {nid}"></textarea></label></fieldset>'
    )


def review_panel(report: Report) -> str:
    """The page's verdict panel: who judges, how many verdicts are chosen, the download."""
    run_id = report.run.get("run_id") or ""
    return (
        f'<section id="review-panel" class="noprint" data-run-id="{h(run_id)}">'
        "<h3>Verdicts</h3>"
        '<p class="muted">Judge each network with its verdict control (confirmed, benign, '
        "unsure and a note), then download your verdicts and record them with "
        "<code>cib review import verdicts.json --db STORE</code>. Nothing is sent anywhere."
        "</p>"
        '<label>your name <input type="text" id="rv-reviewer" maxlength="200" '
        'autocomplete="off"></label> '
        '<button type="button" id="rv-download">Download verdicts (verdicts.json)</button> '
        '<span id="rv-count" class="muted">no verdicts chosen</span></section>'
    )
