"""Dagster sensors that send alerts (``quality.alerts``) for failed checks and failed runs.

Two run-status sensors (Dagster 1.13 ``run_failure_sensor`` / ``run_status_sensor``), both
running by default under ``dagster dev`` / the daemon:
- ``alert_run_gagal``: a run failed -> one alert per failed asset check of the run (a blocking
  ERROR check fails the run) plus one alert for the run itself when a step failed for another
  reason (ingest error, dbt error, missing file);
- ``alert_cek_gagal``: a run succeeded -> one alert per failed check of the run (WARN, or the
  per-period ERROR check ``tanpa_temuan_error``, whose months the run did not publish).

Alerts are de-duplicated by ``quality.alerts.send_alert``; the in-process pipeline
(``kinerja run``), which has no daemon, calls ``send_run_alerts(run_id)`` itself.
"""

from __future__ import annotations

import re

import dagster as dg

from orchestration.core.months import PARTITION, RANGE_END, RANGE_START
from orchestration.core.paths import DataDir
from quality.alerts import Alert, AlertRecord, send_alert
from quality.config import AlertConfig
from quality.outcome import ERROR, WARN, fingerprint_of

CHECK_FAILED_ERROR = "DagsterAssetCheckFailedError"
DBT_ERRORS = "Errors parsed from dbt logs:"
MAX_ERROR_CHARS = 400


def _value(entry) -> object:
    return getattr(entry, "value", getattr(entry, "text", entry))


def run_periods(run: dg.DagsterRun | None) -> str | None:
    if run is None:
        return None
    tags = run.tags or {}
    start, end = tags.get(RANGE_START), tags.get(RANGE_END)
    if start and end:
        return start if start == end else f"{start}..{end}"
    return tags.get(PARTITION)


def _first_line(text: str | None) -> str:
    lines = (text or "").strip().splitlines()
    return lines[0] if lines else "kesalahan tidak dikenal"


def _error_text(error) -> str:
    """The root cause under Dagster's wrappers (retries, step errors), on one line."""
    while getattr(error, "cause", None) is not None:
        error = error.cause
    if error is None:
        return "kesalahan tidak dikenal"
    message = (error.message or "").strip()
    if DBT_ERRORS in message:  # dbt: the failing model/test, not the command line
        message = message.split(DBT_ERRORS, 1)[1]
    message = " ".join(message.split())
    message = re.sub(r"^[\w.]*(Error|Exception|Failure)\w*:\s*", "", message)
    name = getattr(error, "cls_name", None) or ""
    text = message if name in ("", "Failure") else f"{name}: {message}"
    return (text or "kesalahan tidak dikenal")[:MAX_ERROR_CHARS]


def _is_check_failure(error) -> bool:
    while error is not None:
        if getattr(error, "cls_name", None) == CHECK_FAILED_ERROR:
            return True
        error = getattr(error, "cause", None)
    return False


def alerts_for_run(
    run_id: str, instance: dg.DagsterInstance, config: AlertConfig | None = None
) -> list[Alert]:
    """The alerts a finished run calls for: failed checks, and the run if a step broke."""
    config = config or AlertConfig.load()
    run = instance.get_run_by_id(run_id)
    job = run.job_name if run else None
    range_text = run_periods(run)
    kinds = {
        dg.DagsterEventType.ASSET_CHECK_EVALUATION,
        dg.DagsterEventType.STEP_FAILURE,
        dg.DagsterEventType.RUN_FAILURE,
    }
    records = instance.get_records_for_run(run_id, of_type=kinds).records
    alerts: list[Alert] = []
    step_failures: list[tuple[str, str]] = []
    run_failure: str | None = None
    for record in records:
        event = record.event_log_entry.dagster_event
        if event is None:
            continue
        if event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            if evaluation.passed:
                continue
            severity = ERROR if evaluation.severity == dg.AssetCheckSeverity.ERROR else WARN
            if severity == WARN and not config.send_warn:
                continue
            alerts.append(_check_alert(evaluation, severity, run_id, job, range_text))
        elif event.event_type == dg.DagsterEventType.STEP_FAILURE:
            error = event.step_failure_data.error if event.step_failure_data else None
            if _is_check_failure(error):
                continue  # explained by the failed blocking check's own alert
            message = _error_text(error) if error else _first_line(record.event_log_entry.message)
            step_failures.append((event.step_key or "-", message))
        elif event.event_type == dg.DagsterEventType.RUN_FAILURE:
            run_failure = _first_line(record.event_log_entry.message or event.message)
    failed_run = run is not None and run.status == dg.DagsterRunStatus.FAILURE
    if step_failures or (failed_run and not alerts and run_failure):
        if step_failures:
            step, message = step_failures[0]
            what = f"Langkah {step} gagal: {message}"
            if len(step_failures) > 1:
                what += f" (dan {len(step_failures) - 1} langkah lain)"
        else:
            what = f"Run gagal: {run_failure}"
        alerts.append(
            Alert(
                severity=ERROR,
                what=what,
                periode=range_text,
                run_id=run_id,
                job=job,
                places=tuple(f"langkah {s}: {m}" for s, m in step_failures),
                fingerprint=fingerprint_of([job, range_text, step_failures or run_failure]),
            )
        )
    return alerts


def _check_alert(evaluation, severity: str, run_id: str, job: str | None, range_text) -> Alert:
    md = {k: _value(v) for k, v in (evaluation.metadata or {}).items()}
    asset = evaluation.asset_key.to_user_string()
    periode = str(md.get("periode_gagal") or md.get("periode") or range_text or "") or None
    n_failed = md.get("n_gagal", md.get("dagster_dbt/failed_row_count"))
    description = evaluation.description or f"Cek {evaluation.check_name} pada {asset} gagal."
    fingerprint = str(md.get("sidik_jari") or "") or fingerprint_of(
        [evaluation.check_name, asset, periode, description, n_failed]
    )
    return Alert(
        severity=severity,
        what=description,
        periode=periode,
        check_name=evaluation.check_name,
        asset=asset,
        n_failed=int(n_failed) if isinstance(n_failed, int | float) else None,
        kode_opd=tuple(k.strip() for k in str(md.get("kode_opd") or "").split(",") if k.strip()),
        places=tuple(line for line in str(md.get("lokasi") or "").splitlines() if line.strip()),
        fingerprint=fingerprint,
        run_id=run_id,
        job=job,
    )


def send_run_alerts(
    run_id: str,
    instance: dg.DagsterInstance | None = None,
    data: DataDir | None = None,
    config: AlertConfig | None = None,
) -> list[AlertRecord]:
    """Send (de-duplicated) every alert of a finished run; callable without a daemon."""
    instance = instance or dg.DagsterInstance.get()
    config = config or AlertConfig.load()
    data = data or DataDir.resolve()
    return [send_alert(a, data, config) for a in alerts_for_run(run_id, instance, config)]


def _summary(records: list[AlertRecord]) -> str:
    if not records:
        return "tidak ada yang perlu dikirim"
    counts: dict[str, int] = {}
    for r in records:
        counts[r.status] = counts.get(r.status, 0) + 1
    return ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))


def alert_sensors() -> list[dg.SensorDefinition]:
    """``alert_run_gagal`` and ``alert_cek_gagal`` (monitor every job of this code location)."""

    @dg.run_failure_sensor(
        name="alert_run_gagal",
        description="Kirim alert untuk run yang gagal dan setiap cek mutu yang gagal di run itu.",
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def alert_run_gagal(context):
        records = send_run_alerts(context.dagster_run.run_id, context.instance)
        context.log.info(f"Alert run {context.dagster_run.run_id}: {_summary(records)}")

    @dg.run_status_sensor(
        run_status=dg.DagsterRunStatus.SUCCESS,
        name="alert_cek_gagal",
        description=(
            "Kirim alert untuk cek mutu yang gagal di run yang berhasil (WARN, atau periode "
            "yang diblokir temuan ERROR)."
        ),
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
    )
    def alert_cek_gagal(context):
        records = send_run_alerts(context.dagster_run.run_id, context.instance)
        context.log.info(f"Alert run {context.dagster_run.run_id}: {_summary(records)}")

    return [alert_run_gagal, alert_cek_gagal]
