"""Which months of an export folder are payroll months (sources.md, pegawai).

A month is judged by the kinds it has, in the export folder or loaded before (the registry's
current file, with its raw files present):

- **payroll**: the master, the taps and the evaluations are there (``REQUIRED_KINDS``): it is
  computed and published;
- **reference**: only the master: the previous snapshot of the next month, not a payroll month.
  It is ingested and neither blocks nor fails the other months;
- **incomplete**: anything else (taps without a master, say, or a required file that was
  rejected and nothing loaded before): reported with the files that are missing or rejected,
  one line per month, and left out of the run (nothing computed, nothing published)
  until its files arrive. The complete months still go through.

Only months with at least one file in the export folder are candidates: a month loaded long ago
whose files were cleaned out of the folder is not recomputed by a run over that folder.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from orchestration.core.paths import SEEDS_DIR

# Without these a period cannot be paid: a missing file must not turn into "everyone absent" or
# "nobody evaluated".
REQUIRED_KINDS = ("pegawai", "absensi", "kinerja")
# Dagster's run tags naming the months a run covers (a range, or one partition). Plain strings
# here so that run.py can read and write them without importing Dagster (the no-op decision).
RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"
PARTITION = "dagster/partition"
MASTER = "pegawai"


def month_index(periode: str) -> int:
    """'2024-10' -> months since year 0 (for month arithmetic)."""
    return int(periode[:4]) * 12 + int(periode[5:]) - 1


def from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def previous_month(periode: str) -> str:
    """'2024-01' -> '2023-12'."""
    return from_index(month_index(periode) - 1)


def next_month(periode: str) -> str:
    """'2024-12' -> '2025-01'."""
    return from_index(month_index(periode) + 1)


def months_between(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end``, inclusive."""
    return [from_index(i) for i in range(month_index(start), month_index(end) + 1)]


def first_day(periode: str) -> date:
    """'2024-10' -> 1 Oct 2024."""
    return date(int(periode[:4]), int(periode[5:7]), 1)


def last_day(periode: str) -> date:
    """'2024-02' -> 29 Feb 2024."""
    return first_day(next_month(periode)) - timedelta(days=1)


@cache
def first_period() -> str:
    """The first month the platform computes (and Dagster's first partition): the month of the
    earliest ``berlaku_mulai`` of the rulebook (``transforms/seeds/aturan_versi.csv``), since
    before it no rule is in force. An operator who adds an earlier version moves it."""
    with open(SEEDS_DIR / "aturan_versi.csv", encoding="utf-8") as f:
        mulai = [r["berlaku_mulai"] for r in csv.DictReader(f) if r["berlaku_mulai"]]
    return min(mulai)[:7]


@dataclass(frozen=True)
class MonthPlan:
    payroll: list[str]
    reference: list[str]
    incomplete: dict[str, list[str]] = field(default_factory=dict)  # periode -> missing kinds
    rejected: frozenset[tuple[str, str]] = frozenset()  # (kind, periode) rejected, none loaded
    ignored: tuple[str, ...] = ()  # one line per misnamed export file (export_folder.ignored_lines)
    before_first: list[str] = field(default_factory=list)  # months before first_period()
    # a correction of the folder rejected while the period keeps its earlier file: its message
    rejected_kept: tuple[str, ...] = ()

    def rejected_kept_lines(self) -> list[str]:
        """One line per rejected correction (``file_registry.rejected_corrections``)."""
        return [f"PERINGATAN: {message}" for message in self.rejected_kept]

    def incomplete_lines(self) -> list[str]:
        """One line per incomplete month, for the operator (Bahasa Indonesia)."""
        lines = []
        for periode, missing in sorted(self.incomplete.items()):
            stem = periode.replace("-", "")
            what = "; ".join(
                f"berkas {kind}_{stem} "
                + ("ditolak (lihat karantina)" if (kind, periode) in self.rejected else "tidak ada")
                for kind in missing
            )
            lines.append(
                f"Periode {periode} belum lengkap: {what}. Periode ini tidak dihitung dan tidak "
                "diterbitkan sampai berkasnya ada."
            )
        return lines

    def before_first_lines(self) -> list[str]:
        """One line per month of the folder that precedes the first rulebook version."""
        return [
            f"Periode {periode} sebelum periode pertama yang dapat dihitung ({first_period()}: "
            "versi rulebook TPP paling awal di transforms/seeds/aturan_versi.csv berlaku mulai "
            "bulan itu); berkasnya tidak diproses."
            for periode in self.before_first
        ]

    def reference_lines(self) -> list[str]:
        return [
            f"Periode {periode}: hanya master pegawai (data referensi untuk periode "
            f"{next_month(periode)}); tidak ada TPP yang dihitung untuk periode ini."
            for periode in self.reference
        ]


def plan_months(
    in_folder: Iterable[tuple[str, str]],
    loaded: Iterable[tuple[str, str]] = (),
    rejected: Iterable[tuple[str, str]] = (),
) -> MonthPlan:
    """Classify the months of the export folder. ``in_folder``, ``loaded`` and ``rejected`` are
    (kind, periode) pairs: files found in the folder, files loaded before, and files of the
    folder that were rejected already with nothing loaded for their period (they count as
    absent)."""
    rejected = frozenset(rejected)
    kinds: dict[str, set[str]] = defaultdict(set)
    candidates = set()
    for kind, periode in in_folder:
        candidates.add(periode)
        if (kind, periode) not in rejected:
            kinds[periode].add(kind)
    for kind, periode in loaded:
        kinds[periode].add(kind)
    payroll, reference, incomplete, before_first = [], [], {}, []
    for periode in sorted(candidates):
        have = kinds[periode]
        if periode < first_period():  # no rule in force, no Dagster partition
            before_first.append(periode)
        elif have == {MASTER}:
            reference.append(periode)
        elif missing := [k for k in REQUIRED_KINDS if k not in have]:
            incomplete[periode] = missing
        else:
            payroll.append(periode)
    return MonthPlan(payroll, reference, incomplete, rejected, before_first=before_first)
