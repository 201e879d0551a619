"""The load script at a size CI affords: 10 simultaneous sessions, 2 rounds, a fresh server.

Round 1 is the first round after the server started (cold caches, first imports of every
session at once: the cold-start race and the Polars/GIL deadlock of issue 19 showed up exactly
there). Asserts every page of every session finished without an error and the server stayed
healthy. The full-size run (50 sessions, 20 rounds, a pipeline run publishing meanwhile) is
documented in docs/app-load.md.
"""

from __future__ import annotations

import asyncio

import pytest

from orchestration.tools.app_sample import sample_data

from .streamlit_load import BERHENTI, LANGKAH, jalankan, sehat, server

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
