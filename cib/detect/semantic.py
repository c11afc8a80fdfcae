"""Near-identical text clusters for the semantic signal.

Distinct normalised texts are embedded once (vectors cached in the store by model id and
text fingerprint). Candidate pairs come from random-hyperplane LSH (``LSH_BANDS`` bands of
``bits`` bits) inside overlapping time buckets of twice the drip window, so two texts first
seen within ``drip_window_s`` of each other always share a bucket. Connected components of
the pairs with cosine >= ``semantic_threshold`` that have at least two distinct texts become
cluster objects. No all-pairs matrix and no candidate-pair array is ever built.

What keeps this near-linear on large dumps:

* **Bits grow with the texts per time bucket** (``bits = log2(texts / BUCKET_TARGET)``, at
  least ``LSH_BITS_MIN``), so an LSH bucket holds a bounded number of unrelated texts however
  big the dump. Buckets over ``MAX_BUCKET`` texts are sampled down to it
  (``stats['capped_buckets']``).
* **A compiled loop** (:mod:`cib.detect._lsh_kernel`) walks each bucket's pairs: a pair whose
  texts are already in one component is skipped (it cannot change the clusters, and similar
  texts collide in many bands); the others are checked on a coarse (``COARSE_BITS``) and a
  fine (``FINE_BITS``) sign sketch of the vectors, and only those whose Hamming distance is
  within ``SKETCH_SIGMAS`` standard deviations of what the threshold cosine gives are
  verified by the exact dot product. A pair at the threshold passes both sketches with
  probability above 0.9999; unrelated pairs almost never reach the dot product.

The hyperplanes go through the origin (no centring on the dump's mean vector): a dump that
is mostly one operation's texts would otherwise centre those texts away from each other.

``stats``: ``candidate_pairs`` (bucket pairs, a pair sharing several buckets counted once
per bucket), ``verified_pairs`` (exact dot products), ``similar_pairs`` (pairs that joined
two components: a spanning forest of the similarity graph), ``clusters``.
"""

from __future__ import annotations

import math
import os
import queue
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from cib.detect._lsh_kernel import join_band, merge_into, roots

LSH_BANDS = 24
LSH_BITS_MIN = 12
LSH_BITS_MAX = 24
BUCKET_TARGET = 8  # unrelated texts expected per LSH bucket (sets the bits per band)
MAX_BUCKET = 100  # texts per LSH bucket compared exhaustively; larger buckets are sampled
COARSE_BITS = 256
FINE_BITS = 1024
SKETCH_SIGMAS = 4.0
SIG_CHUNK = 100_000  # texts projected at once


def _bits(mat: np.ndarray, planes: np.ndarray) -> np.ndarray:
    """Sign bits of ``mat @ planes``: (rows, planes) bool (callers pass one chunk)."""
    bits: np.ndarray = mat.astype(np.float32, copy=False) @ planes > 0
    return bits


def _band_signatures(vectors: np.ndarray, bits: int, rng: np.random.Generator) -> np.ndarray:
    """(n, LSH_BANDS) int64: each band's ``bits`` hyperplane bits."""
    planes = rng.standard_normal((vectors.shape[1], LSH_BANDS * bits)).astype(np.float32)
    weights = (1 << np.arange(bits)).astype(np.int64)
    sigs = np.empty((vectors.shape[0], LSH_BANDS), dtype=np.int64)
    for s in range(0, vectors.shape[0], SIG_CHUNK):
        b = _bits(vectors[s : s + SIG_CHUNK], planes)
        sigs[s : s + SIG_CHUNK] = b.reshape(-1, LSH_BANDS, bits).astype(np.int64) @ weights
    return sigs


def _sketch(vectors: np.ndarray, rng: np.random.Generator, nbits: int) -> np.ndarray:
    """(n, nbits / 64) uint64 sign sketch of the vectors (packed chunk by chunk)."""
    planes = rng.standard_normal((vectors.shape[1], nbits)).astype(np.float32)
    packed = np.empty((vectors.shape[0], nbits // 8), dtype=np.uint8)
    for s in range(0, vectors.shape[0], SIG_CHUNK):
        packed[s : s + SIG_CHUNK] = np.packbits(_bits(vectors[s : s + SIG_CHUNK], planes), axis=1)
    return packed.view(np.uint64)


def sketch_radius(threshold: float, nbits: int) -> int:
    """Most of ``nbits`` sketch bits two texts at cosine ``threshold`` differ in, at
    ``SKETCH_SIGMAS`` standard deviations."""
    p = math.acos(max(-1.0, min(1.0, threshold))) / math.pi
    return math.ceil(nbits * p + SKETCH_SIGMAS * math.sqrt(nbits * p * (1 - p)))


def lsh_bits(texts_per_bucket: float) -> int:
    """Bits per band so that a bucket holds about ``BUCKET_TARGET`` unrelated texts."""
    want = math.ceil(math.log2(max(texts_per_bucket, 1.0) / BUCKET_TARGET))
    return int(min(LSH_BITS_MAX, max(LSH_BITS_MIN, want)))


def _buckets(
    key: np.ndarray, rng: np.random.Generator, stats: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows sorted by ``key`` and the (start, end) of every bucket of two or more rows;
    a bucket over ``MAX_BUCKET`` rows is shuffled and cut to its first ``MAX_BUCKET``."""
    order = np.argsort(key, kind="stable").astype(np.int64)
    k = key[order]
    first = np.flatnonzero(np.r_[True, k[1:] != k[:-1]])
    size = np.diff(np.r_[first, k.size])
    multi = size >= 2
    starts, size = first[multi], size[multi]
    for i in np.flatnonzero(size > MAX_BUCKET):
        s = starts[i]
        order[s : s + size[i]] = rng.permutation(order[s : s + size[i]])
    stats["capped_buckets"] += int((size > MAX_BUCKET).sum())
    return order, starts, starts + np.minimum(size, MAX_BUCKET)


def _join_bands(
    t: np.ndarray,
    sigs: np.ndarray,
    bits: int,
    vectors: np.ndarray,
    coarse: np.ndarray,
    fine: np.ndarray,
    *,
    offsets: tuple[int, int],
    bucket_s: int,
    radii: tuple[int, int],
    threshold: float,
    rng: np.random.Generator,
    threads: int,
) -> tuple[np.ndarray, dict[str, int]]:
    """The union-find forest of every similar pair found in any (time offset, band) bucket,
    and the work counts (``candidate_pairs``, ``verified_pairs``, ``capped_buckets``).

    This thread sorts each pass's buckets in turn (the capped buckets' samples draw on
    ``rng`` in a fixed order) and hands them to ``threads`` workers, each joining its
    share of the passes into a forest of its own; the forests are merged at the end. The
    clusters (the components of all similar pairs) are the same at any thread count;
    ``verified_pairs`` counts work and grows with it (a worker skips only the pairs already
    joined in its own forest)."""
    n = vectors.shape[0]
    jobs = [(offset, b) for offset in offsets for b in range(LSH_BANDS)]
    workers = max(1, min(threads or os.cpu_count() or 1, len(jobs)))
    inbox: list[queue.Queue[tuple[np.ndarray, np.ndarray, np.ndarray] | None]] = [
        queue.Queue(maxsize=2) for _ in range(workers)
    ]

    def run(w: int) -> tuple[np.ndarray, dict[str, int]]:
        parent = np.arange(n, dtype=np.int64)
        st = {"candidate_pairs": 0, "verified_pairs": 0}
        failed: BaseException | None = None
        while (item := inbox[w].get()) is not None:
            if failed is not None:
                continue  # keep draining, so that the producer never blocks
            try:
                cand, verified, _ = join_band(
                    *item, vectors, coarse, fine, parent, *radii, threshold
                )
            except BaseException as exc:  # re-raised once the producer is done
                failed = exc
                continue
            st["candidate_pairs"] += int(cand)
            st["verified_pairs"] += int(verified)
        if failed is not None:
            raise failed
        return parent, st

    work = {"candidate_pairs": 0, "verified_pairs": 0, "capped_buckets": 0}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run, w) for w in range(workers)]
        try:
            for i, (offset, b) in enumerate(jobs):
                key = (((t + offset) // bucket_s) << bits) | sigs[:, b]
                inbox[i % workers].put(_buckets(key, rng, work))
        finally:
            for box in inbox:
                box.put(None)
        done = [f.result() for f in futures]
    parent = done[0][0]
    for other, _ in done[1:]:
        merge_into(parent, other)
    for _, st in done:
        for k, v in st.items():
            work[k] += v
    return parent, work


def near_duplicate_clusters(
    texts: pl.DataFrame,
    vectors: np.ndarray,
    *,
    threshold: float,
    bucket_s: int,
    seed: int = 0,
    threads: int = 0,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Group near-identical texts.

    Parameters
    ----------
    texts : DataFrame with ``text_fp`` (distinct) and ``t`` (first-seen epoch seconds).
    vectors : unit vectors, one row per text, same order.
    threshold : cosine at or above which two texts are near-identical.
    bucket_s : time bucket width; texts farther apart than bucket_s / 2 may not be compared.
    threads : threads that run the LSH bands (0 = one per CPU core); the clusters do not
        depend on it.

    Returns
    -------
    (DataFrame text_fp, cluster_id), stats dict
    """
    n = texts.height
    stats = {
        "texts": n,
        "lsh_bits": 0,
        "candidate_pairs": 0,
        "verified_pairs": 0,
        "similar_pairs": 0,
        "clusters": 0,
        "capped_buckets": 0,
    }
    empty = pl.DataFrame(schema={"text_fp": pl.String, "cluster_id": pl.String})
    if n < 2:
        return empty, stats
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    rng = np.random.default_rng(seed)
    t = texts["t"].to_numpy().astype(np.int64)
    t = t - t.min()
    half = max(bucket_s // 2, 1)
    bits = lsh_bits(int(np.bincount(t // bucket_s).max()))
    stats["lsh_bits"] = bits
    sigs = _band_signatures(vectors, bits, rng)
    coarse = _sketch(vectors, rng, COARSE_BITS)
    fine = _sketch(vectors, rng, FINE_BITS)
    r_coarse, r_fine = sketch_radius(threshold, COARSE_BITS), sketch_radius(threshold, FINE_BITS)
    parent, work = _join_bands(
        t,
        sigs,
        bits,
        vectors,
        coarse,
        fine,
        offsets=(0, half),
        bucket_s=bucket_s,
        radii=(r_coarse, r_fine),
        threshold=threshold,
        rng=rng,
        threads=threads,
    )
    for k, v in work.items():
        stats[k] += v
    del sigs, coarse, fine
    labels = roots(parent)
    sizes = np.bincount(labels, minlength=n)
    # Joins of a spanning forest: texts minus components (the same at any thread count).
    stats["similar_pairs"] = int(n - np.count_nonzero(sizes))
    if stats["similar_pairs"] == 0:
        return empty, stats
    in_cluster = sizes[labels] >= 2
    fps = texts["text_fp"].to_numpy()
    df = pl.DataFrame({"text_fp": fps[in_cluster], "label": labels[in_cluster]})
    df = df.with_columns(pl.col("text_fp").min().over("label").alias("cluster_id"))
    stats["clusters"] = int(df["label"].n_unique())
    out = df.select("text_fp", pl.concat_str(pl.lit("sem:"), "cluster_id").alias("cluster_id"))
    return out, stats
