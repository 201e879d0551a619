"""History of every check result, for the app: ``DATA/quality.sqlite``, table ``hasil_cek``.

One row per (run_id, check, asset, periode); writing the same run's result again replaces it,
so re-recording is idempotent.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path

import polars as pl

from orchestration.core.paths import DataDir
from quality.outcome import CheckOutcome, json_safe

HISTORY_SCHEMA = pl.Schema(
    {
        "run_id": pl.String,
        "periode": pl.String,
        "check_name": pl.String,
        "asset": pl.String,
        "severity": pl.String,  # ERROR | WARN
        "passed": pl.Boolean,
        "n_failed": pl.Int64,
        "description": pl.String,  # Bahasa Indonesia
        "kode_opd": pl.String,  # comma-separated departments involved ('' when none / unknown)
        "fingerprint": pl.String,
        "details": pl.String,  # JSON
        "checked_at": pl.Datetime("us", "UTC"),
    }
)

_DDL = """
create table if not exists hasil_cek (
    run_id text not null,
    periode text not null,
    check_name text not null,
    asset text not null,
    severity text not null,
    passed integer not null,
    n_failed integer not null,
    description text not null,
    kode_opd text not null,
    fingerprint text not null,
    details text not null,
    checked_at text not null,
    primary key (run_id, check_name, asset, periode)
);
create index if not exists hasil_cek_periode on hasil_cek (periode, check_name);
"""


def history_path(data: DataDir) -> Path:
    return data.root / "quality.sqlite"


def connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30)
    con.execute("pragma journal_mode=wal")
    return con


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def record_outcomes(
    data: DataDir,
    run_id: str,
    outcomes: Iterable[CheckOutcome],
    checked_at: dt.datetime | None = None,
) -> int:
    """Append (or replace, same run) the results; returns how many rows were written."""
    at = (checked_at or now_utc()).astimezone(dt.UTC).isoformat()
    rows = [
        (
            run_id,
            o.periode,
            o.check,
            o.asset,
            o.severity,
            int(o.passed),
            int(o.n_failed),
            o.description,
            ",".join(o.kode_opd),
            o.fingerprint,
            json.dumps(json_safe(o.details), ensure_ascii=False, sort_keys=True),
            at,
        )
        for o in outcomes
    ]
    with closing(connect(history_path(data))) as con, con:
        con.executescript(_DDL)
        con.executemany(
            "insert or replace into hasil_cek values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows
        )
    return len(rows)


def load_check_history(data: DataDir, periode: str | None = None) -> pl.DataFrame:
    """Every recorded check result (newest first); empty frame with the schema when none yet."""
    path = history_path(data)
    if not path.is_file():
        return HISTORY_SCHEMA.to_frame()
    with closing(sqlite3.connect(path, timeout=30)) as con:
        con.executescript(_DDL)
        sql = "select * from hasil_cek"
        params: tuple = ()
        if periode:
            sql += " where periode = ?"
            params = (periode,)
        rows = con.execute(
            sql + " order by checked_at desc, periode, check_name", params
        ).fetchall()
    raw = {n: pl.String for n in HISTORY_SCHEMA.names()} | {
        "passed": pl.Int64,
        "n_failed": pl.Int64,
    }
    frame = pl.DataFrame(rows, schema=raw, orient="row")
    return frame.with_columns(
        pl.col("passed").cast(pl.Boolean),
        pl.col("checked_at").str.to_datetime(time_zone="UTC", time_unit="us"),
    ).cast(dict(HISTORY_SCHEMA))


def latest_results(data: DataDir, periode: str | None = None) -> pl.DataFrame:
    """The newest result of each (periode, check, asset): what the app shows as 'now'."""
    history = load_check_history(data, periode)
    return (
        history.sort("checked_at", descending=True)
        .unique(subset=["periode", "check_name", "asset"], keep="first", maintain_order=True)
        .sort(["periode", "severity", "check_name"])
    )
