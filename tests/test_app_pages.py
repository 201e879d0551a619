"""Every page for every role through streamlit.testing (AppTest), and what must be refused."""

import json
import time
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from app import auth, users
from app import format as fmt
from models import fresh_seed
from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot
from orchestration.tools.app_sample import sample_data

APP = Path(__file__).resolve().parent.parent / "app"
MAIN = str(APP / "main.py")
SENDIRI, LAIN = "1.01.01", "1.02.01"
KEPALA = f"kepala_{SENDIRI}"
HALAMAN = {
    "analis": [
        "ringkasan",
        "perangkat_daerah",
        "pegawai",
        "anomali",
        "whatif",
        "periode",
        "kualitas",
        "audit_log",
    ],
    KEPALA: ["perangkat_daerah", "pegawai", "anomali"],
    "keuangan": ["keuangan", "periode", "ringkasan", "pegawai"],
}
SANDI = {"analis": "analis123", "keuangan": "keuangan123", KEPALA: "kepala123"}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return sample_data(tmp_path_factory.mktemp("app-pages"))


@pytest.fixture(scope="module")
def bulanan(data):
    return current_snapshot(data).read("tpp_bulanan", ["2025-03"])


@pytest.fixture(autouse=True)
def data_env(data, monkeypatch):
    monkeypatch.setenv("KINERJA_DATA", str(data.root))


def buka() -> AppTest:
    return AppTest.from_file(MAIN, default_timeout=30).run()


def masuk(username: str, password: str | None = None) -> AppTest:
    at = buka()
    at.text_input(key="masuk_username").input(username)
    at.text_input(key="masuk_password").input(password or SANDI[username])
    return at.button(key="FormSubmitter:masuk-Masuk").click().run()


def teks(at: AppTest) -> str:
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "error",
        "warning",
        "info",
        "success",
    ):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    return "\n".join(parts)


def semua_bytes(at: AppTest) -> bytes:
    """Every element the run sent (dataframes and charts included), serialized."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            out.append(proto.SerializeToString())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return b"".join(out)


def tidak_ada_error(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def audit_events(data: DataDir) -> list[dict]:
    path = data.root / "audit.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def unduhan(monkeypatch) -> dict:
    """key -> the ``data`` callable of every download button rendered: what Streamlit runs when
    the browser asks for the file (AppTest has no media store, a click builds nothing)."""
    import streamlit as st

    dibuat = {}
    asli = st.download_button

    def rekam(label, data=None, **kwargs):
        dibuat[kwargs.get("key")] = data
        return asli(label, data=data, **kwargs)

    monkeypatch.setattr(st, "download_button", rekam)
    return dibuat


# ---- login ------------------------------------------------------------------------------------


def test_first_start_creates_demo_users_and_says_so(data):
    at = buka()
    tidak_ada_error(at)
    hint = teks(at) + "".join(e.label for e in at.expander)
    assert "Pengguna demo" in hint
    assert "`analis` / `analis123`" in teks(at)
    assert f"`{KEPALA}` / `kepala123`" in teks(at)
    assert users.users_path(data).exists()


def test_wrong_password_is_refused_and_audited(data):
    at = masuk("analis", "bukan-sandinya")
    assert "salah" in teks(at)
    assert not at.session_state[auth.SESSION_KEY] if auth.SESSION_KEY in at.session_state else True
    assert at.title == [] or at.title[0].value != "Ringkasan Provinsi"
    assert audit_events(data)[-1]["aksi"] == "LOGIN_GAGAL"


KUNCI = {
    "ringkasan": "ringkasan",
    "perangkat_daerah": "opd",
    "pegawai": "pegawai",
    "anomali": "anomali",
    "whatif": "whatif",
    "kualitas": "kualitas",
    "audit_log": "audit",
    "keuangan": "keuangan",
    "periode": "periode",
}


def page_key(page: str) -> str:
    return KUNCI[page]


@pytest.mark.parametrize("username", list(HALAMAN))
def test_every_page_renders_for_every_role(username, bulanan, data):
    at = masuk(username)
    tidak_ada_error(at)
    for page in HALAMAN[username]:
        at.switch_page(f"views/{page}.py").run()
        tidak_ada_error(at)
        assert at.title, page
    # a page of another role (opened by its URL) is refused, says so, and is audited
    hidden = {p for pages in HALAMAN.values() for p in pages} - set(HALAMAN[username])
    for page in sorted(hidden):
        at.switch_page(f"views/{page}.py").run()
        tidak_ada_error(at)
        assert any("Akses ditolak" in e.value for e in at.error), page
        assert not at.title and not at.dataframe, page
        event = audit_events(data)[-1]
        assert event["aksi"] == "AKSES_DITOLAK" and event["objek"] == f"halaman {page_key(page)}"
        assert event["pengguna"] == username


def test_landing_page_and_numbers(bulanan):
    at = masuk("analis")
    assert at.title[0].value == "Ringkasan Provinsi"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pegawai"] == f"{bulanan['nip'].n_unique():,}".replace(",", ".")
    assert metrics["TPP bruto"].startswith("Rp ")
    assert "Maret 2025" in teks(at)
    at = masuk("keuangan")
    assert at.title[0].value == "Keuangan"
    assert "draf" in teks(at).lower()  # March is a draft period: finance is warned
    metrics = {m.label: m.value for m in at.metric}
    neto = bulanan["tpp_neto"].sum()
    assert metrics["TPP neto"] == "Rp " + f"{neto:,}".replace(",", ".")


def test_pegawai_page_explains_the_tpp(bulanan):
    row = bulanan.filter(pl.col("tk") > 0).sort("persen_disiplin").row(0, named=True)
    at = masuk("analis")
    at.switch_page("views/pegawai.py").run()
    at.text_input(key="cari_pegawai").input(row["nip_format"]).run()
    tidak_ada_error(at)
    assert at.header[0].value == row["nama"]
    text = teks(at)
    assert f"NIP** {row['nip_format']}" in text
    assert "Potongan disiplin per hari" in text
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["TPP neto"] == "Rp " + f"{row['tpp_neto']:,}".replace(",", ".")
    potongan = next(df.value for df in at.dataframe if "poin" in df.value.columns)
    assert (potongan["kode"] == "TK").sum() == row["tk"]


# ---- department heads: own department only ----------------------------------------------------


def test_department_head_lands_on_own_department(bulanan):
    at = masuk(KEPALA)
    tidak_ada_error(at)
    assert at.query_params.get("opd") == SENDIRI
    sent = semua_bytes(at)
    for row in _foreign(bulanan).iter_rows(named=True):
        assert row["nip"].encode() not in sent and row["nip_format"].encode() not in sent


def _foreign(bulanan):
    """People of the other department only (a transferred person may be in both)."""
    own = bulanan.filter(pl.col("kode_opd") == SENDIRI)["nip"]
    return bulanan.filter((pl.col("kode_opd") == LAIN) & ~pl.col("nip").is_in(own.implode()))


def _refused(at: AppTest, bulanan, data) -> None:
    tidak_ada_error(at)
    assert any("Akses ditolak" in e.value for e in at.error)
    sent = semua_bytes(at)
    for row in _foreign(bulanan).iter_rows(named=True):
        assert row["nip"].encode() not in sent
        assert row["nip_format"].encode() not in sent
        assert row["nama"].encode() not in sent
    assert LAIN.encode() not in sent
    assert audit_events(data)[-1]["aksi"] == "AKSES_DITOLAK"


def test_department_head_url_tampering_opd_is_refused(data, bulanan):
    at = masuk(KEPALA)
    at.query_params["opd"] = LAIN
    at.run()
    _refused(at, bulanan, data)


def test_department_head_widget_tampering_opd_is_refused(data, bulanan):
    at = masuk(KEPALA)
    at.session_state["opd"] = LAIN
    at.run()
    _refused(at, bulanan, data)


def test_department_head_url_tampering_nip_is_refused(data, bulanan):
    at = masuk(KEPALA)
    at.switch_page("views/pegawai.py").run()
    at.query_params["nip"] = _foreign(bulanan)["nip"][0]
    at.run()
    _refused(at, bulanan, data)


def test_department_head_search_finds_no_foreign_people(data, bulanan):
    at = masuk(KEPALA)
    at.switch_page("views/pegawai.py").run()
    at.text_input(key="cari_pegawai").input(_foreign(bulanan)["nip"][0]).run()
    tidak_ada_error(at)
    assert any("Perangkat Daerah Anda" in w.value for w in at.warning)
    sent = semua_bytes(at)
    for row in _foreign(bulanan).iter_rows(named=True):
        assert row["nama"].encode() not in sent


def test_transfer_month_shows_each_department_only_to_whom_it_belongs(data, bulanan):
    # a person the pipeline split at a transfer in March (the simulated province has some)
    nip = bulanan.filter(pl.col("mutasi")).sort("nip")["nip"][0]
    mutasi = bulanan.filter(pl.col("nip") == nip)
    assert sorted(mutasi["segmen"]) == ["ASAL", "UTAMA"]
    asal = mutasi.filter(pl.col("segmen") == "ASAL").row(0, named=True)
    utama = mutasi.filter(pl.col("segmen") == "UTAMA").row(0, named=True)
    assert asal["kode_opd"] != utama["kode_opd"]
    at = masuk("analis")
    at.switch_page("views/pegawai.py").run()
    at.query_params["nip"] = nip
    at.run()
    tidak_ada_error(at)
    assert [h.value.rsplit(" (", 1)[1] for h in at.subheader[:2]] == [
        "sebelum mutasi)",
        "sejak mutasi)",
    ]

    # the head of the new department sees this month's pay there, nothing of the old one
    kepala = f"kepala_{utama['kode_opd']}"
    users.add_user(
        data, kepala, "kepala-baru-123", users.KEPALA_OPD, utama["kode_opd"], replace=True
    )
    at = masuk(kepala, "kepala-baru-123")
    at.switch_page("views/pegawai.py").run()
    at.query_params["nip"] = nip
    at.run()
    tidak_ada_error(at)
    sent = semua_bytes(at)
    assert utama["nama_opd"].encode() in sent
    assert asal["nama_opd"].encode() not in sent and asal["kode_opd"].encode() not in sent
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["TPP neto"] == "Rp " + f"{utama['tpp_neto']:,}".replace(",", ".")


def test_page_guard_refuses_a_page_run_outside_the_role(data):
    """Defence in depth: even if a page script ran for the wrong role, it refuses."""
    at = masuk("keuangan")
    ctx = at.session_state["_sik_ctx"]
    page = AppTest.from_file(str(APP / "views" / "kualitas.py"), default_timeout=30)
    page.session_state["_sik_ctx"] = ctx
    page.run()
    assert any("Akses ditolak" in e.value for e in page.error)
    assert page.title == []


# ---- sessions and downloads -------------------------------------------------------------------


def _umur_sesi(data: DataDir, sesi_id: str, detik: float) -> None:
    """Pretend the session's last activity was ``detik`` seconds ago (on the server)."""
    import sqlite3

    with sqlite3.connect(data.root / "app_sesi.sqlite") as con:
        con.execute("update sesi set terakhir = ? where id = ?", (time.time() - detik, sesi_id))


def test_idle_session_expires(data):
    at = masuk("analis")
    sesi = at.session_state[auth.SESSION_KEY]
    _umur_sesi(data, sesi.id, auth.IDLE_SECONDS + 1)
    at.run()
    assert at.text_input(key="masuk_username") is not None
    assert "Sesi Anda berakhir" in teks(at)
    assert audit_events(data)[-1]["aksi"] == "SESI_BERAKHIR"


def test_active_session_stays(data):
    at = masuk("analis")
    sesi = at.session_state[auth.SESSION_KEY]
    _umur_sesi(data, sesi.id, 60)
    at.run()
    assert at.title[0].value == "Ringkasan Provinsi"


def _cookie_dari_login(data: DataDir, at: AppTest) -> str:
    """What the browser would hold after the login: the token exchanged for the cookie."""
    from app import sessions as store

    skrip = "".join(str(e.value) for e in at.get("html"))
    token = skrip.split("body: '", 1)[1].split("'", 1)[0]
    value, _ = store.exchange(data, token)
    return value


def test_refresh_resumes_the_session_from_the_cookie_until_logout(data, monkeypatch):
    at = masuk("analis")
    cookie = _cookie_dari_login(data, at)
    monkeypatch.setattr(auth, "_cookie", lambda: cookie)
    baru = buka()  # a refresh / a new tab: a new Streamlit session with the browser's cookie
    tidak_ada_error(baru)
    assert baru.title[0].value == "Ringkasan Provinsi"
    assert baru.session_state[auth.SESSION_KEY].username == "analis"
    baru.button(key="keluar").click().run()
    assert "Anda telah keluar" in teks(baru)
    assert any("/api/keluar" in str(e.value) for e in baru.get("html"))
    # the same cookie no longer opens anything, in a new tab or in the first one
    lagi = buka()
    assert lagi.text_input(key="masuk_username") is not None and not lagi.title
    at.run()
    assert at.text_input(key="masuk_username") is not None


def test_a_tampered_or_foreign_cookie_is_ignored(data, monkeypatch):
    at = masuk("analis")
    cookie = _cookie_dari_login(data, at)
    sid, exp, sig = cookie.split(".")
    for palsu in (f"{sid}.{int(exp) + 99999}.{sig}", f"{sid}.{exp}.{'0' * len(sig)}", "x.1.y"):
        monkeypatch.setattr(auth, "_cookie", lambda p=palsu: p)
        baru = buka()
        assert baru.text_input(key="masuk_username") is not None and not baru.title


def test_logout_clears_the_session(data):
    at = masuk("analis")
    at.button(key="keluar").click().run()
    assert auth.SESSION_KEY not in at.session_state
    assert "Anda telah keluar" in teks(at)
    assert audit_events(data)[-1]["aksi"] == "LOGOUT"


def test_removed_account_loses_its_session(data):
    users.add_user(data, "sementara", "sandi-sementara", users.ANALIS)
    at = masuk("sementara", "sandi-sementara")
    assert at.title[0].value == "Ringkasan Provinsi"
    saved = json.loads(users.users_path(data).read_text())
    saved["users"].pop("sementara")
    users.users_path(data).write_text(json.dumps(saved))
    at.run()
    assert "diubah atau dihapus" in teks(at)


def test_every_download_is_audited(data, unduhan):
    at = masuk("keuangan")
    assert at.get("download_button"), "halaman Keuangan tanpa tombol unduh"
    unduhan["unduh_csv"]()
    event = audit_events(data)[-1]
    assert (
        event["aksi"] == "UNDUH"
        and event["pengguna"] == "keuangan"
        and event["peran"] == "KEUANGAN"
    )
    assert event["periode"] == "2025-03" and event["nama_file"]

    at = masuk(KEPALA)
    unduhan["unduh_opd"]()
    event = audit_events(data)[-1]
    assert event["aksi"] == "UNDUH" and event["pengguna"] == KEPALA and event["kode_opd"] == SENDIRI


def test_a_download_file_is_audited_when_built_not_only_on_click(data, unduhan):
    """The browser can ask for a deferred download's file without the click's rerun (Streamlit
    runs the ``data`` callable on a direct request): building the file writes the audit line,
    and after logout the callable builds nothing."""
    at = masuk(KEPALA)
    buat = unduhan["unduh_opd"]
    sebelum = len(audit_events(data))
    assert buat()  # a direct request for the file, no click
    assert len(audit_events(data)) == sebelum + 1
    event = audit_events(data)[-1]
    assert event["aksi"] == "UNDUH" and event["pengguna"] == KEPALA
    assert event["kode_opd"] == SENDIRI and event["nama_file"].endswith(".csv")
    at.button(key="keluar").click().run()
    with pytest.raises(PermissionError):
        buat()  # the session ended: the file is not built any more
    assert audit_events(data)[-1]["aksi"] == "AKSES_DITOLAK"


def test_without_published_data_pages_say_so(tmp_path, monkeypatch):
    monkeypatch.setenv("KINERJA_DATA", str(tmp_path))
    at = masuk("analis")
    tidak_ada_error(at)
    assert "Belum" in teks(at)


def _model_files(data: DataDir, bulanan: pl.DataFrame) -> list[Path]:
    """Score files of ``models.score_files`` for March in the new schema: 30 rule flags, 10 model
    flags, 3 over the workload cap; flags per rule (one buddy-punching pair across the two
    departments) and cases; early-warning scores with the baseline's risk."""
    skor = pytest.importorskip("models.score_files")
    people = bulanan.filter(pl.col("segmen") == "UTAMA").select("periode", "nip", "kode_opd")
    n = people.height
    i = pl.int_range(0, n)
    frame = people.with_columns(
        skor=pl.int_range(n, 0, -1).cast(pl.Float64) / n,
        peringkat=pl.int_range(1, n + 1).cast(pl.Int32),
        lapisan=pl.when(i < 30).then(pl.lit("ATURAN")).when(i < 40).then(pl.lit("MODEL")),
        terpotong_beban=(i >= 40) & (i < 43),
        aturan=pl.when(i < 30).then(pl.lit("jam_identik")),
        model_versi=pl.lit("uji-1"),
    ).with_columns(
        ditandai=pl.col("lapisan").is_not_null(),
        alasan=pl.when(pl.col("lapisan") == "ATURAN")
        .then(pl.lit("Jam masuk persis 07:14 pada 19 dari 19 hari masuk [ambang: >= 50 %]"))
        .when(pl.col("lapisan") == "MODEL")
        .then(pl.lit("Model (IsolationForest, di luar aturan): 4 hari tap di hari libur")),
        alasan_utama=pl.when(pl.col("lapisan") == "ATURAN")
        .then(pl.lit("jam_identik"))
        .when(pl.col("lapisan") == "MODEL")
        .then(pl.lit("libur")),
        label_utama=pl.when(pl.col("lapisan") == "ATURAN")
        .then(pl.lit("Jam masuk identik"))
        .when(pl.col("lapisan") == "MODEL")
        .then(pl.lit("Pola tidak lazim menurut model")),
    )
    ditandai = frame.filter(pl.col("ditandai"))
    flags = ditandai.select(
        "periode",
        "nip",
        "kode_opd",
        aturan=pl.when(pl.col("lapisan") == "ATURAN")
        .then(pl.lit("jam_identik"))
        .otherwise(pl.lit("model_isolation_forest")),
        label="label_utama",
        alasan="alasan",
        nilai=pl.lit(1.0),
        ambang=pl.lit("uji"),
        nip_pasangan=pl.lit(None, dtype=pl.String),
        kasus_id=pl.format("{}:PEGAWAI:{}", "periode", "nip"),
        lapisan="lapisan",
    )
    # a buddy-punching pair: someone of the own department (already flagged by another rule)
    # after someone of the other one; the scores file carries both reasons
    own = _pasangan_sendiri(bulanan, frame)
    lain = _foreign(bulanan)["nip"][0]
    titip = f"Tap di mesin FP-1 rata-rata 14 detik setelah NIP {fmt.nip(lain)} pada 17 hari"
    frame = frame.with_columns(
        aturan=pl.when(pl.col("nip") == own)
        .then(pl.lit("jam_identik,titip_absen"))
        .otherwise("aturan"),
        alasan=pl.when(pl.col("nip") == own)
        .then(pl.col("alasan") + "; " + titip)
        .otherwise("alasan"),
    )
    pair = pl.DataFrame(
        {
            "periode": "2025-03",
            "nip": own,
            "kode_opd": SENDIRI,
            "aturan": "titip_absen",
            "label": "Tap beruntun dengan rekan yang sama",
            "alasan": titip,
            "nilai": 17.0,
            "ambang": "uji",
            "nip_pasangan": lain,
            "kasus_id": f"2025-03:PASANGAN:{min(own, lain)}:{max(own, lain)}",
            "lapisan": "ATURAN",
        }
    )
    flags = pl.concat([flags, pair], how="vertical_relaxed")
    cases = (
        flags.group_by("periode", "kasus_id", maintain_order=True)
        .agg(
            nip=pl.concat_list("nip", "nip_pasangan").explode().drop_nulls().unique().sort(),
            aturan=pl.col("aturan").unique().sort(),
            lapisan=pl.col("lapisan").first(),
            jumlah_temuan=pl.len(),
            alasan=pl.col("alasan").str.join(" | "),
        )
        .with_columns(jenis=pl.col("kasus_id").str.split(":").list.get(1))
    )
    warn = people.with_columns(
        periode_target=pl.lit("2025-04"),
        skor=pl.int_range(n, 0, -1).cast(pl.Float64) / n,
        skor_baseline_rata=pl.int_range(0, n).cast(pl.Float64) / n,
        ditandai=i < 10,
        tingkat=pl.when(i < 5).then(pl.lit("TINGGI")).otherwise(pl.lit("RENDAH")),
        alasan=pl.lit("2 predikat di bawah BAIK dalam 3 bulan terakhir"),
        peringkat=pl.int_range(1, n + 1).cast(pl.Int32),
        model_versi=pl.lit("uji-1"),
    )
    paths = []
    for nama, f in (
        (skor.ANOMALI, frame),
        (skor.TEMUAN, flags),
        (skor.KASUS, cases),
        (skor.PERINGATAN, warn),
    ):
        path = skor.path(data, nama)
        path.parent.mkdir(parents=True, exist_ok=True)
        f.write_parquet(path)
        paths.append(path)
    return paths


def _pasangan_sendiri(bulanan, frame) -> str:
    """A NIP of the own department only (not the transfer) flagged by a rule."""
    mutasi = bulanan.filter(pl.col("mutasi"))["nip"].implode()
    return frame.filter(
        (pl.col("kode_opd") == SENDIRI)
        & (pl.col("lapisan") == "ATURAN")
        & ~pl.col("nip").is_in(mutasi)
    )["nip"][0]


def _foreign_free(bulanan, kode: str) -> str:
    """A NIP of department ``kode`` only (not the transfer)."""
    return (
        bulanan.filter(pl.col("kode_opd") == kode)
        .filter(~pl.col("nip").is_in(bulanan.filter(pl.col("mutasi"))["nip"].implode()))
        .sort("nip")["nip"][-1]
    )


@pytest.fixture
def model_files(data, bulanan):
    paths = _model_files(data, bulanan)
    yield paths
    for p in paths:
        p.unlink(missing_ok=True)


def test_anomaly_page_says_why_there_is_nothing_to_show(data, bulanan, model_files):
    """Each tab says why it is empty: no score file yet (model never run), or a file without
    rows for the month; neither is an error."""
    from models.score_files import ANOMALI, PERINGATAN, path

    for nama in (ANOMALI, PERINGATAN):
        path(data, nama).unlink(missing_ok=True)
    at = masuk("analis")
    at.switch_page("views/anomali.py").run()
    tidak_ada_error(at)
    info = [i.value for i in at.info]
    assert any("Skor anomali kehadiran belum ada" in v for v in info), info
    assert any("Skor peringatan dini belum ada" in v for v in info), info

    files = dict(
        zip((ANOMALI, "temuan", "kasus", PERINGATAN), _model_files(data, bulanan), strict=True)
    )
    for nama in (ANOMALI, PERINGATAN):  # score files of another month only
        f = files[nama]
        pl.read_parquet(f).with_columns(periode=pl.lit("2024-12")).write_parquet(f)
    at.switch_page("views/anomali.py").run()
    tidak_ada_error(at)
    info = [i.value for i in at.info]
    assert any(v.startswith("Tidak ada skor anomali untuk") for v in info), info
    assert any(v.startswith("Tidak ada skor peringatan dini untuk") for v in info), info


def test_anomaly_layers_cases_and_cap_are_shown_within_scope(data, bulanan, model_files):
    at = masuk("analis")
    at.switch_page("views/anomali.py").run()
    tidak_ada_error(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Ditandai lapisan aturan"] == "30"
    assert metrics["Ditandai lapisan model"] == "10"
    assert int(metrics["Kasus"]) == 41  # 40 people, one pair
    text = teks(at)
    assert "anggaran pemeriksaan" not in text.lower() and "(anggaran" not in text.lower()
    assert "Tanpa kuota" in text and "3 di atas batas" in text and "bukan perkiraan" in text
    tabs = [t.label for t in at.tabs]
    assert "Lapisan aturan (30)" in tabs and "Lapisan model (10)" in tabs and "Kasus (41)" in tabs
    frames = [df.value for df in at.dataframe]
    aturan = next(
        f for f in frames if "Temuan utama" in str(f.columns) or "label_utama" in f.columns
    )
    assert set(aturan["label_utama"]) == {"Jam masuk identik"}
    # the rules met, named as people read them (the file says "jam_identik,titip_absen")
    assert set(aturan["t_aturan"]) == {
        "Jam masuk identik",
        "Jam masuk identik, Tap beruntun dengan rekan yang sama",
    }
    kasus = next(f for f in frames if "orang" in f.columns)
    pasangan = kasus[kasus["jenis"] == "Pasangan (titip absen)"]
    assert len(pasangan) == 1 and "," in pasangan["orang"].iloc[0]  # both people, by name
    assert "Pasangan" in " ".join(kasus["jenis"]) and "PEGAWAI" not in " ".join(kasus["jenis"])

    at = masuk(KEPALA)
    at.switch_page("views/anomali.py").run()
    tidak_ada_error(at)
    sent = semua_bytes(at)
    for row in _foreign(bulanan).iter_rows(named=True):
        assert row["nip"].encode() not in sent and row["nip_format"].encode() not in sent
        assert row["nama"].encode() not in sent
    assert b"rekan di Perangkat Daerah lain" in sent
    assert not at.get("form")  # decisions are the analysts'
    own = bulanan.filter(pl.col("kode_opd") == SENDIRI)
    assert fmt.nip(own["nip"][0]).encode() in sent or own["nama"][0].encode() in sent

    # the person's page shows the open flag and its reason
    flagged = pl.read_parquet(model_files[0]).filter(
        pl.col("ditandai") & (pl.col("kode_opd") == SENDIRI) & (pl.col("lapisan") == "ATURAN")
    )
    at.switch_page("views/pegawai.py").run()
    at.query_params["nip"] = flagged["nip"][0]
    at.run()
    tidak_ada_error(at)
    flag = [w.value for w in at.warning if "anomali kehadiran" in w.value]
    assert flag and "Jam masuk persis 07:14" in flag[0] and "Maret 2025" in flag[0]
    assert not at.expander  # March's flag, on March: in full
    # on another month the March flag is folded away, not a banner above that month's TPP
    at.selectbox(key="periode").set_value("2025-02").run()
    tidak_ada_error(at)
    (lipat,) = at.expander
    assert lipat.label == "Ditandai juga pada 1 bulan lain"
    assert any("Maret 2025" in w.value for w in lipat.warning)
    at.selectbox(key="periode").set_value("2025-03").run()
    # the pair's own-department member: the colleague elsewhere is not named there either
    pasangan = _pasangan_sendiri(bulanan, pl.read_parquet(model_files[0]))
    at.query_params["nip"] = pasangan
    at.run()
    tidak_ada_error(at)
    flag = [w.value for w in at.warning if "anomali kehadiran" in w.value]
    assert flag and "rekan di Perangkat Daerah lain" in flag[0]
    lain = _foreign(bulanan)["nip"][0]
    assert fmt.nip(lain).encode() not in semua_bytes(at) and lain.encode() not in semua_bytes(at)
    tenang = pl.read_parquet(model_files[0]).filter(
        ~pl.col("ditandai") & (pl.col("kode_opd") == SENDIRI)
    )["nip"][0]
    at.query_params["nip"] = tenang
    at.run()
    assert not [w for w in at.warning if "anomali kehadiran" in w.value]
    # finance pays; it is not shown profiling of the people it pays (UU PDP, the model card)
    at = masuk("keuangan")
    at.switch_page("views/pegawai.py").run()
    at.query_params["nip"] = pasangan
    at.run()
    tidak_ada_error(at)
    assert not [w for w in at.warning if "anomali kehadiran" in w.value]
    assert b"Tap beruntun" not in semua_bytes(at) and b"titip" not in semua_bytes(at).lower()


def test_analyst_decision_is_recorded_audited_and_gives_precision(data, model_files):
    from models import decisions

    store = decisions.path(data)
    store.unlink(missing_ok=True)
    try:
        at = masuk("analis")
        at.switch_page("views/anomali.py").run()
        tidak_ada_error(at)
        assert "Belum ada keputusan" in teks(at)
        tombol = "FormSubmitter:form_keputusan-Simpan keputusan"
        # no decision is chosen in advance (none is suggested): saving without one is refused
        assert at.radio(key="keputusan_jenis").value is None
        at.text_area(key="keputusan_catatan").input("Diperiksa")
        at.button(key=tombol).click().run()
        tidak_ada_error(at)
        assert any("Pilih keputusan" in e.value for e in at.error)
        assert decisions.history(data).is_empty()
        assert audit_events(data)[-1]["hasil"] == "DITOLAK"
        # a note is required: nothing recorded, the refusal is audited
        at.text_area(key="keputusan_catatan").input("")
        at.radio(key="keputusan_jenis").set_value("DIKONFIRMASI")
        at.button(key=tombol).click().run()
        tidak_ada_error(at)
        assert any("Catatan wajib" in e.value for e in at.error)
        assert decisions.history(data).is_empty()
        assert audit_events(data)[-1]["hasil"] == "DITOLAK"
        for nomor, jenis in ((0, "DIKONFIRMASI"), (1, "DITOLAK"), (0, "DIJELASKAN")):
            at.selectbox(key="keputusan_temuan").set_value(nomor)
            at.radio(key="keputusan_jenis").set_value(jenis)
            at.text_area(key="keputusan_catatan").input(f"Diperiksa tapnya ({jenis})")
            at.button(key=tombol).click().run()
            tidak_ada_error(at)
            assert any("dicatat" in s.value for s in at.success)
        history = decisions.history(data)
        assert history.height == 3 and set(history["oleh"]) == {"analis"}
        event = audit_events(data)[-1]
        assert (event["aksi"], event["pengguna"], event["keputusan"], event["hasil"]) == (
            "KEPUTUSAN_ANOMALI",
            "analis",
            "DIJELASKAN",
            "OK",
        )
        assert event["catatan"] == "Diperiksa tapnya (DIJELASKAN)" and event["periode"] == "2025-03"
        at.switch_page("views/audit_log.py").run()
        log = next(df.value for df in at.dataframe if "aksi" in df.value.columns)
        assert "KEPUTUSAN_ANOMALI" in set(log["aksi"])
        at.switch_page("views/anomali.py").run()
        # precision per rule from the decisions in force: the first flag explained, the second
        # dismissed, so 0 of 2 confirmed
        presisi = next(df.value for df in at.dataframe if "t_presisi" in df.value.columns)
        row = presisi[presisi["diputuskan"] == 2].iloc[0]
        assert row["dikonfirmasi"] == 0 and row["dijelaskan"] == 1 and row["ditolak"] == 1
        assert at.get("vega_lite_chart")
        tabel = next(df.value for df in at.dataframe if "t_keputusan" in df.value.columns)
        assert "Dijelaskan" in set(tabel["t_keputusan"]) and "Ditolak" in set(tabel["t_keputusan"])
    finally:
        store.unlink(missing_ok=True)


def test_a_department_head_cannot_record_a_decision(data, bulanan, model_files):
    from app import decisions as keputusan_app
    from app.data import AccessDenied, Data, Scope

    d = Data(data, Scope(KEPALA, users.KEPALA_OPD, SENDIRI))
    nip = _foreign_free(bulanan, SENDIRI)
    with pytest.raises(AccessDenied):
        keputusan_app.record(d, "2025-03", nip, "titip_absen", "DIKONFIRMASI", "catatan")
    assert audit_events(data)[-1]["aksi"] == "AKSES_DITOLAK"


def test_a_department_head_reads_decisions_and_ranks_of_own_people_only(data, bulanan, model_files):
    """The data layer, not the page's join, keeps other departments' decisions (who, note)
    away from a department head, and the rank it shows counts its own people only (a province
    rank says how many are flagged elsewhere)."""
    from app.data import Data, Scope
    from models import decisions

    store = decisions.path(data)
    store.unlink(missing_ok=True)
    try:
        sendiri, lain = _foreign_free(bulanan, SENDIRI), _foreign_free(bulanan, LAIN)
        for nip in (sendiri, lain):
            decisions.record(
                data, "2025-03", nip, "jam_identik", "DIJELASKAN", f"catatan {nip}", "analis"
            )
        d = Data(data, Scope(KEPALA, users.KEPALA_OPD, SENDIRI))
        assert d.anomaly_decisions()["nip"].to_list() == [sendiri]
        analis = Data(data, Scope("analis", users.ANALIS))
        assert set(analis.anomaly_decisions()["nip"]) == {sendiri, lain}
    finally:
        store.unlink(missing_ok=True)
    skor = d.model_scores("anomali", "2025-03")
    assert sorted(skor["peringkat"].to_list()) == list(range(1, skor.height + 1))


def test_early_warning_shows_the_baseline_beside_the_model(
    data, model_files, monkeypatch, tmp_path
):
    from models import registry

    meta = registry.folder(data) / "peringatan" / "uji-1" / "meta.json"
    meta.parent.mkdir(parents=True, exist_ok=True)
    tertangkap = {
        "model": {"tertangkap_di_daftar": {"k": 137, "n": 1662}},
        "baseline_rata_rata_penilaian": {"tertangkap_di_daftar": {"k": 141, "n": 1662}},
    }
    meta.write_text(
        json.dumps(
            {
                "uji_waktu": {"uji_periode": ["2025-09", "2025-11"]},
                "metrik": {
                    "kasus_baru": tertangkap,
                    "mengalahkan_baseline_rata_pada_kasus_baru": False,
                },
            }
        )
    )
    at = masuk("analis")
    at.switch_page("views/anomali.py").run()
    tidak_ada_error(at)
    text = teks(at)
    # the figures of the evaluation on the test seed, as models/fresh_seed.py reads them
    segar = fresh_seed.warning_vs_baseline()
    assert not segar["lebih_baik"]
    assert "tidak lebih baik daripada pembanding sederhana" in text
    assert f"simulasi seed {fresh_seed.SEED}" in text
    assert (
        f"dari {fmt.number(segar['model']['n'])}: model {fmt.number(segar['model']['k'])} "
        f"({fmt.percent(100 * segar['model']['nilai'])}, interval 95%" in text
    )
    assert f"pembanding {fmt.number(segar['baseline']['k'])} (" in text
    assert f"presisi 10% teratas model {fmt.number(segar['presisi_model'], 3)}" in text
    tabel = next(df.value for df in at.dataframe if "peluang_baseline" in df.value.columns)
    assert "peluang" in tabel.columns
    assert "Juga di daftar pembanding" in {m.label for m in at.metric}
    assert (
        "daftar model menangkap 137 dari 1.662 kasus baru, pembanding 141 (tidak lebih baik)"
        in text
    )
    assert "September 2025 – November 2025" in text
    # no internal names: documentation paths, model version ids, upper-case levels
    assert "docs/" not in text and "uji-1" not in text
    assert set(tabel["tingkat"]) <= {"Tinggi", "Sedang", "Rendah"}, set(tabel["tingkat"])
    # a report in which the model's interval lies above the baseline's changes the headline
    laporan = fresh_seed.report()
    baru = laporan["peringatan"]["kasus_baru"]
    baru["model"]["tertangkap_di_daftar_10pct"] |= {
        "k": 400,
        "nilai": 0.238,
        "ci95": [0.218, 0.259],
    }
    monkeypatch.setattr(fresh_seed, "REPORT", tmp_path / "laporan.json")
    fresh_seed.REPORT.write_text(json.dumps(laporan))
    at.run()
    text = teks(at)
    assert "model menangkap lebih banyak kasus baru daripada pembanding" in text
    assert "tidak lebih baik daripada pembanding sederhana" not in text
    assert "model 400 (23,8%, interval 95% 21,8–25,9%)" in text
    meta.unlink()


# ---- the period lifecycle ---------------------------------------------------------------------


def test_analyst_verifies_and_finance_locks_with_confirmation_and_audit(tmp_path, monkeypatch):
    from orchestration import periods

    data = sample_data(tmp_path / "siklus")
    monkeypatch.setenv("KINERJA_DATA", str(data.root))

    at = masuk("keuangan")
    at.switch_page("views/periode.py").run()
    tidak_ada_error(at)
    assert "menunggu verifikasi" in teks(at)  # finance cannot lock a draft
    assert not at.get("checkbox")
    status = next(df.value for df in at.dataframe if "t_status" in df.value.columns)
    assert "None" not in status.to_string()
    assert status["t_status"].tolist() == ["Draf", "Terverifikasi", "Terkunci"]  # Mar, Feb, Jan
    assert status["t_oleh"].iloc[0] == fmt.KOSONG and status["t_oleh"].iloc[2] != fmt.KOSONG

    at = masuk("analis")
    at.switch_page("views/periode.py").run()
    at.button(key="FormSubmitter:form_verifikasi-Verifikasi periode").click().run()
    assert "Centang" in teks(at)  # no confirmation, nothing happens
    assert periods.status(data, "2025-03").status == periods.DRAFT
    at.checkbox(key="yakin_verifikasi").check()
    at.button(key="FormSubmitter:form_verifikasi-Verifikasi periode").click().run()
    tidak_ada_error(at)
    assert periods.status(data, "2025-03").status == periods.VERIFIED
    assert periods.status(data, "2025-03").oleh == "analis"
    assert "terverifikasi oleh analis" in teks(at)
    event = audit_events(data)[-1]
    assert (event["aksi"], event["pengguna"], event["periode"], event["hasil"]) == (
        "VERIFIKASI",
        "analis",
        "2025-03",
        "OK",
    )
    assert not any(f.label.startswith("Kunci") for f in at.get("button"))  # analysts don't lock

    at = masuk("keuangan")
    at.switch_page("views/periode.py").run()
    status = next(df.value for df in at.dataframe if "t_status" in df.value.columns)
    row = status[status["t_periode"] == "Maret 2025"].iloc[0]
    assert row["t_status"] == "Terverifikasi" and row["t_oleh"] == "analis"
    assert row["t_pada"].endswith(" WITA") and "None" not in status.to_string()
    at.checkbox(key="yakin_kunci").check()
    at.button(key="FormSubmitter:form_kunci-Kunci periode").click().run()
    tidak_ada_error(at)
    assert periods.status(data, "2025-03").status == periods.LOCKED
    assert current_snapshot(data).period("2025-03")["status"] == "LOCKED"
    assert audit_events(data)[-1]["aksi"] == "KUNCI"
    assert "sudah dikunci" in teks(at)
    riwayat = next(df.value for df in at.dataframe if "snapshot" in df.value.columns)
    # the publication by its number, as in the sidebar, not its id with a compact timestamp
    assert riwayat["snapshot"].str.fullmatch(r"\d{6}").all(), riwayat["snapshot"].tolist()
    at.switch_page("views/keuangan.py").run()
    assert "draf" not in teks(at).lower() and "Terkunci oleh keuangan" in teks(at)


def test_a_blocked_period_says_why_and_offers_no_verify_or_lock(tmp_path, monkeypatch):
    """A run whose computation of March has ERROR findings leaves March's published version as
    it was and lists March as blocked (``diblokir`` in the manifest, as ``publish`` writes it)."""
    from app import lifecycle
    from orchestration import periods

    data = sample_data(tmp_path / "blokir")
    monkeypatch.setenv("KINERJA_DATA", str(data.root))
    manifest = current_snapshot(data).path / "manifest.json"
    isi = json.loads(manifest.read_text())
    manifest.write_text(json.dumps(isi | {"diblokir": ["2025-03"]}))
    for peran in ("analis", "keuangan"):
        at = masuk(peran)
        at.switch_page("views/periode.py").run()
        tidak_ada_error(at)
        assert "tidak dapat diverifikasi atau dikunci" in teks(at)
        assert not at.get("checkbox")  # neither the verify nor the lock form
        status = next(df.value for df in at.dataframe if "t_status" in df.value.columns)
        assert status["t_status"].tolist() == ["Draf · diblokir", "Terverifikasi", "Terkunci"]
    at.switch_page("views/keuangan.py").run()  # finance: not to be paid
    tidak_ada_error(at)
    assert "yang terbit masih versi sebelumnya dan tidak boleh dibayar" in teks(at)
    at = masuk("analis")  # any page: the sidebar says so
    sidebar = " ".join(c.value for c in at.sidebar.caption)
    assert "yang terbit masih versi sebelumnya" in sidebar
    with pytest.raises(lifecycle.LifecycleFailed, match="diblokir"):
        lifecycle.run(data, "analis", users.ANALIS, "2025-03", periods.VERIFIED)
    assert periods.status(data, "2025-03").status == periods.DRAFT


def test_lifecycle_refuses_the_wrong_role_and_a_locked_period(tmp_path):
    from app import lifecycle
    from app.data import AccessDenied
    from orchestration import periods

    data = sample_data(tmp_path / "siklus")
    with pytest.raises(AccessDenied):
        lifecycle.run(data, "keuangan", users.KEUANGAN, "2025-03", periods.VERIFIED)
    with pytest.raises(AccessDenied):
        lifecycle.run(data, "analis", users.ANALIS, "2025-03", periods.LOCKED)
    with pytest.raises(lifecycle.LifecycleFailed, match="belum diverifikasi"):
        lifecycle.run(data, "keuangan", users.KEUANGAN, "2025-03", periods.LOCKED)
    lifecycle.run(data, "analis", users.ANALIS, "2025-03", periods.VERIFIED)
    lifecycle.run(data, "keuangan", users.KEUANGAN, "2025-03", periods.LOCKED)
    with pytest.raises(lifecycle.LifecycleFailed, match="sudah dikunci"):
        lifecycle.run(data, "analis", users.ANALIS, "2025-03", periods.VERIFIED)
    aksi = [(e["aksi"], e.get("hasil")) for e in audit_events(data)]
    assert aksi == [
        ("AKSES_DITOLAK", None),
        ("AKSES_DITOLAK", None),
        ("KUNCI", "DITOLAK"),
        ("VERIFIKASI", "OK"),
        ("KUNCI", "OK"),
        ("VERIFIKASI", "DITOLAK"),
    ]


# ---- presentation -----------------------------------------------------------------------------


def test_a_search_without_match_shows_no_person(bulanan):
    row = bulanan.row(0, named=True)
    at = masuk("analis")
    at.switch_page("views/pegawai.py").run()
    at.text_input(key="cari_pegawai").input(row["nip"]).run()
    assert at.header and at.header[0].value == row["nama"]
    at.text_input(key="cari_pegawai").input("tidak ada yang bernama begini").run()
    tidak_ada_error(at)
    assert any("Tidak ada pegawai yang cocok" in w.value for w in at.warning)
    assert not at.header and "nip" not in at.query_params
    assert row["nama"].encode() not in semua_bytes(at)


def test_attention_list_is_ordered_by_what_it_shows(data):
    from app.data import Data, Scope

    d = Data(data, Scope("analis", users.ANALIS))
    frame = d.needs_attention("2025-03", None)
    assert "skor" not in frame.columns
    keys = frame.select(
        -pl.col("tk"), "persen_disiplin", ~pl.col("tanpa_penilaian"), "persen_kinerja"
    ).rows()
    assert keys == sorted(keys)
    at = masuk("analis")
    at.switch_page("views/perangkat_daerah.py").run()
    assert "urutan: paling banyak hari TK" in teks(at)


def test_whatif_speaks_indonesian_and_hides_internal_names(data):
    at = masuk("analis")
    at.switch_page("views/whatif.py").run()
    at.slider[0].set_value(70)  # bobot kinerja
    at.button(key="FormSubmitter:whatif_form-Hitung").click().run()
    tidak_ada_error(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["TPP bruto terbit"].startswith("Rp ") and "." in metrics["TPP bruto terbit"]
    assert metrics["TPP bruto usulan"] != metrics["TPP bruto terbit"]  # full amounts, two a row
    text = teks(at)
    assert "Dengan aturan usulan, TPP bruto" in text and "whatif-" not in text
    assert at.radio[0].options == ["Bagian disiplin", "Seluruh TPP"]  # not DISIPLIN / TOTAL
    assert "What-if" not in text
    assert "Januari 2025" in text and "2025-01" not in text
    waktu = next(c.value for c in at.caption if c.value.startswith("Dihitung dalam"))
    assert "." not in waktu.split("dalam ", 1)[1].split(" detik")[0]  # 0,6 detik, not 0.6
    specs = b"".join(c.proto.SerializeToString() for c in at.get("vega_lite_chart")).decode(
        "utf-8", "replace"
    )
    assert "~s" not in specs and "rupiah" in specs  # no SI "0.2G" axis: juta / miliar rupiah


def test_money_axes_use_indonesian_units():
    from app import charts

    assert charts.rupiah_scale(68_312_000_000) == (1e9, "miliar rupiah")
    assert charts.rupiah_scale(4_324_000) == (1e6, "juta rupiah")
    assert charts.rupiah_scale(-250_000) == (1e3, "ribu rupiah")
    kpi = pl.DataFrame({"periode": ["2025-01", "2025-02"], "tpp_bruto": [6.8e10, 6.9e10]})
    spec = charts.trend(kpi, {"tpp_bruto": "TPP bruto"}, satuan="Rp")
    assert spec["layer"][0]["encoding"]["y"]["title"] == "miliar rupiah"
    assert spec["layer"][0]["encoding"]["y"]["axis"]["format"] == ",.1~f"
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    app = (APP / "charts.py").read_text() + "".join(
        p.read_text() for p in (APP / "views").glob("*.py")
    )
    assert '"~s"' not in app


def test_chart_specs_are_built_once_per_input_and_handed_out_as_copies():
    from app import charts

    kpi = pl.DataFrame({"periode": ["2025-01", "2025-02"], "persen_tk": [1.5, 2.0]})
    a = charts.trend(kpi, {"persen_tk": "% TK"})
    a["datasets"].clear()  # Streamlit pops the datasets of the spec it is given
    b = charts.trend(kpi, {"persen_tk": "% TK"})
    assert b["datasets"] and b == charts.trend(kpi.clone(), {"persen_tk": "% TK"})
    c = charts.trend(kpi.with_columns(pl.col("persen_tk") + 1), {"persen_tk": "% TK"})
    assert c["datasets"] != b["datasets"]  # other data, another spec


def test_chart_data_is_handed_to_streamlit_as_the_arrow_bytes_it_would_send():
    """The cached spec carries each dataset as Arrow IPC bytes, made once: exactly what
    st.vega_lite_chart would have made of the rows in every page run."""
    import json

    from streamlit.dataframe_util import convert_anything_to_arrow_bytes

    from app import charts

    kpi = pl.DataFrame({"periode": ["2025-01", "2025-02"], "tpp_bruto": [6.8e10, 6.9e10]})
    spec = charts.trend(kpi, {"tpp_bruto": "TPP bruto"}, satuan="Rp")
    chart = charts.trend.__wrapped__(kpi, {"tpp_bruto": "TPP bruto"}, satuan="Rp")
    rows = json.loads(json.dumps(chart.to_dict()))["datasets"]
    assert spec["datasets"].keys() == rows.keys()
    for name, values in rows.items():
        assert isinstance(spec["datasets"][name], bytes)
        assert spec["datasets"][name] == convert_anything_to_arrow_bytes(values)
        assert pl.read_ipc_stream(spec["datasets"][name]).height == len(values) == 2


def test_waterfall_keeps_the_steps_in_order_on_one_template_per_axis():
    """Every person's waterfall is the same spec with other steps: the steps in the order given
    (a step of Rp 0 left out), the axis in jt below Rp 2 M, in M above."""
    from app import charts

    def langkah(pagu: float) -> list:
        return [
            ("Pagu", pagu, "total"),
            ("Kinerja", 300_000, "kurang"),
            ("Disiplin", 0, "kurang"),
            ("Bruto", pagu - 300_000, "total"),
        ]

    a, b = charts.waterfall(langkah(5_000_000)), charts.waterfall(langkah(6_100_000))
    rows = pl.read_ipc_stream(a["datasets"]["langkah"])
    assert rows["label"].to_list() == ["Pagu", "Kinerja", "Bruto"]
    assert rows["urut"].to_list() == [0, 1, 2]
    assert rows["teks"].to_list() == ["Rp 5.000.000", "− Rp 300.000", "Rp 4.700.000"]
    assert a["layer"][0]["encoding"]["x"]["sort"] == {"field": "urut", "op": "min"}
    assert {k: v for k, v in a.items() if k != "datasets"} == {
        k: v for k, v in b.items() if k != "datasets"
    }
    assert a["datasets"] != b["datasets"]
    besar = charts.waterfall(langkah(3e9))
    sumbu = [c["layer"][0]["encoding"]["y"]["axis"]["labelExpr"] for c in (a, besar)]
    assert sumbu[0].endswith("' jt'") and sumbu[1].endswith("' M'")


def test_person_page_runs_only_the_selected_tab(bulanan):
    row = bulanan.row(0, named=True)
    at = masuk("analis")
    at.switch_page("views/pegawai.py").run()
    at.query_params["nip"] = row["nip"]
    at.run()
    tidak_ada_error(at)
    assert "Potongan disiplin per hari" in teks(at)  # the first tab
    assert not any("hari" in c.value and "Tepat waktu:" in c.value for c in at.caption)
    labels = [t.label for t in at.tabs]
    at.session_state["tab_pegawai"] = labels[1]  # the calendar
    at.run()
    tidak_ada_error(at)
    assert any("Tepat waktu:" in c.value for c in at.caption)
    assert "Potongan disiplin per hari" not in teks(at)


def test_quality_page_shows_fairness_leniency_and_drift(data):
    pemantauan = pytest.importorskip("models.monitoring")
    skor = pytest.importorskip("models.score_files")

    def baris(bagian, periode, dimensi, kelompok, n, k, nilai, rasio=None, z=None):
        return {
            "bagian": bagian,
            "periode": periode,
            "dimensi": dimensi,
            "kelompok": kelompok,
            "n": n,
            "k": k,
            "nilai": nilai,
            "ci_bawah": nilai * 0.8,
            "ci_atas": nilai * 1.2,
            "rasio": rasio,
            "z": z,
        }

    rows = [
        baris("keadilan_anomali", "SEMUA", "jenis_opd", "RUMAH_SAKIT", 1200, 30, 0.025, 2.5),
        baris("keadilan_anomali", "SEMUA", "jenis_opd", "PENDIDIKAN", 5000, 40, 0.008, 0.8),
        baris("keadilan_anomali", "SEMUA", "golongan", "III", 4000, 40, 0.01, 1.0),
        baris("keadilan_anomali", "SEMUA", "jenis_kelamin", "P", 3000, 30, 0.01, 1.0),
        baris("keadilan_anomali", "SEMUA", "jenis_opd:model", "RUMAH_SAKIT", 1200, 2, 0.0017, 1.1),
        baris("keadilan_peringatan", "SEMUA", "golongan", "III", 4000, 400, 0.1, 1.0),
        baris(
            "kelonggaran_penilai",
            "SEMUA",
            "nip_penilai",
            "197001012000031001",
            40,
            0,
            0.0,
            0.0,
            -3.4,
        ),
        baris(
            "kelonggaran_penilai",
            "SEMUA",
            "nip_penilai",
            "197501012001032002",
            30,
            4,
            0.13,
            1.1,
            0.3,
        ),
        *[
            baris("drift_dasar", p, "anomali", "ditandai", 1000, 10 + i, (10 + i) / 1000)
            for i, p in enumerate(("2025-01", "2025-02", "2025-03"))
        ],
        *[
            baris("drift_dasar", p, "peringatan", "predikat_buruk", 1000, 100, 0.1)
            for p in ("2025-01", "2025-02", "2025-03")
        ],
        *[
            baris("drift_fitur", p, "hari_tap_libur", "psi", 1000, None, v)
            for p, v in (("2025-01", 0.01), ("2025-02", 0.02), ("2025-03", 0.31))
        ],
    ]
    tabel = pl.DataFrame(rows, schema=pemantauan.SKEMA)
    path = skor.path(data, pemantauan.NAMA)
    path.parent.mkdir(parents=True, exist_ok=True)
    tabel.write_parquet(path)
    ringkas = {
        "dibuat": "2026-11-29T05:00:00+0000",
        "periode": ["2025-01", "2025-03"],
        "ambang": {
            "psi": 0.2,
            "rasio_kelompok": 2.0,
            "min_kelompok": 100,
            "z_penilai": 3,
            "min_dinilai": 10,
        },
        "sorotan": pemantauan.highlights(tabel),
    }
    path.with_suffix(".json").write_text(json.dumps(ringkas))
    try:
        at = masuk("analis")
        at.switch_page("views/kualitas.py").run()
        tidak_ada_error(at)
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Kelompok ditandai ≥ 2× rata-rata"] == "1"
        assert metrics["Fitur bergeser"] == "1" and metrics["Penilai menyimpang"] == "1"
        text = teks(at)
        assert "Januari 2025 sampai Maret 2025" in text and "29 Nov 2026 13:00 WITA" in text
        assert "1 memberi predikat buruk jauh lebih jarang" in text
        frames = [df.value for df in at.dataframe]
        keadilan = next(f for f in frames if "dimensi_label" in f.columns)
        assert set(keadilan["dimensi_label"]) == {
            "Jenis perangkat daerah",
            "Golongan",
            "Jenis kelamin",
        }
        penilai = next(f for f in frames if "nip_penilai" in f.columns)
        assert penilai["nip_penilai"].iloc[0] == "19700101 200003 1 001"
        assert penilai["sifat"].iloc[0] == "Longgar"
        psi = next(f for f in frames if "seri" in f.columns and "bulan" in f.columns)
        assert psi["bulan"].tolist() == ["Maret 2025"]
        assert psi["seri"].tolist() == ["Tap di hari libur"]
        assert "Rumah sakit" in set(keadilan["kelompok"])
        specs = b"".join(c.proto.SerializeToString() for c in at.get("vega_lite_chart"))
        # groups and features by name, not by their column values
        assert b"Rumah sakit" in specs and b"Tap di hari libur" in specs and b"Mar 2025" in specs
    finally:
        path.unlink(missing_ok=True)
        path.with_suffix(".json").unlink(missing_ok=True)


# ---- work patterns and rosters (jadwal.md) ----------------------------------------------------

RSUD = "1.02.02"  # the simulated province's hospital: its ward staff on rostered shifts


@pytest.fixture(scope="module")
def harian_maret(data):
    return current_snapshot(data).read("tpp_harian", ["2025-03"])


def _satu_grafik(chart) -> bytes:
    return chart.proto.SerializeToString()


def _grafik(at: AppTest) -> bytes:
    """Every chart of the run (spec and its Arrow datasets) as bytes: text is UTF-8 inside."""
    return b"".join(map(_satu_grafik, at.get("vega_lite_chart")))


def _buka_pegawai(nip: str, tab: int | None = None) -> AppTest:
    at = masuk("analis")
    at.switch_page("views/pegawai.py").run()
    at.query_params["nip"] = nip
    at.run()
    if tab is not None:
        at.session_state["tab_pegawai"] = [t.label for t in at.tabs][tab]
        at.run()
    tidak_ada_error(at)
    return at


def _satu(bulanan, pola: str) -> str:
    return bulanan.filter((pl.col("pola_kerja") == pola) & ~pl.col("mutasi")).sort("nip")["nip"][0]


@pytest.mark.parametrize("pola", ["SHIFT", "SEKOLAH", "KANTOR"])
def test_person_page_shows_the_pattern_and_each_days_schedule(bulanan, harian_maret, pola):
    nip = _satu(bulanan, pola)
    hari = harian_maret.filter(pl.col("nip") == nip).sort("tanggal")
    want = [
        fmt.jadwal(*r) for r in hari.select("kode_shift", "jadwal_mulai", "jadwal_selesai").rows()
    ]
    at = _buka_pegawai(nip, tab=2)  # Jam datang & pulang
    assert f"**Pola kerja:** {fmt.pola_kerja(pola)}" in teks(at)
    tabel = next(df.value for df in at.dataframe if "jadwal" in df.value.columns)
    assert tabel["jadwal"].tolist() == want
    charts = _grafik(at)
    assert b"Tepat waktu" in charts and b"tepat waktu" not in charts  # as in every legend
    if pola == "SHIFT":
        assert any(j.startswith("MALAM 21:00–07:00") for j in want)
        assert {j.split()[0] for j in want} <= {"PAGI", "SIANG", "MALAM"}
        assert b"menit dari jadwal" in charts  # taps against each day's own schedule
        assert "MALAM berakhir esok pagi" in teks(at)
        malam = hari.with_row_index().filter(
            (pl.col("kode_shift") == "MALAM") & pl.col("waktu_pulang").is_not_null()
        )
        pulang = tabel["pulang"].tolist()
        assert all(pulang[i].endswith("(+1 hari)") for i in malam["index"])
        if hari["pulang_belum_tersedia"].any():  # 31 March: check-out in April's file
            assert pulang[-1] == "belum tersedia" and "belum tersedia" in teks(at)
    else:
        assert all(j[0].isdigit() for j in want)  # hours only: no shift code
        assert b"menit dari jadwal" not in charts
    at.session_state["tab_pegawai"] = [t.label for t in at.tabs][1]  # the calendar
    at.run()
    tidak_ada_error(at)
    kalender = _grafik(at)
    assert (
        b"Jadwal" in kalender and want[0].encode() in kalender
    )  # the tooltip carries the day's schedule


def test_the_deduction_table_of_a_shift_worker_has_the_shift(bulanan, harian_maret):
    potong = harian_maret.filter(pl.col("kode_shift").is_not_null() & (pl.col("poin") > 0))
    nip = potong.filter(~pl.col("nip").is_in(bulanan.filter("mutasi")["nip"].implode()))["nip"][0]
    at = _buka_pegawai(nip)
    tabel = next(
        df.value
        for df in at.dataframe
        if "poin" in df.value.columns and "kode_shift" in df.value.columns
    )
    assert set(tabel["kode_shift"]) <= {"PAGI", "SIANG", "MALAM"}


def _buka_opd(username: str, kode: str) -> AppTest:
    at = masuk(username)
    at.switch_page("views/perangkat_daerah.py").run()
    if at.session_state["opd"] != kode:
        at.session_state["opd"] = kode
        at.run()
    tidak_ada_error(at)
    return at


def test_department_page_counts_patterns_and_shows_the_roster_only_with_shift_people(bulanan):
    for kode in (RSUD, SENDIRI):
        rows = bulanan.filter(pl.col("kode_opd") == kode)
        at = _buka_opd("analis", kode)
        metrics = {m.label: m.value for m in at.metric}
        for pola in ("KANTOR", "SEKOLAH", "SHIFT"):
            n = rows.filter(pl.col("pola_kerja") == pola)["nip"].n_unique()
            assert metrics[f"Pola {fmt.pola_kerja(pola).lower()}"] == fmt.number(n)
        perhatian = next(df.value for df in at.dataframe if "t_pola" in df.value.columns)
        assert set(perhatian["t_pola"]) <= {"Kantor", "Sekolah", "Shift"}
        judul = [h.value for h in at.subheader]
        shift = rows.filter(pl.col("pola_kerja") == "SHIFT")
        if kode == RSUD:
            assert "Jadwal dinas shift" in judul
            isi = next(
                b
                for b in map(_satu_grafik, at.get("vega_lite_chart"))
                if b"Ada potongan (TL/PSW/izin)" in b
            )
            for nama in shift["nama"]:
                assert fmt.truncate(nama, 30).encode() in isi
            assert "MALAM 21:00–07:00".encode() in isi
            kantor = rows.filter((pl.col("pola_kerja") == "KANTOR") & ~pl.col("mutasi"))
            assert not any(n.encode() in isi for n in kantor["nip_format"])  # only SHIFT people
        else:
            assert shift.is_empty() and "Jadwal dinas shift" not in judul


def test_the_roster_is_paged_and_scoped_for_a_department_head(data, bulanan, monkeypatch):
    shift = bulanan.filter((pl.col("kode_opd") == RSUD) & (pl.col("pola_kerja") == "SHIFT"))
    users.add_user(data, f"kepala_{RSUD}", "kepala-rs-123", users.KEPALA_OPD, RSUD)
    SANDI[f"kepala_{RSUD}"] = "kepala-rs-123"
    at = masuk(f"kepala_{RSUD}")
    tidak_ada_error(at)
    assert at.query_params.get("opd") == RSUD and "Jadwal dinas shift" in [
        h.value for h in at.subheader
    ]
    sent = semua_bytes(at)
    lain = bulanan.filter(pl.col("kode_opd") != RSUD)
    lain = lain.filter(
        ~pl.col("nip").is_in(bulanan.filter(pl.col("kode_opd") == RSUD)["nip"].implode())
    )
    assert not any(r.encode() in sent for r in lain["nip_format"])
    assert shift["nama"][0].encode() in sent or fmt.truncate(shift["nama"][0], 30).encode() in sent
    # a department head of an office department sees patterns, no roster
    at = masuk(KEPALA)
    assert "Jadwal dinas shift" not in [h.value for h in at.subheader]
    assert {m.label for m in at.metric} >= {"Pola kantor", "Pola sekolah", "Pola shift"}


def _tabel_dengan_celah():
    import polars as pl

    from app import ui

    frame = pl.DataFrame({"baris": [374, None, 1971]}, schema={"baris": pl.Int32})
    ui.table(frame, {"baris": "Baris"})


def test_an_integer_column_with_gaps_shows_whole_numbers():
    """Line numbers of the quality tables (Int32 with nulls) reached pandas as floats and were
    shown as "374.000000"."""
    at = AppTest.from_function(_tabel_dengan_celah).run()
    tidak_ada_error(at)
    shown = at.dataframe[0].proto.SerializeToString()
    assert b"374.000000" not in shown and b"374" in shown and b"1.971" in shown


def test_audit_log_shows_times_roles_and_periods_as_people_read_them(data, unduhan):
    masuk("keuangan")
    unduhan["unduh_csv"]()  # an UNDUH with a period
    at = masuk("analis")
    at.switch_page("views/audit_log.py").run()
    tidak_ada_error(at)
    log = at.dataframe[0].value
    assert not log["waktu"].str.contains(r"\dT\d").any(), log["waktu"].head()
    assert log["waktu"].str.endswith(" WITA").all()
    assert "Keuangan" in set(log["peran"]) and "KEUANGAN" not in set(log["peran"])
    assert "Maret 2025" in set(log["periode"]) and "2025-03" not in set(log["periode"])


def test_quality_run_times_are_wita_on_a_24_hour_axis():
    """The failed-checks-per-run chart showed the browser's own time with "03 PM" labels."""
    import datetime as dt

    from app import charts

    runs = pl.DataFrame(
        {
            "checked_at": [
                dt.datetime(2026, 12, 4, 19, 11, tzinfo=dt.UTC),
                dt.datetime(2026, 12, 4, 20, 30, tzinfo=dt.UTC),
            ],
            "gagal": [3, 2],
        }
    )
    spec = charts.check_runs(runs)  # a spec ui.chart takes (it once got an Altair object)
    x = spec["encoding"]["x"]
    assert x["scale"]["type"] == "utc"
    assert x["axis"]["labelExpr"] == "utcFormat(datum.value, '%e %b %H:%M')"
    assert "WITA" in x["title"]
    (rows,) = [pl.read_ipc_stream(b) for b in spec["datasets"].values()]
    # 19:11 UTC = 03:11 WITA, as wall-clock on the UTC scale
    assert str(rows["waktu"][0]).startswith("2026-12-05T03:11")
    assert rows["waktu_teks"][0] == "5 Des 2026 03:11 WITA"


def test_arrival_start_time_labels_do_not_overlap():
    """A department with school (07:00) and office (07:30) hours: the two rules' labels were
    drawn on one line, a few pixels apart, over each other."""
    from app import charts

    tap = pl.DataFrame(
        {
            "menit": [400, 425, 455, 430],
            "jam_masuk": ["07:30:00", "07:00:00", "07:30:00", "07:00:00"],
            "hari": [3, 4, 5, 1],
        }
    )
    spec = charts.arrival_histogram(tap)
    labels = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    heights = [layer["encoding"]["y"]["value"] for layer in labels]
    assert len(labels) == 2 and len(set(heights)) == 2, heights
