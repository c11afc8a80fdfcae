"""Scheduled, incremental scans: `cib watch` (cib.watch) on daily files of a simulated dump.

400 accounts, 4 days, hash embeddings. The tests that run job after job, or kill a job at each
step, are marked slow; a bad file, a full disk and a renamed file stay in `make test-fast`.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from sched_helpers import daily, write_csv, write_days

from cib.cli import cli
from cib.pipeline import detect_store, ingest_paths
from cib.report.model import as_report
from cib.store import open_store

ROOT = Path(__file__).resolve().parents[1]
CIB = Path(sys.executable).parent / "cib"
#: A `cib watch` job that pauses after one of cib.watch.STEPS, to be killed there.
PAUSED = Path(__file__).with_name("paused_watch.py")


def job_args(tmp: Path, *extra: str) -> list[str]:
    return ["watch", str(tmp / "drop"), "--db", str(tmp / "s.duckdb"),
            "--out", str(tmp / "reports"), "--model", "hash", *extra]  # fmt: skip


def job(tmp: Path, *extra: str) -> int:
    """Exit code of `cib watch` on tmp's drop folder (unexpected errors re-raised)."""
    res = CliRunner().invoke(cli, job_args(tmp, *extra))
    if res.exit_code == 1 and res.exception is not None:
        raise res.exception
    return res.exit_code


def flagged_accounts(report: dict) -> set[str]:
    return {m["account_id"] for n in report["networks"] if n["flagged"] for m in n["members"]}


def latest_report(tmp: Path) -> dict:
    return json.loads((tmp / "reports" / "latest" / "networks.json").read_text())


@pytest.fixture(scope="module")
def day_files(tmp_path_factory: pytest.TempPathFactory, sim_frames: tuple) -> list[Path]:
    return write_days(sim_frames[0], tmp_path_factory.mktemp("days"))


@pytest.fixture(scope="module")
def whole_scan(
    tmp_path_factory: pytest.TempPathFactory, day_files: list[Path], hash_config
) -> dict:
    """One scan of the whole dump at once (the reference), as the networks.json document."""
    d = tmp_path_factory.mktemp("whole")
    with open_store(d / "s.duckdb") as st:
        ingest_paths(st, [str(f) for f in day_files], config=hash_config)
        return as_report(detect_store(st, hash_config)).to_dict()


def _copy(src: Path, dst_dir: Path) -> None:
    dst_dir.mkdir(parents=True, exist_ok=True)
    (dst_dir / src.name).write_bytes(src.read_bytes())


@pytest.mark.slow  # daily files one job after another against one whole scan
def test_daily_files_match_one_scan(tmp_path: Path, day_files: list[Path], whole_scan: dict):
    codes = []
    for f in day_files:
        _copy(f, tmp_path / "drop")
        codes.append(job(tmp_path, "--exit-on-new"))
    assert codes[0] == 3  # first run: everything flagged is new
    inc = latest_report(tmp_path)
    a, b = flagged_accounts(inc), flagged_accounts(whole_scan)
    assert b, "the reference scan flags something"
    # Documented tolerance (docs/scheduled.md): Jaccard of flagged account sets >= 0.9.
    assert len(a & b) / len(a | b) >= 0.9
    folders = sorted(p for p in (tmp_path / "reports").iterdir() if not p.is_symlink())
    assert len(folders) == len(day_files)
    assert all((p / "changes.json").exists() and (p / "networks.json").exists() for p in folders)
    # Each file ingested once; a rerun ingests nothing and writes no new folder.
    assert job(tmp_path, "--exit-on-new") == 0
    with open_store(tmp_path / "s.duckdb", read_only=True) as st:
        ing = st.ingests()
        assert ing.height == len(day_files)
        assert ing["sha256"].n_unique() == len(day_files)
        assert st.runs().height == len(day_files)
    assert len([p for p in (tmp_path / "reports").iterdir() if not p.is_symlink()]) == len(folders)
    # Inputs with sha256 are recorded per run; new_inputs names the file of that run.
    assert inc["run"]["new_inputs"][0]["path"].endswith(day_files[-1].name)
    assert len(inc["run"]["inputs"]) == len(day_files)
    # Networks carry their history; the last run's are mostly continuing.
    statuses = {n["history"]["status"] for n in inc["networks"]}
    assert statuses <= {"new", "continuing", "grown", "shrunk", "re-emerged"}
    assert "continuing" in statuses


def test_same_file_under_new_name_is_skipped(tmp_path: Path, day_files: list[Path]):
    _copy(day_files[0], tmp_path / "drop")
    assert job(tmp_path) == 0
    (tmp_path / "drop" / "again.csv").write_bytes(day_files[0].read_bytes())
    (tmp_path / "drop" / "upload.csv.part").write_text("half a file")
    assert job(tmp_path, "--json") == 0
    with open_store(tmp_path / "s.duckdb", read_only=True) as st:
        assert st.ingests().height == 1
        assert st.runs().height == 1


def _spawn(tmp: Path, pause_at: str | None, *extra: str) -> subprocess.Popen:
    """`cib watch` in a process of its own; with ``pause_at``, one that pauses after that step
    (tests/paused_watch.py) and announces it in ``tmp/paused-<step>``."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    if pause_at:
        cmd = [sys.executable, str(PAUSED), pause_at, str(tmp / f"paused-{pause_at}"),
               str(tmp / "drop"), str(tmp / "s.duckdb"), str(tmp / "reports")]  # fmt: skip
    else:
        cmd = [str(CIB), *job_args(tmp, *extra)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path: Path, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise AssertionError(f"job ended early ({proc.returncode}): {proc.stderr.read()}")
        if time.monotonic() > end:
            raise AssertionError("job did not reach the pause point")
        time.sleep(0.05)


@pytest.mark.slow  # a process killed or held at each step, scans run after run
@pytest.mark.parametrize("stage", ["after-file", "after-detect", "report-written"])
def test_kill_9_then_rerun_gives_the_same_result(
    tmp_path: Path, day_files: list[Path], whole_scan: dict, stage: str
):
    for f in day_files:
        _copy(f, tmp_path / "drop")
    proc = _spawn(tmp_path, stage)
    _wait_for(tmp_path / f"paused-{stage}", proc)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    # Nothing half-written is visible: no dated folder without its files, no latest link
    # to a missing folder.
    reports = tmp_path / "reports"
    visible = (
        [p for p in reports.iterdir() if not p.name.startswith(".")] if reports.exists() else []
    )
    assert visible == []
    assert job(tmp_path) == 0
    rep = latest_report(tmp_path)
    assert flagged_accounts(rep) == flagged_accounts(whole_scan)
    with open_store(tmp_path / "s.duckdb", read_only=True) as st:
        assert st.ingests().height == len(day_files)
        assert st.counts()["posts"] == whole_scan["run"]["counts"]["posts"]
    assert not list(reports.glob(".tmp-*"))


@pytest.mark.slow  # a process killed or held at each step, scans run after run
def test_kill_9_during_ingest_of_a_large_file(tmp_path: Path, sim_frames: tuple):
    posts, _ = sim_frames
    big = write_csv(posts, tmp_path / "all.csv")
    (tmp_path / "drop").mkdir()
    proc = _spawn(tmp_path, None)
    (tmp_path / "drop" / "all.csv").write_bytes(big.read_bytes())
    time.sleep(1.2)  # somewhere in start-up, ingest or detection
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert job(tmp_path) == 0
    with open_store(tmp_path / "s.duckdb", read_only=True) as st:
        assert st.counts()["posts"] == posts.height
        assert st.ingests().height == 1


@pytest.mark.slow  # a process killed or held at each step, scans run after run
def test_second_writer_gets_the_lock_message(tmp_path: Path, day_files: list[Path]):
    _copy(day_files[0], tmp_path / "drop")
    proc = _spawn(tmp_path, "after-file")
    try:
        _wait_for(tmp_path / "paused-after-file", proc)
        second = _spawn(tmp_path, None)
        out, err = second.communicate(timeout=60)
        assert second.returncode == 75
        assert "locked by another run" in err
        # A plain cib command on the same store is refused by DuckDB's lock.
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        r = subprocess.run(
            [str(CIB), "ingest", str(day_files[1]),
             "--db", str(tmp_path / "s.duckdb")],
            env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert r.returncode == 2
        assert "locked by another run" in r.stderr
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    # Waiting works once the holder is gone.
    assert job(tmp_path, "--wait-lock", "5") == 0


def test_unreadable_file_gives_a_clear_error_and_no_report(tmp_path: Path, day_files: list[Path]):
    _copy(day_files[0], tmp_path / "drop")
    (tmp_path / "drop" / "broken.csv.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    assert job(tmp_path) == 2
    reports = tmp_path / "reports"
    assert not reports.exists() or not [p for p in reports.iterdir()]
    assert job(tmp_path, "--skip-bad-files") == 0
    ch = json.loads((reports / "latest" / "changes.json").read_text())
    assert ch["bad_files"][0]["path"].endswith("broken.csv.gz")


def test_full_disk_leaves_no_half_written_report(
    tmp_path: Path, day_files: list[Path], monkeypatch: pytest.MonkeyPatch
):
    import errno

    import cib.pipeline

    _copy(day_files[0], tmp_path / "drop")
    real = cib.pipeline.write_outputs

    def full(report, out_dir, config):  # noqa: ANN001, ANN202
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "networks.json").write_text("{")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(cib.pipeline, "write_outputs", full)
    assert job(tmp_path) == 2
    assert [p.name for p in (tmp_path / "reports").iterdir()] == []
    monkeypatch.setattr(cib.pipeline, "write_outputs", real)
    # The run was saved; the next job writes its report without re-detecting.
    assert job(tmp_path) == 0
    with open_store(tmp_path / "s.duckdb", read_only=True) as st:
        assert st.runs().height == 1
    assert latest_report(tmp_path)["networks"]


def test_daily_split_helper_covers_every_post(sim_frames: tuple):
    posts, _ = sim_frames
    assert sum(p.height for p in daily(posts)) == posts.height


def test_the_old_entry_point_maps_onto_cib_watch():
    import importlib.util

    job_file = ROOT / "pipelines" / "nightly_scan.py"
    spec = importlib.util.spec_from_file_location("nightly_scan", job_file)
    nightly = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(nightly)  # type: ignore[union-attr]
    old = ["--db", "s.duckdb", "--drop", "in", "--reports", "out", "--wait-lock", "5", "--json"]
    assert nightly.watch_args(old) == [
        "watch", "in", "--db", "s.duckdb", "--out", "out", "--wait-lock", "5", "--json"
    ]  # fmt: skip
