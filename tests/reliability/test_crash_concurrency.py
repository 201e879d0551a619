"""Crash safety, concurrency and idempotency of ``kinerja run`` (the scenario of scenario.py).

What is proved, from the recorded observations of one scenario:

- SIGKILL during the dbt build and SIGKILL in the middle of publishing (hidden snapshot folder
  half written) leave the published data exactly as it was, and the next run publishes files
  byte-identical (sha256) to the uninterrupted run's;
- the ``.pipeline.lock`` file left by a killed run does not block anyone: the kernel released
  the flock with the process (the test takes it itself, and the next runs start);
- readers (3 threads and 1 process, no locks) never see a torn snapshot nor raise, before,
  during and after the kills and the runs, and they do cross snapshot switches;
- two runs started at once: one fails at once with "Pipeline lain sedang berjalan" (exit 1),
  the other succeeds, and what is published equals a single run;
- the same run twice (the second with ``--paksa``) publishes byte-identical tables.
"""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def steps(scenario) -> dict:
    assert not scenario["errors"], scenario["errors"]
    return scenario["steps"]


def test_the_uninterrupted_run_publishes(steps):
    run = steps["run"]
    assert run["rc"] == 0, run["stderr_tail"]
    assert run["digest"] and run["snapshot"]
    tables = {name.split("/")[0] for name in run["digest"]}
    assert {"tpp_bulanan", "tpp_harian", "karantina", "temuan", "tpp_opd_bulanan"} <= tables


def test_sigkill_during_dbt_leaves_the_published_data_untouched(steps):
    kill = steps["kill_dbt"]
    assert kill["killed_alive"], "the run had already ended: nothing was killed"
    assert kill["killed_after"] and "dibangun" in kill["killed_after"]  # dbt was writing
    assert kill["dbt_child"], "no dbt process was running at the kill"
    assert kill["rc"] == -9
    assert kill["snapshot_unchanged"] and kill["digest_unchanged"]
    # a killed run leaves no "up to date" record (fixed in run.py): the next run must execute
    assert not kill["state_file_left"]


def test_a_stale_pipeline_lock_does_not_block(steps):
    for name in ("kill_dbt", "kill_publish"):
        assert steps[name]["lock_free_after_kill"], name  # the kernel released the flock
    assert steps["kill_dbt"]["lock_file_left"]  # the file stays, and does not matter
    # and the next runs did start: step 3 reached its publish step, step 4 published
    assert steps["kill_publish"]["waiting_alive"]
    assert any(r["rc"] == 0 for r in steps["race"]["runs"])


def test_sigkill_in_the_middle_of_publishing(steps):
    kill = steps["kill_publish"]
    # the run waited on the publish lock (held by the test), with nothing written yet
    assert kill["waiting_alive"] and kill["waiting"] == {"tmp": [], "parquet": []}
    # killed while the hidden snapshot folder held part of the files, before the switch
    assert kill["at_kill"]["tmp"] and kill["at_kill"]["parquet"], kill["at_kill"]
    assert not kill["switched_before_kill"]
    assert kill["rc"] == -9
    assert kill["snapshot_unchanged"] and kill["digest_unchanged"]
    assert kill["after_kill"]["tmp"]  # the half-written folder is left behind ...
    assert steps["race"]["tmp_left"] == {"tmp": [], "parquet": []}  # ... and cleaned up later


def test_two_runs_started_at_once(steps):
    race = steps["race"]
    assert race["started_apart"] < 1.0
    codes = sorted(r["rc"] for r in race["runs"])
    assert codes == [0, 1], [r["stderr_tail"][-1500:] for r in race["runs"]]
    loser = next(r for r in race["runs"] if r["rc"] == 1)
    assert len(loser["stderr_kinerja"]) == 1
    assert "Pipeline lain sedang berjalan" in loser["stderr_kinerja"][0]
    assert loser["seconds"] < next(r for r in race["runs"] if r["rc"] == 0)["seconds"]


def test_rerun_after_the_kills_equals_the_uninterrupted_run(steps):
    """Byte for byte (sha256 of every published Parquet file)."""
    first, last = steps["run"], steps["race"]
    assert last["digest"] == first["digest"]
    assert last["snapshot"] != first["snapshot"]  # a new snapshot was really published


def test_same_run_twice_is_byte_identical(steps):
    """Step 1 (plain) and step 4's winner (``--paksa``) ran on the same exports; the killed runs
    in between changed nothing visible (asserted above)."""
    assert steps["race"]["digest"] == steps["run"]["digest"]
    assert len(steps["race"]["snapshots"]) == 2  # the killed runs published nothing


def _during(times: list[float], step: dict) -> int:
    return sum(1 for t in times if step["started"] <= t <= step["ended"])


@pytest.mark.parametrize("who", ["threads", "process"])
def test_readers_never_see_a_torn_snapshot(scenario, steps, who):
    stats = scenario["readers"][who]
    assert stats is not None, "the reader process wrote no result"
    assert stats["galat"] == 0 and stats["sobek"] == 0, stats["problems"]
    assert stats["utuh"] > 0
    # they read while each run was going on, and saw both published snapshots
    for name in ("kill_dbt", "kill_publish"):
        assert _during(stats["times"], steps[name]) > 0, name
    winner = next(r for r in steps["race"]["runs"] if r["rc"] == 0)
    assert _during(stats["times"], winner) > 0
    assert {steps["run"]["snapshot"], steps["race"]["snapshot"]} <= set(stats["snapshots"])
