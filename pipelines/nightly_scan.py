#!/usr/bin/env python3
"""Scheduled scan of a drop folder: ingest new dumps, re-detect, write a dated report.

    python pipelines/nightly_scan.py --drop DIR --db FILE --reports DIR \\
        [--exit-on-new] [--wait-lock SECONDS] [--config TOML] [--model NAME] \\
        [--skip-bad-files] [--force] [--json]

One job:

1. takes the job lock ``FILE.lock`` (waits up to ``--wait-lock`` seconds, else exits 75);
2. ingests every dump file under ``--drop`` whose sha256 the store has not seen (one
   transaction per file; hidden files and ``*.part`` / ``*.tmp`` / ``*.partial`` are ignored,
   so upload to a temporary name and rename);
3. when the store holds files the last finished run did not cover (or with ``--force``),
   re-runs detection on all stored posts (embeddings are reused from the store's cache) and
   saves the run with each network's history (:mod:`cib.tracking`);
4. writes the report of the latest run into ``REPORTS/<YYYY-MM-DDTHHMMZ>/`` (built in a hidden
   temporary folder and renamed, so a dated folder is always complete), including
   ``changes.json``, then repoints ``REPORTS/latest`` atomically.

A job killed at any point leaves the store consistent; the next job ingests what was not
committed, detects if the last run is missing, and writes a report folder that is missing.

Exit codes: 0 done (also: nothing new), 1 unexpected failure, 2 input/store/disk error
(message on stderr, no report folder written), 3 with ``--exit-on-new`` when a flagged
network is new or re-emerged, 75 the store is locked by another run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

EXIT_OK, EXIT_FAIL, EXIT_ERROR, EXIT_NEW, EXIT_LOCKED = 0, 1, 2, 3, 75
IGNORED_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload")


def _log(msg: str) -> None:
    print(f"nightly_scan: {msg}", file=sys.stderr, flush=True)


def _checkpoint(name: str) -> None:
    """Test hook: with CIB_NIGHTLY_PAUSE_AT=name, announce and sleep (to be killed there)."""
    if os.environ.get("CIB_NIGHTLY_PAUSE_AT") == name:
        flag = os.environ.get("CIB_NIGHTLY_PAUSE_FILE")
        if flag:
            Path(flag).write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("CIB_NIGHTLY_PAUSE_S", "120")))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        prog="nightly_scan",
        description="Ingest new dumps from a drop folder, re-detect, write a dated report.",
        epilog="Exit codes: 0 done, 1 unexpected failure, 2 input/store/disk error, "
        "3 new or re-emerged flagged networks (with --exit-on-new), 75 store locked.",
    )
    ap.add_argument("--drop", required=True, help="Folder where new dump files arrive.")
    ap.add_argument("--db", required=True, help="DuckDB store file (created if missing).")
    ap.add_argument("--reports", required=True, help="Folder for dated report folders.")
    ap.add_argument(
        "--exit-on-new",
        action="store_true",
        help="Exit 3 when a flagged network is new or re-emerged.",
    )
    ap.add_argument(
        "--wait-lock",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="Wait this long for another run to release the store (default: 0).",
    )
    ap.add_argument("--config", default=None, help="cib TOML config file.")
    ap.add_argument("--model", default=None, help="Embedding model (overrides the config).")
    ap.add_argument(
        "--skip-bad-files",
        action="store_true",
        help="Report unreadable files in changes.json and go on, instead of failing.",
    )
    ap.add_argument(
        "--force",
        action="store_true",
        help="Re-detect and write a report even when no file is new.",
    )
    ap.add_argument("--json", action="store_true", help="Print a JSON summary on stdout.")
    return ap.parse_args(argv)


# ----------------------------------------------------------------------------- drop folder
def drop_files(drop: Path) -> list[Path]:
    from cib.ingest.paths import DUMP_SUFFIXES

    if not drop.is_dir():
        from cib.errors import InputError

        raise InputError(f"drop folder {str(drop)!r} does not exist or is not a folder.")
    out = []
    for p in sorted(drop.rglob("*")):
        rel = p.relative_to(drop)
        if any(part.startswith(".") for part in rel.parts) or not p.is_file():
            continue
        name = p.name.lower()
        if name.endswith(IGNORED_SUFFIXES) or not name.endswith(DUMP_SUFFIXES):
            continue
        out.append(p)
    return out


# ----------------------------------------------------------------------------- report folder
def _stamp(created_at: str) -> str:
    t = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    return t.strftime("%Y-%m-%dT%H%MZ")


def _run_id_of(folder: Path) -> str | None:
    try:
        with open(folder / "networks.json", encoding="utf-8") as fh:
            return str(json.load(fh)["run"]["run_id"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _fsync_tree(folder: Path) -> None:
    for p in folder.iterdir():
        if p.is_file():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _point_latest(reports: Path, name: str) -> None:
    tmp = reports / f".latest.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(name, tmp)
    os.replace(tmp, reports / "latest")
    _fsync_tree_dir(reports)


def _fsync_tree_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _link_returns(report: dict[str, Any], reports: Path) -> None:
    """Point each returning network at the old track's network in the report folder of its
    run (``history.return_of.report``, relative to the new folder; changes.json carries it)."""
    rets = [
        n["history"]["return_of"]
        for n in report.get("networks", [])
        if (n.get("history") or {}).get("return_of", {}) and n["history"]["return_of"].get("run_id")
    ]
    if not rets:
        return
    folders: dict[str, str] = {}
    for f in sorted(reports.iterdir()):
        if f.is_dir() and not f.name.startswith(".") and not f.is_symlink():
            rid = _run_id_of(f)
            if rid:
                folders.setdefault(rid, f.name)
    for r in rets:
        name = folders.get(str(r["run_id"]))
        if name:
            r["report"] = f"../{name}/report.html#net-{int(r['network_id'])}"


def write_report_folder(
    report: dict[str, Any], reports: Path, cfg: Any, extra: dict[str, Any]
) -> Path:
    """Write REPORTS/<stamp>/ for ``report`` (temp folder + rename) and repoint ``latest``."""
    from cib.pipeline import write_outputs
    from cib.tracking import changes_summary

    run_id = str(report["run"]["run_id"])
    stamp = _stamp(str(report["run"]["created_at"]))
    final = reports / stamp
    if final.exists() and _run_id_of(final) != run_id:
        final = reports / f"{stamp}-{run_id[:6]}"
    if final.exists() and _run_id_of(final) == run_id:
        _point_latest(reports, final.name)  # written before; a crash stopped the relink
        return final
    tmp = reports / f".tmp-{final.name}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    try:
        _link_returns(report, reports)
        write_outputs(report, tmp, cfg)
        changes = changes_summary(report) | extra
        with open(tmp / "changes.json", "w", encoding="utf-8") as fh:
            json.dump(changes, fh, indent=1, default=str)
            fh.write("\n")
        _checkpoint("report-written")
        _fsync_tree(tmp)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point_latest(reports, final.name)
    return final


def _clean_stale(reports: Path) -> None:
    """Remove temporary folders of killed jobs (we hold the lock: nobody else writes)."""
    for p in reports.glob(".tmp-*"):
        shutil.rmtree(p, ignore_errors=True)
    for p in reports.glob(".latest.*"):
        p.unlink(missing_ok=True)


# ----------------------------------------------------------------------------- the job
def run_job(args: argparse.Namespace) -> dict[str, Any]:
    from cib.config import ScanConfig
    from cib.errors import CibError, InputError, StoreLockedError
    from cib.locking import JobLock
    from cib.pipeline import detect_store, ingest_paths
    from cib.store import open_store
    from cib.tracking import changes_summary

    cfg = ScanConfig.load(args.config)
    if args.model:
        cfg = cfg.override(embed={"model": args.model})
    drop, reports, db = Path(args.drop), Path(args.reports), Path(args.db)
    summary: dict[str, Any] = {"ingested": [], "skipped": [], "bad_files": []}
    with JobLock(db, wait_s=args.wait_lock):
        # The job lock keeps other jobs out; a plain `cib scan` on the same store is kept out
        # by DuckDB's own lock, which we wait for within the same budget.
        deadline = time.monotonic() + args.wait_lock
        while True:
            try:
                store = open_store(db)
                break
            except StoreLockedError:
                if time.monotonic() >= deadline:
                    raise
                time.sleep(0.2)
        with store:
            reports.mkdir(parents=True, exist_ok=True)
            _clean_stale(reports)
            for f in drop_files(drop):
                try:
                    [c] = ingest_paths(store, [str(f)], config=cfg, skip_known=True)
                except Exception as exc:
                    if (type(exc).__module__ or "").startswith(("duckdb", "_duckdb")):
                        raise  # the store, not the file: disk full, I/O error
                    msg = str(exc) if isinstance(exc, CibError) else f"{f}: {exc}"
                    if not args.skip_bad_files:
                        raise InputError(
                            f"cannot ingest {str(f)!r}: {msg} Nothing was written for this "
                            "file; fix or remove it, or rerun with --skip-bad-files."
                        ) from exc
                    _log(f"skipping unreadable file {f}: {msg}")
                    summary["bad_files"].append({"path": str(f), "error": msg})
                    continue
                (summary["skipped"] if c.skipped else summary["ingested"]).append(c.as_dict())
                if not c.skipped:
                    _log(f"ingested {f} ({c.ingested:,} new posts, {c.duplicates:,} duplicates)")
                    _checkpoint("after-file")
            last = store.last_run_meta()
            pending = store.ingested_sha256() - (last["sha256"] if last else set())
            if pending or args.force or last is None:
                if store.counts()["posts"] == 0:
                    summary["status"] = "empty"
                    _log(f"no posts yet: the drop folder {str(drop)!r} holds no new dump")
                    return summary
                _log(f"detecting on the whole store ({len(pending)} new file(s))")
                report = detect_store(store, cfg)
                summary["detected"] = True
                _checkpoint("after-detect")
            else:
                report = store.last_report()
                summary["detected"] = False
            assert report is not None
            latest = reports / "latest"
            if _run_id_of(latest) == str(report["run"]["run_id"]):
                summary["status"] = "nothing new"
                summary["report"] = str(latest.resolve())
                summary["changes"] = changes_summary(report)
                summary["changes"]["alert"] = False  # already reported by an earlier job
                return summary
            extra = {"bad_files": summary["bad_files"]}
            folder = write_report_folder(report, reports, cfg, extra)
            summary["status"] = "report written"
            summary["report"] = str(folder)
            summary["changes"] = changes_summary(report)
            _log(f"report written to {folder}")
    return summary


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        from cib.errors import CibError, StoreLockedError
    except ImportError as exc:  # pragma: no cover - environment problem
        _log(f"cannot import cib ({exc}); activate the environment where cib is installed.")
        return EXIT_FAIL
    try:
        summary = run_job(args)
    except StoreLockedError as exc:
        _log(str(exc))
        return EXIT_LOCKED
    except CibError as exc:
        _log(f"error: {exc}")
        return EXIT_ERROR
    except OSError as exc:
        what = "disk full" if exc.errno == 28 else (exc.strerror or type(exc).__name__)
        _log(
            f"error: {what}: {exc}. No report folder was written; the store is consistent "
            "and the next job picks up where this one stopped."
        )
        return EXIT_ERROR
    except Exception as exc:  # duckdb errors (I/O, disk) and the like
        mod = type(exc).__module__ or ""
        if mod.startswith(("duckdb", "_duckdb")):
            _log(
                f"error: store {args.db!r}: {exc}. No report folder was written; the next job "
                "retries (check free disk space and permissions)."
            )
            return EXIT_ERROR
        raise
    changes = summary.get("changes") or {}
    code = EXIT_NEW if args.exit_on_new and changes.get("alert") else EXIT_OK
    summary["exit_code"] = code
    if args.json:
        print(json.dumps(summary, default=str))
    else:
        c = changes.get("counts", {})
        _log(
            f"{summary.get('status')}: {len(summary['ingested'])} file(s) ingested, "
            f"{len(summary['skipped'])} already known, {len(summary['bad_files'])} unreadable; "
            + (
                f"{c.get('flagged_networks', 0)} flagged networks ({c.get('new', 0)} new, "
                f"{c.get('re_emerged', 0)} re-emerged, {c.get('grown', 0)} grown, "
                f"{c.get('dormant', 0)} dormant)"
                if c and summary.get("status") != "nothing new"
                else "no new report"
            )
        )
    return code


if __name__ == "__main__":
    sys.exit(main())
