"""Login, logout and idle expiry of app sessions.

The session lives server-side in ``st.session_state`` (the browser holds only Streamlit's
websocket session): a ``Sesi`` with user, role and department. Each page run checks it:
- idle longer than ``IDLE_SECONDS`` (30 minutes, ``KINERJA_APP_IDLE_MENIT`` to change) ends it;
- the user must still exist in ``app_users.json`` with the same role and department, so a
  removed or changed account loses its sessions at their next click.
Failed logins are throttled per username (``MAX_GAGAL`` in ``JENDELA_GAGAL`` seconds locks that
username for ``JEDA_GAGAL`` seconds) and every login, failure, logout and expiry is audited.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, replace

import streamlit as st

from app import audit
from app.data import Scope
from app.users import load_users, verify
from orchestration.paths import DataDir

SESSION_KEY = "_sik_sesi"
MESSAGE_KEY = "_sik_pesan_login"
IDLE_SECONDS = int(float(os.environ.get("KINERJA_APP_IDLE_MENIT", "30")) * 60)
MAX_GAGAL = 5
JENDELA_GAGAL = 15 * 60
JEDA_GAGAL = 5 * 60

_gagal: dict[str, list[float]] = {}
_gagal_lock = threading.Lock()


@dataclass(frozen=True)
class Sesi:
    username: str
    nama: str
    role: str
    kode_opd: str | None
    masuk: float
    terakhir: float

    @property
    def scope(self) -> Scope:
        return Scope(self.username, self.role, self.kode_opd)


def _pesan(text: str) -> None:
    st.session_state[MESSAGE_KEY] = text


def ambil_pesan() -> str | None:
    """A message for the login page (expired session, changed account), shown once."""
    return st.session_state.pop(MESSAGE_KEY, None)


def sesi_aktif(data: DataDir, now: float | None = None) -> Sesi | None:
    """The valid session of this browser tab (touching it), or None."""
    sesi = st.session_state.get(SESSION_KEY)
    if not isinstance(sesi, Sesi):
        return None
    now = time.time() if now is None else now
    if now - sesi.terakhir > IDLE_SECONDS:
        del st.session_state[SESSION_KEY]
        audit.write(data, audit.SESI_BERAKHIR, sesi.username, sesi.role, kode_opd=sesi.kode_opd)
        _pesan(
            f"Sesi Anda berakhir karena tidak aktif {IDLE_SECONDS // 60} menit. Silakan masuk lagi."
        )
        return None
    user = load_users(data).get(sesi.username)
    if user is None or user.role != sesi.role or user.kode_opd != sesi.kode_opd:
        del st.session_state[SESSION_KEY]
        audit.write(data, audit.SESI_BERAKHIR, sesi.username, sesi.role, alasan="akun berubah")
        _pesan("Akun Anda diubah atau dihapus; silakan masuk lagi.")
        return None
    sesi = replace(sesi, terakhir=now)
    st.session_state[SESSION_KEY] = sesi
    return sesi


def _terkunci(username: str, now: float) -> bool:
    with _gagal_lock:
        recent = [t for t in _gagal.get(username, []) if now - t < JENDELA_GAGAL]
        _gagal[username] = recent
        return len(recent) >= MAX_GAGAL and now - recent[-1] < JEDA_GAGAL


def _catat_gagal(username: str, now: float) -> None:
    with _gagal_lock:
        if len(_gagal) > 10_000:  # many made-up names: forget those outside the window
            for name in [n for n, times in _gagal.items() if now - times[-1] >= JENDELA_GAGAL]:
                del _gagal[name]
        _gagal.setdefault(username, []).append(now)


def masuk(data: DataDir, username: str, password: str) -> tuple[Sesi | None, str | None]:
    """(session, None) on success, else (None, message for the login form)."""
    username = (username or "").strip().lower()
    now = time.time()
    if not username or not password:
        return None, "Isi nama pengguna dan kata sandi."
    if _terkunci(username, now):
        audit.write(data, audit.LOGIN_GAGAL, username, None, alasan="terlalu banyak percobaan")
        return None, "Terlalu banyak percobaan gagal. Coba lagi dalam beberapa menit."
    user = verify(data, username, password)
    if user is None:
        _catat_gagal(username, now)
        audit.write(data, audit.LOGIN_GAGAL, username, None)
        return None, "Nama pengguna atau kata sandi salah."
    with _gagal_lock:
        _gagal.pop(username, None)
    sesi = Sesi(user.username, user.nama, user.role, user.kode_opd, now, now)
    st.session_state[SESSION_KEY] = sesi
    audit.write(data, audit.LOGIN, user.username, user.role, kode_opd=user.kode_opd)
    return sesi, None


def keluar(data: DataDir) -> None:
    sesi = st.session_state.pop(SESSION_KEY, None)
    if isinstance(sesi, Sesi):
        audit.write(data, audit.LOGOUT, sesi.username, sesi.role, kode_opd=sesi.kode_opd)
    # drop every widget value of the session too (selected department, person, search text)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    _pesan("Anda telah keluar.")
