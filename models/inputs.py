"""Inputs of the models: the published marts, the raw taps, ref_opd and the ground truth.

Everything is read through one DuckDB connection with temporary views, so the features are
computed set-wise (a year is ~8 M taps). Only this module knows file locations.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import polars as pl

from orchestration.core.paths import SEEDS_DIR, DataDir
from orchestration.core.published import current_snapshot

ENV_GROUNDTRUTH = "KINERJA_GROUNDTRUTH"


def available_periods(data: DataDir, kind: str = "absensi") -> list[str]:
    """Periods (``YYYY-MM``) present in ``raw/<kind>/``, sorted."""
    folder = data.raw / kind
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("????-??.parquet"))


def shift_month(periode: str, bulan: int) -> str:
    """``geser("2025-01", -1)`` -> ``"2024-12"``."""
    i = int(periode[:4]) * 12 + int(periode[5:]) - 1 + bulan
    return f"{i // 12:04d}-{i % 12 + 1:02d}"


def _files(data: DataDir, kind: str, periods: list[str]) -> list[str]:
    return [str(f) for p in periods if (f := data.raw_file(kind, p)).exists()]


def _view(con: duckdb.DuckDBPyConnection, name: str, data: DataDir, kind: str, periods) -> None:
    files = _files(data, kind, periods) or [str(data.raw_schema_file(kind))]
    con.execute(
        f"create or replace temp view {name} as select * from read_parquet({_list_sql(files)})"
    )


def _list_sql(paths: list[str]) -> str:
    """A SQL list literal of file paths (a view cannot take prepared parameters)."""
    return "[" + ", ".join("'" + p.replace("'", "''") + "'" for p in paths) + "]"


class NotYetPublished(RuntimeError):
    """The published snapshot lacks a period the models need (dbt has not published it yet)."""


def published_periods(data: DataDir) -> list[str]:
    """Periods of the current published snapshot, sorted ([] when nothing is published)."""
    snap = current_snapshot(data)
    return sorted(snap.periods) if snap is not None else []


def published_files(data: DataDir, table: str, periods: list[str]) -> list[Path]:
    """The published Parquet files of ``table`` for ``periods`` (missing periods are skipped)."""
    snap = current_snapshot(data)
    return snap.files(table, periods) if snap is not None else []


def published_fingerprint(data: DataDir, tables: tuple[str, ...], periods: list[str]) -> list[str]:
    """The manifest's sha256 of each published file of ``tables`` x ``periods`` (sorted): what
    the day facts were, without reading them."""
    snap = current_snapshot(data)
    if snap is None:
        return []
    out = []
    for t in tables:
        for p in periods:
            entry = snap.file_entry(t, p)
            if entry is not None:
                out.append(f"{t}/{p}:{entry['sha256']}")
    return sorted(out)


def connect(
    data: DataDir, periods: list[str], threads: int | None = None
) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with temp views over what the models read for ``periods``.

    Day facts come from the dbt marts as published (``published/current``), never re-derived:

    - ``tpp_harian``: every working day of every paid segment (check-in / check-out, kode_hari,
      the approved absence and its letter, the expected hours), as dbt computed it from the
      rulebook (absence priority, tap split time, Ramadan hours);
    - ``tpp_harian_lalu``: the same for the month before the first period (its month-end night
      shifts end on the first morning; empty when that month is not published);
    - ``tpp_bulanan``: the segments of each month (and of the month before the first period,
      for last month's department), with status, golongan, jabatan and predikat.

    The raw zone is read only for what no mart carries: ``raw_absensi`` (single taps: device,
    second, method, coordinates, for buddy punching and MOBILE distance, and taps on days that
    are not working days, which tpp_harian does not list) and ``raw_kinerja`` (the hasil kerja /
    perilaku ratings, looked up by the file and line tpp_bulanan names). ``ref_opd``: office
    coordinates. Raises ``SumberBelumTerbit`` when a period is not published.
    """
    con = duckdb.connect()
    if threads:
        con.execute(f"set threads = {int(threads)}")
    periods = sorted(set(periods))
    published = set(published_periods(data))
    missing = [p for p in periods if p not in published]
    if missing:
        raise NotYetPublished(
            f"Periode {', '.join(missing)} belum terbit (published/current); jalankan pipeline dulu."
        )
    before = [shift_month(periods[0], -1)] if periods else []
    _view(con, "raw_absensi", data, "absensi", periods)
    _view(con, "raw_kinerja", data, "kinerja", periods)
    _published_view(con, "tpp_harian", data, periods)
    if lalu := [str(f) for f in published_files(data, "tpp_harian", before)]:
        # last month's month-end night shifts end on this month's first morning
        con.execute(
            "create or replace temp view tpp_harian_lalu as "
            f"select * from read_parquet({_list_sql(lalu)}, union_by_name = true)"
        )
    else:
        con.execute("create or replace temp view tpp_harian_lalu as from tpp_harian limit 0")
    _published_view(con, "tpp_bulanan", data, before + periods)
    con.register("_periode", pl.DataFrame({"periode": periods}, schema={"periode": pl.String}))
    con.execute(
        "create or replace temp table ref_opd as select * from read_csv(?, all_varchar=true)",
        [str(SEEDS_DIR / "ref_opd.csv")],
    )
    return con


def _published_view(con: duckdb.DuckDBPyConnection, name: str, data: DataDir, periods) -> None:
    files = [str(f) for f in published_files(data, name, periods)]
    con.execute(
        f"create or replace temp view {name} as "
        f"select * from read_parquet({_list_sql(files)}, union_by_name = true)"
    )


def groundtruth_path(exports: Path | None = None) -> Path | None:
    """The simulator's ``anomali.csv``: ``$KINERJA_GROUNDTRUTH`` or ``<exports>/_groundtruth/``."""
    env = os.environ.get(ENV_GROUNDTRUTH)
    candidates = [Path(env)] if env else []
    if exports is not None:
        candidates.append(Path(exports) / "_groundtruth" / "anomali.csv")
    return next((p for p in candidates if p.is_file()), None)


def read_groundtruth(path: Path | None) -> pl.DataFrame | None:
    """(periode, nip, jenis_anomali, detail) or None when there is no ground truth."""
    if path is None:
        return None
    return pl.read_csv(path, schema_overrides={"nip": pl.String, "periode": pl.String})
