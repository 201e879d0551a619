"""Audit log of the app: ``DATA/audit.jsonl``, one JSON object per line, append-only.

Every download (who, role, what, period, department, rows, when) is written here, and so are
logins, failed logins, logouts, expired sessions, refused accesses, every period verified or
locked (or refused), and every analyst's decision on an anomaly flag (or its refusal). Appends take an exclusive
``flock`` so concurrent sessions never interleave lines.
"""

from __future__ import annotations

import fcntl
import json
import os
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
    # readable by the app's own user only (NIPs, analysts' notes, addresses), as its other files
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    os.fchmod(fd, 0o600)  # a log created before this rule too
    with open(fd, "a", encoding="utf-8") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            f.write(line)
            f.flush()
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
    return event


def read(data: DataDir, limit: int | None = None) -> list[dict[str, Any]]:
    """Events, newest first; with ``limit`` only the last ``limit`` lines are read and parsed
    (the log grows by every download and login of the province: the audit page must not parse
    a year of it on every view)."""
    path = audit_path(data)
    if not path.is_file():
        return []
    if limit:
        lines = _last_lines(path, limit)
    else:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [json.loads(line) for line in reversed(lines)]


def _last_lines(path: Path, n: int, block: int = 1 << 16) -> list[str]:
    """The last ``n`` non-empty lines of ``path``, read backwards in blocks: more than ``n``
    line ends are read (or the whole file), so the first, possibly cut, line is never kept."""
    with open(path, "rb") as f:
        end = f.seek(0, 2)
        tail = b""
        while end > 0 and tail.count(b"\n") <= n:
            start = max(0, end - block)
            f.seek(start)
            tail = f.read(end - start) + tail
            end = start
    lines = [line for line in tail.decode("utf-8", errors="replace").splitlines() if line.strip()]
    return lines[-n:]


def frame(data: DataDir, limit: int = 500) -> pl.DataFrame:
    events = read(data, limit)
    cols = ["waktu", "aksi", "pengguna", "peran", "objek", "periode", "kode_opd"]
    if not events:
        return pl.DataFrame(schema=dict.fromkeys(cols, pl.String))
    return pl.DataFrame(
        [{c: e.get(c) for c in cols} for e in events], schema=dict.fromkeys(cols, pl.String)
    )
