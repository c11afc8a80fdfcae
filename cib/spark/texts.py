"""Semantic texts embedded and clustered in the Spark executors (issue 13, item 5).

:func:`text_clusters` gives the same ``(frame, stats)`` as
:func:`cib.detect.semantic_clusters` (``text_fp, cluster_id, narrative_id``) without the
driver embedding a single text:

1. the distinct eligible texts (:func:`text_frame`, first-seen time and language per
   fingerprint) are embedded by ``mapInArrow`` in the executors, the model loaded once per
   Python worker process (:func:`executor_embedder`, offline as :mod:`cib.embed` loads it);
   the vectors stay in the executors (persisted, memory and disk);
2. dump-wide inputs of the narrative step come back small: the text count and first time,
   per-language text counts and vector sums (one row per partition and language), and the
   PCA fit sample (at most ``PCA_FIT_SAMPLE`` vectors: all texts in ``text_fp`` order when
   the dump has no more, as on the driver, else the texts with the smallest
   ``xxhash64(text_fp)``). The PCA is fitted on the driver and broadcast with the language
   means;
3. each time bucket (a text in the last quarter of its bucket also goes to the next) is
   clustered by ``groupBy(bucket).applyInArrow`` with
   :func:`cib.detect.narrative.bucket_narratives`, the function the local engine calls;
   only the kept clusters' members come back, and
   :func:`cib.detect.narrative.resolve_narratives` gives each text its first narrative.

Near-duplicate clusters (the ``semantic`` signal) are connected components of an LSH
similarity graph over the whole dump (a chain of similar texts crosses time buckets, and an
oversized LSH bucket is sampled from one dump-wide generator): when that signal is on, the
vectors are collected to the driver and :func:`cib.detect.semantic.near_duplicate_clusters`
runs there, as in the driver path. The store's embedding cache is neither read nor written.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from cib.config import DetectParams
from cib.detect.narrative import (
    LANG_BLOB_NORM,
    NARRATIVE_SCHEMA,
    PCA_FIT_SAMPLE,
    bucket_narratives,
    empty_stats,
    fit_reduction,
    language_codes,
    language_index,
    language_sums,
    pca_sample,
    resolve_narratives,
)
from cib.detect.semantic import near_duplicate_clusters
from cib.embed import Embedder, get_embedder
from cib.errors import ConfigError

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

__all__ = [
    "executor_embedder",
    "executor_model_id",
    "spark_clusters",
    "text_clusters",
    "text_frame",
]

#: Embedders loaded in this process, by (model, batch size): an executor's Python worker
#: loads its model once and reuses it for every task (``spark.python.worker.reuse``).
_EMBEDDERS: dict[tuple[str, int], Embedder] = {}
_CLUSTER_SCHEMA = pl.Schema(
    {"text_fp": pl.String, "cluster_id": pl.String, "narrative_id": pl.String}
)
_EMBEDDED = "text_fp string, t long, lang string, vec array<float>"
_BUCKET_OUT = (
    "bucket long, label long, text_fp string, buckets int, sampled int, loose int, language int"
)


def executor_embedder(model: str, batch_size: int) -> Embedder:
    """The embedder for ``EmbedParams.model`` in this process, loaded on first use."""
    key = (model, batch_size)
    if key not in _EMBEDDERS:
        _EMBEDDERS[key] = get_embedder(model, batch_size=batch_size)
    return _EMBEDDERS[key]


def text_frame(posts: DataFrame, params: DetectParams) -> DataFrame:
    """Distinct texts eligible for the semantic signals, not collected: ``text_fp,
    text_norm, t`` (first seen, epoch seconds) and ``lang`` (null where the posts carry
    none); the rows of :func:`cib.detect.semantic_texts`."""
    from cib.spark.signals import semantic_text_frame

    return semantic_text_frame(posts, params)


def _embed_batches(model: str, batch_size: int) -> Any:
    def embed(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        embedder = executor_embedder(model, batch_size)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            v = np.asarray(embedder.encode(batch.column("text_norm").to_pylist()), dtype=np.float32)
            offsets = pa.array(np.arange(0, v.size + 1, v.shape[1], dtype=np.int32))
            vec = pa.ListArray.from_arrays(offsets, pa.array(v.ravel()))
            yield pa.RecordBatch.from_arrays(
                [batch.column("text_fp"), batch.column("t"), batch.column("lang"), vec],
                names=["text_fp", "t", "lang", "vec"],
            )

    return embed


def _matrix(col: pa.Array | pa.ChunkedArray, n: int) -> np.ndarray:
    """(n, dim) float32 from an Arrow list<float> column of equal-length rows."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    flat = np.asarray(col.flatten().to_numpy(zero_copy_only=False), dtype=np.float32)
    return flat.reshape(n, -1) if n else np.zeros((0, 1), dtype=np.float32)


def _language_partials(index: dict[str, int]) -> Any:
    k = len(index) + 1

    def partial(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        sums = None
        counts = np.zeros(k)
        for batch in batches:
            if batch.num_rows == 0:
                continue
            v = _matrix(batch.column("vec"), batch.num_rows)
            lang = pl.Series("lang", batch.column("lang").to_pylist(), dtype=pl.String)
            s, c = language_sums(v, language_codes(lang, index, batch.num_rows), k)
            sums = s if sums is None else sums + s
            counts += c
        if sums is None:
            return
        offsets = pa.array(np.arange(0, sums.size + 1, sums.shape[1], dtype=np.int32))
        yield pa.RecordBatch.from_arrays(
            [
                pa.array(np.arange(k, dtype=np.int64)),
                pa.array(counts),
                pa.ListArray.from_arrays(offsets, pa.array(sums.ravel())),
            ],
            names=["code", "n", "sum"],
        )

    return partial


def _bucket_step(
    params: DetectParams, pca: Any, index: dict[str, int], means: np.ndarray, poor: np.ndarray
) -> Any:
    def step(key: tuple[Any, ...], table: pa.Table) -> pa.Table:
        b = int(key[0].as_py())
        found: list[tuple[int, np.ndarray]] = []
        st = dict.fromkeys(("buckets", "sampled_buckets", "loose_clusters", "language_clusters"), 0)
        # Only texts from the bucket before: not a bucket (the driver path never visits it).
        if pc.any(table.column("own")).as_py():
            table = table.sort_by("text_fp")  # the driver path's row order
            n = table.num_rows
            vectors = _matrix(table.column("vec"), n)
            lang = pl.Series("lang", table.column("lang").to_pylist(), dtype=pl.String)
            found, st = bucket_narratives(
                b,
                vectors,
                pca,
                language_codes(lang, index, n),
                means=means,
                poor=poor,
                params=params,
                t=np.asarray(table.column("t").to_numpy(), dtype=np.int64),
            )
        fps = np.asarray(table.column("text_fp").to_pylist(), dtype=object)
        labels = [label for label, rows in found for _ in rows]
        members = [fp for _, rows in found for fp in fps[rows]]
        m = len(members)
        zero = [0] * m
        return pa.table(
            {
                "bucket": pa.array([b] * (m + 1), pa.int64()),
                "label": pa.array([*labels, -1], pa.int64()),
                "text_fp": pa.array([*members, None], pa.string()),
                "buckets": pa.array([*zero, st["buckets"]], pa.int32()),
                "sampled": pa.array([*zero, st["sampled_buckets"]], pa.int32()),
                "loose": pa.array([*zero, st["loose_clusters"]], pa.int32()),
                "language": pa.array([*zero, st["language_clusters"]], pa.int32()),
            }
        )

    return step


def _to_polars(sdf: DataFrame) -> pl.DataFrame:
    out = pl.from_arrow(sdf.toArrow())
    assert isinstance(out, pl.DataFrame)
    return out


def _narratives(
    emb: DataFrame, n: int, t0: int, params: DetectParams, fit: np.ndarray
) -> tuple[pl.DataFrame, dict[str, int]]:
    from pyspark.sql import functions as F

    stats = empty_stats()
    if n < 2 * params.narrative_min_cluster:
        return pl.DataFrame(schema=NARRATIVE_SCHEMA), stats
    spark = emb.sparkSession
    langs = emb.groupBy("lang").count().collect()
    index: dict[str, int] = {}
    if any(r["lang"] is not None for r in langs):
        merged: dict[str, int] = {}
        for r in langs:  # null and "" are one language, as on the driver
            merged[r["lang"] or ""] = merged.get(r["lang"] or "", 0) + int(r["count"])
        index = language_index(merged.items())
    k = len(index) + 1
    parts = _to_polars(
        emb.mapInArrow(_language_partials(index), "code long, n double, sum array<double>")
    )
    sums = np.zeros((k, fit.shape[1]))
    counts = np.zeros(k)
    for code, cnt, s in parts.iter_rows():
        sums[code] += np.asarray(s)
        counts[code] += cnt
    means = sums / np.maximum(counts, 1.0)[:, None]
    poor = np.linalg.norm(means, axis=1) >= LANG_BLOB_NORM
    pca = fit_reduction(fit, n_texts=n, dims=params.narrative_dims, seed=0)
    shared = spark.sparkContext.broadcast((pca, index, means, poor))
    width = params.narrative_bucket_s
    rel = F.col("t") - F.lit(t0)
    bucket = F.floor(rel / F.lit(width)).cast("long")
    tail = (rel % F.lit(width)) >= F.lit(0.75 * width)
    # A bucket is clustered only when texts were first seen in it (the driver path walks
    # the buckets of the texts' own times): "own" marks a text's own bucket.
    both = F.array(F.lit(True), F.lit(False))
    exploded = emb.select(
        F.explode(F.when(tail, both).otherwise(F.array(F.lit(True)))).alias("own"),
        bucket.alias("b0"),
        "text_fp",
        "t",
        "lang",
        "vec",
    ).select(
        (F.col("b0") + F.when(F.col("own"), 0).otherwise(1)).alias("bucket"),
        "own",
        "text_fp",
        "t",
        "lang",
        "vec",
    )

    def step(key: tuple[Any, ...], table: pa.Table) -> pa.Table:
        pca_, index_, means_, poor_ = shared.value
        return _bucket_step(params, pca_, index_, means_, poor_)(key, table)

    out = _to_polars(exploded.groupBy("bucket").applyInArrow(step, _BUCKET_OUT))
    tally = out.filter(pl.col("text_fp").is_null())
    stats["buckets"] = int(tally["buckets"].sum())
    stats["sampled_buckets"] = int(tally["sampled"].sum())
    stats["loose_clusters"] = int(tally["loose"].sum())
    stats["language_clusters"] = int(tally["language"].sum())
    members = out.filter(pl.col("text_fp").is_not_null()).sort(
        "bucket", "label", maintain_order=True
    )
    found = (
        (b, label, group["text_fp"].to_list())
        for (b, label), group in members.group_by(["bucket", "label"], maintain_order=True)
    )
    frame, stats["narratives"] = resolve_narratives(found)
    stats["texts_in_narratives"] = frame.height
    shared.unpersist()
    return frame, stats


def text_clusters(
    texts: DataFrame, params: DetectParams, *, model: str, batch_size: int
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Near-identical text clusters and narratives, embedded and clustered in Spark.

    Parameters
    ----------
    texts : :func:`text_frame` (``text_fp, text_norm, t, lang``, one row per text).
    params : detection parameters (``signals`` says which parts are built).
    model, batch_size : ``EmbedParams.model`` and ``batch_size``, resolved in each executor
        with :func:`cib.embed.get_embedder` (offline, once per Python worker).

    Returns
    -------
    The :func:`cib.detect.semantic_clusters` result for the same texts: ``(frame, stats)``.
    """
    import pyspark
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    major = int(pyspark.__version__.split(".")[0])
    if major < 4:
        raise ConfigError(
            f"spark_embed='executors' needs pyspark>=4.0 (groupBy().applyInArrow); found "
            f"pyspark {pyspark.__version__}. Upgrade pyspark or set spark_embed = 'driver'."
        )
    frame = pl.DataFrame(schema=_CLUSTER_SCHEMA)
    stats: dict[str, int] = {}
    emb = texts.select(
        "text_fp", "text_norm", F.col("t").cast("long"), F.col("lang").cast("string")
    )
    emb = emb.mapInArrow(_embed_batches(model, batch_size), _EMBEDDED)
    emb = emb.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        head = emb.agg(F.count(F.lit(1)).alias("n"), F.min("t").alias("t0")).first()
        assert head is not None
        n = int(head["n"])
        t0 = int(head["t0"]) if head["t0"] is not None else 0
        # All vectors come back only for the near-duplicate step; else the PCA sample.
        whole = None
        if "semantic" in params.signals or n <= PCA_FIT_SAMPLE:
            whole = _to_polars(emb.select("text_fp", "t", "vec")).sort("text_fp")
        if "semantic" in params.signals:
            assert whole is not None
            near, stats = near_duplicate_clusters(
                whole.select("text_fp", "t"),
                _matrix(whole["vec"].to_arrow(), whole.height),
                threshold=params.semantic_threshold,
                bucket_s=2 * params.drip_window_s,
                threads=params.threads,
            )
            frame = near.with_columns(pl.lit(None, dtype=pl.String).alias("narrative_id"))
        if "narrative" in params.signals:
            if whole is not None:  # the driver path's sample (all texts up to the cap)
                fit = _matrix(whole["vec"].to_arrow(), whole.height)
                pick = pca_sample(n, seed=0)
                fit = fit if pick is None else fit[pick]
            else:
                sample = _to_polars(
                    emb.orderBy(F.xxhash64("text_fp"), "text_fp")
                    .limit(PCA_FIT_SAMPLE)
                    .select("text_fp", "vec")
                ).sort("text_fp")
                fit = _matrix(sample["vec"].to_arrow(), sample.height)
            del whole
            narr, nst = _narratives(emb, n, t0, params, fit)
            stats.update({f"narrative_{k}": v for k, v in nst.items()})
            frame = frame.drop("narrative_id").join(narr, on="text_fp", how="full", coalesce=True)
    finally:
        emb.unpersist()
    return frame.select(list(_CLUSTER_SCHEMA)).cast(dict(_CLUSTER_SCHEMA)).sort("text_fp"), stats


def executor_model_id(spark: SparkSession, model: str, batch_size: int) -> str:
    """The embedder's ``model_id`` as an executor resolves ``model`` (one task; the driver
    never loads the model)."""
    rdd = spark.sparkContext.parallelize([0], 1)
    return str(rdd.map(lambda _: executor_embedder(model, batch_size).model_id).first())


def spark_clusters(
    spark: SparkSession,
    posts: pl.DataFrame | str | DataFrame,
    params: DetectParams,
    *,
    model: str,
    batch_size: int,
) -> tuple[tuple[pl.DataFrame, dict[str, int]], str]:
    """``(clusters, model_id)`` for :func:`cib.spark.detect_spark`'s ``clusters`` from
    stored posts (a Polars frame, a Parquet path or a Spark DataFrame, as
    :func:`cib.spark.load_posts` takes them), embedded and clustered in the executors."""
    from cib.spark.engine import load_posts

    tmp = Path(tempfile.mkdtemp(prefix="cib-spark-texts-"))
    try:
        sdf = load_posts(spark, posts, tmp)
        clusters = text_clusters(
            text_frame(sdf, params), params, model=model, batch_size=batch_size
        )
        return clusters, executor_model_id(spark, model, batch_size)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
