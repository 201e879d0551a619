"""The working calendar of tpp-rules §1: weekends, holidays, cuti bersama and Ramadan hours."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import polars as pl

from orchestration.core.paths import SEEDS_DIR

# Seconds after midnight (WITA) of the start and end of duty.
JAM_MASUK, JAM_MASUK_RAMADAN = 7 * 3600 + 30 * 60, 8 * 3600
JAM_PULANG = {False: (16 * 3600, 16 * 3600 + 30 * 60), True: (15 * 3600, 15 * 3600 + 30 * 60)}


def parse_month(text: str) -> np.datetime64:
    """``"2025-03"`` -> ``numpy.datetime64("2025-03")``; raises ValueError on anything else."""
    year, _, month = text.partition("-")
    if len(year) != 4 or len(month) != 2 or not (year + month).isdigit():
        raise ValueError(f"bulan harus YYYY-MM, bukan {text!r}")
    if not 1 <= int(month) <= 12:
        raise ValueError(f"bulan tidak valid: {text!r}")
    return np.datetime64(text, "M")


@dataclass(frozen=True)
class Month:
    """One simulated month: its calendar days with duty flags and hours."""

    index: int
    month: np.datetime64  # datetime64[M]
    days: np.ndarray  # datetime64[D], every calendar day
    working: np.ndarray  # bool, a duty day
    ramadan: np.ndarray  # bool
    start_sec: np.ndarray  # int64 seconds after midnight, duty start
    end_sec: np.ndarray  # int64 seconds after midnight, duty end

    @property
    def periode(self) -> str:
        return str(self.month)

    @property
    def yyyymm(self) -> str:
        return self.periode.replace("-", "")

    @property
    def first(self) -> np.datetime64:
        return self.days[0]

    @property
    def last(self) -> np.datetime64:
        return self.days[-1]

    @cached_property
    def weekday(self) -> np.ndarray:
        """0 = Monday … 6 = Sunday."""
        return ((self.days.astype(np.int64) + 3) % 7).astype(np.int8)

    @cached_property
    def working_days(self) -> np.ndarray:
        return self.days[self.working]


class Calendar:
    """Holidays and Ramadan from the project's seeds (``transforms/seeds``)."""

    def __init__(self, holidays: np.ndarray, ramadan: list[tuple[np.datetime64, np.datetime64]]):
        self.holidays = np.sort(holidays.astype("datetime64[D]"))
        self.ramadan_ranges = ramadan

    @classmethod
    def load(cls) -> Calendar:
        libur = pl.read_csv(SEEDS_DIR / "kalender_libur.csv", try_parse_dates=True)
        ramadan = pl.read_csv(SEEDS_DIR / "kalender_ramadan.csv", try_parse_dates=True)
        ranges = [
            (np.datetime64(a, "D"), np.datetime64(b, "D"))
            for a, b in ramadan.select("mulai", "selesai").iter_rows()
        ]
        return cls(libur["tanggal"].to_numpy().astype("datetime64[D]"), ranges)

    def is_working(self, days: np.ndarray) -> np.ndarray:
        weekday = (days.astype(np.int64) + 3) % 7
        return (weekday < 5) & ~np.isin(days, self.holidays)

    def is_ramadan(self, days: np.ndarray) -> np.ndarray:
        out = np.zeros(days.shape, dtype=bool)
        for a, b in self.ramadan_ranges:
            out |= (days >= a) & (days <= b)
        return out

    def month(self, month: np.datetime64, index: int = 0) -> Month:
        first = month.astype("datetime64[D]")
        days = np.arange(first, (month + 1).astype("datetime64[D]"))
        working = self.is_working(days)
        ramadan = self.is_ramadan(days)
        friday = (days.astype(np.int64) + 3) % 7 == 4
        start = np.where(ramadan, JAM_MASUK_RAMADAN, JAM_MASUK).astype(np.int64)
        end = np.where(
            ramadan,
            np.where(friday, JAM_PULANG[True][1], JAM_PULANG[True][0]),
            np.where(friday, JAM_PULANG[False][1], JAM_PULANG[False][0]),
        ).astype(np.int64)
        return Month(index, month, days, working, ramadan, start, end)

    def months(self, mulai: str, sampai: str) -> list[Month]:
        a, b = parse_month(mulai), parse_month(sampai)
        if b < a:
            raise ValueError(f"sampai ({sampai}) sebelum mulai ({mulai})")
        return [self.month(m, i) for i, m in enumerate(np.arange(a, b + 1))]

    def working_days_between(self, first: np.datetime64, last: np.datetime64) -> np.ndarray:
        days = np.arange(first, last + 1)
        return days[self.is_working(days)]
