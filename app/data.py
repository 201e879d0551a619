"""The app's only data access: published snapshot (read-only), quality history, audit log.

Every function takes the caller's ``Scope`` (made from the logged-in session, never from a URL
or a widget) and applies it here, on the server:

- ``KEPALA_OPD`` sees rows of its own department only. A request for another department raises
  ``AksesDitolak``; a person's NIP outside it is refused and audited; a search finds nothing
  outside it (the same answer whether the NIP exists elsewhere or not at all).
- ``ANALIS`` and ``KEUANGAN`` see every department; quality and audit history are for ANALIS.

The business metrics are defined in dbt (the app's marts ``tpp_opd_indikator``, ``tpp_opd_hari``,
``tpp_opd_jam_datang``, ``tpp_opd_sebaran``, ``tpp_perlu_perhatian`` next to ``tpp_opd_bulanan``;
see their YAML in ``transforms/models/marts``). Here a method only filters them by scope and
period and totals a selection of departments: additive columns are summed, and a rate or an
average is the ratio of the summed numerator and denominator (``_percent``), never an average of
the departments' rates.

Reads go through ``orchestration.core.published``: the current snapshot is resolved once per page
run; at its first cache miss the run opens a cursor on the process's in-memory DuckDB over that
snapshot's Parquet files (views made once per snapshot, ``tpp_bulanan`` loaded as a table, see
``_base``) and aggregates there, so no page pulls the 4 M day rows into Python. The warehouse
(``warehouse.duckdb``) is never opened and no lock is taken. Results, and the model files, are
cached in the process (``_cached``) keyed on the snapshot (or the file's version) and the
effective (scoped) filters.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import streamlit as st

from app.format import WITA
from app.users import ANALIS, KEPALA_OPD, KEUANGAN
from orchestration.core.paths import DataDir
from orchestration.core.published import TABLES, Snapshot, current_snapshot, load_snapshot

CACHE_ENTRIES = 4096
# a NIP written in a model's reason (``NIP 19900815 201601 1 005`` or 18 digits)
_NIP_TEKS = r"(?:NIP )?\b(?:\d{8} \d{6} \d \d{3}|\d{18})\b"


class AccessDenied(PermissionError):
    """The logged-in role may not see what was asked for."""


class NotAvailable(LookupError):
    """A source the page needs does not exist yet (module or data); the message says which."""


@dataclass(frozen=True)
class Scope:
    """Who asks: role and, for KEPALA_OPD, the one department it may see."""

    username: str
    role: str
    kode_opd: str | None = None

    def __post_init__(self) -> None:
        if self.role == KEPALA_OPD and not self.kode_opd:
            raise AccessDenied("Peran KEPALA_OPD tanpa kode_opd tidak boleh membaca data.")
        if self.role not in (ANALIS, KEPALA_OPD, KEUANGAN):
            raise AccessDenied(f"Peran {self.role!r} tidak dikenal.")

    @property
    def all_opd(self) -> bool:
        return self.role != KEPALA_OPD

    def opd(self, diminta: str | None = None) -> str | None:
        """The department filter to apply (None = all). A foreign request raises."""
        if self.all_opd:
            return diminta or None
        if diminta in (None, "", self.kode_opd):
            return self.kode_opd
        raise AccessDenied(f"Anda hanya dapat melihat Perangkat Daerah {self.kode_opd}.")

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise AccessDenied("Halaman ini tidak tersedia untuk peran Anda.")


# ----------------------------------------------------------------------------------------------
# cached SQL over one snapshot


_BASIS: dict[str, duckdb.DuckDBPyConnection] = {}
_BASIS_LOCK = threading.Lock()
BASIS_SNAPSHOTS = 2
# tables loaded into the snapshot's DuckDB instead of read from Parquet at every query: a
# person's rows out of a year of tpp_bulanan (~190,000 rows, ~120 MB) in ~6 ms instead of
# ~50 ms, the cost that dominated the person page (tpp_harian, ~4 M rows a year, stays a view)
IN_MEMORY = ("tpp_bulanan",)


def _base(snapshot: Snapshot) -> duckdb.DuckDBPyConnection:
    """One in-memory DuckDB per snapshot for the whole process, with its views (and the
    ``IN_MEMORY`` tables) made once.

    Page runs query it through their own cursor (a connection to the same database: views are
    shared, cursors are not shared between threads). Creating the views over every published
    file costs more than most queries, so it is paid once per snapshot instead of once per page
    run. The newest ``BASIS_SNAPSHOTS`` are kept; an older one closes when its last cursor does.
    """
    with _BASIS_LOCK:
        key = f"{snapshot.path}#{snapshot.id}"  # copies of a data dir share snapshot ids
        con = _BASIS.get(key)
        if con is None:
            # the views of Snapshot.connect, on a connection that outlives a page run
            con = duckdb.connect(":memory:")
            for table in TABLES:
                files = snapshot.files(table)
                if files:
                    paths = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
                    kind = "table" if table in IN_MEMORY else "view"
                    con.execute(
                        f"create {kind} {table} as select * from "
                        f"read_parquet([{paths}], union_by_name = true)"
                    )
            _BASIS[key] = con
            while len(_BASIS) > BASIS_SNAPSHOTS:
                _BASIS.pop(next(iter(_BASIS)))
        return con


_HASIL: OrderedDict[tuple, pl.DataFrame] = OrderedDict()
_HASIL_LOCK = threading.Lock()
_DIHITUNG: dict[tuple, threading.Lock] = {}
CACHE_BYTES = 512 * 2**20


def clear_cache() -> None:
    """Forget every cached query result and DuckDB base (benchmarks of a cold page)."""
    with _HASIL_LOCK:
        _HASIL.clear()
    with _BASIS_LOCK:
        _BASIS.clear()


def _query(
    snapshot_path: str, snapshot_id: str, sql: str, params: tuple, _koneksi=None
) -> pl.DataFrame:
    """Run ``sql`` over the snapshot's views; cached per (snapshot, sql, params) for the process
    (``_cached``). ``_koneksi`` (not part of the key) hands out the page run's cursor; without it
    the query opens its own."""
    return _cached(
        (snapshot_path, snapshot_id, sql, params),
        lambda: _compute(snapshot_path, snapshot_id, sql, params, _koneksi),
    )


def _cached(key: tuple, compute: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """``compute()``, cached under ``key`` for the process.

    One in-process LRU (``CACHE_ENTRIES`` results, ``CACHE_BYTES``) shared by every session and
    by the warm-up at start (``app.warm.warm_data``): a result is computed once even when many
    sessions miss it at the same moment (the others wait for it), then handed out as a clone
    (no copy of the data, unlike ``st.cache_data``, which unpickles every hit).
    """
    with _HASIL_LOCK:
        hit = _HASIL.get(key)
        if hit is not None:
            _HASIL.move_to_end(key)
            return hit.clone()
        lock = _DIHITUNG.setdefault(key, threading.Lock())
    with lock:
        with _HASIL_LOCK:
            hit = _HASIL.get(key)
        if hit is None:
            hit = compute()
            with _HASIL_LOCK:
                _HASIL[key] = hit
                _DIHITUNG.pop(key, None)
                total = sum(f.estimated_size() for f in _HASIL.values())
                while len(_HASIL) > CACHE_ENTRIES or (total > CACHE_BYTES and len(_HASIL) > 1):
                    total -= _HASIL.popitem(last=False)[1].estimated_size()
    return hit.clone()


def _compute(
    snapshot_path: str, snapshot_id: str, sql: str, params: tuple, _koneksi=None
) -> pl.DataFrame:
    if _koneksi is not None:
        return _koneksi().sql(sql, params=list(params)).pl()
    snapshot = load_snapshot(Path(snapshot_path))
    if snapshot.id != snapshot_id:  # a folder is never reused; be explicit anyway
        raise NotAvailable(f"Snapshot {snapshot_id} tidak lagi tersedia.")
    with closing(_base(snapshot).cursor()) as con:
        return con.sql(sql, params=list(params)).pl()


def _opd_clause(kode_opd: str | None) -> tuple[str, tuple]:
    return (" and kode_opd = ?", (kode_opd,)) if kode_opd else ("", ())


def _percent(pembilang: str, penyebut: str) -> str:
    """A rate of a selection of departments, in percent: the ratio of the sums (the marts'
    ``persen_dari``, transforms/macros/persen.sql, on summed columns); null without a
    denominator."""
    return f"sum({pembilang})::double / nullif(sum({penyebut})::double, 0) * 100"


def _pegawai(kode_opd: str | None, satu_opd: str, provinsi: str) -> str:
    """The head-count column to sum: one department counts everyone with a row in it
    (``satu_opd``); several count a person transferred during the month once (``provinsi``)."""
    return satu_opd if kode_opd else provinsi


class Data:
    """What one page run may read, for one scope, from one snapshot (resolved once)."""

    def __init__(self, data: DataDir, scope: Scope, snapshot: Snapshot | None = None) -> None:
        self.dir = data
        self.scope = scope
        self.snapshot = snapshot if snapshot is not None else current_snapshot(data)
        self._run: ExitStack | None = None
        self._con = None

    @contextmanager
    def one_connection(self) -> Iterator[None]:
        """Share one short-lived in-memory DuckDB among the queries of a page run.

        Opening a connection with views over every published file costs more than most of the
        page's aggregates. It is opened at the first cache miss (a page served from the cache
        opens none) and closed when the run ends, ``st.stop`` included.
        """
        self._run = ExitStack()
        try:
            yield
        finally:
            self._run.close()
            self._run = self._con = None

    def _connection(self):
        if self._con is None:
            self._con = self._run.enter_context(closing(_base(self.snapshot).cursor()))
        return self._con

    # -- snapshot -------------------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        return self.snapshot is not None and bool(self.snapshot.periods)

    @property
    def periods(self) -> list[str]:
        return self.snapshot.periods if self.snapshot else []

    def has_table(self, table: str) -> bool:
        try:
            return bool(self.snapshot and self.snapshot.files(table))
        except KeyError:  # not a published table (yet)
            return False

    def status(self, periode: str) -> dict[str, Any]:
        """status (DRAFT/VERIFIED/LOCKED), oleh, pada of a published period."""
        p = self.snapshot.period(periode)
        return {"status": p.get("status", "DRAFT"), "oleh": p.get("oleh"), "pada": p.get("pada")}

    def _sql(self, sql: str, params: tuple = ()) -> pl.DataFrame:
        if self.snapshot is None:
            raise NotAvailable("Belum ada data terbit: jalankan pipeline terlebih dahulu.")
        try:
            koneksi = self._connection if self._run is not None else None
            return _query(str(self.snapshot.path), self.snapshot.id, sql, params, _koneksi=koneksi)
        except duckdb.CatalogException:
            # a snapshot published before a table the page reads existed (the app's metric
            # marts): the next pipeline run publishes it
            raise NotAvailable(
                f"Data terbit {self.snapshot.id} belum memuat tabel yang dibutuhkan halaman ini; "
                "jalankan pipeline (kinerja run) sekali lagi."
            ) from None
        except (FileNotFoundError, duckdb.IOException):
            # the snapshot was pruned between resolve and read (three newer publishes and its
            # grace period later, e.g. a download clicked long after the page): take the
            # current one again, once, on a fresh connection
            self.snapshot, self._con = current_snapshot(self.dir), None
            if self.snapshot is None:
                raise NotAvailable("Data terbit tidak dapat dibaca.") from None
            return _query(str(self.snapshot.path), self.snapshot.id, sql, params)

    # -- departments ----------------------------------------------------------------------------

    def opd_list(self) -> pl.DataFrame:
        """kode_opd, nama_opd the scope may see (latest name), sorted by code."""
        where, params = _opd_clause(self.scope.opd())
        return self._sql(
            "select kode_opd, arg_max(nama_opd, periode) as nama_opd from tpp_opd_bulanan "
            f"where true{where} group by kode_opd order by kode_opd",
            params,
        )

    # -- province / department KPIs -------------------------------------------------------------

    def kpi_per_periode(self, kode_opd: str | None = None) -> pl.DataFrame:
        """One row per period: head count, money, average percentages, TK rate, money lost
        (``tpp_opd_bulanan`` with ``tpp_opd_indikator``, the scope's departments totalled)."""
        kode = self.scope.opd(kode_opd)
        where, params = _opd_clause(kode)
        pegawai = _pegawai(kode, "jumlah_pegawai", "jumlah_pegawai_provinsi")
        return self._sql(
            f"""
            select periode,
                sum({pegawai})::bigint as pegawai,
                sum(jumlah_baris)::bigint as baris,
                sum(tpp_basis)::bigint as tpp_basis,
                sum(tpp_kinerja)::bigint as tpp_kinerja,
                sum(tpp_disiplin)::bigint as tpp_disiplin,
                sum(tpp_bruto)::bigint as tpp_bruto,
                sum(pph21)::bigint as pph21,
                sum(iuran_bpjs)::bigint as iuran_bpjs,
                sum(tpp_neto)::bigint as tpp_neto,
                sum(jumlah_persen_disiplin)::double / sum(jumlah_baris) as persen_disiplin,
                sum(jumlah_persen_kinerja)::double / sum(jumlah_baris) as persen_kinerja,
                sum(tk)::bigint as tk,
                sum(hari_efektif)::bigint as hari_efektif,
                {_percent("tk", "hari_efektif")} as persen_tk,
                sum(terlambat)::bigint as terlambat,
                sum(pulang_cepat)::bigint as pulang_cepat,
                sum(jumlah_tanpa_penilaian)::bigint as tanpa_penilaian,
                sum(hilang_disiplin)::double as hilang_disiplin,
                sum(hilang_kinerja)::double as hilang_kinerja
            from tpp_opd_bulanan left join tpp_opd_indikator using (periode, kode_opd)
            where true{where}
            group by periode
            order by periode
            """,
            params,
        )

    def opd_periode(self, periode: str | None = None) -> pl.DataFrame:
        """tpp_opd_bulanan rows the scope may see (one period or all), with the rates of
        ``tpp_opd_indikator``."""
        where, params = _opd_clause(self.scope.opd())
        if periode:
            where += " and periode = ?"
            params += (periode,)
        return self._sql(
            f"""
            select periode, kode_opd, nama_opd, jumlah_pegawai, jumlah_baris,
                jumlah_tanpa_penilaian, hari_efektif, hadir, tk, terlambat, pulang_cepat,
                tpp_basis, tpp_kinerja, tpp_disiplin, tpp_bruto, pph21, iuran_bpjs, tpp_neto,
                rata_persen_kinerja::double as persen_kinerja,
                rata_persen_disiplin::double as persen_disiplin,
                persen_tk, persen_terlambat
            from tpp_opd_bulanan left join tpp_opd_indikator using (periode, kode_opd)
            where true{where}
            order by periode, kode_opd
            """,
            params,
        )

    # -- one department, one period -------------------------------------------------------------

    def _distribution(
        self, sebaran: str, nilai: str, periode: str, kode_opd: str | None, orang: bool = False
    ) -> pl.DataFrame:
        """One distribution of ``tpp_opd_sebaran`` (``nilai`` selected as given), scope applied:
        rows per value, or with ``orang`` people (a transferred person once over departments)."""
        kode = self.scope.opd(kode_opd)
        where, params = _opd_clause(kode)
        kolom = (
            _pegawai(kode, "jumlah_baris", "jumlah_pegawai_provinsi") if orang else "jumlah_baris"
        )
        return self._sql(
            f"select {nilai}, sum({kolom})::bigint as pegawai from tpp_opd_sebaran "
            f"where periode = ? and sebaran = ?{where} group by 1 order by 1",
            (periode, sebaran, *params),
        )

    def disiplin_distribution(self, periode: str, kode_opd: str | None) -> pl.DataFrame:
        """Rows (people) per whole-point band of persen_disiplin."""
        return self._distribution("persen_disiplin", "nilai::int as persen", periode, kode_opd)

    def predikat_distribution(self, periode: str, kode_opd: str | None) -> pl.DataFrame:
        """Rows (people) per predikat, TANPA_PENILAIAN without one."""
        return self._distribution("predikat", "nilai as predikat", periode, kode_opd)

    def per_weekday(self, periode: str, kode_opd: str | None) -> pl.DataFrame:
        """Per weekday: working days, TL / PSW / TK days and their rates per 100 working days
        (``tpp_opd_hari``)."""
        where, params = _opd_clause(self.scope.opd(kode_opd))
        return self._sql(
            f"""
            select hari_iso, sum(hari_kerja)::bigint as hari,
                sum(terlambat)::bigint as tl,
                sum(pulang_cepat)::bigint as psw,
                sum(tk)::bigint as tk,
                {_percent("terlambat", "hari_kerja")} as persen_tl,
                {_percent("pulang_cepat", "hari_kerja")} as persen_psw,
                {_percent("tk", "hari_kerja")} as persen_tk
            from tpp_opd_hari
            where periode = ?{where}
            group by hari_iso order by hari_iso
            """,
            (periode, *params),
        )

    def arrival_times(self, periode: str, kode_opd: str | None) -> pl.DataFrame:
        """Arrival histogram: check-ins per 5-minute slot of the clock (05:00-11:00, ``menit``
        after midnight) and expected start, of the days of a weekly pattern (office, school):
        a shift's start is not a morning (``tpp_opd_jam_datang``)."""
        where, params = _opd_clause(self.scope.opd(kode_opd))
        return self._sql(
            f"""
            select menit, jam_masuk, sum(hari)::bigint as hari
            from tpp_opd_jam_datang
            where periode = ?{where}
            group by menit, jam_masuk order by menit, jam_masuk
            """,
            (periode, *params),
        )

    URUTAN_PERHATIAN = (
        "paling banyak hari TK, lalu persen disiplin terendah, lalu tanpa penilaian, lalu persen "
        "kinerja terendah"
    )

    def needs_attention(self, periode: str, kode_opd: str | None, batas: int = 200) -> pl.DataFrame:
        """People to look at (``tpp_perlu_perhatian``: TK days, discipline below 95 %, no or a
        weak evaluation), in the order of visible columns (``URUTAN_PERHATIAN``), not of a
        hidden score."""
        where, params = _opd_clause(self.scope.opd(kode_opd))
        return self._sql(
            f"""
            select nip, nama, kode_opd, nama_jabatan, predikat, tanpa_penilaian,
                persen_disiplin::double as persen_disiplin,
                persen_kinerja::double as persen_kinerja,
                tk, terlambat, pulang_cepat, izin, tpp_bruto, tpp_neto, pola_kerja
            from tpp_perlu_perhatian
            where periode = ?{where}
            order by urutan
            limit ?
            """,
            (periode, *params, batas),
        )

    def tpp_opd(self, periode: str, kode_opd: str | None) -> pl.DataFrame:
        """Every row of tpp_bulanan of the period (one department or all the scope sees)."""
        where, params = _opd_clause(self.scope.opd(kode_opd))
        return self._sql(
            f"select * exclude (basis_efektif), basis_efektif::double as basis_efektif "
            f"from tpp_bulanan where periode = ?{where} order by kode_opd, nama, nip",
            (periode, *params),
        )

    # -- work patterns and rosters (jadwal.md) -------------------------------------------------

    def pola_kerja(self, periode: str, kode_opd: str | None) -> pl.DataFrame:
        """People per work pattern (KANTOR / SEKOLAH / SHIFT) in the period."""
        return self._distribution(
            "pola_kerja", "nilai as pola_kerja", periode, kode_opd, orang=True
        )

    def roster(
        self, periode: str, kode_opd: str | None, mulai: int = 0, batas: int = 60
    ) -> pl.DataFrame:
        """The roster of a page of the department's SHIFT people (by name, ``batas`` from
        ``mulai``): one row per person and working day of ``tpp_harian`` (days off have none),
        with the shift, its hours, the day's codes and points; a person without any working
        day this month has one row without ``tanggal``."""
        where, params = _opd_clause(self.scope.opd(kode_opd))
        return self._sql(
            f"""
            with orang as (
                select nip, min(nama) as nama, min(nama_jabatan) as nama_jabatan
                from tpp_bulanan
                where periode = ? and pola_kerja = 'SHIFT'{where}
                group by nip
                order by nama, nip
                limit ? offset ?
            )
            select o.nip, o.nama, o.nama_jabatan, h.tanggal, h.kode_shift, h.jadwal_mulai,
                h.jadwal_selesai, h.kode_hari, h.kode_datang, h.kode_pulang,
                h.poin::double as poin, h.waktu_datang, h.waktu_pulang, h.pulang_belum_tersedia
            from orang as o
            left join tpp_harian as h
                on h.nip = o.nip and h.periode = ?{where.replace("kode_opd", "h.kode_opd")}
            order by o.nama, o.nip, h.tanggal
            """,
            (periode, *params, batas, mulai, periode, *params),
        )

    # -- people ---------------------------------------------------------------------------------

    def find_pegawai(self, teks: str, batas: int = 50) -> pl.DataFrame:
        """Search by name (any part) or NIP (digits, any spacing); latest row per person."""
        teks = (teks or "").strip()
        digits = "".join(ch for ch in teks if ch.isdigit())
        if len(teks) < 2:
            return pl.DataFrame()
        where, params = _opd_clause(self.scope.opd())
        if len(digits) >= 4 and len(digits) >= len(teks.replace(" ", "")) - 1:
            cond, arg = "nip like ?", f"{digits}%"
        else:
            literal = teks.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            cond, arg = "nama ilike ? escape '\\'", f"%{literal}%"
        return self._sql(
            f"""
            select nip, arg_max(nama, periode) as nama, arg_max(kode_opd, periode) as kode_opd,
                arg_max(nama_opd, periode) as nama_opd, arg_max(nama_jabatan, periode) as nama_jabatan,
                max(periode) as periode_terakhir
            from tpp_bulanan
            where {cond}{where}
            group by nip order by nama, nip limit ?
            """,
            (arg, *params, batas),
        )

    def pegawai_bulanan(self, nip: str) -> pl.DataFrame:
        """Every tpp_bulanan row of one person the scope may see, by period."""
        where, params = _opd_clause(self.scope.opd())
        frame = self._sql(
            "select * exclude (basis_efektif), basis_efektif::double as basis_efektif "
            f"from tpp_bulanan where nip = ?{where} order by periode, segmen, kode_opd",  # ASAL first
            (nip, *params),
        )
        if frame.is_empty() and not self.scope.all_opd:
            # the same answer whether the NIP exists elsewhere or not at all: nothing leaks
            raise AccessDenied(
                f"Pegawai yang diminta tidak ditemukan di Perangkat Daerah Anda ({self.scope.kode_opd})."
            )
        return frame

    def pegawai_harian(self, nip: str, periods: tuple[str, ...] | None = None) -> pl.DataFrame:
        """The working days of one person (scope applied), with times as WITA wall-clock."""
        where, params = _opd_clause(self.scope.opd())
        if periods:
            where += f" and periode in ({', '.join('?' * len(periods))})"
            params += tuple(periods)
        return self._sql(
            f"""
            select periode, kode_opd, segmen, tanggal, hari_iso, ramadan, jam_masuk, jam_pulang,
                waktu_datang, waktu_pulang, kode_hari, kode_datang, kode_pulang,
                menit_terlambat, menit_pulang_cepat, poin::double as poin, hari_efektif,
                nomor_surat, sumber_absensi, kode_shift, jadwal_mulai, jadwal_selesai,
                sumber_absensi_pulang, pulang_belum_tersedia
            from tpp_harian
            where nip = ?{where}
            order by tanggal, kode_opd
            """,
            (nip, *params),
        )

    # -- finance --------------------------------------------------------------------------------

    def finance_periods(self) -> pl.DataFrame:
        """Per published period: status, who/when, rows and money totals (from the manifest)."""
        self.scope.require(KEUANGAN, ANALIS)
        rows = []
        for p in self.periods:
            entry = self.snapshot.period(p)
            totals = entry.get("totals", {})
            koreksi = self.snapshot.koreksi_totals(p)
            rows.append(
                {
                    "periode": p,
                    "status": entry.get("status", "DRAFT"),
                    "oleh": entry.get("oleh"),
                    "pada": entry.get("pada"),
                    "baris": totals.get("rows", 0),
                    **{
                        k: totals.get(k, 0)
                        for k in (
                            "tpp_kinerja",
                            "tpp_disiplin",
                            "tpp_bruto",
                            "pph21",
                            "iuran_bpjs",
                            "tpp_neto",
                        )
                    },
                    "koreksi_baris": koreksi.get("rows", 0),
                    "koreksi_neto": koreksi.get("selisih_tpp_neto", 0),
                }
            )
        teks = {"periode": pl.String, "status": pl.String, "oleh": pl.String, "pada": pl.String}
        return pl.DataFrame(rows, schema_overrides=teks) if rows else pl.DataFrame(schema=teks)

    def period_history(self, periode: str | None = None) -> pl.DataFrame:
        """Every lifecycle step (from, to, who, when) of one period or all, oldest first."""
        self.scope.require(KEUANGAN, ANALIS)
        from orchestration.periods import history

        schema = dict.fromkeys(("periode", "dari", "ke", "oleh", "pada", "snapshot"), pl.String)
        rows = [{k: r.get(k) for k in schema} for r in history(self.dir, periode)]
        return pl.DataFrame(rows, schema=schema)

    def koreksi(self, periode_bayar: str, kode_opd: str | None = None) -> pl.DataFrame:
        if not self.has_table("tpp_koreksi"):
            return pl.DataFrame()
        where, params = _opd_clause(self.scope.opd(kode_opd))
        return self._sql(
            f"select * from tpp_koreksi where periode_bayar = ?{where} order by kode_opd, nip",
            (periode_bayar, *params),
        )

    def exports_available(self) -> list[str]:
        """Formats of the finance exports (``orchestration.nominatif``); [] when absent."""
        try:
            nominatif = importlib.import_module("orchestration.nominatif")
        except ImportError:
            return []
        return list(nominatif.FORMATS)

    @staticmethod
    def export_name(periode: str, fmt: str, kode_opd: str | None) -> tuple[str, str]:
        """(file name, mime) of what ``ekspor`` returns for these arguments."""
        if kode_opd and fmt in ("xlsx", "pdf"):
            mime = {
                "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "pdf": "application/pdf",
            }[fmt]
            return f"nominatif_tpp_{periode}_{kode_opd}.{fmt}", mime
        akhiran = f"_{kode_opd}" if kode_opd else ""
        return f"ekspor_tpp_{periode}_{fmt}{akhiran}.zip", "application/zip"

    def export(self, periode: str, fmt: str, kode_opd: str | None = None) -> bytes:
        """The finance export of ``orchestration.nominatif`` for the scope's departments.

        One department in xlsx/pdf gives that file; anything else a zip of every file written
        (with the export's json and SHA256SUMS). Cached per snapshot and day (the signature
        date is today's): the 39-department workbook takes a while, a second click does not.
        """
        self.scope.require(KEUANGAN, ANALIS, KEPALA_OPD)
        kode = self.scope.opd(kode_opd)
        if fmt not in self.exports_available():
            raise NotAvailable(f"Ekspor {fmt} belum tersedia.")
        name, _ = self.export_name(periode, fmt, kode)
        hari = dt.datetime.now(WITA).date().isoformat()
        return _export(str(self.dir.root), self.snapshot.id, hari, periode, fmt, kode, name)

    # -- data quality ---------------------------------------------------------------------------

    def temuan(self, periode: str | None = None, kode_opd: str | None = None) -> pl.DataFrame:
        if not self.has_table("temuan"):
            return pl.DataFrame()
        where, params = _opd_clause(self.scope.opd(kode_opd))
        if periode:
            where += " and periode = ?"
            params += (periode,)
        return self._sql(
            f"select * from temuan where true{where} order by periode desc, tingkat, kode, nip",
            params,
        )

    def temuan_per_periode(self) -> pl.DataFrame:
        """ERROR / WARN findings per period (scope applied)."""
        if not self.has_table("temuan"):
            return pl.DataFrame(
                schema={"periode": pl.String, "tingkat": pl.String, "jumlah": pl.Int64}
            )
        where, params = _opd_clause(self.scope.opd())
        return self._sql(
            "select periode, tingkat, count(*) as jumlah from temuan "
            f"where true{where} group by 1, 2 order by 1, 2",
            params,
        )

    def karantina(self, periode: str | None = None) -> pl.DataFrame:
        """Quarantined rows (they carry no department: ANALIS only)."""
        self.scope.require(ANALIS)
        if not self.has_table("karantina"):
            return pl.DataFrame()
        where, params = ("", ()) if not periode else (" where periode = ?", (periode,))
        return self._sql(
            f"select * from karantina{where} order by periode desc, kind, source_file, line_no",
            params,
        )

    def check_results(self, periode: str | None = None) -> pl.DataFrame:
        """Newest result of every check (quality history); BelumTersedia when absent."""
        self.scope.require(ANALIS)
        history = _optional("quality.history", "riwayat cek kualitas data")
        return history.latest_results(self.dir, periode)

    def check_history(self) -> pl.DataFrame:
        self.scope.require(ANALIS)
        history = _optional("quality.history", "riwayat cek kualitas data")
        return history.load_check_history(self.dir)

    def alert_history(self) -> pl.DataFrame:
        self.scope.require(ANALIS)
        alerts = _optional("quality.alerts", "riwayat alert")
        return alerts.load_alert_history(self.dir)

    def audit(self, limit: int = 500) -> pl.DataFrame:
        self.scope.require(ANALIS)
        from app import audit

        return audit.frame(self.dir, limit)

    # -- model scores -------------------------------------------------------------------------

    def model_scores(self, jenis: str, periode: str) -> pl.DataFrame:
        """Scores of ``models`` for the scope's people in ``periode``, with name and department.

        ``jenis``: ``anomali`` (attendance anomalies) or ``peringatan`` (early warning). Raises
        ``BelumTersedia`` until the module or its score file exists.
        """
        skor = _optional("models.score_files", "skor model")
        nama = {"anomali": skor.ANOMALI, "peringatan": skor.PERINGATAN}[jenis]
        path = skor.path(self.dir, nama)
        if not path.is_file():
            what = "Skor anomali kehadiran" if jenis == "anomali" else "Skor peringatan dini"
            raise NotAvailable(f"{what} belum ada: model belum dilatih dan dijalankan.")
        scores = _score_file(str(self.dir.root), path.stat().st_mtime_ns, jenis, periode)
        where, params = _opd_clause(self.scope.opd())
        people = self._sql(
            "select nip, kode_opd, nama, nama_opd, nama_jabatan from tpp_bulanan "
            f"where periode = ? and segmen = 'UTAMA'{where}",
            (periode, *params),
        )
        if scores.is_empty():
            return scores
        # the scope decides who is shown: only people of the published rows it may see
        scores = scores.drop(
            [c for c in ("kode_opd", "nama", "nama_opd") if c in scores.columns]
        ).join(people, on="nip", how="inner")
        if not self.scope.all_opd and "peringkat" in scores.columns:
            # the rank among the scope's people: a province rank tells how many are ahead
            # elsewhere
            scores = scores.with_columns(
                peringkat=pl.col("peringkat").rank("ordinal").cast(pl.Int32)
            )
        if jenis == "anomali" and not self.scope.all_opd and "alasan" in scores.columns:
            scores = self._visible_reasons(scores, periode)
        return scores

    def _visible_reasons(self, scores: pl.DataFrame, periode: str) -> pl.DataFrame:
        """Anomaly reasons for a department head as ``temuan_anomali`` words them (a
        buddy-punching colleague of another department is not named); without the flags file,
        every NIP in a reason is hidden."""
        try:
            flags = self.temuan_anomali(periode)
        except NotAvailable:
            flags = pl.DataFrame()
        if flags.is_empty():
            return scores.with_columns(pl.col("alasan").str.replace_all(_NIP_TEKS, "(rekan)"))
        per_nip = (
            flags.sort("nip", "aturan")
            .group_by("nip", maintain_order=True)
            .agg(alasan_terlihat=pl.col("alasan").str.join("; "))
        )
        return (
            scores.join(per_nip, on="nip", how="left")
            .with_columns(
                alasan=pl.when(pl.col("alasan").is_not_null()).then(
                    pl.coalesce(
                        "alasan_terlihat", pl.col("alasan").str.replace_all(_NIP_TEKS, "(rekan)")
                    )
                )
            )
            .drop("alasan_terlihat")
        )

    def _model_file(self, jenis: str, periode: str | None) -> pl.DataFrame:
        """A file of ``models.score_files`` (one period or all), unscoped; ``BelumTersedia`` if absent."""
        skor = _optional("models.score_files", "skor model")
        path = skor.path(self.dir, getattr(skor, _FILE_MODEL[jenis][0]))
        if not path.is_file():
            raise NotAvailable(
                f"Berkas {path.name} belum ada: model anomali belum dijalankan dengan versi ini."
            )
        return _score_file(str(self.dir.root), path.stat().st_mtime_ns, jenis, periode)

    def _people(self, periode: str) -> pl.DataFrame:
        """nip, kode_opd, nama, nama_opd, nama_jabatan of the scope's people in ``periode``."""
        where, params = _opd_clause(self.scope.opd())
        return self._sql(
            "select nip, kode_opd, nama, nama_opd, nama_jabatan from tpp_bulanan "
            f"where periode = ? and segmen = 'UTAMA'{where}",
            (periode, *params),
        )

    def temuan_anomali(self, periode: str) -> pl.DataFrame:
        """One row per flag (``models.score_files.load_anomaly_flags``) of the scope's people, with
        name and department. For a department head, a buddy-punching colleague of another
        department is not named: the NIP in the reason is replaced and ``nip_pasangan`` is
        emptied (the head sees that a colleague elsewhere is involved, not who)."""
        flags = self._model_file("temuan", periode)
        if flags.is_empty():
            return flags
        people = self._people(periode)
        out = flags.drop([c for c in ("kode_opd", "nama", "nama_opd") if c in flags.columns])
        out = out.join(people, on="nip", how="inner")
        if not self.scope.all_opd and "nip_pasangan" in out.columns:
            luar = pl.col("nip_pasangan").is_not_null() & ~pl.col("nip_pasangan").is_in(
                people["nip"].to_list()
            )
            pengganti = "(rekan di Perangkat Daerah lain)"
            out = out.with_columns(
                alasan=pl.when(luar)
                .then(
                    # a buddy-punching reason names only the colleague: every NIP in it goes
                    pl.col("alasan").str.replace_all(_NIP_TEKS, pengganti)
                )
                .otherwise(pl.col("alasan")),
                nip_pasangan=pl.when(luar).then(None).otherwise(pl.col("nip_pasangan")),
            )
        return out

    def kasus_anomali(self, periode: str) -> pl.DataFrame:
        """One row per case of ``kasus_anomali.parquet`` (a person, or a buddy-punching pair, in
        the month) with at least one of the scope's people: ``jenis``, ``lapisan``, the people
        the scope may see (``orang``: names; ``nip_terlihat``), the flags' labels, how many of
        its flags the scope sees, and their reasons (as ``temuan_anomali`` words them)."""
        cases = self._model_file("kasus", periode)
        if cases.is_empty():
            return cases
        people = self._people(periode)
        flags = self.temuan_anomali(periode)
        per_orang = (
            cases.select("kasus_id", "nip")
            .explode("nip")
            .join(people.select("nip", "nama"), on="nip", how="inner")
            .sort("nama", "nip")
            .group_by("kasus_id", maintain_order=True)
            .agg(orang=pl.col("nama").str.join(", "), nip_terlihat=pl.col("nip"))
        )
        per_temuan = (
            flags.sort("nama", "aturan")
            .group_by("kasus_id", maintain_order=True)
            .agg(
                label=pl.col("label").unique(maintain_order=True).str.join(", "),
                temuan_terlihat=pl.len(),
                alasan=pl.format("{}: {}", "nama", "alasan").str.join(" | "),
            )
            if not flags.is_empty()
            else pl.DataFrame(
                schema={
                    "kasus_id": pl.String,
                    "label": pl.String,
                    "temuan_terlihat": pl.UInt32,
                    "alasan": pl.String,
                }
            )
        )
        return (
            cases.select("periode", "kasus_id", "jenis", "lapisan", "jumlah_temuan")
            .join(per_orang, on="kasus_id", how="inner")
            .join(per_temuan, on="kasus_id", how="left")
            .with_columns(
                pl.col("temuan_terlihat").fill_null(0),
                pl.col("alasan").fill_null("Temuan ada pada rekan di Perangkat Daerah lain."),
            )
            .sort("lapisan", "jenis", "orang")
        )

    def warning_test(self, versi: str | None) -> dict | None:
        """What the early-warning version ``versi`` (None: the one in use) measured on its own
        test months against the baseline "average of past ratings" on new cases:
        ``{"uji_periode", "model", "baseline", "n", "lebih_baik"}``; None when unknown."""
        try:
            registry = _optional("models.registry", "registri model")
            meta = registry.meta(self.dir, "peringatan", versi)
        except (NotAvailable, OSError, ValueError):
            return None
        try:
            baru = meta["metrik"]["kasus_baru"]
            model = baru["model"]["tertangkap_di_daftar"]
            baseline = baru["baseline_rata_rata_penilaian"]["tertangkap_di_daftar"]
            return {
                "uji_periode": meta.get("uji_waktu", {}).get("uji_periode") or [],
                "model": int(model["k"]),
                "baseline": int(baseline["k"]),
                "n": int(model["n"]),
                "lebih_baik": bool(meta["metrik"]["mengalahkan_baseline_rata_pada_kasus_baru"]),
            }
        except (KeyError, TypeError, ValueError):
            return None

    @staticmethod
    def warning_fresh_seed() -> dict | None:
        """The early warning against its baseline on the evaluation's test seed
        (``models.fresh_seed.warning_vs_baseline``); None when the report is not there."""
        try:
            return _optional("models.fresh_seed", "evaluasi model").warning_vs_baseline()
        except (NotAvailable, OSError, ValueError, KeyError):
            return None

    def anomaly_decisions(self) -> pl.DataFrame:
        """The decision in force per flag (``models.decisions.current``) on the scope's people
        (their rows of that period): periode, nip, aturan, keputusan, catatan, oleh, waktu.
        Read on a short-lived SQLite connection."""
        keputusan = _optional("models.decisions", "keputusan analis")
        putusan = keputusan.current(self.dir)
        if self.scope.all_opd or putusan.is_empty():
            return putusan
        where, params = _opd_clause(self.scope.opd())
        orang = self._sql(
            f"select distinct periode, nip from tpp_bulanan where true{where}", params
        )
        return putusan.join(orang, on=["periode", "nip"], how="semi")

    def rule_precision(self) -> pl.DataFrame:
        """Precision per rule from the analysts' decisions (``presisi_per_aturan``): ANALIS."""
        self.scope.require(ANALIS)
        keputusan = _optional("models.decisions", "keputusan analis")
        return keputusan.precision_per_rule(self.dir)

    def monitoring(self) -> tuple[pl.DataFrame, dict]:
        """Fairness and drift (``DATA/models/pemantauan.parquet`` and its ``.json``): ANALIS."""
        self.scope.require(ANALIS)
        skor = _optional("models.score_files", "pemantauan model")
        path = skor.path(self.dir, "pemantauan")
        if not path.is_file():
            raise NotAvailable(
                "Pemantauan keadilan dan drift belum ada: jalankan aset model/pemantauan."
            )
        ringkas = {}
        meta = path.with_suffix(".json")
        if meta.is_file():
            import json

            try:
                ringkas = json.loads(meta.read_text(encoding="utf-8"))
            except ValueError:
                ringkas = {}
        return _monitoring_file(str(path), path.stat().st_mtime_ns), ringkas

    def anomaly_flags(self, nip: str) -> pl.DataFrame:
        """The attendance-anomaly flags of one person (every scored period the scope may see,
        newest first) with their reasons; empty until the model has run, and always for finance:
        flags are profiling (UU PDP), shown only to the roles that act on them, analysts and the
        person's department head (docs/models/anomali.md), never to whoever pays."""
        if self.scope.role == KEUANGAN:
            return pl.DataFrame()
        try:
            skor = _optional("models.score_files", "skor model")
        except NotAvailable:
            return pl.DataFrame()
        path = skor.path(self.dir, skor.ANOMALI)
        if not path.is_file():
            return pl.DataFrame()
        scores = _score_file(str(self.dir.root), path.stat().st_mtime_ns, "anomali", None)
        if scores.is_empty() or "ditandai" not in scores.columns:
            return pl.DataFrame()
        try:  # the periods the scope may see: the person's rows the page has already read
            periods = self.pegawai_bulanan(nip).select("periode").unique()
        except AccessDenied:
            return pl.DataFrame()
        tanda = (
            scores.filter((pl.col("nip") == nip) & pl.col("ditandai"))
            .join(periods, on="periode", how="semi")
            .sort("periode", descending=True)
        )
        if self.scope.all_opd or tanda.is_empty():
            return tanda
        # a department head reads the reasons as ``temuan_anomali`` words them
        return pl.concat(
            [
                self._visible_reasons(tanda.filter(pl.col("periode") == p), p)
                for p in tanda["periode"].unique(maintain_order=True).to_list()
            ],
            how="diagonal_relaxed",
        )


# the files of ``models.score_files`` the app reads: jenis -> (file name constant, loader)
_FILE_MODEL = {
    "anomali": ("ANOMALI", "load_anomaly_scores"),
    "peringatan": ("PERINGATAN", "load_warning_scores"),
    "temuan": ("TEMUAN", "load_anomaly_flags"),
    "kasus": ("KASUS", "load_anomaly_cases"),
}


def _score_file(root: str, mtime_ns: int, jenis: str, periode: str | None) -> pl.DataFrame:
    """One period (None: all) of a score file of ``models.score_files``, cached for the process
    on the file's modification time (``_cached``)."""

    def load() -> pl.DataFrame:
        skor = importlib.import_module("models.score_files")
        return getattr(skor, _FILE_MODEL[jenis][1])(DataDir(Path(root)), periode)

    return _cached(("model", root, mtime_ns, jenis, periode), load)


def _monitoring_file(path: str, mtime_ns: int) -> pl.DataFrame:
    """``DATA/models/pemantauan.parquet``, cached for the process on its modification time."""
    return _cached(("pemantauan", path, mtime_ns), lambda: pl.read_parquet(path))


@st.cache_data(max_entries=16, show_spinner=False)
def _export(
    root: str, snapshot_id: str, hari: str, periode: str, fmt: str, kode: str | None, name: str
) -> bytes:
    """Run ``orchestration.nominatif.export`` into a scratch folder; the file, or all as a zip."""
    nominatif = importlib.import_module("orchestration.nominatif")
    with tempfile.TemporaryDirectory(prefix="sik-ekspor-") as tmp:
        result = nominatif.export(
            DataDir(Path(root)), periode, fmt, Path(tmp), opd=[kode] if kode else None
        )
        if not name.endswith(".zip"):
            return (Path(tmp) / name).read_bytes()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in [*result.files, result.sha256sums.name]:
                archive.write(Path(tmp) / file, file)
        return buffer.getvalue()


def _optional(module: str, what: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise NotAvailable(
            f"{what.capitalize()} belum tersedia (modul {module} belum ada)."
        ) from None
