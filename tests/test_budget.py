"""Budget: the realisasi_pagu mart (dbt) against tpp_bulanan, the run-rate forecast on a crafted
example, and the de-duplicated over-budget WARN alert."""

from __future__ import annotations

import polars as pl
import pytest
from tpp_fixtures import build_scenario, dbt_build

from orchestration.core.paths import DataDir
from quality.alerts import DITEKAN, TERKIRIM, load_alert_history
from quality.budget import (
    alerts_for,
    budget_alerts,
    compute_realisasi,
    latest_per_year,
    load_pagu,
)
from quality.config import AlertConfig, WebhookConfig
from tests.support.capture import webhook_server


@pytest.fixture(scope="module")
def gudang(tmp_path_factory):
    """One dbt build of the two-month scenario (February, March 2025), marts incl. realisasi_pagu."""
    data = tmp_path_factory.mktemp("budget")
    build_scenario(data)
    result = dbt_build(
        data,
        vars={"periode_mulai": "2025-02", "periode_sampai": "2025-03"},
        extra=[
            "--exclude-resource-type",
            "unit_test",
            "--select",
            "+realisasi_pagu",
            "--indirect-selection",
            "cautious",
        ],
    )
    assert result.success, "\n".join(result.failures)
    return result


def _tpp(rows: list[tuple[str, str, str, int]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows, schema=["periode", "kode_opd", "nip", "tpp_bruto"], orient="row"
    ).with_columns((pl.col("tpp_bruto") * 9 // 10).alias("tpp_neto"))


def _pagu(rows: list[tuple[int, str, int, int, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema=["tahun", "kode_opd", "pagu", "jumlah_pembayaran", "versi", "berlaku_mulai"],
        orient="row",
    ).with_columns(pl.col("berlaku_mulai").str.to_date())


def test_realisasi_sama_dengan_tpp_bulanan(gudang):
    mart = gudang.query(
        "select periode_tpp, kode_opd, realisasi_bruto, realisasi_neto from realisasi_pagu "
        "where periode_tpp is not null order by all"
    )
    tpp = gudang.query(
        "select periode as periode_tpp, kode_opd, sum(tpp_bruto) as realisasi_bruto, "
        "sum(tpp_neto) as realisasi_neto from tpp_bulanan group by all order by all"
    )
    assert mart == tpp and mart
    # paid in the month after: February's TPP is April's? no - March's payment month
    bayar = gudang.query(
        "select distinct periode_bayar, periode_tpp from realisasi_pagu "
        "where periode_tpp is not null order by 1"
    )
    assert [(r["periode_bayar"], r["periode_tpp"]) for r in bayar] == [
        ("2025-03", "2025-02"),
        ("2025-04", "2025-03"),
    ]


def test_mart_sama_dengan_hitungan_polars(gudang):
    with_cols = [
        "tahun",
        "bulan",
        "kode_opd",
        "pagu",
        "realisasi_bruto",
        "realisasi_kumulatif",
        "bulan_terbayar",
        "proyeksi_akhir_tahun",
        "sisa_pagu",
        "melebihi_pagu",
    ]
    mart = pl.DataFrame(gudang.query("select * from realisasi_pagu")).select(with_cols)
    tpp = pl.DataFrame(
        gudang.query("select periode, kode_opd, nip, tpp_bruto, tpp_neto from tpp_bulanan")
    )
    ours = compute_realisasi(tpp).select(with_cols)
    key = ["tahun", "bulan", "kode_opd"]
    assert (
        mart.sort(key)
        .cast({c: pl.Int64 for c in with_cols[3:-1]} | {"tahun": pl.Int64, "bulan": pl.Int64})
        .equals(
            ours.sort(key).cast(
                {c: pl.Int64 for c in with_cols[3:-1]} | {"tahun": pl.Int64, "bulan": pl.Int64}
            )
        )
    )
    # every department of the year's budget has a row, realised or not
    assert (
        mart.filter(pl.col("tahun") == 2025)["kode_opd"].n_unique()
        == load_pagu().filter(pl.col("tahun") == 2025)["kode_opd"].n_unique()
    )


def test_proyeksi_run_rate_contoh():
    # A: TPP of Dec 2024 is paid in Jan 2025; Jan and Feb 2025 paid in Feb and Mar
    tpp = _tpp(
        [
            ("2024-11", "A", "1", 999),
            ("2024-12", "A", "1", 100),
            ("2024-12", "A", "2", 50),
            ("2025-01", "A", "1", 100),
            ("2025-02", "A", "1", 101),
            ("2025-02", "B", "3", 10),
        ]
    )
    pagu = _pagu(
        [
            (2025, "A", 2000, 12, "murni", "2025-01-01"),
            (2025, "A", 1000, 12, "perubahan", "2025-03-01"),
            (2025, "B", 1000, 13, "murni", "2025-01-01"),
            (2024, "A", 10_000, 12, "murni", "2024-01-01"),
        ]
    )
    r = compute_realisasi(tpp, pagu)
    a = r.filter(pl.col("kode_opd") == "A", pl.col("tahun") == 2025).sort("bulan")
    assert a["bulan"].to_list() == [1, 2, 3]
    assert a["realisasi_bruto"].to_list() == [150, 100, 101]
    assert a["realisasi_kumulatif"].to_list() == [150, 250, 351]
    assert a["bulan_terbayar"].to_list() == [1, 2, 3]
    # 150*12/1 = 1800; 250*12/2 = 1500; 351*12/3 = 1404
    assert a["proyeksi_akhir_tahun"].to_list() == [1800, 1500, 1404]
    # the APBD-perubahan version applies from March: 1404 > 1000
    assert a["pagu"].to_list() == [2000, 2000, 1000]
    assert a["melebihi_pagu"].to_list() == [False, False, True]
    b = r.filter(pl.col("kode_opd") == "B").sort("bulan")
    # B had nothing in Jan and Feb: 0, 0, then 10 -> 10 * 13 / 3 = 43.33 -> 43
    assert b["realisasi_kumulatif"].to_list() == [0, 0, 10]
    assert b["proyeksi_akhir_tahun"].to_list() == [0, 0, 43]
    # half up: 7 paid over 2 months x 12 = 42; 5 over 3 months x 13 = 21.67 -> 22
    half = compute_realisasi(
        _tpp([("2025-01", "C", "1", 5), ("2025-02", "C", "1", 0), ("2025-03", "C", "1", 0)]),
        _pagu([(2025, "C", 1, 13, "m", "2025-01-01")]),
    )
    assert half.sort("bulan")["proyeksi_akhir_tahun"].to_list() == [65, 33, 22]
    latest = latest_per_year(r).filter(pl.col("tahun") == 2025)
    assert dict(zip(latest["kode_opd"], latest["bulan"], strict=True)) == {"A": 3, "B": 3}


def test_alert_melebihi_pagu_sekali(tmp_path):
    tpp = _tpp([("2025-01", "A", "1", 5000), ("2025-01", "B", "2", 1)])
    pagu = _pagu(
        [(2025, "A", 1000, 12, "m", "2025-01-01"), (2025, "B", 1000, 12, "m", "2025-01-01")]
    )
    realisasi = compute_realisasi(tpp, pagu)
    (alert,) = alerts_for(realisasi)
    assert alert.severity == "WARN" and alert.kode_opd == ("A",) and alert.periode == "2025"
    data = DataDir.resolve(tmp_path)
    server = webhook_server()
    try:
        config = AlertConfig(webhook=WebhookConfig(url=f"http://127.0.0.1:{server.port}/hook"))
        first = budget_alerts(data, realisasi, config)
        again = budget_alerts(data, realisasi, config)
        assert [r.status for r in first] == [TERKIRIM]
        assert [r.status for r in again] == [DITEKAN]
        assert len(server.received) == 1
        body = server.received[0]["json"]
        assert body["tingkat"] == "WARN" and body["kode_opd"] == ["A"]
        assert "melebihi pagu" in body["masalah"]
        # a second department over budget is a new failure: it pages again
        worse = compute_realisasi(
            _tpp([("2025-01", "A", "1", 5000), ("2025-01", "B", "2", 5000)]), pagu
        )
        assert [r.status for r in budget_alerts(data, worse, config)] == [TERKIRIM]
        assert len(server.received) == 2
    finally:
        server.close()
    history = load_alert_history(data)
    assert history.height == 3 and set(history["status"]) == {TERKIRIM, DITEKAN}


def test_tanpa_melebihi_tanpa_alert(tmp_path):
    realisasi = compute_realisasi(
        _tpp([("2025-01", "A", "1", 10)]), _pagu([(2025, "A", 1000, 12, "m", "2025-01-01")])
    )
    assert budget_alerts(DataDir.resolve(tmp_path), realisasi, AlertConfig()) == []


def test_asset_check_budget_terdefinisi():
    import dagster as dg

    from quality.budget import build_budget_check

    check = build_budget_check()
    assert isinstance(check, dg.AssetChecksDefinition)
    (spec,) = check.check_specs
    assert spec.asset_key == dg.AssetKey(["realisasi_pagu"]) and not spec.blocking


def test_asset_check_budget_jalan_dan_alert(gudang, tmp_path, monkeypatch):
    """The check on the warehouse of the scenario: within budget, nothing sent; recorded nowhere."""
    import dagster as dg

    from orchestration.resources import KinerjaStorage
    from quality.budget import build_budget_check

    monkeypatch.delenv("KINERJA_ALERT_WEBHOOK", raising=False)
    storage = KinerjaStorage(exports_dir=str(tmp_path), data_dir=str(gudang.data))
    context = dg.build_asset_check_context(resources={"storage": storage})
    result = build_budget_check()(context)
    assert result.passed and result.severity == dg.AssetCheckSeverity.WARN
