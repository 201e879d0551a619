"""Landing-folder sensor and the monthly schedule."""

import dagster as dg

from orchestration.core.months import (
    RANGE_END,
    RANGE_START,
    next_month,
    plan_months,
    previous_month,
)
from orchestration.core.published import night_shifts_into
from orchestration.export_folder import discover
from orchestration.file_registry import loaded_kinds, pending_periods, rejected_kinds
from orchestration.resources import KinerjaStorage

JOB_NAME = "tpp_bulanan"
MODEL_JOB_NAME = "model_bulanan"
MASTER_JOB_NAME = "master_pegawai"  # master-only (reference) months: ingest, no TPP


@dg.sensor(
    job_name=JOB_NAME, minimum_interval_seconds=60, default_status=dg.DefaultSensorStatus.STOPPED
)
def ekspor_baru(context: dg.SensorEvaluationContext, storage: KinerjaStorage):
    """Request a run for every payroll month whose export files are new or changed (by SHA-256).

    A new master-only month (reference data) requests the month after it when that one is a
    payroll month (its transfers read the master); an incomplete month is logged and waits for
    its files (``orchestration.core.months``).
    """
    if not storage.exports.is_dir():
        return dg.SkipReason(f"Folder ekspor {storage.exports} tidak ada.")
    found = discover(storage.exports)
    pending = pending_periods(storage.data, found)
    if not pending:
        return dg.SkipReason("Tidak ada file ekspor baru.")
    plan = plan_months(found, loaded_kinds(storage.data), rejected_kinds(storage.data, found))
    for line in plan.incomplete_lines():
        context.log.warning(line)
    keys: dict[str, list[str]] = {}  # payroll month -> the new files that ask for it
    for periode, fingerprint in sorted(pending.items()):
        target = next_month(periode) if periode in plan.reference else periode
        if target in plan.payroll:
            keys.setdefault(target, []).append(f"{periode}:{fingerprint}")
    waiting = set(night_shifts_into(storage.data, sorted(keys))) & set(plan.payroll)
    for target, parts in sorted(keys.items()):
        # run_key = the files' hashes: the same bytes never trigger twice
        before = previous_month(target)
        if before in waiting:  # its night shift's check-out is in this month's file (jadwal.md §4)
            yield dg.RunRequest(
                run_key="+".join(parts), tags={RANGE_START: before, RANGE_END: target}
            )
        else:
            yield dg.RunRequest(run_key="+".join(parts), partition_key=target)


def monthly_schedule(job):
    """Month M runs on the 6th of M+1 at 02:00 WITA, after exports close on the 5th."""
    return dg.build_schedule_from_partitioned_job(
        job, day_of_month=6, hour_of_day=2, minute_of_hour=0, name="tpp_bulanan_terjadwal"
    )


def model_schedule(job):
    """The models train and score for month M on the 6th of M+1 at 05:00 WITA, after the TPP."""
    return dg.build_schedule_from_partitioned_job(
        job, day_of_month=6, hour_of_day=5, minute_of_hour=0, name="model_bulanan_terjadwal"
    )
