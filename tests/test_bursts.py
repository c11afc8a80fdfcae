"""Window-free bursts and narrative evidence terms."""

from __future__ import annotations

import numpy as np

from cib.assemble import top_terms
from cib.bursts import find_bursts


def test_two_waves_are_two_bursts_and_strays_are_noise() -> None:
    rng = np.random.default_rng(0)
    wave1 = 1_000_000 + rng.integers(0, 120, 30)  # 30 posts within 2 minutes
    wave2 = 1_050_000 + rng.integers(0, 600, 20)  # 20 posts within 10 minutes, 14 h later
    strays = np.array([1_020_000, 1_030_000, 1_040_000])
    times = np.concatenate([wave1, wave2, strays])
    accounts = np.array([f"a{i % 12}" for i in range(times.size)])
    out = find_bursts(times, accounts)
    assert len(out["bursts"]) == 2
    big, small = out["bursts"]
    assert big["posts"] == 30 and big["duration_s"] <= 120 and big["members"] == 12
    assert small["posts"] == 20 and small["duration_s"] <= 600
    assert out["in_bursts"] == round(50 / 53, 4)


def test_too_few_posts_have_no_bursts() -> None:
    assert find_bursts(np.array([1, 2, 3]), np.array(["a", "b", "c"]))["bursts"] == []


def test_top_terms_say_what_a_narrative_is_about() -> None:
    texts = [
        "The mayor hid the flood report from voters",
        "Flood report buried by the mayor, voters deserve answers",
        "Why did the mayor bury the flood report?",
    ]
    terms = top_terms(texts, k=3)
    assert set(terms) == {"flood", "mayor", "report"}
