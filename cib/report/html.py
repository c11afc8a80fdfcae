"""report.html: one self-contained, offline page an analyst can verify a network from.

No external request of any kind: CSS and the small sorting script are inlined, charts are SVG
drawn in Python, and a Content-Security-Policy (``default-src 'none'``, the script allowed by
its hash only) stops anything injected from loading or running. Every value from the dump is
escaped with :func:`cib.report.safety.h`.
"""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from importlib import resources
from typing import Any

from cib.config import ReportParams
from cib.report import svg
from cib.report.history import return_html
from cib.report.review_html import badges, group_of, review_line, review_panel, verdict_control
from cib.report.safety import h, html_link, one_line, safe_url, truncate

MAX_MEMBER_ROWS = 500
POSTS_SHOWN = 5
POSTS_MORE = 50
KEY_CONFIG = (
    ("detect", "window_s"),
    ("detect", "slow_window_s"),
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


@lru_cache(maxsize=4)
def asset(name: str) -> str:
    """A CSS/JS file shipped in the ``cib.report`` package."""
    return resources.files("cib.report").joinpath(name).read_text(encoding="utf-8")


def csp(script: str) -> str:
    """The Content-Security-Policy of the page: nothing loads, only our script runs."""
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    return (
        f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def _num(v: Any, digits: int = 0) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, int):
        return f"{v:,}"
    try:
        return f"{float(v):,.{digits}f}"
    except (TypeError, ValueError):
        return h(v)


def _dl(items: list[tuple[str, str]]) -> str:
    """A definition list; values must already be escaped HTML."""
    return "<dl>" + "".join(f"<dt>{h(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"


def signal_badges(signals: dict[str, Any]) -> str:
    """Coloured signal names with their edge counts, largest first."""
    out = []
    for name, n in sorted(signals.items(), key=lambda kv: -int(kv[1] or 0)):
        out.append(
            f'<span class="sig" style="background:{svg.signal_colour(str(name))}">'
            f"{h(name)} {int(n or 0):,}</span>"
        )
    return "".join(out)


def _flag_badge(flagged: bool) -> str:
    return (
        '<span class="badge flag">flagged</span>'
        if flagged
        else '<span class="badge noflag">not flagged</span>'
    )


def _header(report: dict[str, Any]) -> str:
    run = report.get("run", {})
    counts = run.get("counts", {})
    config = run.get("config", {}) or {}
    meta = [
        ("cib version", h(run.get("cib_version"))),
        ("run id", f"<code>{h(run.get('run_id'))}</code>"),
        ("created", h(svg.fmt_ts(run.get("created_at")))),
        ("engine", h(run.get("engine"))),
        ("model", f"<code>{h(run.get('model_id'))}</code>"),
    ]
    count_items = [(k.replace("_", " "), _num(v)) for k, v in counts.items()]
    key_cfg = []
    for section, name in KEY_CONFIG:
        value = (
            (config.get(section) or {}).get(name) if isinstance(config.get(section), dict) else None
        )
        if value is not None:
            shown = ", ".join(map(str, value)) if isinstance(value, list) else value
            key_cfg.append((f"{section}.{name}", f"<code>{h(shown)}</code>"))
    parts = [
        f"<h1>Coordinated behaviour report</h1>"
        f'<p class="muted">Run <code>{h(run.get("run_id"))}</code>, '
        f"{h(svg.fmt_ts(run.get('created_at')))}. Networks are ranked by score "
        f"(1 = most suspicious). Every claim below links to the posts that support it.</p>",
        '<div class="meta">',
        _dl(meta),
        _dl(count_items),
        _dl(key_cfg),
        "</div>",
    ]
    rows = []
    for inp in run.get("inputs", []):
        rows.append(
            f'<tr><td class="mono">{h(inp.get("path"))}</td><td>{h(inp.get("format"))}'
            f'</td><td class="mono">{h(inp.get("sha256"))}</td>'
            + "".join(
                f'<td class="num">{_num(inp.get(k))}</td>'
                for k in ("rows", "ingested", "duplicates", "quarantined")
            )
            + "</tr>"
        )
    parts.append(
        "<h3>Inputs</h3><table><thead><tr><th>path</th><th>format</th><th>sha256</th>"
        '<th class="num">rows</th><th class="num">ingested</th>'
        '<th class="num">duplicates</th><th class="num">quarantined</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    caps = {k: v for k, v in (run.get("caps") or {}).items() if v}
    if caps:
        parts.append(
            '<p class="muted">Caps applied during the run (counts of times a limit cut '
            "data): " + ", ".join(f"{h(k)}: {_num(v)}" for k, v in caps.items()) + "</p>"
        )
    flat = _flatten(config)
    if flat:
        parts.append(
            "<details><summary>Full configuration</summary><table><tbody>"
            + "".join(
                f'<tr><td class="mono">{h(k)}</td><td class="mono">{h(v)}</td></tr>'
                for k, v in flat
            )
            + "</tbody></table></details>"
        )
    return "<header>" + "".join(parts) + "</header>"


def _flatten(d: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if not isinstance(d, dict):
        return [(prefix, d)]
    out: list[tuple[str, Any]] = []
    for k, v in d.items():
        out += _flatten(v, f"{prefix}.{k}" if prefix else str(k))
    return out


def _summary_rows(networks: list[dict[str, Any]]) -> str:
    rows = []
    for net in networks:
        nid = int(net["network_id"])
        rows.append(
            f'<tr><td class="num">{int(net["rank"])}</td>'
            f'<td><a href="#net-{nid}">{h(net.get("name"))}</a> {badges(net)}</td>'
            f'<td class="num">{float(net["score"]):.2f}</td>'
            f'<td data-sort="{1 if net.get("flagged") else 0}">'
            f"{_flag_badge(net.get('flagged'))}</td>"
            f'<td class="num">{len(net.get("members", []))}</td>'
            f"<td>{signal_badges(net.get('signals') or {})}</td>"
            f"<td>{h(truncate(one_line(net.get('why')), 240))}</td>"
            + (
                ""
                if net.get("flagged")
                else f"<td>{h(truncate(one_line('; '.join(net.get('demoted') or [])), 240))}</td>"
            )
            + "</tr>"
        )
    return "".join(rows)


def _summary(networks: list[dict[str, Any]], shown: int) -> str:
    groups: dict[str, list[dict[str, Any]]] = {"flagged": [], "benign": [], "affiliation": []}
    groups["below"] = []
    for n in networks[:shown]:
        groups[group_of(n)].append(n)
    more = len(networks) - shown
    note = (
        f'<p class="muted">{more:,} more network(s) not shown (report.max_networks = '
        f"{shown}); all are in networks.json.</p>"
        if more > 0
        else ""
    )
    head = (
        '<table class="sortable"><thead><tr><th class="num">rank</th><th>network</th>'
        '<th class="num">score</th><th>flagged</th><th class="num">accounts</th>'
        "<th>signals (edges)</th><th>why</th>"
    )
    apart = (
        ("benign", "Judged benign (listed apart, not flagged)",
         "A team's verdict says these are benign; they are flagged again when they grow or "
         "change content beyond what was judged."),
        ("affiliation", "Declared affiliations (never flagged on their own)",
         "Every member belongs to one declared organisation (cib affiliations add); pairs "
         "inside an organisation are not evidence."),
        ("below", "Below the flag threshold (demoted, for review)",
         "These groups co-acted beyond chance but failed a test; each says which. They are "
         "not in accounts.csv."),
    )  # fmt: skip
    lists = "".join(
        f'<h2 id="{key}">{title}</h2><p class="muted">{text}</p>'
        f"{head}<th>{'demoted because' if key == 'below' else 'listed apart because'}</th>"
        f"</tr></thead><tbody>{_summary_rows(groups[key])}</tbody></table>"
        for key, title, text in apart
        if groups[key]
    )
    return (
        '<section id="summary"><h2>Flagged networks</h2>'
        '<p class="muted noprint">Click a column heading to sort.</p>'
        f"{head}</tr></thead><tbody>{_summary_rows(groups['flagged'])}</tbody></table>"
        f"{lists}{note}</section>"
    )


def _demoted_evidence(report: dict[str, Any]) -> str:
    """The demoted candidate pairs: counts per reason and the strongest ones."""
    dem = (report.get("run") or {}).get("demoted") or {}
    pairs = dem.get("pairs") or {}
    if not pairs:
        return ""
    counts = "".join(
        f'<tr><td>{h(v.get("reason"))}</td><td class="num">{_num(v.get("count"))}</td></tr>'
        for v in pairs.values()
    )
    top = "".join(
        f'<tr><td class="mono">{h(p.get("account_a"))}</td>'
        f'<td class="mono">{h(p.get("account_b"))}</td><td>{h(p.get("signal"))}</td>'
        f'<td class="num">{_num(p.get("n_coactions"))}</td>'
        f'<td class="num">{float(p.get("z") or 0):.1f}</td><td>{h(p.get("reason"))}</td></tr>'
        for p in dem.get("top_pairs") or []
    )
    return (
        '<section id="demoted"><h2>Demoted pair evidence</h2>'
        '<p class="muted">Account pairs that co-acted repeatedly but failed a test; kept here '
        "so that nothing is silently dropped.</p>"
        '<table><thead><tr><th>reason</th><th class="num">pairs</th></tr></thead>'
        f"<tbody>{counts}</tbody></table>"
        '<table class="sortable"><thead><tr><th>account</th><th>account</th><th>signal</th>'
        '<th class="num">objects</th><th class="num">z</th><th>reason</th></tr></thead>'
        f"<tbody>{top}</tbody></table></section>"
    )


def _members(net: dict[str, Any]) -> str:
    members = sorted(
        net.get("members", []),
        key=lambda m: (m.get("role") != "hub", -float(m.get("degree") or 0), str(m["account_id"])),
    )
    rows = []
    for m in members[:MAX_MEMBER_ROWS]:
        created = m.get("account_created_at")
        rows.append(
            f'<tr><td class="mono">{h(m["account_id"])}</td><td>{h(m.get("account_name"))}</td>'
            f"<td>{h(m.get('role'))}</td>"
            f'<td class="num">{float(m.get("degree") or 0):.2f}</td>'
            f'<td class="num">{_num(m.get("posts"))}</td>'
            f'<td class="num">{_num(m.get("coordinated_posts"))}</td>'
            f'<td class="num">{_num(m.get("followers"))}</td>'
            f'<td data-sort="{h(created or "")}">{h(svg.fmt_ts(created) if created else "")}</td>'
            f"<td>{h(m.get('client'))}</td><td>{h(m.get('account_location'))}</td></tr>"
        )
    more = len(members) - MAX_MEMBER_ROWS
    note = f'<p class="muted">{more:,} more member(s) in networks.json.</p>' if more > 0 else ""
    return (
        '<table class="sortable members"><thead><tr><th>account id</th><th>name</th>'
        '<th>role</th><th class="num">degree</th><th class="num">posts</th>'
        '<th class="num">coordinated</th><th class="num">followers</th><th>created</th>'
        "<th>client</th><th>claimed location</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>{note}"
    )


def top_evidence(net: dict[str, Any], limit: int) -> list[dict[str, Any]]:
    """The ``limit`` shared objects touched by most accounts (tightest span first on ties)."""
    ev = net.get("evidence", [])
    return sorted(ev, key=lambda e: (-int(e.get("n_accounts") or 0), float(e.get("span_s") or 0)))[
        :limit
    ]


def _span(seconds: Any) -> str:
    s = float(seconds or 0)
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 172800:
        return f"{s / 3600:.1f} h"
    return f"{s / 86400:.1f} days"


def evidence_label_html(e: dict[str, Any]) -> str:
    """The shared object: a safe link for http(s) URLs, escaped text otherwise."""
    label = e.get("label")
    if safe_url(label):
        return html_link(label)
    note = (
        ' <span class="muted">(not an http(s) URL; shown as text)</span>'
        if e.get("signal") == "url"
        else ""
    )
    return f'<span class="nolink">{h(label)}</span>{note}'


def _post_rows(posts: list[dict[str, Any]]) -> str:
    return "".join(
        f'<tr><td class="mono">{h(svg.fmt_ts(p.get("created_at")))}</td>'
        f'<td class="mono">{h(p.get("account_id"))}</td><td class="mono">{h(p.get("post_id"))}'
        f'</td><td class="post-text">{h(p.get("text"))}</td></tr>'
        for p in posts
    )


def _evidence(net: dict[str, Any], limit: int) -> str:
    items = top_evidence(net, limit)
    if not items:
        return '<p class="muted">No shared objects recorded.</p>'
    out = []
    head = (
        "<table><thead><tr><th>time (UTC)</th><th>account</th><th>post id</th><th>text</th>"
        "</tr></thead><tbody>"
    )
    for e in items:
        posts = sorted(e.get("posts", []), key=lambda p: str(p.get("created_at")))
        more = posts[POSTS_SHOWN:POSTS_MORE]
        extra = (
            f"<details><summary>{len(more)} more post(s)</summary>{head}"
            f"{_post_rows(more)}</tbody></table></details>"
            if more
            else ""
        )
        hidden = len(posts) - POSTS_MORE
        if hidden > 0:
            extra += f'<p class="muted">{hidden:,} more post(s) in networks.json.</p>'
        sig = str(e.get("signal"))
        out.append(
            f'<div class="evidence"><div><span class="sig" style="background:'
            f'{svg.signal_colour(sig)}">{h(sig)}</span> <span class="label">'
            f"{evidence_label_html(e)}</span></div>"
            f'<div class="muted">{int(e.get("n_accounts") or 0)} accounts within '
            f"{h(_span(e.get('span_s')))}: {h(svg.fmt_ts(e.get('first_at')))} to "
            f"{h(svg.fmt_ts(e.get('last_at')))} · object <code>{h(e.get('object_id'))}</code>"
            f"</div>{head}{_post_rows(posts[:POSTS_SHOWN])}</tbody></table>{extra}</div>"
        )
    rest = len(net.get("evidence", [])) - len(items)
    if rest > 0:
        out.append(f'<p class="muted">{rest:,} more shared object(s) in networks.json.</p>')
    return "".join(out)


def _hours_text(hours: dict[str, Any]) -> str:
    locs = hours.get("claimed_locations") or []
    offset = hours.get("claimed_utc_offset_h")
    where = ", ".join(h(one_line(x)) for x in locs[:10]) or "none"
    if len(locs) > 10:
        where += f" and {len(locs) - 10} more"
    off = "unknown" if offset is None else f"UTC{float(offset):+g} h"
    lo, hi = svg.ACTIVE_LOCAL_HOURS
    return (
        f'<p class="muted">Claimed locations: {where}. Claimed offset: {h(off)}. Shaded: '
        f"{lo:02d}:00-{hi:02d}:00 local time. Share of activity outside those hours: "
        f"{float(hours.get('active_local_hours_mismatch') or 0):.0%}.</p>"
    )


def _platform_line(net: dict[str, Any]) -> str:
    plats = net.get("platforms") or {}
    if not plats:
        return ""
    return " · members on " + ", ".join(f"{k} ({int(v)})" for k, v in plats.items())


def _bursts(net: dict[str, Any]) -> str:
    info = net.get("bursts") or {}
    bursts = info.get("bursts") or []
    if not bursts:
        return '<p class="muted">No bursts: the synchronised posts are too few or spread out.</p>'
    rows = "".join(
        f"<tr><td>{h(svg.fmt_ts(b.get('start')))}</td><td>{h(svg.fmt_ts(b.get('end')))}</td>"
        f'<td class="num">{h(_span(b.get("duration_s")))}</td>'
        f'<td class="num">{_num(b.get("posts"))}</td><td class="num">{_num(b.get("members"))}</td>'
        "</tr>"
        for b in bursts
    )
    share = float(info.get("in_bursts") or 0.0)
    return (
        f'<p class="muted">{share:.0%} of the synchronised posts fall in a burst.</p>'
        '<table class="sortable"><thead><tr><th>start</th><th>end</th>'
        '<th class="num">duration</th><th class="num">posts</th><th class="num">members</th>'
        f"</tr></thead><tbody>{rows}</tbody></table>"
    )


def _network(net: dict[str, Any], params: ReportParams) -> str:
    nid = int(net["network_id"])
    members = net.get("members", [])
    times = [t for t in (svg.parse_ts(p.get("created_at")) for p in net.get("timeline", [])) if t]
    active = (
        f"; active {min(times).strftime('%Y-%m-%d %H:%MZ')} to "
        f"{max(times).strftime('%Y-%m-%d %H:%MZ')}"
        if times
        else ""
    )
    hubs = sum(1 for m in members if m.get("role") == "hub")
    return (
        f'<section class="network" id="net-{nid}">'
        f"<h2>#{int(net['rank'])} {h(net.get('name'))} {_flag_badge(net.get('flagged'))} "
        f"{badges(net)}</h2>"
        f'<p class="muted">network id {nid} · score {float(net["score"]):.2f} · '
        f"{len(members)} accounts ({hubs} hubs) · {len(net.get('edges', []))} edges · "
        f"{len(net.get('evidence', []))} shared objects{h(active)}"
        f"{h(_platform_line(net))}</p>"
        f'<div class="why"><strong>{"Why flagged" if net.get("flagged") else "Why listed"}:'
        f"</strong> {h(net.get('why'))}</div>"
        + review_line(net)
        + return_html(net)
        + (
            ""
            if net.get("flagged")
            else f'<div class="why"><strong>Demoted because:</strong> '
            f"{h('; '.join(net.get('demoted') or []))}</div>"
        )
        + f"<div>{signal_badges(net.get('signals') or {})}</div>"
        f'<div class="grid2"><div><h3>Score components</h3>{svg.score_bars(net.get("parts") or {})}'
        f"</div><div><h3>Network</h3>{svg.graph(net)}"
        f'<p class="muted">Node size: degree; red outlined: hubs; edge colour: signal.</p>'
        f"</div></div>"
        f"<h3>Timeline of member activity</h3>{svg.timeline(net)}"
        f"<h3>Bursts (found from the data, no window)</h3>{_bursts(net)}"
        f"<h3>Top shared objects</h3>{_evidence(net, params.max_evidence)}"
        f'<div class="grid2"><div><h3>Account creation (per week)</h3>'
        f"{svg.creation_histogram(net.get('creation_histogram') or [])}</div>"
        f"<div><h3>Hour of day (UTC)</h3>{svg.hours_profile(net.get('hours') or {})}"
        f"{_hours_text(net.get('hours') or {})}</div></div>"
        f"<h3>Members</h3>{_members(net)}{verdict_control(net)}"
        f'<p class="noprint"><a href="#summary">back to the list of networks</a></p></section>'
    )


def render_html(report: dict[str, Any], params: ReportParams) -> str:
    """The whole report.html as a string."""
    networks = sorted(report.get("networks", []), key=lambda n: n["rank"])
    shown = min(len(networks), params.max_networks)
    script = asset("report.js")
    run = report.get("run", {})
    body = [_header(report), review_panel(report), _summary(networks, shown)]
    body += [_network(net, params) for net in networks[:shown] if group_of(net) == "flagged"]
    for key, title in (
        ("benign", "Networks judged benign"),
        ("affiliation", "Networks of one declared organisation"),
        ("below", "Networks below the flag threshold"),
    ):
        nets = [net for net in networks[:shown] if group_of(net) == key]
        if nets:
            body.append(f'<h2 class="section">{title}</h2>')
            body += [_network(net, params) for net in nets]
    body.append(_demoted_evidence(report))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{h(csp(script))}">'
        '<meta name="referrer" content="no-referrer">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>cib report · {h(run.get('run_id'))}</title>"
        f"<style>{asset('report.css')}</style></head><body>"
        + "".join(body)
        + f"<footer>Generated by cib {h(run.get('cib_version'))} · run "
        f"<code>{h(run.get('run_id'))}</code> · self-contained page: no external resources "
        f"are loaded.</footer><script>{script}</script></body></html>\n"
    )
