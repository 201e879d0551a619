"""The first layer of the anomaly detection: five named rules with thresholds in
``anomaly_rules.toml``, each flag worded in Bahasa Indonesia with who, which device, which days
and how far, and flags grouped into cases per person or pair and month.

Rules (name -> what it checks on the employee-month's features):

- ``titip_absen``: followed the same colleague's taps within ``detik_maks`` seconds on the same
  device, or with MOBILE taps within ``meter_mobile_maks`` metres (a lent phone), on at least
  ``hari_min`` days;
- ``jam_identik``: the same HH:MM on at least ``porsi_min`` of at least ``hari_datang_min``
  arrivals;
- ``mobile_jauh``: MOBILE taps more than ``km_min`` km from the office on at least ``hari_min``
  days;
- ``tap_saat_dl``: check-in and check-out on at least ``hari_min`` approved DL days;
- ``tap_hari_libur``: taps on at least ``porsi_min`` of the month's non-working days (and on at
  least ``hari_tap_min`` of them). A non-working day is one tpp_harian does not list for that
  employee, so a rostered weekend (once schedules exist) is a working day and never counts.
"""

from __future__ import annotations

import polars as pl

from models.config import ATURAN
from orchestration.core.contract import format_nip

NAMA_ATURAN = ("titip_absen", "jam_identik", "mobile_jauh", "tap_saat_dl", "tap_hari_libur")
KOLOM_TEMUAN = (
    "periode",
    "nip",
    "kode_opd",
    "aturan",
    "label",
    "alasan",
    "nilai",
    "ambang",
    "nip_pasangan",
    "kasus_id",
)


def _number(expr: pl.Expr, desimal: int = 1) -> pl.Expr:
    """A number in Indonesian notation (decimal comma)."""
    if desimal == 0:
        return expr.round(0).cast(pl.Int64).cast(pl.String)
    return expr.round(desimal).cast(pl.String).str.replace(r"\.", ",")


def _percent(a: str, b: str) -> pl.Expr:
    return (100 * pl.col(a) / pl.col(b).clip(lower_bound=1)).round(0).cast(pl.Int64)


def conditions(cfg: dict = ATURAN) -> dict[str, pl.Expr]:
    """Per rule, the boolean expression on the feature frame."""
    c = cfg
    return {
        "titip_absen": pl.col("hari_titip") >= c["titip_absen"]["hari_min"],
        "jam_identik": (pl.col("hari_datang") >= c["jam_identik"]["hari_datang_min"])
        & (pl.col("hari_menit_identik") >= c["jam_identik"]["porsi_min"] * pl.col("hari_datang")),
        "mobile_jauh": pl.col("hari_mobile_jauh") >= c["mobile_jauh"]["hari_min"],
        "tap_saat_dl": pl.col("hari_tap_saat_dl") >= c["tap_saat_dl"]["hari_min"],
        "tap_hari_libur": (pl.col("hari_tap_libur") >= c["tap_hari_libur"]["hari_tap_min"])
        & (pl.col("hari_tap_libur") >= c["tap_hari_libur"]["porsi_min"] * pl.col("hari_libur")),
    }


def _text(cfg: dict = ATURAN) -> dict[str, tuple[pl.Expr, pl.Expr, str]]:
    """Per rule: (the reason, the measured value, the threshold in words)."""
    c = cfg
    nip = pl.col("nip_pasangan").map_elements(format_nip, return_dtype=pl.String)
    tgl = "tanggal {}"
    return {
        "titip_absen": (
            pl.when(pl.col("titip_mobile"))
            .then(
                pl.format(
                    "Tap MOBILE rata-rata {} detik setelah tap MOBILE NIP {} dari titik yang sama "
                    "(<= {} m) pada {} hari (" + tgl + ")",
                    _number(pl.col("detik_titip"), 0),
                    nip,
                    pl.lit(f"{c['titip_absen']['meter_mobile_maks']:g}"),
                    "hari_titip",
                    "tgl_titip",
                )
            )
            .otherwise(
                pl.format(
                    "Tap di mesin {} rata-rata {} detik setelah NIP {} pada {} hari (" + tgl + ")",
                    "mesin_pasangan",
                    _number(pl.col("detik_titip"), 0),
                    nip,
                    "hari_titip",
                    "tgl_titip",
                )
            ),
            pl.col("hari_titip").cast(pl.Float64),
            f">= {c['titip_absen']['hari_min']} hari, <= {c['titip_absen']['detik_maks']} detik",
        ),
        "jam_identik": (
            pl.format(
                "Jam masuk persis {} pada {} dari {} hari masuk ({} %; simpangan jam masuk {} "
                "menit)",
                "jam_identik",
                "hari_menit_identik",
                "hari_datang",
                _percent("hari_menit_identik", "hari_datang"),
                _number(pl.col("sd_menit_datang").fill_null(0)),
            ),
            pl.col("hari_menit_identik") / pl.col("hari_datang").clip(lower_bound=1),
            f">= {round(100 * c['jam_identik']['porsi_min'])} % dari sedikitnya "
            f"{c['jam_identik']['hari_datang_min']} hari masuk",
        ),
        "mobile_jauh": (
            pl.format(
                "Tap MOBILE lebih dari {} km dari kantor pada {} hari (" + tgl + "); terjauh {} "
                "km, median {} km",
                pl.lit(f"{c['mobile_jauh']['km_min']:g}"),
                "hari_mobile_jauh",
                "tgl_mobile_jauh",
                _number(pl.col("km_mobile_maks")),
                _number(pl.col("km_mobile_median")),
            ),
            pl.col("hari_mobile_jauh").cast(pl.Float64),
            f">= {c['mobile_jauh']['hari_min']} hari > {c['mobile_jauh']['km_min']:g} km",
        ),
        "tap_saat_dl": (
            pl.format(
                "Tap masuk dan pulang pada {} dari {} hari Dinas Luar yang disetujui ("
                + tgl
                + "; surat {})",
                "hari_tap_saat_dl",
                "hari_dl",
                "tgl_tap_saat_dl",
                pl.col("nomor_surat_dl").fill_null("-"),
            ),
            pl.col("hari_tap_saat_dl").cast(pl.Float64),
            f">= {c['tap_saat_dl']['hari_min']} hari",
        ),
        "tap_hari_libur": (
            pl.format(
                "Tap pada {} dari {} hari bukan hari kerja (" + tgl + ")",
                "hari_tap_libur",
                "hari_libur",
                "tgl_tap_libur",
            ),
            pl.col("hari_tap_libur") / pl.col("hari_libur").clip(lower_bound=1),
            f">= {round(100 * c['tap_hari_libur']['porsi_min'])} % hari bukan hari kerja, "
            f">= {c['tap_hari_libur']['hari_tap_min']} hari",
        ),
    }


def _case_id(aturan: str) -> pl.Expr:
    """A pair's buddy-punching flags share one case (both orders); others are per person."""
    if aturan == "titip_absen":
        a, b = pl.col("nip"), pl.col("nip_pasangan")
        return pl.format(
            "{}:PASANGAN:{}:{}",
            "periode",
            pl.min_horizontal(a, b),
            pl.max_horizontal(a, b),
        )
    return pl.format("{}:PEGAWAI:{}", "periode", "nip")


def temuan(fitur: pl.DataFrame, cfg: dict = ATURAN) -> pl.DataFrame:
    """One row per rule hit: (periode, nip, kode_opd, aturan, label, alasan, nilai, ambang,
    nip_pasangan, kasus_id)."""
    teks, kondisi = _text(cfg), conditions(cfg)
    parts = []
    for nama in NAMA_ATURAN:
        alasan, nilai, ambang = teks[nama]
        hit = fitur.filter(kondisi[nama])
        if hit.height == 0:
            continue
        parts.append(
            hit.select(
                "periode",
                "nip",
                "kode_opd",
                aturan=pl.lit(nama),
                label=pl.lit(cfg[nama]["label"]),
                alasan=alasan + pl.lit(f" [ambang: {ambang}]"),
                nilai=nilai.cast(pl.Float64),
                ambang=pl.lit(ambang),
                nip_pasangan=pl.col("nip_pasangan") if nama == "titip_absen" else pl.lit(None),
                kasus_id=_case_id(nama),
            )
        )
    schema = {k: pl.String for k in KOLOM_TEMUAN} | {"nilai": pl.Float64}
    if not parts:
        return pl.DataFrame(schema=schema)
    return pl.concat(parts, how="vertical_relaxed").cast(schema).sort("periode", "nip", "aturan")


def cases(flags: pl.DataFrame) -> pl.DataFrame:
    """Flags (rules and model layer, ``KOLOM_TEMUAN`` plus ``lapisan``) grouped into cases: one
    row per (periode, kasus_id) with the people, the rules, the layers and the reasons."""
    if flags.height == 0:
        return pl.DataFrame(
            schema={
                "periode": pl.String,
                "kasus_id": pl.String,
                "jenis": pl.String,
                "nip": pl.List(pl.String),
                "aturan": pl.List(pl.String),
                "lapisan": pl.String,
                "jumlah_temuan": pl.UInt32,
                "alasan": pl.String,
            }
        )
    return (
        flags.sort("periode", "kasus_id", "nip", "aturan")
        .group_by("periode", "kasus_id", maintain_order=True)
        .agg(
            nip=pl.concat_list("nip", "nip_pasangan").explode().drop_nulls().unique().sort(),
            aturan=pl.col("aturan").unique().sort(),
            lapisan=pl.col("lapisan").unique().sort().str.join("+"),
            jumlah_temuan=pl.len(),
            alasan=pl.format(
                "NIP {}: {}",
                pl.col("nip").map_elements(format_nip, return_dtype=pl.String),
                "alasan",
            ).str.join(" | "),
        )
        .with_columns(jenis=pl.col("kasus_id").str.split(":").list.get(1))
        .select(
            "periode", "kasus_id", "jenis", "nip", "aturan", "lapisan", "jumlah_temuan", "alasan"
        )
    )
