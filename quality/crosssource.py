"""Cross-source checks (WARN): what one source says about another. Pure functions per period."""

from __future__ import annotations

import polars as pl

from orchestration.core.contract import PREDIKAT_MATRIX
from orchestration.core.formatting import ribuan
from quality.catalog import CHECKS
from quality.outcome import CheckOutcome, from_failures, not_run
from quality.suites import month_bounds

RAW_SHOW = ["nip", "kode_opd", "source_file", "line_no"]


def active_master(pegawai: pl.DataFrame, periode: str) -> pl.DataFrame:
    """Master rows active on >= 1 calendar day of the month in their current department.

    Active days in the current department run from ``tmt_opd`` (or the 1st) to
    ``aktif_sampai`` (or the month end), tpp-rules §1 and §7. Only for this warning on the raw
    zone (before dbt runs); who is paid is decided in dbt (``int_pegawai_segmen``).
    """
    start, end = month_bounds(periode)
    first = pl.max_horizontal(pl.col("tmt_opd"), pl.lit(start))
    last = pl.min_horizontal(pl.col("aktif_sampai").fill_null(pl.lit(end)), pl.lit(end))
    return pegawai.filter(pl.col("tmt_opd").is_not_null() & (first <= last))


def _for(frame: pl.DataFrame, periode: str) -> pl.DataFrame:
    if "periode" not in frame.columns:
        return frame
    return frame.filter(pl.col("periode").cast(pl.String) == periode)


def _outcome(name: str, periode: str, failing: pl.DataFrame, **kw) -> CheckOutcome:
    info = CHECKS[name]
    return from_failures(
        check=name, asset=info.asset, severity=info.severity, periode=periode, failing=failing, **kw
    )


def _with_department(frame: pl.DataFrame, pegawai: pl.DataFrame | None) -> pl.DataFrame:
    """Add the employee's department from the master (for alerts), when we have it."""
    if pegawai is None or "kode_opd" in frame.columns or "nip" not in pegawai.columns:
        return frame
    opd = pegawai.select("nip", "kode_opd").unique(subset="nip", keep="first")
    return frame.join(opd, on="nip", how="left")


def check_unknown_nip(karantina: pl.DataFrame, periode: str) -> CheckOutcome:
    """Lines quarantined because their NIP is not in the period's master (NIP_TIDAK_DIKENAL)."""
    name = "nip_tidak_dikenal"
    if "kode_alasan" not in karantina.columns:
        info = CHECKS[name]
        return not_run(
            name, info.asset, info.severity, periode, "kolom kode_alasan tidak ada di karantina"
        )
    failing = _for(karantina, periode).filter(pl.col("kode_alasan") == "NIP_TIDAK_DIKENAL")
    sort_by = [c for c in ("kind", "source_file", "line_no") if c in failing.columns]
    failing = failing.sort(sort_by) if sort_by else failing
    per_kind = (
        dict(failing.group_by("kind").len().sort("kind").rows())
        if ("kind" in failing.columns)
        else {}
    )
    what = ", ".join(f"{k} {ribuan(n)}" for k, n in per_kind.items())
    return _outcome(
        name,
        periode,
        failing,
        key=["kind", "source_file", "line_no", "nilai"],
        show=["kind", "source_file", "line_no", "nilai", "alasan"],
        extra={"per_jenis": per_kind},
        ok="Tidak ada baris periode {periode} dengan NIP di luar data pegawai.",
        fail="{n} baris periode {periode} memakai NIP yang tidak ada di data pegawai"
        + (f" ({what})" if what else "")
        + "; baris itu dikarantina.",
    )


def check_active_without_taps(
    pegawai: pl.DataFrame,
    absensi: pl.DataFrame,
    ketidakhadiran: pl.DataFrame | None,
    periode: str,
) -> CheckOutcome:
    """Active employees with no tap at all in the month.

    Employees whose approved absences (DISETUJUI) cover every weekday of their active days are
    excused (CLTN, cuti besar, tugas belajar ...). Holidays are not subtracted: an employee
    excused here is covered on every Monday-Friday.
    """
    name = "pegawai_aktif_tanpa_absensi"
    start, end = month_bounds(periode)
    active = active_master(_for(pegawai, periode), periode)
    tapped = _for(absensi, periode).select(pl.col("nip").cast(pl.String)).unique()
    candidates = active.join(tapped, on="nip", how="anti")
    if candidates.height and ketidakhadiran is not None and ketidakhadiran.height:
        days = (
            candidates.select(
                "nip",
                pl.date_ranges(
                    pl.max_horizontal(pl.col("tmt_opd"), pl.lit(start)),
                    pl.min_horizontal(pl.col("aktif_sampai").fill_null(pl.lit(end)), pl.lit(end)),
                ).alias("tanggal"),
            )
            .explode("tanggal")
            .filter(pl.col("tanggal").dt.weekday() <= 5)
        )
        covered = (
            _for(ketidakhadiran, periode)
            .filter(pl.col("status") == "DISETUJUI")
            .select(
                "nip",
                pl.date_ranges(
                    pl.max_horizontal(pl.col("mulai"), pl.lit(start)),
                    pl.min_horizontal(pl.col("selesai"), pl.lit(end)),
                ).alias("tanggal"),
            )
            .explode("tanggal")
            .drop_nulls("tanggal")
            .unique()
        )
        uncovered = days.join(covered, on=["nip", "tanggal"], how="anti").select("nip").unique()
        candidates = candidates.join(uncovered, on="nip", how="semi")
    failing = candidates.sort(["kode_opd", "nip"])
    return _outcome(
        name,
        periode,
        failing,
        key=["nip", "kode_opd"],
        show=["nip", "nama", "kode_opd", "tmt_opd", "aktif_sampai", "source_file", "line_no"],
        extra={"pegawai_aktif": active.height},
        ok="Setiap pegawai aktif periode {periode} punya tap absensi atau ketidakhadiran.",
        fail="{n} pegawai aktif periode {periode} tidak punya satu pun tap absensi dan tidak "
        "cuti sebulan penuh: periksa mesin absensi/berkas absensi OPD-nya.",
    )


def check_self_evaluation(
    kinerja: pl.DataFrame, periode: str, pegawai: pl.DataFrame | None = None
) -> CheckOutcome:
    """Evaluations where the evaluator is the evaluated employee."""
    failing = _for(kinerja, periode).filter(pl.col("nip") == pl.col("nip_penilai"))
    failing = _with_department(failing, pegawai).sort(["source_file", "line_no"])
    return _outcome(
        "penilai_sama_dengan_dinilai",
        periode,
        failing,
        key=["nip", "source_file", "line_no"],
        show=[*RAW_SHOW, "nip_penilai", "status"],
        ok="Tidak ada penilaian periode {periode} yang dinilai oleh pegawai itu sendiri.",
        fail="{n} penilaian kinerja periode {periode} dinilai oleh pegawai itu sendiri "
        "(nip_penilai = nip).",
    )


def matrix_frame() -> pl.DataFrame:
    return pl.DataFrame(
        [(h, p, v) for (h, p), v in PREDIKAT_MATRIX.items()],
        schema={"hasil_kerja": pl.String, "perilaku": pl.String, "predikat_matriks": pl.String},
        orient="row",
    )


def check_predikat_matrix(
    kinerja: pl.DataFrame, periode: str, pegawai: pl.DataFrame | None = None
) -> CheckOutcome:
    """A stated predikat that disagrees with the PermenPANRB 6/2022 matrix (the matrix wins)."""
    rows = _for(kinerja, periode).join(matrix_frame(), on=["hasil_kerja", "perilaku"], how="left")
    failing = rows.filter(
        pl.col("predikat").is_not_null()
        & (pl.col("predikat") != pl.col("predikat_matriks")).fill_null(True)
    )
    failing = _with_department(failing, pegawai).sort(["source_file", "line_no"])
    return _outcome(
        "predikat_tidak_sesuai_matriks",
        periode,
        failing,
        key=["nip", "source_file", "line_no"],
        show=[*RAW_SHOW, "hasil_kerja", "perilaku", "predikat", "predikat_matriks", "status"],
        ok="Predikat tertulis periode {periode} sesuai matriks.",
        fail="{n} penilaian periode {periode} menulis predikat yang berbeda dari matriks "
        "PermenPANRB 6/2022; nilai matriks yang dipakai.",
    )
