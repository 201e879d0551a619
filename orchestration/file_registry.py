"""The file registry (``registry.sqlite`` of the data directory): every export file seen, the
one loaded or rejected per (kind, periode), the ingest events and a hash cache.

``kinerja run`` and the sensor decide from here which periods have new files, before anything
is read.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import polars as pl

from orchestration.core.paths import DataDir, sha256_file
from orchestration.export_folder import Discovery

LOADED, DUPLICATE_NOOP, REJECTED, SUPERSEDED = "LOADED", "DUPLICATE_NOOP", "REJECTED", "SUPERSEDED"

SCHEMA_SQL = """
CREATE TABLE IF NOT EXISTS files (
    sha256        TEXT NOT NULL,
    kind          TEXT NOT NULL,
    periode       TEXT NOT NULL,
    original_path TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    ext           TEXT NOT NULL,
    size          INTEGER NOT NULL,
    first_seen    TEXT NOT NULL,
    last_seen     TEXT NOT NULL,
    result        TEXT NOT NULL
        CHECK (result IN ('LOADED', 'DUPLICATE_NOOP', 'REJECTED', 'SUPERSEDED')),
    n_read        INTEGER NOT NULL DEFAULT 0,
    n_loaded      INTEGER NOT NULL DEFAULT 0,
    n_quarantined INTEGER NOT NULL DEFAULT 0,
    n_duplicates  INTEGER NOT NULL DEFAULT 0,
    kode_alasan   TEXT,            -- why a REJECTED file was rejected
    message       TEXT,
    notes         TEXT NOT NULL DEFAULT '[]',   -- JSON list
    errors        TEXT NOT NULL DEFAULT '[]',   -- JSON list (blocking findings)
    PRIMARY KEY (sha256, kind, periode, original_path)
);
CREATE TABLE IF NOT EXISTS current (
    kind      TEXT NOT NULL,
    periode   TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    file_name TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    PRIMARY KEY (kind, periode)
);
CREATE TABLE IF NOT EXISTS rejected_current (  -- the rejection shown in <periode>.ditolak.parquet
    kind        TEXT NOT NULL,
    periode     TEXT NOT NULL,
    sha256      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (kind, periode)
);
CREATE TABLE IF NOT EXISTS events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    periode   TEXT NOT NULL,
    sha256    TEXT,
    file_name TEXT,
    action    TEXT NOT NULL,
    message   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hash_cache (
    path     TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256   TEXT NOT NULL
);
"""


@contextlib.contextmanager
def registry(data: DataDir) -> Iterator[sqlite3.Connection]:
    """The SQLite registry (created on first use). Autocommit; use ``_transaction`` to write."""
    data.root.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(data.registry, timeout=60, isolation_level=None)
    try:
        con.row_factory = sqlite3.Row
        con.executescript(SCHEMA_SQL)
        yield con
    finally:
        con.close()


@contextlib.contextmanager
def transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    con.execute("BEGIN IMMEDIATE")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def current_files(data: DataDir) -> pl.DataFrame:
    """(kind, periode) -> the file currently loaded, with its counts (for reports and the UI)."""
    with registry(data) as con:
        rows = con.execute(
            """SELECT c.kind, c.periode, c.file_name, c.sha256, c.loaded_at,
                      f.n_read, f.n_loaded, f.n_quarantined, f.n_duplicates
               FROM current c
               LEFT JOIN files f ON f.sha256 = c.sha256 AND f.kind = c.kind
                                AND f.periode = c.periode AND f.result = 'LOADED'
               GROUP BY c.kind, c.periode ORDER BY c.kind, c.periode"""
        ).fetchall()
    schema = {
        "kind": pl.String,
        "periode": pl.String,
        "file_name": pl.String,
        "sha256": pl.String,
        "loaded_at": pl.String,
        "n_read": pl.Int64,
        "n_loaded": pl.Int64,
        "n_quarantined": pl.Int64,
        "n_duplicates": pl.Int64,
    }
    return pl.DataFrame([tuple(r) for r in rows], schema=schema, orient="row")


def loaded_kinds(data: DataDir) -> list[tuple[str, str]]:
    """(kind, periode) of every file loaded before whose raw files are still there."""
    if not data.registry.exists():
        return []
    with registry(data) as con:
        rows = con.execute("SELECT kind, periode FROM current ORDER BY periode, kind").fetchall()
    return [
        (r["kind"], r["periode"]) for r in rows if data.period_files_exist(r["kind"], r["periode"])
    ]


def rejected_kinds(data: DataDir, discovered: Discovery) -> list[tuple[str, str]]:
    """(kind, periode) whose file in the folder was rejected already and nothing was ever loaded
    for that period: the period has no usable file of that kind."""
    if not data.registry.exists():
        return []
    with registry(data) as con:
        rows = con.execute(
            """SELECT r.kind, r.periode, r.sha256 FROM rejected_current r
               LEFT JOIN current c ON c.kind = r.kind AND c.periode = r.periode
               WHERE c.sha256 IS NULL"""
        ).fetchall()
    return [
        (r["kind"], r["periode"])
        for r in rows
        if (r["kind"], r["periode"]) in discovered
        and file_sha256(data, discovered[(r["kind"], r["periode"])][0]) == r["sha256"]
    ]


def rejected_corrections(data: DataDir, discovered: Discovery) -> list[str]:
    """The rejection message of each (kind, periode) whose file in the folder (the preferred
    one) was rejected while an earlier file of the period stays in effect: a correction that
    did not take. Said on every run while that file is the folder's, so that nobody pays from
    the old data believing it corrected."""
    if not data.registry.exists():
        return []
    with registry(data) as con:
        rows = con.execute(
            """SELECT r.kind, r.periode, r.sha256, f.message FROM rejected_current r
               JOIN current c ON c.kind = r.kind AND c.periode = r.periode
               JOIN files f ON f.sha256 = r.sha256 AND f.kind = r.kind
                           AND f.periode = r.periode AND f.result = 'REJECTED'
               GROUP BY r.kind, r.periode ORDER BY r.periode, r.kind"""
        ).fetchall()
    return [
        r["message"]
        for r in rows
        if (r["kind"], r["periode"]) in discovered
        and file_sha256(data, discovered[(r["kind"], r["periode"])][0]) == r["sha256"]
    ]


def file_sha256(data: DataDir, path: Path) -> str:
    """SHA-256 of a file, cached by (path, size, mtime) so a sensor does not re-hash every tick."""
    st = path.stat()
    key = str(path.resolve())
    with registry(data) as con:
        row = con.execute(
            "SELECT sha256 FROM hash_cache WHERE path = ? AND size = ? AND mtime_ns = ?",
            (key, st.st_size, st.st_mtime_ns),
        ).fetchone()
        if row:
            return row["sha256"]
        sha = sha256_file(path)
        con.execute(
            "INSERT OR REPLACE INTO hash_cache (path, size, mtime_ns, sha256) VALUES (?, ?, ?, ?)",
            (key, st.st_size, st.st_mtime_ns, sha),
        )
        return sha


def pending_periods(data: DataDir, discovered: Discovery) -> dict[str, str]:
    """Periods with at least one export file not yet ingested -> fingerprint of the period.

    The fingerprint hashes the chosen file of every kind of the period, so the same bytes give
    the same fingerprint (a sensor's run key) and any new file gives a new one.
    """
    by_period: dict[str, list[tuple[str, str]]] = {}
    pending: set[str] = set()
    for (kind, periode), paths in sorted(discovered.items()):
        sha = file_sha256(data, paths[0])
        by_period.setdefault(periode, []).append((kind, sha))
        if needs_ingest(data, kind, periode, sha):
            pending.add(periode)
    return {
        periode: hashlib.sha256(
            ";".join(f"{k}={s}" for k, s in sorted(by_period[periode])).encode()
        ).hexdigest()[:16]
        for periode in sorted(pending)
    }


def needs_ingest(data: DataDir, kind: str, periode: str, sha: str) -> bool:
    with registry(data) as con:
        cur = current_row(con, kind, periode)
        rejected = rejected_row(con, kind, periode)
    if cur is not None and cur["sha256"] == sha:
        return not data.period_files_exist(kind, periode)
    if rejected is not None and rejected["sha256"] == sha:
        return not data.rejected_quarantine_file(kind, periode).exists()
    return True


def current_row(con: sqlite3.Connection, kind: str, periode: str) -> sqlite3.Row | None:
    return con.execute(
        "SELECT * FROM current WHERE kind = ? AND periode = ?", (kind, periode)
    ).fetchone()


def rejected_row(con: sqlite3.Connection, kind: str, periode: str) -> sqlite3.Row | None:
    return con.execute(
        "SELECT * FROM rejected_current WHERE kind = ? AND periode = ?", (kind, periode)
    ).fetchone()


def file_row(con: sqlite3.Connection, sha: str, kind: str, periode: str) -> sqlite3.Row | None:
    """The registry row of these bytes for this period (the loaded/rejected one first)."""
    return con.execute(
        """SELECT * FROM files WHERE sha256 = ? AND kind = ? AND periode = ?
           ORDER BY CASE result WHEN 'LOADED' THEN 0 WHEN 'REJECTED' THEN 1 ELSE 2 END,
                    last_seen DESC LIMIT 1""",
        (sha, kind, periode),
    ).fetchone()


def upsert_file(
    con: sqlite3.Connection,
    chosen: Path,
    sha: str,
    kind: str,
    periode: str,
    size: int,
    stamp: str,
    result: str,
    counts: dict[str, int],
    kode: str | None,
    message: str,
    notes: list[str],
    errors: list[str],
) -> None:
    con.execute(
        """INSERT INTO files (sha256, kind, periode, original_path, file_name, ext, size,
               first_seen, last_seen, result, n_read, n_loaded, n_quarantined, n_duplicates,
               kode_alasan, message, notes, errors)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (sha256, kind, periode, original_path) DO UPDATE SET
               file_name = excluded.file_name, last_seen = excluded.last_seen,
               result = excluded.result, n_read = excluded.n_read,
               n_loaded = excluded.n_loaded, n_quarantined = excluded.n_quarantined,
               n_duplicates = excluded.n_duplicates, kode_alasan = excluded.kode_alasan,
               message = excluded.message, notes = excluded.notes, errors = excluded.errors""",
        (
            sha,
            kind,
            periode,
            str(chosen.resolve()),
            chosen.name,
            chosen.suffix.lower().lstrip("."),
            size,
            stamp,
            stamp,
            result,
            counts["read"],
            counts["loaded"],
            counts["quarantined"],
            counts["duplicates"],
            kode,
            message,
            json.dumps(notes, ensure_ascii=False),
            json.dumps(errors, ensure_ascii=False),
        ),
    )


def record_event(
    con: sqlite3.Connection,
    stamp: str,
    kind: str,
    periode: str,
    sha: str | None,
    name: str | None,
    action: str,
    message: str,
) -> None:
    con.execute(
        """INSERT INTO events (at, kind, periode, sha256, file_name, action, message)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (stamp, kind, periode, sha, name, action, message),
    )


def row_counts(row: sqlite3.Row | None) -> dict[str, int]:
    if row is None:
        return zero_counts()
    return {
        "read": row["n_read"],
        "loaded": row["n_loaded"],
        "quarantined": row["n_quarantined"],
        "duplicates": row["n_duplicates"],
    }


def zero_counts() -> dict[str, int]:
    return {"read": 0, "loaded": 0, "quarantined": 0, "duplicates": 0}
