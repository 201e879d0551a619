"""The Dagster code location of Si-Kinerja Analytics.

Loaded lazily: importing this module parses nothing; the dbt manifest is read (and refreshed
with ``dbt parse`` only when the dbt project changed) when Dagster asks for the definitions.
"""

from __future__ import annotations

import os

import dagster as dg


def build_definitions() -> dg.Definitions:
    from orchestration.alerting import alert_sensors
    from orchestration.assets.ingest import ingest_assets
    from orchestration.assets.models import model_assets
    from orchestration.assets.publish import published_tpp
    from orchestration.assets.transforms import build_tpp_dbt_assets
    from orchestration.checks import build_asset_checks
    from orchestration.dbt_project import dbt_project
    from orchestration.resources import KinerjaDbtCli, KinerjaStorage
    from orchestration.sensors import (
        JOB_NAME,
        MASTER_JOB_NAME,
        MODEL_JOB_NAME,
        ekspor_baru,
        model_schedule,
        monthly_schedule,
    )
    from quality.budget import build_budget_check

    storage = KinerjaStorage.from_env()
    # dbt (a subprocess, started in the dbt project's folder) finds the warehouse through
    # env_var('KINERJA_DATA'): the same folder as the resource, by its full path, also when
    # only the default ./data is in use or the variable was given relative (paths.py)
    os.environ["KINERJA_DATA"] = storage.data_dir
    # the payroll run stays lean; the models train and score in their own monthly job
    models = dg.AssetSelection.groups("models")
    job = dg.define_asset_job(JOB_NAME, selection=dg.AssetSelection.all() - models)
    model_job = dg.define_asset_job(MODEL_JOB_NAME, selection=models)
    # a master-only month is reference data: ingested (no checks that could block), no TPP
    master = dg.AssetSelection.assets(
        *[a for a in ingest_assets if a.node_def.name == "ingest_pegawai"]
    )
    master_job = dg.define_asset_job(MASTER_JOB_NAME, selection=master.without_checks())
    return dg.Definitions(
        assets=[*ingest_assets, build_tpp_dbt_assets(), published_tpp, *model_assets],
        asset_checks=[*build_asset_checks(), build_budget_check()],
        jobs=[job, model_job, master_job],
        schedules=[monthly_schedule(job), model_schedule(model_job)],
        sensors=[ekspor_baru, *alert_sensors()],
        resources={
            "storage": storage,
            "dbt": KinerjaDbtCli.for_project(dbt_project()),
        },
    )


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions()
