"""How numbers, NIPs, dates and periods are written for people (Bahasa Indonesia)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from orchestration.core.months import next_month

WITA = dt.timezone(dt.timedelta(hours=8), "WITA")  # UTC+8, no daylight saving

BULAN = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
BULAN_SINGKAT = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "Mei",
    "Jun",
    "Jul",
    "Agu",
    "Sep",
    "Okt",
    "Nov",
    "Des",
)

PREDIKAT = {
    "SANGAT_BAIK": "Sangat Baik",
    "BAIK": "Baik",
    "BUTUH_PERBAIKAN": "Butuh Perbaikan",
    "KURANG": "Kurang",
    "SANGAT_KURANG": "Sangat Kurang",
}

STATUS = {
    "DRAFT": "DRAF - belum diverifikasi, bukan dasar pembayaran",
    "VERIFIED": "TERVERIFIKASI - belum dikunci, bukan dasar pembayaran",
    "LOCKED": "TERKUNCI (dasar pembayaran)",
}

# Excel's own Rupiah format (LCID 0x421, Indonesian): shows Rp 4.324.000 with Indonesian
# separators; the cell keeps the integer so finance can sum it.
FORMAT_RUPIAH_XLSX = "[$Rp-421] #,##0;-[$Rp-421] #,##0"


def ribuan(amount: int) -> str:
    """4324000 -> '4.324.000' (negative: '-700.488')."""
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(int(amount)):,}".replace(",", ".")


def rupiah(amount: int) -> str:
    """4324000 -> 'Rp 4.324.000'; -700488 -> '-Rp 700.488'."""
    amount = int(amount)
    return ("-" if amount < 0 else "") + "Rp " + ribuan(abs(amount))


def nip_tampil(nip: str | None) -> str:
    """'199008152016011005' -> '19900815 201601 1 005' (other shapes unchanged)."""
    nip = (nip or "").strip()
    if len(nip) == 18 and nip.isdigit():
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return nip


def persen(value: Decimal | int | None) -> str:
    """Decimal('92.5000') -> '92,5'; 100 -> '100'."""
    if value is None:
        return "-"
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


def angka_desimal(value: Decimal | int | None) -> str:
    """Machine form of a percentage: Decimal('92.5000') -> '92.5'."""
    return "" if value is None else format(Decimal(value).normalize(), "f")


def predikat(value: str | None) -> str:
    return PREDIKAT.get(value or "", value or "Tanpa Penilaian")


def periode_panjang(periode: str) -> str:
    """'2025-03' -> 'Maret 2025'."""
    return f"{BULAN[int(periode[5:]) - 1]} {periode[:4]}"


def rentang_periode(periods: list[str], tulis=periode_panjang) -> str:
    """['2025-09', '2025-10', '2025-11'] -> 'September 2025 s.d. November 2025'; one period
    alone ('Mei 2025'); '-' for none. ``tulis`` writes one period (``str``: '2025-09')."""
    if not periods:
        return "-"
    awal, akhir = tulis(periods[0]), tulis(periods[-1])
    return awal if awal == akhir else f"{awal} s.d. {akhir}"


def periode_bayar(periode: str) -> str:
    """The month a period is paid in: '2025-03' -> 'April 2025'."""
    bayar = next_month(periode)
    return f"{BULAN[int(bayar[5:]) - 1]} {bayar[:4]}"


def tanggal(day: dt.date) -> str:
    """date(2026, 11, 29) -> '29 Nov 2026'."""
    return f"{day.day} {BULAN_SINGKAT[day.month - 1]} {day.year}"


def waktu(moment: dt.datetime) -> str:
    """A moment for people: '29 Nov 2026 13:10 WITA' (an offset-aware moment is shown in WITA; a
    naive one is WITA wall-clock already)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(WITA)
    return f"{tanggal(moment.date())} {moment:%H:%M} WITA"


def waktu_iso(iso: str | None) -> str:
    """``waktu`` of an ISO text ('2026-11-29T13:10:55+08:00'); '-' for none."""
    return waktu(dt.datetime.fromisoformat(iso)) if iso else "-"


def satu_desimal(x: float) -> str:
    """A measure for people (a duration, a size): 58.46 -> '58,5' (one decimal, decimal comma)."""
    return f"{x:.1f}".replace(".", ",")


def detik(seconds: float) -> str:
    """58.46 -> '58,5 detik'."""
    return f"{satu_desimal(seconds)} detik"


def jam_wita(moment: dt.datetime | None = None) -> str:
    """The WITA clock time of ``moment`` (now by default): '16:28:39'."""
    return (moment or dt.datetime.now(WITA)).astimezone(WITA).strftime("%H:%M:%S")
