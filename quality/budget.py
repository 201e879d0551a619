"""TPP budget (pagu) realisation and the over-budget WARN alert.

The realisation lives in the dbt mart ``realisasi_pagu`` (transforms/models/marts/
realisasi_pagu.sql): per department and PAYMENT month (the TPP of period M is paid in M+1), the
month's and the cumulative ``tpp_bruto`` against the year's pagu (seed ``pagu_tpp``) and a run-rate
forecast ``proyeksi_akhir_tahun = realisasi_kumulatif / bulan_terbayar x jumlah_pembayaran``.

``hitung_realisasi`` is the same computation in Polars over any ``tpp_bulanan`` frame (the
published one, or a what-if result); the tests check both agree.

``budget_alerts(data)`` sends one WARN alert per budget year listing the departments whose
forecast exceeds the pagu, de-duplicated by ``quality.alerts.send_alert`` (same year and same set
of departments pages once; a new department over budget pages again). Where it is called: the
Dagster asset check ``cek_realisasi_pagu`` below (register it with ``build_budget_check()`` in
``orchestration/definitions.py``'s checks), or by hand / from a job after a publish. It reads
the warehouse mart when the warehouse can be opened read-only, otherwise recomputes from the
published ``tpp_bulanan`` and the seed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import polars as pl

from orchestration.core.formatting import rupiah
from orchestration.core.paths import SEEDS_DIR, DataDir
from quality.alerts import Alert, AlertRecord, send_alert
from quality.config import AlertConfig

CHECK_NAME = "proyeksi_dalam_pagu"
ASSET = "realisasi_pagu"
PAGU_SEED = SEEDS_DIR / "pagu_tpp.csv"


def load_pagu(path: Path = PAGU_SEED) -> pl.DataFrame:
    return pl.read_csv(
        path,
        schema_overrides={
            "tahun": pl.Int32,
            "kode_opd": pl.String,
            "pagu": pl.Int64,
            "jumlah_pembayaran": pl.Int32,
            "versi": pl.String,
            "berlaku_mulai": pl.String,
        },
    ).with_columns(pl.col("berlaku_mulai").str.to_date())


def _rhu(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    """round half up of num / den for integers num >= 0, den > 0."""
    return (2 * num + den) // (2 * den)


def compute_realisasi(tpp: pl.DataFrame, pagu: pl.DataFrame | None = None) -> pl.DataFrame:
    """``realisasi_pagu`` from a ``tpp_bulanan`` frame (columns periode, kode_opd, nip,
    tpp_bruto, tpp_neto): one row per (tahun, bulan of payment, kode_opd)."""
    pagu = load_pagu() if pagu is None else pagu
    y = pl.col("periode").str.slice(0, 4).cast(pl.Int32)
    m = pl.col("periode").str.slice(5, 2).cast(pl.Int32)
    bayar = tpp.with_columns(
        pl.when(m == 12).then(y + 1).otherwise(y).alias("tahun"),
        pl.when(m == 12).then(1).otherwise(m + 1).cast(pl.Int32).alias("bulan"),
    )
    real = bayar.group_by("tahun", "bulan", "kode_opd").agg(
        pl.col("periode").max().alias("periode_tpp"),
        pl.col("tpp_bruto").sum().cast(pl.Int64).alias("realisasi_bruto"),
        pl.col("tpp_neto").sum().cast(pl.Int64).alias("realisasi_neto"),
        pl.col("nip").n_unique().cast(pl.Int32).alias("jumlah_pegawai"),
    )
    months = real.select("tahun", "bulan").unique()
    berlaku = (
        months.join(pagu, on="tahun")
        .filter(pl.col("berlaku_mulai") <= pl.date(pl.col("tahun"), pl.col("bulan"), 1))
        .sort("berlaku_mulai")
        .group_by("tahun", "bulan", "kode_opd")
        .agg(
            pl.col("pagu").last(),
            pl.col("versi").last().alias("pagu_versi"),
            pl.col("jumlah_pembayaran").last(),
        )
    )
    keys = pl.concat(
        [berlaku.select("tahun", "bulan", "kode_opd"), real.select("tahun", "bulan", "kode_opd")]
    ).unique()
    out = (
        keys.join(real, on=["tahun", "bulan", "kode_opd"], how="left")
        .join(berlaku, on=["tahun", "bulan", "kode_opd"], how="left")
        .with_columns(
            pl.col("realisasi_bruto", "realisasi_neto").fill_null(0),
            pl.col("jumlah_pegawai").fill_null(0),
            pl.col("jumlah_pembayaran").fill_null(12),
        )
        .sort("tahun", "kode_opd", "bulan")
        .with_columns(
            pl.col("realisasi_bruto")
            .cum_sum()
            .over("tahun", "kode_opd")
            .alias("realisasi_kumulatif"),
            pl.int_range(1, pl.len() + 1)
            .over("tahun", "kode_opd")
            .cast(pl.Int32)
            .alias("bulan_terbayar"),
        )
        .with_columns(
            _rhu(
                pl.col("realisasi_kumulatif") * pl.col("jumlah_pembayaran"),
                pl.col("bulan_terbayar"),
            ).alias("proyeksi_akhir_tahun")
        )
        .with_columns(
            (pl.col("pagu") - pl.col("realisasi_kumulatif")).alias("sisa_pagu"),
            (pl.col("proyeksi_akhir_tahun") > pl.col("pagu"))
            .fill_null(False)
            .alias("melebihi_pagu"),
        )
    )
    return out.sort("tahun", "bulan", "kode_opd")


def latest_per_year(realisasi: pl.DataFrame) -> pl.DataFrame:
    """The latest payment month of each (tahun, kode_opd): the current forecast."""
    return realisasi.sort("bulan").group_by("tahun", "kode_opd").last().sort("tahun", "kode_opd")


def read_realisasi(data: DataDir) -> pl.DataFrame:
    """``realisasi_pagu`` from the warehouse (read-only) or, failing that, recomputed from the
    published ``tpp_bulanan``."""
    if data.warehouse.is_file():
        try:
            import duckdb

            with duckdb.connect(str(data.warehouse), read_only=True) as con:
                return pl.from_arrow(con.sql("select * from realisasi_pagu").to_arrow_table())
        except Exception:  # noqa: BLE001 - locked by a running build, or mart not built yet
            pass
    from orchestration.core.published import current_snapshot

    snapshot = current_snapshot(data)
    if snapshot is None:
        return pl.DataFrame()
    return compute_realisasi(snapshot.read("tpp_bulanan"))


def alerts_for(realisasi: pl.DataFrame) -> list[Alert]:
    """One WARN per budget year whose latest forecast exceeds the pagu of some departments."""
    if realisasi.is_empty():
        return []
    latest = latest_per_year(realisasi).filter(pl.col("melebihi_pagu"))
    alerts = []
    for (tahun,), rows in latest.group_by("tahun", maintain_order=True):
        rows = rows.sort("kode_opd")
        kode = tuple(rows["kode_opd"].to_list())
        places = tuple(
            f"OPD {r['kode_opd']}: proyeksi {rupiah(r['proyeksi_akhir_tahun'])} > pagu "
            f"{rupiah(r['pagu'])} ({r['bulan_terbayar']} bulan terbayar)"
            for r in rows.iter_rows(named=True)
        )
        alerts.append(
            Alert(
                severity="WARN",
                what=(
                    f"Proyeksi realisasi TPP tahun anggaran {tahun} (run rate) melebihi pagu "
                    f"di {len(kode)} OPD."
                ),
                periode=str(tahun),
                check_name=CHECK_NAME,
                asset=ASSET,
                n_failed=len(kode),
                kode_opd=kode,
                places=places,
                fingerprint=hashlib.sha256("|".join(kode).encode()).hexdigest()[:16],
            )
        )
    return alerts


def budget_alerts(
    data: DataDir,
    realisasi: pl.DataFrame | None = None,
    config: AlertConfig | None = None,
) -> list[AlertRecord]:
    """Send (de-duplicated) the over-budget WARN alerts; returns what happened to each."""
    realisasi = read_realisasi(data) if realisasi is None else realisasi
    return [send_alert(a, data, config) for a in alerts_for(realisasi)]


def build_budget_check():
    """Dagster asset check on ``realisasi_pagu``: WARN (non-blocking) when a forecast is over
    budget; sends the alert. Registered in orchestration/definitions.py next to the other checks."""
    import dagster as dg

    @dg.asset_check(
        asset=dg.AssetKey([ASSET]),
        name=CHECK_NAME,
        blocking=False,
        required_resource_keys={"storage"},
        description="Proyeksi realisasi TPP akhir tahun tidak melebihi pagu OPD.",
    )
    def check_realisasi_pagu(context):  # no annotation: Dagster resolves it at runtime
        data: DataDir = context.resources.storage.data
        realisasi = read_realisasi(data)
        records = budget_alerts(data, realisasi)
        over = [k for r in records for k in r.alert.kode_opd]
        return dg.AssetCheckResult(
            passed=not over,
            severity=dg.AssetCheckSeverity.WARN,
            description=(
                "Semua proyeksi dalam pagu."
                if not over
                else f"Proyeksi melebihi pagu di {len(over)} OPD: {', '.join(over[:10])}"
            ),
            metadata={"kode_opd": ", ".join(over), "alert": ", ".join(r.status for r in records)},
        )

    return check_realisasi_pagu
