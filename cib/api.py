"""The library API for notebooks and scripts: the functions the CLI calls.

``cib.scan`` is ``cib scan`` (ingest, detect, optionally write the outputs) and returns a
:class:`~cib.pipeline.ScanResult`. The stages are exported under names that do not shadow
cib's subpackages (``cib.ingest``, ``cib.detect``, ``cib.report`` and ``cib.evaluate`` stay
modules):

==========================  =============================================================
``cib.ingest_paths``        ``cib ingest``: read dumps into a store (``cib.open_store``)
``cib.detect_run``          ``cib detect``: report model and evidence, as a ScanResult
``cib.detect_store``        the report model of ``detect_run`` alone
``cib.report_from_store``   the report model of a stored run (``cib report``)
``cib.render_report``       write the output files of a report model
``cib.evaluate_files``      ``cib evaluate``: scores of accounts.csv against labels
==========================  =============================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from cib import DEFAULT_DB
from cib.config import ScanConfig
from cib.evaluate import evaluate_files
from cib.pipeline import (
    ScanResult,
    detect_run,
    detect_store,
    ingest_paths,
    report_from_store,
)
from cib.pipeline import scan as _scan_store
from cib.pipeline import write_outputs as render_report
from cib.store import Store, open_store

__all__ = [
    "ScanResult",
    "Store",
    "detect_run",
    "detect_store",
    "evaluate_files",
    "ingest_paths",
    "load_config",
    "open_store",
    "render_report",
    "report_from_store",
    "scan",
]


def load_config(config: ScanConfig | str | Path | None) -> ScanConfig:
    """A ``ScanConfig`` as given, read from a TOML file path, or the defaults for None."""
    if isinstance(config, ScanConfig):
        return config
    return ScanConfig.load(config)


def scan(
    paths: str | Path | Sequence[str | Path],
    *,
    db: str | Path | None = None,
    config: ScanConfig | str | Path | None = None,
    out: str | Path | None = None,
    fmt: str | None = None,
    mapping: dict[str, str] | str | None = None,
    platform: str | None = None,
    console: Console | None = None,
) -> ScanResult:
    """Ingest ``paths`` into the store ``db``, detect on the whole store, return the result.

    Parameters
    ----------
    paths : a dump file, directory or glob, or several.
    db : the DuckDB store file, created if needed; default ``cib.duckdb`` in the working
        directory (as the CLI).
    config : a ``ScanConfig``, a path to a TOML file, or None for the defaults.
    out : when given, every output file is written there (else call ``result.write``).
    fmt, mapping, platform : as ``--format``, ``--map`` (a dict or ``"k=v,..."``) and
        ``--platform``; ``fmt`` None keeps the config's ``ingest.format``.
    console : a rich console for progress bars; None shows none.
    """
    from cib.ingest import parse_mapping

    cfg = load_config(config).override(ingest={"format": fmt})
    files = [str(paths)] if isinstance(paths, str | Path) else [str(p) for p in paths]
    if isinstance(mapping, str):
        mapping = parse_mapping(mapping)
    with open_store(db or DEFAULT_DB) as store:
        return _scan_store(
            store, files, out, cfg, mapping=mapping, platform=platform, console=console
        )
