"""Narrative clusters: posts that push the same talking point in their own words.

The near-duplicate signal (:mod:`cib.detect.semantic`) needs cosine >= 0.85; paraphrase
campaigns and troll "news" accounts writing their own headlines on the same story share no
object at all. Here the embedded distinct texts are cut into time buckets of
``narrative_bucket_s`` (first-seen time; a text near a bucket edge is also clustered with
the next bucket, so a burst straddling the edge is not cut in two), reduced to
``narrative_dims`` dimensions with a PCA fitted once per dump, and clustered per bucket with
HDBSCAN: density-based, a noise label for texts that belong to no narrative, and no fixed
number of clusters. Members whose cosine to their cluster's centroid (full embedding space)
is below ``narrative_min_cosine`` are left out; a cluster left with fewer than half
``narrative_min_cluster`` texts is a topic, not a talking point, and is dropped (counted in
``stats['loose_clusters']``). A model that reads a language poorly (the static model and
short Spanish or Russian posts) puts all of that language's texts close together, so a
cluster mostly in such a language (its texts' mean vector at least ``LANG_BLOB_NORM`` long)
must also be tight once each text's language mean is taken away
(``narrative_min_centred_cosine``; ``stats['language_clusters']`` counts those dropped).
Each kept cluster is a *narrative* object: an account posting
a text in it acts on the narrative, and the ``narrative`` signal runs through the same
evidence plan, nulls and fusion as every other signal (a pair must co-act on at least
``min_coactions`` different narratives within ``narrative_window_s``; a story everyone
writes about is a popular object, down-weighted and judged by the crowd share like any
other).

Clustering scales by bucket: never the whole dump at once; a bucket with more than
``MAX_BUCKET_TEXTS`` texts is clustered on a sample (``stats['sampled_buckets']``) and the
rest are assigned to the cluster of their nearest sampled text when it is close enough.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy import sparse
from sklearn.cluster import HDBSCAN
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors

from cib.config import DetectParams

MAX_BUCKET_TEXTS = 3_000
PCA_FIT_SAMPLE = 20_000
#: A text left out of a sampled bucket joins the cluster of its nearest sampled text when
#: their cosine (in the reduced space) is at least this.
ASSIGN_COSINE = 0.8
NARRATIVE_SCHEMA = pl.Schema({"text_fp": pl.String, "narrative_id": pl.String})
#: Languages with fewer texts than this share one mean (with unknown-language texts) in the
#: language-centred check (see :func:`_language_means`).
LANG_MIN_TEXTS = 30
#: A language whose texts' mean unit vector is at least this long is one the model reads
#: poorly: its texts' mean cosine to their own centroid is that high (about 0.6 for English
#: under the default models, 0.75 for Spanish and 0.9 for Russian under the static one).
LANG_BLOB_NORM = 0.7


def _language_means(vectors: np.ndarray, lang: pl.Series | None) -> tuple[np.ndarray, np.ndarray]:
    """``(code, means)``: each text's row in ``means``, the mean vector of its language (row
    0 pools unknown and rare languages, fewer than ``LANG_MIN_TEXTS`` texts). Only the means
    are kept, never a centred copy of every vector."""
    n = vectors.shape[0]
    code = np.zeros(n, dtype=np.int64)
    if lang is not None and lang.null_count() < n:
        counts = lang.fill_null("").value_counts()
        common = [x for x, k in counts.iter_rows() if x and k >= LANG_MIN_TEXTS]
        index = {x: i + 1 for i, x in enumerate(sorted(common))}
        code = lang.fill_null("").replace_strict(index, default=0, return_dtype=pl.Int64).to_numpy()
    # One sparse (language x text) product: no per-language copy of the vectors.
    k = int(code.max()) + 1
    member = sparse.csr_matrix((np.ones(n), (code, np.arange(n))), shape=(k, n))
    counts = np.maximum(np.bincount(code, minlength=k), 1).astype(np.float64)
    means = np.asarray(member @ vectors, dtype=np.float64) / counts[:, None]
    return code, means


def _centred_tightness(vectors: np.ndarray, code: np.ndarray, means: np.ndarray) -> float:
    """Median cosine of ``vectors`` (one cluster) to their centroid once each row's
    language mean is subtracted."""
    c = vectors - means[code]
    c /= np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
    centre = c.mean(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-12)
    return float(np.median(c @ centre))


def _reduce(vectors: np.ndarray, dims: int, seed: int) -> np.ndarray:
    """Unit vectors in ``dims`` PCA dimensions (fitted on a sample of at most
    ``PCA_FIT_SAMPLE`` texts)."""
    n, d = vectors.shape
    dims = min(dims, d, max(n - 1, 1))
    rng = np.random.default_rng(seed)
    fit = vectors if n <= PCA_FIT_SAMPLE else vectors[rng.choice(n, PCA_FIT_SAMPLE, replace=False)]
    pca = PCA(n_components=dims, random_state=seed).fit(fit)
    out = pca.transform(vectors).astype(np.float32)
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    return out / np.where(norm == 0, 1.0, norm)


def _hdbscan(x: np.ndarray, min_cluster: int) -> np.ndarray:
    """HDBSCAN labels of one bucket's reduced vectors; "leaf" selection keeps the finest
    dense clusters (a talking point, not a topic; excess of mass would also return all noise
    when one talking point is the only split of a small bucket)."""
    model = HDBSCAN(
        min_cluster_size=min_cluster,
        min_samples=max(2, min_cluster - 2),
        cluster_selection_method="leaf",
        copy=True,
    )
    return np.asarray(model.fit(x).labels_)


def _cluster_bucket(
    x: np.ndarray, *, min_cluster: int, rng: np.random.Generator
) -> tuple[np.ndarray, bool]:
    """HDBSCAN labels (-1 = noise) of one bucket's reduced vectors; ``sampled`` when the
    bucket was clustered on a sample and the rest assigned by nearest neighbour."""
    n = x.shape[0]
    if n <= MAX_BUCKET_TEXTS:
        return _hdbscan(x, min_cluster), False
    pick = np.sort(rng.choice(n, MAX_BUCKET_TEXTS, replace=False))
    labels = np.full(n, -1, dtype=np.int64)
    labels[pick] = _hdbscan(x[pick], min_cluster)
    rest = np.setdiff1d(np.arange(n), pick)
    nn = NearestNeighbors(n_neighbors=1).fit(x[pick])
    dist, idx = nn.kneighbors(x[rest])
    cos = 1.0 - dist[:, 0] ** 2 / 2.0  # unit vectors: |a - b|^2 = 2 - 2 cos
    near = labels[pick][idx[:, 0]]
    labels[rest] = np.where(cos >= ASSIGN_COSINE, near, -1)
    return labels, True


def narrative_clusters(
    texts: pl.DataFrame, vectors: np.ndarray, params: DetectParams
) -> tuple[pl.DataFrame, dict[str, int]]:
    """``text_fp, narrative_id`` for the texts that fall in a narrative, and stats.

    ``texts``: :func:`cib.detect.semantic_texts` (``text_fp, text_norm, t``), one unit vector
    per row. A text belongs to the narrative of its own bucket; it is also clustered with
    the next bucket when it lies in the last quarter of its own (overlap), and keeps the
    first narrative it lands in."""
    stats = {
        "narratives": 0,
        "buckets": 0,
        "sampled_buckets": 0,
        "loose_clusters": 0,
        "texts_in_narratives": 0,
        "language_clusters": 0,
    }
    min_cluster = params.narrative_min_cluster
    if texts.height < 2 * min_cluster:
        return pl.DataFrame(schema=NARRATIVE_SCHEMA), stats
    x = _reduce(vectors, params.narrative_dims, seed=0)
    code, means = _language_means(vectors, texts["lang"] if "lang" in texts.columns else None)
    poor = np.linalg.norm(means, axis=1) >= LANG_BLOB_NORM
    rng = np.random.default_rng(0)
    t = texts["t"].to_numpy().astype(np.int64)
    width = params.narrative_bucket_s
    bucket = (t - t.min()) // width
    tail = ((t - t.min()) % width) >= 0.75 * width
    fps = texts["text_fp"].to_numpy()
    assigned: dict[str, str] = {}
    for b in np.unique(bucket):
        rows = np.flatnonzero((bucket == b) | ((bucket == b - 1) & tail))
        if rows.size < 2 * min_cluster:
            continue
        stats["buckets"] += 1
        labels, sampled = _cluster_bucket(x[rows], min_cluster=min_cluster, rng=rng)
        stats["sampled_buckets"] += int(sampled)
        for label in np.unique(labels[labels >= 0]):
            members = rows[labels == label]
            # Tight clusters only, judged in the full embedding space: members whose cosine to
            # the centroid is below narrative_min_cosine are left out (chatter that the
            # reduced space put nearby), and a cluster left with too few is a loose topic.
            centre = vectors[members].mean(axis=0)
            centre /= max(float(np.linalg.norm(centre)), 1e-12)
            members = members[vectors[members] @ centre >= params.narrative_min_cosine]
            if members.size < max(2, min_cluster // 2):
                stats["loose_clusters"] += 1
                continue
            # A language the model reads poorly is one dense blob: what is left once the
            # language's mean is taken away must still be one talking point.
            need = params.narrative_min_centred_cosine
            blob = float(poor[code[members]].mean()) > 0.5
            if (
                blob
                and need > 0
                and _centred_tightness(vectors[members], code[members], means) < need
            ):
                stats["language_clusters"] += 1
                continue
            nid = f"narrative:{int(b)}:{int(label)}"
            new = [fp for fp in fps[members] if fp not in assigned]
            if len(new) < 2:
                continue
            stats["narratives"] += 1
            for fp in new:
                assigned[fp] = nid
    stats["texts_in_narratives"] = len(assigned)
    frame = pl.DataFrame(
        {"text_fp": list(assigned), "narrative_id": list(assigned.values())},
        schema=NARRATIVE_SCHEMA,
    )
    return frame.sort("text_fp"), stats
