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

The five assets are one subsettable multi-asset step (``model``): the anomaly chain (train,
then score) and the early-warning chain (train, then score) do not depend on each other and run
side by side, each on a thread of its own, then ``model/pemantauan`` reads both score files.
Each asset is still materialized on its own (its own event and metadata, as soon as its part is
done), and a selection runs only its assets' parts. Why one step: Dagster's in-process executor
runs steps one after the other, and its multiprocess executor starts a process per step that
imports Dagster and the definitions again (~2-3 s each, more than a model costs); the anomaly
features keep both cores busy only while they are computed, the early warning is one core's
work. Side by side the year's model job takes ~1.3 s less (docs/benchmarks.md, eleventh round).
"""

import functools
import queue
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
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


_SPECS = [
    dg.AssetSpec(
        MODEL_ANOMALI,
        deps=[RAW["absensi"], TPP_HARIAN, TPP_BULANAN, TERBIT],
        description="Model anomali absensi (IsolationForest atas z-skor robust), versi per "
        "jendela data.",
    ),
    dg.AssetSpec(
        SKOR_ANOMALI,
        deps=[MODEL_ANOMALI, RAW["absensi"]],
        description="Skor anomali per pegawai-bulan dengan alasan "
        "(DATA/models/skor_anomali.parquet).",
    ),
    dg.AssetSpec(
        MODEL_PERINGATAN,
        deps=[TPP_BULANAN, RAW["kinerja"], TERBIT],
        description="Model peringatan dini predikat bulan berikutnya (regresi logistik), versi "
        "per jendela data, dievaluasi dengan pembagian waktu terhadap baseline.",
    ),
    dg.AssetSpec(
        SKOR_PERINGATAN,
        deps=[MODEL_PERINGATAN, TPP_BULANAN],
        description="Risiko predikat bulan berikutnya per pegawai dengan alasan "
        "(DATA/models/skor_peringatan.parquet).",
    ),
    dg.AssetSpec(
        PEMANTAUAN,
        deps=[SKOR_ANOMALI, SKOR_PERINGATAN],
        description="Keadilan dan drift kedua model (DATA/models/pemantauan.parquet + .json): "
        "porsi ditandai per jenis OPD, golongan, jenis kelamin; kelonggaran per penilai; base "
        "rate dan PSI fitur per bulan.",
    ),
]

Part = tuple[dg.AssetKey, str, dict]  # an asset done: its key, its line for the log, its metadata


def _anomaly_chain(
    storage: KinerjaStorage, periods: list[str], selected, kebenaran
) -> Iterator[Part]:
    from models import pipeline

    if MODEL_ANOMALI in selected:
        hasil = pipeline.train_anomaly(storage.data, max(periods), kebenaran=kebenaran)
        yield (
            MODEL_ANOMALI,
            hasil.pesan,
            {
                **_meta(hasil, storage, pipeline.MODEL_ANOMALI),
                **_angka(hasil.meta.get("metrik", {}), *_METRIK_ANOMALI),
            },
        )
    if SKOR_ANOMALI in selected:
        hasil = pipeline.score_anomalies(storage.data, periods, kebenaran)
        yield (
            SKOR_ANOMALI,
            hasil.pesan,
            {
                **_meta(hasil, storage, pipeline.MODEL_ANOMALI),
                "berkas": dg.MetadataValue.path(str(path(storage.data, ANOMALI))),
                **_angka(hasil.meta.get("metrik", {}), *_METRIK_ANOMALI),
            },
        )


def _warning_chain(storage: KinerjaStorage, periods: list[str], selected) -> Iterator[Part]:
    from models import pipeline

    if MODEL_PERINGATAN in selected:
        hasil = pipeline.train_warning(storage.data, max(periods))
        m, b = "model", "baseline_predikat_bulan_ini"
        yield (
            MODEL_PERINGATAN,
            hasil.pesan,
            {
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
            },
        )
    if SKOR_PERINGATAN in selected:
        hasil = pipeline.score_warning(storage.data, periods)
        yield (
            SKOR_PERINGATAN,
            hasil.pesan,
            {
                **_meta(hasil, storage, pipeline.MODEL_PERINGATAN),
                "berkas": dg.MetadataValue.path(str(path(storage.data, PERINGATAN))),
                "tinggi": int(hasil.meta.get("tinggi", 0)),
            },
        )


def _monitoring(storage: KinerjaStorage, kebenaran) -> Part:
    from models import monitoring as pantau

    ringkas = pantau.write(storage.data, kebenaran)
    meta = {
        "pesan": ringkas["pesan"],
        "berkas": dg.MetadataValue.path(str(path(storage.data, pantau.NAMA))),
        "sorotan": len(ringkas.get("sorotan", [])),
    }
    return PEMANTAUAN, ringkas["pesan"], meta


def side_by_side(chains: list[Callable[[], Iterator[Part]]]) -> Iterator[Part]:
    """The parts of every chain as each is done, each chain on a thread of its own.

    A chain that fails does not stop the others (as Dagster runs independent steps): its
    error is raised once every other chain has finished and its parts were yielded. A thread
    cannot be stopped from outside: an interrupted step waits for the running chains to end
    (seconds; every file they write is replaced atomically).
    """
    selesai = object()
    antrean: queue.Queue = queue.Queue()

    def run(chain: Callable[[], Iterator[Part]]) -> None:
        try:
            for part in chain():
                antrean.put(part)
        finally:
            antrean.put(selesai)

    with ThreadPoolExecutor(max(1, len(chains))) as pool:
        futures = [pool.submit(run, c) for c in chains]
        sisa = len(futures)
        while sisa:
            part = antrean.get()
            if part is selesai:
                sisa -= 1
            else:
                yield part
    for f in futures:
        f.result()  # the first chain's error, if any


@dg.multi_asset(name="model", specs=_SPECS, can_subset=True, **_COMMON)
def both_models(context: dg.AssetExecutionContext, storage: KinerjaStorage):
    """Both models of the run's periods: the anomaly chain (train, score) and the early-warning
    chain (train, score) side by side, then the monitoring of both; only the selected assets."""
    selected, periods = context.selected_asset_keys, context.partition_keys
    kebenaran = _kebenaran(storage)  # the simulator's ground truth, read once for the step
    chains = []
    if selected & {MODEL_ANOMALI, SKOR_ANOMALI}:
        chains.append(functools.partial(_anomaly_chain, storage, periods, selected, kebenaran))
    if selected & {MODEL_PERINGATAN, SKOR_PERINGATAN}:
        chains.append(functools.partial(_warning_chain, storage, periods, selected))

    def parts() -> Iterator[Part]:
        yield from side_by_side(chains)
        if PEMANTAUAN in selected:  # reads both score files: after both chains
            yield _monitoring(storage, kebenaran)

    for key, pesan, meta in parts():
        context.log.info(pesan)
        yield dg.MaterializeResult(asset_key=key, metadata=meta)


model_assets: list = [both_models]
