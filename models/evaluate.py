"""Honest measures: precision/recall at the flagged budget, ROC-AUC, PR-AUC, Brier, reliability."""

from __future__ import annotations

import numpy as np
import polars as pl
from sklearn.metrics import average_precision_score, brier_score_loss, roc_auc_score


def _bulat(x: float | None, d: int = 4) -> float | None:
    return None if x is None or not np.isfinite(x) else round(float(x), d)


def peringkat(y: np.ndarray, skor: np.ndarray) -> dict:
    """ROC-AUC and PR-AUC (average precision) of a score against 0/1 labels."""
    y = np.asarray(y, dtype=int)
    if y.min(initial=0) == y.max(initial=0):  # one class only: undefined
        return {"roc_auc": None, "pr_auc": None, "n": int(len(y)), "positif": int(y.sum())}
    return {
        "roc_auc": _bulat(roc_auc_score(y, skor)),
        "pr_auc": _bulat(average_precision_score(y, skor)),
        "n": int(len(y)),
        "positif": int(y.sum()),
        "base_rate": _bulat(y.mean()),
    }


def anomali_vs_kebenaran(skor: pl.DataFrame, kebenaran: pl.DataFrame, kolom: str = "skor") -> dict:
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
        "presisi_budget": _bulat(tp / max(int(flag.sum()), 1)),
        "recall_budget": _bulat(tp / max(int(y.sum()), 1)),
        "lift": _bulat((tp / max(int(flag.sum()), 1)) / max(float(y.mean()), 1e-12), 2),
        "tidak_tercatat_di_master": int(truth.height - j["benar"].sum()),
        **peringkat(y, j[kolom].to_numpy()),
        "recall_per_jenis": {
            r["jenis_anomali"]: {"n": r["n"], "tertangkap": r["tertangkap"]}
            for r in per_jenis.iter_rows(named=True)
        },
    }


def reliabilitas(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict]:
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
                    "prediksi": _bulat(p[m].mean()),
                    "teramati": _bulat(y[m].mean()),
                }
            )
    return out


def probabilistik(y: np.ndarray, p: np.ndarray, budget: float = 0.10) -> dict:
    """AUCs, Brier score, reliability bins and precision/recall in the top ``budget``."""
    y = np.asarray(y, dtype=int)
    p = np.asarray(p, dtype=float)
    k = max(1, int(np.ceil(len(p) * budget)))
    top = np.argsort(-p, kind="stable")[:k]
    tp = int(y[top].sum())
    return {
        **peringkat(y, p),
        "brier": _bulat(brier_score_loss(y, p)) if len(y) else None,
        "brier_rata_rata": _bulat(brier_score_loss(y, np.full(len(y), y.mean())))
        if len(y)
        else None,
        f"presisi_top{int(budget * 100)}": _bulat(tp / k),
        f"recall_top{int(budget * 100)}": _bulat(tp / max(int(y.sum()), 1)),
        "reliabilitas": reliabilitas(y, p),
    }
