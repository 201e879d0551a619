"""``kinerja-dbt``: the dbt command, started inside the data directory it builds.

dbt reuses what it parsed before (``partial_parse.msgpack``) only while the profile's connection
is unchanged, and the profile names the warehouse by the data directory
(``env_var('KINERJA_DATA')`` in transforms/profiles.yml): every new data directory (a fresh
install, each bench run, each test) parsed the whole project again, ~5 s (docs/benchmarks.md).
Started in the data directory with ``KINERJA_DATA=.``, the profile, the sources' Parquet globs and
the locked-data folder read the same for every data directory, so the state of the project's own
parse (``ensure_manifest``, parsed with ``.`` too) is reused; DuckDB resolves the relative paths
against this working directory. Dagster runs it for the DuckDB engine
(``KinerjaDbtCli.for_project``); Spark's settings keep absolute paths and plain ``dbt``.
"""

from __future__ import annotations

import os
import sys

HERE = "."


def main() -> None:
    data = os.environ.get("KINERJA_DATA")
    if data and data != HERE:
        if not os.path.isdir(data):
            sys.exit(f"kinerja-dbt: folder data {data} (KINERJA_DATA) tidak ada.")
        os.chdir(data)
        os.environ["KINERJA_DATA"] = HERE
    from dbt.cli.main import cli

    cli()
