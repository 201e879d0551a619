"""Every defect the simulator plants with --kotor is caught by a quarantine rule, counted once
as a duplicate, reported as a finding, or tolerated as the contract says — end to end."""

from pathlib import Path

import polars as pl
import pytest

from orchestration.core.paths import DataDir
from orchestration.run import run_pipeline
from orchestration.tools.simulator import simulate
from orchestration.tools.simulator.defects import JENIS_CACAT
from quality.coverage import coverage_summary, defect_coverage

EXPECTED = {
    "TAP_DUPLIKAT": "duplikat: dihitung sekali",
    "NIP_PANJANG_SALAH": "karantina: NIP_TIDAK_VALID",
    "NIP_TANGGAL_LAHIR_MUSTAHIL": "karantina: NIP_TIDAK_VALID",
    "NIP_JENIS_KELAMIN_SALAH": "karantina: NIP_TIDAK_VALID",
    "NIP_TIDAK_DIKENAL": "karantina: NIP_TIDAK_DIKENAL",
    "WAKTU_RUSAK": "karantina: WAKTU_TIDAK_VALID",
    "TANGGAL_RUSAK": "karantina: TANGGAL_TIDAK_VALID",
    "KODE_TIDAK_DIKENAL": "karantina: KODE_TIDAK_DIKENAL",
    "NILAI_DI_LUAR_RENTANG": "karantina: DI_LUAR_RENTANG",
    "BULAN_LAIN": "karantina: DI_LUAR_PERIODE",
    "PERIODE_LAIN": "karantina: DI_LUAR_PERIODE",
    "PREDIKAT_BERTENTANGAN": "temuan: PREDIKAT_TIDAK_SESUAI_MATRIKS",
    "JADWAL_GANDA": "karantina: JADWAL_GANDA",
    "KODE_SHIFT_TIDAK_DIKENAL": "karantina: KODE_SHIFT_TIDAK_DIKENAL",
    "BOM": "ditoleransi: file dimuat",
}


@pytest.fixture(scope="module")
def coverage(tmp_path_factory) -> pl.DataFrame:
    base = tmp_path_factory.mktemp("kotor")
    exports, data = base / "exports", DataDir.resolve(base / "data")
    simulate(
        out=exports,
        pegawai=250,
        opd=6,
        mulai="2025-03",
        sampai="2025-03",
        seed=5,
        kotor=0.03,
        xlsx=False,
        progress=False,
    )
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KINERJA_DATA", str(data.root))
        run_pipeline(exports, data)
    return defect_coverage(data, Path(exports / "_groundtruth"))


def test_every_defect_kind_has_an_expected_handling():
    assert set(EXPECTED) == set(JENIS_CACAT)


def test_every_planted_defect_is_caught_by_the_right_rule(coverage):
    summary = coverage_summary(coverage)
    print(summary)  # the table of the closing note: defect kind -> caught by
    assert coverage.height > 100
    assert coverage.filter(pl.col("ditangkap_oleh").is_null()).height == 0
    wrong = coverage.filter(
        pl.col("ditangkap_oleh") != pl.col("jenis_cacat").replace_strict(EXPECTED)
    )
    assert wrong.height == 0, wrong.head(10)
    assert coverage["jenis_cacat"].n_unique() >= 10
