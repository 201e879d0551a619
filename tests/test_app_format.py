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
    assert fmt.rupiah_short(68_312_000_000) == "Rp 68,3 M"
    assert fmt.rupiah_short(921_330_300) == "Rp 921,3 jt"
    assert fmt.rupiah_short(4_500) == "Rp 4.500"


def test_numbers_and_percentages_use_decimal_comma():
    assert fmt.number(15794) == "15.794"
    assert fmt.number(92.5, 1) == "92,5"
    assert fmt.number(100.0, 2) == "100"
    assert fmt.number(1234.56, 2) == "1.234,56"
    assert fmt.percent(92.5) == "92,5%"
    assert fmt.percent(Decimal("96.7400"), 2) == "96,74%"
    assert fmt.number(None) == fmt.KOSONG


def test_dates_periods_and_times():
    assert fmt.tanggal(dt.date(2026, 11, 29)) == "29 Nov 2026"
    assert fmt.tanggal("2025-08-05") == "5 Agu 2025"
    assert fmt.day_date(dt.date(2025, 3, 3)) == "Senin, 3 Mar 2025"
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


# ---- the expression forms give the same text as the scalar ones --------------------------------

import random  # noqa: E402
from pathlib import Path  # noqa: E402

import polars as pl  # noqa: E402


def _angka_contoh() -> list:
    rng = random.Random(19)
    values = [
        0,
        1,
        -1,
        999,
        1000,
        -1000,
        4_324_000,
        -160_480,
        68_312_000_000,
        2**40,
        0.5,
        -0.5,
        1.5,
        2.5,
        -2.5,
        1234.5,
        0.4999,
        -0.4,
        92.5,
        92.45,
        92.449,
        100.0,
        99.995,
        1.005,
        0.125,
        -0.001,
        1234.56,
        None,
        float("nan"),
        float("inf"),
    ]
    values += [rng.uniform(-1e7, 1e7) for _ in range(300)]
    values += [round(rng.uniform(-200, 200), rng.randint(0, 4)) for _ in range(300)]
    values += [rng.randint(-(10**12), 10**12) for _ in range(200)]
    return values


def _sama(nilai: list, dtype, expr, scalar) -> None:
    frame = pl.Series("x", nilai, dtype=dtype, strict=False).to_frame()
    got = frame.select(expr(pl.col("x")).alias("x"))["x"].to_list()
    want = [scalar(v) for v in nilai]
    beda = [(v, g, w) for v, g, w in zip(nilai, got, want, strict=True) if g != w]
    assert not beda, beda[:10]


def test_number_expressions_equal_the_scalar_formats():
    floats = _angka_contoh()
    ints = [v for v in floats if isinstance(v, int)] + [None]
    for desimal in (0, 1, 2):
        _sama(
            floats,
            pl.Float64,
            lambda e, d=desimal: fmt.number_expr(e, d),
            lambda v, d=desimal: fmt.number(v, d),
        )
        _sama(
            floats,
            pl.Float64,
            lambda e, d=desimal: fmt.percent_expr(e, d),
            lambda v, d=desimal: fmt.percent(v, d),
        )
    _sama(floats, pl.Float64, fmt.rupiah_expr, fmt.rupiah)
    _sama(ints, pl.Int64, fmt.rupiah_expr, fmt.rupiah)
    _sama(ints, pl.Int64, fmt.number_expr, fmt.number)
    assert fmt.rupiah(-0.4) == "Rp 0" and fmt.number(-0.001, 2) == "0"  # no "-0"
    assert fmt.number(2.5) == "3" and fmt.percent(float("nan")) == fmt.KOSONG


def test_date_and_period_expressions_equal_the_scalar_formats():
    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(0, 1100, 7)] + [None]
    _sama(days, pl.Date, fmt.tanggal_expr, fmt.tanggal)
    _sama(days, pl.Date, fmt.day_date_expr, fmt.day_date)
    teks = [d.isoformat() if d else None for d in days]
    _sama(teks, pl.String, lambda e: fmt.tanggal_expr(e, teks=True), fmt.tanggal)
    periods = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13)] + [None, ""]
    _sama(periods, pl.String, fmt.periode_expr, fmt.periode)
    _sama(
        periods,
        pl.String,
        lambda e: fmt.periode_expr(e, singkat=True),
        lambda p: fmt.periode(p, singkat=True),
    )


def test_time_expressions_equal_the_scalar_formats():
    base = dt.datetime(2025, 3, 3, 0, 0)
    times = [base + dt.timedelta(minutes=37 * i, seconds=i) for i in range(400)] + [None]
    _sama(times, pl.Datetime("us"), fmt.jam_expr, fmt.jam)
    _sama(
        times,
        pl.Datetime("us"),
        lambda e: fmt.jam_expr(e, wita=True),
        lambda t: fmt.jam(t, wita=True),
    )
    _sama(times, pl.Datetime("us"), fmt.waktu_expr, fmt.waktu)
    utc = [t.replace(tzinfo=dt.UTC) if t else None for t in times]
    _sama(utc, pl.Datetime("us", "UTC"), lambda e: fmt.waktu_expr(e, berzona=True), fmt.waktu)
    iso = [t.isoformat(timespec="seconds") if t else None for t in utc[::5]]
    iso += [t.replace(tzinfo=None).isoformat(timespec="seconds") for t in times[:20]]
    iso += ["2026-11-29T13:05:10+08:00", "bukan waktu", "", None]
    _sama(iso, pl.String, fmt.waktu_iso_expr, fmt.waktu_iso)


def test_text_expressions_equal_the_scalar_formats():
    nips = [
        "199008152016011005",
        "19900815 201601 1 005",
        "12345",
        "",
        None,
        "1990081520160110",
        "abc199008152016011005",
    ]
    _sama(nips, pl.String, fmt.nip_expr, fmt.nip)
    predikat = [*fmt.PREDIKAT, "TANPA_PENILAIAN", "LAIN_LAIN", "", None]
    _sama(predikat, pl.String, fmt.predikat_expr, fmt.predikat)
    kode = [*fmt.KODE, "XYZ", "", None]
    _sama(kode, pl.String, fmt.kode_expr, fmt.kode)
    names = [
        "Dinas Pendidikan dan Kebudayaan Provinsi Nusa Tenggara Timur",
        "BKD",
        "x" * 42,
        "y" * 43,
    ]
    _sama(names, pl.String, fmt.truncate_expr, fmt.truncate)


def test_no_python_per_row_callbacks_in_the_app():
    """map_elements / apply run Python per row on Polars' threads: they deadlocked a crowd."""
    app = Path(__file__).resolve().parent.parent / "app"
    banned = ("map_elements", "map_rows", ".apply(", "map_batches")
    found = [
        f"{path.relative_to(app)}:{i}: {line.strip()}"
        for path in sorted(app.rglob("*.py"))
        for i, line in enumerate(path.read_text().splitlines(), 1)
        if any(b in line for b in banned)
    ]
    assert not found, found


def test_patterns_and_schedules_have_readable_text():
    malam = (dt.datetime(2024, 10, 5, 21), dt.datetime(2024, 10, 6, 7))
    assert fmt.jadwal("MALAM", *malam) == "MALAM 21:00–07:00"
    assert (
        fmt.jadwal(None, dt.datetime(2024, 10, 4, 7), dt.datetime(2024, 10, 4, 11)) == "07:00–11:00"
    )
    assert fmt.jadwal(None, None, None) == fmt.KOSONG
    assert [fmt.pola_kerja(p) for p in ("KANTOR", "SEKOLAH", "SHIFT", None)] == [
        "Kantor",
        "Sekolah",
        "Shift",
        "Kantor",
    ]
    _sama(
        ["KANTOR", "SEKOLAH", "SHIFT", "LAIN", None], pl.String, fmt.pola_kerja_expr, fmt.pola_kerja
    )
    rows = [
        ("MALAM", *malam),
        ("PAGI", dt.datetime(2024, 10, 12, 7), dt.datetime(2024, 10, 12, 14)),
        (None, dt.datetime(2025, 3, 3, 7, 30), dt.datetime(2025, 3, 3, 16)),
        ("", *malam),
        (None, None, None),
    ]
    frame = pl.DataFrame(
        rows, schema={"k": pl.String, "m": pl.Datetime("us"), "s": pl.Datetime("us")}, orient="row"
    )
    got = frame.select(fmt.jadwal_expr(pl.col("k"), pl.col("m"), pl.col("s")).alias("j"))["j"]
    assert got.to_list() == [fmt.jadwal(*r) for r in rows]
