"""Honest measures: precision/recall per rule and layer with Wilson intervals, at the old
budget for the baselines, ROC-AUC, PR-AUC, Brier, reliability."""

from __future__ import annotations

import numpy as np
import polars as pl
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score


def _round(x: float | None, d: int = 4) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), d)


def auc_scores(y: np.ndarray, skor: np.ndarray) -> dict:
    """ROC-AUC and PR-AUC (average precision) of a score against 0/1 labels."""
    y = np.asarray(y, dtype=int)
    if y.min(initial=0) == y.max(initial=0):  # one class only: undefined
        return {"roc_auc": None, "pr_auc": None, "n": int(len(y)), "positif": int(y.sum())}
    return {
        "roc_auc": _round(roc_auc_score(y, skor)),
        "pr_auc": _round(average_precision_score(y, skor)),
        "n": int(len(y)),
        "positif": int(y.sum()),
        "base_rate": _round(y.mean()),
    }


def flags_vs_truth(skor: pl.DataFrame, kebenaran: pl.DataFrame, kolom: str = "skor") -> dict:
    """Flags (``ditandai``) and ``kolom`` against the planted anomalies (periode, nip, jenis).

    Only the periods present in ``skor`` are judged. Recall per kind shows what is missed.
    """
    truth = (
        kebenaran.filter(pl.col("periode").is_in(skor["periode"].unique().to_list()))
        .group_by("periode", "nip")
        .agg(jenis_anomali=pl.col("jenis_anomali").first())
    )
    j = (
        skor.select("periode", "nip", kolom, "ditandai")
        .join(truth, on=["periode", "nip"], how="left")
        .with_columns(benar=pl.col("jenis_anomali").is_not_null())
    )
    y = j["benar"].to_numpy()
    flag = j["ditandai"].to_numpy()
    tp = int((y & flag).sum())
    per_jenis = (
        j.filter("benar")
        .group_by("jenis_anomali")
        .agg(n=pl.len(), tertangkap=pl.col("ditandai").sum())
        .sort("jenis_anomali")
    )
    return {
        "ditandai": int(flag.sum()),
        "benar_ditandai": tp,
        "presisi_budget": _round(tp / max(int(flag.sum()), 1)),
        "recall_budget": _round(tp / max(int(y.sum()), 1)),
        "lift": _round((tp / max(int(flag.sum()), 1)) / max(float(y.mean()), 1e-12), 2),
        "tidak_tercatat_di_master": int(truth.height - j["benar"].sum()),
        **auc_scores(y, j[kolom].to_numpy()),
        "recall_per_jenis": {
            r["jenis_anomali"]: {"n": r["n"], "tertangkap": r["tertangkap"]}
            for r in per_jenis.iter_rows(named=True)
        },
    }


def reliability(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict]:
    """Calibration table: per equal-width probability bin, mean prediction vs observed rate."""
    y, p = np.asarray(y, dtype=float), np.asarray(p, dtype=float)
    idx = np.minimum((p * bins).astype(int), bins - 1)
    out = []
    for b in range(bins):
        m = idx == b
        if m.any():
            out.append(
                {
                    "bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
                    "n": int(m.sum()),
                    "prediksi": _round(p[m].mean()),
                    "teramati": _round(y[m].mean()),
                }
            )
    return out


def probabilistic(y: np.ndarray, p: np.ndarray, budget: float = 0.10) -> dict:
    """AUCs, Brier score, reliability bins and precision/recall in the top ``budget``."""
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    k = max(1, int(np.ceil(len(p) * budget)))
    top = np.argsort(-p, kind="stable")[:k]
    tp = int(y[top].sum())
    return {
        **auc_scores(y, p),
        "brier": _round(brier_score_loss(y, p)) if len(y) else None,
        "brier_rata_rata": _round(brier_score_loss(y, np.full(len(y), y.mean())))
        if len(y)
        else None,
        f"presisi_top{int(budget * 100)}": _round(tp / k),
        f"recall_top{int(budget * 100)}": _round(tp / max(int(y.sum()), 1)),
        "reliabilitas": reliability(y, p),
    }


# rule -> the planted kind of the simulator it is meant to catch
JENIS_ATURAN = {
    "titip_absen": "TITIP_ABSEN",
    "jam_identik": "JAM_MASUK_IDENTIK",
    "mobile_jauh": "MOBILE_JAUH",
    "tap_saat_dl": "TAP_SAAT_DL",
    "tap_hari_libur": "TAP_AKHIR_PEKAN",
}


def wilson(k: int, n: int, z: float = 1.96) -> list[float | None]:
    """95 % Wilson score interval of a proportion k/n ([None, None] when n = 0)."""
    if n == 0:
        return [None, None]
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return [_round(max(0.0, c - h)), _round(min(1.0, c + h))]


def proportion(k: int, n: int) -> dict:
    """k of n with the share and its Wilson interval."""
    return {"k": int(k), "n": int(n), "nilai": _round(k / n) if n else None, "ci95": wilson(k, n)}


def _truth_per_row(kebenaran: pl.DataFrame, periods: list[str]) -> pl.DataFrame:
    return (
        kebenaran.filter(pl.col("periode").is_in(periods))
        .group_by("periode", "nip")
        .agg(jenis_anomali=pl.col("jenis_anomali").first())
    )


def layers_vs_truth(hasil: pl.DataFrame, flags: pl.DataFrame, kebenaran: pl.DataFrame) -> dict:
    """The two layers against the planted anomalies (only the periods of ``hasil``).

    Per rule: precision (flags on a planted employee-month of any kind, and of the rule's own
    kind) and recall of its own kind; per layer and together: precision and recall; the model
    layer also: how many planted cases it adds that no rule caught. Baselines: the forest and
    the largest z-score with the old fixed 2 % monthly quota.
    """
    truth = _truth_per_row(kebenaran, hasil["periode"].unique().to_list())
    j = hasil.select("periode", "nip", "lapisan", "skor", "skor_maks_z").join(
        truth, on=["periode", "nip"], how="left"
    )
    benar = j["jenis_anomali"].is_not_null()
    n_pos = int(benar.sum())
    per_aturan = {}
    fj = flags.join(truth, on=["periode", "nip"], how="left")
    for rule, kind in JENIS_ATURAN.items():
        f = fj.filter(pl.col("aturan") == rule)
        pos_kind = int((truth["jenis_anomali"] == kind).sum())
        tangkap = int((f["jenis_anomali"] == kind).sum())
        per_aturan[rule] = {
            "jenis_ditanam": kind,
            "ditandai": f.height,
            "presisi": proportion(int(f["jenis_anomali"].is_not_null().sum()), f.height),
            "presisi_jenis_sendiri": proportion(tangkap, f.height),
            "recall_jenis_sendiri": proportion(tangkap, pos_kind),
        }

    def layer(mask) -> dict:
        k = int((mask & benar).sum())
        return {"presisi": proportion(k, int(mask.sum())), "recall": proportion(k, n_pos)}

    aturan_m = (j["lapisan"] == "ATURAN").fill_null(False)
    model_m = (j["lapisan"] == "MODEL").fill_null(False)
    semua = aturan_m | model_m
    g = layer(semua)
    per_jenis = (
        j.filter(benar)
        .group_by("jenis_anomali")
        .agg(
            n=pl.len(),
            aturan=(pl.col("lapisan") == "ATURAN").sum(),
            model=(pl.col("lapisan") == "MODEL").sum(),
        )
        .sort("jenis_anomali")
    )
    baseline = {}
    for nama, kolom in (
        ("isolation_forest_kuota_2pct", "skor"),
        ("maks_z_kuota_2pct", "skor_maks_z"),
    ):
        t = mark_quota(j, kolom, 0.02)
        m = t["ditandai"] & benar
        baseline[nama] = {
            "presisi": proportion(int(m.sum()), int(t["ditandai"].sum())),
            "recall": proportion(int(m.sum()), n_pos),
            **auc_scores(benar.to_numpy(), j[kolom].to_numpy()),
        }
    return {
        "positif": n_pos,
        "baris": j.height,
        "per_aturan": per_aturan,
        "lapisan_aturan": layer(aturan_m),
        "lapisan_model": {
            **layer(model_m),
            "tambahan_di_luar_aturan": int((model_m & benar).sum()),
        },
        "gabungan": {  # both layers: the numbers, then k / n and the Wilson intervals
            "presisi": g["presisi"]["nilai"],
            "recall": g["recall"]["nilai"],
            "presisi_rinci": g["presisi"],
            "recall_rinci": g["recall"],
        },
        "per_jenis": {
            r["jenis_anomali"]: {"n": r["n"], "aturan": r["aturan"], "model": r["model"]}
            for r in per_jenis.iter_rows(named=True)
        },
        "baseline": baseline,
    }


def mark_quota(df: pl.DataFrame, kolom: str, kuota: float) -> pl.DataFrame:
    """The old way: the top ``kuota`` of each period by ``kolom`` is flagged (``ditandai``)."""
    n = pl.len().over("periode")
    rank = pl.col(kolom).rank("ordinal", descending=True).over("periode")
    return df.with_columns(ditandai=rank <= (n * kuota).ceil())
