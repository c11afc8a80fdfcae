"""Which pair evidence a scan computes: one entry per signal, plus a slower time scale for
the timing signals.

Operators do not all fire within seconds. Shift workers reposting or replying to the same
posts within minutes of each other (the IRA's troll rings, reply brigades) slip past a 60 s
window, while a wider window alone would hand the timing null fans whose fast habits look
synchronised at every scale. So the timing signals are judged twice: at ``window_s`` under
their own name, and at ``timing_slow_window_s`` as ``<signal>_slow`` with its own
repetition floor (``timing_slow_min_coactions``, never below ``min_coactions``) and fewer
partners kept per action (``timing_slow_max_neighbors``: within minutes a popular post has
many more). Both runs go through the same nulls, which judge repetition; an account pair
kept on either counts.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cib.config import DetectParams

SLOW_SUFFIX = "_slow"


@dataclass(frozen=True)
class Evidence:
    """One pair-evidence run: ``name`` (a signal, or ``<signal>_slow``) reads the events of
    ``signal`` with its own window, repetition floor and timing rule."""

    name: str
    signal: str
    window_s: int
    min_coactions: int
    max_neighbors: int
    timing: bool


def base_signal(name: str) -> str:
    """The signal an evidence name reads (``repost_slow`` -> ``repost``)."""
    return name.removesuffix(SLOW_SUFFIX)


def base_signal_col(col: str = "signal") -> pl.Expr:
    """:func:`base_signal` of a column of evidence names (keeps the column's name)."""
    return pl.col(col).str.strip_suffix(SLOW_SUFFIX)


def evidence_plan(params: DetectParams) -> list[Evidence]:
    """The pair-evidence runs of a scan, in order: every enabled signal, then the slow scale
    of the enabled timing signals (none unless ``timing_slow_window_s`` exceeds
    ``window_s``; 0 switches it off)."""
    plan = [
        Evidence(
            name=s,
            signal=s,
            window_s=_window(params, s),
            min_coactions=params.min_coactions,
            max_neighbors=params.max_neighbors,
            timing=s in params.timing_signals,
        )
        for s in params.signals
    ]
    if params.timing_slow_window_s > params.window_s:
        plan += [
            Evidence(
                name=s + SLOW_SUFFIX,
                signal=s,
                window_s=params.timing_slow_window_s,
                min_coactions=max(params.min_coactions, params.timing_slow_min_coactions),
                max_neighbors=min(params.max_neighbors, params.timing_slow_max_neighbors),
                timing=True,
            )
            for s in params.signals
            if s in params.timing_signals and s not in params.drip_signals
        ]
    return plan


def _window(params: DetectParams, signal: str) -> int:
    if signal == "narrative":
        return params.narrative_window_s
    return params.drip_window_s if signal in params.drip_signals else params.window_s


def windows(params: DetectParams) -> dict[str, int]:
    """Window in seconds per evidence name."""
    return {e.name: e.window_s for e in evidence_plan(params)}
