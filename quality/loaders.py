"""Read what the checks judge: raw-zone Parquet (polars) and marts (DuckDB, read-only)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import polars as pl

from orchestration.core.contract import optional_columns, raw_schema
from orchestration.core.paths import DataDir


def read_raw(data: DataDir, kind: str, periode: str) -> pl.DataFrame | None:
    """Rows of ``raw/<kind>/<periode>.parquet``; None when that period has no file. A file
    written before an optional contract column existed (``pola_kerja``) reads with that column
    empty, as dbt's ``union_by_name`` reads it."""
    path = data.raw_file(kind, periode)
    if not path.is_file():
        return None
    frame = pl.read_parquet(path)
    schema = raw_schema(kind)
    absent = [name for name in optional_columns(kind) if name not in frame.columns]
    return frame.with_columns(pl.lit(None, schema[name]).alias(name) for name in absent)


def empty_raw(kind: str) -> pl.DataFrame:
    return raw_schema(kind).to_frame()


class Warehouse:
    """Read-only access to marts of ``DATA/warehouse.duckdb`` (tables may sit in any schema)."""

    def __init__(self, con) -> None:
        self._con = con
        rows = con.execute(
            "select table_schema, table_name from information_schema.tables"
        ).fetchall()
        self._where: dict[str, list[str]] = {}
        for schema, name in rows:
            self._where.setdefault(name, []).append(schema)

    def has(self, name: str) -> bool:
        return name in self._where

    def _relation(self, name: str) -> str:
        schemas = self._where[name]
        # prefer the default schema, then the marts' own, then anything else (sorted: stable)
        order = sorted(schemas, key=lambda s: (s != "main", "mart" not in s, s))
        return f'"{order[0]}"."{name}"'

    def table(self, name: str, periods: Sequence[str] | None = None) -> pl.DataFrame | None:
        """Rows of a mart (only ``periods`` when given and the table has ``periode``)."""
        if not self.has(name):
            return None
        relation = self._relation(name)
        if periods is None:
            return pl.from_arrow(self._con.sql(f"select * from {relation}").to_arrow_table())
        columns = {r[0] for r in self._con.execute(f"describe {relation}").fetchall()}
        if "periode" not in columns:
            return pl.from_arrow(self._con.sql(f"select * from {relation}").to_arrow_table())
        marks = ", ".join("?" for _ in periods) or "null"
        sql = f"select * from {relation} where cast(periode as varchar) in ({marks})"
        return pl.from_arrow(self._con.sql(sql, params=list(periods)).to_arrow_table())


@contextmanager
def warehouse(data: DataDir) -> Iterator[Warehouse | None]:
    """A short-lived read-only connection; None when the warehouse does not exist yet."""
    if not data.warehouse.is_file():
        yield None
        return
    import duckdb

    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        yield Warehouse(con)
    finally:
        con.close()
