"""Checks that matter for payroll: pure functions over polars frames of one period.

Each returns a ``CheckOutcome``; the Dagster asset checks in ``orchestration.checks`` only read
the frames and call these. All are ERROR (blocking) unless the catalog says otherwise.

Only what dbt does not already test lives here. The invariants of ``tpp_bulanan`` itself are
dbt data tests in transforms/ (one row per (periode, nip, kode_opd): ``kombinasi_unik``;
bruto = kinerja + disiplin and neto = bruto - PPh 21 - BPJS:
``tpp_neto_sama_dengan_bruto_dikurangi_potongan``; percentages in 0..100: ``rentang`` with the
contract's not-null; nobody of the master dropped: ``tpp_pegawai_aktif_tidak_hilang``). They
fail the one ``dbt build`` before any check here could read the table, so a Python copy of them
could never fail in the pipeline.
"""

from __future__ import annotations

import polars as pl

from orchestration.core.formatting import ribuan
from quality.catalog import CHECKS
from quality.outcome import CheckOutcome, from_failures, not_run

KEY = ["periode", "nip", "kode_opd"]
TPP_SHOW = ["nip", "nama", "kode_opd", "segmen", "source_file", "line_no"]


def _for(frame: pl.DataFrame, periode: str) -> pl.DataFrame:
    if "periode" not in frame.columns:
        return frame
    return frame.filter(pl.col("periode").cast(pl.String) == periode)


def _missing(frame: pl.DataFrame, columns: list[str]) -> list[str]:
    return [c for c in columns if c not in frame.columns]


def _outcome(name: str, periode: str, failing: pl.DataFrame, **kw) -> CheckOutcome:
    info = CHECKS[name]
    return from_failures(
        check=name, asset=info.asset, severity=info.severity, periode=periode, failing=failing, **kw
    )


def _cannot(name: str, periode: str, reason: str) -> CheckOutcome:
    info = CHECKS[name]
    return not_run(name, info.asset, info.severity, periode, reason)


def check_bruto_within_basis(tpp: pl.DataFrame, periode: str) -> CheckOutcome:
    """``tpp_bruto <= tpp_basis`` (and neither is missing)."""
    name = "bruto_tidak_melebihi_basis"
    if cols := _missing(tpp, [*KEY, "tpp_bruto", "tpp_basis"]):
        return _cannot(name, periode, f"kolom {', '.join(cols)} tidak ada di tpp_bulanan")
    rows = _for(tpp, periode)
    bad = (
        pl.col("tpp_bruto").is_null()
        | pl.col("tpp_basis").is_null()
        | (pl.col("tpp_bruto") > pl.col("tpp_basis"))
    )
    failing = rows.filter(bad).sort(KEY)
    return _outcome(
        name,
        periode,
        failing,
        key=KEY,
        show=TPP_SHOW + ["tpp_basis", "tpp_bruto"],
        ok="TPP bruto periode {periode} tidak pernah melebihi basis.",
        fail="{n} baris tpp_bulanan periode {periode} punya TPP bruto melebihi basis (atau "
        "kosong).",
    )


def check_no_error_findings(temuan: pl.DataFrame, periode: str) -> CheckOutcome:
    """No ``temuan`` row with tingkat ERROR for the period (e.g. duplicate NIP in the master)."""
    name = "tanpa_temuan_error"
    if missing := _missing(temuan, ["periode", "tingkat"]):
        return _cannot(name, periode, f"kolom {', '.join(missing)} tidak ada di temuan")
    failing = _for(temuan, periode).filter(pl.col("tingkat") == "ERROR")
    sort_by = [c for c in ("kode", "nip", "source_file", "line_no") if c in failing.columns]
    failing = failing.sort(sort_by) if sort_by else failing
    kode = failing.group_by("kode").len().sort("kode").rows() if "kode" in failing.columns else []
    what = ", ".join(f"{k} {ribuan(n)}x" for k, n in kode)
    # the first finding's own sentence says what is wrong and where to fix it (braces escaped:
    # the message is a format string)
    contoh = (
        " Pertama: " + failing["pesan"][0].replace("{", "{{").replace("}", "}}")
        if "pesan" in failing.columns and failing.height and failing["pesan"][0]
        else ""
    )
    return _outcome(
        name,
        periode,
        failing,
        key=["kode", "nip", "kode_opd", "source_file", "line_no"],
        show=["kode", "nip", "kode_opd", "source_file", "line_no", "pesan"],
        extra={"per_kode": dict(kode)},
        ok="Tidak ada temuan ERROR untuk periode {periode}.",
        fail="{n} temuan ERROR untuk periode {periode}"
        + (f" ({what})" if what else "")
        + ": TPP periode ini tidak boleh dibayar sampai sumbernya diperbaiki."
        + contoh,
    )


# tpp_opd_bulanan column -> how it is computed from tpp_bulanan rows
OPD_TOTALS: dict[str, pl.Expr] = {
    "jumlah_baris": pl.len(),
    "jumlah_pegawai": pl.col("nip").n_unique(),
    **{
        c: pl.col(c).cast(pl.Int64).sum()
        for c in (
            "hari_efektif",
            "hadir",
            "tk",
            "tpp_basis",
            "tpp_kinerja",
            "tpp_disiplin",
            "tpp_bruto",
            "pph21",
            "iuran_bpjs",
            "tpp_neto",
        )
    },
}


def check_department_totals(tpp: pl.DataFrame, opd: pl.DataFrame, periode: str) -> CheckOutcome:
    """Department totals in ``tpp_opd_bulanan`` equal the sums of ``tpp_bulanan`` rows.

    Compares every total column the department table has among ``OPD_TOTALS``; a department
    present on one side only is a failure too.
    """
    name = "total_opd_sesuai_rincian"
    if missing := _missing(opd, ["periode", "kode_opd"]):
        return _cannot(name, periode, f"kolom {', '.join(missing)} tidak ada di tpp_opd_bulanan")
    columns = [
        c
        for c in OPD_TOTALS
        if c in opd.columns and (c in tpp.columns or c in ("jumlah_baris", "jumlah_pegawai"))
    ]
    if not columns:
        return _cannot(name, periode, "tidak ada kolom total yang dapat dicocokkan")
    if missing := _missing(tpp, KEY):
        return _cannot(name, periode, f"kolom {', '.join(missing)} tidak ada di tpp_bulanan")
    rows = _for(tpp, periode)
    expected = rows.group_by("kode_opd").agg(
        [OPD_TOTALS[c].alias(f"{c}__rincian") for c in columns]
    )
    stated = _for(opd, periode).select(
        "kode_opd", *[pl.col(c).cast(pl.Int64).alias(f"{c}__opd") for c in columns]
    )
    both = stated.join(expected, on="kode_opd", how="full", coalesce=True)
    diffs = []
    for c in columns:
        a, b = pl.col(f"{c}__opd"), pl.col(f"{c}__rincian").cast(pl.Int64)
        diffs.append(pl.when(a.fill_null(-1) != b.fill_null(-1)).then(pl.lit(c)))
    failing = (
        both.with_columns(pl.concat_list(diffs).list.drop_nulls().alias("kolom_beda"))
        .filter(pl.col("kolom_beda").list.len() > 0)
        .with_columns(pl.col("kolom_beda").list.join(", "))
        .sort("kode_opd")
    )
    return _outcome(
        name,
        periode,
        failing,
        key=["kode_opd", "kolom_beda"],
        show=[
            "kode_opd",
            "kolom_beda",
            *[f"{c}__opd" for c in columns],
            *[f"{c}__rincian" for c in columns],
        ],
        extra={"kolom_dicocokkan": columns},
        ok=f"Total {len(columns)} kolom per OPD periode {{periode}} cocok dengan rincian.",
        fail="{n} OPD periode {periode} punya total di tpp_opd_bulanan yang tidak sama dengan "
        "jumlah baris tpp_bulanan.",
    )
