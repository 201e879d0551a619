"""``kinerja run``: the whole asset graph in-process through Dagster, recorded in DATA/dagster."""

from __future__ import annotations

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
from dataclasses import dataclass
from pathlib import Path

from orchestration.paths import PROJECT_ROOT, TRANSFORMS_DIR, DataDir

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


class RunError(RuntimeError):
    """A run that did not succeed; the message is one line for people."""


@dataclass(frozen=True)
class RunSummary:
    periods: list[str]
    run_ids: list[str]
    seconds: float
    noop: bool = False


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


def _periods_to_run(
    exports: Path, data: DataDir, periods: list[str], fingerprint: str
) -> list[str]:
    """The periods a run must compute; none when nothing is new (the rerun is a no-op).

    All of them when the dbt project or the quality configuration changed, when no run has
    finished yet or nothing is published. Otherwise only the periods whose export files are
    new or changed, the month after each of them (its transfers read that month's master), and
    any period not published yet: the other periods would come out the same, and publishing
    carries them over from the current snapshot.
    """
    from orchestration.ingest import discover, pending_periods
    from orchestration.published import current_snapshot

    state_file = _state_file(data)
    if not state_file.exists() or json.loads(state_file.read_text()).get("project") != fingerprint:
        return periods
    snapshot = current_snapshot(data)
    if snapshot is None or not data.warehouse.exists():
        return periods
    pending = set(pending_periods(data, discover(exports)))
    following = {_next_month(p) for p in pending}
    unpublished = set(periods) - set(snapshot.periods)
    return sorted((pending | following | unpublished) & set(periods))


def unit_test_key(fingerprint: str) -> str:
    """What a pass of the dbt unit tests vouches for: this dbt project (``fingerprint``) on this
    engine and these versions of dbt and DuckDB. The unit tests read fixtures, not the data."""
    from importlib.metadata import version

    parts = [fingerprint, os.environ.get("KINERJA_ENGINE", "duckdb")]
    parts += [version(p) for p in ("dbt-core", "dbt-duckdb", "duckdb")]
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def _unit_tests_passed(data: DataDir, key: str) -> bool:
    state_file = _state_file(data)
    return state_file.exists() and json.loads(state_file.read_text()).get("uji_unit") == key


def _next_month(periode: str) -> str:
    year, month = int(periode[:4]), int(periode[5:])
    return f"{year + 1}-01" if month == 12 else f"{year}-{month + 1:02d}"


def contiguous_ranges(periods: list[str]) -> list[tuple[str, str]]:
    """['2025-01','2025-02','2025-04'] -> [('2025-01','2025-02'), ('2025-04','2025-04')]."""

    def index(p: str) -> int:
        return int(p[:4]) * 12 + int(p[5:]) - 1

    ranges: list[tuple[str, str]] = []
    for p in sorted(set(periods)):
        if ranges and index(p) == index(ranges[-1][1]) + 1:
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


class _ProgressHandler(logging.Handler):
    """Prints one short line per step and per message from our own assets."""

    def __init__(self) -> None:
        super().__init__()
        self._built: set[str] = set()  # one line per asset, not per partition

    def emit(self, record: logging.LogRecord) -> None:
        meta = getattr(record, "dagster_meta", None) or {}
        event = meta.get("dagster_event")
        step = meta.get("step_key") or ""
        if event is None:
            if record.levelno < logging.INFO:
                return
            text = meta.get("orig_message") or record.getMessage()
        elif event.event_type_value in ("STEP_START", "STEP_SUCCESS", "STEP_FAILURE"):
            label = {"STEP_START": "mulai", "STEP_SUCCESS": "selesai", "STEP_FAILURE": "GAGAL"}
            text = label[event.event_type_value]
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
            text = f"cek {evaluation.check_name} pada {evaluation.asset_key.to_user_string()} GAGAL"
        else:
            return
        print(f"[{time.strftime('%H:%M:%S')}] {step}: {text}", file=sys.stderr, flush=True)


def run_pipeline(
    exports: Path,
    data: DataDir,
    periode: str | None = None,
    force: bool = False,
    with_models: bool = False,
) -> RunSummary:
    """Ingest, transform and check the periods found in ``exports`` (or just ``periode``).

    Only the periods with something new are computed (see ``_periods_to_run``); a rerun with
    nothing new (same files, same dbt project, all published) does nothing. ``force`` computes
    every period. ``with_models`` computes every period and then trains and scores the models.
    """
    import dagster as dg

    from orchestration.assets.transforms import UNIT_TESTS_TAG
    from orchestration.definitions import build_definitions
    from orchestration.ingest import discover
    from orchestration.sensors import JOB_NAME, MODEL_JOB_NAME

    started = time.perf_counter()
    if not exports.is_dir():
        raise RunError(f"Folder ekspor {exports} tidak ada.")
    periods = sorted({p for (_, p) in discover(exports)})
    if periode:
        periods = [p for p in periods if p == periode]
    if not periods:
        which = f" untuk periode {periode}" if periode else ""
        raise RunError(f"Tidak ada file ekspor{which} di {exports}.")
    found = periods

    prepare_environment(exports, data)
    fingerprint = project_fingerprint()
    if not force and not with_models:
        periods = _periods_to_run(exports, data, periods, fingerprint)
        if not periods:
            return RunSummary(found, [], time.perf_counter() - started, noop=True)
    # the dbt unit tests run once per version of the dbt project, not in every run
    unit_key = unit_test_key(fingerprint)
    unit_tests = "false" if _unit_tests_passed(data, unit_key) else "true"
    log_dir = data.root / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"run-{time.strftime('%Y%m%d-%H%M%S')}.log"
    run_ids = []
    # dbt's own output goes to the run log; the console gets one progress line per step
    with (
        exclusive(data),
        open(log_path, "w") as log,
        redirect_stdout(log),
    ):
        # From here on the raw zone and the warehouse may change. Until this run finishes, the
        # last run's "up to date" record no longer holds: a run killed after ingesting a new
        # file must not turn the next run into a no-op that never publishes that file.
        _state_file(data).unlink(missing_ok=True)
        defs = build_definitions()
        instance = dg.DagsterInstance.get()

        @dg.logger
        def progress(_init_context):
            logger = logging.getLogger("kinerja.progress")
            logger.handlers = [_ProgressHandler()]
            logger.setLevel(logging.DEBUG)
            logger.propagate = False
            return logger

        jobs = [JOB_NAME, MODEL_JOB_NAME] if with_models else [JOB_NAME]
        for job in (defs.resolve_job_def(n).with_logger_defs({"progress": progress}) for n in jobs):
            for start, end in contiguous_ranges(periods):
                result = job.execute_in_process(
                    instance=instance,
                    tags={RANGE_START: start, RANGE_END: end, UNIT_TESTS_TAG: unit_tests},
                    run_config={"loggers": {"progress": {}}},
                    raise_on_error=False,
                )
                run_ids.append(result.run_id)
                _send_alerts(result.run_id, instance, data)
                if not result.success:
                    log.flush()
                    reason = _failure_reason(result, start, end, log_path)
                    raise RunError(f"{reason} (log: {log_path})")
            if job.name == JOB_NAME:
                state = {"project": fingerprint, "uji_unit": unit_key}
                _state_file(data).write_text(json.dumps(state))
    return RunSummary(periods, run_ids, time.perf_counter() - started)


def _send_alerts(run_id: str, instance, data: DataDir) -> None:
    """Alerts for failed checks or a failed run (the sensors do this under a Dagster daemon)."""
    from orchestration.alerting import send_run_alerts

    try:
        send_run_alerts(run_id, instance, data)
    except Exception as error:  # alerting must never hide the run's own result
        print(f"Peringatan gagal dikirim: {error}", file=sys.stderr)


def _failure_reason(result, start: str, end: str, log_path: Path) -> str:
    for event in result.all_events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            while error.cause is not None and error.cls_name.startswith("DagsterExecutionStep"):
                error = error.cause
            detail = _dbt_failures(log_path) or (error.message or "").strip().splitlines()[0]
            return f"Langkah {event.step_key} gagal untuk {start}..{end}: {detail}"
    return f"Run {result.run_id} untuk {start}..{end} tidak berhasil."


def _dbt_failures(log_path: Path) -> str:
    """dbt's summary lines (``Failure in test x``) from the run log, joined into one line."""
    lines = log_path.read_text(errors="replace").splitlines()
    cleaned = [
        re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in lines if "Failure in " in line
    ]
    return "; ".join(cleaned[:3]) + (f" (+{len(cleaned) - 3} lagi)" if len(cleaned) > 3 else "")
