"""A period whose year the project's calendar does not know is not paid from.

sources.md, Calendar: the national holidays, cuti bersama and Ramadan of each year are reference
data the project ships and an operator extends. The seeds hold 2024-2026. Without a year's
holidays every holiday would be a working day (TK for everyone on New Year's Day), without its
Ramadan the Ramadan hours would be missed: silently wrong pay. January 2027 must therefore be
blocked by an ERROR finding that says which year and which file, while December 2026 is computed
as usual.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from tpp_fixtures import OPD, Pegawai, RawZone, Taps, dbt_build, kinerja, nip

from quality.payroll import check_no_error_findings

DES, JAN = "2026-12", "2027-01"
P = Pegawai(
    nip("19880808", "201301", 2, 7),
    "Maria Goreti Lake",
    "PNS",
    "III/c",
    8,
    "4.01.01",
    dt.date(2013, 1, 1),
)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    data = tmp_path_factory.mktemp("kalender")
    z = RawZone(data)
    for periode in (DES, JAN):
        z.add("pegawai", periode, **P.row())
        kinerja(z, periode, P.nip, "SESUAI", "SESUAI", "BAIK")
    taps = {DES: Taps(z, DES), JAN: Taps(z, JAN)}
    for d in (dt.date(2026, 12, 31), dt.date(2027, 1, 4)):
        taps[d.strftime("%Y-%m")].normal(P.nip, d)
    z.write()
    result = dbt_build(data, extra=["--exclude-resource-type", "unit_test"])
    assert result.success, "\n".join(result.failures)
    return result


def test_a_year_without_calendar_is_an_error_finding_that_blocks_the_period(run):
    temuan = pl.DataFrame(run.query("select * from temuan where kode = 'KALENDER_TIDAK_ADA'"))
    assert temuan["periode"].to_list() == [JAN]
    r = temuan.row(0, named=True)
    assert r["tingkat"] == "ERROR"
    assert "Kalender tahun 2027 belum ada (libur nasional, cuti bersama dan Ramadan)" in r["pesan"]
    assert "kalender_libur.csv" in r["pesan"] and "kalender_ramadan.csv" in r["pesan"]

    semua = pl.DataFrame(run.query("select * from temuan"))
    blok = check_no_error_findings(semua, JAN)
    assert not blok.passed
    assert "Pertama: Kalender tahun 2027 belum ada" in blok.description  # what the operator reads
    assert check_no_error_findings(semua, DES).passed


def test_the_known_year_is_computed_with_its_holidays(run):
    des = run.query("select * from tpp_bulanan where periode = ?", [DES])
    assert len(des) == 1 and des[0]["kode_opd"] in OPD
    # December 2026: 23 weekdays less Christmas and its cuti bersama (24, 25 Dec) = 21
    assert des[0]["hari_kerja"] == 21
