"""Compiled steps 4-5 of the pair plan (numba): shared objects and the timing null's ``q``.

Each account's actions are held sorted by object (CSR: ``start[acc]:start[acc + 1]``). For a
candidate pair the two object lists are merged (``m_a + m_b`` steps, nothing materialised);
the shared objects' delays go to a small buffer, the ``max_shared`` most recent ones (by the
first account's time, then object, both descending) are kept, and ``q`` is counted over
every ordered pair of different kept objects. Pairs are independent, so they run in
parallel. Same definition as the relational plan (``cib.spark.pairs``), exact integers.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange


@njit(cache=True, parallel=True)
def shared_and_q(
    a: np.ndarray,
    b: np.ndarray,
    start: np.ndarray,
    obj: np.ndarray,
    delay: np.ndarray,
    t: np.ndarray,
    has_origin: np.ndarray,
    window_s: int,
    max_shared: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per pair ``(a[i], b[i])``: shared objects, share of them with a known origin, and q
    (NaN when fewer than two shared objects)."""
    n = a.size
    shared = np.zeros(n, dtype=np.uint32)
    origin = np.zeros(n, dtype=np.float64)
    q = np.full(n, np.nan, dtype=np.float64)
    for i in prange(n):
        s1, e1 = start[a[i]], start[a[i] + 1]
        s2, e2 = start[b[i]], start[b[i] + 1]
        cap = min(e1 - s1, e2 - s2)
        ta = np.empty(cap, dtype=np.int64)
        oa = np.empty(cap, dtype=np.int64)
        da = np.empty(cap, dtype=np.int64)
        db = np.empty(cap, dtype=np.int64)
        k = 0
        known = 0
        x, y = s1, s2
        while x < e1 and y < e2:
            if obj[x] < obj[y]:
                x += 1
            elif obj[x] > obj[y]:
                y += 1
            else:
                ta[k] = t[x]
                oa[k] = obj[x]
                da[k] = delay[x]
                db[k] = delay[y]
                known += has_origin[x]
                k += 1
                x += 1
                y += 1
        shared[i] = k
        if k == 0:
            continue
        origin[i] = known / k
        if k < 2:
            continue
        # Most recent first: by the first account's time, then object, both descending.
        order = _recent_order(ta[:k], oa[:k])
        m = min(k, max_shared)
        hits = 0
        for u in range(m):
            du = da[order[u]]
            for v in range(m):
                if u != v:
                    diff = du - db[order[v]]
                    if -window_s <= diff <= window_s:
                        hits += 1
        q[i] = hits / (m * (m - 1.0))
    return shared, origin, q


@njit(cache=True)
def _recent_order(ta: np.ndarray, oa: np.ndarray) -> np.ndarray:
    """Indices sorted by (ta, oa) descending (objects are distinct, so no ties)."""
    order = np.argsort(oa)[::-1]  # object descending ...
    tb = ta[order]
    # ... then a stable sort by time descending keeps object order among equal times.
    second = np.argsort(-tb, kind="mergesort")
    return order[second]
