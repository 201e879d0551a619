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

The folder is read by ``export_folder``, the bookkeeping is ``file_registry``, the files on
disk are ``raw_zone``; this module chooses, validates and applies.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from orchestration.core.contract import KINDS, MAY_BE_EMPTY
from orchestration.core.formatting import ribuan
from orchestration.core.paths import DataDir
from orchestration.export_folder import Discovery, discover
from orchestration.file_registry import (
    DUPLICATE_NOOP,
    LOADED,
    REJECTED,
    current_row,
    file_row,
    record_event,
    registry,
    rejected_row,
    row_counts,
    transaction,
    upsert_file,
    zero_counts,
)
from orchestration.raw_zone import archive, ensure_raw_zone, period_lock, write_parquet_atomic
from orchestration.readers import read_export_bytes
from orchestration.validation import (
    ValidationResult,
    quarantine_row,
    rejected_result,
    validate,
)


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
    with period_lock(data, kind, periode):
        if not candidates:
            return _missing(data, kind, periode, exports, stamp)
        chosen, others = candidates[0], [p.name for p in candidates[1:]]
        content = chosen.read_bytes()  # hash, archive and parse the very same bytes
        sha = hashlib.sha256(content).hexdigest()
        with registry(data) as con:
            cur = current_row(con, kind, periode)
            rejected = rejected_row(con, kind, periode)
            if not force:
                if (
                    cur is not None
                    and cur["sha256"] == sha
                    and data.period_files_exist(kind, periode)
                ):
                    return _noop_loaded(
                        con, data, chosen, content, sha, kind, periode, others, stamp
                    )
                if (
                    rejected is not None
                    and rejected["sha256"] == sha
                    and data.rejected_quarantine_file(kind, periode).exists()
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
    if result.valid.height == 0 and not (result.read == 0 and result.kind in MAY_BE_EMPTY):
        template = "BERKAS_TANPA_DATA" if result.read == 0 else "SEMUA_BARIS_DITOLAK"
        extra = quarantine_row(
            result.kind, result.periode, result.source_file, template, n=ribuan(result.read)
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
    archive(data, sha, ext, content)
    rejection = _rejection_reason(result)
    counts = result.counts
    previous = cur["sha256"] if cur is not None else None
    notes = list(result.notes)
    if others:
        notes.append(_others_note(kind, periode, chosen.name, others))

    if rejection is not None:
        kode, teks = rejection
        write_parquet_atomic(
            result.quarantine.sort("line_no"), data.rejected_quarantine_file(kind, periode)
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
        if result.read == 0:  # MAY_BE_EMPTY: said, not silent
            message += f" Berkas hanya berisi judul kolom: tidak ada data {kind} periode ini."
    if result.errors:
        message += (
            f" PERIODE DIBLOKIR: {len(result.errors)} temuan ERROR (NIP ganda), lihat karantina."
        )
    if others:
        message += f" Berkas lain untuk periode ini tidak dibaca: {', '.join(others)}."

    with transaction(con):
        upsert_file(
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
        record_event(con, stamp, kind, periode, sha, chosen.name, action, message)
    if status == LOADED:  # the pending rejection is resolved by a file that loaded
        data.rejected_quarantine_file(kind, periode).unlink(missing_ok=True)
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
    row = file_row(con, sha, kind, periode)
    counts = row_counts(row)
    message = (
        f"{kind} {periode}: berkas {chosen.name} sama persis dengan yang sudah dimuat "
        f"(sha {sha[:12]}); tidak ada perubahan."
    )
    with transaction(con):
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
            upsert_file(
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
        record_event(con, stamp, kind, periode, sha, chosen.name, "noop", message)
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
    row = file_row(con, sha, kind, periode)
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
    with transaction(con):
        con.execute(
            "UPDATE files SET last_seen = ? WHERE sha256 = ? AND kind = ? AND periode = ?",
            (stamp, sha, kind, periode),
        )
        record_event(con, stamp, kind, periode, sha, chosen.name, "noop", message)
    return IngestResult(
        kind=kind,
        periode=periode,
        file=chosen.name,
        sha256=sha,
        action="noop",
        counts=row_counts(row),
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
        cur = current_row(con, kind, periode)
        row = file_row(con, cur["sha256"], kind, periode) if cur is not None else None
    name = f"{kind}_{periode.replace('-', '')}.csv"
    if cur is not None and data.period_files_exist(kind, periode):
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
            counts=row_counts(row),
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
        counts=zero_counts(),
        message=message,
    )


def _counts_text(counts: dict[str, int]) -> str:
    return (
        f"{ribuan(counts['read'])} baris dibaca, {ribuan(counts['loaded'])} dimuat, "
        f"{ribuan(counts['quarantined'])} dikarantina, {ribuan(counts['duplicates'])} duplikat"
    )


def _others_note(kind: str, periode: str, chosen: str, others: list[str]) -> str:
    return (
        f"Ada {len(others) + 1} berkas {kind} untuk periode {periode}; yang dipakai {chosen} "
        f"(paling baru), yang tidak dibaca: {', '.join(others)}."
    )
