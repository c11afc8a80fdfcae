"""Unit tests of the detection stages on small hand-made events (hash embedder only)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cib.config import NetworkParams
from cib.detect.networks import fuse_edges, networks_of
from cib.detect.pairs import pair_evidence
from cib.detect.semantic import near_duplicate_clusters
from cib.embed import HashEmbedder
from cib.schemas import EVENTS


def _events(rows: list[tuple[str, str, int]], signal: str = "repost") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "signal": [signal] * len(rows),
            "object_id": [o for o, _, _ in rows],
            "account_id": [a for _, a, _ in rows],
            "post_id": [f"p{i}" for i in range(len(rows))],
            "t": [t for _, _, t in rows],
            "t_origin": [None] * len(rows),
        },
        schema=EVENTS,
    )


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5), st.integers(0, 7), st.integers(0, 600)),
        min_size=2,
        max_size=80,
    )
)
def test_pair_invariants(rows: list[tuple[int, int, int]]) -> None:
    ev = _events([(f"o{o}", f"acc{a}", t) for o, a, t in rows])
    edges, co, _ = pair_evidence(
        ev,
        window_s=60,
        min_coactions=1,
        max_neighbors=50,
        min_z=-1e9,
        min_timing_z=-1e9,
        timing=True,
    )
    assert (edges["account_a"] < edges["account_b"]).all()
    assert edges.select("account_a", "account_b").is_unique().all()
    assert (co["account_a"] < co["account_b"]).all()
    assert ((co["t_b"] - co["t_a"]).abs() <= 60).all()
    # Every counted co-action is a distinct object for the pair.
    per_pair = co.group_by("account_a", "account_b").agg(pl.col("object_id").n_unique())
    joined = edges.join(per_pair, on=["account_a", "account_b"])
    assert (joined["n_coactions"] == joined["object_id"]).all()
    assert (edges["shared"] >= edges["n_coactions"]).all()


#: pair_evidence settings of the timing-null tests (the activity null switched off).
_TIMING = dict(
    window_s=60, min_coactions=2, max_neighbors=50, min_z=-1e9, min_timing_z=2.0, timing=True
)


def _farm_and_fans(n_fans: int = 12) -> pl.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    # Fans: accounts with personal habits (fixed delays) repost 40 idol posts.
    for k in range(40):
        t0 = k * 5000
        for f in range(n_fans):
            rows.append((f"idol{k}", f"fan{f:02d}", t0 + 20 + f * 4 + int(rng.integers(0, 3))))
    # Operators: 6 accounts fire within seconds of each other, at a different moment each time.
    for k in range(40):
        t0 = k * 5000 + int(rng.integers(100, 3000))
        for f in range(6):
            rows.append((f"idol{k}", f"op{f}", t0 + int(rng.integers(0, 20))))
    ev = _events(rows)
    return ev.with_columns(
        (pl.col("object_id").str.slice(4).cast(pl.Int64) * 5000).alias("t_origin")
    )


def test_timing_null_separates_operators_from_fans() -> None:
    edges, _, _ = pair_evidence(_farm_and_fans(), **_TIMING)
    ops = edges.filter(
        pl.col("account_a").str.starts_with("op") & pl.col("account_b").str.starts_with("op")
    )
    fans = edges.filter(
        pl.col("account_a").str.starts_with("fan") & pl.col("account_b").str.starts_with("fan")
    )
    assert ops["kept"].all()
    assert fans.height > 0 and not fans["kept"].any()


def test_shared_habit_is_evidence_not_an_excuse() -> None:
    """A farm whose members each repost every principal post with their own fixed delay is
    'explained' by its habits (timing z near 0), yet kept as a shared habit; fans with the
    same fast habit on a star's posts but partial participation and many other interests
    are demoted with their reason."""
    from cib.config import DetectParams
    from cib.detect.pairs import VERDICTS, HabitRule

    rng = np.random.default_rng(1)
    rows = []
    for k in range(30):  # 30 principal posts, 8 members, each with its own delay
        for f in range(8):
            rows.append((f"boss{k}", f"farm{f}", k * 7000 + 15 + 7 * f + int(rng.integers(0, 3))))
    for k in range(30):  # a star's posts: 10 fans each join 40% of the time, as fast
        for f in range(10):
            if rng.random() < 0.4:
                rows.append((f"star{k}", f"fan{f}", k * 7000 + 3500 + 15 + 6 * f))
    for f in range(10):  # ... and the fans have many other interests, shared by chance
        for k in range(60):
            rows.append((f"misc{f}_{k}", f"fan{f}", 300_000 + k * 900 + f))
            rows.append((f"misc{f}_{k}", f"x{f}_{k % 7}", 300_000 + k * 900 + f + 400))
    ev = _events(rows).with_columns(
        pl.when(pl.col("object_id").str.starts_with("boss"))
        .then(pl.col("object_id").str.slice(4).cast(pl.Int64) * 7000)
        .when(pl.col("object_id").str.starts_with("star"))
        .then(pl.col("object_id").str.slice(4).cast(pl.Int64) * 7000 + 3500)
        .otherwise(pl.col("t") - 5)
        .alias("t_origin")
    )
    habit = HabitRule.of(DetectParams())
    edges, _, _ = pair_evidence(ev, **_TIMING, habit=habit)
    farm = edges.filter(pl.col("account_a").str.starts_with("farm"))
    fans = edges.filter(
        pl.col("account_a").str.starts_with("fan") & pl.col("account_b").str.starts_with("fan")
    )
    assert farm.height == 28 and farm["kept"].all()
    assert (farm["timing_z"] < 2.0).all(), "the farm's habits explain its timing"
    assert (farm["verdict"] == "shared_habit").all()
    assert fans.height > 0 and not fans["kept"].any()
    assert (fans["verdict"] == "habits_explain_timing").all()
    assert VERDICTS["habits_explain_timing"].startswith("demoted")
    # Without the rule (habit_min_strength above 1), the farm would be dropped.
    off = HabitRule(min_strength=2.0, min_objects=3)
    edges, _, _ = pair_evidence(ev, **_TIMING, habit=off)
    assert not edges.filter(pl.col("account_a").str.starts_with("farm"))["kept"].any()


def test_crowd_stands_in_for_a_missing_origin() -> None:
    """The idol's posts are not in the dump (no t_origin), but a crowd of fans reacts to each:
    the crowd's first reaction marks the moment, so fans are still explained by their habits
    and the operators are still caught."""
    from cib.detect.pairs import CROWD_ORIGIN

    ev = _farm_and_fans(n_fans=CROWD_ORIGIN + 4).with_columns(
        pl.lit(None, dtype=pl.Int64).alias("t_origin")
    )
    edges, _, _ = pair_evidence(ev, **_TIMING)
    assert (edges["origin_share"] == 1.0).all()
    ops = edges.filter(pl.col("account_a").str.starts_with("op"))
    fans = edges.filter(pl.col("account_a").str.starts_with("fan"))
    assert ops["kept"].all()
    assert fans.height > 0 and not fans["kept"].any()
    # Few actors and no referenced post: the origin is unknown, pairs are judged on
    # repetition (fans and operators alike kept at this z floor).
    few = _farm_and_fans(n_fans=4).with_columns(pl.lit(None, dtype=pl.Int64).alias("t_origin"))
    edges, _, _ = pair_evidence(few, **_TIMING)
    assert (edges["origin_share"] == 0.0).all() and edges["kept"].all()


def test_networks_peel_hangers_on() -> None:
    clique = [(f"a{i}", f"a{j}") for i in range(6) for j in range(i + 1, 6)]
    hanger = [("a0", "z9")]  # one chance edge to an outsider
    edges = pl.DataFrame(
        {
            "account_a": [a for a, _ in clique + hanger],
            "account_b": [b for _, b in clique + hanger],
            "signal": ["text"] * (len(clique) + 1),
            "n_coactions": [5] * (len(clique) + 1),
            "weight": [3.0] * (len(clique) + 1),
            "z": [9.0] * (len(clique) + 1),
            "kept": [True] * (len(clique) + 1),
        },
        schema_overrides={"n_coactions": pl.UInt32},
    )
    net = NetworkParams(seed=1, max_tie_count=3, strong_tie_coactions=0)
    mem = networks_of(fuse_edges(edges), net)
    assert sorted(mem["account_id"].to_list()) == [f"a{i}" for i in range(6)]


def test_peeled_accounts_tied_mostly_to_a_network_are_peripheral() -> None:
    """Rank, don't drop: an account peeled with two ties into a 12-account ring is listed
    beside it (peripheral); one with a single tie, or tied as much elsewhere, is not."""
    from cib.detect.networks import peripheral_members

    ring = [(f"r{i:02d}", f"r{j:02d}") for i in range(12) for j in range(i + 1, 12)]
    extra = [
        ("p1", "r00"), ("p1", "r01"),  # two ties, both into the ring: peripheral
        ("p2", "r02"),  # one tie: chance
        ("p3", "r03"), ("p3", "r04"), ("p3", "x1"), ("p3", "x2"), ("p3", "x3"),  # mostly elsewhere
    ]  # fmt: skip
    rows = ring + extra
    edges = pl.DataFrame(
        {
            "account_a": [a for a, _ in rows],
            "account_b": [b for _, b in rows],
            "signal": ["repost"] * len(rows),
            "n_coactions": [3] * len(rows),
            "weight": [2.0] * len(rows),
            "z": [8.0] * len(rows),
            "kept": [True] * len(rows),
        },
        schema_overrides={"n_coactions": pl.UInt32},
    )
    net = NetworkParams(seed=1, strong_tie_coactions=0)
    fused = fuse_edges(edges)
    mem = networks_of(fused, net)
    ring_id = mem.filter(pl.col("account_id") == "r00")["network_id"][0]
    assert not {"p1", "p2", "p3"} & set(mem["account_id"].to_list())
    per = peripheral_members(fused, mem, net)
    assert per.select("account_id", "network_id", "ties").rows() == [("p1", ring_id, 2)]
    assert per["degree"].to_list() == [4.0]
    assert peripheral_members(fused, mem, NetworkParams(peripheral_min_ties=0)).height == 0


def test_pairs_the_timing_null_demoted_attach_an_account_to_a_timing_led_network() -> None:
    """A repost farm's least active member (its pairs with the farm beat the activity null
    but not the timing null) is listed beside the farm; a fan tied so to many others, and
    an account tied so to a network of copied texts, are not."""
    from cib.detect.networks import devoted_peripherals, peripheral_members

    farm = [(f"f{i}", f"f{j}", "repost", "shared_habit") for i in range(5) for j in range(i + 1, 5)]
    texts = [(f"t{i}", f"t{j}", "text", "repeated") for i in range(4) for j in range(i + 1, 4)]
    demoted = [("lazy", "f0"), ("lazy", "f1"), ("lazy", "f2")]  # mostly the farm
    demoted += [("fan", "f3"), ("fan", "f4")] + [("fan", f"o{i}") for i in range(6)]
    demoted += [("copier", "t0"), ("copier", "t1")]  # a text network: not timing-led
    rows = [(a, b, sig, v, True) for a, b, sig, v in farm + texts]
    rows += [(a, b, "repost", "habits_explain_timing", False) for a, b in demoted]
    edges = pl.DataFrame(
        rows, schema=["account_a", "account_b", "signal", "verdict", "kept"], orient="row"
    ).with_columns(
        pl.lit(3, pl.UInt32).alias("n_coactions"),
        pl.lit(2.0).alias("weight"),
        pl.lit(8.0).alias("z"),
    )
    net = NetworkParams(seed=1, strong_tie_coactions=0)
    fused = fuse_edges(edges)
    mem = networks_of(fused, net)
    farm_id = mem.filter(pl.col("account_id") == "f0")["network_id"][0]
    assert mem.filter(pl.col("account_id") == "t0")["network_id"][0] != farm_id
    per = peripheral_members(fused, mem, net, edges)
    assert per.select("account_id", "network_id", "ties", "timed").rows() == [
        ("lazy", farm_id, 3, True)
    ]
    # Without the candidate edges only kept ties count, as before.
    assert peripheral_members(fused, mem, net).height == 0
    # Listed only when devoted: most of what it reposts, the farm reposts too.
    posts = pl.DataFrame(
        {
            "account_id": ["f0", "f1", "lazy", "lazy", "lazy"],
            "repost_of": ["p1", "p2", "p1", "p2", "x9"],
        }
    )
    assert devoted_peripherals(per, posts, mem, 0.5)["account_id"].to_list() == ["lazy"]
    assert devoted_peripherals(per, posts, mem, 0.7).height == 0


def test_a_farms_obscure_principals_are_listed_and_a_star_is_not() -> None:
    """The accounts a repost network amplifies, for an audience that is mostly the network,
    are its principals; a famous account it also reposts, or one it reposts rarely, is not."""
    from datetime import UTC, datetime
    from types import SimpleNamespace

    from cib.assemble import principals
    from cib.schemas import PERIPHERAL

    t = datetime(2026, 1, 1, tzinfo=UTC)
    orig = [("p1", "boss", 900), ("p2", "boss", 900), ("p3", "boss", 900), ("p4", "boss", 900)]
    orig += [("s1", "star", 2_000_000), ("s2", "star", 2_000_000), ("s3", "star", 2_000_000)]
    orig += [("c1", "cat", 500)] + [(f"x{i}", "own", 100) for i in range(30)]
    rows = [(pid, who, f, None) for pid, who, f in orig]
    farm = ["f1", "f2", "f3"]
    rows += [
        (f"r{m}{o}", m, 50, o) for m in farm for o in ("p1", "p2", "p3", "p4", "s1", "s2", "s3")
    ]
    posts = pl.DataFrame(
        rows, schema=["post_id", "account_id", "followers", "repost_of"], orient="row"
    ).with_columns(
        pl.lit(t).alias("created_at"),
        pl.lit(None, pl.String).alias("account_name"),
        pl.lit(None, pl.String).alias("account_location"),
        pl.lit(None, pl.Datetime("us", "UTC")).alias("account_created_at"),
        pl.lit("web").alias("client"),
        pl.lit("tw").alias("platform"),
    )
    objs = ["p1", "p2", "p3", "p4", "s1", "s2", "s3", "c1"] + [f"x{i}" for i in range(30)]
    co = pl.DataFrame({"account_a": "f1", "account_b": "f2", "signal": "repost", "object_id": objs})
    shown = pl.DataFrame(
        {"_row": pl.Series(range(co.height), dtype=pl.UInt32), "network_id": 1, "_shown": True},
        schema_overrides={"network_id": pl.Int32},
    )
    # The farm is all of boss's, cat's and the others' audience, a sliver of the star's.
    crowds = pl.DataFrame(
        {
            "signal": "repost",
            "object_id": objs,
            "n_o": [3] * 4 + [900] * 3 + [3] * 31,
            "n_tied": [3] * 38,
        }
    )
    det = SimpleNamespace(
        membership=pl.DataFrame(
            {"account_id": farm, "network_id": [1] * 3, "degree": [1.0] * 3},
            schema_overrides={"network_id": pl.Int32},
        ),
        crowds=crowds,
    )
    none = pl.DataFrame(schema=PERIPHERAL)
    assert principals(posts, co, shown, det, none, share=0.0).height == 0  # type: ignore[arg-type]
    got = principals(posts, co, shown, det, none, share=0.1)  # type: ignore[arg-type]
    # boss: 4 of 38 objects (>= 10%); star: famous, the farm a sliver of its audience; cat: 1
    # of 38; own: 30 of 38 and obscure.
    assert sorted(got["account_id"].to_list()) == ["boss", "own"]
    assert got.filter(pl.col("account_id") == "boss")["coordinated_posts"].item() == 4


def test_networks_keep_a_large_sparsely_tied_operation() -> None:
    # 80 accounts, each tied to about 8 others (density 0.1, as in a hashtag push that
    # Leiden split into pieces and the old peeling rule, ties to a quarter of the network,
    # removed): they form one network, while an outsider with two chance ties is peeled.
    rng = np.random.default_rng(3)
    pairs = set()
    for i in range(80):
        for j in rng.choice([k for k in range(80) if k != i], size=4, replace=False):
            pairs.add((min(i, int(j)), max(i, int(j))))
    pairs |= {(0, 999), (1, 999)}
    a = [f"h{i:03d}" for i, _ in sorted(pairs)]
    b = [f"h{j:03d}" for _, j in sorted(pairs)]
    edges = pl.DataFrame(
        {
            "account_a": a,
            "account_b": b,
            "signal": ["hashtags"] * len(a),
            "n_coactions": [4] * len(a),
            "weight": [2.0] * len(a),
            "z": [8.0] * len(a),
            "kept": [True] * len(a),
        },
        schema_overrides={"n_coactions": pl.UInt32},
    )
    mem = networks_of(fuse_edges(edges), NetworkParams())
    members = set(mem["account_id"].to_list())
    assert "h999" not in members
    assert len(members) >= 76, len(members)
    # Leiden's pieces with no boundary between them are merged back (not 7 fragments).
    assert mem["network_id"].n_unique() <= 3


def test_networks_do_not_merge_a_tight_group_into_a_sprawl() -> None:
    # A 6-account clique with a few chance ties into a large, sparse organic web stays its
    # own network (merging modularity's pieces back must not swallow it).
    rng = np.random.default_rng(5)
    pairs = {(i, j) for i in range(6) for j in range(i + 1, 6)}
    for i in range(6, 300):
        for j in rng.choice(range(6, 300), size=2, replace=False):
            if int(j) != i:
                pairs.add((min(i, int(j)), max(i, int(j))))
    pairs |= {(0, 10), (1, 50), (2, 90)}
    a = [f"x{i:03d}" for i, _ in sorted(pairs)]
    b = [f"x{j:03d}" for _, j in sorted(pairs)]
    edges = pl.DataFrame(
        {
            "account_a": a,
            "account_b": b,
            "signal": ["text"] * len(a),
            "n_coactions": [3] * len(a),
            "weight": [2.0] * len(a),
            "z": [6.0] * len(a),
            "kept": [True] * len(a),
        },
        schema_overrides={"n_coactions": pl.UInt32},
    )
    mem = networks_of(fuse_edges(edges), NetworkParams(seed=1))
    clique = {f"x{i:03d}" for i in range(6)}
    nets = mem.filter(pl.col("account_id").is_in(list(clique)))["network_id"].unique()
    assert nets.len() == 1
    members = set(mem.filter(pl.col("network_id") == nets[0])["account_id"].to_list())
    assert members == clique


def test_near_duplicates_cluster_but_unrelated_texts_do_not() -> None:
    texts = [
        "the election was stolen by the corrupt elites, share before they delete",
        "the election was stolen by corrupt elites - share before they delete!",
        "the election was stolen by the corrupt elites share before it is deleted",
        "my cat knocked the coffee off the table again this morning",
    ]
    df = pl.DataFrame({"text_fp": [f"fp{i}" for i in range(4)], "t": [0, 60, 120, 90]})
    vec = HashEmbedder().encode(texts)
    clusters, stats = near_duplicate_clusters(df, vec, threshold=0.8, bucket_s=86_400)
    got = dict(zip(clusters["text_fp"], clusters["cluster_id"], strict=True))
    assert got["fp0"] == got["fp1"] == got["fp2"]
    assert "fp3" not in got
    assert stats["clusters"] == 1


def _repost_ring(whole_minutes: bool) -> pl.DataFrame:
    """Five accounts repost 12 objects together (gaps of 0 or 60 s); 60 other accounts
    co-repost once in pairs."""
    from cib.normalize import normalize_posts
    from cib.schemas import POSTS, STORED_POSTS, UTC_US

    rows = []
    for o in range(12):
        t0 = 1_699_999_980 + o * 7_200 + (0 if whole_minutes else 17)  # 1_699_999_980 % 60 == 0
        for k in range(5):
            rows.append((f"r{o}-{k}", f"acc{k}", t0 + 60 * (k % 2), f"orig{o}"))
    for b in range(60):  # background: pairs of other accounts co-repost once each
        t0 = 1_699_999_980 + b * 3_600 + (0 if whole_minutes else 5)
        rows.append((f"b{b}-0", f"bg{b}", t0, f"news{b}"))
        rows.append((f"b{b}-1", f"bg{(b + 7) % 60}", t0 + 60, f"news{b}"))
    df = pl.DataFrame(
        {
            "post_id": [r[0] for r in rows],
            "account_id": [r[1] for r in rows],
            "created_at": pl.Series([r[2] * 1_000_000 for r in rows]).cast(UTC_US),
            "repost_of": [r[3] for r in rows],
        }
    )
    df = df.with_columns(
        pl.lit(None, dtype=POSTS[c]).alias(c) for c in POSTS if c not in df.columns
    ).select(list(POSTS))
    return (
        normalize_posts(df)
        .with_columns(
            pl.lit("t").alias("source_file"), pl.lit(1, dtype=pl.Int64).alias("source_line")
        )
        .select(list(STORED_POSTS))
    )


def test_time_resolution_detects_whole_minute_dumps() -> None:
    from cib.detect import time_resolution

    assert time_resolution(_repost_ring(True)["created_at"]) == 60
    assert time_resolution(_repost_ring(False)["created_at"]) == 0
    assert time_resolution(pl.Series([], dtype=pl.Datetime("us", "UTC"))) == 0


def test_synchrony_allows_for_a_minute_clock() -> None:
    """A recorded gap of 60 s in a whole-minute dump is not 'at the edge of the window'."""
    from cib.assemble import build_report
    from cib.config import ScanConfig
    from cib.detect import detect

    cfg = ScanConfig.from_dict({"detect": {"signals": ["repost"], "timing_slow_window_s": 0}})
    sync = {}
    for whole in (True, False):
        posts = _repost_ring(whole)
        det = detect(posts, params=cfg.detect, network=cfg.network)
        assert det.stats["time_resolution_s"] == (60 if whole else 0)
        rep = build_report(posts, det, config=cfg, run={})
        assert rep.networks, "the ring must form a network"
        sync[whole] = rep.networks[0]["parts"]["synchrony"]
    assert sync[False] == 0.0  # median gap 60 s = the whole window
    assert 0.45 <= sync[True] <= 0.55  # 60 s out of window + one clock tick


def test_auto_repost_ring_is_kept_though_its_habits_explain_it() -> None:
    """An auto-repost tool: every member reposts each post within a few seconds. Their habits
    'explain' the timing (timing_z ~ 0), but nobody is that fast and regular by hand."""
    from cib.detect.pairs import AutoRule

    rng = np.random.default_rng(1)
    rows = []
    for k in range(30):
        for f in range(6):
            rows.append((f"seed{k}", f"bot{f}", k * 5000 + 1 + int(rng.integers(0, 4))))
    ev = _events(rows).with_columns(
        (pl.col("object_id").str.slice(4).cast(pl.Int64) * 5000).alias("t_origin")
    )
    kw = dict(window_s=60, min_coactions=2, max_neighbors=50, min_z=-1e9, min_timing_z=2.0)
    off, _, _ = pair_evidence(ev, timing=True, **kw)
    on, _, _ = pair_evidence(ev, timing=True, auto=AutoRule(5.0, 0.9, 5), **kw)
    assert (off["timing_z"] < 2.0).all() and not off["kept"].any()
    assert on["automated"].all() and on["kept"].all()
    # Fans with human reaction times (a typical speed each, varying from post to post).
    speed = rng.lognormal(np.log(60), 0.5, 12)
    rows = [
        (f"idol{k}", f"fan{f:02d}", k * 5000 + 3 + int(rng.lognormal(np.log(speed[f]), 0.9)))
        for k in range(40)
        for f in range(12)
    ]
    fans = _events(rows).with_columns(
        (pl.col("object_id").str.slice(4).cast(pl.Int64) * 5000).alias("t_origin")
    )
    edges, _, _ = pair_evidence(fans, timing=True, auto=AutoRule(5.0, 0.9, 5), **kw)
    assert edges.height > 0 and not edges["automated"].any()


def test_mentions_are_not_text_content() -> None:
    """'@celeb legend' from many fans is not a shared text; a long message after a mention is."""
    from cib.detect.signals import texty

    df = pl.DataFrame(
        {
            "repost_of": [None, None, None, "x"],
            "text_fp": ["a", "b", "c", "d"],
            "text_norm": [
                "@some_celebrity_handle @another_handle legend",
                "@celeb this long message is the real content here",
                "a message without any mention that is long",
                "@celeb this long message is the real content here",
            ],
        }
    )
    assert df.filter(texty(25))["text_fp"].to_list() == ["b", "c"]


def test_evidence_plan_adds_a_slow_scale_for_timing_signals() -> None:
    from cib.config import DetectParams
    from cib.detect.plan import evidence_plan, windows

    p = DetectParams()
    plan = {e.name: e for e in evidence_plan(p)}
    fast = {s + "_fast" for s in p.drip_signals}
    assert set(plan) == set(p.signals) | {"repost_slow", "reply_slow", "quote_slow"} | fast
    slow = plan["repost_slow"]
    assert slow.signal == "repost" and slow.timing
    assert slow.window_s == p.timing_slow_window_s > plan["repost"].window_s == p.window_s
    assert slow.min_coactions == p.timing_slow_min_coactions >= plan["repost"].min_coactions
    stricter = evidence_plan(DetectParams(timing_slow_min_coactions=4))
    assert {e.name: e for e in stricter}["repost_slow"].min_coactions == 4
    floor = evidence_plan(DetectParams(min_coactions=3, timing_slow_min_coactions=2))
    assert {e.name: e for e in floor}["repost_slow"].min_coactions == 3
    assert slow.max_neighbors == p.timing_slow_max_neighbors < plan["repost"].max_neighbors
    assert windows(p)["url"] == p.drip_window_s
    off = DetectParams(timing_slow_window_s=0, drip_fast=False)
    assert [e.name for e in evidence_plan(off)] == list(off.signals)
    only = DetectParams(signals=["url", "reply"])
    assert [e.name for e in evidence_plan(only)] == ["url", "reply", "reply_slow", "url_fast"]


def test_content_signals_get_a_fast_scale_that_counts_all_activity() -> None:
    from cib.config import DetectParams
    from cib.detect.plan import base_signal, evidence_plan, scale_rank

    p = DetectParams()
    plan = {e.name: e for e in evidence_plan(p)}
    fast = plan["hashtags_fast"]
    assert fast.signal == "hashtags" and not fast.timing and fast.all_activity
    assert fast.window_s == p.window_s < plan["hashtags"].window_s == p.drip_window_s
    assert {e.name for e in plan.values() if e.all_activity} == {
        s + "_fast" for s in p.drip_signals
    }
    assert "repost_fast" not in plan and "narrative_fast" not in plan
    assert base_signal("text_fast") == "text" and base_signal("repost_slow") == "repost"
    ranks = pl.DataFrame({"signal": ["url_slow", "url", "url_fast"]}).select(
        scale_rank().alias("r")
    )
    assert ranks["r"].to_list() == [2, 1, 0]
    wide = DetectParams(window_s=86_400, drip_window_s=86_400)
    assert not any(e.name.endswith("_fast") for e in evidence_plan(wide))


def test_a_campaign_alone_in_sharing_texts_is_not_its_own_background() -> None:
    """Twenty accounts each post 3 of 10 campaign texts within seconds of each other (pairs
    share about one text, some two); 300 other accounts post only texts nobody else posts.
    Counting only posts on shared objects, the campaign is the whole background and two
    co-uses look like chance; counting all activity, they do not."""
    import random

    rng = random.Random(3)
    rows: list[tuple[str, str, int]] = []
    for k in range(10):
        for a in rng.sample(range(20), 6):
            rows.append((f"copy{k}", f"op{a:02d}", k * 7_200 + rng.randint(0, 30)))
    for a in range(300):
        for j in range(rng.randint(3, 8)):
            rows.append((f"own{a}_{j}", f"user{a:03d}", rng.randint(0, 86_400)))
    for a in range(20):  # the members post their own texts too
        for j in range(4):
            rows.append((f"opown{a}_{j}", f"op{a:02d}", rng.randint(0, 86_400)))
    ev = _events(rows, signal="text")
    kw = dict(
        window_s=60, min_coactions=2, max_neighbors=50, min_z=3.0, min_timing_z=2.0, timing=False
    )
    shared_only, _, _ = pair_evidence(ev, **kw)
    every, _, _ = pair_evidence(ev, **kw, all_activity=True)
    assert shared_only.height == every.height > 0
    assert shared_only["kept"].mean() < 0.5, "the campaign explained itself away"
    assert every["kept"].all()
    assert (every["expected"] < shared_only["expected"]).all()


def test_narratives_group_talking_points_and_leave_chatter_out() -> None:
    """Three talking points, each pushed in 8 different wordings (vectors near a centre),
    among 60 unrelated texts, in one time bucket: three narratives, no chatter in them; a
    talking point two days later is its own narrative (time buckets)."""
    from cib.config import DetectParams
    from cib.detect.narrative import narrative_clusters

    rng = np.random.default_rng(7)
    dim = 64
    rows, vecs = [], []

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.linalg.norm(v)

    for p in range(4):
        centre = unit(rng.standard_normal(dim))
        for k in range(8):
            vecs.append(unit(centre + 0.6 * rng.standard_normal(dim) / np.sqrt(dim)))
            t = 1000 + k * 60 + (200_000 if p == 3 else 0)
            rows.append((f"p{p}_{k}", t))
    for k in range(80):  # chatter, some of it in the later bucket too
        vecs.append(unit(rng.standard_normal(dim)))
        rows.append((f"chat{k}", 1000 + k * 100 + (200_000 if k >= 60 else 0)))
    texts = pl.DataFrame(
        {
            "text_fp": [r[0] for r in rows],
            "text_norm": [r[0] for r in rows],
            "t": [r[1] for r in rows],
        }
    )
    frame, stats = narrative_clusters(texts, np.vstack(vecs).astype(np.float32), DetectParams())
    got = dict(zip(frame["text_fp"].to_list(), frame["narrative_id"].to_list(), strict=True))
    assert not any(fp.startswith("chat") for fp in got), "chatter is noise"
    for p in range(4):
        ids = {got.get(f"p{p}_{k}") for k in range(8)}
        assert len(ids) == 1 and None not in ids, (p, ids)
    assert len({got[f"p{p}_0"] for p in range(4)}) == 4
    assert stats["narratives"] == 4
    # Buckets are clustered in threads: one thread gives the same narratives and stats.
    one, one_stats = narrative_clusters(
        texts, np.vstack(vecs).astype(np.float32), DetectParams(threads=1)
    )
    assert one.equals(frame) and one_stats == stats


def _star_edges(leaf_coactions: int) -> pl.DataFrame:
    """A hub and 6 leaves, each leaf tied only to the hub (a star), plus a 4-clique."""
    pairs = [("hub", f"leaf{i}") for i in range(6)]
    pairs += [(f"c{i}", f"c{j}") for i in range(4) for j in range(i + 1, 4)]
    n = len(pairs)
    return pl.DataFrame(
        {
            "account_a": [a for a, _ in pairs],
            "account_b": [b for _, b in pairs],
            "signal": ["repost"] * n,
            "n_coactions": [leaf_coactions] * 6 + [3] * (n - 6),
            "weight": [3.0] * n,
            "z": [9.0] * n,
            "kept": [True] * n,
        },
        schema_overrides={"n_coactions": pl.UInt32},
    )


def _members(edges: pl.DataFrame, strong: int) -> set[str]:
    mem = networks_of(fuse_edges(edges), NetworkParams(strong_tie_coactions=strong))
    return set(mem["account_id"].to_list())


def test_networks_keep_a_star_tied_by_strong_edges() -> None:
    # Leaves that each worked with the hub on 12 posts are not chance hangers-on: kept.
    strong = NetworkParams().strong_tie_coactions
    star = {"hub", *(f"leaf{i}" for i in range(6))}
    assert star <= _members(_star_edges(12), strong)
    # The same shape with 2 co-actions per leaf (chance edges) is peeled, as before.
    assert not star & _members(_star_edges(2), strong)
    # Switched off (0), a strong star is peeled too: the rule is what keeps it.
    assert not star & _members(_star_edges(12), 0)


def test_fused_max_coactions_is_per_signal_not_summed() -> None:
    # One shared article is a URL, a text and a near-duplicate at once: 3 + 3 + 3 is not 9.
    edges = pl.DataFrame(
        {
            "account_a": ["a"] * 3,
            "account_b": ["b"] * 3,
            "signal": ["url", "text", "semantic"],
            "n_coactions": [3, 3, 3],
            "weight": [1.0] * 3,
            "z": [5.0] * 3,
            "kept": [True] * 3,
        },
        schema_overrides={"n_coactions": pl.UInt32},
    )
    fused = fuse_edges(edges)
    assert fused["n_coactions"].to_list() == [9] and fused["max_coactions"].to_list() == [3]


def test_a_star_counts_as_cohesive_and_a_web_with_a_busy_account_does_not() -> None:
    from cib.profile import combine

    base = {
        "cohesion": 0.3,
        "repetition": 1.0,
        "support": 0.6,
        "coordinated_share": 0.3,
        "similarity": 0.0,
        "synchrony": 0.8,
        "significance": 0.9,
        "burstiness": 0.9,
        "size": 0.5,
    }
    web = combine({**base, "hub": 0.2}, 7)
    star = combine({**base, "hub": 1.0}, 7)
    assert star > web + 0.15
    assert combine({**base, "hub": 0.0}, 7) == web  # a hub below HUB_STAR changes nothing


def test_large_network_cohesion_floor_falls_with_coordinated_share() -> None:
    from cib.profile import COHESION_FLOOR, cohesion_need

    # 500 members: a web of accounts that mostly do other things needs the floor; an
    # operation whose members spend 75% of their posts on it needs a quarter of it.
    assert cohesion_need(500, 0.1) == pytest.approx(COHESION_FLOOR * 0.9**2)
    assert cohesion_need(1000, 0.75) == pytest.approx(COHESION_FLOOR * 0.25**2)
    assert cohesion_need(5, 0.75) == cohesion_need(5, 0.0)  # small groups unchanged
    # A party of 240 legislators tied to a tenth of each other, a quarter of whose posts are
    # talking points and drives, is scaled down; a 500-account copypasta push whose sampled
    # ties reach 4% of the others, with three quarters of its posts in the push, is not.
    assert cohesion_need(240, 0.25) > 0.10
    assert cohesion_need(500, 0.75) <= 0.04


def test_cohesion_need_falls_for_overwhelming_pair_evidence() -> None:
    """Chance edges strung together have modest z; a sparse group whose kept ties have a
    median z near 50 (significance 0.9) needs half the cohesion, one at z 10 all of it."""
    from cib.profile import cohesion_need, combine

    assert cohesion_need(30, 0.2, 0.3) == cohesion_need(30, 0.2)
    assert cohesion_need(30, 0.2, 0.95) == pytest.approx(cohesion_need(30, 0.2) / 2)
    assert cohesion_need(30, 0.2, 0.75) == pytest.approx(cohesion_need(30, 0.2) * 0.75)
    sparse = {"cohesion": 0.2, "support": 1.0, "coordinated_share": 0.2, "similarity": 0.0,
              "repetition": 1.0, "synchrony": 0.85, "burstiness": 0.9, "size": 0.95}  # fmt: skip
    # Above the 0.5 flag threshold with overwhelming ties, below it with modest ones.
    assert combine({**sparse, "significance": 0.95}, 30) >= 0.5
    assert combine({**sparse, "significance": 0.3}, 30) < 0.4


def test_narratives_drop_a_language_blob_and_keep_its_talking_points() -> None:
    """A model that reads a language poorly maps all its texts near one direction: 40
    unrelated texts in language "xx" (one tight blob) are no narrative once the language's
    mean is taken away, while a real talking point in "xx" (8 texts near their own centre,
    inside the blob) and two English talking points are kept."""
    from cib.config import DetectParams
    from cib.detect.narrative import narrative_clusters

    rng = np.random.default_rng(11)
    dim = 64

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.linalg.norm(v)

    rows, vecs = [], []
    blob = unit(rng.standard_normal(dim))
    for k in range(40):  # chatter in xx: near the language direction, else unrelated
        vecs.append(unit(blob + 0.5 * unit(rng.standard_normal(dim))))
        rows.append((f"xx_chat{k}", 1000 + k * 30, "xx"))
    point = unit(rng.standard_normal(dim))
    for k in range(8):  # a talking point in xx
        vecs.append(unit(blob + 0.5 * unit(point + 0.3 * unit(rng.standard_normal(dim)))))
        rows.append((f"xx_tp{k}", 1000 + k * 60, "xx"))
    for p in range(2):
        centre = unit(rng.standard_normal(dim))
        for k in range(8):
            vecs.append(unit(centre + 0.6 * rng.standard_normal(dim) / np.sqrt(dim)))
            rows.append((f"en{p}_{k}", 1000 + k * 60, "en"))
    for k in range(60):
        vecs.append(unit(rng.standard_normal(dim)))
        rows.append((f"en_chat{k}", 1000 + k * 20, "en"))
    texts = pl.DataFrame(
        {
            "text_fp": [r[0] for r in rows],
            "text_norm": [r[0] for r in rows],
            "t": [r[1] for r in rows],
            "lang": [r[2] for r in rows],
        }
    )
    v = np.vstack(vecs).astype(np.float32)
    frame, stats = narrative_clusters(texts, v, DetectParams())
    got = dict(zip(frame["text_fp"].to_list(), frame["narrative_id"].to_list(), strict=True))
    chat = [fp for fp in got if "chat" in fp]
    assert len(chat) <= 2, chat
    for p in range(2):
        assert len({got.get(f"en{p}_{k}") for k in range(8)} - {None}) == 1
    assert sum(f"xx_tp{k}" in got for k in range(8)) >= 6
    # Without the check, the xx chatter forms narratives of its own.
    off = DetectParams(narrative_min_centred_cosine=0.0)
    frame_off, _ = narrative_clusters(texts, v, off)
    assert frame_off["text_fp"].str.starts_with("xx_chat").sum() > len(chat)


def test_noise_texts_inside_a_narrative_join_it() -> None:
    """HDBSCAN noise that lies inside a narrative (as close to its centroid as its farthest
    member) joins it; a text outside that radius does not, nor a text in a poorly read
    language that is close only because of its language (fails the centred check)."""
    from cib.detect.narrative import join_noise

    rng = np.random.default_rng(5)
    dim = 32

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.linalg.norm(v)

    centre = unit(rng.standard_normal(dim))
    members = [unit(centre + 0.25 * unit(rng.standard_normal(dim))) for _ in range(6)]
    close = unit(centre + 0.12 * unit(rng.standard_normal(dim)))  # noise, inside
    edge = unit(centre + 0.6 * unit(rng.standard_normal(dim)))  # noise, > 0.75, outside
    far = unit(centre + 1.5 * unit(rng.standard_normal(dim)))  # noise, another topic
    vectors = np.vstack([*members, close, edge, far])
    c = unit(vectors[:6].mean(axis=0))
    assert float(close @ c) >= float((vectors[:6] @ c).min()) > float(edge @ c) >= 0.75
    labels = np.array([0] * 6 + [-1, -1, -1])
    found = [(0, np.arange(6))]
    plain = {"code": np.zeros(9, dtype=np.int64), "means": np.zeros((1, dim)),
             "poor": np.array([False]), "need": 0.4}  # fmt: skip
    assert join_noise(vectors, labels, found, 0.75, **plain)[0][1].tolist() == list(range(7))
    # Nothing joins when nothing is noise; the members are never changed.
    none = join_noise(vectors, np.zeros(9, dtype=np.int64), found, 0.75, **plain)
    assert none[0][1].tolist() == list(range(6))
    # A poorly read language: every text sits near the language's direction. A stray text
    # inside the radius by plain cosine points elsewhere once the language mean is taken
    # away and stays out; a text on the same talking point joins.
    rng = np.random.default_rng(5)
    lang, point = unit(rng.standard_normal(dim)), unit(rng.standard_normal(dim))
    xx = [unit(lang + 0.5 * unit(point + 1.2 * unit(rng.standard_normal(dim))))
          for _ in range(6)]  # fmt: skip
    stray = unit(lang + 0.05 * unit(rng.standard_normal(dim)))
    same = unit(lang + 0.5 * unit(point + 0.3 * unit(rng.standard_normal(dim))))
    chatter = [unit(lang + 0.5 * unit(rng.standard_normal(dim))) for _ in range(40)]
    v2 = np.vstack([*xx, stray, same, *chatter])
    c2 = unit(v2[:6].mean(axis=0))
    assert float(stray @ c2) >= float((v2[:6] @ c2).min())  # inside by plain cosine
    lab2 = np.array([0] * 6 + [-1] * 42)
    kw = {"code": np.zeros(48, dtype=np.int64), "means": v2.mean(axis=0, keepdims=True),
          "poor": np.array([True])}  # fmt: skip
    got = join_noise(v2, lab2, [(0, np.arange(6))], 0.75, need=0.4, **kw)[0][1].tolist()
    assert 7 in got and 6 not in got
    loose = join_noise(v2, lab2, [(0, np.arange(6))], 0.75, need=0.0, **kw)[0][1].tolist()
    assert 6 in loose  # without the language check the stray text would join


def test_a_marker_lifts_a_network_in_proportion_to_its_significance() -> None:
    """Five accounts on the commonest client tied at chance level take a fraction of the
    marker's lift; the same group tied far beyond chance takes all of it."""
    from cib.profile import SIGNIFICANCE_SOLID, combine, corroborating_marker

    base = {"cohesion": 0.6, "support": 0.5, "coordinated_share": 0.08, "similarity": 0.1,
            "repetition": 0.8, "synchrony": 0.5, "burstiness": 0.5, "size": 0.4,
            "client_homogeneity": 0.5}  # fmt: skip
    assert corroborating_marker({**base, "significance": 0.9}) == 0.5
    assert corroborating_marker({**base, "significance": SIGNIFICANCE_SOLID / 2}) == 0.25
    assert corroborating_marker({**base, "significance": None}) == 0.0
    chance = combine({**base, "significance": 0.2}, 5)
    firm = combine({**base, "significance": 0.9}, 5)
    unmarked = combine({**base, "significance": 0.2, "client_homogeneity": None}, 5)
    assert chance < 0.5 <= firm
    assert unmarked < chance  # still some lift, never a penalty


def _two_tactics_graph(repost_coactions: int) -> tuple[object, list[str]]:
    """One community holding a repost ring (r0-r5) and outlets writing on the same stories
    (n0-n9, narrative edges), joined by a few narrative edges."""
    import igraph as ig

    ring = [f"r{i}" for i in range(6)]
    outlets = [f"n{i}" for i in range(10)]
    names = ring + outlets
    idx = {n: i for i, n in enumerate(names)}
    edges, weights, sigs, nco = [], [], [], []
    for i in range(6):
        for j in range(i + 1, 6):
            edges.append((idx[ring[i]], idx[ring[j]]))
            weights.append(4.0)
            sigs.append(["repost", "repost_slow"])
            nco.append(repost_coactions)
    for i in range(10):
        for j in range(i + 1, 10):
            if (i + j) % 3:
                edges.append((idx[outlets[i]], idx[outlets[j]]))
                weights.append(2.0)
                sigs.append(["narrative"])
                nco.append(3)
    for a, b in (("r0", "n0"), ("r1", "n1"), ("r2", "n2")):
        edges.append((idx[a], idx[b]))
        weights.append(1.0)
        sigs.append(["narrative"])
        nco.append(2)
    g = ig.Graph(n=len(names), edges=edges, directed=False)
    g.es["weight"] = weights
    g.es["signals"] = sigs
    g.es["n_coactions"] = nco
    return g, names


def test_a_repost_ring_inside_a_narrative_community_is_its_own_network() -> None:
    from cib.detect.networks import _separate_tactics

    g, names = _two_tactics_graph(repost_coactions=12)
    one = [0] * len(names)
    out = _separate_tactics(g, one, resolution=1.0, seed=1, min_accounts=3, strong=5)
    ring = {out[i] for i, n in enumerate(names) if n.startswith("r")}
    outlets = {out[i] for i, n in enumerate(names) if n.startswith("n")}
    assert len(ring) == 1 and ring.isdisjoint(outlets)
    # A clump of weak repost ties (2 co-actions each) is not split off, and 0 switches it off.
    weak, _ = _two_tactics_graph(repost_coactions=2)
    assert _separate_tactics(weak, one, resolution=1.0, seed=1, min_accounts=3, strong=5) == one
    assert _separate_tactics(g, one, resolution=1.0, seed=1, min_accounts=3, strong=0) == one


def test_a_thin_time_scale_counts_when_its_pairs_cover_the_network() -> None:
    from cib.profile import TIMING_COVER, _timing_part

    n = 12
    pairs = [(f"a{i}", f"a{j}") for i in range(n) for j in range(i + 1, n)]

    def frame(k_fast: int) -> tuple[pl.DataFrame, pl.DataFrame]:
        # Within the hour every pair's timing is what its habits predict (z 0.3); within
        # the minute, k_fast pairs co-act beyond their habits (z 3).
        rows = [(a, b, "repost_slow", 0.3) for a, b in pairs[:40]]
        rows += [(a, b, "repost", 3.0) for a, b in pairs[:k_fast]]
        cand = pl.DataFrame(
            rows, schema=["account_a", "account_b", "signal", "timing_z"], orient="row"
        ).with_columns(
            pl.lit(1.0).alias("origin_share"),
            pl.lit(False).alias("automated"),
            pl.lit(0.1).alias("habit"),
        )
        return cand.select("account_a", "account_b", "signal"), cand

    covering = int(TIMING_COVER * n) + 1
    timing_signals = ["repost", "reply", "quote"]
    timing, _ = _timing_part(*frame(covering), n, timing_signals=timing_signals)
    assert timing == pytest.approx(1.0)
    timing, _ = _timing_part(
        *frame(8), n, timing_signals=timing_signals
    )  # 8 pairs: too thin to judge 12 accounts on
    assert timing == pytest.approx(0.1)


def test_the_timing_gate_weighs_a_network_by_its_share_of_timing_ties() -> None:
    from cib.profile import TIMING_MAJORITY, combine, timing_weight

    def edges(n_repost: int, n_url: int) -> pl.DataFrame:
        rows = [(f"a{i}", f"b{i}", "repost_slow") for i in range(n_repost)]
        rows += [(f"c{i}", f"d{i}", "url") for i in range(n_url)]
        return pl.DataFrame(rows, schema=["account_a", "account_b", "signal"], orient="row")

    signals = ["repost", "reply", "quote"]
    assert timing_weight(edges(6, 4), signals) == pytest.approx(1.0)  # 60%: in full
    assert timing_weight(edges(3, 7), signals) == pytest.approx(0.3 / TIMING_MAJORITY)
    assert timing_weight(edges(0, 5), signals) == 0.0
    # The same ties at both time scales count once.
    both = pl.concat([edges(3, 7), edges(3, 0).with_columns(pl.lit("repost").alias("signal"))])
    assert timing_weight(both, signals) == pytest.approx(0.3 / TIMING_MAJORITY)

    parts = {"cohesion": 0.6, "repetition": 1.0, "support": 1.0, "size": 0.7, "timing": 0.2}
    full = combine({**parts, "timing_weight": 1.0}, 12)
    half = combine({**parts, "timing_weight": 0.5}, 12)
    untimed = combine({**parts, "timing": None}, 12)
    assert full < half < untimed
    assert half == pytest.approx(untimed * (1 - 0.5 * 0.8), abs=1e-3)
    # A network scored before the weight existed (no timing_weight) is gated in full.
    assert combine(parts, 12) == full


def test_client_homogeneity_needs_more_than_a_handful_of_accounts() -> None:
    from cib.profile import client_homogeneity

    share = {"Twitter for iPhone": 0.4, "TweetDeck": 0.02, "Twitter Web App": 0.58}
    five = client_homogeneity(pl.Series(["Twitter for iPhone"] * 5), share)
    fifty = client_homogeneity(pl.Series(["Twitter for iPhone"] * 50), share)
    farm = client_homogeneity(pl.Series(["TweetDeck"] * 45 + ["Twitter Web App"] * 5), share)
    assert five is not None and fifty is not None and farm is not None
    assert five == pytest.approx(0.5)  # (5 + 5 * 0.4) / 10 = 0.7, excess over 0.4
    assert fifty > 0.9 and farm > 0.8
    assert client_homogeneity(pl.Series([None, None], dtype=pl.String), share) is None


def _web_with_group(group: int, seed: int = 7) -> tuple[Any, list[str]]:
    """A sparse organic web of 400 accounts (3 random ties each) and, when ``group``, a
    group of that many accounts tied to 40% of each other and by 3 edges to the web."""
    import igraph as ig

    rng = np.random.default_rng(seed)
    names = [f"w{i:03d}" for i in range(400)] + [f"g{i:02d}" for i in range(group)]
    idx = {n: i for i, n in enumerate(names)}
    pairs: set[tuple[int, int]] = set()
    for i in range(400):
        for j in rng.choice(400, size=3, replace=False):
            if int(j) != i:
                pairs.add((min(i, int(j)), max(i, int(j))))
    for i in range(group):
        for j in range(i + 1, group):
            if rng.random() < 0.4:
                pairs.add((idx[f"g{i:02d}"], idx[f"g{j:02d}"]))
    if group:
        pairs |= {(idx["w010"], idx["g00"]), (idx["w200"], idx["g01"]), (idx["w300"], idx["g02"])}
    g = ig.Graph(n=len(names), edges=sorted(pairs), directed=False)
    g.es["weight"] = [1.0] * g.ecount()
    g.es["signals"] = [["narrative"]] * g.ecount()
    g.es["n_coactions"] = [2] * g.ecount()
    return g, names


def test_a_group_tied_mostly_to_itself_is_split_off_a_large_community() -> None:
    from cib.detect.networks import BOUNDED_MIN, _separate_tactics

    g, names = _web_with_group(19)
    one = [0] * len(names)
    assert len(names) >= BOUNDED_MIN
    out = _separate_tactics(g, one, resolution=1.0, seed=1, min_accounts=3, strong=5)
    group = {out[i] for i, n in enumerate(names) if n.startswith("g")}
    assert len(group) == 1 and group != {0}
    assert sum(c == next(iter(group)) for c in out) == 19
    # A web with no such group keeps its community: Leiden's pieces of a random web are tied
    # to the rest of it.
    web, names = _web_with_group(0)
    assert _separate_tactics(
        web, [0] * len(names), resolution=1.0, seed=1, min_accounts=3, strong=5
    ) == [0] * len(names)


def test_a_groups_shared_habit_counts_where_it_is_the_whole_crowd() -> None:
    """43 accounts that retweet each other's posts, and nobody else does (crowd share 1),
    with 80% of their posts in the group's co-actions: each pair's habit strength is small
    (a pair shares a sliver of each member's activity), the group's is not. Fans of a
    famous account with the same habit stay unexplained by it."""
    from cib.profile import _corroborated_timing

    group = {"crowd_share": 1.0, "target_fame": None, "coordinated_share": 0.8}
    assert _corroborated_timing(group, 0.0, 0.11) == 1.0
    assert _corroborated_timing({**group, "coordinated_share": 0.1}, 0.0, 0.11) == 0.2
    fans = {**group, "target_fame": 1.0}
    assert _corroborated_timing(fans, 0.0, 0.11) == 0.0
    # A sliver of the crowd: not corroborated either.
    assert _corroborated_timing({**group, "crowd_share": 0.3}, 0.0, 0.11) == 0.0


def test_a_self_contained_team_is_found_inside_a_larger_piece() -> None:
    """Modularity's resolution limit at every scale: a 15-account team tied almost only to
    itself sits in a 120-account piece that is itself tied mostly outwards; the piece is no
    group, the team inside it is."""
    import igraph as ig

    from cib.detect.networks import _bounded, _conductance

    rng = np.random.default_rng(0)
    team = list(range(15))
    loose = list(range(15, 120))
    rest = list(range(120, 620))
    edges = [(a, b) for i, a in enumerate(team) for b in team[i + 1 :]]
    weights = [3.0] * len(edges)
    for a in team:  # two weak ties out each
        for b in rng.choice(loose, 2, replace=False):
            edges.append((a, int(b)))
            weights.append(1.0)
    for a in loose:  # sparse inside the piece, mostly tied to the rest of the community
        for b in rng.choice(loose, 2, replace=False):
            if int(b) != a:
                edges.append((a, int(b)))
                weights.append(1.0)
        for b in rng.choice(rest, 6, replace=False):
            edges.append((a, int(b)))
            weights.append(1.0)
    for a in rest:
        for b in rng.choice(rest, 3, replace=False):
            if int(b) != a:
                edges.append((a, int(b)))
                weights.append(1.0)
    g = ig.Graph(n=620, edges=edges)
    g.es["weight"] = weights
    piece = team + loose
    assert _conductance(g, piece, edges, weights) > 0.2
    assert _conductance(g, team, edges, weights) < 0.1
    found = _bounded(g, piece, 620, edges, weights, (1.0, 42, 3))
    assert sorted(team) in [sorted(x) for x in found]
    assert all(len(x) <= 60 for x in found)


def test_build_report_release_keeps_the_report_and_the_evidence() -> None:
    """``release`` hands the report's in-network co-actions back as ``det.coactions`` and its
    in-network candidate edges as ``det.edges``: the report (its demotions too) and
    evidence.parquet's rows are those of a run without it."""
    import copy

    from cib.assemble import build_report
    from cib.config import ScanConfig
    from cib.detect import detect
    from cib.detect.networks import within_networks
    from cib.report.evidence import evidence_frame

    cfg = ScanConfig.from_dict({"detect": {"signals": ["repost"]}})
    posts = _repost_ring(False)
    det = detect(posts, params=cfg.detect, network=cfg.network)
    kept = copy.copy(det)
    plain = build_report(posts, det, config=cfg, run={})
    before = evidence_frame(det.coactions, det.membership)
    released = build_report(posts, kept, config=cfg, run={}, release=True)
    assert plain.to_dict()["networks"] == released.to_dict()["networks"]
    assert plain.to_dict()["run"]["demoted"] == released.to_dict()["run"]["demoted"]
    assert kept.coactions.height == before.height > 0
    assert "network_id" in kept.coactions.columns
    net_of = det.membership.select("account_id", "network_id")
    inside = within_networks(det.edges, net_of, by_network=True)
    assert inside.height > 0 and kept.edges.equals(inside)
    assert evidence_frame(kept.coactions, kept.membership).equals(before)


def test_a_reply_swarms_devotion_corroborates_its_habit() -> None:
    """Six accounts that answer the same journalists (famous: fame 0.8) within minutes and do
    little else (90% of their posts are the swarm's replies), a small part of each post's
    repliers: no crowd share, no marker, but devotion corroborates the shared habit. Organic
    repliers to the same journalists, who reply now and then among other things, do not
    gain; nor does a repost group with the same numbers (fans of a star)."""
    from cib.profile import _corroborated_timing

    swarm = {"crowd_share": 0.4, "target_fame": 0.8, "coordinated_share": 0.9}
    assert _corroborated_timing(swarm, 0.0, 0.11, reply_led=True) == pytest.approx(0.6)
    assert _corroborated_timing(swarm, 0.0, 0.11, reply_led=False) == 0.0
    organic = {**swarm, "coordinated_share": 0.2}
    assert _corroborated_timing(organic, 0.0, 0.11, reply_led=True) == 0.0
    # The timing null's own verdict still counts when it is higher.
    assert _corroborated_timing(organic, 0.9, 0.11, reply_led=True) == 0.9


def test_first_responders_lead_the_crowd_and_that_corroborates_their_habit() -> None:
    """Five accounts that reply to the same posts within 30 s, while the other repliers take
    20 minutes: ``object_crowds`` gives each post the two median delays, the lead is full
    and corroborates the shared habit of a group on obscure targets, not of a star's fans
    (fame 1). A group that leads by seconds only (all within a minute) has no lead."""
    from cib.detect import object_crowds
    from cib.profile import _corroborated_timing, _lead, _network_crowds

    rows = []
    for k in range(4):
        t0 = 10_000 * k
        rows += [(f"o{k}", f"m{i}", t0 + 10 + 5 * i) for i in range(5)]
        rows += [(f"o{k}", f"x{k}{j}", t0 + 1_200 + 60 * j) for j in range(4)]
    ev = _events(rows, signal="reply").with_columns(
        (pl.col("object_id").str.slice(1).cast(pl.Int64) * 10_000).alias("t_origin")
    )
    co = pl.DataFrame(
        {
            "signal": ["reply", "reply_slow"] * 2,
            "object_id": ["o0", "o1", "o2", "o3"],
            "account_a": ["m0"] * 4,
            "account_b": ["m1"] * 4,
        }
    )
    members = pl.DataFrame({"account_id": [f"m{i}" for i in range(5)]})
    crowds = object_crowds(ev, co, members)
    assert crowds.sort("object_id")["d_tied"].to_list() == [20.0] * 4
    assert crowds["d_free"].to_list() == [1_290.0] * 4
    assert crowds["n_tied"].to_list() == [5] * 4
    assert _lead(_network_crowds(co, crowds, timing_signals=("reply",))) == 1.0
    # Every delay within the floor: leading by seconds says nothing.
    quick = crowds.with_columns(pl.lit(50.0).alias("d_free"))
    assert _lead(_network_crowds(co, quick, timing_signals=("reply",))) == 0.0
    # Not a timing signal: no lead to judge.
    assert _lead(_network_crowds(co, crowds, timing_signals=("repost",))) is None

    obscure = {"crowd_share": 0.3, "target_fame": 0.0, "coordinated_share": 0.3, "lead": 1.0}
    assert _corroborated_timing(obscure, 0.0, 0.8) == pytest.approx(0.8)
    fans = {**obscure, "target_fame": 1.0}
    assert _corroborated_timing(fans, 0.0, 0.8) == 0.0
    # Partial corroborations add up as independent evidence (a noisy-or): a crowd share of
    # 0.675 (half way) and half a lead give 1 - 0.5 * 0.5.
    partial = {**obscure, "crowd_share": 0.675, "lead": 0.5}
    assert _corroborated_timing(partial, 0.0, 1.0) == pytest.approx(0.75)


def test_the_why_says_when_a_network_leads_its_crowd() -> None:
    """A network whose members react ten times sooner than the rest of the crowd says so in
    its one-line explanation; one without a lead does not."""
    from cib.assemble import _why

    members = pl.DataFrame({"account_id": ["a", "b", "c"], "client": [None, None, None]})
    co = pl.DataFrame(
        {"signal": ["reply"] * 2, "object_id": ["o1", "o2"], "t_a": [0, 100], "t_b": [10, 130]}
    )
    edges = pl.DataFrame()
    led = _why(members, {"reply": 2}, edges, co, {"lead": 1.0}, [])
    assert "at least 10x sooner than the other accounts" in led
    half = _why(members, {"reply": 2}, edges, co, {"lead": 0.5}, [])
    assert "at least 6x sooner" in half
    assert "sooner" not in _why(members, {"reply": 2}, edges, co, {"lead": 0.2}, [])


def test_a_team_that_peeling_drops_is_its_own_network() -> None:
    """The resolution limit at a small scale (the `alt` simulator's 8-account link team,
    conductance 0.095): Leiden put the team in one community with a dense 19-account clump;
    peeling (ties to a quarter of the community) drops all eight. The dropped team is tied
    mostly to itself, so it becomes its own community; a hanger-on dropped alone does not."""
    import igraph as ig

    from cib.detect.networks import NOISE, _prune

    team, clump = list(range(8)), list(range(8, 27))
    edges = [(a, (a + 1) % 8) for a in team] + [(a, a + 4) for a in range(4)]  # degree 3
    weights = [2.2] * len(edges)
    edges += [(a, b) for i, a in enumerate(clump) for b in clump[i + 1 :]]
    weights += [1.0] * (len(edges) - len(weights))
    edges += [(0, 8), (5, 20), (27, 9)]  # two weak ties out, and a hanger-on (27)
    weights += [0.5, 0.5, 1.0]
    g = ig.Graph(n=28, edges=edges)
    g.es["weight"] = weights
    g.es["n_coactions"] = [2] * g.ecount()
    net = NetworkParams()
    out = _prune(
        g,
        [0] * 28,
        min_share=net.min_tie_share,
        max_ties=net.max_tie_count,
        strong=5,
        min_accounts=net.min_accounts,
    )
    assert len({out[v] for v in team}) == 1 and out[0] not in (0, NOISE)
    assert {out[v] for v in clump} == {0}
    assert out[27] == NOISE


def _headline_events() -> pl.DataFrame:
    """Events of one narrative ``n1``: an outlet and two aggregators post one headline with
    its link (posts h1-h3, one near-duplicate cluster ``c1``); two accounts write their own
    words on the same link (p1, p2: no cluster, texts of their own); one writes its own words
    with its own link (p3)."""
    rows = []
    for pid, acc, cluster, url in [
        ("h1", "outlet", "c1", "u1"),
        ("h2", "agg1", "c1", "u1"),
        ("h3", "agg2", "c1", "u1"),
        ("p1", "team1", None, "u1"),
        ("p2", "team2", None, "u1"),
        ("p3", "troll", None, "u9"),
    ]:
        rows.append(("narrative", "n1", acc, pid))
        rows.append(("url", url, acc, pid))
        rows.append(("text", f"fp_{pid}", acc, pid))
        if cluster:
            rows.append(("semantic", cluster, acc, pid))
    return pl.DataFrame([(s, o, a, p, 0, None) for s, o, a, p in rows], schema=EVENTS, orient="row")


def test_a_shared_headline_with_its_link_is_not_a_narrative_too() -> None:
    """One act is judged once: a narrative post that another account's post in the same
    narrative repeats (same link, same near-duplicate cluster) leaves the narrative's events
    (the url and semantic signals judge it); own words keep their narrative, with a shared
    link or their own. The url, text and semantic events are all kept."""
    from cib.detect.signals import links_apart

    ev = _headline_events()
    out = links_apart(ev)
    narr = set(out.filter(pl.col("signal") == "narrative")["post_id"].to_list())
    assert narr == {"p1", "p2", "p3"}
    assert out.filter(pl.col("signal") != "narrative").equals(
        ev.filter(pl.col("signal") != "narrative")
    )
    # Two accounts posting the same own-words text with the same link repeat each other too.
    twin = ev.with_columns(
        pl.when((pl.col("signal") == "text") & pl.col("post_id").is_in(["p1", "p2"]))
        .then(pl.lit("fp_same"))
        .otherwise(pl.col("object_id"))
        .alias("object_id")
    )
    narr = set(links_apart(twin).filter(pl.col("signal") == "narrative")["post_id"].to_list())
    assert narr == {"p3"}
    # Without url events there is nothing to repeat.
    assert links_apart(ev.filter(pl.col("signal") != "url")).height == ev.height - 6


def test_noise_paraphrases_join_the_burst_they_were_posted_in() -> None:
    """HDBSCAN noise joins a narrative that is one burst (all its texts within
    narrative_burst_s) when it was posted inside that burst and is close enough to its
    centroid; the same text posted later, a text on another subject in the burst, and a
    text near a narrative spread over hours join nothing."""
    from cib.detect.narrative import join_bursts

    rng = np.random.default_rng(3)
    dim = 32

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.linalg.norm(v, axis=-1, keepdims=True)

    point, story = unit(rng.normal(size=dim)), unit(rng.normal(size=dim))

    def near(centre: np.ndarray, cos: float) -> np.ndarray:
        noise = rng.normal(size=dim)
        noise -= (noise @ centre) * centre
        return unit(cos * centre + np.sqrt(1 - cos**2) * unit(noise))

    vecs = [near(point, 0.9) for _ in range(5)] + [near(story, 0.9) for _ in range(5)]
    t = [1000 + 10 * i for i in range(5)] + [1000 + 3000 * i for i in range(5)]
    labels = [0] * 5 + [1] * 5
    # Noise: a paraphrase in the burst, the same later, another subject in the burst, a
    # text close to the story inside its (hours-long) span.
    vecs += [near(point, 0.7), near(point, 0.7), unit(rng.normal(size=dim)), near(story, 0.8)]
    t += [1020, 9000, 1030, 4000]
    labels += [-1, -1, -1, -1]
    # A paraphrase a few minutes after the clustered ones: with it the burst still lasts at
    # most burst_s; one more than burst_s after the burst's start does not join.
    vecs += [near(point, 0.7), near(point, 0.7)]
    t += [1500, 1000 + 601]
    labels += [-1, -1]
    v = np.vstack(vecs)
    found = [(0, np.arange(5)), (1, np.arange(5, 10))]
    out = join_bursts(
        v,
        np.array(labels),
        found,
        np.array(t),
        burst_s=600,
        min_cosine=0.6,
        code=np.zeros(len(labels), dtype=np.int64),
        means=np.zeros((1, dim)),
        poor=np.zeros(1, dtype=bool),
        need=0.4,
    )
    assert out[0][1].tolist() == [0, 1, 2, 3, 4, 10, 14]
    assert out[1][1].tolist() == [5, 6, 7, 8, 9]


def test_phrasings_of_one_burst_story_are_one_narrative() -> None:
    """Two bursts of one story at the same time (close centroids, overlapping times) are
    merged into one narrative; the same story a day later, another story at the same time
    and an hours-long topic overlapping the story stay apart."""
    from cib.detect.narrative import merge_overlapping

    rng = np.random.default_rng(5)
    dim = 32

    def unit(v: np.ndarray) -> np.ndarray:
        return v / np.linalg.norm(v, axis=-1, keepdims=True)

    story, other = unit(rng.normal(size=dim)), unit(rng.normal(size=dim))
    groups = [
        (story, [1000, 1200, 1500]),  # 0: the story
        (story, [1300, 1900, 2400]),  # 1: another phrasing, overlapping: merged with 0
        (story, [90000, 90100, 90300]),  # 2: the story a day later
        (other, [1100, 1400, 1600]),  # 3: another story at the same time
        (story, [500, 9000, 20000]),  # 4: a topic spread over hours
    ]
    vecs, t, found, k = [], [], [], 0
    for label, (centre, times) in enumerate(groups):
        rows = []
        for x in times:
            vecs.append(unit(centre + 0.3 * rng.normal(size=dim) / np.sqrt(dim)))
            t.append(x)
            rows.append(k)
            k += 1
        found.append((label, np.array(rows)))
    out = merge_overlapping(
        found,
        np.vstack(vecs),
        np.array(t),
        0.75,
        burst_s=3600,
        code=np.zeros(k, dtype=np.int64),
        means=np.zeros((1, dim)),
        poor=np.zeros(1, dtype=bool),
    )
    assert [(label, rows.tolist()) for label, rows in out] == [
        (0, [0, 1, 2, 3, 4, 5]),
        (2, [6, 7, 8]),
        (3, [9, 10, 11]),
        (4, [12, 13, 14]),
    ]
