"""Regression test (fixed in run.py): a run that does not finish must not leave the previous
run's "up to date" record behind.

Before the fix, ``run_state.json`` was only written at the end of a run and never removed. A
run killed after its ingest step (a correction file already in the raw zone and the registry)
left the previous run's record in place; nothing was pending any more, the published snapshot
still listed the period, so every later ``kinerja run`` (and the sensor) was a no-op: the
correction was never computed nor published until someone thought of ``--paksa``.
"""

from __future__ import annotations

import json

import pytest

from orchestration import run
from orchestration.core.paths import DataDir
from orchestration.core.published import CURRENT, MANIFEST, SNAPSHOTS
from orchestration.ingest import ingest_all

from .corpus import HEADERS, PERIODE, csv_text, nilai, pegawai, tap


def _exports(folder):
    folder.mkdir()
    files = {
        "pegawai": csv_text(HEADERS["pegawai"], [pegawai(1)]),
        "absensi": csv_text(HEADERS["absensi"], [tap(1)]),
        "kinerja": csv_text(HEADERS["kinerja"], [nilai(1)]),
    }
    for kind, text in files.items():
        (folder / f"{kind}_202602.csv").write_text(text)
    return folder


def _published(data: DataDir, periode: str) -> None:
    """A minimal published snapshot listing ``periode`` (what ``_up_to_date`` looks at)."""
    snapshot = data.published / SNAPSHOTS / "000001-20260306T020000"
    snapshot.mkdir(parents=True)
    manifest = {"snapshot": snapshot.name, "periods": {periode: {}}, "files": {}}
    (snapshot / MANIFEST).write_text(json.dumps(manifest))
    (data.published / CURRENT).symlink_to(f"{SNAPSHOTS}/{snapshot.name}")


class WouldRun(Exception):
    """Raised where a run starts its Dagster job: the run decided to execute."""


@pytest.fixture
def setup(tmp_path, monkeypatch):
    import orchestration.definitions

    exports = _exports(tmp_path / "ekspor")
    data = DataDir(tmp_path / "data")
    ingest_all(data, exports)
    _published(data, PERIODE)
    data.warehouse.touch()
    run.prepare_environment(exports, data)
    (data.root / "run_state.json").write_text(json.dumps({"project": run.project_fingerprint()}))

    monkeypatch.setattr(orchestration.definitions, "build_definitions", _raise)
    return exports, data


def next_run_executes(exports, data) -> bool:
    """What a plain ``kinerja run`` would do now: execute (True) or be a no-op (False)."""
    try:
        summary = run.run_pipeline(exports, data)
    except WouldRun:
        return True
    assert summary.noop
    return False


def test_an_interrupted_run_makes_the_next_run_execute(setup, monkeypatch):
    import orchestration.definitions

    exports, data = setup
    assert not next_run_executes(exports, data)  # precondition: nothing new, a no-op

    # a correction arrives; a run ingests it and is then interrupted (killed, crashed)
    corrected = csv_text(HEADERS["kinerja"], [nilai(1, perilaku="DI_ATAS")])
    (exports / "kinerja_202602.csv").write_text(corrected)

    def interrupted():
        ingest_all(data, exports)  # the run's ingest step finished ...
        raise KeyboardInterrupt  # ... then the run died

    monkeypatch.setattr(orchestration.definitions, "build_definitions", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run.run_pipeline(exports, data)

    # nothing is pending any more and the snapshot still lists the period: the next run must
    # still recompute and publish the correction, not be a no-op
    monkeypatch.setattr(orchestration.definitions, "build_definitions", _raise)
    assert next_run_executes(exports, data), "the correction would never be published"


def _raise():
    raise WouldRun


def test_a_run_refused_by_the_lock_keeps_the_state_record(setup):
    """The record is removed only by the run that holds the lock, never by one refused."""
    exports, data = setup
    with run.exclusive(data), pytest.raises(run.RunError, match="Pipeline lain sedang berjalan"):
        run.run_pipeline(exports, data, force=True)
    assert (data.root / "run_state.json").exists()
