"""Edge cases of tpp-rules.md and jadwal.md that the worked examples do not reach, one small
employee per rule, February and March 2025 (March is Ramadan; Fri 28 cuti bersama, Sat 29 Nyepi,
Mon 31 Idul Fitri), one ``dbt build`` over a raw zone written as the ingest writes it.

Expected amounts come from ``tpp_fixtures.hitung_tpp`` (exact fractions, tpp-rules §5).
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from tpp_fixtures import (
    FEB,
    MAR,
    OPD,
    Pegawai,
    RawZone,
    Taps,
    absen,
    amounts,
    at,
    dbt_build,
    hitung_tpp,
    kinerja,
    nip,
    working_days,
)

D = dt.date
S = "SESUAI"
RSUD = "1.02.01"

P = {
    # tpp-rules §2: band borders 60/61 and 90/91 minutes, late and early
    "pita": Pegawai(
        nip("19900101", "201501", 1, 101),
        "Aloysius Bani",
        "PNS",
        "III/a",
        7,
        "4.01.01",
        D(2015, 1, 1),
    ),
    # tpp-rules §5: half a rupiah in pph21 and iuran_bpjs (bruto 1,741,250), rounded up
    "setengah": Pegawai(
        nip("19900202", "201501", 2, 102),
        "Bernadeta Seran",
        "PNS",
        "III/a",
        1,
        "4.01.01",
        D(2015, 1, 1),
    ),
    # tpp-rules §5: half a rupiah in tpp_disiplin (656,687.5), rounded up
    "setengah_dis": Pegawai(
        nip("19900303", "201501", 1, 103),
        "Cosmas Nahak",
        "PNS",
        "II/a",
        1,
        "4.01.01",
        D(2015, 1, 1),
    ),
    # tpp-rules §7: active on one calendar day (Saturday 1 Feb) and no working day: a zero row
    "sehari": Pegawai(
        nip("19600404", "198501", 1, 104),
        "Drs. Dominikus Tae",
        "PNS",
        "IV/a",
        12,
        "4.01.01",
        D(2010, 1, 1),
        D(2025, 2, 1),
    ),
    # tpp-rules §2 rule 1: precedence of overlapping approved absences
    "tumpang": Pegawai(
        nip("19900505", "201501", 2, 105),
        "Emerensiana Bere",
        "PNS",
        "III/b",
        9,
        "4.01.01",
        D(2015, 1, 1),
    ),
    # tpp-rules §5/§7: transfer on Monday 3 March (1-2 March weekend): no ASAL row
    "mutasi_senin": Pegawai(
        nip("19900606", "201501", 1, 106),
        "Fidelis Klau",
        "PNS",
        "III/a",
        8,
        "4.01.01",
        D(2025, 3, 3),
    ),
    # tpp-rules §5 + jadwal.md §1: ASAL segment takes the previous snapshot's pattern (SEKOLAH)
    "mutasi_guru": Pegawai(
        nip("19900707", "201501", 2, 107),
        "Gonsalvus Atok, S.Pd.",
        "PNS",
        "III/b",
        9,
        "4.01.01",
        D(2025, 3, 12),
    ),
    # jadwal.md §1: SEKOLAH in Ramadan splits untyped taps at 09:45 (Fri 09:00)
    "guru": Pegawai(
        nip("19900808", "201501", 1, 108),
        "Hilarius Lake, S.Pd.",
        "PNS",
        "III/b",
        9,
        "1.01.01",
        D(2015, 1, 1),
    ),
    # jadwal.md §4: shift window borders, MALAM split, ties, absence on the start day
    "perawat": Pegawai(
        nip("19900909", "201501", 2, 109),
        "Irene Manafe, S.Kep.",
        "PNS",
        "III/a",
        8,
        RSUD,
        D(2015, 1, 1),
    ),
    # jadwal.md §2/§4: a rostered shift on cuti bersama in Ramadan keeps its hours
    "perawat_mar": Pegawai(
        nip("19901010", "201501", 1, 110),
        "Yoakim Neno, S.Kep.",
        "PNS",
        "III/a",
        8,
        RSUD,
        D(2015, 1, 1),
    ),
    # tpp-rules §5: half a rupiah in tpp_kinerja (8 shifts, 7 effective, predikat SANGAT_KURANG)
    "perawat_setengah": Pegawai(
        nip("19901111", "201501", 2, 111), "Klara Tallo", "PNS", "II/a", 1, RSUD, D(2015, 1, 1)
    ),
    # sources.md: a CT 24 Feb - 4 Mar listed only in February's file (March's days count without
    # it: TK, and a WARN); the same CT listed in both months' files (March's days are CT)
    "lanjut_hilang": Pegawai(
        nip("19901212", "201501", 1, 112),
        "Lusia Kolo",
        "PNS",
        "III/a",
        7,
        "4.01.01",
        D(2015, 1, 1),
    ),
    "lanjut_ada": Pegawai(
        nip("19910101", "201501", 2, 113),
        "Maria Naitili",
        "PNS",
        "III/a",
        7,
        "4.01.01",
        D(2015, 1, 1),
    ),
}
SHIFT = {"perawat", "perawat_mar", "perawat_setengah"}
GURU_FEB = {"mutasi_guru"}  # SEKOLAH in February


def _row(key: str, periode: str) -> dict:
    p = P[key]
    r = p.row(pola_kerja="SHIFT" if key in SHIFT else None)
    if periode == FEB and key == "mutasi_senin":
        r.update(kode_opd="1.02.01", nama_opd=OPD["1.02.01"], tmt_opd=D(2020, 1, 1))
    if periode == FEB and key == "mutasi_guru":
        r.update(
            kode_opd="1.01.01",
            nama_opd=OPD["1.01.01"],
            tmt_opd=D(2020, 1, 1),
            pola_kerja="SEKOLAH",
            status="CPNS",
            kelas_jabatan=7,
        )
    if key == "guru":
        r["pola_kerja"] = "SEKOLAH"
    return r


def _school_days(periode: str) -> list[dt.date]:
    from tpp_fixtures import HOLIDAYS, days_of

    return [d for d in days_of(periode) if d.isoweekday() <= 6 and d not in HOLIDAYS]


def _school_hours(d: dt.date) -> tuple[str, str]:
    ramadan = d.month == 3 and d.year == 2025
    if ramadan:
        return ("07:25:00", "10:35:00" if d.isoweekday() == 5 else "12:05:00")
    return ("06:55:00", "11:05:00" if d.isoweekday() == 5 else "13:05:00")


def build(root) -> RawZone:
    z = RawZone(root)
    for periode in (FEB, MAR):
        for key in P:
            z.add("pegawai", periode, **_row(key, periode))
    t = {FEB: Taps(z, FEB), MAR: Taps(z, MAR)}
    office = [k for k in P if k not in SHIFT and k != "guru"]

    def is_teacher(key: str, d: dt.date) -> bool:
        return key == "guru" or (key == "mutasi_guru" and d < D(2025, 3, 12))

    special: dict[tuple[str, dt.date], list[tuple[str, str | None]]] = {
        # late 60 -> TL2, 61 -> TL3, 90 -> TL3, 91 -> TL4
        ("pita", D(2025, 2, 3)): [("08:30:59", "MASUK"), ("16:05:00", "PULANG")],
        ("pita", D(2025, 2, 4)): [("08:31:00", "MASUK"), ("16:05:00", "PULANG")],
        ("pita", D(2025, 2, 5)): [("09:00:59", "MASUK"), ("16:05:00", "PULANG")],
        ("pita", D(2025, 2, 6)): [("09:01:00", "MASUK"), ("16:05:00", "PULANG")],
        # early 60 -> PSW2, 61 -> PSW3, 90 -> PSW3, 90 min 59 s -> PSW3, Fri 91 -> PSW4,
        # 59 s -> none, 1 min -> PSW1
        ("pita", D(2025, 2, 10)): [("07:20:00", "MASUK"), ("15:00:00", "PULANG")],
        ("pita", D(2025, 2, 11)): [("07:20:00", "MASUK"), ("14:59:00", "PULANG")],
        ("pita", D(2025, 2, 12)): [("07:20:00", "MASUK"), ("14:30:00", "PULANG")],
        ("pita", D(2025, 2, 13)): [("07:20:00", "MASUK"), ("14:29:01", "PULANG")],
        ("pita", D(2025, 2, 14)): [("07:20:00", "MASUK"), ("14:59:00", "PULANG")],
        ("pita", D(2025, 2, 17)): [("07:20:00", "MASUK"), ("15:59:01", "PULANG")],
        ("pita", D(2025, 2, 18)): [("07:20:00", "MASUK"), ("15:59:00", "PULANG")],
        # one TL3 day
        ("setengah", D(2025, 2, 4)): [("08:45:00", "MASUK"), ("16:05:00", "PULANG")],
        ("setengah_dis", D(2025, 2, 4)): [("08:45:00", "MASUK"), ("16:05:00", "PULANG")],
        # guru, March (Ramadan 07:30-12:00, Fri 07:30-10:30; split 09:45, Fri 09:00)
        ("guru", D(2025, 3, 3)): [("07:25:00", None), ("09:45:00", None)],
        ("guru", D(2025, 3, 4)): [("09:44:59", None), ("12:05:00", None)],
        ("guru", D(2025, 3, 7)): [("07:25:00", None), ("09:00:00", None)],
    }
    for periode in (FEB, MAR):
        for key in office:
            p = P[key]
            for d in working_days(periode):
                if (p.aktif_sampai and d > p.aktif_sampai) or is_teacher(key, d):
                    continue
                if key == "setengah_dis" and d == D(2025, 2, 3):
                    continue  # CLTN
                if key.startswith("lanjut_") and D(2025, 2, 24) <= d <= D(2025, 3, 4):
                    continue  # CT, listed in one or both months' files
                if (key, d) in special:
                    for hms, jenis in special[(key, d)]:
                        t[periode].tap(p.nip, at(d, hms), jenis)
                    continue
                t[periode].normal(p.nip, d)
        for key in ("guru", "mutasi_guru"):
            p = P[key]
            for d in _school_days(periode):
                if not is_teacher(key, d):
                    continue
                if (key, d) in special:
                    for hms, jenis in special[(key, d)]:
                        t[periode].tap(p.nip, at(d, hms), jenis)
                    continue
                masuk, pulang = _school_hours(d)
                t[periode].tap(p.nip, at(d, masuk), None)
                t[periode].tap(p.nip, at(d, pulang), None)
    absen(z, FEB, P["setengah_dis"].nip, "CLTN", D(2025, 2, 3), D(2025, 2, 3))
    for periode, key in ((FEB, "lanjut_hilang"), (FEB, "lanjut_ada"), (MAR, "lanjut_ada")):
        absen(z, periode, P[key].nip, "CT", D(2025, 2, 24), D(2025, 3, 4))
    tu = P["tumpang"].nip
    for kode in ("IZIN", "DL"):
        absen(z, FEB, tu, kode, D(2025, 2, 3), D(2025, 2, 3))
    for kode in ("CT", "CS"):
        absen(z, FEB, tu, kode, D(2025, 2, 4), D(2025, 2, 4))
    for kode in ("CM", "TB"):
        absen(z, FEB, tu, kode, D(2025, 2, 5), D(2025, 2, 5))
    for kode in ("IZIN", "DL", "DIKLAT"):
        absen(z, FEB, tu, kode, D(2025, 2, 6), D(2025, 2, 6))
    for kode in ("CAP", "CB"):
        absen(z, FEB, tu, kode, D(2025, 2, 7), D(2025, 2, 7))
    absen(z, FEB, tu, "CLTN", D(2025, 2, 10), D(2025, 2, 10), status="DIAJUKAN")
    absen(z, FEB, tu, "TB", D(2025, 2, 10), D(2025, 2, 10))

    # --- shifts (February): rostered days and their taps
    pr = P["perawat"].nip
    roster = {
        D(2025, 2, 1): "PAGI",  # tap at S-4h 03:00:00 is inside the window
        D(2025, 2, 2): "SIANG",  # tap at E+4h 01:00:00 is outside
        D(2025, 2, 3): "LIBUR",
        D(2025, 2, 4): "MALAM",  # untyped tap at P = 02:00:00 is a departure
        D(2025, 2, 5): "LIBUR",
        D(2025, 2, 8): "MALAM",  # 07:00:00 on 9 Feb ties E(MALAM 8) and S(PAGI 9) -> PAGI 9
        D(2025, 2, 9): "PAGI",
        D(2025, 2, 10): "MALAM",  # approved CT on 10 Feb covers it
        D(2025, 2, 11): "MALAM",  # approved CT on 12 Feb does not
        D(2025, 2, 12): "LIBUR",
    }
    for d, kode in roster.items():
        z.add("jadwal", FEB, nip=pr, tanggal=d, kode_shift=kode)
    for waktu in (
        "2025-02-01 03:00:00",
        "2025-02-01 14:00:00",
        "2025-02-02 14:05:00",
        "2025-02-03 01:00:00",
        "2025-02-04 20:55:00",
        "2025-02-05 02:00:00",
        "2025-02-08 20:50:00",
        "2025-02-09 07:00:00",
        "2025-02-09 14:05:00",
        "2025-02-11 20:55:00",
        "2025-02-12 07:05:00",
    ):
        t[FEB].tap(pr, dt.datetime.fromisoformat(waktu), None)
    absen(z, FEB, pr, "CT", D(2025, 2, 10), D(2025, 2, 10))
    absen(z, FEB, pr, "CT", D(2025, 2, 12), D(2025, 2, 12))

    # eight PAGI shifts, one of them on CLTN, no taps at all
    ps = P["perawat_setengah"].nip
    for i in range(8):
        z.add("jadwal", FEB, nip=ps, tanggal=D(2025, 2, 3 + i), kode_shift="PAGI")
    absen(z, FEB, ps, "CLTN", D(2025, 2, 3), D(2025, 2, 3))

    # --- shifts (March, Ramadan): PAGI on cuti bersama Fri 28 March, 07:20 and 14:00
    pm = P["perawat_mar"].nip
    z.add("jadwal", MAR, nip=pm, tanggal=D(2025, 3, 28), kode_shift="PAGI")
    z.add("jadwal", MAR, nip=pm, tanggal=D(2025, 3, 29), kode_shift="LIBUR")
    t[MAR].tap(pm, at(D(2025, 3, 28), "07:20:00"), None)
    t[MAR].tap(pm, at(D(2025, 3, 28), "14:00:00"), None)

    for periode in (FEB, MAR):
        for key, p in P.items():
            if key == "perawat_setengah":
                kinerja(z, periode, p.nip, "DI_BAWAH", "DI_BAWAH", "SANGAT_KURANG")
            else:
                kinerja(z, periode, p.nip, S, S, "BAIK")
    z.write()
    return z


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    data = tmp_path_factory.mktemp("audit_data")
    build(data)
    res = dbt_build(data)
    assert res.success, res.failures
    return res


def rows(run, periode: str, key: str) -> list[dict]:
    return run.query(
        "select * from tpp_bulanan where periode = ? and nip = ? order by tanggal_mulai",
        [periode, P[key].nip],
    )


def one(run, periode: str, key: str) -> dict:
    r = rows(run, periode, key)
    assert len(r) == 1, r
    return r[0]


def day(run, key: str, tanggal: dt.date) -> dict:
    r = run.query("select * from tpp_harian where nip = ? and tanggal = ?", [P[key].nip, tanggal])
    assert len(r) == 1, r
    return r[0]


def test_band_borders_60_61_90_91_minutes(run):
    """tpp-rules §2: TL2 31-60, TL3 61-90, TL4 > 90; PSW likewise; whole minutes rounded down."""
    r = one(run, FEB, "pita")
    counts = {k: r[k] for k in ("tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4")}
    assert counts == {
        "tl1": 0,
        "tl2": 1,
        "tl3": 2,
        "tl4": 1,
        "psw1": 1,
        "psw2": 1,
        "psw3": 3,
        "psw4": 1,
    }
    # 1 + 2 x 1.25 + 1.5 + 0.5 + 1 + 3 x 1.25 + 1.5 = 11.75
    assert float(r["persen_disiplin"]) == 88.25
    assert day(run, "pita", D(2025, 2, 17))["kode_pulang"] is None  # 59 s early: 0 minutes


def test_half_rupiah_in_pph21_and_bpjs_rounds_up(run):
    """tpp-rules §5: bruto 1,741,250 -> pph21 5 % = 87,062.5 -> 87,063; bpjs 17,412.5 -> 17,413."""
    r = one(run, FEB, "setengah")
    assert float(r["persen_disiplin"]) == 98.75
    expected = hitung_tpp(1_750_000, "PNS", "III/a", 20, 20, 100, 98.75)
    assert expected["pph21"] == 87_063 and expected["iuran_bpjs"] == 17_413
    assert amounts(r) == expected


def test_half_rupiah_in_disiplin_rounds_up(run):
    """tpp-rules §5: 1,750,000 x 19/20 x 0.40 x 98.75 % = 656,687.5 -> 656,688."""
    r = one(run, FEB, "setengah_dis")
    assert (r["hari_efektif"], r["hari_kerja"], r["cltn"]) == (19, 20, 1)
    assert r["tpp_disiplin"] == 656_688
    assert amounts(r) == hitung_tpp(1_750_000, "PNS", "II/a", 19, 20, 100, 98.75)


def test_half_rupiah_in_kinerja_rounds_up(run):
    """tpp-rules §5: 1,750,000 x 7/8 x 0.60 x 25 % = 229,687.5 -> 229,688 (8 rostered PAGI, one
    on CLTN, no taps: 7 TK -> persen_disiplin 79)."""
    r = one(run, FEB, "perawat_setengah")
    assert (r["hari_kerja"], r["hari_efektif"], r["tk"]) == (8, 7, 7)
    assert r["predikat"] == "SANGAT_KURANG"
    assert r["tpp_kinerja"] == 229_688
    assert amounts(r) == hitung_tpp(1_750_000, "PNS", "II/a", 7, 8, 25, 79)


def test_one_calendar_day_and_no_working_day_gives_a_zero_row(run):
    """tpp-rules §7: active on Saturday 1 Feb only -> a row with zero pay, never dropped."""
    r = one(run, FEB, "sehari")
    assert (r["hari_kerja"], r["hari_efektif"], r["tpp_bruto"], r["tpp_neto"]) == (20, 0, 0, 0)
    assert rows(run, MAR, "sehari") == []
    warn = run.query(
        "select * from temuan where periode = ? and nip = ? and kode = 'PEGAWAI_TIDAK_AKTIF'",
        [MAR, P["sehari"].nip],
    )
    assert len(warn) == 1


def test_overlapping_absences_follow_the_precedence_order(run):
    """tpp-rules §2 rule 1: CLTN, TB, CM, CB, CS, CAP, CT, DIKLAT, DL, IZIN; DIAJUKAN ignored."""
    got = {
        d.day: day(run, "tumpang", d)["kode_hari"]
        for d in (
            D(2025, 2, 3),
            D(2025, 2, 4),
            D(2025, 2, 5),
            D(2025, 2, 6),
            D(2025, 2, 7),
            D(2025, 2, 10),
        )
    }
    assert got == {3: "DL", 4: "CS", 5: "TB", 6: "DIKLAT", 7: "CB", 10: "TB"}
    r = one(run, FEB, "tumpang")
    assert (r["hari_efektif"], r["izin"], float(r["persen_disiplin"])) == (18, 0, 100.0)


def test_transfer_on_the_first_working_day_has_no_asal_row(run):
    """tpp-rules §7: a previous department has a row only with >= 1 working day there."""
    r = one(run, MAR, "mutasi_senin")
    assert (r["kode_opd"], r["hari_efektif"], r["hari_kerja"]) == ("4.01.01", 19, 19)


def test_asal_segment_takes_the_previous_snapshots_pattern(run):
    """tpp-rules §5 + jadwal.md §1: 1-11 March as a SEKOLAH CPNS kelas 7 teacher (Sat 1, 3-8,
    10, 11: 9 school days of 23), then KANTOR from 12 March (12 of 19 office days)."""
    asal, utama = rows(run, MAR, "mutasi_guru")
    assert (asal["kode_opd"], asal["pola_kerja"], asal["status"], asal["kelas_jabatan"]) == (
        "1.01.01",
        "SEKOLAH",
        "CPNS",
        7,
    )
    assert (asal["hari_efektif"], asal["hari_kerja"], asal["hadir"]) == (9, 23, 9)
    assert amounts(asal) == hitung_tpp(3_400_000, "CPNS", "III/b", 9, 23, 100, 100)
    assert (utama["kode_opd"], utama["pola_kerja"], utama["hari_efektif"], utama["hari_kerja"]) == (
        "4.01.01",
        "KANTOR",
        12,
        19,
    )


def test_school_ramadan_split_is_0945_and_friday_0900(run):
    """jadwal.md §1: in Ramadan an untyped SEKOLAH tap at 09:45:00 (Fri 09:00:00) is a departure."""
    mon = day(run, "guru", D(2025, 3, 3))
    assert (mon["waktu_pulang"].time(), mon["kode_pulang"], mon["kode_datang"]) == (
        dt.time(9, 45),
        "PSW4",
        None,
    )
    tue = day(run, "guru", D(2025, 3, 4))  # 09:44:59 is an arrival: late 134 min
    assert (tue["waktu_datang"].time(), tue["kode_datang"], tue["kode_pulang"]) == (
        dt.time(9, 44, 59),
        "TL4",
        None,
    )
    fri = day(run, "guru", D(2025, 3, 7))  # 10:30 - 09:00 = 90 min early
    assert (fri["waktu_pulang"].time(), fri["kode_pulang"]) == (dt.time(9, 0), "PSW3")
    r = one(run, MAR, "guru")
    assert r["hari_kerja"] == 23  # Mon-Sat minus 28, 29, 31 March


def test_shift_window_is_half_open(run):
    """jadwal.md §4: [S - 4 h, E + 4 h): 03:00:00 belongs to PAGI 1 Feb, 01:00:00 not to SIANG 2 Feb."""
    pagi = day(run, "perawat", D(2025, 2, 1))
    assert (pagi["kode_hari"], pagi["kode_datang"], pagi["kode_pulang"]) == ("HADIR", None, None)
    siang = day(run, "perawat", D(2025, 2, 2))
    assert (siang["kode_datang"], siang["kode_pulang"], siang["waktu_pulang"]) == (
        "TL1",
        "PSW4",
        None,
    )


def test_night_shift_split_at_0200_is_a_departure(run):
    """jadwal.md §4: MALAM split P = 02:00 of d+1; an untyped tap at P is a departure."""
    malam = day(run, "perawat", D(2025, 2, 4))
    assert malam["waktu_pulang"] == dt.datetime(2025, 2, 5, 2, 0)
    assert (malam["kode_datang"], malam["kode_pulang"], malam["menit_pulang_cepat"]) == (
        None,
        "PSW4",
        300,
    )


def test_tap_equidistant_between_two_shifts_goes_to_the_later(run):
    """jadwal.md §4: 07:00 on 9 Feb is E of MALAM 8 Feb and S of PAGI 9 Feb: the later shift."""
    malam = day(run, "perawat", D(2025, 2, 8))
    pagi = day(run, "perawat", D(2025, 2, 9))
    assert (malam["kode_hari"], malam["kode_pulang"], malam["waktu_pulang"]) == (
        "HADIR",
        "PSW4",
        None,
    )
    assert (pagi["kode_datang"], pagi["kode_pulang"]) == (None, None)
    assert pagi["waktu_datang"] == dt.datetime(2025, 2, 9, 7, 0)


def test_absence_on_the_start_day_covers_the_night_shift_only(run):
    """jadwal.md §4: an approved absence covering d covers the shift that starts on d."""
    assert day(run, "perawat", D(2025, 2, 10))["kode_hari"] == "CT"
    d11 = day(run, "perawat", D(2025, 2, 11))
    assert (d11["kode_hari"], d11["kode_datang"], d11["kode_pulang"]) == ("HADIR", None, None)
    r = one(run, FEB, "perawat")
    # PAGI 1, SIANG 2, MALAM 4, 8, 10, 11, PAGI 9: 7 shifts
    assert (r["hari_kerja"], r["hari_efektif"], r["hadir"], r["ct"]) == (7, 7, 6, 1)


def test_shift_on_cuti_bersama_in_ramadan_keeps_shift_hours(run):
    """jadwal.md §2/§4: a rostered day is a working day on a holiday; shift hours ignore Ramadan."""
    d = day(run, "perawat_mar", D(2025, 3, 28))
    assert (d["kode_hari"], d["kode_datang"], d["menit_terlambat"], d["kode_pulang"]) == (
        "HADIR",
        "TL1",
        20,
        None,
    )
    r = one(run, MAR, "perawat_mar")
    assert (r["hari_kerja"], r["hari_efektif"], r["pola_kerja"]) == (1, 1, "SHIFT")


# --- jadwal.md §4: "while M+1's absensi file is not loaded" means the file, not its first days


@pytest.fixture(scope="module")
def night_end(tmp_path_factory):
    """A nurse on MALAM 28 Feb who never taps out; March's absensi file is loaded but has no tap
    on 1-2 March (a weekend). February is built alone (the pipeline's window of one month)."""
    data = tmp_path_factory.mktemp("audit_night_end")
    z = RawZone(data)
    p = P["perawat"]
    for periode in (FEB, MAR):
        z.add("pegawai", periode, **p.row(pola_kerja="SHIFT"))
        kinerja(z, periode, p.nip, S, S, "BAIK")
    z.add("jadwal", FEB, nip=p.nip, tanggal=D(2025, 2, 28), kode_shift="MALAM")
    Taps(z, FEB).tap(p.nip, at(D(2025, 2, 28), "20:55:00"), None)
    Taps(z, MAR).tap(p.nip, at(D(2025, 3, 3), "07:55:00"), None)
    z.write()
    res = dbt_build(data, vars={"periode_mulai": FEB, "periode_sampai": FEB})
    assert res.success, res.failures
    return res


def test_loaded_next_month_without_early_taps_gives_the_missing_check_out(night_end):
    """jadwal.md §4: with March's file loaded the check-out is known to be missing: PSW4 and no
    PULANG_BELUM_TERSEDIA (tpp-rules §2: no check-out -> PSW4)."""
    r = night_end.query(
        "select * from tpp_harian where nip = ? and tanggal = ?", [P["perawat"].nip, D(2025, 2, 28)]
    )
    assert len(r) == 1
    assert (r[0]["kode_hari"], r[0]["kode_pulang"], r[0]["pulang_belum_tersedia"]) == (
        "HADIR",
        "PSW4",
        False,
    )
    warn = night_end.query(
        "select * from temuan where kode = 'PULANG_BELUM_TERSEDIA' and nip = ?", [P["perawat"].nip]
    )
    assert warn == []


def test_an_absence_running_into_a_month_whose_file_leaves_it_out_is_a_warning(run):
    """sources.md: every row belongs to its file's month, so a CT of 24 Feb - 4 Mar listed only
    in February's file covers February's days (CT 5) and not March's: Mon 3 and Tue 4 March are
    TK, and the month says so once (KETIDAKHADIRAN_LANJUTAN_TIDAK_ADA, the two working days,
    February's file and line). Listed in March's file too, March's days are CT: no finding."""
    hilang, ada = one(run, MAR, "lanjut_hilang"), one(run, MAR, "lanjut_ada")
    assert one(run, FEB, "lanjut_hilang")["ct"] == one(run, FEB, "lanjut_ada")["ct"] == 5
    assert (hilang["ct"], hilang["tk"]) == (0, 2)
    assert (ada["ct"], ada["tk"]) == (2, 0)
    found = run.query(
        "select * from temuan where kode = 'KETIDAKHADIRAN_LANJUTAN_TIDAK_ADA' order by nip"
    )
    assert [(f["periode"], f["nip"], f["tingkat"]) for f in found] == [
        (MAR, P["lanjut_hilang"].nip, "WARN")
    ]
    [f] = found
    assert f["source_file"] == "ketidakhadiran_202502.csv"
    assert "2 hari kerja (3 Mar 2025 s.d. 4 Mar 2025)" in f["pesan"], f["pesan"]


def test_a_transfer_between_patterns_paid_over_a_whole_month_is_a_warning(run):
    """tpp-rules §5 with jadwal.md §5: the teacher's ASAL segment (SEKOLAH, 1-11 March) is
    pro-rated by March's school days, the UTAMA one (KANTOR from 12 March) by its office days:
    together more than one month's basis. Paid as the rules say, with one WARN saying by how
    much; the people who transfer within one pattern get none."""
    segments = rows(run, MAR, "mutasi_guru")
    assert [r["pola_kerja"] for r in segments] == ["SEKOLAH", "KANTOR"]
    sekolah, kantor = _school_days(MAR), working_days(MAR)
    before = [d for d in sekolah if d < D(2025, 3, 12)]
    after = [d for d in kantor if d >= D(2025, 3, 12)]
    assert [(r["hari_efektif"], r["hari_kerja"]) for r in segments] == [
        (len(before), len(sekolah)),
        (len(after), len(kantor)),
    ]
    share = Fraction(len(before), len(sekolah)) + Fraction(len(after), len(kantor))
    assert share > 1
    found = run.query("select * from temuan where kode = 'PRORATA_LEBIH_DARI_SEBULAN'")
    assert [(f["periode"], f["nip"], f["kode_opd"]) for f in found] == [
        (MAR, P["mutasi_guru"].nip, "4.01.01")
    ]
    percent = f"{round(float(share * 100), 1):.1f}".replace(".", ",")
    assert f"dibayar {percent} % dari basis sebulan penuh" in found[0]["pesan"], found[0]["pesan"]
