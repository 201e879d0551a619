"""Engine selection (KINERJA_ENGINE -> dbt target) and what must not differ between engines:
the raw sources' declared columns (= the ingest contract) and the Dagster asset graph."""

from __future__ import annotations

import dagster as dg
import polars as pl
import pytest
import yaml

from orchestration.core.contract import KINDS, QUARANTINE_SCHEMA, raw_schema
from orchestration.core.paths import TRANSFORMS_DIR
from orchestration.dbt_project import dbt_engine, dbt_project

SPARK_TYPE = {pl.String: "string", pl.Int32: "int", pl.Float64: "double", pl.Date: "date"}


def _spark_type(dtype) -> str:
    # the ingest writes naive datetimes (WITA wall clock): TIMESTAMP_NTZ in Parquet
    return "timestamp_ntz" if isinstance(dtype, pl.Datetime) else SPARK_TYPE[dtype]


def test_kolom_sumber_raw_sama_dengan_kontrak():
    """The Spark external tables are declared in _sources.yml; they must match what the ingest
    writes (DuckDB reads the Parquet schema itself, so a drift would only break Spark)."""
    doc = yaml.safe_load((TRANSFORMS_DIR / "models" / "staging" / "_sources.yml").read_text())
    tables = {t["name"]: t for s in doc["sources"] if s["name"] == "raw" for t in s["tables"]}
    expected = {k: raw_schema(k) for k in KINDS}
    expected |= {f"karantina_{k}": QUARANTINE_SCHEMA for k in KINDS}
    assert set(tables) == set(expected)
    for name, schema in expected.items():
        declared = [(c["name"], c["data_type"]) for c in tables[name]["columns"]]
        assert declared == [(n, _spark_type(t)) for n, t in schema.items()], name
        spark = tables[name]["config"]["meta"]["spark"]
        assert spark["lokasi"] == ("karantina" if name.startswith("karantina_") else name)


def test_mesin_dipilih_dari_konfigurasi(monkeypatch):
    from dagster_dbt import DbtCliResource

    monkeypatch.delenv("KINERJA_ENGINE", raising=False)
    assert dbt_engine() == "duckdb" and dbt_project().target == "duckdb"
    monkeypatch.setenv("KINERJA_ENGINE", "Spark")
    assert dbt_engine() == "spark"
    project = dbt_project()
    assert project.target == "spark" and project.manifest_path.parent.name == "spark"
    # the resource Dagster runs dbt with passes --target spark to every command
    assert DbtCliResource(project_dir=project).target == "spark"
    assert dbt_project("duckdb").manifest_path == TRANSFORMS_DIR / "target" / "manifest.json"
    monkeypatch.setenv("KINERJA_ENGINE", "postgres")
    with pytest.raises(ValueError, match="KINERJA_ENGINE"):
        dbt_engine()


def test_graf_aset_sama_untuk_kedua_mesin(tmp_path, monkeypatch):
    pytest.importorskip(
        "dbt.adapters.spark", reason="the 'spark' extra is not installed (uv sync --extra spark)"
    )
    from orchestration.assets.transforms import build_tpp_dbt_assets

    monkeypatch.setenv("KINERJA_DATA", str(tmp_path))  # the profiles need it; nothing is built
    duck, spark = build_tpp_dbt_assets("duckdb"), build_tpp_dbt_assets("spark")
    assert len(duck.keys) > 30
    # tpp_dibayar reads the locked Parquet files by path at query time: a DuckDB view only
    # (transforms/models/marts/tpp_dibayar.sql); nothing depends on it
    duckdb_only = {dg.AssetKey("tpp_dibayar")}
    assert duck.keys - duckdb_only == spark.keys
    assert {k: set(v) for k, v in duck.asset_deps.items() if k not in duckdb_only} == {
        k: set(v) for k, v in spark.asset_deps.items()
    }
    assert {k: duck.specs_by_key[k].group_name for k in duck.keys - duckdb_only} == {
        k: spark.specs_by_key[k].group_name for k in spark.keys
    }
