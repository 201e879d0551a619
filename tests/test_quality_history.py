"""Check history: round trip, idempotent per (run, check, asset, periode), latest view."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl

from orchestration.core.paths import DataDir
from quality.history import (
    HISTORY_SCHEMA,
    latest_results,
    load_check_history,
    record_outcomes,
)
from quality.outcome import ERROR, WARN, CheckOutcome


def _outcomes(passed: bool) -> list[CheckOutcome]:
    return [
        CheckOutcome(
            "bruto_tidak_melebihi_basis",
            "tpp_bulanan",
            ERROR,
            "2025-03",
            passed,
            0 if passed else 2,
            "Neto tidak sama." if not passed else "Lulus.",
            {"contoh": [{"nip": "199008152016011005", "tanggal": dt.date(2025, 3, 3)}]},
            ("1.02.01", "1.03.01"),
            "" if passed else "abc",
        ),
        CheckOutcome("drift_total_tpp", "tpp_bulanan", WARN, "2025-03", True, 0, "Lulus."),
    ]


def test_empty_history_has_the_schema(tmp_path):
    history = load_check_history(DataDir.resolve(tmp_path))
    assert history.is_empty() and history.schema == HISTORY_SCHEMA


def test_round_trip_and_idempotent_per_run(tmp_path):
    data = DataDir.resolve(tmp_path)
    t1 = dt.datetime(2025, 4, 6, 2, 0, tzinfo=dt.UTC)
    assert record_outcomes(data, "run-1", _outcomes(passed=False), checked_at=t1) == 2
    assert record_outcomes(data, "run-1", _outcomes(passed=False), checked_at=t1) == 2
    history = load_check_history(data)
    assert history.height == 2  # the same run recorded twice is one result per check
    assert history.schema == HISTORY_SCHEMA
    row = history.filter(pl.col("check_name") == "bruto_tidak_melebihi_basis").row(0, named=True)
    assert row["passed"] is False and row["n_failed"] == 2 and row["severity"] == ERROR
    assert row["kode_opd"] == "1.02.01,1.03.01" and row["fingerprint"] == "abc"
    assert row["checked_at"] == t1
    details = json.loads(row["details"])
    assert details["contoh"][0] == {"nip": "199008152016011005", "tanggal": "2025-03-03"}

    # a later run appends; the latest view shows the newest result of each check
    t2 = t1 + dt.timedelta(hours=3)
    record_outcomes(data, "run-2", _outcomes(passed=True), checked_at=t2)
    assert load_check_history(data).height == 4
    latest = latest_results(data)
    assert latest.height == 2
    assert (
        latest.filter(pl.col("check_name") == "bruto_tidak_melebihi_basis")["passed"].item() is True
    )
    assert set(latest["run_id"]) == {"run-2"}
    assert load_check_history(data, periode="2025-04").is_empty()
    assert load_check_history(data, periode="2025-03").height == 4
