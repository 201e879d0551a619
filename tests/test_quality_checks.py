"""Payroll, cross-source and drift checks: pure functions over small realistic frames."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from quality import crosssource, drift, payroll
from quality.config import DriftThresholds
from quality.outcome import ERROR, WARN
from tests.support.quality_sample import sample_month

P = "2025-03"
ANI = "199008152016011005"  # PNS III/b, 1.02.01
YOHANA = "199703122023022001"  # CPNS, 1.02.01
CLTN = "198504172010011006"  # CLTN all month: no taps, excused


@pytest.fixture(scope="module")
def month() -> dict[str, pl.DataFrame]:
    return sample_month(P)


def _set(frame: pl.DataFrame, nip: str, **values) -> pl.DataFrame:
    return frame.with_columns(
        [
            pl.when(pl.col("nip") == nip).then(pl.lit(v)).otherwise(pl.col(c)).alias(c)
            for c, v in values.items()
        ]
    )


# --- payroll ----------------------------------------------------------------------------------


def test_clean_month_passes_every_payroll_check(month):
    tpp = month["tpp_bulanan"]
    outcomes = [
        payroll.check_bruto_within_basis(tpp, P),
        payroll.check_no_error_findings(month["temuan"], P),
        payroll.check_department_totals(tpp, month["tpp_opd_bulanan"], P),
    ]
    assert [o.check for o in outcomes if not o.passed] == []
    assert all(o.severity == ERROR and o.n_failed == 0 and o.fingerprint == "" for o in outcomes)


def test_active_rule_follows_tmt_and_aktif_sampai():
    start = dt.date(2025, 3, 1)
    master = pl.DataFrame(
        {
            "nip": ["a", "b", "c", "d", "e"],
            "kode_opd": ["x"] * 5,
            "tmt_opd": [
                dt.date(2020, 1, 1),
                dt.date(2025, 3, 31),
                dt.date(2025, 4, 1),
                dt.date(2020, 1, 1),
                dt.date(2020, 1, 1),
            ],
            "aktif_sampai": [None, None, None, start, start - dt.timedelta(1)],
        }
    )
    active = crosssource.active_master(master, P)["nip"].to_list()
    assert active == ["a", "b", "d"]  # joins on the 31st / leaves on the 1st: one day each


def test_bruto_above_basis_is_caught(month):
    bad = _set(month["tpp_bulanan"], YOHANA, tpp_bruto=2_400_001)
    out = payroll.check_bruto_within_basis(bad, P)
    assert not out.passed and out.n_failed == 1
    assert out.details["contoh"][0]["tpp_basis"] == 2_400_000


def test_error_finding_blocks_the_period(month):
    ganda = pl.DataFrame(
        [
            dict(
                periode=P,
                tingkat="ERROR",
                kode="NIP_GANDA",
                nip=ANI,
                kode_opd=None,
                source_file="pegawai_202503.csv",
                line_no=2,
                pesan="NIP ganda.",
            )
        ]
    )
    temuan = pl.concat([month["temuan"], ganda], how="diagonal_relaxed")
    out = payroll.check_no_error_findings(temuan, P)
    assert not out.passed and out.n_failed == 1 and out.severity == ERROR
    assert "NIP_GANDA" in out.description
    # the same finding in another period does not block this one
    other = ganda.with_columns(pl.lit("2025-04").alias("periode"))
    assert payroll.check_no_error_findings(
        pl.concat([month["temuan"], other], how="diagonal_relaxed"), P
    ).passed


def test_department_totals_must_reconcile(month):
    tpp, opd = month["tpp_bulanan"], month["tpp_opd_bulanan"]
    bad = opd.with_columns(
        pl.when(pl.col("kode_opd") == "1.03.01")
        .then(pl.col("tpp_neto") + 1000)
        .otherwise(pl.col("tpp_neto"))
        .alias("tpp_neto")
    )
    out = payroll.check_department_totals(tpp, bad, P)
    assert not out.passed and out.n_failed == 1
    assert out.kode_opd == ("1.03.01",)
    assert out.details["contoh"][0]["kolom_beda"] == "tpp_neto"
    # a department paid in tpp_bulanan but absent from the summary is a failure too
    missing = opd.filter(pl.col("kode_opd") != "1.02.01")
    out = payroll.check_department_totals(tpp, missing, P)
    assert not out.passed and out.kode_opd == ("1.02.01",)


def test_missing_columns_fail_instead_of_passing(month):
    tpp = month["tpp_bulanan"].drop("tpp_basis")
    out = payroll.check_bruto_within_basis(tpp, P)
    assert not out.passed and "tpp_basis" in out.description


# --- cross-source -----------------------------------------------------------------------------


def test_unknown_nip_counts_come_from_karantina(month):
    assert crosssource.check_unknown_nip(month["karantina"], P).passed  # only WAKTU_TIDAK_VALID
    unknown = pl.DataFrame(
        [
            dict(
                kind="absensi",
                periode=P,
                source_file="absensi_202503.csv",
                line_no=40 + i,
                kolom="nip",
                nilai="199901012020011999",
                kode_alasan="NIP_TIDAK_DIKENAL",
                alasan="NIP tidak terdaftar.",
            )
            for i in range(3)
        ]
        + [
            dict(
                kind="kinerja",
                periode=P,
                source_file="kinerja_202503.csv",
                line_no=7,
                kolom="nip",
                nilai="199901012020011999",
                kode_alasan="NIP_TIDAK_DIKENAL",
                alasan="NIP tidak terdaftar.",
            )
        ]
    )
    out = crosssource.check_unknown_nip(
        pl.concat([month["karantina"], unknown], how="diagonal_relaxed"), P
    )
    assert not out.passed and out.severity == WARN and out.n_failed == 4
    assert out.details["per_jenis"] == {"absensi": 3, "kinerja": 1}


def test_active_employee_without_taps_is_reported_but_full_month_leave_is_excused(month):
    pegawai, absensi, absen = month["pegawai"], month["absensi"], month["ketidakhadiran"]
    assert CLTN not in absensi["nip"].to_list()
    assert crosssource.check_active_without_taps(pegawai, absensi, absen, P).passed
    # without the approved leave the CLTN employee is reported
    out = crosssource.check_active_without_taps(pegawai, absensi, absen.clear(), P)
    assert not out.passed and [r["nip"] for r in out.details["contoh"]] == [CLTN]
    # a leave that covers only part of the month does not excuse
    partial = absen.with_columns(pl.lit(dt.date(2025, 3, 10)).alias("selesai"))
    assert not crosssource.check_active_without_taps(pegawai, absensi, partial, P).passed
    # taps of a whole department missing
    gone = absensi.filter(pl.col("nip") != ANI)
    out = crosssource.check_active_without_taps(pegawai, gone, absen, P)
    assert out.n_failed == 1 and out.kode_opd == ("1.02.01",)


def test_self_evaluation_is_reported_with_department(month):
    kinerja = month["kinerja"]
    assert crosssource.check_self_evaluation(kinerja, P, month["pegawai"]).passed
    bad = kinerja.with_columns(
        pl.when(pl.col("nip") == YOHANA)
        .then(pl.col("nip"))
        .otherwise(pl.col("nip_penilai"))
        .alias("nip_penilai")
    )
    out = crosssource.check_self_evaluation(bad, P, month["pegawai"])
    assert not out.passed and out.n_failed == 1 and out.kode_opd == ("1.02.01",)


def test_predikat_contradicting_the_matrix_is_reported(month):
    kinerja = month["kinerja"]
    assert crosssource.check_predikat_matrix(kinerja, P).passed
    # SESUAI/SESUAI is BAIK by the matrix; stating SANGAT_BAIK contradicts it
    bad = _set(kinerja, ANI, predikat="SANGAT_BAIK")
    out = crosssource.check_predikat_matrix(bad, P, month["pegawai"])
    assert not out.passed and out.n_failed == 1
    assert out.details["contoh"][0]["predikat_matriks"] == "BAIK"
    # an empty stated predikat is not a contradiction (the matrix is used)
    assert crosssource.check_predikat_matrix(_set(kinerja, ANI, predikat=None), P).passed


# --- drift ------------------------------------------------------------------------------------


def _opd_month(periode: str, counts: dict[str, tuple[int, int, int, int]]) -> pl.DataFrame:
    """tpp rows: per department (employees, bruto each, tk days each, effective days each)."""
    rows = []
    for opd, (n, bruto, tk, he) in counts.items():
        rows += [
            dict(
                periode=periode,
                nip=f"{opd}-{i}",
                kode_opd=opd,
                tpp_bruto=bruto,
                tk=tk,
                hari_efektif=he,
            )
            for i in range(n)
        ]
    return pl.DataFrame(rows)


def test_drift_within_thresholds_passes_and_beyond_fails():
    t = DriftThresholds(
        jumlah_pegawai_persen=10, total_tpp_persen=20, tingkat_tk_pp=5, min_pegawai_opd=5
    )
    feb = _opd_month("2025-02", {"A": (100, 4_000_000, 1, 20), "B": (50, 3_000_000, 0, 20)})
    # A: -10 % staff exactly (not beyond), B: total TPP +25 %, TK rate +10 pp
    mar = _opd_month("2025-03", {"A": (90, 4_000_000, 1, 20), "B": (50, 3_750_000, 2, 20)})
    out = {o.check: o for o in drift.check_drift(mar, feb, "2025-03", t)}
    assert out["drift_jumlah_pegawai"].passed  # |-10 %| is not beyond 10 %
    assert not out["drift_total_tpp"].passed and out["drift_total_tpp"].kode_opd == ("B",)
    assert out["drift_total_tpp"].details["contoh"][0]["perubahan"] == pytest.approx(25.0)
    assert not out["drift_tingkat_tk"].passed and out["drift_tingkat_tk"].kode_opd == ("B",)
    assert all(o.severity == WARN for o in out.values())
    mar2 = _opd_month("2025-03", {"A": (89, 4_000_000, 1, 20), "B": (50, 3_000_000, 0, 20)})
    out2 = {o.check: o for o in drift.check_drift(mar2, feb, "2025-03", t)}
    assert not out2["drift_jumlah_pegawai"].passed and out2["drift_jumlah_pegawai"].n_failed == 1
    assert out2["drift_jumlah_pegawai"].kode_opd == ("A",)  # -11 % staff
    assert out2["drift_total_tpp"].passed  # A's total -11 %, B flat: within 20 %


def test_drift_thresholds_are_configurable_and_small_departments_ignored(monkeypatch):
    feb = _opd_month("2025-02", {"A": (100, 4_000_000, 1, 20), "KECIL": (3, 1_000_000, 0, 20)})
    mar = _opd_month("2025-03", {"A": (100, 4_600_000, 1, 20), "KECIL": (1, 1_000_000, 0, 20)})
    monkeypatch.setenv("KINERJA_DRIFT_TPP_PERSEN", "10")
    t = DriftThresholds.load()
    assert t.total_tpp_persen == 10 and t.jumlah_pegawai_persen == 10  # file default kept
    out = {o.check: o for o in drift.check_drift(mar, feb, "2025-03", t)}
    assert not out["drift_total_tpp"].passed  # +15 % > 10 %
    assert out["drift_jumlah_pegawai"].passed  # KECIL -67 % but below min_pegawai_opd
    monkeypatch.setenv("KINERJA_DRIFT_TPP_PERSEN", "20")
    out = {o.check: o for o in drift.check_drift(mar, feb, "2025-03", DriftThresholds.load())}
    assert out["drift_total_tpp"].passed


def test_drift_without_previous_month_cannot_judge_and_passes():
    mar = _opd_month("2025-03", {"A": (10, 1, 0, 20)})
    out = drift.check_drift(mar, None, "2025-03")
    assert len(out) == 3 and all(o.passed for o in out)
    assert all(o.details["tanpa_bulan_lalu"] for o in out)


def test_sample_month_marts_are_dbts_over_a_clean_month(month):
    """The sample's marts are what dbt built from its raw frames: a clean month whose only
    findings are the two WARNs its inputs ask for, whose only quarantine line is the ingest's."""
    tpp, opd = month["tpp_bulanan"], month["tpp_opd_bulanan"]
    assert set(opd["kode_opd"]) == {"1.02.01", "1.03.01"}
    assert opd["tpp_neto"].sum() == tpp["tpp_neto"].sum()
    # everyone of the master active this month has one row; who left in February has none
    left = "196602021991032004"
    assert sorted(tpp["nip"]) == sorted(n for n in month["pegawai"]["nip"] if n != left)
    temuan = {(r["tingkat"], r["kode"], r["nip"]) for r in month["temuan"].iter_rows(named=True)}
    assert temuan == {
        ("WARN", "PEGAWAI_TIDAK_AKTIF", left),
        ("WARN", "TANPA_PENILAIAN", CLTN),  # on unpaid leave all month: not evaluated
    }
    assert month["karantina"]["kode_alasan"].to_list() == ["WAKTU_TIDAK_VALID"]
    assert month["tpp_harian"]["nip"].n_unique() == tpp.height


# --- runner: missing data is a failure, an absent optional source is not -------------------


def test_missing_warehouse_or_required_file_fails_every_check(tmp_path):
    from orchestration.core.paths import DataDir
    from quality.runner import evaluate, specs_for

    data = DataDir.resolve(tmp_path)
    marts = evaluate("tpp_bulanan", data, [P, "2025-04"])
    assert len(marts) == 2 * len(specs_for("tpp_bulanan"))
    assert not any(o.passed for o in marts)
    assert all("gudang data belum ada" in o.description for o in marts)
    pegawai = evaluate("raw/pegawai", data, [P])
    assert pegawai and not any(o.passed for o in pegawai)
    blocking = [o for o in pegawai if o.blocks]
    assert [o.check for o in blocking] == ["gx_raw_pegawai"]
    # aktivitas and the shift roster are optional: no file that month is not a failure
    for kind in ("aktivitas", "jadwal"):
        outcomes = evaluate(f"raw/{kind}", data, [P])
        assert outcomes and all(o.passed and o.details.get("dilewati") for o in outcomes), kind


def test_a_roster_file_is_judged_by_its_suite(tmp_path):
    from quality.runner import evaluate
    from tests.support.quality_sample import sample_roster, write_data_dir

    data = write_data_dir(tmp_path, {P: {**sample_month(P), "jadwal": sample_roster(P)}})
    assert data.raw_file("jadwal", P).is_file()
    outcomes = evaluate("raw/jadwal", data, [P])
    assert {o.check for o in outcomes} == {"gx_raw_jadwal", "gx_raw_jadwal_peringatan"}
    assert all(o.passed and not o.details.get("dilewati") for o in outcomes)


def test_counts_in_a_check_message_use_indonesian_thousands():
    """The app and the run log read the message: 18.067 baris, not 18067 (``{n}``)."""
    from quality.outcome import from_failures

    failing = pl.DataFrame({"nip": [f"{i:018d}" for i in range(18_067)]})
    out = from_failures(
        check="nip_tidak_dikenal",
        asset="karantina",
        severity=WARN,
        periode="2025-12",
        failing=failing,
        key=["nip"],
        ok="Tidak ada.",
        fail="{n} baris periode {periode} memakai NIP yang tidak dikenal.",
    )
    assert out.description == "18.067 baris periode 2025-12 memakai NIP yang tidak dikenal."
