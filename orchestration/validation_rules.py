"""The rules of the contract validator (sources.md) as Polars expressions: value patterns,
per-column checks (type, enum, range, NIP structure) and cross-column checks (golongan for the
status, date ranges, rows dated outside the file's month). ``orchestration.validation`` runs
them over a file; the sentences come from ``orchestration.reasons``."""

from __future__ import annotations

import string
from dataclasses import dataclass
from datetime import date, datetime

import polars as pl

from orchestration.core.contract import GOLONGAN_PNS, GOLONGAN_PPPK, Column
from orchestration.core.months import first_day, next_month
from orchestration.reasons import ALASAN

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


# --- expression helpers ----------------------------------------------------------------------
def render(template_id: str, fields: dict[str, pl.Expr | str | int]) -> pl.Expr:
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


def cleaned(name: str) -> pl.Expr:
    return pl.col(name)


def typed(name: str) -> pl.Expr:
    return pl.col(f"__t_{name}")


def _month_bounds(periode: str) -> tuple[date, date]:
    """(first day of the month, first day of the month after)."""
    return first_day(periode), first_day(next_month(periode))


def _fmt_month(expr: pl.Expr) -> pl.Expr:
    return expr.dt.strftime("%Y-%m")


@dataclass(frozen=True)
class Check:
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


def typed_expr(col: Column) -> pl.Expr:
    x = cleaned(col.name)
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


def column_checks(kind: str, col: Column, periode: str) -> list[Check]:
    name, x, t = col.name, cleaned(col.name), typed(col.name)
    shown = _show(x)
    base = {"kolom": name, "nilai": shown}
    checks: list[Check] = []
    if not col.nullable:
        checks.append(Check("WAJIB_KOSONG", name, x.is_null(), x, base))
    present = x.is_not_null()
    match col.kind:
        case "nip":
            p = _nip_parts(x)
            label = {**base, "label": _nip_label(name)}
            checks += [
                Check("NIP_NOTASI_ILMIAH", name, x.str.contains(SCI_RE), x, label),
                Check("NIP_FORMAT", name, ~p["fmt_ok"], x, {**label, "n": x.str.len_chars()}),
                Check(
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
                Check(
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
                Check(
                    "NIP_JENIS_KELAMIN",
                    name,
                    p["fmt_ok"] & ~p["sex_ok"],
                    x,
                    {**label, "digit": x.str.slice(14, 1)},
                ),
            ]
        case "enum":
            checks.append(
                Check(
                    "KODE_TIDAK_DIKENAL",
                    name,
                    present & t.is_null(),
                    x,
                    {**base, "daftar": ", ".join(col.values)},
                )
            )
        case "int" | "decimal":
            template = "ANGKA_BULAT" if col.kind == "int" else "ANGKA_DESIMAL"
            checks.append(Check(template, name, present & t.is_null(), x, base))
            if col.min is not None and col.max is not None:
                checks.append(
                    Check(
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
                Check("TANGGAL_FORMAT", name, present & ~ok_format, x, base),
                Check("TANGGAL_TIDAK_ADA", name, ok_format & t.is_null(), x, base),
            ]
        case "timestamp":
            ok_format = x.str.contains(TS_RE)
            checks += [
                Check("WAKTU_FORMAT", name, present & ~ok_format, x, base),
                Check("WAKTU_TIDAK_ADA", name, ok_format & t.is_null(), x, base),
            ]
        case "periode":
            ok_format = x.str.contains(PERIODE_RE)
            checks += [
                Check("PERIODE_FORMAT", name, present & ~ok_format, x, base),
                Check(
                    "DI_LUAR_PERIODE_PENILAIAN",
                    name,
                    ok_format & (x != periode),
                    x,
                    {**base, "periode": periode},
                ),
            ]
    checks += _cross_checks(kind, name, periode)
    return checks


def _cross_checks(kind: str, after: str, periode: str) -> list[Check]:
    """Rules between columns, placed right after the column they are reported on."""
    start, following = _month_bounds(periode)
    last = date.fromordinal(following.toordinal() - 1)
    if kind == "pegawai" and after == "golongan":
        status, gol = typed("status"), typed("golongan")
        shown = cleaned("golongan")
        fields = {"nilai": _show(shown), "status": status}
        return [
            Check(
                "GOLONGAN_PNS",
                "golongan",
                status.is_in(["PNS", "CPNS"]) & ~gol.is_in(GOLONGAN_PNS),
                shown,
                fields,
            ),
            Check(
                "GOLONGAN_PPPK",
                "golongan",
                (status == "PPPK") & ~gol.is_in(GOLONGAN_PPPK),
                shown,
                fields,
            ),
        ]
    if ROW_DATE.get(kind) == after:
        t = typed(after)
        if kind == "absensi":
            outside = (t < datetime(start.year, start.month, 1)) | (
                t >= datetime(following.year, following.month, 1)
            )
        else:
            outside = (t < start) | (t > last)
        return [
            Check(
                "DI_LUAR_PERIODE_TANGGAL",
                after,
                outside,
                cleaned(after),
                {
                    "tanggal": t.dt.strftime("%Y-%m-%d"),
                    "kolom": after,
                    "periode": periode,
                    "periode_benar": _fmt_month(t),
                },
            )
        ]
    if kind == "ketidakhadiran" and after == "selesai":
        mulai, selesai = typed("mulai"), typed("selesai")
        rentang = pl.concat_str([cleaned("mulai"), pl.lit(" s.d. "), cleaned("selesai")])
        same_month = _fmt_month(mulai) == _fmt_month(selesai)
        periode_benar = (
            pl.when(same_month)
            .then(_fmt_month(mulai))
            .otherwise(pl.concat_str([_fmt_month(mulai), pl.lit(" s.d. "), _fmt_month(selesai)]))
        )
        dates = {"mulai": cleaned("mulai"), "selesai": cleaned("selesai")}
        return [
            Check("RENTANG_TERBALIK", "selesai", selesai < mulai, cleaned("selesai"), dates),
            Check(
                "DI_LUAR_PERIODE_RENTANG",
                "mulai",
                (selesai >= mulai) & ((mulai > last) | (selesai < start)),
                rentang,
                {**dates, "periode": periode, "periode_benar": periode_benar},
            ),
        ]
    return []
