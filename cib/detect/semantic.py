"""Near-identical text clusters for the semantic signal.

Distinct normalised texts are embedded once (vectors cached in the store by model id and
text fingerprint). Candidate pairs come from random-hyperplane LSH (``bands`` x ``bits``)
inside overlapping time buckets of twice the slow window, so two texts first seen within
``slow_window_s`` of each other always share a bucket. Candidates are verified by exact
cosine >= ``semantic_threshold``; connected components with at least two distinct texts
become cluster objects. Cost stays near-linear in distinct texts: no all-pairs matrix.

Verification happens inside each bucket and only similar pairs are kept, so memory follows
the similar pairs, not the candidates: buckets of up to ``SMALL_BUCKET`` texts are paired by
rank offsets for all buckets of a band at once, bigger ones with one matrix product each.
``stats['candidate_pairs']`` counts pairs verified per bucket (a pair sharing several buckets
counts once per bucket); ``similar_pairs`` counts distinct pairs.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from threadpoolctl import threadpool_limits

LSH_BANDS = 16
LSH_BITS = 12
MAX_BUCKET = 300  # texts per LSH bucket compared exhaustively; larger buckets are sampled
SMALL_BUCKET = 16  # buckets up to this size are paired by rank offsets, all buckets at once
_MARGIN = 1e-4  # matrix-product cosines this close to the threshold are recomputed exactly
_COSINE_STEP = 200_000


def _cosine(vectors: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact per-pair cosine of unit vectors (the one reference computation: one einsum row
    per pair, so a pair gets the same value whichever bucket or batch it comes from)."""
    out = np.empty(a.size, dtype=np.float32)
    for s in range(0, a.size, _COSINE_STEP):
        out[s : s + _COSINE_STEP] = np.einsum(
            "ij,ij->i", vectors[a[s : s + _COSINE_STEP]], vectors[b[s : s + _COSINE_STEP]]
        )
    return out


class _PairSet:
    """Distinct unordered pairs of ``n`` items as packed int64 keys, compacted as they come
    (a similar pair shows up in many bands; memory stays near the distinct count)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.done = np.zeros(0, dtype=np.int64)
        self.pending: list[np.ndarray] = []
        self.pending_size = 0

    def add(self, a: np.ndarray, b: np.ndarray) -> None:
        if a.size == 0:
            return
        lo = np.minimum(a, b).astype(np.int64)
        hi = np.maximum(a, b).astype(np.int64)
        self.pending.append(np.unique(lo * self.n + hi))
        self.pending_size += self.pending[-1].size
        if self.pending_size > max(4_000_000, self.done.size):
            self._compact()

    def _compact(self) -> None:
        if self.pending:
            self.done = np.unique(np.concatenate([self.done, *self.pending]))
            self.pending, self.pending_size = [], 0

    def pairs(self) -> tuple[np.ndarray, np.ndarray]:
        self._compact()
        return self.done // self.n, self.done % self.n


def _verify_big(
    vectors: np.ndarray,
    order: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    threshold: float,
    rng: np.random.Generator,
    similar: _PairSet,
    stats: dict[str, int],
) -> None:
    """Similar pairs of the big buckets ``order[s:e]``, one matrix product each."""
    for s, e in zip(starts, ends, strict=True):
        members = order[s:e]
        if members.size > MAX_BUCKET:
            stats["capped_buckets"] += 1
            members = rng.choice(members, MAX_BUCKET, replace=False)
        m = members.size
        stats["candidate_pairs"] += m * (m - 1) // 2
        v = vectors[members]
        near = np.triu(v @ v.T >= threshold - _MARGIN, 1)
        ii, jj = np.nonzero(near)
        if ii.size == 0:
            continue
        ia, ib = members[ii], members[jj]
        keep = _cosine(vectors, ia, ib) >= threshold
        similar.add(ia[keep], ib[keep])


def near_duplicate_clusters(
    texts: pl.DataFrame,
    vectors: np.ndarray,
    *,
    threshold: float,
    bucket_s: int,
    seed: int = 0,
) -> tuple[pl.DataFrame, dict[str, int]]:
    """Group near-identical texts.

    Parameters
    ----------
    texts : DataFrame with ``text_fp`` (distinct) and ``t`` (first-seen epoch seconds).
    vectors : unit vectors, one row per text, same order.
    threshold : cosine at or above which two texts are near-identical.
    bucket_s : time bucket width; texts farther apart than bucket_s / 2 may not be compared.

    Returns
    -------
    (DataFrame text_fp, cluster_id), stats dict
    """
    n = texts.height
    stats = {
        "texts": n,
        "candidate_pairs": 0,
        "similar_pairs": 0,
        "clusters": 0,
        "capped_buckets": 0,
    }
    if n < 2:
        return pl.DataFrame(schema={"text_fp": pl.String, "cluster_id": pl.String}), stats
    rng = np.random.default_rng(seed)
    planes = rng.standard_normal((vectors.shape[1], LSH_BANDS * LSH_BITS)).astype(np.float32)
    bits = (vectors @ planes) > 0
    weights = (1 << np.arange(LSH_BITS)).astype(np.int64)
    sigs = bits.reshape(n, LSH_BANDS, LSH_BITS).astype(np.int64) @ weights  # (n, bands)
    del bits
    t = texts["t"].to_numpy()
    half = max(bucket_s // 2, 1)
    similar = _PairSet(n)
    for offset in (0, half):
        tb = (t + offset) // bucket_s
        for b in range(LSH_BANDS):
            key = (tb.astype(np.int64) << 20) | (sigs[:, b] << 4) | b
            order = np.argsort(key, kind="stable")
            k_sorted = key[order]
            bounds = np.flatnonzero(np.diff(k_sorted)) + 1
            starts = np.concatenate(([0], bounds))
            ends = np.concatenate((bounds, [n]))
            sizes = ends - starts
            # Small buckets: every pair (rank r, rank r + k) of the same bucket, for all
            # buckets at once, verified in bulk; nothing is kept but the similar pairs.
            small = np.repeat(sizes <= SMALL_BUCKET, sizes)
            for k in range(1, SMALL_BUCKET):
                i = np.flatnonzero(small[: n - k] & (k_sorted[k:] == k_sorted[: n - k]))
                if i.size == 0:
                    break
                stats["candidate_pairs"] += int(i.size)
                ia, ib = order[i], order[i + k]
                keep = _cosine(vectors, ia, ib) >= threshold
                similar.add(ia[keep], ib[keep])
            # Big buckets (sampled down to MAX_BUCKET, in the same order and with the same
            # draws as before): one matrix product each; pairs near the threshold are
            # re-verified with the same exact per-pair cosine as the small buckets.
            # (BLAS on one thread: for blocks this small, thread hand-off costs far more.)
            big = np.flatnonzero(sizes > SMALL_BUCKET)
            with threadpool_limits(1, user_api="blas"):
                _verify_big(vectors, order, starts[big], ends[big], threshold, rng, similar, stats)

    a, b = similar.pairs()
    stats["similar_pairs"] = int(a.size)
    if a.size == 0:
        return pl.DataFrame(schema={"text_fp": pl.String, "cluster_id": pl.String}), stats
    graph = coo_matrix((np.ones(a.size), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    sizes = np.bincount(labels)
    in_cluster = sizes[labels] >= 2
    fps = texts["text_fp"].to_numpy()
    df = pl.DataFrame({"text_fp": fps[in_cluster], "label": labels[in_cluster]})
    df = df.with_columns(pl.col("text_fp").min().over("label").alias("cluster_id"))
    stats["clusters"] = int(df["label"].n_unique())
    out = df.select("text_fp", pl.concat_str(pl.lit("sem:"), "cluster_id").alias("cluster_id"))
    return out, stats
