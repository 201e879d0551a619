"""App users (hashed, salted), the users CLI, and the audit log."""

import json

import pytest

from app import audit, users
from orchestration.paths import DataDir


@pytest.fixture
def data(tmp_path):
    return DataDir(tmp_path)


def test_passwords_are_stored_as_salted_scrypt_hashes(data):
    users.add_user(data, "budi", "rahasia-sekali", users.ANALIS)
    users.add_user(data, "ani", "rahasia-sekali", users.KEUANGAN)
    text = users.users_path(data).read_text()
    assert "rahasia-sekali" not in text
    stored = json.loads(text)["users"]
    assert stored["budi"]["password_hash"].startswith("scrypt$")
    # same password, different salt, different hash
    assert stored["budi"]["password_hash"] != stored["ani"]["password_hash"]
    assert users.users_path(data).stat().st_mode & 0o077 == 0


def test_verify_accepts_only_the_right_password(data):
    users.add_user(data, "Budi", "rahasia-sekali", users.KEPALA_OPD, "1.02.01", "Budi Ndun")
    user = users.verify(data, "budi", "rahasia-sekali")
    assert user is not None and user.role == users.KEPALA_OPD and user.kode_opd == "1.02.01"
    assert users.verify(data, "budi", "salah-sandi") is None
    assert users.verify(data, "tidak-ada", "rahasia-sekali") is None


@pytest.mark.parametrize(
    ("username", "password", "role", "opd", "pesan"),
    [
        ("x", "rahasia-sekali", users.ANALIS, None, "username"),
        ("budi", "pendek", users.ANALIS, None, "minimal 8"),
        ("budi", "rahasia-sekali", "ADMIN", None, "peran"),
        ("budi", "rahasia-sekali", users.KEPALA_OPD, None, "kode_opd"),
    ],
)
def test_add_user_refuses_bad_input(data, username, password, role, opd, pesan):
    with pytest.raises(users.UserError, match=pesan):
        users.add_user(data, username, password, role, opd)


def test_existing_user_is_replaced_only_when_asked(data):
    users.add_user(data, "budi", "rahasia-sekali", users.ANALIS)
    with pytest.raises(users.UserError, match="sudah ada"):
        users.add_user(data, "budi", "rahasia-lain-1", users.ANALIS)
    users.add_user(data, "budi", "rahasia-lain-1", users.KEUANGAN, replace=True)
    assert users.verify(data, "budi", "rahasia-lain-1").role == users.KEUANGAN


def test_demo_users_only_on_first_start_and_hint_drops_changed_ones(data):
    created = users.ensure_demo_users(data, "1.02.01")
    assert ("analis", "analis123") in created and ("kepala_1.02.01", "kepala123") in created
    assert users.ensure_demo_users(data, "1.02.01") == []
    assert users.verify(data, "kepala_1.02.01", "kepala123").kode_opd == "1.02.01"
    assert [u for u, _, _ in users.demo_hint(data)] == ["analis", "kepala_1.02.01", "keuangan"]
    users.add_user(data, "analis", "sandi-baru-123", users.ANALIS, replace=True)
    assert "analis" not in [u for u, _, _ in users.demo_hint(data)]


def test_users_cli_adds_a_user_from_stdin(data, monkeypatch, capsys):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("sandi-kepala-9\n"))
    code = users.main(
        ["tambah", "--data", str(data.root), "--username", "kepala_dinkes",
         "--peran", "KEPALA_OPD", "--opd", "1.02.01", "--password-stdin"]
    )  # fmt: skip
    assert code == 0
    assert users.verify(data, "kepala_dinkes", "sandi-kepala-9").kode_opd == "1.02.01"
    assert users.main(["daftar", "--data", str(data.root)]) == 0
    assert "kepala_dinkes\tKEPALA_OPD\t1.02.01" in capsys.readouterr().out


def test_audit_log_appends_one_json_line_per_event(data):
    audit.write(data, audit.UNDUH, "keuangan", "KEUANGAN", objek="nominatif_xlsx", periode="2025-03",
                kode_opd="1.02.01", nama_file="x.xlsx")  # fmt: skip
    audit.write(data, audit.LOGIN, "analis", "ANALIS")
    lines = audit.audit_path(data).read_text().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert (
        first["aksi"] == "UNDUH"
        and first["pengguna"] == "keuangan"
        and first["periode"] == "2025-03"
    )
    assert first["waktu"].endswith("+08:00")  # WITA
    assert [e["aksi"] for e in audit.read(data)] == ["LOGIN", "UNDUH"]  # newest first


def test_repeated_wrong_passwords_lock_the_user_name_for_a_while(data, monkeypatch):
    from app import auth

    monkeypatch.setattr(auth.st, "session_state", {})
    users.add_user(data, "dicoba", "sandi-yang-benar", users.ANALIS)
    for _ in range(auth.MAX_GAGAL):
        sesi, pesan = auth.masuk(data, "dicoba", "sandi-salah")
        assert sesi is None and "salah" in pesan
    sesi, pesan = auth.masuk(data, "dicoba", "sandi-yang-benar")  # even the right one waits now
    assert sesi is None and "Terlalu banyak" in pesan
    assert auth.SESSION_KEY not in auth.st.session_state
    _, pesan = auth.masuk(data, "lain", "sandi-salah")  # other names are not locked
    assert "salah" in pesan
    assert [e["aksi"] for e in audit.read(data)][:2] == ["LOGIN_GAGAL", "LOGIN_GAGAL"]
