"""The window rule, locked in by the hand-made boundary fixture (sample_data/boundary)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from cib.config import DetectParams
from cib.detect.pairs import pair_evidence
from cib.detect.signals import SignalContext, extract_events
from cib.ingest import read_file

FIXTURE = Path(__file__).parents[1] / "sample_data" / "boundary" / "posts.csv"


@pytest.fixture(scope="module")
def events() -> pl.DataFrame:
    res = read_file(FIXTURE)
    assert res.quarantine.height == 0
    assert res.posts.height == 20
    ctx = SignalContext(params=DetectParams(signals=["repost"]))
    return extract_events(res.posts.lazy(), ctx)


def _pairs(events: pl.DataFrame, **kw: int) -> dict[tuple[str, str], int]:
    edges, co, stats = pair_evidence(
        events,
        window_s=60,
        min_coactions=1,
        max_neighbors=kw.get("max_neighbors", 50),
        min_z=-1e9,
        min_timing_z=-1e9,
        timing=True,
    )
    return {
        (a, b): int(n)
        for a, b, n in edges.select("account_a", "account_b", "n_coactions").iter_rows()
    }


def test_inclusive_window_and_first_action_rule(events: pl.DataFrame) -> None:
    # Expected counts are derived row by row in sample_data/boundary/README.md.
    assert _pairs(events) == {
        ("A", "B"): 3,  # o1 (59 s), o2 (60 s, on the edge), o4 (minute resolution, 60 s)
        ("A", "C"): 2,  # o1 (60 s), o2 (0 s); o4 is 120 s apart
        ("B", "C"): 3,  # o1, o2, o4
        ("B", "D"): 1,  # o1 (2 s)
        ("C", "D"): 1,  # o1 (1 s)
        ("D", "E"): 2,  # o1 (60 s), o5 (+02:00 offset vs Z, 60 s)
        ("F", "G"): 1,  # o6: epoch seconds vs epoch milliseconds, 60 s
    }


def test_neighbour_cap_keeps_nearest(events: pl.DataFrame) -> None:
    # Each action pairs only with the next one on its object: o1 loses A-C and B-D.
    pairs = _pairs(events, max_neighbors=1)
    assert pairs[("A", "C")] == 1  # o2 only (A and C tie at 0 s; ties break by account)
    assert ("B", "D") not in pairs
    assert pairs[("A", "B")] == 2  # o1, o4 (on o2, B's neighbour is C)
