"""The Dagster instance of a data directory: pooled event log, same records as Dagster's own."""

import dagster as dg
from dagster._core.storage.event_log.sqlite.sqlite_event_log import SqliteEventLogStorage

from orchestration.event_log import PooledSqliteEventLogStorage, write_instance_yaml


@dg.asset(partitions_def=dg.MonthlyPartitionsDefinition(start_date="2025-01-01"))
def bulanan(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    return dg.MaterializeResult(metadata={"periode": context.partition_key})


def test_instance_uses_the_pooled_event_log_and_dagster_reads_the_same_rows(tmp_path):
    home = tmp_path / "dagster"
    write_instance_yaml(home)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        assert isinstance(instance.event_log_storage, PooledSqliteEventLogStorage)
        for periode in ("2025-01-01", "2025-02-01", "2025-03-01"):
            result = dg.materialize([bulanan], instance=instance, partition_key=periode)
            assert result.success
        run_id = result.run_id
        pooled = [e.dagster_event_type for e in instance.all_logs(run_id)]
        # the run database and the cross-run index stayed open in the pool; the LRU bounds it
        assert 1 <= len(instance.event_log_storage._engines) <= 8

    # Dagster's own storage (what an older install or another tool opens) sees the same events
    plain = SqliteEventLogStorage(str(home / "history" / "runs"))
    assert [e.dagster_event_type for e in plain.get_logs_for_run(run_id)] == pooled
    assert dg.DagsterEventType.ASSET_MATERIALIZATION in pooled
    partitions = plain.get_materialized_partitions(dg.AssetKey("bulanan"))
    assert partitions == {"2025-01-01", "2025-02-01", "2025-03-01"}
    plain.dispose()


def test_wiping_closes_the_pool_before_deleting_files(tmp_path):
    home = tmp_path / "dagster"
    write_instance_yaml(home)
    with dg.DagsterInstance.from_config(str(home)) as instance:
        result = dg.materialize([bulanan], instance=instance, partition_key="2025-01-01")
        assert result.run_id in instance.event_log_storage._engines
        instance.event_log_storage.wipe()
        # the run's database file is gone and no engine holds it; the index is emptied in place
        assert set(instance.event_log_storage._engines) <= {"index"}
        assert not (home / "history" / "runs" / f"{result.run_id}.db").exists()
        assert list(instance.all_logs(result.run_id)) == []


def test_instance_yaml_follows_a_moved_data_dir_and_keeps_a_hand_edited_one(tmp_path):
    home = tmp_path / "a" / "dagster"
    write_instance_yaml(home)
    text = (home / "dagster.yaml").read_text()
    assert str(home.resolve() / "history" / "runs") in text

    moved = tmp_path / "b" / "dagster"
    moved.parent.mkdir()
    home.rename(moved)
    write_instance_yaml(moved)
    assert str(moved.resolve() / "history" / "runs") in (moved / "dagster.yaml").read_text()

    edited = "run_monitoring:\n  enabled: true\n"
    (moved / "dagster.yaml").write_text(edited)
    write_instance_yaml(moved)
    assert (moved / "dagster.yaml").read_text() == edited
