"""Injected defects (``kotor``): realistic breakage, each recorded in _groundtruth/cacat.csv.

About ``rate`` of the rows of every file get exactly one defect (rows are drawn without
replacement); some files also start with a BOM. ``line`` counts like a text editor: 1 is the
header, 2 the first data row (XLSX: the sheet row number, the header being on row 4).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from orchestration.core.contract import PREDIKAT, PREDIKAT_MATRIX
from orchestration.tools.simulator.writer import XLSX_HEADER_ROW

# How the pipeline must treat a defective line.
KARANTINA = "karantina"  # the contract validator quarantines the line (one file is enough)
KARANTINA_MASTER = "karantina_master"  # quarantined once checked against the month's master
KARANTINA_JADWAL = "karantina_jadwal"  # quarantined by the pipeline: the rulebook's shift codes,
# or one roster day with two codes (all of that day's lines); the file validator loads them
DUPLIKAT = "duplikat"  # an exact repeat of an earlier line: counts once, not quarantined
TEMUAN = "temuan"  # loaded; a data-quality finding (the matrix value is used)
DITOLERANSI = "ditoleransi"  # must simply be tolerated

# jenis_cacat -> (description, treatment)
JENIS_CACAT: dict[str, tuple[str, str]] = {
    "TAP_DUPLIKAT": (
        "Tap dikirim ulang: duplikat persis baris sebelumnya (dihitung sekali)",
        DUPLIKAT,
    ),
    "NIP_PANJANG_SALAH": ("NIP tidak 18 digit (satu digit hilang atau berlebih)", KARANTINA),
    "NIP_TANGGAL_LAHIR_MUSTAHIL": (
        "NIP dengan tanggal lahir yang tidak ada (bulan 13, tanggal 32, 30 Februari)",
        KARANTINA,
    ),
    "NIP_JENIS_KELAMIN_SALAH": (
        "NIP dengan digit jenis kelamin 3 (hanya 1 atau 2 yang sah)",
        KARANTINA,
    ),
    "NIP_TIDAK_DIKENAL": (
        "NIP berstruktur sah tetapi tidak ada di master pegawai bulan itu",
        KARANTINA_MASTER,
    ),
    "WAKTU_RUSAK": (
        "Waktu tap tak terbaca: '2025-03-04 7:5', '04/03/2025 07:31', '2025-03-04 25:10:00'",
        KARANTINA,
    ),
    "TANGGAL_RUSAK": ("Tanggal tak terbaca: '04/03/2025', '2025-03-32', '2025-13-04'", KARANTINA),
    "KODE_TIDAK_DIKENAL": (
        "Kode di luar daftar kontrak (kode CUTI, metode RFID, hasil_kerja BAGUS, ...)",
        KARANTINA,
    ),
    "NILAI_DI_LUAR_RENTANG": (
        "Angka di luar rentang kontrak (kelas_jabatan 0/18, durasi_menit 0/900)",
        KARANTINA,
    ),
    "BULAN_LAIN": (
        "Baris milik bulan lain: tap/aktivitas bertanggal bulan lain, ketidakhadiran tak menyentuh bulan file",
        KARANTINA,
    ),
    "PERIODE_LAIN": ("Penilaian kinerja dengan periode bulan lain", KARANTINA),
    "PREDIKAT_BERTENTANGAN": (
        "Predikat berbeda dari matriks PermenPANRB 6/2022 (nilai matriks yang dipakai)",
        TEMUAN,
    ),
    "JADWAL_GANDA": (
        "Satu hari jadwal dinas tercatat lagi dengan kode shift lain (baris sisipan; kedua baris hari itu dikarantina, hari itu bukan hari kerja)",
        KARANTINA_JADWAL,
    ),
    "KODE_SHIFT_TIDAK_DIKENAL": ("Kode shift yang tidak ada di rulebook (SORE)", KARANTINA_JADWAL),
    "BOM": ("File diawali BOM UTF-8 (baris 1; harus ditoleransi)", DITOLERANSI),
}
SISIPAN = (
    "TAP_DUPLIKAT",
    "JADWAL_GANDA",
)  # defects that are an inserted line (the others change one)
NIP_CACAT = ("NIP_PANJANG_SALAH", "NIP_TANGGAL_LAHIR_MUSTAHIL", "NIP_JENIS_KELAMIN_SALAH")
BERLAKU: dict[str, tuple[str, ...]] = {
    "pegawai": (*NIP_CACAT, "TANGGAL_RUSAK", "KODE_TIDAK_DIKENAL", "NILAI_DI_LUAR_RENTANG"),
    "absensi": (
        "TAP_DUPLIKAT",
        "TAP_DUPLIKAT",
        *NIP_CACAT,
        "NIP_TIDAK_DIKENAL",
        "NIP_TIDAK_DIKENAL",
        "WAKTU_RUSAK",
        "WAKTU_RUSAK",
        "KODE_TIDAK_DIKENAL",
        "BULAN_LAIN",
    ),
    "ketidakhadiran": (
        *NIP_CACAT,
        "NIP_TIDAK_DIKENAL",
        "TANGGAL_RUSAK",
        "KODE_TIDAK_DIKENAL",
        "BULAN_LAIN",
    ),
    "kinerja": (
        *NIP_CACAT,
        "NIP_TIDAK_DIKENAL",
        "TANGGAL_RUSAK",
        "KODE_TIDAK_DIKENAL",
        "PERIODE_LAIN",
        "PREDIKAT_BERTENTANGAN",
        "PREDIKAT_BERTENTANGAN",
    ),
    "aktivitas": (
        *NIP_CACAT,
        "NIP_TIDAK_DIKENAL",
        "TANGGAL_RUSAK",
        "KODE_TIDAK_DIKENAL",
        "NILAI_DI_LUAR_RENTANG",
        "BULAN_LAIN",
    ),
    "jadwal": (
        "JADWAL_GANDA",
        "JADWAL_GANDA",
        "KODE_SHIFT_TIDAK_DIKENAL",
        "KODE_SHIFT_TIDAK_DIKENAL",
        "NIP_TIDAK_DIKENAL",
        "NIP_TIDAK_DIKENAL",
        *NIP_CACAT,
        "TANGGAL_RUSAK",
        "BULAN_LAIN",
    ),
}
KODE_SHIFT = ("PAGI", "SIANG", "MALAM", "LIBUR")  # jadwal.KODE: the codes a roster line may carry
KOLOM = {  # the column each defect touches, per kind
    "TANGGAL_RUSAK": {
        "pegawai": "tmt_opd",
        "ketidakhadiran": "mulai",
        "kinerja": "tanggal_penilaian",
        "aktivitas": "tanggal",
        "jadwal": "tanggal",
    },
    "KODE_TIDAK_DIKENAL": {
        "pegawai": "jenis_jabatan",
        "absensi": "metode",
        "ketidakhadiran": "kode",
        "kinerja": "hasil_kerja",
        "aktivitas": "status",
    },
    "NILAI_DI_LUAR_RENTANG": {"pegawai": "kelas_jabatan", "aktivitas": "durasi_menit"},
    "BULAN_LAIN": {
        "absensi": "waktu",
        "ketidakhadiran": "mulai",
        "aktivitas": "tanggal",
        "jadwal": "tanggal",
    },
    "KODE_SHIFT_TIDAK_DIKENAL": {"jadwal": "kode_shift"},
    "WAKTU_RUSAK": {"absensi": "waktu"},
    "PERIODE_LAIN": {"kinerja": "periode"},
    "PREDIKAT_BERTENTANGAN": {"kinerja": "predikat"},
}
KODE_ASING = {
    "pegawai": "STRUKTURAL",
    "absensi": "RFID",
    "ketidakhadiran": "CUTI",
    "kinerja": "BAGUS",
    "aktivitas": "DIPROSES",
}
CACAT_SCHEMA = {
    "file": pl.String,
    "line": pl.Int64,
    "jenis_cacat": pl.String,
    "kolom": pl.String,
    "detail": pl.String,
}


@dataclass
class Injected:
    frame: pl.DataFrame  # the file's rows, defects included
    cacat: pl.DataFrame  # file, line, jenis_cacat, kolom, detail
    bom: bool


def _nip_rusak(nip: pl.Expr, jenis: str, u: pl.Expr) -> pl.Expr:
    if jenis == "NIP_PANJANG_SALAH":
        return pl.when(u < 0.5).then(nip.str.slice(0, 17)).otherwise(nip + "7")
    if jenis == "NIP_TANGGAL_LAHIR_MUSTAHIL":
        return (
            pl.when(u < 0.34)
            .then(nip.str.slice(0, 4) + "13" + nip.str.slice(6))
            .when(u < 0.67)
            .then(nip.str.slice(0, 6) + "32" + nip.str.slice(8))
            .otherwise(nip.str.slice(0, 4) + "0230" + nip.str.slice(8))
        )
    if jenis == "NIP_JENIS_KELAMIN_SALAH":
        return nip.str.slice(0, 14) + "3" + nip.str.slice(15)
    # NIP_TIDAK_DIKENAL: sequence numbers of real NIPs stay far below 900
    return nip.str.slice(0, 15) + "9" + (u * 100).cast(pl.Int64).cast(pl.String).str.zfill(2)


def _tanggal_rusak(col: pl.Expr, u: pl.Expr) -> pl.Expr:
    d = col.str.slice(0, 10)
    return (
        pl.when(u < 0.4)
        .then(d.str.slice(8, 2) + "/" + d.str.slice(5, 2) + "/" + d.str.slice(0, 4))
        .when(u < 0.7)
        .then(d.str.slice(0, 8) + "32")
        .otherwise(d.str.slice(0, 5) + "13" + d.str.slice(7))
    )


def _waktu_rusak(col: pl.Expr, u: pl.Expr) -> pl.Expr:
    t = col.str.to_datetime("%Y-%m-%d %H:%M:%S")
    return (
        pl.when(u < 0.34)
        .then(pl.format("{} {}:{}", t.dt.strftime("%Y-%m-%d"), t.dt.hour(), t.dt.minute()))
        .when(u < 0.67)
        .then(t.dt.strftime("%d/%m/%Y %H:%M"))
        .otherwise(
            pl.format(
                "{} {}:{}",
                t.dt.strftime("%Y-%m-%d"),
                (t.dt.hour() + 18).cast(pl.String),
                t.dt.strftime("%M:%S"),
            )
        )
    )


def _mutate(
    kind: str, jenis: str, frame: pl.DataFrame, u: pl.Expr, periode: str
) -> tuple[str, pl.Expr]:
    """(column, new value expression) for one defect kind on the selected rows."""
    if jenis in NIP_CACAT or jenis == "NIP_TIDAK_DIKENAL":
        return "nip", _nip_rusak(pl.col("nip"), jenis, u)
    kolom = KOLOM[jenis][kind]
    c = pl.col(kolom)
    if jenis == "TANGGAL_RUSAK":
        return kolom, _tanggal_rusak(c, u)
    if jenis == "WAKTU_RUSAK":
        return kolom, _waktu_rusak(c, u)
    if jenis == "KODE_TIDAK_DIKENAL":
        return kolom, pl.lit(KODE_ASING[kind])
    if jenis == "KODE_SHIFT_TIDAK_DIKENAL":
        return kolom, pl.lit("SORE")
    if jenis == "NILAI_DI_LUAR_RENTANG":
        lo, hi = ("0", "18") if kind == "pegawai" else ("0", "900")
        return kolom, pl.when(u < 0.5).then(pl.lit(lo)).otherwise(pl.lit(hi))
    if jenis == "BULAN_LAIN":
        if kind == "absensi":
            t = c.str.to_datetime("%Y-%m-%d %H:%M:%S") - pl.duration(days=35)
            return kolom, t.dt.strftime("%Y-%m-%d %H:%M:%S")
        if kind in ("aktivitas", "jadwal"):
            return kolom, (c.str.to_date("%Y-%m-%d") - pl.duration(days=35)).dt.strftime("%Y-%m-%d")
        return kolom, c  # ketidakhadiran: both dates move, handled by the caller
    if jenis == "PERIODE_LAIN":
        tahun, bulan = map(int, periode.split("-"))
        lain = f"{tahun - (bulan == 1)}-{(bulan - 2) % 12 + 1:02d}"
        return kolom, pl.lit(lain)
    if jenis == "PREDIKAT_BERTENTANGAN":
        matrix = pl.col("_matrix")
        geser = (u * 4).cast(pl.Int64) + 1
        idx = (
            matrix.replace_strict({p: i for i, p in enumerate(PREDIKAT)}, return_dtype=pl.Int64)
            + geser
        ) % 5
        return kolom, idx.replace_strict(dict(enumerate(PREDIKAT)), return_dtype=pl.String)
    raise ValueError(jenis)


def inject(
    kind: str,
    frame: pl.DataFrame,
    rate: float,
    rng: np.random.Generator,
    file: str,
    periode: str,
    xlsx: bool,
) -> Injected:
    """Defects for one file (``frame``: text columns, contract order).

    Only the drawn rows are touched (gathered, changed, scattered back), so this stays cheap
    on a 700,000-row attendance file.
    """
    n = frame.height
    k = int(rng.binomial(n, rate)) if n else 0
    rows = np.sort(rng.choice(n, k, replace=False)) if k else np.array([], dtype=np.int64)
    pool = BERLAKU[kind]
    jenis = np.array(pool, dtype=object)[rng.integers(0, len(pool), k)]
    columns = {c: frame[c] for c in frame.columns}
    records, dupes = [], []
    for j in sorted(set(jenis)):
        sel = rows[jenis == j]
        sub = frame[sel].with_columns(_ord=pl.Series(sel * 2), _u=pl.Series(rng.random(len(sel))))
        if j == "TAP_DUPLIKAT":  # a re-sent copy right after the original line
            dupes.append(sub.select(pl.col("_ord") + 1, *frame.columns))
            records.append(
                sub.select(
                    pl.col("_ord") + 1,
                    pl.lit(j).alias("jenis_cacat"),
                    pl.lit("").alias("kolom"),
                    pl.lit("duplikat persis baris sebelumnya").alias("detail"),
                )
            )
            continue
        if j == "JADWAL_GANDA":  # the same day again right after, with another code
            geser = (pl.col("_u") * 3).cast(pl.Int64) + 1
            idx = pl.col("kode_shift").replace_strict(
                {k: i for i, k in enumerate(KODE_SHIFT)}, default=0, return_dtype=pl.Int64
            )
            lain = ((idx + geser) % len(KODE_SHIFT)).replace_strict(
                dict(enumerate(KODE_SHIFT)), return_dtype=pl.String
            )
            sub = sub.with_columns(_lain=lain)
            dupes.append(
                sub.select(
                    pl.col("_ord") + 1,
                    *(
                        pl.col("_lain").alias(c) if c == "kode_shift" else pl.col(c)
                        for c in frame.columns
                    ),
                )
            )
            records.append(
                sub.select(
                    pl.col("_ord") + 1,
                    pl.lit(j).alias("jenis_cacat"),
                    pl.lit("kode_shift").alias("kolom"),
                    pl.format(
                        "tanggal {} sudah tercatat '{}' di baris sebelumnya; baris ini '{}'",
                        "tanggal",
                        "kode_shift",
                        "_lain",
                    ).alias("detail"),
                )
            )
            continue
        if kind == "kinerja":
            sub = sub.with_columns(
                _matrix=pl.concat_str("hasil_kerja", "perilaku", separator="|").replace_strict(
                    {f"{h}|{p}": v for (h, p), v in PREDIKAT_MATRIX.items()}, default=None
                )
            )
        if j == "BULAN_LAIN" and kind == "ketidakhadiran":  # the whole range moves back
            mulai, selesai = pl.col("mulai").str.to_date(), pl.col("selesai").str.to_date()
            geser = pl.duration(days=(selesai - mulai).dt.total_days() + 40)
            new = sub.with_columns(
                mulai=(mulai - geser).dt.strftime("%Y-%m-%d"),
                selesai=(selesai - geser).dt.strftime("%Y-%m-%d"),
            )
            changed, kolom, extra = ("mulai", "selesai"), "mulai", "selesai"
        else:
            kolom, expr = _mutate(kind, j, sub, pl.col("_u"), periode)
            new = sub.with_columns(expr.alias(kolom))
            changed, extra = (kolom,), None
        for c in changed:
            columns[c] = columns[c].scatter(sel, new[c])
        records.append(_records(sub, new, j, kolom, extra))
    work = pl.DataFrame(list(columns.values())).with_columns(
        _ord=pl.int_range(pl.len(), dtype=pl.Int64) * 2
    )
    if dupes:
        work = pl.concat([work, *(d.select(work.columns) for d in dupes)]).sort("_ord")
    offset = XLSX_HEADER_ROW + 1 if xlsx else 2
    lines = work.select(pl.col("_ord"), line=pl.int_range(pl.len(), dtype=pl.Int64) + offset)
    cacat = (
        pl.concat(records)
        .join(lines, on="_ord")
        .select(pl.lit(file).alias("file"), "line", "jenis_cacat", "kolom", "detail")
        if records
        else pl.DataFrame(schema=CACAT_SCHEMA)
    )
    bom = (not xlsx) and bool(rng.random() < min(0.5, 20 * rate))
    if bom:
        cacat = pl.concat(
            [
                pl.DataFrame(
                    {
                        "file": [file],
                        "line": [1],
                        "jenis_cacat": ["BOM"],
                        "kolom": [""],
                        "detail": ["BOM UTF-8 di awal file"],
                    },
                    schema=CACAT_SCHEMA,
                ),
                cacat,
            ]
        )
    return Injected(work.select(frame.columns), cacat.sort("line", "jenis_cacat"), bom)


def _records(
    before: pl.DataFrame, after: pl.DataFrame, jenis: str, kolom: str, extra: str | None = None
) -> pl.DataFrame:
    detail = pl.format("'{}' -> '{}'", pl.col("a").fill_null(""), pl.col("b").fill_null(""))
    frame = pl.DataFrame({"_ord": before["_ord"], "a": before[kolom], "b": after[kolom]})
    if extra:
        frame = frame.with_columns(
            a=pl.col("a") + " s.d. " + before[extra], b=pl.col("b") + " s.d. " + after[extra]
        )
    return frame.select(
        "_ord",
        pl.lit(jenis).alias("jenis_cacat"),
        pl.lit(kolom).alias("kolom"),
        detail.alias("detail"),
    )
