"""Machine formats for the payroll system: one CSV or Parquet for all selected departments.

Two files per run, with stable column names: ``tpp_<periode>`` (one row per tpp_bulanan row)
and ``tpp_koreksi_<periode>`` (corrections paid with the period; header only when none).
Amounts are plain integers (whole rupiah); percentages are plain decimals with a dot (``92.5``);
CSV is UTF-8 without BOM, comma separated, ``\\n`` line ends; NIP is text (18 digits).
Every row ends with ``status_periode`` (``DRAFT``, ``VERIFIED`` or ``LOCKED``: the period's
status as published), so an import can refuse rows that are not yet a basis for payment.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pyarrow as pa
import pyarrow.parquet as pq

from orchestration.core import formatting
from orchestration.core.published import AMOUNTS
from orchestration.nominatif.daftar import Daftar

KOLOM_TPP = (
    "periode",
    "kode_opd",
    "nama_opd",
    "nip",
    "nama",
    "status",
    "golongan",
    "jabatan",
    "kelas_jabatan",
    "segmen",
    "hari_kerja",
    "hari_efektif",
    "tk",
    "tl",
    "psw",
    "predikat",
    "persen_kinerja",
    "persen_disiplin",
    *AMOUNTS,
    "aturan_versi",
    "status_periode",
)
KOLOM_KOREKSI = (
    "periode_bayar",
    "periode_asal",
    "kode_opd",
    "nama_opd",
    "nip",
    "nama",
    *(f"selisih_{a}" for a in AMOUNTS),
    "alasan",
    "status_periode",
)

_INT = {"kelas_jabatan", "hari_kerja", "hari_efektif", "tk", "tl", "psw", *AMOUNTS}
SKEMA_TPP = pa.schema(
    [
        (
            c,
            pa.int64()
            if c in _INT
            else pa.decimal128(9, 4)
            if c.startswith("persen_")
            else pa.string(),
        )
        for c in KOLOM_TPP
    ]
)
SKEMA_KOREKSI = pa.schema(
    [(c, pa.int64() if c.startswith("selisih_") else pa.string()) for c in KOLOM_KOREKSI]
)


def tpp_rows(daftar: list[Daftar]) -> list[dict]:
    return [
        {
            "periode": d.periode,
            "kode_opd": d.kode_opd,
            "nama_opd": d.nama_opd,
            "nip": b.nip,
            "nama": b.nama,
            "status": b.status,
            "golongan": b.golongan,
            "jabatan": b.jabatan,
            "kelas_jabatan": b.kelas,
            "segmen": b.segmen,
            "hari_kerja": b.hari_kerja,
            "hari_efektif": b.hari_efektif,
            "tk": b.tk,
            "tl": b.tl,
            "psw": b.psw,
            "predikat": b.predikat,
            "persen_kinerja": b.persen_kinerja,
            "persen_disiplin": b.persen_disiplin,
            **b.jumlah,
            "aturan_versi": b.aturan_versi,
            "status_periode": d.status_periode,
        }
        for d in daftar
        for b in d.baris
    ]


def koreksi_file_rows(daftar: list[Daftar]) -> list[dict]:
    return [
        {
            "periode_bayar": d.periode,
            "periode_asal": k.periode_asal,
            "kode_opd": d.kode_opd,
            "nama_opd": d.nama_opd,
            "nip": k.nip,
            "nama": k.nama,
            **{f"selisih_{a}": k.selisih[a] for a in AMOUNTS},
            "alasan": k.alasan,
            "status_periode": d.status_periode,
        }
        for d in daftar
        for k in d.koreksi
    ]


def _csv_value(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return formatting.angka_desimal(value)
    return value


def to_csv(rows: list[dict], columns: tuple[str, ...]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_value(row[c]) for c in columns])
    return buffer.getvalue().encode("utf-8")


def to_parquet(rows: list[dict], schema: pa.Schema) -> bytes:
    table = pa.Table.from_pylist(rows, schema=schema)
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd", compression_level=3, data_page_version="1.0")
    return buffer.getvalue()


def render(daftar: list[Daftar], fmt: str) -> tuple[bytes, bytes]:
    """(tpp file, koreksi file) in ``fmt`` (csv or parquet)."""
    tpp, koreksi = tpp_rows(daftar), koreksi_file_rows(daftar)
    if fmt == "csv":
        return to_csv(tpp, KOLOM_TPP), to_csv(koreksi, KOLOM_KOREKSI)
    return to_parquet(tpp, SKEMA_TPP), to_parquet(koreksi, SKEMA_KOREKSI)
