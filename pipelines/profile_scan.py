"""Time and memory of one scan, stage by stage (the profile behind BENCHMARKS.md, issue 6).

Usage::

    python pipelines/profile_scan.py DUMP [--work DIR] [--labels labels.csv] [--model minilm]

Runs ``cib.pipeline.scan`` on ``DUMP`` with the default configuration into a fresh store
under ``--work`` (default ``/tmp/cib-profile``). Every pipeline stage and the detection
sub-stages are wrapped (the wrappers only time and sample; they change nothing) and a
thread samples the process's resident set size every 0.2 s. Prints, per stage call,
``(stage path, seconds, RSS MB at entry, RSS MB at exit)``, then the peak RSS seen inside
each stage, the total and ``ru_maxrss``. With ``--labels`` it also scores the flagged
accounts against the planted operations (``cib evaluate``).
"""

from __future__ import annotations

import argparse
import functools
import resource
import shutil
import threading
import time
from pathlib import Path
from typing import Any

_stack: list[str] = []
_log: list[tuple[str, float, float, float]] = []
_peak: dict[str, float] = {}


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _sampler() -> None:
    while True:
        stage = "/".join(_stack) or "-"
        _peak[stage] = max(_peak.get(stage, 0.0), _rss_mb())
        time.sleep(0.2)


def _wrap(owner: Any, name: str, label: str | None = None) -> None:
    fn = getattr(owner, name, None)
    if fn is None:
        return
    label = label or name

    @functools.wraps(fn)
    def inner(*a: Any, **k: Any) -> Any:
        _stack.append(label)
        t, r0 = time.perf_counter(), _rss_mb()
        try:
            return fn(*a, **k)
        finally:
            _log.append(("/".join(_stack), time.perf_counter() - t, r0, _rss_mb()))
            _stack.pop()

    setattr(owner, name, inner)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dump")
    ap.add_argument("--work", default="/tmp/cib-profile")
    ap.add_argument("--labels", default="")
    ap.add_argument("--model", default="", help="embedding model (default: the config's)")
    a = ap.parse_args(argv)

    import cib.detect as D
    import cib.detect.networks as NW
    import cib.detect.pairs as PA
    import cib.pipeline as P
    from cib.config import ScanConfig
    from cib.store import Store, open_store

    for n in (
        "ingest_paths",
        "get_embedder",
        "embed_texts",
        "semantic_clusters",
        "detection_events",
        "detect_events",
        "build_report",
        "annotate_with_history",
        "write_outputs",
    ):
        _wrap(P, n)
    for n in (
        "near_duplicate_clusters",
        "narrative_clusters",
        "extract_events",
        "pair_evidence",
        "find_networks",
        "object_crowds",
    ):
        _wrap(D, n)
    for n in ("first_actions", "band_pairs", "pair_aggregates", "shared_objects", "score_pairs"):
        _wrap(PA, n)
    for n in ("_split", "_separate_tactics", "_prune"):
        _wrap(NW, n, f"networks/{n}")
    for n in ("posts", "semantic_texts", "report_posts", "baseline_aggregates"):
        _wrap(Store, n)
    threading.Thread(target=_sampler, daemon=True).start()

    work = Path(a.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    t0 = time.perf_counter()
    with open_store(work / "store.duckdb") as store:
        cfg = ScanConfig()
        if a.model:
            cfg = ScanConfig.from_dict({"embed": {"model": a.model}})
        res = P.scan(store, [a.dump], work / "report", cfg)
    total = time.perf_counter() - t0
    for stage, sec, r0, r1 in _log:
        print(f"{sec:8.2f} s  {r0:7.0f} -> {r1:7.0f} MB  {stage}")
    print("peak RSS inside each stage:")
    for stage, mb in sorted(_peak.items(), key=lambda kv: -kv[1]):
        print(f"  {mb:7.0f} MB  {stage}")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    nets = len(res.report.networks)
    print(f"total {total:.1f} s, ru_maxrss {maxrss:,.0f} MB, {nets} networks")
    if a.labels:
        from cib.evaluate import evaluate_files

        ev = evaluate_files(a.labels, work / "report" / "accounts.csv")
        print({k: v for k, v in ev.items() if not isinstance(v, (dict, list))})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
