"""A reader of published data, as the app and the finance exports read it: no lock, pointer
resolved once, every file of the snapshot read in full and checked against its manifest.

Used as reader threads inside the test process and, run as a script, as a reader *process*::

    python probe.py DATA_DIR STOP_FILE OUT_JSON

A read is one of: ``kosong`` (nothing published yet), ``utuh`` (a complete snapshot: every
file present, its sha256 equal to the manifest's, ``tpp_bulanan`` parsed with the manifest's
row count) or ``sobek`` (torn: anything else). Exceptions are counted as ``galat``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

if __name__ == "__main__":  # run as a script: the project is installed (editable) in the venv
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from orchestration.core.paths import DataDir, sha256_file  # noqa: E402
from orchestration.core.published import current_snapshot  # noqa: E402


@dataclass
class Stats:
    kosong: int = 0
    utuh: int = 0
    sobek: int = 0
    galat: int = 0
    snapshots: dict[str, int] = field(default_factory=dict)  # snapshot id -> complete reads
    times: list[float] = field(default_factory=list)  # wall-clock end of every complete read
    problems: list[str] = field(default_factory=list)  # first few torn reads / errors

    def merge(self, other: Stats) -> None:
        self.kosong += other.kosong
        self.utuh += other.utuh
        self.sobek += other.sobek
        self.galat += other.galat
        for k, v in other.snapshots.items():
            self.snapshots[k] = self.snapshots.get(k, 0) + v
        self.times += other.times
        self.problems += other.problems[: 20 - len(self.problems)]


def read_once(data: DataDir, stats: Stats) -> None:
    try:
        snapshot = current_snapshot(data)
        if snapshot is None:
            stats.kosong += 1
            return
        bad = []
        files = snapshot.manifest["files"]
        for name, entry in files.items():
            path = snapshot.path / name
            if not path.is_file() or sha256_file(path) != entry["sha256"]:
                bad.append(name)
        expected = sum(e["rows"] for e in files.values() if e["table"] == "tpp_bulanan")
        rows = snapshot.read("tpp_bulanan").height if files else 0
        if bad or rows != expected or not files:
            stats.sobek += 1
            if len(stats.problems) < 20:
                stats.problems.append(f"{snapshot.id}: {bad} rows {rows}/{expected}")
            return
        stats.utuh += 1
        stats.snapshots[snapshot.id] = stats.snapshots.get(snapshot.id, 0) + 1
        stats.times.append(time.time())
    except Exception as exc:  # noqa: BLE001 - every failure of a reader is counted
        stats.galat += 1
        if len(stats.problems) < 20:
            stats.problems.append(f"{type(exc).__name__}: {exc}")


class ReaderThread(threading.Thread):
    def __init__(self, data: DataDir, stop: threading.Event, pause: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.data, self.stop, self.pause = data, stop, pause
        self.stats = Stats()

    def run(self) -> None:
        while not self.stop.is_set():
            read_once(self.data, self.stats)
            time.sleep(self.pause)


def main(argv: list[str]) -> int:
    data, stop_file, out = DataDir(Path(argv[0])), Path(argv[1]), Path(argv[2])
    stats = Stats()
    while not stop_file.exists():
        read_once(data, stats)
        time.sleep(0.02)
    out.write_text(json.dumps(asdict(stats)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
