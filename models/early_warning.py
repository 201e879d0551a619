"""Early warning: the risk that an employee's NEXT monthly evaluation is BUTUH_PERBAIKAN or worse.

One row per (periode t, nip) with what is known at the end of month t (this month's attendance,
the trend over the last months, the evaluations so far); the label is the predikat of month t+1.
Training and test are split by time (train on earlier months, test on later ones, never at
random). The model is an additive logistic regression on cubic splines of each feature (a GAM:
each feature's effect may bend, the log-odds is still a sum of one term per feature, so every
risk splits exactly into per-feature contributions that become the reasons); the baseline is
last month's predikat alone.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
import polars as pl
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import SplineTransformer
from threadpoolctl import threadpool_limits

BURUK = ("BUTUH_PERBAIKAN", "KURANG", "SANGAT_KURANG")
URUT_PREDIKAT = {"SANGAT_BAIK": 0, "BAIK": 1, "BUTUH_PERBAIKAN": 2, "KURANG": 3, "SANGAT_KURANG": 4}
TANPA = "TANPA_PENILAIAN"
JENDELA = 3  # months of the recent trend
SOLVER = "newton-cholesky"  # of the spline logistic regression (see train)

# Stationary measures only: a cumulative count grows with the months seen, so a model trained
# on early months would over-react to it later (it did: reliability fell apart).
FITUR = (
    "tk",
    "tl",
    "psw",
    "persen_disiplin",
    "disiplin_rata3",
    "tren_disiplin",
    "nilai_hasil",
    "nilai_perilaku",
    "tanpa_penilaian",
    "porsi_buruk",
    "buruk_3",
    "rata_nilai_hasil",
    "rata_nilai_perilaku",
)
LABEL_FITUR = {
    "tk": "TK bulan ini {v} hari",
    "tl": "terlambat bulan ini {v} hari",
    "psw": "pulang cepat bulan ini {v} hari",
    "persen_disiplin": "disiplin bulan ini {v} %",
    "disiplin_rata3": "rata-rata disiplin 3 bulan {v} %",
    "tren_disiplin": "disiplin berubah {v} poin dari 3 bulan sebelumnya",
    "nilai_hasil": "rating hasil kerja bulan ini {v}",
    "nilai_perilaku": "rating perilaku bulan ini {v}",
    "tanpa_penilaian": "tidak ada penilaian FINAL bulan ini",
    "porsi_buruk": "{v} % predikat sejauh ini di bawah BAIK",
    "buruk_3": "{v} predikat di bawah BAIK dalam 3 bulan terakhir",
    "rata_nilai_hasil": "rata-rata rating hasil kerja {v}",
    "rata_nilai_perilaku": "rata-rata rating perilaku {v}",
}
RATING_TEKS = {0: "DI_ATAS", 1: "SESUAI", 2: "DI_BAWAH"}
RATA_PENILAIAN = ("rata_nilai_hasil", "rata_nilai_perilaku")


def dataset(rekap: pl.DataFrame) -> pl.DataFrame:
    """Features at the end of each month and the label of the month after (null: unknown).

    Trends run over the employee's own rows: a month missing from the master is skipped, and a
    label exists only when the very next calendar month has a FINAL evaluation.
    """
    r = rekap.sort("nip", "periode").with_columns(
        tl=pl.sum_horizontal("tl1", "tl2", "tl3", "tl4"),
        tl_berat=pl.col("tl3") + pl.col("tl4"),
        psw=pl.sum_horizontal("psw1", "psw2", "psw3", "psw4"),
        psw_berat=pl.col("psw3") + pl.col("psw4"),
        porsi_hadir=pl.col("hadir") / pl.col("hari_efektif").clip(lower_bound=1),
        menit_terlambat_per_hadir=pl.col("menit_terlambat") / pl.col("hadir").clip(lower_bound=1),
        nilai_predikat=pl.col("predikat").replace_strict(URUT_PREDIKAT, default=None),
        buruk=pl.col("predikat").is_in(BURUK).cast(pl.Int8).fill_null(0),
        dinilai=pl.col("predikat").is_not_null().cast(pl.Int8),
        tanpa_penilaian=pl.col("predikat").is_null().cast(pl.Int8),
    )
    per = pl.col("nip")
    r = r.with_columns(
        **{
            f"{c}_rata3": pl.col(src).rolling_mean(JENDELA, min_samples=1).over(per)
            for c, src in (
                ("tk", "tk"),
                ("tl", "tl"),
                ("psw", "psw"),
                ("disiplin", "persen_disiplin"),
            )
        },
        _tk_lalu=pl.col("tk").shift(1).rolling_mean(JENDELA, min_samples=1).over(per),
        _disiplin_lalu=pl.col("persen_disiplin")
        .shift(1)
        .rolling_mean(JENDELA, min_samples=1)
        .over(per),
        jumlah_buruk=pl.col("buruk").cum_sum().over(per),
        bulan_dinilai=pl.col("dinilai").cum_sum().over(per),
        buruk_3=pl.col("buruk").rolling_sum(JENDELA, min_samples=1).over(per),
        rata_nilai_hasil=_cumulative_mean("nilai_hasil"),
        rata_nilai_perilaku=_cumulative_mean("nilai_perilaku"),
        _periode_next=pl.col("periode").shift(-1).over(per),
        _predikat_next=pl.col("predikat").shift(-1).over(per),
    ).with_columns(
        tren_tk=pl.col("tk") - pl.col("_tk_lalu"),
        tren_disiplin=pl.col("persen_disiplin") - pl.col("_disiplin_lalu"),
        porsi_buruk=pl.col("jumlah_buruk") / pl.col("bulan_dinilai").clip(lower_bound=1),
        periode_target=(pl.col("periode") + "-01")
        .str.to_date()
        .dt.offset_by("1mo")
        .dt.strftime("%Y-%m"),
    )
    known = (pl.col("_periode_next") == pl.col("periode_target")) & pl.col(
        "_predikat_next"
    ).is_not_null()
    return r.with_columns(
        predikat_target=pl.when(known).then("_predikat_next"),
        label=pl.when(known).then(pl.col("_predikat_next").is_in(BURUK).cast(pl.Int8)),
    ).select(
        "periode",
        "periode_target",
        "nip",
        "kode_opd",
        "predikat",
        *FITUR,
        "predikat_target",
        "label",
    )


def _cumulative_mean(col: str) -> pl.Expr:
    n = pl.col(col).is_not_null().cast(pl.Int32).cum_sum().over("nip")
    return pl.col(col).fill_null(0).cum_sum().over("nip") / n.clip(lower_bound=1)


def split_by_time(ds: pl.DataFrame, bulan_uji: int) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    """Labelled rows split by time: the last ``bulan_uji`` label months are the test set.

    Returns (train, test, test periods). Every test row's feature month and label month are
    later than every training row's label month, so nothing of the test period is seen.
    """
    lab = ds.filter(pl.col("label").is_not_null())
    periods = sorted(lab["periode"].unique().to_list())
    if len(periods) < bulan_uji + 1:
        raise ValueError(
            f"butuh sedikitnya {bulan_uji + 1} bulan berlabel, baru ada {len(periods)}"
        )
    uji = periods[-bulan_uji:]
    # the last training row's label month is the first test feature month
    latih = lab.filter(pl.col("periode") < uji[0]).filter(pl.col("periode_target") <= uji[0])
    return latih, lab.filter(pl.col("periode").is_in(uji)), uji


class MedianImputer(TransformerMixin, BaseEstimator):
    """A missing value (NaN) becomes its column's median in training; a column with no value at
    all becomes 0. What ``SimpleImputer(strategy="median", keep_empty_features=True)`` does, with
    the same medians bit for bit (``tests/test_models_biaya.py``), from ``np.nanmedian``:
    SimpleImputer's masked-array median took 0.5 s of CPU per fit on a year, this 0.02 s."""

    def fit(self, X, y=None):
        X = np.asarray(X, dtype=np.float64)
        with warnings.catch_warnings():
            # "All-NaN slice encountered": a column with no value, 0 below
            warnings.simplefilter("ignore", RuntimeWarning)
            median = np.nanmedian(X, axis=0)
        self.statistics_ = np.where(np.isnan(median), 0.0, median)
        self.n_features_in_ = X.shape[1]
        return self

    def transform(self, X):
        X = np.asarray(X, dtype=np.float64)
        return np.where(np.isnan(X), self.statistics_, X)


@dataclass
class WarningModel:
    seed: int
    model: Pipeline
    baseline: dict[str, float]  # predikat of this month (or TANPA) -> observed risk
    fitur: tuple[str, ...] = FITUR
    pusat: list[float] = field(default_factory=list)  # mean term per feature in training
    info: dict = field(default_factory=dict)
    # the baseline the model does not beat (docs/models/evaluation.md): a logistic regression
    # on the running averages of the two ratings
    rata: Pipeline | None = None

    def _x(self, df: pl.DataFrame) -> np.ndarray:
        return df.select(pl.col(c).cast(pl.Float64) for c in self.fitur).to_numpy()

    def prob(self, df: pl.DataFrame) -> np.ndarray:
        return self.model.predict_proba(self._x(df))[:, 1]

    def prob_mean_rating(self, df: pl.DataFrame) -> np.ndarray:
        """Risk from the average of past ratings alone (the strong baseline)."""
        x = df.select(pl.col(c).cast(pl.Float64) for c in RATA_PENILAIAN).to_numpy()
        return self.rata.predict_proba(x)[:, 1]

    def prob_baseline(self, df: pl.DataFrame) -> np.ndarray:
        key = df["predikat"].fill_null(TANPA)
        fallback = self.baseline.get("_semua", 0.0)
        return key.replace_strict(
            self.baseline, default=fallback, return_dtype=pl.Float64
        ).to_numpy()

    def contributions(self, df: pl.DataFrame) -> np.ndarray:
        """(rows × features): each feature's term of the log-odds, relative to its average
        term in training (positive = raises the risk)."""
        return self._terms(self._x(df)) - np.asarray(self.pusat)

    def _terms(self, x: np.ndarray) -> np.ndarray:
        imp, spline = (self.model.named_steps[k] for k in ("impute", "spline"))
        return self._basis_terms(spline.transform(imp.transform(x)))

    def _basis_terms(self, basis: np.ndarray) -> np.ndarray:
        """The per-feature terms of the log-odds from the spline basis of the rows."""
        lr = self.model.named_steps["lr"]
        n, p = basis.shape[0], len(self.fitur)
        return (basis.reshape(n, p, -1) * lr.coef_[0].reshape(p, -1)).sum(axis=2)

    def influence(self, df: pl.DataFrame) -> dict[str, float]:
        """Spread (std) of each feature's term on ``df``: how much it moves risks."""
        return self._influence(self.contributions(df))

    def _influence(self, kontribusi: np.ndarray) -> dict[str, float]:
        sd = kontribusi.std(axis=0)
        return {f: round(float(v), 4) for f, v in zip(self.fitur, sd, strict=True)}


def train(
    train: pl.DataFrame,
    seed: int,
    c: float = 0.3,
    awal: WarningModel | None = None,
    suku: bool = True,
) -> WarningModel:
    """Fit the spline logistic regression and the baseline table on labelled rows.

    ``awal``: a model fitted on part of these rows (the time split's); its coefficients start
    the optimiser (warm start), which then needs a fraction of the iterations.

    The pipeline's steps are fitted one by one (what ``Pipeline.fit`` does), so that the
    spline basis of the training rows is computed once: the mean term per feature
    (``pusat``) and the spread on the training rows (``info["pengaruh"]``, what
    ``pengaruh(train)`` gives) come from it instead of transforming the rows again.
    ``suku=False`` leaves both out (a model that only scores, never words a reason: the time
    split's).
    """
    # every BLAS on one thread: the fit is then the same bit for bit on any machine (numpy's
    # thread count changes the sums of the Hessian's products, ~1e-11 in the risks), and two
    # threads gained nothing on a 2-core machine running DuckDB beside it (wall 1.4-2.7 s
    # against 1.7-2.3 s for the year's two fits, CPU 2.4-3.4 against 1.7-2.2 s)
    with threadpool_limits(1, user_api="blas"):
        return _train(train, seed, c, awal, suku)


def _train(train, seed, c, awal, suku) -> WarningModel:
    # Newton-Cholesky: a 91-column basis is small for Newton steps, and it reaches the optimum
    # in ~5 steps (2 from a warm start); L-BFGS at its default tolerance stopped ~40 steps in,
    # short of it (the year's penalised loss 38,348.4 against 38,337.0)
    lr = LogisticRegression(
        C=c,
        solver=SOLVER,
        max_iter=100,
        random_state=seed,
        warm_start=awal is not None,
    )
    if awal is not None:
        lr.coef_ = awal.model.named_steps["lr"].coef_.copy()
        lr.intercept_ = awal.model.named_steps["lr"].intercept_.copy()
    imp = MedianImputer()
    spline = SplineTransformer(n_knots=5, degree=3, extrapolation="constant")
    pipe = Pipeline([("impute", imp), ("spline", spline), ("lr", lr)])
    model = WarningModel(seed, pipe, {})
    basis = spline.fit_transform(imp.fit_transform(model._x(train)))
    lr.fit(basis, train["label"].to_numpy())
    if suku:
        terms = model._basis_terms(basis)
        model.pusat = terms.mean(axis=0).tolist()
        model.info["pengaruh"] = model._influence(terms - np.asarray(model.pusat))
    model.baseline = baseline(train)
    model.rata = Pipeline(
        [
            ("impute", MedianImputer()),
            ("lr", LogisticRegression(max_iter=1000, random_state=seed)),
        ]
    ).fit(
        train.select(pl.col(c).cast(pl.Float64) for c in RATA_PENILAIAN).to_numpy(),
        train["label"].to_numpy(),
    )
    return model


def baseline(train: pl.DataFrame) -> dict[str, float]:
    """Observed share of a bad next predikat per this month's predikat (Laplace-smoothed)."""
    rate = float(train["label"].mean() or 0.0)
    tab = train.group_by(pl.col("predikat").fill_null(TANPA)).agg(
        n=pl.len(), k=pl.col("label").sum()
    )
    out = {r["predikat"]: (r["k"] + rate) / (r["n"] + 1) for r in tab.iter_rows(named=True)}
    return {**out, "_semua": rate}


def reasons(model: WarningModel, df: pl.DataFrame, maks: int = 3) -> list[str]:
    """The strongest risk-raising terms of each row (coefficient × standardised value), in words.

    This is exactly how the model adds up the risk, so the reason is faithful to the model; it
    is not a cause. Set-wise: the terms above 0.1 among each row's ``maks`` largest, each
    distinct (feature, value) worded once (most values repeat), joined per row.
    """
    if df.is_empty():  # scikit-learn's transforms refuse zero rows
        return []
    kon = model.contributions(df)
    nilai = df.select(pl.col(c).cast(pl.Float64) for c in model.fitur).to_numpy()
    n = kon.shape[0]
    order = np.argsort(-kon, axis=1, kind="stable")[:, :maks]
    baris = np.repeat(np.arange(n), order.shape[1])
    j = order.ravel()
    naik = kon[baris, j] > 0.1
    baris, j = baris[naik], j[naik]
    # the value's bits, not the float: -0.0 is worded "-0,0", 0.0 "+0,0"
    bit = np.ascontiguousarray(nilai[baris, j]).view(np.uint64)
    bagian = pl.DataFrame({"baris": baris, "j": j, "bit": bit})
    kata = bagian.select("j", "bit").unique(maintain_order=True)
    kata = kata.with_columns(
        teks=pl.Series(
            [
                _sentence(model.fitur[a], float(v))
                for a, v in zip(kata["j"], kata["bit"].to_numpy().view(np.float64), strict=True)
            ],
            dtype=pl.String,
        )
    )
    per_baris = (
        bagian.join(kata, on=["j", "bit"], how="left", maintain_order="left")
        .group_by("baris", maintain_order=True)
        .agg(pl.col("teks").str.join("; "))
    )
    out = np.full(n, "Tidak ada faktor tunggal yang menonjol", dtype=object)
    out[per_baris["baris"].to_numpy()] = per_baris["teks"].to_numpy()
    return out.tolist()


def _sentence(f: str, v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return LABEL_FITUR[f].format(v="-")
    if f in ("nilai_hasil", "nilai_perilaku"):
        v = RATING_TEKS.get(int(v), "-")
    elif f == "porsi_buruk":
        v = round(100 * float(v))
    elif f == "tren_disiplin":
        v = f"{float(v):+.1f}".replace(".", ",")
    elif f.startswith("rata_nilai"):
        v = f"{float(v):.1f}".replace(".", ",") + " (0 = DI_ATAS, 2 = DI_BAWAH)"
    elif float(v).is_integer():
        v = int(v)
    else:
        v = f"{float(v):.1f}".replace(".", ",")
    return LABEL_FITUR[f].format(v=v)
