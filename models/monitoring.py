"""Fairness and drift of both models, computed in the model job, for the quality page.

Written to ``DATA/models/pemantauan.parquet`` (one long table, schema ``SKEMA``) and
``DATA/models/pemantauan.json`` (when, which model versions, the thresholds used and the rows
that crossed them). Sections (``bagian``):

- ``keadilan_anomali``: share of employee-months flagged (any layer, and per layer) by
  department type (``jenis_opd``, keywords in ``anomaly_rules.toml``), golongan (ruang
  I..IV) and sex (from the NIP), with a Wilson interval and the ratio to the overall share;
  with the simulator's ground truth also the false-flag share among honest employee-months
  (``dimensi`` suffixed ``:salah``).
- ``keadilan_peringatan``: share on the early-warning list (top 10 %) and mean risk by the
  same groups; with a known next predikat, the share of the listed who were not rated poorly.
- ``kelonggaran_penilai``: per evaluator (``nip_penilai`` of the FINAL evaluation that counts)
  with at least ``MIN_DINILAI`` evaluations: the share of poor predikat (BUTUH_PERBAIKAN or
  worse) given, against the overall share (``rasio``) and a binomial z (``z``): a lenient
  evaluator (z far below 0) makes the early warning blind for their team.
- ``drift_dasar``: per month, the anomaly flag share (per rule) and the poor-predikat base rate
  and mean predicted risk of the early warning.
- ``drift_fitur``: per month and feature, the population stability index (PSI) against all
  months of the file (decile bins of the pooled values): > 0.2 is a shift worth a look.
"""

from __future__ import annotations

import json
import time

import numpy as np
import polars as pl

from models import early_warning, evaluate, registry, score_files
from models.config import ATURAN
from models.features import NAMA_FITUR
from models.inputs import connect
from orchestration.core.formatting import ribuan
from orchestration.core.paths import DataDir

NAMA = "pemantauan"
SKEMA = {
    "bagian": pl.String,
    "periode": pl.String,  # 'YYYY-MM' or 'SEMUA'
    "dimensi": pl.String,
    "kelompok": pl.String,
    "n": pl.Int64,
    "k": pl.Int64,
    "nilai": pl.Float64,
    "ci_bawah": pl.Float64,
    "ci_atas": pl.Float64,
    "rasio": pl.Float64,  # nilai / overall nilai of the same section and dimension
    "z": pl.Float64,
}
MIN_DINILAI = 10
AMBANG_PSI = 0.2
AMBANG_RASIO = 2.0  # a group flagged at twice the overall share (with n >= MIN_KELOMPOK)
MIN_KELOMPOK = 100


def jenis_opd(nama_opd: pl.Expr) -> pl.Expr:
    """Department type from its name: the first keyword of ``[keadilan].jenis_opd`` found."""
    expr = pl.lit(ATURAN["keadilan"]["jenis_opd_lain"])
    for jenis, kata in reversed(ATURAN["keadilan"]["jenis_opd"]):
        expr = (
            pl.when(nama_opd.str.contains(kata, literal=True)).then(pl.lit(jenis)).otherwise(expr)
        )
    return expr


def _groups(data: DataDir, periods: list[str]) -> pl.DataFrame:
    """(periode, nip, jenis_opd, golongan, jenis_kelamin, nip_penilai, predikat) per
    employee-month, from the published tpp_bulanan (UTAMA segment) and the evaluation row it
    names."""
    con = connect(data, periods)
    try:
        return (
            con.sql(
                """
            select b.periode, b.nip, b.nama_opd, b.golongan, b.predikat, k.nip_penilai
            from tpp_bulanan b
            left join raw_kinerja k
              on k.periode = b.periode and k.source_file = b.sumber_kinerja
             and k.line_no = b.baris_kinerja
            where b.segmen = 'UTAMA' and b.periode in (select periode from _periode)
            """
            )
            .pl()
            .with_columns(
                jenis_opd=jenis_opd(pl.col("nama_opd")),
                golongan=pl.col("golongan").str.extract(r"^([IV]+)").fill_null("-"),
                # NIP digit 15: 1 = male, 2 = female (BKN numbering)
                jenis_kelamin=pl.col("nip")
                .str.slice(14, 1)
                .replace_strict({"1": "L", "2": "P"}, default="-"),
                predikat=pl.when(pl.col("predikat").is_not_null()).then("predikat"),
            )
        )
    finally:
        con.close()


def _rate_rows(df: pl.DataFrame, bagian: str, dimensi: str, kolom: str, flag: str) -> pl.DataFrame:
    """Share of ``flag`` per value of ``kolom`` over all months, with Wilson CI and ratio."""
    if df.height == 0:
        return pl.DataFrame(schema=SKEMA)
    total = float(df[flag].mean() or 0.0)
    g = df.group_by(kolom).agg(n=pl.len(), k=pl.col(flag).sum().cast(pl.Int64)).sort(kolom)
    rows = []
    for r in g.iter_rows(named=True):
        lo, hi = evaluate.wilson(r["k"], r["n"])
        v = r["k"] / r["n"]
        rows.append(
            {
                "bagian": bagian,
                "periode": "SEMUA",
                "dimensi": dimensi,
                "kelompok": str(r[kolom]),
                "n": r["n"],
                "k": r["k"],
                "nilai": v,
                "ci_bawah": lo,
                "ci_atas": hi,
                "rasio": v / total if total else None,
                "z": None,
            }
        )
    return pl.DataFrame(rows, schema=SKEMA)


def _edges(ref: np.ndarray, bins: int = 10) -> np.ndarray:
    """The decile edges of the reference values (unique: a zero-inflated count has few)."""
    ref = ref[np.isfinite(ref)]
    if len(ref) == 0:
        return np.array([])
    return np.unique(np.quantile(ref, np.linspace(0, 1, bins + 1)[1:-1]))


def _psi(ref: np.ndarray, cur: np.ndarray, bins: int = 10, edges: np.ndarray | None = None):
    """Population stability index of ``cur`` against ``ref`` on ref's decile edges."""
    ref = ref[np.isfinite(ref)]
    edges = _edges(ref, bins) if edges is None else edges
    return _psi_histogram(_histogram(ref, edges), cur, edges)


def _histogram(x: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Counts of the finite values of ``x`` per bin of ``edges``."""
    x = x[np.isfinite(x)]
    return np.bincount(np.searchsorted(edges, x, side="right"), minlength=len(edges) + 1)


def _psi_histogram(a: np.ndarray, cur: np.ndarray, edges: np.ndarray) -> float:
    """``_psi`` with the reference's histogram ``a`` counted once (not once per month)."""
    b = _histogram(cur, edges)
    if a.sum() == 0 or b.sum() == 0:
        return float("nan")
    pa = np.clip(a / a.sum(), 1e-4, None)
    pb = np.clip(b / b.sum(), 1e-4, None)
    return float(np.sum((pb - pa) * np.log(pb / pa)))


def _feature_drift(df: pl.DataFrame, bagian: str, fitur: tuple[str, ...]) -> pl.DataFrame:
    rows = []
    bulan = df.partition_by("periode", as_dict=True)  # once, not once per feature
    for f in fitur:
        if f not in df.columns:
            continue
        ref = df[f].cast(pl.Float64).to_numpy()
        edges = _edges(ref)  # once per feature, not per month
        a = _histogram(ref, edges)
        for (p,), g in bulan.items():
            psi = _psi_histogram(a, g[f].cast(pl.Float64).to_numpy(), edges)
            rows.append(
                {
                    "bagian": bagian,
                    "periode": p,
                    "dimensi": f,
                    "kelompok": "psi",
                    "n": g.height,
                    "k": None,
                    "nilai": None if np.isnan(psi) else round(psi, 4),
                    "ci_bawah": None,
                    "ci_atas": None,
                    "rasio": None,
                    "z": None,
                }
            )
    return pl.DataFrame(rows, schema=SKEMA).sort("dimensi", "periode")


def compute(
    anomali: pl.DataFrame, peringatan: pl.DataFrame, kelompok: pl.DataFrame, kebenaran=None
) -> pl.DataFrame:
    """The long table from the score files and the groups (pure: no I/O)."""
    parts = []
    dims = (
        ("jenis_opd", "jenis_opd"),
        ("golongan", "golongan"),
        ("jenis_kelamin", "jenis_kelamin"),
    )
    if anomali.height:
        a = (
            anomali.select("periode", "nip", "ditandai", "lapisan", "aturan")
            .join(kelompok.drop("predikat"), on=["periode", "nip"], how="left")
            .with_columns(
                pl.col(c).fill_null("-") for c in ("jenis_opd", "golongan", "jenis_kelamin")
            )
            .with_columns(
                aturan_ditandai=pl.col("lapisan") == "ATURAN",
                model_ditandai=(pl.col("lapisan") == "MODEL").fill_null(False),
            )
            .with_columns(pl.col("aturan_ditandai").fill_null(False))
        )
        for dim, col in dims:
            parts.append(_rate_rows(a, "keadilan_anomali", dim, col, "ditandai"))
            parts.append(_rate_rows(a, "keadilan_anomali", f"{dim}:model", col, "model_ditandai"))
        if kebenaran is not None:
            jujur = a.join(
                kebenaran.select("periode", "nip").unique(), on=["periode", "nip"], how="anti"
            )
            for dim, col in dims:
                parts.append(_rate_rows(jujur, "keadilan_anomali", f"{dim}:salah", col, "ditandai"))
        # base rates per month and rule
        bulan = a.group_by("periode").agg(
            n=pl.len(),
            k=pl.col("ditandai").sum(),
            **{
                r: pl.col("aturan").fill_null("").str.contains(r, literal=True).sum()
                for r in ATURAN
                if r not in ("model", "keadilan")
            },
            model=pl.col("model_ditandai").sum(),
        )
        for r in bulan.iter_rows(named=True):
            for kel in ("k", *[x for x in ATURAN if x not in ("model", "keadilan")], "model"):
                parts.append(
                    pl.DataFrame(
                        [
                            {
                                "bagian": "drift_dasar",
                                "periode": r["periode"],
                                "dimensi": "anomali",
                                "kelompok": "ditandai" if kel == "k" else kel,
                                "n": r["n"],
                                "k": r[kel],
                                "nilai": r[kel] / r["n"],
                                "ci_bawah": None,
                                "ci_atas": None,
                                "rasio": None,
                                "z": None,
                            }
                        ],
                        schema=SKEMA,
                    )
                )
        parts.append(_feature_drift(anomali, "drift_fitur", NAMA_FITUR))
    if peringatan.height:
        w = peringatan.join(kelompok.drop("predikat"), on=["periode", "nip"], how="left")
        w = w.with_columns(
            pl.col(c).fill_null("-") for c in ("jenis_opd", "golongan", "jenis_kelamin")
        )
        for dim, col in dims:
            parts.append(_rate_rows(w, "keadilan_peringatan", dim, col, "ditandai"))
        if "predikat_berikutnya" in w.columns:
            listed = w.filter(pl.col("ditandai") & pl.col("predikat_berikutnya").is_not_null())
            listed = listed.with_columns(
                salah=~pl.col("predikat_berikutnya").is_in(early_warning.BURUK)
            )
            for dim, col in dims:
                parts.append(
                    _rate_rows(listed, "keadilan_peringatan", f"{dim}:salah", col, "salah")
                )
        bulan = w.group_by("periode").agg(
            n=pl.len(),
            risiko=pl.col("skor").mean(),
            k=pl.col("predikat").is_in(early_warning.BURUK).sum(),
        )
        for r in bulan.iter_rows(named=True):
            parts.append(
                pl.DataFrame(
                    [
                        {
                            "bagian": "drift_dasar",
                            "periode": r["periode"],
                            "dimensi": "peringatan",
                            "kelompok": "predikat_buruk",
                            "n": r["n"],
                            "k": r["k"],
                            "nilai": r["k"] / r["n"],
                            "ci_bawah": None,
                            "ci_atas": None,
                            "rasio": None,
                            "z": None,
                        },
                        {
                            "bagian": "drift_dasar",
                            "periode": r["periode"],
                            "dimensi": "peringatan",
                            "kelompok": "risiko_rata_rata",
                            "n": r["n"],
                            "k": None,
                            "nilai": r["risiko"],
                            "ci_bawah": None,
                            "ci_atas": None,
                            "rasio": None,
                            "z": None,
                        },
                    ],
                    schema=SKEMA,
                )
            )
        parts.append(_feature_drift(w, "drift_fitur", early_warning.FITUR))
    parts.append(_leniency(kelompok))
    parts = [p for p in parts if p.height]
    if not parts:
        return pl.DataFrame(schema=SKEMA)
    return (
        pl.concat(parts, how="vertical_relaxed")
        .cast(SKEMA)
        .sort("bagian", "dimensi", "kelompok", "periode", maintain_order=True)
    )


def _leniency(kelompok: pl.DataFrame) -> pl.DataFrame:
    """Per evaluator: share of poor predikat given vs overall, with a binomial z."""
    d = kelompok.filter(pl.col("nip_penilai").is_not_null() & pl.col("predikat").is_not_null())
    if d.height == 0:
        return pl.DataFrame(schema=SKEMA)
    d = d.with_columns(buruk=pl.col("predikat").is_in(early_warning.BURUK))
    p0 = float(d["buruk"].mean())
    g = (
        d.group_by("nip_penilai")
        .agg(n=pl.len(), k=pl.col("buruk").sum().cast(pl.Int64))
        .filter(pl.col("n") >= MIN_DINILAI)
        .sort("nip_penilai")
    )
    rows = []
    for r in g.iter_rows(named=True):
        v = r["k"] / r["n"]
        lo, hi = evaluate.wilson(r["k"], r["n"])
        z = (v - p0) / np.sqrt(p0 * (1 - p0) / r["n"]) if 0 < p0 < 1 else None
        rows.append(
            {
                "bagian": "kelonggaran_penilai",
                "periode": "SEMUA",
                "dimensi": "nip_penilai",
                "kelompok": r["nip_penilai"],
                "n": r["n"],
                "k": r["k"],
                "nilai": v,
                "ci_bawah": lo,
                "ci_atas": hi,
                "rasio": v / p0 if p0 else None,
                "z": z,
            }
        )
    return pl.DataFrame(rows, schema=SKEMA)


def highlights(tabel: pl.DataFrame) -> list[dict]:
    """Rows that crossed a threshold: a group flagged at >= AMBANG_RASIO x the overall share
    (n >= MIN_KELOMPOK), a feature with PSI > AMBANG_PSI, an evaluator with |z| >= 3."""
    t = tabel.filter(
        (
            pl.col("bagian").str.starts_with("keadilan")
            & (pl.col("n") >= MIN_KELOMPOK)
            & (pl.col("rasio") >= AMBANG_RASIO)
        )
        | ((pl.col("bagian") == "drift_fitur") & (pl.col("nilai") > AMBANG_PSI))
        | ((pl.col("bagian") == "kelonggaran_penilai") & (pl.col("z").abs() >= 3))
    )
    return t.to_dicts()


def write(data: DataDir, kebenaran: pl.DataFrame | None = None) -> dict:
    """Compute over everything in the score files and write the two files; returns the
    summary."""
    a = score_files.load_anomaly_scores(data)
    w = score_files.load_warning_scores(data)
    periods = sorted(
        set(a["periode"].to_list() if a.height else [])
        | set(w["periode"].to_list() if w.height else [])
    )
    if not periods:
        return {"pesan": "Belum ada skor untuk dipantau."}
    kel = _groups(data, periods)
    tabel = compute(a, w, kel, kebenaran)
    registry.write_parquet_atomic(tabel, score_files.path(data, NAMA))
    ringkas = {
        "dibuat": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "periode": [periods[0], periods[-1]],
        "versi_model": {
            m: (x["model_versi"][0] if x.height and "model_versi" in x.columns else None)
            for m, x in (("anomali", a), ("peringatan", w))
        },
        "ambang": {
            "psi": AMBANG_PSI,
            "rasio_kelompok": AMBANG_RASIO,
            "min_kelompok": MIN_KELOMPOK,
            "z_penilai": 3,
            "min_dinilai": MIN_DINILAI,
        },
        "baris": tabel.height,
        "sorotan": highlights(tabel),
    }
    p = score_files.path(data, NAMA).with_suffix(".json")
    p.write_text(json.dumps(ringkas, indent=1, ensure_ascii=False, default=str) + "\n")
    ringkas["pesan"] = (
        f"{ribuan(tabel.height)} baris pemantauan, {ribuan(len(ringkas['sorotan']))} sorotan"
    )
    return ringkas
