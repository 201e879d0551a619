"""Published TPP against the candidate's: per department, per employee, distribution, a
summary in Bahasa Indonesia and the budget forecast."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from orchestration.core.formatting import rentang_periode, ribuan, rupiah
from orchestration.core.rowdiff import selisih_baris

KEY = ["periode", "nip", "kode_opd"]
AMOUNTS = ("tpp_bruto", "tpp_neto")


def _selisih_rp(amount: int) -> str:
    return ("+" if amount > 0 else "") + rupiah(amount)


BINS = (-1_000_000, -500_000, -100_000, 0, 100_000, 500_000, 1_000_000)


@dataclass
class Perbandingan:
    per_opd: pl.DataFrame
    total: dict[str, int]
    per_pegawai: pl.DataFrame
    distribusi: pl.DataFrame  # quantiles of the change per employee (bruto)
    sebaran: pl.DataFrame  # bins
    ringkasan: str
    periods: list[str]
    aturan: str
    metode: str = "dbt"
    pagu: pl.DataFrame | None = None  # per budget year and department: pagu, forecast old / new
    detik_dbt: float = 0.0  # time of the recomputation (dbt build or the fast query)
    detik_total: float = 0.0
    xlsx: Path | None = None


def compare(
    lama: pl.DataFrame,
    baru: pl.DataFrame,
    nama_opd: dict[str, str] | None = None,
    aturan: str = "",
    periods: list[str] | None = None,
) -> Perbandingan:
    """Row-by-row comparison of two tpp_bulanan frames (old = published, new = candidate), with
    the diff engine of the corrections (``selisih.selisih_baris``). An employee's department in
    ``per_pegawai`` is the one of the latest period (in a transfer month the UTAMA row)."""
    diff = selisih_baris(lama, baru, KEY, AMOUNTS)
    rows = diff.select(
        *KEY,
        *[
            pl.col(c).fill_null(0).cast(pl.Int64).alias(f"{a}_{s}")
            for a in AMOUNTS
            for c, s in ((a, "lama"), (f"{a}_baru", "baru"))
        ],
        *[pl.col(f"selisih_{a}").alias(f"selisih_{a.removeprefix('tpp_')}") for a in AMOUNTS],
    )
    segmen = (
        lama.select(*KEY, "segmen")
        if "segmen" in lama.columns
        else lama.select(KEY).with_columns(segmen=pl.lit(None, pl.String))
    )
    rows = (
        rows.join(segmen, on=KEY, how="left")
        .sort("periode", "nip", pl.col("segmen") == "UTAMA", "kode_opd", nulls_last=False)
        .drop("segmen")
    )
    sums = [
        pl.col(c).sum()
        for c in (
            "tpp_bruto_lama",
            "tpp_bruto_baru",
            "selisih_bruto",
            "tpp_neto_lama",
            "tpp_neto_baru",
            "selisih_neto",
        )
    ]
    pegawai = (
        rows.group_by("nip", maintain_order=True)
        .agg(*sums, pl.col("kode_opd").last())
        .sort("selisih_bruto", "nip")
    )
    per_opd = (
        rows.group_by("kode_opd")
        .agg(*sums)
        .join(
            pegawai.group_by("kode_opd").agg(
                (pl.col("selisih_bruto") > 0).sum().alias("pegawai_naik"),
                (pl.col("selisih_bruto") < 0).sum().alias("pegawai_turun"),
                (pl.col("selisih_bruto") == 0).sum().alias("pegawai_tetap"),
            ),
            on="kode_opd",
            how="left",
        )
        .with_columns(
            pl.col("kode_opd").replace_strict(nama_opd or {}, default=None).alias("nama_opd"),
            pl.when(pl.col("tpp_bruto_lama") > 0)
            .then((100 * pl.col("selisih_bruto") / pl.col("tpp_bruto_lama")).round(2))
            .alias("persen_selisih_bruto"),
        )
        .sort("kode_opd")
    )
    total = {
        c: int(rows[c].sum())
        for c in (
            "tpp_bruto_lama",
            "tpp_bruto_baru",
            "selisih_bruto",
            "tpp_neto_lama",
            "tpp_neto_baru",
            "selisih_neto",
        )
    }
    d = pegawai["selisih_bruto"]
    total |= {
        "pegawai": pegawai.height,
        "pegawai_naik": int((d > 0).sum()),
        "pegawai_turun": int((d < 0).sum()),
        "pegawai_tetap": int((d == 0).sum()),
    }
    qs = (0.0, 0.05, 0.25, 0.5, 0.75, 0.95, 1.0)
    distribusi = pl.DataFrame(
        {
            "kuantil": [
                f"p{int(q * 100)}" if 0 < q < 1 else ("min" if q == 0 else "maks") for q in qs
            ],
            "selisih_bruto_per_pegawai": [
                int(d.quantile(q, "nearest") or 0) if d.len() else 0 for q in qs
            ],
        }
    )
    edges = list(BINS)
    labels = (
        [f"< {rupiah(edges[0])}"]
        + [f"{rupiah(a)} s.d. < {rupiah(b)}" for a, b in zip(edges, edges[1:], strict=False)]
        + [f">= {rupiah(edges[-1])}"]
    )
    sebaran = (
        pegawai.filter(pl.col("selisih_bruto") != 0)
        .with_columns(
            pl.sum_horizontal([(pl.col("selisih_bruto") >= e).cast(pl.Int32) for e in edges])
            .replace_strict(dict(enumerate(labels)), return_dtype=pl.String)
            .alias("rentang")
        )
        .group_by("rentang")
        .agg(pl.len().alias("pegawai"))
    )
    sebaran = (
        pl.DataFrame({"rentang": labels})
        .join(sebaran, on="rentang", how="left")
        .with_columns(pl.col("pegawai").fill_null(0))
    )
    periods = periods or sorted(set(rows["periode"].to_list()))
    result = Perbandingan(per_opd, total, pegawai, distribusi, sebaran, "", periods, aturan)
    result.ringkasan = ringkasan(result)
    return result


def periode_teks(periods: list[str]) -> str:
    return rentang_periode(periods, tulis=str)


def ringkasan(p: Perbandingan) -> str:
    """Plain-language summary in Bahasa Indonesia."""
    t = p.total
    arah = (
        "naik"
        if t["selisih_bruto"] > 0
        else ("turun" if t["selisih_bruto"] < 0 else "tidak berubah")
    )
    persen = (100 * t["selisih_bruto"] / t["tpp_bruto_lama"]) if t["tpp_bruto_lama"] else 0.0
    if t["selisih_bruto"] == 0:
        awal = (
            f"Dengan aturan usulan {p.aturan}, TPP bruto periode {periode_teks(p.periods)} "
            f"tidak berubah: {rupiah(t['tpp_bruto_lama'])}."
        )
    else:
        awal = (
            f"Dengan aturan usulan {p.aturan}, TPP bruto periode {periode_teks(p.periods)} "
            f"{arah} dari {rupiah(t['tpp_bruto_lama'])} menjadi {rupiah(t['tpp_bruto_baru'])} "
            f"(selisih {_selisih_rp(t['selisih_bruto'])}, {f'{persen:+.2f}'.replace('.', ',')} %)."
        )
    lines = [
        awal,
        f"TPP neto (yang diterima pegawai) {rupiah(t['tpp_neto_lama'])} menjadi "
        f"{rupiah(t['tpp_neto_baru'])} (selisih {_selisih_rp(t['selisih_neto'])}).",
        f"Dari {ribuan(t['pegawai'])} pegawai, {ribuan(t['pegawai_naik'])} naik, "
        f"{ribuan(t['pegawai_turun'])} turun dan {ribuan(t['pegawai_tetap'])} tetap.",
    ]
    if p.per_pegawai.height and t["pegawai_naik"]:
        naik = p.per_pegawai.filter(pl.col("selisih_bruto") > 0)["selisih_bruto"]
        lines.append(
            f"Kenaikan per pegawai: median {rupiah(round(naik.median()))}, terbesar {rupiah(naik.max())}."
        )
    if p.per_pegawai.height and t["pegawai_turun"]:
        turun = p.per_pegawai.filter(pl.col("selisih_bruto") < 0)["selisih_bruto"]
        lines.append(
            f"Penurunan per pegawai: median {rupiah(round(-turun.median()))}, terbesar "
            f"{rupiah(-turun.min())}."
        )
    if p.per_opd.height and t["selisih_bruto"]:
        top = p.per_opd.sort(pl.col("selisih_bruto").abs(), descending=True).row(0, named=True)
        lines.append(
            f"Dampak terbesar di {top['nama_opd'] or top['kode_opd']} "
            f"({_selisih_rp(top['selisih_bruto'])})."
        )
    return "\n".join(lines)


def dampak_pagu(lama: pl.DataFrame, baru: pl.DataFrame) -> pl.DataFrame | None:
    """Run-rate forecast against the budget (seed pagu_tpp) before and after, per budget year and
    department, from the months of the window only (quality.budget.compute_realisasi)."""
    from quality.budget import compute_realisasi, latest_per_year

    cols = ["periode", "kode_opd", "nip", "tpp_bruto", "tpp_neto"]
    try:
        old = latest_per_year(compute_realisasi(lama.select(cols)))
        new = latest_per_year(compute_realisasi(baru.select(cols)))
    except Exception:  # noqa: BLE001 - the budget is an extra, never the reason a what-if fails
        return None
    keep = ["tahun", "kode_opd", "pagu", "bulan_terbayar", "proyeksi_akhir_tahun", "melebihi_pagu"]
    return (
        old.select(keep)
        .rename({"proyeksi_akhir_tahun": "proyeksi_lama", "melebihi_pagu": "melebihi_lama"})
        .join(
            new.select(
                "tahun",
                "kode_opd",
                pl.col("proyeksi_akhir_tahun").alias("proyeksi_baru"),
                pl.col("melebihi_pagu").alias("melebihi_baru"),
            ),
            on=["tahun", "kode_opd"],
            how="full",
            coalesce=True,
        )
        .filter(pl.col("pagu").is_not_null())
        .sort("tahun", "kode_opd")
    )


def ringkasan_pagu(pagu: pl.DataFrame) -> str:
    lines = []
    for (tahun,), rows in pagu.group_by("tahun", maintain_order=True):
        baru = rows.filter(pl.col("melebihi_baru").fill_null(False))
        lama = rows.filter(pl.col("melebihi_lama").fill_null(False))
        total_baru, total_pagu = (
            int(rows["proyeksi_baru"].fill_null(0).sum()),
            int(rows["pagu"].sum()),
        )
        n = int(rows["bulan_terbayar"].max() or 0)
        teks = (
            f"Proyeksi realisasi tahun anggaran {tahun} (run rate dari {n} bulan bayar): "
            f"{rupiah(total_baru)} dari pagu {rupiah(total_pagu)}; "
        )
        if baru.height:
            teks += (
                f"{baru.height} OPD melebihi pagu ({', '.join(baru['kode_opd'].to_list()[:8])}"
                f"{', …' if baru.height > 8 else ''}), sebelumnya {lama.height}."
            )
        else:
            teks += "semua OPD dalam pagu."
        lines.append(teks)
    return "\n".join(lines)
