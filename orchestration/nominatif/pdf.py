"""Daftar Nominatif as PDF (fpdf2): one file per department, F4 (215 x 330 mm) landscape.

Money is written ``Rp 4.324.000``; the table heading repeats on every page; long names and
reasons wrap inside their cell (never cut); the footer names the page, the published snapshot
and the status; the signature block never splits. The grid is drawn with fpdf2's low-level
text and line calls: the largest department (~8,600 rows) renders in seconds.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from fpdf import FPDF

from orchestration.core import formatting
from orchestration.core.published import AMOUNTS
from orchestration.nominatif import columns
from orchestration.nominatif.daftar import Daftar
from orchestration.periods import LABEL

F4_LANDSCAPE = (215, 330)
MARGIN = 8
FONT = "Helvetica"
UKURAN = 6.5  # pt, table text
LINE = 2.9  # mm per text line in the table
PAD_X, PAD_Y = 0.8, 0.6
ABU = (217, 217, 217)
WIDTHS = [k.lebar_pdf for k in columns.KOLOM]
UANG = columns.PERTAMA_UANG


def latin1(text: object) -> str:
    """The core PDF fonts speak Latin-1: keep what fits, fold the rest (e.g. curly quotes)."""
    text = "" if text is None else str(text)
    try:
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        folded = unicodedata.normalize("NFKD", text)
        return folded.encode("latin-1", "ignore").decode("latin-1")


@dataclass(frozen=True)
class Cell:
    text: str
    span: int = 1
    align: str = "L"  # L, C, R


def _cell_text(value: object, index: int) -> str:
    if value is None:
        return "-"
    if index >= UANG:
        return formatting.rupiah(int(value))
    if isinstance(value, Decimal):
        return formatting.persen(value)
    return latin1(value)


class _Document(FPDF):
    def __init__(self, daftar: Daftar) -> None:
        super().__init__(orientation="L", unit="mm", format=F4_LANDSCAPE)
        self.daftar = daftar
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=12)
        self.alias_nb_pages()
        self.set_line_width(0.1)

    def header(self) -> None:
        if self.page_no() == 1:
            return
        d = self.daftar
        self.set_font(FONT, "B", 8)
        self.cell(
            0,
            5,
            latin1(
                f"Daftar Nominatif TPP {formatting.periode_panjang(d.periode)} - "
                f"{d.kode_opd} {d.nama_opd} (lanjutan)"
            ),
            new_x="LMARGIN",
            new_y="NEXT",
        )
        self.ln(1)

    def footer(self) -> None:
        d = self.daftar
        self.set_y(-9)
        self.set_font(FONT, "", 6.5)
        status = LABEL.get(d.status_periode, d.status_periode)
        self.cell(
            0,
            4,
            latin1(
                f"Data terbit {d.snapshot} - status {status} - Halaman {self.page_no()} dari {{nb}}"
            ),
            align="R",
        )


class _Grid:
    """A table on the fixed 20-column grid; rows may span columns; heading repeats per page."""

    def __init__(self, pdf: FPDF, heading: list[Cell] | None) -> None:
        self.pdf = pdf
        self.heading = heading
        self._widths: dict[tuple[str, float, str], float] = {}
        if heading:
            self.row(heading, bold=True, fill=True)

    def width(self, text: str) -> float:
        """String width in mm for the current core font (fpdf2's own call is slow per cell)."""
        font = self.pdf.current_font
        key = (font.fontkey, self.pdf.font_size_pt, text)
        if key not in self._widths:
            self._widths[key] = sum(font.cw.get(c, 500) for c in text) * self.pdf.font_size / 1000
        return self._widths[key]

    def _wrap(self, text: str, width: float) -> list[str]:
        room = width - 2 * PAD_X
        if self.width(text) <= room:
            return [text]
        lines, line = [], ""
        for word in text.split():
            candidate = f"{line} {word}".strip()
            if self.width(candidate) <= room:
                line = candidate
                continue
            if line:
                lines.append(line)
            while self.width(word) > room:  # a word wider than the cell: hard split
                cut = len(word)
                while cut > 1 and self.width(word[:cut]) > room:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        return [*lines, line] if line else lines or [""]

    def row(self, cells: list[Cell], bold: bool = False, fill: bool = False) -> None:
        pdf = self.pdf
        pdf.set_font(FONT, "B" if bold else "", UKURAN)
        widths, column = [], 0
        for cell in cells:
            widths.append(sum(WIDTHS[column : column + cell.span]))
            column += cell.span
        lines = [self._wrap(c.text, w) for c, w in zip(cells, widths, strict=True)]
        height = max(len(x) for x in lines) * LINE + 2 * PAD_Y
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page()
            if self.heading:
                self.row(self.heading, bold=True, fill=True)
            pdf.set_font(FONT, "B" if bold else "", UKURAN)
        self._draw(cells, widths, lines, height, fill)

    def _draw(self, cells, widths, lines, height: float, fill: bool) -> None:
        pdf = self.pdf
        x0 = x = pdf.l_margin
        y = pdf.get_y()
        if fill:
            pdf.set_fill_color(*ABU)
            pdf.rect(x0, y, sum(widths), height, style="F")
        for cell, width, text in zip(cells, widths, lines, strict=True):
            for index, line in enumerate(text):
                size = self.width(line)
                if cell.align == "R":
                    tx = x + width - PAD_X - size
                elif cell.align == "C":
                    tx = x + (width - size) / 2
                else:
                    tx = x + PAD_X
                pdf.text(tx, y + PAD_Y + (index + 1) * LINE - 0.75, line)
            pdf.line(x, y, x, y + height)
            x += width
        pdf.line(x, y, x, y + height)
        pdf.line(x0, y, x, y)
        pdf.line(x0, y + height, x, y + height)
        pdf.set_xy(x0, y + height)


def _totals(grid: _Grid, label: str, amounts: dict[str, int]) -> None:
    cells = [Cell(label, UANG, "R")] + [
        Cell(formatting.rupiah(amounts[a]), 1, "R") for a in AMOUNTS
    ]
    grid.row(cells, bold=True, fill=True)


def render(daftar: Daftar, tempat: str, tanggal: dt.date) -> bytes:
    pdf = _Document(daftar)
    pdf.set_creation_date(dt.datetime.fromisoformat(daftar.snapshot_created_at))
    pdf.set_creator("Si-Kinerja Analytics")
    pdf.set_title(latin1(f"Daftar Nominatif TPP {daftar.periode} {daftar.kode_opd}"))
    pdf.set_subject(
        latin1(
            f"{daftar.nama_opd}; jumlah TPP neto {formatting.rupiah(daftar.jumlah['tpp_neto'])}; "
            f"data terbit {daftar.snapshot}"
        )
    )
    pdf.add_page()
    _heading(pdf, daftar)

    grid = _Grid(pdf, [Cell(k.judul, 1, "C") for k in columns.KOLOM])
    for no, baris in enumerate(daftar.baris, start=1):
        values = columns.cells(no, baris)
        grid.row(
            [
                Cell(_cell_text(v, i), 1, k.rata)
                for i, (v, k) in enumerate(zip(values, columns.KOLOM, strict=True))
            ]
        )
    _totals(grid, columns.JUMLAH, daftar.jumlah)

    pdf.ln(4)
    pdf.set_font(FONT, "B", 8)
    pdf.cell(0, 5, latin1(columns.JUDUL_KOREKSI), new_x="LMARGIN", new_y="NEXT")
    spans = [Cell(t, s, "C") for t, s in columns.KOREKSI_RENTANG]
    grid = _Grid(pdf, spans + [Cell(k.judul, 1, "C") for k in columns.KOLOM[UANG:]])
    if not daftar.koreksi:
        grid.row([Cell(columns.TANPA_KOREKSI, len(WIDTHS))])
    for no, koreksi in enumerate(daftar.koreksi, start=1):
        values = columns.koreksi_cells(no, koreksi)
        cells = [
            Cell(latin1(v), s, a)
            for v, (_, s), a in zip(values[:5], columns.KOREKSI_RENTANG, "CLLCL", strict=True)
        ]
        grid.row(cells + [Cell(formatting.rupiah(koreksi.selisih[a]), 1, "R") for a in AMOUNTS])
    _totals(grid, columns.JUMLAH_KOREKSI, daftar.jumlah_koreksi)
    pdf.ln(2)
    _totals(_Grid(pdf, None), columns.JUMLAH_DIBAYAR, daftar.jumlah_dibayar)

    _signatures(pdf, daftar, tempat, tanggal)
    return bytes(pdf.output())


def _heading(pdf: FPDF, daftar: Daftar) -> None:
    lines = columns.heading_lines(daftar)
    for index, line in enumerate(lines):
        last = index == len(lines) - 1
        pdf.set_font(FONT, "B" if index < 2 or last else "", 11 if index < 2 else 8)
        if last and not daftar.terkunci:
            pdf.set_text_color(192, 0, 0)
        pdf.cell(
            0,
            5.5 if index < 2 else 4.5,
            latin1(line),
            align="C" if index < 2 else "L",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.set_text_color(0, 0, 0)
    pdf.ln(2)


def _signatures(pdf: FPDF, daftar: Daftar, tempat: str, tanggal: dt.date) -> None:
    lines = [
        ("", columns.place_and_date(tempat, tanggal)),
        *zip(*columns.signatories(daftar), strict=True),
        ("", ""),
        ("", ""),
        ("", ""),
        ("", ""),
        (columns.GARIS_NAMA, columns.GARIS_NAMA),
        (columns.GARIS_NIP, columns.GARIS_NIP),
    ]
    if pdf.get_y() + 5 + 4 * len(lines) > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(5)
    width = 95
    left, right = MARGIN + 10, pdf.w - MARGIN - width - 5
    pdf.set_font(FONT, "", 8)
    top = pdf.get_y()
    for index, (a, b) in enumerate(lines):
        pdf.set_xy(left, top + index * 4)
        pdf.cell(width, 4, latin1(a), align="C")
        pdf.set_xy(right, top + index * 4)
        pdf.cell(width, 4, latin1(b), align="C")
