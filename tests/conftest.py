"""Fixtures shared by the test modules: seeded data, the hash-embedding config, stores, paths.

Everything random is seeded (``sched_helpers.SIM``), so a failure reproduces. Markers
(registered in pyproject.toml): ``slow`` (the real embedding model, a large dump, scans run
after run, fuzzing every format), ``spark`` (pyspark and Java), ``browser`` (a headless
chromium); ``make test-fast`` leaves them out.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from sched_helpers import CFG, SIM, frames

from cib.config import ScanConfig
from cib.store import Store, open_store

ROOT = Path(__file__).resolve().parents[1]


def _shared_data() -> Path:
    """Real dumps shared between checkouts: ``$CIB_SHARED_DATA``, else ``../shared/data``
    beside the repository, else beside the local repository this one was cloned from (a
    clean clone in a temporary folder still finds the team's data)."""
    if "CIB_SHARED_DATA" in os.environ:
        return Path(os.environ["CIB_SHARED_DATA"])
    here = ROOT.parent / "shared" / "data"
    if here.is_dir():
        return here
    origin = subprocess.run(
        ["git", "-C", str(ROOT), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    if origin and Path(origin).is_dir():
        return Path(origin).resolve().parent / "shared" / "data"
    return here


SHARED_DATA = _shared_data()


#: Fixtures (and tests) that simulate a dump and scan it end to end, several runs in a row
#: (seconds to tens of seconds): the tests using them are marked ``slow`` here, so that
#: ``make test-fast`` leaves them out; (module, fixture or test name).
END_TO_END = {
    ("test_playbook.py", "scenario"),
    ("test_review.py", "scenario"),
    ("test_tracking.py", "takeover"),
    ("test_tracking.py", "test_watchlisted_takedown_flags_the_replacement"),
    ("test_api.py", "test_readme_python_example_runs"),  # the sample scan once more, in a child
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        names = [item.originalname if hasattr(item, "originalname") else item.name]
        names += getattr(item, "fixturenames", [])
        if any((item.path.name, n) in END_TO_END for n in names):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def hash_config() -> ScanConfig:
    """The default config with the ``hash`` embedder (no model, deterministic)."""
    return CFG


@pytest.fixture(scope="session")
def sim_frames() -> tuple[pl.DataFrame, pl.DataFrame]:
    """Posts and labels of a small seeded simulated dump (``sched_helpers.SIM``: 400 accounts,
    4 days, seed 3). Shared: do not modify them in place."""
    assert SIM.seed == 3
    return frames()


@pytest.fixture()
def tmp_store(tmp_path: Path) -> Iterator[Store]:
    """A fresh store ``tmp_path/s.duckdb``, open for writing, closed after the test."""
    with open_store(tmp_path / "s.duckdb") as st:
        yield st


@pytest.fixture(scope="session")
def sample_formats() -> Path:
    """``sample_data/formats``: one small file per supported dump format."""
    return ROOT / "sample_data" / "formats"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real dumps (``../shared/data``); skips the test where it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"no shared data folder at {SHARED_DATA} (set CIB_SHARED_DATA)")
    return SHARED_DATA
