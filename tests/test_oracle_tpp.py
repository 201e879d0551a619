"""The platform's ``tpp_bulanan`` against an independent oracle (``oracle_tpp``), row by row.

A simulated province (300 employees, 6 departments: office staff, teachers on the school week,
hospital staff on rosters with night shifts; transfers, absences, several or no FINAL
evaluations; 2 % dirty lines, so the ingest quarantines), February to April 2025: March is
Ramadan with cuti bersama and Idul Fitri on its last days, April's last-day night shifts have no
May file. ``kinerja run`` computes the three months once; the oracle recomputes them from the
same valid raw rows and the seeds, and every row must be equal: the same keys
(periode, nip, kode_opd), every count and amount. The same run's ``temuan`` (the WARN findings the
specification names) and ``tpp_harian`` (every listed day) are compared too.
"""

from __future__ import annotations

import contextlib
import io
from collections import Counter

import pytest
from oracle_tpp import (
    Oracle,
    diff,
    diff_days,
    diff_findings,
    oracle_days,
    oracle_findings,
    platform_days,
    platform_findings,
    platform_rows,
)

from orchestration.cli import main
from orchestration.core.paths import DataDir

MONTHS = ["2025-02", "2025-03", "2025-04"]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    base = tmp_path_factory.mktemp("oracle")
    exports, data = base / "exports", DataDir.resolve(base / "data")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        rc = main(
            [
                "simulate",
                "--out",
                str(exports),
                "--pegawai",
                "300",
                "--opd",
                "6",
                "--mulai",
                MONTHS[0],
                "--sampai",
                MONTHS[-1],
                "--seed",
                "7",
                "--kotor",
                "0.02",
            ]
        )
        assert rc == 0, err.getvalue()
        rc = main(["run", "--exports", str(exports), "--data", str(data.root)])
    assert rc == 0, err.getvalue()
    oracle = Oracle(data.raw)
    return platform_rows(data.warehouse), oracle.compute(MONTHS), oracle, data


def test_every_row_of_tpp_bulanan_equals_the_oracle(simulated):
    platform, oracle, _, _ = simulated
    assert sorted({r["periode"] for r in platform}) == MONTHS
    problems = diff(platform, oracle)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:40])


def test_the_findings_the_spec_names_equal_the_oracle(simulated):
    """temuan: (periode, nip, kode) of every WARN the specification names."""
    _, rows, oracle, data = simulated
    problems = diff_findings(
        platform_findings(data.warehouse, MONTHS), oracle_findings(oracle, rows)
    )
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:40])


def test_every_day_of_tpp_harian_equals_the_oracle(simulated):
    """tpp_harian: every listed day and its code, TL/PSW, minutes, taps, S/E and shift code."""
    _, rows, oracle, data = simulated
    expected = oracle_days(oracle, rows)
    assert len(expected) > 15000
    problems = diff_days(platform_days(data.warehouse, MONTHS), expected)
    assert not problems, f"{len(problems)} differences:\n" + "\n".join(problems[:40])


def test_the_simulated_population_reaches_the_rules(simulated):
    """The comparison is only as good as what the data exercises."""
    _, oracle, o, data = simulated
    assert len(oracle) > 850
    assert {r["pola_kerja"] for r in oracle} == {"KANTOR", "SEKOLAH", "SHIFT"}
    assert {r["status"] for r in oracle} == {"PNS", "CPNS", "PPPK"}
    per_person = Counter((r["periode"], r["nip"]) for r in oracle)
    assert any(n == 2 for n in per_person.values()), "no transfer month"
    assert any(r["tanpa_penilaian"] for r in oracle)
    for c in ("tk", "tl1", "tl4", "psw1", "psw4", "izin", "ct", "dl"):
        assert sum(r[c] for r in oracle) > 0, c
    findings = {f[2] for f in o.findings}
    assert {"JADWAL_GANDA", "PULANG_BELUM_TERSEDIA"} <= findings
    assert any(p.stat().st_size > 0 for p in (data.quarantine / "absensi").glob("2025-*.parquet"))
