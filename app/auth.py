"""Login, logout, idle expiry and the session cookie of app sessions.

A login creates a server-side session (``app.sessions``: a row in ``DATA/app_sesi.sqlite``) and
keeps a ``Sesi`` (user, role, department, session id) in ``st.session_state`` for this tab. The
browser gets a signed, expiring, HttpOnly cookie for that session (through the one-time token
exchanged at ``POST /api/sesi``, see ``app.server``), so a refresh or a link opened in a new tab
resumes it. Each page run checks the session on the server:
- ended (logout, anywhere), expired, or idle longer than ``IDLE_SECONDS`` (30 minutes,
  ``KINERJA_APP_IDLE_MENIT``) ends it;
- the user must still exist in ``app_users.json`` with the same role and department, so a
  removed or changed account loses its sessions at their next click.
Failed logins are throttled per client address, per account and per (account, address) with
exponential backoff (``app.sessions``); the message says how many seconds to wait. Every login,
failure, logout and expiry is audited.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, replace

import streamlit as st

from app import audit
from app import sessions as store
from app.data import Scope
from app.users import USERNAME_MAX, load_users, verify
from orchestration.core.paths import DataDir

SESSION_KEY = "_sik_sesi"
MESSAGE_KEY = "_sik_pesan_login"
TUKAR_KEY = "_sik_tukar"  # one-time token of a fresh login, handed to the browser once
HAPUS_COOKIE_KEY = "_sik_hapus_cookie"  # after logout: ask the browser to drop the cookie
IDLE_SECONDS = int(float(os.environ.get("KINERJA_APP_IDLE_MENIT", "30")) * 60)


@dataclass(frozen=True)
class Session:
    username: str
    nama: str
    role: str
    kode_opd: str | None
    masuk: float
    terakhir: float
    id: str = ""

    @property
    def scope(self) -> Scope:
        return Scope(self.username, self.role, self.kode_opd)


def _message(text: str) -> None:
    st.session_state[MESSAGE_KEY] = text


def take_message() -> str | None:
    """A message for the login page (expired session, changed account), shown once."""
    return st.session_state.pop(MESSAGE_KEY, None)


def _cookie() -> str | None:
    try:
        return st.context.cookies.get(store.COOKIE)
    except Exception:  # no browser context (bare script run)
        return None


def client_address() -> str | None:
    """The client's address (None for localhost or without a browser context)."""
    try:
        return st.context.ip_address
    except Exception:
        return None


def _expires(
    data: DataDir, username: str, role: str | None, kode_opd: str | None, sesi_id: str, alasan: str
) -> None:
    """End an expired / idle session on the server, audit it and tell the login page."""
    store.end(data, sesi_id)
    audit.write(data, audit.SESI_BERAKHIR, username, role, kode_opd=kode_opd, alasan=alasan)
    if alasan == "idle":
        _message(
            f"Sesi Anda berakhir karena tidak aktif {IDLE_SECONDS // 60} menit. Silakan masuk lagi."
        )
    else:
        _message("Sesi Anda telah berakhir. Silakan masuk lagi.")


def account_unchanged(data: DataDir, username: str, role: str, kode_opd: str | None) -> bool:
    """The session's account still exists with the role and department it was opened with."""
    user = load_users(data).get(username)
    return user is not None and user.role == role and user.kode_opd == kode_opd


def active_session(data: DataDir, now: float | None = None) -> Session | None:
    """The valid session of this browser tab (touching it), or None.

    Without one in this tab, a valid session cookie (refresh, new tab) resumes its session.
    """
    now = time.time() if now is None else now
    sesi = st.session_state.get(SESSION_KEY)
    if isinstance(sesi, Session):
        row = store.fetch(data, sesi.id) if sesi.id else None
        alasan = store.valid(row, IDLE_SECONDS, now)
        if alasan is not None:
            del st.session_state[SESSION_KEY]
            if alasan == "diakhiri":  # logged out elsewhere (another tab): no expiry to record
                _message("Sesi Anda telah diakhiri. Silakan masuk lagi.")
            else:
                _expires(data, sesi.username, sesi.role, sesi.kode_opd, sesi.id, alasan)
            return None
    else:
        sesi_id = store.read_cookie(data, _cookie(), now)
        row = store.fetch(data, sesi_id) if sesi_id else None
        if row is None or row.diakhiri is not None:
            return None
        alasan = store.valid(row, IDLE_SECONDS, now)
        if alasan is not None:
            _expires(data, row.username, row.role, row.kode_opd, row.id, alasan)
            return None
        user = load_users(data).get(row.username)
        nama = user.nama if user is not None else row.username
        sesi = Session(row.username, nama, row.role, row.kode_opd, row.dibuat, now, row.id)
    if not account_unchanged(data, sesi.username, sesi.role, sesi.kode_opd):
        st.session_state.pop(SESSION_KEY, None)
        store.end(data, sesi.id)
        audit.write(data, audit.SESI_BERAKHIR, sesi.username, sesi.role, alasan="akun berubah")
        _message("Akun Anda diubah atau dihapus; silakan masuk lagi.")
        return None
    store.touch(data, row, now)
    sesi = replace(sesi, terakhir=now)
    st.session_state[SESSION_KEY] = sesi
    return sesi


def wait_message(detik: float) -> str:
    n = max(1, int(detik + 0.999))
    return f"Terlalu banyak percobaan gagal. Coba lagi dalam {n} detik."


def login(
    data: DataDir, username: str, password: str, alamat: str | None = None
) -> tuple[Session | None, str | None]:
    """(session, None) on success, else (None, message for the login form).

    ``alamat``: the client's address (default: of this browser session).
    """
    # no valid user name is longer than 64 (``users``): a longer one is cut before it reaches
    # the throttle's keys and the audit log, which must not grow by what anyone types
    username = (username or "").strip().lower()[:USERNAME_MAX]
    alamat = alamat if alamat is not None else client_address()
    now = time.time()
    if not username or not password:
        return None, "Isi nama pengguna dan kata sandi."
    wait = store.wait(data, username, alamat, now)
    if wait > 0:
        audit.write(
            data,
            audit.LOGIN_GAGAL,
            username,
            None,
            alasan="ditahan",
            tunggu_detik=round(wait, 1),
            alamat=alamat,
        )
        return None, wait_message(wait)
    user = verify(data, username, password)
    if user is None:
        store.record_failure(data, username, alamat, now)
        audit.write(data, audit.LOGIN_GAGAL, username, None, alamat=alamat)
        wait = store.wait(data, username, alamat, time.time())
        if wait > 0:
            return None, "Nama pengguna atau kata sandi salah. " + wait_message(wait)
        return None, "Nama pengguna atau kata sandi salah."
    store.forget_failures(data, username, alamat)
    row, token = store.create(data, user.username, user.role, user.kode_opd, now)
    sesi = Session(user.username, user.nama, user.role, user.kode_opd, now, now, row.id)
    st.session_state[SESSION_KEY] = sesi
    st.session_state[TUKAR_KEY] = token
    audit.write(data, audit.LOGIN, user.username, user.role, kode_opd=user.kode_opd, alamat=alamat)
    return sesi, None


def logout(data: DataDir) -> None:
    sesi = st.session_state.pop(SESSION_KEY, None)
    if isinstance(sesi, Session):
        if sesi.id:
            store.end(data, sesi.id)
        audit.write(data, audit.LOGOUT, sesi.username, sesi.role, kode_opd=sesi.kode_opd)
    # drop every widget value of the session too (selected department, person, search text)
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    st.session_state[HAPUS_COOKIE_KEY] = True
    _message("Anda telah keluar.")


def cookie_script(token: str) -> str:
    """HTML that has the browser exchange the one-time ``token`` for the session cookie."""
    return (
        "<script>fetch(window.location.origin + '/api/sesi', {method: 'POST', "
        "credentials: 'same-origin', headers: {'Content-Type': 'text/plain'}, "
        f"body: {token!r}}});</script>"
    )


def delete_cookie_script() -> str:
    return (
        "<script>fetch(window.location.origin + '/api/keluar', {method: 'POST', "
        "credentials: 'same-origin'});</script>"
    )
