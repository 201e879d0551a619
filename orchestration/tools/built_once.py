"""A folder built once and shared by several processes (test workers, benchmark runs).

``built_once(folder, build)`` runs ``build(folder)`` in the first process that asks, under a
file lock beside the folder; the others wait for it and reuse the finished folder. A build that
failed half way (no ``.selesai`` marker) is started again. Readers copy the folder before they
write into it.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Callable
from pathlib import Path


def built_once(folder: Path, build: Callable[[Path], None]) -> Path:
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    done = folder.with_name(f"{folder.name}.selesai")
    with open(folder.with_name(f"{folder.name}.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            build(folder)
            done.touch()
    return folder
