"""Server-side sessions behind a signed, expiring cookie, and the login throttle.

Both live in ``DATA/app_sesi.sqlite`` so every server process (and a restarted one) sees them.

Sessions
    A login creates a row (random id, user, role, department, created, last seen, expiry). The
    browser holds only the cookie ``sik_sesi`` = ``<id>.<expiry>.<HMAC-SHA256>`` signed with a
    secret kept in ``DATA/app_secret.key`` (mode 0600, made on first use). The cookie is
    ``HttpOnly`` and ``SameSite=Strict``: the page cannot set it itself, so the login hands the
    browser a one-time token (valid ``TUKAR_DETIK`` seconds) that ``POST /api/sesi`` exchanges
    for the cookie. A page run after a refresh or in a new tab reads the cookie from the
    websocket handshake (``st.context.cookies``) and resumes the session if the signature holds,
    it has not expired (``SESI_JAM`` hours), was not idle longer than the idle limit, and has not
    been ended: logout marks the row ended on the server, so a copied cookie is worthless after.

Throttle
    Failed logins are counted per client address, per account and per (account, address) in a
    sliding window (``JENDELA_GAGAL``). After a few free failures each further one doubles the
    wait (exponential backoff) up to a cap; a login during the wait is refused without checking
    the password and the message says how many seconds are left. The per-account wait is capped
    low (``MAKS_AKUN``): someone guessing from elsewhere can slow an account down by seconds,
    never lock its owner out; a single address is slowed down much further. Without a client
    address (localhost, a reverse proxy on the same host) only the account's key counts.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from orchestration.core.paths import DataDir

COOKIE = "sik_sesi"
SESI_FILE = "app_sesi.sqlite"
SECRET_FILE = "app_secret.key"
SESI_JAM = float(os.environ.get("KINERJA_APP_SESI_JAM", "12"))
TUKAR_DETIK = 60
SENTUH_DETIK = 30  # last-seen is written at most this often per session

JENDELA_GAGAL = 15 * 60
# (free failures, first wait in seconds, cap in seconds) per kind of key
ATURAN_GAGAL = {
    "pasangan": (3, 2.0, 15 * 60),  # one account from one address
    "alamat": (10, 2.0, 15 * 60),  # one address, any account
    "akun": (5, 1.0, 30.0),  # one account from anywhere: capped low (MAKS_AKUN)
}
MAKS_AKUN = ATURAN_GAGAL["akun"][2]

SCHEMA = """
create table if not exists sesi (
    id        text primary key,
    username  text not null,
    role      text not null,
    kode_opd  text,
    dibuat    real not null,
    terakhir  real not null,
    berakhir  real not null,
    diakhiri  real
);
create table if not exists tukar (
    token   text primary key,
    sesi_id text not null,
    sampai  real not null
);
create table if not exists gagal (
    kunci text not null,
    waktu real not null
);
create index if not exists gagal_kunci on gagal (kunci, waktu);
"""

_secret_lock = threading.Lock()
_schema_done: set[str] = set()


@dataclass(frozen=True)
class SessionRow:
    id: str
    username: str
    role: str
    kode_opd: str | None
    dibuat: float
    terakhir: float
    berakhir: float
    diakhiri: float | None


def _path(data: DataDir) -> Path:
    return data.root / SESI_FILE


@contextmanager
def _connect(data: DataDir) -> Iterator[sqlite3.Connection]:
    data.root.mkdir(parents=True, exist_ok=True)
    path = _path(data)
    with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as con:
        if str(path) not in _schema_done:
            con.execute("pragma journal_mode=wal")
            con.executescript(SCHEMA)
            os.chmod(path, 0o600)
            _schema_done.add(str(path))
        con.execute("pragma busy_timeout=30000")
        yield con


def secret(data: DataDir) -> bytes:
    """The signing key (32 random bytes), created on first use with mode 0600."""
    path = data.root / SECRET_FILE
    with _secret_lock:
        try:
            return path.read_bytes()
        except FileNotFoundError:
            pass
        data.root.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process won the race: use its key
            return path.read_bytes()
        with os.fdopen(fd, "wb") as f:
            f.write(key)
        return key


def _sign(data: DataDir, isi: str) -> str:
    return hmac.new(secret(data), isi.encode(), hashlib.sha256).hexdigest()


def cookie_value(data: DataDir, sesi_id: str, berakhir: float) -> str:
    isi = f"{sesi_id}.{int(berakhir)}"
    return f"{isi}.{_sign(data, isi)}"


def read_cookie(data: DataDir, value: str | None, now: float | None = None) -> str | None:
    """The session id of a well-signed, unexpired cookie value, else None."""
    if not value:
        return None
    parts = value.split(".")
    if len(parts) != 3 or not parts[1].isdigit():
        return None
    sesi_id, berakhir, tanda = parts
    if not hmac.compare_digest(_sign(data, f"{sesi_id}.{berakhir}"), tanda):
        return None
    if int(berakhir) <= (time.time() if now is None else now):
        return None
    return sesi_id


def create(
    data: DataDir, username: str, role: str, kode_opd: str | None, now: float | None = None
) -> tuple[SessionRow, str]:
    """A new session row and the one-time token that ``tukar`` exchanges for its cookie."""
    now = time.time() if now is None else now
    row = SessionRow(
        secrets.token_urlsafe(24), username, role, kode_opd, now, now, now + SESI_JAM * 3600, None
    )
    token = secrets.token_urlsafe(24)
    with _connect(data) as con:
        con.execute("begin immediate")
        con.execute(
            "insert into sesi values (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                row.id,
                row.username,
                row.role,
                row.kode_opd,
                row.dibuat,
                row.terakhir,
                row.berakhir,
                None,
            ),
        )
        con.execute("insert into tukar values (?, ?, ?)", (token, row.id, now + TUKAR_DETIK))
        con.execute("delete from tukar where sampai < ?", (now,))
        con.execute("delete from sesi where berakhir < ?", (now - 86400,))
        con.execute("commit")
    return row, token


def exchange(data: DataDir, token: str, now: float | None = None) -> tuple[str, float] | None:
    """(cookie value, expiry) for a valid one-time token (used up), else None."""
    now = time.time() if now is None else now
    with _connect(data) as con:
        con.execute("begin immediate")
        hit = con.execute(
            "select s.id, s.berakhir from tukar t join sesi s on s.id = t.sesi_id "
            "where t.token = ? and t.sampai >= ? and s.diakhiri is null",
            (token or "", now),
        ).fetchone()
        con.execute("delete from tukar where token = ?", (token or "",))
        con.execute("commit")
    if hit is None:
        return None
    return cookie_value(data, hit[0], hit[1]), hit[1]


def fetch(data: DataDir, sesi_id: str) -> SessionRow | None:
    with _connect(data) as con:
        row = con.execute("select * from sesi where id = ?", (sesi_id,)).fetchone()
    return SessionRow(*row) if row else None


def touch(data: DataDir, row: SessionRow, now: float) -> None:
    """Record activity (at most every ``SENTUH_DETIK``)."""
    if now - row.terakhir < SENTUH_DETIK:
        return
    with _connect(data) as con:
        con.execute(
            "update sesi set terakhir = ? where id = ? and terakhir < ?", (now, row.id, now)
        )


def end(data: DataDir, sesi_id: str, now: float | None = None) -> bool:
    """End a session on the server (logout, expiry): its cookie no longer works. True when it
    was still open (this call ended it)."""
    now = time.time() if now is None else now
    with _connect(data) as con:
        done = con.execute(
            "update sesi set diakhiri = ? where id = ? and diakhiri is null", (now, sesi_id)
        )
        return done.rowcount == 1


def valid(row: SessionRow | None, idle_seconds: float, now: float) -> str | None:
    """Why a session row no longer holds (``berakhir``, ``idle``, ``diakhiri``), or None."""
    if row is None or row.diakhiri is not None:
        return "diakhiri"
    if row.berakhir <= now:
        return "berakhir"
    if now - row.terakhir > idle_seconds:
        return "idle"
    return None


# ---- login throttle ---------------------------------------------------------------------------


def _key(username: str, alamat: str | None) -> dict[str, str]:
    """The throttle's keys of an attempt. Without a client address (localhost, or every client
    behind a reverse proxy on the same host) only the account's own, capped key: an address
    bucket would be shared by everyone, and anyone's failures would hold back every user."""
    if not alamat:
        return {"akun": username}
    return {"pasangan": f"{username}@{alamat}", "alamat": f"@{alamat}", "akun": username}


def _wait(jumlah: int, terakhir: float, jenis: str, now: float) -> float:
    bebas, awal, maks = ATURAN_GAGAL[jenis]
    if jumlah < bebas:
        return 0.0
    jeda = min(awal * 2 ** (jumlah - bebas), maks)
    return max(0.0, terakhir + jeda - now)


def wait(data: DataDir, username: str, alamat: str | None, now: float | None = None) -> float:
    """Seconds this (account, address) must wait before the next login attempt (0: go)."""
    now = time.time() if now is None else now
    wait = 0.0
    with _connect(data) as con:
        for jenis, kunci in _key(username, alamat).items():
            jumlah, terakhir = con.execute(
                "select count(*), max(waktu) from gagal where kunci = ? and waktu > ?",
                (kunci, now - JENDELA_GAGAL),
            ).fetchone()
            if jumlah:
                wait = max(wait, _wait(jumlah, terakhir, jenis, now))
    return wait


def record_failure(
    data: DataDir, username: str, alamat: str | None, now: float | None = None
) -> None:
    now = time.time() if now is None else now
    with _connect(data) as con:
        con.execute("begin immediate")
        con.executemany(
            "insert into gagal values (?, ?)", [(k, now) for k in _key(username, alamat).values()]
        )
        con.execute("delete from gagal where waktu < ?", (now - JENDELA_GAGAL,))
        con.execute("commit")


def forget_failures(data: DataDir, username: str, alamat: str | None) -> None:
    """After a successful login: the account's and the pair's failures are forgotten."""
    k = _key(username, alamat)
    kunci = [k[jenis] for jenis in ("pasangan", "akun") if jenis in k]
    with _connect(data) as con:
        con.execute(
            f"delete from gagal where kunci in ({', '.join('?' * len(kunci))})", tuple(kunci)
        )
