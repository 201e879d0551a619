"""``kinerja run``: the whole asset graph in-process through Dagster, recorded in DATA/dagster.

Why this module decides which months to run itself, beside Dagster's own data versions and the
sensor: the decision (new or corrected export files from the registry's hashes, a changed dbt
project from ``project_fingerprint``, a month whose night shifts end in a month with new files)
must be taken before Dagster and dbt are imported, so that a rerun with nothing new answers in
well under a second as an operator waits for it (issue 21: about 6 s of the old no-op were
imports). Dagster still runs, retries and records every asset of the months chosen here, and the
sensor (``orchestration.sensors``) asks the same questions of the same registry through the same
functions (``file_registry.pending_periods``, ``published.night_shifts_into``), so there is one
notion of "what changed" with two callers, not two implementations.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stdout
from dataclasses import dataclass, field, replace
from pathlib import Path

from orchestration.core.formatting import WITA, jam_wita
from orchestration.core.months import (
    RANGE_END,
    RANGE_START,
    MonthPlan,
    month_index,
    months_between,
    next_month,
)
from orchestration.core.paths import PROJECT_ROOT, TRANSFORMS_DIR, DataDir


class RunError(RuntimeError):
    """A run that did not succeed; the message is one line for people."""


@dataclass(frozen=True)
class RunSummary:
    periods: list[str]
    run_ids: list[str]
    seconds: float
    noop: bool = False
    plan: MonthPlan | None = None  # payroll, reference and incomplete months of the folder
    # computed but not published, with the finding that blocks each (sources.md: an ERROR
    # finding blocks its period until the source is corrected; the other periods go on)
    blocked: dict[str, str] = field(default_factory=dict)


def project_fingerprint() -> str:
    """Hash of everything besides the exports that decides the result: the dbt project
    (models, rulebook and calendar seeds, macros, tests) and the quality configuration."""
    digest = hashlib.sha256()
    roots = [TRANSFORMS_DIR / d for d in ("models", "seeds", "macros", "tests")]
    files = [TRANSFORMS_DIR / "dbt_project.yml", PROJECT_ROOT / "quality" / "config.toml"]
    for path in sorted(
        files + [p for r in roots if r.is_dir() for p in r.rglob("*") if p.is_file()]
    ):
        if path.is_file():
            digest.update(str(path.relative_to(PROJECT_ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _state_file(data: DataDir) -> Path:
    return data.root / "run_state.json"


def _read_state(data: DataDir) -> dict[str, str]:
    """What the last finished run vouches for: ``project`` (every payroll month of the folder
    was computed with this dbt project) and ``uji_unit`` (the dbt unit tests passed)."""
    path = _state_file(data)
    return json.loads(path.read_text()) if path.exists() else {}


def _periods_to_run(data: DataDir, periods: list[str], fingerprint: str, scanned) -> list[str]:
    """The periods a run must compute; none when nothing is new (the rerun is a no-op).

    All of them when the dbt project or the quality configuration changed, when no run has
    finished yet or nothing is published. Otherwise only the periods whose export files are
    new or changed, the month after each of them (its transfers read that month's master, a
    shift starting before 04:00 on its first day that month's last evening of taps), and
    any period not published yet: the other periods would come out the same, and publishing
    carries them over from the current snapshot. ``scanned``: the folder's ``export_folder.discover``.
    """
    from orchestration.core.published import current_snapshot
    from orchestration.file_registry import pending_periods

    if _read_state(data).get("project") != fingerprint:
        return periods
    snapshot = current_snapshot(data)
    if snapshot is None or not data.warehouse.exists():
        return periods
    pending = set(pending_periods(data, scanned))
    following = {next_month(p) for p in pending}
    unpublished = set(periods) - set(snapshot.periods)
    return sorted((pending | following | unpublished) & set(periods))


def unit_test_key(fingerprint: str) -> str:
    """What a pass of the dbt unit tests vouches for: this dbt project (``fingerprint``) on this
    engine and these versions of dbt and DuckDB. The unit tests read fixtures, not the data."""
    from importlib.metadata import version

    parts = [fingerprint, os.environ.get("KINERJA_ENGINE", "duckdb")]
    parts += [version(p) for p in ("dbt-core", "dbt-duckdb", "duckdb")]
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


# Passes of the dbt unit tests on this machine, one empty file per ``unit_test_key``, next to
# the project's manifest: a new data directory does not prove the same rules on the same
# fixtures again (~10 s); a changed project, engine or dbt/DuckDB version has a new key.
UNIT_TESTS_PASSED = TRANSFORMS_DIR / "target" / "unit_tests_passed"


def unit_tests_passed(key: str, state: dict[str, str]) -> bool:
    """Whether the dbt unit tests of ``key`` passed here: in this data directory's last run
    (``state``) or in any run on this machine."""
    return state.get("uji_unit") == key or (UNIT_TESTS_PASSED / key).exists()


def _record_unit_tests_passed(key: str) -> None:
    UNIT_TESTS_PASSED.mkdir(parents=True, exist_ok=True)
    (UNIT_TESTS_PASSED / key).touch()


def contiguous_ranges(periods: list[str]) -> list[tuple[str, str]]:
    """['2025-01','2025-02','2025-04'] -> [('2025-01','2025-02'), ('2025-04','2025-04')]."""
    ranges: list[tuple[str, str]] = []
    for p in sorted(set(periods)):
        if ranges and month_index(p) == month_index(ranges[-1][1]) + 1:
            ranges[-1] = (ranges[-1][0], p)
        else:
            ranges.append((p, p))
    return ranges


@contextmanager
def exclusive(data: DataDir) -> Iterator[None]:
    """One pipeline at a time per data directory; a second one fails at once, clearly."""
    data.root.mkdir(parents=True, exist_ok=True)
    with open(data.root / ".pipeline.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise RunError(
                f"Pipeline lain sedang berjalan pada {data.root}; coba lagi nanti."
            ) from None
        yield


def prepare_environment(exports: Path, data: DataDir) -> None:
    """Point Dagster, dbt and the resources at these folders."""
    os.environ["KINERJA_EXPORTS"] = str(exports.resolve())
    os.environ["KINERJA_DATA"] = str(data.root)
    from orchestration.event_log import write_instance_yaml

    write_instance_yaml(data.dagster_home)
    os.environ["DAGSTER_HOME"] = str(data.dagster_home)


# dagster-dbt's info lines about the command it runs (English, for developers): run log only
_LIBRARY_NOTICES = (
    "Running dbt command",
    "Finished dbt command",
    "A dbt subsetted execution is not being performed",
    "Copying `",  # dagster-dbt reusing the project's partial parse
)
# Dagster's note on a step it skips because a step before it failed
_SKIPPED = re.compile(r"Dependencies for step .* (failed|were not executed): \[?'?([^\]']*)")


class _ProgressHandler(logging.Handler):
    """Prints one short line per step and per message from our own assets."""

    def __init__(self, log) -> None:
        super().__init__()
        self._log = log  # the run log: the same lines, and every failure with its traceback
        self._built: set[str] = set()  # one line per asset, not per partition

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is not None and event.event_type_value in ("STEP_FAILURE", "STEP_UP_FOR_RETRY"):
            error = event.event_specific_data.error
            if error is not None:
                print(f"[{step}] {event.event_type_value}:\n{error.to_string()}", file=self._log)
        if event is None:
            if record.levelno < logging.INFO:
                return
            text = meta.get("orig_message") or record.getMessage()
            if text.startswith(_LIBRARY_NOTICES):  # dagster-dbt's notes on its own command
                print(f"[{step}] {text}", file=self._log, flush=True)
                return
            if match := _SKIPPED.match(text):
                sebab = "gagal" if match[1] == "failed" else "tidak dijalankan"
                text = f"dilewati: langkah sebelumnya {sebab} ({match[2]})"
        elif event.event_type_value in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE"):
            label = {"STEP_START": "mulai", "STEP_SUCCESS": "selesai"}
            kind = event.event_type_value
            text = label.get(kind) or f"GAGAL: {failure_cause(event)}"
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            asset = event.asset_key.to_user_string()
            if asset in self._built:
                return
            self._built.add(asset)
            text = f"{asset} dibangun"
        elif event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if evaluation.passed:
                return
            hasil = "GAGAL" if evaluation.severity.value == "ERROR" else "PERINGATAN"
            text = (
                f"cek {evaluation.check_name} pada {evaluation.asset_key.to_user_string()}: {hasil}"
            )
        else:
            return
        line = f"[{jam_wita()} WITA] {step}: {text}"
        print(line, file=sys.stderr, flush=True)
        print(line, file=self._log, flush=True)


def month_plan(found, data: DataDir) -> MonthPlan:
    """Payroll, reference and incomplete months of the export folder (``orchestration.core.months``);
    ``found``: the folder's ``export_folder.discover``."""
    from orchestration.core.months import plan_months
    from orchestration.export_folder import ignored_lines
    from orchestration.file_registry import loaded_kinds, rejected_corrections, rejected_kinds

    plan = plan_months(found, loaded_kinds(data), rejected_kinds(data, found))
    return replace(
        plan,
        ignored=tuple(ignored_lines(found)),
        rejected_kept=tuple(rejected_corrections(data, found)),
    )


def _requested(plan: MonthPlan, periode: str | None, exports: Path) -> tuple[list[str], list[str]]:
    """(payroll months, reference months) a run over ``exports`` is asked for."""
    if periode is None:
        if not plan.payroll and not plan.reference:
            lines = plan.incomplete_lines() + plan.before_first_lines()
            lines = lines or [f"Tidak ada file ekspor di {exports}."]
            raise RunError(" ".join([*lines, *plan.ignored]))
        return plan.payroll, plan.reference
    if periode in plan.before_first:
        raise RunError(" ".join(replace(plan, before_first=[periode]).before_first_lines()))
    if periode in plan.incomplete:
        raise RunError(
            " ".join(MonthPlan([], [], {periode: plan.incomplete[periode]}).incomplete_lines())
        )
    if periode in plan.reference:
        return [], [periode]
    if periode in plan.payroll:
        return [periode], []
    raise RunError(f"Tidak ada file ekspor untuk periode {periode} di {exports}.")


def run_pipeline(
    exports: Path,
    data: DataDir,
    periode: str | None = None,
    force: bool = False,
    with_models: bool = False,
) -> RunSummary:
    """Ingest, transform and check the payroll months found in ``exports`` (or just ``periode``).

    Months are judged by ``orchestration.core.months``: payroll months are computed and published;
    a master-only month is reference data, ingested by its own small job (and as the previous
    snapshot of the month after it); an incomplete month is reported and left out, and never
    stops the complete ones. Only the periods with something new are computed (see
    ``_periods_to_run``); a rerun with nothing new (same files, same dbt project, all published)
    does nothing. ``force`` computes every period. ``with_models`` computes every period and then
    trains and scores the models.
    """
    import warnings

    from orchestration.core.published import night_shifts_into
    from orchestration.export_folder import discover
    from orchestration.file_registry import pending_periods, rejected_corrections

    started = time.perf_counter()
    if not exports.is_dir():
        raise RunError(f"Folder ekspor {exports} tidak ada.")
    scanned = discover(exports)  # the one scan of the folder before the run
    plan = month_plan(scanned, data)
    found, reference = _requested(plan, periode, exports)
    periods = found

    # a no-op is decided before Dagster and dbt are imported (seconds of a waiting user)
    fingerprint = project_fingerprint()
    if not force and not with_models:
        periods = _periods_to_run(data, periods, fingerprint, scanned) if periods else []
        # a month whose night shifts end in these months (their check-outs are in these months'
        # files; its own files still in the folder) is computed with them
        periods = sorted(set(periods) | (set(night_shifts_into(data, periods)) & set(plan.payroll)))
        pending = pending_periods(data, scanned) if reference else {}
        reference = [p for p in reference if p in pending]
        if not periods and not reference:
            return RunSummary(found, [], time.perf_counter() - started, noop=True, plan=plan)

    import dagster as dg

    from orchestration.assets.transforms import UNIT_TESTS_TAG
    from orchestration.definitions import build_definitions
    from orchestration.sensors import JOB_NAME, MASTER_JOB_NAME, MODEL_JOB_NAME

    prepare_environment(exports, data)
    # the dbt unit tests run once per version of the dbt project, not in every run
    unit_key = unit_test_key(fingerprint)
    state = _read_state(data)
    unit_tests = "false" if unit_tests_passed(unit_key, state) else "true"
    log_dir = data.root / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"run-{dt.datetime.now(WITA):%Y%m%d-%H%M%S}.log"  # WITA, as snapshots
    run_ids = []
    # dbt's own output goes to the run log; the console gets one progress line per step, and the
    # run log gets the same lines plus every failure with its traceback
    with (
        exclusive(data),
        open(log_path, "w") as log,
        redirect_stdout(log),
        warnings.catch_warnings(),
    ):
        # Dagster's beta notices (backfill_policy ...) mean nothing to an operator
        warnings.simplefilter("ignore", dg.BetaWarning)
        warnings.simplefilter("ignore", dg.PreviewWarning)
        # From here on the raw zone and the warehouse may change. Until this run finishes, the
        # last run's "up to date" record no longer holds: a run killed after ingesting a new
        # file must not turn the next run into a no-op that never publishes that file.
        _state_file(data).unlink(missing_ok=True)
        defs = build_definitions()
        instance = dg.DagsterInstance.get()

        @dg.logger
        def progress(_init_context):
            logger = logging.getLogger("kinerja.progress")
            logger.handlers = [_ProgressHandler(log)]
            logger.setLevel(logging.DEBUG)
            logger.propagate = False
            return logger

        jobs = _Jobs(
            defs, progress, instance, data, {UNIT_TESTS_TAG: unit_tests}, log, log_path, run_ids
        )
        for start, end in contiguous_ranges(reference):
            if reason := jobs.run(MASTER_JOB_NAME, start, end):
                raise RunError(f"{reason} (log: {log_path})")
        ranges = contiguous_ranges(periods)
        while ranges:
            start, end = ranges.pop(0)
            if not (reason := jobs.run(JOB_NAME, start, end)):
                continue
            # a required file rejected on ingest makes its month incomplete: the complete months
            # of the range go on without it (the new plan reports it)
            plan = month_plan(scanned, data)  # same files, new registry state
            window = months_between(start, end)
            dropped = [p for p in window if p in plan.incomplete]
            if not dropped or periode is not None:  # a month asked for by name must not vanish
                raise RunError(f"{reason} (log: {log_path})")
            periods = [p for p in periods if p not in dropped]
            ranges[:0] = contiguous_ranges([p for p in window if p not in dropped])
        if periods:  # dbt ran, its unit tests with it when they had not passed yet
            state["uji_unit"] = unit_key
            _record_unit_tests_passed(unit_key)
        # every payroll month of the folder is now up to date; a blocked one is not (the next
        # run computes the folder again and reports it again, until its source is corrected)
        if periode is None and not jobs.blocked:
            state["project"] = fingerprint
        _state_file(data).write_text(json.dumps(state))
        published = [p for p in periods if p not in jobs.blocked]
        for start, end in contiguous_ranges(published) if with_models else []:
            if reason := jobs.run(MODEL_JOB_NAME, start, end):
                raise RunError(f"{reason} (log: {log_path})")
    seconds = time.perf_counter() - started
    # what this run's ingest rejected is in the registry now
    plan = replace(plan, rejected_kept=tuple(rejected_corrections(data, scanned)))
    return RunSummary(
        periods, run_ids, seconds, plan=plan, blocked=dict(sorted(jobs.blocked.items()))
    )


@dataclass
class _Jobs:
    """Runs the jobs of one ``kinerja run`` over period ranges, in-process, into one run log."""

    defs: object
    progress: object
    instance: object
    data: DataDir
    tags: dict[str, str]
    log: object
    log_path: Path
    run_ids: list[str]
    blocked: dict[str, str] = field(default_factory=dict)  # periode -> why (``blocked_periods``)

    def run(self, name: str, start: str, end: str) -> str | None:
        """``None`` when the job succeeded over ``start..end``, else the reason (also logged)."""
        job = self.defs.resolve_job_def(name).with_logger_defs({"progress": self.progress})
        result = job.execute_in_process(
            instance=self.instance,
            tags={RANGE_START: start, RANGE_END: end, **self.tags},
            run_config={"loggers": {"progress": {}}},
            raise_on_error=False,
        )
        self.run_ids.append(result.run_id)
        _send_alerts(result.run_id, self.instance, self.data)
        if result.success:
            self.blocked.update(blocked_periods(result))
            return None
        self.log.flush()
        reason = _failure_reason(result, start, end, self.log_path)
        print(f"GAGAL: {reason}", file=self.log, flush=True)
        return reason


def _send_alerts(run_id: str, instance, data: DataDir) -> None:
    """Alerts for failed checks or a failed run (the sensors do this under a Dagster daemon)."""
    from orchestration.alerting import send_run_alerts

    try:
        send_run_alerts(run_id, instance, data)
    except Exception as error:  # alerting must never hide the run's own result
        print(f"Peringatan gagal dikirim: {error}", file=sys.stderr)


# Dagster's own wrappers around the error an asset raised: the cause inside is what people need
_WRAPPERS = ("DagsterExecutionStep", "RetryRequested", "DagsterMaxRetriesExceeded")


def failure_cause(event) -> str:
    """The message the failed step raised, never Dagster's retry or step wrapper."""
    failure = event.step_failure_data
    if failure.user_failure_data is not None and failure.user_failure_data.description:
        return failure.user_failure_data.description.strip()
    error = failure.error
    while error is not None and error.cause is not None and error.cls_name.startswith(_WRAPPERS):
        error = error.cause
    if error is None:
        return "sebab tidak diketahui"
    if error.cls_name == "DagsterAssetCheckFailedError":  # the checks' own lines say which
        return "cek bertingkat ERROR gagal (lihat baris 'GAGAL' di atas); langkah berikutnya dihentikan"
    message = (error.message or "").strip().splitlines()
    return message[0] if message else error.cls_name


def blocked_periods(result) -> dict[str, str]:
    """The periods a successful run left unpublished: those a failed per-period ERROR check
    (``CheckInfo.per_periode``) names in ``periode_gagal``, each with that check's sentence."""
    import dagster as dg

    out: dict[str, str] = {}
    for e in result.all_events:
        if e.event_type_value != "ASSET_CHECK_EVALUATION":
            continue
        check = e.event_specific_data
        if check.passed or check.severity != dg.AssetCheckSeverity.ERROR:
            continue
        meta = {k: getattr(v, "value", v) for k, v in check.metadata.items()}
        per_periode = meta.get("rincian") or {}
        for periode in filter(None, str(meta.get("periode_gagal", "")).split(", ")):
            why = (per_periode.get(periode) or {}).get("keterangan") or check.description
            out[periode] = why or f"cek {check.check_name} gagal"
    return out


def _blocking_checks(result, step_key: str) -> str:
    """The ERROR checks that failed in ``step_key``, with what each one found."""
    import dagster as dg

    failed = [
        e.event_specific_data
        for e in result.all_events
        if e.event_type_value == "ASSET_CHECK_EVALUATION"
        and e.step_key == step_key
        and not e.event_specific_data.passed
        and e.event_specific_data.severity == dg.AssetCheckSeverity.ERROR
    ]
    return "; ".join(f"cek {c.check_name}: {c.description or 'gagal'}" for c in failed)


def _failure_reason(result, start: str, end: str, log_path: Path) -> str:
    window = start if start == end else f"{start}..{end}"
    for event in result.all_events:
        if event.is_step_failure:
            detail = (
                _dbt_failures(log_path)
                or _blocking_checks(result, event.step_key)
                or failure_cause(event)
            )
            return f"Langkah {event.step_key} gagal untuk periode {window}: {detail}"
    return f"Run {result.run_id} untuk periode {window} tidak berhasil."


def _dbt_failures(log_path: Path) -> str:
    """dbt's summary lines (``Failure in test x``) from the run log, joined into one line."""
    lines = log_path.read_text(errors="replace").splitlines()
    cleaned = [
        re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in lines if "Failure in " in line
    ]
    return "; ".join(cleaned[:3]) + (f" (+{len(cleaned) - 3} lagi)" if len(cleaned) > 3 else "")
