"""The score files the app reads: ``DATA/models/skor_anomali.parquet`` and ``skor_peringatan``.

One file per model, all scored periods in it; scoring a period again replaces that period's rows.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from models.registry import folder, tulis_parquet
from orchestration.paths import DataDir

ANOMALI, PERINGATAN = "skor_anomali", "skor_peringatan"


def path(data: DataDir, nama: str) -> Path:
    return folder(data) / f"{nama}.parquet"


def gabung(data: DataDir, nama: str, baru: pl.DataFrame) -> pl.DataFrame:
    """Write ``baru`` over the rows of its periods in the score file; returns the whole file."""
    p = path(data, nama)
    if p.exists():
        lama = pl.read_parquet(p)
        lama = lama.filter(~pl.col("periode").is_in(baru["periode"].unique().to_list()))
        semua = pl.concat([lama, baru], how="diagonal_relaxed")
    else:
        semua = baru
    semua = semua.sort("periode", "peringkat")
    tulis_parquet(semua, p)
    return semua


def _muat(data: DataDir | str | Path, nama: str, periode: str | None) -> pl.DataFrame:
    data = data if isinstance(data, DataDir) else DataDir.resolve(data)
    p = path(data, nama)
    if not p.exists():
        return pl.DataFrame()
    scan = pl.scan_parquet(p)
    if periode:
        scan = scan.filter(pl.col("periode") == periode)
    return scan.collect()


def load_anomaly_scores(data: DataDir | str | Path, periode: str | None = None) -> pl.DataFrame:
    """Anomaly scores per (periode, nip): ``skor``, ``peringkat`` (1 = strangest in the period),
    ``ditandai`` (inside the flagged budget), ``alasan`` (Bahasa Indonesia), the features and
    ``model_versi``. Empty frame when nothing was scored yet.
    """
    return _muat(data, ANOMALI, periode)


def load_warning_scores(data: DataDir | str | Path, periode: str | None = None) -> pl.DataFrame:
    """Early-warning scores per (periode, nip): ``skor`` = probability that the evaluation of
    ``periode_target`` (the month after ``periode``) is BUTUH_PERBAIKAN or worse, ``peringkat``,
    ``tingkat`` (TINGGI / SEDANG / RENDAH), ``alasan``, ``skor_baseline``, ``model_versi``.
    """
    return _muat(data, PERINGATAN, periode)
