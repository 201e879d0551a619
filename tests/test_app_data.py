"""The app's data layer: published snapshot only, role scope enforced on the server."""

import io
import os
import zipfile

import polars as pl
import pytest

from app.data import AccessDenied, Data, Scope
from app.users import ANALIS, KEPALA_OPD, KEUANGAN
from orchestration.core.published import current_snapshot
from orchestration.tools.app_sample import sample_data

SENDIRI, LAIN = "1.01.01", "1.02.01"


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    return sample_data(tmp_path_factory.mktemp("app-data"))


@pytest.fixture(scope="module")
def bulanan(data):
    return current_snapshot(data).read("tpp_bulanan")


def analis(data):
    return Data(data, Scope("analis", ANALIS))


def kepala(data):
    return Data(data, Scope("kepala", KEPALA_OPD, SENDIRI))


def test_totals_match_the_published_manifest(data):
    d = analis(data)
    kpi = d.kpi_per_periode()
    assert kpi["periode"].to_list() == ["2025-01", "2025-02", "2025-03"]
    for row in kpi.iter_rows(named=True):
        totals = d.snapshot.totals(row["periode"])
        assert row["tpp_bruto"] == totals["tpp_bruto"]
        assert row["tpp_neto"] == totals["tpp_neto"]
        assert row["baris"] == totals["rows"]
    assert [d.status(p)["status"] for p in d.periods] == ["LOCKED", "VERIFIED", "DRAFT"]


def test_department_figures_add_up(data, bulanan):
    d = analis(data)
    rows = bulanan.filter((pl.col("periode") == "2025-03") & (pl.col("kode_opd") == LAIN))
    hari = d.per_weekday("2025-03", LAIN)
    assert (
        hari["tl"].sum() == rows.select(pl.sum_horizontal("tl1", "tl2", "tl3", "tl4")).sum().item()
    )
    assert hari["tk"].sum() == rows["tk"].sum()
    assert d.disiplin_distribution("2025-03", LAIN)["pegawai"].sum() == rows.height
    assert d.arrival_times("2025-03", LAIN)["hari"].sum() > 0
    kpi = d.kpi_per_periode(LAIN).filter(pl.col("periode") == "2025-03").row(0, named=True)
    assert kpi["tpp_neto"] == rows["tpp_neto"].sum()
    # money lost to predikat and discipline closes the gap to the pro-rated maximum
    pagu = float(rows["basis_efektif"].cast(pl.Float64).sum())
    paid = kpi["tpp_kinerja"] + kpi["tpp_disiplin"]
    assert pagu == pytest.approx(paid + kpi["hilang_kinerja"] + kpi["hilang_disiplin"], abs=1)


def test_province_totals_are_sums_and_ratios_of_sums_of_the_departments(data, bulanan):
    """The metrics come from dbt marts; the app only sums departments and divides the sums:
    a department's rate is the mart's, the province's is not an average of the departments'."""
    d = analis(data)
    opd = d.opd_periode("2025-03")
    provinsi = d.kpi_per_periode().filter(pl.col("periode") == "2025-03").row(0, named=True)
    rows = bulanan.filter(pl.col("periode") == "2025-03")
    assert provinsi["pegawai"] == rows["nip"].n_unique()  # a transferred person counts once
    assert provinsi["pegawai"] < opd["jumlah_pegawai"].sum()  # ... and in both departments
    assert provinsi["baris"] == rows.height
    assert provinsi["persen_tk"] == pytest.approx(
        rows["tk"].sum() / rows["hari_efektif"].sum() * 100, rel=1e-12
    )
    assert provinsi["persen_disiplin"] == pytest.approx(
        rows["persen_disiplin"].cast(pl.Float64).mean(), rel=1e-12
    )
    for kode in opd["kode_opd"]:
        satu = d.kpi_per_periode(kode).filter(pl.col("periode") == "2025-03").row(0, named=True)
        baris = opd.filter(pl.col("kode_opd") == kode).row(0, named=True)
        assert satu["persen_tk"] == baris["persen_tk"]  # bit for bit: one formula
        assert satu["pegawai"] == baris["jumlah_pegawai"]
        hari = d.per_weekday("2025-03", kode)
        assert hari["tk"].sum() == baris["tk"]
    hari = d.per_weekday("2025-03", None)
    assert hari["persen_tk"].to_list() == (hari["tk"] / hari["hari"] * 100).to_list()
    pola = d.pola_kerja("2025-03", None)
    want = rows.group_by("pola_kerja").agg(pl.col("nip").n_unique()).sort("pola_kerja")
    assert pola.rows() == want.rows()
    assert d.disiplin_distribution("2025-03", None)["pegawai"].sum() == rows.height
    perhatian = d.needs_attention("2025-03", None, batas=10_000)
    assert (
        perhatian.height
        == rows.filter(
            (pl.col("tk") > 0)
            | (pl.col("persen_disiplin") < 95)
            | pl.col("tanpa_penilaian")
            | (pl.col("persen_kinerja") < 100)
        ).height
    )
    sendiri = d.needs_attention("2025-03", SENDIRI, batas=10_000)
    assert (
        sendiri["nip"].to_list() == perhatian.filter(pl.col("kode_opd") == SENDIRI)["nip"].to_list()
    )


def test_department_head_sees_only_their_department(data, bulanan):
    d = kepala(data)
    assert d.opd_list()["kode_opd"].to_list() == [SENDIRI]
    assert set(d.opd_periode()["kode_opd"]) == {SENDIRI}
    assert set(d.tpp_opd("2025-03", None)["kode_opd"]) == {SENDIRI}
    assert set(d.needs_attention("2025-03", None)["kode_opd"]) <= {SENDIRI}
    assert set(d.temuan()["kode_opd"].drop_nulls()) <= {SENDIRI}
    for call in (
        lambda: d.kpi_per_periode(LAIN),
        lambda: d.per_weekday("2025-03", LAIN),
        lambda: d.arrival_times("2025-03", LAIN),
        lambda: d.needs_attention("2025-03", LAIN),
        lambda: d.tpp_opd("2025-03", LAIN),
        lambda: d.predikat_distribution("2025-03", LAIN),
        lambda: d.temuan("2025-03", LAIN),
        lambda: d.export("2025-03", "csv", LAIN),
    ):
        with pytest.raises(AccessDenied):
            call()


def test_department_head_cannot_find_or_open_foreign_people(data, bulanan):
    d = kepala(data)
    sendiri = bulanan.filter(pl.col("kode_opd") == SENDIRI)["nip"].implode()
    lain = bulanan.filter((pl.col("kode_opd") == LAIN) & ~pl.col("nip").is_in(sendiri))
    foreign = lain.row(0, named=True)  # never in the own department (no transfer from there)
    own = bulanan.filter(pl.col("kode_opd") == SENDIRI).row(0, named=True)
    assert d.find_pegawai(foreign["nip"]).is_empty()
    assert (
        d.find_pegawai(foreign["nama"].split(",")[0])
        .filter(pl.col("kode_opd") != SENDIRI)
        .is_empty()
    )
    with pytest.raises(AccessDenied):
        d.pegawai_bulanan(foreign["nip"])
    assert d.pegawai_harian(foreign["nip"]).is_empty()
    # own people: found by name, by NIP typed with spaces, and opened
    assert own["nip"] in d.find_pegawai(own["nip_format"])["nip"].to_list()
    assert set(d.pegawai_bulanan(own["nip"])["kode_opd"]) == {SENDIRI}
    assert not d.pegawai_harian(own["nip"]).is_empty()


@pytest.mark.parametrize(
    "teks", ["' or 1=1 --", "x' or kode_opd <> 'x", "19' union select 1 --", "%", "_a", "\\"]
)
def test_search_text_nip_and_department_are_parameters_not_sql(data, teks):
    """Quotes, SQL and LIKE wildcards from a search box, ``?nip=`` or ``?opd=`` find nothing
    and widen no scope (the data layer passes them as parameters)."""
    d = kepala(data)
    assert d.find_pegawai(teks).is_empty()
    assert d.pegawai_harian(teks).is_empty()
    with pytest.raises(AccessDenied):
        d.pegawai_bulanan(teks)
    with pytest.raises(AccessDenied):
        d.kpi_per_periode(teks)
    assert analis(data).kpi_per_periode(teks).is_empty()


def test_quality_and_audit_are_for_analysts_only(data):
    for role, kode in ((KEPALA_OPD, SENDIRI), (KEUANGAN, None)):
        d = Data(data, Scope("x", role, kode))
        for call in (d.karantina, d.check_results, d.alert_history, d.audit):
            with pytest.raises(AccessDenied):
                call()
    assert analis(data).karantina("2025-03").height > 0
    with pytest.raises(AccessDenied):
        Data(data, Scope("x", KEPALA_OPD, SENDIRI)).finance_periods()


def test_scope_cannot_be_built_without_a_department_or_with_an_unknown_role():
    with pytest.raises(AccessDenied):
        Scope("x", KEPALA_OPD, None)
    with pytest.raises(AccessDenied):
        Scope("x", "ADMIN")


def test_search_by_name_or_nip(data, bulanan):
    d = analis(data)
    row = bulanan.row(0, named=True)
    assert row["nip"] in d.find_pegawai(row["nip"][:10])["nip"].to_list()
    assert row["nip"] in d.find_pegawai(row["nama"].split(",")[0].lower())["nip"].to_list()
    assert d.find_pegawai("x").is_empty()
    assert d.find_pegawai("%_%").is_empty()  # wildcards are literal text, not patterns


def test_finance_exports_are_scoped(data):
    d = Data(data, Scope("keuangan", KEUANGAN))
    if "xlsx" not in d.exports_available():
        pytest.skip("orchestration.nominatif belum ada")
    name, _ = d.export_name("2025-03", "xlsx", LAIN)
    assert name == f"nominatif_tpp_2025-03_{LAIN}.xlsx"
    assert d.export("2025-03", "xlsx", LAIN)[:2] == b"PK"  # an xlsx is a zip
    archive = zipfile.ZipFile(io.BytesIO(d.export("2025-03", "csv")))
    assert {"SHA256SUMS", "tpp_2025-03.csv"} <= set(archive.namelist())
    own = zipfile.ZipFile(io.BytesIO(kepala(data).export("2025-03", "csv")))
    csv = pl.read_csv(own.read(f"tpp_2025-03_{SENDIRI}.csv"), infer_schema=False)
    assert set(csv["kode_opd"]) == {SENDIRI}


def test_the_warehouse_is_never_opened(data):
    # sample_data wrote junk into warehouse.duckdb: every read above worked without it
    assert data.warehouse.read_bytes().startswith(b"bukan database")
    assert analis(data).kpi_per_periode().height == 3


def test_the_sample_went_through_the_pipeline(data, bulanan):
    """app_sample computes nothing itself: the simulated export files were ingested (the file
    registry names them) and what dbt made was published, findings and quarantine included;
    the simulated province has what these tests look for."""
    from orchestration.file_registry import current_files

    periods = ["2025-01", "2025-02", "2025-03"]
    files = current_files(data)
    for kind in ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal"):
        mine = files.filter(pl.col("kind") == kind).sort("periode")
        assert mine["periode"].to_list() == periods, kind
        assert mine["file_name"].to_list() == [f"{kind}_{p.replace('-', '')}.csv" for p in periods]
    assert files["n_quarantined"].sum() > 0  # the simulator's defective rows
    snapshot = current_snapshot(data)
    for table in ("karantina", "temuan"):
        assert sorted(set(snapshot.read(table)["periode"])) == periods, table
    maret = bulanan.filter(pl.col("periode") == "2025-03")
    assert set(maret.filter("mutasi")["segmen"]) == {"ASAL", "UTAMA"}
    assert "SEKOLAH" in set(maret.filter(pl.col("kode_opd") == SENDIRI)["pola_kerja"])
    assert "SHIFT" in set(maret.filter(pl.col("kode_opd") == RSUD)["pola_kerja"])


def test_a_pruned_snapshot_is_replaced_by_the_current_one(tmp_path):
    import shutil

    data = sample_data(tmp_path / "data")
    d = analis(data)  # resolved now, like a page run (or a download clicked much later)
    old = d.snapshot.path
    new = old.parent / "999999-pengganti"
    shutil.copytree(old, new)
    pointer = data.published / "current"
    tmp = data.published / "current.tmp"
    os.symlink(f"snapshots/{new.name}", tmp)
    os.replace(tmp, pointer)
    shutil.rmtree(old)  # what prune does to a superseded snapshot
    with d.one_connection():
        assert d.kpi_per_periode().height == 3
    assert d.snapshot.path == new


def test_warm_up_fills_the_cache_the_pages_read(tmp_path, monkeypatch):
    """After app.warm.warm_data a department page's queries run no SQL at all."""
    from app import data as data_mod
    from app import warm

    data = sample_data(tmp_path / "hangat")
    calls = []
    real = data_mod._compute
    monkeypatch.setattr(data_mod, "_compute", lambda *a, **k: calls.append(a[2]) or real(*a, **k))
    warm.warm_data(data, log=lambda _: None)
    assert calls  # the warm-up did the work
    calls.clear()
    d = Data(data, Scope("kepala", KEPALA_OPD, SENDIRI))
    periode = d.periods[-1]
    with d.one_connection():
        d.kpi_per_periode(SENDIRI)
        d.disiplin_distribution(periode, SENDIRI)
        d.per_weekday(periode, SENDIRI)
        d.needs_attention(periode, SENDIRI)
        d.pola_kerja(periode, SENDIRI)
        Data(data, Scope("a", ANALIS)).kpi_per_periode()
    assert calls == []
    a, b = d.kpi_per_periode(SENDIRI), d.kpi_per_periode(SENDIRI)
    assert a.equals(b) and a is not b  # handed out as copies


def test_concurrent_misses_compute_a_query_once(tmp_path, monkeypatch):
    import threading

    from app import data as data_mod

    data = sample_data(tmp_path / "serentak")
    calls = []
    real = data_mod._compute
    monkeypatch.setattr(data_mod, "_compute", lambda *a, **k: calls.append(1) or real(*a, **k))
    results = []

    def page():
        results.append(analis(data).kpi_per_periode())

    threads = [threading.Thread(target=page) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 8 and all(r.equals(results[0]) for r in results)
    assert len(calls) == 1


def test_shared_media_store_serves_files_of_other_processes(tmp_path, monkeypatch):
    """With several server processes a /media request may reach another process than the one
    that made the file (a download, the logo): app.processes mirrors the files to the data dir."""
    import socket

    import streamlit.runtime.memory_media_file_storage as media_mod
    from streamlit.runtime.media_file_storage import MediaFileKind, MediaFileStorageError
    from streamlit.web.server.starlette import starlette_server

    from app import processes
    from orchestration.core.paths import DataDir

    monkeypatch.setattr(media_mod, "MemoryMediaFileStorage", media_mod.MemoryMediaFileStorage)
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    data = DataDir(tmp_path)
    processes.install(data)
    satu = media_mod.MemoryMediaFileStorage("/media")  # process A
    dua = media_mod.MemoryMediaFileStorage("/media")  # process B
    file_id = satu.load_and_get_id(
        b"nip;nama\n1;A\n", "text/csv", MediaFileKind.DOWNLOADABLE, "tpp.csv"
    )
    got = dua.get_file(f"{file_id}.csv")
    assert got.content == b"nip;nama\n1;A\n" and got.filename == "tpp.csv"
    assert got.kind == MediaFileKind.DOWNLOADABLE and got.mimetype == "text/csv"
    assert (processes.media_folder(data) / file_id).stat().st_mode & 0o077 == 0
    with pytest.raises(MediaFileStorageError):
        dua.get_file("../../etc/passwd.csv")
    assert processes.clean_media(data, now=10**12) == 2
    with pytest.raises(MediaFileStorageError):
        dua.get_file(f"{file_id}.csv")
    # both processes can listen on the same port
    a = starlette_server._bind_socket("127.0.0.1", 0, 8)
    port = a.getsockname()[1]
    b = starlette_server._bind_socket("127.0.0.1", port, 8)
    assert b.getsockname()[1] == port
    a.close(), b.close()
    assert socket.SO_REUSEPORT


RSUD = "1.02.02"  # the simulated province's hospital: its ward staff on rostered shifts


def test_work_patterns_and_the_roster_of_shift_people(data, bulanan):
    d = analis(data)
    maret = bulanan.filter(pl.col("periode") == "2025-03")
    for kode in (SENDIRI, RSUD, LAIN):
        rows = maret.filter(pl.col("kode_opd") == kode)
        want = dict(rows.group_by("pola_kerja").agg(pl.col("nip").n_unique()).iter_rows())
        assert dict(d.pola_kerja("2025-03", kode).iter_rows()) == want
    assert set(maret.filter(pl.col("kode_opd") == SENDIRI)["pola_kerja"]) == {"KANTOR", "SEKOLAH"}
    shift = maret.filter((pl.col("kode_opd") == RSUD) & (pl.col("pola_kerja") == "SHIFT"))
    assert shift.height >= 5
    # page by page, by name: every SHIFT person once, nobody else, only this department's days
    halaman = [d.roster("2025-03", RSUD, mulai, 4) for mulai in range(0, shift.height, 4)]
    orang = [h["nip"].unique(maintain_order=True).to_list() for h in halaman]
    assert sorted(n for o in orang for n in o) == sorted(shift["nip"])
    assert all(len(o) <= 4 for o in orang)
    semua = pl.concat(halaman)
    assert semua["kode_shift"].is_in(["PAGI", "SIANG", "MALAM"]).all()
    harian = current_snapshot(data).read("tpp_harian", ["2025-03"])
    mine = harian.filter(pl.col("nip").is_in(shift["nip"].implode()) & (pl.col("kode_opd") == RSUD))
    assert semua.height == mine.height  # days off have no row
    malam = semua.filter(pl.col("kode_shift") == "MALAM")
    assert ((malam["jadwal_selesai"] - malam["jadwal_mulai"]).dt.total_hours() == 10).all()
    assert (malam["jadwal_selesai"].dt.date() > malam["tanggal"]).all()
    assert d.roster("2025-03", LAIN).is_empty()  # an office department has no roster


def test_department_head_sees_patterns_and_rosters_of_their_own_department_only(data):
    k = kepala(data)
    assert set(k.pola_kerja("2025-03", None)["pola_kerja"]) == {"KANTOR", "SEKOLAH"}
    assert k.roster("2025-03", None).is_empty()  # no SHIFT people in Dikbud
    for fn in (k.pola_kerja, k.roster):
        with pytest.raises(AccessDenied):
            fn("2025-03", RSUD)
    kepala_rs = Data(data, Scope("kepala_rs", KEPALA_OPD, RSUD))
    assert not kepala_rs.roster("2025-03", RSUD).is_empty()
    assert kepala_rs.roster("2025-03", None).equals(kepala_rs.roster("2025-03", RSUD))


def test_a_snapshot_without_the_app_marts_says_to_run_the_pipeline(tmp_path):
    """Published by the pipeline of before the app's metric marts: the pages that read them
    say so (BelumTersedia) instead of failing on a missing table; the finance tables still read."""
    import json
    import shutil

    from app.data import NotAvailable, clear_cache
    from orchestration.core.published import APP_TABLES, MANIFEST, current_snapshot

    lama = sample_data(tmp_path / "lama")
    snap = current_snapshot(lama)  # as the pipeline before the app marts published it
    manifest = json.loads((snap.path / MANIFEST).read_text())
    manifest["files"] = {
        name: e for name, e in manifest["files"].items() if e["table"] not in APP_TABLES
    }
    (snap.path / MANIFEST).write_text(json.dumps(manifest))
    for table in APP_TABLES:
        shutil.rmtree(snap.path / table, ignore_errors=True)
    clear_cache()  # the same snapshot id as the other samples: nothing cached from them
    d = analis(lama)
    with pytest.raises(NotAvailable, match="kinerja run"):
        d.kpi_per_periode()
    assert not d.tpp_opd("2025-03", None).is_empty()


def test_model_files_are_read_once_per_version_for_the_process(tmp_path, monkeypatch):
    """A person's anomaly flags come from the score file read once (not unpickled per page run
    like ``st.cache_data`` did): a second page run reads nothing, a rewritten file is read again."""
    from app import data as data_mod
    from models import score_files

    data = sample_data(tmp_path / "skor")
    d = Data(data, Scope("a", ANALIS))
    periode = d.periods[-1]
    nip = current_snapshot(data).read("tpp_bulanan", [periode])["nip"].sort()[0]
    berkas = score_files.path(data, score_files.ANOMALI)
    berkas.parent.mkdir(parents=True, exist_ok=True)

    def tulis(alasan: str) -> None:
        pl.DataFrame(
            {
                "periode": [periode, periode],
                "nip": [nip, "000000000000000000"],
                "ditandai": [True, True],
                "alasan": [alasan, "orang lain"],
                "skor": [0.7, 0.4],
            }
        ).write_parquet(berkas)

    tulis("Tap di hari libur")
    reads = []
    real = score_files.load_anomaly_scores
    monkeypatch.setattr(
        score_files, "load_anomaly_scores", lambda *a, **k: reads.append(1) or real(*a, **k)
    )
    with d.one_connection():
        first = d.anomaly_flags(nip)
        again = d.anomaly_flags(nip)
    assert first["alasan"].to_list() == ["Tap di hari libur"] and again.equals(first)
    assert len(reads) == 1
    # every hit hands out the same rows (a clone), not a copy made per page run
    mtime = berkas.stat().st_mtime_ns
    hits = [data_mod._score_file(str(data.root), mtime, "anomali", None) for _ in range(2)]
    alamat = [h["skor"].to_arrow().buffers()[1].address for h in hits]
    assert alamat[0] == alamat[1]
    tulis("Tap saat dinas luar")
    os.utime(berkas, ns=(berkas.stat().st_atime_ns, berkas.stat().st_mtime_ns + 10**9))
    with d.one_connection():
        assert d.anomaly_flags(nip)["alasan"].to_list() == ["Tap saat dinas luar"]
    assert len(reads) == 2


def test_the_server_process_keeps_pandas_strings_as_objects(monkeypatch):
    """``app.server`` calls ``warm.object_strings()``: Streamlit's Styler path (every table)
    costs half on object strings; where pandas no longer has the option it sets nothing."""
    import warnings

    import pandas as pd

    from app import warm

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pd.option_context("future.infer_string", True):  # restored for the other tests
            assert pd.Series(["Rp 4.324.000"]).dtype != object
            assert warm.object_strings()
            assert pd.Series(["Rp 4.324.000"]).dtype == object

    def gone(*_):
        raise pd.errors.OptionError("No such keys(s): 'future.infer_string'")

    monkeypatch.setattr(pd, "set_option", gone)
    assert not warm.object_strings()
