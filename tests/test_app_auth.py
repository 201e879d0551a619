"""App users (hashed, salted), the users CLI, and the audit log."""

import json

import pytest

from app import audit, users
from orchestration.core.paths import DataDir


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
        [
            "tambah",
            "--data",
            str(data.root),
            "--username",
            "kepala_dinkes",
            "--peran",
            "KEPALA_OPD",
            "--opd",
            "1.02.01",
            "--password-stdin",
        ]
    )
    assert code == 0
    assert users.verify(data, "kepala_dinkes", "sandi-kepala-9").kode_opd == "1.02.01"
    assert users.main(["daftar", "--data", str(data.root)]) == 0
    assert "kepala_dinkes\tKEPALA_OPD\t1.02.01" in capsys.readouterr().out


def test_audit_log_appends_one_json_line_per_event(data):
    audit.write(
        data,
        audit.UNDUH,
        "keuangan",
        "KEUANGAN",
        objek="nominatif_xlsx",
        periode="2025-03",
        kode_opd="1.02.01",
        nama_file="x.xlsx",
    )
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


def test_the_audit_page_reads_only_the_tail_of_a_long_log(data):
    """A year of logins and downloads is hundreds of thousands of lines: ``read(limit=n)``
    reads the last blocks of the file only, and gives the same newest ``n`` events as reading
    it whole (names with multi-byte letters across the block boundaries included)."""
    from app import audit

    for k in range(4000):
        audit.write(data, audit.UNDUH, f"pengguna-{k}", "ANALIS", objek="Ñèñè Sèmuèl Lōdè " * 3)
    whole = audit.read(data)
    assert len(whole) == 4000 and whole[0]["pengguna"] == "pengguna-3999"
    for n in (1, 7, 500, 3999, 4000, 9000):
        assert audit.read(data, limit=n) == whole[:n]
    assert audit._last_lines(audit.audit_path(data), 3, block=5) == [
        json.dumps(e, ensure_ascii=False) for e in reversed(whole[:3])
    ]


def test_wrong_passwords_back_off_per_pair_and_never_lock_the_owner_out(data, monkeypatch):
    from app import auth, sessions

    monkeypatch.setattr(auth.st, "session_state", {})
    users.add_user(data, "dicoba", "sandi-yang-benar", users.ANALIS)
    penyerang, pemilik = "10.0.0.66", "10.0.0.7"
    bebas = sessions.ATURAN_GAGAL["pasangan"][0]
    for _ in range(bebas):
        s, pesan = auth.login(data, "dicoba", "sandi-salah", alamat=penyerang)
        assert s is None and "salah" in pesan
    # the next attempt from that address waits, even with the right password, and is told how long
    s, pesan = auth.login(data, "dicoba", "sandi-yang-benar", alamat=penyerang)
    assert s is None and "Coba lagi dalam" in pesan and "detik" in pesan
    detik = int(pesan.rsplit("dalam ", 1)[1].split(" ")[0])
    assert 1 <= detik <= 2 * sessions.ATURAN_GAGAL["pasangan"][1]
    assert auth.SESSION_KEY not in auth.st.session_state
    # the owner, from another address, gets in (the account-wide wait is capped at seconds)
    waktu = sessions.wait(data, "dicoba", pemilik)
    assert waktu <= sessions.MAKS_AKUN
    s, pesan = auth.login(data, "dicoba", "sandi-yang-benar", alamat=pemilik)
    assert s is not None and pesan is None
    # other names from the attacker's address are not held up by that pair
    _, pesan = auth.login(data, "lain", "sandi-salah", alamat=penyerang)
    assert pesan == "Nama pengguna atau kata sandi salah."
    events = audit.read(data)
    assert any(e.get("alasan") == "ditahan" and e["alamat"] == penyerang for e in events)


def test_without_a_client_address_others_failures_never_lock_the_owner_out(data, monkeypatch):
    """Behind a reverse proxy on the same host (or on localhost) Streamlit knows no client
    address: everyone would share one address bucket, and anyone's wrong passwords would hold
    back every user for up to 15 minutes. Without an address only the account's own, capped
    wait applies."""
    from app import auth, sessions

    monkeypatch.setattr(auth.st, "session_state", {})
    users.add_user(data, "pemilik", "sandi-pemilik", users.ANALIS)
    for i in range(3 * sessions.ATURAN_GAGAL["alamat"][0]):
        auth.login(data, f"tebakan{i}", "sandi-salah", alamat=None)
    assert sessions.wait(data, "pemilik", None) == 0
    s, pesan = auth.login(data, "pemilik", "sandi-pemilik", alamat=None)
    assert s is not None and pesan is None
    for _ in range(3 * sessions.ATURAN_GAGAL["pasangan"][0]):
        sessions.record_failure(data, "pemilik", None)
    assert 0 < sessions.wait(data, "pemilik", None) <= sessions.MAKS_AKUN


def test_backoff_doubles_is_capped_and_ends(data):
    from app import sessions

    t = 1_000_000.0
    bebas, awal, maks = sessions.ATURAN_GAGAL["pasangan"]
    waits = []
    for i in range(bebas + 12):
        sessions.record_failure(data, "x", "10.1.1.1", now=t + i * 0.001)
        waits.append(sessions.wait(data, "x", "10.1.1.1", now=t + i * 0.001))
    pair = [round(w) for w in waits[bebas - 1 : bebas + 4]]
    assert pair == [awal, 2 * awal, 4 * awal, 8 * awal, 16 * awal]
    assert max(waits) <= maks + 0.01
    # after the wait, an attempt is allowed again (backoff, not a lock)
    assert sessions.wait(data, "x", "10.1.1.1", now=t + maks + 1) == 0
    # the window forgets old failures
    assert sessions.wait(data, "x", "10.1.1.1", now=t + sessions.JENDELA_GAGAL + 1) == 0


def test_signed_cookie_and_one_time_token(data):
    from app import sessions

    row, token = sessions.create(data, "analis", users.ANALIS, None, now=1000.0)
    value, berakhir = sessions.exchange(data, token, now=1001.0)
    assert berakhir == row.berakhir
    assert sessions.exchange(data, token, now=1002.0) is None  # used up
    assert sessions.read_cookie(data, value, now=1002.0) == row.id
    sid, exp, sig = value.split(".")
    assert sessions.read_cookie(data, f"{sid}.{int(exp) + 3600}.{sig}", now=1002.0) is None
    other = "y" if sid[0] == "x" else "x"  # another session id (1 in 64 ids begins with x)
    assert sessions.read_cookie(data, f"{other}{sid[1:]}.{exp}.{sig}", now=1002.0) is None
    assert sessions.read_cookie(data, value, now=berakhir + 1) is None  # expired
    assert sessions.read_cookie(data, "sampah", now=1002.0) is None
    _, token2 = sessions.create(data, "analis", users.ANALIS, None, now=2000.0)
    assert (
        sessions.exchange(data, token2, now=2000.0 + sessions.TUKAR_DETIK + 1) is None
    )  # too late
    key = data.root / sessions.SECRET_FILE
    assert len(key.read_bytes()) == 32 and key.stat().st_mode & 0o077 == 0


def test_cookie_routes_set_and_clear_an_httponly_cookie(data, monkeypatch):
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from app import routes, sessions

    monkeypatch.setenv("KINERJA_DATA", str(data.root))
    client = TestClient(Starlette(routes=routes.ROUTES))
    assert client.post("/api/sesi", content="bukan-token").status_code == 403
    row, token = sessions.create(data, "analis", users.ANALIS, None)
    response = client.post("/api/sesi", content=token)
    assert response.status_code == 200
    header = response.headers["set-cookie"]
    assert header.startswith(f"{sessions.COOKIE}=") and "HttpOnly" in header
    assert "SameSite=strict" in header or "samesite=strict" in header.lower()
    assert sessions.read_cookie(data, response.cookies[sessions.COOKIE]) == row.id
    assert client.post("/api/sesi", content=token).status_code == 403  # once only
    response = client.post(
        "/api/keluar", cookies={sessions.COOKIE: response.cookies[sessions.COOKIE]}
    )
    assert response.status_code == 200 and 'sik_sesi=""' in response.headers["set-cookie"]
    assert sessions.fetch(data, row.id).diakhiri is not None  # ended on the server


def test_a_download_url_alone_gets_nothing_without_a_valid_session(data, monkeypatch):
    """Streamlit serves a download's file at /media/<id> to whoever holds the URL (history, a
    proxy's log); with several processes it is kept an hour. Only a valid session gets it; the
    refusal is audited; media that are no download (the login page's logo) stay public."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from app import routes, sessions
    from app.download_guard import DownloadsNeedASession

    monkeypatch.setenv("KINERJA_DATA", str(data.root))

    def media(request):
        if request.path_params["name"].endswith(".csv"):
            disposition = 'attachment; filename="tpp_2025-03_1.01.01.csv"'
            return Response(b"nip,tpp_neto\n1,2\n", headers={"Content-Disposition": disposition})
        return Response(b"<svg/>", media_type="image/svg+xml")

    client = TestClient(
        Starlette(
            routes=[*routes.ROUTES, Route("/media/{name}", media)],
            middleware=[Middleware(DownloadsNeedASession)],
        )
    )
    unduh = "/media/0123abcd.csv"
    refused = client.get(unduh)
    assert refused.status_code == 403 and b"nip" not in refused.content
    assert "Masuk dulu" in refused.text
    event = json.loads((data.root / "audit.jsonl").read_text().splitlines()[-1])
    assert (event["aksi"], event["objek"]) == (audit.AKSES_DITOLAK, f"unduh {unduh}")
    assert client.get("/media/logo.svg").status_code == 200  # no data: public
    assert client.get(unduh, cookies={sessions.COOKIE: "sampah"}).status_code == 403

    users.add_user(data, "kepala_1.01.01", "rahasia-sekali", users.KEPALA_OPD, "1.01.01")
    row, token = sessions.create(data, "kepala_1.01.01", users.KEPALA_OPD, "1.01.01")
    cookie = client.post("/api/sesi", content=token).cookies[sessions.COOKIE]
    served = client.get(unduh, cookies={sessions.COOKIE: cookie})
    assert served.status_code == 200 and served.content.startswith(b"nip,tpp_neto")
    client.post("/api/keluar", cookies={sessions.COOKIE: cookie})  # logout ends it
    assert client.get(unduh, cookies={sessions.COOKIE: cookie}).status_code == 403
    log = [json.loads(x) for x in (data.root / "audit.jsonl").read_text().splitlines()]
    keluar = [e for e in log if e["aksi"] == audit.LOGOUT]
    assert [(e["pengguna"], e["objek"]) for e in keluar] == [("kepala_1.01.01", "/api/keluar")]
    client.post("/api/keluar", cookies={sessions.COOKIE: cookie})  # again: nothing new
    log = [json.loads(x) for x in (data.root / "audit.jsonl").read_text().splitlines()]
    assert sum(e["aksi"] == audit.LOGOUT for e in log) == 1
    assert (data.root / "audit.jsonl").stat().st_mode & 0o777 == 0o600  # NIPs, notes, addresses


def test_a_download_url_serves_only_the_account_that_built_the_file(data, monkeypatch):
    """Finance builds the province's payment list; a department head who got hold of its URL
    (a shared screen, a proxy's log) and has a valid session of their own gets 403, audited;
    finance gets the file. Built in this process (``media_owner``'s record) or in another one
    (the shared store's metadata, several server processes)."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.responses import Response
    from starlette.routing import Route
    from starlette.testclient import TestClient

    from app import media_owner, routes, sessions
    from app.download_guard import DownloadsNeedASession
    from app.processes import media_folder

    monkeypatch.setenv("KINERJA_DATA", str(data.root))

    def media(request):
        disposition = 'attachment; filename="tpp_2025-03_semua.zip"'
        return Response(b"nip,tpp_neto\n1,2\n", headers={"Content-Disposition": disposition})

    client = TestClient(
        Starlette(
            routes=[*routes.ROUTES, Route("/media/{name}", media)],
            middleware=[Middleware(DownloadsNeedASession)],
        )
    )

    def cookie(username: str, role: str, opd: str | None) -> dict[str, str]:
        users.add_user(data, username, "rahasia-sekali", role, opd)
        _, token = sessions.create(data, username, role, opd)
        return {sessions.COOKIE: client.post("/api/sesi", content=token).cookies[sessions.COOKIE]}

    keuangan = cookie("keuangan", users.KEUANGAN, None)
    kepala = cookie("kepala_1.01.01", users.KEPALA_OPD, "1.01.01")
    here, there = "a" * 32, "b" * 32
    media_owner.built_for("keuangan")  # what app.ui's builder does before the store call
    assert media_owner.take() == "keuangan" and media_owner.take() is None
    media_owner.remember(here, "keuangan")
    folder = media_folder(data)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{there}.json").write_text(json.dumps({"pemilik": ["keuangan"]}))
    for file_id in (here, there):
        url = f"/media/{file_id}.zip"
        refused = client.get(url, cookies=kepala)
        assert refused.status_code == 403 and b"nip" not in refused.content, file_id
        event = json.loads((data.root / "audit.jsonl").read_text().splitlines()[-1])
        assert (event["aksi"], event["pengguna"], event["pesan"]) == (
            audit.AKSES_DITOLAK,
            "kepala_1.01.01",
            "berkas dibuat untuk pengguna lain",
        )
        served = client.get(url, cookies=keuangan)
        assert served.status_code == 200 and served.content.startswith(b"nip,tpp_neto")
    # the same bytes built by the head too (Streamlit names a file by its content): both may
    media_owner.remember(here, "kepala_1.01.01")
    assert client.get(f"/media/{here}.zip", cookies=kepala).status_code == 200


def test_a_download_is_refused_once_the_sessions_account_changed(data, monkeypatch):
    """A session still within its time whose account was moved to another department (or
    deleted) gets no file: the next page view would end it, the download must not wait for it."""
    from app import sessions
    from app.download_guard import session_valid

    users.add_user(data, "kepala_1.01.01", "rahasia-sekali", users.KEPALA_OPD, "1.01.01")
    _, token = sessions.create(data, "kepala_1.01.01", users.KEPALA_OPD, "1.01.01")
    cookie, _ = sessions.exchange(data, token)
    assert session_valid(data, cookie)
    users.add_user(
        data, "kepala_1.01.01", "rahasia-sekali", users.KEPALA_OPD, "1.02.01", replace=True
    )
    assert not session_valid(data, cookie)  # moved to another department
    users.add_user(
        data, "kepala_1.01.01", "rahasia-sekali", users.KEPALA_OPD, "1.01.01", replace=True
    )
    assert session_valid(data, cookie)
    users.add_user(data, "kepala_1.01.01", "rahasia-sekali", users.ANALIS, replace=True)
    assert not session_valid(data, cookie)  # another role


def test_demo_users_created_once_when_many_sessions_start_together(data):
    import threading

    results, errors = [], []

    def start():
        try:
            results.append(users.ensure_demo_users(data, "1.02.01"))
        except Exception as e:  # noqa: BLE001 - what the test is about
            errors.append(e)

    threads = [threading.Thread(target=start) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sum(1 for r in results if r) == 1  # exactly one session created them
    assert users.verify(data, "analis", "analis123") is not None


def test_what_anyone_types_as_a_user_name_is_cut_before_the_audit_log(data, monkeypatch):
    from app import auth

    monkeypatch.setattr(auth, "client_address", lambda: "10.0.0.9")
    sesi, pesan = auth.login(data, "a" * 100_000, "salah")
    assert sesi is None and "salah" in pesan
    event = json.loads((data.root / "audit.jsonl").read_text().splitlines()[-1])
    assert event["pengguna"] == "a" * users.USERNAME_MAX
