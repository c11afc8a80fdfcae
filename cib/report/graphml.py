"""network.graphml: the account graph of network.gexf as GraphML 1.0, for igraph, networkx,
Cytoscape, yEd and the like.

The same graph as :mod:`cib.report.gexf`: nodes are accounts (attributes: label, network_id,
rank, score, role, posts, flagged, coordinated_posts), undirected edges carry signal, weight,
n_coactions, z and network_id (parallel edges of different signals are kept). Node ids are
the account ids; edges have no id (optional in GraphML; igraph 1.0's reader fills its edge
``id`` attribute with vertex ids when they have one). All text is XML-escaped by
:func:`cib.report.safety.xml`.
"""

from __future__ import annotations

from typing import Any

from cib.report.gexf import node_values
from cib.report.model import ReportLike, as_report
from cib.report.safety import xml

#: (key id, for, attr.name, attr.type) of every GraphML ``<key>``.
KEYS: tuple[tuple[str, str, str, str], ...] = (
    ("g_run_id", "graph", "run_id", "string"),
    ("g_cib_version", "graph", "cib_version", "string"),
    ("v_label", "node", "label", "string"),
    ("v_network_id", "node", "network_id", "long"),
    ("v_rank", "node", "rank", "int"),
    ("v_score", "node", "score", "double"),
    ("v_role", "node", "role", "string"),
    ("v_posts", "node", "posts", "long"),
    ("v_flagged", "node", "flagged", "boolean"),
    ("v_coordinated_posts", "node", "coordinated_posts", "long"),
    ("e_signal", "edge", "signal", "string"),
    ("e_weight", "edge", "weight", "double"),
    ("e_n_coactions", "edge", "n_coactions", "long"),
    ("e_z", "edge", "z", "double"),
    ("e_network_id", "edge", "network_id", "long"),
)


def _data(pairs: list[tuple[str, Any]]) -> str:
    return "".join(f'<data key="{k}">{xml(v)}</data>' for k, v in pairs)


def render_graphml(report: ReportLike) -> str:
    """network.graphml text (UTF-8 XML)."""
    rep = as_report(report)
    run = rep.run
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    out += [f'<key id="{i}" for="{f}" attr.name="{n}" attr.type="{t}"/>' for i, f, n, t in KEYS]
    out.append('<graph id="G" edgedefault="undirected">')
    out.append(
        _data([("g_run_id", run.get("run_id") or ""), ("g_cib_version", run.get("cib_version"))])
    )
    seen: set[str] = set()
    nets = rep.by_rank
    for net in nets:
        for m in net.get("members", []):
            acct = str(m["account_id"])
            if acct in seen:
                continue
            seen.add(acct)
            out.append(
                f'<node id="{xml(acct)}">'
                + _data(
                    [("v_label", m.get("account_name") or acct)]
                    + [(f"v_{k}", v) for k, v in node_values(net, m)]
                )
                + "</node>"
            )
    for net in nets:
        for e in net.get("edges", []):
            a, b = str(e["account_a"]), str(e["account_b"])
            if a not in seen or b not in seen:
                continue
            out.append(
                f'<edge source="{xml(a)}" target="{xml(b)}">'
                + _data(
                    [
                        ("e_signal", e.get("signal") or ""),
                        ("e_weight", float(e.get("weight") or 0)),
                        ("e_n_coactions", int(e.get("n_coactions") or 0)),
                        ("e_z", float(e.get("z") or 0)),
                        ("e_network_id", int(net["network_id"])),
                    ]
                )
                + "</edge>"
            )
    out += ["</graph>", "</graphml>"]
    return "\n".join(out) + "\n"
