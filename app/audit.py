"""Audit log of the app: ``DATA/audit.jsonl``, one JSON object per line, append-only.

Every download (who, role, what, period, department, rows, when) is written here, and so are
logins, failed logins, logouts, expired sessions, refused accesses, every period verified or
locked (or refused), and every analyst's decision on an anomaly flag (or its refusal). Appends take an exclusive
``flock`` so concurrent sessions never interleave lines.
"""

from __future__ import annotations

import fcntl
import json
from pathlib import Path
from typing import Any

import polars as pl

from app.format import now
from orchestration.core.paths import DataDir

AUDIT_FILE = "audit.jsonl"

UNDUH = "UNDUH"
LOGIN = "LOGIN"
LOGIN_GAGAL = "LOGIN_GAGAL"
LOGOUT = "LOGOUT"
SESI_BERAKHIR = "SESI_BERAKHIR"
AKSES_DITOLAK = "AKSES_DITOLAK"
VERIFIKASI = "VERIFIKASI"
KUNCI = "KUNCI"
KEPUTUSAN = "KEPUTUSAN_ANOMALI"  # an analyst's decision on an anomaly flag
AKSI = (
    UNDUH,
    LOGIN,
    LOGIN_GAGAL,
    LOGOUT,
    SESI_BERAKHIR,
    AKSES_DITOLAK,
    VERIFIKASI,
    KUNCI,
    KEPUTUSAN,
)


def audit_path(data: DataDir) -> Path:
    return data.root / AUDIT_FILE


def write(
    data: DataDir,
    aksi: str,
    pengguna: str,
    peran: str | None,
    *,
    objek: str | None = None,
    periode: str | None = None,
    kode_opd: str | None = None,
    **detail: Any,
) -> dict[str, Any]:
    """Append one event; returns it."""
    event = {
        "waktu": now().isoformat(timespec="seconds"),
        "aksi": aksi,
        "pengguna": pengguna,
        "peran": peran,
        "objek": objek,
        "periode": periode,
        "kode_opd": kode_opd,
    } | detail
    path = audit_path(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps(event, ensure_ascii=False, default=str) + "\n"
    with open(path, "a", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            f.write(line)
            f.flush()
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
    return event


def read(data: DataDir, limit: int | None = None) -> list[dict[str, Any]]:
    """Events, newest first."""
    path = audit_path(data)
    if not path.is_file():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    events = [json.loads(line) for line in reversed(lines) if line.strip()]
    return events[:limit] if limit else events


def frame(data: DataDir, limit: int = 500) -> pl.DataFrame:
    events = read(data, limit)
    cols = ["waktu", "aksi", "pengguna", "peran", "objek", "periode", "kode_opd"]
    if not events:
        return pl.DataFrame(schema=dict.fromkeys(cols, pl.String))
    return pl.DataFrame(
        [{c: e.get(c) for c in cols} for e in events], schema=dict.fromkeys(cols, pl.String)
    )
