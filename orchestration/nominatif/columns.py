"""Columns and texts shared by the XLSX and PDF Daftar Nominatif (one layout, two renderings)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from orchestration.core import formatting
from orchestration.core.published import AMOUNTS
from orchestration.nominatif.daftar import Daftar, KoreksiRow, Row
from orchestration.periods import DIBLOKIR


@dataclass(frozen=True)
class Column:
    judul: str
    lebar_xlsx: float  # characters
    lebar_pdf: float  # millimetres (F4 landscape)
    rata: str = "L"  # L, C, R


KOLOM = (
    Column("No", 5, 7, "C"),
    Column("NIP", 22, 28, "L"),
    Column("Nama", 32, 40, "L"),
    Column("Gol.", 7, 9, "C"),
    Column("Jabatan", 30, 37, "L"),
    Column("Kelas", 6, 8, "C"),
    Column("Hari Kerja", 7, 9, "C"),
    Column("Hari Efektif", 8, 9, "C"),
    Column("TK", 5, 6, "C"),
    Column("TL", 5, 6, "C"),
    Column("PSW", 5, 7, "C"),
    Column("Predikat", 15, 17, "L"),
    Column("% Kinerja", 9, 10, "R"),
    Column("% Disiplin", 9, 10, "R"),
    Column("TPP Kinerja", 16, 18.5, "R"),
    Column("TPP Disiplin", 16, 18.5, "R"),
    Column("TPP Bruto", 16, 18.5, "R"),
    Column("PPh 21", 15, 18.5, "R"),
    Column("Iuran BPJS", 15, 18.5, "R"),
    Column("TPP Neto (Diterima)", 17, 18.5, "R"),
)
PERTAMA_UANG = 14  # 0-based index of the first money column (TPP Kinerja)
assert [k.judul for k in KOLOM[PERTAMA_UANG:]][0] == "TPP Kinerja" and len(AMOUNTS) == 6

# Koreksi section on the same grid: No | NIP | Nama | Periode Asal (2 cols) | Alasan (9 cols)
# | the six amounts (selisih).
KOREKSI_RENTANG = (("No", 1), ("NIP", 1), ("Nama", 1), ("Periode Asal", 2), ("Alasan", 9))

PEMDA = "PEMERINTAH PROVINSI NUSA TENGGARA TIMUR"
JUDUL = "DAFTAR NOMINATIF PEMBAYARAN TAMBAHAN PENGHASILAN PEGAWAI (TPP) ASN"
JUDUL_KOREKSI = "KOREKSI PERIODE SEBELUMNYA (dibayarkan bersama periode ini)"
JUMLAH = "JUMLAH"
JUMLAH_KOREKSI = "JUMLAH KOREKSI"
JUMLAH_DIBAYAR = "JUMLAH DIBAYARKAN (TPP + KOREKSI)"
TANPA_KOREKSI = "Tidak ada koreksi untuk periode ini."


def cells(no: int, b: Row) -> list:
    """The 20 cells of a row, as typed values (ints for days and money, Decimal for %)."""
    return [
        no,
        formatting.nip_tampil(b.nip),
        b.nama,
        b.golongan,
        b.jabatan,
        b.kelas,
        b.hari_kerja,
        b.hari_efektif,
        b.tk,
        b.tl,
        b.psw,
        formatting.predikat(b.predikat),
        b.persen_kinerja,
        b.persen_disiplin,
        *(b.jumlah[a] for a in AMOUNTS),
    ]


def koreksi_cells(no: int, k: KoreksiRow) -> list:
    """Cells of a koreksi row on the KOREKSI_RENTANG grid, then the six selisih."""
    return [
        no,
        formatting.nip_tampil(k.nip),
        k.nama,
        formatting.periode_panjang(k.periode_asal),
        k.alasan,
        *(k.selisih[a] for a in AMOUNTS),
    ]


def heading_lines(daftar: Daftar) -> list[str]:
    """The lines above the table."""
    status = daftar.status_periode
    keterangan = formatting.STATUS.get(status, status)
    if daftar.status.get("oleh") and status != "DRAFT":
        keterangan += (
            f", oleh {daftar.status['oleh']} pada {formatting.waktu_iso(daftar.status.get('pada'))}"
        )
    return [
        PEMDA,
        JUDUL,
        f"Perangkat Daerah: {daftar.kode_opd} - {daftar.nama_opd}",
        f"Periode kinerja: {formatting.periode_panjang(daftar.periode)} "
        f"(dibayarkan {formatting.periode_bayar(daftar.periode)})",
        f"Status data: {keterangan}.{_blocked(daftar)} Sumber: data terbit {daftar.snapshot}.",
    ]


def _blocked(daftar: Daftar) -> str:
    """The warning of a period whose latest computation has an ERROR finding (it cannot be
    verified or locked: these rows are the version published before). A LOCKED list stays what
    was paid; the difference is a correction in an open period once the source is fixed."""
    if not daftar.diblokir or daftar.terkunci:
        return ""
    return f" DIBLOKIR: {DIBLOKIR}; bukan dasar pembayaran sampai sumber data diperbaiki."


def place_and_date(tempat: str, tanggal: dt.date) -> str:
    return f"{tempat}, {formatting.tanggal(tanggal)}"


def signatories(daftar: Daftar) -> tuple[tuple[str, str], tuple[str, str]]:
    """(left, right) titles of the signature block: Kepala OPD and Bendahara Pengeluaran."""
    return (("Mengetahui,", head_title(daftar.nama_opd)), ("", "Bendahara Pengeluaran"))


def head_title(nama_opd: str) -> str:
    """The head's title: 'Kepala Dinas Kesehatan', 'Sekretaris Daerah', 'Direktur RSUD ...'."""
    if nama_opd.startswith("Sekretariat Daerah"):
        return "Sekretaris Daerah"
    if nama_opd.startswith("RSUD") or nama_opd.startswith("Rumah Sakit"):
        return f"Direktur {nama_opd}"
    return f"Kepala {nama_opd}"


GARIS_NAMA = "(.......................................)"
GARIS_NIP = "NIP. ...................................."
