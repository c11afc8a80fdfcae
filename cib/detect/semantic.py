"""Near-identical text clusters for the semantic signal.

Distinct normalised texts are embedded once (vectors cached in the store by model id and
text fingerprint). Candidate pairs come from random-hyperplane LSH (``bands`` x ``bits``)
inside overlapping time buckets of twice the slow window, so two texts first seen within
``slow_window_s`` of each other always share a bucket. Candidates are verified by exact
cosine >= ``semantic_threshold``; connected components with at least two distinct texts
become cluster objects. Cost stays near-linear in distinct texts: no all-pairs matrix.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

LSH_BANDS = 16
LSH_BITS = 12
MAX_BUCKET = 300  # texts per LSH bucket compared exhaustively; larger buckets are sampled


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
    t = texts["t"].to_numpy()
    half = max(bucket_s // 2, 1)
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    idx = np.arange(n)
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
            for s, e in zip(starts[sizes > 1], ends[sizes > 1], strict=True):
                members = idx[order[s:e]]
                if members.size > MAX_BUCKET:
                    stats["capped_buckets"] += 1
                    members = rng.choice(members, MAX_BUCKET, replace=False)
                ii, jj = np.triu_indices(members.size, k=1)
                rows.append(members[ii])
                cols.append(members[jj])
    if not rows:
        return pl.DataFrame(schema={"text_fp": pl.String, "cluster_id": pl.String}), stats
    a = np.concatenate(rows)
    b = np.concatenate(cols)
    pairs = np.unique(np.minimum(a, b).astype(np.int64) * n + np.maximum(a, b))
    a, b = pairs // n, pairs % n
    stats["candidate_pairs"] = int(a.size)
    sims = np.empty(a.size, dtype=np.float32)
    step = 200_000
    for s in range(0, a.size, step):
        sims[s : s + step] = np.einsum(
            "ij,ij->i", vectors[a[s : s + step]], vectors[b[s : s + step]]
        )
    keep = sims >= threshold
    a, b = a[keep], b[keep]
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
