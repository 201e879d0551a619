"""dbt models as monthly-partitioned assets: one ``dbt build`` per run over its period range."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from orchestration.dbt_project import (
    dbt_build_args,
    dbt_project,
    dbt_target_path,
    ensure_manifest,
    forget_parse_from_elsewhere,
    window_environment,
)
from orchestration.partitions import monthly
from orchestration.resources import KinerjaStorage

# Run tag: "false" leaves the dbt unit tests out of this run's build (``kinerja run`` sets it
# when they already passed for this exact dbt project); absent (sensor, schedule, UI) = run them.
UNIT_TESTS_TAG = "kinerja/dbt_unit_test"


class KinerjaTranslator(DagsterDbtTranslator):
    """Models group by layer; sources keep ``raw/<table>``, the keys of the ingest assets."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn", [])
        return fqn[1] if len(fqn) > 2 else "reference"


def build_tpp_dbt_assets(engine: str | None = None) -> dg.AssetsDefinition:
    """The dbt assets on ``engine`` (default ``KINERJA_ENGINE``): same keys on every engine."""

    @dbt_assets(
        manifest=ensure_manifest(engine),
        project=dbt_project(engine),
        partitions_def=monthly,
        backfill_policy=dg.BackfillPolicy.single_run(),
        dagster_dbt_translator=KinerjaTranslator(),
    )
    def tpp_dbt(context: dg.AssetExecutionContext, dbt: DbtCliResource, storage: KinerjaStorage):
        window = context.partition_key_range
        unit_tests = context.run.tags.get(UNIT_TESTS_TAG) != "false"
        target = dbt_target_path(storage.data.root, engine)
        forget_parse_from_elsewhere(target, dbt_project(engine).project_dir)
        with window_environment(window.start, window.end):
            invocation = dbt.cli(
                dbt_build_args(unit_tests=unit_tests), context=context, target_path=target
            )
        yield from invocation.stream()

    return tpp_dbt
