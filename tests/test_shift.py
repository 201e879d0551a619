"""Rostered shifts (jadwal.md §2–§6), from export files through ``kinerja run``.

October 2024, default-2024 shift codes: PAGI 07:00–14:00, SIANG 14:00–21:00, MALAM 21:00–07:00
(next day). Nurses of the hospital are SHIFT by the master's ``pola_kerja`` and have a roster
(``jadwal_202410.csv``); their working days are their rostered days, weekends included.

Worked examples of jadwal.md §6 reproduced here (nurse A):
- MALAM on Sat 5 Oct with taps 20:52 and 07:03 the next morning: HADIR, no code;
- MALAM on 19 Oct whose second tap is 05:00 the next morning: PSW4 (120 minutes early);
- PAGI on Saturday 12 Oct with taps 07:10 and 14:02: HADIR, TL1;
- MALAM on 31 Oct whose check-out 07:01 is in absensi_202411.csv: without November's file no PSW
  code and PULANG_BELUM_TERSEDIA; with it (October computed again), no code.
Also: a roster of LIBUR only pays zero with a warning (never a division by zero); a day with two
different codes is quarantined and no working day (JADWAL_GANDA), an unknown code and an unknown
NIP are quarantined, an exact duplicate line counts once; roster rows of an office worker are
ignored with JADWAL_BUKAN_SHIFT; a locked October gets the difference of its recomputation as a
correction row paid in November.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot
from tests.support.cli import kinerja

PERAWAT_A = "199203112019032003"  # the worked examples
PERAWAT_B = "199105052018032004"  # LIBUR every day
PERAWAT_C = "199306062020032005"  # a JADWAL_GANDA day, an unknown code, a duplicate line
PERAWAT_D = "199007072017031006"  # MALAM on 31 Oct leaving at 05:00 on 1 Nov
STAF = "199407072019011016"  # KANTOR, with a roster row by mistake
ASING = "198001012005011099"  # not in the master
PENILAI = "197001011995031001"
RSUD = ("1.02.02", "RSUD Prof. Dr. W. Z. Johannes Kupang")


def _pegawai() -> str:
    header = (
        "nip,nama,status,golongan,jenis_jabatan,nama_jabatan,kelas_jabatan,kode_opd,nama_opd,"
        "tmt_opd,aktif_sampai,pola_kerja\n"
    )
    rows = [
        (PERAWAT_A, "Citra Manafe", *RSUD, "SHIFT"),
        (PERAWAT_B, "Dewi Lake", *RSUD, "SHIFT"),
        (PERAWAT_C, "Elsa Nenobais", *RSUD, "shift"),
        (PERAWAT_D, "Frans Tallo", *RSUD, "SHIFT"),
        (STAF, "Agus Nalle", "4.01.01", "Sekretariat Daerah", ""),
    ]
    return header + "".join(
        f"{nip},{nama},PNS,III/b,FUNGSIONAL,Perawat Ahli Pertama,9,{kode},{opd},2015-01-01,,{pola}\n"
        for nip, nama, kode, opd, pola in rows
    )


def _kinerja(periode: str) -> str:
    header = "nip,periode,hasil_kerja,perilaku,predikat,status,nip_penilai,tanggal_penilaian\n"
    nips = (PERAWAT_A, PERAWAT_B, PERAWAT_C, PERAWAT_D, STAF)
    return header + "".join(
        f"{nip},{periode},SESUAI,SESUAI,BAIK,FINAL,{PENILAI},2024-12-02\n" for nip in nips
    )


def _office_taps(year: int, month: int) -> list[str]:
    lines, day = [], dt.date(year, month, 1)
    while day.month == month:
        if day.weekday() < 5:
            end = "16:35:00" if day.weekday() == 4 else "16:05:00"
            lines += [
                f"FP-01,{STAF},{day} 07:21:00,,FINGER,,",
                f"FP-01,{STAF},{day} {end},,FINGER,,",
            ]
        day += dt.timedelta(days=1)
    return lines


def _taps_october() -> str:
    shift = [
        (PERAWAT_A, "2024-10-05 20:52:00"),
        (PERAWAT_A, "2024-10-06 07:03:00"),
        (PERAWAT_A, "2024-10-12 07:10:00"),
        (PERAWAT_A, "2024-10-12 14:02:00"),
        (PERAWAT_A, "2024-10-19 20:52:00"),
        (PERAWAT_A, "2024-10-20 05:00:00"),
        (PERAWAT_A, "2024-10-31 20:55:00"),
        (PERAWAT_C, "2024-10-10 06:58:00"),
        (PERAWAT_C, "2024-10-10 14:01:00"),
        (PERAWAT_D, "2024-10-30 06:55:00"),
        (PERAWAT_D, "2024-10-30 14:05:00"),
        (PERAWAT_D, "2024-10-31 20:50:00"),
    ]
    lines = ["id_mesin,nip,waktu,jenis,metode,lat,lon", *_office_taps(2024, 10)]
    lines += [f"RS-01,{nip},{waktu},,FINGER,," for nip, waktu in shift]
    return "\n".join(lines) + "\n"


def _taps_november() -> str:
    lines = ["id_mesin,nip,waktu,jenis,metode,lat,lon", *_office_taps(2024, 11)]
    lines += [
        f"RS-01,{PERAWAT_A},2024-11-01 07:01:00,,FINGER,,",
        f"RS-01,{PERAWAT_D},2024-11-01 05:00:00,,FINGER,,",
    ]
    return "\n".join(lines) + "\n"


def _jadwal_october() -> str:
    rows = [
        (PERAWAT_A, "2024-10-01", "LIBUR"),
        (PERAWAT_A, "2024-10-05", "MALAM"),
        (PERAWAT_A, "2024-10-12", "PAGI"),
        (PERAWAT_A, "2024-10-19", "malam"),
        (PERAWAT_A, "2024-10-31", "MALAM"),
        (PERAWAT_C, "2024-10-08", "PAGI"),
        (PERAWAT_C, "2024-10-08", "SIANG"),  # lines 7, 8
        (PERAWAT_C, "2024-10-09", "SORE"),  # line 9: not a code of the rulebook
        (PERAWAT_C, "2024-10-10", "PAGI"),
        (PERAWAT_C, "2024-10-10", "PAGI"),  # exact duplicate
        (PERAWAT_D, "2024-10-30", "PAGI"),
        (PERAWAT_D, "2024-10-31", "MALAM"),
        (STAF, "2024-10-07", "PAGI"),  # line 14: an office worker
        (ASING, "2024-10-07", "PAGI"),  # line 15: not in the master
    ]
    rows += [(PERAWAT_B, f"2024-10-{d:02d}", "LIBUR") for d in range(1, 32)]
    return "nip,tanggal,kode_shift\n" + "".join(f"{n},{t},{k}\n" for n, t, k in rows)


def _jadwal_november() -> str:
    rows = [(PERAWAT_A, "2024-11-01", "LIBUR"), (PERAWAT_D, "2024-11-01", "LIBUR")]
    rows += [(PERAWAT_B, f"2024-11-{d:02d}", "LIBUR") for d in range(1, 31)]
    return "nip,tanggal,kode_shift\n" + "".join(f"{n},{t},{k}\n" for n, t, k in rows)


def _write_month(exports, periode: str, taps: str, jadwal: str) -> None:
    yyyymm = periode.replace("-", "")
    (exports / f"pegawai_{yyyymm}.csv").write_text(_pegawai())
    (exports / f"absensi_{yyyymm}.csv").write_text(taps)
    (exports / f"kinerja_{yyyymm}.csv").write_text(_kinerja(periode))
    (exports / f"jadwal_{yyyymm}.csv").write_text(jadwal)


@pytest.fixture(scope="module")
def october(tmp_path_factory):
    """October alone: November's file (with two night shifts' check-outs) is not there yet."""
    base = tmp_path_factory.mktemp("shift")
    exports = base / "exports"
    exports.mkdir()
    _write_month(exports, "2024-10", _taps_october(), _jadwal_october())
    data = DataDir.resolve(base / "data")
    rc, _, err = kinerja("run", "--exports", str(exports), "--data", str(data.root))
    assert rc == 0, err
    return exports, data


@pytest.fixture(scope="module")
def november(october, tmp_path_factory):
    """November's files arrive: October is computed again with the check-outs."""
    exports, first = october
    base = tmp_path_factory.mktemp("shift_nov")
    data = DataDir.resolve(base / "data")
    shutil.copytree(first.root, data.root, symlinks=True)
    _write_month(exports, "2024-11", _taps_november(), _jadwal_november())
    rc, _, err = kinerja("run", "--exports", str(exports), "--data", str(data.root))
    assert rc == 0, err
    return exports, data


def _rows(data: DataDir, periode: str = "2024-10") -> dict[str, dict]:
    frame = current_snapshot(data).read("tpp_bulanan", [periode])
    return {r["nip"]: r for r in frame.iter_rows(named=True)}


def _day(data: DataDir, nip: str, tanggal: dt.date) -> dict:
    days = current_snapshot(data).read("tpp_harian", [tanggal.strftime("%Y-%m")])
    return days.filter((days["nip"] == nip) & (days["tanggal"] == tanggal)).row(0, named=True)


def _findings(data: DataDir, kode: str, periode: str = "2024-10") -> list[dict]:
    temuan = current_snapshot(data).read("temuan", [periode])
    return temuan.filter(temuan["kode"] == kode).to_dicts()


def test_rostered_days_are_the_working_days_weekends_included(october):
    _, data = october
    row = _rows(data)[PERAWAT_A]
    assert row["pola_kerja"] == "SHIFT"
    # 5, 12, 19 (Saturdays) and 31 Oct; LIBUR on 1 Oct is no working day
    assert (row["hari_kerja"], row["hari_efektif"], row["hadir"], row["tk"]) == (4, 4, 4, 0)
    assert (row["tl1"], row["psw4"], row["psw1"]) == (1, 1, 0)
    assert row["persen_disiplin"] == 98  # TL1 0.5 + PSW4 1.5 points


def test_night_shift_ending_next_morning_is_present_without_code(october):
    day = _day(october[1], PERAWAT_A, dt.date(2024, 10, 5))
    assert (day["kode_shift"], day["jam_masuk"], day["jam_pulang"]) == (
        "MALAM",
        "21:00:00",
        "07:00:00",
    )
    assert (day["jadwal_mulai"], day["jadwal_selesai"]) == (
        dt.datetime(2024, 10, 5, 21),
        dt.datetime(2024, 10, 6, 7),
    )
    assert day["waktu_pulang"] == dt.datetime(2024, 10, 6, 7, 3)
    assert (day["kode_hari"], day["kode_datang"], day["kode_pulang"]) == ("HADIR", None, None)


def test_night_shift_left_at_five_is_psw4(october):
    day = _day(october[1], PERAWAT_A, dt.date(2024, 10, 19))
    assert (day["kode_pulang"], day["menit_pulang_cepat"]) == ("PSW4", 120)


def test_saturday_morning_shift_late_ten_minutes_is_tl1(october):
    day = _day(october[1], PERAWAT_A, dt.date(2024, 10, 12))
    assert (day["kode_hari"], day["kode_datang"], day["menit_terlambat"]) == ("HADIR", "TL1", 10)


def test_month_end_night_shift_waits_for_next_months_file(october):
    _, data = october
    day = _day(data, PERAWAT_A, dt.date(2024, 10, 31))
    assert day["waktu_pulang"] is None and day["kode_pulang"] is None
    assert day["pulang_belum_tersedia"] is True
    assert sorted(f["nip"] for f in _findings(data, "PULANG_BELUM_TERSEDIA")) == sorted(
        [PERAWAT_A, PERAWAT_D]
    )
    assert _rows(data)[PERAWAT_D]["persen_disiplin"] == 100


def test_next_months_file_recomputes_the_month_with_the_check_out(november):
    _, data = november
    day = _day(data, PERAWAT_A, dt.date(2024, 10, 31))
    assert day["waktu_pulang"] == dt.datetime(2024, 11, 1, 7, 1)
    assert day["sumber_absensi_pulang"] == "absensi_202411.csv"
    assert (day["kode_pulang"], day["pulang_belum_tersedia"]) == (None, False)
    assert _findings(data, "PULANG_BELUM_TERSEDIA") == []
    # the other nurse left at 05:00: now PSW4 in October
    assert (_rows(data)[PERAWAT_D]["psw4"], _rows(data)[PERAWAT_D]["persen_disiplin"]) == (1, 98.5)
    # November does not use those taps (they belong to October's night shifts)
    assert _rows(data, "2024-11")[PERAWAT_A]["hari_kerja"] == 0


def test_all_libur_roster_pays_zero_with_a_warning(october):
    _, data = october
    row = _rows(data)[PERAWAT_B]
    assert (row["hari_kerja"], row["tpp_bruto"], row["tpp_neto"]) == (0, 0, 0)
    assert [f["nip"] for f in _findings(data, "JADWAL_TANPA_HARI_KERJA")] == [PERAWAT_B]


def test_roster_defects_are_quarantined_with_line_and_reason(october):
    _, data = october
    karantina = current_snapshot(data).read("karantina", ["2024-10"])
    jadwal = {r["line_no"]: r for r in karantina.filter(karantina["kind"] == "jadwal").to_dicts()}
    assert {n: jadwal[n]["kode_alasan"] for n in sorted(jadwal)} == {
        7: "JADWAL_GANDA",
        8: "JADWAL_GANDA",
        9: "KODE_SHIFT_TIDAK_DIKENAL",
        15: "NIP_TIDAK_DIKENAL",
    }
    assert all(r["source_file"] == "jadwal_202410.csv" and r["alasan"] for r in jadwal.values())
    # the JADWAL_GANDA day is no working day; the duplicate PAGI of 10 Oct counts once
    row = _rows(data)[PERAWAT_C]
    assert (row["hari_kerja"], row["hadir"], row["persen_disiplin"]) == (1, 1, 100)
    assert [f["nip"] for f in _findings(data, "JADWAL_GANDA")] == [PERAWAT_C]


def test_office_workers_roster_rows_are_ignored_with_a_warning(october):
    _, data = october
    row = _rows(data)[STAF]
    assert (row["pola_kerja"], row["hari_kerja"], row["hadir"]) == ("KANTOR", 23, 23)
    assert [f["nip"] for f in _findings(data, "JADWAL_BUKAN_SHIFT")] == [STAF]


def test_locked_month_recomputed_by_next_months_file_gets_a_correction(october, tmp_path):
    exports, first = october
    data = DataDir.resolve(tmp_path / "data")
    shutil.copytree(first.root, data.root, symlinks=True)
    assert (
        kinerja("verify", "--data", str(data.root), "--periode", "2024-10", "--oleh", "a")[0] == 0
    )
    assert kinerja("lock", "--data", str(data.root), "--periode", "2024-10", "--oleh", "k")[0] == 0
    folder = tmp_path / "exports"
    shutil.copytree(exports, folder)
    _write_month(folder, "2024-11", _taps_november(), _jadwal_november())
    rc, _, err = kinerja("run", "--exports", str(folder), "--data", str(data.root))
    assert rc == 0, err
    snapshot = current_snapshot(data)
    assert snapshot.status("2024-10") == "LOCKED"
    assert _rows(data)[PERAWAT_D]["persen_disiplin"] == 100  # what was paid stays
    koreksi = snapshot.read("tpp_koreksi", "2024-11")
    assert koreksi["nip"].to_list() == [PERAWAT_D]
    assert koreksi.row(0, named=True)["periode_asal"] == "2024-10"


def test_corrected_next_month_file_recomputes_the_night_shifts_month(november, tmp_path):
    """A corrected absensi_202411 (the 1 Nov check-out of nurse A is 05:30, 90 minutes early, not 07:01) changes
    October's night shift of the 31st: October is computed again with it."""
    exports, first = november
    data = DataDir.resolve(tmp_path / "data")
    shutil.copytree(first.root, data.root, symlinks=True)
    folder = tmp_path / "exports"
    shutil.copytree(exports, folder)
    taps = (folder / "absensi_202411.csv").read_text()
    (folder / "absensi_202411.csv").write_text(
        taps.replace("2024-11-01 07:01:00", "2024-11-01 05:30:00")
    )
    rc, _, err = kinerja("run", "--exports", str(folder), "--data", str(data.root))
    assert rc == 0, err
    day = _day(data, PERAWAT_A, dt.date(2024, 10, 31))
    assert (day["waktu_pulang"], day["kode_pulang"], day["menit_pulang_cepat"]) == (
        dt.datetime(2024, 11, 1, 5, 30),
        "PSW3",
        90,
    )


def test_both_months_in_one_run_publish_what_month_by_month_did(november, tmp_path):
    """Re-running is safe and gives the same result: October and November computed in one run
    over the folder publish, file for file, the same bytes as October alone and then November
    (October recomputed with the night shifts' check-outs). The first month's night shift of
    the 31st is the case where the two ways could differ."""
    exports, month_by_month = november
    at_once = DataDir.resolve(tmp_path / "data")
    rc, _, err = kinerja("run", "--exports", str(exports), "--data", str(at_once.root))
    assert rc == 0, err
    a, b = current_snapshot(month_by_month), current_snapshot(at_once)
    assert sorted(a.periods) == sorted(b.periods) == ["2024-10", "2024-11"]
    files = sorted(p.relative_to(a.path) for p in a.path.rglob("*.parquet"))
    assert files == sorted(p.relative_to(b.path) for p in b.path.rglob("*.parquet"))
    assert len(files) > 10
    assert [f for f in files if (a.path / f).read_bytes() != (b.path / f).read_bytes()] == []


def test_a_roster_corrected_after_the_lock_is_named_in_the_correction(october, tmp_path):
    """October is locked; then October's roster is corrected (Citra's Saturday 12 PAGI becomes
    SIANG: her 07:10 tap is outside SIANG's window, 14:02 is a late arrival, no departure).
    The correction row says the roster file did it, not the taps file, which did not change."""
    exports, first = october
    data = DataDir.resolve(tmp_path / "data")
    shutil.copytree(first.root, data.root, symlinks=True)
    for step, oleh in (("verify", "a"), ("lock", "k")):
        rc, _, err = kinerja(step, "--data", str(data.root), "--periode", "2024-10", "--oleh", oleh)
        assert rc == 0, err
    folder = tmp_path / "exports"
    shutil.copytree(exports, folder)
    jadwal = _jadwal_october().replace(
        f"{PERAWAT_A},2024-10-12,PAGI", f"{PERAWAT_A},2024-10-12,SIANG"
    )
    (folder / "jadwal_202410.csv").write_text(jadwal)
    (folder / "absensi_202411.csv").unlink(missing_ok=True)
    rc, _, err = kinerja("run", "--exports", str(folder), "--data", str(data.root))
    assert rc == 0, err
    koreksi = current_snapshot(data).read("tpp_koreksi", "2024-11")
    assert koreksi["nip"].to_list() == [PERAWAT_A]
    [row] = koreksi.to_dicts()
    assert row["selisih_tpp_disiplin"] < 0, row
    assert "data absensi dikoreksi (file jadwal_202410.csv)" in row["alasan"], row["alasan"]
    assert "absensi_202410.csv" not in row["alasan"], row["alasan"]
