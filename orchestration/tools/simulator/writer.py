"""Writing export files: CSV exactly as sources.md says, BKN-style XLSX, and the ground truth.

Output is byte-stable: no timestamps (XLSX zip entries carry a fixed 1980 date), stable row
order, LF line ends.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import polars as pl

from orchestration.core.contract import SCHEMAS

XLSX_HEADER_ROW = 4  # BKN style: title in A1, a subtitle in A2, the header on row 4
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
JUDUL = {
    "pegawai": "DAFTAR PEGAWAI ASN PEMERINTAH PROVINSI NUSA TENGGARA TIMUR",
    "kinerja": "REKAPITULASI PENILAIAN KINERJA BULANAN ASN PROVINSI NUSA TENGGARA TIMUR",
}
BULAN = [
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
]


def to_text(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    """Every contract column as text, in the contract's column order (empty cells are null)."""
    exprs = []
    for col in SCHEMAS[kind]:
        dtype = frame.schema[col.name]
        e = pl.col(col.name)
        if dtype == pl.Date:
            e = e.dt.strftime("%Y-%m-%d")
        elif isinstance(dtype, pl.Datetime):
            e = e.dt.strftime("%Y-%m-%d %H:%M:%S")
        exprs.append(e.cast(pl.String))
    return frame.select(exprs)


def write_csv(frame: pl.DataFrame, path: Path, bom: bool = False) -> None:
    frame.write_csv(
        path, line_terminator="\n", null_value="", include_bom=bom, quote_style="necessary"
    )


def _xml(e: pl.Expr) -> pl.Expr:
    return (
        e.str.replace_all("&", "&amp;", literal=True)
        .str.replace_all("<", "&lt;", literal=True)
        .str.replace_all(">", "&gt;", literal=True)
    )


def _letter(j: int) -> str:
    return chr(ord("A") + j) if j < 26 else chr(ord("A") + j // 26 - 1) + chr(ord("A") + j % 26)


def _sheet(frame: pl.DataFrame, kind: str, periode: str) -> str:
    numeric = {c.name for c in SCHEMAS[kind] if c.kind == "int"}
    first = XLSX_HEADER_ROW + 1
    row = (pl.int_range(pl.len()) + first).cast(pl.String)
    cells = []
    for j, name in enumerate(frame.columns):
        ref = pl.lit(f'<c r="{_letter(j)}') + row
        style = ' s="2"' if name.startswith("nip") else ""
        if name in numeric:
            cell = ref + pl.lit('"><v>') + pl.col(name) + pl.lit("</v></c>")
        else:
            cell = (
                ref
                + pl.lit(f'"{style} t="inlineStr"><is><t>')
                + _xml(pl.col(name))
                + pl.lit("</t></is></c>")
            )
        cells.append(
            pl.when(pl.col(name).is_null() | (pl.col(name) == "")).then(pl.lit("")).otherwise(cell)
        )
    body = frame.select(
        (pl.lit('<row r="') + row + pl.lit('">') + pl.concat_str(cells) + pl.lit("</row>")).alias(
            "x"
        )
    )["x"].str.join("")
    tahun, bulan = periode.split("-")
    sub = (
        f"Keadaan akhir bulan {BULAN[int(bulan) - 1]} {tahun}"
        if kind == "pegawai"
        else f"Periode {BULAN[int(bulan) - 1]} {tahun}"
    )
    head = "".join(
        f'<c r="{_letter(j)}{XLSX_HEADER_ROW}" s="1" t="inlineStr"><is><t>{n}</t></is></c>'
        for j, n in enumerate(frame.columns)
    )
    last = XLSX_HEADER_ROW + frame.height
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{_letter(frame.width - 1)}{last}"/><sheetData>'
        f'<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>{JUDUL[kind]}</t></is></c></row>'
        f'<row r="2"><c r="A2" t="inlineStr"><is><t>{sub}</t></is></c></row>'
        f'<row r="{XLSX_HEADER_ROW}">{head}</row>' + (body[0] or "") + "</sheetData></worksheet>"
    )


_CT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WB_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_xlsx(frame: pl.DataFrame, path: Path, kind: str, periode: str) -> None:
    """A one-sheet workbook; NIP cells are inline text with the text number format (@)."""
    sheet = "Pegawai" if kind == "pegawai" else "Kinerja"
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="{_REL}">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    parts = [
        ("[Content_Types].xml", _CT),
        ("_rels/.rels", _RELS),
        ("xl/workbook.xml", workbook),
        ("xl/_rels/workbook.xml.rels", _WB_RELS),
        ("xl/styles.xml", _STYLES),
        ("xl/worksheets/sheet1.xml", _sheet(frame, kind, periode)),
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))


def write_json(data: dict, path: Path) -> None:
    path.write_text(
        json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
    )
