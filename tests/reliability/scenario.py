"""The pipeline scenario: ``kinerja run`` subprocesses on one data directory, killed and raced,
with readers on the published data the whole time. Run once per test session (see conftest);
every observation is written to ``result.json`` for the tests to judge.

Steps (E = the E2E month of ``month.py``, D = one data directory):

1. ``run``          - ``kinerja run`` uninterrupted: the reference (published parquet sha256s).
2. ``kill_dbt``     - ``kinerja run --paksa`` SIGKILLed (whole process group: kinerja and the
                      dbt child) once dbt has built a model in the warehouse.
3. ``kill_publish`` - ``kinerja run`` (no flag: a killed run leaves no state, so it must run)
                      while the test holds ``published/.publish.lock``: the run's publish step
                      waits on it. The test then lets the run go in slices of a few ms
                      (SIGCONT ... SIGSTOP) until the hidden ``snapshots/.tmp-*`` folder holds
                      written Parquet, and SIGKILLs it there: mid-publish, deterministically,
                      without any hook in production code.
4. ``race``         - two ``kinerja run --paksa`` started at once (after both kills: stale lock
                      file, half-built warehouse, leftover ``.tmp``): one must fail with
                      "Pipeline lain sedang berjalan" and exit code 1, the other succeed.

Readers: three threads in this process and one separate process, from before step 1 to after
step 4, each checking every read against its manifest.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import asdict
from pathlib import Path

from orchestration.core.paths import PROJECT_ROOT, DataDir
from orchestration.core.published import resolve_current, snapshots_dir

from . import probe
from .month import build_month

RUN_TIMEOUT = 1800  # one kinerja run on a loaded 2-core machine takes 0.5-3 min; bounded anyway
PROBE = Path(probe.__file__)


def kinerja_command() -> list[str]:
    script = Path(sys.executable).parent / "kinerja"
    return [str(script)] if script.exists() else [sys.executable, "-m", "orchestration.cli"]


class Run:
    """One ``kinerja run`` subprocess in its own process group, output in files."""

    def __init__(self, name: str, exports: Path, data: DataDir, logs: Path, *flags: str) -> None:
        self.name = name
        self.out, self.err = logs / f"{name}.out", logs / f"{name}.err"
        cmd = [*kinerja_command(), "run", "--exports", str(exports), "--data", str(data.root)]
        self.started = time.time()
        with open(self.out, "wb") as out, open(self.err, "wb") as err:
            self.proc = subprocess.Popen(
                [*cmd, *flags],
                cwd=PROJECT_ROOT,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own process group: kinerja, dbt, log tailers
            )
        self.pgid = self.proc.pid
        self.ended: float | None = None

    def stderr(self) -> str:
        return self.err.read_text(errors="replace")

    def wait_for(self, needle: str, timeout: float = RUN_TIMEOUT) -> None:
        """Until a progress line contains ``needle`` (the run must still be alive)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.stderr():
                return
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"{self.name} ended (rc {self.proc.returncode}) before '{needle}':\n"
                    + self.stderr()[-3000:]
                )
            time.sleep(0.05)
        raise AssertionError(f"{self.name}: no '{needle}' within {timeout} s")

    def finish(self, timeout: float = RUN_TIMEOUT) -> dict:
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise
        self.ended = self.ended or time.time()
        return self.summary(rc)

    def kill(self) -> None:
        """SIGKILL the whole process group and wait until no process of it is left."""
        os.killpg(self.pgid, signal.SIGKILL)
        self.proc.wait(60)
        self.ended = time.time()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                os.killpg(self.pgid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.1)
        raise AssertionError(f"{self.name}: processes of group {self.pgid} survived SIGKILL")

    def summary(self, rc: int | None = None) -> dict:
        err = self.stderr()
        return {
            "name": self.name,
            "rc": self.proc.returncode if rc is None else rc,
            "seconds": round((self.ended or time.time()) - self.started, 1),
            "started": self.started,
            "ended": self.ended,
            "stdout": self.out.read_text(errors="replace")[-2000:],
            "stderr_tail": err[-4000:],
            "stderr_kinerja": [line for line in err.splitlines() if line.startswith("kinerja:")],
        }


def published_digest(data: DataDir) -> dict[str, str]:
    """relative path -> sha256 of every published Parquet file of the current snapshot."""
    root = resolve_current(data)
    if root is None:
        return {}
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.parquet"))
    }


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return "?"


def _stop(pid: int) -> None:
    os.kill(pid, signal.SIGSTOP)
    deadline = time.monotonic() + 10
    while _state(pid) not in ("T", "t", "Z", "?") and time.monotonic() < deadline:
        time.sleep(0.0005)


def _renice(pid: int) -> None:
    """Lowest CPU priority for every thread of ``pid``: its slices of run time stay short."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.setpriority(os.PRIO_PROCESS, int(task.name), 19)


def _tmp_state(data: DataDir) -> dict:
    folders = sorted(snapshots_dir(data).glob(".tmp-*"))
    files = [str(p.relative_to(f)) for f in folders for p in sorted(f.rglob("*.parquet"))]
    return {"tmp": [f.name for f in folders], "parquet": files}


def _lock_is_free(path: Path) -> bool:
    """Can this process take the flock now (nobody holds it)?"""
    with open(path, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(handle, fcntl.LOCK_UN)
        return True


def run_scenario(base: Path) -> dict:
    base.mkdir(parents=True, exist_ok=True)
    exports, data, logs = base / "ekspor", DataDir(base / "data"), base / "logs"
    logs.mkdir(exist_ok=True)
    result: dict = {
        "base": str(base),
        "data": str(data.root),
        "exports": str(exports),
        "errors": {},
        "steps": {},
    }
    t0 = time.time()
    plan = build_month(exports)
    (base / "plan.json").write_text(json.dumps(plan.to_json()))
    result["build_seconds"] = round(time.time() - t0, 1)

    stop = threading.Event()
    threads = [probe.ReaderThread(data, stop, pause=0.05) for _ in range(3)]
    for t in threads:
        t.start()
    stop_file, probe_out = base / "probe.stop", base / "probe.json"
    reader = subprocess.Popen(
        [sys.executable, str(PROBE), str(data.root), str(stop_file), str(probe_out)],
        cwd=PROJECT_ROOT,
    )
    steps = result["steps"]
    try:
        steps["run"] = _step_run(exports, data, logs, base)
        steps["kill_dbt"] = _step_kill_dbt(exports, data, logs)
        steps["kill_publish"] = _step_kill_publish(exports, data, logs)
        steps["race"] = _step_race(exports, data, logs)
    except Exception:  # noqa: BLE001 - recorded; every test then reports what is missing
        result["errors"]["scenario"] = traceback.format_exc()
    finally:
        stop.set()
        stop_file.touch()
        for t in threads:
            t.join(60)
        try:
            reader.wait(120)
        except subprocess.TimeoutExpired:
            reader.kill()
        stats = probe.Stats()
        for t in threads:
            stats.merge(t.stats)
        result["readers"] = {"threads": asdict(stats)}
        if probe_out.exists():
            result["readers"]["process"] = json.loads(probe_out.read_text())
        else:
            result["readers"]["process"] = None
        result["seconds"] = round(time.time() - t0, 1)
    return result


def _step_run(exports: Path, data: DataDir, logs: Path, base: Path) -> dict:
    run = Run("1-run", exports, data, logs)
    out = run.finish()
    out["digest"] = published_digest(data)
    current = resolve_current(data)
    out["snapshot"] = current.name if current else None
    if current is not None:  # a copy of the reference snapshot for the E2E checks
        shutil.copytree(current, base / "referensi", dirs_exist_ok=True)
    return out


def _dbt_building(ps_output: str) -> bool:
    return any("dbt" in line and "build" in line for line in ps_output.splitlines())


def _step_kill_dbt(exports: Path, data: DataDir, logs: Path) -> dict:
    before = published_digest(data), resolve_current(data)
    run = Run("2-kill-dbt", exports, data, logs, "--paksa")
    run.wait_for("tpp_dbt: mulai")
    # a model built means dbt is writing the warehouse
    # (and the dbt process seen alive in the group: on a loaded machine the progress line can be
    # read a moment after it was written)
    deadline = time.monotonic() + RUN_TIMEOUT
    children = ""
    while time.monotonic() < deadline:
        err = run.stderr()
        built = [line for line in err.splitlines() if "tpp_dbt:" in line and "dibangun" in line]
        if built:
            children = subprocess.run(
                ["ps", "-ww", "-o", "pid=,args=", "-g", str(run.pgid)],
                capture_output=True,
                text=True,
            ).stdout
        if (built and _dbt_building(children)) or run.proc.poll() is not None:
            break
        time.sleep(0.02)
    alive = run.proc.poll() is None
    run.kill()
    out = run.summary()
    out.update(
        killed_alive=alive,
        killed_after=built[-1] if built else None,
        dbt_child=_dbt_building(children),
        digest_unchanged=published_digest(data) == before[0],
        snapshot_unchanged=resolve_current(data) == before[1],
        state_file_left=(data.root / "run_state.json").exists(),
        lock_file_left=(data.root / ".pipeline.lock").exists(),
        lock_free_after_kill=_lock_is_free(data.root / ".pipeline.lock"),
    )
    return out


def _step_kill_publish(exports: Path, data: DataDir, logs: Path) -> dict:
    before = published_digest(data), resolve_current(data)
    data.published.mkdir(parents=True, exist_ok=True)
    lock = open(data.published / ".publish.lock", "a+")  # noqa: SIM115 - released below
    fcntl.flock(lock, fcntl.LOCK_EX)
    run = Run("3-kill-publish", exports, data, logs)
    out: dict = {}
    try:
        run.wait_for("published_tpp: mulai")
        time.sleep(0.5)  # it is now polling the publish lock we hold
        out["waiting"] = _tmp_state(data)
        out["waiting_alive"] = run.proc.poll() is None
        _stop(run.proc.pid)
        _renice(run.proc.pid)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
    slices, seen = 0, {"tmp": [], "parquet": []}
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline:
        os.kill(run.proc.pid, signal.SIGCONT)
        time.sleep(0.003)
        _stop(run.proc.pid)
        slices += 1
        seen = _tmp_state(data)
        if seen["parquet"] or resolve_current(data) != before[1] or run.proc.poll() is not None:
            break
    out["at_kill"] = seen
    out["slices"] = slices
    out["switched_before_kill"] = resolve_current(data) != before[1]
    run.kill()
    out.update(run.summary())
    out["after_kill"] = _tmp_state(data)
    out["digest_unchanged"] = published_digest(data) == before[0]
    out["snapshot_unchanged"] = resolve_current(data) == before[1]
    out["lock_free_after_kill"] = _lock_is_free(data.root / ".pipeline.lock")
    return out


def _step_race(exports: Path, data: DataDir, logs: Path) -> dict:
    runs = [Run(f"4-race-{c}", exports, data, logs, "--paksa") for c in "ab"]
    deadline = time.monotonic() + RUN_TIMEOUT
    while time.monotonic() < deadline and any(r.ended is None for r in runs):
        for r in runs:  # note when each one ends, not when it is collected
            if r.ended is None and r.proc.poll() is not None:
                r.ended = time.time()
        time.sleep(0.05)
    outs = [r.finish() for r in runs]
    current = resolve_current(data)
    return {
        "runs": outs,
        "started_apart": round(abs(runs[0].started - runs[1].started), 3),
        "digest": published_digest(data),
        "snapshot": current.name if current else None,
        "tmp_left": _tmp_state(data),
        "snapshots": sorted(p.name for p in snapshots_dir(data).iterdir() if p.is_dir()),
    }
