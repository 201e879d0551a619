"""The Dagster code location: pure helpers, and the asset graph pinned."""

import os
from pathlib import Path

import dagster as dg
import pytest

from orchestration.dbt_project import dbt_build_args, window_environment
from orchestration.partitions import monthly
from orchestration.run import contiguous_ranges

RAW_KINDS = ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal")
MARTS = ("tpp_bulanan", "tpp_harian", "tpp_opd_bulanan", "karantina", "temuan")


def test_contiguous_ranges_split_on_gaps_and_year_ends():
    periods = ["2025-12", "2024-11", "2025-01", "2024-12", "2025-03", "2025-03"]
    assert contiguous_ranges(periods) == [
        ("2024-11", "2025-01"),
        ("2025-03", "2025-03"),
        ("2025-12", "2025-12"),
    ]
    assert contiguous_ranges([]) == []


def test_one_dbt_build_with_the_period_window_in_the_environment():
    assert dbt_build_args() == ["build"]
    assert dbt_build_args(unit_tests=False) == ["build", "--exclude-resource-type", "unit_test"]
    before = dict(os.environ)
    with window_environment("2025-01", "2025-12"):
        assert os.environ["KINERJA_PERIODE_MULAI"] == "2025-01"
        assert os.environ["KINERJA_PERIODE_SAMPAI"] == "2025-12"
    assert dict(os.environ) == before


@pytest.fixture(scope="module")
def definitions(tmp_path_factory, monkeypatch_module):
    data = tmp_path_factory.mktemp("data")
    monkeypatch_module.setenv("KINERJA_DATA", str(data))
    monkeypatch_module.setenv("KINERJA_EXPORTS", str(tmp_path_factory.mktemp("exports")))
    from orchestration.definitions import build_definitions

    return build_definitions()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_asset_graph_is_pinned(definitions):
    graph = definitions.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    for kind in RAW_KINDS:
        assert f"raw/{kind}" in keys and f"raw/karantina_{kind}" in keys
    for mart in MARTS:
        assert mart in keys
    # the finance table is downstream of every source that pays or docks someone
    upstream = {k.to_user_string() for k in graph.upstream_key_iterator(dg.AssetKey("tpp_bulanan"))}
    ancestors = set(upstream)
    frontier = list(upstream)
    while frontier:
        key = dg.AssetKey.from_user_string(frontier.pop())
        for parent in graph.get(key).parent_keys:
            name = parent.to_user_string()
            if name not in ancestors:
                ancestors.add(name)
                frontier.append(name)
    assert {"raw/pegawai", "raw/absensi", "raw/ketidakhadiran", "raw/kinerja"} <= ancestors


def test_the_roster_source_is_the_jadwal_ingest_asset(definitions):
    """dbt's sources raw.jadwal and raw.karantina_jadwal are the keys ingest_jadwal writes, so
    a new roster file rebuilds the staging models that read it."""
    graph = definitions.resolve_asset_graph()
    roster, quarantine = dg.AssetKey(["raw", "jadwal"]), dg.AssetKey(["raw", "karantina_jadwal"])
    for key in (roster, quarantine):
        node = graph.get(key)
        assert node.is_materializable and node.partitions_def == monthly
    assert roster in graph.get(dg.AssetKey("stg_jadwal")).parent_keys
    assert quarantine in graph.get(dg.AssetKey("stg_karantina")).parent_keys
    ingest = definitions.get_assets_def(roster)
    assert ingest.node_def.name == "ingest_jadwal" and set(ingest.keys) == {roster, quarantine}
    assert {"gx_raw_jadwal", "gx_raw_jadwal_peringatan"} <= {
        k.name for k in graph.asset_check_keys if k.asset_key == roster
    }


def test_every_asset_is_monthly_partitioned_and_backfills_in_one_run(definitions):
    graph = definitions.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        if not node.is_materializable:
            continue
        assert node.partitions_def is not None, key
        assert node.partitions_def == monthly, key
        assert node.backfill_policy == dg.BackfillPolicy.single_run(), key


def test_dbt_tests_are_asset_checks(definitions):
    checks = {
        c.asset_key.to_user_string() for c in definitions.resolve_asset_graph().asset_check_keys
    }
    assert "tpp_bulanan" in checks


def test_monthly_schedule_runs_on_the_sixth_at_two_wita(definitions):
    schedule = definitions.resolve_schedule_def("tpp_bulanan_terjadwal")
    assert schedule.cron_schedule == "0 2 6 * *"
    assert schedule.execution_timezone == "Asia/Makassar"


def test_models_have_their_own_job_and_stay_out_of_the_payroll_run(definitions):
    payroll = definitions.resolve_job_def("tpp_bulanan")
    models = definitions.resolve_job_def("model_bulanan")
    payroll_keys = {k.to_user_string() for k in payroll.asset_layer.executable_asset_keys}
    model_keys = {k.to_user_string() for k in models.asset_layer.executable_asset_keys}
    assert "tpp_bulanan" in payroll_keys and "published_tpp" in payroll_keys
    assert model_keys == {
        "model/anomali",
        "model/skor_anomali",
        "model/peringatan",
        "model/skor_peringatan",
        "model/pemantauan",
    }
    assert not payroll_keys & model_keys


def test_dbt_resource_runs_this_environments_dbt_without_version_subprocess(definitions):
    """KinerjaDbtCli replaces two dagster-dbt internals; an upgrade that renames them must fail
    here, not silently bring back the `dbt --version` subprocess and the in-process adapter."""
    import functools
    import subprocess

    from dagster_dbt import DbtCliResource

    from orchestration.resources import KinerjaDbtCli

    assert isinstance(DbtCliResource.__dict__["_cli_version"], functools.cached_property)
    assert callable(DbtCliResource.__dict__["_initialize_dbt_core_adapter"])
    dbt = definitions.resources["dbt"]
    assert isinstance(dbt, KinerjaDbtCli)
    assert Path(dbt.dbt_executable).name == "kinerja-dbt"  # DuckDB: inside the data directory
    reported = subprocess.run([dbt.dbt_executable, "--version"], capture_output=True, text=True)
    assert f"installed: {dbt._cli_version}" in reported.stdout
    assert dbt._initialize_dbt_core_adapter(["build"]) is None


def test_a_manifest_being_parsed_is_never_read_half_written(tmp_path, monkeypatch):
    """dbt writes manifest.json in place and a file being written looks fresh by its mtime: a
    second process (a pytest worker, a pipeline) checking it meanwhile read half a manifest
    ("unexpected end of data"). The parse writes into a folder of its own and renames."""
    import json
    from types import SimpleNamespace

    import dbt.cli.main
    import msgpack

    from orchestration import dbt_project

    target = tmp_path / "target"
    target.mkdir()
    old = json.dumps({"nodes": {"a": 1}})
    (target / "manifest.json").write_text(old)
    state = msgpack.packb({"nodes": {"seed.kinerja.ref_opd": {"root_path": str(tmp_path)}}})
    (target / "partial_parse.msgpack").write_bytes(state)
    seen = {}

    class Runner:
        def invoke(self, args):
            staging = args[args.index("--target-path") + 1]
            seen["state_copied"] = (Path(staging) / "partial_parse.msgpack").read_bytes()
            with open(Path(staging) / "manifest.json", "w") as f:
                f.write('{"nodes": {"a": 1, "b"')  # halfway through writing
                seen["read_meanwhile"] = json.loads((target / "manifest.json").read_text())
                f.write(": 2}}")
            (Path(staging) / "partial_parse.msgpack").write_bytes(b"new state")
            return SimpleNamespace(success=True, exception=None)

    monkeypatch.setattr(dbt.cli.main, "dbtRunner", Runner)
    project = SimpleNamespace(
        project_dir=tmp_path, profiles_dir=tmp_path, target="duckdb", target_path=Path("target")
    )
    dbt_project._parse(project)
    assert seen == {"state_copied": state, "read_meanwhile": {"nodes": {"a": 1}}}
    assert json.loads((target / "manifest.json").read_text()) == {"nodes": {"a": 1, "b": 2}}
    assert (target / "partial_parse.msgpack").read_bytes() == b"new state"
    assert sorted(p.name for p in target.iterdir()) == ["manifest.json", "partial_parse.msgpack"]


def test_a_parse_state_made_in_another_folder_is_not_reused(tmp_path, monkeypatch):
    """dbt keeps the project's absolute folder in its saved parse and does not compare it: a
    project moved with its ``target/`` (a release unpacked elsewhere) would load its seeds from
    the old folder. The manifest counts as stale and the parse starts without that state."""
    from types import SimpleNamespace

    import dbt.cli.main
    import msgpack

    from orchestration import dbt_project

    target = tmp_path / "target"
    target.mkdir()
    (target / "manifest.json").write_text('{"nodes": {}}')
    foreign = {"nodes": {"seed.kinerja.ref_opd": {"root_path": "/elsewhere/transforms"}}}
    (target / "partial_parse.msgpack").write_bytes(msgpack.packb(foreign))
    assert not dbt_project.parsed_here(target / "partial_parse.msgpack", tmp_path)
    assert not dbt_project._fresh(target / "manifest.json", tmp_path)
    seen = {}

    class Runner:
        def invoke(self, args):
            staging = Path(args[args.index("--target-path") + 1])
            seen["state_copied"] = (staging / "partial_parse.msgpack").exists()
            (staging / "manifest.json").write_text('{"nodes": {}}')
            return SimpleNamespace(success=True, exception=None)

    monkeypatch.setattr(dbt.cli.main, "dbtRunner", Runner)
    project = SimpleNamespace(
        project_dir=tmp_path, profiles_dir=tmp_path, target="duckdb", target_path=Path("target")
    )
    dbt_project._parse(project)
    assert seen == {"state_copied": False}
