"""The score files the app reads: ``DATA/models/skor_anomali.parquet`` and ``skor_peringatan``.

One file per model, all scored periods in it; scoring a period again replaces that period's rows.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from models.registry import folder, write_parquet_atomic
from orchestration.core.paths import DataDir

ANOMALI, PERINGATAN = "skor_anomali", "skor_peringatan"
TEMUAN, KASUS = "temuan_anomali", "kasus_anomali"  # one row per flag / per case
URUT = {TEMUAN: ("periode", "nip", "aturan"), KASUS: ("periode", "kasus_id")}


def path(data: DataDir, nama: str) -> Path:
    return folder(data) / f"{nama}.parquet"


def merge(data: DataDir, nama: str, baru: pl.DataFrame) -> pl.DataFrame:
    """Write ``baru`` over the rows of its periods in the score file; returns the whole file."""
    p = path(data, nama)
    if p.exists():
        lama = pl.read_parquet(p)
        lama = lama.filter(~pl.col("periode").is_in(baru["periode"].unique().to_list()))
        semua = pl.concat([lama, baru], how="diagonal_relaxed")
    else:
        semua = baru
    semua = semua.sort(*URUT.get(nama, ("periode", "peringkat")))
    write_parquet_atomic(semua, p)
    return semua


def _load(data: DataDir | str | Path, nama: str, periode: str | None) -> pl.DataFrame:
    data = data if isinstance(data, DataDir) else DataDir.resolve(data)
    p = path(data, nama)
    if not p.exists():
        return pl.DataFrame()
    scan = pl.scan_parquet(p)
    if periode:
        scan = scan.filter(pl.col("periode") == periode)
    return scan.collect()


def load_anomaly_scores(data: DataDir | str | Path, periode: str | None = None) -> pl.DataFrame:
    """Anomaly scores per (periode, nip): ``ditandai`` (a rule or the model layer flagged it),
    ``lapisan`` (ATURAN / MODEL / null), ``aturan`` (rules met), ``alasan`` (Bahasa Indonesia,
    null when not flagged), ``alasan_utama`` (the first rule's name, or the model's strongest
    indicator group), ``label_utama`` (its name for people), ``terpotong_beban``, ``skor`` (the forest's score), ``peringkat``
    (1 = first to look at: rule flags, then model flags, then by score), the features and
    ``model_versi``. Empty frame when nothing was scored yet.
    """
    return _load(data, ANOMALI, periode)


def load_anomaly_flags(data: DataDir | str | Path, periode: str | None = None) -> pl.DataFrame:
    """One row per flag: ``aturan`` (rule name, or ``model_isolation_forest``), ``lapisan``
    (ATURAN / MODEL), ``label``, ``alasan`` (who, which device, which days, how far), ``nilai``,
    ``ambang``, ``nip_pasangan``, ``kasus_id``."""
    return _load(data, TEMUAN, periode)


def load_anomaly_cases(data: DataDir | str | Path, periode: str | None = None) -> pl.DataFrame:
    """One row per case (a person, or a buddy-punching pair, in a month): ``kasus_id``,
    ``jenis`` (PEGAWAI / PASANGAN), ``nip`` (list), ``aturan`` (list), ``lapisan``,
    ``jumlah_temuan``, ``alasan``."""
    return _load(data, KASUS, periode)


def load_warning_scores(data: DataDir | str | Path, periode: str | None = None) -> pl.DataFrame:
    """Early-warning scores per (periode, nip): ``skor`` = probability that the evaluation of
    ``periode_target`` (the month after ``periode``) is BUTUH_PERBAIKAN or worse, ``peringkat``,
    ``tingkat`` (TINGGI / SEDANG / RENDAH), ``alasan`` (worded for rows of risk SEDANG or
    higher or on the month's list, null otherwise), ``skor_baseline`` (the observed rate for this
    month's predikat), ``skor_baseline_rata`` (the risk from the average of past ratings alone:
    the baseline the model does not beat, docs/models/evaluation.md), ``model_versi``.
    """
    return _load(data, PERINGATAN, periode)
