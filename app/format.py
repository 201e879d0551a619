"""How the app writes numbers, money, dates, times and NIPs (Bahasa Indonesia conventions).

- money: ``Rp 4.324.000`` (dot thousands, no decimals: TPP amounts are whole rupiah);
- decimals: ``92,5`` (comma), percentages ``92,5%``;
- dates: ``29 Nov 2026``; periods: ``Maret 2025`` / ``Mar 2025``;
- times: ``07:42 WITA`` (every time in the data is WITA wall-clock, UTC+8);
- NIP: ``19900815 201601 1 005``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

# one spelling of months, predikat, thousands and NIP for the app and the finance exports
from orchestration.nominatif.teks import BULAN, BULAN_SINGKAT, PREDIKAT, nip_tampil, ribuan

WITA = dt.timezone(dt.timedelta(hours=8), "WITA")
KOSONG = "–"

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


def angka(x: float | int | Decimal | None, desimal: int = 0) -> str:
    """``15.794``, ``92,5`` (Indonesian separators); ``–`` for missing values."""
    if x is None or (isinstance(x, float) and x != x):
        return KOSONG
    if desimal == 0:
        return ("-" if x < 0 else "") + ribuan(abs(int(round(x))))
    text = f"{abs(float(x)):,.{desimal}f}"
    whole, frac = text.split(".")
    frac = frac.rstrip("0")
    out = whole.replace(",", ".") + ("," + frac if frac else "")
    return ("-" if x < 0 and out.strip("0.,") else "") + out


def rupiah(x: float | int | Decimal | None) -> str:
    """``Rp 4.324.000`` (whole rupiah, rounded half up); ``–`` for missing values."""
    if x is None or (isinstance(x, float) and x != x):
        return KOSONG
    n = int(Decimal(str(x)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
    return ("-Rp " if n < 0 else "Rp ") + ribuan(abs(n))


def rupiah_ringkas(x: float | int | None) -> str:
    """``Rp 68,3 M`` / ``Rp 4,3 jt`` for KPI cards with big totals."""
    if x is None:
        return KOSONG
    v = float(x)
    for batas, akhiran in ((1e12, "T"), (1e9, "M"), (1e6, "jt")):
        if abs(v) >= batas:
            return f"Rp {angka(v / batas, 1)} {akhiran}"
    return rupiah(v)


def persen(x: float | Decimal | None, desimal: int = 1) -> str:
    """``92,5%``."""
    return KOSONG if x is None else f"{angka(x, desimal)}%"


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


def tanggal_hari(d: dt.date | dt.datetime | str | None) -> str:
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
    if t is None:
        return KOSONG
    if t.tzinfo is not None:
        t = t.astimezone(WITA)
    return f"{tanggal(t)} {t.hour:02d}:{t.minute:02d} WITA"


def waktu_iso(text: str | None) -> str:
    """An ISO timestamp text (with or without offset) as ``waktu``; unparseable text as is."""
    if not text:
        return KOSONG
    try:
        return waktu(dt.datetime.fromisoformat(text))
    except ValueError:
        return text


def sekarang() -> dt.datetime:
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
