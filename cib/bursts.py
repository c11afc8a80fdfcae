"""Window-free bursts: when a network acted together, found from the data.

A fixed window (60 s, 15 min) says which co-actions count; it does not say how a network's
activity is structured in time. Here the gaps between a network's synchronised posts, in
time order, set the scale: on a log scale, a gap more than ``GAP_SIGMAS`` robust standard
deviations (1.4826 x MAD) above the median gap ends a burst. So a network that fires within
seconds has bursts split by minutes of quiet, one that works in shifts has bursts split by
hours; no window is chosen. Runs of at least ``MIN_BURST_POSTS`` posts are bursts (when
they started and ended, how long they lasted, how many posts and members); shorter runs are
isolated posts. The report shows each network's burst structure.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import numpy as np

#: Fewest synchronised posts in a burst.
MIN_BURST_POSTS = 3
#: A gap this many robust standard deviations above the median (log scale) ends a burst.
GAP_SIGMAS = 3.0
#: Most posts clustered per network (a sample of them beyond this).
MAX_BURST_POSTS = 20_000
#: Bursts listed per network (the largest).
MAX_BURSTS = 20


def find_bursts(times: np.ndarray, accounts: np.ndarray) -> dict[str, Any]:
    """Bursts of one network's synchronised posts: ``times`` (epoch seconds) and the account
    of each post. Returns ``{"bursts": [...], "in_bursts": share of posts in a burst}``,
    bursts largest first, each ``{start, end, duration_s, posts, members}``."""
    n = times.size
    if n < 2 * MIN_BURST_POSTS:
        return {"bursts": [], "in_bursts": 0.0}
    if n > MAX_BURST_POSTS:
        pick = np.random.default_rng(0).choice(n, MAX_BURST_POSTS, replace=False)
        times, accounts, n = times[pick], accounts[pick], MAX_BURST_POSTS
    order = np.argsort(times, kind="stable")
    times, accounts = times[order], accounts[order]
    gaps = np.log10(1.0 + np.diff(times).astype(np.float64))
    med = float(np.median(gaps))
    mad = 1.4826 * float(np.median(np.abs(gaps - med)))
    cut = med + GAP_SIGMAS * max(mad, 0.25)
    run = np.concatenate([[0], np.cumsum(gaps > cut)])
    sizes = np.bincount(run)
    labels = np.where(sizes[run] >= MIN_BURST_POSTS, run, -1)
    out = []
    for label in np.unique(labels[labels >= 0]):
        sel = labels == label
        t = times[sel]
        out.append(
            {
                "start": _iso(int(t.min())),
                "end": _iso(int(t.max())),
                "duration_s": float(t.max() - t.min()),
                "posts": int(sel.sum()),
                "members": int(np.unique(accounts[sel]).size),
            }
        )
    out.sort(key=lambda b: (-b["posts"], b["start"]))
    return {"bursts": out[:MAX_BURSTS], "in_bursts": round(float((labels >= 0).mean()), 4)}


def _iso(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).isoformat()
