"""Month-over-month drift per department: employee count, total TPP bruto, TK rate (WARN).

A sudden jump usually means a broken export (a department's taps missing, a master cut short),
not a real change. Thresholds: ``quality.config.DriftThresholds`` (config.toml / env).
"""

from __future__ import annotations

import polars as pl

from quality.catalog import CHECKS
from quality.config import DriftThresholds
from quality.outcome import CheckOutcome, from_failures

METRICS = {
    # check name: (metric column, threshold attribute, unit, is the change relative?)
    "drift_jumlah_pegawai": ("jumlah_pegawai", "jumlah_pegawai_persen", "%", True),
    "drift_total_tpp": ("total_tpp", "total_tpp_persen", "%", True),
    "drift_tingkat_tk": ("tingkat_tk", "tingkat_tk_pp", "pp", False),
}
LABEL = {
    "jumlah_pegawai": "jumlah pegawai",
    "total_tpp": "total TPP bruto",
    "tingkat_tk": "tingkat TK",
}


def department_metrics(tpp: pl.DataFrame) -> pl.DataFrame:
    """Per kode_opd: jumlah_pegawai (distinct NIP), total_tpp (sum tpp_bruto), tingkat_tk
    (TK days per 100 effective days)."""
    return (
        tpp.group_by("kode_opd")
        .agg(
            pl.col("nip").n_unique().cast(pl.Int64).alias("jumlah_pegawai"),
            pl.col("tpp_bruto").cast(pl.Int64).sum().alias("total_tpp"),
            pl.col("tk").cast(pl.Int64).sum().alias("_tk"),
            pl.col("hari_efektif").cast(pl.Int64).sum().alias("_he"),
        )
        .with_columns(
            pl.when(pl.col("_he") > 0)
            .then(100.0 * pl.col("_tk") / pl.col("_he"))
            .otherwise(0.0)
            .alias("tingkat_tk")
        )
        .drop("_tk", "_he")
        .sort("kode_opd")
    )


def check_drift(
    current: pl.DataFrame,
    previous: pl.DataFrame | None,
    periode: str,
    thresholds: DriftThresholds | None = None,
) -> list[CheckOutcome]:
    """Three outcomes (one per metric); with no previous month nothing can be judged (passed)."""
    t = thresholds or DriftThresholds()
    limits = {
        "jumlah_pegawai_persen": t.jumlah_pegawai_persen,
        "total_tpp_persen": t.total_tpp_persen,
        "tingkat_tk_pp": t.tingkat_tk_pp,
    }
    now = department_metrics(current)
    if previous is None or previous.is_empty():
        before = now.clear()
        no_history = True
    else:
        before = department_metrics(previous)
        no_history = False
    both = now.join(before, on="kode_opd", how="full", coalesce=True, suffix="_lalu").with_columns(
        pl.col(["jumlah_pegawai", "jumlah_pegawai_lalu", "total_tpp", "total_tpp_lalu"]).fill_null(
            0
        ),
    )
    big_enough = pl.max_horizontal("jumlah_pegawai", "jumlah_pegawai_lalu") >= t.min_pegawai_opd
    outcomes = []
    for name, (metric, attr, unit, relative) in METRICS.items():
        limit = limits[attr]
        cur, prev = pl.col(metric), pl.col(f"{metric}_lalu")
        if relative:
            change = (
                pl.when(prev != 0)
                .then(100.0 * (cur - prev) / prev)
                .when(cur != 0)
                .then(float("inf"))
                .otherwise(0.0)
            )
        else:  # rate: only departments present in both months
            change = pl.when(cur.is_not_null() & prev.is_not_null()).then(cur - prev)
        table = both.with_columns(change.alias("perubahan")).filter(big_enough)
        failing = (
            pl.DataFrame()
            if no_history
            else table.filter(pl.col("perubahan").abs() > limit).sort("kode_opd")
        )
        if no_history:
            ok = (
                f"Tidak ada data bulan sebelumnya untuk periode {periode}: perubahan "
                f"{LABEL[metric]} per OPD belum dapat dinilai."
            )
        else:
            ok = (
                f"Perubahan {LABEL[metric]} per OPD periode {{periode}} dalam batas "
                f"{limit:g} {unit}."
            )
        info = CHECKS[name]
        outcomes.append(
            from_failures(
                check=name,
                asset=info.asset,
                severity=info.severity,
                periode=periode,
                failing=failing,
                key=["kode_opd", "perubahan"],
                show=["kode_opd", f"{metric}_lalu", metric, "perubahan"],
                extra={
                    "ambang": limit,
                    "satuan": unit,
                    "min_pegawai_opd": t.min_pegawai_opd,
                    "tanpa_bulan_lalu": no_history,
                },
                ok=ok,
                fail=(
                    f"{{n}} OPD periode {{periode}} berubah {LABEL[metric]} lebih dari "
                    f"{limit:g} {unit} dibanding bulan sebelumnya."
                ),
            )
        )
    return outcomes
