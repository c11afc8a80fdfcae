"""Report renderers: networks.json, accounts.csv, report.html, report.md, network.gexf,
network.graphml.

The detection pipeline builds the report model (:class:`cib.report.model.Report`; its
serialisation is networks.json, described by ``networks.schema.json`` in this package) and
calls :func:`write_report`. A networks.json document read back is accepted too, and read into
the model once checked. Every renderer treats text from the dump as hostile (see
:mod:`cib.report.safety`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from cib.config import ReportParams
from cib.errors import ConfigError
from cib.report.csv_out import render_accounts_csv, render_csv
from cib.report.gexf import render_gexf
from cib.report.graphml import render_graphml
from cib.report.html import render_html
from cib.report.json_out import VALIDATE_ITEMS, load_schema, render_json, validate_report
from cib.report.markdown import render_markdown
from cib.report.model import Report, ReportLike, as_report
from cib.report.safety import atomic_write
from cib.report.terminal import print_summary, summary_table

#: Output format -> file name.
FILENAMES: dict[str, str] = {
    "json": "networks.json",
    "csv": "accounts.csv",
    "html": "report.html",
    "md": "report.md",
    "gexf": "network.gexf",
    "graphml": "network.graphml",
}
DEFAULT_FORMATS: tuple[str, ...] = tuple(FILENAMES)

_RENDERERS: dict[str, Callable[[Report, ReportParams], str]] = {
    "json": lambda r, p: render_json(r),
    "csv": lambda r, p: render_accounts_csv(r),
    "html": render_html,
    "md": render_markdown,
    "gexf": lambda r, p: render_gexf(r),
    "graphml": lambda r, p: render_graphml(r),
}


def write_report(
    report: ReportLike,
    out_dir: Path,
    *,
    params: ReportParams,
    formats: Iterable[str] = DEFAULT_FORMATS,
    validate: bool = True,
) -> dict[str, Path]:
    """Write the report files for ``report`` into ``out_dir``; return format -> path.

    ``report`` is the model or a networks.json document. Its serialisation is validated
    against the schema first (every network, the first ``VALIDATE_ITEMS`` items of each list
    inside it; ``SchemaError`` names the first bad path), then every requested format is
    rendered in memory, and only then written, each through a temporary file and
    ``os.replace``: a failure leaves no half-written file behind.
    """
    wanted = list(dict.fromkeys(formats))
    bad = [f for f in wanted if f not in FILENAMES]
    if bad:
        raise ConfigError(f"unknown report format(s) {bad}; expected some of {list(FILENAMES)}.")
    if validate:
        doc = report.to_dict() if isinstance(report, Report) else report
        validate_report(doc, items=VALIDATE_ITEMS)
    model = as_report(report)
    rendered = {fmt: _RENDERERS[fmt](model, params) for fmt in wanted}
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {fmt: atomic_write(out / FILENAMES[fmt], text) for fmt, text in rendered.items()}


__all__ = [
    "DEFAULT_FORMATS",
    "FILENAMES",
    "Report",
    "load_schema",
    "print_summary",
    "render_accounts_csv",
    "render_csv",
    "render_gexf",
    "render_graphml",
    "render_html",
    "render_json",
    "render_markdown",
    "summary_table",
    "validate_report",
    "write_report",
]
