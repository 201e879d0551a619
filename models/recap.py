"""Monthly attendance and evaluation per employee: the early-warning model's input.

Everything comes from the published ``tpp_bulanan`` mart (the authority: segments of a transfer
month are summed; discipline points from the rulebook). The evaluation columns are the
predikat dbt computed (the seed matrix over the FINAL evaluation that counts, tpp-rules §4;
null when there was none) and that evaluation's hasil kerja / perilaku ratings, looked up in the
raw zone by the file and line ``tpp_bulanan`` names (no mart carries the two ratings).

Until issue 17 a second recap re-derived the counts from raw taps with the default rulebook's
points hard-coded (for tests without a warehouse); the tests now build the marts with dbt.
"""

from __future__ import annotations

import duckdb
import polars as pl

from models.inputs import connect
from orchestration.core.paths import DataDir

ANGKA = (
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
    "izin",
    "dl",
    "cuti",
    "menit_terlambat",
    "menit_pulang_cepat",
)
KOLOM = ("periode", "nip", "kode_opd", "kelas_jabatan", *ANGKA, "persen_disiplin")
_RATING = {"DI_ATAS": 0, "SESUAI": 1, "DI_BAWAH": 2}


def recap(data: DataDir, periods: list[str], sumber: str = "mart") -> tuple[pl.DataFrame, str]:
    """(recap of ``periods`` with the evaluation columns, the source used: always 'mart')."""
    con = connect(data, periods)
    try:
        out = from_mart(con).join(evaluations(con), on=["periode", "nip"], how="left")
    finally:
        con.close()
    return out.sort("periode", "nip"), "mart"


def from_mart(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    cuti = "ct + cs + cb + cm + cap + diklat"
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
            where periode in (select periode from _periode)
            group by periode, nip
            """
        )
        .pl()
        .select(KOLOM)
        .cast({c: pl.Int64 for c in ANGKA})
    )


def evaluations(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(periode, nip, hasil_kerja, perilaku, predikat, nilai_hasil, nilai_perilaku): the FINAL
    evaluation that counts, as dbt chose it (null: no FINAL evaluation)."""
    nilai = con.sql(
        """
        with b as (
            select periode, nip, any_value(predikat) as predikat,
                   any_value(sumber_kinerja) as sumber_kinerja,
                   any_value(baris_kinerja) as baris_kinerja
            from tpp_bulanan
            where periode in (select periode from _periode) and not tanpa_penilaian
            group by periode, nip
        )
        select b.periode, b.nip, k.hasil_kerja, k.perilaku, b.predikat
        from b
        join raw_kinerja k
          on k.periode = b.periode and k.source_file = b.sumber_kinerja
         and k.line_no = b.baris_kinerja
        """
    ).pl()
    return nilai.with_columns(
        pl.col("hasil_kerja").replace_strict(_RATING, default=None).alias("nilai_hasil"),
        pl.col("perilaku").replace_strict(_RATING, default=None).alias("nilai_perilaku"),
    )
