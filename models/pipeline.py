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

from models import anomaly, aturan, early_warning, evaluate, features, registry, rekap, skor
from models.konfigurasi import ATURAN
from models.sumber import periode_terbit, periode_tersedia, sidik_terbit
from orchestration.core.paths import DataDir

SEED = 42
BULAN_ANOMALI = 12  # the anomaly reference: the last year of employee-months
BATAS_TINGGI, BATAS_SEDANG = 0.5, 0.2  # risk levels of the early warning
BUDGET_PERINGATAN = 0.10  # share of employees on the warning list per month
MODEL_ANOMALI, MODEL_PERINGATAN = "anomali", "peringatan"
SKOR_LATIH = "skor_jendela"  # the anomaly scores of the training window, beside the model


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
    periods = jendela(data, sampai, bulan, ("absensi",))
    if not periods:
        return Hasil(MODEL_ANOMALI, None, f"Belum ada data absensi terbit s.d. {sampai}.")
    sidik = {p: features.sidik_bulan(data, p) for p in periods}
    isi = {
        "fitur": features.NAMA_FITUR,
        "parameter": _param_anomali(),
        "data": list(sidik.values()),
    }
    versi = registry.versi_id((periods[0], periods[-1]), seed, isi)
    if versi in registry.daftar(data, MODEL_ANOMALI):  # same inputs, same seed: nothing to do
        registry.pakai(data, MODEL_ANOMALI, versi)
        meta = registry.meta(data, MODEL_ANOMALI, versi) or {}
        return Hasil(MODEL_ANOMALI, versi, f"Model anomali {versi} sudah ada; dipakai ulang.", meta)
    fitur = features.fitur_tersimpan(data, periods)
    model = anomaly.latih(fitur, seed)
    hasil = anomaly.nilai(model, fitur, versi)
    meta = {
        "jendela": {"mulai": periods[0], "sampai": periods[-1], "periode": periods},
        "seed": seed,
        "fitur": list(features.NAMA_FITUR),
        "parameter": _param_anomali(),
        "referensi": {"median": model.median, "skala": model.skala},
        "sidik_data": hashlib.sha256("".join(isi["data"]).encode()).hexdigest(),
        "sidik_bulan": sidik,
        "baris_latih": fitur.height,
        "metrik": metrik_anomali(hasil, kebenaran),
    }
    # the window's scores are kept with the version: scoring those months again reads them
    registry.simpan(data, MODEL_ANOMALI, versi, model, meta, {SKOR_LATIH: hasil})
    return Hasil(MODEL_ANOMALI, versi, _ringkas_anomali(versi, meta["metrik"]), meta, True, hasil)


def _param_anomali() -> dict:
    return {
        "model": "IsolationForest",
        "n_pohon": anomaly.N_POHON,
        "sampel_per_pohon": anomaly.SAMPEL,
        "skala_min": {f.nama: f.skala_min for f in features.FITUR},
        "aturan": ATURAN,  # the rules and the model layer's threshold and workload cap
    }


def skor_anomali(data: DataDir, periods: list[str], kebenaran: pl.DataFrame | None = None) -> Hasil:
    """Score ``periods`` with the current model: the per-row file, the flags and the cases."""
    loaded = registry.muat(data, MODEL_ANOMALI)
    if loaded is None:
        return Hasil(MODEL_ANOMALI, None, "Belum ada model anomali; latih dulu.")
    model, meta = loaded
    ada = set(periode_tersedia(data, "absensi")) & set(periode_terbit(data))
    periods = [p for p in periods if p in ada]
    if not periods:
        return Hasil(MODEL_ANOMALI, meta["versi"], "Tidak ada periode absensi untuk diskor.")
    hasil = _skor_tersimpan(data, meta, periods)
    if hasil is None:
        hasil = anomaly.nilai(model, features.fitur_tersimpan(data, periods), meta["versi"])
    keluar = hasil.drop("skor_maks_z")
    flags = anomaly.temuan_semua(hasil)
    skor.gabung(data, skor.ANOMALI, keluar)
    skor.gabung(data, skor.TEMUAN, flags)
    skor.gabung(data, skor.KASUS, aturan.kasus(flags))
    metrik = metrik_anomali(hasil, kebenaran)
    pesan = (
        f"{hasil.height} pegawai-bulan diskor: {metrik['ditandai_aturan']} ditandai aturan, "
        f"{metrik['ditandai_model']} oleh model ({metrik['terpotong_beban']} di atas batas beban), "
        f"{metrik['kasus']} kasus"
    )
    return Hasil(MODEL_ANOMALI, meta["versi"], pesan, {"metrik": metrik}, skor=keluar)


def _skor_tersimpan(data: DataDir, meta: dict, periods: list[str]) -> pl.DataFrame | None:
    """The training run's scores of ``periods`` when every one of them was in the window and
    its inputs are unchanged (same month fingerprint); None otherwise."""
    tersimpan = meta.get("sidik_bulan") or {}
    p = registry.folder(data) / MODEL_ANOMALI / meta["versi"] / f"{SKOR_LATIH}.parquet"
    if not p.exists() or any(tersimpan.get(x) != features.sidik_bulan(data, x) for x in periods):
        return None
    return pl.read_parquet(p).filter(pl.col("periode").is_in(periods))


def metrik_anomali(hasil: pl.DataFrame, kebenaran: pl.DataFrame | None) -> dict:
    """Counts per layer and rule, cases, and (with a ground truth) precision/recall per rule
    and layer with Wilson intervals, next to the old 2 % quota of the forest."""
    flags = anomaly.temuan_semua(hasil)
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
    out["kebenaran"] = evaluate.anomali_berlapis(hasil, flags, kebenaran)
    return out


def _ringkas_anomali(versi: str, metrik: dict) -> str:
    teks = (
        f"Model anomali {versi}: {metrik['ditandai_aturan']} ditandai aturan, "
        f"{metrik['ditandai_model']} oleh model, dari {metrik['baris']}"
    )
    kb = metrik.get("kebenaran")
    if isinstance(kb, dict):
        m = kb["gabungan"]
        teks += f"; presisi {m['presisi']}, recall {m['recall']} (kebenaran simulator)"
    return teks


# --- early warning ---------------------------------------------------------------------------
KINDS_PERINGATAN = ("pegawai", "absensi", "kinerja")


_DATASET: dict = {}  # the last early-warning dataset of this process, by what it was made of


def dataset_peringatan(data: DataDir, periods: list[str], sumber: str = "auto"):
    """(``early_warning.dataset`` of the recap of ``periods``, the recap's source), computed
    once per process for the same inputs: the model job trains and then scores the same months
    (the history the scores need is the training window). The key is what the recap reads:
    the published tpp_bulanan (manifest sha256) and the raw evaluations (bytes)."""
    kunci = (
        str(data.root),
        tuple(periods),
        sumber,
        *sidik_terbit(data, ("tpp_bulanan",), periods),
        registry.sidik_berkas([f for p in periods if (f := data.raw_file("kinerja", p)).exists()]),
    )
    if kunci not in _DATASET:
        rk, asal = rekap.rekap(data, periods, sumber)
        _DATASET.clear()  # one entry: a year is ~40 MB
        _DATASET[kunci] = (early_warning.dataset(rk), asal)
    return _DATASET[kunci]


def latih_peringatan(
    data: DataDir, sampai: str, seed: int = SEED, sumber: str = "auto", bulan_uji: int | None = None
) -> Hasil:
    periods = jendela(data, sampai, kinds=KINDS_PERINGATAN)
    ds, asal = dataset_peringatan(data, periods, sumber) if periods else (None, "-")
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
    uji_model = early_warning.latih(train, seed, suku=False)  # scores its test months only
    y = test["label"].to_numpy()
    skor_uji = {
        "model": uji_model.prob(test),
        "baseline_predikat_bulan_ini": uji_model.prob_baseline(test),
        "baseline_rata_rata_penilaian": uji_model.prob_rata(test),
    }
    metrik = {k: evaluate.probabilistik(y, p, BUDGET_PERINGATAN) for k, p in skor_uji.items()}
    # new cases: no poor predikat in the last 3 months (what an early warning is for)
    baru = (test["buruk_3"] == 0).to_numpy()
    metrik["kasus_baru"] = {
        k: {
            **{
                m: v
                for m, v in evaluate.probabilistik(y[baru], p[baru], BUDGET_PERINGATAN).items()
                if m != "reliabilitas"
            },
            "tertangkap_di_daftar": _tertangkap(test["periode"], p, y, baru),
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
    final = early_warning.latih(lab, seed, awal=uji_model)
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
    registry.simpan(data, MODEL_PERINGATAN, versi, final, meta)
    m, b = metrik["model"], metrik["baseline_predikat_bulan_ini"]
    r, kb = metrik["baseline_rata_rata_penilaian"], metrik["kasus_baru"]
    pesan = (
        f"Model peringatan {versi}: uji {uji[0]}..{uji[-1]} ROC-AUC {m['roc_auc']} "
        f"(baseline predikat {b['roc_auc']}, rata-rata penilaian {r['roc_auc']}), Brier "
        f"{m['brier']} (baseline {b['brier']}); kasus baru di daftar "
        f"{kb['model']['tertangkap_di_daftar']['k']} vs baseline rata-rata "
        f"{kb['baseline_rata_rata_penilaian']['tertangkap_di_daftar']['k']} dari "
        f"{kb['model']['tertangkap_di_daftar']['n']}"
        + ("" if metrik["mengalahkan_baseline_rata_pada_kasus_baru"] else " (tidak lebih baik)")
    )
    return Hasil(MODEL_PERINGATAN, versi, pesan, meta, True)


def _tertangkap(periode: pl.Series, p: np.ndarray, y: np.ndarray, baru: np.ndarray) -> dict:
    """Of the new-case positives, how many the month's list (top BUDGET of each month) holds."""
    daftar = _dibaca(periode, p, hanya_daftar=True)
    return evaluate.proporsi(int((daftar & baru & (y == 1)).sum()), int((baru & (y == 1)).sum()))


def _dibaca(periode: pl.Series, p: np.ndarray, hanya_daftar: bool = False) -> np.ndarray:
    """Rows whose reason is worded: risk >= BATAS_SEDANG or in the top BUDGET of the month
    (``hanya_daftar``: only the latter, the month's list)."""
    df = pl.DataFrame({"periode": periode, "p": p}).with_columns(
        r=pl.col("p").rank("ordinal", descending=True).over("periode"), n=pl.len().over("periode")
    )
    top = (df["r"] <= (df["n"] * BUDGET_PERINGATAN).ceil()).to_numpy()
    return top if hanya_daftar else top | (p >= BATAS_SEDANG)


def skor_peringatan(data: DataDir, periods: list[str], sumber: str = "auto") -> Hasil:
    loaded = registry.muat(data, MODEL_PERINGATAN)
    if loaded is None:
        return Hasil(MODEL_PERINGATAN, None, "Belum ada model peringatan; latih dulu.")
    model, meta = loaded
    sejarah = jendela(data, max(periods), kinds=KINDS_PERINGATAN)  # history feeds the features
    periods = [p for p in periods if p in set(sejarah)]
    if not periods:
        return Hasil(MODEL_PERINGATAN, meta["versi"], "Tidak ada periode untuk diskor.")
    ds = dataset_peringatan(data, sejarah, sumber)[0].filter(pl.col("periode").is_in(periods))
    p = model.prob(ds)
    # reasons for the rows someone will read: risk SEDANG or higher, or on the month's list
    # (worded in Python, row by row: ~1.5 s for a year of every row)
    baca = _dibaca(ds["periode"], p)
    teks = [None] * len(p)
    idx = np.flatnonzero(baca)
    for i, t in zip(idx, early_warning.alasan(model, ds[idx]), strict=True):
        teks[i] = t
    keluar = (
        ds.with_columns(
            skor=pl.Series(p),
            skor_baseline=pl.Series(model.prob_baseline(ds)),
            skor_baseline_rata=pl.Series(model.prob_rata(ds)),
            tingkat=pl.when(pl.Series(p) >= BATAS_TINGGI)
            .then(pl.lit("TINGGI"))
            .when(pl.Series(p) >= BATAS_SEDANG)
            .then(pl.lit("SEDANG"))
            .otherwise(pl.lit("RENDAH")),
            alasan=pl.Series(teks, dtype=pl.String),
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
