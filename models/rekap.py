"""Monthly attendance and evaluation per employee: the early-warning model's input.

Two sources with one schema (``KOLOM``):

- ``dari_mart``: the dbt mart ``tpp_bulanan`` (the authority; segments of a transfer month are
  summed);
- ``dari_raw``: the same counts from the raw zone via ``harian`` (default rulebook hours and
  points, one segment per month) — for tests and when the warehouse is not built yet.

The evaluation (predikat by the PermenPANRB matrix, plus hasil_kerja and perilaku) always comes
from the raw zone's FINAL evaluations, latest ``tanggal_penilaian`` first, as tpp-rules §4.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from models import harian
from models.sumber import koneksi
from orchestration.contract import PREDIKAT_MATRIX
from orchestration.paths import DataDir

ANGKA = (
    "hari_kerja", "hari_efektif", "hadir", "tk", "tl1", "tl2", "tl3", "tl4",
    "psw1", "psw2", "psw3", "psw4", "izin", "dl", "cuti", "menit_terlambat",
    "menit_pulang_cepat",
)  # fmt: skip
KOLOM = ("periode", "nip", "kode_opd", "kelas_jabatan", *ANGKA, "persen_disiplin")
# default rulebook points (tpp-rules §3); the mart's own points are used when it is the source
POIN = {"tl": (0.5, 1.0, 1.25, 1.5), "tk": 3.0, "izin": 1.0}
_RATING = {"DI_ATAS": 0, "SESUAI": 1, "DI_BAWAH": 2}


def rekap(data: DataDir, periods: list[str], sumber: str = "auto") -> tuple[pl.DataFrame, str]:
    """(recap of ``periods`` with the evaluation columns, the source used: 'mart' or 'raw')."""
    pakai_mart = sumber == "mart" or (sumber == "auto" and _mart_lengkap(data, periods))
    con = koneksi(data, periods)
    try:
        if pakai_mart:
            hadir = dari_mart(data.warehouse, periods)
        else:
            harian.bangun(con)
            hadir = dari_raw(con)
        nilai = penilaian(con)
    finally:
        con.close()
    out = hadir.join(nilai, on=["periode", "nip"], how="left").sort("periode", "nip")
    return out, "mart" if pakai_mart else "raw"


def _mart_lengkap(data: DataDir, periods: list[str]) -> bool:
    """The warehouse has ``tpp_bulanan`` rows for every one of ``periods``."""
    if not data.warehouse.exists() or not periods:
        return False
    try:
        with duckdb.connect(str(data.warehouse), read_only=True) as con:
            have = {
                r[0] for r in con.execute("select distinct periode from tpp_bulanan").fetchall()
            }
    except duckdb.Error:
        return False
    return set(periods) <= have


def dari_mart(warehouse: Path, periods: list[str]) -> pl.DataFrame:
    cuti = "ct + cs + cb + cm + cap + diklat"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return (
            con.sql(
                f"""
            select periode, nip,
                   coalesce(max(case when segmen = 'UTAMA' then kode_opd end), max(kode_opd))
                       as kode_opd,
                   max(case when segmen = 'UTAMA' then kelas_jabatan end) as kelas_jabatan,
                   max(hari_kerja) as hari_kerja,
                   {", ".join(f"sum({c}) as {c}" for c in ANGKA[1:] if c != "cuti")},
                   sum({cuti}) as cuti,
                   cast(greatest(0, 100 - sum(jumlah_poin)) as double) as persen_disiplin
            from tpp_bulanan
            where periode in ({", ".join(f"'{p}'" for p in periods)})
            group by periode, nip
            """
            )
            .pl()
            .select(KOLOM)
            .cast({c: pl.Int64 for c in ANGKA})
        )


def dari_raw(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The recap from ``hari_pegawai`` (``harian.bangun`` must have run on ``con``)."""
    tl = POIN["tl"]
    return (
        con.sql(
            f"""
        with h as (
            select *,
                   kerja and kode_absen is null and jumlah_tap > 0 as hadir,
                   greatest(0, floor((detik_datang - mulai_detik) / 60)) as telat,
                   greatest(0, floor((selesai_detik - detik_pulang) / 60)) as cepat
            from hari_pegawai
        ),
        k as (
            select *,
                   case when not hadir then null
                        when waktu_datang is null or telat > 90 then 4
                        when telat > 60 then 3 when telat > 30 then 2 when telat > 0 then 1
                   end as kode_tl,
                   case when not hadir then null
                        when waktu_pulang is null or cepat > 90 then 4
                        when cepat > 60 then 3 when cepat > 30 then 2 when cepat > 0 then 1
                   end as kode_psw
            from h
        ),
        b as (
            select periode, nip, min(kode_opd) as kode_opd,
                count(*) filter (where kerja and coalesce(kode_absen, '') not in ('CLTN', 'TB'))
                    as hari_efektif,
                count(*) filter (where hadir) as hadir,
                count(*) filter (where kerja and kode_absen is null and jumlah_tap = 0) as tk,
                {", ".join(f"count(*) filter (where kode_tl = {i}) as tl{i}" for i in range(1, 5))},
                {", ".join(f"count(*) filter (where kode_psw = {i}) as psw{i}" for i in range(1, 5))},
                count(*) filter (where kerja and kode_absen = 'IZIN') as izin,
                count(*) filter (where kerja and kode_absen = 'DL') as dl,
                count(*) filter (where kerja and kode_absen in ('CT', 'CS', 'CB', 'CM', 'CAP',
                                                               'DIKLAT')) as cuti,
                coalesce(sum(telat) filter (where hadir), 0) as menit_terlambat,
                coalesce(sum(cepat) filter (where hadir), 0) as menit_pulang_cepat
            from k group by periode, nip
        ),
        kal as (select periode, count(*) filter (where kerja) as hari_kerja
                from kalender group by periode)
        select b.periode, b.nip, b.kode_opd, s.kelas_jabatan, kal.hari_kerja,
               b.* exclude (periode, nip, kode_opd),
               cast(greatest(0, 100
                   - {tl[0]} * (tl1 + psw1) - {tl[1]} * (tl2 + psw2)
                   - {tl[2]} * (tl3 + psw3) - {tl[3]} * (tl4 + psw4)
                   - {POIN["tk"]} * tk - {POIN["izin"]} * izin) as double) as persen_disiplin
        from b
        join staf s on s.periode = b.periode and s.nip = b.nip
        join kal on kal.periode = b.periode
        """
        )
        .pl()
        .select(KOLOM)
        .cast({c: pl.Int64 for c in ANGKA})
    )


def penilaian(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(periode, nip, predikat, hasil_kerja, perilaku): the FINAL evaluation that counts."""
    nilai = con.sql(
        """
        select periode, nip,
               arg_max(hasil_kerja, [epoch(tanggal_penilaian), line_no]) as hasil_kerja,
               arg_max(perilaku, [epoch(tanggal_penilaian), line_no]) as perilaku
        from raw_kinerja where status = 'FINAL'
        group by periode, nip
        """
    ).pl()
    matriks = pl.DataFrame(
        [(h, p, v) for (h, p), v in PREDIKAT_MATRIX.items()],
        schema=["hasil_kerja", "perilaku", "predikat"],
        orient="row",
    )
    return nilai.join(matriks, on=["hasil_kerja", "perilaku"], how="left").with_columns(
        pl.col("hasil_kerja").replace_strict(_RATING, default=None).alias("nilai_hasil"),
        pl.col("perilaku").replace_strict(_RATING, default=None).alias("nilai_perilaku"),
    )
