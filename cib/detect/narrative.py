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
``stats['loose_clusters']``). Narratives of one bucket that are bursts of one story (each
within ``narrative_window_s``, overlapping in time, centroids at ``narrative_min_cosine``)
are merged (:func:`merge_overlapping`). Texts HDBSCAN labels noise join a kept narrative
that is one burst (all its texts first seen within ``narrative_burst_s``) when they were
first seen inside it (with them it still lasts at most that long) and their cosine to its
centroid is at least ``narrative_burst_min_cosine`` (``narrative_join_bursts``, on by
default: see :func:`join_bursts`); with ``narrative_join_noise`` (off by default: see
:func:`join_noise`) instead, every narrative takes the noise texts that lie inside it (as
close to its centroid as its farthest member), whenever they were posted. Both pass the
language check below. A model that reads a
language poorly (the static model and short Spanish or Russian posts) puts all of that
language's texts close together, so a cluster mostly in such a language (its texts' mean
vector at least ``LANG_BLOB_NORM`` long) must also be tight once each text's language mean
is taken away (``narrative_min_centred_cosine``; ``stats['language_clusters']`` counts
those dropped). Each kept cluster is a *narrative* object: an account posting
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

import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl
from scipy import sparse
from scipy.sparse.csgraph import connected_components
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


def language_index(counts: Iterable[tuple[str | None, int]]) -> dict[str, int]:
    """Code (1, 2, ...) of every language with at least ``LANG_MIN_TEXTS`` texts, from
    ``(lang, texts)`` counts; code 0 pools unknown and rare languages."""
    common = [x for x, k in counts if x and k >= LANG_MIN_TEXTS]
    return {x: i + 1 for i, x in enumerate(sorted(common))}


def language_codes(lang: pl.Series | None, index: dict[str, int], n: int) -> np.ndarray:
    """Each text's language code under ``index`` (0 where unknown or rare)."""
    if lang is None or not index:
        return np.zeros(n, dtype=np.int64)
    return lang.fill_null("").replace_strict(index, default=0, return_dtype=pl.Int64).to_numpy()


def language_sums(vectors: np.ndarray, code: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """``(sums, counts)``: the (k, dim) float64 sum of the vectors of each language code and
    the texts per code (one sparse product, no per-language copy of the vectors)."""
    n = vectors.shape[0]
    member = sparse.csr_matrix((np.ones(n), (code, np.arange(n))), shape=(k, n))
    sums = np.asarray(member @ vectors, dtype=np.float64)
    return sums, np.bincount(code, minlength=k).astype(np.float64)


def _language_means(vectors: np.ndarray, lang: pl.Series | None) -> tuple[np.ndarray, np.ndarray]:
    """``(code, means)``: each text's row in ``means``, the mean vector of its language (row
    0 pools unknown and rare languages, fewer than ``LANG_MIN_TEXTS`` texts). Only the means
    are kept, never a centred copy of every vector."""
    n = vectors.shape[0]
    index: dict[str, int] = {}
    if lang is not None and lang.null_count() < n:
        index = language_index(lang.fill_null("").value_counts().iter_rows())
    code = language_codes(lang, index, n)
    sums, counts = language_sums(vectors, code, len(index) + 1)
    return code, sums / np.maximum(counts, 1.0)[:, None]


def _centred_tightness(vectors: np.ndarray, code: np.ndarray, means: np.ndarray) -> float:
    """Median cosine of ``vectors`` (one cluster) to their centroid once each row's
    language mean is subtracted."""
    c = vectors - means[code]
    c /= np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
    centre = c.mean(axis=0)
    centre /= max(float(np.linalg.norm(centre)), 1e-12)
    return float(np.median(c @ centre))


def pca_sample(n: int, seed: int = 0) -> np.ndarray | None:
    """Rows of the ``n`` texts the PCA is fitted on (None: all of them)."""
    if n <= PCA_FIT_SAMPLE:
        return None
    return np.random.default_rng(seed).choice(n, PCA_FIT_SAMPLE, replace=False)


def fit_reduction(sample: np.ndarray, *, n_texts: int, dims: int, seed: int = 0) -> PCA:
    """The PCA to ``dims`` dimensions (fewer when the dump has few texts), fitted on
    ``sample`` (at most ``PCA_FIT_SAMPLE`` of the dump's ``n_texts`` vectors)."""
    dims = min(dims, sample.shape[1], max(n_texts - 1, 1))
    return PCA(n_components=dims, random_state=seed).fit(sample)


def reduce_vectors(vectors: np.ndarray, pca: PCA) -> np.ndarray:
    """Unit vectors in the PCA's dimensions (row by row, so a bucket can be reduced apart)."""
    out: np.ndarray = pca.transform(vectors).astype(np.float32)
    norm = np.linalg.norm(out, axis=1, keepdims=True)
    unit: np.ndarray = out / np.where(norm == 0, 1.0, norm)
    return unit


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


def time_buckets(t: np.ndarray, *, t0: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """``(bucket, tail)`` of first-seen times ``t`` (epoch seconds; ``t0`` the dump's
    first): bucket ``(t - t0) // width``, and whether a text lies in the last quarter of its
    bucket (then it is also clustered with the next bucket)."""
    rel = t.astype(np.int64) - int(t0)
    return rel // width, (rel % width) >= 0.75 * width


def bucket_narratives(
    bucket: int,
    vectors: np.ndarray,
    pca: PCA,
    code: np.ndarray,
    *,
    means: np.ndarray,
    poor: np.ndarray,
    params: DetectParams,
    t: np.ndarray | None = None,
) -> tuple[list[tuple[int, np.ndarray]], dict[str, int]]:
    """The narratives of one time bucket: ``[(label, rows)]`` in label order (``rows`` index
    the bucket's texts) and the bucket's stats (``buckets``, ``sampled_buckets``,
    ``loose_clusters``, ``language_clusters``).

    A pure function of the bucket's texts (in ``text_fp`` order): ``vectors`` (unit, full
    space), ``code`` (language codes), and the dump-wide ``pca`` (:func:`fit_reduction`),
    language ``means`` and ``poor`` flags. The bucket is reduced here, on its own rows, so
    both engines compute bit-identical inputs to HDBSCAN (a matrix product over the whole
    dump rounds differently in the last bit). Both engines call it; a sampled bucket draws its
    sample from a generator seeded by the bucket number, so the result does not depend on
    which buckets ran before. ``t`` (the texts' first-seen epoch seconds) lets noise texts
    join the bursts they were posted in (``narrative_join_bursts``, see :func:`join_bursts`)."""
    stats = {"buckets": 0, "sampled_buckets": 0, "loose_clusters": 0, "language_clusters": 0}
    min_cluster = params.narrative_min_cluster
    if vectors.shape[0] < 2 * min_cluster:
        return [], stats
    stats["buckets"] = 1
    rng = np.random.default_rng([0, int(bucket)])
    x = reduce_vectors(vectors, pca)
    labels, sampled = _cluster_bucket(x, min_cluster=min_cluster, rng=rng)
    stats["sampled_buckets"] = int(sampled)
    found: list[tuple[int, np.ndarray]] = []
    for label in np.unique(labels[labels >= 0]):
        members = np.flatnonzero(labels == label)
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
        if blob and need > 0 and _centred_tightness(vectors[members], code[members], means) < need:
            stats["language_clusters"] += 1
            continue
        found.append((int(label), members))
    need = params.narrative_min_centred_cosine
    if len(found) > 1 and t is not None:
        found = merge_overlapping(
            found,
            vectors,
            t,
            params.narrative_min_cosine,
            burst_s=params.narrative_window_s,
            code=code,
            means=means,
            poor=poor,
        )
    if found and params.narrative_join_noise:
        found = join_noise(
            vectors,
            labels,
            found,
            params.narrative_min_cosine,
            code=code,
            means=means,
            poor=poor,
            need=need,
        )
    elif found and params.narrative_join_bursts and t is not None:
        found = join_bursts(
            vectors,
            labels,
            found,
            t,
            burst_s=params.narrative_burst_s,
            min_cosine=params.narrative_burst_min_cosine,
            code=code,
            means=means,
            poor=poor,
            need=need,
        )
    return found, stats


def join_noise(
    vectors: np.ndarray,
    labels: np.ndarray,
    found: list[tuple[int, np.ndarray]],
    min_cosine: float,
    *,
    code: np.ndarray,
    means: np.ndarray,
    poor: np.ndarray,
    need: float,
) -> list[tuple[int, np.ndarray]]:
    """``found`` with each HDBSCAN noise text (``labels < 0``) added to the narrative whose
    centroid (full space, over its kept members) it is closest to, when it lies inside that
    narrative: its cosine to the centroid is at least that of the narrative's farthest
    member (and at least ``min_cosine``), and, for a text in a language the model reads
    poorly (``poor[code]``), its language-centred cosine to the narrative's centred centroid
    is at least ``need`` (when ``need > 0``).

    Off by default (``narrative_join_noise``; see :func:`join_bursts` for the default). It
    completes a paraphrase team's narratives (a 20-account team in the sweep is found at
    0.90-0.95 instead of 0.80-0.85), but it glues organic texts onto narratives too: at 766k
    posts the ``ind`` simulator's 19-account paraphrase team disappears into a
    4,000-6,000-account community of organic narrative ties (found at 16 of 19 without it),
    even with at most a quarter of a narrative's size joined. With ``min_cosine`` alone as
    the bar (no radius) a team is lost at 2,200 accounts already.

    HDBSCAN calls a text noise when too few texts lie densely around it; a team writing
    its own paraphrase of each talking point leaves some of them at the edge of the
    density although they are as close to the talking point as its members must be
    (about 1 in 5 of a 20-account team's posts)."""
    noise = np.flatnonzero(labels < 0)
    if noise.size == 0 or not found:
        return found
    centres = _centroids(vectors, found)
    cos = vectors[noise] @ centres.T
    best = cos.argmax(axis=1)
    # Inside the narrative's own radius: at least as close as its farthest member.
    radius = np.array([float((vectors[m] @ centres[i]).min()) for i, (_, m) in enumerate(found)])
    bars = np.maximum(min_cosine, radius)
    ok = cos[np.arange(noise.size), best] >= bars[best]
    ok &= _reads_alike(
        vectors, noise, best, ok, found, code=code, means=means, poor=poor, need=need
    )
    return _joined(found, noise, ok, best)


def merge_overlapping(
    found: list[tuple[int, np.ndarray]],
    vectors: np.ndarray,
    t: np.ndarray,
    min_cosine: float,
    *,
    burst_s: int,
    code: np.ndarray,
    means: np.ndarray,
    poor: np.ndarray,
) -> list[tuple[int, np.ndarray]]:
    """One bucket's narratives with the bursts that are one story merged: two narratives
    that are each one burst (all members first seen within ``burst_s``,
    ``narrative_window_s``), whose bursts overlap and whose centroids (full space) have a
    cosine of at least ``min_cosine`` (``narrative_min_cosine``, the bar a text must clear
    to stay in a narrative) are one narrative (transitively), under the smallest label.

    HDBSCAN's leaf clusters cut one breaking story into its phrasings: the sweep's
    earthquake was five narratives started within five minutes of each other, centroids at
    cosine 0.78-0.92, and the people posting about it co-acted on "five narratives" that
    were one, which the pair test reads as repetition. A team's talking points are pushed at
    different times, so they stay apart. Topics that run for hours are left as they are:
    merging them too glued a dump's organic narratives into a web that swallowed the ``ind``
    simulator's paraphrase team (19 accounts, F1 0.99 -> 0.94). In a language the model
    reads poorly (see the module docstring) every centroid is close to every other: where
    either narrative is mostly in such a language, the centroids must also be that close
    once each text's language mean is taken away (a dump's Spanish chatter is not one
    story)."""
    n = len(found)
    cent = _centroids(vectors, found)
    lo = np.array([int(t[m].min()) for _, m in found])
    hi = np.array([int(t[m].max()) for _, m in found])
    short = hi - lo <= burst_s
    overlap = (lo[:, None] <= hi[None, :]) & (lo[None, :] <= hi[:, None])
    overlap &= short[:, None] & short[None, :]
    close = (cent @ cent.T >= min_cosine) & overlap
    blob = np.array([float(poor[code[m]].mean()) > 0.5 for _, m in found])
    if close.any() and blob.any():
        centred = _centroids(vectors - means[code], found)
        either = blob[:, None] | blob[None, :]
        close &= ~either | (centred @ centred.T >= min_cosine)
    k, comp = connected_components(sparse.csr_matrix(close), directed=False)
    if k == n:
        return found
    out = []
    for c in range(k):
        idx = np.flatnonzero(comp == c)
        label = min(found[i][0] for i in idx)
        members = np.unique(np.concatenate([found[i][1] for i in idx]))
        out.append((label, members))
    return sorted(out, key=lambda x: x[0])


def join_bursts(
    vectors: np.ndarray,
    labels: np.ndarray,
    found: list[tuple[int, np.ndarray]],
    t: np.ndarray,
    *,
    burst_s: int,
    min_cosine: float,
    code: np.ndarray,
    means: np.ndarray,
    poor: np.ndarray,
    need: float,
) -> list[tuple[int, np.ndarray]]:
    """``found`` with HDBSCAN noise texts joined to the narratives that are one burst (on by
    default: ``narrative_join_bursts``).

    A narrative is a burst when all its members were first seen within ``burst_s``
    (``narrative_burst_s``). A noise text first seen inside such a burst (the burst with it
    still lasts at most ``burst_s``) joins it when its cosine to the narrative's centroid
    (full space) is at least ``min_cosine`` (``narrative_burst_min_cosine``), the closest of
    the bursts it was posted in, and, in a language the model reads poorly, its language-
    centred cosine is at least ``need`` (as in :func:`join_noise`). A team posting its own
    paraphrase of a talking point within a minute leaves most of them at the edge of
    HDBSCAN's density (10 of one sweep team's 15 posts, at cosine 0.69-0.83 to the 5
    clustered ones, all inside the same 50 seconds): the same minute and the same talking
    point is the evidence that the radius alone cannot give. A story talked about over hours
    is no burst and joins nothing, so organic texts are not glued onto the dump's big
    narratives (what made ``narrative_join_noise`` lose a paraphrase team at 766k posts)."""
    noise = np.flatnonzero(labels < 0)
    spans = [(int(t[m].min()), int(t[m].max())) for _, m in found]
    burst = [i for i, (lo, hi) in enumerate(spans) if hi - lo <= burst_s]
    if noise.size == 0 or not burst:
        return found
    lo = np.array([spans[i][0] for i in burst])
    hi = np.array([spans[i][1] for i in burst])
    tn = t[noise][:, None]
    # Posted inside the burst: with the text, it still lasts at most burst_s.
    inside = (tn >= (hi - burst_s)[None, :]) & (tn <= (lo + burst_s)[None, :])
    keep = inside.any(axis=1)
    if not keep.any():
        return found
    noise, inside = noise[keep], inside[keep]
    sub = [found[i] for i in burst]
    centres = _centroids(vectors, sub)
    cos = np.where(inside, vectors[noise] @ centres.T, -np.inf)
    best = cos.argmax(axis=1)
    ok = cos[np.arange(noise.size), best] >= min_cosine
    ok &= _reads_alike(vectors, noise, best, ok, sub, code=code, means=means, poor=poor, need=need)
    joined = _joined(sub, noise, ok, best)
    out = list(found)
    for i, item in zip(burst, joined, strict=True):
        out[i] = item
    return out


def _reads_alike(
    vectors: np.ndarray,
    noise: np.ndarray,
    best: np.ndarray,
    ok: np.ndarray,
    found: list[tuple[int, np.ndarray]],
    *,
    code: np.ndarray,
    means: np.ndarray,
    poor: np.ndarray,
    need: float,
) -> np.ndarray:
    """Whether each noise text may join its ``best`` narrative under the language check: a
    text in a language the model reads poorly (``poor[code]``) needs a language-centred
    cosine of at least ``need`` to the narrative's centred centroid (``need > 0``)."""
    weak = poor[code[noise]]
    if need <= 0 or not bool((ok & weak).any()):
        return np.ones(noise.size, dtype=bool)
    c = vectors - means[code]
    c /= np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)
    cc = _centroids(c, found)
    centred = np.einsum("ij,ij->i", c[noise], cc[best])
    return ~weak | (centred >= need)


def _centroids(x: np.ndarray, found: list[tuple[int, np.ndarray]]) -> np.ndarray:
    """Unit centroids of the rows of ``x`` in each narrative of ``found``."""
    c = np.stack([x[m].mean(axis=0) for _, m in found])
    return c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-12)


def _joined(
    found: list[tuple[int, np.ndarray]], noise: np.ndarray, ok: np.ndarray, best: np.ndarray
) -> list[tuple[int, np.ndarray]]:
    out = []
    for i, (label, members) in enumerate(found):
        extra = noise[ok & (best == i)]
        out.append((label, np.sort(np.concatenate([members, extra])) if extra.size else members))
    return out


def resolve_narratives(
    found: Iterable[tuple[int, int, Sequence[str]]],
) -> tuple[pl.DataFrame, int]:
    """``(text_fp, narrative_id)`` frame and the number of narratives from every bucket's
    clusters ``(bucket, label, text_fps)`` in (bucket, label) order: a text keeps the first
    narrative it lands in, and a cluster with fewer than two texts not yet in one is no
    narrative."""
    assigned: dict[str, str] = {}
    narratives = 0
    for b, label, fps in found:
        new = [fp for fp in fps if fp not in assigned]
        if len(new) < 2:
            continue
        narratives += 1
        nid = f"narrative:{int(b)}:{int(label)}"
        for fp in new:
            assigned[fp] = nid
    frame = pl.DataFrame(
        {"text_fp": list(assigned), "narrative_id": list(assigned.values())},
        schema=NARRATIVE_SCHEMA,
    )
    return frame.sort("text_fp"), narratives


def empty_stats() -> dict[str, int]:
    """The narrative stats with every count at zero."""
    return {
        "narratives": 0,
        "buckets": 0,
        "sampled_buckets": 0,
        "loose_clusters": 0,
        "texts_in_narratives": 0,
        "language_clusters": 0,
    }


def narrative_clusters(
    texts: pl.DataFrame, vectors: np.ndarray, params: DetectParams
) -> tuple[pl.DataFrame, dict[str, int]]:
    """``text_fp, narrative_id`` for the texts that fall in a narrative, and stats.

    ``texts``: :func:`cib.detect.semantic_texts` (``text_fp, text_norm, t``), one unit vector
    per row. A text belongs to the narrative of its own bucket; it is also clustered with
    the next bucket when it lies in the last quarter of its own (overlap), and keeps the
    first narrative it lands in. The Spark engine runs the same steps per bucket in its
    executors (:mod:`cib.spark.texts`)."""
    stats = empty_stats()
    min_cluster = params.narrative_min_cluster
    if texts.height < 2 * min_cluster:
        return pl.DataFrame(schema=NARRATIVE_SCHEMA), stats
    pick = pca_sample(vectors.shape[0], seed=0)
    fit = vectors if pick is None else vectors[pick]
    pca = fit_reduction(fit, n_texts=vectors.shape[0], dims=params.narrative_dims, seed=0)
    code, means = _language_means(vectors, texts["lang"] if "lang" in texts.columns else None)
    poor = np.linalg.norm(means, axis=1) >= LANG_BLOB_NORM
    t = texts["t"].to_numpy().astype(np.int64)
    bucket, tail = time_buckets(t, t0=int(t.min()), width=params.narrative_bucket_s)
    fps = texts["text_fp"].to_numpy()
    found: list[tuple[int, int, list[str]]] = []

    def one(b: int) -> tuple[np.ndarray, list[tuple[int, np.ndarray]], dict[str, int]]:
        rows = np.flatnonzero((bucket == b) | ((bucket == b - 1) & tail))
        clusters, st = bucket_narratives(
            b, vectors[rows], pca, code[rows], means=means, poor=poor, params=params, t=t[rows]
        )
        return rows, clusters, st

    # Buckets are independent (bucket_narratives is a pure function of its bucket's texts),
    # and HDBSCAN's compiled parts release the GIL: threads cluster several at once. map
    # keeps bucket order, so the result is the same at any thread count.
    workers = params.threads or os.cpu_count() or 1
    order = np.unique(bucket).tolist()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for b, (rows, clusters, st) in zip(order, pool.map(one, order), strict=True):
            for k, v in st.items():
                stats[k] += v
            found.extend((int(b), label, fps[rows[m]].tolist()) for label, m in clusters)
    frame, stats["narratives"] = resolve_narratives(found)
    stats["texts_in_narratives"] = frame.height
    return frame, stats
