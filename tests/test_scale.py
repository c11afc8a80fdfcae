"""The pieces that keep large scans fast and bounded (issue 6): each one must give the same
answer as the straightforward computation it replaces."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cib.config import ScanConfig
from cib.detect.pairs import MAX_SHARED, account_codes, shared_objects
from cib.detect.semantic import (
    COARSE_BITS,
    FINE_BITS,
    near_duplicate_clusters,
    sketch_radius,
)
from cib.ingest import read_file, read_file_chunks
from cib.pipeline import ingest_paths
from cib.profile import Baseline
from cib.store import open_store

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


# ------------------------------------------------------------------ timing null (steps 4-5)


def _shared_relational(cand: pl.DataFrame, acts: pl.DataFrame, window_s: int) -> pl.DataFrame:
    """Steps 4-5 as the relational plan states them (joins and a cross join)."""
    inc = acts.select(
        pl.col("account_id").alias("acc"),
        pl.col("object_id").alias("obj"),
        pl.col("delay").alias("d"),
        "t",
        "has_origin",
    )
    sh = cand.join(inc.rename({"acc": "a", "d": "d_a"}), on="a").join(
        inc.select(pl.col("acc").alias("b"), "obj", pl.col("d").alias("d_b")), on=["b", "obj"]
    )
    counts = sh.group_by(["a", "b"]).agg(
        pl.len().alias("shared"), pl.col("has_origin").mean().alias("origin_share")
    )
    recent = (
        sh.sort(["t", "obj"], descending=True)
        .group_by(["a", "b"], maintain_order=True)
        .head(MAX_SHARED)
        .with_columns(pl.int_range(pl.len()).over(["a", "b"]).alias("k"))
    )
    cross = (
        recent.select("a", "b", "k", "d_a")
        .join(recent.select("a", "b", pl.col("k").alias("k2"), "d_b"), on=["a", "b"])
        .filter(pl.col("k") != pl.col("k2"))
    )
    q = cross.group_by(["a", "b"]).agg(
        ((pl.col("d_a") - pl.col("d_b")).abs() <= window_s).mean().alias("q")
    )
    return counts.join(q, on=["a", "b"], how="left").with_columns(pl.col("q").fill_null(1.0))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 90), st.integers(0, 5000), st.booleans()),
        min_size=2,
        max_size=300,
    ),
    st.sampled_from([0, 1, 60, 600]),
)
def test_shared_objects_equal_the_relational_plan(
    rows: list[tuple[int, int, int, bool]], window_s: int
) -> None:
    _check_shared_objects(rows, window_s)


def _check_shared_objects(rows: list[tuple[int, int, int, bool]], window_s: int) -> None:
    acts = (
        pl.DataFrame(
            {
                "account_id": [f"acc{r[0]}" for r in rows],
                "object_id": [f"o{r[1]:03d}" for r in rows],
                "t": [r[2] for r in rows],
                "has_origin": [r[3] for r in rows],
            }
        )
        .unique(["object_id", "account_id"], keep="first", maintain_order=True)
        .with_columns((pl.col("t") - pl.col("t").min().over("object_id")).alias("delay"))
        .sort(["object_id", "t", "account_id"])
    )
    accounts, names = account_codes(acts)
    codes = pl.DataFrame({"account_id": names, "code": range(names.len())})
    pairs = [(i, j) for i in range(names.len()) for j in range(i + 1, names.len())]
    if not pairs:
        return
    cand = pl.DataFrame(
        {"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]},
        schema={"a": pl.Int32, "b": pl.Int32},
    )
    got = shared_objects(cand, acts, window_s=window_s, accounts=accounts)
    named = acts.join(codes, on="account_id").with_columns(pl.col("code").alias("account_id"))
    want = _shared_relational(cand.cast(pl.Int64), named, window_s)
    both = want.join(got.cast({"a": pl.Int64, "b": pl.Int64}), on=["a", "b"], how="full")
    assert both.height == want.height == got.height
    assert (both["shared"] == both["shared_right"]).all()
    assert np.allclose(both["origin_share"], both["origin_share_right"])
    assert np.allclose(both["q"], both["q_right"])


# ------------------------------------------------------------------ semantic LSH


def _unit(v: np.ndarray) -> np.ndarray:
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _near(rng: np.random.Generator, base: np.ndarray, cos: float) -> np.ndarray:
    """A unit vector at exactly cosine ``cos`` from the unit vector ``base``."""
    noise = rng.standard_normal(base.size)
    noise -= noise @ base * base
    noise /= np.linalg.norm(noise)
    return (cos * base + np.sqrt(1 - cos**2) * noise).astype(np.float32)


def test_sketch_radius_keeps_pairs_at_the_threshold() -> None:
    """Pairs exactly at the threshold cosine pass both sketches nearly always."""
    from cib.detect.semantic import _sketch

    rng = np.random.default_rng(3)
    base = _unit(rng.standard_normal((4000, 64)))
    other = np.stack([_near(rng, b, 0.85) for b in base])
    for nbits in (COARSE_BITS, FINE_BITS):
        sk = _sketch(np.vstack([base, other]), np.random.default_rng(9), nbits)
        ham = np.bitwise_count(sk[:4000] ^ sk[4000:]).sum(axis=1)
        assert (ham <= sketch_radius(0.85, nbits)).mean() > 0.999


def test_one_dominant_family_still_clusters() -> None:
    """A dump that is mostly one operation's paraphrases (the mean vector is theirs)."""
    rng = np.random.default_rng(5)
    centre = _unit(rng.standard_normal((1, 256)))[0]
    family = np.stack([_near(rng, centre, 0.96) for _ in range(200)])
    others = _unit(rng.standard_normal((20, 256)))
    vec = np.vstack([family, others])
    texts = pl.DataFrame(
        {"text_fp": [f"fp{i:04d}" for i in range(vec.shape[0])], "t": [0] * vec.shape[0]}
    )
    clusters, stats = near_duplicate_clusters(texts, vec, threshold=0.85, bucket_s=86_400)
    got = dict(zip(clusters["text_fp"], clusters["cluster_id"], strict=True))
    fam = {got.get(f"fp{i:04d}") for i in range(200)}
    assert None not in fam and len(fam) == 1
    assert not any(f"fp{i:04d}" in got for i in range(200, 220))
    assert stats["similar_pairs"] == 199  # a spanning tree of the family


def test_near_duplicate_clusters_do_not_depend_on_threads() -> None:
    """Threads run the LSH bands on forests of their own, merged at the end: the same
    clusters and the same spanning-forest count at 1, 2 and 5 threads."""
    rng = np.random.default_rng(11)
    centres = _unit(rng.standard_normal((6, 256)))
    fams = [np.stack([_near(rng, c, 0.95) for _ in range(40)]) for c in centres]
    vec = np.vstack([*fams, _unit(rng.standard_normal((300, 256)))])
    n = vec.shape[0]
    texts = pl.DataFrame(
        {"text_fp": [f"fp{i:04d}" for i in range(n)], "t": [i * 97 for i in range(n)]}
    )
    runs = [
        near_duplicate_clusters(texts, vec, threshold=0.85, bucket_s=86_400, threads=k)
        for k in (1, 2, 5)
    ]
    assert runs[0][0].height >= 200  # the families cluster
    for clusters, stats in runs[1:]:
        assert clusters.sort("text_fp").equals(runs[0][0].sort("text_fp"))
        assert stats["similar_pairs"] == runs[0][1]["similar_pairs"]
        assert stats["clusters"] == runs[0][1]["clusters"]


def test_texts_farther_apart_than_the_window_are_not_compared() -> None:
    rng = np.random.default_rng(1)
    a = _unit(rng.standard_normal((1, 256)))[0]
    vec = np.stack([a, _near(rng, a, 0.99)])
    far = pl.DataFrame({"text_fp": ["x", "y"], "t": [0, 3 * 86_400]})
    near = pl.DataFrame({"text_fp": ["x", "y"], "t": [0, 3_600]})
    assert near_duplicate_clusters(far, vec, threshold=0.85, bucket_s=86_400)[0].height == 0
    assert near_duplicate_clusters(near, vec, threshold=0.85, bucket_s=86_400)[0].height == 2


# ------------------------------------------------------------------ chunked ingest


def _big_parquet(tmp_path: Path) -> Path:
    df = pl.read_parquet(SAMPLE / "formats" / "canonical.parquet")
    big = pl.concat([df] * 500).with_row_index("i")
    big = big.with_columns(
        (pl.col("post_id").cast(pl.String) + "_" + pl.col("i").cast(pl.String)).alias("post_id")
    ).drop("i")
    # One bad row deep in the file: no account id.
    big = big.with_columns(
        pl.when(pl.int_range(pl.len()) == big.height - 3)
        .then(None)
        .otherwise(pl.col("account_id"))
        .alias("account_id")
    )
    path = tmp_path / "big.parquet"
    pq.write_table(big.to_arrow(), path, row_group_size=700)
    return path


def test_chunked_parquet_reads_like_one_piece(tmp_path: Path) -> None:
    path = _big_parquet(tmp_path)
    whole = read_file(path)
    pieces = list(read_file_chunks(path, chunk_rows=1_000))
    assert len(pieces) > 1
    posts = pl.concat([p.posts for p in pieces])
    quarantine = pl.concat([p.quarantine for p in pieces])
    assert posts.equals(whole.posts)
    assert quarantine.equals(whole.quarantine)
    assert quarantine["line"].to_list() == whole.quarantine["line"].to_list() != []
    assert sum(p.rows_seen for p in pieces) == whole.rows_seen
    assert {p.sha256 for p in pieces} == {whole.sha256}


def test_chunked_ingest_counts_one_file_once(tmp_path: Path) -> None:
    path = _big_parquet(tmp_path)
    cfg = ScanConfig.from_dict({"ingest": {"chunk_rows": 1_000}})
    with open_store(tmp_path / "s.duckdb") as store:
        (c,) = ingest_paths(store, [str(path)], config=cfg)
        assert c.quarantined == 1
        assert c.ingested + c.duplicates + c.quarantined == c.rows_seen
        assert store.counts()["posts"] == c.ingested
        assert store.ingests().height == 1  # one ingest row for the whole file
        (again,) = ingest_paths(store, [str(path)], config=cfg)
        assert again.ingested == 0 and again.duplicates == c.ingested


# ------------------------------------------------------------------ report inputs from the store


@pytest.fixture(scope="module")
def sim_store(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("sim") / "s.duckdb"
    with open_store(path) as store:
        ingest_paths(store, [str(SAMPLE / "sim" / "posts.parquet")], config=ScanConfig())
    store = open_store(path, read_only=True)
    yield store
    store.close()


def test_baseline_from_the_store_equals_baseline_from_all_posts(sim_store) -> None:
    a = Baseline(sim_store.posts())
    b = Baseline.from_aggregates(**sim_store.baseline_aggregates())
    assert a.n_accounts == b.n_accounts
    assert a.night_share == pytest.approx(b.night_share)
    assert sorted(a.created_days.tolist()) == sorted(b.created_days.tolist())
    assert a.client_share.keys() == b.client_share.keys()
    for k, v in a.client_share.items():
        assert b.client_share[k] == pytest.approx(v)


def test_report_posts_are_members_and_what_they_act_on(sim_store) -> None:
    posts = sim_store.posts()
    members = posts.filter(pl.col("repost_of").is_not_null())["account_id"].unique().head(5)
    got = sim_store.report_posts(members.to_list())
    mine = posts.filter(pl.col("account_id").is_in(members.to_list()))
    refs = pl.concat([mine["repost_of"], mine["reply_to"], mine["quote_of"]]).drop_nulls()
    want = pl.concat(
        [
            mine,
            posts.filter(
                pl.col("post_id").is_in(refs.to_list())
                & ~pl.col("account_id").is_in(members.to_list())
            ),
        ]
    )
    assert sorted(got["post_id"].to_list()) == sorted(want["post_id"].to_list())
    assert got.schema == posts.schema


def test_lean_reads_restore_the_memory_limit_and_fall_back_on_oom(tmp_path: Path) -> None:
    """A lean read runs under LEAN_READ_LIMIT_MB and puts the store's cap back after; a query
    that runs out of memory under it runs again under the store's own cap."""
    import duckdb

    from cib.store._base import LEAN_READ_LIMIT_MB

    with open_store(tmp_path / "s.duckdb") as store:
        store.set_memory_limit(512)
        cap = store._one("SELECT current_setting('memory_limit')")[0]
        seen: list[str] = []
        real = store._pl

        def flaky(sql: str, params: list | None = None) -> pl.DataFrame:
            seen.append(store._one("SELECT current_setting('memory_limit')")[0])
            if len(seen) == 1:
                raise duckdb.OutOfMemoryException("fake: out of memory")
            return real(sql, params)

        store._pl = flaky  # type: ignore[method-assign]
        got = store._pl_lean("SELECT 42 AS x")
        assert got["x"].to_list() == [42]
        store._x(f"SET memory_limit = '{LEAN_READ_LIMIT_MB}MB'")
        lean = store._one("SELECT current_setting('memory_limit')")[0]
        store.set_memory_limit(512)
        assert seen == [lean, cap] and lean != cap
        assert store._one("SELECT current_setting('memory_limit')")[0] == cap


def test_account_features_match_a_full_scan(sim_store) -> None:
    accounts = sim_store.posts(["account_id"])["account_id"].unique().sort().head(30).to_list()
    pairs, counts, n = sim_store.account_features(25, accounts)
    assert set(pairs["account_id"].unique().to_list()) <= set(accounts)
    every, _, _ = sim_store.account_features(
        25, sim_store.posts(["account_id"])["account_id"].unique().to_list()
    )
    assert n == every["account_id"].n_unique()
    want = every.filter(pl.col("feature").is_in(pairs["feature"].unique().to_list()))
    want = want.group_by("feature").agg(pl.len().alias("accounts"))
    both = want.join(counts, on="feature")
    assert both.height == counts.height == want.height
    assert (both["accounts"] == both["accounts_right"]).all()


def test_shared_objects_cap_to_the_most_recent() -> None:
    """Pairs sharing more than MAX_SHARED objects: q uses the most recent ones only."""
    rng = np.random.default_rng(2)
    rows = [(acc, o, int(rng.integers(0, 9000)), bool(o % 3)) for acc in (0, 1) for o in range(70)]
    _check_shared_objects(rows, 60)


def test_semantic_texts_from_the_store_equal_the_frame_version(sim_store) -> None:
    from cib.config import DetectParams
    from cib.detect import semantic_texts

    p = DetectParams()
    want = semantic_texts(sim_store.posts(), p)
    got = sim_store.semantic_texts(p.min_text_chars)
    assert got.height > 100
    assert got.equals(want.select(got.columns).cast(got.schema))
    # Replies lead with @-mentions, which do not count as content on either side.
    assert got["text_norm"].str.starts_with("@").sum() > 0
