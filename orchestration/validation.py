"""The contract validator: the rows of one export file -> valid typed rows, quarantine, duplicates.

Every rule of ``sources.md`` that can be decided from one file alone is here, written as Polars
expressions (no per-row Python). Cross-file and cross-row rules that need the master or other
rows of the period (unknown NIP, several FINAL evaluations, overlapping absences, predikat
contradicting the matrix) belong to the dbt layer, which names file and line from the lineage
columns written here.

Every data row of the file ends up in exactly one of: ``valid`` (typed, ``raw_schema(kind)``),
``quarantine`` (``QUARANTINE_SCHEMA``, one row per rejected row, first failing column) or
``duplicates`` (exact repeats of an earlier row, which count once). So
``read == loaded + quarantined + duplicates``.

All reason codes (``kode_alasan``) and their Bahasa Indonesia sentences live in ``ALASAN`` below.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl

from orchestration.contract import (
    GOLONGAN_PNS,
    GOLONGAN_PPPK,
    QUARANTINE_SCHEMA,
    SCHEMAS,
    Column,
    format_nip,
    raw_schema,
)
from orchestration.months import first_day, next_month

# --- columns the reader adds next to the file's own columns -------------------------------------
LINE_NO = "line_no"  # physical line (CSV; header = 1) or sheet row (XLSX) where the row starts
READ_PROBLEM = "_cacat_baca"  # rendered reason when the reader could not map a row safely
RAW_LINE = "_baris_mentah"  # the raw text of such a row, shown as the quarantined value
INTERNAL_COLUMNS = (LINE_NO, READ_PROBLEM, RAW_LINE)

# --- reason codes ----------------------------------------------------------------------------
# file level (quarantine row with line_no 0; the file is not loaded)
BERKAS_TIDAK_TERBACA = "BERKAS_TIDAK_TERBACA"
BERKAS_KOSONG = "BERKAS_KOSONG"
JUDUL_TIDAK_DITEMUKAN = "JUDUL_TIDAK_DITEMUKAN"
KOLOM_HILANG = "KOLOM_HILANG"
KOLOM_GANDA = "KOLOM_GANDA"
BERKAS_TANPA_DATA = "BERKAS_TANPA_DATA"
SEMUA_BARIS_DITOLAK = "SEMUA_BARIS_DITOLAK"
# row level
BARIS_RUSAK = "BARIS_RUSAK"
WAJIB_KOSONG = "WAJIB_KOSONG"
NIP_TIDAK_VALID = "NIP_TIDAK_VALID"
KODE_TIDAK_DIKENAL = "KODE_TIDAK_DIKENAL"
ANGKA_TIDAK_VALID = "ANGKA_TIDAK_VALID"
DI_LUAR_RENTANG = "DI_LUAR_RENTANG"
TANGGAL_TIDAK_VALID = "TANGGAL_TIDAK_VALID"
WAKTU_TIDAK_VALID = "WAKTU_TIDAK_VALID"
PERIODE_TIDAK_VALID = "PERIODE_TIDAK_VALID"
GOLONGAN_TIDAK_SESUAI = "GOLONGAN_TIDAK_SESUAI"
RENTANG_TANGGAL_TERBALIK = "RENTANG_TANGGAL_TERBALIK"
DI_LUAR_PERIODE = "DI_LUAR_PERIODE"
NIP_GANDA = "NIP_GANDA"

FILE_LEVEL_CODES = (
    BERKAS_TIDAK_TERBACA,
    BERKAS_KOSONG,
    JUDUL_TIDAK_DITEMUKAN,
    KOLOM_HILANG,
    KOLOM_GANDA,
    BERKAS_TANPA_DATA,
    SEMUA_BARIS_DITOLAK,
)


@dataclass(frozen=True)
class Alasan:
    """A reason: machine code + sentence template (``str.format`` placeholders)."""

    kode: str
    templat: str

    def teks(self, **fields: object) -> str:
        return self.templat.format(**fields)


# Template id -> reason. Several templates may share one code (e.g. the ways a NIP is invalid).
ALASAN: dict[str, Alasan] = {
    # file level
    "BERKAS_TIDAK_TERBACA": Alasan(
        BERKAS_TIDAK_TERBACA,
        "Berkas '{berkas}' tidak dapat dibaca: {detail}; seluruh berkas ditolak.",
    ),
    "BERKAS_KOSONG": Alasan(
        BERKAS_KOSONG,
        "Berkas '{berkas}' kosong: tidak ada judul kolom maupun data; seluruh berkas ditolak.",
    ),
    "JUDUL_TIDAK_DITEMUKAN": Alasan(
        JUDUL_TIDAK_DITEMUKAN,
        "Baris judul kolom tidak ditemukan dalam {n} baris pertama lembar '{lembar}' berkas "
        "'{berkas}' (dicari kolom: {daftar}); seluruh berkas ditolak.",
    ),
    "KOLOM_HILANG": Alasan(
        KOLOM_HILANG,
        "Kolom wajib {daftar} tidak ada di berkas '{berkas}'{petunjuk}; seluruh berkas ditolak.",
    ),
    "KOLOM_GANDA": Alasan(
        KOLOM_GANDA,
        "Kolom '{kolom}' muncul {n} kali di judul berkas '{berkas}' sehingga tidak jelas kolom "
        "mana yang berlaku; seluruh berkas ditolak.",
    ),
    "BERKAS_TANPA_DATA": Alasan(
        BERKAS_TANPA_DATA,
        "Berkas '{berkas}' hanya berisi judul kolom tanpa satu pun baris data; berkas ditolak.",
    ),
    "SEMUA_BARIS_DITOLAK": Alasan(
        SEMUA_BARIS_DITOLAK,
        "Tidak ada satu pun dari {n} baris berkas '{berkas}' yang lolos validasi (rincian per "
        "baris ada di karantina); berkas ditolak.",
    ),
    # row level
    "BARIS_RUSAK": Alasan(
        BARIS_RUSAK,
        "Baris berisi {jumlah} kolom, sedangkan judul berkas berisi {n} kolom; isi baris tidak "
        "dapat dipetakan ke kolom dengan aman.",
    ),
    "WAJIB_KOSONG": Alasan(WAJIB_KOSONG, "Kolom '{kolom}' wajib diisi tetapi kosong."),
    "NIP_FORMAT": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: harus tepat 18 digit angka tanpa spasi atau tanda baca "
        "(terisi {n} karakter).",
    ),
    "NIP_NOTASI_ILMIAH": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: tersimpan sebagai angka (notasi ilmiah) sehingga digit "
        "terakhirnya hilang; simpan kolom NIP sebagai teks di sumber.",
    ),
    "NIP_TANGGAL_LAHIR": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: tanggal lahir {tanggal} bukan tanggal yang ada.",
    ),
    "NIP_TMT": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: TMT CPNS {bulan} bukan bulan yang ada.",
    ),
    "NIP_JENIS_KELAMIN": Alasan(
        NIP_TIDAK_VALID,
        "{label} '{nilai}' tidak valid: digit jenis kelamin '{digit}' harus 1 (pria) atau "
        "2 (wanita).",
    ),
    "KODE_TIDAK_DIKENAL": Alasan(
        KODE_TIDAK_DIKENAL,
        "Nilai '{nilai}' pada kolom '{kolom}' tidak dikenal; nilai yang diizinkan: {daftar}.",
    ),
    "ANGKA_BULAT": Alasan(
        ANGKA_TIDAK_VALID, "Nilai '{nilai}' pada kolom '{kolom}' bukan bilangan bulat."
    ),
    "ANGKA_DESIMAL": Alasan(
        ANGKA_TIDAK_VALID,
        "Nilai '{nilai}' pada kolom '{kolom}' bukan angka desimal (gunakan titik sebagai "
        "pemisah desimal).",
    ),
    "DI_LUAR_RENTANG": Alasan(
        DI_LUAR_RENTANG,
        "Nilai {nilai} pada kolom '{kolom}' di luar rentang yang diizinkan ({min} s.d. {max}).",
    ),
    "TANGGAL_FORMAT": Alasan(
        TANGGAL_TIDAK_VALID,
        "Tanggal '{nilai}' pada kolom '{kolom}' tidak valid: harus berformat YYYY-MM-DD, "
        "misalnya 2024-03-15.",
    ),
    "TANGGAL_TIDAK_ADA": Alasan(
        TANGGAL_TIDAK_VALID,
        "Tanggal '{nilai}' pada kolom '{kolom}' tidak valid: bukan tanggal yang ada di kalender.",
    ),
    "WAKTU_FORMAT": Alasan(
        WAKTU_TIDAK_VALID,
        "Waktu '{nilai}' pada kolom '{kolom}' tidak valid: harus berformat YYYY-MM-DD HH:MM:SS "
        "(jam WITA, tanpa zona waktu), misalnya 2024-03-15 07:05:00.",
    ),
    "WAKTU_TIDAK_ADA": Alasan(
        WAKTU_TIDAK_VALID,
        "Waktu '{nilai}' pada kolom '{kolom}' tidak valid: tanggalnya tidak ada di kalender.",
    ),
    "PERIODE_FORMAT": Alasan(
        PERIODE_TIDAK_VALID,
        "Periode '{nilai}' pada kolom '{kolom}' tidak valid: harus berformat YYYY-MM dengan "
        "bulan 01 s.d. 12, misalnya 2024-03.",
    ),
    "GOLONGAN_PNS": Alasan(
        GOLONGAN_TIDAK_SESUAI,
        "Golongan '{nilai}' tidak sesuai dengan status {status}: PNS dan CPNS memakai golongan "
        "I/a s.d. IV/e.",
    ),
    "GOLONGAN_PPPK": Alasan(
        GOLONGAN_TIDAK_SESUAI,
        "Golongan '{nilai}' tidak sesuai dengan status PPPK: PPPK memakai golongan I s.d. XVII.",
    ),
    "RENTANG_TERBALIK": Alasan(
        RENTANG_TANGGAL_TERBALIK,
        "Tanggal selesai {selesai} lebih awal daripada tanggal mulai {mulai}.",
    ),
    "DI_LUAR_PERIODE_TANGGAL": Alasan(
        DI_LUAR_PERIODE,
        "Baris bertanggal {tanggal} (kolom '{kolom}') bukan milik periode {periode}; baris ini "
        "seharusnya ada di berkas periode {periode_benar}.",
    ),
    "DI_LUAR_PERIODE_PENILAIAN": Alasan(
        DI_LUAR_PERIODE,
        "Penilaian untuk periode {nilai} bukan milik berkas periode {periode}; baris ini "
        "seharusnya ada di berkas periode {nilai}.",
    ),
    "DI_LUAR_PERIODE_RENTANG": Alasan(
        DI_LUAR_PERIODE,
        "Ketidakhadiran {mulai} s.d. {selesai} tidak menyentuh periode {periode}; baris ini "
        "seharusnya ada di berkas periode {periode_benar}.",
    ),
    "NIP_GANDA": Alasan(
        NIP_GANDA,
        "NIP '{nilai}' muncul di {n} baris berbeda dalam satu snapshot (baris {baris}); semua "
        "baris NIP ini ditahan dan periode {periode} diblokir sampai sumber diperbaiki.",
    ),
}

KODE_ALASAN: tuple[str, ...] = tuple(dict.fromkeys(a.kode for a in ALASAN.values()))

# Messages that are not quarantine rows: file notes and blocking period errors.
PESAN: dict[str, str] = {
    "KOLOM_TAMBAHAN": "Kolom tambahan di berkas '{berkas}' diabaikan: {daftar}.",
    "TANPA_DATA": "Berkas '{berkas}' tidak berisi baris data.",
    "PERIODE_DIBLOKIR": (
        "Periode {periode} diblokir: NIP {nip} muncul di {n} baris berbeda pada berkas "
        "'{berkas}' (baris {baris}); perbaiki sumber lalu kirim ulang berkas."
    ),
    "PERIODE_DIBLOKIR_LAINNYA": (
        "Periode {periode} diblokir: {n} NIP lain juga muncul di lebih dari satu baris pada "
        "berkas '{berkas}' (lihat karantina, kode NIP_GANDA)."
    ),
}
MAX_ERROR_LINES = 50  # NIP_GANDA errors listed one by one up to this many, then summarised


def alasan(template_id: str, **fields: object) -> tuple[str, str]:
    """``(kode_alasan, sentence)`` for a template id, for file-level and reader messages."""
    a = ALASAN[template_id]
    return a.kode, a.teks(**fields)


# --- patterns (ASCII digits only: ``\\d`` would also accept other scripts' digits) -------------
NIP_RE = r"^[0-9]{18}$"
SCI_RE = r"^[0-9]([.,][0-9]+)?[eE]\+?[0-9]+$"
INT_RE = r"^-?[0-9]{1,9}$"
DEC_RE = r"^-?[0-9]{1,3}(\.[0-9]+)?$"
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TS_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$"
PERIODE_RE = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
TS_FORMAT = "%Y-%m-%d %H:%M:%S"
SHOW_MAX = 80  # longest value quoted inside a sentence

# The column that dates a row of these kinds: a row dated outside the file's month is
# quarantined (sources.md: it belongs in that month's file). Rosters are dated by the day the
# shift starts (jadwal.md §3), so a night shift of the month's last day stays in its file.
ROW_DATE = {"absensi": "waktu", "aktivitas": "tanggal", "jadwal": "tanggal"}


# --- result ----------------------------------------------------------------------------------
@dataclass
class ValidationResult:
    kind: str
    periode: str
    source_file: str
    valid: pl.DataFrame  # raw_schema(kind), sorted by line_no
    quarantine: pl.DataFrame  # QUARANTINE_SCHEMA, sorted by line_no
    duplicates: pl.DataFrame  # line_no, sama_dengan_baris (the earlier line it repeats)
    read: int = 0  # data rows in the file
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # blocking period-level findings
    file_rejected: bool = False

    @property
    def counts(self) -> dict[str, int]:
        rows = self.quarantine.filter(pl.col(LINE_NO) > 0).height
        rejected_rows = self.read if self.file_rejected else rows
        return {
            "read": self.read,
            "loaded": self.valid.height,
            "quarantined": rejected_rows,
            "duplicates": self.duplicates.height,
        }


DUPLICATES_SCHEMA = pl.Schema({LINE_NO: pl.Int32, "sama_dengan_baris": pl.Int32})


def quarantine_row(
    kind: str,
    periode: str,
    source_file: str,
    template_id: str,
    *,
    line_no: int = 0,
    kolom: str | None = None,
    nilai: str | None = None,
    **fields: object,
) -> pl.DataFrame:
    """One quarantine row (default: a finding about the whole file, line 0)."""
    kode, teks = alasan(template_id, berkas=source_file, periode=periode, **fields)
    return pl.DataFrame(
        [[kind, periode, source_file, line_no, kolom, nilai, kode, teks]],
        schema=QUARANTINE_SCHEMA,
        orient="row",
    )


def reject_file(
    kind: str,
    periode: str,
    source_file: str,
    template_id: str,
    *,
    read: int = 0,
    kolom: str | None = None,
    nilai: str | None = None,
    notes: list[str] | None = None,
    **fields: object,
) -> ValidationResult:
    """A whole file rejected: nothing valid, one line-0 quarantine row."""
    kode, teks = alasan(template_id, berkas=source_file, periode=periode, **fields)
    return rejected_result(
        kind, periode, source_file, kode, teks, read=read, kolom=kolom, nilai=nilai, notes=notes
    )


def rejected_result(
    kind: str,
    periode: str,
    source_file: str,
    kode: str,
    teks: str,
    *,
    read: int = 0,
    kolom: str | None = None,
    nilai: str | None = None,
    notes: list[str] | None = None,
) -> ValidationResult:
    """A whole file rejected with an already rendered reason (e.g. from the reader)."""
    quarantine = pl.DataFrame(
        [[kind, periode, source_file, 0, kolom, nilai, kode, teks]],
        schema=QUARANTINE_SCHEMA,
        orient="row",
    )
    return ValidationResult(
        kind=kind,
        periode=periode,
        source_file=source_file,
        valid=raw_schema(kind).to_frame(),
        quarantine=quarantine,
        duplicates=DUPLICATES_SCHEMA.to_frame(),
        notes=list(notes or []),
        file_rejected=True,
        read=read,
    )


# --- expression helpers ----------------------------------------------------------------------
def _render(template_id: str, fields: dict[str, pl.Expr | str | int]) -> pl.Expr:
    """A template as a vectorised string expression (only evaluated for quarantined rows)."""
    parts: list[pl.Expr] = []
    for literal, name, _spec, _conv in string.Formatter().parse(ALASAN[template_id].templat):
        if literal:
            parts.append(pl.lit(literal))
        if name is not None:
            value = fields[name]
            if isinstance(value, pl.Expr):
                parts.append(value.cast(pl.String).fill_null(""))
            else:
                parts.append(pl.lit(str(value)))
    return pl.concat_str(parts)


def _show(expr: pl.Expr) -> pl.Expr:
    """A value as quoted in a sentence: at most SHOW_MAX characters."""
    return (
        pl.when(expr.str.len_chars() > SHOW_MAX)
        .then(pl.concat_str([expr.str.slice(0, SHOW_MAX), pl.lit("…")]))
        .otherwise(expr)
    )


def _cleaned(name: str) -> pl.Expr:
    return pl.col(name)


def _typed(name: str) -> pl.Expr:
    return pl.col(f"__t_{name}")


def _month_bounds(periode: str) -> tuple[date, date]:
    """(first day of the month, first day of the month after)."""
    return first_day(periode), first_day(next_month(periode))


def _fmt_month(expr: pl.Expr) -> pl.Expr:
    return expr.dt.strftime("%Y-%m")


@dataclass(frozen=True)
class _Check:
    template_id: str
    kolom: str | None
    fails: pl.Expr  # True = the row breaks this rule (null counts as passing)
    nilai: pl.Expr
    fields: dict[str, pl.Expr | str | int]


def _nip_parts(x: pl.Expr) -> dict[str, pl.Expr]:
    fmt_ok = x.str.contains(NIP_RE)
    birth = x.str.slice(0, 8)
    birth_ok = (
        birth.str.contains(r"^(19|20)") & birth.str.to_date("%Y%m%d", strict=False).is_not_null()
    )
    tmt_ok = x.str.slice(8, 6).str.contains(r"^(19|20)[0-9]{2}(0[1-9]|1[0-2])$")
    sex_ok = x.str.slice(14, 1).is_in(["1", "2"])
    return {"fmt_ok": fmt_ok, "birth_ok": birth_ok, "tmt_ok": tmt_ok, "sex_ok": sex_ok}


def nip_valid(x: pl.Expr) -> pl.Expr:
    """The NIP rule as one boolean expression (18 digits, real birth date and TMT month, sex 1/2)."""
    p = _nip_parts(x)
    return p["fmt_ok"] & p["birth_ok"] & p["tmt_ok"] & p["sex_ok"]


def _nip_label(name: str) -> str:
    return {"nip": "NIP", "nip_penilai": "NIP penilai"}.get(name, f"NIP ({name})")


def _enum_map(col: Column) -> dict[str, str]:
    return {v.upper(): v for v in col.values}


def _typed_expr(col: Column) -> pl.Expr:
    x = _cleaned(col.name)
    match col.kind:
        case "enum":
            mapped = x.str.to_uppercase().replace_strict(
                _enum_map(col), default=None, return_dtype=pl.String
            )
            return mapped
        case "int":
            return pl.when(x.str.contains(INT_RE)).then(x.cast(pl.Int64, strict=False))
        case "decimal":
            return pl.when(x.str.contains(DEC_RE)).then(x.cast(pl.Float64, strict=False))
        case "date":
            return pl.when(x.str.contains(DATE_RE)).then(x.str.to_date("%Y-%m-%d", strict=False))
        case "timestamp":
            return pl.when(x.str.contains(TS_RE)).then(
                x.str.strptime(pl.Datetime("us"), TS_FORMAT, strict=False)
            )
        case "text" if col.upper:
            return x.str.to_uppercase()
        case _:  # text, nip, periode
            return x


def _column_checks(kind: str, col: Column, periode: str) -> list[_Check]:
    name, x, t = col.name, _cleaned(col.name), _typed(col.name)
    shown = _show(x)
    base = {"kolom": name, "nilai": shown}
    checks: list[_Check] = []
    if not col.nullable:
        checks.append(_Check("WAJIB_KOSONG", name, x.is_null(), x, base))
    present = x.is_not_null()
    match col.kind:
        case "nip":
            p = _nip_parts(x)
            label = {**base, "label": _nip_label(name)}
            checks += [
                _Check("NIP_NOTASI_ILMIAH", name, x.str.contains(SCI_RE), x, label),
                _Check("NIP_FORMAT", name, ~p["fmt_ok"], x, {**label, "n": x.str.len_chars()}),
                _Check(
                    "NIP_TANGGAL_LAHIR",
                    name,
                    p["fmt_ok"] & ~p["birth_ok"],
                    x,
                    {
                        **label,
                        "tanggal": pl.concat_str(
                            [x.str.slice(0, 4), x.str.slice(4, 2), x.str.slice(6, 2)],
                            separator="-",
                        ),
                    },
                ),
                _Check(
                    "NIP_TMT",
                    name,
                    p["fmt_ok"] & ~p["tmt_ok"],
                    x,
                    {
                        **label,
                        "bulan": pl.concat_str(
                            [x.str.slice(8, 4), x.str.slice(12, 2)], separator="-"
                        ),
                    },
                ),
                _Check(
                    "NIP_JENIS_KELAMIN",
                    name,
                    p["fmt_ok"] & ~p["sex_ok"],
                    x,
                    {**label, "digit": x.str.slice(14, 1)},
                ),
            ]
        case "enum":
            checks.append(
                _Check(
                    "KODE_TIDAK_DIKENAL",
                    name,
                    present & t.is_null(),
                    x,
                    {**base, "daftar": ", ".join(col.values)},
                )
            )
        case "int" | "decimal":
            template = "ANGKA_BULAT" if col.kind == "int" else "ANGKA_DESIMAL"
            checks.append(_Check(template, name, present & t.is_null(), x, base))
            if col.min is not None and col.max is not None:
                checks.append(
                    _Check(
                        "DI_LUAR_RENTANG",
                        name,
                        (t < col.min) | (t > col.max),
                        x,
                        {**base, "min": col.min, "max": col.max},
                    )
                )
        case "date":
            ok_format = x.str.contains(DATE_RE)
            checks += [
                _Check("TANGGAL_FORMAT", name, present & ~ok_format, x, base),
                _Check("TANGGAL_TIDAK_ADA", name, ok_format & t.is_null(), x, base),
            ]
        case "timestamp":
            ok_format = x.str.contains(TS_RE)
            checks += [
                _Check("WAKTU_FORMAT", name, present & ~ok_format, x, base),
                _Check("WAKTU_TIDAK_ADA", name, ok_format & t.is_null(), x, base),
            ]
        case "periode":
            ok_format = x.str.contains(PERIODE_RE)
            checks += [
                _Check("PERIODE_FORMAT", name, present & ~ok_format, x, base),
                _Check(
                    "DI_LUAR_PERIODE_PENILAIAN",
                    name,
                    ok_format & (x != periode),
                    x,
                    {**base, "periode": periode},
                ),
            ]
    checks += _cross_checks(kind, name, periode)
    return checks


def _cross_checks(kind: str, after: str, periode: str) -> list[_Check]:
    """Rules between columns, placed right after the column they are reported on."""
    start, following = _month_bounds(periode)
    last = date.fromordinal(following.toordinal() - 1)
    if kind == "pegawai" and after == "golongan":
        status, gol = _typed("status"), _typed("golongan")
        shown = _cleaned("golongan")
        fields = {"nilai": _show(shown), "status": status}
        return [
            _Check(
                "GOLONGAN_PNS",
                "golongan",
                status.is_in(["PNS", "CPNS"]) & ~gol.is_in(GOLONGAN_PNS),
                shown,
                fields,
            ),
            _Check(
                "GOLONGAN_PPPK",
                "golongan",
                (status == "PPPK") & ~gol.is_in(GOLONGAN_PPPK),
                shown,
                fields,
            ),
        ]
    if ROW_DATE.get(kind) == after:
        t = _typed(after)
        if kind == "absensi":
            outside = (t < datetime(start.year, start.month, 1)) | (
                t >= datetime(following.year, following.month, 1)
            )
        else:
            outside = (t < start) | (t > last)
        return [
            _Check(
                "DI_LUAR_PERIODE_TANGGAL",
                after,
                outside,
                _cleaned(after),
                {
                    "tanggal": t.dt.strftime("%Y-%m-%d"),
                    "kolom": after,
                    "periode": periode,
                    "periode_benar": _fmt_month(t),
                },
            )
        ]
    if kind == "ketidakhadiran" and after == "selesai":
        mulai, selesai = _typed("mulai"), _typed("selesai")
        rentang = pl.concat_str([_cleaned("mulai"), pl.lit(" s.d. "), _cleaned("selesai")])
        same_month = _fmt_month(mulai) == _fmt_month(selesai)
        periode_benar = (
            pl.when(same_month)
            .then(_fmt_month(mulai))
            .otherwise(pl.concat_str([_fmt_month(mulai), pl.lit(" s.d. "), _fmt_month(selesai)]))
        )
        dates = {"mulai": _cleaned("mulai"), "selesai": _cleaned("selesai")}
        return [
            _Check("RENTANG_TERBALIK", "selesai", selesai < mulai, _cleaned("selesai"), dates),
            _Check(
                "DI_LUAR_PERIODE_RENTANG",
                "mulai",
                (selesai >= mulai) & ((mulai > last) | (selesai < start)),
                rentang,
                {**dates, "periode": periode, "periode_benar": periode_benar},
            ),
        ]
    return []


# --- the validator ---------------------------------------------------------------------------
def normalise_name(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def validate(kind: str, periode: str, frame: pl.DataFrame, source_file: str) -> ValidationResult:
    """Validate the rows of one export file of ``kind`` for month ``periode`` (``YYYY-MM``).

    ``frame`` holds the file's columns as text (as ``readers.read_export`` returns them) and
    ``line_no``; without ``line_no``, rows are numbered as CSV lines (first data row = 2).
    """
    if kind not in SCHEMAS:
        raise ValueError(f"jenis berkas tidak dikenal: {kind!r}")
    if not isinstance(periode, str) or not re.fullmatch(PERIODE_RE, periode):
        raise ValueError(f"periode harus berformat YYYY-MM: {periode!r}")
    columns = SCHEMAS[kind]
    known = {c.name for c in columns}

    # header: names case-insensitive, surrounding spaces ignored
    names = [normalise_name(c) for c in frame.columns]
    for name in dict.fromkeys(names):
        n = names.count(name)
        if n > 1 and (name in known or name in INTERNAL_COLUMNS):
            return reject_file(kind, periode, source_file, "KOLOM_GANDA", kolom=name, n=n,
                               read=frame.height)  # fmt: skip
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    missing = [c.name for c in columns if c.required and c.name not in frame.columns]
    extra = [c for c in frame.columns if c not in known and c not in INTERNAL_COLUMNS]
    if missing:
        return reject_file(
            kind,
            periode,
            source_file,
            "KOLOM_HILANG",
            read=frame.height,
            kolom=", ".join(missing),
            nilai=", ".join(frame.columns),
            daftar=", ".join(f"'{m}'" for m in missing),
            petunjuk=_hint(missing, extra),
        )
    notes = []
    if extra:
        notes.append(
            PESAN["KOLOM_TAMBAHAN"].format(
                berkas=source_file, daftar=", ".join(f"'{e}'" for e in extra)
            )
        )
    if frame.height == 0:
        notes.append(PESAN["TANPA_DATA"].format(berkas=source_file))

    work = _prepare(frame, columns)
    checks = _checks(kind, columns, periode, has_read_problem=READ_PROBLEM in frame.columns)
    df = _evaluate(work, kind, columns, checks)

    dup = df.get_column("__dup")
    first = df.get_column("__first")
    valid = _valid_frame(df.filter(~dup & first.is_null()), kind, periode, source_file)
    quarantine = _quarantine_frame(
        df.filter(~dup & first.is_not_null()), kind, periode, source_file, checks
    )
    duplicates = (
        df.filter(dup)
        .select(
            pl.col(LINE_NO).cast(pl.Int32),
            pl.col("__dup_of").cast(pl.Int32).alias("sama_dengan_baris"),
        )
        .sort(LINE_NO)
    )
    errors = _blocking_errors(df, periode, source_file) if kind == "pegawai" else []
    return ValidationResult(
        kind=kind,
        periode=periode,
        source_file=source_file,
        valid=valid,
        quarantine=quarantine,
        duplicates=duplicates,
        notes=notes,
        errors=errors,
        read=frame.height,
    )


def _hint(missing: list[str], extra: list[str]) -> str:
    """Point at a column that looks like a missing one (``Kode OPD`` for ``kode_opd``)."""
    similar = []
    for m in missing:
        for e in extra:
            if e.replace(" ", "_").replace("-", "_") == m:
                similar.append(f"'{e}' (harus '{m}')")
    return f" (ada kolom yang mirip: {', '.join(similar)})" if similar else ""


def _prepare(frame: pl.DataFrame, columns: tuple[Column, ...]) -> pl.LazyFrame:
    """Text cells trimmed, empty -> null; optional columns that are absent -> null."""
    exprs: list[pl.Expr] = []
    if LINE_NO in frame.columns:
        exprs.append(pl.col(LINE_NO).cast(pl.Int32))
    else:
        exprs.append((pl.int_range(pl.len(), dtype=pl.Int32) + 2).alias(LINE_NO))
    for extra in (READ_PROBLEM, RAW_LINE):
        if extra in frame.columns:
            exprs.append(pl.col(extra).cast(pl.String))
    for col in columns:
        if col.name in frame.columns:
            x = pl.col(col.name).cast(pl.String).str.strip_chars()
            exprs.append(pl.when(x.str.len_bytes() > 0).then(x).alias(col.name))
        else:
            exprs.append(pl.lit(None, pl.String).alias(col.name))
    return frame.lazy().select(exprs)


def _checks(
    kind: str, columns: tuple[Column, ...], periode: str, *, has_read_problem: bool
) -> list[_Check]:
    checks: list[_Check] = []
    if has_read_problem:
        problem = pl.col(READ_PROBLEM)
        checks.append(_Check("BARIS_RUSAK", None, problem.is_not_null(), pl.col(RAW_LINE), {}))
    for col in columns:
        checks += _column_checks(kind, col, periode)
    if kind == "pegawai":
        checks.append(
            _Check(
                "NIP_GANDA",
                "nip",
                pl.col("__ganda"),
                _cleaned("nip"),
                {
                    "nilai": _cleaned("nip"),
                    "n": pl.col("__ganda_n"),
                    "baris": pl.col("__ganda_baris"),
                    "periode": periode,
                },
            )
        )
    return checks


def _evaluate(
    work: pl.LazyFrame, kind: str, columns: tuple[Column, ...], checks: list[_Check]
) -> pl.DataFrame:
    """Typed values, ``__first`` (index of the first failing check) and ``__dup`` per row."""
    typed = [_typed_expr(c).alias(f"__t_{c.name}") for c in columns]
    work = work.with_columns(typed)

    # exact duplicates: same values in every contract column (enums, ints and upper-cased codes
    # compared as typed, so 'pns' repeats 'PNS'). A 64-bit hash finds candidates fast; equality
    # is then checked exactly on the candidates, so a hash collision can never drop a row.
    key = []
    for c in columns:
        if c.kind in ("enum", "int") or c.upper:
            key.append(pl.coalesce(_typed(c.name).cast(pl.String), _cleaned(c.name)))
        else:
            key.append(_cleaned(c.name))
    if RAW_LINE in work.collect_schema():
        key.append(pl.col(RAW_LINE))
    key_names = [f"__k{i}" for i in range(len(key))]
    row_checks = [c for c in checks if c.template_id != "NIP_GANDA"]
    first = pl.coalesce(
        [pl.when(c.fails).then(pl.lit(i, pl.Int16)) for i, c in enumerate(row_checks)]
        + [pl.lit(None, pl.Int16)]
    )
    df = (
        work.with_columns(k.alias(n) for k, n in zip(key, key_names, strict=True))
        .with_columns(
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("__row"),
            pl.struct(key_names).hash(seed=0).alias("__hash"),
            first.alias("__first"),
        )
        .collect()
    )
    candidates = df.filter(pl.col("__hash").is_duplicated())
    exact = candidates.select(
        "__row",
        (~pl.struct(key_names).is_first_distinct()).alias("__dup"),
        pl.col(LINE_NO).first().over(key_names).alias("__dup_of"),
    )
    df = (
        df.drop(key_names + ["__hash"])
        .join(exact, on="__row", how="left")
        .sort("__row")
        .with_columns(pl.col("__dup").fill_null(False))
    )

    # one NIP on two different rows of one snapshot: all its rows are held (pegawai)
    if kind == "pegawai":
        nip = _cleaned("nip")
        df = df.with_columns(
            pl.when(~pl.col("__dup") & nip_valid(nip)).then(nip).alias("__nipkey")
        ).with_columns(
            pl.col("__nipkey").count().over("__nipkey").alias("__ganda_n"),
            pl.col(LINE_NO)
            .sort()
            .cast(pl.String)
            .str.join(", ")
            .over("__nipkey")
            .alias("__ganda_baris"),
        )
        ganda = pl.col("__nipkey").is_not_null() & (pl.col("__ganda_n") > 1)
        index = next(i for i, c in enumerate(checks) if c.template_id == "NIP_GANDA")
        # NIP_GANDA wins over a row's other failures: the NIP (the first column) is ambiguous,
        # and the quarantine must show every row of the NIP that blocks the period
        df = df.with_columns(
            ganda.alias("__ganda"),
            pl.when(ganda)
            .then(pl.lit(index, pl.Int16))
            .otherwise(pl.col("__first"))
            .alias("__first"),
        )
    return df


def _valid_frame(df: pl.DataFrame, kind: str, periode: str, source_file: str) -> pl.DataFrame:
    schema = raw_schema(kind)
    exprs = [
        pl.lit(periode, pl.String).alias("periode"),
        pl.lit(source_file, pl.String).alias("source_file"),
        pl.col(LINE_NO).cast(pl.Int32),
    ]
    exprs += [
        _typed(name).cast(dtype).alias(name)
        for name, dtype in schema.items()
        if name not in ("periode", "source_file", LINE_NO)
    ]
    return df.select(exprs).sort(LINE_NO).select(list(schema)).cast(dict(schema))


def _quarantine_frame(
    df: pl.DataFrame, kind: str, periode: str, source_file: str, checks: list[_Check]
) -> pl.DataFrame:
    if df.height == 0:
        return QUARANTINE_SCHEMA.to_frame()
    first = pl.col("__first")
    chain = None
    for i, c in enumerate(checks):
        if not (df.get_column("__first") == i).any():
            continue  # only build sentences for rules that actually fired
        if c.template_id == "BARIS_RUSAK":
            sentence = pl.col(READ_PROBLEM)
        else:
            sentence = _render(c.template_id, c.fields)
        value = pl.struct(
            pl.lit(c.kolom, pl.String).alias("kolom"),
            c.nilai.cast(pl.String).alias("nilai"),
            pl.lit(ALASAN[c.template_id].kode, pl.String).alias("kode_alasan"),
            sentence.alias("alasan"),
        )
        chain = (pl.when(first == i) if chain is None else chain.when(first == i)).then(value)
    assert chain is not None
    return (
        df.select(
            pl.lit(kind, pl.String).alias("kind"),
            pl.lit(periode, pl.String).alias("periode"),
            pl.lit(source_file, pl.String).alias("source_file"),
            pl.col(LINE_NO).cast(pl.Int32),
            chain.alias("__r"),
        )
        .unnest("__r")
        .sort(LINE_NO)
        .select(list(QUARANTINE_SCHEMA))
        .cast(dict(QUARANTINE_SCHEMA))
    )


def _blocking_errors(df: pl.DataFrame, periode: str, source_file: str) -> list[str]:
    """One ERROR per NIP found on several different rows of a pegawai snapshot."""
    ganda = (
        df.filter(pl.col("__ganda"))
        .group_by("__nipkey")
        .agg(pl.col(LINE_NO).sort())
        .sort("__nipkey")
    )
    errors = []
    for nip, lines in ganda.head(MAX_ERROR_LINES).iter_rows():
        errors.append(
            PESAN["PERIODE_DIBLOKIR"].format(
                periode=periode,
                nip=format_nip(nip),
                n=len(lines),
                berkas=source_file,
                baris=", ".join(map(str, lines)),
            )
        )
    if ganda.height > MAX_ERROR_LINES:
        errors.append(
            PESAN["PERIODE_DIBLOKIR_LAINNYA"].format(
                periode=periode, n=ganda.height - MAX_ERROR_LINES, berkas=source_file
            )
        )
    return errors
