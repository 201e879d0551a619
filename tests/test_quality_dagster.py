"""The Dagster wiring: asset checks block downstream assets, record history, sensors alert.

Runs in-process on stub assets that carry the real asset keys (``raw/<kind>`` and the marts),
over a data directory written by ``tests.support.quality_sample`` (raw Parquet + warehouse.duckdb).
"""

from __future__ import annotations

import warnings

import dagster as dg
import polars as pl
import pytest

from orchestration.alerting import alert_sensors, alerts_for_run, send_run_alerts
from orchestration.checks import asset_key, build_asset_checks
from orchestration.partitions import monthly
from orchestration.resources import KinerjaStorage
from quality.alerts import DITEKAN, TERKIRIM, load_alert_history
from quality.config import AlertConfig, WebhookConfig
from quality.history import load_check_history
from quality.outcome import WARN
from quality.runner import ASSETS, all_specs
from tests.support.capture import webhook_server
from tests.support.quality_sample import sample_month, sample_months, write_data_dir

RAW = [f"raw/{k}" for k in ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas")]
RANGE = {
    "dagster/asset_partition_range_start": "2025-03",
    "dagster/asset_partition_range_end": "2025-03",
}
ANI = "199008152016011005"

warnings.filterwarnings("ignore", category=dg.BetaWarning)


def _stub(asset: str, deps: list[str] = (), fail: str | None = None) -> dg.AssetsDefinition:
    @dg.asset(
        key=asset_key(asset),
        deps=[asset_key(d) for d in deps],
        partitions_def=monthly,
        backfill_policy=dg.BackfillPolicy.single_run(),
    )
    def _a() -> None:
        if fail:
            raise dg.Failure(description=fail)

    return _a


def _graph(**fail: str) -> list[dg.AssetsDefinition]:
    return [_stub(r, fail=fail.get(r.removeprefix("raw/"))) for r in RAW] + [
        _stub("karantina", RAW),
        _stub("temuan", RAW),
        _stub("tpp_bulanan", RAW),
        _stub("tpp_harian", ["tpp_bulanan"]),
        _stub("tpp_opd_bulanan", ["tpp_bulanan"]),
        _stub("terbit", ["tpp_bulanan", "tpp_opd_bulanan"]),  # stands for "published"
    ]


def _run(root, assets, checks) -> tuple[dg.DagsterInstance, dg.ExecuteInProcessResult]:
    job = dg.define_asset_job("tpp_bulanan", selection=dg.AssetSelection.all())
    defs = dg.Definitions(
        assets=assets,
        asset_checks=checks,
        jobs=[job],
        resources={"storage": KinerjaStorage(exports_dir=str(root / "x"), data_dir=str(root))},
    )
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("tpp_bulanan").execute_in_process(
        instance=instance, tags=RANGE, raise_on_error=False
    )
    return instance, result


def _sensor_context(instance, result, failed: bool):
    kinds = {dg.DagsterEventType.RUN_FAILURE, dg.DagsterEventType.RUN_SUCCESS}
    event = instance.get_records_for_run(result.run_id, of_type=kinds).records[-1]
    context = dg.build_run_status_sensor_context(
        sensor_name="alert",
        dagster_instance=instance,
        dagster_run=instance.get_run_by_id(result.run_id),
        dagster_event=event.event_log_entry.dagster_event,
    )
    return context.for_run_failure() if failed else context


@pytest.fixture
def hook(monkeypatch, tmp_path):
    server = webhook_server()
    monkeypatch.setenv("KINERJA_DATA", str(tmp_path))
    monkeypatch.setenv("KINERJA_ALERT_WEBHOOK", f"http://127.0.0.1:{server.port}/hook")
    yield server
    server.close()


def test_every_check_is_declared_with_its_blocking_flag():
    declared = {
        (spec.asset_key.to_user_string(), spec.name): spec.blocking
        for checks in build_asset_checks()
        for spec in checks.check_specs
    }
    expected = {(s.asset, s.name): s.blocks_run for s in all_specs()}
    assert declared == expected
    assert declared[("tpp_bulanan", "bruto_tidak_melebihi_basis")] is True
    # an ERROR finding blocks its period only: publish leaves that period out, not the run
    assert declared[("tpp_bulanan", "tanpa_temuan_error")] is False
    assert declared[("tpp_bulanan", "drift_total_tpp")] is False
    assert declared[("raw/pegawai", "gx_raw_pegawai")] is True
    assert declared[("raw/kinerja", "predikat_tidak_sesuai_matriks")] is False
    assert {a for a, _ in declared} == set(ASSETS)


def test_failed_blocking_check_stops_downstream_records_history_and_alerts_once(tmp_path, hook):
    months = sample_months("2025-02", "2025-03")  # the marts of both from one dbt build
    tpp = months["2025-03"]["tpp_bulanan"]
    months["2025-03"]["tpp_bulanan"] = tpp.with_columns(
        pl.when(pl.col("nip") == ANI)
        .then(pl.col("tpp_basis") + 1)
        .otherwise(pl.col("tpp_bruto"))
        .alias("tpp_bruto")
    )
    data = write_data_dir(tmp_path, months)
    instance, result = _run(tmp_path, _graph(), build_asset_checks())

    assert not result.success
    built = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "tpp_bulanan" in built and "terbit" not in built and "tpp_opd_bulanan" not in built
    evaluations = {
        (e.asset_key.to_user_string(), e.check_name): e
        for e in result.get_asset_check_evaluations()
    }
    bruto = evaluations[("tpp_bulanan", "bruto_tidak_melebihi_basis")]
    assert not bruto.passed and bruto.metadata["n_gagal"].value == 1
    assert bruto.metadata["kode_opd"].text == "1.02.01"
    failed = sorted(k for k, e in evaluations.items() if not e.passed)
    assert failed == [("tpp_bulanan", "bruto_tidak_melebihi_basis")]
    assert evaluations[("raw/pegawai", "gx_raw_pegawai")].passed

    history = load_check_history(data)
    assert set(history["run_id"]) == {result.run_id}
    assert history["checked_at"].n_unique() == 1  # one timestamp per run (the app groups by it)
    bad = history.filter(~pl.col("passed"))
    assert bad["check_name"].to_list() == ["bruto_tidak_melebihi_basis"]
    assert bad["periode"].to_list() == ["2025-03"]

    # the daemon's failure sensor sends one message for the failed check (not one for the run)
    sensor = {s.name: s for s in alert_sensors()}["alert_run_gagal"]
    sensor(_sensor_context(instance, result, failed=True))
    assert len(hook.received) == 1
    body = hook.received[0]["json"]
    assert body["cek"] == "bruto_tidak_melebihi_basis" and body["periode"] == "2025-03"
    assert body["jumlah_gagal"] == 1 and body["kode_opd"] == ["1.02.01"]
    assert f"NIP {ANI}" in body["text"] and body["run_id"] == result.run_id
    # the pipeline calling it again after its in-process run does not page twice
    records = send_run_alerts(result.run_id, instance)
    assert [r.status for r in records] == [DITEKAN]
    assert len(hook.received) == 1
    assert load_alert_history(data)["status"].to_list() == [DITEKAN, TERKIRIM]


def test_warn_check_in_successful_run_alerts_through_the_success_sensor(tmp_path, hook):
    march = sample_month("2025-03")
    kinerja = march["kinerja"]
    march["kinerja"] = kinerja.with_columns(
        pl.when(pl.col("nip") == ANI)
        .then(pl.col("nip"))
        .otherwise(pl.col("nip_penilai"))
        .alias("nip_penilai")
    )
    write_data_dir(tmp_path, {"2025-03": march})
    assets = [_stub(r) for r in RAW]
    instance, result = _run(tmp_path, assets, build_asset_checks(("raw/kinerja",)))
    assert result.success  # WARN does not block
    sensor = {s.name: s for s in alert_sensors()}["alert_cek_gagal"]
    sensor(_sensor_context(instance, result, failed=False))
    assert [m["json"]["cek"] for m in hook.received] == ["penilai_sama_dengan_dinilai"]
    assert hook.received[0]["json"]["tingkat"] == WARN
    assert hook.received[0]["json"]["kode_opd"] == ["1.02.01"]
    assert "kinerja_202503.csv baris" in hook.received[0]["json"]["text"]


def test_failed_step_gives_one_run_alert(tmp_path):
    instance, result = _run(tmp_path, _graph(absensi="File absensi tidak ada untuk 2025-03."), [])
    assert not result.success
    alerts = alerts_for_run(result.run_id, instance, AlertConfig())
    assert len(alerts) == 1
    alert = alerts[0]
    assert alert.check_name is None and alert.periode == "2025-03"
    assert "raw__absensi" in alert.what and "File absensi tidak ada" in alert.what
    server = webhook_server()
    try:
        config = AlertConfig(webhook=WebhookConfig(url=f"http://127.0.0.1:{server.port}/"))
        from orchestration.core.paths import DataDir

        records = send_run_alerts(result.run_id, instance, DataDir.resolve(tmp_path), config)
        assert [r.status for r in records] == [TERKIRIM]
        assert "run tpp_bulanan gagal" in server.received[0]["json"]["text"]
    finally:
        server.close()


def test_run_alert_names_the_root_cause():
    from dagster._utils.error import SerializableErrorInfo

    from orchestration.alerting import _error_text

    failure = SerializableErrorInfo(
        "dagster._core.definitions.events.Failure: File absensi tidak ada untuk periode "
        "2025-01: TPP tidak dapat dihitung tanpa file ini.\n",
        [],
        "Failure",
    )
    retried = SerializableErrorInfo(
        "Exceeded max_retries of 1\n", [], "RetryRequestedFromPolicy", cause=failure
    )
    assert _error_text(retried) == (
        "File absensi tidak ada untuk periode 2025-01: TPP tidak dapat dihitung tanpa file ini."
    )
    dbt = SerializableErrorInfo(
        "dagster_dbt.errors.DagsterDbtCliRuntimeError: The dbt CLI process with command\n\n"
        "```\ndbt build --vars ...\n```\n\nfailed with exit code `1`.\n"
        "Errors parsed from dbt logs:\n51 of 139 FAIL 1 int_periode::periode_versi [FAIL 1]\n",
        [],
        "DagsterDbtCliRuntimeError",
    )
    text = _error_text(dbt)
    assert text.startswith("DagsterDbtCliRuntimeError: 51 of 139 FAIL 1 int_periode")
