"""The source contract of ``../shared/spec/sources.md`` as data.

One definition serves the simulator (which writes these files), the validator (which checks
them) and the raw zone (which stores the typed, validated rows for dbt).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass

import polars as pl

from orchestration.core.paths import SEEDS_DIR

KINDS = ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal")
XLSX_KINDS = ("pegawai", "kinerja")
# Kinds whose month may truly have no row: a header-only file is "nothing this month" (no
# approved absence, no logged activity) and, as a correction, empties the month. A header-only
# master, tap, evaluation or roster file is a broken export and is rejected (BERKAS_TANPA_DATA).
MAY_BE_EMPTY = ("ketidakhadiran", "aktivitas")

FILE_NAME = re.compile(
    r"^(?P<kind>pegawai|absensi|ketidakhadiran|kinerja|aktivitas|jadwal)_(?P<yyyymm>\d{6})\.(?P<ext>csv|xlsx)$",
    re.IGNORECASE,
)

STATUS_PEGAWAI = ("PNS", "CPNS", "PPPK")
GOLONGAN_PNS = tuple(f"{r}/{s}" for r in ("I", "II", "III", "IV") for s in "abcd") + ("IV/e",)
GOLONGAN_PPPK = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
    "XIII",
    "XIV",
    "XV",
    "XVI",
    "XVII",
)
JENIS_JABATAN = ("JPT", "ADMINISTRATOR", "PENGAWAS", "FUNGSIONAL", "PELAKSANA")
JENIS_TAP = ("MASUK", "PULANG")
METODE_TAP = ("FINGER", "WAJAH", "MOBILE")
KODE_ABSEN = ("CT", "CS", "CB", "CM", "CAP", "CLTN", "DL", "DIKLAT", "TB", "IZIN")
STATUS_PENGAJUAN = ("DISETUJUI", "DITOLAK", "DIAJUKAN")
RATING = ("DI_ATAS", "SESUAI", "DI_BAWAH")
PREDIKAT = ("SANGAT_BAIK", "BAIK", "BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")
STATUS_PENILAIAN = ("FINAL", "DRAFT")
POLA_KERJA = ("KANTOR", "SEKOLAH", "SHIFT")  # jadwal.md §1


def _matriks_predikat() -> dict[tuple[str, str], str]:
    """PermenPANRB 6/2022: (hasil_kerja, perilaku) -> predikat, read from the dbt seed
    ``transforms/seeds/ref_matriks_predikat.csv`` (the one copy; dbt's int_kinerja_bulanan
    uses the same seed), in the seed's row order."""
    with open(SEEDS_DIR / "ref_matriks_predikat.csv", newline="", encoding="utf-8") as handle:
        return {(r["hasil_kerja"], r["perilaku"]): r["predikat"] for r in csv.DictReader(handle)}


# The matrix is the truth.
PREDIKAT_MATRIX = _matriks_predikat()


@dataclass(frozen=True)
class Column:
    """One column of an export file.

    ``kind`` names the parser: text, nip, enum, int, decimal, date, timestamp, periode.
    """

    name: str
    kind: str
    required: bool = True  # the column must be present in the header
    nullable: bool = False  # an empty cell is allowed
    values: tuple[str, ...] = ()  # allowed values for enum columns
    min: int | None = None
    max: int | None = None
    upper: bool = False  # text stored upper-case (a code compared case-insensitively later)


SCHEMAS: dict[str, tuple[Column, ...]] = {
    "pegawai": (
        Column("nip", "nip"),
        Column("nama", "text"),
        Column("status", "enum", values=STATUS_PEGAWAI),
        Column("golongan", "enum", values=GOLONGAN_PNS + GOLONGAN_PPPK),
        Column("jenis_jabatan", "enum", values=JENIS_JABATAN),
        Column("nama_jabatan", "text"),
        Column("kelas_jabatan", "int", min=1, max=17),
        Column("kode_opd", "text"),
        Column("nama_opd", "text"),
        Column("tmt_opd", "date"),
        Column("aktif_sampai", "date", nullable=True),
        # optional: empty or absent = the rulebook's pattern of the department (jadwal.md §1)
        Column("pola_kerja", "enum", required=False, nullable=True, values=POLA_KERJA),
    ),
    "absensi": (
        Column("id_mesin", "text"),
        Column("nip", "nip"),
        Column("waktu", "timestamp"),
        Column("jenis", "enum", nullable=True, values=JENIS_TAP),
        Column("metode", "enum", values=METODE_TAP),
        Column("lat", "decimal", nullable=True, min=-90, max=90),
        Column("lon", "decimal", nullable=True, min=-180, max=180),
    ),
    "ketidakhadiran": (
        Column("nip", "nip"),
        Column("kode", "enum", values=KODE_ABSEN),
        Column("mulai", "date"),
        Column("selesai", "date"),
        Column("status", "enum", values=STATUS_PENGAJUAN),
        Column("nomor_surat", "text", nullable=True),
    ),
    "kinerja": (
        Column("nip", "nip"),
        Column("periode", "periode"),
        Column("hasil_kerja", "enum", values=RATING),
        Column("perilaku", "enum", values=RATING),
        Column("predikat", "enum", nullable=True, values=PREDIKAT),
        Column("status", "enum", values=STATUS_PENILAIAN),
        Column("nip_penilai", "nip"),
        Column("tanggal_penilaian", "date"),
    ),
    "aktivitas": (
        Column("nip", "nip"),
        Column("tanggal", "date"),
        Column("uraian", "text"),
        Column("durasi_menit", "int", min=1, max=720),
        Column("status", "enum", values=STATUS_PENGAJUAN),
    ),
    # the shift roster (jadwal.md §3): one row per rostered day of a SHIFT employee; the code
    # is checked against the period's rulebook in dbt (int_karantina_referensial)
    "jadwal": (
        Column("nip", "nip"),
        Column("tanggal", "date"),
        Column("kode_shift", "text", upper=True),
    ),
}

_POLARS_TYPE = {
    "text": pl.String,
    "nip": pl.String,
    "enum": pl.String,
    "int": pl.Int32,
    "decimal": pl.Float64,  # coordinates only; money is never read from exports
    "date": pl.Date,
    "timestamp": pl.Datetime("us"),
    "periode": pl.String,
}

# Lineage columns every raw-zone row carries, so a finding downstream can name file and line.
LINEAGE = {"periode": pl.String, "source_file": pl.String, "line_no": pl.Int32}


def optional_columns(kind: str) -> list[str]:
    """Contract columns an export may leave out (``Column.required`` False)."""
    return [c.name for c in SCHEMAS[kind] if not c.required]


def raw_schema(kind: str) -> pl.Schema:
    """Typed schema of the raw-zone Parquet for ``kind`` (what dbt's staging reads).

    The file's own ``periode`` column (kinerja) is the file's period after validation, so it is
    stored once, as the lineage ``periode``.
    """
    cols = {c.name: _POLARS_TYPE[c.kind] for c in SCHEMAS[kind] if c.name != "periode"}
    return pl.Schema({**LINEAGE, **cols})


QUARANTINE_SCHEMA = pl.Schema(
    {
        "kind": pl.String,
        "periode": pl.String,
        "source_file": pl.String,
        "line_no": pl.Int32,  # 0 for a finding about the whole file
        "kolom": pl.String,
        "nilai": pl.String,
        "kode_alasan": pl.String,  # machine code, e.g. NIP_TIDAK_VALID, KOLOM_HILANG, NIP_GANDA
        "alasan": pl.String,  # plain Bahasa Indonesia sentence for people
        # the row's NIP when it is a valid one (whichever column failed), so that a rejected
        # row still says whose it is; null for a finding about the whole file or an unreadable row
        "nip": pl.String,
    }
)


def period_in_name_ok(yyyymm: str) -> bool:
    """``YYYYMM`` of a file name names a payroll month: year 1900-2099 (the NIP's years; year
    0000 is no date at all), month 01-12."""
    return yyyymm[:2] in ("19", "20") and 1 <= int(yyyymm[4:]) <= 12


def parse_file_name(name: str) -> tuple[str, str, str] | None:
    """``absensi_202403.csv`` -> ("absensi", "2024-03", "csv"); None when it is not an export."""
    m = FILE_NAME.match(name)
    if not m:
        return None
    yyyymm = m["yyyymm"]
    if not period_in_name_ok(yyyymm):
        return None
    kind, ext = m["kind"].lower(), m["ext"].lower()
    if ext == "xlsx" and kind not in XLSX_KINDS:
        return None
    return kind, f"{yyyymm[:4]}-{yyyymm[4:]}", ext


def format_nip(nip: str) -> str:
    """``199008152016011005`` -> ``19900815 201601 1 005`` (display form)."""
    return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}" if len(nip) == 18 else nip


def format_nip_expr(nip: pl.Expr) -> pl.Expr:
    """``format_nip`` as a Polars expression (no Python per row)."""
    parts = (nip.str.slice(0, 8), nip.str.slice(8, 6), nip.str.slice(14, 1), nip.str.slice(15))
    return pl.when(nip.str.len_chars() == 18).then(pl.format("{} {} {} {}", *parts)).otherwise(nip)
