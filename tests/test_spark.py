"""The Spark engine gives the default engine's results (issue 7).

One local[2] session is shared by the module (4 shuffle partitions, no UI, 2 GB driver).
Skipped only when pyspark cannot be imported.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
import pytest

from cib.config import DetectParams, EngineParams, NetworkParams  # noqa: E402
from cib.detect import Detection, detect, semantic_texts  # noqa: E402
from cib.embed import HashEmbedder  # noqa: E402
from cib.ingest import read_file  # noqa: E402
from cib.schemas import EVENTS  # noqa: E402
from cib.spark import DriverLimitError, detect_spark, get_session  # noqa: E402

pytestmark = pytest.mark.spark

DATA = Path(__file__).parents[1] / "sample_data"
PAIR = ["signal", "account_a", "account_b"]
LIMIT = EngineParams().max_driver_edges


@pytest.fixture(scope="module")
def spark():  # type: ignore[no-untyped-def]
    session = get_session(
        "local[2]",
        conf={
            "spark.sql.shuffle.partitions": "4",
            "spark.ui.enabled": "false",
            "spark.driver.memory": "2g",
        },
    )
    yield session
    session.stop()


def _networks(det: Detection) -> set[frozenset[str]]:
    return {frozenset(g["account_id"].to_list()) for g in det.membership.partition_by("network_id")}


def _assert_same(d0: Detection, d1: Detection) -> None:
    """Same candidate pairs, counts, weights (1e-9 relative), kept flags and networks."""
    assert d0.edges.columns == d1.edges.columns
    assert d0.edges.schema == d1.edges.schema
    assert d0.coactions.schema == d1.coactions.schema
    assert d0.edges.height == d1.edges.height
    e = d0.edges.join(d1.edges, on=PAIR, how="full", suffix="_s", coalesce=True)
    assert e.height == d0.edges.height, "candidate pairs differ"
    assert (e["n_coactions"] == e["n_coactions_s"]).all()
    assert (e["kept"] == e["kept_s"]).all()
    assert (e["shared"] == e["shared_s"]).all()
    assert (e["verdict"] == e["verdict_s"]).all()
    assert (e["automated"] == e["automated_s"]).all()
    cols = ("weight", "q", "median_gap_s", "expected", "z", "timing_z", "lift")
    for col in (*cols, "consistency", "overlap", "habit", "origin_share"):
        a, b = e[col].to_numpy(), e[f"{col}_s"].to_numpy()
        assert ((abs(a - b)) <= 1e-9 * abs(a).clip(1e-12)).all(), col
    assert _networks(d0) == _networks(d1)
    key = [*PAIR, "object_id"]
    assert d0.coactions.sort(key).select(key).equals(d1.coactions.sort(key).select(key))
    assert d0.events.height == d1.events.height
    # The whole stats record, not only the per-signal counts (the clock resolution once
    # drifted between engines); only the engine's own block differs.
    c0, c1 = (
        d.crowds.sort("signal", "object_id") if d.crowds is not None else None for d in (d0, d1)
    )
    assert c0 is not None and c1 is not None and c0.equals(c1)
    s0 = {k: v for k, v in d0.stats.items() if k != "engine"}
    s1 = {k: v for k, v in d1.stats.items() if k != "engine"}
    assert s0 == s1


def _both_engines(posts: pl.DataFrame, spark: object) -> tuple[Detection, Detection]:
    """Default-parameter detection of ``posts`` on the local engine and on Spark (texts
    embedded once, by the hash embedder)."""
    params, net = DetectParams(), NetworkParams()
    texts = semantic_texts(posts, params)
    vectors = HashEmbedder().encode(texts["text_norm"].to_list())
    d0 = detect(posts, params=params, network=net, vectors=vectors, texts=texts)
    d1 = detect_spark(
        posts,
        params=params,
        network=net,
        vectors=vectors,
        texts=texts,
        spark=spark,
        max_driver_edges=LIMIT,
    )
    return d0, d1


def test_same_networks_as_default_engine_on_sim(spark) -> None:  # type: ignore[no-untyped-def]
    # Every signal; semantic through the hash embedder.
    d0, d1 = _both_engines(read_file(DATA / "sim" / "posts.parquet").posts, spark)
    assert d0.membership.height > 0, "the sample should hold networks"
    _assert_same(d0, d1)
    assert d1.stats["engine"]["name"] == "spark"


def test_same_results_with_media_on_both_engines(spark) -> None:  # type: ignore[no-untyped-def]
    """The media signal (hex keys in two cases, a CDN URL with per-member queries) and link
    and image rings across platforms (sample_data/formats/co_media.jsonl)."""
    # Every signal, media included.
    d0, d1 = _both_engines(read_file(DATA / "formats" / "co_media.jsonl").posts, spark)
    assert d0.stats["signals"]["media"]["kept_edges"] >= 6, "the image ring should be found"
    assert (
        d0.events.filter(pl.col("signal") == "media")["object_id"].str.contains("[?A-F]").sum() == 0
    )
    _assert_same(d0, d1)


def _pairs(det: Detection) -> dict[tuple[str, str], int]:
    return {
        (a, b): int(n)
        for a, b, n in det.edges.select("account_a", "account_b", "n_coactions").iter_rows()
    }


def test_boundary_window_rule_from_parquet_path(spark, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    posts = read_file(DATA / "boundary" / "posts.csv").posts
    path = tmp_path / "posts.parquet"
    posts.write_parquet(path)
    params = DetectParams(
        signals=["repost"],
        window_s=60,
        min_coactions=1,
        min_z=-1000.0,
        min_timing_z=-1000.0,
        timing_slow_window_s=0,
    )
    net = NetworkParams()
    d1 = detect_spark(str(path), params=params, network=net, spark=spark, max_driver_edges=LIMIT)
    # Expected counts are derived row by row in sample_data/boundary/README.md.
    assert _pairs(d1) == {
        ("A", "B"): 3,
        ("A", "C"): 2,
        ("B", "C"): 3,
        ("B", "D"): 1,
        ("C", "D"): 1,
        ("D", "E"): 2,
        ("F", "G"): 1,
    }
    assert d1.stats["posts"] == 20
    _assert_same(detect(posts, params=params, network=net), d1)
    # max_neighbors = 1: each action pairs only with the next one on its object.
    capped = DetectParams(
        signals=["repost"],
        window_s=60,
        min_coactions=1,
        min_z=-1000.0,
        min_timing_z=-1000.0,
        max_neighbors=1,
        timing_slow_window_s=0,
    )
    d2 = detect_spark(posts, params=capped, network=net, spark=spark, max_driver_edges=LIMIT)
    pairs = _pairs(d2)
    assert pairs[("A", "C")] == 1 and pairs[("A", "B")] == 2
    assert ("B", "D") not in pairs
    assert d2.stats["signals"]["repost"]["capped_events"] > 0
    _assert_same(detect(posts, params=capped, network=net), d2)
    with pytest.raises(DriverLimitError, match="max_driver_edges=3"):
        detect_spark(posts, params=params, network=net, spark=spark, max_driver_edges=3)


def test_empty_signals_keep_schemas(spark) -> None:  # type: ignore[no-untyped-def]
    posts = read_file(DATA / "boundary" / "posts.csv").posts
    params = DetectParams(signals=["quote", "url"])
    d0 = detect(posts, params=params, network=NetworkParams())
    d1 = detect_spark(
        posts, params=params, network=NetworkParams(), spark=spark, max_driver_edges=LIMIT
    )
    assert d1.edges.height == 0 and d1.membership.height == 0
    assert d1.edges.schema == d0.edges.schema
    assert d1.events.schema == d0.events.schema
    assert d1.stats["signals"] == d0.stats["signals"]
    assert isinstance(d1.events, pl.DataFrame)


def test_clock_resolution_same_rule_on_both_engines(spark) -> None:  # type: ignore[no-untyped-def]
    # 20 posts on whole minutes: too few to say the clock is coarse (MIN_CLOCK_POSTS), on
    # both engines (the Spark path once called any whole-minute dump a minute clock).
    posts = read_file(DATA / "boundary" / "posts.csv").posts.with_columns(
        pl.col("created_at").dt.truncate("1m")
    )
    params = DetectParams(signals=["repost"], min_coactions=1, timing_slow_window_s=0)
    d0 = detect(posts, params=params, network=NetworkParams())
    d1 = detect_spark(
        posts, params=params, network=NetworkParams(), spark=spark, max_driver_edges=LIMIT
    )
    assert d0.stats["time_resolution_s"] == d1.stats["time_resolution_s"] == 0


def _sim_texts(spark, params: DetectParams):  # type: ignore[no-untyped-def]
    from cib.spark.engine import load_posts
    from cib.spark.texts import text_frame

    posts = read_file(DATA / "sim" / "posts.parquet").posts
    return posts, text_frame(load_posts(spark, posts, Path(tempfile.mkdtemp())), params)


def test_executor_embedding_gives_the_driver_clusters_and_detection(spark) -> None:  # type: ignore[no-untyped-def]
    """spark_embed = 'executors': texts embedded in mapInArrow, narratives clustered per
    bucket in applyInArrow. Same text_fp -> cluster/narrative ids and stats as the driver
    path (cib.detect.semantic_clusters), and the Spark scan on them matches the default
    engine."""
    from cib.detect import semantic_clusters
    from cib.spark.texts import executor_model_id, text_clusters

    params = DetectParams()  # semantic and narrative on
    posts, frame = _sim_texts(spark, params)
    texts = semantic_texts(posts, params)
    got_texts = pl.from_arrow(frame.toArrow()).sort("text_fp")
    assert got_texts.select(texts.columns).cast(dict(texts.schema)).equals(texts)
    vectors = HashEmbedder().encode(texts["text_norm"].to_list())
    want = semantic_clusters(texts, vectors, params)
    got = text_clusters(frame, params, model="hash", batch_size=256)
    assert want[0]["narrative_id"].n_unique() > 20 and want[0]["cluster_id"].n_unique() > 20
    assert got[0].equals(want[0])
    assert got[1] == want[1]
    assert got[1]["narrative_buckets"] == want[1]["narrative_buckets"] > 1
    assert executor_model_id(spark, "hash", 256) == HashEmbedder().model_id
    net = NetworkParams()
    d0 = detect(posts, params=params, network=net, vectors=vectors, texts=texts)
    d1 = detect_spark(
        posts, params=params, network=net, clusters=got, spark=spark, max_driver_edges=LIMIT
    )
    assert d0.stats["signals"]["narrative"]["kept_edges"] > 0
    _assert_same(d0, d1)


def test_executor_narratives_with_the_static_model(spark) -> None:  # type: ignore[no-untyped-def]
    """The real default model, loaded offline in the executors: the same narratives as the
    driver path (narrative signal only: only the PCA fit sample comes back to the driver,
    here every text since the sample has fewer than PCA_FIT_SAMPLE)."""
    from cib.detect import semantic_clusters
    from cib.embed import get_embedder
    from cib.spark.texts import text_clusters

    params = DetectParams(signals=["narrative", "repost"])
    posts, frame = _sim_texts(spark, params)
    texts = semantic_texts(posts, params)
    want = semantic_clusters(
        texts, get_embedder("static").encode(texts["text_norm"].to_list()), params
    )
    got = text_clusters(frame, params, model="static", batch_size=256)
    assert want[1]["narrative_narratives"] > 100
    assert got[0].equals(want[0])
    assert got[1] == want[1]


def test_executor_pca_sample_of_a_big_dump(spark, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """More texts than PCA_FIT_SAMPLE and the semantic signal off: the PCA is fitted on the
    texts with the smallest xxhash64(text_fp) (no vector but the sample comes back), not
    on the driver path's random rows, so narratives agree as closely as two random samples
    do, not exactly."""
    import cib.detect.narrative as narrative
    import cib.spark.texts as texts_mod
    from cib.detect import semantic_clusters

    monkeypatch.setattr(narrative, "PCA_FIT_SAMPLE", 2_000)
    monkeypatch.setattr(texts_mod, "PCA_FIT_SAMPLE", 2_000)
    params = DetectParams(signals=["narrative", "repost"])
    posts, frame = _sim_texts(spark, params)
    texts = semantic_texts(posts, params)
    assert texts.height > 2_000
    vectors = HashEmbedder().encode(texts["text_norm"].to_list())
    want, ws = semantic_clusters(texts, vectors, params)
    got, gs = texts_mod.text_clusters(frame, params, model="hash", batch_size=256)
    assert ws["narrative_narratives"] > 100
    assert (
        abs(gs["narrative_narratives"] - ws["narrative_narratives"])
        <= 0.15 * ws["narrative_narratives"]
    )
    # Another random 2,000-text sample on the driver keeps 74 % of the narrative texts
    # (hash embedder); the hash-picked sample kept 79 %.
    both = set(want["text_fp"].to_list()) & set(got["text_fp"].to_list())
    assert len(both) >= 0.7 * want.height


def test_links_apart_same_rule_on_both_engines(spark) -> None:  # type: ignore[no-untyped-def]
    """The narrative step that leaves out repeated headlines with their link gives the same
    events in Spark as in Polars."""
    from test_detect_units import _headline_events

    from cib.detect.signals import links_apart
    from cib.spark.signals import _links_apart

    ev = _headline_events()
    want = links_apart(ev).sort("signal", "post_id", "object_id")
    sdf = spark.createDataFrame(ev.to_pandas())
    got = pl.from_pandas(_links_apart(sdf).toPandas())
    got = got.select(ev.columns).cast(EVENTS).sort("signal", "post_id", "object_id")
    assert got.equals(want)
    assert set(got.filter(pl.col("signal") == "narrative")["post_id"]) == {"p1", "p2", "p3"}
