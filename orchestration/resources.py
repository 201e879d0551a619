"""Dagster resources: where exports arrive and where the platform keeps its data."""

from __future__ import annotations

import os
import sys
from functools import cached_property
from importlib.metadata import version
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging.version import Version

from orchestration.core.paths import DataDir


class KinerjaStorage(dg.ConfigurableResource):
    """The export landing folder and the data directory (raw zone, warehouse, published)."""

    exports_dir: str
    data_dir: str

    @property
    def exports(self) -> Path:
        return Path(self.exports_dir)

    @property
    def data(self) -> DataDir:
        return DataDir.resolve(self.data_dir)

    @classmethod
    def from_env(cls) -> KinerjaStorage:
        return cls(
            exports_dir=str(Path(os.environ.get("KINERJA_EXPORTS", "exports")).resolve()),
            data_dir=str(DataDir.resolve().root),
        )


class KinerjaDbtCli(DbtCliResource):
    """``DbtCliResource`` for the dbt-core installed beside this interpreter, without two costs
    per run that buy these assets nothing (~4 s of a run's fixed cost, docs/benchmarks.md):

    - the dbt version comes from the package metadata, not a ``dbt --version`` subprocess;
    - no dbt adapter is opened in the Dagster process: dagster-dbt uses it only to fetch row
      counts and column metadata, which these assets do not ask for.

    ``tests/test_orchestration.py`` pins the two dagster-dbt internals this overrides.
    """

    @cached_property
    def _cli_version(self) -> Version:
        return Version(version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: ARG002
        return None

    @classmethod
    def for_project(cls, project) -> KinerjaDbtCli:
        """The resource for ``project``, running the ``dbt`` of this environment (found even
        when the environment's bin folder is not on PATH); for DuckDB ``kinerja-dbt``, which
        starts it inside the data directory so that a new data directory parses only what the
        project's own parse has not (``orchestration/dbt_in_data.py``)."""
        names = ("kinerja-dbt", "dbt") if project.target == "duckdb" else ("dbt",)
        found = [b for b in (Path(sys.executable).with_name(n) for n in names) if b.exists()]
        return cls(project_dir=project, dbt_executable=str(found[0]) if found else "dbt")
