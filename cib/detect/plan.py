"""Which pair evidence a scan computes: one entry per signal, plus a slower time scale for
the timing signals and a faster one for the content signals.

Operators do not all fire within seconds. Shift workers reposting or replying to the same
posts within minutes of each other (the IRA's troll rings, reply brigades) slip past a 60 s
window, while a wider window alone would hand the timing null fans whose fast habits look
synchronised at every scale. So the timing signals are judged twice: at ``window_s`` under
their own name, and at ``timing_slow_window_s`` as ``<signal>_slow`` with its own
repetition floor (``timing_slow_min_coactions``, never below ``min_coactions``) and fewer
partners kept per action (``timing_slow_max_neighbors``: within minutes a popular post has
many more). Both runs go through the same nulls, which judge repetition; an account pair
kept on either counts.

The content signals (``drip_signals``: the same URL, text, near-duplicate, hashtag set or
media) are judged at ``drip_window_s`` (operators drip them out with hours of jitter) and,
with ``drip_fast`` on, at ``window_s`` as ``<signal>_fast``. Within a day a campaign's own
hashtag set or a share-button text is common, so chance explains a pair's two co-uses;
within a minute it does not: a copypasta team or a hashtag push fired in scheduled waves
repeats beyond chance only at the fast scale (the classic co-action network's 60 s window).
At the fast scale the activity null also counts every post of an account on the signal
(``Evidence.all_activity``): within a minute any post could have met another account's, and
a campaign that is nearly alone in sharing its texts or hashtag sets is then not its own
background. At the drip scale it counts only the posts on shared objects: within hours a
legislature's party posts the same talking points organically, and counting all posts there
made each such pair significant (a 242-account party network of a simulated Congress was
flagged).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from cib.config import DetectParams

SLOW_SUFFIX = "_slow"
FAST_SUFFIX = "_fast"
SCALE_SUFFIXES = (FAST_SUFFIX, SLOW_SUFFIX)


@dataclass(frozen=True)
class Evidence:
    """One pair-evidence run: ``name`` (a signal, ``<signal>_slow`` or ``<signal>_fast``)
    reads the events of ``signal`` with its own window, repetition floor and timing rule."""

    name: str
    signal: str
    window_s: int
    min_coactions: int
    max_neighbors: int
    timing: bool
    #: The activity null counts every post on the signal, not only those on shared objects
    #: (the fast content scale: see :func:`cib.detect.pairs.pair_evidence`).
    all_activity: bool = False


def base_signal(name: str) -> str:
    """The signal an evidence name reads (``repost_slow`` -> ``repost``, ``text_fast`` ->
    ``text``)."""
    for sfx in SCALE_SUFFIXES:
        if name.endswith(sfx):
            return name.removesuffix(sfx)
    return name


def base_signal_col(col: str = "signal") -> pl.Expr:
    """:func:`base_signal` of a column of evidence names (keeps the column's name)."""
    return pl.col(col).str.replace(f"({'|'.join(SCALE_SUFFIXES)})$", "")


def scale_rank(col: str = "signal") -> pl.Expr:
    """0 for a fast scale (``_fast``), 1 for a signal's own name, 2 for ``_slow``: the order of
    an evidence name's time scales, fast first (within one signal)."""
    c = pl.col(col)
    return (
        pl.when(c.str.ends_with(FAST_SUFFIX))
        .then(0)
        .when(c.str.ends_with(SLOW_SUFFIX))
        .then(2)
        .otherwise(1)
    )


def evidence_plan(params: DetectParams) -> list[Evidence]:
    """The pair-evidence runs of a scan, in order: every enabled signal, then the slow scale
    of the enabled timing signals (none unless ``timing_slow_window_s`` exceeds
    ``window_s``; 0 switches it off), then the fast scale of the enabled content signals
    (none unless ``drip_fast`` is on and ``drip_window_s`` exceeds ``window_s``)."""
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
    if params.drip_fast and params.drip_window_s > params.window_s:
        plan += [
            Evidence(
                name=s + FAST_SUFFIX,
                signal=s,
                window_s=params.window_s,
                min_coactions=params.min_coactions,
                max_neighbors=params.max_neighbors,
                timing=False,
                all_activity=True,
            )
            for s in params.signals
            if s in params.drip_signals and s not in params.timing_signals
        ]
    return plan


def _window(params: DetectParams, signal: str) -> int:
    if signal == "narrative":
        return params.narrative_window_s
    return params.drip_window_s if signal in params.drip_signals else params.window_s


def windows(params: DetectParams) -> dict[str, int]:
    """Window in seconds per evidence name."""
    return {e.name: e.window_s for e in evidence_plan(params)}
