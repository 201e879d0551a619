"""The dbt project as Dagster sees it: built lazily, parsed only when its sources changed.

The engine comes from ``KINERJA_ENGINE`` (``duckdb``, the default, or ``spark``): it picks the dbt
target of transforms/profiles.yml, passed as ``--target`` to every dbt command Dagster runs
(``DbtCliResource`` takes it from the ``DbtProject``). Each engine keeps its own manifest
(``target/`` for DuckDB, ``target/spark/`` for Spark); the asset graph is the same.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.core.paths import TRANSFORMS_DIR

_PROJECT_SOURCES = ("dbt_project.yml", "profiles.yml", "models", "seeds", "macros", "tests")

# KINERJA_ENGINE -> dbt target (transforms/profiles.yml)
ENGINES = {"duckdb": "duckdb", "spark": "spark"}


def dbt_engine(engine: str | None = None) -> str:
    """The engine asked for (argument, else ``KINERJA_ENGINE``, else duckdb), validated."""
    name = (engine or os.environ.get("KINERJA_ENGINE") or "duckdb").strip().lower()
    if name not in ENGINES:
        raise ValueError(f"KINERJA_ENGINE harus salah satu dari {sorted(ENGINES)}, bukan '{name}'")
    return name


def dbt_project(engine: str | None = None) -> DbtProject:
    return _dbt_project(dbt_engine(engine))


@cache
def _dbt_project(engine: str) -> DbtProject:
    target_path = Path("target") if engine == "duckdb" else Path("target") / engine
    return DbtProject(
        project_dir=TRANSFORMS_DIR,
        profiles_dir=TRANSFORMS_DIR,
        target=ENGINES[engine],
        target_path=target_path,
    )


@contextmanager
def window_environment(periode_mulai: str, periode_sampai: str) -> Iterator[None]:
    """``os.environ`` holds the run window while dbt is started inside this block.

    The window reaches dbt as ``KINERJA_PERIODE_MULAI/SAMPAI`` (read by macros/jendela.sql when
    executing), not as ``--vars``: vars are part of dbt's parse state, so a new window would cost
    a full re-parse on every run.
    """
    window = {"KINERJA_PERIODE_MULAI": periode_mulai, "KINERJA_PERIODE_SAMPAI": periode_sampai}
    with environment(window):
        yield


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` holds ``values`` inside this block; what was there before comes back."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def dbt_build_args(*, unit_tests: bool = True) -> list[str]:
    """Arguments of the one ``dbt build`` a run makes (its window: ``window_environment``).

    ``unit_tests=False`` leaves out the dbt unit tests (the rule proofs on fixtures): they do
    not read the data, so they need to pass once per version of the dbt project, not per run.
    Models, seeds and data tests always run.
    """
    return ["build"] if unit_tests else ["build", "--exclude-resource-type", "unit_test"]


def dbt_target_path(data_root: Path, engine: str | None = None) -> Path:
    """Where the builds of a data directory write dbt's target (run_results.json, compiled SQL,
    dbt.log, partial_parse.msgpack): one folder per engine, reused run after run, so dbt parses
    only what changed and nothing piles up in the project."""
    return data_root / "dbt" / dbt_engine(engine)


def _newest_source_mtime(project_dir: Path) -> float:
    newest = 0.0
    for name in _PROJECT_SOURCES:
        path = project_dir / name
        if path.is_file():
            newest = max(newest, path.stat().st_mtime)
        elif path.is_dir():
            newest = max([newest, *(p.stat().st_mtime for p in path.rglob("*") if p.is_file())])
    return newest


def ensure_manifest(engine: str | None = None) -> Path:
    """Return the manifest path, running ``dbt parse`` only if it is missing or stale.

    One process parses at a time (a lock file in the target folder): two pipelines starting
    on a fresh checkout must not write the same manifest at once, nor read it half written."""
    import fcntl

    project = dbt_project(engine)
    manifest = project.manifest_path
    if _fresh(manifest, project.project_dir):
        return manifest
    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.parent / ".parse.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not _fresh(manifest, project.project_dir):  # parsed while this one waited?
            _parse(project)
    return manifest


def _fresh(manifest: Path, project_dir: Path) -> bool:
    return (
        manifest.exists()
        and manifest.stat().st_mtime >= _newest_source_mtime(project_dir)
        and parsed_here(manifest.with_name(PARSE_STATE), project_dir)
    )


PARSE_STATE = "partial_parse.msgpack"  # dbt's saved parse, reused by the next command


def parsed_here(state: Path, project_dir: Path) -> bool:
    """Whether dbt's saved parse ``state`` (when there is one) was made of the project in
    ``project_dir``.

    dbt saves each node with the project's absolute folder (``root_path``) and does not compare
    it when it reuses the state: reused after the project moved (a new checkout or release in
    another folder, a data directory last built by another clone) every seed is read from the
    old folder ("No files found that match the pattern .../seeds/aturan_basis.csv") and the
    build fails. dagster-dbt knows the problem (its ``prepare`` marks the seeds as changed); a
    state from elsewhere is not reused here."""
    if not state.exists():
        return True
    import msgpack  # dbt's own format for the state (a dependency of dbt-core)

    with open(state, "rb") as f:
        saved = msgpack.unpack(f, raw=False, strict_map_key=False)
    here = {str(project_dir), str(project_dir.resolve())}
    return all(
        node["root_path"] in here for node in saved.get("nodes", {}).values() if "root_path" in node
    )


def forget_parse_from_elsewhere(target: Path, project_dir: Path) -> None:
    """Remove the saved parse of a dbt target folder made of the project in another folder
    (``parsed_here``): dagster-dbt then copies in the project's own, made here."""
    state = target / PARSE_STATE
    if not parsed_here(state, project_dir):
        state.unlink(missing_ok=True)


def _parse(project: DbtProject) -> None:
    """``dbt parse`` into a folder of its own, then each file renamed into the target folder.

    dbt writes ``manifest.json`` in place, and a file being written is "fresh" by its mtime: a
    process that checks ``_fresh`` while another parses (two pytest workers, two pipelines on a
    new checkout) would read half a manifest. A rename is atomic: readers see the old file or
    the new one, whole. The previous partial-parse state is copied in, so only what changed is
    parsed again."""
    import shutil
    import tempfile

    from dbt.cli.main import dbtRunner

    from orchestration.dbt_in_data import WAREHOUSE_HERE

    os.environ.setdefault("KINERJA_DATA", str(Path("data").resolve()))
    target = project.project_dir / project.target_path
    target.mkdir(parents=True, exist_ok=True)
    # the warehouse as kinerja-dbt names it, so every data directory's first build reuses
    # this parse's state
    with (
        environment(WAREHOUSE_HERE),
        tempfile.TemporaryDirectory(prefix=".parse-", dir=target) as staging,
    ):
        state = target / PARSE_STATE
        if state.exists() and parsed_here(state, project.project_dir):
            shutil.copy2(state, staging)
        args = [
            "parse",
            "--quiet",
            "--project-dir",
            str(project.project_dir),
            "--profiles-dir",
            str(project.profiles_dir),
            "--target",
            str(project.target),
            "--target-path",
            staging,
        ]
        result = dbtRunner().invoke(args)
        if not result.success:
            raise RuntimeError(f"dbt parse gagal: {result.exception}")
        # the manifest last: whoever sees the new manifest also finds the rest beside it
        files = sorted(Path(staging).iterdir(), key=lambda f: f.name == "manifest.json")
        for f in files:
            if f.is_file():
                os.replace(f, target / f.name)
