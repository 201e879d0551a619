"""Train and score both models on a data directory: what the Dagster assets call.

- ``latih_anomali`` / ``skor_anomali``: attendance anomalies (features -> forest -> reasons);
- ``latih_peringatan`` / ``skor_peringatan``: early warning of a poor next evaluation.

Training stores a versioned artefact with its metrics (``registry``); scoring uses the current
version and writes the score files the app reads (``skor``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier
from threadpoolctl import threadpool_limits

from models import anomaly, early_warning, evaluate, features, registry, rekap, skor
from models.sumber import geser, periode_terbit, periode_tersedia, sidik_terbit
from orchestration.paths import SEEDS_DIR, DataDir

SEED = 42
BULAN_ANOMALI = 12  # the anomaly reference: the last year of employee-months
BATAS_TINGGI, BATAS_SEDANG = 0.5, 0.2  # risk levels of the early warning
BUDGET_PERINGATAN = 0.10  # share of employees on the warning list per month
MODEL_ANOMALI, MODEL_PERINGATAN = "anomali", "peringatan"


@dataclass
class Hasil:
    model: str
    versi: str | None  # None: nothing trained or scored (not enough data)
    pesan: str  # one line for people
    meta: dict = field(default_factory=dict)
    baru: bool = False  # trained now (False: the same version already existed)
    skor: pl.DataFrame | None = None


def jendela(data: DataDir, sampai: str, bulan: int | None = None, kinds=("absensi",)) -> list[str]:
    """Periods up to ``sampai`` published and present in the raw zone for every one of
    ``kinds``, the last ``bulan`` of them."""
    sets = [set(periode_tersedia(data, k)) for k in kinds] + [set(periode_terbit(data))]
    periods = sorted(p for p in set.intersection(*sets) if p <= sampai)
    return periods[-bulan:] if bulan else periods


# --- anomalies -------------------------------------------------------------------------------
def latih_anomali(
    data: DataDir,
    sampai: str,
    seed: int = SEED,
    bulan: int = BULAN_ANOMALI,
    kebenaran: pl.DataFrame | None = None,
) -> Hasil:
    periods = jendela(data, sampai, bulan, ("absensi", "pegawai"))
    if not periods:
        return Hasil(MODEL_ANOMALI, None, f"Belum ada data absensi s.d. {sampai}.")
    isi = {
        "fitur": features.NAMA_FITUR,
        "parameter": _param_anomali(),
        "data": _sidik_anomali(data, periods),
    }
    versi = registry.versi_id((periods[0], periods[-1]), seed, isi)
    if versi in registry.daftar(data, MODEL_ANOMALI):  # same files, same seed: nothing to do
        registry.pakai(data, MODEL_ANOMALI, versi)
        meta = registry.meta(data, MODEL_ANOMALI, versi) or {}
        return Hasil(MODEL_ANOMALI, versi, f"Model anomali {versi} sudah ada; dipakai ulang.", meta)
    fitur = features.fitur_anomali(data, periods)
    model = anomaly.latih(fitur, seed)
    hasil = anomaly.nilai(model, fitur, versi)
    meta = {
        "jendela": {"mulai": periods[0], "sampai": periods[-1], "periode": periods},
        "seed": seed,
        "fitur": list(features.NAMA_FITUR),
        "parameter": _param_anomali(),
        "referensi": {"median": model.median, "skala": model.skala},
        "sidik_data": isi["data"],
        "baris_latih": fitur.height,
        "metrik": metrik_anomali(hasil, kebenaran),
    }
    registry.simpan(data, MODEL_ANOMALI, versi, model, meta)
    return Hasil(MODEL_ANOMALI, versi, _ringkas_anomali(versi, meta["metrik"]), meta, True, hasil)


def _sidik_anomali(data: DataDir, periods: list[str]) -> dict:
    """What the anomaly features read: the raw taps of the window (file bytes), the published
    day facts (the manifest's sha256 of tpp_harian and tpp_bulanan, and last month's
    tpp_bulanan for transfers) and the office coordinates."""
    raw = [data.raw_file("absensi", p) for p in periods]
    return {
        "taps": registry.sidik_berkas([p for p in raw if p.exists()] + [SEEDS_DIR / "ref_opd.csv"]),
        "terbit": sidik_terbit(data, ("tpp_harian",), periods)
        + sidik_terbit(data, ("tpp_bulanan",), [geser(periods[0], -1), *periods]),
    }


def _param_anomali() -> dict:
    return {
        "model": "IsolationForest",
        "n_pohon": 300,
        "sampel_per_pohon": anomaly.SAMPEL,
        "budget": anomaly.BUDGET,
        "detik_titip": features.DETIK_TITIP,
        "km_jauh": features.KM_JAUH,
        "skala_min": {f.nama: f.skala_min for f in features.FITUR},
    }


def skor_anomali(data: DataDir, periods: list[str], kebenaran: pl.DataFrame | None = None) -> Hasil:
    loaded = registry.muat(data, MODEL_ANOMALI)
    if loaded is None:
        return Hasil(MODEL_ANOMALI, None, "Belum ada model anomali; latih dulu.")
    model, meta = loaded
    ada = set(periode_tersedia(data, "absensi")) & set(periode_terbit(data))
    periods = [p for p in periods if p in ada]
    if not periods:
        return Hasil(MODEL_ANOMALI, meta["versi"], "Tidak ada periode absensi untuk diskor.")
    hasil = anomaly.nilai(model, features.fitur_anomali(data, periods), meta["versi"])
    keluar = hasil.drop("skor_maks_z")
    skor.gabung(data, skor.ANOMALI, keluar)
    metrik = metrik_anomali(hasil, kebenaran)
    pesan = f"{hasil.height} pegawai-bulan diskor, {int(hasil['ditandai'].sum())} ditandai"
    return Hasil(MODEL_ANOMALI, meta["versi"], pesan, {"metrik": metrik}, skor=keluar)


def metrik_anomali(hasil: pl.DataFrame, kebenaran: pl.DataFrame | None) -> dict:
    """Counts, the reasons of the flagged, and (with a ground truth) precision/recall at 1 and
    2 %, ROC-AUC and PR-AUC of the forest next to the plain largest z-score."""
    flagged = hasil.filter("ditandai")
    out = {
        "baris": hasil.height,
        "ditandai": flagged.height,
        "alasan_utama_ditandai": dict(
            sorted(flagged["alasan_utama"].fill_null("-").value_counts().iter_rows())
        ),
    }
    if kebenaran is None:
        out["kebenaran"] = "tidak tersedia (KINERJA_GROUNDTRUTH atau <ekspor>/_groundtruth/)"
        return out
    out["kebenaran"] = {
        nama: {
            f"budget_{int(b * 100)}pct": evaluate.anomali_vs_kebenaran(
                anomaly.tandai(hasil, kolom, b), kebenaran, kolom
            )
            for b in (0.01, anomaly.BUDGET)
        }
        for nama, kolom in (("isolation_forest", "skor"), ("maks_z", "skor_maks_z"))
    }
    return out


def _ringkas_anomali(versi: str, metrik: dict) -> str:
    teks = f"Model anomali {versi}: {metrik['ditandai']} dari {metrik['baris']} ditandai"
    kb = metrik.get("kebenaran")
    if isinstance(kb, dict):
        m = kb["isolation_forest"][f"budget_{int(anomaly.BUDGET * 100)}pct"]
        teks += (
            f"; presisi {m['presisi_budget']}, recall {m['recall_budget']} (kebenaran simulator)"
        )
    return teks


# --- early warning ---------------------------------------------------------------------------
KINDS_PERINGATAN = ("pegawai", "absensi", "kinerja")


def latih_peringatan(
    data: DataDir, sampai: str, seed: int = SEED, sumber: str = "auto", bulan_uji: int | None = None
) -> Hasil:
    periods = jendela(data, sampai, kinds=KINDS_PERINGATAN)
    rk, asal = rekap.rekap(data, periods, sumber) if periods else (None, "-")
    ds = early_warning.dataset(rk) if rk is not None else None
    lab = ds.filter(pl.col("label").is_not_null()) if ds is not None else None
    n_lab = lab["periode"].n_unique() if lab is not None else 0
    if n_lab < 2:
        pesan = f"Data belum cukup untuk model peringatan: {n_lab} bulan berlabel (perlu >= 2)."
        return Hasil(MODEL_PERINGATAN, None, pesan)
    bulan_uji = bulan_uji or max(1, min(3, n_lab // 3))
    train, test, uji = early_warning.bagi_waktu(ds, bulan_uji)
    params = {
        "model": "LogisticRegression atas spline kubik (5 knot) per fitur",
        "C": 0.3,
        "bulan_uji": bulan_uji,
    }
    isi = {
        "fitur": early_warning.FITUR,
        "parameter": params,
        "data": registry.sidik_data(lab.select("periode", "nip", *early_warning.FITUR, "label")),
    }
    versi = registry.versi_id((periods[0], periods[-1]), seed, isi)
    if versi in registry.daftar(data, MODEL_PERINGATAN):
        registry.pakai(data, MODEL_PERINGATAN, versi)
        meta = registry.meta(data, MODEL_PERINGATAN, versi) or {}
        pesan = f"Model peringatan {versi} sudah ada; dipakai ulang."
        return Hasil(MODEL_PERINGATAN, versi, pesan, meta)
    uji_model = early_warning.latih(train, seed)
    y = test["label"].to_numpy()
    metrik = {
        "model": evaluate.probabilistik(y, uji_model.prob(test), BUDGET_PERINGATAN),
        "baseline_predikat_bulan_ini": evaluate.probabilistik(
            y, uji_model.prob_baseline(test), BUDGET_PERINGATAN
        ),
        "penantang_gradient_boosting": _penantang(uji_model, train, test, seed),
    }
    final = early_warning.latih(lab, seed)  # the artefact: refit on every labelled month
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
        "pengaruh_fitur": final.pengaruh(lab),
        "sidik_data": isi["data"],
        "metrik": metrik,
    }
    registry.simpan(data, MODEL_PERINGATAN, versi, final, meta)
    m, b = metrik["model"], metrik["baseline_predikat_bulan_ini"]
    pesan = (
        f"Model peringatan {versi}: uji {uji[0]}..{uji[-1]} ROC-AUC {m['roc_auc']} "
        f"(baseline {b['roc_auc']}), Brier {m['brier']} (baseline {b['brier']})"
    )
    return Hasil(MODEL_PERINGATAN, versi, pesan, meta, True)


def _penantang(model, train: pl.DataFrame, test: pl.DataFrame, seed: int) -> dict:
    """Gradient boosting on the same split: what the explainable model gives up, if anything."""
    hgb = HistGradientBoostingClassifier(
        max_iter=300, learning_rate=0.05, max_leaf_nodes=15, min_samples_leaf=50, random_state=seed
    )
    # one OpenMP thread: on a small shared machine the threads starved each other (50x slower)
    with threadpool_limits(1):
        hgb.fit(model._x(train), train["label"].to_numpy())
        p = hgb.predict_proba(model._x(test))[:, 1]
    m = evaluate.probabilistik(test["label"].to_numpy(), p, BUDGET_PERINGATAN)
    return {k: m[k] for k in ("roc_auc", "pr_auc", "brier")}


def skor_peringatan(data: DataDir, periods: list[str], sumber: str = "auto") -> Hasil:
    loaded = registry.muat(data, MODEL_PERINGATAN)
    if loaded is None:
        return Hasil(MODEL_PERINGATAN, None, "Belum ada model peringatan; latih dulu.")
    model, meta = loaded
    sejarah = jendela(data, max(periods), kinds=KINDS_PERINGATAN)  # history feeds the features
    periods = [p for p in periods if p in set(sejarah)]
    if not periods:
        return Hasil(MODEL_PERINGATAN, meta["versi"], "Tidak ada periode untuk diskor.")
    rk, _ = rekap.rekap(data, sejarah, sumber)
    ds = early_warning.dataset(rk).filter(pl.col("periode").is_in(periods))
    p = model.prob(ds)
    keluar = (
        ds.with_columns(
            skor=pl.Series(p),
            skor_baseline=pl.Series(model.prob_baseline(ds)),
            tingkat=pl.when(pl.Series(p) >= BATAS_TINGGI)
            .then(pl.lit("TINGGI"))
            .when(pl.Series(p) >= BATAS_SEDANG)
            .then(pl.lit("SEDANG"))
            .otherwise(pl.lit("RENDAH")),
            alasan=pl.Series(early_warning.alasan(model, ds), dtype=pl.String),
            model_versi=pl.lit(meta["versi"]),
        )
        .pipe(anomaly.tandai, "skor", BUDGET_PERINGATAN)
        .rename({"predikat_target": "predikat_berikutnya"})
        .drop("label")
    )
    skor.gabung(data, skor.PERINGATAN, keluar)
    tinggi = int((keluar["tingkat"] == "TINGGI").sum())
    pesan = f"{keluar.height} pegawai diskor untuk {', '.join(periods)}; {tinggi} berisiko TINGGI"
    return Hasil(MODEL_PERINGATAN, meta["versi"], pesan, {"tinggi": tinggi}, skor=keluar)
