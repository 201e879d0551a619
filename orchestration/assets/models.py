"""Model assets: train (a new version per data window) and score (every run), monthly partitions.

- ``model/anomali`` trains the attendance-anomaly model on the last 12 months up to the run's
  last period; ``model/skor_anomali`` scores the run's periods into
  ``DATA/models/skor_anomali.parquet``.
- ``model/pemantauan`` writes the fairness and drift figures of both score files
  (``DATA/models/pemantauan.parquet`` and ``.json``, see ``models/monitoring.py``) for the
  quality page.
- ``model/peringatan`` trains the early-warning model on every month up to the run's last
  period (time split for the metrics); ``model/skor_peringatan`` scores the run's periods into
  ``DATA/models/skor_peringatan.parquet``.

Training the same data window with the same seed again is a no-op (same version). With too
little data (e.g. the first month: nothing to learn a next evaluation from), the assets say so
in their metadata instead of failing the payroll run. When the simulator's ground truth is
available (``KINERJA_GROUNDTRUTH`` or ``<exports>/_groundtruth/anomali.csv``) the anomaly metrics
include precision and recall at the flagged budget.
"""

from typing import TYPE_CHECKING

import dagster as dg

from models.inputs import groundtruth_path, read_groundtruth
from models.score_files import ANOMALI, PERINGATAN, path
from orchestration.partitions import monthly
from orchestration.resources import KinerjaStorage

if TYPE_CHECKING:  # scikit-learn is imported by the model job only, not by every payroll run
    from models import pipeline

TPP_HARIAN, TPP_BULANAN = dg.AssetKey(["tpp_harian"]), dg.AssetKey(["tpp_bulanan"])
# the models read the day facts as published (published/current), never re-derived from taps
TERBIT = dg.AssetKey(["published_tpp"])
RAW = {k: dg.AssetKey(["raw", k]) for k in ("absensi", "ketidakhadiran", "pegawai", "kinerja")}
MODEL_ANOMALI = dg.AssetKey(["model", "anomali"])
SKOR_ANOMALI = dg.AssetKey(["model", "skor_anomali"])
MODEL_PERINGATAN = dg.AssetKey(["model", "peringatan"])
SKOR_PERINGATAN = dg.AssetKey(["model", "skor_peringatan"])
PEMANTAUAN = dg.AssetKey(["model", "pemantauan"])

_COMMON = {
    "partitions_def": monthly,
    "backfill_policy": dg.BackfillPolicy.single_run(),
    "group_name": "models",
}


_METRIK_ANOMALI = (
    "baris",
    "ditandai",
    "ditandai_aturan",
    "ditandai_model",
    "terpotong_beban",
    "kasus",
    "kebenaran.gabungan.presisi",
    "kebenaran.gabungan.recall",
)


def _kebenaran(storage: KinerjaStorage):
    return read_groundtruth(groundtruth_path(storage.exports))


def _angka(metrik: dict, *jalur: str) -> dict:
    """Flat numeric metadata from a nested metrics dict (missing parts are skipped)."""
    out = {}
    for j in jalur:
        node = metrik
        for part in j.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, int | float):
            out[j.replace(".", "/")] = node
    return out


def _meta(hasil: "pipeline.Hasil", storage: KinerjaStorage, model: str) -> dict:
    meta = {"versi": hasil.versi or "-", "pesan": hasil.pesan, "dilatih_baru": hasil.baru}
    if hasil.versi:
        from models import registry

        folder = registry.folder(storage.data) / model / hasil.versi
        meta["artefak"] = dg.MetadataValue.path(str(folder))
    if hasil.meta.get("metrik"):
        meta["metrik"] = dg.MetadataValue.json(hasil.meta["metrik"])
    return meta


@dg.asset(
    key=MODEL_ANOMALI,
    deps=[RAW["absensi"], TPP_HARIAN, TPP_BULANAN, TERBIT],
    description="Model anomali absensi (IsolationForest atas z-skor robust), versi per jendela data.",
    **_COMMON,
)
def model_anomali(context: dg.AssetExecutionContext, storage: KinerjaStorage):
    sampai = max(context.partition_keys)
    from models import pipeline

    hasil = pipeline.train_anomaly(storage.data, sampai, kebenaran=_kebenaran(storage))
    context.log.info(hasil.pesan)
    return dg.MaterializeResult(
        metadata={
            **_meta(hasil, storage, pipeline.MODEL_ANOMALI),
            **_angka(hasil.meta.get("metrik", {}), *_METRIK_ANOMALI),
        }
    )


@dg.asset(
    key=SKOR_ANOMALI,
    deps=[MODEL_ANOMALI, RAW["absensi"]],
    description="Skor anomali per pegawai-bulan dengan alasan (DATA/models/skor_anomali.parquet).",
    **_COMMON,
)
def skor_anomali(context: dg.AssetExecutionContext, storage: KinerjaStorage):
    from models import pipeline

    hasil = pipeline.score_anomalies(storage.data, context.partition_keys, _kebenaran(storage))
    context.log.info(hasil.pesan)
    return dg.MaterializeResult(
        metadata={
            **_meta(hasil, storage, pipeline.MODEL_ANOMALI),
            "berkas": dg.MetadataValue.path(str(path(storage.data, ANOMALI))),
            **_angka(hasil.meta.get("metrik", {}), *_METRIK_ANOMALI),
        }
    )


@dg.asset(
    key=MODEL_PERINGATAN,
    deps=[TPP_BULANAN, RAW["kinerja"], TERBIT],
    description="Model peringatan dini predikat bulan berikutnya (regresi logistik), versi per "
    "jendela data, dievaluasi dengan pembagian waktu terhadap baseline.",
    **_COMMON,
)
def model_peringatan(context: dg.AssetExecutionContext, storage: KinerjaStorage):
    from models import pipeline

    hasil = pipeline.train_warning(storage.data, max(context.partition_keys))
    context.log.info(hasil.pesan)
    m, b = "model", "baseline_predikat_bulan_ini"
    return dg.MaterializeResult(
        metadata={
            **_meta(hasil, storage, pipeline.MODEL_PERINGATAN),
            **_angka(
                hasil.meta.get("metrik", {}),
                f"{m}.roc_auc",
                f"{m}.pr_auc",
                f"{m}.brier",
                f"{b}.roc_auc",
                f"{b}.pr_auc",
                f"{b}.brier",
                "baseline_rata_rata_penilaian.roc_auc",
                "baseline_rata_rata_penilaian.presisi_top10",
                "kasus_baru.model.tertangkap_di_daftar.k",
                "kasus_baru.baseline_rata_rata_penilaian.tertangkap_di_daftar.k",
                "mengalahkan_baseline_rata_pada_kasus_baru",
            ),
        }
    )


@dg.asset(
    key=SKOR_PERINGATAN,
    deps=[MODEL_PERINGATAN, TPP_BULANAN],
    description="Risiko predikat bulan berikutnya per pegawai dengan alasan "
    "(DATA/models/skor_peringatan.parquet).",
    **_COMMON,
)
def skor_peringatan(context: dg.AssetExecutionContext, storage: KinerjaStorage):
    from models import pipeline

    hasil = pipeline.score_warning(storage.data, context.partition_keys)
    context.log.info(hasil.pesan)
    return dg.MaterializeResult(
        metadata={
            **_meta(hasil, storage, pipeline.MODEL_PERINGATAN),
            "berkas": dg.MetadataValue.path(str(path(storage.data, PERINGATAN))),
            "tinggi": int(hasil.meta.get("tinggi", 0)),
        }
    )


@dg.asset(
    key=PEMANTAUAN,
    deps=[SKOR_ANOMALI, SKOR_PERINGATAN],
    description="Keadilan dan drift kedua model (DATA/models/pemantauan.parquet + .json): "
    "porsi ditandai per jenis OPD, golongan, jenis kelamin; kelonggaran per penilai; base rate "
    "dan PSI fitur per bulan.",
    **_COMMON,
)
def pemantauan(context: dg.AssetExecutionContext, storage: KinerjaStorage):
    from models import monitoring as pantau

    ringkas = pantau.write(storage.data, _kebenaran(storage))
    context.log.info(ringkas["pesan"])
    return dg.MaterializeResult(
        metadata={
            "pesan": ringkas["pesan"],
            "berkas": dg.MetadataValue.path(str(path(storage.data, pantau.NAMA))),
            "sorotan": len(ringkas.get("sorotan", [])),
        }
    )


model_assets: list = [model_anomali, skor_anomali, model_peringatan, skor_peringatan, pemantauan]
