"""Ingestion: export folder -> archive, raw zone (Parquet) and the file registry.

One call handles one (kind, periode):

- the file is chosen from the export folder (several for one period, e.g. CSV and XLSX: the
  newest by modification time wins, a tie goes to the name that sorts last; the others are
  reported, not read);
- it is identified by SHA-256. Bytes already loaded for that period -> no-op (nothing is
  rewritten). Bytes already rejected for that period -> no-op as well (``force=True`` re-runs);
- otherwise it is read and validated, its original bytes are archived as
  ``archive/<sha256>.<ext>`` (never overwritten), ``raw/<kind>/<periode>.parquet`` and
  ``raw/karantina/<kind>/<periode>.parquet`` are replaced atomically, and the registry is
  updated in one transaction (the previous file of the period becomes SUPERSEDED, its archive
  copy stays).

A file that yields nothing loadable (unreadable, empty, header only, a required column missing,
or every row quarantined) is REJECTED: the period keeps the data it had (good data is never
replaced by nothing) and the rejection is written to
``raw/karantina/<kind>/<periode>.ditolak.parquet`` next to the current quarantine, so reports
show both; the next file that loads for the period removes it.

Parquet output is deterministic: rows sorted by line, no timestamps inside, zstd level 3.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration.contract import KINDS, QUARANTINE_SCHEMA, parse_file_name, raw_schema
from orchestration.paths import DataDir, sha256_file
from orchestration.readers import read_export_bytes
from orchestration.validation import (
    ValidationResult,
    quarantine_row,
    rejected_result,
    validate,
)

try:  # POSIX: serialise two ingestions of the same period (sensor + CLI)
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOADED, DUPLICATE_NOOP, REJECTED, SUPERSEDED = "LOADED", "DUPLICATE_NOOP", "REJECTED", "SUPERSEDED"
PARQUET_OPTIONS = {"compression": "zstd", "compression_level": 3, "statistics": True}

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


# --- results ---------------------------------------------------------------------------------
@dataclass
class IngestResult:
    kind: str
    periode: str
    file: str | None  # name of the chosen export file (None: no file)
    sha256: str | None
    action: str  # 'loaded', 'replaced', 'noop', 'rejected', 'missing'
    counts: dict[str, int]  # read, loaded, quarantined, duplicates
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # blocking: the period must not be paid
    message: str = ""  # one line for people (Bahasa Indonesia)
    path: Path | None = None
    previous_sha256: str | None = None  # what was current before (replaced / rejected)
    others: list[str] = field(default_factory=list)  # other files for the period, not read

    @property
    def changed(self) -> bool:
        """The raw zone of this period changed (downstream must rebuild)."""
        return self.action in ("loaded", "replaced")


class Discovery(dict[tuple[str, str], list[Path]]):
    """(kind, periode) -> export files, preferred first; ``ignored``: other files present."""

    def __init__(self) -> None:
        super().__init__()
        self.ignored: list[Path] = []


def _zero_counts() -> dict[str, int]:
    return {"read": 0, "loaded": 0, "quarantined": 0, "duplicates": 0}


# --- discovery -------------------------------------------------------------------------------
def discover(exports: Path) -> Discovery:
    """Export files in ``exports`` (not recursive) grouped by (kind, periode).

    Each list is in order of preference: newest modification time first, a tie broken by the
    name that sorts last. Files whose names do not follow the contract are in ``.ignored``.
    """
    found = Discovery()
    exports = Path(exports)
    if not exports.is_dir():
        return found
    for path in sorted(exports.iterdir()):
        if not path.is_file():
            continue
        parsed = parse_file_name(path.name)
        if parsed is None:
            found.ignored.append(path)
            continue
        kind, periode, _ext = parsed
        found.setdefault((kind, periode), []).append(path)
    for key, paths in found.items():
        found[key] = sorted(paths, key=lambda p: (_mtime_ns(p), p.name), reverse=True)
    return found


def _mtime_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:  # removed while we looked: least preferred
        return -1


# --- registry --------------------------------------------------------------------------------
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
def _transaction(con: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
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
        (r["kind"], r["periode"])
        for r in rows
        if _period_files_exist(data, r["kind"], r["periode"])
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
        if _needs_ingest(data, kind, periode, sha):
            pending.add(periode)
    return {
        periode: hashlib.sha256(
            ";".join(f"{k}={s}" for k, s in sorted(by_period[periode])).encode()
        ).hexdigest()[:16]
        for periode in sorted(pending)
    }


def _needs_ingest(data: DataDir, kind: str, periode: str, sha: str) -> bool:
    with registry(data) as con:
        cur = _current(con, kind, periode)
        rejected = _rejected_current(con, kind, periode)
    if cur is not None and cur["sha256"] == sha:
        return not _period_files_exist(data, kind, periode)
    if rejected is not None and rejected["sha256"] == sha:
        return not rejected_quarantine_file(data, kind, periode).exists()
    return True


def _current(con: sqlite3.Connection, kind: str, periode: str) -> sqlite3.Row | None:
    return con.execute(
        "SELECT * FROM current WHERE kind = ? AND periode = ?", (kind, periode)
    ).fetchone()


def _rejected_current(con: sqlite3.Connection, kind: str, periode: str) -> sqlite3.Row | None:
    return con.execute(
        "SELECT * FROM rejected_current WHERE kind = ? AND periode = ?", (kind, periode)
    ).fetchone()


def _file_row(con: sqlite3.Connection, sha: str, kind: str, periode: str) -> sqlite3.Row | None:
    """The registry row of these bytes for this period (the loaded/rejected one first)."""
    return con.execute(
        """SELECT * FROM files WHERE sha256 = ? AND kind = ? AND periode = ?
           ORDER BY CASE result WHEN 'LOADED' THEN 0 WHEN 'REJECTED' THEN 1 ELSE 2 END,
                    last_seen DESC LIMIT 1""",
        (sha, kind, periode),
    ).fetchone()


# --- raw zone --------------------------------------------------------------------------------
def rejected_quarantine_file(data: DataDir, kind: str, periode: str) -> Path:
    """Quarantine of the latest rejected file of a period (absent when none is pending)."""
    return data.quarantine / kind / f"{periode}.ditolak.parquet"


def ensure_raw_zone(data: DataDir) -> None:
    """Empty schema files, so ``raw/<kind>/*.parquet`` and ``raw/karantina/**/*.parquet`` always
    match at least one file with the right columns. Existing correct files are left alone."""
    targets = {data.quarantine / "_schema.parquet": QUARANTINE_SCHEMA}
    for kind in KINDS:
        targets[data.raw_schema_file(kind)] = raw_schema(kind)
        targets[data.quarantine / kind / "_schema.parquet"] = QUARANTINE_SCHEMA
    for path, schema in targets.items():
        if path.exists():
            with contextlib.suppress(Exception):
                if pl.Schema(pl.read_parquet_schema(path)) == schema:
                    continue
        write_parquet_atomic(schema.to_frame(), path)


def parquet_bytes(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, **PARQUET_OPTIONS)
    return buffer.getvalue()


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Deterministic Parquet, written to a temp file in the same directory then renamed."""
    _write_atomic(parquet_bytes(frame), path)


def _write_atomic(content: bytes, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _period_files_exist(data: DataDir, kind: str, periode: str) -> bool:
    return data.raw_file(kind, periode).exists() and data.quarantine_file(kind, periode).exists()


def _archive(data: DataDir, sha: str, ext: str, content: bytes) -> Path:
    target = data.archive / f"{sha}.{ext}"
    if not target.exists():  # content-addressed: an existing copy is the same bytes
        _write_atomic(content, target)
    return target


@contextlib.contextmanager
def _period_lock(data: DataDir, kind: str, periode: str) -> Iterator[None]:
    if fcntl is None:  # pragma: no cover
        yield
        return
    locks = data.root / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with open(locks / f"{kind}_{periode}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --- ingestion -------------------------------------------------------------------------------
def ingest_period(
    data: DataDir,
    exports: Path,
    kind: str,
    periode: str,
    now: datetime | None = None,
    *,
    force: bool = False,
    found: Discovery | None = None,
) -> IngestResult:
    """Ingest the export file of ``kind`` for ``periode`` (``YYYY-MM``) from ``exports``.

    ``force`` re-reads a file even when its bytes are already loaded or already rejected.
    ``found``: the folder's ``discover`` when the caller scanned it already (an ingest asset
    scans once for all its periods instead of once per period).
    """
    if kind not in KINDS:
        raise ValueError(f"jenis berkas tidak dikenal: {kind!r}")
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    ensure_raw_zone(data)
    candidates = (discover(exports) if found is None else found).get((kind, periode), [])
    with _period_lock(data, kind, periode):
        if not candidates:
            return _missing(data, kind, periode, exports, stamp)
        chosen, others = candidates[0], [p.name for p in candidates[1:]]
        content = chosen.read_bytes()  # hash, archive and parse the very same bytes
        sha = hashlib.sha256(content).hexdigest()
        with registry(data) as con:
            cur = _current(con, kind, periode)
            rejected = _rejected_current(con, kind, periode)
            if not force:
                if (
                    cur is not None
                    and cur["sha256"] == sha
                    and _period_files_exist(data, kind, periode)
                ):
                    return _noop_loaded(
                        con, data, chosen, content, sha, kind, periode, others, stamp
                    )
                if (
                    rejected is not None
                    and rejected["sha256"] == sha
                    and rejected_quarantine_file(data, kind, periode).exists()
                ):
                    return _noop_rejected(con, chosen, sha, kind, periode, cur, others, stamp)
        result = _validate_file(content, chosen.name, kind, periode)
        with registry(data) as con:
            return _apply(
                con, data, chosen, content, sha, kind, periode, cur, result, others, stamp
            )


def ingest_all(data: DataDir, exports: Path, now: datetime | None = None) -> list[IngestResult]:
    """Every (kind, periode) found in ``exports``, in period then kind order."""
    order = {k: i for i, k in enumerate(KINDS)}
    keys = sorted(discover(exports), key=lambda kp: (kp[1], order[kp[0]]))
    return [ingest_period(data, exports, kind, periode, now) for kind, periode in keys]


def _validate_file(content: bytes, name: str, kind: str, periode: str) -> ValidationResult:
    read = read_export_bytes(content, name, kind)
    if read.rejection is not None:
        kode, teks = read.rejection
        return rejected_result(kind, periode, name, kode, teks, notes=read.notes)
    result = validate(kind, periode, read.frame, name)
    result.notes = read.notes + result.notes
    return result


def _rejection_reason(result: ValidationResult) -> tuple[str, str] | None:
    """(kode, alasan) when the file must not replace the period's data."""
    if result.file_rejected:
        row = result.quarantine.filter(pl.col("line_no") == 0).row(0, named=True)
        return row["kode_alasan"], row["alasan"]
    if result.valid.height == 0:
        template = "BERKAS_TANPA_DATA" if result.read == 0 else "SEMUA_BARIS_DITOLAK"
        extra = quarantine_row(
            result.kind, result.periode, result.source_file, template, n=_fmt(result.read)
        )
        result.quarantine = pl.concat([extra, result.quarantine])
        row = extra.row(0, named=True)
        return row["kode_alasan"], row["alasan"]
    return None


def _apply(
    con: sqlite3.Connection,
    data: DataDir,
    chosen: Path,
    content: bytes,
    sha: str,
    kind: str,
    periode: str,
    cur: sqlite3.Row | None,
    result: ValidationResult,
    others: list[str],
    stamp: str,
) -> IngestResult:
    ext = chosen.suffix.lower().lstrip(".")
    _archive(data, sha, ext, content)
    rejection = _rejection_reason(result)
    counts = result.counts
    previous = cur["sha256"] if cur is not None else None
    notes = list(result.notes)
    if others:
        notes.append(_others_note(kind, periode, chosen.name, others))

    if rejection is not None:
        kode, teks = rejection
        write_parquet_atomic(
            result.quarantine.sort("line_no"), rejected_quarantine_file(data, kind, periode)
        )
        keep = (
            f"data periode ini tetap dari berkas {cur['file_name']} yang dimuat sebelumnya"
            if cur is not None
            else "belum ada data untuk periode ini"
        )
        message = f"{kind} {periode}: berkas {chosen.name} DITOLAK — {teks.rstrip('.')}; {keep}."
        action, status = "rejected", REJECTED
    else:
        write_parquet_atomic(result.valid, data.raw_file(kind, periode))
        write_parquet_atomic(result.quarantine, data.quarantine_file(kind, periode))
        kode = None
        action = "replaced" if previous is not None and previous != sha else "loaded"
        status = LOADED
        what = (
            f"berkas koreksi {chosen.name} menggantikan {cur['file_name']} (sha {previous[:12]})"
            if action == "replaced"
            else f"berkas {chosen.name} dimuat"
        )
        message = f"{kind} {periode}: {what} — {_counts_text(counts)}."
    if result.errors:
        message += (
            f" PERIODE DIBLOKIR: {len(result.errors)} temuan ERROR (NIP ganda), lihat karantina."
        )
    if others:
        message += f" Berkas lain untuk periode ini tidak dibaca: {', '.join(others)}."

    with _transaction(con):
        _upsert_file(
            con,
            chosen,
            sha,
            kind,
            periode,
            len(content),
            stamp,
            status,
            counts,
            kode,
            message,
            notes,
            result.errors,
        )
        if status == LOADED:
            if previous is not None and previous != sha:
                con.execute(
                    """UPDATE files SET result = 'SUPERSEDED' WHERE sha256 = ? AND kind = ?
                       AND periode = ? AND result IN ('LOADED', 'DUPLICATE_NOOP')""",
                    (previous, kind, periode),
                )
            con.execute(
                """INSERT INTO current (kind, periode, sha256, file_name, loaded_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (kind, periode) DO UPDATE SET sha256 = excluded.sha256,
                       file_name = excluded.file_name, loaded_at = excluded.loaded_at""",
                (kind, periode, sha, chosen.name, stamp),
            )
            con.execute(
                "DELETE FROM rejected_current WHERE kind = ? AND periode = ?", (kind, periode)
            )
        else:
            con.execute(
                """INSERT INTO rejected_current (kind, periode, sha256, file_name, rejected_at)
                   VALUES (?, ?, ?, ?, ?)
                   ON CONFLICT (kind, periode) DO UPDATE SET sha256 = excluded.sha256,
                       file_name = excluded.file_name, rejected_at = excluded.rejected_at""",
                (kind, periode, sha, chosen.name, stamp),
            )
        _event(con, stamp, kind, periode, sha, chosen.name, action, message)
    if status == LOADED:  # the pending rejection is resolved by a file that loaded
        rejected_quarantine_file(data, kind, periode).unlink(missing_ok=True)
    return IngestResult(
        kind=kind,
        periode=periode,
        file=chosen.name,
        sha256=sha,
        action=action,
        counts=counts,
        notes=notes,
        errors=list(result.errors),
        message=message,
        path=chosen,
        previous_sha256=previous,
        others=others,
    )


def _noop_loaded(
    con: sqlite3.Connection,
    data: DataDir,
    chosen: Path,
    content: bytes,
    sha: str,
    kind: str,
    periode: str,
    others: list[str],
    stamp: str,
) -> IngestResult:
    row = _file_row(con, sha, kind, periode)
    counts = _row_counts(row)
    message = (
        f"{kind} {periode}: berkas {chosen.name} sama persis dengan yang sudah dimuat "
        f"(sha {sha[:12]}); tidak ada perubahan."
    )
    with _transaction(con):
        same_path = con.execute(
            """SELECT 1 FROM files WHERE sha256 = ? AND kind = ? AND periode = ?
               AND original_path = ?""",
            (sha, kind, periode, str(chosen.resolve())),
        ).fetchone()
        if same_path:
            con.execute(
                """UPDATE files SET last_seen = ? WHERE sha256 = ? AND kind = ? AND periode = ?
                   AND original_path = ?""",
                (stamp, sha, kind, periode, str(chosen.resolve())),
            )
        else:  # the same bytes under another path or name
            _upsert_file(
                con,
                chosen,
                sha,
                kind,
                periode,
                len(content),
                stamp,
                DUPLICATE_NOOP,
                counts,
                None,
                message,
                [],
                [],
            )
        _event(con, stamp, kind, periode, sha, chosen.name, "noop", message)
    return IngestResult(
        kind=kind,
        periode=periode,
        file=chosen.name,
        sha256=sha,
        action="noop",
        counts=counts,
        notes=json.loads(row["notes"]) if row else [],
        errors=json.loads(row["errors"]) if row else [],
        message=message,
        path=chosen,
        previous_sha256=sha,
        others=others,
    )


def _noop_rejected(
    con: sqlite3.Connection,
    chosen: Path,
    sha: str,
    kind: str,
    periode: str,
    cur: sqlite3.Row | None,
    others: list[str],
    stamp: str,
) -> IngestResult:
    row = _file_row(con, sha, kind, periode)
    keep = (
        f"data periode ini tetap dari berkas {cur['file_name']}"
        if cur is not None
        else "belum ada data untuk periode ini"
    )
    reason = row["kode_alasan"] if row else "?"
    message = (
        f"{kind} {periode}: berkas {chosen.name} sudah pernah ditolak ({reason}) dan tidak "
        f"diproses ulang; {keep}."
    )
    with _transaction(con):
        con.execute(
            "UPDATE files SET last_seen = ? WHERE sha256 = ? AND kind = ? AND periode = ?",
            (stamp, sha, kind, periode),
        )
        _event(con, stamp, kind, periode, sha, chosen.name, "noop", message)
    return IngestResult(
        kind=kind,
        periode=periode,
        file=chosen.name,
        sha256=sha,
        action="noop",
        counts=_row_counts(row),
        notes=json.loads(row["notes"]) if row else [],
        errors=[],
        message=message,
        path=chosen,
        previous_sha256=cur["sha256"] if cur is not None else None,
        others=others,
    )


def _missing(data: DataDir, kind: str, periode: str, exports: Path, stamp: str) -> IngestResult:
    """No file in the export folder: fine if the period was loaded before (folder cleaned)."""
    with registry(data) as con:
        cur = _current(con, kind, periode)
        row = _file_row(con, cur["sha256"], kind, periode) if cur is not None else None
    name = f"{kind}_{periode.replace('-', '')}.csv"
    if cur is not None and _period_files_exist(data, kind, periode):
        message = (
            f"{kind} {periode}: tidak ada berkas di folder ekspor; data periode ini tetap dari "
            f"berkas {cur['file_name']} yang sudah dimuat."
        )
        return IngestResult(
            kind=kind,
            periode=periode,
            file=cur["file_name"],
            sha256=cur["sha256"],
            action="noop",
            counts=_row_counts(row),
            errors=json.loads(row["errors"]) if row else [],
            message=message,
            previous_sha256=cur["sha256"],
        )
    message = (
        f"{kind} {periode}: tidak ada berkas {name} di {exports} dan belum pernah ada yang dimuat."
    )
    return IngestResult(
        kind=kind,
        periode=periode,
        file=None,
        sha256=None,
        action="missing",
        counts=_zero_counts(),
        message=message,
    )


def _upsert_file(
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


def _event(
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


def _row_counts(row: sqlite3.Row | None) -> dict[str, int]:
    if row is None:
        return _zero_counts()
    return {
        "read": row["n_read"],
        "loaded": row["n_loaded"],
        "quarantined": row["n_quarantined"],
        "duplicates": row["n_duplicates"],
    }


def _fmt(n: int) -> str:
    """1234567 -> '1.234.567' (Indonesian thousands separator)."""
    return f"{n:,}".replace(",", ".")


def _counts_text(counts: dict[str, int]) -> str:
    return (
        f"{_fmt(counts['read'])} baris dibaca, {_fmt(counts['loaded'])} dimuat, "
        f"{_fmt(counts['quarantined'])} dikarantina, {_fmt(counts['duplicates'])} duplikat"
    )


def _others_note(kind: str, periode: str, chosen: str, others: list[str]) -> str:
    return (
        f"Ada {len(others) + 1} berkas {kind} untuk periode {periode}; yang dipakai {chosen} "
        f"(paling baru), yang tidak dibaca: {', '.join(others)}."
    )
