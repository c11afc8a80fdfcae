"""A rich table of the top networks for the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cib.report.model import Network, ReportLike, as_report
from cib.report.safety import one_line, truncate


def summary_table(report: ReportLike, limit: int = 15) -> Table:
    """The top ``limit`` networks: rank, score, accounts, signals, why.

    Adversary text is shown as :class:`rich.text.Text` (never parsed as rich markup) after
    :func:`one_line`, so markup, ANSI escapes and bidi controls in it are inert.
    """
    rep = as_report(report)
    counts = rep.run.get("counts", {})
    nets = rep.by_rank
    table = Table(
        title=Text(
            f"cib run {one_line(rep.run.get('run_id'))}: "
            f"{counts.get('flagged_networks', sum(bool(n.get('flagged')) for n in nets))} "
            f"flagged of {len(nets)} networks"
        ),
        show_lines=False,
        expand=False,
    )
    table.add_column("rank", justify="right")
    table.add_column("score", justify="right")
    table.add_column("accounts", justify="right")
    table.add_column("signals")
    table.add_column("why", overflow="fold", ratio=1)
    for net in nets[:limit]:
        score = float(net["score"])
        style = "bold red" if net.get("flagged") else "dim"
        signals = ", ".join(
            f"{one_line(k)} {int(v or 0)}"
            for k, v in sorted((net.get("signals") or {}).items(), key=lambda kv: -int(kv[1] or 0))
        )
        table.add_row(
            Text(str(int(net["rank"]))),
            Text(f"{score:.2f}", style=style),
            Text(str(len(net.get("members", [])))),
            Text(signals),
            Text(truncate(one_line(_why_line(net)), 160)),
        )
    return table


def _why_line(net: Network) -> str:
    """The why line, led by the network's verdict line when it has one (cib.review)."""
    line = (net.get("review") or {}).get("line")
    return f"[{line}] {net.get('why')}" if line else str(net.get("why"))


def print_summary(report: ReportLike, console: Console | None = None, *, limit: int = 15) -> None:
    """Print :func:`summary_table` to ``console`` (a new stdout console by default)."""
    rep = as_report(report)
    console = console or Console()
    console.print(summary_table(rep, limit))
    more = len(rep.networks) - limit
    if more > 0:
        console.print(Text(f"... and {more} more network(s); see report.html"))
    console.print(Text(demoted_line(rep)))


def demoted_line(report: ReportLike) -> str:
    """One line: how many networks and candidate pairs were demoted, and why."""
    dem = as_report(report).run.get("demoted") or {}
    below = int(dem.get("networks_below_threshold") or 0)
    pairs = dem.get("pairs") or {}
    why = "; ".join(
        f"{int(v.get('count') or 0):,} {one_line(v.get('reason')).removeprefix('demoted: ')}"
        for v in pairs.values()
    )
    line = f"Demoted, not dropped: {below} network(s) below the flag threshold"
    total = sum(int(v.get("count") or 0) for v in pairs.values())
    line += f"; {total:,} candidate pair(s)" + (f" ({why})" if why else "") + "."
    return line + " See report.html, section 'Below the flag threshold'."
