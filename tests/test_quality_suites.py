"""Great Expectations suites: each passes clean data and catches planted defects."""

from __future__ import annotations

import datetime as dt
import sys

import polars as pl
import pytest

from quality.outcome import ERROR, WARN
from quality.suites import NIP_REGEX, raw_suite, suite_for
from tests.support.quality_sample import sample_month, sample_roster

P = "2025-03"
ANI = "199008152016011005"


@pytest.fixture(scope="module")
def month() -> dict[str, pl.DataFrame]:
    return {**sample_month(P), "jadwal": sample_roster(P)}


def _run(asset: str, frame: pl.DataFrame) -> dict[str, object]:
    from quality.validate import run_suite

    return {o.severity: o for o in run_suite(suite_for(asset, P), frame)}


def _failed_columns(outcome) -> set[str]:
    return {f["kolom"] for f in outcome.details["gagal"]}


def _line(frame: pl.DataFrame, line_no: int, **values) -> pl.DataFrame:
    return frame.with_columns(
        [
            pl.when(pl.col("line_no") == line_no).then(pl.lit(v)).otherwise(pl.col(c)).alias(c)
            for c, v in values.items()
        ]
    )


def test_importing_the_quality_package_does_not_import_great_expectations():
    import subprocess

    code = (
        "import sys, quality.suites, quality.validate, quality.runner, quality.alerts; "
        "print('great_expectations' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


ASSETS = [
    "raw/pegawai",
    "raw/absensi",
    "raw/ketidakhadiran",
    "raw/kinerja",
    "raw/aktivitas",
    "raw/jadwal",
    "tpp_bulanan",
    "tpp_opd_bulanan",
    "tpp_harian",
    "temuan",
    "karantina",
]
SOURCE = {a: a.removeprefix("raw/") for a in ASSETS}


@pytest.mark.parametrize("asset", ASSETS)
def test_clean_data_passes_every_suite(month, asset):
    out = _run(asset, month[SOURCE[asset]])
    assert out, asset
    for outcome in out.values():
        assert outcome.passed, outcome.details
        assert outcome.check.startswith(f"gx_{asset.replace('/', '_')}")
        assert outcome.description.startswith("Semua")
    # only the analytics-only source has no blocking suite
    assert (ERROR in out) == (asset != "raw/aktivitas")


def test_raw_pegawai_catches_duplicate_nip_bad_golongan_and_class(month):
    peg = month["pegawai"]
    dup = peg.filter(pl.col("line_no") == 2).with_columns(pl.lit(99, pl.Int32).alias("line_no"))
    bad = pl.concat([peg, dup])
    bad = _line(bad, 3, golongan="IX")  # a CPNS with a PPPK golongan
    bad = _line(bad, 4, kelas_jabatan=18)
    bad = _line(bad, 5, aktif_sampai=dt.date(2014, 1, 1))  # before tmt_opd: WARN only
    out = _run("raw/pegawai", bad)
    assert not out[ERROR].passed
    assert {"nip", "_golongan_sesuai_status", "kelas_jabatan"} <= _failed_columns(out[ERROR])
    nip_fail = next(f for f in out[ERROR].details["gagal"] if f["kolom"] == "nip")
    assert nip_fail["n_gagal"] == 2
    assert {r["line_no"] for r in nip_fail["contoh_baris"]} == {2, 99}  # where to look
    assert not out[WARN].passed and "aktif_sampai,tmt_opd" in _failed_columns(out[WARN])


def test_raw_pegawai_empty_or_missing_column_is_an_error(month):
    empty = month["pegawai"].clear()
    assert not _run("raw/pegawai", empty)[ERROR].passed
    out = _run("raw/pegawai", month["pegawai"].drop("tmt_opd"))
    assert not out[ERROR].passed


def test_raw_absensi_catches_other_month_tap_invalid_nip_and_missing_position(month):
    bad = _line(month["absensi"], 2, waktu=dt.datetime(2025, 4, 1, 7, 30))
    bad = _line(bad, 3, nip="199008152016013005")  # sex digit 3
    bad = _line(bad, 4, metode="MOBILE")  # MOBILE without lat/lon: WARN
    out = _run("raw/absensi", bad)
    assert {"_bulan_waktu", "nip"} <= _failed_columns(out[ERROR])
    assert out[ERROR].n_failed == 2
    assert "_lokasi_mobile" in _failed_columns(out[WARN])


def test_raw_ketidakhadiran_catches_reversed_and_foreign_ranges(month):
    row = month["ketidakhadiran"].row(0, named=True)
    extra = pl.DataFrame(
        [
            {**row, "line_no": 3, "mulai": dt.date(2025, 3, 10), "selesai": dt.date(2025, 3, 5)},
            {**row, "line_no": 4, "mulai": dt.date(2025, 5, 1), "selesai": dt.date(2025, 5, 2)},
        ],
        schema=month["ketidakhadiran"].schema,
    )
    out = _run("raw/ketidakhadiran", pl.concat([month["ketidakhadiran"], extra]))
    assert {"selesai,mulai", "_menyentuh_bulan"} <= _failed_columns(out[ERROR])


def test_raw_kinerja_catches_unknown_status_and_double_final(month):
    kin = month["kinerja"]
    again = kin.filter(pl.col("nip") == ANI).with_columns(pl.lit(50, pl.Int32).alias("line_no"))
    bad = _line(pl.concat([kin, again]), 3, status="SELESAI")
    out = _run("raw/kinerja", bad)
    assert "status" in _failed_columns(out[ERROR])
    assert "_nip_final" in _failed_columns(out[WARN])  # two FINAL evaluations: WARN


def test_raw_aktivitas_catches_duration_and_date(month):
    bad = _line(month["aktivitas"], 2, durasi_menit=721)
    bad = _line(bad, 3, tanggal=dt.date(2025, 2, 28))
    out = _run("raw/aktivitas", bad)
    # analytics only: reported, never blocking payroll
    assert ERROR not in out
    assert {"durasi_menit", "_bulan_tanggal"} <= _failed_columns(out[WARN])


def test_raw_jadwal_catches_other_month_invalid_nip_and_empty_code(month):
    roster = month["jadwal"]
    assert roster.height == 31 and set(roster["kode_shift"]) == {"PAGI", "SIANG", "MALAM", "LIBUR"}
    bad = _line(roster, 2, tanggal=dt.date(2025, 4, 1))
    bad = _line(bad, 3, nip="199203112019033003")  # sex digit 3
    bad = _line(bad, 4, kode_shift=None)
    bad = _line(bad, 5, kode_shift=" pagi")  # the ingest stores codes trimmed, upper case: WARN
    out = _run("raw/jadwal", bad)
    # the roster decides a SHIFT employee's working days: its contract rules block
    assert {"_bulan_tanggal", "nip", "kode_shift"} <= _failed_columns(out[ERROR])
    assert out[ERROR].n_failed == 3
    assert _failed_columns(out[WARN]) == {"_kode_shift_baku"}
    # two different rows for one day are the dbt layer's (JADWAL_GANDA), not a raw defect
    other = roster.head(1).with_columns(
        pl.lit("MALAM").alias("kode_shift"), pl.lit(40, pl.Int32).alias("line_no")
    )
    twice = pl.concat([roster, other])
    assert all(o.passed for o in _run("raw/jadwal", twice).values())
    from quality.validate import run_suite

    assert all(o.passed for o in run_suite(suite_for("raw/jadwal", P), roster, always_gx=True))


def test_tpp_bulanan_suite_catches_domain_errors(month):
    tpp = month["tpp_bulanan"]
    bad = tpp.with_columns(
        pl.when(pl.col("nip") == ANI)
        .then(pl.col("hari_kerja") + 1)
        .otherwise(pl.col("hari_efektif"))
        .alias("hari_efektif"),
        pl.when(pl.col("nip") == ANI)
        .then(pl.lit(-5))
        .otherwise(pl.col("iuran_bpjs"))
        .alias("iuran_bpjs"),
    )
    out = _run("tpp_bulanan", bad)
    assert {"hari_kerja,hari_efektif", "iuran_bpjs"} <= _failed_columns(out[ERROR])
    assert out[ERROR].kode_opd == ("1.02.01",)  # located by nip/kode_opd
    assert not _run("tpp_bulanan", tpp.drop("aturan_versi"))[ERROR].passed


def test_mart_suites_catch_planted_defects(month):
    opd = month["tpp_opd_bulanan"]
    assert not _run("tpp_opd_bulanan", pl.concat([opd, opd.head(1)]))[ERROR].passed
    harian = month["tpp_harian"]
    twice = pl.concat([harian, harian.head(1)])
    assert "nip,tanggal" in _failed_columns(_run("tpp_harian", twice)[ERROR])
    temuan = month["temuan"].with_columns(pl.lit("INFO").alias("tingkat"))
    assert "tingkat" in _failed_columns(_run("temuan", temuan)[ERROR])
    karantina = month["karantina"].with_columns(pl.lit("gaji").alias("kind"))
    assert "kind" in _failed_columns(_run("karantina", karantina)[ERROR])


def test_nip_pattern():
    import re

    assert re.match(NIP_REGEX, "199008152016011005")
    for bad in (
        "19900815201601100",
        "199013152016011005",
        "199008152016013005",
        "1990081520160110051",
        "19900815201601100X",
    ):
        assert not re.match(NIP_REGEX, bad), bad


def test_suite_names_and_severities():
    suite = raw_suite("kinerja", P)
    assert suite.asset == "raw/kinerja" and suite.severities == (ERROR, WARN)
    assert suite_for("tpp_bulanan", P).locate == ("nip", "kode_opd")


def test_duplicates_found_through_row_hashes_as_polars_finds_them():
    import random

    from quality.validate import _has_duplicates

    rng = random.Random(21)
    schema = {"nip": pl.String, "tanggal": pl.Date, "n": pl.Int64}
    for _ in range(300):
        k = rng.randint(0, 12)
        rows = {
            "nip": [rng.choice(["1", "2", "", None]) for _ in range(k)],
            "tanggal": [
                rng.choice([dt.date(2025, 3, 1), dt.date(2025, 3, 2), None]) for _ in range(k)
            ],
            "n": [rng.choice([1, 2, None]) for _ in range(k)],
        }
        frame = pl.DataFrame(rows, schema=schema)
        for columns in (["nip"], ["nip", "tanggal"], ["nip", "tanggal", "n"]):
            part = frame.select(columns)
            assert _has_duplicates(part) == part.is_duplicated().any(), part
