"""Regression tests for reader bugs found by the reliability corpus (fixed in readers.py).

1. A quote that opens a field and is never closed swallowed every later line into one field:
   the head of the file loaded, the rest became ONE quarantined "broken row" (10 valid rows
   read as 1). Now the file is rejected, naming the line of the quote.
2. The same runaway quote over more than 128 KiB made the csv module raise ``csv.Error``
   (field larger than field limit): ingestion crashed instead of rejecting the file.
3. An .xlsx whose zip holds broken XML raised ``xml.etree.ElementTree.ParseError``: ingestion
   crashed instead of rejecting the file.
"""

from __future__ import annotations

import io
import zipfile

from orchestration.readers import read_export_bytes
from orchestration.validation import validate

from .corpus import HEADERS, aktivitas, csv_text, tap


def test_unclosed_quote_rejects_the_file_instead_of_swallowing_later_rows():
    rows = [aktivitas(i) for i in range(1, 21)]
    rows[9][2] = '"Rapat koordinasi'  # line 11 opens a quote that never closes
    text = csv_text(HEADERS["aktivitas"], rows).replace('"""Rapat koordinasi"', '"Rapat koordinasi')
    read = read_export_bytes(text.encode(), "aktivitas_202602.csv")
    assert read.rejection is not None
    kode, alasan = read.rejection
    assert kode == "BERKAS_TIDAK_TERBACA"
    assert "baris 11" in alasan and "tanda kutip" in alasan and "aktivitas_202602.csv" in alasan


def test_quotes_inside_fields_and_closed_multiline_quotes_still_load():
    rows = [aktivitas(i) for i in range(1, 6)]
    rows[1][2] = 'Rapat "koordinasi'  # a quote inside an unquoted field is a literal quote
    rows[2][2] = "Baris satu\nbaris dua"  # a closed quoted field may span lines
    text = csv_text(HEADERS["aktivitas"], rows).replace('"Rapat ""koordinasi"', 'Rapat "koordinasi')
    read = read_export_bytes(text.encode(), "aktivitas_202602.csv")
    assert read.rejection is None
    result = validate("aktivitas", "2026-02", read.frame, "aktivitas_202602.csv")
    assert result.valid["line_no"].to_list() == [2, 3, 4, 6, 7]
    assert result.valid["uraian"].to_list()[1:3] == ['Rapat "koordinasi', "Baris satu\nbaris dua"]


def test_runaway_quote_beyond_the_csv_field_limit_is_rejected_not_a_crash():
    text = csv_text(HEADERS["absensi"], [tap(1)]) + '"' + "x,y\n" * 50_000
    read = read_export_bytes(text.encode(), "absensi_202602.csv")
    assert read.rejection is not None and read.rejection[0] == "BERKAS_TIDAK_TERBACA"
    assert "baris 3" in read.rejection[1]


def test_huge_closed_quoted_field_does_not_crash():
    """A closed quoted field past the csv module's 128 KiB limit: read or rejected, never raised."""
    text = csv_text(HEADERS["absensi"], [tap(1)]) + 'a,"' + "x" * 200_000 + '",b\n' + 'c"d\n'
    read = read_export_bytes(text.encode(), "absensi_202602.csv")
    if read.rejection is None:
        result = validate("absensi", "2026-02", read.frame, "absensi_202602.csv")
        assert result.counts["read"] == 3
    else:
        assert read.rejection[0] == "BERKAS_TIDAK_TERBACA"


def test_xlsx_with_broken_xml_is_rejected_not_a_crash():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types")
    read = read_export_bytes(buffer.getvalue(), "pegawai_202602.xlsx")
    assert read.rejection is not None
    assert read.rejection[0] == "BERKAS_TIDAK_TERBACA" and "xlsx" in read.rejection[1]
