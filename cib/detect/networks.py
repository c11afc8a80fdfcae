"""Group accounts into networks: Leiden community detection on the fused account graph.

Kept pair edges of every signal are fused into one undirected graph whose edge weight is the
sum of the per-signal weights. Leiden (modularity with a resolution parameter, fixed seed)
splits it into communities; communities with at least ``min_accounts`` members are networks.
Members tied to fewer than ``min_share`` of their community are peeled off (repeatedly), so
chance edges cannot attach organic accounts to an operation. Noise accounts (in no network)
are not reported.
"""

from __future__ import annotations

import igraph as ig
import leidenalg
import polars as pl

from cib.detect.plan import base_signal_col

NOISE = -1


def fuse_edges(edges: pl.DataFrame) -> pl.DataFrame:
    """Kept per-signal edges -> one row per pair with total weight and the signals involved.

    A signal judged at two time scales (``repost`` and ``repost_slow``) counts once per pair,
    with its stronger scale: both scales see the same co-actions."""
    kept = edges.filter(pl.col("kept"))
    base = base_signal_col()
    if kept.height:
        kept = kept.sort("weight", descending=True).unique(
            subset=["account_a", "account_b", base.alias("_base")], keep="first"
        )
    return kept.group_by(["account_a", "account_b"]).agg(
        pl.col("weight").sum(),
        pl.col("n_coactions").sum(),
        pl.col("z").max(),
        pl.col("signal").unique().sort().alias("signals"),
    )


def _prune(g: ig.Graph, membership: list[int], *, min_share: float) -> list[int]:
    """Peel members tied to too few of their community (hangers-on joined by chance edges).

    Repeatedly drops a member whose ties inside its community reach fewer than
    ``max(2, min_share * (size - 1))`` other members; dropped members become noise unless they
    are that strongly tied to another community, which they then join.
    """
    adj = [set(g.neighbors(v)) for v in range(g.vcount())]
    comm: dict[int, set[int]] = {}
    for v, c in enumerate(membership):
        comm.setdefault(c, set()).add(v)
    for nodes in comm.values():
        changed = True
        while changed and nodes:
            changed = False
            need = max(2.0, min_share * (len(nodes) - 1))
            weak = [v for v in nodes if len(adj[v] & nodes) < need]
            if weak and len(weak) < len(nodes):
                for v in weak:
                    nodes.discard(v)
                    membership[v] = NOISE
                changed = True
            elif weak:
                for v in nodes:
                    membership[v] = NOISE
                nodes.clear()
    # Re-attach unassigned accounts strongly tied to one community (Leiden sometimes pairs an
    # account with a single hanger-on instead of the group it is tied to).
    for v in sorted(range(len(membership)), key=lambda x: -len(adj[x])):
        if membership[v] != NOISE:
            continue
        best, ties = NOISE, 0
        for c, nodes in comm.items():
            k = len(adj[v] & nodes)
            if k > ties:
                best, ties = c, k
        if best != NOISE and ties >= max(2.0, min_share * len(comm[best])):
            membership[v] = best
            comm[best].add(v)
    return membership


def find_networks(
    fused: pl.DataFrame,
    *,
    min_accounts: int,
    resolution: float,
    seed: int,
    min_share: float = 0.25,
) -> pl.DataFrame:
    """Membership ``account_id, network_id, degree`` (weighted degree inside the network)."""
    schema = {"account_id": pl.String, "network_id": pl.Int32, "degree": pl.Float64}
    if fused.height == 0:
        return pl.DataFrame(schema=schema)
    names = pl.concat([fused["account_a"], fused["account_b"]]).unique().sort()
    index = {n: i for i, n in enumerate(names.to_list())}
    src = [index[x] for x in fused["account_a"].to_list()]
    dst = [index[x] for x in fused["account_b"].to_list()]
    g = ig.Graph(n=len(names), edges=list(zip(src, dst, strict=True)), directed=False)
    g.es["weight"] = fused["weight"].to_list()
    part = leidenalg.find_partition(
        g,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=-1,
    )
    membership = _prune(g, list(part.membership), min_share=min_share)
    sizes: dict[int, int] = {}
    for c in membership:
        sizes[c] = sizes.get(c, 0) + 1
    # Number networks by size (largest first) for stable ids.
    order = sorted(
        (c for c in sizes if c != NOISE and sizes[c] >= min_accounts), key=lambda c: (-sizes[c], c)
    )
    renum = {c: i + 1 for i, c in enumerate(order)}
    degree = [0.0] * len(names)
    for e in g.es:
        s, d = e.tuple
        if membership[s] == membership[d]:
            degree[s] += e["weight"]
            degree[d] += e["weight"]
    out = pl.DataFrame(
        {
            "account_id": names,
            "network_id": [renum.get(c, NOISE) for c in membership],
            "degree": degree,
        },
        schema=schema,
    )
    return out.filter(pl.col("network_id") != NOISE)
