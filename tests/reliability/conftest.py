"""The pipeline scenario runs once per test session, also under pytest-xdist: the first worker
that needs it runs it under a file lock, the others read its ``result.json``."""

from __future__ import annotations

import fcntl
import json

import pytest

from .month import Plan


@pytest.fixture(scope="session")
def scenario(tmp_path_factory, request) -> dict:
    from .scenario import run_scenario

    # one folder for the whole session: the xdist workers' base temp dirs share a parent
    root = tmp_path_factory.getbasetemp()
    if hasattr(request.config, "workerinput"):  # a pytest-xdist worker
        root = root.parent
    folder = root / "reliability-scenario"
    folder.mkdir(parents=True, exist_ok=True)
    result_file = folder / "result.json"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not result_file.exists():
            result = run_scenario(folder / "run")
            result_file.write_text(json.dumps(result, indent=1, default=str))
    return json.loads(result_file.read_text())


@pytest.fixture(scope="session")
def plan(scenario) -> Plan:
    from pathlib import Path

    return Plan.from_json(json.loads((Path(scenario["base"]) / "plan.json").read_text()))
