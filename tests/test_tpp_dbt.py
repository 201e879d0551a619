"""The dbt project end to end: a small realistic raw zone, one ``dbt build``, the TPP checked
row by row with exact arithmetic (tpp-rules §8 worked examples, transfers, CLTN, quarantine,
findings), and a second build that switches the rulebook to the ``kementerian-2024`` preset for
one month only.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import duckdb
import polars as pl
import pytest
from tpp_fixtures import (
    AMOUNTS,
    EXPECTED_DISIPLIN,
    FEB,
    KEMENTERIAN,
    MAR,
    NIP_GANDA,
    UNKNOWN,
    P,
    amounts,
    build_scenario,
    copy_data,
    dbt_build,
    hitung_tpp,
)

# tpp-rules §7: the finance table has at least these columns
KOLOM_7 = [
    "periode",
    "nip",
    "nama",
    "kode_opd",
    "status",
    "golongan",
    "kelas_jabatan",
    "hari_kerja",
    "hari_efektif",
    "hadir",
    "tk",
    "tl1",
    "tl2",
    "tl3",
    "tl4",
    "psw1",
    "psw2",
    "psw3",
    "psw4",
    "predikat",
    "persen_kinerja",
    "persen_disiplin",
    "tpp_basis",
    "tpp_kinerja",
    "tpp_disiplin",
    "tpp_bruto",
    "pph21",
    "iuran_bpjs",
    "tpp_neto",
    "aturan_versi",
]

DEFAULT_BASIS = {
    1: 1750000,
    2: 1900000,
    3: 2100000,
    4: 2350000,
    5: 2650000,
    6: 3000000,
    7: 3400000,
    8: 3900000,
    9: 4600000,
    10: 5300000,
    11: 6100000,
    12: 7200000,
    13: 8500000,
    14: 11000000,
    15: 14500000,
    16: 19000000,
    17: 25000000,
}
KEMENTERIAN_BASIS = dict(
    enumerate(
        [
            1968000,
            2089000,
            2216000,
            2350000,
            2493000,
            2702000,
            2928000,
            3319000,
            3781000,
            4551000,
            5361000,
            7271000,
            8757000,
            11670000,
            14721000,
            20695000,
            33240000,
        ],
        start=1,
    )
)


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    data = tmp_path_factory.mktemp("kinerja_data")
    build_scenario(data)
    # as the Dagster side calls it: one build over the partition range, unit tests included
    result = dbt_build(data, vars={"periode_mulai": FEB, "periode_sampai": MAR})
    assert result.success, "\n".join(result.failures)
    return result


@pytest.fixture(scope="session")
def preset_run(run, tmp_path_factory):
    """The same warehouse, March rebuilt with the ministry-style preset (February untouched)."""
    data = copy_data(run.data, tmp_path_factory.mktemp("kinerja_preset"))
    result = dbt_build(
        data,
        vars={"aturan_versi": "kementerian-2024", "periode_mulai": MAR, "periode_sampai": MAR},
        extra=["--exclude-resource-type", "unit_test"],
    )
    assert result.success, "\n".join(result.failures)
    return result


def rows(run, periode: str, key: str | None = None, nip: str | None = None) -> list[dict]:
    nip = nip or P[key].nip
    return run.query(
        "select * from tpp_bulanan where periode = ? and nip = ? order by segmen desc, kode_opd",
        [periode, nip],
    )


def one(run, periode: str, key: str) -> dict:
    found = rows(run, periode, key)
    assert len(found) == 1, found
    return found[0]


# ----------------------------------------------------------------------------------------------
# tpp-rules §8: the four worked examples, to the rupiah


def test_contoh_1_pns_iii_b_kelas_9_penuh_baik(run):
    r = one(run, MAR, "contoh1")
    assert (r["status"], r["golongan"], r["kelas_jabatan"], r["predikat"]) == (
        "PNS",
        "III/b",
        9,
        "BAIK",
    )
    assert r["hari_efektif"] == r["hari_kerja"] == 19
    assert amounts(r) == {
        "tpp_basis": 4_600_000,
        "tpp_kinerja": 2_760_000,
        "tpp_disiplin": 1_840_000,
        "tpp_bruto": 4_600_000,
        "pph21": 230_000,
        "iuran_bpjs": 46_000,
        "tpp_neto": 4_324_000,
    }


def test_contoh_2_dua_tk_satu_tl2_satu_psw1(run):
    r = one(run, MAR, "contoh2")
    assert (r["tk"], r["tl2"], r["psw1"]) == (2, 1, 1)
    assert r["persen_disiplin"] == Decimal("92.5")
    assert amounts(r) == {
        "tpp_basis": 4_600_000,
        "tpp_kinerja": 2_760_000,
        "tpp_disiplin": 1_702_000,
        "tpp_bruto": 4_462_000,
        "pph21": 223_100,
        "iuran_bpjs": 44_620,
        "tpp_neto": 4_194_280,
    }


def test_contoh_3_cpns_ii_c_butuh_perbaikan_dari_matriks(run):
    r = one(run, MAR, "contoh3")
    assert (r["status"], r["golongan"], r["kelas_jabatan"]) == ("CPNS", "II/c", 6)
    # the source says BAIK; the matrix (DI_BAWAH x SESUAI) says BUTUH_PERBAIKAN, which counts
    assert (r["predikat"], r["predikat_sumber"], r["persen_kinerja"]) == (
        "BUTUH_PERBAIKAN",
        "BAIK",
        Decimal("75"),
    )
    assert amounts(r) == {
        "tpp_basis": 2_400_000,
        "tpp_kinerja": 1_080_000,
        "tpp_disiplin": 960_000,
        "tpp_bruto": 2_040_000,
        "pph21": 0,
        "iuran_bpjs": 20_400,
        "tpp_neto": 2_019_600,
    }


def test_contoh_4_tanpa_penilaian_final(run):
    r = one(run, MAR, "contoh4")  # only a DRAFT evaluation in March
    assert r["tanpa_penilaian"] is True and r["predikat"] is None
    assert r["persen_kinerja"] == 0 and r["tpp_kinerja"] == 0
    assert r["tpp_disiplin"] == 2_880_000  # 7,200,000 x 40 %: disiplin is paid
    assert amounts(r) == hitung_tpp(7_200_000, "PNS", "IV/a", 19, 19, 0, 100)


# ----------------------------------------------------------------------------------------------
# Every row, recomputed exactly from its own days and percentages


def test_setiap_baris_sama_dengan_hitungan_pecahan_eksak(run):
    all_rows = run.query("select * from tpp_bulanan order by periode, nip, kode_opd")
    assert len(all_rows) == 31
    for r in all_rows:
        expected = hitung_tpp(
            DEFAULT_BASIS[r["kelas_jabatan"]],
            r["status"],
            r["golongan"],
            r["hari_efektif"],
            r["hari_kerja"],
            Fraction(r["persen_kinerja"]),
            Fraction(r["persen_disiplin"]),
        )
        assert amounts(r) == expected, (r["periode"], r["nip"], r["kode_opd"])
        assert r["aturan_versi"] == "default-2024"
        assert r["persen_disiplin"] == max(Decimal(0), 100 - r["jumlah_poin"])


def test_kontrak_kolom_dan_tipe(run):
    cols = {
        r["column_name"]: r["data_type"]
        for r in run.query(
            "select column_name, data_type from information_schema.columns "
            "where table_name = 'tpp_bulanan'"
        )
    }
    assert set(KOLOM_7) <= set(cols)
    assert cols["periode"] == cols["nip"] == cols["aturan_versi"] == "VARCHAR"
    for c in AMOUNTS:
        assert cols[c] == "BIGINT", c
    assert cols["persen_kinerja"].startswith("DECIMAL") and cols["persen_disiplin"].startswith(
        "DECIMAL"
    )
    assert cols["tanpa_penilaian"] == "BOOLEAN"
    dup = run.query(
        "select periode, nip, kode_opd, count(*) n from tpp_bulanan group by all having n > 1"
    )
    assert dup == []


# ----------------------------------------------------------------------------------------------
# Days and discipline


@pytest.mark.parametrize(("key", "periode"), sorted(EXPECTED_DISIPLIN))
def test_disiplin_per_pegawai(run, key, periode):
    he, persen, counts = EXPECTED_DISIPLIN[(key, periode)]
    r = one(run, periode, key)
    assert r["hari_efektif"] == he
    assert r["persen_disiplin"] == Decimal(persen.numerator) / Decimal(persen.denominator)
    for c in ("tk", "tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4", "ct", "dl", "izin"):
        assert r[c] == counts.get(c, 0), c


def test_tpp_harian_menjelaskan_tepi_sampai_baris_tap(run):
    nip = P["tepi"].nip
    days = {
        str(r["tanggal"]): r
        for r in run.query("select * from tpp_harian where nip = ? and periode = ?", [nip, FEB])
    }
    expect = {  # date: (kode_datang, menit_terlambat, kode_pulang, menit_pulang_cepat)
        "2025-02-03": (None, 0, None, 0),  # 07:30:59 on time
        "2025-02-04": ("TL1", 30, None, 0),  # 08:00:59
        "2025-02-05": ("TL2", 31, None, 0),  # 08:01:00
        "2025-02-06": (None, 0, "PSW4", 240),  # no jenis: 07:25 in, 12:00:00 out
        "2025-02-07": (None, 0, "PSW1", 30),  # no jenis: 11:59:59 is an arrival; Friday 16:30
        "2025-02-10": (None, 0, "PSW4", None),  # only a check-in
        "2025-02-11": ("TL4", None, None, 0),  # only a check-out
        "2025-02-12": (None, 0, None, 0),  # earliest arrival, latest departure
        "2025-02-13": (None, 0, None, 0),  # 15:59:01: 59 seconds are 0 minutes
        "2025-02-14": (None, 0, "PSW4", 91),  # Friday 14:59 -> 91 minutes
        "2025-02-18": ("TL4", 330, None, 0),  # jenis MASUK at 13:00 is an arrival
        "2025-02-19": (None, 0, "PSW4", 420),  # jenis PULANG at 09:00 is a departure
    }
    for d, (kd, mt, kp, mp) in expect.items():
        r = days[d]
        assert r["kode_hari"] == "HADIR", d
        assert (
            r["kode_datang"],
            r["menit_terlambat"],
            r["kode_pulang"],
            r["menit_pulang_cepat"],
        ) == (kd, mt, kp, mp), d
    assert days["2025-02-17"]["jumlah_tap"] == 2  # an exact re-sent duplicate counts once
    # the line numbers point at the very taps of the raw zone
    raw = pl.read_parquet(run.data / "raw" / "absensi" / f"{FEB}.parquet")
    r = days["2025-02-04"]
    tap = raw.filter(pl.col("line_no") == r["baris_datang"]).row(0, named=True)
    assert tap["nip"] == nip and tap["waktu"] == r["waktu_datang"]
    assert r["sumber_absensi"] == "absensi_202502.csv"
    assert (r["jam_masuk"], r["jam_pulang"], r["ramadan"]) == ("07:30:00", "16:00:00", False)
    # Ramadan hours in March, Friday 15:30
    mar = {
        str(x["tanggal"]): x
        for x in run.query("select * from tpp_harian where nip = ? and periode = ?", [nip, MAR])
    }
    assert (mar["2025-03-07"]["jam_masuk"], mar["2025-03-07"]["jam_pulang"]) == (
        "08:00:00",
        "15:30:00",
    )
    assert (mar["2025-03-03"]["kode_datang"], mar["2025-03-03"]["menit_terlambat"]) == ("TL1", 30)
    assert (mar["2025-03-04"]["kode_datang"], mar["2025-03-04"]["menit_terlambat"]) == ("TL2", 31)
    assert mar["2025-03-07"]["kode_pulang"] == "PSW1"
    assert mar["2025-03-10"]["kode_pulang"] is None  # 15:00 on a Ramadan Monday is on time
    assert "2025-03-28" not in mar and "2025-03-31" not in mar  # cuti bersama, Idul Fitri


def test_ketidakhadiran_menimpa_tap_dan_prioritas(run):
    nip = P["absen"].nip
    d = {
        str(r["tanggal"]): r
        for r in run.query("select * from tpp_harian where nip = ? and periode = ?", [nip, MAR])
    }
    assert d["2025-03-05"]["kode_hari"] == "HADIR"  # IZIN DITOLAK does not count
    assert (d["2025-03-06"]["kode_hari"], d["2025-03-06"]["poin"]) == ("IZIN", 1)  # overrides taps
    assert d["2025-03-06"]["nomor_surat"] == "800/IZIN/0306/DISDIK/2025"
    assert d["2025-03-06"]["jumlah_tap"] == 2 and d["2025-03-06"]["kode_datang"] is None
    assert d["2025-03-07"]["kode_hari"] == "TK"  # CS only submitted (DIAJUKAN)
    assert [d[f"2025-03-{x}"]["kode_hari"] for x in (10, 11, 12, 13)] == ["CT", "CT", "CT", "DL"]
    assert d["2025-03-11"]["kode_absen_semua"] == "CT,DL" and d["2025-03-11"]["jumlah_absen"] == 2


# ----------------------------------------------------------------------------------------------
# Which rows exist (§7): transfers, CLTN, retirement, new hires


def test_mutasi_dua_baris_dengan_snapshot_sebelumnya(run):
    by_segmen = {r["segmen"]: r for r in rows(run, MAR, "mutasi")}
    assert set(by_segmen) == {"ASAL", "UTAMA"}
    asal, utama = by_segmen["ASAL"], by_segmen["UTAMA"]
    assert (utama["segmen"], utama["kode_opd"], utama["status"], utama["kelas_jabatan"]) == (
        "UTAMA",
        "4.01.01",
        "PNS",
        8,
    )
    assert (asal["segmen"], asal["kode_opd"], asal["status"], asal["kelas_jabatan"]) == (
        "ASAL",
        "1.02.01",
        "CPNS",
        7,
    )
    assert (asal["hari_efektif"], utama["hari_efektif"]) == (10, 9)  # 3-14 March / 17-27 March
    assert asal["predikat"] == utama["predikat"] == "BAIK"  # one evaluation for both rows
    assert amounts(asal) == hitung_tpp(3_400_000, "CPNS", "III/a", 10, 19, 100, 100)
    assert amounts(utama) == hitung_tpp(3_900_000, "PNS", "III/a", 9, 19, 100, 100)
    assert asal["tpp_kinerja"] == 858_947  # 2,720,000 x 10/19 x 60 % = 858,947.37
    assert asal["basis_efektif"] == Decimal("1431578.9473684211")
    assert asal["tanggal_selesai"].isoformat() == "2025-03-16"
    assert utama["tanggal_mulai"].isoformat() == "2025-03-17"


def test_cltn_sebulan_tetap_punya_baris_nol(run):
    r = one(run, MAR, "cltn")
    assert (r["hari_kerja"], r["hari_efektif"], r["cltn"]) == (19, 0, 19)
    assert all(r[k] == 0 for k in AMOUNTS if k != "tpp_basis")
    feb = one(run, FEB, "cltn")  # CLTN from 17 February: 10 of 20 days effective
    assert (feb["hari_efektif"], feb["cltn"]) == (10, 10)
    assert amounts(feb) == hitung_tpp(3_900_000, "PNS", "III/c", 10, 20, 100, 100)


def test_pensiun_dan_pegawai_baru(run):
    feb = one(run, FEB, "pensiun")  # aktif_sampai 20 February
    assert (feb["hari_efektif"], feb["hari_kerja"]) == (14, 20)
    assert rows(run, MAR, "pensiun") == []
    baru = one(run, MAR, "baru")  # new in March, tmt_opd 10 March
    assert (baru["hari_efektif"], baru["hari_kerja"], baru["status"]) == (14, 19, "CPNS")
    assert amounts(baru) == hitung_tpp(2_100_000, "CPNS", "II/a", 14, 19, 100, 100)
    assert rows(run, FEB, "baru") == []


def test_penilaian_final_terbaru_dan_seri(run):
    assert one(run, MAR, "ganda_final")["predikat"] == "BAIK"  # latest date, earlier line
    assert one(run, MAR, "tie_final")["predikat"] == "KURANG"  # same date, later line
    assert one(run, MAR, "pppk8")["predikat"] == "SANGAT_BAIK"


def test_pajak_pppk(run):
    assert (one(run, MAR, "pppk8")["pph21"], one(run, MAR, "pppk9")["pph21"]) == (0, 195_000)
    assert one(run, MAR, "pppk13")["pph21"] == 1_080_000  # 15 % of 7,200,000


# ----------------------------------------------------------------------------------------------
# Quarantine and findings


def test_nip_tidak_dikenal_dikarantina_dan_tidak_sampai_tpp(run):
    q = run.query(
        "select * from karantina where kode_alasan = 'NIP_TIDAK_DIKENAL' order by kind, line_no"
    )
    got = {(r["kind"], r["nilai"]) for r in q}
    assert got == {
        ("absensi", UNKNOWN),
        ("ketidakhadiran", UNKNOWN),
        ("kinerja", UNKNOWN),
        ("aktivitas", UNKNOWN),
        ("absensi", NIP_GANDA),
    }
    assert sum(1 for r in q if r["kind"] == "absensi" and r["nilai"] == UNKNOWN) == 2
    for r in q:
        assert r["kolom"] == "nip" and r["periode"] == MAR and r["line_no"] > 1
        assert r["source_file"] == f"{r['kind']}_202503.csv"
        assert "tidak dipakai untuk perhitungan TPP" in r["alasan"]
    # the ingest's file-level quarantine is carried as is
    assert {r["kode_alasan"] for r in run.query("select * from karantina")} == {
        "NIP_TIDAK_DIKENAL",
        "NIP_GANDA",
        "KOLOM_HILANG",
        "TANGGAL_TIDAK_VALID",
    }
    for table in ("tpp_bulanan", "tpp_harian"):
        assert run.query(f"select * from {table} where nip in (?, ?)", [UNKNOWN, NIP_GANDA]) == []


def test_temuan(run):
    t = run.query("select * from temuan")
    got = {(r["periode"], r["tingkat"], r["kode"], r["nip"]) for r in t}
    expected = {
        (MAR, "WARN", "ABSEN_TUMPANG_TINDIH", P["absen"].nip),
        (MAR, "WARN", "PENILAIAN_FINAL_GANDA", P["ganda_final"].nip),
        (MAR, "WARN", "PENILAIAN_FINAL_GANDA", P["tie_final"].nip),
        (MAR, "WARN", "PREDIKAT_TIDAK_SESUAI_MATRIKS", P["contoh3"].nip),
        (MAR, "WARN", "PENILAI_SAMA_DENGAN_DINILAI", P["self"].nip),
        (MAR, "WARN", "PEGAWAI_TIDAK_AKTIF", P["pensiun"].nip),
        (MAR, "ERROR", "NIP_GANDA", NIP_GANDA),
        (MAR, "WARN", "PEGAWAI_DIKARANTINA", None),
        (MAR, "WARN", "TANPA_PENILAIAN", P["contoh4"].nip),
        (MAR, "WARN", "TANPA_PENILAIAN", P["cltn"].nip),
    }
    assert expected <= got
    assert {k for (_, _, k, _) in got} <= {k for (_, _, k, _) in expected}
    ganda = [r for r in t if r["kode"] == "NIP_GANDA"]
    assert sorted(r["line_no"] for r in ganda) == [18, 19]
    for r in t:
        assert r["pesan"] and r["pesan"].endswith(".")
    overlap = next(r for r in t if r["kode"] == "ABSEN_TUMPANG_TINDIH")
    assert (
        overlap["source_file"] == "ketidakhadiran_202503.csv" and "berlaku CT" in overlap["pesan"]
    )


def test_ringkasan_opd_sama_dengan_jumlah_baris(run):
    opd = run.query("select * from tpp_opd_bulanan order by periode, kode_opd")
    det = run.query(
        "select periode, kode_opd, count(*) n, sum(tpp_neto) neto, sum(tpp_bruto) bruto "
        "from tpp_bulanan group by all order by periode, kode_opd"
    )
    assert [
        (r["periode"], r["kode_opd"], r["jumlah_baris"], r["tpp_neto"], r["tpp_bruto"]) for r in opd
    ] == [(r["periode"], r["kode_opd"], r["n"], r["neto"], r["bruto"]) for r in det]


# ----------------------------------------------------------------------------------------------
# The second preset, switched by the dbt var for March only


def test_preset_kementerian_untuk_maret_saja(run, preset_run):
    versions = {
        (r["periode"], r["aturan_versi"])
        for r in preset_run.query("select distinct periode, aturan_versi from tpp_bulanan")
    }
    assert versions == {(FEB, "default-2024"), (MAR, "kementerian-2024")}
    # February is untouched by a March-only run (incremental per period)
    before = run.query("select * from tpp_bulanan where periode = ? order by nip, kode_opd", [FEB])
    after = preset_run.query(
        "select * from tpp_bulanan where periode = ? order by nip, kode_opd", [FEB]
    )
    assert before == after


def test_preset_kementerian_jumlah_eksak(preset_run):
    # dasar_potongan TOTAL, 70/30, its own basis table, bands (16-60 min = TL2/PSW2, 1 point)
    # and TK = 5 points
    c1 = one(preset_run, MAR, "contoh1")
    assert (c1["dasar_potongan"], c1["persen_disiplin"]) == ("TOTAL", 100)
    assert amounts(c1) == hitung_tpp(3_781_000, "PNS", "III/b", 19, 19, 100, 100, KEMENTERIAN)
    c2 = one(preset_run, MAR, "contoh2")  # 2 TK (10) + TL 31 min (1) + PSW 20 min (PSW2, 1)
    assert (c2["tk"], c2["tl2"], c2["psw1"], c2["psw2"]) == (2, 1, 0, 1)
    assert c2["persen_disiplin"] == 88
    assert amounts(c2) == hitung_tpp(3_781_000, "PNS", "III/b", 19, 19, 100, 88, KEMENTERIAN)
    # the discipline cut reaches the kinerja part too
    assert c2["tpp_kinerja"] < c1["tpp_kinerja"]
    c3 = one(preset_run, MAR, "contoh3")  # BUTUH_PERBAIKAN = 80 % in this preset
    assert c3["persen_kinerja"] == 80
    assert amounts(c3) == hitung_tpp(2_702_000, "CPNS", "II/c", 19, 19, 80, 100, KEMENTERIAN)
    tepi = one(preset_run, MAR, "tepi")  # 30 and 31 minutes late, 30 early: all band 2
    assert (tepi["tl1"], tepi["tl2"], tepi["psw2"], tepi["persen_disiplin"]) == (0, 2, 1, 97)
    for r in preset_run.query("select * from tpp_bulanan where periode = ?", [MAR]):
        assert r["aturan_versi"] == "kementerian-2024"
        assert amounts(r) == hitung_tpp(
            KEMENTERIAN_BASIS[r["kelas_jabatan"]],
            r["status"],
            r["golongan"],
            r["hari_efektif"],
            r["hari_kerja"],
            Fraction(r["persen_kinerja"]),
            Fraction(r["persen_disiplin"]),
            KEMENTERIAN,
        ), r["nip"]


def test_data_tests_of_tpp_bulanan_stop_a_wrong_table(run, tmp_path):
    """The invariants of the finance table are dbt data tests (not a second copy in Python):
    each catches its own fault in a copy of the built warehouse — a dropped employee, a
    duplicated row, a net amount off by one rupiah, a percentage above 100."""
    import duckdb

    data = copy_data(run.data, tmp_path / "rusak")
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:
        four = con.execute(
            "select nip, kode_opd from tpp_bulanan where periode = ? and segmen = 'UTAMA' "
            "order by nip, kode_opd limit 4",
            [MAR],
        ).fetchall()
        (hilang, _), (ganda, _), (neto, _), (persen, _) = four
        con.execute("delete from tpp_bulanan where periode = ? and nip = ?", [MAR, hilang])
        con.execute(
            "insert into tpp_bulanan select * from tpp_bulanan where periode = ? and nip = ?",
            [MAR, ganda],
        )
        con.execute(
            "update tpp_bulanan set tpp_neto = tpp_neto + 1 where periode = ? and nip = ?",
            [MAR, neto],
        )
        con.execute(
            "update tpp_bulanan set persen_disiplin = 100.5 where periode = ? and nip = ?",
            [MAR, persen],
        )
    result = dbt_build(
        data,
        vars={"periode_mulai": MAR, "periode_sampai": MAR},
        extra=["--select", "tpp_bulanan", "--resource-type", "test"],
    )
    assert not result.success
    failed = {f.split(":")[0].split(".")[2] for f in result.failures}
    assert "tpp_pegawai_aktif_tidak_hilang" in failed
    assert "tpp_neto_sama_dengan_bruto_dikurangi_potongan" in failed
    assert any(name.startswith("kombinasi_unik_tpp_bulanan") for name in failed), failed
    assert any(name.startswith("rentang_tpp_bulanan_persen_disiplin") for name in failed), failed
    dropped = [f for f in result.failures if "tpp_pegawai_aktif_tidak_hilang" in f]
    assert "Got 1 result" in dropped[0], dropped
    # and the built table as it was passes them all
    clean = dbt_build(
        copy_data(run.data, tmp_path / "utuh"),
        vars={"periode_mulai": MAR, "periode_sampai": MAR},
        extra=["--select", "tpp_bulanan", "--resource-type", "test"],
    )
    assert clean.success, "\n".join(clean.failures)


# ----------------------------------------------------------------------------------------------
# Data tests of the per-period marts judge the run's window (macros/jendela.sql,
# get_where_subquery): the build replaced only those periods


def test_uji_mart_per_periode_hanya_jendela(run, tmp_path):
    data = copy_data(run.data, tmp_path / "uji_jendela")
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:
        # one February day twice in the mart
        con.execute(
            "insert into tpp_harian select * from tpp_harian where periode = ? "
            "order by nip, tanggal limit 1",
            [FEB],
        )
    only_tests = ["--resource-type", "test", "--select", "tpp_harian"]

    def failed(window: dict | None) -> set[str]:
        result = dbt_build(data, vars=window, extra=only_tests)
        return {f.split(":")[0].split(".")[2] for f in result.failures}

    # the generic primary-key test, and the singular test that already read the window only
    caught = {
        "kombinasi_unik_tpp_harian_periode__nip__tanggal",
        "tpp_hari_bulanan_cocok_dengan_harian",
    }
    # March alone: February's rows are not re-tested
    assert failed({"periode_mulai": MAR, "periode_sampai": MAR}) == set()
    # a window holding February, and no window at all (every period), find the duplicate
    assert failed({"periode_mulai": FEB, "periode_sampai": FEB}) == caught
    assert failed(None) == caught


# ----------------------------------------------------------------------------------------------
# The app's metric marts (issue 17): defined once in dbt, checked against the finance tables


def test_mart_aplikasi_sama_dengan_tpp_bulanan(run):
    for periode in (FEB, MAR):
        [(orang,)] = [
            tuple(r.values())
            for r in run.query(
                "select count(distinct nip) from tpp_bulanan where periode = ?", [periode]
            )
        ]
        [(provinsi,)] = [
            tuple(r.values())
            for r in run.query(
                "select sum(jumlah_pegawai_provinsi) from tpp_opd_indikator where periode = ?",
                [periode],
            )
        ]
        assert provinsi == orang
    perhatian = run.query(
        "select * from tpp_perlu_perhatian where periode = ? order by urutan", [MAR]
    )
    assert [r["urutan"] for r in perhatian] == list(range(1, len(perhatian) + 1))
    kunci = [(-r["tk"], r["persen_disiplin"], not r["tanpa_penilaian"]) for r in perhatian]
    assert kunci == sorted(kunci)
    semua = run.query("select * from tpp_bulanan where periode = ?", [MAR])
    assert {(r["nip"], r["kode_opd"]) for r in perhatian} == {
        (r["nip"], r["kode_opd"])
        for r in semua
        if r["tk"] > 0
        or r["persen_disiplin"] < 95
        or r["tanpa_penilaian"]
        or r["persen_kinerja"] < 100
    }


def test_uji_data_mart_aplikasi_menangkap_mart_yang_salah(run, tmp_path):
    data = copy_data(run.data, tmp_path / "aplikasi_rusak")
    with duckdb.connect(str(data / "warehouse.duckdb")) as con:
        # one weekday of one department counts a TK day too many
        kode, hari = con.execute(
            "select kode_opd, hari_iso from tpp_opd_hari where periode = ? "
            "order by kode_opd, hari_iso limit 1",
            [MAR],
        ).fetchone()
        con.execute(
            "update tpp_opd_hari set tk = tk + 1 "
            "where periode = ? and kode_opd = ? and hari_iso = ?",
            [MAR, kode, hari],
        )
    result = dbt_build(
        data,
        vars={"periode_mulai": MAR, "periode_sampai": MAR},
        extra=["--select", "tpp_mart_aplikasi_cocok_dengan_tpp"],
    )
    assert not result.success
    assert any("tpp_mart_aplikasi_cocok_dengan_tpp" in f for f in result.failures), result.failures
