"""``transforms/seeds/ref_opd.csv``: departments with office coordinates and annual TPP budget.

The budget (``pagu_tpp_tahunan``) is what the default population (15,794 employees, seed 42,
January 2025 snapshot) would cost for a year at the default basis table of tpp-rules §6
(CPNS at 80 %), plus a 5 % reserve, rounded up to a whole million rupiah. Regenerate with
``uv run python -m orchestration.tools.simulator.reference``.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from orchestration.core.paths import SEEDS_DIR
from orchestration.tools.simulator import organisation as org
from orchestration.tools.simulator import people
from orchestration.tools.simulator.jobs import CPNS
from orchestration.tools.simulator.kalender import Calendar

# tpp-rules §6, rupiah per month by kelas jabatan (index = kelas).
BASIS_BAWAAN = np.array(
    [
        0,
        1_750_000,
        1_900_000,
        2_100_000,
        2_350_000,
        2_650_000,
        3_000_000,
        3_400_000,
        3_900_000,
        4_600_000,
        5_300_000,
        6_100_000,
        7_200_000,
        8_500_000,
        11_000_000,
        14_500_000,
        19_000_000,
        25_000_000,
    ],
    dtype=np.int64,
)
CADANGAN = 1.05
PATH = SEEDS_DIR / "ref_opd.csv"


def build(pegawai: int = 15794, seed: int = 42, bulan: str = "2025-01") -> pl.DataFrame:
    months = Calendar.load().months(bulan, bulan)
    wf = people.build(org.DEPARTMENTS, months, pegawai, seed)
    st = wf.states[0]
    idx = np.flatnonzero(st.hadir)
    bulanan = BASIS_BAWAAN[st.kelas[idx]] * np.where(st.status[idx] == CPNS, 0.8, 1.0)
    per_opd = np.bincount(st.dept[idx], weights=bulanan, minlength=len(org.DEPARTMENTS))
    pagu = (np.ceil(per_opd * 12 * CADANGAN / 1e6) * 1_000_000).astype(np.int64)
    return pl.DataFrame(
        {
            "kode_opd": [d.kode for d in org.DEPARTMENTS],
            "nama_opd": [d.nama for d in org.DEPARTMENTS],
            "lat": [d.lat for d in org.DEPARTMENTS],
            "lon": [d.lon for d in org.DEPARTMENTS],
            "pagu_tpp_tahunan": pagu,
        }
    )


def main() -> None:
    build().write_csv(PATH, line_terminator="\n")
    print(f"ditulis: {PATH}")


if __name__ == "__main__":
    main()
