"""``kinerja-dbt``: the dbt command, started inside the data directory it builds.

dbt reuses what it parsed before (``partial_parse.msgpack``) only while the profile's connection
is unchanged, and the profile named the warehouse by its full path, which holds the data
directory: every new data directory (a fresh install, each bench run, each test) parsed the
whole project again, ~5 s (docs/benchmarks.md). Started inside the data directory with
``KINERJA_WAREHOUSE=warehouse.duckdb``, the profile reads the same for every data directory, so
the state of the project's own parse (``ensure_manifest``, parsed with the same value) is reused;
DuckDB opens the relative path in this working directory. Only the profile changes: the
sources' Parquet globs keep the data directory's full path (``KINERJA_DATA``, put in only when
executing: macros/sumber.sql), because DuckDB stores them in the staging views, which other
processes query from elsewhere. ``KINERJA_DATA`` is a full path here (``definitions`` and
``run_pipeline`` set it so). Dagster runs this for the DuckDB engine
(``KinerjaDbtCli.for_project``); Spark keeps plain ``dbt``.
"""

from __future__ import annotations

import os
import sys

WAREHOUSE_HERE = {"KINERJA_WAREHOUSE": "warehouse.duckdb"}


def main() -> None:
    data = os.environ.get("KINERJA_DATA")
    if not data or not os.path.isdir(data):
        sys.exit(f"kinerja-dbt: folder data '{data or ''}' (KINERJA_DATA) tidak ada.")
    os.chdir(data)
    os.environ.update(WAREHOUSE_HERE)
    from dbt.cli.main import cli

    cli()
