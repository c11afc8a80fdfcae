#!/usr/bin/env python3
"""Scheduled scan of a drop folder: the old entry point of ``cib watch`` (docs/scheduled.md).

    python pipelines/nightly_scan.py --drop DIR --db FILE --reports DIR [cib watch options]

runs ``cib watch DIR --db FILE --out DIR [options]``: the same options (``--exit-on-new``,
``--wait-lock SECONDS``, ``--config``, ``--model``, ``--skip-bad-files``, ``--force``,
``--json``, ...) and exit codes (0 done, 1 unexpected failure, 2 input/store/disk error,
3 new or re-emerged flagged networks with ``--exit-on-new``, 75 store locked). New cron
entries can call ``cib watch`` directly.
"""

from __future__ import annotations

import sys

from cib.cli import cli


def watch_args(argv: list[str]) -> list[str]:
    """``--drop DIR ... --reports DIR`` as ``watch DIR ... --out DIR``."""
    args, drop = list(argv), []
    if "--drop" in args:
        i = args.index("--drop")
        drop = args[i + 1 : i + 2]
        del args[i : i + 2]
    return ["watch", *drop, *("--out" if a == "--reports" else a for a in args)]


def main(argv: list[str] | None = None) -> int:
    try:
        cli.main(watch_args(sys.argv[1:] if argv is None else argv), prog_name="nightly_scan")
    except SystemExit as done:
        return int(done.code or 0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
