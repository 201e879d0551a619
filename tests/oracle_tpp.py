"""An independent reference implementation ("oracle") of tpp-rules.md and jadwal.md.

Written from the specification only (``/work/shared/spec``), never from the dbt SQL. The
inputs are the VALID rows of the raw zone (``raw/<kind>/<YYYY-MM>.parquet``, i.e. after the
ingest's quarantine), the calendar and the rulebook seeds of ``transforms/seeds``. The output
is the rows of ``tpp_bulanan`` (tpp-rules §7, plus ``pola_kerja`` of jadwal.md §5), with
counts and amounts computed in exact ``Fraction`` arithmetic and rounded half up only where
tpp-rules §5 says so.

What the raw zone still contains and the oracle therefore re-applies (sources.md, jadwal.md
§3): rows whose NIP is not in the master of the file's month ("unknown NIP"), roster rows with
an unknown shift code, exact duplicate rows, two different master rows for one NIP and two
different roster rows for one (nip, tanggal) (``JADWAL_GANDA``).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import polars as pl

from orchestration.core.contract import SCHEMAS
from orchestration.core.paths import SEEDS_DIR
from quality.suites import AMOUNT_COLUMNS as AMOUNTS

D = dt.date
T = dt.datetime
H4 = dt.timedelta(hours=4)
ONE_DAY = dt.timedelta(days=1)

TL = ("tl1", "tl2", "tl3", "tl4")
PSW = ("psw1", "psw2", "psw3", "psw4")
ABSEN = ("ct", "cs", "cb", "cm", "cap", "cltn", "dl", "diklat", "tb", "izin")
COUNTS = ("hari_kerja", "hari_efektif", "hadir", "tk", *TL, *PSW, *ABSEN)
# not in tpp-rules §7 ("more columns are welcome"): the sums of late and early minutes
MINUTES = ("menit_terlambat", "menit_pulang_cepat")
PEGAWAI_COLS = tuple(c.name for c in SCHEMAS["pegawai"])  # the master's contract columns


def round_half_up(x: Fraction) -> int:
    """Round half away from zero (amounts are never negative here)."""
    x = Fraction(x)
    sign = -1 if x < 0 else 1
    x = abs(x)
    return sign * int((2 * x.numerator + x.denominator) // (2 * x.denominator))


def _time(s: str) -> dt.time:
    return dt.time.fromisoformat(s.strip())


def _frac(s: str) -> Fraction:
    return Fraction(s.strip()) if s and s.strip() else Fraction(0)


def _csv(seeds: Path, name: str) -> list[dict]:
    with open(seeds / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def month_days(periode: str) -> list[D]:
    y, m = int(periode[:4]), int(periode[5:])
    d, out = D(y, m, 1), []
    while d.month == m:
        out.append(d)
        d += ONE_DAY
    return out


def shift_periode(periode: str, k: int) -> str:
    y, m = int(periode[:4]), int(periode[5:]) - 1 + k
    return f"{y + m // 12:04d}-{m % 12 + 1:02d}"


# ----------------------------------------------------------------------------------------------
# Rulebook and calendar (the seeds)


@dataclass
class Rulebook:
    versi: str
    bobot_kinerja: Fraction
    bobot_disiplin: Fraction
    persen_bpjs: Fraction
    dasar_potongan: str
    # (pola, ramadan, isoweekday) -> (masuk, pulang, pemisah)
    jam: dict[tuple[str, bool, int], tuple[dt.time, dt.time, dt.time]]
    pola_opd: dict[str, str]
    shift: dict[str, tuple[dt.time, dt.time]]
    basis: dict[tuple[str, int], int]
    status: dict[str, tuple[Fraction, str]]  # status -> (persen_basis, kelompok_pph21)
    pph21: dict[tuple[str, str], Fraction]  # (kelompok, golongan group) -> tarif %
    predikat: dict[str, Fraction]
    # code -> (kategori, menit_min, menit_max, tanpa_tap, poin, poin_per_menit, prioritas, efektif)
    potongan: dict[str, tuple]


def load_rulebook(versi: str, seeds: Path = SEEDS_DIR) -> Rulebook:
    v = next(r for r in _csv(seeds, "aturan_versi.csv") if r["versi"] == versi)
    jam = {}
    for r in _csv(seeds, "aturan_jam_kerja.csv"):
        if r["versi"] == versi:
            key = (r["pola"], r["ramadan"].strip().lower() == "true", int(r["hari"]))
            jam[key] = (_time(r["jam_masuk"]), _time(r["jam_pulang"]), _time(r["jam_pemisah"]))
    pot = {}
    for r in _csv(seeds, "aturan_potongan.csv"):
        if r["versi"] != versi:
            continue
        pot[r["kode"]] = (
            r["kategori"],
            int(r["menit_min"]) if r["menit_min"] else None,
            int(r["menit_max"]) if r["menit_max"] else None,
            r["tanpa_tap"].strip().lower() == "true",
            _frac(r["poin"]),
            _frac(r["poin_per_menit"]),
            int(r["prioritas"]) if r["prioritas"] else None,
            r["hari_efektif"].strip().lower() != "false",
        )
    return Rulebook(
        versi=versi,
        bobot_kinerja=_frac(v["bobot_kinerja"]),
        bobot_disiplin=_frac(v["bobot_disiplin"]),
        persen_bpjs=_frac(v["persen_bpjs"]),
        dasar_potongan=v["dasar_potongan"],
        jam=jam,
        pola_opd={
            r["kode_opd"]: r["pola"]
            for r in _csv(seeds, "aturan_pola_opd.csv")
            if r["versi"] == versi
        },
        shift={
            r["kode_shift"].upper(): (_time(r["jam_masuk"]), _time(r["jam_pulang"]))
            for r in _csv(seeds, "aturan_shift.csv")
            if r["versi"] == versi
        },
        basis={
            (r["kode_opd"], int(r["kelas_jabatan"])): int(r["basis"])
            for r in _csv(seeds, "aturan_basis.csv")
            if r["versi"] == versi
        },
        status={
            r["status"]: (_frac(r["persen_basis"]), r["kelompok_pph21"])
            for r in _csv(seeds, "aturan_status.csv")
            if r["versi"] == versi
        },
        pph21={
            (r["kelompok"], r["golongan"]): _frac(r["tarif"])
            for r in _csv(seeds, "aturan_pph21.csv")
            if r["versi"] == versi
        },
        predikat={
            r["predikat"]: _frac(r["persen_kinerja"])
            for r in _csv(seeds, "aturan_predikat.csv")
            if r["versi"] == versi
        },
        potongan=pot,
    )


def effective_versi(periode: str, seeds: Path = SEEDS_DIR) -> str:
    """The rulebook version in force on the month's first day (versions with no dates are
    presets chosen explicitly, never by date)."""
    first = month_days(periode)[0]
    best = None
    for r in _csv(seeds, "aturan_versi.csv"):
        if not r["berlaku_mulai"]:
            continue
        mulai = D.fromisoformat(r["berlaku_mulai"])
        sampai = D.fromisoformat(r["berlaku_sampai"]) if r["berlaku_sampai"] else D.max
        if mulai <= first <= sampai and (best is None or mulai > best[0]):
            best = (mulai, r["versi"])
    assert best is not None, f"no rulebook in force for {periode}"
    return best[1]


@dataclass
class Calendar:
    libur: set[D]
    ramadan: list[tuple[D, D]]

    def is_ramadan(self, d: D) -> bool:
        return any(a <= d <= b for a, b in self.ramadan)


def load_calendar(seeds: Path = SEEDS_DIR) -> Calendar:
    return Calendar(
        {D.fromisoformat(r["tanggal"]) for r in _csv(seeds, "kalender_libur.csv")},
        [
            (D.fromisoformat(r["mulai"]), D.fromisoformat(r["selesai"]))
            for r in _csv(seeds, "kalender_ramadan.csv")
        ],
    )


def load_matrix(seeds: Path = SEEDS_DIR) -> dict[tuple[str, str], str]:
    return {
        (r["hasil_kerja"], r["perilaku"]): r["predikat"]
        for r in _csv(seeds, "ref_matriks_predikat.csv")
    }


# ----------------------------------------------------------------------------------------------
# The raw zone's valid rows


class Raw:
    """Valid rows of the raw zone per (kind, periode), in file order."""

    def __init__(self, raw_dir: Path):
        self.raw_dir = Path(raw_dir)
        self._cache: dict[tuple[str, str], list[dict] | None] = {}

    def loaded(self, kind: str, periode: str) -> bool:
        return (self.raw_dir / kind / f"{periode}.parquet").exists()

    def rows(self, kind: str, periode: str) -> list[dict]:
        key = (kind, periode)
        if key not in self._cache:
            path = self.raw_dir / kind / f"{periode}.parquet"
            if path.exists():
                df = pl.read_parquet(path).sort("line_no")
                self._cache[key] = df.to_dicts()
            else:
                self._cache[key] = None
        return self._cache[key] or []

    def periods(self, kind: str) -> list[str]:
        d = self.raw_dir / kind
        if not d.exists():
            return []
        return sorted(p.stem for p in d.glob("*.parquet") if not p.stem.startswith("_"))


# ----------------------------------------------------------------------------------------------
# One day's classification (tpp-rules §2)


@dataclass
class Day:
    tanggal: D
    kode: str  # HADIR, TK or an absence code
    tl: str | None = None
    psw: str | None = None
    # minutes of a HADIR day with that tap (None: not HADIR, or no check-in / check-out)
    menit_tl: int | None = None
    menit_psw: int | None = None
    start: T | None = None
    end: T | None = None
    kode_shift: str | None = None
    # the day's taps; shown also on an absence day, where they are ignored (tpp-rules §2)
    checkin: T | None = None
    checkout: T | None = None
    pulang_belum_tersedia: bool = False  # jadwal.md §4: a missing check-out not yet known


def _band(rb: Rulebook, kategori: str, minutes: int | None) -> str | None:
    """The TL/PSW code for a number of minutes (None = no tap)."""
    for kode, (kat, lo, hi, tanpa_tap, *_rest) in rb.potongan.items():
        if kat != kategori:
            continue
        if minutes is None:
            if tanpa_tap:
                return kode
        elif lo is not None and minutes >= lo and (hi is None or minutes <= hi):
            return kode
    return None


def classify(
    rb: Rulebook,
    d: D,
    absence: str | None,
    arrivals: list[T],
    departures: list[T],
    start: T,
    end: T,
    checkout_pending: bool = False,
) -> Day:
    checkin = min(arrivals) if arrivals else None
    checkout = max(departures) if departures else None
    taps = {"start": start, "end": end, "checkin": checkin, "checkout": checkout}
    if absence is not None:
        return Day(d, absence, **taps)
    if checkin is None and checkout is None:
        return Day(d, "TK", **taps, pulang_belum_tersedia=checkout_pending)
    day = Day(d, "HADIR", **taps)
    if checkin is None:
        day.tl = _band(rb, "TERLAMBAT", None)
    else:
        day.menit_tl = max(0, int((checkin - start).total_seconds() // 60))
        day.tl = _band(rb, "TERLAMBAT", day.menit_tl) if day.menit_tl > 0 else None
    if checkout is None:
        day.psw = None if checkout_pending else _band(rb, "PULANG_CEPAT", None)
        day.pulang_belum_tersedia = checkout_pending
    else:
        day.menit_psw = max(0, int((end - checkout).total_seconds() // 60))
        day.psw = _band(rb, "PULANG_CEPAT", day.menit_psw) if day.menit_psw > 0 else None
    return day


# ----------------------------------------------------------------------------------------------
# The oracle


@dataclass
class Segment:
    snap: dict  # the master row the segment takes its values from
    first: D
    last: D
    pola: str
    previous: bool = False
    days: list[Day] = field(default_factory=list)
    working: list[D] = field(default_factory=list)


class Oracle:
    def __init__(
        self,
        raw_dir: Path,
        seeds: Path = SEEDS_DIR,
        versi: str | None = None,
        neighbour_rosters: bool = True,
    ):
        self.raw = Raw(raw_dir)
        self.seeds = Path(seeds)
        self.cal = load_calendar(self.seeds)
        self.matrix = load_matrix(self.seeds)
        self.versi = versi
        self.neighbour_rosters = neighbour_rosters
        self._rb: dict[str, Rulebook] = {}
        self._master: dict[str, dict[str, dict]] = {}
        # (periode, nip, kode), kode as the platform's temuan.kode; see FINDINGS
        self.findings: list[tuple[str, str, str]] = []

    # --- inputs ---------------------------------------------------------------------------

    def rulebook(self, periode: str) -> Rulebook:
        versi = self.versi or effective_versi(periode, self.seeds)
        if versi not in self._rb:
            self._rb[versi] = load_rulebook(versi, self.seeds)
        return self._rb[versi]

    def master(self, periode: str) -> dict[str, dict]:
        """nip -> master row; exact duplicates count once, a NIP with two different rows is
        dropped (both quarantined)."""
        if periode not in self._master:
            by_nip: dict[str, list[dict]] = defaultdict(list)
            for r in self.raw.rows("pegawai", periode):
                by_nip[r["nip"]].append(r)
            out = {}
            for nip, rows in by_nip.items():
                distinct = {tuple(r.get(c) for c in PEGAWAI_COLS) for r in rows}
                if len(distinct) == 1:
                    out[nip] = rows[0]
            self._master[periode] = out
        return self._master[periode]

    def known(self, nip: str, periode: str) -> bool:
        return nip in self.master(periode)

    def pola_of(self, snap: dict, rb: Rulebook) -> str:
        if snap.get("pola_kerja"):
            return snap["pola_kerja"].upper()
        return rb.pola_opd.get(snap["kode_opd"]) or rb.pola_opd.get("*") or "KANTOR"

    def roster(self, periode: str) -> dict[str, dict[D, str]]:
        """nip -> tanggal -> kode_shift (valid rows only: known NIP and code; a day with two
        different rows, a row with an unknown code included, is JADWAL_GANDA)."""
        key = ("roster", periode)
        if key in self._master:
            return self._master[key]  # type: ignore[return-value]
        rb = self.rulebook(periode)
        codes: dict[str, dict[D, set[str]]] = defaultdict(lambda: defaultdict(set))
        for r in self.raw.rows("jadwal", periode):
            kode = (r["kode_shift"] or "").strip().upper()
            if not self.known(r["nip"], periode):
                continue
            codes[r["nip"]][r["tanggal"]].add(kode)
        out: dict[str, dict[D, str]] = {}
        for nip, days in codes.items():
            out[nip] = {}
            for d, ks in days.items():
                if len(ks) == 1:
                    kode = next(iter(ks))
                    if kode == "LIBUR" or kode in rb.shift:
                        out[nip][d] = kode
                else:
                    # Spec ambiguity (jadwal.md §3): a row with an unknown code beside a valid
                    # one. The platform counts it as a second, different row (JADWAL_GANDA: the
                    # day is no working day); the oracle follows it (see the report).
                    self.findings.append((periode, nip, "JADWAL_GANDA"))
                    out[nip][d] = "GANDA"
        self._master[key] = out  # type: ignore[assignment]
        return out

    def taps(self, periode: str, semua: bool = False) -> dict[str, list[tuple[T, str | None]]]:
        """nip -> taps of the month's file; of known NIPs only unless ``semua``."""
        key = ("taps", periode, semua)
        if key not in self._master:
            out: dict[str, list] = defaultdict(list)
            for r in self.raw.rows("absensi", periode):
                if semua or self.known(r["nip"], periode):
                    out[r["nip"]].append((r["waktu"], r["jenis"]))
            self._master[key] = out  # type: ignore[assignment]
        return self._master[key]  # type: ignore[return-value]

    def absences(self, periode: str) -> dict[str, dict[D, str]]:
        """nip -> day of the month -> the winning approved absence code."""
        key = ("absen", periode)
        if key in self._master:
            return self._master[key]  # type: ignore[return-value]
        rb = self.rulebook(periode)
        prio = {k: v[6] for k, v in rb.potongan.items() if v[6] is not None}
        days = set(month_days(periode))
        out: dict[str, dict[D, str]] = defaultdict(dict)
        # tpp-rules §2: approved absences overlapping on a day of the month are a WARN (exact
        # duplicate rows count once, sources.md)
        covered: dict[tuple[str, D], set[tuple]] = defaultdict(set)
        for r in self.raw.rows("ketidakhadiran", periode):
            if r["status"] != "DISETUJUI" or not self.known(r["nip"], periode):
                continue
            d = r["mulai"]
            while d <= r["selesai"]:
                if d in days:
                    covered[(r["nip"], d)].add((r["kode"], r["mulai"], r["selesai"]))
                    cur = out[r["nip"]].get(d)
                    if cur is None or prio[r["kode"]] < prio[cur]:
                        out[r["nip"]][d] = r["kode"]
                d += ONE_DAY
        for (nip, _d), rows in covered.items():
            if len(rows) > 1:
                self.findings.append((periode, nip, "ABSEN_TUMPANG_TINDIH"))
        self._master[key] = out  # type: ignore[assignment]
        return out

    def evaluation(self, periode: str, nip: str) -> str | None:
        """Predikat of the counting FINAL evaluation (latest tanggal_penilaian, a tie to the
        later row of the file); the matrix is the truth."""
        best = None
        finals = set()
        for r in self.raw.rows("kinerja", periode):
            if r["nip"] != nip or r["status"] != "FINAL" or not self.known(nip, periode):
                continue
            finals.add(tuple(v for k, v in sorted(r.items()) if k != "line_no"))
            key = (r["tanggal_penilaian"], r["line_no"])
            if best is None or key > best[0]:
                best = (key, r)
        if best is None:
            return None
        if len(finals) > 1:  # tpp-rules §4
            self.findings.append((periode, nip, "PENILAIAN_FINAL_GANDA"))
        return self.matrix[(best[1]["hasil_kerja"], best[1]["perilaku"])]

    # --- days -----------------------------------------------------------------------------

    def weekly_working(self, pola: str, d: D, rb: Rulebook) -> tuple | None:
        """(masuk, pulang, pemisah) when d is a working day of a weekly pattern."""
        if d in self.cal.libur:
            return None
        return rb.jam.get((pola, self.cal.is_ramadan(d), d.isoweekday()))

    def shift_times(self, d: D, kode: str, rb: Rulebook) -> tuple[T, T, T]:
        masuk, pulang = rb.shift[kode]
        s = T.combine(d, masuk)
        e = T.combine(d + ONE_DAY if pulang <= masuk else d, pulang)
        return s, e, s + (e - s) / 2

    def _shift_taps(self, nip: str, periode: str) -> dict[D, list[tuple[T, str | None]]]:
        """Taps of the month's rostered shifts, each tap given to one shift (jadwal.md §4)."""
        rb = self.rulebook(periode)
        shifts: list[tuple[T, T, D, str]] = []  # (S, E, d, periode of the roster)
        months = [shift_periode(periode, -1), periode, shift_periode(periode, 1)]
        if not self.neighbour_rosters:
            months = [periode]
        for p in months:
            for d, kode in self.roster(p).get(nip, {}).items():
                if kode in ("LIBUR", "GANDA"):
                    continue
                s, e, _ = self.shift_times(d, kode, rb)
                shifts.append((s, e, d, p))
        taps: list[tuple[T, str | None]] = []
        for p in (shift_periode(periode, -1), periode, shift_periode(periode, 1)):
            if self.known(nip, p) or p == periode:
                taps.extend(self.taps(p).get(nip, []))
            elif p > periode:
                # the next month's file holds the morning of this month's last-day night shift
                # (jadwal.md §4): those taps are this shift's, also of someone who left at this
                # month's end (the NIP is judged by this month's master)
                taps.extend(self.taps(p, semua=True).get(nip, []))
        out: dict[D, list] = defaultdict(list)
        for t, jenis in set(taps):
            cands = [x for x in shifts if x[0] - H4 <= t < x[1] + H4]
            if not cands:
                continue
            best = min(cands, key=lambda x: (min(abs(t - x[0]), abs(t - x[1])), -x[0].timestamp()))
            if best[3] == periode:
                out[best[2]].append((t, jenis))
        return out

    def _day_weekly(self, nip, d, pola, rb, absen, taps_by_date) -> Day:
        masuk, pulang, pemisah = self.weekly_working(pola, d, rb)
        start, end = T.combine(d, masuk), T.combine(d, pulang)
        arr, dep = [], []
        for t, jenis in taps_by_date.get(d, []):
            if jenis == "MASUK" or (jenis is None and t.time() < pemisah):
                arr.append(t)
            elif jenis == "PULANG" or (jenis is None and t.time() >= pemisah):
                dep.append(t)
        return classify(rb, d, absen.get(d), arr, dep, start, end)

    # --- months ---------------------------------------------------------------------------

    def segments(self, periode: str, nip: str) -> list[Segment]:
        rb = self.rulebook(periode)
        days = month_days(periode)
        first, last = days[0], days[-1]
        cur = self.master(periode)[nip]
        prev = self.master(shift_periode(periode, -1)).get(nip)
        end = min(last, cur["aktif_sampai"]) if cur["aktif_sampai"] else last
        tmt = cur["tmt_opd"]
        segs = []
        if prev is not None and first < tmt <= last:
            if prev["kode_opd"] != cur["kode_opd"]:
                p_first = max(first, prev["tmt_opd"])
                p_last = min(tmt - ONE_DAY, end)
                if prev["aktif_sampai"]:
                    p_last = min(p_last, prev["aktif_sampai"])
                segs.append(Segment(prev, p_first, p_last, self.pola_of(prev, rb), previous=True))
                segs.append(Segment(cur, tmt, end, self.pola_of(cur, rb)))
            else:
                segs.append(Segment(cur, first, end, self.pola_of(cur, rb)))
        else:
            segs.append(Segment(cur, max(first, tmt), end, self.pola_of(cur, rb)))
        return segs

    def compute_month(self, periode: str) -> list[dict]:
        rb = self.rulebook(periode)
        days = month_days(periode)
        nxt = shift_periode(periode, 1)
        next_loaded = self.raw.loaded("absensi", nxt)
        roster = self.roster(periode)
        roster_nips = {r["nip"] for r in self.raw.rows("jadwal", periode)}
        absences = self.absences(periode)
        taps = self.taps(periode)
        out = []
        for nip in self.master(periode):
            segs = self.segments(periode, nip)
            predikat = self.evaluation(periode, nip)
            absen = absences.get(nip, {})
            taps_by_date: dict[D, list] = defaultdict(list)
            for t, jenis in set(taps.get(nip, [])):
                taps_by_date[t.date()].append((t, jenis))
            shift_taps = None
            for seg in segs:
                pola = seg.pola
                if pola == "SHIFT" and not roster.get(nip):
                    # computed with KANTOR; the row keeps the employee's pattern SHIFT (the
                    # platform's reading of jadwal.md §3, which does not say what the column shows);
                    # someone active on no day of the month is not computed at all (tpp-rules §7)
                    if seg.first <= seg.last:
                        self.findings.append((periode, nip, "JADWAL_TIDAK_ADA"))
                    pola = "KANTOR"
                if pola == "SHIFT":
                    own = roster[nip]
                    month_working = [d for d in days if own.get(d) not in (None, "LIBUR", "GANDA")]
                    if shift_taps is None:
                        shift_taps = self._shift_taps(nip, periode)
                    for d in month_working:
                        if not seg.first <= d <= seg.last:
                            continue
                        seg.working.append(d)
                        s, e, p = self.shift_times(d, own[d], rb)
                        arr, dep = [], []
                        for t, jenis in shift_taps.get(d, []):
                            if jenis == "MASUK" or (jenis is None and t < p):
                                arr.append(t)
                            elif jenis == "PULANG" or (jenis is None and t >= p):
                                dep.append(t)
                        pending = e.date() > days[-1] and not next_loaded
                        day = classify(rb, d, absen.get(d), arr, dep, s, e, pending)
                        day.kode_shift = own[d]
                        if day.pulang_belum_tersedia:
                            self.findings.append((periode, nip, "PULANG_BELUM_TERSEDIA"))
                        seg.days.append(day)
                    hari_kerja = len(month_working)
                    if hari_kerja == 0:  # jadwal §5: a roster of LIBUR only, "a WARN"
                        self.findings.append((periode, nip, "JADWAL_TANPA_HARI_KERJA"))
                else:
                    month_working = [d for d in days if self.weekly_working(pola, d, rb)]
                    for d in month_working:
                        if seg.first <= d <= seg.last:
                            seg.working.append(d)
                            seg.days.append(self._day_weekly(nip, d, pola, rb, absen, taps_by_date))
                    hari_kerja = len(month_working)
                if seg.previous and not seg.working:
                    continue
                if not seg.previous and seg.first > seg.last:
                    self.findings.append((periode, nip, "PEGAWAI_TIDAK_AKTIF"))
                    continue
                out.append(self._row(periode, rb, seg, hari_kerja, predikat))
            if nip in roster_nips and all(seg.pola != "SHIFT" for seg in segs):
                # jadwal §3: roster rows of someone whose pattern this month is not SHIFT (in a
                # transfer month with a SHIFT segment the roster is that segment's: no finding)
                self.findings.append((periode, nip, "JADWAL_BUKAN_SHIFT"))
        return out

    def _row(self, periode, rb: Rulebook, seg: Segment, hari_kerja: int, predikat) -> dict:
        snap = seg.snap
        counts = dict.fromkeys((*COUNTS, *MINUTES), 0)
        counts["hari_kerja"] = hari_kerja
        poin = Fraction(0)
        for day in seg.days:
            efektif = rb.potongan.get(day.kode, (None,) * 7 + (True,))[7]
            if day.kode in rb.potongan and day.kode.lower() in ABSEN:
                counts[day.kode.lower()] += 1
            if not efektif:
                continue
            counts["hari_efektif"] += 1
            if day.kode == "HADIR":
                counts["hadir"] += 1
                counts["menit_terlambat"] += day.menit_tl or 0
                counts["menit_pulang_cepat"] += day.menit_psw or 0
                for kode, menit in ((day.tl, day.menit_tl), (day.psw, day.menit_psw)):
                    if kode:
                        counts[kode.lower()] += 1
                        poin += rb.potongan[kode][4] + rb.potongan[kode][5] * (menit or 0)
            else:
                if day.kode == "TK":
                    counts["tk"] += 1
                poin += rb.potongan[day.kode][4]
        persen_disiplin = max(Fraction(0), 100 - poin)
        persen_kinerja = rb.predikat[predikat] if predikat else Fraction(0)
        persen_basis, kelompok = rb.status[snap["status"]]
        kelas = snap["kelas_jabatan"]
        basis = rb.basis.get((snap["kode_opd"], kelas), rb.basis.get(("*", kelas)))
        tpp_basis = Fraction(basis) * persen_basis / 100
        if hari_kerja == 0:
            kinerja = disiplin = 0
        else:
            be = tpp_basis * counts["hari_efektif"] / hari_kerja
            fk = persen_disiplin / 100 if rb.dasar_potongan == "TOTAL" else Fraction(1)
            kinerja = round_half_up(be * rb.bobot_kinerja / 100 * persen_kinerja / 100 * fk)
            disiplin = round_half_up(be * rb.bobot_disiplin / 100 * persen_disiplin / 100)
        bruto = kinerja + disiplin
        gol = snap["golongan"].split("/")[0] if kelompok == "PNS" else snap["golongan"]
        pph = round_half_up(bruto * rb.pph21[(kelompok, gol)] / 100)
        bpjs = round_half_up(bruto * rb.persen_bpjs / 100)
        return {
            "periode": periode,
            "nip": snap["nip"],
            "nama": snap["nama"],
            "kode_opd": snap["kode_opd"],
            "status": snap["status"],
            "golongan": snap["golongan"],
            "kelas_jabatan": kelas,
            "pola_kerja": seg.pola,
            **counts,
            "predikat": predikat,
            "tanpa_penilaian": predikat is None,
            "persen_kinerja": persen_kinerja,
            "persen_disiplin": persen_disiplin,
            "tpp_basis": round_half_up(tpp_basis),
            "tpp_kinerja": kinerja,
            "tpp_disiplin": disiplin,
            "tpp_bruto": bruto,
            "pph21": pph,
            "iuran_bpjs": bpjs,
            "tpp_neto": bruto - pph - bpjs,
            "aturan_versi": rb.versi,
            "_days": seg.days,
        }

    def compute(self, periods: list[str] | None = None) -> list[dict]:
        """tpp_bulanan rows of the given months (default: every month with a master)."""
        periods = periods or self.raw.periods("pegawai")
        out = []
        for p in periods:
            out.extend(self.compute_month(p))
        return out


def compute_tpp(raw_dir: Path, periods: list[str] | None = None, **kw) -> list[dict]:
    return Oracle(raw_dir, **kw).compute(periods)


# ----------------------------------------------------------------------------------------------
# Comparison with the platform's tpp_bulanan

COMPARED = (
    "status",
    "golongan",
    "kelas_jabatan",
    "pola_kerja",
    *COUNTS,
    *MINUTES,
    "predikat",
    "tanpa_penilaian",
    "persen_kinerja",
    "persen_disiplin",
    *AMOUNTS,
    "aturan_versi",
)


def key(row: dict) -> tuple[str, str, str]:
    return (row["periode"], row["nip"], row["kode_opd"])


def _norm(v):
    from decimal import Decimal

    if isinstance(v, Decimal | float):
        return Fraction(str(v))
    return v


def diff(platform: list[dict], oracle: list[dict]) -> list[str]:
    """Human-readable differences: keys on one side only, then column by column."""
    p = {key(r): r for r in platform}
    o = {key(r): r for r in oracle}
    out = [f"only in platform: {k}" for k in sorted(set(p) - set(o))]
    out += [f"only in oracle: {k}" for k in sorted(set(o) - set(p))]
    for k in sorted(set(p) & set(o)):
        for c in COMPARED:
            a, b = _norm(p[k].get(c)), _norm(o[k].get(c))
            if a != b:
                out.append(f"{k} {c}: platform {a!r} != oracle {b!r}")
    return out


def platform_rows(warehouse: Path, periods: list[str] | None = None) -> list[dict]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        cur = con.execute("select * from tpp_bulanan")
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return [r for r in rows if periods is None or r["periode"] in periods]


# ----------------------------------------------------------------------------------------------
# Findings (temuan) and the day table (tpp_harian)

# The WARN findings the specification names, by the platform's code (temuan.kode):
FINDINGS = {
    "PENILAIAN_FINAL_GANDA": "tpp-rules §4: several FINAL evaluations for one employee-month",
    "ABSEN_TUMPANG_TINDIH": "tpp-rules §2: approved absences overlapping on a day",
    "PEGAWAI_TIDAK_AKTIF": "tpp-rules §7: a master row active on no day of the month",
    "JADWAL_GANDA": "jadwal §3: two different roster rows for one (nip, tanggal)",
    "JADWAL_BUKAN_SHIFT": "jadwal §3: roster rows of a non-SHIFT employee, once per employee",
    "JADWAL_TIDAK_ADA": "jadwal §3: a SHIFT employee without any roster row",
    "PULANG_BELUM_TERSEDIA": "jadwal §4: a last-day shift's check-out in a file not loaded",
    "JADWAL_TANPA_HARI_KERJA": "jadwal §5: a SHIFT employee whose roster is all LIBUR",
    # tpp-rules §4 flags the row; the platform also lists it as a finding
    "TANPA_PENILAIAN": "tpp-rules §4: no FINAL evaluation (the row's tanpa_penilaian)",
}


def oracle_findings(oracle: Oracle, rows: list[dict]) -> set[tuple[str, str, str]]:
    """(periode, nip, kode) of the compared codes, from ``oracle.compute`` and its rows."""
    periods = {r["periode"] for r in rows}
    out = {f for f in oracle.findings if f[0] in periods and f[2] in FINDINGS}
    out |= {(r["periode"], r["nip"], "TANPA_PENILAIAN") for r in rows if r["tanpa_penilaian"]}
    return out


def platform_findings(warehouse: Path, periods: list[str]) -> set[tuple[str, str, str]]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute("select periode, nip, kode from temuan").fetchall()
    return {tuple(r) for r in rows if r[0] in periods and r[2] in FINDINGS}


def diff_findings(platform: set, oracle: set, nama: dict[str, str] | None = None) -> list[str]:
    nama = nama or {}
    out = []
    for side, keys in (("platform", platform - oracle), ("oracle", oracle - platform)):
        for p, n, k in sorted(keys, key=lambda x: (x[2], x[0], x[1])):
            out.append(f"{k} {p} {nama.get(n, n)}: only in {side}")
    return out


DAY_COLS = (
    "kode_hari",
    "kode_datang",
    "kode_pulang",
    "menit_terlambat",
    "menit_pulang_cepat",
    "waktu_datang",
    "waktu_pulang",
    "kode_shift",
    "jadwal_mulai",
    "jadwal_selesai",
    "hari_efektif",
    "pulang_belum_tersedia",
)


def oracle_days(oracle: Oracle, rows: list[dict]) -> dict[tuple, dict]:
    """(periode, nip, kode_opd, tanggal) -> the day's columns of tpp_harian."""
    out = {}
    for r in rows:
        rb = oracle.rulebook(r["periode"])
        for day in r["_days"]:
            efektif = rb.potongan.get(day.kode, (None,) * 7 + (True,))[7]
            out[(*key(r), day.tanggal)] = {
                "kode_hari": day.kode,
                "kode_datang": day.tl,
                "kode_pulang": day.psw,
                "menit_terlambat": day.menit_tl,
                "menit_pulang_cepat": day.menit_psw,
                "waktu_datang": day.checkin,
                "waktu_pulang": day.checkout,
                "kode_shift": day.kode_shift,
                "jadwal_mulai": day.start,
                "jadwal_selesai": day.end,
                "hari_efektif": efektif,
                "pulang_belum_tersedia": day.pulang_belum_tersedia,
            }
    return out


def platform_days(warehouse: Path, periods: list[str], nips: set[str] | None = None) -> dict:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        cur = con.execute(
            f"select periode, nip, kode_opd, tanggal, {', '.join(DAY_COLS)} from tpp_harian"
        )
        names = [d[0] for d in cur.description]
        rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
    return {
        (r["periode"], r["nip"], r["kode_opd"], r["tanggal"]): {c: r[c] for c in DAY_COLS}
        for r in rows
        if r["periode"] in periods and (nips is None or r["nip"] in nips)
    }


def diff_days(platform: dict, oracle: dict, nama: dict[str, str] | None = None) -> list[str]:
    nama = nama or {}

    def show(k):
        return f"{k[0]} {nama.get(k[1], k[1])} {k[2]} {k[3]}"

    out = [f"only in platform: {show(k)}" for k in sorted(set(platform) - set(oracle))]
    out += [f"only in oracle: {show(k)}" for k in sorted(set(oracle) - set(platform))]
    for k in sorted(set(platform) & set(oracle)):
        for c in DAY_COLS:
            a, b = platform[k][c], oracle[k][c]
            if a != b:
                out.append(f"{show(k)} {c}: platform {a!r} != oracle {b!r}")
    return out
