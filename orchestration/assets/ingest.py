"""Ingest assets: one per source kind, monthly partitions, export folder -> raw zone."""

import os
from concurrent.futures import ThreadPoolExecutor

import dagster as dg

from orchestration.core.contract import KINDS
from orchestration.core.months import MASTER, REQUIRED_KINDS, previous_month
from orchestration.core.paths import DataDir
from orchestration.export_folder import Discovery, discover
from orchestration.file_registry import loaded_kinds
from orchestration.ingest import ingest_period
from orchestration.partitions import monthly
from orchestration.raw_zone import ensure_raw_zone
from orchestration.resources import KinerjaStorage

# Months of one kind are read two at a time: reading and validating a file is mostly Polars and
# numpy work that releases the GIL (a year of taps: 16.7 -> 12.9 s on 2 cores; peak RSS of the
# ingest stage 1.29 -> 1.91 GB, docs/benchmarks.md).
# Each month has its own lock, files and registry transaction; results are reported in order.
# Reading and validating a file holds ~6.5x its size in memory (2.5 GiB for the 391 MB taps of
# a 10x month), so files beyond PARALLEL_MAX_BYTES go one by one.
INGEST_THREADS = min(2, os.cpu_count() or 1)
PARALLEL_MAX_BYTES = 128 * 2**20


def ingest_threads(found: Discovery, kind: str, periods) -> int:
    """Threads for ingesting ``periods`` of ``kind``: one when any of the files is large."""
    chosen = [found[(kind, p)][0] for p in periods if found.get((kind, p))]
    sizes = [path.stat().st_size for path in chosen if path.exists()]
    return INGEST_THREADS if max(sizes, default=0) <= PARALLEL_MAX_BYTES else 1


def periods_to_ingest(data: DataDir, kind: str, periods: list[str]) -> list[str]:
    """The run's periods, and for the master also the month before them: the previous snapshot
    is an input of the month (sources.md, pegawai), ingested whatever the run's window is.
    Not when that month is itself a payroll month already loaded: its master belongs to its own
    run (a newer file for it makes that month pending, and the month after follows it)."""
    if kind != MASTER or not periods:
        return list(periods)
    before = previous_month(periods[0])
    loaded = set(loaded_kinds(data))
    if {(MASTER, before), ("absensi", before)} <= loaded:
        return list(periods)
    return [before, *periods]


def _ingest_asset(kind: str) -> dg.AssetsDefinition:
    data_key, quarantine_key = dg.AssetKey(["raw", kind]), dg.AssetKey(["raw", f"karantina_{kind}"])

    @dg.multi_asset(
        name=f"ingest_{kind}",
        specs=[
            dg.AssetSpec(data_key, description=f"Baris valid ekspor {kind}_YYYYMM (Parquet)."),
            dg.AssetSpec(quarantine_key, description=f"Baris/file {kind} yang ditolak kontrak."),
        ],
        group_name="ingest",
        partitions_def=monthly,
        backfill_policy=dg.BackfillPolicy.single_run(),
        retry_policy=dg.RetryPolicy(max_retries=1),
    )
    def _asset(context: dg.AssetExecutionContext, storage: KinerjaStorage):
        data = storage.data
        ensure_raw_zone(data)
        rows, missing = [], []
        window = context.partition_keys
        periods = periods_to_ingest(data, kind, window)
        found = discover(storage.exports)  # one scan of the folder for all the periods
        threads = ingest_threads(found, kind, periods)
        with ThreadPoolExecutor(threads, thread_name_prefix=f"ingest_{kind}") as pool:
            results = pool.map(
                lambda p: ingest_period(data, storage.exports, kind, p, found=found), periods
            )
            for periode, result in zip(periods, results, strict=True):  # in order, as they finish
                if periode not in window and result.action == "missing":
                    continue  # no previous snapshot: the transfer rows say so (WARN finding)
                context.log.info(result.message)
                if result.action != "noop":  # the file was read now: its notes once, per file
                    for note in result.notes:  # extra columns, encoding, sheet, other files
                        context.log.info(note)
                unusable = result.action == "missing" or (
                    result.action == "rejected" and result.previous_sha256 is None
                )
                if unusable and kind in REQUIRED_KINDS and periode in window:
                    missing.append(result.message if result.action == "rejected" else periode)
                rows.append(
                    {
                        "periode": periode,
                        "file": result.file or "-",
                        "aksi": result.action,
                        **{k: int(v) for k, v in result.counts.items()},
                    }
                )
        if missing:
            raise dg.Failure(
                description=(
                    f"Tidak ada berkas {kind} yang dapat dipakai ({'; '.join(missing)}): "
                    "TPP tidak dapat dihitung tanpa berkas ini."
                ),
                allow_retries=False,  # deterministic: a retry reads the same folder
            )
        totals = {
            k: sum(r.get(k, 0) for r in rows)
            for k in ("read", "loaded", "quarantined", "duplicates")
        }
        yield dg.MaterializeResult(
            asset_key=data_key,
            metadata={
                **{f"rows_{k}": v for k, v in totals.items()},
                "files": dg.MetadataValue.table([dg.TableRecord(r) for r in rows]),
            },
        )
        yield dg.MaterializeResult(
            asset_key=quarantine_key, metadata={"rows_quarantined": totals["quarantined"]}
        )

    return _asset


ingest_assets = [_ingest_asset(kind) for kind in KINDS]
