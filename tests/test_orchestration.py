"""The Dagster code location: pure helpers, and the asset graph pinned."""

import json

import dagster as dg
import pytest

from orchestration.dbt_project import dbt_build_args
from orchestration.partitions import monthly
from orchestration.run import contiguous_ranges

RAW_KINDS = ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas")
MARTS = ("tpp_bulanan", "tpp_harian", "tpp_opd_bulanan", "karantina", "temuan")


def test_contiguous_ranges_split_on_gaps_and_year_ends():
    periods = ["2025-12", "2024-11", "2025-01", "2024-12", "2025-03", "2025-03"]
    assert contiguous_ranges(periods) == [
        ("2024-11", "2025-01"),
        ("2025-03", "2025-03"),
        ("2025-12", "2025-12"),
    ]
    assert contiguous_ranges([]) == []


def test_one_dbt_build_with_the_period_window_as_vars():
    args = dbt_build_args("2025-01", "2025-12")
    assert args[0] == "build" and args.count("build") == 1
    assert json.loads(args[args.index("--vars") + 1]) == {
        "periode_mulai": "2025-01",
        "periode_sampai": "2025-12",
    }


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
    checks = {c.asset_key.to_user_string() for c in definitions.resolve_asset_graph().asset_check_keys}
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
    assert model_keys == {"model/anomali", "model/skor_anomali", "model/peringatan",
                          "model/skor_peringatan"}  # fmt: skip
    assert not payroll_keys & model_keys
