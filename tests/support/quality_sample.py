"""Small realistic data for the quality tests: one consistent month per call.

``sample_month`` returns the raw-zone frames of every source kind (pegawai, absensi,
ketidakhadiran, kinerja, aktivitas; the optional shift roster: ``sample_roster``) for a handful of
employees in two departments, and the marts the checks read (tpp_bulanan, tpp_opd_bulanan,
tpp_harian, temuan, karantina) exactly as dbt builds them: the raw frames are written as the
ingest writes them and run through one ``dbt build`` (``tests.tpp_fixtures.dbt_build``), and the
marts are read back from the warehouse. No pay rule is computed here (issue 17: dbt is the only
implementation). The build is cached per set of months; every call returns fresh copies.
``write_data_dir`` lays frames out as the pipeline does (raw Parquet + warehouse.duckdb). A test
helper, not part of the installed package; the capture servers for the alert tests are in
``tests.support.capture``.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path

import polars as pl

from orchestration.core.contract import PREDIKAT_MATRIX, QUARANTINE_SCHEMA, raw_schema
from orchestration.core.paths import DataDir
from orchestration.raw_zone import ensure_raw_zone
from quality.loaders import warehouse
from quality.suites import month_bounds

# nip, nama, status, golongan, kelas, kode_opd, tmt_opd, aktif_sampai, predikat/(hasil, perilaku)
EMPLOYEES = [
    (
        "199008152016011005",
        "Maria Bili, S.E.",
        "PNS",
        "III/b",
        9,
        "1.02.01",
        "2020-01-02",
        None,
        ("SESUAI", "SESUAI"),
    ),
    (
        "199703122023022001",
        "Yohana Ndun, A.Md.",
        "CPNS",
        "II/c",
        6,
        "1.02.01",
        "2023-02-01",
        None,
        ("DI_BAWAH", "SESUAI"),
    ),
    (
        "198811202019031002",
        "Petrus Lau",
        "PPPK",
        "IX",
        7,
        "1.03.01",
        "2019-03-01",
        None,
        ("DI_ATAS", "DI_ATAS"),
    ),
    (
        "196503011990031003",
        "Drs. Simon Tefa",
        "PNS",
        "IV/a",
        12,
        "1.03.01",
        "2015-06-01",
        "{mid}",
        ("SESUAI", "DI_ATAS"),
    ),
    (
        "196602021991032004",
        "Agustina Sae",
        "PNS",
        "III/a",
        8,
        "1.03.01",
        "2010-01-04",
        "{before}",
        ("SESUAI", "SESUAI"),
    ),
    (
        "198504172010011006",
        "Yakobus Manu, S.T.",
        "PNS",
        "III/c",
        9,
        "1.02.01",
        "2012-05-01",
        None,
        None,
    ),
    (
        "199212242018012007",
        "Ruth Lado, S.Kom.",
        "PNS",
        "III/a",
        8,
        "1.03.01",
        "2018-01-02",
        None,
        ("SESUAI", "SESUAI"),
    ),
]
CLTN_NIP = "198504172010011006"  # on unpaid leave all month: no taps, excused
OPD_NAMA = {"1.02.01": "Dinas Pendidikan dan Kebudayaan", "1.03.01": "Dinas Kesehatan"}


def _weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    return [d for d in days if d.weekday() < 5]


def _file(kind: str, periode: str) -> str:
    return f"{kind}_{periode.replace('-', '')}.csv"


def _frame(rows: list[dict], kind: str) -> pl.DataFrame:
    schema = raw_schema(kind)
    return pl.DataFrame(rows, schema=schema, orient="row") if rows else schema.to_frame()


def _employees(periode: str) -> list[dict]:
    start, end = month_bounds(periode)
    out = []
    for nip, nama, status, gol, kelas, opd, tmt, sampai, rating in EMPLOYEES:
        if sampai == "{mid}":
            sampai = (start + dt.timedelta(13)).isoformat()
        elif sampai == "{before}":
            sampai = (start - dt.timedelta(1)).isoformat()
        out.append(
            dict(
                nip=nip,
                nama=nama,
                status=status,
                golongan=gol,
                kelas=kelas,
                kode_opd=opd,
                tmt_opd=dt.date.fromisoformat(tmt),
                aktif_sampai=dt.date.fromisoformat(sampai) if sampai else None,
                rating=rating,
            )
        )
    return out


def _raw_month(periode: str) -> dict[str, pl.DataFrame]:
    """The raw-zone frames of one clean month (the inputs; no pay rule here)."""
    start, end = month_bounds(periode)
    staff = _employees(periode)
    frames: dict[str, pl.DataFrame] = {}

    frames["pegawai"] = _frame(
        [
            dict(
                periode=periode,
                source_file=_file("pegawai", periode),
                line_no=i + 2,
                nip=e["nip"],
                nama=e["nama"],
                status=e["status"],
                golongan=e["golongan"],
                jenis_jabatan="PELAKSANA" if e["kelas"] < 9 else "FUNGSIONAL",
                nama_jabatan="Analis" if e["kelas"] >= 9 else "Pengadministrasi",
                kelas_jabatan=e["kelas"],
                kode_opd=e["kode_opd"],
                nama_opd=OPD_NAMA[e["kode_opd"]],
                tmt_opd=e["tmt_opd"],
                aktif_sampai=e["aktif_sampai"],
            )
            for i, e in enumerate(staff)
        ],
        "pegawai",
    )

    active = [e for e in staff if e["aktif_sampai"] is None or e["aktif_sampai"] >= start]
    taps, absences, evaluations, activities = [], [], [], []
    for e in active:
        last = min(e["aktif_sampai"] or end, end)
        workdays = _weekdays(max(start, e["tmt_opd"]), last)
        if e["nip"] == CLTN_NIP:
            absences.append(
                dict(
                    nip=e["nip"],
                    kode="CLTN",
                    mulai=start - dt.timedelta(40),
                    selesai=end + dt.timedelta(60),
                    status="DISETUJUI",
                    nomor_surat="800/123/BKD/2025",
                )
            )
        else:
            for n, day in enumerate(workdays):
                if n == 0 and e["kode_opd"] == "1.03.01":
                    continue  # no taps: one unexplained absence in Dinas Kesehatan
                for hh, mm, jenis in ((7, 21, "MASUK"), (16, 5, "PULANG")):
                    taps.append(
                        dict(
                            id_mesin="FP-01" if e["kode_opd"] == "1.02.01" else "FP-07",
                            nip=e["nip"],
                            waktu=dt.datetime.combine(day, dt.time(hh, mm)),
                            jenis=jenis,
                            metode="FINGER",
                            lat=None,
                            lon=None,
                        )
                    )
                if n < 3:
                    activities.append(
                        dict(
                            nip=e["nip"],
                            tanggal=day,
                            uraian="Menyusun laporan",
                            durasi_menit=120,
                            status="DISETUJUI",
                        )
                    )
        if e["rating"]:
            hasil, perilaku = e["rating"]
            evaluations.append(
                dict(
                    nip=e["nip"],
                    hasil_kerja=hasil,
                    perilaku=perilaku,
                    predikat=PREDIKAT_MATRIX[(hasil, perilaku)],
                    status="FINAL",
                    nip_penilai="197001011995031001",
                    tanggal_penilaian=end,
                )
            )

    def lineage(kind: str, rows: list[dict]) -> pl.DataFrame:
        return _frame(
            [
                dict(periode=periode, source_file=_file(kind, periode), line_no=i + 2, **r)
                for i, r in enumerate(rows)
            ],
            kind,
        )

    frames["absensi"] = lineage("absensi", taps)
    frames["ketidakhadiran"] = lineage("ketidakhadiran", absences)
    frames["kinerja"] = lineage("kinerja", evaluations)
    frames["aktivitas"] = lineage("aktivitas", activities)
    return frames


def _ingest_quarantine(periode: str) -> pl.DataFrame:
    """What the ingest quarantined this month (an input of dbt's karantina): one tap line with
    an impossible time."""
    return pl.DataFrame(
        [
            dict(
                kind="absensi",
                periode=periode,
                source_file=_file("absensi", periode),
                line_no=9999,
                kolom="waktu",
                nilai="2025-13-01 07:00:00",
                kode_alasan="WAKTU_TIDAK_VALID",
                alasan="Waktu tidak valid.",
            )
        ],
        schema=QUARANTINE_SCHEMA,
        orient="row",
    )


PERAWAT_NIP = "199203112019032003"  # a nurse of the provincial hospital on rostered shifts
ROSTER_CYCLE = ("PAGI", "PAGI", "SIANG", "SIANG", "MALAM", "LIBUR", "LIBUR")


def sample_roster(periode: str = "2025-03", nip: str = PERAWAT_NIP) -> pl.DataFrame:
    """The raw rows of a clean ``jadwal_YYYYMM`` (jadwal.md §3): one row per day of the month
    for one nurse, rotating PAGI, PAGI, SIANG, SIANG, MALAM, LIBUR, LIBUR. ``sample_month``
    leaves the optional roster out: its master has nobody on the SHIFT pattern."""
    start, end = month_bounds(periode)
    days = [start + dt.timedelta(d) for d in range((end - start).days + 1)]
    return _frame(
        [
            dict(
                periode=periode,
                source_file=_file("jadwal", periode),
                line_no=i + 2,
                nip=nip,
                tanggal=day,
                kode_shift=ROSTER_CYCLE[i % len(ROSTER_CYCLE)],
            )
            for i, day in enumerate(days)
        ],
        "jadwal",
    )


RAW_KINDS = ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal")
MART_NAMES = ("tpp_bulanan", "tpp_opd_bulanan", "tpp_harian", "temuan", "karantina")


def sample_month(periode: str = "2025-03") -> dict[str, pl.DataFrame]:
    """Clean, mutually consistent frames of one month: its raw-zone inputs and dbt's marts."""
    return sample_months(periode)[periode]


def sample_months(*periodes: str) -> dict[str, dict[str, pl.DataFrame]]:
    """``sample_month`` of several consecutive months, their marts from one build over them all
    (as the pipeline builds a partition range). Fresh copies: callers may change them."""
    built = _build(tuple(sorted(set(periodes))))
    return {p: {name: f.clone() for name, f in frames.items()} for p, frames in built.items()}


@functools.cache
def _build(periodes: tuple[str, ...]) -> dict[str, dict[str, pl.DataFrame]]:
    """One ``dbt build`` (models, seeds, data tests; not the SQL unit tests) over the raw zone
    of ``periodes``; the raw frames plus the marts read back from the warehouse, per month."""
    from tests.tpp_fixtures import dbt_build

    months = {p: _raw_month(p) for p in periodes}
    with tempfile.TemporaryDirectory(prefix="quality_sample_") as tmp:
        data = DataDir.resolve(Path(tmp))
        ensure_raw_zone(data)
        for periode, frames in months.items():
            for kind, frame in frames.items():
                frame.write_parquet(data.raw_file(kind, periode))
            quarantine = data.quarantine_file("absensi", periode)
            _ingest_quarantine(periode).write_parquet(quarantine)
        window = {"periode_mulai": periodes[0], "periode_sampai": periodes[-1]}
        result = dbt_build(data.root, vars=window, extra=["--exclude-resource-type", "unit_test"])
        if not result.success:
            raise RuntimeError(
                "dbt build of the quality sample failed:\n" + "\n".join(result.failures)
            )
        with warehouse(data) as wh:
            for periode, frames in months.items():
                for name in MART_NAMES:
                    rows = wh.table(name, [periode])
                    frames[name] = rows.sort(rows.columns, nulls_last=True)  # a stable order
    return months


def write_data_dir(root: Path, months: dict[str, dict[str, pl.DataFrame]]) -> DataDir:
    """Lay out months of frames as the pipeline does: raw Parquet and warehouse tables (the
    frames as given, so a test can plant a defect in a mart)."""
    import duckdb

    data = DataDir.resolve(root)
    for periode, frames in months.items():
        for kind in RAW_KINDS:
            if kind in frames:
                path = data.raw_file(kind, periode)
                path.parent.mkdir(parents=True, exist_ok=True)
                frames[kind].write_parquet(path)
    data.root.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(data.warehouse))
    try:
        for name in MART_NAMES:
            parts = [f[name] for f in months.values() if name in f]
            if not parts:
                continue
            con.register("_rows", pl.concat(parts, how="diagonal_relaxed").to_arrow())
            con.execute(f"create or replace table {name} as select * from _rows")
            con.unregister("_rows")
    finally:
        con.close()
    return data
