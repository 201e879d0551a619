"""The dbt project as Dagster sees it: built lazily, parsed only when its sources changed."""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.paths import TRANSFORMS_DIR

_PROJECT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")


@cache
def dbt_project() -> DbtProject:
    return DbtProject(project_dir=TRANSFORMS_DIR, profiles_dir=TRANSFORMS_DIR)


def dbt_vars(periode_mulai: str, periode_sampai: str, **extra: str) -> dict[str, str]:
    """The dbt vars for a run over the periods ``periode_mulai`` .. ``periode_sampai``."""
    return {"periode_mulai": periode_mulai, "periode_sampai": periode_sampai, **extra}


def dbt_build_args(periode_mulai: str, periode_sampai: str, **extra: str) -> list[str]:
    """Arguments of the one ``dbt build`` a run makes."""
    return ["build", "--vars", json.dumps(dbt_vars(periode_mulai, periode_sampai, **extra))]


def _newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in _PROJECT_SOURCES:
        path = project_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            newest = max([newest, *(p.stat().st_mtime for p in path.rglob("*") if p.is_file())])
    return newest


def ensure_manifest() -> Path:
    """Return the manifest path, running ``dbt parse`` only if it is missing or stale."""
    project = dbt_project()
    manifest = project.manifest_path
    if manifest.exists() and manifest.stat().st_mtime >= _newest_source_mtime(project.project_dir):
        return manifest
    from dbt.cli.main import dbtRunner

    os.environ.setdefault("KINERJA_DATA", str(Path("data").resolve()))
    args = ["parse", "--quiet", "--project-dir", str(project.project_dir),
            "--profiles-dir", str(project.profiles_dir)]  # fmt: skip
    result = dbtRunner().invoke(args)
    if not result.success:
        raise RuntimeError(f"dbt parse gagal: {result.exception}")
    return manifest
