"""Evaluation report on a simulated data directory with the simulator's ground truth.

    uv run python -m models.report --data /tmp/eval/data --exports /tmp/eval/exports \
        [--json hasil.json] [--waktu]

Use a simulator seed that was never used while designing (docs/models/evaluation.md names the
seeds used so far). Writes nothing into the data directory unless ``--waktu`` (which times the
model job's four steps on it, writing its model artefacts and score files there).

Anomalies: the rules and the model layer on every month (the forest is unsupervised: no label
is used to fit it), per rule precision / recall of its own planted kind with 95 % Wilson
intervals, and side by side the baselines of issue 20: the forest and the largest z-score with
the old fixed 2 % monthly quota. A validation split for the model layer's threshold: the forest
fitted on the first half of the months, thresholds compared on the next quarter (validation),
the configured threshold reported on the last quarter (test).

Early warning: time split (train on the earliest label months, validate one month to pick the
regularisation C, test on the last three label months), against two baselines: this month's
predikat (the observed rate per predikat) and the average of past ratings (a logistic
regression on the two running averages). Reported on all test rows and separately on the new
cases (no poor predikat in the last three months), with reliability bins.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import polars as pl
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss
from sklearn.pipeline import make_pipeline
from threadpoolctl import threadpool_limits

from models import anomaly, anomaly_rules, early_warning, evaluate, features, pipeline, recap
from models.inputs import connect, groundtruth_path, read_groundtruth
from models.monitoring import jenis_opd
from orchestration.core.paths import DataDir

BUDGET = pipeline.BUDGET_PERINGATAN
PILIHAN_C = (0.03, 0.1, 0.3, 1.0, 3.0)
RATA_PENILAIAN = ("rata_nilai_hasil", "rata_nilai_perilaku")


# --- anomalies -------------------------------------------------------------------------------
def evaluate_anomalies(data: DataDir, truth: pl.DataFrame, periods: list[str], seed: int) -> dict:
    out: dict = {"detik": {}}
    t = time.perf_counter()
    fitur = features.anomaly_features(data, periods)
    out["detik"]["fitur"] = round(time.perf_counter() - t, 1)
    t = time.perf_counter()
    model = anomaly.train(fitur, seed)
    hasil = anomaly.assess(model, fitur)
    out["detik"]["latih_dan_skor"] = round(time.perf_counter() - t, 1)
    flags = anomaly.all_flags(hasil)
    out["pegawai_bulan"] = hasil.height
    out["kasus"] = anomaly_rules.cases(flags).height
    out["semua_bulan"] = evaluate.layers_vs_truth(hasil, flags, truth)
    out["validasi_ambang_model"] = _threshold_validation(fitur, truth, periods, seed)
    out["keadilan_salah_tandai"] = _false_flags_by_opd_type(data, hasil, truth, periods)
    out["contoh_alasan"] = {
        r: hasil.filter(pl.col("aturan").str.contains(r, literal=True))["alasan"].head(1).to_list()
        for r in anomaly_rules.NAMA_ATURAN
    } | {"model": hasil.filter(pl.col("lapisan") == "MODEL")["alasan"].head(2).to_list()}
    return out


def _threshold_validation(fitur: pl.DataFrame, truth: pl.DataFrame, periods: list[str], seed: int):
    """Forest fitted on the first half of the months; the model layer at several thresholds on
    the next quarter (validation) and the configured one on the last quarter (test)."""
    n = len(periods)
    latih, val, uji = periods[: n // 2], periods[n // 2 : (3 * n) // 4], periods[(3 * n) // 4 :]
    model = anomaly.train(fitur.filter(pl.col("periode").is_in(latih)), seed)

    def model_layer(ps: list[str], ambang: float) -> dict:
        f = fitur.filter(pl.col("periode").is_in(ps))
        z = model.z(f)
        s = anomaly.forest_score(model.forest, z)
        rules = pl.any_horizontal(list(anomaly_rules.conditions().values()))
        tanpa_aturan = ~f.select(rules.fill_null(False)).to_series().to_numpy()
        calon = tanpa_aturan & (s >= ambang) & (z.max(axis=1) >= anomaly.Z_ALASAN)
        y = (
            f.select("periode", "nip")
            .join(
                truth.select("periode", "nip", pos=pl.lit(True)).unique(),
                on=["periode", "nip"],
                how="left",
            )["pos"]
            .fill_null(False)
            .to_numpy()
        )
        missed = int((y & tanpa_aturan).sum())
        return {
            "ambang": ambang,
            "ditandai": int(calon.sum()),
            "benar": int((calon & y).sum()),
            "terlewat_aturan": missed,
            "presisi": evaluate.proportion(int((calon & y).sum()), int(calon.sum())),
        }

    return {
        "latih": [latih[0], latih[-1]],
        "validasi": [val[0], val[-1]],
        "uji": [uji[0], uji[-1]],
        "validasi_per_ambang": [model_layer(val, a) for a in (0.55, 0.58, 0.6, 0.62, 0.65, 0.7)],
        "uji_ambang_konfigurasi": model_layer(uji, anomaly.AMBANG_MODEL),
    }


def _false_flags_by_opd_type(data, hasil, truth, periods) -> dict:
    """False flags per 10,000 honest employee-months by department type: rules+model layer vs
    the old 2 % quota of the forest."""
    con = connect(data, periods)
    try:
        opd = con.sql(
            "select distinct periode, nip, nama_opd from tpp_bulanan where segmen = 'UTAMA'"
        ).pl()
    finally:
        con.close()
    j = (
        hasil.select("periode", "nip", "ditandai", "skor")
        .pipe(evaluate.mark_quota, "skor", 0.02)
        .rename({"ditandai": "kuota"})
        .join(hasil.select("periode", "nip", "ditandai"), on=["periode", "nip"])
        .join(opd, on=["periode", "nip"], how="left")
        .with_columns(jenis_opd=jenis_opd(pl.col("nama_opd").fill_null("")))
        .join(truth.select("periode", "nip").unique(), on=["periode", "nip"], how="anti")
    )
    g = j.group_by("jenis_opd").agg(
        n=pl.len(), aturan_model=pl.col("ditandai").sum(), kuota_2pct=pl.col("kuota").sum()
    )
    return {
        r["jenis_opd"]: {
            "jujur": r["n"],
            "salah_tandai_sekarang": r["aturan_model"],
            "per_10rb_sekarang": round(1e4 * r["aturan_model"] / r["n"], 2),
            "salah_tandai_kuota_2pct_lama": r["kuota_2pct"],
            "per_10rb_kuota_lama": round(1e4 * r["kuota_2pct"] / r["n"], 2),
        }
        for r in g.sort("jenis_opd").iter_rows(named=True)
    }


# --- early warning ---------------------------------------------------------------------------
def evaluate_warning(data: DataDir, periods: list[str], seed: int, bulan_uji: int = 3) -> dict:
    rk, asal = recap.recap(data, periods)
    ds = early_warning.dataset(rk)
    lab = ds.filter(pl.col("label").is_not_null())
    bulan = sorted(lab["periode"].unique().to_list())
    uji, val = bulan[-bulan_uji:], bulan[-bulan_uji - 1]
    latih_val = lab.filter(pl.col("periode_target") <= val)  # label known by the val month
    validasi = lab.filter(pl.col("periode") == val)
    skor_c = {}
    for c in PILIHAN_C:
        m = early_warning.train(latih_val, seed, c)
        skor_c[c] = round(float(log_loss(validasi["label"], m.prob(validasi))), 5)
    c_terbaik = min(skor_c, key=skor_c.get)
    train = lab.filter(pl.col("periode") < uji[0]).filter(pl.col("periode_target") <= uji[0])
    test = lab.filter(pl.col("periode").is_in(uji))
    model = early_warning.train(train, seed, c_terbaik)
    rata = make_pipeline(SimpleImputer(strategy="median"), LogisticRegression(max_iter=1000))
    rata.fit(train.select(RATA_PENILAIAN).to_numpy(), train["label"].to_numpy())

    def score(df: pl.DataFrame) -> dict[str, np.ndarray]:
        return {
            "model": model.prob(df),
            "baseline_predikat_bulan_ini": model.prob_baseline(df),
            "baseline_rata_rata_penilaian": rata.predict_proba(
                df.select(RATA_PENILAIAN).to_numpy()
            )[:, 1],
        }

    y = test["label"].to_numpy()
    s = score(test)
    baru = (test["buruk_3"] == 0).to_numpy()
    semua, kasus_baru = {}, {}
    for nama, p in s.items():
        semua[nama] = evaluate.probabilistic(y, p, BUDGET)
        # the list of the month as it would be: top 10 % of all rows of the month
        k = max(1, int(np.ceil(len(p) * BUDGET)))
        top = np.zeros(len(p), bool)
        top[np.argsort(-p, kind="stable")[:k]] = True
        tangkap = int((top & baru & (y == 1)).sum())
        kasus_baru[nama] = {
            **evaluate.probabilistic(y[baru], p[baru], BUDGET),
            "tertangkap_di_daftar_10pct": evaluate.proportion(
                tangkap, int((baru & (y == 1)).sum())
            ),
            "porsi_daftar_yang_kasus_baru": evaluate.proportion(int((top & baru).sum()), k),
        }
    with threadpool_limits(1):
        hgb = HistGradientBoostingClassifier(
            max_iter=300,
            learning_rate=0.05,
            max_leaf_nodes=15,
            min_samples_leaf=50,
            random_state=seed,
        )
        hgb.fit(model._x(train), train["label"].to_numpy())
        ph = hgb.predict_proba(model._x(test))[:, 1]
    ringkas_hgb = evaluate.probabilistic(y, ph, BUDGET)
    return {
        "sumber_rekap": asal,
        "latih_label_sampai": train["periode_target"].max(),
        "validasi_periode": val,
        "validasi_log_loss_per_C": skor_c,
        "C_terpilih": c_terbaik,
        "uji_periode": uji,
        "baris_uji": int(len(y)),
        "kasus_baru_baris": int(baru.sum()),
        "kasus_baru_positif": int((baru & (y == 1)).sum()),
        "semua": semua,
        "kasus_baru": kasus_baru,
        "penantang_gradient_boosting": {
            k: ringkas_hgb[k]
            for k in ("roc_auc", "pr_auc", "brier", "presisi_top10", "recall_top10")
        },
    }


# --- timing of the model job -----------------------------------------------------------------
def job_times(data: DataDir, periods: list[str], kebenaran) -> dict:
    """Wall and CPU seconds of the model job's steps on ``data`` (a fresh models folder)."""
    import shutil

    from models import monitoring, registry

    shutil.rmtree(registry.folder(data), ignore_errors=True)
    out = {}
    langkah = (
        ("latih_anomali", lambda: pipeline.train_anomaly(data, periods[-1], kebenaran=kebenaran)),
        ("skor_anomali", lambda: pipeline.score_anomalies(data, periods, kebenaran)),
        ("latih_peringatan", lambda: pipeline.train_warning(data, periods[-1])),
        ("skor_peringatan", lambda: pipeline.score_warning(data, periods)),
        ("pemantauan", lambda: monitoring.write(data, kebenaran)),
    )
    for nama, fn in langkah:
        t, c = time.perf_counter(), time.process_time()
        fn()
        out[nama] = {
            "detik": round(time.perf_counter() - t, 1),
            "cpu_detik": round(time.process_time() - c, 1),
        }
    out["total_detik"] = round(sum(v["detik"] for v in out.values()), 1)
    # a monthly run after a year: the same month again (features cached, model reused)
    t = time.perf_counter()
    pipeline.train_anomaly(data, periods[-1], kebenaran=kebenaran)
    pipeline.score_anomalies(data, periods[-1:], kebenaran)
    out["anomali_ulang_satu_bulan_detik"] = round(time.perf_counter() - t, 1)
    return out


def report(data: DataDir, exports: Path | None, seed: int = 42, waktu: bool = False) -> dict:
    truth = read_groundtruth(groundtruth_path(exports))
    if truth is None:
        raise SystemExit("Butuh kebenaran simulator (<ekspor>/_groundtruth/anomali.csv).")
    periods = pipeline.window(data, "9999-12", kinds=pipeline.KINDS_PERINGATAN)
    out: dict = {"periode": [periods[0], periods[-1]], "seed_model": seed}
    if waktu:
        out["waktu_job_model"] = job_times(data, periods, truth)
    out["anomali"] = evaluate_anomalies(data, truth, periods, seed)
    out["peringatan"] = evaluate_warning(data, periods, seed)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Laporan evaluasi model pada data simulasi.")
    ap.add_argument("--data", required=True)
    ap.add_argument("--exports")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--json", help="tulis hasil ke berkas ini juga")
    ap.add_argument(
        "--waktu", action="store_true", help="ukur langkah job model (menulis DATA/models)"
    )
    a = ap.parse_args(argv)
    hasil = report(DataDir.resolve(a.data), Path(a.exports) if a.exports else None, a.seed, a.waktu)
    teks = json.dumps(hasil, indent=1, ensure_ascii=False, default=str)
    if a.json:
        Path(a.json).write_text(teks + "\n")
    print(teks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
