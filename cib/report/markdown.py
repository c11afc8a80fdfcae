"""report.md: the report as Markdown, for tickets, wikis and newsroom notes.

Adversary text goes through :func:`cib.report.safety.md` (HTML specials as entities, Markdown
punctuation backslash-escaped, one line) and links through :func:`md_link` (http/https only).
"""

from __future__ import annotations

from cib.config import ReportParams
from cib.report.history import return_md
from cib.report.html import top_evidence
from cib.report.model import Network, ReportLike, as_report
from cib.report.safety import md, md_link, safe_url, truncate
from cib.report.svg import fmt_ts

POSTS_SHOWN = 5


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header))] + [_row(r) for r in rows]


def _network(net: Network, params: ReportParams) -> list[str]:
    """A network's section: head, verdict and return lines, signals, score parts, bursts,
    top shared objects, members, hour profile."""
    return (
        _head(net)
        + _signal_line(net)
        + _parts(net)
        + _burst_table(net)
        + _objects(net, params)
        + _member_table(net)
        + _hours(net)
    )


def _head(net: Network) -> list[str]:
    lines = [
        f"## #{int(net['rank'])} {md(net.get('name'))}",
        "",
        f"Score **{float(net['score']):.2f}** · "
        f"{'**flagged**' if net.get('flagged') else 'not flagged'} · "
        f"{len(net.get('members', []))} accounts · {len(net.get('edges', []))} edges · "
        f"network id {int(net['network_id'])}",
        "",
        f"> **Why:** {md(net.get('why'))}",
        "",
    ]
    review = net.get("review") or {}
    if review.get("line"):
        lines += [f"> **Verdict:** {md(review['line'])}", ""]
    lines += return_md(net)
    if not net.get("flagged") and net.get("demoted"):
        lines += [f"> **Demoted because:** {md('; '.join(net['demoted']))}", ""]
    return lines


def _signal_line(net: Network) -> list[str]:
    sigs = net.get("signals") or {}
    if not sigs:
        return []
    return [
        "Signals (edges): "
        + ", ".join(
            f"{md(k)} {int(v or 0)}" for k, v in sorted(sigs.items(), key=lambda kv: -kv[1])
        ),
        "",
    ]


def _parts(net: Network) -> list[str]:
    parts = {k: v for k, v in (net.get("parts") or {}).items() if v is not None}
    if not parts:
        return []
    return _table(
        ["component", "value"],
        [
            [md(k.replace("_", " ")), f"{float(v):.2f}"]
            for k, v in sorted(parts.items(), key=lambda kv: -float(kv[1] or 0))
        ],
    ) + [""]


def _burst_table(net: Network) -> list[str]:
    bursts = (net.get("bursts") or {}).get("bursts") or []
    if not bursts:
        return []
    return (
        ["### Bursts", ""]
        + _table(
            ["start", "end", "duration s", "posts", "members"],
            [
                [md(fmt_ts(b.get("start"))), md(fmt_ts(b.get("end")))]
                + [str(int(b.get(k) or 0)) for k in ("duration_s", "posts", "members")]
                for b in bursts[:10]
            ],
        )
        + [""]
    )


def _objects(net: Network, params: ReportParams) -> list[str]:
    lines = ["### Top shared objects", ""]
    for e in top_evidence(net, params.max_evidence):
        label = e.get("label")
        shown = md_link(label) if safe_url(label) else md(label)
        lines += [
            f"- **{md(e.get('signal'))}** {shown}: {int(e.get('n_accounts') or 0)} "
            f"accounts, {md(fmt_ts(e.get('first_at')))} to {md(fmt_ts(e.get('last_at')))} "
            f"({float(e.get('span_s') or 0):.0f} s)"
        ]
        for p in sorted(e.get("posts", []), key=lambda p: str(p.get("created_at")))[:POSTS_SHOWN]:
            lines.append(
                f"  - {md(fmt_ts(p.get('created_at')))} · {md(p.get('account_id'))} "
                f"· post {md(p.get('post_id'))}: "
                f"{md(truncate(str(p.get('text') or ''), 280))}"
            )
    lines.append("")
    return lines


def _member_table(net: Network) -> list[str]:
    members = sorted(
        net.get("members", []),
        key=lambda m: (m.get("role") != "hub", -float(m.get("degree") or 0), str(m["account_id"])),
    )
    return (
        ["### Members", ""]
        + _table(
            ["account id", "name", "role", "degree", "posts", "coordinated", "created", "location"],
            [
                [
                    md(m["account_id"]),
                    md(m.get("account_name")),
                    md(m.get("role")),
                    f"{float(m.get('degree') or 0):.2f}",
                    str(int(m.get("posts") or 0)),
                    str(int(m.get("coordinated_posts") or 0)),
                    md(fmt_ts(m.get("account_created_at"))) if m.get("account_created_at") else "",
                    md(m.get("account_location")),
                ]
                for m in members[:500]
            ],
        )
        + [""]
    )


def _hours(net: Network) -> list[str]:
    hours = net.get("hours") or {}
    counts = hours.get("utc_hour_counts") or []
    if not counts:
        return []
    return [
        "Posts per UTC hour: " + " ".join(f"{i:02d}h:{int(c)}" for i, c in enumerate(counts)),
        "Claimed locations: "
        f"{md(', '.join(map(str, hours.get('claimed_locations') or [])))}"
        f"; activity outside local waking hours: "
        f"{float(hours.get('active_local_hours_mismatch') or 0):.0%}",
        "",
    ]


def render_markdown(report: ReportLike, params: ReportParams) -> str:
    """The whole report.md as a string."""
    rep = as_report(report)
    run = rep.run
    counts = run.get("counts", {})
    networks = rep.by_rank
    shown = networks[: params.max_networks]
    lines = [
        "# Coordinated behaviour report",
        "",
        f"- Run: {md(run.get('run_id'))}, {md(fmt_ts(run.get('created_at')))}",
        f"- cib {md(run.get('cib_version'))}, engine {md(run.get('engine'))}, "
        f"model {md(run.get('model_id'))}",
        "- Counts: " + ", ".join(f"{md(k)} {v}" for k, v in counts.items()),
        "",
        "## Inputs",
        "",
    ]
    lines += _table(
        ["path", "format", "sha256", "rows", "ingested", "duplicates", "quarantined"],
        [
            [md(i.get("path")), md(i.get("format")), md(i.get("sha256"))]
            + [str(i.get(k)) for k in ("rows", "ingested", "duplicates", "quarantined")]
            for i in run.get("inputs", [])
        ],
    ) + [""]
    flagged = [n for n in shown if n.get("flagged")]
    below = [n for n in shown if not n.get("flagged")]
    lines += ["## Flagged networks", ""] + _summary(flagged) + [""]
    if below:
        lines += ["## Below the flag threshold (demoted, for review)", ""]
        lines += _summary(below, demoted=True) + [""]
    if len(networks) > len(shown):
        lines += [f"{len(networks) - len(shown)} more network(s) in networks.json.", ""]
    for net in flagged + below:
        lines += _network(net, params)
    dem = (run.get("demoted") or {}).get("pairs") or {}
    if dem:
        lines += ["## Demoted pair evidence", ""]
        lines += _table(
            ["reason", "pairs"], [[md(v.get("reason")), str(v.get("count"))] for v in dem.values()]
        ) + [""]
    return "\n".join(lines) + "\n"


def _summary(nets: list[Network], *, demoted: bool = False) -> list[str]:
    head = ["rank", "network", "score", "flagged", "accounts", "why"]
    return _table(
        head + (["demoted because"] if demoted else []),
        [
            [
                str(int(n["rank"])),
                md(n.get("name")),
                f"{float(n['score']):.2f}",
                "yes" if n.get("flagged") else "no",
                str(len(n.get("members", []))),
                md(truncate(str(n.get("why") or ""), 200)),
            ]
            + ([md(truncate("; ".join(n.get("demoted") or []), 200))] if demoted else [])
            for n in nets
        ],
    )
