"""Group accounts into networks: Leiden community detection on the fused account graph.

Kept pair edges of every signal are fused into one undirected graph whose edge weight is the
sum of the per-signal weights. Leiden (modularity with a resolution parameter, fixed seed)
splits it into communities; loose communities with as many edges between them as chance
expects are merged back (a large, evenly tied group is one network, not several; see
:func:`_split`); a piece of a community that works by another tactic (a firmly tied repost
or reply ring among outlets tied by narratives) is split off (:func:`_separate_tactics`), and
so is a piece of a large community that is tied mostly to itself (modularity's resolution
limit hides a small group in a large graph). Members tied to fewer than ``min_share`` of
their community (at least 2, at most ``max_ties`` members: see :func:`tie_need`) are
peeled off (repeatedly), so chance edges cannot attach organic accounts to an operation
while a large, sparsely tied operation survives. Communities with at least ``min_accounts``
members are networks; noise accounts (in no network) are not reported.
"""

from __future__ import annotations

import igraph as ig
import leidenalg
import polars as pl

from cib.config import NetworkParams
from cib.detect.plan import base_signal, base_signal_col
from cib.schemas import PERIPHERAL

NOISE = -1
#: Communities with at least this share of the configuration model's expected edges between
#: them have no boundary and are merged (see :func:`_split`).
MERGE_RATIO = 0.5
MERGE_DENSITY_RATIO = 0.25
#: A piece of a community whose edges are mostly another signal is its own community (see
#: _separate_tactics).
TACTIC_SHARE = 0.5
#: Only pieces that work by reacting to the same posts (the signals with a timing null) are
#: split off: a hashtag or narrative piece of a sprawling organic web is chance, however
#: dense on its own.
TACTIC_SIGNALS = ("repost", "reply", "quote")
TACTIC_SET = frozenset(TACTIC_SIGNALS)
#: Modularity has a resolution limit: in a large graph a small, dense group tied mostly to
#: itself sits inside a community of thousands (a paraphrase team of 19 inside a 5,000-account
#: web of organic narrative ties, 116 of its edge weight inside and 36 out). Communities of at
#: least BOUNDED_MIN accounts are re-split on their own subgraph, and a piece of at most half
#: the community whose conductance (edge weight leaving it over the weight of its members'
#: edges) is at most BOUNDED_CONDUCTANCE becomes its own community. The limit bites at
#: small scales too: an 8-account link team (conductance 0.095) sat in a 27-account
#: community with a dense 19-account clump; peeling (ties to a quarter of the community)
#: dropped all eight. So the members peeling drops are searched too (see _prune): a
#: connected group of them tied mostly to itself becomes its own community. (Re-splitting
#: every small community instead cut real operations into pieces that scored below the
#: threshold: IRA RightTroll 0.70 -> 0.45.)
BOUNDED_MIN = 50
#: Leiden iterations when a community is re-split on its own subgraph (the whole graph
#: iterates to convergence): half the time of the network stage at 766k posts, the same
#: networks on every quality dump (BENCHMARKS.md).
SUBSPLIT_ITERATIONS = 2
BOUNDED_CONDUCTANCE = 0.2
#: Levels of Leiden pieces searched for such a group (see _bounded).
BOUNDED_DEPTH = 3


def fuse_edges(edges: pl.DataFrame) -> pl.DataFrame:
    """Kept per-signal edges -> one row per pair with total weight and the signals involved.

    A signal judged at two time scales (``repost`` and ``repost_slow``) counts once per pair,
    with its stronger scale: both scales see the same co-actions. ``max_coactions`` is the
    most co-actions on one signal (one shared article is a URL, a text and a near-duplicate
    at once, so sums across signals would count it three times)."""
    kept = edges.filter(pl.col("kept"))
    base = base_signal_col()
    if kept.height:
        kept = kept.sort("weight", descending=True).unique(
            subset=["account_a", "account_b", base.alias("_base")], keep="first"
        )
    return kept.group_by(["account_a", "account_b"]).agg(
        pl.col("weight").sum(),
        pl.col("n_coactions").sum(),
        pl.col("n_coactions").max().alias("max_coactions"),
        pl.col("z").max(),
        pl.col("signal").unique().sort().alias("signals"),
    )


def tie_need(size: int, min_share: float, max_ties: int) -> float:
    """Ties inside a community of ``size`` a member needs to stay: ``min_share`` of the
    others, at least 2 and at most ``max_ties`` (a large operation is sparsely tied: each
    member works with some of the others, not all, and a hanger-on joined by chance edges
    has one or two ties, not ``max_ties``)."""
    return max(2.0, min(min_share * (size - 1), float(max_ties)))


def _prune(
    g: ig.Graph,
    membership: list[int],
    *,
    min_share: float,
    max_ties: int,
    strong: int,
    min_accounts: int,
) -> list[int]:
    """Peel members tied to too few of their community (hangers-on joined by chance edges).

    Repeatedly drops a member whose ties inside its community reach fewer than
    :func:`tie_need` other members, unless one of those ties is *strong* (at least
    ``strong`` co-actions: no chance edge repeats that often). A connected group of at least
    ``min_accounts`` dropped members whose conductance is at most ``BOUNDED_CONDUCTANCE``
    (tied mostly to itself) becomes its own community, peeled the same way; other dropped
    members become noise unless they are that strongly tied to another community, which
    they then join.
    """
    adj, firm = _ties(g, strong)

    def held(v: int, nodes: set[int], need: float) -> bool:
        return len(adj[v] & nodes) >= need or bool(firm[v] & nodes)

    comm: dict[int, set[int]] = {}
    for v, c in enumerate(membership):
        comm.setdefault(c, set()).add(v)
    next_id = max(membership, default=0) + 1
    edges, weights = g.get_edgelist(), g.es["weight"]
    for c in list(comm):
        nodes = comm[c]
        kept = _peel(nodes, adj, firm, min_share=min_share, max_ties=max_ties)
        dropped = nodes - kept
        for v in dropped:
            membership[v] = NOISE
        nodes.intersection_update(kept)
        # Rank, don't drop: a group among the dropped members that is tied mostly to itself
        # is its own community (modularity's resolution limit put it with a denser clump).
        for group in _self_contained(g, dropped, edges, weights, min_accounts=min_accounts):
            left = _peel(group, adj, firm, min_share=min_share, max_ties=max_ties)
            for v in left:
                membership[v] = next_id
            comm[next_id] = left
            next_id += 1
    # Re-attach unassigned accounts strongly tied to one community (Leiden sometimes pairs an
    # account with a single hanger-on instead of the group it is tied to).
    for v in sorted(range(len(membership)), key=lambda x: -len(adj[x])):
        if membership[v] != NOISE:
            continue
        best, ties = NOISE, 0
        for c, nodes in comm.items():
            k = len(adj[v] & nodes) + (max_ties if firm[v] & nodes else 0)
            if k > ties:
                best, ties = c, k
        need = tie_need(len(comm[best]) + 1, min_share, max_ties) if best != NOISE else 0.0
        if best != NOISE and held(v, comm[best], need):
            membership[v] = best
            comm[best].add(v)
    return membership


def _self_contained(
    g: ig.Graph,
    nodes: set[int],
    edges: list[tuple[int, int]],
    weights: list[float],
    *,
    min_accounts: int,
) -> list[set[int]]:
    """The connected groups of ``nodes`` (at least ``min_accounts``) whose conductance in
    ``g`` is at most ``BOUNDED_CONDUCTANCE``."""
    if len(nodes) < min_accounts:
        return []
    order = sorted(nodes)
    sub = g.induced_subgraph(order)
    out = []
    for comp in sub.connected_components():
        group = [order[i] for i in comp]
        if len(group) >= min_accounts and (
            _conductance(g, group, edges, weights) <= BOUNDED_CONDUCTANCE
        ):
            out.append(set(group))
    return out


def _ties(g: ig.Graph, strong: int) -> tuple[list[set[int]], list[set[int]]]:
    """Each vertex's neighbours, and those it is strongly tied to (at least ``strong``
    co-actions on one signal; none when ``strong`` is 0)."""
    adj = [set(g.neighbors(v)) for v in range(g.vcount())]
    firm: list[set[int]] = [set() for _ in range(g.vcount())]
    if strong > 0:
        for (s, d), n in zip(g.get_edgelist(), g.es["n_coactions"], strict=True):
            if n >= strong:
                firm[s].add(d)
                firm[d].add(s)
    return adj, firm


def _peel(
    nodes: set[int],
    adj: list[set[int]],
    firm: list[set[int]],
    *,
    min_share: float,
    max_ties: int,
) -> set[int]:
    """The members of a community that survive peeling (see :func:`_prune`)."""
    left = set(nodes)
    while left:
        need = tie_need(len(left), min_share, max_ties)
        weak = {v for v in left if len(adj[v] & left) < need and not firm[v] & left}
        if not weak:
            break
        left = left - weak if len(weak) < len(left) else set()
    return left


def _split(g: ig.Graph, *, resolution: float, seed: int) -> list[int]:
    """Community of each vertex: Leiden, then communities with no boundary merged back.

    Modularity finds "communities" even in a random graph: a large, sparsely and evenly tied
    group (a hashtag push where each member works with a few others) is cut into pieces that
    the peeling rule then removes. Between two pieces of one such group there are about as
    many edges as the configuration model expects (``K1 * K2 / 2m`` within their connected
    component: 50-90% of it in random graphs), while two separate groups joined by a few
    chance edges have a small fraction of it. So the two communities with the highest ratio
    of observed to expected edges between them are merged, repeatedly, while that ratio is
    at least ``MERGE_RATIO``, provided their internal densities are alike (the lower at
    least ``MERGE_DENSITY_RATIO`` of the higher). Edges count by weight, as in Leiden's
    modularity: a few weak content edges do not fuse a repost ring with the outlets it
    shares a link with.
    """
    part = leidenalg.find_partition(
        g,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=-1,
    )
    membership = list(part.membership)
    comp = g.connected_components().membership
    edges = g.get_edgelist()
    weights = g.es["weight"]
    comp_edges: dict[int, float] = {}
    for (s_, _), w in zip(edges, weights, strict=True):
        comp_edges[comp[s_]] = comp_edges.get(comp[s_], 0.0) + w
    deg = g.strength(weights="weight")
    while True:
        k: dict[int, float] = {}
        where: dict[int, int] = {}
        size: dict[int, int] = {}
        for v, c in enumerate(membership):
            k[c] = k.get(c, 0.0) + deg[v]
            where[c] = comp[v]
            size[c] = size.get(c, 0) + 1
        between: dict[tuple[int, int], float] = {}
        inner: dict[int, int] = {}
        for (s_, d_), w in zip(edges, weights, strict=True):
            a_, b_ = membership[s_], membership[d_]
            if a_ != b_:
                key = (min(a_, b_), max(a_, b_))
                between[key] = between.get(key, 0.0) + w
            else:
                inner[a_] = inner.get(a_, 0) + 1
        best: tuple[int, int] | None = None
        best_r = MERGE_RATIO
        for (c1, c2), e12 in sorted(between.items()):
            expected = k[c1] * k[c2] / (2.0 * comp_edges[where[c1]])
            r = e12 / expected
            # ... and the two must be alike: a near-clique with a few chance ties into a
            # sprawling organic component stays apart.
            d1, d2 = _density(inner, size, c1), _density(inner, size, c2)
            alike = min(d1, d2) >= MERGE_DENSITY_RATIO * max(d1, d2)
            if r >= best_r and alike:
                best, best_r = (c1, c2), r
        if best is None:
            return membership
        keep, gone = best
        membership = [keep if c == gone else c for c in membership]


def _tactic(g: ig.Graph) -> tuple[str, float]:
    """The base signal carrying most of the weight of ``g``'s edges and its share of it (an
    edge's weight is shared equally among its signals)."""
    if not g.ecount():
        return "?", 0.0
    bases = [frozenset(base_signal(x) for x in r) for r in g.es["signals"]]
    return _mix_top(list(zip(g.es["weight"], bases, strict=True)))


def _mix_top(edges: list[tuple[float, frozenset[str]]]) -> tuple[str, float]:
    """:func:`_tactic` of edges given as ``(weight, base signals)``."""
    mix: dict[str, float] = {}
    for w, base in edges:
        sigs = base or frozenset({"?"})
        for sig in sigs:
            mix[sig] = mix.get(sig, 0.0) + w / len(sigs)
    if not mix:
        return "?", 0.0
    top = max(sorted(mix), key=lambda k: mix[k])
    return top, mix[top] / sum(mix.values())


def _separate_tactics(
    g: ig.Graph,
    membership: list[int],
    *,
    resolution: float,
    seed: int,
    min_accounts: int,
    strong: int,
) -> list[int]:
    """Split off the pieces of a community that work with another tactic.

    Modularity over the whole graph can put two operations that touch (a repost ring and a
    group of outlets writing on the same stories) into one community, which is then scored
    as one sparse network and demoted whole. Each community is re-split by Leiden on its own
    subgraph; a piece of at least ``min_accounts`` members whose edges are mostly
    (``> TACTIC_SHARE``) one of ``TACTIC_SIGNALS``, other than the community's dominant
    signal, and that holds at least one strong tie (``strong`` co-actions on one signal: not
    a chance clump of a sprawling web) becomes its own community (off when ``strong`` is 0).

    Communities of at least ``BOUNDED_MIN`` accounts are re-split too, whatever their
    tactics: a piece of at most half the community that is tied mostly to itself (conductance
    at most ``BOUNDED_CONDUCTANCE``) becomes its own community. Modularity's resolution limit
    hides a small, dense group inside a large community, which is then scored as one sparse
    network and demoted whole (a paraphrase team of 19 inside a 5,000-account web of organic
    narrative ties at 840k posts); the piece is scored on its own and the web stays demoted.
    A large piece that is not tied mostly to itself is searched the same way, down to
    ``BOUNDED_DEPTH`` levels (:func:`_bounded`)."""
    out = list(membership)
    next_id = max(out, default=0) + 1
    comm: dict[int, list[int]] = {}
    for v, c in enumerate(out):
        comm.setdefault(c, []).append(v)
    # One pass over the edges: each community's own edges, their base signals and weights
    # (a subgraph is built only for the few communities that hold a seed).
    bases = [frozenset(base_signal(x) for x in raw) for raw in g.es["signals"]]
    weights, n_co = g.es["weight"], g.es["n_coactions"]
    intra: dict[int, list[int]] = {}
    edge_list = g.get_edgelist()
    for e, (a, b) in enumerate(edge_list):
        if out[a] == out[b]:
            intra.setdefault(out[a], []).append(e)
    for c, vs in sorted(comm.items()):
        if c == NOISE or len(vs) < 2 * min_accounts:
            continue
        own_edges = intra.get(c, [])
        top, _ = _mix_top([(weights[e], bases[e]) for e in own_edges])
        # Only a firm edge of another tactic can seed a piece worth splitting off.
        seeded = strong > 0 and any(
            n_co[e] >= strong and bases[e] & TACTIC_SET and top not in bases[e] for e in own_edges
        )
        large = len(vs) >= BOUNDED_MIN
        if not (seeded or large):
            continue
        sub = g.induced_subgraph(vs)
        for local in _pieces(sub, resolution=resolution, seed=seed):
            if len(local) < min_accounts or len(local) == len(vs):
                continue
            nodes = [vs[i] for i in local]
            if seeded and _other_tactic(sub.induced_subgraph(local), top, strong):
                found = [nodes]
            elif large:
                how = (resolution, seed, min_accounts)
                found = _bounded(g, nodes, len(vs), edge_list, weights, how)
            else:
                found = []
            for group in found:
                for v in group:
                    out[v] = next_id
                next_id += 1
    return out


def _bounded(
    g: ig.Graph,
    nodes: list[int],
    parent: int,
    edges: list[tuple[int, int]],
    weights: list[float],
    how: tuple[float, int, int],
    depth: int = 1,
) -> list[list[int]]:
    """The groups inside the piece ``nodes`` (vertices of ``g``) of a community of
    ``parent`` accounts that are tied mostly to themselves: the piece itself when it is at
    most half the community and its conductance is at most ``BOUNDED_CONDUCTANCE``;
    otherwise, when it is still large (``BOUNDED_MIN``), the groups among its own Leiden
    pieces, down to ``BOUNDED_DEPTH`` levels. The resolution limit holds at every scale: a
    19-account paraphrase team (conductance 0.12) sat in a 113-account piece (0.57) of a
    5,086-account community of organic narrative ties. ``how`` is Leiden's resolution and
    seed and the smallest group kept (``min_accounts``)."""
    if 2 * len(nodes) <= parent and _conductance(g, nodes, edges, weights) <= BOUNDED_CONDUCTANCE:
        return [nodes]
    if depth >= BOUNDED_DEPTH or len(nodes) < BOUNDED_MIN:
        return []
    resolution, seed, smallest = how
    sub = g.induced_subgraph(nodes)
    out: list[list[int]] = []
    for local in _pieces(sub, resolution=resolution, seed=seed):
        if smallest <= len(local) < len(nodes):
            inner = [nodes[i] for i in local]
            out += _bounded(g, inner, parent, edges, weights, how, depth + 1)
    return out


def _other_tactic(inner: ig.Graph, top: str, strong: int) -> bool:
    """Whether a piece works mostly (``> TACTIC_SHARE``) by one of ``TACTIC_SIGNALS`` other
    than its community's ``top`` signal and holds a strong tie."""
    own, share = _tactic(inner)
    firm = max(inner.es["n_coactions"], default=0) >= strong
    return own != top and own in TACTIC_SIGNALS and share > TACTIC_SHARE and firm


def _pieces(sub: ig.Graph, *, resolution: float, seed: int) -> list[list[int]]:
    """Leiden's pieces of a community's subgraph (vertex indices of ``sub``), in order."""
    part = leidenalg.find_partition(
        sub,
        leidenalg.RBConfigurationVertexPartition,
        weights="weight",
        resolution_parameter=resolution,
        seed=seed,
        n_iterations=SUBSPLIT_ITERATIONS,
    )
    pieces: dict[int, list[int]] = {}
    for i, k in enumerate(part.membership):
        pieces.setdefault(k, []).append(i)
    return [local for _, local in sorted(pieces.items())]


def _conductance(
    g: ig.Graph, nodes: list[int], edges: list[tuple[int, int]], weights: list[float]
) -> float:
    """Weight of the edges leaving ``nodes`` over the weight of all their edges (0: a group
    tied only to itself, 1: tied only to others); ``edges`` and ``weights`` are ``g``'s."""
    inside = set(nodes)
    cut = total = 0.0
    for v in nodes:
        for e in g.incident(v):
            s_, d_ = edges[e]
            total += weights[e]
            if (s_ in inside) != (d_ in inside):
                cut += weights[e]
    return cut / total if total else 1.0


def _density(inner: dict[int, int], size: dict[int, int], c: int) -> float:
    n = size[c]
    return inner.get(c, 0) / (n * (n - 1) / 2) if n > 1 else 1.0


def within_networks(
    df: pl.DataFrame, net_of: pl.DataFrame, *, by_network: bool = False
) -> pl.DataFrame:
    """Rows of ``df`` (``account_a, account_b, ...``) whose two accounts are in the same
    network of ``net_of`` (``account_id, network_id``), with that ``network_id``, in the
    order of ``df`` (network by network with ``by_network``, in that order within one).

    The rows with both accounts in some network are found by membership alone (no hash
    join over every row), the joins run on their two account columns and the rows are then
    gathered once: joining the whole frame copies it at each join (+0.5 GB on the 1.5M
    co-actions of a 1M-post dump)."""
    if df.height == 0:
        return df
    members = net_of["account_id"].implode()
    hit = (
        df.select(pl.int_range(pl.len(), dtype=pl.UInt32).alias("_row"), "account_a", "account_b")
        .filter(pl.col("account_a").is_in(members) & pl.col("account_b").is_in(members))
        .join(net_of, left_on="account_a", right_on="account_id", maintain_order="left")
        .join(
            net_of.rename({"network_id": "_nb"}),
            left_on="account_b",
            right_on="account_id",
            maintain_order="left",
        )
        .filter(pl.col("network_id") == pl.col("_nb"))
    )
    if by_network:
        hit = hit.sort("network_id", maintain_order=True)
    return df[hit["_row"]].with_columns(hit["network_id"])


def networks_of(fused: pl.DataFrame, network: NetworkParams) -> pl.DataFrame:
    """:func:`find_networks` with the parameters of ``network`` (both engines call this)."""
    return find_networks(
        fused,
        min_accounts=network.min_accounts,
        resolution=network.resolution,
        seed=network.seed,
        min_share=network.min_tie_share,
        max_ties=network.max_tie_count,
        strong=network.strong_tie_coactions,
    )


def find_networks(
    fused: pl.DataFrame,
    *,
    min_accounts: int,
    resolution: float,
    seed: int,
    min_share: float,
    max_ties: int,
    strong: int,
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
    g.es["n_coactions"] = fused["max_coactions"].to_list()
    g.es["signals"] = fused["signals"].to_list()
    split = _split(g, resolution=resolution, seed=seed)
    split = _separate_tactics(
        g, split, resolution=resolution, seed=seed, min_accounts=min_accounts, strong=strong
    )
    membership = _prune(
        g, split, min_share=min_share, max_ties=max_ties, strong=strong, min_accounts=min_accounts
    )
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


def peripheral_members(
    fused: pl.DataFrame,
    membership: pl.DataFrame,
    network: NetworkParams,
    edges: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """Accounts in no network whose kept ties go mostly to one network (``PERIPHERAL``).

    Peeling keeps chance edges from attaching organic accounts to an operation, and so it
    also drops an operation's sparsely active members (an account that co-acted with two
    members of a troll network, and with no one else). Rank, don't drop: an account with
    ties to at least ``network.peripheral_min_ties`` members of one network, making up at
    least ``network.peripheral_share`` of its distinct kept ties, is listed beside that
    network (flagged with it when it is flagged) but never counts in its score, so a
    hanger-on cannot lift or sink it.

    With the candidate ``edges`` (:data:`cib.detect.pairs.EDGE_SCHEMA`), pairs that beat
    the activity null but that the timing null demoted (``habits_explain_timing``) count
    too, as ties to the members of a network tied mostly by timing signals (see
    :func:`_timing_peripherals`)."""
    need = network.peripheral_min_ties
    if need <= 0 or fused.height == 0 or membership.height == 0:
        return pl.DataFrame(schema=PERIPHERAL)
    net_of = membership.select("account_id", "network_id")
    kept_ends = _ends(fused.select("account_a", "account_b", "weight"))
    kept = _attach(kept_ends, net_of, network)
    if edges is None or edges.height == 0:
        return kept
    timed = _timing_peripherals(edges, kept_ends, net_of, network, taken=kept["account_id"])
    return pl.concat([kept, timed]).sort("network_id", "account_id")


def _ends(pairs: pl.DataFrame) -> pl.DataFrame:
    """Both directions (``a, b, weight``) of pair rows ``account_a, account_b, weight``."""
    return pl.concat(
        [
            pairs.select(pl.col("account_a").alias("a"), pl.col("account_b").alias("b"), "weight"),
            pairs.select(pl.col("account_b").alias("a"), pl.col("account_a").alias("b"), "weight"),
        ]
    )


def _attach(ends: pl.DataFrame, net_of: pl.DataFrame, network: NetworkParams) -> pl.DataFrame:
    """Accounts outside ``net_of`` whose partners in ``ends`` (``a, b, weight``) are mostly
    the members of one network: at least ``peripheral_min_ties`` of them, making up at least
    ``peripheral_share`` of the account's partners (``PERIPHERAL``)."""
    outside = ends.join(net_of, left_on="a", right_on="account_id", how="anti")
    total = outside.group_by("a").agg(pl.col("b").n_unique().alias("all_ties"))
    into = (
        outside.join(net_of, left_on="b", right_on="account_id")
        .group_by("a", "network_id")
        .agg(pl.col("b").n_unique().alias("ties"), pl.col("weight").sum().alias("degree"))
        .sort(["a", "ties", "degree", "network_id"], descending=[False, True, True, False])
        .unique(subset="a", keep="first", maintain_order=True)
    )
    return (
        into.join(total, on="a")
        .filter(
            (pl.col("ties") >= network.peripheral_min_ties)
            & (pl.col("ties") >= network.peripheral_share * pl.col("all_ties"))
        )
        .select(
            pl.col("a").alias("account_id"),
            "network_id",
            "ties",
            "degree",
            pl.lit(False).alias("timed"),
        )
        .cast(PERIPHERAL)
        .sort("network_id", "account_id")
    )


#: The posts' columns that name the post an action reacts to (the timing signals' objects).
REACTION_COLUMNS = ("repost_of", "reply_to", "quote_of")


def devoted_peripherals(
    peripheral: pl.DataFrame, posts: pl.DataFrame, membership: pl.DataFrame, share: float
) -> pl.DataFrame:
    """``peripheral`` without the timing-attached members (``timed``) that are not devoted to
    their network: fewer than ``share`` of the posts they reposted, replied to or quoted
    were acted on by a member of it too. A farm's least active member reposts only the
    principals' posts (devotion 1.0); organic fans of those principals, tied to the farm by
    the same demoted pairs, repost many other things (0.1-0.4 in ``cib`` seed 2).
    ``posts`` must hold every post of the members and of the peripheral accounts."""
    timed = peripheral.filter(pl.col("timed"))
    cols = [c for c in REACTION_COLUMNS if c in posts.columns]
    if timed.height == 0:
        return peripheral
    if not cols:  # no reactions to judge devotion on: none is listed
        return peripheral.filter(~pl.col("timed"))
    acts = pl.concat(
        [
            posts.select("account_id", (pl.lit(c + ":") + pl.col(c)).alias("o")).drop_nulls()
            for c in cols
        ]
    )
    mine = acts.join(timed.select("account_id", "network_id"), on="account_id").unique()
    theirs = (
        acts.join(membership.select("account_id", "network_id"), on="account_id")
        .select("network_id", "o")
        .unique()
        .with_columns(pl.lit(True).alias("hit"))
    )
    devotion = (
        mine.join(theirs, on=["network_id", "o"], how="left")
        .group_by("account_id")
        .agg(pl.col("hit").fill_null(False).mean().alias("devotion"))
    )
    keep = devotion.filter(pl.col("devotion") >= share)["account_id"]
    return peripheral.filter(~pl.col("timed") | pl.col("account_id").is_in(keep.implode()))


def _timing_peripherals(
    edges: pl.DataFrame,
    kept_ends: pl.DataFrame,
    net_of: pl.DataFrame,
    network: NetworkParams,
    *,
    taken: pl.Series,
) -> pl.DataFrame:
    """Peripheral members tied to a timing-led network by pairs the timing null demoted.

    A repost farm's least active members repost two or three of the principals' posts: each
    of their pairs with the farm beats the activity null (2 co-reposts within the minute)
    but not the timing null, which calls their synchrony a habit, and they fall out of the
    graph (the classic co-repost network keeps them). The network's score judges that
    habit for the whole group (a shared habit is the coordination when it is
    corroborated), so an account whose pairs with the members of a network tied mostly
    (``TIMING_MAJORITY`` of its ties) by timing signals fail only the timing null is
    listed beside it, by the rule of :func:`peripheral_members` over its kept and its
    timing-demoted partners together. A fan of a star is tied so to many other fans, not
    mostly to one network, and a network that is not flagged flags none of them.
    ``kept_ends`` are the kept ties both ways (:func:`_ends`), ``net_of`` the membership's
    ``account_id, network_id``."""
    from cib.profile import TIMING_MAJORITY

    base = base_signal_col()
    # Which networks are timing-led: their kept ties (one per pair and base signal) judged
    # by the timing null (every verdict but "repeated", the content signals' one).
    ties = within_networks(
        edges.filter(pl.col("kept")).select(
            "account_a", "account_b", base, (pl.col("verdict") != "repeated").alias("timed")
        ),
        net_of,
    ).unique(subset=["account_a", "account_b", "signal"])
    led = (
        ties.group_by("network_id")
        .agg(pl.col("timed").mean().alias("share"))
        .filter(pl.col("share") >= TIMING_MAJORITY)
    )
    if led.height == 0:
        return pl.DataFrame(schema=PERIPHERAL)
    demoted = edges.filter(pl.col("verdict") == "habits_explain_timing").select(
        "account_a", "account_b", "weight"
    )
    if demoted.height == 0:
        return pl.DataFrame(schema=PERIPHERAL)
    ends = pl.concat([kept_ends, _ends(demoted)])
    # Ties into a network that is not timing-led count among the account's partners but
    # cannot attach it (the demoted pairs say nothing about a network of copied texts).
    found = _attach(ends, net_of, network)
    return found.filter(
        pl.col("network_id").is_in(led["network_id"].implode())
        & ~pl.col("account_id").is_in(taken.implode())
    ).with_columns(pl.lit(True).alias("timed"))
