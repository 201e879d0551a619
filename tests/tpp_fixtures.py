"""Helpers for the TPP dbt tests: a small, realistic raw zone and one ``dbt build`` over it.

The raw zone is written exactly as the ingest writes it (``contract.raw_schema(kind)``, one
Parquet per period plus an empty ``_schema.parquet``; quarantine in ``raw/karantina``), so the
dbt project is exercised end to end without the ingest. Expected amounts are computed here with
``fractions.Fraction`` straight from tpp-rules §5, independently of the SQL.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import duckdb
import polars as pl

from orchestration.core.contract import QUARANTINE_SCHEMA, raw_schema
from orchestration.core.paths import SEEDS_DIR, TRANSFORMS_DIR
from quality.suites import AMOUNT_COLUMNS

KINDS = ("pegawai", "absensi", "ketidakhadiran", "kinerja", "aktivitas", "jadwal")
# the amount columns of a tpp_bulanan row, compared to the rupiah with hitung_tpp
AMOUNTS = AMOUNT_COLUMNS


def amounts(row: dict) -> dict[str, int]:
    return {k: row[k] for k in AMOUNTS}


# ----------------------------------------------------------------------------------------------
# Calendar and default rulebook, as Python (read from the project's own seeds, never /work/shared)


def libur() -> set[dt.date]:
    with open(SEEDS_DIR / "kalender_libur.csv", encoding="utf-8") as f:
        return {dt.date.fromisoformat(r["tanggal"]) for r in csv.DictReader(f)}


def ramadan() -> list[tuple[dt.date, dt.date]]:
    with open(SEEDS_DIR / "kalender_ramadan.csv", encoding="utf-8") as f:
        return [
            (dt.date.fromisoformat(r["mulai"]), dt.date.fromisoformat(r["selesai"]))
            for r in csv.DictReader(f)
        ]


HOLIDAYS = libur()
RAMADAN = ramadan()


def days_of(periode: str) -> list[dt.date]:
    y, m = int(periode[:4]), int(periode[5:])
    d = dt.date(y, m, 1)
    out = []
    while d.month == m:
        out.append(d)
        d += dt.timedelta(days=1)
    return out


def is_ramadan(d: dt.date) -> bool:
    return any(a <= d <= b for a, b in RAMADAN)


def working_days(periode: str) -> list[dt.date]:
    return [d for d in days_of(periode) if d.isoweekday() <= 5 and d not in HOLIDAYS]


def hours(d: dt.date) -> tuple[dt.time, dt.time]:
    """Expected (start, end) of the default rulebook."""
    if is_ramadan(d):
        return dt.time(8, 0), dt.time(15, 30) if d.isoweekday() == 5 else dt.time(15, 0)
    return dt.time(7, 30), dt.time(16, 30) if d.isoweekday() == 5 else dt.time(16, 0)


def nip(birth: str, tmt: str, sex: int, seq: int) -> str:
    """18-digit NIP: birth yyyymmdd + TMT CPNS yyyymm + sex digit + 3-digit sequence."""
    return f"{birth}{tmt}{sex}{seq:03d}"


# ----------------------------------------------------------------------------------------------
# Exact reference computation (tpp-rules §5), Fraction arithmetic


def round_half_up(x: Fraction) -> int:
    return int((2 * x.numerator + x.denominator) // (2 * x.denominator))


@dataclass(frozen=True)
class Aturan:
    bobot_kinerja: Fraction = Fraction(60)
    bobot_disiplin: Fraction = Fraction(40)
    persen_bpjs: Fraction = Fraction(1)
    dasar_potongan: str = "DISIPLIN"


DEFAULT = Aturan()
KEMENTERIAN = Aturan(Fraction(70), Fraction(30), Fraction(1), "TOTAL")

FAKTOR_STATUS = {"PNS": Fraction(100), "CPNS": Fraction(80), "PPPK": Fraction(100)}


def tarif_pph21(status: str, golongan: str) -> Fraction:
    if status == "PPPK":
        roman = [
            "I",
            "II",
            "III",
            "IV",
            "V",
            "VI",
            "VII",
            "VIII",
            "IX",
            "X",
            "XI",
            "XII",
            "XIII",
            "XIV",
            "XV",
            "XVI",
            "XVII",
        ]
        i = roman.index(golongan) + 1
        return Fraction(0 if i <= 8 else 5 if i <= 12 else 15)
    return {"I": Fraction(0), "II": Fraction(0), "III": Fraction(5), "IV": Fraction(15)}[
        golongan.split("/")[0]
    ]


def hitung_tpp(
    basis: int,
    status: str,
    golongan: str,
    hari_efektif: int,
    hari_kerja: int,
    persen_kinerja: Fraction | int,
    persen_disiplin: Fraction | int,
    aturan: Aturan = DEFAULT,
) -> dict[str, int]:
    """The amounts of one tpp_bulanan row, exactly as tpp-rules §5 writes them."""
    pk, pd = Fraction(persen_kinerja), Fraction(persen_disiplin)
    tpp_basis = Fraction(basis) * FAKTOR_STATUS[status] / 100
    be = tpp_basis * hari_efektif / hari_kerja
    faktor_kinerja = pd / 100 if aturan.dasar_potongan == "TOTAL" else Fraction(1)
    kinerja = round_half_up(be * aturan.bobot_kinerja / 100 * pk / 100 * faktor_kinerja)
    disiplin = round_half_up(be * aturan.bobot_disiplin / 100 * pd / 100)
    bruto = kinerja + disiplin
    pph = round_half_up(bruto * tarif_pph21(status, golongan) / 100)
    bpjs = round_half_up(bruto * aturan.persen_bpjs / 100)
    return {
        "tpp_basis": round_half_up(tpp_basis),
        "tpp_kinerja": kinerja,
        "tpp_disiplin": disiplin,
        "tpp_bruto": bruto,
        "pph21": pph,
        "iuran_bpjs": bpjs,
        "tpp_neto": bruto - pph - bpjs,
    }


# ----------------------------------------------------------------------------------------------
# Raw zone writer


@dataclass
class RawZone:
    """Rows per (kind, periode) in file order; written as the ingest would write them."""

    root: Path
    rows: dict[tuple[str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))
    karantina: list[dict] = field(default_factory=list)

    def add(self, kind: str, periode: str, **cols) -> int:
        """Append a row; returns its line number in the export file (header = line 1)."""
        rows = self.rows[(kind, periode)]
        rows.append(cols)
        return len(rows) + 1

    def quarantine(
        self,
        kind: str,
        periode: str,
        line_no: int,
        kolom: str,
        nilai: str,
        kode_alasan: str,
        alasan: str,
    ) -> None:
        self.karantina.append(
            {
                "kind": kind,
                "periode": periode,
                "source_file": source_file(kind, periode),
                "line_no": line_no,
                "kolom": kolom,
                "nilai": nilai,
                "kode_alasan": kode_alasan,
                "alasan": alasan,
            }
        )

    def write(self) -> Path:
        raw = self.root / "raw"
        for kind in KINDS:
            schema = raw_schema(kind)
            (raw / kind).mkdir(parents=True, exist_ok=True)
            pl.DataFrame(schema=schema).write_parquet(raw / kind / "_schema.parquet")
            for (k, periode), rows in self.rows.items():
                if k != kind:
                    continue
                data = [
                    {
                        "periode": periode,
                        "source_file": source_file(kind, periode),
                        "line_no": i + 2,
                        **r,
                    }
                    for i, r in enumerate(rows)
                ]
                data = [{c: r.get(c) for c in schema} for r in data]
                pl.DataFrame(data, schema=schema).write_parquet(raw / kind / f"{periode}.parquet")
        (raw / "karantina").mkdir(parents=True, exist_ok=True)
        pl.DataFrame(schema=QUARANTINE_SCHEMA).write_parquet(raw / "karantina" / "_schema.parquet")
        by_kind: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for r in self.karantina:
            by_kind[(r["kind"], r["periode"])].append(r)
        for (kind, periode), rows in by_kind.items():
            (raw / "karantina" / kind).mkdir(parents=True, exist_ok=True)
            pl.DataFrame(rows, schema=QUARANTINE_SCHEMA).write_parquet(
                raw / "karantina" / kind / f"{periode}.parquet"
            )
        return raw


def source_file(kind: str, periode: str) -> str:
    return f"{kind}_{periode.replace('-', '')}.csv"


# ----------------------------------------------------------------------------------------------
# dbt


@dataclass
class DbtRun:
    data: Path
    success: bool
    seconds: float
    failures: list[str]

    def query(self, sql: str, params: list | None = None) -> list[dict]:
        with duckdb.connect(str(self.data / "warehouse.duckdb"), read_only=True) as con:
            cur = con.execute(sql, params or [])
            names = [d[0] for d in cur.description]
            return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def dbt_build(data: Path, vars: dict | None = None, extra: list[str] | None = None) -> DbtRun:
    """One ``dbt build`` of transforms/ against ``data`` (KINERJA_DATA), in-process."""
    from dbt.cli.main import dbtRunner

    args = [
        "build",
        "--project-dir",
        str(TRANSFORMS_DIR),
        "--profiles-dir",
        str(TRANSFORMS_DIR),
        "--target-path",
        str(data / "dbt_target"),
        "--log-path",
        str(data / "dbt_logs"),
        "--no-partial-parse",
        "--quiet",
    ]
    if vars:
        args += ["--vars", json.dumps(vars)]
    args += extra or []
    old = os.environ.get("KINERJA_DATA")
    os.environ["KINERJA_DATA"] = str(data)
    started = time.perf_counter()
    try:
        res = dbtRunner().invoke(args)
    finally:
        _close_dbt_duckdb()
        if old is None:
            os.environ.pop("KINERJA_DATA", None)
        else:
            os.environ["KINERJA_DATA"] = old
    failures = []
    if res.result is not None:
        for r in res.result:
            status = str(getattr(r, "status", ""))
            if status.lower() in ("error", "fail", "skipped", "runtimestatus.error"):
                failures.append(f"{r.node.unique_id}: {status}: {getattr(r, 'message', '')}")
    if res.exception is not None:
        failures.append(repr(res.exception))
    return DbtRun(data, bool(res.success), time.perf_counter() - started, failures)


def _close_dbt_duckdb() -> None:
    """dbt-duckdb keeps its DuckDB instance open process-wide after an in-process run; close it
    so this process can open the warehouse again (read-only, or for the next build)."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    env = DuckDBConnectionManager._ENV
    if env is not None:
        try:
            env.close()
        finally:
            DuckDBConnectionManager._ENV = None


def copy_data(src: Path, dst: Path) -> Path:
    """A copy of a data directory (raw zone and warehouse) for a second, independent build."""
    shutil.copytree(src / "raw", dst / "raw")
    if (src / "warehouse.duckdb").exists():
        shutil.copy2(src / "warehouse.duckdb", dst / "warehouse.duckdb")
    return dst


# ----------------------------------------------------------------------------------------------
# The scenario: February and March 2025 (March is Ramadan, with cuti bersama on Fri 28 and Idul
# Fitri on Mon 31), three departments, one person per rule.

OPD = {
    "1.01.01": "Dinas Pendidikan dan Kebudayaan",
    "1.02.01": "Dinas Kesehatan",
    "4.01.01": "Sekretariat Daerah",
}
FEB, MAR = "2025-02", "2025-03"
PENILAI = nip("19700101", "199501", 1, 1)  # an evaluator outside the scenario's master


@dataclass
class Pegawai:
    nip: str
    nama: str
    status: str
    golongan: str
    kelas: int
    kode_opd: str
    tmt_opd: dt.date
    aktif_sampai: dt.date | None = None
    jenis_jabatan: str = "PELAKSANA"
    nama_jabatan: str = "Pengadministrasi Umum"

    def row(self, **override) -> dict:
        r = {
            "nip": self.nip,
            "nama": self.nama,
            "status": self.status,
            "golongan": self.golongan,
            "jenis_jabatan": self.jenis_jabatan,
            "nama_jabatan": self.nama_jabatan,
            "kelas_jabatan": self.kelas,
            "kode_opd": self.kode_opd,
            "nama_opd": OPD[self.kode_opd],
            "tmt_opd": self.tmt_opd,
            "aktif_sampai": self.aktif_sampai,
        }
        r.update(override)
        if "kode_opd" in override:
            r["nama_opd"] = OPD[override["kode_opd"]]
        return r


D = dt.date
P = {
    "contoh1": Pegawai(
        nip("19850312", "201001", 1, 1),
        "Yohanes Bria, S.Pd.",
        "PNS",
        "III/b",
        9,
        "1.01.01",
        D(2015, 1, 1),
    ),
    "contoh2": Pegawai(
        nip("19870521", "201101", 2, 2),
        "Maria Goreti Nahak, S.E.",
        "PNS",
        "III/b",
        9,
        "1.01.01",
        D(2016, 3, 1),
    ),
    "contoh3": Pegawai(
        nip("19950101", "202301", 1, 3),
        "Fransiskus Lake, A.Md.",
        "CPNS",
        "II/c",
        6,
        "1.02.01",
        D(2023, 1, 1),
    ),
    "contoh4": Pegawai(
        nip("19780910", "200301", 1, 4),
        "Dr. Agustinus Seran, M.Si.",
        "PNS",
        "IV/a",
        12,
        "4.01.01",
        D(2019, 7, 1),
        None,
        "ADMINISTRATOR",
        "Kepala Bagian Umum",
    ),
    "mutasi": Pegawai(
        nip("19960815", "202401", 1, 5),
        "Ignasius Tefa, S.Kom.",
        "PNS",
        "III/a",
        8,
        "4.01.01",
        D(2025, 3, 17),
        None,
        "FUNGSIONAL",
        "Pranata Komputer",
    ),
    "cltn": Pegawai(
        nip("19820404", "200801", 2, 6),
        "Theresia Mau, S.H.",
        "PNS",
        "III/c",
        8,
        "1.01.01",
        D(2012, 1, 1),
    ),
    "pppk9": Pegawai(
        nip("19880808", "202201", 1, 7),
        "Yakobus Neno, S.Kep.",
        "PPPK",
        "IX",
        8,
        "1.02.01",
        D(2022, 1, 1),
        None,
        "FUNGSIONAL",
        "Perawat Ahli Pertama",
    ),
    "pppk8": Pegawai(
        nip("19890909", "202201", 2, 8), "Yuliana Bere", "PPPK", "VIII", 5, "1.02.01", D(2022, 1, 1)
    ),
    "pppk13": Pegawai(
        nip("19800101", "202201", 1, 9),
        "dr. Markus Taek, Sp.PD.",
        "PPPK",
        "XIII",
        12,
        "1.02.01",
        D(2022, 1, 1),
        None,
        "FUNGSIONAL",
        "Dokter Ahli Madya",
    ),
    "absen": Pegawai(
        nip("19860606", "201001", 2, 10),
        "Elisabeth Klau",
        "PNS",
        "II/b",
        5,
        "1.01.01",
        D(2014, 1, 1),
    ),
    "ganda_final": Pegawai(
        nip("19910202", "201501", 1, 11),
        "Paulus Atok, S.T.",
        "PNS",
        "III/a",
        7,
        "4.01.01",
        D(2015, 1, 1),
    ),
    "tie_final": Pegawai(
        nip("19920303", "201501", 2, 12),
        "Katarina Luruk, S.Sos.",
        "PNS",
        "III/a",
        7,
        "4.01.01",
        D(2015, 1, 1),
    ),
    "self": Pegawai(
        nip("19930404", "201701", 1, 13),
        "Benediktus Asa, S.IP.",
        "PNS",
        "III/a",
        7,
        "4.01.01",
        D(2017, 1, 1),
    ),
    "pensiun": Pegawai(
        nip("19650505", "198901", 1, 14),
        "Drs. Simon Bele",
        "PNS",
        "IV/b",
        13,
        "4.01.01",
        D(2010, 1, 1),
        D(2025, 2, 20),
        "ADMINISTRATOR",
        "Kepala Bagian Tata Usaha",
    ),
    "baru": Pegawai(
        nip("20000110", "202503", 2, 15),
        "Agnes Hoar, S.Farm.",
        "CPNS",
        "II/a",
        3,
        "1.02.01",
        D(2025, 3, 10),
    ),
    "tepi": Pegawai(
        nip("19940707", "201901", 1, 16),
        "Kornelis Seran, S.Pd.",
        "PNS",
        "III/a",
        7,
        "1.01.01",
        D(2019, 1, 1),
    ),
}
UNKNOWN = nip("19770707", "200501", 1, 99)  # never in the master
NIP_GANDA = nip("19750505", "200001", 2, 98)  # two different master rows -> quarantined by ingest

# mutasi's February snapshot: another department, CPNS, kelas 7
MUTASI_FEB = {
    "kode_opd": "1.02.01",
    "status": "CPNS",
    "kelas_jabatan": 7,
    "tmt_opd": D(2024, 1, 2),
    "nama_jabatan": "Calon Pranata Komputer",
}


def at(d: dt.date, hms: str) -> dt.datetime:
    h, m, s = (int(x) for x in hms.split(":"))
    return dt.datetime(d.year, d.month, d.day, h, m, s)


class Taps:
    def __init__(self, z: RawZone, periode: str):
        self.z, self.periode = z, periode

    def tap(self, p: str, waktu: dt.datetime, jenis: str | None, metode: str = "FINGER") -> int:
        return self.z.add(
            "absensi",
            self.periode,
            id_mesin=f"FP-{p[-3:]}",
            nip=p,
            waktu=waktu,
            jenis=jenis,
            metode=metode,
            lat=None,
            lon=None,
        )

    def normal(self, p: str, d: dt.date) -> None:
        """On time: in 10 minutes early, out 7 minutes late; jenis empty on odd days."""
        start, end = hours(d)
        kosong = d.day % 2 == 1
        self.tap(
            p, dt.datetime.combine(d, start) - dt.timedelta(minutes=10), None if kosong else "MASUK"
        )
        self.tap(
            p, dt.datetime.combine(d, end) + dt.timedelta(minutes=7), None if kosong else "PULANG"
        )


def kinerja(
    z: RawZone,
    periode: str,
    p: str,
    hasil: str,
    perilaku: str,
    predikat: str | None,
    status: str = "FINAL",
    penilai: str = PENILAI,
    tanggal: dt.date | None = None,
) -> int:
    return z.add(
        "kinerja",
        periode,
        nip=p,
        hasil_kerja=hasil,
        perilaku=perilaku,
        predikat=predikat,
        status=status,
        nip_penilai=penilai,
        tanggal_penilaian=tanggal
        or D(int(periode[:4]), int(periode[5:]), 28) + dt.timedelta(days=5),
    )


def absen(
    z: RawZone,
    periode: str,
    p: str,
    kode: str,
    mulai: dt.date,
    selesai: dt.date,
    status: str = "DISETUJUI",
    nomor: str | None = None,
) -> int:
    return z.add(
        "ketidakhadiran",
        periode,
        nip=p,
        kode=kode,
        mulai=mulai,
        selesai=selesai,
        status=status,
        nomor_surat=nomor or f"800/{kode}/{mulai:%m%d}/BKD/2025",
    )


# Special days (no normal taps) per (key, date); the value writes that day's taps.
def _special() -> dict[tuple[str, dt.date], object]:
    s: dict[tuple[str, dt.date], object] = {}

    def day(key, d, *taps):
        s[(key, d)] = taps

    # tepi, February (07:30-16:00, Friday 16:30)
    day(
        "tepi",
        D(2025, 2, 3),
        (at(D(2025, 2, 3), "07:30:59"), "MASUK"),
        (at(D(2025, 2, 3), "16:05:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 2, 4),
        (at(D(2025, 2, 4), "08:00:59"), "MASUK"),
        (at(D(2025, 2, 4), "16:05:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 2, 5),
        (at(D(2025, 2, 5), "08:01:00"), "MASUK"),
        (at(D(2025, 2, 5), "16:05:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 2, 6),
        (at(D(2025, 2, 6), "07:25:00"), None),
        (at(D(2025, 2, 6), "12:00:00"), None),
    )
    day(
        "tepi",
        D(2025, 2, 7),
        (at(D(2025, 2, 7), "07:20:00"), None),
        (at(D(2025, 2, 7), "11:59:59"), None),
        (at(D(2025, 2, 7), "16:00:00"), None),
    )
    day("tepi", D(2025, 2, 10), (at(D(2025, 2, 10), "07:20:00"), "MASUK"))
    day("tepi", D(2025, 2, 11), (at(D(2025, 2, 11), "16:10:00"), "PULANG"))
    day(
        "tepi",
        D(2025, 2, 12),
        (at(D(2025, 2, 12), "07:45:00"), "MASUK"),
        (at(D(2025, 2, 12), "07:00:00"), "MASUK"),
        (at(D(2025, 2, 12), "15:00:00"), "PULANG"),
        (at(D(2025, 2, 12), "16:01:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 2, 13),
        (at(D(2025, 2, 13), "07:10:00"), "MASUK"),
        (at(D(2025, 2, 13), "15:59:01"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 2, 14),
        (at(D(2025, 2, 14), "07:10:00"), "MASUK"),
        (at(D(2025, 2, 14), "14:59:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 2, 17),
        (at(D(2025, 2, 17), "07:10:00"), "MASUK"),
        (at(D(2025, 2, 17), "07:10:00"), "MASUK"),
        (at(D(2025, 2, 17), "16:10:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 2, 18),
        (at(D(2025, 2, 18), "13:00:00"), "MASUK"),
        (at(D(2025, 2, 18), "16:05:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 2, 19),
        (at(D(2025, 2, 19), "07:15:00"), "MASUK"),
        (at(D(2025, 2, 19), "09:00:00"), "PULANG"),
    )
    # tepi, March (Ramadan 08:00-15:00, Friday 15:30)
    day(
        "tepi",
        D(2025, 3, 3),
        (at(D(2025, 3, 3), "08:30:59"), "MASUK"),
        (at(D(2025, 3, 3), "15:00:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 3, 4),
        (at(D(2025, 3, 4), "08:31:00"), "MASUK"),
        (at(D(2025, 3, 4), "15:00:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 3, 7),
        (at(D(2025, 3, 7), "07:50:00"), "MASUK"),
        (at(D(2025, 3, 7), "15:00:00"), "PULANG"),
    )
    day(
        "tepi",
        D(2025, 3, 10),
        (at(D(2025, 3, 10), "07:55:00"), "MASUK"),
        (at(D(2025, 3, 10), "15:00:00"), "PULANG"),
    )
    # contoh2, March: 2 TK, one TL2, one PSW1
    day("contoh2", D(2025, 3, 4))
    day("contoh2", D(2025, 3, 5))
    day(
        "contoh2",
        D(2025, 3, 6),
        (at(D(2025, 3, 6), "08:31:00"), "MASUK"),
        (at(D(2025, 3, 6), "15:10:00"), "PULANG"),
    )
    day(
        "contoh2",
        D(2025, 3, 7),
        (at(D(2025, 3, 7), "07:58:00"), None),
        (at(D(2025, 3, 7), "15:10:00"), None),
    )
    # absen, March 7: CS only submitted (DIAJUKAN) and no taps -> TK
    day("absen", D(2025, 3, 7))
    return s


# Expected discipline per (key, periode): (hari_efektif, persen_disiplin, counts)
EXPECTED_DISIPLIN = {
    ("contoh1", MAR): (19, Fraction(100), {}),
    ("contoh2", MAR): (19, Fraction(925, 10), {"tk": 2, "tl2": 1, "psw1": 1}),
    ("contoh3", MAR): (19, Fraction(100), {}),
    ("contoh4", MAR): (19, Fraction(100), {}),
    ("absen", MAR): (19, Fraction(96), {"ct": 3, "dl": 1, "izin": 1, "tk": 1}),
    ("tepi", FEB): (20, Fraction(89), {"tl1": 1, "tl2": 1, "tl4": 2, "psw1": 1, "psw4": 4}),
    ("tepi", MAR): (19, Fraction(98), {"tl1": 1, "tl2": 1, "psw1": 1}),
}


def build_scenario(root: Path) -> RawZone:
    """Write the scenario's raw zone under ``root/raw`` and return it."""
    z = RawZone(root)
    # --- masters (SIMPEG snapshots at month end)
    for key, p in P.items():
        if key == "baru":
            continue
        z.add("pegawai", FEB, **(p.row(**MUTASI_FEB) if key == "mutasi" else p.row()))
    for p in P.values():
        z.add("pegawai", MAR, **p.row())
    # duplicate NIP in March: the ingest quarantined both rows (lines 18 and 19 of the file)
    for line in (18, 19):
        z.quarantine(
            "pegawai",
            MAR,
            line,
            "nip",
            NIP_GANDA,
            "NIP_GANDA",
            "NIP muncul pada dua baris berbeda di file pegawai; kedua baris dikarantina.",
        )
    # a master row rejected by the ingest (bad date): that person is not in the TPP list
    z.quarantine(
        "pegawai",
        MAR,
        20,
        "tmt_opd",
        "2025-02-30",
        "TANGGAL_TIDAK_VALID",
        "Tanggal tmt_opd tidak valid.",
    )
    # a file-level rejection of another kind (kept as is in karantina)
    z.quarantine("absensi", MAR, 0, "waktu", "", "KOLOM_HILANG", "Contoh baris karantina file.")

    # --- absences
    cl = P["cltn"].nip
    absen(z, FEB, cl, "CLTN", D(2025, 2, 17), D(2025, 6, 30), nomor="800/CLTN/017/BKD/2025")
    absen(z, MAR, cl, "CLTN", D(2025, 2, 17), D(2025, 6, 30), nomor="800/CLTN/017/BKD/2025")
    ab = P["absen"].nip
    absen(z, MAR, ab, "IZIN", D(2025, 3, 5), D(2025, 3, 5), status="DITOLAK")
    absen(z, MAR, ab, "IZIN", D(2025, 3, 6), D(2025, 3, 6), nomor="800/IZIN/0306/DISDIK/2025")
    absen(z, MAR, ab, "CS", D(2025, 3, 7), D(2025, 3, 7), status="DIAJUKAN")
    absen(z, MAR, ab, "CT", D(2025, 3, 10), D(2025, 3, 12), nomor="800/CT/0310/DISDIK/2025")
    absen(z, MAR, ab, "DL", D(2025, 3, 11), D(2025, 3, 13), nomor="094/SPT/0311/DISDIK/2025")
    absen(z, MAR, UNKNOWN, "CT", D(2025, 3, 3), D(2025, 3, 4))

    # --- taps
    for periode in (FEB, MAR):
        t = Taps(z, periode)
        special = _special()
        for key, p in P.items():
            if periode == FEB and key == "baru":
                continue
            for d in working_days(periode):
                if p.aktif_sampai and d > p.aktif_sampai:
                    continue
                if periode == MAR and key == "baru" and d < p.tmt_opd:
                    continue
                if key == "cltn" and d >= D(2025, 2, 17):
                    continue
                if (key, d) in special:
                    for waktu, jenis in special[(key, d)]:
                        t.tap(p.nip, waktu, jenis)
                    continue
                t.normal(p.nip, d)
        # a weekend tap is ignored
        t.tap(
            P["contoh1"].nip,
            at(D(2025, 3, 1) if periode == MAR else D(2025, 2, 1), "09:00:00"),
            None,
        )
    # a re-sent tap (exact duplicate line) and taps of people outside the master
    t = Taps(z, MAR)
    t.tap(P["contoh1"].nip, at(D(2025, 3, 3), "07:50:00"), "MASUK")
    t.tap(P["contoh1"].nip, at(D(2025, 3, 3), "07:50:00"), "MASUK")
    t.tap(UNKNOWN, at(D(2025, 3, 3), "07:45:00"), "MASUK")
    t.tap(UNKNOWN, at(D(2025, 3, 3), "15:10:00"), "PULANG")
    t.tap(NIP_GANDA, at(D(2025, 3, 3), "07:40:00"), "MASUK", metode="WAJAH")

    # --- evaluations (March 2025; a few in February)
    S, A, B = "SESUAI", "DI_ATAS", "DI_BAWAH"
    for key in (
        "contoh1",
        "contoh2",
        "contoh4",
        "tepi",
        "pensiun",
        "cltn",
        "mutasi",
        "ganda_final",
    ):
        kinerja(z, FEB, P[key].nip, S, S, "BAIK")
    kinerja(z, MAR, P["contoh1"].nip, S, S, "BAIK")
    kinerja(z, MAR, P["contoh2"].nip, S, A, "BAIK")
    kinerja(z, MAR, P["contoh3"].nip, B, S, "BAIK")  # stated BAIK, matrix BUTUH_PERBAIKAN
    kinerja(z, MAR, P["contoh4"].nip, A, A, "SANGAT_BAIK", status="DRAFT")  # no FINAL
    kinerja(z, MAR, P["mutasi"].nip, S, S, None)
    kinerja(z, MAR, P["pppk9"].nip, A, S, "BAIK")
    kinerja(z, MAR, P["pppk8"].nip, A, A, "SANGAT_BAIK")
    kinerja(z, MAR, P["pppk13"].nip, S, S, "BAIK")
    kinerja(z, MAR, P["absen"].nip, S, S, "BAIK")
    kinerja(z, MAR, P["ganda_final"].nip, S, S, "BAIK", tanggal=D(2025, 4, 7))
    kinerja(z, MAR, P["ganda_final"].nip, B, S, "BUTUH_PERBAIKAN", tanggal=D(2025, 4, 3))
    kinerja(z, MAR, P["tie_final"].nip, A, A, "SANGAT_BAIK", tanggal=D(2025, 4, 4))
    kinerja(z, MAR, P["tie_final"].nip, S, B, "KURANG", tanggal=D(2025, 4, 4))
    kinerja(z, MAR, P["self"].nip, S, S, "BAIK", penilai=P["self"].nip)
    kinerja(z, MAR, P["baru"].nip, S, S, "BAIK")
    kinerja(z, MAR, P["tepi"].nip, S, S, "BAIK")
    kinerja(z, MAR, UNKNOWN, S, S, "BAIK")

    # --- activities (analytics only)
    z.add(
        "aktivitas",
        MAR,
        nip=P["contoh1"].nip,
        tanggal=D(2025, 3, 3),
        uraian="Menyusun laporan bulanan",
        durasi_menit=120,
        status="DISETUJUI",
    )
    z.add(
        "aktivitas",
        MAR,
        nip=UNKNOWN,
        tanggal=D(2025, 3, 3),
        uraian="Rapat koordinasi",
        durasi_menit=60,
        status="DIAJUKAN",
    )
    z.write()
    return z
