"""Read what was published: the only data the app and the finance exports ever see.

Layout under ``DATA/published``::

    current -> snapshots/<id>            symlink, replaced atomically by each publish
    snapshots/<id>/manifest.json         id, created_at (WITA), periods with status and totals,
                                         every file with rows and sha256
    snapshots/<id>/<table>/<YYYY-MM>.parquet

A snapshot never changes once it is visible. ``current_snapshot`` resolves the pointer once;
everything read through the returned ``Snapshot`` comes from that one version, so a reader sees
the old publish or the new one, never a mix. Reading takes no lock.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from orchestration.core.formatting import WITA
from orchestration.core.months import last_day, previous_month
from orchestration.core.paths import DataDir

# The app's metric marts (transforms/models/marts, issue 17): summaries of tpp_bulanan /
# tpp_harian at the grain the pages read. Published with the period like the others; not part of
# the period's fingerprint (what finance verifies and locks), and added to a LOCKED period that
# was published before they existed (orchestration/publish.py).
APP_TABLES = (
    "tpp_opd_indikator",
    "tpp_opd_hari",
    "tpp_opd_jam_datang",
    "tpp_opd_sebaran",
    "tpp_perlu_perhatian",
)
MART_TABLES = ("tpp_bulanan", "tpp_harian", "tpp_opd_bulanan", "karantina", "temuan", *APP_TABLES)
KOREKSI = "tpp_koreksi"  # keyed by periode_bayar: the period whose payment carries the rows
TABLES = (*MART_TABLES, KOREKSI)

SNAPSHOTS = "snapshots"
CURRENT = "current"
MANIFEST = "manifest.json"

# Money columns of tpp_bulanan summed into the manifest (whole rupiah).
AMOUNTS = ("tpp_kinerja", "tpp_disiplin", "tpp_bruto", "pph21", "iuran_bpjs", "tpp_neto")


class SnapshotTidakAda(LookupError):
    """Nothing has been published yet in this data directory."""


def snapshots_dir(data: DataDir) -> Path:
    return data.published / SNAPSHOTS


def current_pointer(data: DataDir) -> Path:
    return data.published / CURRENT


def relative_file(table: str, periode: str) -> str:
    return f"{table}/{periode}.parquet"


@dataclass(frozen=True)
class Snapshot:
    """One published version: its folder and its manifest."""

    path: Path
    manifest: dict[str, Any]

    @property
    def id(self) -> str:
        return self.manifest["snapshot"]

    @property
    def created_at(self) -> str:
        return self.manifest["created_at"]

    @property
    def periods(self) -> list[str]:
        """Periods whose TPP table is published (sorted)."""
        return sorted(self.manifest["periods"])

    @property
    def blocked(self) -> list[str]:
        """Periods whose latest computation has an ERROR finding: not published from it (a
        version published before stays, as it was) and not verified or locked until a run
        publishes them again (``publish``, step 1)."""
        return list(self.manifest.get("diblokir", []))

    def period(self, periode: str) -> dict[str, Any]:
        try:
            return self.manifest["periods"][periode]
        except KeyError:
            raise KeyError(f"Periode {periode} tidak ada di snapshot {self.id}.") from None

    def source(self, periode: str) -> str:
        """The snapshot that wrote the period's TPP and correction files (the later of the two).

        Every publish writes a new snapshot that carries unchanged files over: naming the
        current one would change a LOCKED period's printed list whenever another month is
        published, though not one of its rupiah changed. The files' own snapshot changes only
        when they do."""
        ids = [
            entry["diterbitkan"]
            for table in ("tpp_bulanan", KOREKSI)
            if (entry := self.file_entry(table, periode)) and entry.get("diterbitkan")
        ]
        return max(ids) if ids else self.id

    def status(self, periode: str) -> str:
        return self.period(periode)["status"]

    def totals(self, periode: str) -> dict[str, int]:
        """Row count and money totals of ``tpp_bulanan`` for the period, as published."""
        return dict(self.period(periode)["totals"])

    def koreksi_totals(self, periode_bayar: str) -> dict[str, int]:
        return dict(self.manifest.get("koreksi", {}).get(periode_bayar, {}))

    def periods_with_night_shift_into_next(self, periods: Iterable[str]) -> list[str]:
        """Which of ``periods`` (published ones) have a rostered shift that ends in the month
        after (a night shift of the last day, jadwal.md §4): their check-out is read from that
        month's attendance file."""
        found = []
        for periode in sorted(set(periods) & set(self.manifest["periods"])):
            files = self.files("tpp_harian", [periode])
            frame = pl.scan_parquet(files) if files else None
            if frame is None or "jadwal_selesai" not in frame.collect_schema().names():
                continue  # published before schedules existed
            ends = pl.col("jadwal_selesai").dt.date() > last_day(periode)
            if frame.filter(ends).select(pl.len()).collect().item():
                found.append(periode)
        return found

    def file_entry(self, table: str, periode: str) -> dict[str, Any] | None:
        return self.manifest["files"].get(relative_file(table, periode))

    def files(self, table: str, periods: Iterable[str] | None = None) -> list[Path]:
        if table not in TABLES:
            raise KeyError(f"Tabel {table!r} tidak diterbitkan; pilih salah satu: {TABLES}.")
        wanted = None if periods is None else set(periods)
        return [
            self.path / name
            for name, entry in sorted(self.manifest["files"].items())
            if entry["table"] == table and (wanted is None or entry["periode"] in wanted)
        ]

    def read(
        self,
        table: str,
        periods: Iterable[str] | str | None = None,
        kode_opd: Iterable[str] | str | None = None,
    ) -> pl.DataFrame:
        """Rows of ``table`` for ``periods`` (all when None), optionally only some departments.

        ``tpp_koreksi`` is selected by ``periode_bayar``. A selection without files gives an
        empty frame with the table's columns.
        """
        if isinstance(periods, str):
            periods = [periods]
        if isinstance(kode_opd, str):
            kode_opd = [kode_opd]
        files = self.files(table, periods)
        if not files:
            any_file = self.files(table)
            return pl.read_parquet(any_file[0]).clear() if any_file else pl.DataFrame()
        frames = [pl.scan_parquet(f) for f in files]
        frame = pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
        if kode_opd is not None:
            if "kode_opd" not in frame.collect_schema().names():
                raise ValueError(f"Tabel {table} tidak punya kolom kode_opd untuk disaring.")
            frame = frame.filter(pl.col("kode_opd").is_in(list(kode_opd)))
        return frame.collect()

    @contextmanager
    def connect(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A short-lived in-memory DuckDB with one view per published table of this snapshot."""
        con = duckdb.connect(":memory:")
        try:
            for table in TABLES:
                files = self.files(table)
                if files:
                    paths = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
                    con.execute(
                        f"create view {table} as "
                        f"select * from read_parquet([{paths}], union_by_name = true)"
                    )
            yield con
        finally:
            con.close()


def load_snapshot(path: Path) -> Snapshot:
    with open(path / MANIFEST, encoding="utf-8") as handle:
        return Snapshot(path=path, manifest=json.load(handle))


def resolve_current(data: DataDir) -> Path | None:
    """The folder ``current`` points at (read once), or None before the first publish."""
    pointer = current_pointer(data)
    try:
        target = os.readlink(pointer)
    except FileNotFoundError:
        return None
    return (pointer.parent / target).resolve()


def current_snapshot(data: DataDir) -> Snapshot | None:
    """The current published snapshot, pointer resolved once, manifest loaded."""
    for _ in range(3):  # the pointer moved and the old folder was pruned in between: look again
        path = resolve_current(data)
        if path is None:
            return None
        try:
            return load_snapshot(path)
        except FileNotFoundError:
            continue
    raise SnapshotTidakAda(f"Snapshot terbitan di {data.published} tidak dapat dibaca.")


def require_current(data: DataDir) -> Snapshot:
    snapshot = current_snapshot(data)
    if snapshot is None:
        raise SnapshotTidakAda(
            f"Belum ada data terbit di {data.published}: jalankan pipeline terlebih dahulu."
        )
    return snapshot


def night_shifts_into(data: DataDir, periods: list[str]) -> list[str]:
    """The months just before ``periods`` whose night shifts end in one of them (jadwal.md §4):
    their check-outs are in these months' attendance files, so they are computed again with
    them (a new file, a corrected file; PULANG_BELUM_TERSEDIA resolved). A locked one gets its
    difference as a correction row, as any recomputed locked month."""
    snapshot = current_snapshot(data)
    if snapshot is None or not periods:
        return []
    before = {previous_month(p) for p in periods} - set(periods)
    return snapshot.periods_with_night_shift_into_next(before)


ID_WAKTU = "%Y%m%dT%H%M%S"  # the WITA time in a snapshot's id: 000003-20261205T153739


def snapshot_time(snapshot_id: str) -> str:
    """A snapshot's time from its id (``publish._new_id``), ISO with the WITA offset; the
    snapshot's own folder may have been pruned since."""
    waktu = dt.datetime.strptime(snapshot_id.split("-", 1)[1], ID_WAKTU)
    return waktu.replace(tzinfo=WITA).isoformat()
