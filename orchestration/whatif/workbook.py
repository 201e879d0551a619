"""The what-if's meeting workbook (XLSX)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl

from orchestration.core.contract import format_nip_expr
from orchestration.whatif.comparison import Perbandingan, periode_teks

# the columns' headers for people (the frames keep their machine names)
JUDUL = {
    "kode_opd": "Kode OPD",
    "nama_opd": "Perangkat Daerah",
    "nip": "NIP",
    "tpp_bruto_lama": "TPP bruto lama",
    "tpp_bruto_baru": "TPP bruto usulan",
    "selisih_bruto": "Selisih bruto",
    "persen_selisih_bruto": "Selisih bruto (%)",
    "tpp_neto_lama": "TPP neto lama",
    "tpp_neto_baru": "TPP neto usulan",
    "selisih_neto": "Selisih neto",
    "pegawai_naik": "Pegawai naik",
    "pegawai_turun": "Pegawai turun",
    "pegawai_tetap": "Pegawai tetap",
    "pegawai": "Pegawai",
    "kuantil": "Kuantil",
    "selisih_bruto_per_pegawai": "Selisih bruto per pegawai",
    "rentang": "Rentang selisih",
    "tahun": "Tahun",
    "pagu": "Pagu",
    "bulan_terbayar": "Bulan terbayar",
    "proyeksi_lama": "Proyeksi akhir tahun (lama)",
    "melebihi_lama": "Melebihi pagu (lama)",
    "proyeksi_baru": "Proyeksi akhir tahun (usulan)",
    "melebihi_baru": "Melebihi pagu (usulan)",
}


def _for_people(value):
    """A cell's value as people read it: yes/no for a flag."""
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    return value


def write_xlsx(p: Perbandingan, path: Path) -> Path:
    """The meeting workbook; write-only mode (streams rows: a year of 16k people in ~1-2 s)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    rp = '"Rp" #,##0;[Red]-"Rp" #,##0'
    bold = Font(bold=True)
    wb = Workbook(write_only=True)

    def cell(ws, value, fmt: str | None = None, font: Font | None = None):
        c = WriteOnlyCell(ws, value=value)
        if fmt:
            c.number_format = fmt
        if font:
            c.font = font
        return c

    ws = wb.create_sheet("Ringkasan")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 22
    ws.append([cell(ws, "Simulasi TPP: aturan usulan", font=Font(bold=True, size=13)), p.aturan])
    ws.append(["Periode", periode_teks(p.periods)])
    ws.append([])
    for line in p.ringkasan.splitlines():
        ws.append([line])
    ws.append([])
    for label, key in (
        ("TPP bruto lama", "tpp_bruto_lama"),
        ("TPP bruto baru", "tpp_bruto_baru"),
        ("Selisih bruto", "selisih_bruto"),
        ("TPP neto lama", "tpp_neto_lama"),
        ("TPP neto baru", "tpp_neto_baru"),
        ("Selisih neto", "selisih_neto"),
    ):
        ws.append([label, cell(ws, p.total[key], rp)])
    for label, key in (
        ("Pegawai", "pegawai"),
        ("Naik", "pegawai_naik"),
        ("Turun", "pegawai_turun"),
        ("Tetap", "pegawai_tetap"),
    ):
        ws.append([label, p.total[key]])

    def sheet(title: str, frame: pl.DataFrame, money: set[str]) -> None:
        s = wb.create_sheet(title)
        s.freeze_panes = "A2"
        for j, col in enumerate(frame.columns):
            letter = chr(ord("A") + j)
            s.column_dimensions[letter].width = max(12, min(40, len(JUDUL.get(col, col)) + 4))
        s.append([cell(s, JUDUL.get(c, c), font=bold) for c in frame.columns])
        if "nip" in frame.columns:  # shown as 19900815 201601 1 005
            frame = frame.with_columns(format_nip_expr(pl.col("nip")))
        is_money = [c in money for c in frame.columns]
        for row in frame.iter_rows():
            out = []
            for value, m in zip(row, is_money, strict=True):
                if m:
                    c = WriteOnlyCell(s, value=value)
                    c.number_format = rp
                    out.append(c)
                else:
                    out.append(_for_people(value))
            s.append(out)

    money = {
        "tpp_bruto_lama",
        "tpp_bruto_baru",
        "selisih_bruto",
        "tpp_neto_lama",
        "tpp_neto_baru",
        "selisih_neto",
        "selisih_bruto_per_pegawai",
    }
    opd_cols = [
        "kode_opd",
        "nama_opd",
        "tpp_bruto_lama",
        "tpp_bruto_baru",
        "selisih_bruto",
        "persen_selisih_bruto",
        "tpp_neto_lama",
        "tpp_neto_baru",
        "selisih_neto",
        "pegawai_naik",
        "pegawai_turun",
        "pegawai_tetap",
    ]
    sheet("Per OPD", p.per_opd.select(opd_cols), money)
    sheet("Distribusi", p.distribusi, money)
    sheet("Sebaran", p.sebaran, money)
    if p.pagu is not None:
        sheet("Pagu", p.pagu, money | {"pagu", "proyeksi_lama", "proyeksi_baru"})
    sheet(
        "Per Pegawai",
        p.per_pegawai.select(
            "nip",
            "kode_opd",
            "tpp_bruto_lama",
            "tpp_bruto_baru",
            "selisih_bruto",
            "tpp_neto_lama",
            "tpp_neto_baru",
            "selisih_neto",
        ),
        money,
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def xlsx_bytes(p: Perbandingan) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        return write_xlsx(p, Path(tmp) / "whatif.xlsx").read_bytes()
