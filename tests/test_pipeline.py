"""End to end through Dagster: simulated exports -> `kinerja run` -> published TPP.

One small simulated population, run once; a second run with nothing new must change nothing.
"""

import hashlib
import shutil
from pathlib import Path

import duckdb
import polars as pl
import pytest

from orchestration.cli import main
from orchestration.core.paths import TRANSFORMS_DIR, DataDir
from orchestration.core.published import current_snapshot
from orchestration.export_folder import discover
from orchestration.file_registry import pending_periods
from orchestration.tools.simulator import simulate

PERIODS = ["2025-02", "2025-03"]
TRANSFORMS_WAREHOUSE = TRANSFORMS_DIR / "warehouse.duckdb"  # a relative path gone wrong


def _published_digest(data: DataDir) -> dict[str, str]:
    root = data.published / "current"
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*.parquet"))
    }


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    base = tmp_path_factory.mktemp("pipeline")
    exports, data = base / "exports", DataDir.resolve(base / "data")
    simulate(
        out=exports,
        pegawai=150,
        opd=6,
        mulai=PERIODS[0],
        sampai=PERIODS[-1],
        seed=11,
        kotor=0.0,
        xlsx=False,
        progress=False,
    )
    shutil.rmtree(exports / "_groundtruth")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KINERJA_DATA", str(data.root))
        rc = main(["run", "--exports", str(exports), "--data", str(data.root)])
        first = (current_snapshot(data).id, _published_digest(data))
        rc_again = main(["run", "--exports", str(exports), "--data", str(data.root)])
    return exports, data, rc, first, rc_again


def test_run_succeeds_and_publishes_every_period(pipeline):
    _, data, rc, _, _ = pipeline
    assert rc == 0
    snapshot = current_snapshot(data)
    assert snapshot is not None and snapshot.periods == PERIODS


def test_every_active_employee_of_the_master_has_a_tpp_row(pipeline):
    _, data, *_ = pipeline
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        missing = con.execute(
            """
            select p.periode, p.nip
            from read_parquet(?) p
            where p.tmt_opd <= last_day(strptime(p.periode || '-01', '%Y-%m-%d'))
              and (p.aktif_sampai is null or p.aktif_sampai >= strptime(p.periode || '-01', '%Y-%m-%d'))
              and not exists (select 1 from tpp_bulanan t where t.periode = p.periode and t.nip = p.nip)
            """,
            [str(data.raw / "pegawai" / "*.parquet")],
        ).fetchall()
        rows = con.execute("select count(*) from tpp_bulanan").fetchone()[0]
    assert missing == []
    assert rows >= 150 * len(PERIODS) * 0.95


def test_published_table_equals_the_warehouse_to_the_rupiah(pipeline):
    _, data, *_ = pipeline
    published = current_snapshot(data).read("tpp_bulanan").sort(["periode", "nip", "kode_opd"])
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        warehouse = pl.from_arrow(
            con.execute(
                "select * from tpp_bulanan order by periode, nip, kode_opd"
            ).to_arrow_table()
        )
    cols = ["periode", "nip", "kode_opd", "tpp_bruto", "pph21", "iuran_bpjs", "tpp_neto"]
    assert published.select(cols).equals(warehouse.select(cols))


def test_rerun_with_nothing_new_is_a_noop(pipeline):
    exports, data, _, first, rc_again = pipeline
    assert rc_again == 0
    # nothing was re-run: same snapshot, same bytes, nothing pending
    assert (current_snapshot(data).id, _published_digest(data)) == first
    assert pending_periods(data, discover(exports)) == {}


def test_missing_export_folder_fails_with_one_line(tmp_path, capsys):
    rc = main(["run", "--exports", str(tmp_path / "nope"), "--data", str(tmp_path / "data")])
    err = capsys.readouterr().err.strip().splitlines()
    assert rc == 1 and len(err) == 1 and "tidak ada" in err[0]


def test_period_without_files_fails_clearly(pipeline, tmp_path, capsys):
    exports, *_ = pipeline
    rc = main(
        ["run", "--exports", str(exports), "--data", str(tmp_path / "d"), "--periode", "2024-07"]
    )
    assert rc == 1
    assert "2024-07" in capsys.readouterr().err


def dbt_events(target: Path) -> list[dict]:
    """dbt's JSON log events in a dbt target folder, oldest first (dbt rotates its log at
    10 MB: dbt.log.2, dbt.log.1, dbt.log)."""
    import json

    age = {p: 0 if p.name == "dbt.log" else int(p.suffix[1:]) for p in target.glob("dbt.log*")}
    logs = sorted(age, key=age.get, reverse=True)
    return [json.loads(line) for log in logs for line in log.read_text().splitlines()]


def test_a_new_data_directory_reuses_the_projects_parse(pipeline):
    """kinerja-dbt starts dbt inside the data directory, named ``.`` in the profile: the first
    build of a new data directory reuses the project's own parse (before, "Unable to do partial
    parsing because profile has changed": the whole project parsed again, ~5 s a new data
    directory), and the warehouse is the data directory's."""
    _, data, *_ = pipeline
    names = [e["info"]["name"] for e in dbt_events(data.root / "dbt" / "duckdb")]
    assert "UnableToPartialParse" not in names
    assert "PartialParsingSkipParsing" in names or "PartialParsingEnabled" in names
    assert data.warehouse.exists() and not TRANSFORMS_WAREHOUSE.exists()
    # the staging views name the raw zone by its full path: queryable from any folder
    with duckdb.connect(str(data.warehouse), read_only=True) as con:
        [(sql,)] = con.execute(
            "select sql from duckdb_views() where view_name = 'stg_pegawai'"
        ).fetchall()
        assert f"read_parquet('{data.root}/raw/pegawai/" in sql
        assert con.execute("select count(*) from stg_pegawai").fetchone()[0] > 0


def test_next_window_reuses_dbt_parse_and_target_in_the_data_dir(pipeline, tmp_path):
    """A run over another window keeps dbt's partial parse (the window is not a dbt var), writes
    dbt's target into DATA/dbt/duckdb (nothing new in the project), and recomputing months
    with the same exports gives the same published bytes."""
    import json

    exports, data, *_ = pipeline
    moved = DataDir.resolve(tmp_path / "data")  # a copy: the module's data dir stays as it is
    shutil.copytree(data.root, moved.root, symlinks=True)
    state_file = moved.root / "run_state.json"  # no unit-test pass of its own: the machine's
    state_file.write_text(json.dumps(json.loads(state_file.read_text()) | {"uji_unit": ""}))
    before = _published_digest(moved)
    project_targets = set((TRANSFORMS_DIR / "target").glob("*"))

    # a moved data directory is still "." to dbt: no run in it parses in full
    for periode in PERIODS:
        rc = main(
            [
                "run",
                "--exports",
                str(exports),
                "--data",
                str(moved.root),
                "--periode",
                periode,
                "--paksa",
            ]
        )
        assert rc == 0
        results = json.loads((moved.root / "dbt" / "duckdb" / "run_results.json").read_text())
        kinds = {r["unique_id"].split(".")[0] for r in results["results"]}
        assert "model" in kinds and "unit_test" not in kinds  # passed on this machine already
    assert _published_digest(moved) == before
    assert set((TRANSFORMS_DIR / "target").glob("*")) == project_targets

    target = moved.root / "dbt" / "duckdb"
    results = json.loads((target / "run_results.json").read_text())
    statuses = {r["status"] for r in results["results"]}
    assert statuses and statuses <= {"success", "pass"}
    events = dbt_events(target)
    last = events[-1]["info"]["invocation_id"]
    names = {e["info"]["name"] for e in events if e["info"]["invocation_id"] == last}
    assert "PartialParsingSkipParsing" in names or "PartialParsingEnabled" in names
    assert "UnableToPartialParse" not in {e["info"]["name"] for e in events}


def test_a_data_directory_last_built_by_a_checkout_elsewhere_still_builds(pipeline, tmp_path):
    """dbt saves the project's absolute folder in its parse state and reuses the state without
    comparing it: a data directory whose last build ran from another checkout (a release in a
    new folder, another clone) loaded every seed from that folder ("No files found that match
    the pattern /elsewhere/transforms/seeds/aturan_basis.csv") and the run failed. Such a state
    is set aside for the project's own."""
    import msgpack

    from orchestration.dbt_project import PARSE_STATE, parsed_here

    exports, data, *_ = pipeline
    moved = DataDir.resolve(tmp_path / "data")
    shutil.copytree(data.root, moved.root, symlinks=True)
    before = _published_digest(moved)
    state = moved.root / "dbt" / "duckdb" / PARSE_STATE
    saved = msgpack.unpackb(state.read_bytes(), raw=False, strict_map_key=False)
    for node in saved["nodes"].values():
        node["root_path"] = "/elsewhere/transforms"  # what the other checkout's build left
    state.write_bytes(msgpack.packb(saved))
    assert not parsed_here(state, TRANSFORMS_DIR)

    periode = PERIODS[-1]
    rc = main(
        ["run", "--exports", str(exports), "--data", str(moved.root), "--periode", periode]
        + ["--paksa"]
    )
    assert rc == 0
    assert parsed_here(state, TRANSFORMS_DIR)
    assert _published_digest(moved) == before


def test_unit_tests_run_once_per_project_version_not_per_data_directory(
    pipeline, tmp_path, monkeypatch
):
    """A passed run records its unit-test key for the machine (next to the manifest); the key
    of another project version, engine or dbt version has no record until its own pass.
    (test_next_window_reuses_dbt_parse_and_target_in_the_data_dir: a data directory without a
    record of its own skips them.)"""
    from orchestration import run as run_module

    key = run_module.unit_test_key(run_module.project_fingerprint())
    assert (run_module.UNIT_TESTS_PASSED / key).exists()
    assert run_module.unit_tests_passed(key, {})
    assert not run_module.unit_tests_passed("another-project-version", {})
    assert run_module.unit_tests_passed(
        "another-project-version", {"uji_unit": "another-project-version"}
    )
    monkeypatch.setattr(run_module, "UNIT_TESTS_PASSED", tmp_path / "a-new-checkout")
    assert not run_module.unit_tests_passed(key, {})
    run_module._record_unit_tests_passed(key)
    assert run_module.unit_tests_passed(key, {})


def test_a_rejected_correction_is_said_on_every_run_while_the_old_file_counts(pipeline, tmp_path):
    """A correction of March's absences whose every row breaks the contract is rejected and
    March keeps the file loaded before (good data is never replaced by nothing). That was one
    progress line in the middle of the run: the operator who sent the correction saw "Selesai"
    and could pay from the old absences. The run's summary now says it, and so does every
    following run (a no-op too) while that file is the folder's."""
    from tests.support.cli import kinerja

    exports, data, *_ = pipeline
    folder, moved = tmp_path / "exports", DataDir.resolve(tmp_path / "data")
    shutil.copytree(exports, folder)
    shutil.copytree(data.root, moved.root, symlinks=True)
    before = _published_digest(moved)
    (folder / "ketidakhadiran_202503.csv").write_text(
        "nip,kode,mulai,selesai,status,nomor_surat\n"
        "199001012015031001,CUTI,2025-03-03,2025-03-04,DISETUJUI,800/1/2025\n"
    )
    said = (
        "PERINGATAN: ketidakhadiran 2025-03: berkas ketidakhadiran_202503.csv DITOLAK",
        "data periode ini tetap dari berkas ketidakhadiran_202503.csv yang dimuat sebelumnya",
    )
    rc, out, err = kinerja("run", "--exports", str(folder), "--data", str(moved.root))
    assert rc == 0, err
    assert all(s in err for s in said), err
    tpp = {k: v for k, v in _published_digest(moved).items() if k.startswith("tpp_")}
    assert tpp == {k: v for k, v in before.items() if k.startswith("tpp_")}  # the same data
    rc, out, err = kinerja("run", "--exports", str(folder), "--data", str(moved.root))
    assert rc == 0 and "Tidak ada yang baru" in out, out
    assert all(s in err for s in said), err
