"""An advisory job lock next to the store (``STORE.lock``), held for a whole scheduled job.

DuckDB already refuses a second writing process (:class:`~cib.errors.StoreLockedError`), but
a scheduled job also writes report folders and the ``latest`` link; this lock covers all of
it. The kernel drops an ``flock`` when its process dies, so a job killed with ``kill -9``
never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from cib.errors import StoreLockedError

__all__ = ["JobLock"]


class JobLock:
    """``with JobLock(db_path, wait_s=0): ...`` -- raises StoreLockedError when busy."""

    def __init__(self, db_path: str | Path, *, wait_s: float = 0.0, poll_s: float = 0.2) -> None:
        self.path = Path(f"{db_path}.lock")
        self.wait_s = max(0.0, float(wait_s))
        self.poll_s = poll_s
        self._fd: int | None = None

    def _holder(self) -> str:
        try:
            text = self.path.read_text().strip()
        except OSError:
            return "unknown process"
        return text or "unknown process"

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + self.wait_s
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = self._holder()
                    os.close(fd)
                    waited = f" after waiting {self.wait_s:g} s" if self.wait_s else ""
                    raise StoreLockedError(
                        f"store {str(self.path)[:-5]!r} is locked by another run ({holder})"
                        f"{waited}. Wait for it to finish, or pass --wait-lock SECONDS."
                    ) from None
                time.sleep(self.poll_s)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()}, since {datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> JobLock:
        self.acquire()
        return self

    def __exit__(
        self, et: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
