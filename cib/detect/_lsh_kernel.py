"""Compiled inner loop of the semantic LSH (numba): verify bucket pairs, join components.

One call handles every bucket of one band. For each pair of texts in a bucket it skips pairs
already in one component (union-find with path halving), then checks the coarse and the fine
sign sketch (Hamming distance via SWAR popcount), then the exact float32 dot product of the
unit vectors; a pair at or above the threshold joins the two components. No pair array is
materialised, so cost is a few nanoseconds per candidate and memory is constant. The
functions release the GIL: threads run bands on their own forests, merged at the end.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_M1 = np.uint64(0x5555555555555555)
_M2 = np.uint64(0x3333333333333333)
_M4 = np.uint64(0x0F0F0F0F0F0F0F0F)
_H01 = np.uint64(0x0101010101010101)


@njit(cache=True, inline="always")
def _popcount(x: np.uint64) -> int:
    x = x - ((x >> np.uint64(1)) & _M1)
    x = (x & _M2) + ((x >> np.uint64(2)) & _M2)
    x = (x + (x >> np.uint64(4))) & _M4
    return int((x * _H01) >> np.uint64(56))


@njit(cache=True, inline="always")
def _find(parent: np.ndarray, x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True)
def _hamming(sk: np.ndarray, a: int, b: int, limit: int) -> int:
    h = 0
    for w in range(sk.shape[1]):
        h += _popcount(sk[a, w] ^ sk[b, w])
        if h > limit:
            return h
    return h


@njit(cache=True, nogil=True)
def join_band(
    order: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    vectors: np.ndarray,
    coarse: np.ndarray,
    fine: np.ndarray,
    parent: np.ndarray,
    r_coarse: int,
    r_fine: int,
    threshold: float,
) -> tuple[int, int, int]:
    """Join similar pairs of each bucket ``order[starts[k]:ends[k]]`` into ``parent``.

    The coarse sketch is first copied into bucket order, so the test most pairs fail reads
    memory in sequence; only the pairs that pass it touch the union-find and the vectors.

    Returns (candidate pairs, pairs verified by exact dot product, pairs that joined)."""
    words = coarse.shape[1]
    sk = np.empty((order.size, words), dtype=coarse.dtype)
    for i in range(order.size):
        for w in range(words):
            sk[i, w] = coarse[order[i], w]
    dim = vectors.shape[1]
    n_cand = 0
    n_verified = 0
    n_joined = 0
    for k in range(starts.size):
        s = starts[k]
        e = ends[k]
        n_cand += (e - s) * (e - s - 1) // 2
        for i in range(s, e):
            a = order[i]
            for j in range(i + 1, e):
                if _hamming(sk, i, j, r_coarse) > r_coarse:
                    continue
                b = order[j]
                ra = _find(parent, a)
                rb = _find(parent, b)
                if ra == rb:
                    continue
                if _hamming(fine, a, b, r_fine) > r_fine:
                    continue
                n_verified += 1
                dot = np.float32(0.0)
                for d in range(dim):
                    dot += vectors[a, d] * vectors[b, d]
                if dot >= threshold:
                    if ra < rb:
                        parent[rb] = ra
                    else:
                        parent[ra] = rb
                    n_joined += 1
    return n_cand, n_verified, n_joined


@njit(cache=True, nogil=True)
def roots(parent: np.ndarray) -> np.ndarray:
    """The component root of every item."""
    out = np.empty(parent.size, dtype=parent.dtype)
    for i in range(parent.size):
        out[i] = _find(parent, i)
    return out


@njit(cache=True, nogil=True)
def merge_into(parent: np.ndarray, other: np.ndarray) -> None:
    """Join into ``parent`` every component of the forest ``other`` (the components of the
    union of both forests' joins)."""
    for i in range(other.size):
        ra = _find(parent, i)
        rb = _find(parent, _find(other, i))
        if ra < rb:
            parent[rb] = ra
        elif rb < ra:
            parent[ra] = rb
