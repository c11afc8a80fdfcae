"""Inline SVG charts for report.html, drawn in Python (no JavaScript, no external resource).

Every string that reaches the SVG goes through :func:`cib.report.safety.h`, including
``<title>`` tooltips and attribute values.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from cib.detect.plan import base_signal
from cib.report.model import Edge, HistogramBucket, Network
from cib.report.safety import h, one_line, truncate

SIGNAL_COLOURS: dict[str, str] = {
    "repost": "#d1495b",
    "reply": "#edae49",
    "quote": "#8f6593",
    "url": "#00798c",
    "hashtags": "#30638e",
    "text": "#6a994e",
    "semantic": "#bc6c25",
}
OTHER_COLOUR = "#777777"
COORD = "#d1495b"
ORGANIC = "#9aa5b1"
#: Local hours (start inclusive, end exclusive) when real people are usually active.
ACTIVE_LOCAL_HOURS = (8, 23)
MAX_TIMELINE_ROWS = 60
MAX_GRAPH_NODES = 150


def signal_colour(signal: str) -> str:
    """The colour of a co-action signal in every chart (a slow time scale, ``repost_slow``,
    shares its signal's colour)."""
    return SIGNAL_COLOURS.get(base_signal(signal), OTHER_COLOUR)


def parse_ts(value: Any) -> datetime | None:
    """An ISO timestamp as an aware UTC datetime, or ``None`` when missing or unparseable."""
    if not isinstance(value, str) or not value:
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def fmt_ts(value: Any) -> str:
    """``2024-03-04 06:00:12Z`` for display (the raw value when unparseable)."""
    t = parse_ts(value)
    return t.strftime("%Y-%m-%d %H:%M:%SZ") if t else one_line(value)


def _svg(width: float, height: float, body: list[str], label: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'aria-label="{h(label)}"><title>{h(label)}</title>{"".join(body)}</svg>'
    )


def score_bars(parts: dict[str, float | None]) -> str:
    """Horizontal bars, one per score component (0-1); components without data are skipped."""
    present = {k: v for k, v in parts.items() if v is not None}
    row, label_w, bar_w = 16, 150, 180
    body = []
    for i, (name, value) in enumerate(sorted(present.items(), key=lambda kv: -float(kv[1]))):
        v = min(1.0, max(0.0, float(value)))
        y = i * row
        body.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">'
            f"{h(name.replace('_', ' '))}</text>"
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="10" class="track"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{bar_w * v:.1f}" height="10" '
            f'fill="{_heat(v)}"><title>{h(name)}: {v:.2f}</title></rect>'
            f'<text x="{label_w + bar_w + 6}" y="{y + 12}">{v:.2f}</text>'
        )
    return _svg(label_w + bar_w + 40, len(parts) * row + 4, body, "Score components (0 to 1)")


def _heat(v: float) -> str:
    if v >= 0.75:
        return "#d1495b"
    if v >= 0.5:
        return "#edae49"
    return "#30638e"


def _ticks(t0: datetime, t1: datetime, n: int = 6) -> list[datetime]:
    span = (t1 - t0).total_seconds()
    steps = [
        60,
        300,
        900,
        3600,
        3 * 3600,
        6 * 3600,
        12 * 3600,
        86400,
        2 * 86400,
        7 * 86400,
        14 * 86400,
        30 * 86400,
        91 * 86400,
        365 * 86400,
    ]
    step = next((s for s in steps if span / s <= n), steps[-1])
    first = math.ceil(t0.timestamp() / step) * step
    return [
        datetime.fromtimestamp(first + k * step, UTC)
        for k in range(int((t1.timestamp() - first) // step) + 1)
    ]


def timeline(net: Network) -> str:
    """One row per member, a dot per post; coordinated posts red and larger.

    Accounts acting in lockstep show up as red dots stacked vertically at the same instant.
    Rows are the members with the most coordinated posts (hubs first), up to 60.
    """
    points: list[tuple[str, datetime, bool]] = []
    for p in net.get("timeline", []):
        t = parse_ts(p.get("created_at"))
        if t is not None:
            points.append((p["account_id"], t, bool(p.get("coordinated"))))
    if not points:
        return '<p class="muted">No member posts in the timeline.</p>'
    members = sorted(
        net.get("members", []),
        key=lambda m: (m.get("role") != "hub", -(m.get("coordinated_posts") or 0), m["account_id"]),
    )
    order = [m["account_id"] for m in members][:MAX_TIMELINE_ROWS]
    all_members = {m["account_id"] for m in members}
    extra = sorted({a for a, _, _ in points if a not in all_members})
    order += extra[: max(0, MAX_TIMELINE_ROWS - len(order))]
    row_of = {a: i for i, a in enumerate(order)}
    t0 = min(t for _, t, _ in points)
    t1 = max(t for _, t, _ in points)
    if t1 <= t0:
        t1 = t0 + timedelta(minutes=1)
    span = (t1 - t0).total_seconds()
    label_w, plot_w, row_h, top = 170, 720, 12, 8
    height = top + len(order) * row_h + 34

    def x(t: datetime) -> float:
        return label_w + (t - t0).total_seconds() / span * plot_w

    body = []
    for i, acct in enumerate(order):
        y = top + i * row_h
        if i % 2 == 0:
            body.append(
                f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{row_h}" class="band"/>'
            )
        body.append(
            f'<text x="{label_w - 6}" y="{y + 9}" text-anchor="end" class="small">'
            f"{h(truncate(one_line(acct), 26))}<title>{h(acct)}</title></text>"
        )
    for tick in _ticks(t0, t1):
        tx = x(tick)
        lbl = tick.strftime("%m-%d %H:%M") if span > 86400 else tick.strftime("%H:%M:%S")
        body.append(
            f'<line x1="{tx:.1f}" x2="{tx:.1f}" y1="{top}" '
            f'y2="{height - 26}" class="grid"/>'
            f'<text x="{tx:.1f}" y="{height - 14}" text-anchor="middle" class="small">'
            f"{h(lbl)}</text>"
        )
    # organic first so coordinated dots draw on top
    for acct, t, coord in sorted(points, key=lambda p: p[2]):
        if acct not in row_of:
            continue
        cy = top + row_of[acct] * row_h + row_h / 2
        cls, r = ("coord", 3.2) if coord else ("organic", 2.2)
        body.append(
            f'<circle cx="{x(t):.1f}" cy="{cy:.1f}" r="{r}" class="{cls}">'
            f"<title>{h(acct)} {h(t.strftime('%Y-%m-%d %H:%M:%SZ'))}"
            f"{' (coordinated)' if coord else ''}</title></circle>"
        )
    body.append(
        f'<text x="{label_w}" y="{height - 2}" class="small">'
        f"{h(t0.strftime('%Y-%m-%d %H:%M:%SZ'))} to {h(t1.strftime('%Y-%m-%d %H:%M:%SZ'))}"
        f" (UTC); red = coordinated post, grey = other post</text>"
    )
    return _svg(label_w + plot_w + 10, height, body, "Timeline of member posts")


def creation_histogram(buckets: list[HistogramBucket]) -> str:
    """Weekly account-creation bars (missing weeks drawn as zero when the span is short)."""
    counts: dict[date, int] = {}
    for b in buckets:
        try:
            d = date.fromisoformat(str(b["bucket"]))
        except ValueError:
            continue
        counts[d] = counts.get(d, 0) + int(b.get("count") or 0)
    if not counts:
        return '<p class="muted">No account creation dates.</p>'
    first, last = min(counts), max(counts)
    weeks = (last - first).days // 7 + 1
    if weeks <= 260:
        days = [first + timedelta(days=7 * k) for k in range(weeks)]
    else:
        days = sorted(counts)
    series = [(d, counts.get(d, 0)) for d in days]
    peak = max(c for _, c in series) or 1
    plot_w, plot_h, left = 720, 110, 34
    bar_w = plot_w / len(series)
    body = [
        f'<text x="{left - 4}" y="14" text-anchor="end" class="small">{peak}</text>',
        f'<text x="{left - 4}" y="{plot_h + 8}" text-anchor="end" class="small">0</text>',
        f'<line x1="{left}" x2="{left + plot_w}" y1="{plot_h + 8}" y2="{plot_h + 8}" '
        f'class="axis"/>',
    ]
    for i, (d, c) in enumerate(series):
        bh = c / peak * plot_h
        body.append(
            f'<rect x="{left + i * bar_w:.1f}" y="{plot_h + 8 - bh:.1f}" '
            f'width="{max(1.0, bar_w - 1):.1f}" height="{bh:.1f}" class="bar">'
            f"<title>week of {h(d.isoformat())}: {c} account(s) created</title></rect>"
        )
    body.append(
        f'<text x="{left}" y="{plot_h + 24}" class="small">{h(series[0][0])}</text>'
        f'<text x="{left + plot_w}" y="{plot_h + 24}" text-anchor="end" class="small">'
        f"{h(series[-1][0])}</text>"
    )
    return _svg(left + plot_w + 10, plot_h + 30, body, "Accounts created per week")


def active_utc_hours(offset_h: float | None) -> set[int]:
    """UTC hours that fall in the usual waking hours at UTC offset ``offset_h``."""
    if offset_h is None:
        return set()
    lo, hi = ACTIVE_LOCAL_HOURS
    return {hr for hr in range(24) if lo <= (hr + offset_h) % 24 < hi}


def hours_profile(hours: dict[str, Any]) -> str:
    """Posts per UTC hour, with the claimed location's usual waking hours shaded."""
    counts = [int(c) for c in (hours.get("utc_hour_counts") or [0] * 24)][:24]
    counts += [0] * (24 - len(counts))
    offset = hours.get("claimed_utc_offset_h")
    active = active_utc_hours(None if offset is None else float(offset))
    peak = max(counts) or 1
    left, bar_w, plot_h = 34, 28, 110
    body = []
    for hr in range(24):
        bx = left + hr * bar_w
        if hr in active:
            body.append(
                f'<rect x="{bx}" y="0" width="{bar_w}" height="{plot_h + 8}" class="awake"/>'
            )
        bh = counts[hr] / peak * plot_h
        body.append(
            f'<rect x="{bx + 2}" y="{plot_h + 8 - bh:.1f}" width="{bar_w - 4}" '
            f'height="{bh:.1f}" class="bar"><title>{hr:02d}:00 UTC: {counts[hr]} '
            f"post(s)</title></rect>"
        )
        if hr % 3 == 0:
            body.append(
                f'<text x="{bx + bar_w / 2}" y="{plot_h + 22}" text-anchor="middle" '
                f'class="small">{hr:02d}</text>'
            )
    body.append(
        f'<text x="{left - 4}" y="14" text-anchor="end" class="small">{peak}</text>'
        f'<line x1="{left}" x2="{left + 24 * bar_w}" y1="{plot_h + 8}" '
        f'y2="{plot_h + 8}" class="axis"/>'
    )
    return _svg(
        left + 24 * bar_w + 10,
        plot_h + 28,
        body,
        "Posts per hour of day (UTC); shaded: waking hours at the claimed location",
    )


def graph(net: Network, seed: int = 42) -> str:
    """Node-link drawing of the network (Fruchterman-Reingold from a fixed circle start).

    Up to 150 nodes (highest degree first); node size follows degree, hubs are outlined,
    edges are coloured by signal and thickened by weight.
    """
    members = sorted(
        net.get("members", []), key=lambda m: (-(m.get("degree") or 0), m["account_id"])
    )[:MAX_GRAPH_NODES]
    if not members:
        return '<p class="muted">No members.</p>'
    index = {m["account_id"]: i for i, m in enumerate(members)}
    pairs: dict[tuple[int, int], Edge] = {}
    for e in net.get("edges", []):
        a, b = index.get(e["account_a"]), index.get(e["account_b"])
        if a is None or b is None or a == b:
            continue
        key = (min(a, b), max(a, b))
        if key not in pairs or e.get("weight", 0) > pairs[key].get("weight", 0):
            pairs[key] = e
    coords = _layout(len(members), list(pairs), seed)
    size, pad = 440, 20
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    sx = (max(xs) - min(xs)) or 1.0
    sy = (max(ys) - min(ys)) or 1.0
    px = [pad + (v - min(xs)) / sx * (size - 2 * pad) for v in xs]
    py = [pad + (v - min(ys)) / sy * (size - 2 * pad) for v in ys]
    max_w = max((float(e.get("weight") or 0) for e in pairs.values()), default=1.0) or 1.0
    body = []
    for (a, b), e in pairs.items():
        w = 0.6 + 2.4 * math.sqrt(max(0.0, float(e.get("weight") or 0)) / max_w)
        body.append(
            f'<line x1="{px[a]:.1f}" y1="{py[a]:.1f}" x2="{px[b]:.1f}" y2="{py[b]:.1f}" '
            f'stroke="{signal_colour(str(e.get("signal")))}" stroke-width="{w:.2f}" '
            f'class="edge"><title>{h(e["account_a"])} – {h(e["account_b"])}: '
            f"{h(e.get('signal'))}, {int(e.get('n_coactions') or 0)} co-actions</title>"
            f"</line>"
        )
    max_d = max((float(m.get("degree") or 0) for m in members), default=1.0) or 1.0
    for i, m in enumerate(members):
        r = 3.5 + 5.5 * float(m.get("degree") or 0) / max_d
        cls = "node hub" if m.get("role") == "hub" else "node"
        name = f" ({m['account_name']})" if m.get("account_name") else ""
        body.append(
            f'<circle cx="{px[i]:.1f}" cy="{py[i]:.1f}" r="{r:.1f}" class="{cls}">'
            f"<title>{h(m['account_id'])}{h(name)}: {h(m.get('role'))}, degree "
            f"{float(m.get('degree') or 0):.2f}</title></circle>"
        )
    note = (
        ""
        if len(net.get("members", [])) <= MAX_GRAPH_NODES
        else f" (top {MAX_GRAPH_NODES} by degree)"
    )
    return _svg(size, size, body, f"Network of {len(members)} accounts{note}")


def _layout(n: int, edges: list[tuple[int, int]], seed: int) -> list[tuple[float, float]]:
    """Fruchterman-Reingold positions, deterministic for a given graph and seed."""
    start = [
        (
            math.cos(2 * math.pi * (i + seed % 7 / 7) / n),
            math.sin(2 * math.pi * (i + seed % 7 / 7) / n),
        )
        for i in range(n)
    ]
    if n < 3 or not edges:
        return start
    try:
        import igraph as ig
    except ImportError:  # pragma: no cover - igraph is a dependency
        return start
    g = ig.Graph(n=n, edges=edges)
    # igraph draws from Python's `random` by default: seed it, then restore the caller's state.
    state = random.getstate()
    try:
        random.seed(seed)
        layout = g.layout_fruchterman_reingold(seed=[list(p) for p in start], niter=300)
    finally:
        random.setstate(state)
    return [(float(x), float(y)) for x, y in layout.coords]
