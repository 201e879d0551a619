"""How the app writes numbers, money, dates, times and NIPs (Bahasa Indonesia conventions).

- money: ``Rp 4.324.000`` (dot thousands, no decimals: TPP amounts are whole rupiah);
- decimals: ``92,5`` (comma), percentages ``92,5%``;
- dates: ``29 Nov 2026``; periods: ``Maret 2025`` / ``Mar 2025``;
- times: ``07:42 WITA`` (every time in the data is WITA wall-clock, UTC+8);
- NIP: ``19900815 201601 1 005``.

Every formatter has a scalar form (``rupiah(x)``) for single values and, where tables or charts
need it, a Polars expression form (``rupiah_expr(pl.col("x"))``) that gives the same text for
every value. Frames are formatted only with the expression forms: no Python callback per row
(Polars' per-element mapping) runs on Polars' thread pool, where it would need the GIL a page thread may
hold while it waits for that pool (the deadlock of a crowd of sessions).
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import polars as pl

# one spelling of months, predikat, thousands and NIP for the app and the finance exports
from orchestration.core.formatting import (
    BULAN,
    BULAN_SINGKAT,
    PREDIKAT,
    WITA,
    nip_tampil,
    ribuan,
)
from orchestration.core.formatting import waktu as waktu_tampil

KOSONG = "–"

# work patterns (jadwal.md §1) as the app names them
POLA_KERJA = {"KANTOR": "Kantor", "SEKOLAH": "Sekolah", "SHIFT": "Shift"}

HARI = {1: "Senin", 2: "Selasa", 3: "Rabu", 4: "Kamis", 5: "Jumat", 6: "Sabtu", 7: "Minggu"}

# what each day / arrival / departure code means, for legends and explanations
KODE = {
    "HADIR": "Hadir",
    "TK": "Tanpa keterangan",
    "TL1": "Terlambat 1–30 menit",
    "TL2": "Terlambat 31–60 menit",
    "TL3": "Terlambat 61–90 menit",
    "TL4": "Terlambat > 90 menit / tanpa tap datang",
    "PSW1": "Pulang cepat 1–30 menit",
    "PSW2": "Pulang cepat 31–60 menit",
    "PSW3": "Pulang cepat 61–90 menit",
    "PSW4": "Pulang cepat > 90 menit / tanpa tap pulang",
    "CT": "Cuti tahunan",
    "CS": "Cuti sakit",
    "CB": "Cuti besar",
    "CM": "Cuti melahirkan",
    "CAP": "Cuti alasan penting",
    "CLTN": "Cuti di luar tanggungan negara",
    "DL": "Dinas luar",
    "DIKLAT": "Diklat",
    "TB": "Tugas belajar",
    "IZIN": "Izin",
}


def _empty(x) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def _round(x: float | int | Decimal, desimal: int) -> int:
    """|x| x 10^desimal rounded half up, as an integer: the same float steps as ``_bulat_expr``."""
    return math.floor(abs(float(x)) * 10**desimal + 0.5)


def number(x: float | int | Decimal | None, desimal: int = 0) -> str:
    """``15.794``, ``92,5`` (Indonesian separators, half up, no trailing zeros); ``–`` if missing."""
    if _empty(x):
        return KOSONG
    n = _round(x, desimal)
    utuh, pecahan = divmod(n, 10**desimal)
    out = ribuan(utuh)
    if desimal:
        pecahan_teks = f"{pecahan:0{desimal}d}".rstrip("0")
        if pecahan_teks:
            out += "," + pecahan_teks
    return ("-" if x < 0 and n else "") + out


def rupiah(x: float | int | Decimal | None) -> str:
    """``Rp 4.324.000`` (whole rupiah, rounded half up); ``–`` for missing values."""
    if _empty(x):
        return KOSONG
    n = _round(x, 0)
    return ("-Rp " if x < 0 and n else "Rp ") + ribuan(n)


def rupiah_short(x: float | int | None) -> str:
    """``Rp 68,3 M`` / ``Rp 4,3 jt`` for KPI cards with big totals."""
    if x is None:
        return KOSONG
    v = float(x)
    for batas, akhiran in ((1e12, "T"), (1e9, "M"), (1e6, "jt")):
        if abs(v) >= batas:
            return f"Rp {number(v / batas, 1)} {akhiran}"
    return rupiah(v)


def percent(x: float | Decimal | None, desimal: int = 1) -> str:
    """``92,5%``."""
    teks = number(x, desimal)
    return KOSONG if teks == KOSONG else f"{teks}%"


def _as_date(d: dt.date | dt.datetime | str) -> dt.date:
    if isinstance(d, str):
        return dt.date.fromisoformat(d[:10])
    return d.date() if isinstance(d, dt.datetime) else d


def tanggal(d: dt.date | dt.datetime | str | None) -> str:
    """``29 Nov 2026``."""
    if d is None:
        return KOSONG
    d = _as_date(d)
    return f"{d.day} {BULAN_SINGKAT[d.month - 1]} {d.year}"


def day_date(d: dt.date | dt.datetime | str | None) -> str:
    """``Senin, 3 Mar 2025``."""
    if d is None:
        return KOSONG
    d = _as_date(d)
    return f"{HARI[d.isoweekday()]}, {tanggal(d)}"


def periode(p: str | None, singkat: bool = False) -> str:
    """``2025-03`` -> ``Maret 2025`` (``Mar 2025`` when short)."""
    if not p:
        return KOSONG
    tahun, bulan = p.split("-")
    nama = (BULAN_SINGKAT if singkat else BULAN)[int(bulan) - 1]
    return f"{nama} {tahun}"


def jam(t: dt.datetime | dt.time | str | None, wita: bool = False) -> str:
    """``07:42`` (``07:42 WITA``); the data's times are WITA wall-clock already."""
    if t is None:
        return KOSONG
    if isinstance(t, str):
        text = t[11:16] if len(t) > 8 else t[:5]
    else:
        if isinstance(t, dt.datetime) and t.tzinfo is not None:
            t = t.astimezone(WITA)
        text = f"{t.hour:02d}:{t.minute:02d}"
    return f"{text} WITA" if wita else text


def waktu(t: dt.datetime | None) -> str:
    """``29 Nov 2026 13:05 WITA`` (UTC-aware timestamps are converted to WITA)."""
    return KOSONG if t is None else waktu_tampil(t)


def waktu_iso(text: str | None) -> str:
    """An ISO timestamp text (with or without offset) as ``waktu``; unparseable text as is."""
    if not text:
        return KOSONG
    try:
        return waktu(dt.datetime.fromisoformat(text))
    except ValueError:
        return text


def now() -> dt.datetime:
    return dt.datetime.now(WITA)


def nip(n: str | None) -> str:
    """``199008152016011005`` -> ``19900815 201601 1 005`` (spaces in the input are ignored)."""
    if not n:
        return KOSONG
    digits = "".join(ch for ch in str(n) if ch.isdigit())
    return nip_tampil(digits) if len(digits) == 18 else str(n)


def predikat(p: str | None) -> str:
    return PREDIKAT.get(p or "", "Tanpa penilaian" if not p else p.replace("_", " ").title())


def kode(k: str | None) -> str:
    return KODE.get(k or "", k or KOSONG)


def pola_kerja(p: str | None) -> str:
    """``SHIFT`` -> ``Shift``; a missing pattern is the office week (the default)."""
    return POLA_KERJA.get(p or "KANTOR", p or KOSONG)


def jadwal(kode_shift: str | None, mulai: dt.datetime | None, selesai: dt.datetime | None) -> str:
    """A day's schedule: ``MALAM 21:00–07:00`` (a shift) or ``07:00–13:00`` (a weekly pattern)."""
    if mulai is None or selesai is None:
        return KOSONG
    jam_ = f"{jam(mulai)}–{jam(selesai)}"
    return f"{kode_shift} {jam_}" if kode_shift else jam_


# ----------------------------------------------------------------------------------------------
# the same formats as Polars expressions (vectorised, no Python per row)

_BULAN_NOMOR = {f"{i:02d}": b for i, b in enumerate(BULAN, 1)}
_BULAN_SINGKAT_NOMOR = {f"{i:02d}": b for i, b in enumerate(BULAN_SINGKAT, 1)}
_ZONA_WITA = "Asia/Makassar"  # UTC+8 all year


def _text(e: pl.Expr) -> pl.Expr:
    return e.fill_null(KOSONG)


def thousands_expr(n: pl.Expr) -> pl.Expr:
    """A non-negative integer expression as ``4.324.000``."""
    return (
        n.cast(pl.Int64)
        .cast(pl.String)
        .str.reverse()
        .str.replace_all(r"(\d{3})", "${1}.")
        .str.strip_chars_end(".")
        .str.reverse()
    )


def _round_expr(f: pl.Expr, desimal: int) -> pl.Expr:
    return (f.abs() * 10**desimal + 0.5).floor().cast(pl.Int64)


def _number_expr(e: pl.Expr, desimal: int, awalan: str, akhiran: str) -> pl.Expr:
    f = e.cast(pl.Float64)
    n = _round_expr(f, desimal)
    teks = thousands_expr(n // 10**desimal)
    if desimal:
        pecahan = (n % 10**desimal).cast(pl.String).str.zfill(desimal).str.strip_chars_end("0")
        teks = pl.when(pecahan.str.len_chars() > 0).then(teks + "," + pecahan).otherwise(teks)
    tanda = pl.when((f < 0) & (n != 0)).then(pl.lit("-")).otherwise(pl.lit(""))
    return (
        pl.when(f.is_null() | ~f.is_finite())
        .then(pl.lit(KOSONG))
        .otherwise(tanda + pl.lit(awalan) + teks + pl.lit(akhiran))
    )


def number_expr(e: pl.Expr, desimal: int = 0) -> pl.Expr:
    """``angka`` of every value of ``e``."""
    return _number_expr(e, desimal, "", "")


def percent_expr(e: pl.Expr, desimal: int = 1) -> pl.Expr:
    """``persen`` of every value of ``e``."""
    return _number_expr(e, desimal, "", "%")


def rupiah_expr(e: pl.Expr) -> pl.Expr:
    """``rupiah`` of every value of ``e`` (``Rp 4.324.000``, ``-Rp 160.480``)."""
    return _number_expr(e, 0, "Rp ", "")


def _date_from_text(e: pl.Expr) -> pl.Expr:
    return e.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)


def tanggal_expr(e: pl.Expr, teks: bool = False) -> pl.Expr:
    """``tanggal`` of a Date/Datetime expression (``teks``: ISO text)."""
    d = _date_from_text(e) if teks else e
    return _text(
        pl.format(
            "{} {} {}",
            d.dt.day(),
            d.dt.month().replace_strict(dict(enumerate(BULAN_SINGKAT, 1)), return_dtype=pl.String),
            d.dt.year(),
        )
    )


def day_date_expr(e: pl.Expr, teks: bool = False) -> pl.Expr:
    """``tanggal_hari`` (``Senin, 3 Mar 2025``) of a Date/Datetime expression."""
    d = _date_from_text(e) if teks else e
    hari = d.dt.weekday().replace_strict(HARI, return_dtype=pl.String)
    return _text(pl.format("{}, {}", hari, pl.when(d.is_not_null()).then(tanggal_expr(d))))


def periode_expr(e: pl.Expr, singkat: bool = False) -> pl.Expr:
    """``periode`` (``2025-03`` -> ``Maret 2025`` / ``Mar 2025``)."""
    nama = e.str.slice(5, 2).replace_strict(
        _BULAN_SINGKAT_NOMOR if singkat else _BULAN_NOMOR, default=None, return_dtype=pl.String
    )
    return _text(pl.when(e.str.len_chars() > 0).then(pl.format("{} {}", nama, e.str.slice(0, 4))))


def jam_expr(e: pl.Expr, wita: bool = False) -> pl.Expr:
    """``jam`` of a (WITA wall-clock) Datetime expression."""
    return _text(e.dt.strftime("%H:%M WITA" if wita else "%H:%M"))


def _wita(e: pl.Expr, berzona: bool) -> pl.Expr:
    return e.dt.convert_time_zone(_ZONA_WITA) if berzona else e


def waktu_expr(e: pl.Expr, berzona: bool = False) -> pl.Expr:
    """``waktu`` (``29 Nov 2026 13:05 WITA``) of a Datetime expression; ``berzona`` for a
    time-zone-aware column (converted to WITA), else WITA wall-clock."""
    t = _wita(e, berzona)
    return _text(
        pl.format(
            "{} {}", pl.when(t.is_not_null()).then(tanggal_expr(t)), t.dt.strftime("%H:%M WITA")
        )
    )


def waktu_iso_expr(e: pl.Expr) -> pl.Expr:
    """``waktu_iso`` of ISO timestamp text (with or without offset); other text as is."""
    berzona = (
        e.str.to_datetime("%Y-%m-%dT%H:%M:%S%z", strict=False, time_unit="us")
        .dt.convert_time_zone(_ZONA_WITA)
        .dt.replace_time_zone(None)
    )
    polos = e.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
    t = pl.coalesce(berzona, polos)
    return (
        pl.when(e.is_null() | (e == ""))
        .then(pl.lit(KOSONG))
        .when(t.is_null())
        .then(e)
        .otherwise(waktu_expr(t))
    )


def nip_expr(e: pl.Expr) -> pl.Expr:
    """``nip`` (``19900815 201601 1 005``; other shapes as they are)."""
    d = e.cast(pl.String).str.replace_all(r"\D", "")
    grup = pl.format(
        "{} {} {} {}", d.str.slice(0, 8), d.str.slice(8, 6), d.str.slice(14, 1), d.str.slice(15, 3)
    )
    return (
        pl.when(e.is_null() | (e.cast(pl.String) == ""))
        .then(pl.lit(KOSONG))
        .when(d.str.len_chars() == 18)
        .then(grup)
        .otherwise(e.cast(pl.String))
    )


def predikat_expr(e: pl.Expr) -> pl.Expr:
    """``predikat`` (``BUTUH_PERBAIKAN`` -> ``Butuh Perbaikan``; missing -> Tanpa penilaian)."""
    lain = e.str.replace_all("_", " ").str.to_titlecase()
    return (
        pl.when(e.is_null() | (e == ""))
        .then(pl.lit("Tanpa penilaian"))
        .otherwise(e.replace_strict(PREDIKAT, default=lain, return_dtype=pl.String))
    )


def kode_expr(e: pl.Expr) -> pl.Expr:
    """``kode`` (``TL2`` -> ``Terlambat 31–60 menit``)."""
    return (
        pl.when(e.is_null() | (e == ""))
        .then(pl.lit(KOSONG))
        .otherwise(e.replace_strict(KODE, default=e, return_dtype=pl.String))
    )


def pola_kerja_expr(e: pl.Expr) -> pl.Expr:
    """``pola_kerja`` of every value of ``e``."""
    return e.fill_null("KANTOR").replace_strict(POLA_KERJA, default=e, return_dtype=pl.String)


def jadwal_expr(kode_shift: pl.Expr, mulai: pl.Expr, selesai: pl.Expr) -> pl.Expr:
    """``jadwal`` of every day (shift code, scheduled start and end as WITA wall-clock)."""
    jam_ = pl.format("{}–{}", mulai.dt.strftime("%H:%M"), selesai.dt.strftime("%H:%M"))
    return (
        pl.when(mulai.is_null() | selesai.is_null())
        .then(pl.lit(KOSONG))
        .when(kode_shift.is_not_null() & (kode_shift != ""))
        .then(pl.format("{} {}", kode_shift, jam_))
        .otherwise(jam_)
    )


def truncate_expr(e: pl.Expr, n: int = 42) -> pl.Expr:
    """Text cut to ``n`` characters with an ellipsis (``potong``)."""
    return pl.when(e.str.len_chars() <= n).then(e).otherwise(e.str.slice(0, n - 2) + "…")


def truncate(s: str, n: int = 42) -> str:
    return s if len(s) <= n else s[: n - 2] + "…"
