"""App users: ``DATA/app_users.json``, passwords stored as salted scrypt hashes (never plaintext).

Roles:
- ``ANALIS``: every department, every analytics page;
- ``KEPALA_OPD``: only the department in ``kode_opd`` (enforced in ``app.data``);
- ``KEUANGAN``: finance pages, every department.

Add a user from the command line::

    uv run python -m app.users tambah --data data --username budi --peran KEPALA_OPD --opd 1.02.01

(the password is asked for, or read from stdin with ``--password-stdin``). On the first start with
no users file the app creates the demo users of ``DEMO_USERS`` and says so on the login page.
"""

from __future__ import annotations

import base64
import fcntl
import getpass
import hashlib
import hmac
import json
import os
import re
import secrets
import sys
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from orchestration.cli_parser import Parser
from orchestration.core.paths import DataDir

ANALIS = "ANALIS"
KEPALA_OPD = "KEPALA_OPD"
KEUANGAN = "KEUANGAN"
ROLES = (ANALIS, KEPALA_OPD, KEUANGAN)
NAMA_PERAN = {ANALIS: "Analis SDM", KEPALA_OPD: "Kepala Perangkat Daerah", KEUANGAN: "Keuangan"}

USERS_FILE = "app_users.json"
DEMO_OPD_FALLBACK = "1.01.01"
# scrypt cost: n=2**14, r=8, p=1 (~16 MiB, ~50 ms per check): the interactive-login setting
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
USERNAME_MAX = 64
_USERNAME = re.compile(rf"[a-z0-9][a-z0-9._-]{{1,{USERNAME_MAX - 1}}}")
_lock = threading.Lock()
_demo_lock = threading.Lock()


class UserError(ValueError):
    """A user cannot be added as asked (bad name, role, department or password)."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    kode_opd: str | None
    nama: str
    password_hash: str
    demo: bool = False


def users_path(data: DataDir) -> Path:
    return data.root / USERS_FILE


def hash_password(password: str, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    """``scrypt$n$r$p$salt$hash`` (base64); a fresh 16-byte salt per call."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${n}${r}${p}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    try:
        algo, n, r, p, salt, digest = stored.split("$")
        if algo != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# computed once: verifying an unknown user costs as much as a known one (no user enumeration)
_DUMMY_HASH = hash_password(secrets.token_hex(8))


def load_users(data: DataDir) -> dict[str, User]:
    path = users_path(data)
    if not path.is_file():
        return {}
    raw = json.loads(path.read_text(encoding="utf-8"))
    return {name: User(username=name, **fields) for name, fields in raw.get("users", {}).items()}


def _save(data: DataDir, users: dict[str, User]) -> None:
    path = users_path(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {
        "users": {
            u.username: {k: v for k, v in asdict(u).items() if k != "username"}
            for u in sorted(users.values(), key=lambda u: u.username)
        }
    }
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".app_users.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(body, f, ensure_ascii=False, indent=2)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def add_user(
    data: DataDir,
    username: str,
    password: str,
    role: str,
    kode_opd: str | None = None,
    nama: str | None = None,
    *,
    replace: bool = False,
    demo: bool = False,
) -> User:
    """Add (or with ``replace`` update) one user; the password is stored only as a hash."""
    username = username.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise UserError("username: 2-64 karakter huruf kecil, angka, titik, garis bawah atau minus")
    if role not in ROLES:
        raise UserError(f"peran harus salah satu dari {', '.join(ROLES)}")
    if role == KEPALA_OPD and not kode_opd:
        raise UserError("peran KEPALA_OPD memerlukan kode_opd")
    if role != KEPALA_OPD:
        kode_opd = None
    if len(password) < 8:
        raise UserError("kata sandi minimal 8 karakter")
    with _lock:
        users = load_users(data)
        if username in users and not replace:
            raise UserError(f"pengguna {username} sudah ada")
        user = User(
            username=username,
            role=role,
            kode_opd=kode_opd,
            nama=nama or username,
            password_hash=hash_password(password),
            demo=demo,
        )
        users[username] = user
        _save(data, users)
    return user


def verify(data: DataDir, username: str, password: str) -> User | None:
    """The user when the password matches, else None (same cost either way)."""
    user = load_users(data).get(username.strip().lower())
    if user is None:
        check_password(password, _DUMMY_HASH)
        return None
    return user if check_password(password, user.password_hash) else None


def demo_users(kode_opd: str) -> list[tuple[str, str, str, str | None, str]]:
    """(username, password, role, kode_opd, nama) of the demo users."""
    return [
        ("analis", "analis123", ANALIS, None, "Analis SDM (demo)"),
        ("keuangan", "keuangan123", KEUANGAN, None, "Staf Keuangan (demo)"),
        (f"kepala_{kode_opd}", "kepala123", KEPALA_OPD, kode_opd, f"Kepala OPD {kode_opd} (demo)"),
    ]


def ensure_demo_users(data: DataDir, kode_opd: str | None) -> list[tuple[str, str]]:
    """On a first start (no users file): create the demo users; returns (username, password).

    Many sessions of a freshly started server (and more than one server process) call this at
    once: one creates the users under a lock, the others find the file and do nothing.
    """
    if users_path(data).exists():
        return []
    data.root.mkdir(parents=True, exist_ok=True)
    with _demo_lock, open(data.root / ".app_users.lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if users_path(data).exists():
            return []
        created = []
        for username, password, role, opd, nama in demo_users(kode_opd or DEMO_OPD_FALLBACK):
            add_user(data, username, password, role, opd, nama, demo=True)
            created.append((username, password))
        return created


def demo_hint(data: DataDir) -> list[tuple[str, str, str]]:
    """(username, password, role) of the demo users, for the login page hint.

    A user keeps the demo flag only until its password is set again (``add_user(replace=True)``
    without ``demo``), so the hint never shows a password that no longer works.
    """
    passwords = {role: pw for _, pw, role, _, _ in demo_users(DEMO_OPD_FALLBACK)}
    out = [(u.username, passwords[u.role], u.role) for u in load_users(data).values() if u.demo]
    return sorted(out, key=lambda x: ROLES.index(x[2]))


def main(argv: list[str] | None = None) -> int:
    parser = Parser(prog="python -m app.users", description="Pengguna aplikasi")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("tambah", help="tambah atau perbarui pengguna")
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    p.add_argument("--username", required=True, help="nama pengguna untuk masuk")
    p.add_argument("--peran", required=True, choices=ROLES, help="peran pengguna")
    p.add_argument("--opd", default=None, help="kode_opd (wajib untuk KEPALA_OPD)")
    p.add_argument("--nama", default=None, help="nama lengkap yang ditampilkan")
    p.add_argument("--ganti", action="store_true", help="perbarui bila sudah ada")
    p.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari stdin")
    p = sub.add_parser("daftar", help="daftar pengguna")
    p.add_argument("--data", default=None, help="folder data (bawaan: $KINERJA_DATA atau ./data)")
    args = parser.parse_args(argv)
    data = DataDir.resolve(args.data)
    if args.cmd == "daftar":
        for u in load_users(data).values():
            print(
                f"{u.username}\t{u.role}\t{u.kode_opd or '-'}\t{u.nama}{'  (demo)' if u.demo else ''}"
            )
        return 0
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("Kata sandi: ")
        if getpass.getpass("Ulangi kata sandi: ") != password:
            print("kata sandi tidak sama", file=sys.stderr)
            return 1
    try:
        user = add_user(
            data, args.username, password, args.peran, args.opd, args.nama, replace=args.ganti
        )
    except UserError as error:
        print(f"gagal: {error}", file=sys.stderr)
        return 1
    print(
        f"pengguna {user.username} ({user.role}{' ' + user.kode_opd if user.kode_opd else ''}) "
        f"disimpan di {users_path(data)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
