"""A corpus of bad export files, generated, each with the outcome the contract demands.

``build()`` returns every :class:`Case`: a file name, its bytes and the expected outcome of
ingesting it (``orchestration.ingest.ingest_period``):

- ``ditolak``: the whole file is rejected with that ``kode_alasan`` (a line-0 quarantine row
  in ``raw/karantina/<kind>/<periode>.ditolak.parquet`` whose ``alasan`` names the file and
  mentions every fragment of ``sebut``), nothing reaches the raw zone;
- otherwise the file loads: exactly the rows of the lines ``dimuat`` reach
  ``raw/<kind>/<periode>.parquet`` (line numbers checked), every :class:`Baris` of ``karantina``
  is one quarantine row (file, line, column, ``kode_alasan``, and an ``alasan`` that mentions
  the offending value), ``duplikat`` lines count once, ``catatan`` fragments appear in the
  file's notes.

Every file is small and deterministic (the "huge garbage" ones are a few MB from a seeded RNG).
The E2E scenario (``scenario.py``) reuses the row-level snippets of this module inside a valid
simulated month.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass, field

import openpyxl

PERIODE = "2026-02"
YYYYMM = "202602"

HEADERS = {
    "pegawai": [
        "nip",
        "nama",
        "status",
        "golongan",
        "jenis_jabatan",
        "nama_jabatan",
        "kelas_jabatan",
        "kode_opd",
        "nama_opd",
        "tmt_opd",
        "aktif_sampai",
    ],
    "absensi": ["id_mesin", "nip", "waktu", "jenis", "metode", "lat", "lon"],
    "ketidakhadiran": ["nip", "kode", "mulai", "selesai", "status", "nomor_surat"],
    "kinerja": [
        "nip",
        "periode",
        "hasil_kerja",
        "perilaku",
        "predikat",
        "status",
        "nip_penilai",
        "tanggal_penilaian",
    ],
    "aktivitas": ["nip", "tanggal", "uraian", "durasi_menit", "status"],
}


def nip(i: int, sex: int = 1) -> str:
    """A valid 18-digit NIP: born 1990-08-15, TMT CPNS 2016-01, sequence ``i``."""
    return f"19900815201601{sex}{i:03d}"


PENILAI = "197001011995011001"


# --- valid rows ---------------------------------------------------------------------------------
def pegawai(i: int, **kw: str) -> list[str]:
    row = {
        "nip": nip(i),
        "nama": f"Pegawai Uji {i}",
        "status": "PNS",
        "golongan": "III/a",
        "jenis_jabatan": "PELAKSANA",
        "nama_jabatan": "Pengadministrasi Umum",
        "kelas_jabatan": "7",
        "kode_opd": "1.02.01",
        "nama_opd": "Dinas Kesehatan",
        "tmt_opd": "2020-01-01",
        "aktif_sampai": "",
    }
    row.update(kw)
    return [row[c] for c in HEADERS["pegawai"]]


def tap(i: int, waktu: str = "2026-02-03 07:21:00", **kw: str) -> list[str]:
    row = {
        "id_mesin": "FP-1.02.01-01",
        "nip": nip(i),
        "waktu": waktu,
        "jenis": "MASUK",
        "metode": "FINGER",
        "lat": "",
        "lon": "",
    }
    row.update(kw)
    return [row[c] for c in HEADERS["absensi"]]


def absen(
    i: int, kode: str = "CT", mulai: str = "2026-02-09", selesai: str = "2026-02-10", **kw: str
) -> list[str]:
    row = {
        "nip": nip(i),
        "kode": kode,
        "mulai": mulai,
        "selesai": selesai,
        "status": "DISETUJUI",
        "nomor_surat": f"800/{kode}/{i:03d}/BKD/2026",
    }
    row.update(kw)
    return [row[c] for c in HEADERS["ketidakhadiran"]]


def nilai(i: int, **kw: str) -> list[str]:
    row = {
        "nip": nip(i),
        "periode": PERIODE,
        "hasil_kerja": "SESUAI",
        "perilaku": "SESUAI",
        "predikat": "BAIK",
        "status": "FINAL",
        "nip_penilai": PENILAI,
        "tanggal_penilaian": "2026-03-02",
    }
    row.update(kw)
    return [row[c] for c in HEADERS["kinerja"]]


def aktivitas(i: int, **kw: str) -> list[str]:
    row = {
        "nip": nip(i),
        "tanggal": "2026-02-03",
        "uraian": "Menyusun laporan",
        "durasi_menit": "60",
        "status": "DISETUJUI",
    }
    row.update(kw)
    return [row[c] for c in HEADERS["aktivitas"]]


def csv_text(header: list[str], rows: list[list[str]], eol: str = "\n") -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=eol)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def xlsx_bytes(rows: list[list[object]], title: str = "Lembar1") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for r in rows:
        sheet.append(r)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the expected outcome -----------------------------------------------------------------------
@dataclass(frozen=True)
class Baris:
    """One row that must be quarantined."""

    line: int
    kode: str
    kolom: str | None
    sebut: str  # the alasan must contain this (the offending value, or what is wrong with it)


@dataclass(frozen=True)
class Case:
    id: str
    kind: str
    uraian: str  # what is wrong, for people (docs/reliability.md)
    content: bytes
    ext: str = "csv"
    ditolak: str | None = None  # kode_alasan of a whole-file rejection
    sebut: tuple[str, ...] = ()  # fragments of the file-level alasan
    dimuat: tuple[int, ...] = ()  # line numbers of the rows that load
    karantina: tuple[Baris, ...] = ()
    duplikat: tuple[int, ...] = ()
    catatan: tuple[str, ...] = ()  # fragments of the notes
    periksa: tuple[tuple[int, str, object], ...] = ()  # (line, column, loaded value)
    errors: int = 0  # blocking period errors (NIP_GANDA)
    extra: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.kind}_{YYYYMM}.{self.ext}"

    @property
    def outcome(self) -> str:
        """One line for the corpus table."""
        if self.ditolak:
            return f"file rejected, `{self.ditolak}`"
        parts = [f"{len(self.dimuat)} rows loaded"]
        if self.karantina:
            codes = sorted({b.kode for b in self.karantina})
            parts.append(
                f"{len(self.karantina)} quarantined ({', '.join(f'`{c}`' for c in codes)})"
            )
        if self.duplikat:
            parts.append(f"{len(self.duplikat)} exact duplicate(s) counted once")
        if self.errors:
            parts.append(f"{self.errors} blocking period error")
        if self.catatan:
            parts.append("note")
        return ", ".join(parts)


def _lines(first: int, n: int) -> tuple[int, ...]:
    return tuple(range(first, first + n))


# --- the cases ----------------------------------------------------------------------------------
def _pegawai_cases() -> list[Case]:
    cases = []
    names = ["Fransiskus Séran", "Maria Goreti Nahak’s", "Yosef Müller, S.Kom."]
    rows = [pegawai(i + 1, nama=n) for i, n in enumerate(names)]
    cases.append(
        Case(
            "pegawai_cp1252_names",
            "pegawai",
            "Windows-1252 file (accented names, a curly apostrophe) instead of UTF-8",
            csv_text(HEADERS["pegawai"], rows).encode("cp1252"),
            dimuat=(2, 3, 4),
            catatan=("bukan UTF-8", "baris 2", "Windows-1252"),
            periksa=((2, "nama", names[0]), (3, "nama", names[1]), (4, "nama", names[2])),
        )
    )
    rows = [pegawai(1, nama="Dominggus Ximénes"), pegawai(2, nama="Ana Bere\x81")]
    cases.append(
        Case(
            "pegawai_latin1_names",
            "pegawai",
            "Latin-1 file with a byte Windows-1252 does not define (0x81)",
            csv_text(HEADERS["pegawai"], rows).encode("latin-1"),
            dimuat=(2, 3),
            catatan=("bukan UTF-8", "Latin-1"),
            periksa=((2, "nama", "Dominggus Ximénes"),),
        )
    )
    rows = [
        pegawai(1),
        pegawai(2, status="PPPK", golongan="III/a"),
        pegawai(3, status="PNS", golongan="XI"),
        pegawai(4, kelas_jabatan="18"),
        pegawai(5, kelas_jabatan="7.5"),
        pegawai(6, tmt_opd="45292"),
        pegawai(7, tmt_opd="2026-02-30"),
        pegawai(8, status="HONORER"),
        pegawai(9, nama=""),
        pegawai(10, aktif_sampai="31/12/2026"),
    ]
    cases.append(
        Case(
            "pegawai_bad_values",
            "pegawai",
            "golongan not matching status, kelas 18 and 7.5, Excel date serial, 30 February, "
            "unknown status, empty name, dd/mm/yyyy date",
            csv_text(HEADERS["pegawai"], rows).encode(),
            dimuat=(2,),
            karantina=(
                Baris(3, "GOLONGAN_TIDAK_SESUAI", "golongan", "III/a"),
                Baris(4, "GOLONGAN_TIDAK_SESUAI", "golongan", "XI"),
                Baris(5, "DI_LUAR_RENTANG", "kelas_jabatan", "18"),
                Baris(6, "ANGKA_TIDAK_VALID", "kelas_jabatan", "7.5"),
                Baris(7, "TANGGAL_TIDAK_VALID", "tmt_opd", "45292"),
                Baris(8, "TANGGAL_TIDAK_VALID", "tmt_opd", "2026-02-30"),
                Baris(9, "KODE_TIDAK_DIKENAL", "status", "HONORER"),
                Baris(10, "WAJIB_KOSONG", "nama", "nama"),
                Baris(11, "TANGGAL_TIDAK_VALID", "aktif_sampai", "31/12/2026"),
            ),
        )
    )
    rows = [
        pegawai(1),
        ["19900815201601100", *pegawai(2)[1:]],  # 17 digits
        ["199002302016011003", *pegawai(3)[1:]],  # 30 February
        ["199008152016131004", *pegawai(4)[1:]],  # TMT month 13
        ["199008152016013005", *pegawai(5)[1:]],  # sex digit 3
        ["19900815 201601 1 006", *pegawai(6)[1:]],  # display form
        ["١٩٩٠٠٨١٥٢٠١٦٠١١٠٠٧", *pegawai(7)[1:]],  # Arabic-Indic digits
    ]
    cases.append(
        Case(
            "pegawai_bad_nips",
            "pegawai",
            "NIPs: 17 digits, 30 February birth date, TMT month 13, sex digit 3, display form with "
            "spaces, non-ASCII digits",
            csv_text(HEADERS["pegawai"], rows).encode(),
            dimuat=(2,),
            karantina=(
                Baris(3, "NIP_TIDAK_VALID", "nip", "terisi 17 karakter"),
                Baris(4, "NIP_TIDAK_VALID", "nip", "tanggal lahir 1990-02-30"),
                Baris(5, "NIP_TIDAK_VALID", "nip", "TMT CPNS 2016-13"),
                Baris(6, "NIP_TIDAK_VALID", "nip", "digit jenis kelamin '3'"),
                Baris(7, "NIP_TIDAK_VALID", "nip", "19900815 201601 1 006"),
                Baris(8, "NIP_TIDAK_VALID", "nip", "١٩٩٠٠٨١٥٢٠١٦٠١١٠٠٧"),
            ),
        )
    )
    rows = [
        pegawai(1),
        pegawai(2),
        pegawai(2, kode_opd="4.01.01", nama_opd="Sekretariat Daerah"),
        pegawai(3),
        pegawai(3),
    ]
    cases.append(
        Case(
            "pegawai_nip_ganda",
            "pegawai",
            "one NIP on two different rows (which department pays?) and an exact duplicate row",
            csv_text(HEADERS["pegawai"], rows).encode(),
            dimuat=(2, 5),
            duplikat=(6,),
            errors=1,
            karantina=(Baris(3, "NIP_GANDA", "nip", nip(2)), Baris(4, "NIP_GANDA", "nip", nip(2))),
        )
    )
    header = HEADERS["pegawai"][:]
    header[5] = "NIP"  # nama_jabatan column named NIP: nip twice
    cases.append(
        Case(
            "pegawai_duplicate_header",
            "pegawai",
            "header names the column nip twice (`nip`, `NIP`)",
            csv_text(header, [pegawai(1)]).encode(),
            ditolak="KOLOM_GANDA",
            sebut=("'nip'", "2 kali"),
        )
    )
    sheet = [
        ["DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL"],
        ["Periode: Februari 2026"],
        [],
        [h.upper() for h in HEADERS["pegawai"]],
        pegawai(1),
        [float(nip(2)), *pegawai(2)[1:]],  # NIP typed as a number by Excel
        [*pegawai(3)[:6], 7, *pegawai(3)[7:9], dt.datetime(2021, 4, 1), None],
    ]
    cases.append(
        Case(
            "pegawai_xlsx_title_numeric_nip",
            "pegawai",
            "BKN-style XLSX: title rows above the header, one NIP stored as a number (precision "
            "lost), kelas and tmt_opd as typed cells",
            xlsx_bytes(sheet),
            ext="xlsx",
            dimuat=(5, 7),
            catatan=("baris 4",),
            karantina=(Baris(6, "NIP_TIDAK_VALID", "nip", "1.99008152016011E+17"),),
            periksa=((7, "tmt_opd", "2021-04-01"), (7, "kelas_jabatan", 7), (5, "nip", nip(1))),
        )
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types")
        z.writestr("xl/workbook.xml", "<workbook")
    cases.append(
        Case(
            "pegawai_xlsx_corrupt_xml",
            "pegawai",
            "an .xlsx whose zip holds broken XML",
            buffer.getvalue(),
            ext="xlsx",
            ditolak="BERKAS_TIDAK_TERBACA",
            sebut=("xlsx",),
        )
    )
    return cases


def _absensi_cases() -> list[Case]:
    h = HEADERS["absensi"]
    cases = []
    rows = [tap(1), tap(2, "2026-02-03 16:05:00", jenis="PULANG")]
    text = csv_text(h, rows)
    cases.append(
        Case(
            "absensi_utf16_bom",
            "absensi",
            "UTF-16 (with BOM) instead of UTF-8",
            text.encode("utf-16"),
            dimuat=(2, 3),
            catatan=("UTF-16",),
            periksa=((2, "nip", nip(1)),),
        )
    )
    cases.append(
        Case(
            "absensi_utf16_no_bom",
            "absensi",
            "UTF-16LE without BOM (NUL bytes)",
            text.encode("utf-16-le"),
            ditolak="BERKAS_TIDAK_TERBACA",
            sebut=("NUL",),
        )
    )
    semi = csv_text(h, [tap(1), tap(2)]).replace(",", ";")
    cases.append(
        Case(
            "absensi_semicolon",
            "absensi",
            "semicolon separated (Excel with an Indonesian locale)",
            semi.encode(),
            ditolak="KOLOM_HILANG",
            sebut=("'nip'", "'waktu'", "absensi_202602.csv"),
        )
    )
    cut = [c for c in h if c != "metode"]
    rows = [[v for c, v in zip(h, tap(i), strict=True) if c != "metode"] for i in (1, 2)]
    cases.append(
        Case(
            "absensi_missing_column",
            "absensi",
            "required column `metode` missing",
            csv_text(cut, rows).encode(),
            ditolak="KOLOM_HILANG",
            sebut=("'metode'",),
        )
    )
    order = ["WAKTU", " Metode ", "Keterangan", "LON", "nip", "Jenis", "lat", "ID_MESIN"]
    src = {
        "WAKTU": "waktu",
        " Metode ": "metode",
        "LON": "lon",
        "nip": "nip",
        "Jenis": "jenis",
        "lat": "lat",
        "ID_MESIN": "id_mesin",
    }
    rows = []
    for i in (1, 2, 3):
        d = dict(zip(h, tap(i, metode="MOBILE", lat="-10.1772", lon="123.6070"), strict=True))
        rows.append([d[src[c]] if c in src else "piket" for c in order])
    cases.append(
        Case(
            "absensi_shuffled_columns",
            "absensi",
            "columns shuffled, upper case with spaces, an extra column",
            csv_text(order, rows).encode(),
            dimuat=(2, 3, 4),
            catatan=("'keterangan'",),
            periksa=((3, "nip", nip(2)), (4, "lat", -10.1772)),
        )
    )
    cases.append(
        Case(
            "absensi_empty",
            "absensi",
            "empty file (0 bytes)",
            b"",
            ditolak="BERKAS_KOSONG",
        )
    )
    cases.append(
        Case(
            "absensi_blank_lines_only",
            "absensi",
            "only blank lines and spaces",
            b"\r\n\n   \n",
            ditolak="BERKAS_KOSONG",
        )
    )
    cases.append(
        Case(
            "absensi_header_only",
            "absensi",
            "header row, no data",
            csv_text(h, []).encode(),
            ditolak="BERKAS_TANPA_DATA",
        )
    )
    bad_times = [
        "2026-02-03T07:15:00",
        "2026-02-03 07:15:00+08:00",
        "2026-02-03 07:15:00 WITA",
        "03/02/2026 07:15",
        "2026-02-03 7:15:00",
        "2026-02-03 24:00:00",
        "2026-02-29 07:00:00",
        "46056.3125",
    ]
    rows = [tap(1)] + [tap(i + 2, waktu=w) for i, w in enumerate(bad_times)]
    cases.append(
        Case(
            "absensi_bad_times",
            "absensi",
            "times with ISO T, UTC offset, zone name, d/m/y, one-digit hour, 24:00, 29 Feb 2026, "
            "Excel serial",
            csv_text(h, rows).encode(),
            dimuat=(2,),
            karantina=tuple(
                Baris(i + 3, "WAKTU_TIDAK_VALID", "waktu", w) for i, w in enumerate(bad_times)
            ),
        )
    )
    rows = [
        tap(1, waktu="2026-02-01 00:00:00"),
        tap(2, waktu="2026-02-28 23:59:59"),
        tap(3, waktu="2026-01-31 23:59:59"),
        tap(4, waktu="2026-03-01 00:00:00"),
    ]
    cases.append(
        Case(
            "absensi_out_of_period",
            "absensi",
            "taps dated in January and March (month boundaries)",
            csv_text(h, rows).encode(),
            dimuat=(2, 3),
            karantina=(
                Baris(4, "DI_LUAR_PERIODE", "waktu", "periode 2026-01"),
                Baris(5, "DI_LUAR_PERIODE", "waktu", "periode 2026-03"),
            ),
        )
    )
    rows = [
        tap(1),
        tap(2, nip="1.99008152016011E+17"),
        tap(3, nip="1,99008E+17"),
        tap(4, nip="199008152016011004.0"),
    ]
    cases.append(
        Case(
            "absensi_scientific_nip",
            "absensi",
            "NIPs written by Excel as numbers: scientific notation (dot and comma) and a trailing .0",
            csv_text(h, rows).encode(),
            dimuat=(2,),
            karantina=(
                Baris(3, "NIP_TIDAK_VALID", "nip", "notasi ilmiah"),
                Baris(4, "NIP_TIDAK_VALID", "nip", "1,99008E+17"),
                Baris(5, "NIP_TIDAK_VALID", "nip", "199008152016011004.0"),
            ),
        )
    )
    rows = [tap(1, id_mesin="FP, Lantai 2"), tap(2, id_mesin='Mesin "Utama"'), tap(3)]
    cases.append(
        Case(
            "absensi_crlf_bom_quoted",
            "absensi",
            "CRLF line ends, UTF-8 BOM, quoted device names with a comma and quotes",
            b"\xef\xbb\xbf" + csv_text(h, rows, eol="\r\n").encode(),
            dimuat=(2, 3, 4),
            periksa=(
                (2, "id_mesin", "FP, Lantai 2"),
                (3, "id_mesin", 'Mesin "Utama"'),
                (4, "nip", nip(3)),
            ),
        )
    )
    text = csv_text(h, [tap(1)]) + ",".join(tap(2)) + ",extra\n" + ",".join(tap(3)[:5]) + "\n"
    text += csv_text(h, [tap(4)]).split("\n", 1)[1]
    cases.append(
        Case(
            "absensi_ragged_rows",
            "absensi",
            "a row with one field too many, one with two too few",
            text.encode(),
            dimuat=(2, 5),
            karantina=(
                Baris(3, "BARIS_RUSAK", None, "berisi 8 kolom"),
                Baris(4, "BARIS_RUSAK", None, "berisi 5 kolom"),
            ),
        )
    )
    rng = random.Random(20260201)
    cases.append(
        Case(
            "absensi_garbage_bytes",
            "absensi",
            "3 MB of random bytes",
            rng.randbytes(3_000_000),
            ditolak="BERKAS_TIDAK_TERBACA",
            sebut=("NUL",),
        )
    )
    alphabet = "abcdefghij ,;:-\n0123456789"
    garbage = "".join(rng.choice(alphabet) for _ in range(2_000_000))
    cases.append(
        Case(
            "absensi_garbage_text",
            "absensi",
            "2 MB of random printable text (no header)",
            garbage.encode(),
            ditolak="KOLOM_HILANG",
            sebut=("'nip'",),
        )
    )
    runaway = csv_text(h, [tap(1)]) + '"' + "".join(rng.choice(alphabet) for _ in range(300_000))
    cases.append(
        Case(
            "absensi_garbage_quotes",
            "absensi",
            "a valid row, then a quote that opens 300 kB of garbage (past the csv field limit)",
            runaway.encode(),
            ditolak="BERKAS_TIDAK_TERBACA",
            sebut=("baris 3", "tanda kutip"),
        )
    )
    quoted = "".join(rng.choice(alphabet + '"') for _ in range(1_000_000))
    cases.append(
        Case(
            "absensi_garbage_many_quotes",
            "absensi",
            "1 MB of random text full of quotes",
            quoted.encode(),
            ditolak="KOLOM_HILANG",
            sebut=("'nip'",),
        )
    )
    rows = [tap(i) for i in range(1, 8)]
    text = csv_text(h, rows)
    lines = text.split("\n")
    lines[3] = lines[3].replace("FP-1.02.01-01", '"FP-1.02.01-01')  # line 4: quote never closed
    cases.append(
        Case(
            "absensi_unclosed_quote",
            "absensi",
            "a quote opened on line 4 and never closed (would swallow every later line)",
            "\n".join(lines).encode(),
            ditolak="BERKAS_TIDAK_TERBACA",
            sebut=("baris 4", "kutip"),
        )
    )
    rows = [tap(1), tap(2), tap(1), tap(3), tap(2), tap(2)]
    cases.append(
        Case(
            "absensi_exact_duplicates",
            "absensi",
            "device re-sent the same taps",
            csv_text(h, rows).encode(),
            dimuat=(2, 3, 5),
            duplikat=(4, 6, 7),
        )
    )
    rows = [
        tap(1, jenis="masuk", metode="finger"),
        tap(2, jenis="IN"),
        tap(3, metode="RFID"),
        tap(4, metode="MOBILE", lat="-10,15", lon="123.6"),
        tap(5, metode="MOBILE", lat="95", lon="123.6"),
        tap(6, id_mesin=""),
    ]
    cases.append(
        Case(
            "absensi_codes_and_coordinates",
            "absensi",
            "unknown jenis and metode, decimal comma, latitude 95, empty device id (lower-case codes "
            "are fine)",
            csv_text(h, rows).encode(),
            dimuat=(2,),
            karantina=(
                Baris(3, "KODE_TIDAK_DIKENAL", "jenis", "'IN'"),
                Baris(4, "KODE_TIDAK_DIKENAL", "metode", "'RFID'"),
                Baris(5, "ANGKA_TIDAK_VALID", "lat", "-10,15"),
                Baris(6, "DI_LUAR_RENTANG", "lat", "95"),
                Baris(7, "WAJIB_KOSONG", "id_mesin", "id_mesin"),
            ),
            periksa=((2, "jenis", "MASUK"), (2, "metode", "FINGER")),
        )
    )
    cases.append(
        Case(
            "absensi_old_mac_cr",
            "absensi",
            "CR-only line ends (old Mac)",
            csv_text(h, [tap(1), tap(2)], eol="\r").encode(),
            ditolak="BERKAS_TIDAK_TERBACA",
            sebut=("CR",),
        )
    )
    cases.append(
        Case(
            "absensi_xlsx_named_csv",
            "absensi",
            "an Excel workbook saved under a .csv name",
            xlsx_bytes([h, tap(1)]),
            ditolak="BERKAS_TIDAK_TERBACA",
            sebut=("Excel",),
        )
    )
    rows = [tap(1, nip="199008152016011999"[:-1] + "X"), tap(2, waktu="kemarin"), tap(3, metode="")]
    cases.append(
        Case(
            "absensi_every_row_bad",
            "absensi",
            "every row invalid: nothing to load",
            csv_text(h, rows).encode(),
            ditolak="SEMUA_BARIS_DITOLAK",
            sebut=("3 baris",),
            karantina=(
                Baris(2, "NIP_TIDAK_VALID", "nip", "19900815201601199X"),
                Baris(3, "WAKTU_TIDAK_VALID", "waktu", "kemarin"),
                Baris(4, "WAJIB_KOSONG", "metode", "metode"),
            ),
        )
    )
    return cases


def _ketidakhadiran_cases() -> list[Case]:
    h = HEADERS["ketidakhadiran"]
    rows = [
        absen(1, "CT", "2026-02-09", "2026-02-13"),
        absen(1, "DL", "2026-02-11", "2026-02-12"),
        absen(1, "CS", "2026-02-12", "2026-02-12", status="DITOLAK"),
        absen(1, "CT", "2026-02-09", "2026-02-13"),
    ]
    cases = [
        Case(
            "ketidakhadiran_overlap",
            "ketidakhadiran",
            "overlapping approved absences (a WARN for dbt, rows load) and a re-sent letter",
            csv_text(h, rows).encode(),
            dimuat=(2, 3, 4),
            duplikat=(5,),
        )
    ]
    rows = [
        absen(1, mulai="2026-02-12", selesai="2026-02-10"),
        absen(2, mulai="2026-01-05", selesai="2026-01-09"),
        absen(3, mulai="2026-03-02", selesai="2026-03-03"),
        absen(4, mulai="2026-01-26", selesai="2026-02-03"),
        absen(5, mulai="2026-02-27", selesai="2026-03-06"),
        absen(6, "CLTN", mulai="2025-12-01", selesai="2026-06-30"),
    ]
    cases.append(
        Case(
            "ketidakhadiran_ranges",
            "ketidakhadiran",
            "range ending before it starts, ranges in January / March only; ranges crossing the "
            "month ends load",
            csv_text(h, rows).encode(),
            dimuat=(5, 6, 7),
            karantina=(
                Baris(2, "RENTANG_TANGGAL_TERBALIK", "selesai", "2026-02-10"),
                Baris(3, "DI_LUAR_PERIODE", "mulai", "2026-01-05 s.d. 2026-01-09"),
                Baris(4, "DI_LUAR_PERIODE", "mulai", "periode 2026-03"),
            ),
        )
    )
    rows = [
        absen(1, "ct", status="disetujui"),
        absen(2, "CUTI"),
        absen(3, status="APPROVED"),
        absen(4, nomor_surat=""),
    ]
    cases.append(
        Case(
            "ketidakhadiran_codes",
            "ketidakhadiran",
            "unknown absence code and status (lower case is fine, nomor_surat may be empty)",
            csv_text(h, rows).encode(),
            dimuat=(2, 5),
            karantina=(
                Baris(3, "KODE_TIDAK_DIKENAL", "kode", "'CUTI'"),
                Baris(4, "KODE_TIDAK_DIKENAL", "status", "'APPROVED'"),
            ),
            periksa=((2, "kode", "CT"), (2, "status", "DISETUJUI")),
        )
    )
    rows = [
        absen(1),
        absen(2, mulai="46056", selesai="46057"),
        absen(3, mulai="03/02/2026", selesai="04/02/2026"),
        absen(4, mulai="2026-02-30", selesai="2026-03-02"),
    ]
    cases.append(
        Case(
            "ketidakhadiran_excel_dates",
            "ketidakhadiran",
            "Excel date serials, dd/mm/yyyy dates, 30 February",
            csv_text(h, rows).encode(),
            dimuat=(2,),
            karantina=(
                Baris(3, "TANGGAL_TIDAK_VALID", "mulai", "46056"),
                Baris(4, "TANGGAL_TIDAK_VALID", "mulai", "03/02/2026"),
                Baris(5, "TANGGAL_TIDAK_VALID", "mulai", "2026-02-30"),
            ),
        )
    )
    return cases


def _kinerja_cases() -> list[Case]:
    h = HEADERS["kinerja"]
    rows = [
        nilai(1, tanggal_penilaian="2026-03-02"),
        nilai(
            1,
            hasil_kerja="DI_ATAS",
            perilaku="DI_ATAS",
            predikat="SANGAT_BAIK",
            tanggal_penilaian="2026-03-04",
        ),
        nilai(2),
        nilai(2),
        nilai(3, status="DRAFT"),
    ]
    cases = [
        Case(
            "kinerja_duplicate_final",
            "kinerja",
            "two different FINAL evaluations for one NIP (dbt: WARN, latest counts), an exact "
            "duplicate, a DRAFT",
            csv_text(h, rows).encode(),
            dimuat=(2, 3, 4, 6),
            duplikat=(5,),
        )
    ]
    rows = [
        nilai(1),
        nilai(2, periode="2026-01"),
        nilai(3, periode="2026-2"),
        nilai(4, periode="Feb 2026"),
        nilai(5, periode="2026-13"),
    ]
    cases.append(
        Case(
            "kinerja_periode",
            "kinerja",
            "evaluation of another month; periode as 2026-2, Feb 2026, 2026-13",
            csv_text(h, rows).encode(),
            dimuat=(2,),
            karantina=(
                Baris(3, "DI_LUAR_PERIODE", "periode", "2026-01"),
                Baris(4, "PERIODE_TIDAK_VALID", "periode", "'2026-2'"),
                Baris(5, "PERIODE_TIDAK_VALID", "periode", "'Feb 2026'"),
                Baris(6, "PERIODE_TIDAK_VALID", "periode", "'2026-13'"),
            ),
        )
    )
    rows = [
        nilai(1, hasil_kerja="DI_BAWAH", perilaku="SESUAI", predikat="BAIK"),
        nilai(2, hasil_kerja="BAIK"),
        nilai(3, nip_penilai="19700101199501100"),
        nilai(4, predikat=""),
    ]
    cases.append(
        Case(
            "kinerja_ratings",
            "kinerja",
            "unknown rating, invalid evaluator NIP (predikat contradicting the matrix and an empty "
            "predikat load: dbt uses the matrix)",
            csv_text(h, rows).encode(),
            dimuat=(2, 5),
            karantina=(
                Baris(3, "KODE_TIDAK_DIKENAL", "hasil_kerja", "'BAIK'"),
                Baris(4, "NIP_TIDAK_VALID", "nip_penilai", "NIP penilai"),
            ),
        )
    )
    sheet = [
        ["LAPORAN PENILAIAN KINERJA BULANAN"],
        ["SI-KINERJA — BKD Provinsi NTT"],
        [],
        h,
        nilai(1),
        [float(nip(2)), *nilai(2)[1:]],
        nilai(3),
    ]
    cases.append(
        Case(
            "kinerja_xlsx_title_numeric_nip",
            "kinerja",
            "XLSX with a report title above the header and a NIP stored as a number",
            xlsx_bytes(sheet, "Penilaian"),
            ext="xlsx",
            dimuat=(5, 7),
            catatan=("baris 4",),
            karantina=(Baris(6, "NIP_TIDAK_VALID", "nip", "notasi ilmiah"),),
        )
    )
    sheet = [["LAPORAN"]] + [[f"catatan {i}"] for i in range(25)] + [h, nilai(1)]
    cases.append(
        Case(
            "kinerja_xlsx_header_too_low",
            "kinerja",
            "XLSX whose header is below row 20",
            xlsx_bytes(sheet),
            ext="xlsx",
            ditolak="JUDUL_TIDAK_DITEMUKAN",
            sebut=("20 baris",),
        )
    )
    return cases


def _aktivitas_cases() -> list[Case]:
    h = HEADERS["aktivitas"]
    rows = [
        aktivitas(1, durasi_menit="1"),
        aktivitas(2, durasi_menit="720"),
        aktivitas(3, durasi_menit="-30"),
        aktivitas(4, durasi_menit="0"),
        aktivitas(5, durasi_menit="721"),
        aktivitas(6, durasi_menit="1,5"),
        aktivitas(7, durasi_menit="satu jam"),
    ]
    cases = [
        Case(
            "aktivitas_durations",
            "aktivitas",
            "negative, zero and too long durations, decimal comma, words (1 and 720 load)",
            csv_text(h, rows).encode(),
            dimuat=(2, 3),
            karantina=(
                Baris(4, "DI_LUAR_RENTANG", "durasi_menit", "-30"),
                Baris(5, "DI_LUAR_RENTANG", "durasi_menit", "Nilai 0"),
                Baris(6, "DI_LUAR_RENTANG", "durasi_menit", "721"),
                Baris(7, "ANGKA_TIDAK_VALID", "durasi_menit", "1,5"),
                Baris(8, "ANGKA_TIDAK_VALID", "durasi_menit", "satu jam"),
            ),
        )
    ]
    rows = [
        aktivitas(1, uraian="Rapat, koordinasi"),
        aktivitas(2, uraian="Baris satu\nbaris dua\nbaris tiga"),
        aktivitas(3, uraian='Menyusun "SKP" tahunan'),
        aktivitas(4, uraian="Baris\r\nCRLF di dalam kutipan"),
        aktivitas(5),
    ]
    cases.append(
        Case(
            "aktivitas_quoted_newlines",
            "aktivitas",
            "quoted commas, quotes and line breaks (LF and CRLF) inside text fields",
            csv_text(h, rows).encode(),
            dimuat=(2, 3, 6, 7, 9),
            periksa=(
                (2, "uraian", "Rapat, koordinasi"),
                (3, "uraian", "Baris satu\nbaris dua\nbaris tiga"),
                (6, "uraian", 'Menyusun "SKP" tahunan'),
                (9, "nip", nip(5)),
            ),
        )
    )
    text = csv_text(h, [aktivitas(1)]) + "\n\n" + csv_text(h, [aktivitas(2)]).split("\n", 1)[1]
    text += "   \n"
    cases.append(
        Case(
            "aktivitas_blank_lines",
            "aktivitas",
            "blank lines between rows (not rows); a line of spaces is a broken row, not dropped",
            text.encode(),
            dimuat=(2, 5),
            karantina=(Baris(6, "BARIS_RUSAK", None, "berisi 1 kolom"),),
        )
    )
    rows = [
        aktivitas(1, tanggal="2026-01-30"),
        aktivitas(2, tanggal="2026-03-01"),
        aktivitas(3, status="SELESAI"),
        aktivitas(4),
    ]
    cases.append(
        Case(
            "aktivitas_period_and_status",
            "aktivitas",
            "activities dated outside the month, unknown status",
            csv_text(h, rows).encode(),
            dimuat=(5,),
            karantina=(
                Baris(2, "DI_LUAR_PERIODE", "tanggal", "2026-01-30"),
                Baris(3, "DI_LUAR_PERIODE", "tanggal", "2026-03-01"),
                Baris(4, "KODE_TIDAK_DIKENAL", "status", "'SELESAI'"),
            ),
        )
    )
    return cases


def build() -> list[Case]:
    cases = (
        _pegawai_cases()
        + _absensi_cases()
        + _ketidakhadiran_cases()
        + _kinerja_cases()
        + _aktivitas_cases()
    )
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), "case ids must be unique"
    return cases
