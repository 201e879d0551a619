"""Publishing: complete snapshots, deterministic Parquet, atomic switch, pruning, reader API."""

from __future__ import annotations

import hashlib
import json
import os
import threading
import time

import dagster as dg
import duckdb
import polars as pl
import pytest
from test_publish_support import (
    ANA,
    PEOPLE,
    build_warehouse,
    change,
    expected_totals,
    scenario,
)

from orchestration.core.paths import DataDir
from orchestration.core.published import AMOUNTS, TABLES, current_snapshot, resolve_current
from orchestration.publish import PublishError, publish

PERIODS = ["2025-02", "2025-03"]


@pytest.fixture
def data(tmp_path) -> DataDir:
    return DataDir(tmp_path / "data")


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_publish_writes_a_complete_snapshot_with_manifest_and_pointer(data):
    plan = scenario(*PERIODS)
    build_warehouse(data, plan)
    result = publish(data, PERIODS)

    pointer = data.published / "current"
    assert pointer.is_symlink() and os.readlink(pointer) == f"snapshots/{result.snapshot}"
    snapshot = current_snapshot(data)
    manifest = json.loads((snapshot.path / "manifest.json").read_text())
    assert manifest["snapshot"] == result.snapshot
    assert manifest["created_at"].endswith("+08:00")  # WITA
    assert sorted(manifest["periods"]) == PERIODS
    for periode in PERIODS:
        entry = manifest["periods"][periode]
        assert entry["status"] == "DRAFT"
        assert entry["totals"] == expected_totals(plan, periode)
        for table in TABLES:
            name = f"{table}/{periode}.parquet"
            file = manifest["files"][name]
            assert file["sha256"] == sha(snapshot.path / name)
            assert file["rows"] == pl.read_parquet(snapshot.path / name).height
    assert manifest["files"]["tpp_bulanan/2025-03.parquet"]["rows"] == len(PEOPLE)
    assert not list((data.published / "snapshots").glob(".tmp-*"))


def test_same_rows_give_byte_identical_parquet_in_key_order(data):
    plan = scenario(*PERIODS)
    build_warehouse(data, plan)
    first = publish(data, PERIODS)
    build_warehouse(data, {p: list(reversed(people)) for p, people in plan.items()})
    second = publish(data, PERIODS)

    a, b = (json.loads((r.path / "manifest.json").read_text())["files"] for r in (first, second))
    assert {n: e["sha256"] for n, e in a.items()} == {n: e["sha256"] for n, e in b.items()}
    rows = pl.read_parquet(second.path / "tpp_bulanan/2025-03.parquet")
    assert rows["nip"].to_list() == sorted(p.nip for p in PEOPLE)
    assert rows.schema["tpp_neto"] == pl.Int64


def test_periods_not_requested_are_carried_by_hard_link(data):
    plan = scenario("2025-02", "2025-03", "2025-04")
    build_warehouse(data, plan)
    first = publish(data, PERIODS)
    second = publish(data, ["2025-04"])

    assert second.written == ["2025-04"] and second.carried == PERIODS
    snapshot = current_snapshot(data)
    assert snapshot.periods == ["2025-02", "2025-03", "2025-04"]
    for table in ("tpp_bulanan", "tpp_harian", "temuan"):
        old = first.path / f"{table}/2025-02.parquet"
        new = second.path / f"{table}/2025-02.parquet"
        assert os.stat(old).st_ino == os.stat(new).st_ino
    assert snapshot.totals("2025-02") == expected_totals(plan, "2025-02")


def test_prune_keeps_the_current_and_at_least_three(data):
    build_warehouse(data, scenario(*PERIODS))
    ids = [publish(data, PERIODS, keep=1, grace_seconds=0).snapshot for _ in range(5)]
    left = sorted(p.name for p in (data.published / "snapshots").iterdir())
    assert left == ids[-3:]
    assert resolve_current(data).name == ids[-1]
    # without grace 0 a snapshot superseded moments ago is kept for readers still on it
    publish(data, PERIODS, keep=3)
    assert len(list((data.published / "snapshots").iterdir())) == 4


def test_reader_api_reads_and_queries_one_snapshot(data):
    plan = scenario(*PERIODS)
    build_warehouse(data, plan)
    publish(data, PERIODS)
    snapshot = current_snapshot(data)

    march = snapshot.read("tpp_bulanan", "2025-03", kode_opd="4.01.01")
    assert set(march["periode"]) == {"2025-03"} and set(march["kode_opd"]) == {"4.01.01"}
    ana = march.filter(pl.col("nip") == ANA.nip).row(0, named=True)
    assert (ana["tpp_bruto"], ana["tpp_neto"]) == (4_600_000, 4_324_000)
    assert snapshot.read("tpp_harian").height == sum(
        r["hari_kerja"] for r in snapshot.read("tpp_bulanan").iter_rows(named=True)
    )
    assert snapshot.read("tpp_koreksi", "2025-03").is_empty()
    assert snapshot.read("tpp_bulanan", "2019-01").columns == march.columns
    with snapshot.connect() as con:
        total = con.execute("select sum(tpp_neto) from tpp_bulanan where periode = '2025-03'")
        assert total.fetchone()[0] == expected_totals(plan, "2025-03")["tpp_neto"]
        assert con.execute("select count(*) from temuan").fetchone()[0] == 2
    with pytest.raises(KeyError):
        snapshot.read("warehouse_internal")
    with pytest.raises(ValueError, match="kode_opd"):
        snapshot.read("karantina", kode_opd="4.01.01")  # never silently unfiltered


def test_a_failed_publish_leaves_the_current_snapshot_alone(data):
    build_warehouse(data, scenario(*PERIODS))
    good = publish(data, PERIODS)
    with duckdb.connect(str(data.warehouse)) as con:
        con.execute("drop table main.temuan")
    with pytest.raises(PublishError, match="temuan"):
        publish(data, PERIODS)
    assert current_snapshot(data).id == good.snapshot
    assert not list((data.published / "snapshots").glob(".tmp-*"))
    with pytest.raises(PublishError, match="YYYY-MM"):
        publish(data, ["2025-3"])


def test_readers_see_one_whole_snapshot_while_publishes_happen(data):
    """A reader loops over current_snapshot while the pipeline publishes changing data: every
    read matches the manifest of the snapshot it resolved, and nothing fails."""
    plans = [
        scenario(*PERIODS),
        {p: change(people, ANA.nip, tk=3, tl1=2) for p, people in scenario(*PERIODS).items()},
    ]
    build_warehouse(data, plans[0])
    publish(data, PERIODS)
    errors: list[str] = []
    reads = {"n": 0, "snapshots": set()}
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            try:
                snapshot = current_snapshot(data)
                frame = snapshot.read("tpp_bulanan")
                for periode in snapshot.periods:
                    part = frame.filter(pl.col("periode") == periode)
                    got = {"rows": part.height} | {a: int(part[a].sum()) for a in AMOUNTS}
                    if got != snapshot.totals(periode):
                        errors.append(f"{snapshot.id} {periode}: {got}")
                with snapshot.connect() as con:
                    neto = con.execute("select sum(tpp_neto) from tpp_bulanan").fetchone()[0]
                if neto != sum(snapshot.totals(p)["tpp_neto"] for p in snapshot.periods):
                    errors.append(f"{snapshot.id}: duckdb {neto}")
                reads["n"] += 1
                reads["snapshots"].add(snapshot.id)
                time.sleep(0.002)  # let the publisher have the interpreter too
            except Exception as error:  # any failure at all is a finding
                errors.append(repr(error))

    threads = [threading.Thread(target=reader) for _ in range(2)]
    for thread in threads:
        thread.start()
    try:
        for i in range(6):
            build_warehouse(data, plans[i % 2])
            publish(data, PERIODS, keep=3, grace_seconds=0)
            time.sleep(0.02)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []
    assert reads["n"] > 10 and len(reads["snapshots"]) > 2


def test_published_tpp_asset_publishes_the_run_periods(data):
    from orchestration.assets.publish import published_tpp
    from orchestration.resources import KinerjaStorage

    plan = scenario(*PERIODS)
    build_warehouse(data, plan)
    result = dg.materialize(
        [published_tpp],
        resources={"storage": KinerjaStorage(exports_dir=str(data.root), data_dir=str(data.root))},
        tags={
            "dagster/asset_partition_range_start": PERIODS[0],
            "dagster/asset_partition_range_end": PERIODS[-1],
        },
        instance=dg.DagsterInstance.ephemeral(),
    )
    assert result.success
    metadata = result.asset_materializations_for_node("published_tpp")[0].metadata
    assert metadata["snapshot"].value == current_snapshot(data).id
    assert metadata["tpp_neto"].value == sum(expected_totals(plan, p)["tpp_neto"] for p in PERIODS)
    assert published_tpp.backfill_policy == dg.BackfillPolicy.single_run()
    assert dg.AssetKey(["tpp_bulanan"]) in published_tpp.dependency_keys


@pytest.mark.parametrize("rows", [0, 1, 7, 13, 21, 30])
def test_streamed_row_groups_give_the_bytes_of_one_combined_table(tmp_path, monkeypatch, rows):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from orchestration import publish as module

    monkeypatch.setattr(module, "ROW_GROUP_ROWS", 7)
    table = pa.table(
        {
            "nip": [f"{i % 5:018d}" if i % 4 else None for i in range(rows)],
            "n": pa.array(range(rows), pa.int64()),
        }
    )
    batches = [table.slice(start, 4).to_batches()[0] for start in range(0, rows, 4)]
    module.write_batches(table.schema, batches, tmp_path / "streamed.parquet")
    whole = table.combine_chunks()
    pq.write_table(whole, tmp_path / "whole.parquet", row_group_size=7, **module.WRITER_OPTIONS)
    assert sha(tmp_path / "streamed.parquet") == sha(tmp_path / "whole.parquet")
    assert pq.ParquetFile(tmp_path / "streamed.parquet").num_row_groups == max(1, -(-rows // 7))
