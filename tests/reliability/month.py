"""The E2E month: a valid simulated February 2026 mixed with corpus rows and generated days.

``build_month(folder)`` writes the five export files of 2026-02 and returns a :class:`Plan` (JSON
serialisable) saying what the pipeline must make of them:

- a small simulated population (``simulate``), loaded as is;
- ``KLASIFIKASI`` generated employees whose taps and absences come from hypothesis strategies
  biased to the edges of tpp-rules §2 (start/end of day +-1 s, the minute and band borders,
  12:00:00 without jenis, MASUK in the afternoon, duplicates, overlapping absences of every
  code and status, weekend taps); their days are checked against ``reference_classifier``;
- row-level corpus snippets appended to each file (bad NIPs, times with offsets, Excel dates,
  out-of-period rows, unknown codes, ragged rows, negative durations, duplicate FINAL
  evaluations ...), each with its expected quarantine (kind, file, line, kode, value);
- "ghost" employees whose master row is quarantined but who have valid taps, absences and
  evaluations: they must not reach ``tpp_bulanan``, their other lines go to karantina as
  ``NIP_TIDAK_DIKENAL``;
- formats: pegawai in Windows-1252 (an accented name), absensi with BOM, CRLF and shuffled
  columns, ketidakhadiran with upper-case headers, aktivitas with a quoted line break.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from orchestration.tools.simulator import simulate

from . import reference_classifier as ref
from .corpus import HEADERS

PERIODE, YYYYMM = "2026-02", "202602"
POPULASI = {"pegawai": 60, "opd": 3, "seed": 2026}
KLASIFIKASI = 24  # generated employees: 24 x 18 working days = 432 employee-days
KODE_ABSEN = ("CLTN", "TB", "CM", "CB", "CS", "CAP", "CT", "DIKLAT", "DL", "IZIN")
PENILAI = "197001011995011001"


def file_name(kind: str) -> str:
    return f"{kind}_{YYYYMM}.csv"


@dataclass
class Plan:
    simulated: list[str] = field(default_factory=list)  # active master NIPs of the simulation
    klasifikasi: list[str] = field(default_factory=list)  # generated employees
    ghosts: list[str] = field(default_factory=list)  # master row quarantined: no TPP row
    # (kind, source_file, line_no, kode_alasan, kolom, fragment of alasan)
    karantina: list[tuple] = field(default_factory=list)
    # (kind, source_file, line_no): lines of unknown / ghost NIPs, quarantined by dbt
    referensial: list[tuple] = field(default_factory=list)
    rows_written: dict[str, int] = field(default_factory=dict)  # data rows per kind
    nama: dict[str, str] = field(default_factory=dict)  # nip -> expected name (cp1252 file)
    predikat: dict[str, str | None] = field(default_factory=dict)  # nip -> expected predikat
    generated_taps: dict[str, list] = field(default_factory=dict)  # nip -> [(iso, jenis)]

    @property
    def expected_nips(self) -> list[str]:
        return sorted(set(self.simulated) | set(self.klasifikasi))

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        plan = cls(**data)
        plan.karantina = [tuple(x) for x in plan.karantina]
        plan.referensial = [tuple(x) for x in plan.referensial]
        return plan


# --- generated employee-months (hypothesis) ---------------------------------------------------
DAYS = [dt.date(2026, 2, d) for d in range(1, 29)]
NOON = 12 * 3600


def _edges(day: dt.date) -> list[int]:
    """Seconds of the day where §2 changes its mind: start/end +- the band borders, noon."""
    start, end = ref.hours(day) if ref.is_working_day(day) else ref.hours(dt.date(2026, 2, 2))
    s = start.hour * 3600 + start.minute * 60
    e = end.hour * 3600 + end.minute * 60
    deltas = [
        0,
        1,
        59,
        60,
        61,
        1799,
        1800,
        1859,
        1860,
        1861,
        3599,
        3600,
        3659,
        3660,
        5399,
        5400,
        5459,
        5460,
        5461,
        10800,
    ]
    out = [s + d for d in deltas] + [s - d for d in (1, 60, 600)]
    out += [e - d for d in deltas] + [e + d for d in (1, 59, 60, 600)]
    out += [NOON - 1, NOON, NOON + 1, 0, 86399]
    return [x for x in out if 0 <= x < 86400]


BANDS = [
    0,
    1,
    59,
    60,
    61,
    1799,
    1800,
    1859,
    1860,
    1861,
    3599,
    3600,
    3659,
    3660,
    5399,
    5400,
    5459,
    5460,
    5461,
    10800,
    -1,
    -60,
    -600,
]


@st.composite
def _day_taps(draw, day: dt.date):
    """An arrival near the start and a departure near the end (either may be missing, either
    may lack jenis), each at a band border or anywhere near, plus stray taps anywhere."""
    start, end = ref.hours(day) if ref.is_working_day(day) else ref.hours(dt.date(2026, 2, 2))
    s = start.hour * 3600 + start.minute * 60
    e = end.hour * 3600 + end.minute * 60
    near = st.one_of(st.sampled_from(BANDS), st.integers(-3600, 4 * 3600))
    taps = []
    if ref.is_working_day(day) or draw(st.integers(0, 9)) == 0:
        if draw(st.integers(0, 5)):
            taps.append((s + draw(near), draw(st.sampled_from([None, "MASUK", "MASUK"]))))
        if draw(st.integers(0, 5)):
            taps.append((e - draw(near), draw(st.sampled_from([None, "PULANG", "PULANG"]))))
    for _ in range(draw(st.integers(0, 2))):
        seconds = draw(st.one_of(st.sampled_from(_edges(day)), st.integers(0, 86399)))
        taps.append((seconds, draw(st.sampled_from([None, "MASUK", "PULANG"]))))
    if taps and draw(st.integers(0, 6)) == 0:
        taps.append(taps[0])  # a device re-sent a tap
    return [(min(max(x, 0), 86399), jenis) for x, jenis in taps]


@st.composite
def _absence(draw):
    mulai = draw(st.dates(dt.date(2026, 1, 26), dt.date(2026, 2, 28)))
    length = draw(st.integers(0, 9))
    selesai = max(mulai + dt.timedelta(days=length), dt.date(2026, 2, 1))
    kode = draw(st.sampled_from(KODE_ABSEN))
    status = draw(st.sampled_from(["DISETUJUI", "DISETUJUI", "DISETUJUI", "DITOLAK", "DIAJUKAN"]))
    return (kode, mulai.isoformat(), selesai.isoformat(), status)


@st.composite
def _employee_month(draw):
    taps = {day.isoformat(): draw(_day_taps(day)) for day in DAYS}
    absences = draw(st.lists(_absence(), max_size=4))
    if absences and draw(st.booleans()):  # an overlapping approved absence of another code
        kode, mulai, selesai, _status = absences[0]
        other = draw(st.sampled_from([k for k in KODE_ABSEN if k != kode]))
        absences[0] = (kode, mulai, selesai, "DISETUJUI")
        absences.append((other, mulai, selesai, "DISETUJUI"))
    return taps, absences


# Hand-written §2 edge days of one generated employee (on top of the hypothesis days): the
# 07:30:59 / 08:00:59 / 08:01:00 examples, the 12:00:00 split without jenis, reversed and
# repeated taps, Friday and Ramadan hours, a weekend and a holiday tap.
EDGE_DAYS = {
    "2026-02-02": [("07:30:59", "MASUK"), ("16:00:00", "PULANG")],
    "2026-02-03": [("08:00:59", None)],
    "2026-02-04": [("08:01:00", None), ("15:59:01", None)],
    "2026-02-05": [("11:59:59", None)],
    "2026-02-06": [("12:00:00", None)],
    "2026-02-09": [("11:59:59", None), ("12:00:00", None)],
    "2026-02-10": [("13:00:00", "MASUK"), ("09:00:00", "PULANG")],
    "2026-02-11": [("07:00:00", "MASUK"), ("07:00:00", "MASUK"), ("16:30:00", "PULANG")],
    "2026-02-12": [
        ("09:01:00", "MASUK"),
        ("09:00:00", "MASUK"),
        ("14:29:00", "PULANG"),
        ("14:30:00", "PULANG"),
    ],
    "2026-02-13": [("16:29:59", "PULANG")],
    "2026-02-14": [("08:00:00", "MASUK")],
    "2026-02-17": [("08:00:00", "MASUK"), ("16:00:00", "PULANG")],
    "2026-02-18": [("07:31:00", None), ("16:00:00", None)],
    "2026-02-19": [("08:00:00", "MASUK"), ("15:00:00", "PULANG")],
    "2026-02-20": [("08:30:00", "MASUK"), ("15:29:00", "PULANG")],
    "2026-02-23": [("09:31:00", None), ("13:29:59", None)],
    "2026-02-24": [("09:30:59", None)],
}


def _edge_taps() -> dict[str, list[tuple[int, str | None]]]:
    def seconds(hms: str) -> int:
        h, m, s = (int(x) for x in hms.split(":"))
        return h * 3600 + m * 60 + s

    days = {d.isoformat(): [] for d in DAYS}
    days.update({d: [(seconds(t), j) for t, j in taps] for d, taps in EDGE_DAYS.items()})
    return days


def generate_employee_months(n: int) -> list[tuple[dict, list]]:
    """``n`` employee-months drawn by hypothesis, derandomized: the same every run."""
    drawn: list = []

    @settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(_employee_month())
    def collect(example):
        drawn.append(example)

    collect()
    assert len(drawn) >= n, len(drawn)
    return drawn[:n]


# --- writing ------------------------------------------------------------------------------------
class Writer:
    """Rows of one export file; knows the physical line each row starts on."""

    def __init__(self, header: list[str], eol: str = "\n") -> None:
        self.header, self.eol = header, eol
        self.buffer = io.StringIO()
        self._csv = csv.writer(self.buffer, lineterminator=eol)
        self._csv.writerow(header)
        self.rows = 0

    @property
    def next_line(self) -> int:
        return self.buffer.getvalue().count("\n") + 1

    def row(self, values: dict[str, str]) -> int:
        line = self.next_line
        self._csv.writerow([values.get(c, "") for c in self.header])
        self.rows += 1
        return line

    def raw(self, text: str) -> int:
        line = self.next_line
        self.buffer.write(text + self.eol)
        self.rows += 1
        return line

    def text(self) -> str:
        return self.buffer.getvalue()


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _nip(i: int) -> str:
    """Generated employees: born 1985, TMT 2010-01, sequence 900+ (not in the simulation)."""
    born = dt.date(1985, 1, 1) + dt.timedelta(days=37 * i)
    return f"{born:%Y%m%d}201001{1 + i % 2}{900 + i:03d}"


def _ghost(i: int) -> str:
    return f"19880808201201{1 + i % 2}{800 + i:03d}"


UNKNOWN = "197707072005011099"  # a valid NIP that is in no master


def build_month(folder: Path) -> Plan:
    folder = Path(folder)
    simulate(
        out=folder,
        pegawai=POPULASI["pegawai"],
        opd=POPULASI["opd"],
        mulai=PERIODE,
        sampai=PERIODE,
        seed=POPULASI["seed"],
        kotor=0.0,
        xlsx=False,
        progress=False,
    )
    shutil.rmtree(folder / "_groundtruth", ignore_errors=True)
    sim = {kind: _read(folder / file_name(kind)) for kind in HEADERS}
    plan = Plan()
    month_start, month_end = dt.date(2026, 2, 1), dt.date(2026, 2, 28)
    for r in sim["pegawai"]:
        tmt = dt.date.fromisoformat(r["tmt_opd"])
        sampai = dt.date.fromisoformat(r["aktif_sampai"]) if r["aktif_sampai"] else None
        if tmt <= month_end and (sampai is None or sampai >= month_start):
            plan.simulated.append(r["nip"])
    taken = {r["nip"] for r in sim["pegawai"]}
    opd = sim["pegawai"][0]
    nips = [_nip(i) for i in range(KLASIFIKASI)]
    ghosts = [_ghost(i) for i in range(4)]
    assert not (set(nips) | set(ghosts) | {UNKNOWN}) & taken
    plan.klasifikasi, plan.ghosts = nips, ghosts
    V1, V2, V3, V4, V5 = nips[:5]

    def q(kind: str, line: int, kode: str, kolom: str | None, sebut: str) -> None:
        plan.karantina.append((kind, file_name(kind), line, kode, kolom, sebut))

    def person(nip: str, **kw: str) -> dict[str, str]:
        row = {
            "nip": nip,
            "nama": f"Pegawai Uji {nip[-3:]}",
            "status": "PNS",
            "golongan": "III/a",
            "jenis_jabatan": "PELAKSANA",
            "nama_jabatan": "Pengadministrasi Umum",
            "kelas_jabatan": "7",
            "kode_opd": opd["kode_opd"],
            "nama_opd": opd["nama_opd"],
            "tmt_opd": "2020-01-01",
            "aktif_sampai": "",
        }
        row.update(kw)
        return row

    # --- pegawai: Windows-1252, the simulation, the generated employees, the ghosts
    w = Writer(HEADERS["pegawai"])
    for r in sim["pegawai"]:
        w.row(r)
    for nip in nips:
        nama = "Fransiskus Séran, S.Kom." if nip == V1 else f"Pegawai Uji {nip[-3:]}"
        plan.nama[nip] = nama
        w.row(person(nip, nama=nama))
    q(
        "pegawai",
        w.row(person(ghosts[0], status="PPPK", golongan="III/a")),
        "GOLONGAN_TIDAK_SESUAI",
        "golongan",
        "III/a",
    )
    q(
        "pegawai",
        w.row(person(ghosts[1], tmt_opd="45292")),
        "TANGGAL_TIDAK_VALID",
        "tmt_opd",
        "45292",
    )
    q(
        "pegawai",
        w.row(person(ghosts[2], kelas_jabatan="18")),
        "DI_LUAR_RENTANG",
        "kelas_jabatan",
        "18",
    )
    ragged = ",".join(person(ghosts[3]).values()) + ",lebih"
    q("pegawai", w.raw(ragged), "BARIS_RUSAK", None, "berisi 12 kolom")
    (folder / file_name("pegawai")).write_bytes(w.text().encode("cp1252"))
    plan.rows_written["pegawai"] = w.rows

    # --- absensi: BOM, CRLF, shuffled columns
    order = ["nip", "waktu", "jenis", "metode", "lat", "lon", "id_mesin"]
    w = Writer(order, eol="\r\n")
    for r in sim["absensi"]:
        w.row(r)
    months = generate_employee_months(KLASIFIKASI)
    absences: dict[str, list] = {}
    for nip, (taps, absen) in zip(nips, months, strict=True):
        absences[nip] = absen
        if nip == V1:  # fixed day 2: late 105 min (TL4) and a normal departure
            taps = {**taps, "2026-02-02": [(9 * 3600 + 15 * 60, "MASUK"), (16 * 3600 + 600, None)]}
            absences[nip] = []
        if nip == nips[5]:  # the hand-written edge days, no absences
            taps, absences[nip] = _edge_taps(), []
        plan.generated_taps[nip] = []
        for day, day_taps in taps.items():
            d = dt.date.fromisoformat(day)
            for seconds, jenis in day_taps:
                waktu = dt.datetime.combine(d, dt.time()) + dt.timedelta(seconds=seconds)
                iso = waktu.strftime("%Y-%m-%d %H:%M:%S")
                w.row(
                    {
                        "nip": nip,
                        "waktu": iso,
                        "jenis": jenis or "",
                        "metode": "FINGER",
                        "id_mesin": f"FP-{opd['kode_opd']}-09",
                    }
                )
                plan.generated_taps[nip].append((iso, jenis))
    tap = {"metode": "FINGER", "id_mesin": f"FP-{opd['kode_opd']}-09", "jenis": "MASUK"}
    # quarantined taps of V1 on day 2 that would hide the TL4 if they leaked
    q(
        "absensi",
        w.row({**tap, "nip": V1, "waktu": "2026-02-02 06:00:00", "metode": "RFID"}),
        "KODE_TIDAK_DIKENAL",
        "metode",
        "'RFID'",
    )
    q(
        "absensi",
        w.row({**tap, "nip": V1, "waktu": "2026-02-02 06:00:00+08:00"}),
        "WAKTU_TIDAK_VALID",
        "waktu",
        "2026-02-02 06:00:00+08:00",
    )
    q(
        "absensi",
        w.row({**tap, "nip": V1, "waktu": "2026-02-02T06:00:00"}),
        "WAKTU_TIDAK_VALID",
        "waktu",
        "2026-02-02T06:00:00",
    )
    q(
        "absensi",
        w.row({**tap, "nip": V1, "waktu": "2026-02-02 06:00:00", "jenis": "IN"}),
        "KODE_TIDAK_DIKENAL",
        "jenis",
        "'IN'",
    )
    q(
        "absensi",
        w.row({**tap, "nip": V1, "waktu": "2026-03-02 06:00:00"}),
        "DI_LUAR_PERIODE",
        "waktu",
        "periode 2026-03",
    )
    q(
        "absensi",
        w.row({**tap, "nip": "1.98501012010011E+17", "waktu": "2026-02-03 07:00:00"}),
        "NIP_TIDAK_VALID",
        "nip",
        "notasi ilmiah",
    )
    q(
        "absensi",
        w.row(
            {
                **tap,
                "nip": V2,
                "waktu": "2026-02-03 07:00:00",
                "metode": "MOBILE",
                "lat": "95",
                "lon": "123.6",
            }
        ),
        "DI_LUAR_RENTANG",
        "lat",
        "95",
    )
    bad = {**tap, "nip": V2, "waktu": "2026-02-03 06:00:00"}
    q(
        "absensi",
        w.raw(",".join(bad.get(c, "") for c in order) + ",lebih"),
        "BARIS_RUSAK",
        None,
        "berisi 8 kolom",
    )
    for nip in [UNKNOWN, *ghosts]:
        for waktu in ("2026-02-03 07:10:00", "2026-02-03 16:20:00"):
            line = w.row({**tap, "nip": nip, "waktu": waktu, "jenis": ""})
            plan.referensial.append(("absensi", file_name("absensi"), line))
    (folder / file_name("absensi")).write_bytes(b"\xef\xbb\xbf" + w.text().encode())
    plan.rows_written["absensi"] = w.rows

    # --- ketidakhadiran: upper-case header names
    w = Writer(HEADERS["ketidakhadiran"])
    w.header = HEADERS["ketidakhadiran"]
    for r in sim["ketidakhadiran"]:
        w.row(r)
    for nip in nips:
        for i, (kode, mulai, selesai, status) in enumerate(absences[nip]):
            w.row(
                {
                    "nip": nip,
                    "kode": kode,
                    "mulai": mulai,
                    "selesai": selesai,
                    "status": status,
                    "nomor_surat": f"800/{kode}/{nip[-3:]}{i}/BKD/2026",
                }
            )
    absen = {"nip": V2, "status": "DISETUJUI", "nomor_surat": "800/X/BKD/2026"}
    q(
        "ketidakhadiran",
        w.row({**absen, "kode": "CUTI", "mulai": "2026-02-09", "selesai": "2026-02-10"}),
        "KODE_TIDAK_DIKENAL",
        "kode",
        "'CUTI'",
    )
    q(
        "ketidakhadiran",
        w.row({**absen, "kode": "CT", "mulai": "2026-02-12", "selesai": "2026-02-11"}),
        "RENTANG_TANGGAL_TERBALIK",
        "selesai",
        "2026-02-11",
    )
    q(
        "ketidakhadiran",
        w.row({**absen, "kode": "CT", "mulai": "2026-01-12", "selesai": "2026-01-13"}),
        "DI_LUAR_PERIODE",
        "mulai",
        "periode 2026-01",
    )
    q(
        "ketidakhadiran",
        w.row({**absen, "kode": "DL", "mulai": "46062", "selesai": "46063"}),
        "TANGGAL_TIDAK_VALID",
        "mulai",
        "46062",
    )
    q(
        "ketidakhadiran",
        w.row(
            {
                **absen,
                "kode": "DL",
                "mulai": "2026-02-16",
                "selesai": "2026-02-18",
                "status": "APPROVED",
            }
        ),
        "KODE_TIDAK_DIKENAL",
        "status",
        "'APPROVED'",
    )
    line = w.row(
        {**absen, "nip": ghosts[0], "kode": "CT", "mulai": "2026-02-04", "selesai": "2026-02-05"}
    )
    plan.referensial.append(("ketidakhadiran", file_name("ketidakhadiran"), line))
    header = w.text().split("\n", 1)
    upper = ",".join(f" {h.upper()} " for h in HEADERS["ketidakhadiran"])
    (folder / file_name("ketidakhadiran")).write_text(upper + "\n" + header[1])
    plan.rows_written["ketidakhadiran"] = w.rows

    # --- kinerja
    w = Writer(HEADERS["kinerja"])
    for r in sim["kinerja"]:
        w.row(r)
    final = {
        "periode": PERIODE,
        "hasil_kerja": "SESUAI",
        "perilaku": "SESUAI",
        "predikat": "BAIK",
        "status": "FINAL",
        "nip_penilai": PENILAI,
        "tanggal_penilaian": "2026-03-02",
    }
    for nip in nips:
        if nip in (V3, V4, V5):
            continue
        w.row({**final, "nip": nip})
        plan.predikat[nip] = "BAIK"
    # two FINAL evaluations: the later tanggal_penilaian counts (tpp-rules §4)
    w.row(
        {
            **final,
            "nip": V3,
            "tanggal_penilaian": "2026-03-05",
            "hasil_kerja": "DI_BAWAH",
            "perilaku": "DI_BAWAH",
            "predikat": "SANGAT_KURANG",
        }
    )
    w.row({**final, "nip": V3, "tanggal_penilaian": "2026-03-02"})
    plan.predikat[V3] = "SANGAT_KURANG"
    # only a DRAFT is valid; the FINAL ones are quarantined -> no evaluation
    w.row({**final, "nip": V4, "status": "DRAFT", "hasil_kerja": "DI_ATAS", "perilaku": "DI_ATAS"})
    q(
        "kinerja",
        w.row(
            {
                **final,
                "nip": V4,
                "periode": "2026-01",
                "hasil_kerja": "DI_ATAS",
                "perilaku": "DI_ATAS",
                "predikat": "SANGAT_BAIK",
            }
        ),
        "DI_LUAR_PERIODE",
        "periode",
        "2026-01",
    )
    q(
        "kinerja",
        w.row({**final, "nip": V5, "hasil_kerja": "BAIK"}),
        "KODE_TIDAK_DIKENAL",
        "hasil_kerja",
        "'BAIK'",
    )
    q(
        "kinerja",
        w.row({**final, "nip": V5, "periode": "2026-2"}),
        "PERIODE_TIDAK_VALID",
        "periode",
        "'2026-2'",
    )
    plan.predikat[V4] = plan.predikat[V5] = None
    q(
        "kinerja",
        w.row({**final, "nip": "1.98501012010011E+17"}),
        "NIP_TIDAK_VALID",
        "nip",
        "notasi ilmiah",
    )
    for nip in [UNKNOWN, ghosts[0]]:
        line = w.row({**final, "nip": nip})
        plan.referensial.append(("kinerja", file_name("kinerja"), line))
    (folder / file_name("kinerja")).write_text(w.text())
    plan.rows_written["kinerja"] = w.rows

    # --- aktivitas: a quoted line break in a valid row
    w = Writer(HEADERS["aktivitas"])
    for r in sim["aktivitas"]:
        w.row(r)
    act = {
        "nip": V1,
        "tanggal": "2026-02-03",
        "uraian": "Rapat",
        "durasi_menit": "60",
        "status": "DISETUJUI",
    }
    w.row({**act, "uraian": 'Menyusun laporan,\nbaris kedua dan "kutipan"'})
    for value, kode, sebut in (
        ("-30", "DI_LUAR_RENTANG", "-30"),
        ("0", "DI_LUAR_RENTANG", "Nilai 0"),
        ("721", "DI_LUAR_RENTANG", "721"),
        ("1,5", "ANGKA_TIDAK_VALID", "1,5"),
    ):
        q("aktivitas", w.row({**act, "durasi_menit": value}), kode, "durasi_menit", sebut)
    line = w.row({**act, "nip": ghosts[1]})
    plan.referensial.append(("aktivitas", file_name("aktivitas"), line))
    (folder / file_name("aktivitas")).write_text(w.text())
    plan.rows_written["aktivitas"] = w.rows
    return plan
