"""Work patterns (jadwal.md), from export files through ``kinerja run``.

October 2024, default-2024: 23 office working days (Mon–Fri), 27 school days (Mon–Sat; no
holiday that month). A teacher is SEKOLAH by the master's ``pola_kerja``: Mon–Thu and Sat
07:00–13:00, Fri 07:00–11:00, split 10:00:00 (Fri 09:00:00). PNS III/b, kelas 9 (basis
4.600.000), BAIK: a month without deduction pays neto 4.324.000 (tpp-rules §8).

Worked examples of jadwal.md §6 reproduced here:
- a teacher present on time every school day including all four Saturdays: hari_kerja 27,
  hadir 27, no deduction;
- the same teacher with no taps on two Saturdays: tk 2, persen_disiplin 94;
- a teacher whose only departure on Friday 4 Oct is a tap at 11:00:00 without jenis: on time.
Also: an office worker in the same folder keeps the office week; a SHIFT employee without a
roster is computed with KANTOR and a WARN JADWAL_TIDAK_ADA; an unknown pola_kerja is quarantined
with file, line, column and reason.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io

import duckdb
import pytest

from orchestration.cli import main
from orchestration.core.paths import DataDir
from orchestration.core.published import current_snapshot

GURU = "198802142010012001"  # on time every school day
GURU_SABTU = "198905202011012002"  # no taps on Saturdays 5 and 12 Oct
GURU_JUMAT = "199001012012011003"  # Friday 4 Oct: departure 11:00:00 without jenis, the only one
STAF = "199407072019011016"  # KANTOR, on time every office day
PERAWAT = "199203112019032003"  # SHIFT, no roster: KANTOR with a warning
SALAH = "198512122012121005"  # pola_kerja 'GURU': not a pattern
PENILAI = "197001011995031001"

SEKOLAH_JAM = {4: ("07:00:00", "11:00:00")}  # Friday (weekday() == 4)
KANTOR_JAM = {4: ("07:30:00", "16:30:00")}


def _pegawai() -> str:
    header = (
        "nip,nama,status,golongan,jenis_jabatan,nama_jabatan,kelas_jabatan,kode_opd,nama_opd,"
        "tmt_opd,aktif_sampai,pola_kerja\n"
    )
    rows = [
        (GURU, "Maria Ndun", "1.01.01", "Dinas Pendidikan dan Kebudayaan", "SEKOLAH"),
        (GURU_SABTU, "Yohana Bria", "1.01.01", "Dinas Pendidikan dan Kebudayaan", "sekolah"),
        (GURU_JUMAT, "Paulus Tefa", "1.01.01", "Dinas Pendidikan dan Kebudayaan", "SEKOLAH"),
        (STAF, "Agus Nalle", "4.01.01", "Sekretariat Daerah", ""),
        (PERAWAT, "Citra Manafe", "1.02.02", "RSUD Prof. Dr. W. Z. Johannes Kupang", "SHIFT"),
        (SALAH, "Kornelis Sau", "1.01.01", "Dinas Pendidikan dan Kebudayaan", "GURU"),
    ]
    return header + "".join(
        f"{nip},{nama},PNS,III/b,FUNGSIONAL,Guru Ahli Pertama,9,{kode},{opd},2015-01-01,,{pola}\n"
        for nip, nama, kode, opd, pola in rows
    )


def _taps() -> str:
    lines = ["id_mesin,nip,waktu,jenis,metode,lat,lon"]

    def tap(nip: str, day: dt.date, hms: str) -> None:
        lines.append(f"FP-01,{nip},{day} {hms},,FINGER,,")

    day = dt.date(2024, 10, 1)
    while day.month == 10:
        wd = day.weekday()
        if wd < 6:  # school days: Monday to Saturday
            start, end = SEKOLAH_JAM.get(wd, ("07:00:00", "13:00:00"))
            for nip in (GURU, GURU_SABTU, GURU_JUMAT):
                if nip == GURU_SABTU and day.day in (5, 12):
                    continue
                tap(nip, day, "06:52:00")
                if nip == GURU_JUMAT and day == dt.date(2024, 10, 4):
                    tap(nip, day, "11:00:00")  # the only departure, exactly at the end
                else:
                    tap(nip, day, end.replace(":00:00", ":05:00"))
        if wd < 5:  # office days
            _, end = KANTOR_JAM.get(wd, ("07:30:00", "16:00:00"))
            for nip in (STAF, PERAWAT, SALAH):
                tap(nip, day, "07:21:00")
                tap(nip, day, end.replace(":00:00", ":05:00").replace(":30:00", ":35:00"))
        day += dt.timedelta(days=1)
    return "\n".join(lines) + "\n"


def _kinerja() -> str:
    header = "nip,periode,hasil_kerja,perilaku,predikat,status,nip_penilai,tanggal_penilaian\n"
    nips = (GURU, GURU_SABTU, GURU_JUMAT, STAF, PERAWAT, SALAH)
    return header + "".join(
        f"{nip},2024-10,SESUAI,SESUAI,BAIK,FINAL,{PENILAI},2024-11-02\n" for nip in nips
    )


@pytest.fixture(scope="module")
def october(tmp_path_factory):
    base = tmp_path_factory.mktemp("jadwal")
    exports = base / "exports"
    exports.mkdir()
    (exports / "pegawai_202410.csv").write_text(_pegawai())
    (exports / "absensi_202410.csv").write_text(_taps())
    (exports / "kinerja_202410.csv").write_text(_kinerja())
    data = DataDir.resolve(base / "data")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(["run", "--exports", str(exports), "--data", str(data.root)])
    assert rc == 0, err.getvalue()
    return data


def _rows(data: DataDir) -> dict[str, dict]:
    frame = current_snapshot(data).read("tpp_bulanan", ["2024-10"])
    return {r["nip"]: r for r in frame.iter_rows(named=True)}


def test_teacher_on_time_every_school_day_including_saturdays(october):
    row = _rows(october)[GURU]
    assert row["pola_kerja"] == "SEKOLAH"
    assert (row["hari_kerja"], row["hari_efektif"], row["hadir"], row["tk"]) == (27, 27, 27, 0)
    assert row["persen_disiplin"] == 100 and row["psw4"] == 0 and row["tl1"] == 0
    assert (row["tpp_bruto"], row["tpp_neto"]) == (4_600_000, 4_324_000)


def test_teacher_without_taps_on_two_saturdays_is_tk_twice(october):
    row = _rows(october)[GURU_SABTU]
    assert (row["pola_kerja"], row["hari_kerja"], row["hadir"], row["tk"]) == ("SEKOLAH", 27, 25, 2)
    assert row["persen_disiplin"] == 94


def test_friday_departure_at_eleven_without_jenis_is_on_time(october):
    row = _rows(october)[GURU_JUMAT]
    assert (row["hadir"], row["psw1"], row["psw4"], row["persen_disiplin"]) == (27, 0, 0, 100)
    days = current_snapshot(october).read("tpp_harian", ["2024-10"])
    friday = days.filter(
        (days["nip"] == GURU_JUMAT) & (days["tanggal"] == dt.date(2024, 10, 4))
    ).row(0, named=True)
    assert (friday["jam_masuk"], friday["jam_pulang"]) == ("07:00:00", "11:00:00")
    assert friday["waktu_pulang"] == dt.datetime(2024, 10, 4, 11, 0)
    assert friday["kode_pulang"] is None and friday["menit_pulang_cepat"] == 0


def test_office_worker_keeps_the_office_week(october):
    row = _rows(october)[STAF]
    assert (row["pola_kerja"], row["hari_kerja"], row["hadir"], row["tk"]) == ("KANTOR", 23, 23, 0)
    assert row["tpp_neto"] == 4_324_000


def test_shift_employee_without_roster_is_computed_as_office_with_a_warning(october):
    row = _rows(october)[PERAWAT]
    assert (row["pola_kerja"], row["hari_kerja"], row["hadir"]) == ("SHIFT", 23, 23)
    findings = current_snapshot(october).read("temuan", ["2024-10"])
    warned = findings.filter(findings["kode"] == "JADWAL_TIDAK_ADA")
    assert warned["nip"].to_list() == [PERAWAT] and warned["tingkat"].to_list() == ["WARN"]


def test_unknown_pattern_is_quarantined_with_file_line_and_reason(october):
    assert SALAH not in _rows(october)
    quarantine = current_snapshot(october).read("karantina", ["2024-10"])
    [row] = quarantine.filter(quarantine["kolom"] == "pola_kerja").iter_rows(named=True)
    assert (row["source_file"], row["line_no"], row["nilai"]) == ("pegawai_202410.csv", 7, "GURU")
    assert "KANTOR, SEKOLAH, SHIFT" in row["alasan"]
    with duckdb.connect(str(october.warehouse), read_only=True) as con:
        patterns = con.execute("select distinct pola_kerja from tpp_bulanan order by 1").fetchall()
    assert patterns == [("KANTOR",), ("SEKOLAH",), ("SHIFT",)]
