"""Train and score both models on a data directory: what the Dagster assets call.

- ``latih_anomali`` / ``skor_anomali``: attendance anomalies (features -> forest -> reasons);
- ``latih_peringatan`` / ``skor_peringatan``: early warning of a poor next evaluation.

Training stores a versioned artefact with its metrics (``registry``); scoring uses the current
version and writes the score files the app reads (``skor``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from models import (
    anomaly,
    anomaly_rules,
    early_warning,
    evaluate,
    features,
    recap,
    registry,
    score_files,
)
from models.config import ATURAN
from models.inputs import available_periods, published_fingerprint, published_periods
from orchestration.core.formatting import periode_panjang, rentang_periode, ribuan
from orchestration.core.paths import DataDir

SEED = 42
BULAN_ANOMALI = 12  # the anomaly reference: the last year of employee-months
BATAS_TINGGI, BATAS_SEDANG = 0.5, 0.2  # risk levels of the early warning
BUDGET_PERINGATAN = 0.10  # share of employees on the warning list per month
MODEL_ANOMALI, MODEL_PERINGATAN = "anomali", "peringatan"
SKOR_LATIH = "skor_jendela"  # the anomaly scores of the training window, beside the model


@dataclass
class JobResult:
    model: str
    versi: str | None  # None: nothing trained or scored (not enough data)
    pesan: str  # one line for people
    meta: dict = field(default_factory=dict)
    baru: bool = False  # trained now (False: the same version already existed)
    skor: pl.DataFrame | None = None


def window(data: DataDir, sampai: str, bulan: int | None = None, kinds=("absensi",)) -> list[str]:
    """Periods up to ``sampai`` published and present in the raw zone for every one of
    ``kinds``, the last ``bulan`` of them."""
    sets = [set(available_periods(data, k)) for k in kinds] + [set(published_periods(data))]
    periods = sorted(p for p in set.intersection(*sets) if p <= sampai)
    return periods[-bulan:] if bulan else periods


# --- anomalies -------------------------------------------------------------------------------
def train_anomaly(
    data: DataDir,
    sampai: str,
    seed: int = SEED,
    bulan: int = BULAN_ANOMALI,
    kebenaran: pl.DataFrame | None = None,
) -> JobResult:
    periods = window(data, sampai, bulan, ("absensi",))
    if not periods:
        pesan = f"Belum ada data absensi terbit s.d. {periode_panjang(sampai)}."
        return JobResult(MODEL_ANOMALI, None, pesan)
    sidik = {p: features.month_fingerprint(data, p) for p in periods}
    isi = {
        "fitur": features.NAMA_FITUR,
        "parameter": _anomaly_params(),
        "data": list(sidik.values()),
    }
    versi = registry.version_id((periods[0], periods[-1]), seed, isi)
    if versi in registry.versions(data, MODEL_ANOMALI):  # same inputs, same seed: nothing to do
        registry.use(data, MODEL_ANOMALI, versi)
        meta = registry.meta(data, MODEL_ANOMALI, versi) or {}
        return JobResult(
            MODEL_ANOMALI, versi, f"Model anomali {versi} sudah ada; dipakai ulang.", meta
        )
    fitur = features.cached_features(data, periods)
    model = anomaly.train(fitur, seed)
    hasil = anomaly.assess(model, fitur, versi)
    meta = {
        "jendela": {"mulai": periods[0], "sampai": periods[-1], "periode": periods},
        "seed": seed,
        "fitur": list(features.NAMA_FITUR),
        "parameter": _anomaly_params(),
        "referensi": {"median": model.median, "skala": model.skala},
        "sidik_data": hashlib.sha256("".join(isi["data"]).encode()).hexdigest(),
        "sidik_bulan": sidik,
        "baris_latih": fitur.height,
        "metrik": anomaly_metrics(hasil, kebenaran),
    }
    # the window's scores are kept with the version: scoring those months again reads them
    registry.save(data, MODEL_ANOMALI, versi, model, meta, {SKOR_LATIH: hasil})
    return JobResult(
        MODEL_ANOMALI, versi, _anomaly_summary(versi, meta["metrik"]), meta, True, hasil
    )


def _anomaly_params() -> dict:
    return {
        "model": "IsolationForest",
        "n_pohon": anomaly.N_POHON,
        "sampel_per_pohon": anomaly.SAMPEL,
        "skala_min": {f.nama: f.skala_min for f in features.FITUR},
        "aturan": ATURAN,  # the rules and the model layer's threshold and workload cap
    }


def score_anomalies(
    data: DataDir, periods: list[str], kebenaran: pl.DataFrame | None = None
) -> JobResult:
    """Score ``periods`` with the current model: the per-row file, the flags and the cases."""
    loaded = registry.load(data, MODEL_ANOMALI)
    if loaded is None:
        return JobResult(MODEL_ANOMALI, None, "Belum ada model anomali; latih dulu.")
    model, meta = loaded
    ada = set(available_periods(data, "absensi")) & set(published_periods(data))
    periods = [p for p in periods if p in ada]
    if not periods:
        return JobResult(MODEL_ANOMALI, meta["versi"], "Tidak ada periode absensi untuk diskor.")
    hasil = _stored_scores(data, meta, periods)
    if hasil is None:
        hasil = anomaly.assess(model, features.cached_features(data, periods), meta["versi"])
    keluar = hasil.drop("skor_maks_z")
    flags = anomaly.all_flags(hasil)
    score_files.merge(data, score_files.ANOMALI, keluar)
    score_files.merge(data, score_files.TEMUAN, flags)
    score_files.merge(data, score_files.KASUS, anomaly_rules.cases(flags))
    metrik = anomaly_metrics(hasil, kebenaran)
    pesan = (
        f"{ribuan(hasil.height)} pegawai-bulan diskor: {ribuan(metrik['ditandai_aturan'])} "
        f"ditandai aturan, {ribuan(metrik['ditandai_model'])} oleh model "
        f"({ribuan(metrik['terpotong_beban'])} di atas batas beban), {ribuan(metrik['kasus'])} kasus"
    )
    return JobResult(MODEL_ANOMALI, meta["versi"], pesan, {"metrik": metrik}, skor=keluar)


def _stored_scores(data: DataDir, meta: dict, periods: list[str]) -> pl.DataFrame | None:
    """The training run's scores of ``periods`` when every one of them was in the window and
    its inputs are unchanged (same month fingerprint); None otherwise."""
    tersimpan = meta.get("sidik_bulan") or {}
    p = registry.folder(data) / MODEL_ANOMALI / meta["versi"] / f"{SKOR_LATIH}.parquet"
    if not p.exists() or any(
        tersimpan.get(x) != features.month_fingerprint(data, x) for x in periods
    ):
        return None
    return pl.read_parquet(p).filter(pl.col("periode").is_in(periods))


def anomaly_metrics(hasil: pl.DataFrame, kebenaran: pl.DataFrame | None) -> dict:
    """Counts per layer and rule, cases, and (with a ground truth) precision/recall per rule
    and layer with Wilson intervals, next to the old 2 % quota of the forest."""
    flags = anomaly.all_flags(hasil)
    out = {
        "baris": hasil.height,
        "ditandai": int(hasil["ditandai"].sum()),
        "ditandai_aturan": int((hasil["lapisan"] == "ATURAN").sum()),
        "ditandai_model": int((hasil["lapisan"] == "MODEL").sum()),
        "terpotong_beban": int(hasil["terpotong_beban"].sum()),
        "kasus": int(flags["kasus_id"].n_unique()) if flags.height else 0,
        "temuan_per_aturan": dict(sorted(flags["aturan"].value_counts().iter_rows())),
    }
    if kebenaran is None:
        out["kebenaran"] = "tidak tersedia (KINERJA_GROUNDTRUTH atau <ekspor>/_groundtruth/)"
        return out
    out["kebenaran"] = evaluate.layers_vs_truth(hasil, flags, kebenaran)
    return out


def _anomaly_summary(versi: str, metrik: dict) -> str:
    teks = (
        f"Model anomali {versi}: {ribuan(metrik['ditandai_aturan'])} ditandai aturan, "
        f"{ribuan(metrik['ditandai_model'])} oleh model, dari {ribuan(metrik['baris'])}"
    )
    kb = metrik.get("kebenaran")
    if isinstance(kb, dict):
        m = kb["gabungan"]
        teks += (
            f"; presisi {_koma(m['presisi'])}, recall {_koma(m['recall'])} (kebenaran simulator)"
        )
    return teks


# --- early warning ---------------------------------------------------------------------------
KINDS_PERINGATAN = ("pegawai", "absensi", "kinerja")


_DATASET: dict = {}  # the last early-warning dataset of this process, by what it was made of


def warning_dataset(data: DataDir, periods: list[str], sumber: str = "auto"):
    """(``early_warning.dataset`` of the recap of ``periods``, the recap's source), computed
    once per process for the same inputs: the model job trains and then scores the same months
    (the history the scores need is the training window). The key is what the recap reads:
    the published tpp_bulanan (manifest sha256) and the raw evaluations (bytes)."""
    kunci = (
        str(data.root),
        tuple(periods),
        sumber,
        *published_fingerprint(data, ("tpp_bulanan",), periods),
        registry.files_fingerprint(
            [f for p in periods if (f := data.raw_file("kinerja", p)).exists()]
        ),
    )
    if kunci not in _DATASET:
        rk, asal = recap.recap(data, periods, sumber)
        _DATASET.clear()  # one entry: a year is ~40 MB
        _DATASET[kunci] = (early_warning.dataset(rk), asal)
    return _DATASET[kunci]


def train_warning(
    data: DataDir, sampai: str, seed: int = SEED, sumber: str = "auto", bulan_uji: int | None = None
) -> JobResult:
    periods = window(data, sampai, kinds=KINDS_PERINGATAN)
    ds, asal = warning_dataset(data, periods, sumber) if periods else (None, "-")
    lab = ds.filter(pl.col("label").is_not_null()) if ds is not None else None
    n_lab = lab["periode"].n_unique() if lab is not None else 0
    if n_lab < 2:
        pesan = (
            f"Data belum cukup untuk model peringatan: {n_lab} bulan berlabel (perlu sedikitnya 2)."
        )
        return JobResult(MODEL_PERINGATAN, None, pesan)
    bulan_uji = bulan_uji or max(1, min(3, n_lab // 3))
    train, test, uji = early_warning.split_by_time(ds, bulan_uji)
    params = {
        "model": "LogisticRegression atas spline kubik (5 knot) per fitur",
        "C": 0.3,
        "solver": early_warning.SOLVER,
        "bulan_uji": bulan_uji,
    }
    isi = {
        "fitur": early_warning.FITUR,
        "parameter": params,
        "data": registry.data_fingerprint(
            lab.select("periode", "nip", *early_warning.FITUR, "label")
        ),
    }
    versi = registry.version_id((periods[0], periods[-1]), seed, isi)
    if versi in registry.versions(data, MODEL_PERINGATAN):
        registry.use(data, MODEL_PERINGATAN, versi)
        meta = registry.meta(data, MODEL_PERINGATAN, versi) or {}
        pesan = f"Model peringatan {versi} sudah ada; dipakai ulang."
        return JobResult(MODEL_PERINGATAN, versi, pesan, meta)
    uji_model = early_warning.train(train, seed, suku=False)  # scores its test months only
    y = test["label"].to_numpy()
    skor_uji = {
        "model": uji_model.prob(test),
        "baseline_predikat_bulan_ini": uji_model.prob_baseline(test),
        "baseline_rata_rata_penilaian": uji_model.prob_mean_rating(test),
    }
    metrik = {k: evaluate.probabilistic(y, p, BUDGET_PERINGATAN) for k, p in skor_uji.items()}
    # new cases: no poor predikat in the last 3 months (what an early warning is for)
    baru = (test["buruk_3"] == 0).to_numpy()
    metrik["kasus_baru"] = {
        k: {
            **{
                m: v
                for m, v in evaluate.probabilistic(y[baru], p[baru], BUDGET_PERINGATAN).items()
                if m != "reliabilitas"
            },
            "tertangkap_di_daftar": _caught(test["periode"], p, y, baru),
        }
        for k, p in skor_uji.items()
    }
    m_baru = metrik["kasus_baru"]
    metrik["mengalahkan_baseline_rata_pada_kasus_baru"] = bool(
        m_baru["model"]["tertangkap_di_daftar"]["k"]
        > m_baru["baseline_rata_rata_penilaian"]["tertangkap_di_daftar"]["k"]
        and (m_baru["model"]["roc_auc"] or 0)
        > (m_baru["baseline_rata_rata_penilaian"]["roc_auc"] or 0)
    )
    # the artefact: refit on every labelled month, starting from the split model's coefficients
    final = early_warning.train(lab, seed, awal=uji_model)
    meta = {
        "jendela": {"mulai": periods[0], "sampai": periods[-1], "periode": periods},
        "seed": seed,
        "sumber_rekap": asal,
        "fitur": list(early_warning.FITUR),
        "parameter": params,
        "target": "predikat bulan berikutnya BUTUH_PERBAIKAN, KURANG atau SANGAT_KURANG",
        "uji_waktu": {
            "latih_periode": sorted(train["periode"].unique().to_list()),
            "latih_label_sampai": train["periode_target"].max(),
            "uji_periode": uji,
            "baris_latih": train.height,
            "baris_uji": test.height,
            "catatan": "metrik dari model yang dilatih hanya pada bulan latih; artefak ini "
            "dilatih ulang pada semua bulan berlabel",
        },
        "baris_latih_final": lab.height,
        "baseline": final.baseline,
        "pengaruh_fitur": final.info["pengaruh"],  # pengaruh(lab), from the fit's basis
        "sidik_data": isi["data"],
        "metrik": metrik,
    }
    registry.save(data, MODEL_PERINGATAN, versi, final, meta)
    m, b = metrik["model"], metrik["baseline_predikat_bulan_ini"]
    r, kb = metrik["baseline_rata_rata_penilaian"], metrik["kasus_baru"]
    pesan = (
        f"Model peringatan {versi}: uji {rentang_periode(uji)} ROC-AUC {_koma(m['roc_auc'])} "
        f"(baseline predikat "
        f"{_koma(b['roc_auc'])}, rata-rata penilaian {_koma(r['roc_auc'])}), Brier "
        f"{_koma(m['brier'])} (baseline {_koma(b['brier'])}); kasus baru di daftar "
        f"{ribuan(kb['model']['tertangkap_di_daftar']['k'])} vs baseline rata-rata "
        f"{ribuan(kb['baseline_rata_rata_penilaian']['tertangkap_di_daftar']['k'])} dari "
        f"{ribuan(kb['model']['tertangkap_di_daftar']['n'])}"
        + ("" if metrik["mengalahkan_baseline_rata_pada_kasus_baru"] else " (tidak lebih baik)")
    )
    return JobResult(MODEL_PERINGATAN, versi, pesan, meta, True)


def _koma(x: float | None) -> str:
    """0.8743 -> '0,8743' (a metric in a message; '-' when it could not be computed)."""
    return "-" if x is None else str(x).replace(".", ",")


def _caught(periode: pl.Series, p: np.ndarray, y: np.ndarray, baru: np.ndarray) -> dict:
    """Of the new-case positives, how many the month's list (top BUDGET of each month) holds."""
    daftar = _worded(periode, p, hanya_daftar=True)
    return evaluate.proportion(int((daftar & baru & (y == 1)).sum()), int((baru & (y == 1)).sum()))


def _worded(periode: pl.Series, p: np.ndarray, hanya_daftar: bool = False) -> np.ndarray:
    """Rows whose reason is worded: risk >= BATAS_SEDANG or in the top BUDGET of the month
    (``hanya_daftar``: only the latter, the month's list)."""
    df = pl.DataFrame({"periode": periode, "p": p}).with_columns(
        r=pl.col("p").rank("ordinal", descending=True).over("periode"), n=pl.len().over("periode")
    )
    top = (df["r"] <= (df["n"] * BUDGET_PERINGATAN).ceil()).to_numpy()
    return top if hanya_daftar else top | (p >= BATAS_SEDANG)


def score_warning(data: DataDir, periods: list[str], sumber: str = "auto") -> JobResult:
    loaded = registry.load(data, MODEL_PERINGATAN)
    if loaded is None:
        return JobResult(MODEL_PERINGATAN, None, "Belum ada model peringatan; latih dulu.")
    model, meta = loaded
    sejarah = window(data, max(periods), kinds=KINDS_PERINGATAN)  # history feeds the features
    periods = [p for p in periods if p in set(sejarah)]
    if not periods:
        return JobResult(MODEL_PERINGATAN, meta["versi"], "Tidak ada periode untuk diskor.")
    ds = warning_dataset(data, sejarah, sumber)[0].filter(pl.col("periode").is_in(periods))
    p = model.prob(ds)
    # reasons for the rows someone will read: risk SEDANG or higher, or on the month's list
    # (worded in Python, row by row: ~1.5 s for a year of every row)
    baca = _worded(ds["periode"], p)
    teks = [None] * len(p)
    idx = np.flatnonzero(baca)
    for i, t in zip(idx, early_warning.reasons(model, ds[idx]), strict=True):
        teks[i] = t
    keluar = (
        ds.with_columns(
            skor=pl.Series(p),
            skor_baseline=pl.Series(model.prob_baseline(ds)),
            skor_baseline_rata=pl.Series(model.prob_mean_rating(ds)),
            tingkat=pl.when(pl.Series(p) >= BATAS_TINGGI)
            .then(pl.lit("TINGGI"))
            .when(pl.Series(p) >= BATAS_SEDANG)
            .then(pl.lit("SEDANG"))
            .otherwise(pl.lit("RENDAH")),
            alasan=pl.Series(teks, dtype=pl.String),
            model_versi=pl.lit(meta["versi"]),
        )
        .pipe(anomaly.mark, "skor", BUDGET_PERINGATAN)
        .rename({"predikat_target": "predikat_berikutnya"})
        .drop("label")
    )
    score_files.merge(data, score_files.PERINGATAN, keluar)
    tinggi = int((keluar["tingkat"] == "TINGGI").sum())
    pesan = (
        f"{ribuan(keluar.height)} pegawai-bulan diskor ({len(periods)} periode, "
        f"{rentang_periode(periods)}); "
        f"{ribuan(tinggi)} berisiko TINGGI"
    )
    return JobResult(MODEL_PERINGATAN, meta["versi"], pesan, {"tinggi": tinggi}, skor=keluar)
