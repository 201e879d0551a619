"""Inputs of the models: the raw zone, the calendar seeds, ref_opd and the ground truth.

Everything is read through one DuckDB connection with temporary views, so the features are
computed set-wise (a year is ~8 M taps). Only this module knows file locations.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl

from orchestration.paths import SEEDS_DIR, DataDir

ENV_GROUNDTRUTH = "KINERJA_GROUNDTRUTH"
VERSI_JAM_KERJA = "default-2024"


def periode_tersedia(data: DataDir, kind: str = "absensi") -> list[str]:
    """Periods (``YYYY-MM``) present in ``raw/<kind>/``, sorted."""
    folder = data.raw / kind
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("????-??.parquet"))


def geser(periode: str, bulan: int) -> str:
    """``geser("2025-01", -1)`` -> ``"2024-12"``."""
    i = int(periode[:4]) * 12 + int(periode[5:]) - 1 + bulan
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def _files(data: DataDir, kind: str, periods: list[str]) -> list[str]:
    return [str(f) for p in periods if (f := data.raw_file(kind, p)).exists()]


def _view(con: duckdb.DuckDBPyConnection, name: str, data: DataDir, kind: str, periods) -> None:
    files = _files(data, kind, periods) or [str(data.raw_schema_file(kind))]
    con.execute(
        f"create or replace temp view {name} as select * from read_parquet({_daftar_sql(files)})"
    )


def _daftar_sql(paths: list[str]) -> str:
    """A SQL list literal of file paths (a view cannot take prepared parameters)."""
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


def koneksi(
    data: DataDir, periods: list[str], threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with temp views over the raw zone of ``periods``.

    Views: ``raw_absensi``, ``raw_ketidakhadiran``, ``raw_pegawai`` (also the month before the
    first period, for transfers and new arrivals), ``raw_kinerja``, ``ref_opd`` and ``kalender``
    (every day of the periods: ``kerja``, ``ramadan``, duty start and end in seconds).
    """
    con = duckdb.connect()
    if threads:
        con.execute(f"set threads = {int(threads)}")
    periods = sorted(set(periods))
    before = [geser(periods[0], -1)] if periods else []
    _view(con, "raw_absensi", data, "absensi", periods)
    _view(con, "raw_ketidakhadiran", data, "ketidakhadiran", periods)
    _view(con, "raw_pegawai", data, "pegawai", before + periods)
    _view(con, "raw_kinerja", data, "kinerja", periods)
    con.register("_periode", pl.DataFrame({"periode": periods}, schema={"periode": pl.String}))
    con.execute(
        "create or replace temp table ref_opd as select * from read_csv(?, all_varchar=true)",
        [str(SEEDS_DIR / "ref_opd.csv")],
    )
    _kalender(con)
    return con


def _kalender(con: duckdb.DuckDBPyConnection) -> None:
    libur = str(SEEDS_DIR / "kalender_libur.csv")
    ramadan = str(SEEDS_DIR / "kalender_ramadan.csv")
    jam = str(SEEDS_DIR / "aturan_jam_kerja.csv")
    con.execute(
        f"""
        create or replace temp table kalender as
        with hari as (
            select p.periode, cast(d as date) as tanggal
            from _periode p,
                 generate_series(strptime(p.periode || '-01', '%Y-%m-%d'),
                                 strptime(p.periode || '-01', '%Y-%m-%d') + interval 1 month
                                     - interval 1 day,
                                 interval 1 day) as g(d)
        ),
        libur as (select distinct cast(tanggal as date) as tanggal from read_csv('{libur}')),
        ramadan as (
            select cast(mulai as date) as mulai, cast(selesai as date) as selesai
            from read_csv('{ramadan}')
        ),
        jam as (
            select cast(ramadan as boolean) as ramadan, cast(hari as integer) as hari,
                   epoch(cast(jam_masuk as time)) as mulai_detik,
                   epoch(cast(jam_pulang as time)) as selesai_detik
            from read_csv('{jam}', all_varchar=true)
            where versi = '{VERSI_JAM_KERJA}'
        ),
        hari2 as (
            select h.*, isodow(h.tanggal) as hari_iso,
                   exists (select 1 from ramadan r
                           where h.tanggal between r.mulai and r.selesai) as ramadan,
                   h.tanggal in (select tanggal from libur) as libur
            from hari h
        )
        select h.periode, h.tanggal, h.hari_iso, h.ramadan,
               (j.hari is not null and not h.libur) as kerja,
               j.mulai_detik, j.selesai_detik
        from hari2 h
        left join jam j on j.hari = h.hari_iso and j.ramadan = h.ramadan
        """
    )


def groundtruth_path(exports: Path | None = None) -> Path | None:
    """The simulator's ``anomali.csv``: ``$KINERJA_GROUNDTRUTH`` or ``<exports>/_groundtruth/``."""
    env = os.environ.get(ENV_GROUNDTRUTH)
    candidates = [Path(env)] if env else []
    if exports is not None:
        candidates.append(Path(exports) / "_groundtruth" / "anomali.csv")
    return next((p for p in candidates if p.is_file()), None)


def baca_groundtruth(path: Path | None) -> pl.DataFrame | None:
    """(periode, nip, jenis_anomali, detail) or None when there is no ground truth."""
    if path is None:
        return None
    return pl.read_csv(path, schema_overrides={"nip": pl.String, "periode": pl.String})
