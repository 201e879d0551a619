"""Daftar Nominatif as an Excel workbook: one file per department, one sheet ``Nominatif``.

Money cells hold the integer rupiah with Excel's Indonesian Rupiah format (``Rp 4.324.000`` on
an Indonesian system), so finance can still sum them; totals are written as values (computed
in Python from the same ints), not formulas, so they read the same in any program.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from copy import copy

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from orchestration.core import formatting
from orchestration.core.published import AMOUNTS
from orchestration.nominatif import columns
from orchestration.nominatif.daftar import Daftar

TIPIS = Side(style="thin", color="000000")
KOTAK = Border(left=TIPIS, right=TIPIS, top=TIPIS, bottom=TIPIS)
TEBAL = Font(bold=True)
ABU = PatternFill("solid", fgColor="D9D9D9")
RATA = {"L": "left", "C": "center", "R": "right"}
N = len(columns.KOLOM)
UANG = columns.PERTAMA_UANG + 1  # 1-based column of TPP Kinerja
ALASAN_LEBAR = sum(k.lebar_xlsx for k in columns.KOLOM[5 : UANG - 1])  # merged Alasan cell
FOLIO = 14  # Excel paper size: Folio 8.5 x 13 in (F4)


def _merge_text(ws, row: int, first: int, last: int, text: str, **style) -> None:
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    cell = ws.cell(row=row, column=first, value=text)
    for key, value in style.items():
        setattr(cell, key, value)


def _money(ws, row: int, amounts: dict[str, int], bold: bool = False) -> None:
    for offset, name in enumerate(AMOUNTS):
        cell = ws.cell(row=row, column=UANG + offset, value=int(amounts[name]))
        cell.number_format = formatting.FORMAT_RUPIAH_XLSX
        cell.border = KOTAK
        cell.alignment = Alignment(horizontal="right")
        if bold:
            cell.font = TEBAL


def _total_row(ws, row: int, label: str, amounts: dict[str, int]) -> None:
    _merge_text(ws, row, 1, UANG - 1, label, font=TEBAL, alignment=Alignment(horizontal="right"))
    for column in range(1, UANG):
        ws.cell(row=row, column=column).border = KOTAK
        ws.cell(row=row, column=column).fill = ABU
    _money(ws, row, amounts, bold=True)
    for offset in range(len(AMOUNTS)):
        ws.cell(row=row, column=UANG + offset).fill = ABU


def _header(ws, row: int, titles: list[tuple[str, int]]) -> None:
    column = 1
    for title, span in titles:
        _merge_text(
            ws,
            row,
            column,
            column + span - 1,
            title,
            font=TEBAL,
            fill=ABU,
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
        )
        for c in range(column, column + span):
            ws.cell(row=row, column=c).border = KOTAK
        column += span


def render(daftar: Daftar, tempat: str, tanggal: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nominatif"
    for index, k in enumerate(columns.KOLOM, start=1):
        ws.column_dimensions[get_column_letter(index)].width = k.lebar_xlsx

    lines = columns.heading_lines(daftar)
    for row, line in enumerate(lines, start=1):
        bold = row <= 2
        _merge_text(
            ws,
            row,
            1,
            N,
            line,
            font=Font(bold=bold, size=12 if bold else 11),
            alignment=Alignment(horizontal="center" if bold else "left"),
        )
    if not daftar.terkunci:
        ws.cell(row=len(lines), column=1).font = Font(bold=True, color="C00000")

    row = len(lines) + 2
    header_row = row
    _header(ws, row, [(k.judul, 1) for k in columns.KOLOM])
    ws.row_dimensions[row].height = 30
    styles: list = []  # one styled cell per column, copied to the others (fast)
    for no, baris in enumerate(daftar.baris, start=1):
        row += 1
        for column, value in enumerate(columns.cells(no, baris), start=1):
            cell = ws.cell(row=row, column=column, value=value)
            if len(styles) < N:
                cell.border = KOTAK
                cell.alignment = Alignment(
                    horizontal=RATA[columns.KOLOM[column - 1].rata], vertical="top"
                )
                if column >= UANG:
                    cell.number_format = formatting.FORMAT_RUPIAH_XLSX
                styles.append(cell._style)
            else:
                cell._style = copy(styles[column - 1])
    row += 1
    _total_row(ws, row, columns.JUMLAH, daftar.jumlah)

    row += 2
    _merge_text(ws, row, 1, N, columns.JUDUL_KOREKSI, font=TEBAL)
    row += 1
    spans = list(columns.KOREKSI_RENTANG) + [
        (k.judul, 1) for k in columns.KOLOM[columns.PERTAMA_UANG :]
    ]
    _header(ws, row, spans)
    ws.row_dimensions[row].height = 30
    if not daftar.koreksi:
        row += 1
        _merge_text(ws, row, 1, N, columns.TANPA_KOREKSI)
    for no, koreksi in enumerate(daftar.koreksi, start=1):
        row += 1
        values = columns.koreksi_cells(no, koreksi)
        column = 1
        for (_, span), value in zip(columns.KOREKSI_RENTANG, values[:5], strict=True):
            _merge_text(
                ws,
                row,
                column,
                column + span - 1,
                value,
                alignment=Alignment(wrap_text=True, vertical="top"),
            )
            for c in range(column, column + span):
                ws.cell(row=row, column=c).border = KOTAK
            column += span
        _money(ws, row, koreksi.selisih)
        lines = math.ceil(len(koreksi.alasan) * 1.15 / ALASAN_LEBAR)  # merged cells don't grow
        ws.row_dimensions[row].height = 15 * max(1, lines)
    row += 1
    _total_row(ws, row, columns.JUMLAH_KOREKSI, daftar.jumlah_koreksi)
    row += 2
    _total_row(ws, row, columns.JUMLAH_DIBAYAR, daftar.jumlah_dibayar)

    row += 2
    (kiri_1, kiri_2), (kanan_1, kanan_2) = columns.signatories(daftar)
    left, right = (2, 5), (UANG + 1, N)
    _merge_text(ws, row, *right, columns.place_and_date(tempat, tanggal))
    row += 1
    _merge_text(ws, row, *left, kiri_1)
    _merge_text(ws, row, *right, kanan_1)
    row += 1
    _merge_text(ws, row, *left, kiri_2)
    _merge_text(ws, row, *right, kanan_2)
    row += 4
    _merge_text(ws, row, *left, columns.GARIS_NAMA)
    _merge_text(ws, row, *right, columns.GARIS_NAMA)
    row += 1
    _merge_text(ws, row, *left, columns.GARIS_NIP)
    _merge_text(ws, row, *right, columns.GARIS_NIP)

    # by coordinate: the cell below the header is merged (the JUMLAH row) when there are no rows
    ws.freeze_panes = f"D{header_row + 1}"
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = FOLIO
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

    # the document's dates are UTC in the file (openpyxl writes a naive time with "Z")
    created = dt.datetime.fromisoformat(daftar.snapshot_created_at).astimezone(dt.UTC)
    created = created.replace(tzinfo=None)
    wb.properties.creator = "Si-Kinerja Analytics"
    wb.properties.title = f"Daftar Nominatif TPP {daftar.periode} {daftar.kode_opd}"
    wb.properties.subject = f"Data terbit {daftar.snapshot}"
    wb.properties.created = wb.properties.modified = created
    buffer = io.BytesIO()
    wb.save(buffer)
    return _same_bytes(buffer.getvalue(), created)


def _same_bytes(content: bytes, when: dt.datetime) -> bytes:
    """The workbook with the data's time where openpyxl puts the time of saving: the
    ``dcterms:modified`` of ``docProps/core.xml`` (``save`` sets it to now) and every zip
    member's date. The same period exported twice is then the same file, byte for byte."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    modified = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            data = old.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = modified.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
            info = zipfile.ZipInfo(item.filename, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = item.external_attr
            new.writestr(info, data)
    return out.getvalue()
