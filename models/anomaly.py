"""Attendance anomalies: one-sided robust z-scores, an IsolationForest, reasons in words.

Each feature becomes a one-sided robust z-score ``max(0, arah * (x - median) / skala)`` where
``skala = max(1.4826 * MAD, skala_min)``: only the suspicious direction counts (too regular,
too many days), and a zero-inflated count (most people never tap on a weekend) keeps a sane
scale. The IsolationForest (fixed seed) scores the z-vectors; the reasons are the largest
z-scores, worded with the values an analyst can check in the taps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl
from sklearn.ensemble import IsolationForest

from models.features import FITUR, KM_JAUH, NAMA_FITUR
from orchestration.contract import format_nip

BUDGET = 0.02  # share of employee-months flagged per period
Z_MAKS = 50.0  # z beyond this adds nothing
Z_ALASAN = 2.0  # a feature is a reason from this z on
MAKS_ALASAN = 3
SAMPEL = 2048  # rows per tree
# features that tell one story share one reason
GRUP = {
    "hari_titip": "titip",
    "hari_menit_identik": "jam",
    "sd_menit_datang": "jam",
    "hari_mobile_jauh": "mobile",
    "km_mobile_median": "mobile",
    "hari_tap_saat_dl": "dl",
    "hari_tap_libur": "libur",
}
TANPA_ALASAN = "Kombinasi pola tidak lazim tanpa satu indikator yang menonjol; periksa manual."


@dataclass
class ModelAnomali:
    seed: int
    median: dict[str, float]
    skala: dict[str, float]
    forest: IsolationForest
    fitur: tuple[str, ...] = NAMA_FITUR
    budget: float = BUDGET
    info: dict = field(default_factory=dict)

    def z(self, df: pl.DataFrame) -> np.ndarray:
        """One-sided robust z-scores, (rows × features), missing values count as typical."""
        cols = []
        for f in FITUR:
            x = df[f.nama].cast(pl.Float64).fill_null(self.median[f.nama]).to_numpy()
            cols.append(np.clip(f.arah * (x - self.median[f.nama]) / self.skala[f.nama], 0, Z_MAKS))
        return np.column_stack(cols)

    def skor(self, df: pl.DataFrame) -> np.ndarray:
        """Anomaly score, higher = stranger (the negated IsolationForest score)."""
        return -self.forest.score_samples(self.z(df))


def latih(fitur: pl.DataFrame, seed: int, n_pohon: int = 300) -> ModelAnomali:
    """Fit the reference (median, scale) and the forest on ``fitur`` (one row per employee-month).

    Each tree sees ``SAMPEL`` rows, not sklearn's default 256: a kind planted in 0.2 % of the
    employee-months (taps during an official trip) is then present in most trees' samples, so
    the trees learn to split on it (with 256 the forest caught 15 of 410 such cases).
    """
    median, skala = {}, {}
    for f in FITUR:
        x = fitur[f.nama].cast(pl.Float64).drop_nulls().to_numpy()
        med = float(np.median(x)) if len(x) else 0.0
        mad = float(np.median(np.abs(x - med))) if len(x) else 0.0
        median[f.nama], skala[f.nama] = med, max(1.4826 * mad, f.skala_min)
    forest = IsolationForest(
        n_estimators=n_pohon, max_samples=min(SAMPEL, fitur.height), random_state=seed
    )
    model = ModelAnomali(seed, median, skala, forest)
    model.forest.fit(model.z(fitur))
    return model


def skor_maks_z(model: ModelAnomali, df: pl.DataFrame) -> np.ndarray:
    """The simplest rival: the largest one-sided z-score (reported next to the forest)."""
    return model.z(df).max(axis=1)


def nilai(model: ModelAnomali, fitur: pl.DataFrame, versi: str = "") -> pl.DataFrame:
    """Score, rank per period, flag the top ``budget`` and word the reasons of every row."""
    z = model.z(fitur)
    zdf = pl.DataFrame({f"z_{n}": z[:, i] for i, n in enumerate(model.fitur)})
    out = pl.concat([fitur, zdf], how="horizontal").with_columns(
        skor=pl.Series(-model.forest.score_samples(z)),
        skor_maks_z=pl.Series(z.max(axis=1)),
    )
    out = tandai(out, "skor", model.budget).with_columns(model_versi=pl.lit(versi))
    return (
        out.join(alasan(out), on=["periode", "nip"], how="left")
        .with_columns(pl.col("alasan").fill_null(TANPA_ALASAN))
        .sort("periode", "peringkat")
    )


def tandai(df: pl.DataFrame, kolom: str = "skor", budget: float = BUDGET) -> pl.DataFrame:
    """``peringkat`` (1 = highest ``kolom`` in its period), ``persentil`` and ``ditandai``:
    the top ``budget`` share of each period (at least one row)."""
    n = pl.len().over("periode")
    rank = pl.col(kolom).rank("ordinal", descending=True).over("periode")
    return df.with_columns(
        peringkat=rank.cast(pl.Int32),
        persentil=1 - (pl.col(kolom).rank("max", descending=True).over("periode") - 1) / n,
        ditandai=rank <= (n * budget).ceil(),
    )


def _angka(col: str, desimal: int = 1) -> pl.Expr:
    """A number in Indonesian notation (decimal comma)."""
    return pl.col(col).round(desimal).cast(pl.String).str.replace(r"\.", ",")


def _teks() -> dict[str, pl.Expr]:
    nip = pl.col("nip_pasangan").map_elements(format_nip, return_dtype=pl.String)
    return {
        "titip": pl.format(
            "Tap di mesin {} rata-rata {} detik setelah NIP {} pada {} hari",
            "mesin_pasangan", _angka("detik_titip", 0), nip, "hari_titip",
        ),
        "jam": pl.format(
            "Jam masuk persis {} pada {} dari {} hari masuk (simpangan jam masuk {} menit)",
            "jam_identik", "hari_menit_identik", "hari_datang", _angka("sd_menit_datang"),
        ),
        "mobile": pl.format(
            "Tap MOBILE lebih dari {} km dari kantor pada {} hari (median {} km)",
            pl.lit(f"{KM_JAUH:g}"), "hari_mobile_jauh", _angka("km_mobile_median"),
        ),
        "dl": pl.format(
            "Tap masuk dan pulang pada {} dari {} hari Dinas Luar yang disetujui (surat {})",
            "hari_tap_saat_dl", "hari_dl", pl.col("nomor_surat_dl").fill_null("-"),
        ),
        "libur": pl.format(
            "Tap pada {} dari {} hari libur/akhir pekan", "hari_tap_libur", "hari_libur"
        ),
    }  # fmt: skip


def alasan(skor: pl.DataFrame) -> pl.DataFrame:
    """(periode, nip, alasan, alasan_utama) for rows with at least one z >= ``Z_ALASAN``.

    One reason per story (``GRUP``), strongest first, at most ``MAKS_ALASAN``.
    """
    teks = _teks()
    bagian = []
    for grup in dict.fromkeys(GRUP.values()):
        zcols = [f"z_{f}" for f, g in GRUP.items() if g == grup]
        bagian.append(
            skor.filter(pl.max_horizontal(zcols) >= Z_ALASAN).select(
                "periode", "nip",
                grup=pl.lit(grup), z=pl.max_horizontal(zcols), teks=teks[grup],
            )
        )  # fmt: skip
    panjang = pl.concat(bagian)
    return (
        panjang.sort(["periode", "nip", "z"], descending=[False, False, True])
        .group_by("periode", "nip", maintain_order=True)
        .agg(
            alasan=pl.col("teks").head(MAKS_ALASAN).str.join("; "),
            alasan_utama=pl.col("grup").first(),
        )
    )
