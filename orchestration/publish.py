"""Publish the marts for finance: a new complete snapshot, switched in atomically.

``publish(data, periods)``:

1. leaves out the periods blocked by an ERROR finding (``temuan.tingkat``; sources.md: "the
   period is blocked ... until the source is corrected"): not written, not recomputed into
   corrections; a version published before is carried as it was, and the period stays listed
   as blocked (``diblokir``, refused by verify and lock) until a run publishes it. The other
   periods go on;
2. reads the marts of the other ``periods`` from the warehouse (one short read-only connection)
   and writes them as deterministic Parquet (rows sorted by key, zstd, no timestamps: same rows,
   same bytes) into a hidden folder ``published/snapshots/.tmp-<id>``;
3. carries every other period of the previous snapshot by hard link (copy where links are not
   possible), so each snapshot is complete on its own;
4. LOCKED periods are never rewritten: their files are carried untouched even when they were
   recomputed; the difference between the recomputed rows and the locked ones goes to
   ``tpp_koreksi`` of the next open period (see ``koreksi_rows``). Only a table of the app's
   metric marts (``APP_TABLES``) that a locked period does not have yet (published before the
   table existed) is added from its recomputation, once; nothing already published changes;
5. writes ``manifest.json`` (periods with status, totals and fingerprint; every file with rows
   and sha256), renames the folder to ``snapshots/<id>`` and points ``published/current`` at it
   with ``os.replace`` of a fresh symlink: readers see the old snapshot or the new one;
6. prunes old snapshots, keeping the current one, the last ``keep`` (at least 3) and any that
   was superseded less than ``grace_seconds`` ago, so a reader mid-read never loses its files.

Publishers serialise on ``published/.publish.lock``; readers take no lock at all.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from orchestration.core.months import next_month
from orchestration.core.paths import DataDir, sha256_file
from orchestration.core.published import (
    AMOUNTS,
    APP_TABLES,
    CURRENT,
    ID_WAKTU,
    KOREKSI,
    MANIFEST,
    MART_TABLES,
    Snapshot,
    current_pointer,
    current_snapshot,
    relative_file,
    resolve_current,
    snapshots_dir,
)
from orchestration.core.rowdiff import selisih_baris
from orchestration.periods import VERIFIED, WITA, StatusPeriode, all_status

WAREHOUSE_SCHEMA = "main"  # dbt-duckdb default (transforms/profiles.yml sets no schema)
KEEP = 3
GRACE_SECONDS = 300
FORMAT_VERSION = 1

# Sort keys: rows are written in this order, then by every other column (a total order).
KEYS = {
    "tpp_bulanan": ("periode", "nip", "kode_opd"),
    "tpp_harian": ("periode", "nip", "kode_opd", "tanggal"),
    "tpp_opd_bulanan": ("periode", "kode_opd"),
    "karantina": ("periode", "kind", "source_file", "line_no"),
    "temuan": ("periode", "tingkat", "kode", "nip", "kode_opd", "source_file", "line_no"),
    "tpp_opd_indikator": ("periode", "kode_opd"),
    "tpp_opd_hari": ("periode", "kode_opd", "hari_iso"),
    "tpp_opd_jam_datang": ("periode", "kode_opd", "menit", "jam_masuk"),
    "tpp_opd_sebaran": ("periode", "kode_opd", "sebaran", "nilai"),
    "tpp_perlu_perhatian": ("periode", "kode_opd", "urutan"),
    KOREKSI: ("periode_bayar", "periode_asal", "kode_opd", "nip"),
}

KOREKSI_SCHEMA = pa.schema(
    [
        ("periode_bayar", pa.string()),
        ("periode_asal", pa.string()),
        ("kode_opd", pa.string()),
        ("nama_opd", pa.string()),
        ("nip", pa.string()),
        ("nama", pa.string()),
        *[(f"selisih_{a}", pa.int64()) for a in AMOUNTS],
        ("alasan", pa.string()),
    ]
)

AMOUNT_LABELS = {
    "tpp_kinerja": "TPP Kinerja",
    "tpp_disiplin": "TPP Disiplin",
    "tpp_bruto": "TPP Bruto",
    "pph21": "PPh 21",
    "iuran_bpjs": "Iuran BPJS",
    "tpp_neto": "TPP Neto",
}

_PERIODE = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


class PublishError(RuntimeError):
    """Publishing refused or failed; the message is one sentence for people."""


@dataclass(frozen=True)
class PublishResult:
    snapshot: str
    path: Path
    written: list[str]  # periods freshly written from the warehouse
    carried: list[str]  # periods carried over from the previous snapshot
    locked: list[str]  # requested but LOCKED: kept byte-identical, difference -> tpp_koreksi
    rows: dict[str, int]  # rows written per table in this publish
    totals: dict[str, dict[str, int]]  # per period: rows and money totals of tpp_bulanan
    koreksi: dict[str, dict[str, int]] = field(default_factory=dict)  # per periode_bayar
    pruned: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # requested, left out: ERROR findings


# ----------------------------------------------------------------------------------------------
# Files


ROW_GROUP_ROWS = 1 << 20
WRITER_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 3,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
}


def write_batches(schema: pa.Schema, batches: Iterable[pa.RecordBatch], path: Path) -> int:
    """Deterministic Parquet of the rows of ``batches`` (fixed writer settings, no metadata
    that depends on time), one row group in memory at a time.

    The bytes are those of ``pq.write_table`` of the whole table with its chunks combined: row
    groups of ``ROW_GROUP_ROWS`` rows, each handed to the writer as one chunk per column (the
    writer's pages follow the chunks it is given). Returns the number of rows written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    schema = schema.remove_metadata()
    rows = 0
    with pq.ParquetWriter(path, schema, **WRITER_OPTIONS) as writer:
        for group in _row_groups(schema, batches):
            writer.write_table(group, row_group_size=ROW_GROUP_ROWS)
            rows += group.num_rows
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())
    return rows


def _row_groups(schema: pa.Schema, batches: Iterable[pa.RecordBatch]) -> Iterator[pa.Table]:
    """The rows of ``batches`` as tables of ``ROW_GROUP_ROWS`` rows (the last one shorter), one
    chunk per column; a single empty table when there are no rows (an empty row group, as
    ``pq.write_table`` writes for an empty table)."""
    pending: list[pa.RecordBatch] = []
    count = 0
    written = False
    for batch in batches:
        while batch.num_rows:
            take = min(batch.num_rows, ROW_GROUP_ROWS - count)
            pending.append(batch.slice(0, take))
            count += take
            batch = batch.slice(take)
            if count == ROW_GROUP_ROWS:
                yield _one_chunk(schema, pending)
                pending, count, written = [], 0, True
    if pending or not written:
        yield _one_chunk(schema, pending)


def _one_chunk(schema: pa.Schema, batches: list[pa.RecordBatch]) -> pa.Table:
    return pa.Table.from_batches(batches, schema).combine_chunks()


def _carry(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not allowed: a copy has the same bytes
        shutil.copyfile(source, target)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _entry(path: Path, table: str, periode: str, rows: int, snapshot: str) -> dict[str, Any]:
    return {
        "table": table,
        "periode": periode,
        "rows": rows,
        "bytes": path.stat().st_size,
        "sha256": sha256_file(path),
        "diterbitkan": snapshot,
    }


def _amounts(path: Path) -> pa.Table:
    """The money columns of a written tpp_bulanan file (its row count with them)."""
    names = pq.read_schema(path).names
    return pq.read_table(path, columns=[a for a in AMOUNTS if a in names])


def _totals(table: pa.Table) -> dict[str, int]:
    out = {"rows": table.num_rows}
    for name in AMOUNTS:
        value = pc.sum(table[name]).as_py() if name in table.column_names else None
        out[name] = int(value or 0)
    return out


# ----------------------------------------------------------------------------------------------
# Lock, pointer, pruning


@contextmanager
def publishing(data: DataDir, timeout: float = 900) -> Iterator[None]:
    """One publisher (pipeline, verify, lock) at a time per data directory."""
    data.published.mkdir(parents=True, exist_ok=True)
    with open(data.published / ".publish.lock", "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise PublishError(
                        f"Penerbitan lain di {data.published} tidak selesai dalam {timeout:.0f} "
                        "detik; coba lagi nanti."
                    ) from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _snapshot_ids(data: DataDir) -> list[str]:
    folder = snapshots_dir(data)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and p.name[:6].isdigit())


def _new_id(data: DataDir, now: dt.datetime) -> str:
    ids = _snapshot_ids(data)
    sequence = int(ids[-1][:6]) + 1 if ids else 1
    return f"{sequence:06d}-{now.strftime(ID_WAKTU)}"


def _switch(data: DataDir, snapshot_id: str) -> None:
    pointer = current_pointer(data)
    temporary = pointer.with_name(f".{CURRENT}-{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    os.symlink(f"{snapshots_dir(data).name}/{snapshot_id}", temporary)
    os.replace(temporary, pointer)
    _fsync_dir(pointer.parent)


def prune(data: DataDir, keep: int = KEEP, grace_seconds: float = GRACE_SECONDS) -> list[str]:
    """Remove old snapshots (never the current one, never the last ``max(keep, 3)``)."""
    keep = max(keep, 3)
    folder = snapshots_dir(data)
    current = resolve_current(data)
    ids = _snapshot_ids(data)
    removed = []
    now = time.time()
    for index, snapshot_id in enumerate(ids[: max(0, len(ids) - keep)]):
        if current is not None and current.name == snapshot_id:
            continue
        successor = folder / ids[index + 1] / MANIFEST
        superseded = successor.stat().st_mtime if successor.exists() else now
        if now - superseded < grace_seconds:
            continue
        shutil.rmtree(folder / snapshot_id, ignore_errors=True)
        removed.append(snapshot_id)
    for stale in folder.glob(".tmp-*"):  # a publish that died half-way (we hold the lock)
        shutil.rmtree(stale, ignore_errors=True)
    return removed


# ----------------------------------------------------------------------------------------------
# Warehouse


# DuckDB's memory for publish's queries: beyond it the sort of a large mart (a 10x month's day
# table: ~0.9 GB in DuckDB) spills to a folder of its own, removed afterwards
QUERY_MEMORY = "256MB"


@contextmanager
def _connect(data: DataDir, snapshot_id: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short read-only connection to the warehouse; its spill folder sits beside the snapshot
    being written (``.tmp-*``: ``prune`` removes one a crashed publish left)."""
    with tempfile.TemporaryDirectory(prefix=f".tmp-{snapshot_id}-", dir=snapshots_dir(data)) as tmp:
        config = {"memory_limit": QUERY_MEMORY, "temp_directory": tmp}
        with duckdb.connect(str(data.warehouse), read_only=True, config=config) as con:
            yield con


class Warehouse:
    """The marts as read by publish, through one short-lived read-only connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._columns: dict[str, list[str]] = {}

    def on(self, con: duckdb.DuckDBPyConnection) -> Warehouse:
        """The same marts through ``con`` (a cursor, for another thread), with the column
        lists already read."""
        other = Warehouse(con)
        other._columns = self._columns
        return other

    def columns(self, table: str) -> list[str]:
        if not self._columns:
            rows = self.con.execute(
                "select table_name, column_name from information_schema.columns "
                "where table_schema = ? order by table_name, ordinal_position",
                [WAREHOUSE_SCHEMA],
            ).fetchall()
            for name, column in rows:
                self._columns.setdefault(name, []).append(column)
        if table not in self._columns:
            raise PublishError(
                f"Tabel {table} tidak ada di gudang data (skema {WAREHOUSE_SCHEMA}); "
                "jalankan transformasi dbt terlebih dahulu."
            )
        return self._columns[table]

    def fetch(self, table: str, periode: str, columns: list[str] | None = None) -> pa.Table:
        """Rows of one mart for one period, in the deterministic publish order."""
        return self.batches(table, periode, columns).read_all()

    def batches(
        self, table: str, periode: str, columns: list[str] | None = None
    ) -> pa.RecordBatchReader:
        """``fetch`` as a stream of record batches: the rows are not all held in Arrow at once
        (and DuckDB keeps no materialised copy of the result)."""
        return self.con.sql(self._query(table, columns), params=[periode]).to_arrow_reader()

    def blocked(self, periods: list[str]) -> list[str]:
        """Those of ``periods`` with an ERROR finding in ``temuan``: not paid from until the
        source is corrected (the check ``tanpa_temuan_error`` reports them)."""
        rows = self.con.execute(
            f"select distinct periode from {WAREHOUSE_SCHEMA}.temuan "
            "where tingkat = 'ERROR' and list_contains(?, periode) order by periode",
            [periods],
        ).fetchall()
        return [r[0] for r in rows]

    def _query(self, table: str, columns: list[str] | None = None) -> str:
        """The rows of one period (parameter ``?``) in the publish order."""
        available = self.columns(table)
        selected = [c for c in (columns or available) if c in available]
        keys = [k for k in KEYS[table] if k in selected]
        order = keys + [c for c in selected if c not in keys]
        return (
            f"select {', '.join(map(_quote, selected))} "
            f"from {WAREHOUSE_SCHEMA}.{_quote(table)} where periode = ? "
            f"order by {', '.join(map(_quote, order))}"
        )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# ----------------------------------------------------------------------------------------------
# Corrections of locked periods


def next_open(periode: str, locked: set[str]) -> str:
    """The first period after ``periode`` that is not LOCKED (its payment carries koreksi)."""
    candidate = next_month(periode)
    while candidate in locked:
        candidate = next_month(candidate)
    return candidate


FIELDS = {
    "data absensi dikoreksi": (
        "hari_efektif",
        "hadir",
        "tk",
        "tl1",
        "tl2",
        "tl3",
        "tl4",
        "psw1",
        "psw2",
        "psw3",
        "psw4",
        "ct",
        "cs",
        "cb",
        "cm",
        "cap",
        "cltn",
        "dl",
        "diklat",
        "tb",
        "izin",
        "persen_disiplin",
    ),
    "penilaian kinerja dikoreksi": ("predikat", "persen_kinerja", "tanpa_penilaian"),
    "data pegawai dikoreksi": (
        "status",
        "golongan",
        "kelas_jabatan",
        "tpp_basis",
        "nama_jabatan",
        "segmen",
    ),
    "kalender kerja berubah": ("hari_kerja",),
}
SOURCE_OF = {
    "data absensi dikoreksi": "sumber_absensi",
    "penilaian kinerja dikoreksi": "sumber_kinerja",
    "data pegawai dikoreksi": "sumber_pegawai",
}
# the files behind a day: its taps, its absence, and the next month's taps file holding the
# check-out of a night shift that starts on the month's last day (jadwal.md §4)
DAY_SOURCES = ("sumber_absensi", "sumber_ketidakhadiran", "sumber_absensi_pulang")


def day_sources(frame: pl.DataFrame) -> dict[tuple[str, str], set[str]]:
    """(nip, kode_opd) -> source files of the attendance days (tpp_harian)."""
    columns = [c for c in DAY_SOURCES if c in frame.columns]
    if frame.is_empty() or not columns:
        return {}
    long = frame.select("nip", "kode_opd", pl.concat_list(columns).alias("f")).explode("f")
    grouped = long.drop_nulls("f").group_by("nip", "kode_opd").agg(pl.col("f").unique())
    return {(r[0], r[1]): set(r[2]) for r in grouped.iter_rows()}


# the kinds whose files decide a day's attendance: the taps, the absences, the roster
ATTENDANCE_KINDS = ("absensi", "ketidakhadiran", "jadwal")


def attendance_files_since(data: DataDir, statuses: dict[str, StatusPeriode]) -> dict[str, set]:
    """LOCKED periode -> the attendance files loaded since it was locked (at or after the
    lock's second): the month's own taps, absences and roster, and the next month's taps and
    roster (its first morning closes the month's last night shift). These are what a
    correction of the period's days came from, named in its koreksi row."""
    from orchestration.file_registry import current_files

    if not data.registry.exists():
        return {}
    loaded = current_files(data).filter(pl.col("kind").is_in(ATTENDANCE_KINDS))
    out: dict[str, set] = {}
    for periode, status in statuses.items():
        if not status.locked or not status.pada:
            continue
        since = _aware(status.pada).replace(microsecond=0)
        nearby = loaded.filter(
            (pl.col("periode") == periode)
            | ((pl.col("periode") == next_month(periode)) & (pl.col("kind") != "ketidakhadiran"))
        )
        out[periode] = {
            r["file_name"] for r in nearby.iter_rows(named=True) if _aware(r["loaded_at"]) >= since
        }
    return out


def _aware(iso: str) -> dt.datetime:
    """An ISO timestamp as an aware datetime (one written without an offset is WITA's)."""
    moment = dt.datetime.fromisoformat(iso)
    return moment if moment.tzinfo else moment.replace(tzinfo=WITA)


def _alasan(
    periode: str,
    row: dict[str, Any],
    fields: list[str],
    days: tuple[set[str], set[str]],
    since_lock: set[str] = frozenset(),
) -> str:
    if row["_lama"] is None and row["_baru"] is None:
        parts = ["baris yang sudah dikoreksi tidak ada lagi pada perhitungan ulang"]
    elif row["_lama"] is None:
        parts = ["baris baru, tidak ada di daftar yang dikunci"]
    elif row["_baru"] is None:
        parts = ["baris tidak ada lagi pada perhitungan ulang"]
    else:
        parts = []
        for what, names in FIELDS.items():
            changed = [f for f in names if f in fields and row[f] != row[f"{f}_baru"]]
            if not changed:
                continue
            source = SOURCE_OF.get(what)
            files: set[str] = set()
            if source == "sumber_absensi":
                new_days, old_days = days
                # the files loaded since the lock that hold this row's days, and the roster of
                # a shift worker (an office worker's row never reads one; a row locked before
                # rows carried their pattern may be either)
                shift = "pola_kerja" not in fields or "SHIFT" in (
                    row["pola_kerja"],
                    row["pola_kerja_baru"],
                )
                files = {
                    f
                    for f in since_lock
                    if f in new_days | old_days or (shift and f.startswith("jadwal_"))
                }
                files = files or (new_days - old_days) or new_days
            elif source and f"{source}_baru" in row and row[f"{source}_baru"]:
                files = {row[f"{source}_baru"]}
            parts.append(what + (f" (file {', '.join(sorted(files))})" if files else ""))
        if "aturan_versi" in fields and row["aturan_versi"] != row["aturan_versi_baru"]:
            parts.append(f"versi aturan {row['aturan_versi']} -> {row['aturan_versi_baru']}")
        if not parts:
            parts = ["hasil perhitungan ulang berbeda"]
    changed = [AMOUNT_LABELS[a] for a in AMOUNTS if row[f"selisih_{a}"] != 0]
    text = f"Koreksi periode {periode}: {'; '.join(parts)}; berubah: {', '.join(changed)}"
    if row["_sudah"]:
        text += " (setelah koreksi yang sudah dibayar)"
    return text + "."


def koreksi_rows(
    periode: str,
    target: str,
    locked_rows: pl.DataFrame,
    new_rows: pl.DataFrame,
    paid: pl.DataFrame,
    days: tuple[dict, dict] = ({}, {}),
    since_lock: set[str] = frozenset(),
) -> pa.Table:
    """Correction rows for a LOCKED ``periode`` to be paid in ``target``.

    selisih = recomputed - locked - corrections of this period already in LOCKED periods, per
    (nip, kode_opd) and amount (``selisih.selisih_baris``, the diff engine of the what-if too);
    only rows with some non-zero selisih. Recomputing the same data again gives the same rows
    (idempotent): the open period's koreksi file is rebuilt, not added to.
    """
    key = ["nip", "kode_opd"]
    descriptive = {f for names in FIELDS.values() for f in names} | {
        "aturan_versi",
        "nama",
        "nama_opd",
        "pola_kerja",  # whether a roster file can be this row's reason
    }
    sources = [s for s in SOURCE_OF.values() if s in new_rows.columns]
    fields = sorted((descriptive & set(locked_rows.columns)) & set(new_rows.columns))
    joined = selisih_baris(locked_rows, new_rows, key, AMOUNTS, fields, sources, paid)
    joined = joined.filter(pl.any_horizontal([pl.col(f"selisih_{a}") != 0 for a in AMOUNTS]))

    new_days, old_days = days
    rows = []
    for row in joined.sort(key).iter_rows(named=True):
        k = (row["nip"], row["kode_opd"])
        both = (new_days.get(k, set()), old_days.get(k, set()))
        rows.append(
            {
                "periode_bayar": target,
                "periode_asal": periode,
                "kode_opd": row["kode_opd"],
                "nama_opd": row.get("nama_opd_baru") or row.get("nama_opd"),
                "nip": row["nip"],
                "nama": row.get("nama_baru") or row.get("nama"),
                **{f"selisih_{a}": int(row[f"selisih_{a}"]) for a in AMOUNTS},
                "alasan": _alasan(periode, row, fields, both, since_lock),
            }
        )
    return pa.Table.from_pylist(rows, schema=KOREKSI_SCHEMA)


def _sort_koreksi(table: pa.Table) -> pa.Table:
    keys = list(KEYS[KOREKSI]) + [c for c in table.column_names if c not in KEYS[KOREKSI]]
    return table.sort_by([(k, "ascending") for k in keys])


# ----------------------------------------------------------------------------------------------
# Publish


def check_periods(periods: list[str]) -> list[str]:
    bad = [p for p in periods if not _PERIODE.fullmatch(str(p))]
    if bad:
        raise PublishError(f"Periode harus berbentuk YYYY-MM: {', '.join(map(str, bad))}.")
    return sorted(set(periods))


def publish(
    data: DataDir, periods: list[str], *, keep: int = KEEP, grace_seconds: float = GRACE_SECONDS
) -> PublishResult:
    """Publish ``periods`` from the warehouse as a new complete snapshot (see module doc).

    ``periods=[]`` republishes the previous snapshot as it is (used after verify and lock so
    the manifest shows the new status); it does not open the warehouse.
    """
    periods = check_periods(periods)
    with publishing(data):
        return _publish(data, periods, keep, grace_seconds)


class _Builder:
    """Collects the files of the snapshot being written."""

    def __init__(self, folder: Path, snapshot_id: str) -> None:
        self.folder = folder
        self.id = snapshot_id
        self.files: dict[str, dict[str, Any]] = {}
        self.rows: dict[str, int] = {}
        self._lock = threading.Lock()  # marts are written on two threads

    def write(self, table: str, periode: str, rows: pa.Table) -> None:
        self.write_batches(table, periode, rows.schema, rows.to_batches())

    def write_batches(
        self, table: str, periode: str, schema: pa.Schema, batches: Iterable[pa.RecordBatch]
    ) -> Path:
        name = relative_file(table, periode)
        count = write_batches(schema, batches, self.folder / name)
        entry = _entry(self.folder / name, table, periode, count, self.id)
        with self._lock:
            self.files[name] = entry
            self.rows[table] = self.rows.get(table, 0) + count
        return self.folder / name

    def carry(self, previous: Snapshot, name: str) -> None:
        _carry(previous.path / name, self.folder / name)
        self.files[name] = dict(previous.manifest["files"][name])


def _stream_mart(warehouse: Warehouse, build: _Builder, table: str, periode: str) -> Path:
    """One period of one mart, streamed from a cursor of its own into its file."""
    with warehouse.con.cursor() as cursor:
        reader = warehouse.on(cursor).batches(table, periode)
        return build.write_batches(table, periode, reader.schema, reader)


def _publish(data: DataDir, periods: list[str], keep: int, grace: float) -> PublishResult:
    previous = current_snapshot(data)
    statuses = all_status(data)
    locked = {p for p, s in statuses.items() if s.locked}
    published_before = set(previous.periods) if previous else set()
    missing = sorted(locked - published_before)
    if missing:
        raise PublishError(
            f"Periode terkunci {', '.join(missing)} tidak ada di terbitan sebelumnya "
            f"({data.published}); data terkunci tidak boleh dihitung ulang dari gudang data."
        )
    fresh = [p for p in periods if p not in locked]
    relocked = [p for p in periods if p in locked]
    if periods and not data.warehouse.exists():
        raise PublishError(f"Gudang data {data.warehouse} tidak ada; jalankan pipeline dulu.")

    now = dt.datetime.now(WITA).replace(microsecond=0)
    snapshot_id = _new_id(data, now)
    folder = snapshots_dir(data) / f".tmp-{snapshot_id}"
    folder.mkdir(parents=True)
    build = _Builder(folder, snapshot_id)
    try:
        totals: dict[str, dict[str, int]] = {}
        recomputed: dict[str, tuple[pl.DataFrame, dict]] = {}
        blocked: list[str] = []
        if periods:
            with _connect(data, snapshot_id) as con:
                warehouse = Warehouse(con)
                for table in MART_TABLES:  # every mart or nothing
                    warehouse.columns(table)
                blocked = warehouse.blocked(periods)
                fresh = [p for p in fresh if p not in blocked]
                relocked = [p for p in relocked if p not in blocked]
                # streamed: one row group of a mart in Arrow at a time (the day table of a
                # large month is ~0.7 GB whole); two marts at a time, so that one query runs
                # while the other's file is written (DuckDB and pyarrow release the GIL)
                with ThreadPoolExecutor(2, thread_name_prefix="publish") as pool:
                    written = {
                        (periode, table): pool.submit(
                            _stream_mart, warehouse, build, table, periode
                        )
                        for periode in fresh
                        for table in MART_TABLES
                    }
                    for (periode, table), job in written.items():
                        path = job.result()
                        if table == "tpp_bulanan":
                            totals[periode] = _totals(_amounts(path))
                for periode in relocked:
                    for table in _app_tables_missing(previous, periode):
                        build.write(table, periode, warehouse.fetch(table, periode))
                    new_rows = pl.from_arrow(warehouse.fetch("tpp_bulanan", periode))
                    days = pl.from_arrow(
                        warehouse.fetch("tpp_harian", periode, ["nip", "kode_opd", *DAY_SOURCES])
                    )
                    recomputed[periode] = (new_rows, day_sources(days))
        carried = sorted(published_before - set(fresh))
        for periode in carried:
            for name, entry in previous.manifest["files"].items():
                if entry["periode"] == periode and entry["table"] in MART_TABLES:
                    build.carry(previous, name)
            totals[periode] = previous.totals(periode)

        since_lock = attendance_files_since(data, statuses) if recomputed else {}
        koreksi_totals = _publish_koreksi(
            build, previous, locked, recomputed, set(totals), since_lock
        )
        still = set(previous.blocked) - set(fresh) - set(relocked) if previous else set()
        diblokir = sorted(still | set(blocked))
        manifest = _manifest(
            build, now, previous, statuses, totals, koreksi_totals, periods, diblokir
        )
        with open(folder / MANIFEST, "w", encoding="utf-8") as handle:
            json.dump(manifest, handle, indent=2, sort_keys=True, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        for sub in [folder, *(p for p in folder.iterdir() if p.is_dir())]:
            _fsync_dir(sub)
        final = snapshots_dir(data) / snapshot_id
        os.rename(folder, final)
        _fsync_dir(final.parent)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _switch(data, snapshot_id)
    pruned = prune(data, keep, grace)
    return PublishResult(
        snapshot=snapshot_id,
        path=final,
        written=fresh,
        carried=carried,
        locked=relocked,
        rows=build.rows,
        totals={p: totals[p] for p in sorted(totals)},
        koreksi=koreksi_totals,
        pruned=pruned,
        blocked=blocked,
    )


def _publish_koreksi(
    build: _Builder,
    previous: Snapshot | None,
    locked: set[str],
    recomputed: dict[str, tuple[pl.DataFrame, dict]],
    tpp_periods: set[str],
    since_lock: dict[str, set] | None = None,
) -> dict[str, dict[str, int]]:
    """Write tpp_koreksi per periode_bayar; LOCKED ones are carried, open ones rebuilt."""
    empty = pl.from_arrow(KOREKSI_SCHEMA.empty_table())
    before = previous.read(KOREKSI) if previous and previous.files(KOREKSI) else empty
    if before.is_empty():
        before = empty
    parts = []
    for periode, (new_rows, new_days) in sorted(recomputed.items()):
        if new_rows.is_empty():
            continue  # nothing recomputed for this period: keep what was carried before
        locked_rows = previous.read("tpp_bulanan", [periode])
        old_days = day_sources(previous.read("tpp_harian", [periode]))
        paid = before.filter(
            (pl.col("periode_asal") == periode) & pl.col("periode_bayar").is_in(sorted(locked))
        )
        target = next_open(periode, locked)
        parts.append(
            koreksi_rows(
                periode,
                target,
                locked_rows,
                new_rows,
                paid,
                (new_days, old_days),
                (since_lock or {}).get(periode, set()),
            )
        )
        before = before.filter(
            (pl.col("periode_asal") != periode) | pl.col("periode_bayar").is_in(sorted(locked))
        )
    table = pa.concat_tables([before.to_arrow().cast(KOREKSI_SCHEMA), *parts])
    frame = pl.from_arrow(table)

    out: dict[str, dict[str, int]] = {}
    payable = set(frame["periode_bayar"].to_list()) | tpp_periods
    for periode in sorted(payable):
        name = relative_file(KOREKSI, periode)
        if periode in locked:
            if previous is not None and name in previous.manifest["files"]:
                build.carry(previous, name)
        else:
            rows = table.filter(pc.equal(table["periode_bayar"], periode))
            build.write(KOREKSI, periode, _sort_koreksi(rows))
        if name in build.files:
            part = frame.filter(pl.col("periode_bayar") == periode)
            out[periode] = {"rows": part.height} | {
                f"selisih_{a}": int(part[f"selisih_{a}"].sum() or 0) for a in AMOUNTS
            }
    return out


def _app_tables_missing(previous: Snapshot | None, periode: str) -> list[str]:
    """The app's metric marts a LOCKED period was published without (before they existed)."""
    files = previous.manifest["files"] if previous is not None else {}
    return [t for t in APP_TABLES if relative_file(t, periode) not in files]


def _fingerprint(files: dict[str, dict[str, Any]], periode: str) -> str:
    """sha256 over the period's files but the app's metric marts: what finance verifies and locks
    (summaries derived from those files, they may be added or redefined without a new verify)."""
    lines = sorted(
        f"{e['sha256']}  {n}"
        for n, e in files.items()
        if e["periode"] == periode and e["table"] not in APP_TABLES
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _manifest(
    build: _Builder,
    now: dt.datetime,
    previous: Snapshot | None,
    statuses: dict[str, StatusPeriode],
    totals: dict[str, dict[str, int]],
    koreksi: dict[str, dict[str, int]],
    requested: list[str],
    blocked: list[str],
) -> dict[str, Any]:
    periods = {}
    for periode in sorted(totals):
        state = statuses.get(periode, StatusPeriode(periode))
        sidik = _fingerprint(build.files, periode)
        if state.status == VERIFIED and state.sidik != sidik:
            # verified were other files: nobody checked these (lock refuses them too)
            state = StatusPeriode(periode)
        periods[periode] = {
            **state.as_manifest(),
            "diterbitkan": build.files[relative_file("tpp_bulanan", periode)]["diterbitkan"],
            "totals": totals[periode],
            "sidik": sidik,
        }
    return {
        "format": FORMAT_VERSION,
        "snapshot": build.id,
        "created_at": now.isoformat(),
        "zona_waktu": "WITA (UTC+08:00)",
        "previous": previous.id if previous else None,
        "requested": requested,
        "diblokir": blocked,  # ERROR findings in the latest computation (``publish`` step 1)
        "periods": periods,
        "koreksi": koreksi,
        "files": dict(sorted(build.files.items())),
    }


def fingerprint(snapshot: Snapshot, periode: str) -> str:
    """What verify/lock compare: every published file of the period (koreksi included) but the
    app's metric marts."""
    return snapshot.period(periode)["sidik"]
