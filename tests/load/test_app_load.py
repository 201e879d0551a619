"""The load script at a size CI affords: 10 simultaneous sessions, 2 rounds, a fresh server.

Round 1 is the first round after the server started (cold caches, first imports of every
session at once: the cold-start race and the Polars/GIL deadlock of issue 19 showed up exactly
there). Asserts every page of every session finished without an error and the server stayed
healthy. The full-size run (50 sessions, 20 rounds, a pipeline run publishing meanwhile) is
documented in docs/app-load.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

from orchestration.tools.app_sample import sample_data

from .streamlit_load import (
    BERHENTI,
    LANGKAH,
    _free_port,
    _stat,
    children,
    jalankan,
    sehat,
    server,
)

SESI, PUTARAN = 10, 2


@pytest.mark.parametrize("proses", [1, 2])
def test_ten_sessions_at_once_twice_without_error_or_hang(tmp_path, proses):
    """``proses``: server processes sharing the port (app.processes)."""
    data = sample_data(tmp_path / "data")
    log = tmp_path / "server.log"
    with server(data.root, log=log, proses=proses) as (port, pid):
        hasil = asyncio.run(
            jalankan(
                port,
                data.root,
                SESI,
                PUTARAN,
                maks_detik=300,
                batas=120,
                username="analis",
                password="analis123",
                server_pid=pid,
            )
        )
        assert sehat(port)
    ringkas = hasil.ringkas()
    print(ringkas)
    assert BERHENTI["sigterm"]  # a hung server would ignore SIGTERM
    assert hasil.sehat_akhir and not hasil.macet
    assert hasil.galat == [], hasil.galat[:5]
    assert hasil.putaran_selesai == PUTARAN
    for langkah in LANGKAH:
        assert len(hasil.waktu[langkah]) == SESI * PUTARAN, langkah
    assert "Traceback" not in log.read_text()


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (the launcher and its servers)."""
    out, todo = set(), [pid]
    while todo:
        for k in children(todo.pop()):
            if k not in out:
                out.add(k)
                todo.append(k)
    return out


def _alive(pid: int) -> bool:
    try:
        return _stat(pid)[0] != "Z"  # a zombie has ended
    except OSError:
        return False


def test_kinerja_app_stops_its_servers_on_sigterm(tmp_path):
    """``kill <pid of kinerja app>`` (what a service manager sends to the one process it started)
    stops the launcher and every server process with it: none keeps serving the port. A
    manager that signals the whole group (the launcher and the servers get SIGTERM too) stops
    them as cleanly: the console shows no traceback, and no English line of Streamlit's."""
    data = sample_data(tmp_path / "data")
    port = _free_port()
    console = tmp_path / "konsol.txt"
    app = subprocess.Popen(
        [sys.executable, "-m", "orchestration.cli", "app", "--data", str(data.root)]
        + ["--port", str(port)],
        start_new_session=True,  # the signal goes to this process only, not to a group
        stdout=console.open("w"),
        stderr=subprocess.STDOUT,
    )
    below: set[int] = set()
    try:
        deadline = time.monotonic() + 180
        while not sehat(port, 2):
            assert app.poll() is None and time.monotonic() < deadline, "aplikasi tidak siap"
            time.sleep(0.3)
        below = _descendants(app.pid)
        assert len(below) >= 2  # the launcher and at least one server
        app.send_signal(signal.SIGTERM)
        for pid in below:  # the group too, right after
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        app.wait(timeout=60)
        deadline = time.monotonic() + 30
        while any(map(_alive, below)) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(map(_alive, below)), [p for p in below if _alive(p)]
        assert not sehat(port, 1)
        text = console.read_text()
        assert text.startswith("Si-Kinerja Analytics: http://") and "pemanasan" in text
        for english in ("Traceback", "You can now view", "No runtime found", "Stopping..."):
            assert english not in text, text
    finally:  # nothing left behind, also when the test fails
        for pid in {app.pid, *below, *_descendants(app.pid)}:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
