"""network.gexf: every network as one GEXF 1.3 graph, for Gephi and other graph tools.

Nodes are accounts (attributes: network_id, rank, score, role, posts, flagged); edges carry a
weight, their signal (also as the GEXF ``kind``, so parallel edges of different signals are
kept) and n_coactions. All text is XML-escaped by :func:`cib.report.safety.xml`.
"""

from __future__ import annotations

from typing import Any

from cib.report.model import Member, Network, ReportLike, as_report
from cib.report.safety import xml

NODE_ATTRS = (
    ("0", "network_id", "integer"),
    ("1", "rank", "integer"),
    ("2", "score", "double"),
    ("3", "role", "string"),
    ("4", "posts", "integer"),
    ("5", "flagged", "boolean"),
    ("6", "coordinated_posts", "integer"),
)
EDGE_ATTRS = (
    ("0", "signal", "string"),
    ("1", "n_coactions", "integer"),
    ("2", "z", "double"),
    ("3", "network_id", "integer"),
)


def node_values(net: Network, member: Member) -> list[tuple[str, Any]]:
    """A member's node attributes, in the order of the GEXF attribute ids 0-6 (shared with
    :mod:`cib.report.graphml`)."""
    return [
        ("network_id", int(net["network_id"])),
        ("rank", int(net["rank"])),
        ("score", float(net["score"])),
        ("role", member.get("role") or ""),
        ("posts", int(member.get("posts") or 0)),
        ("flagged", "true" if net.get("flagged") else "false"),
        ("coordinated_posts", int(member.get("coordinated_posts") or 0)),
    ]


def _attvalues(pairs: list[tuple[str, Any]]) -> str:
    return (
        "<attvalues>"
        + "".join(f'<attvalue for="{k}" value="{xml(v)}"/>' for k, v in pairs)
        + "</attvalues>"
    )


def render_gexf(report: ReportLike) -> str:
    """network.gexf text (UTF-8 XML)."""
    rep = as_report(report)
    run = rep.run
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd" version="1.3">',
        f'<meta lastmodifieddate="{xml(str(run.get("created_at", ""))[:10])}">'
        f"<creator>cib {xml(run.get('cib_version'))}</creator>"
        f"<description>networks of run {xml(run.get('run_id'))}</description></meta>",
        '<graph mode="static" defaultedgetype="undirected">',
        '<attributes class="node">',
    ]
    out += [f'<attribute id="{i}" title="{t}" type="{ty}"/>' for i, t, ty in NODE_ATTRS]
    out += ["</attributes>", '<attributes class="edge">']
    out += [f'<attribute id="{i}" title="{t}" type="{ty}"/>' for i, t, ty in EDGE_ATTRS]
    out += ["</attributes>", "<nodes>"]
    seen: set[str] = set()
    nets = rep.by_rank
    for net in nets:
        for m in net.get("members", []):
            acct = str(m["account_id"])
            if acct in seen:
                continue
            seen.add(acct)
            label = m.get("account_name") or acct
            out.append(
                f'<node id="{xml(acct)}" label="{xml(label)}">'
                + _attvalues([(str(i), v) for i, (_, v) in enumerate(node_values(net, m))])
                + "</node>"
            )
    out.append("</nodes><edges>")
    k = 0
    for net in nets:
        for e in net.get("edges", []):
            a, b = str(e["account_a"]), str(e["account_b"])
            if a not in seen or b not in seen:
                continue
            out.append(
                f'<edge id="e{k}" source="{xml(a)}" target="{xml(b)}" '
                f'weight="{float(e.get("weight") or 0)!r}" kind="{xml(e.get("signal"))}">'
                + _attvalues(
                    [
                        ("0", e.get("signal") or ""),
                        ("1", int(e.get("n_coactions") or 0)),
                        ("2", float(e.get("z") or 0)),
                        ("3", int(net["network_id"])),
                    ]
                )
                + "</edge>"
            )
            k += 1
    out += ["</edges>", "</graph>", "</gexf>"]
    return "\n".join(out) + "\n"
