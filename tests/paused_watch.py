"""A scheduled job (:func:`cib.watch.watch`) that pauses after one step, to be killed there.

    python tests/paused_watch.py STEP FLAG DROP DB OUT

Once STEP (one of ``cib.watch.STEPS``) is done, writes its pid to FLAG and sleeps 120 s.
Used by tests/test_incremental.py (kill -9 at each step, a second writer meeting the lock).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from sched_helpers import CFG

from cib.watch import STEPS, watch


def main(step: str, flag: str, drop: str, db: str, out: str) -> None:
    assert step in STEPS, step

    def pause(name: str) -> None:
        if name == step:
            Path(flag).write_text(str(os.getpid()))
            time.sleep(120)

    watch(drop, db=db, out=out, config=CFG, wait_lock_s=0.0, on_step=pause)


if __name__ == "__main__":
    main(*sys.argv[1:])
