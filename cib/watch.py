"""Scheduled scans of a drop folder (``cib watch``): ingest new dumps, re-detect, write a dated
report folder.

One job (:func:`watch`):

1. takes the job lock ``DB.lock`` (:class:`cib.locking.JobLock`, waiting up to
   ``wait_lock_s``), then DuckDB's own lock on the store within the same budget;
2. ingests every dump file under the drop folder whose sha256 the store has not seen (one
   transaction per file; hidden files and ``*.part`` / ``*.tmp`` / ``*.partial`` /
   ``*.crdownload`` are ignored, so upload to a temporary name and rename);
3. when the store holds files the last finished run did not cover (or with ``force``),
   re-runs detection on all stored posts (embeddings come from the store's cache) and saves
   the run with each network's history (:mod:`cib.tracking`);
4. writes the report of the latest run into ``OUT/<YYYY-MM-DDTHHMMZ>/`` (built in a hidden
   temporary folder, fsynced and renamed, so a dated folder is always complete), with
   ``changes.json``, then repoints ``OUT/latest`` atomically.

A job killed at any point leaves the store consistent; the next job ingests what was not
committed, detects if the last run is missing, and writes a report folder that is missing.
See ``docs/scheduled.md``.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from cib.config import ScanConfig
from cib.errors import CibError, InputError, JobLockedError, StoreLockedError, WriteError
from cib.report.model import Report, as_report

__all__ = ["IGNORED_SUFFIXES", "STEPS", "drop_files", "watch", "write_report_folder"]

#: Names of files still being uploaded: never read.
IGNORED_SUFFIXES = (".part", ".tmp", ".partial", ".crdownload")

#: ``on_step`` is called with these names, each right after a durable step.
STEPS = ("after-file", "after-detect", "report-written")

Log = Callable[[str], None]


def _quiet(msg: str) -> None:
    return None


def _is_store_error(exc: BaseException) -> bool:
    """A DuckDB error: the store (disk full, I/O), not the file being read."""
    return (type(exc).__module__ or "").startswith(("duckdb", "_duckdb"))


# ----------------------------------------------------------------------------- drop folder
def drop_files(drop: Path) -> list[Path]:
    """The dump files under ``drop``, sorted; hidden and partly uploaded files left out."""
    from cib.ingest.paths import DUMP_SUFFIXES

    if not drop.is_dir():
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


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for p in folder.iterdir():
        if p.is_file():
            with open(p, "rb") as fh:
                os.fsync(fh.fileno())
    _fsync_dir(folder)


def _point_latest(reports: Path, name: str) -> None:
    tmp = reports / f".latest.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(name, tmp)
    os.replace(tmp, reports / "latest")
    _fsync_dir(reports)


def _link_returns(report: Report, reports: Path) -> None:
    """Point each returning network at the old track's network in the report folder of its
    run (``history.return_of.report``, relative to the new folder; changes.json carries it)."""
    rets = [
        n["history"]["return_of"]
        for n in report.networks
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
    report: Report,
    reports: Path,
    cfg: ScanConfig,
    extra: dict[str, Any],
    *,
    on_step: Log = _quiet,
) -> Path:
    """Write ``REPORTS/<stamp>/`` for ``report`` (temporary folder, then rename) with
    ``changes.json`` (plus ``extra``), and repoint ``latest`` at it."""
    from cib.pipeline import write_outputs
    from cib.tracking import changes_summary

    run_id = str(report.run["run_id"])
    stamp = _stamp(str(report.run["created_at"]))
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
        on_step("report-written")
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
def _open_when_free(db: Path, deadline: float) -> Any:
    """Open the store for writing; a plain ``cib scan`` holding DuckDB's lock is waited for
    until ``deadline`` (``time.monotonic()``)."""
    from cib.store import open_store

    while True:
        try:
            return open_store(db)
        except StoreLockedError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.2)


def _ingest_drop(
    store: Any,
    drop: Path,
    cfg: ScanConfig,
    summary: dict[str, Any],
    *,
    skip_bad_files: bool,
    log: Log,
    on_step: Log,
) -> None:
    """Ingest every new file of ``drop`` into ``store``, recording each in ``summary``."""
    from cib.pipeline import ingest_paths

    for f in drop_files(drop):
        try:
            [c] = ingest_paths(store, [str(f)], config=cfg, skip_known=True)
        except Exception as exc:
            if _is_store_error(exc):
                raise  # the store, not the file: disk full, I/O error
            msg = str(exc) if isinstance(exc, CibError) else f"{f}: {exc}"
            if not skip_bad_files:
                raise InputError(
                    f"cannot ingest {str(f)!r}: {msg} Nothing was written for this "
                    "file; fix or remove it, or rerun with --skip-bad-files."
                ) from exc
            log(f"skipping unreadable file {f}: {msg}")
            summary["bad_files"].append({"path": str(f), "error": msg})
            continue
        (summary["skipped"] if c.skipped else summary["ingested"]).append(c.as_dict())
        if not c.skipped:
            log(f"ingested {f} ({c.ingested:,} new posts, {c.duplicates:,} duplicates)")
            on_step("after-file")


def _job(
    store: Any,
    drop: Path,
    reports: Path,
    cfg: ScanConfig,
    *,
    skip_bad_files: bool,
    force: bool,
    log: Log,
    on_step: Log,
) -> dict[str, Any]:
    """Steps 2-4 of the job on an open store; returns the summary."""
    from cib.pipeline import detect_store
    from cib.tracking import changes_summary

    summary: dict[str, Any] = {"ingested": [], "skipped": [], "bad_files": []}
    reports.mkdir(parents=True, exist_ok=True)
    _clean_stale(reports)
    _ingest_drop(store, drop, cfg, summary, skip_bad_files=skip_bad_files, log=log, on_step=on_step)
    last = store.last_run_meta()
    pending = store.ingested_sha256() - (last["sha256"] if last else set())
    if pending or force or last is None:
        if store.counts()["posts"] == 0:
            summary["status"] = "empty"
            log(f"no posts yet: the drop folder {str(drop)!r} holds no new dump")
            return summary
        log(f"detecting on the whole store ({len(pending)} new file(s))")
        report = as_report(detect_store(store, cfg))
        summary["detected"] = True
        on_step("after-detect")
    else:
        last_report = store.last_report()
        assert last_report is not None
        report = as_report(last_report)
        summary["detected"] = False
    latest = reports / "latest"
    if _run_id_of(latest) == str(report.run["run_id"]):
        summary["status"] = "nothing new"
        summary["report"] = str(latest.resolve())
        summary["changes"] = changes_summary(report)
        summary["changes"]["alert"] = False  # already reported by an earlier job
        return summary
    folder = write_report_folder(
        report, reports, cfg, {"bad_files": summary["bad_files"]}, on_step=on_step
    )
    summary["status"] = "report written"
    summary["report"] = str(folder)
    summary["changes"] = changes_summary(report)
    log(f"report written to {folder}")
    return summary


def watch(
    drop: str | Path,
    *,
    db: str | Path,
    out: str | Path,
    config: ScanConfig,
    wait_lock_s: float,
    skip_bad_files: bool = False,
    force: bool = False,
    log: Log = _quiet,
    on_step: Log = _quiet,
) -> dict[str, Any]:
    """Run one scheduled job on the drop folder ``drop`` (see the module docstring).

    Parameters
    ----------
    drop : str or Path
        Folder where new dump files arrive.
    db : str or Path
        DuckDB store file (created if missing); the job lock is ``DB.lock``.
    out : str or Path
        Folder of the dated report folders and the ``latest`` link.
    config : ScanConfig
        Detection and report settings.
    wait_lock_s : float
        Seconds to wait for another run to release the store.
    skip_bad_files : bool
        List unreadable files under ``bad_files`` (changes.json) and go on, instead of
        raising :class:`~cib.errors.InputError`.
    force : bool
        Re-detect and write a report even when no file is new.
    log : callable
        Receives one line per step (files ingested, detection, the report folder).
    on_step : callable
        Called with a name of :data:`STEPS` right after that step is durable.

    Returns
    -------
    dict
        ``status`` ('report written', 'nothing new' or 'empty'), ``ingested``, ``skipped``,
        ``bad_files``, ``detected``, ``report`` (the folder) and ``changes`` (changes.json).

    Raises
    ------
    JobLockedError
        Another run holds the store for longer than ``wait_lock_s`` (exit 75).
    InputError
        The drop folder is missing, or a file cannot be read (without ``skip_bad_files``).
    WriteError
        The store or a report folder cannot be written (disk full, permissions); no report
        folder is left half-written and the next job picks up where this one stopped.
    """
    from cib.locking import JobLock

    drop, reports, db = Path(drop), Path(out), Path(db)
    try:
        with JobLock(db, wait_s=wait_lock_s):
            # The job lock keeps other jobs out; a plain `cib scan` on the same store is kept
            # out by DuckDB's own lock, which we wait for within the same budget.
            with _open_when_free(db, time.monotonic() + wait_lock_s) as store:
                return _job(
                    store,
                    drop,
                    reports,
                    config,
                    skip_bad_files=skip_bad_files,
                    force=force,
                    log=log,
                    on_step=on_step,
                )
    except StoreLockedError as exc:
        raise JobLockedError(str(exc)) from exc
    except CibError:
        raise
    except Exception as exc:
        err = _write_error(exc, db)
        if err is None:
            raise
        raise err from exc


def _write_error(exc: Exception, db: Path) -> WriteError | None:
    """The :class:`WriteError` a failed write of the job stands for (None for any other
    failure): the disk or permissions (``OSError``), or the store."""
    if isinstance(exc, OSError):
        what = "disk full" if exc.errno == 28 else (exc.strerror or type(exc).__name__)
        return WriteError(
            f"{what}: {exc}. No report folder was written; the store is consistent and the "
            "next job picks up where this one stopped."
        )
    if _is_store_error(exc):
        return WriteError(
            f"store {str(db)!r}: {exc}. No report folder was written; the next job "
            "retries (check free disk space and permissions)."
        )
    return None
