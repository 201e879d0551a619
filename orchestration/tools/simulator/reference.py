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

VERSI = "default-2024"  # the rulebook version the budget is estimated with


def _basis() -> np.ndarray:
    """Rupiah per month by kelas jabatan (index = kelas) of ``VERSI``, province-wide rows of the
    seed ``aturan_basis.csv`` (tpp-rules §6): read, never written here a second time."""
    seed = pl.read_csv(SEEDS_DIR / "aturan_basis.csv", schema_overrides={"kode_opd": pl.String})
    rows = seed.filter((pl.col("versi") == VERSI) & (pl.col("kode_opd") == "*"))
    out = np.zeros(rows["kelas_jabatan"].max() + 1, dtype=np.int64)
    out[rows["kelas_jabatan"].to_numpy()] = rows["basis"].to_numpy()
    return out


def _cpns_share() -> float:
    """The CPNS share of the basis (``aturan_status.csv``, ``VERSI``), e.g. 0.8."""
    seed = pl.read_csv(SEEDS_DIR / "aturan_status.csv")
    row = seed.filter((pl.col("versi") == VERSI) & (pl.col("status") == "CPNS"))
    return float(row["persen_basis"].item()) / 100


CADANGAN = 1.05
PATH = SEEDS_DIR / "ref_opd.csv"


def build(pegawai: int = 15794, seed: int = 42, bulan: str = "2025-01") -> pl.DataFrame:
    months = Calendar.load().months(bulan, bulan)
    wf = people.build(org.DEPARTMENTS, months, pegawai, seed)
    st = wf.states[0]
    idx = np.flatnonzero(st.hadir)
    bulanan = _basis()[st.kelas[idx]] * np.where(st.status[idx] == CPNS, _cpns_share(), 1.0)
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
