"""Published sample data for the app's tests and its benchmark, made by the pipeline itself.

``build`` simulates the monthly exports of a small province (``orchestration.tools.simulator``:
the first ``opd`` departments, ``pegawai`` people, a share ``kotor`` of defective rows so that
findings and quarantined rows exist), runs them through ``orchestration.run.run_pipeline`` (what
``kinerja run`` does: ingest, dbt, checks, publish), then marks periods through
``orchestration.lifecycle`` as a reviewer would. Every figure of the sample comes from the dbt
models: this module computes nothing itself. A fixed seed: the same arguments give the same
published tables.

``sample_data`` is what the tests use: one build per process and size, copied per test.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from unittest import mock

from orchestration.core.paths import DataDir
from orchestration.tools.built_once import built_once

# Seed 4: a province of 160 people in the first 5 departments (Setda, Dikbud with its teachers,
# Dinkes, the RSUD with its rostered ward staff, PU) with transfers between departments in March.
SEED = 4
KOTOR = 0.01  # the simulator's default share of defective rows (``kinerja simulate --kotor``)
JUNK = b"bukan database duckdb: aplikasi tidak boleh membuka file ini\n"
# folders of the data directory the app never reads: dbt's build files, Dagster's run history,
# the run logs (dropped from the sample so each copy stays small)
_NOT_FOR_THE_APP = ("dbt", "dagster", "logs")


def build(
    root: Path,
    pegawai: int = 160,
    opd: int = 5,
    mulai: str = "2025-01",
    sampai: str = "2025-03",
    verified: tuple[str, ...] = ("2025-02",),
    locked: tuple[str, ...] = ("2025-01",),
    seed: int = SEED,
    kotor: float = KOTOR,
    progress: bool = False,
    durable: bool = False,
) -> DataDir:
    """Simulated exports in ``root/ekspor``, the published data directory in ``root/data``.

    ``verified`` / ``locked``: periods verified (and then locked) by ``uji`` after the run.
    ``durable``: keep the publisher's fsyncs (skipped by default: slow on some disks, and a
    sample is rebuilt rather than recovered). ``warehouse.duckdb`` is overwritten with junk at
    the end: whatever runs on the sample proves it never opens it (only the publisher may).
    """
    from orchestration import lifecycle
    from orchestration.dbt_project import environment
    from orchestration.run import run_pipeline
    from orchestration.tools.simulator import simulate

    root = Path(root)
    exports, data = root / "ekspor", DataDir(root / "data")
    say = print if progress else (lambda *_: None)
    t = time.perf_counter()
    hasil = simulate(
        exports,
        pegawai=pegawai,
        opd=opd,
        mulai=mulai,
        sampai=sampai,
        seed=seed,
        kotor=kotor,
        progress=progress,
    )
    shutil.rmtree(exports / "_groundtruth")  # the simulator's answers are not an export
    say(f"ekspor disimulasikan: {len(hasil.files)} file ({time.perf_counter() - t:.1f} dtk)")
    with ExitStack() as stack:
        if not durable:
            stack.enter_context(mock.patch.object(os, "fsync", lambda fd: None))
        t = time.perf_counter()
        # run_pipeline points the environment at these folders (run.prepare_environment); the
        # caller's values come back afterwards (tests share the process)
        own = {"KINERJA_EXPORTS": str(exports.resolve()), "KINERJA_DATA": str(data.root)}
        with environment({**own, "DAGSTER_HOME": str(data.dagster_home)}):
            summary = run_pipeline(exports, data)
        say(f"pipeline: {len(summary.periods)} periode ({time.perf_counter() - t:.1f} dtk)")
        for p in (*verified, *locked):
            lifecycle.verify(data, p, oleh="uji")
        for p in locked:
            lifecycle.lock(data, p, oleh="uji")
    for name in _NOT_FOR_THE_APP:
        shutil.rmtree(data.root / name, ignore_errors=True)
    data.warehouse.write_bytes(JUNK)
    return data


_TEMPLATES: dict[tuple[int, int], Path] = {}
SAMPLE_CACHE = "KINERJA_SAMPLE_CACHE"


def sample_data(root, pegawai: int = 160, opd: int = 5) -> DataDir:
    """A data directory with a published Jan-Mar 2025 (Jan locked, Feb verified, Mar draft).

    Built once per process and size (a pipeline run), then copied into ``root`` (the snapshot
    pointer is a relative symlink, so copies stay whole). With ``KINERJA_SAMPLE_CACHE`` (a
    folder; the test suite sets its session folder) the build is shared by every process that
    points there: the first builds it, the others wait and copy (``built_once``).
    """
    key = (pegawai, opd)
    if key not in _TEMPLATES:

        def make(folder: Path) -> None:
            build(folder, pegawai=pegawai, opd=opd)

        if shared := os.environ.get(SAMPLE_CACHE):
            folder = built_once(Path(shared) / f"sik-sample-{pegawai}-{opd}", make)
        else:
            folder = Path(tempfile.mkdtemp(prefix="sik-sample-"))
            make(folder)
        _TEMPLATES[key] = folder / "data"  # build's data directory (its exports beside it)
    data = DataDir.resolve(root)
    shutil.copytree(_TEMPLATES[key], data.root, symlinks=True, dirs_exist_ok=True)
    return data
