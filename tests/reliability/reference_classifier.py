"""An independent reference implementation of tpp-rules §1-§2 (default rulebook) in plain Python.

It shares no code with the dbt models: it is written from the rules text, and reads only the
calendar the project ships (``transforms/seeds/kalender_libur.csv`` and ``kalender_ramadan.csv``,
never ``/work/shared``). The reliability tests classify generated employee-days with it and
compare every day with ``tpp_harian`` from one pipeline run.

The rules, as implemented here:

- working day: Monday-Friday, not a national holiday or cuti bersama;
- hours: Mon-Thu 07:30-16:00, Fri 07:30-16:30; inside Ramadan Mon-Thu 08:00-15:00,
  Fri 08:00-15:30;
- taps are grouped by calendar date; MASUK is an arrival, PULANG a departure, a tap without
  ``jenis`` is an arrival before 12:00:00 and a departure from 12:00:00 on;
- check-in = earliest arrival, check-out = latest departure;
- late minutes = floor(max(0, checkin - start) / 60 s); early minutes likewise from the end;
- first rule wins: an approved (DISETUJUI) absence covering the day -> its code (on overlap the
  first of CLTN, TB, CM, CB, CS, CAP, CT, DIKLAT, DL, IZIN); no check-in and no check-out -> TK;
  otherwise HADIR with TL1 1-30, TL2 31-60, TL3 61-90, TL4 > 90 or no check-in, and PSW1-4
  likewise (PSW4 also for no check-out).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from orchestration.core.paths import SEEDS_DIR

PRIORITAS = ("CLTN", "TB", "CM", "CB", "CS", "CAP", "CT", "DIKLAT", "DL", "IZIN")
NOON = dt.time(12, 0, 0)


@dataclass(frozen=True)
class Tap:
    waktu: dt.datetime
    jenis: str | None  # MASUK, PULANG or None


@dataclass(frozen=True)
class Absen:
    kode: str
    mulai: dt.date
    selesai: dt.date
    status: str = "DISETUJUI"


@dataclass(frozen=True)
class Hari:
    """What tpp_harian must say about one employee-day."""

    kode_hari: str
    kode_datang: str | None = None
    kode_pulang: str | None = None
    menit_terlambat: int | None = None
    menit_pulang_cepat: int | None = None

    def as_tuple(self) -> tuple:
        return (
            self.kode_hari,
            self.kode_datang,
            self.kode_pulang,
            self.menit_terlambat,
            self.menit_pulang_cepat,
        )


@cache
def holidays() -> frozenset[dt.date]:
    with open(SEEDS_DIR / "kalender_libur.csv", encoding="utf-8") as handle:
        return frozenset(dt.date.fromisoformat(r["tanggal"]) for r in csv.DictReader(handle))


@cache
def ramadan() -> tuple[tuple[dt.date, dt.date], ...]:
    with open(SEEDS_DIR / "kalender_ramadan.csv", encoding="utf-8") as handle:
        return tuple(
            (dt.date.fromisoformat(r["mulai"]), dt.date.fromisoformat(r["selesai"]))
            for r in csv.DictReader(handle)
        )


def is_working_day(day: dt.date) -> bool:
    return day.isoweekday() <= 5 and day not in holidays()


def working_days(periode: str) -> list[dt.date]:
    year, month = int(periode[:4]), int(periode[5:7])
    day, out = dt.date(year, month, 1), []
    while day.month == month:
        if is_working_day(day):
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def hours(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """(start, end) of the working day as datetimes."""
    in_ramadan = any(a <= day <= b for a, b in ramadan())
    friday = day.isoweekday() == 5
    if in_ramadan:
        start, end = dt.time(8, 0), dt.time(15, 30) if friday else dt.time(15, 0)
    else:
        start, end = dt.time(7, 30), dt.time(16, 30) if friday else dt.time(16, 0)
    return dt.datetime.combine(day, start), dt.datetime.combine(day, end)


def _band(minutes: int | None, prefix: str) -> str | None:
    if minutes is None:
        return f"{prefix}4"
    if minutes <= 0:
        return None
    if minutes <= 30:
        return f"{prefix}1"
    if minutes <= 60:
        return f"{prefix}2"
    if minutes <= 90:
        return f"{prefix}3"
    return f"{prefix}4"


def classify(day: dt.date, taps: Iterable[Tap], absences: Iterable[Absen]) -> Hari:
    """tpp-rules §2 for one working day of one employee (taps of any date may be passed)."""
    covering = [a.kode for a in absences if a.status == "DISETUJUI" and a.mulai <= day <= a.selesai]
    if covering:
        return Hari(min(covering, key=PRIORITAS.index))
    arrivals, departures = [], []
    for tap in taps:
        if tap.waktu.date() != day:
            continue
        if tap.jenis == "MASUK" or (tap.jenis is None and tap.waktu.time() < NOON):
            arrivals.append(tap.waktu)
        else:
            departures.append(tap.waktu)
    checkin = min(arrivals) if arrivals else None
    checkout = max(departures) if departures else None
    if checkin is None and checkout is None:
        return Hari("TK")
    start, end = hours(day)
    late = None if checkin is None else int(max(0.0, (checkin - start).total_seconds()) // 60)
    early = None if checkout is None else int(max(0.0, (end - checkout).total_seconds()) // 60)
    return Hari("HADIR", _band(late, "TL"), _band(early, "PSW"), late, early)
