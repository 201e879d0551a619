"""Evaluation report on a data directory with the simulator's ground truth.

    uv run python -m models.laporan --data /tmp/sim/data --exports /tmp/sim/exports

Anomalies: the forest fitted on all months (in-sample: unsupervised, no labels are used) and,
more honestly, fitted on the first months and applied to the last ``--bulan-uji`` months it never
saw. Early warning: the time split of ``pipeline.latih_peringatan`` (train on earlier months,
test on the last ones) against the baseline. Writes nothing into the data directory.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import polars as pl

from models import anomaly, early_warning, evaluate, features, pipeline, rekap
from models.sumber import baca_groundtruth, groundtruth_path
from orchestration.paths import DataDir


def laporan(data: DataDir, exports: Path | None, bulan_uji: int = 3, seed: int = 42) -> dict:
    truth = baca_groundtruth(groundtruth_path(exports))
    periods = pipeline.jendela(data, "9999-12", kinds=pipeline.KINDS_PERINGATAN)
    out: dict = {"periode": [periods[0], periods[-1]], "detik": {}}

    t = time.perf_counter()
    fitur = features.fitur_anomali(data, periods)
    out["detik"]["fitur_anomali"] = round(time.perf_counter() - t, 1)
    out["pegawai_bulan"] = fitur.height
    t = time.perf_counter()
    model = anomaly.latih(fitur, seed)
    skor = anomaly.nilai(model, fitur)
    out["detik"]["latih_dan_skor_anomali"] = round(time.perf_counter() - t, 1)
    out["anomali_dalam_sampel"] = pipeline.metrik_anomali(skor, truth)
    lama, baru = periods[:-bulan_uji], periods[-bulan_uji:]
    model_lama = anomaly.latih(fitur.filter(pl.col("periode").is_in(lama)), seed)
    skor_baru = anomaly.nilai(model_lama, fitur.filter(pl.col("periode").is_in(baru)))
    out["anomali_luar_waktu"] = {
        "latih": [lama[0], lama[-1]],
        "uji": [baru[0], baru[-1]],
        **pipeline.metrik_anomali(skor_baru, truth),
    }

    t = time.perf_counter()
    rk, asal = rekap.rekap(data, periods)
    out["detik"]["rekap"] = round(time.perf_counter() - t, 1)
    ds = early_warning.dataset(rk)
    train, test, uji = early_warning.bagi_waktu(ds, bulan_uji)
    m = early_warning.latih(train, seed)
    y = test["label"].to_numpy()
    out["peringatan"] = {
        "sumber_rekap": asal,
        "latih_periode": [train["periode"].min(), train["periode"].max()],
        "uji_periode": uji,
        "model": evaluate.probabilistik(y, m.prob(test), pipeline.BUDGET_PERINGATAN),
        "baseline_predikat_bulan_ini": evaluate.probabilistik(
            y, m.prob_baseline(test), pipeline.BUDGET_PERINGATAN
        ),
        "penantang_gradient_boosting": pipeline._penantang(m, train, test, seed),
    }
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Laporan evaluasi model pada data simulasi.")
    ap.add_argument("--data", required=True)
    ap.add_argument("--exports")
    ap.add_argument("--bulan-uji", type=int, default=3)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args(argv)
    hasil = laporan(
        DataDir.resolve(a.data), Path(a.exports) if a.exports else None, a.bulan_uji, a.seed
    )
    json.dump(hasil, sys.stdout, indent=1, ensure_ascii=False, default=str)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
