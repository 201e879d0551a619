"""Attendance anomalies in two labelled layers: named rules first, a model for what they miss.

Layer ``ATURAN`` (``models/anomaly_rules.py``, thresholds in ``anomaly_rules.toml``): five transparent
rules; a row is flagged by every rule it meets, with a concrete reason each.

Layer ``MODEL``: an IsolationForest, only for rows no rule flagged, flagged when its score is at
least ``ambang_skor`` and at least one indicator is concrete (z >= ``z_alasan``), so no flag
carries only a generic reason. No quota: the number of flags follows the data; a workload cap
(``batas_beban_per_bulan``) keeps the strongest model flags of a month and reports the rest as
cut (``terpotong_beban``), never silently.

Each feature becomes a one-sided robust z-score ``max(0, arah * (x - median) / skala)`` where
``skala = max(1.4826 * MAD, skala_min)``: only the suspicious direction counts (too regular,
too many days), and a zero-inflated count (most people never tap on a weekend) keeps a sane
scale. The IsolationForest (fixed seed) scores the z-vectors; the reasons are the largest
z-scores, worded with the values an analyst can check in the taps.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from sklearn.ensemble import IsolationForest

from models import anomaly_rules
from models.config import ATURAN
from models.features import FITUR, KM_JAUH, NAMA_FITUR
from orchestration.core.contract import format_nip

BUDGET = 0.02  # the old fixed quota: only for the baseline in the evaluation
Z_MAKS = 50.0  # z beyond this adds nothing
Z_ALASAN = float(ATURAN["model"]["z_alasan"])  # a feature is a reason from this z on
AMBANG_MODEL = float(ATURAN["model"]["ambang_skor"])
BATAS_BEBAN = int(ATURAN["model"]["batas_beban_per_bulan"])
LAPISAN = ("ATURAN", "MODEL")
LABEL_ATURAN = {r: ATURAN[r]["label"] for r in anomaly_rules.NAMA_ATURAN}
LABEL_MODEL = "Pola tidak lazim menurut model"
MAKS_ALASAN = 3
SAMPEL = 2048  # rows per tree
BARIS_PARALEL = 20_000  # from this many rows the forest scores on two threads
N_POHON = 100  # a second layer behind the rules: 100 trees (300 cost 3x, changed no flag class)
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


@dataclass
class AnomalyModel:
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

    def score(self, df: pl.DataFrame) -> np.ndarray:
        """Anomaly score, higher = stranger (the negated IsolationForest score)."""
        return forest_score(self.forest, self.z(df))


def forest_score(forest: IsolationForest, z: np.ndarray) -> np.ndarray:
    """``-forest.score_samples(z)``, the two halves of the rows on two threads (the trees'
    traversal releases the GIL; a year's 186,000 rows 0.52 -> 0.28 s). A row's score is the
    same sum over the same trees in the same order whichever rows it is scored with: the
    result is the same bit for bit (``tests/test_models_biaya.py``)."""
    if len(z) < BARIS_PARALEL:
        return -forest.score_samples(z)
    with ThreadPoolExecutor(2) as pool:
        return -np.concatenate(list(pool.map(forest.score_samples, np.array_split(z, 2))))


def train(fitur: pl.DataFrame, seed: int, n_pohon: int = N_POHON) -> AnomalyModel:
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
    # n_jobs: the trees are built on two threads; each tree's seed is drawn before, so the
    # forest is the same as on one (tests/test_models_biaya.py)
    forest = IsolationForest(
        n_estimators=n_pohon, max_samples=min(SAMPEL, fitur.height), random_state=seed, n_jobs=2
    )
    model = AnomalyModel(seed, median, skala, forest)
    model.forest.fit(model.z(fitur))
    return model


def max_z_score(model: AnomalyModel, df: pl.DataFrame) -> np.ndarray:
    """The simplest rival: the largest one-sided z-score (reported next to the forest)."""
    return model.z(df).max(axis=1)


def assess(model: AnomalyModel, fitur: pl.DataFrame, versi: str = "") -> pl.DataFrame:
    """Score every row, apply the rules, then the model layer; one row per (periode, nip).

    Columns added to the features: ``z_*``, ``skor`` (forest), ``skor_maks_z``, ``aturan``
    (rules met, comma-separated), ``lapisan`` (ATURAN, MODEL or null), ``ditandai``,
    ``terpotong_beban`` (a model flag over the monthly cap), ``alasan`` (rule reasons, or the
    model's concrete indicators; null when not flagged), ``alasan_utama``, ``peringkat`` (1 =
    first to look at: rule flags, then model flags, then the rest by forest score).
    """
    z = model.z(fitur)
    zdf = pl.DataFrame({f"z_{n}": z[:, i] for i, n in enumerate(model.fitur)})
    out = pl.concat([fitur, zdf], how="horizontal").with_columns(
        skor=pl.Series(forest_score(model.forest, z)),
        skor_maks_z=pl.Series(z.max(axis=1)),
    )
    kunci = ["periode", "nip"]
    hits = anomaly_rules.temuan(out)
    per_aturan = hits.group_by(kunci).agg(
        aturan=pl.col("aturan").str.join(","),
        alasan_aturan=pl.col("alasan").str.join("; "),
        alasan_utama_aturan=pl.col("aturan").first(),
    )
    out = out.join(per_aturan, on=kunci, how="left").join(reasons(out), on=kunci, how="left")
    calon = (
        pl.col("aturan").is_null()
        & (pl.col("skor") >= AMBANG_MODEL)
        & (pl.col("skor_maks_z") >= Z_ALASAN)
    )
    urut_calon = (
        pl.when(calon).then(pl.col("skor")).rank("ordinal", descending=True).over("periode")
    )
    out = (
        out.with_columns(
            lapisan=pl.when(pl.col("aturan").is_not_null())
            .then(pl.lit("ATURAN"))
            .when(calon & (urut_calon <= BATAS_BEBAN))
            .then(pl.lit("MODEL")),
            terpotong_beban=(calon & (urut_calon > BATAS_BEBAN)).fill_null(False),
        )
        .with_columns(
            ditandai=pl.col("lapisan").is_not_null(),
            alasan=pl.when(pl.col("lapisan") == "ATURAN")
            .then("alasan_aturan")
            .when(pl.col("lapisan") == "MODEL")
            .then(pl.lit("Model (IsolationForest, di luar aturan): ") + pl.col("alasan_model")),
            alasan_utama=pl.when(pl.col("lapisan") == "ATURAN")
            .then("alasan_utama_aturan")
            .when(pl.col("lapisan") == "MODEL")
            .then("alasan_utama_model"),
            model_versi=pl.lit(versi),
        )
        .with_columns(
            # the first reason's name for people: the rule's label from the config, or the model's
            label_utama=pl.when(pl.col("lapisan") == "ATURAN")
            .then(pl.col("alasan_utama").replace_strict(LABEL_ATURAN, default=None))
            .when(pl.col("lapisan") == "MODEL")
            .then(pl.lit(LABEL_MODEL)),
        )
    )
    urutan = pl.col("lapisan").replace_strict({"ATURAN": 0, "MODEL": 1}, default=2)
    jumlah = pl.col("aturan").str.count_matches(",").fill_null(-1)
    out = out.sort(  # NIP last: ties (many rows share a score) in a fixed order
        ["periode", urutan, jumlah, "skor", "nip"], descending=[False, False, True, True, False]
    )
    return out.with_columns(
        peringkat=pl.int_range(1, pl.len() + 1).over("periode").cast(pl.Int32)
    ).drop("alasan_aturan", "alasan_utama_aturan", "alasan_model", "alasan_utama_model")


def all_flags(hasil: pl.DataFrame) -> pl.DataFrame:
    """Every flag of ``nilai``'s output as one row: the rule hits and the model-layer flags."""
    rules = anomaly_rules.temuan(hasil).with_columns(lapisan=pl.lit("ATURAN"))
    model_rows = hasil.filter(pl.col("lapisan") == "MODEL").select(
        "periode",
        "nip",
        "kode_opd",
        aturan=pl.lit("model_isolation_forest"),
        label=pl.lit(LABEL_MODEL),
        alasan="alasan",
        nilai=pl.col("skor"),
        ambang=pl.lit(f"skor >= {AMBANG_MODEL:g}, z >= {Z_ALASAN:g}, maks {BATAS_BEBAN}/bulan"),
        nip_pasangan=pl.lit(None, dtype=pl.String),
        kasus_id=pl.format("{}:PEGAWAI:{}", "periode", "nip"),
        lapisan=pl.lit("MODEL"),
    )
    return pl.concat([rules, model_rows], how="vertical_relaxed").sort("periode", "nip", "aturan")


def mark(df: pl.DataFrame, kolom: str = "skor", budget: float = BUDGET) -> pl.DataFrame:
    """``peringkat`` (1 = highest ``kolom`` in its period), ``persentil`` and ``ditandai``:
    the top ``budget`` share of each period (at least one row)."""
    n = pl.len().over("periode")
    rank = pl.col(kolom).rank("ordinal", descending=True).over("periode")
    return df.with_columns(
        peringkat=rank.cast(pl.Int32),
        persentil=1 - (pl.col(kolom).rank("max", descending=True).over("periode") - 1) / n,
        ditandai=rank <= (n * budget).ceil(),
    )


def _number(col: str, desimal: int = 1) -> pl.Expr:
    """A number in Indonesian notation (decimal comma)."""
    if desimal == 0:
        return pl.col(col).round(0).cast(pl.Int64).cast(pl.String)
    return pl.col(col).round(desimal).cast(pl.String).str.replace(r"\.", ",")


def _text() -> dict[str, pl.Expr]:
    nip = pl.col("nip_pasangan").map_elements(format_nip, return_dtype=pl.String)
    return {
        "titip": pl.format(
            "Tap di mesin {} rata-rata {} detik setelah NIP {} pada {} hari",
            "mesin_pasangan",
            _number("detik_titip", 0),
            nip,
            "hari_titip",
        ),
        "jam": pl.format(
            "Jam masuk persis {} pada {} dari {} hari masuk (simpangan jam masuk {} menit)",
            "jam_identik",
            "hari_menit_identik",
            "hari_datang",
            _number("sd_menit_datang"),
        ),
        "mobile": pl.format(
            "Tap MOBILE lebih dari {} km dari kantor pada {} hari (median {} km)",
            pl.lit(f"{KM_JAUH:g}"),
            "hari_mobile_jauh",
            _number("km_mobile_median"),
        ),
        "dl": pl.format(
            "Tap masuk dan pulang pada {} dari {} hari Dinas Luar yang disetujui (surat {})",
            "hari_tap_saat_dl",
            "hari_dl",
            pl.col("nomor_surat_dl").fill_null("-"),
        ),
        "libur": pl.format(
            "Tap pada {} dari {} hari libur/akhir pekan", "hari_tap_libur", "hari_libur"
        ),
    }


def reasons(skor: pl.DataFrame) -> pl.DataFrame:
    """(periode, nip, alasan_model, alasan_utama_model) for rows with a z >= ``Z_ALASAN``.

    One reason per story (``GRUP``), strongest first, at most ``MAKS_ALASAN``.
    """
    teks = _text()
    bagian = []
    for grup in dict.fromkeys(GRUP.values()):
        zcols = [f"z_{f}" for f, g in GRUP.items() if g == grup]
        bagian.append(
            skor.filter(pl.max_horizontal(zcols) >= Z_ALASAN).select(
                "periode",
                "nip",
                grup=pl.lit(grup),
                z=pl.max_horizontal(zcols),
                teks=teks[grup],
            )
        )
    panjang = pl.concat(bagian)
    return (
        panjang.sort(["periode", "nip", "z"], descending=[False, False, True])
        .group_by("periode", "nip", maintain_order=True)
        .agg(
            alasan_model=pl.col("teks").head(MAKS_ALASAN).str.join("; "),
            alasan_utama_model=pl.col("grup").first(),
        )
    )
