"""How the app writes money, numbers, dates, times and NIPs."""

import datetime as dt
from decimal import Decimal

from app import format as fmt


def test_rupiah_whole_rupiah_with_dot_thousands():
    assert fmt.rupiah(4_324_000) == "Rp 4.324.000"
    assert fmt.rupiah(0) == "Rp 0"
    assert fmt.rupiah(999) == "Rp 999"
    assert fmt.rupiah(Decimal("4194280")) == "Rp 4.194.280"
    assert fmt.rupiah(-160_480) == "-Rp 160.480"
    assert fmt.rupiah(1234.5) == "Rp 1.235"  # half up
    assert fmt.rupiah(None) == fmt.KOSONG


def test_rupiah_ringkas_uses_indonesian_units():
    assert fmt.rupiah_ringkas(68_312_000_000) == "Rp 68,3 M"
    assert fmt.rupiah_ringkas(921_330_300) == "Rp 921,3 jt"
    assert fmt.rupiah_ringkas(4_500) == "Rp 4.500"


def test_numbers_and_percentages_use_decimal_comma():
    assert fmt.angka(15794) == "15.794"
    assert fmt.angka(92.5, 1) == "92,5"
    assert fmt.angka(100.0, 2) == "100"
    assert fmt.angka(1234.56, 2) == "1.234,56"
    assert fmt.persen(92.5) == "92,5%"
    assert fmt.persen(Decimal("96.7400"), 2) == "96,74%"
    assert fmt.angka(None) == fmt.KOSONG


def test_dates_periods_and_times():
    assert fmt.tanggal(dt.date(2026, 11, 29)) == "29 Nov 2026"
    assert fmt.tanggal("2025-08-05") == "5 Agu 2025"
    assert fmt.tanggal_hari(dt.date(2025, 3, 3)) == "Senin, 3 Mar 2025"
    assert fmt.periode("2025-03") == "Maret 2025"
    assert fmt.periode("2025-12", singkat=True) == "Des 2025"
    assert fmt.jam(dt.datetime(2025, 3, 3, 7, 42, 59)) == "07:42"
    assert fmt.jam(dt.datetime(2025, 3, 3, 7, 42), wita=True) == "07:42 WITA"
    utc = dt.datetime(2026, 11, 29, 5, 5, tzinfo=dt.UTC)
    assert fmt.waktu(utc) == "29 Nov 2026 13:05 WITA"
    assert fmt.waktu_iso("2026-11-29T13:05:10+08:00") == "29 Nov 2026 13:05 WITA"


def test_nip_is_displayed_in_four_groups():
    assert fmt.nip("199008152016011005") == "19900815 201601 1 005"
    assert fmt.nip("19900815 201601 1 005") == "19900815 201601 1 005"
    assert fmt.nip("12345") == "12345"
    assert fmt.nip(None) == fmt.KOSONG


def test_codes_and_predikat_have_readable_names():
    assert fmt.predikat("BUTUH_PERBAIKAN") == "Butuh Perbaikan"
    assert fmt.predikat(None) == "Tanpa penilaian"
    assert fmt.kode("TL2") == "Terlambat 31–60 menit"
