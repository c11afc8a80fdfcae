"""report.html: one self-contained, offline page an analyst can verify a network from.

No external request of any kind: CSS and the small verdict/sorting script are inlined, charts
are SVG drawn in Python (:mod:`cib.report.svg`), and a Content-Security-Policy
(``default-src 'none'``, the script allowed by its hash only) stops anything injected from
loading or running.

The page is rendered from Jinja2 templates shipped in ``cib/report/templates/``. Escaping is
the environment's default, not the template author's habit: ``autoescape`` is on, and the
``finalize`` hook passes every ``{{ value }}`` through :func:`cib.report.safety.clean` (bidi
and control characters made visible) and the standard library's ``html.escape(quote=True)``.
A value is emitted unescaped only when it is :class:`markupsafe.Markup`, and the only Markup
made here is in :func:`_ours` (charts and lines drawn by our own code from escaped inputs)
and the page's own CSS and script. Jinja never renders data as a template, so a post text
such as ``{{ 7*7 }}`` is shown as written.

Python prepares the values (sorting, caps, number formats); the templates hold the markup.
"""

from __future__ import annotations

import base64
import hashlib
import html as _html
import re
from functools import lru_cache
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from cib.config import ReportParams
from cib.report import svg
from cib.report.history import return_html
from cib.report.model import Evidence, EvidencePost, Network, ReportLike, RunMeta, as_report
from cib.report.review_html import badges, group_of, review_line, review_panel, verdict_control
from cib.report.safety import clean, one_line, safe_url, truncate

__all__ = ["csp", "render_html", "top_evidence"]

MAX_MEMBER_ROWS = 500
POSTS_SHOWN = 5
POSTS_MORE = 50
KEY_CONFIG = (
    ("detect", "window_s"),
    ("detect", "drip_window_s"),
    ("detect", "slow_window_s"),  # drip_window_s in reports written before the rename
    ("detect", "min_coactions"),
    ("detect", "min_z"),
    ("detect", "min_timing_z"),
    ("detect", "timing_slow_window_s"),
    ("detect", "signals"),
    ("network", "min_accounts"),
    ("network", "resolution"),
    ("report", "flag_threshold"),
    ("embed", "model"),
)
#: The lists a network can be in, after the flagged one: (group, summary title, summary
#: note, section title).
APART = (
    ("benign", "Judged benign (listed apart, not flagged)",
     "A team's verdict says these are benign; they are flagged again when they grow or "
     "change content beyond what was judged.", "Networks judged benign"),
    ("affiliation", "Declared affiliations (never flagged on their own)",
     "Every member belongs to one declared organisation (cib affiliations add); pairs "
     "inside an organisation are not evidence.", "Networks of one declared organisation"),
    ("below", "Below the flag threshold (demoted, for review)",
     "These groups co-acted beyond chance but failed a test; each says which. They are "
     "not in accounts.csv.", "Networks below the flag threshold"),
)  # fmt: skip


@lru_cache(maxsize=4)
def asset(name: str) -> str:
    """A CSS/JS file shipped in the ``cib.report`` package."""
    return resources.files("cib.report").joinpath(name).read_text(encoding="utf-8")


def csp(script: str) -> str:
    """The Content-Security-Policy of the page: nothing loads, only ``script`` runs.

    ``script`` must be the exact text between ``<script>`` and ``</script>`` on the page.
    """
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


_HTML_SPECIAL = re.compile("[&<>\"']")


def _finalize(value: Any) -> Markup:
    """Every ``{{ value }}`` of the templates: Markup passes, anything else is made visible
    (:func:`clean`) and escaped for text and quoted attributes (``html.escape``, whose
    entities the tests and the old pages use). Most values (ids, times, numbers) hold no
    special character, so the escape runs only when one is there."""
    if isinstance(value, Markup):
        return value
    text = clean(value)
    if _HTML_SPECIAL.search(text) is None:
        return Markup(text)
    return Markup(_html.escape(text, quote=True))


def _ours(markup: str) -> Markup:
    """The one place HTML made in Python is marked safe.

    Only for the output of our own renderers, which escape every value they embed with
    :func:`cib.report.safety.h`: the SVG charts of :mod:`cib.report.svg`, the review badges,
    lines and controls of :mod:`cib.report.review_html`, and the return line of
    :mod:`cib.report.history`. Never pass a value from the dump here.
    """
    return Markup(markup)


def _num(v: Any, digits: int = 0) -> Any:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    try:
        return f"{float(v):,.{digits}f}"
    except (TypeError, ValueError):
        return v


def _fixed(v: Any, digits: int = 2) -> str:
    return f"{float(v or 0):.{digits}f}"


def _span(seconds: Any) -> str:
    s = float(seconds or 0)
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 172800:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:.1f} days"


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("cib.report", "templates"),
        autoescape=select_autoescape(["html.j2"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters.update(num=_num, fixed=_fixed, span=_span, ts=svg.fmt_ts)
    env.globals.update(colour=svg.signal_colour, int=int, len=len)
    return env


def top_evidence(net: Network, limit: int) -> list[Evidence]:
    """The ``limit`` shared objects touched by most accounts (tightest span first on ties)."""
    ev = net.get("evidence", [])
    return sorted(ev, key=lambda e: (-int(e.get("n_accounts") or 0), float(e.get("span_s") or 0)))[
        :limit
    ]


def _flatten(d: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if not isinstance(d, dict):
        return [(prefix, d)]
    out: list[tuple[str, Any]] = []
    for k, v in d.items():
        out += _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    return out


def _header(run: RunMeta) -> dict[str, Any]:
    config = run.get("config", {}) or {}
    key_cfg = []
    for section, name in KEY_CONFIG:
        value = (
            (config.get(section) or {}).get(name) if isinstance(config.get(section), dict) else None
        )
        if value is not None:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            key_cfg.append((f"{section}.{name}", shown, True))
    return {
        "meta": [
            ("cib version", run.get("cib_version"), False),
            ("run id", run.get("run_id"), True),
            ("created", svg.fmt_ts(run.get("created_at")), False),
            ("engine", run.get("engine"), False),
            ("model", run.get("model_id"), True),
        ],
        "counts": [(k.replace("_", " "), _num(v), False) for k, v in run.get("counts", {}).items()],
        "key_cfg": key_cfg,
        "inputs": [
            {
                "path": i.get("path"),
                "format": i.get("format"),
                "sha256": i.get("sha256"),
                "nums": [_num(i.get(k)) for k in ("rows", "ingested", "duplicates", "quarantined")],
            }
            for i in run.get("inputs", [])
        ],
        "caps": [(k, _num(v)) for k, v in (run.get("caps") or {}).items() if v],
        "config": _flatten(config),
    }


def _row(net: Network) -> dict[str, Any]:
    """One network's line in a summary table."""
    return {
        "id": int(net["network_id"]),
        "rank": int(net["rank"]),
        "name": net.get("name"),
        "badges": _ours(badges(net)),
        "score": _fixed(net["score"]),
        "flagged": bool(net.get("flagged")),
        "accounts": len(net.get("members", [])),
        "signals": _signals(net),
        "why": truncate(one_line(net.get("why")), 240),
        "demoted": truncate(one_line("; ".join(net.get("demoted") or [])), 240),
    }


def _signals(net: Network) -> list[tuple[str, str, int]]:
    """(name, colour, edge count) of each signal, largest first."""
    items = sorted((net.get("signals") or {}).items(), key=lambda kv: -int(kv[1] or 0))
    return [(str(k), svg.signal_colour(str(k)), int(n or 0)) for k, n in items]


def _evidence(net: Network, limit: int) -> dict[str, Any]:
    items = []
    for e in top_evidence(net, limit):
        posts = sorted(e.get("posts", []), key=lambda p: str(p.get("created_at")))
        label = e.get("label")
        sig = str(e.get("signal"))
        items.append(
            {
                "signal": sig,
                "colour": svg.signal_colour(sig),
                "url": safe_url(label),
                "label": label,
                "not_url": sig == "url",
                "n_accounts": int(e.get("n_accounts") or 0),
                "span": _span(e.get("span_s")),
                "first_at": svg.fmt_ts(e.get("first_at")),
                "last_at": svg.fmt_ts(e.get("last_at")),
                "object_id": e.get("object_id"),
                "posts": [_post(p) for p in posts[:POSTS_SHOWN]],
                "more": [_post(p) for p in posts[POSTS_SHOWN:POSTS_MORE]],
                "hidden": len(posts) - POSTS_MORE,
            }
        )
    return {"objects": items, "rest": len(net.get("evidence", [])) - len(items)}


def _post(p: EvidencePost) -> tuple[str, Any, Any, Any]:
    return (svg.fmt_ts(p.get("created_at")), p.get("account_id"), p.get("post_id"), p.get("text"))


def _members(net: Network) -> dict[str, Any]:
    members = sorted(
        net.get("members", []),
        key=lambda m: (m.get("role") != "hub", -float(m.get("degree") or 0), str(m["account_id"])),
    )
    rows = []
    for m in members[:MAX_MEMBER_ROWS]:
        created = m.get("account_created_at")
        rows.append(
            (
                m["account_id"],
                m.get("account_name"),
                m.get("role"),
                _fixed(m.get("degree")),
                _num(m.get("posts")),
                _num(m.get("coordinated_posts")),
                _num(m.get("followers")),
                created or "",
                svg.fmt_ts(created) if created else "",
                m.get("client"),
                m.get("account_location"),
            )
        )
    return {"rows": rows, "more": len(members) - MAX_MEMBER_ROWS}


def _hours(hours: dict[str, Any]) -> dict[str, Any]:
    locs = hours.get("claimed_locations") or []
    offset = hours.get("claimed_utc_offset_h")
    lo, hi = svg.ACTIVE_LOCAL_HOURS
    return {
        "where": ", ".join(one_line(x) for x in locs[:10]) or "none",
        "where_more": len(locs) - 10,
        "offset": "unknown" if offset is None else f"UTC{float(offset):+g} h",
        "active": f"{lo:02d}:00-{hi:02d}:00",
        "mismatch": f"{float(hours.get('active_local_hours_mismatch') or 0):.0%}",
    }


def _bursts(net: Network) -> dict[str, Any]:
    info = net.get("bursts") or {}
    return {
        "share": f"{float(info.get('in_bursts') or 0.0):.0%}",
        "rows": [
            (
                svg.fmt_ts(b.get("start")),
                svg.fmt_ts(b.get("end")),
                _span(b.get("duration_s")),
                _num(b.get("posts")),
                _num(b.get("members")),
            )
            for b in info.get("bursts") or []
        ],
    }


def _network(net: Network, params: ReportParams) -> dict[str, Any]:
    """Everything a network section shows, formatted; the template only lays it out."""
    members = net.get("members", [])
    times = [t for t in (svg.parse_ts(p.get("created_at")) for p in net.get("timeline", [])) if t]
    active = (
        f"; active {min(times).strftime('%Y-%m-%d %H:%MZ')} to "
        f"{max(times).strftime('%Y-%m-%d %H:%MZ')}"
        if times
        else ""
    )
    plats = net.get("platforms") or {}
    platforms = (
        " · members on " + ", ".join(f"{k} ({int(v)})" for k, v in plats.items()) if plats else ""
    )
    hours = net.get("hours") or {}
    return _row(net) | {
        "n_accounts": len(members),
        "hubs": sum(1 for m in members if m.get("role") == "hub"),
        "n_edges": len(net.get("edges", [])),
        "n_evidence": len(net.get("evidence", [])),
        "active": active + platforms,
        "why": net.get("why"),
        "review_line": _ours(review_line(net)),
        "returned": _ours(return_html(net)),
        "demoted": "; ".join(net.get("demoted") or []),
        "score_bars": _ours(svg.score_bars(net.get("parts") or {})),
        "graph": _ours(svg.graph(net)),
        "timeline": _ours(svg.timeline(net)),
        "bursts": _bursts(net),
        "evidence": _evidence(net, params.max_evidence),
        "creation": _ours(svg.creation_histogram(net.get("creation_histogram") or [])),
        "hours_chart": _ours(svg.hours_profile(hours)),
        "hours": _hours(hours),
        "members": _members(net),
        "verdict_control": _ours(verdict_control(net)),
    }


def _demoted_pairs(run: RunMeta) -> dict[str, Any] | None:
    dem = run.get("demoted") or {}
    pairs = dem.get("pairs") or {}
    if not pairs:
        return None
    return {
        "counts": [(v.get("reason"), _num(v.get("count"))) for v in pairs.values()],
        "top": [
            (
                p.get("account_a"),
                p.get("account_b"),
                p.get("signal"),
                _num(p.get("n_coactions")),
                _fixed(p.get("z"), 1),
                p.get("reason"),
            )
            for p in dem.get("top_pairs") or []
        ],
    }


def render_html(report: ReportLike, params: ReportParams) -> str:
    """The whole report.html as a string."""
    rep = as_report(report)
    networks = rep.by_rank
    shown = min(len(networks), params.max_networks)
    groups: dict[str, list[Network]] = {"flagged": [], "benign": [], "affiliation": []}
    groups["below"] = []
    for net in networks[:shown]:
        groups[group_of(net)].append(net)
    run = rep.run
    script = asset("report.js")
    return (
        _env()
        .get_template("report.html.j2")
        .render(
            run_id=run.get("run_id"),
            created=svg.fmt_ts(run.get("created_at")),
            cib_version=run.get("cib_version"),
            csp=csp(script),
            # our package's own files; the CSP hash above is over this exact script text
            css=Markup(asset("report.css")),
            script=Markup(script),
            header=_header(run),
            review_panel=_ours(review_panel(rep)),
            summary={k: [_row(n) for n in v] for k, v in groups.items()},
            apart=APART,
            more=len(networks) - shown,
            shown=shown,
            flagged=[_network(n, params) for n in groups["flagged"]],
            sections=[
                (title, [_network(n, params) for n in groups[key]])
                for key, _, _, title in APART
                if groups[key]
            ],
            demoted_pairs=_demoted_pairs(run),
        )
    )
