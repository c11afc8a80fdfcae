"""cib: detect coordinated inauthentic behaviour in dumps of social media posts.

The library API (:mod:`cib.api`) is loaded on first use, so ``import cib`` and the CLI stay
light: ``cib.scan``, ``cib.ScanResult``, ``cib.ingest_paths``, ``cib.detect_run``,
``cib.detect_store``, ``cib.report_from_store``, ``cib.render_report``,
``cib.evaluate_files``, ``cib.open_store``, ``cib.load_config``. The names ``cib.ingest``,
``cib.detect``, ``cib.report`` and ``cib.evaluate`` are the subpackages, not functions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cib.config import ScanConfig
from cib.errors import CibError, ConfigError, InputError, SchemaError, StoreVersionError

__version__ = "0.1.0"

#: The store file the CLI and :func:`cib.scan` use when none is given (working directory).
DEFAULT_DB = "cib.duckdb"

if TYPE_CHECKING:
    from cib.api import (
        ScanResult,
        detect_run,
        detect_store,
        evaluate_files,
        ingest_paths,
        load_config,
        open_store,
        render_report,
        report_from_store,
        scan,
    )

_API = frozenset(
    {
        "ScanResult",
        "detect_run",
        "detect_store",
        "evaluate_files",
        "ingest_paths",
        "load_config",
        "open_store",
        "render_report",
        "report_from_store",
        "scan",
    }
)


def __getattr__(name: str) -> Any:
    """Load the names of :mod:`cib.api` on first use (PEP 562)."""
    if name in _API:
        from cib import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'cib' has no attribute {name!r}")


__all__ = [
    "DEFAULT_DB",
    "CibError",
    "ConfigError",
    "InputError",
    "ScanConfig",
    "ScanResult",
    "SchemaError",
    "StoreVersionError",
    "__version__",
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
