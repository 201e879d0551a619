"""Great Expectations suites as plain data (no ``great_expectations`` import here).

A suite is built for one asset and one period: the raw-zone Parquet of each source kind
(columns = ``orchestration.core.contract.raw_schema(kind)``) and the marts. ``quality.validate``
turns these specs into a GX ``ExpectationSuite`` lazily and runs it on a pandas frame.

Each expectation carries its severity: ERROR expectations make the suite's blocking check
(``gx_<suite>``) fail; WARN expectations make ``gx_<suite>_peringatan`` fail.

Checks that GX cannot express cheaply or exactly (a date inside the month, a golongan that fits
the status) use derived columns added by ``Suite.prepare`` (names start with ``_``), so every
rule still runs as a GX expectation over the whole frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

from orchestration.core.contract import (
    GOLONGAN_PNS,
    GOLONGAN_PPPK,
    KINDS,
    PREDIKAT,
    SCHEMAS,
    STATUS_PEGAWAI,
    raw_schema,
)
from orchestration.core.months import first_day, last_day
from quality.outcome import ERROR, WARN

# 18 digits: birth date yyyymmdd, TMT CPNS yyyymm, sex digit 1/2, 3-digit sequence.
NIP_REGEX = (
    r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
    r"(?:19|20)\d{2}(?:0[1-9]|1[0-2])[12]\d{3}$"
)

# Kinds without which a period cannot be paid (an empty raw file of these is an ERROR). The
# other kinds are optional: a month without their file skips their checks (quality.runner).
REQUIRED_KINDS = ("pegawai", "absensi", "kinerja")
# Kinds that never reach the TPP: their defects are reported (WARN), never block payroll. The
# shift roster (jadwal) is optional but decides a SHIFT employee's working days, so its
# contract rules keep ERROR, as the absences' do.
ANALYTICS_KINDS = ("aktivitas",)

# tpp-rules §7: the columns finance relies on.
TPP_BULANAN_COLUMNS = (
    "periode",
    "nip",
    "nama",
    "kode_opd",
    "status",
    "golongan",
    "kelas_jabatan",
    "hari_kerja",
    "hari_efektif",
    "hadir",
    "tk",
    "tl1",
    "tl2",
    "tl3",
    "tl4",
    "psw1",
    "psw2",
    "psw3",
    "psw4",
    "predikat",
    "persen_kinerja",
    "persen_disiplin",
    "tpp_basis",
    "tpp_kinerja",
    "tpp_disiplin",
    "tpp_bruto",
    "pph21",
    "iuran_bpjs",
    "tpp_neto",
    "aturan_versi",
)
AMOUNT_COLUMNS = (
    "tpp_basis",
    "tpp_kinerja",
    "tpp_disiplin",
    "tpp_bruto",
    "pph21",
    "iuran_bpjs",
    "tpp_neto",
)
DAY_COUNT_COLUMNS = ("hadir", "tk", "tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4")


@dataclass(frozen=True)
class Exp:
    """One expectation: GX class name (``gx.expectations.<type>``), its kwargs, severity and a
    Bahasa Indonesia sentence saying what a failure means."""

    type: str
    kwargs: dict[str, Any]
    pesan: str
    severity: str = ERROR


@dataclass(frozen=True)
class Suite:
    name: str  # "raw_pegawai" -> checks gx_raw_pegawai / gx_raw_pegawai_peringatan
    asset: str  # "raw/pegawai", "tpp_bulanan"
    periode: str
    expectations: tuple[Exp, ...]
    # columns naming a failing row for people (file/line or nip/department)
    locate: tuple[str, ...] = ()
    prepare: Callable[[pl.DataFrame], pl.DataFrame] | None = field(default=None, compare=False)

    @property
    def severities(self) -> tuple[str, ...]:
        return tuple(s for s in (ERROR, WARN) if any(e.severity == s for e in self.expectations))


def check_name(suite_name: str, severity: str) -> str:
    return f"gx_{suite_name}" if severity == ERROR else f"gx_{suite_name}_peringatan"


def month_bounds(periode: str) -> tuple[dt.date, dt.date]:
    """(first day, last day) of the month."""
    return first_day(periode), last_day(periode)


# --- small builders ---------------------------------------------------------------------------


def _not_null(col: str, pesan: str | None = None, severity: str = ERROR) -> Exp:
    return Exp(
        "ExpectColumnValuesToNotBeNull", {"column": col}, pesan or f"Kolom {col} kosong.", severity
    )


def _in_set(col: str, values, pesan: str | None = None, severity: str = ERROR) -> Exp:
    return Exp(
        "ExpectColumnValuesToBeInSet",
        {"column": col, "value_set": list(values)},
        pesan or f"Nilai kolom {col} di luar daftar yang sah.",
        severity,
    )


def _between(col: str, lo=None, hi=None, pesan: str | None = None, severity: str = ERROR) -> Exp:
    kwargs: dict[str, Any] = {"column": col}
    if lo is not None:
        kwargs["min_value"] = lo
    if hi is not None:
        kwargs["max_value"] = hi
    text = (
        pesan
        or f"Nilai kolom {col} di luar rentang {lo if lo is not None else '-'}.."
        f"{hi if hi is not None else '-'}."
    )
    return Exp("ExpectColumnValuesToBeBetween", kwargs, text, severity)


def _regex(col: str, regex: str, pesan: str, severity: str = ERROR) -> Exp:
    return Exp("ExpectColumnValuesToMatchRegex", {"column": col, "regex": regex}, pesan, severity)


def _a_ge_b(a: str, b: str, pesan: str, severity: str = ERROR) -> Exp:
    return Exp(
        "ExpectColumnPairValuesAToBeGreaterThanB",
        {
            "column_A": a,
            "column_B": b,
            "or_equal": True,
            "ignore_row_if": "either_value_is_missing",
        },
        pesan,
        severity,
    )


def _columns(cols, pesan: str) -> Exp:
    return Exp(
        "ExpectTableColumnsToMatchSet", {"column_set": list(cols), "exact_match": False}, pesan
    )


def _unique(cols: list[str], pesan: str, severity: str = ERROR) -> Exp:
    if len(cols) == 1:
        return Exp("ExpectColumnValuesToBeUnique", {"column": cols[0]}, pesan, severity)
    return Exp("ExpectCompoundColumnsToBeUnique", {"column_list": cols}, pesan, severity)


def _rows(lo: int, pesan: str, severity: str = ERROR) -> Exp:
    return Exp("ExpectTableRowCountToBeBetween", {"min_value": lo}, pesan, severity)


def _month_of(col: str) -> pl.Expr:
    return pl.col(col).dt.strftime("%Y-%m").alias(f"_bulan_{col}")


# --- raw zone ---------------------------------------------------------------------------------


def raw_suite(kind: str, periode: str) -> Suite:
    """Suite over ``raw/<kind>/<periode>.parquet``: the contract, re-checked after ingest."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    file_name = f"{kind}_{periode.replace('-', '')}"
    exps: list[Exp] = [
        _columns(raw_schema(kind).names(), f"Raw {kind} tidak memuat semua kolom kontrak."),
        _not_null("periode"),
        _in_set("periode", [periode], f"Baris raw {kind} berperiode lain dari {periode}."),
        _not_null("source_file"),
        _regex(
            "source_file",
            rf"(?i){file_name}",
            f"Baris raw {kind} {periode} tidak berasal dari berkas {file_name}.*.",
            WARN,
        ),
        _not_null("line_no"),
        _between("line_no", 1, None, "Nomor baris sumber tidak sah."),
        _unique(["source_file", "line_no"], "Satu baris berkas sumber dimuat lebih dari sekali."),
    ]
    if kind in REQUIRED_KINDS:
        exps.append(_rows(1, f"Raw {kind} periode {periode} kosong: TPP tidak dapat dihitung."))
    for col in SCHEMAS[kind]:
        if col.name == "periode":
            continue
        if not col.nullable:
            exps.append(_not_null(col.name, f"Kolom wajib {col.name} kosong di raw {kind}."))
        if col.kind == "nip":
            exps.append(
                _regex(col.name, NIP_REGEX, f"Kolom {col.name} bukan NIP 18 digit yang sah.")
            )
        elif col.kind == "enum":
            exps.append(_in_set(col.name, col.values, f"Kode {col.name} tidak dikenal kontrak."))
        if col.min is not None or col.max is not None:
            exps.append(_between(col.name, col.min, col.max))

    prepare = None
    start, end = month_bounds(periode)
    if kind == "pegawai":
        exps += [
            _unique(["nip"], "NIP tercatat lebih dari sekali di data pegawai (harus dikarantina)."),
            _in_set(
                "_golongan_sesuai_status",
                [True],
                "Golongan tidak sesuai status (PNS/CPNS: I/a..IV/e, PPPK: I..XVII).",
            ),
            _a_ge_b(
                "aktif_sampai",
                "tmt_opd",
                "aktif_sampai sebelum tmt_opd: pegawai tidak aktif satu hari pun.",
                WARN,
            ),
            _in_set(
                "_tmt_tidak_setelah_bulan", [True], f"tmt_opd setelah akhir bulan {periode}.", WARN
            ),
        ]
        pns = pl.col("status").is_in([s for s in STATUS_PEGAWAI if s != "PPPK"])

        def prepare(df: pl.DataFrame) -> pl.DataFrame:
            return df.with_columns(
                pl.when(pns)
                .then(pl.col("golongan").is_in(GOLONGAN_PNS))
                .otherwise(pl.col("golongan").is_in(GOLONGAN_PPPK))
                .alias("_golongan_sesuai_status"),
                (pl.col("tmt_opd") <= end).alias("_tmt_tidak_setelah_bulan"),
            )

    elif kind == "absensi":
        exps += [
            _in_set("_bulan_waktu", [periode], f"Tap absensi di luar bulan {periode}."),
            Exp(
                "ExpectColumnValuesToNotBeNull",
                {"column": "_lokasi_mobile"},
                "Tap MOBILE tanpa koordinat lat/lon.",
                WARN,
            ),
        ]

        def prepare(df: pl.DataFrame) -> pl.DataFrame:
            has_pos = pl.col("lat").is_not_null() & pl.col("lon").is_not_null()
            return df.with_columns(
                _month_of("waktu"),
                pl.when((pl.col("metode") != "MOBILE") | has_pos)
                .then(pl.lit(True))
                .otherwise(pl.lit(None, pl.Boolean))
                .alias("_lokasi_mobile"),
            )

    elif kind == "ketidakhadiran":
        exps += [
            _a_ge_b("selesai", "mulai", "Rentang ketidakhadiran terbalik (selesai < mulai)."),
            _in_set(
                "_menyentuh_bulan",
                [True],
                f"Rentang ketidakhadiran tidak menyentuh bulan {periode}.",
            ),
        ]

        def prepare(df: pl.DataFrame) -> pl.DataFrame:
            touches = (pl.col("mulai") <= end) & (pl.col("selesai") >= start)
            return df.with_columns(touches.alias("_menyentuh_bulan"))

    elif kind == "kinerja":
        # an empty predikat is allowed (the matrix decides); contradictions: crosssource
        exps.append(
            _unique(["_nip_final"], "Lebih dari satu penilaian FINAL untuk satu NIP.", WARN)
        )

        def prepare(df: pl.DataFrame) -> pl.DataFrame:
            final = pl.when(pl.col("status") == "FINAL").then(pl.col("nip"))
            return df.with_columns(final.alias("_nip_final"))

    elif kind == "aktivitas":
        exps.append(_in_set("_bulan_tanggal", [periode], f"Aktivitas di luar bulan {periode}."))

        def prepare(df: pl.DataFrame) -> pl.DataFrame:
            return df.with_columns(_month_of("tanggal"))

    elif kind == "jadwal":
        # unknown codes, unknown NIPs and two different rows for one (nip, tanggal) are the
        # dbt layer's (int_karantina_referensial): the raw zone may hold them
        exps += [
            _in_set("_bulan_tanggal", [periode], f"Jadwal dinas di luar bulan {periode}."),
            _in_set(
                "_kode_shift_baku",
                [True],
                "Kode shift tidak tersimpan dalam huruf kapital tanpa spasi di tepi.",
                WARN,
            ),
        ]

        def prepare(df: pl.DataFrame) -> pl.DataFrame:
            code = pl.col("kode_shift")
            return df.with_columns(
                _month_of("tanggal"),
                (code == code.str.strip_chars().str.to_uppercase()).alias("_kode_shift_baku"),
            )

    if kind in ANALYTICS_KINDS:
        exps = [replace(e, severity=WARN) for e in exps]
    return Suite(
        name=f"raw_{kind}",
        asset=f"raw/{kind}",
        periode=periode,
        expectations=tuple(exps),
        locate=("source_file", "line_no", "nip"),
        prepare=prepare,
    )


# --- marts ------------------------------------------------------------------------------------


def tpp_bulanan_suite(periode: str) -> Suite:
    exps: list[Exp] = [
        _columns(TPP_BULANAN_COLUMNS, "tpp_bulanan tidak memuat semua kolom wajib (tpp-rules §7)."),
        _rows(1, f"tpp_bulanan periode {periode} kosong."),
        _in_set("periode", [periode], f"Baris tpp_bulanan berperiode lain dari {periode}."),
        _regex("nip", NIP_REGEX, "NIP di tpp_bulanan bukan NIP 18 digit yang sah."),
        _in_set("status", STATUS_PEGAWAI, "Status pegawai tidak dikenal."),
        _in_set("golongan", GOLONGAN_PNS + GOLONGAN_PPPK, "Golongan tidak dikenal."),
        _between("kelas_jabatan", 1, 17, "Kelas jabatan di luar 1..17."),
        # hari_kerja is the employee's own pattern's (jadwal.md §5): SEKOLAH up to 27, SHIFT
        # up to 31 rostered days or 0 when the roster is all LIBUR
        _between("hari_kerja", 0, 31, "Hari kerja sebulan di luar 0..31."),
        _between("hari_efektif", 0, 31, "Hari efektif di luar 0..31."),
        _a_ge_b("hari_kerja", "hari_efektif", "Hari efektif melebihi hari kerja."),
        _a_ge_b("hari_efektif", "hadir", "Hari hadir melebihi hari efektif."),
        _a_ge_b("hari_efektif", "tk", "Hari TK melebihi hari efektif."),
        _in_set("predikat", PREDIKAT, "Predikat tidak dikenal."),
        _a_ge_b("tpp_bruto", "pph21", "PPh 21 melebihi TPP bruto."),
        _not_null("aturan_versi", "Baris TPP tanpa versi aturan."),
        _not_null("nama", "Nama pegawai kosong.", WARN),
    ]
    for col in (
        "periode",
        "nip",
        "kode_opd",
        "status",
        "golongan",
        "kelas_jabatan",
        "hari_kerja",
        "hari_efektif",
        *DAY_COUNT_COLUMNS,
        "persen_kinerja",
        "persen_disiplin",
        *AMOUNT_COLUMNS,
    ):
        exps.append(_not_null(col, f"Kolom {col} kosong di tpp_bulanan."))
    for col in (*DAY_COUNT_COLUMNS, *AMOUNT_COLUMNS):
        exps.append(_between(col, 0, None, f"Nilai negatif di kolom {col}."))
    return Suite("tpp_bulanan", "tpp_bulanan", periode, tuple(exps), locate=("nip", "kode_opd"))


def tpp_opd_bulanan_suite(periode: str) -> Suite:
    exps = (
        _columns(("periode", "kode_opd"), "tpp_opd_bulanan tanpa kolom periode/kode_opd."),
        _in_set("periode", [periode], f"Baris tpp_opd_bulanan berperiode lain dari {periode}."),
        _not_null("kode_opd"),
        _unique(["periode", "kode_opd"], "Satu OPD tercatat lebih dari sekali dalam satu periode."),
    )
    return Suite("tpp_opd_bulanan", "tpp_opd_bulanan", periode, exps, locate=("kode_opd",))


def tpp_harian_suite(periode: str) -> Suite:
    exps = (
        _columns(
            ("periode", "nip", "kode_opd", "tanggal"),
            "tpp_harian tanpa kolom periode/nip/kode_opd/tanggal.",
        ),
        _in_set("periode", [periode], f"Baris tpp_harian berperiode lain dari {periode}."),
        _not_null("nip"),
        _not_null("kode_opd"),
        _not_null("tanggal"),
        _in_set("_bulan_tanggal", [periode], f"Tanggal tpp_harian di luar bulan {periode}."),
        _unique(["nip", "tanggal"], "Satu pegawai punya lebih dari satu baris per tanggal."),
    )

    def prepare(df: pl.DataFrame) -> pl.DataFrame:
        if "tanggal" not in df.columns:
            return df
        return df.with_columns(
            pl.col("tanggal").cast(pl.Date).dt.strftime("%Y-%m").alias("_bulan_tanggal")
        )

    return Suite(
        "tpp_harian",
        "tpp_harian",
        periode,
        exps,
        locate=("nip", "kode_opd", "tanggal"),
        prepare=prepare,
    )


def temuan_suite(periode: str) -> Suite:
    exps = (
        _columns(("periode", "tingkat", "kode", "pesan"), "temuan tanpa kolom wajib."),
        _in_set("tingkat", ["ERROR", "WARN"], "Tingkat temuan selain ERROR/WARN."),
        _not_null("kode", "Temuan tanpa kode."),
        _not_null("pesan", "Temuan tanpa pesan."),
    )
    return Suite(
        "temuan", "temuan", periode, exps, locate=("kode", "nip", "source_file", "line_no")
    )


def karantina_suite(periode: str) -> Suite:
    exps = (
        _columns(
            ("kind", "periode", "source_file", "line_no", "kode_alasan", "alasan"),
            "karantina tanpa kolom wajib.",
        ),
        _in_set("kind", KINDS, "Jenis berkas karantina tidak dikenal."),
        _not_null("kode_alasan", "Baris karantina tanpa kode alasan."),
        _not_null("alasan", "Baris karantina tanpa alasan."),
        _between("line_no", 0, None, "Nomor baris karantina negatif."),
    )
    return Suite("karantina", "karantina", periode, exps, locate=("source_file", "line_no"))


MART_SUITES: dict[str, Callable[[str], Suite]] = {
    "tpp_bulanan": tpp_bulanan_suite,
    "tpp_opd_bulanan": tpp_opd_bulanan_suite,
    "tpp_harian": tpp_harian_suite,
    "temuan": temuan_suite,
    "karantina": karantina_suite,
}


def suite_for(asset: str, periode: str) -> Suite:
    """``"raw/absensi"`` or a mart name -> its suite for ``periode``."""
    if asset.startswith("raw/"):
        return raw_suite(asset.removeprefix("raw/"), periode)
    return MART_SUITES[asset](periode)


def suite_severities(asset: str) -> tuple[str, ...]:
    """Which of gx_<suite> / gx_<suite>_peringatan exist for an asset (any period)."""
    return suite_for(asset, "2024-01").severities
