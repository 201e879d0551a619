"""Issue 20, the cost of the model job: the faster code computes exactly what the old code did.

The old anomaly features are kept as an oracle (``tests/fitur_lama.py``: the whole window on one
connection, the bucket self-join of the colleague pairing); the old early-warning fit is kept
here (``Pipeline.fit``, then the spline basis computed again for the per-feature terms). On a
small simulated population (400 ASN x 6 months, work schedules on) both must give identical
tables and identical risks. The full-year proof is ``models/compare.py`` (see
``docs/models/evaluation.md``).
"""

import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import SplineTransformer
from threadpoolctl import threadpool_limits

from models import early_warning, pipeline, recap
from models.features import anomaly_features, tap_pairs
from tests import fitur_lama
from tests.test_models import PERIODS, sim  # noqa: F401  (module fixture)


def test_features_equal_the_pre_issue_20_code(sim):  # noqa: F811
    _, data, _ = sim
    baru = anomaly_features(data, PERIODS)
    lama = fitur_lama.fitur_anomali(data, PERIODS)
    assert baru.schema == lama.schema
    assert baru.height == lama.height > 0
    assert baru["hari_titip"].max() >= 10  # planted buddy punching is in the sample
    for col in baru.columns:
        assert baru[col].equals(lama[col]), col


def test_features_of_one_month_equal_that_month_of_the_window(sim):  # noqa: F811
    """A month's features depend only on that month and the one before (the cache's key)."""
    _, data, _ = sim
    semua = anomaly_features(data, PERIODS)
    satu = anomaly_features(data, PERIODS[2:3])
    assert satu.equals(semua.filter(pl.col("periode") == PERIODS[2]))


def _semua_pasangan(k, s, w) -> set[tuple[int, int]]:
    n = len(s)
    return {
        (i, j)
        for i in range(n)
        for j in range(n)
        if i != j and k[i] == k[j] and 0 <= s[i] - s[j] <= w
    }


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 60)), max_size=40))
def test_pairing_by_sorting_finds_every_pair_within_the_window(taps):
    """Every (follower, leader) on the same key at most w seconds apart, ties both ways, a
    duplicate tap paired like any other: what the bucket self-join found."""
    taps = sorted(taps)
    k = np.array([t[0] for t in taps], dtype=np.uint64)
    s = np.array([t[1] for t in taps], dtype=np.int64)
    ikut, pimpin = tap_pairs(k, s, 10)
    pairs = list(zip(ikut.tolist(), pimpin.tolist(), strict=True))
    assert len(pairs) == len(set(pairs))
    assert set(pairs) == _semua_pasangan(k, s, 10)


def _latih_lama(train, seed, c=0.3, awal=None):
    """The pre-issue-20 ``early_warning.latih``: ``Pipeline.fit``, then the basis again (with
    the solver of today: what is pinned here is the fit's steps, not the optimiser)."""
    lr = LogisticRegression(
        C=c,
        solver=early_warning.SOLVER,
        max_iter=100,
        random_state=seed,
        warm_start=awal is not None,
    )
    if awal is not None:
        lr.coef_ = awal.model.named_steps["lr"].coef_.copy()
        lr.intercept_ = awal.model.named_steps["lr"].intercept_.copy()
    pipe = Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("spline", SplineTransformer(n_knots=5, degree=3, extrapolation="constant")),
            ("lr", lr),
        ]
    )
    model = early_warning.WarningModel(seed, pipe, {})
    x = model._x(train)
    with threadpool_limits(1, user_api="blas"):
        pipe.fit(x, train["label"].to_numpy())
    model.pusat = model._terms(x).mean(axis=0).tolist()
    model.baseline = early_warning.baseline(train)
    model.rata = Pipeline(
        [
            ("impute", SimpleImputer(strategy="median", keep_empty_features=True)),
            ("lr", LogisticRegression(max_iter=1000, random_state=seed)),
        ]
    )
    with threadpool_limits(1, user_api="blas"):
        model.rata.fit(
            train.select(
                pl.col(c).cast(pl.Float64) for c in early_warning.RATA_PENILAIAN
            ).to_numpy(),
            train["label"].to_numpy(),
        )
    return model


def test_early_warning_fit_equals_the_pipeline_fit(sim):  # noqa: F811
    _, data, _ = sim
    ds, _ = pipeline.warning_dataset(data, PERIODS)
    lab = ds.filter(pl.col("label").is_not_null())
    train, test, _ = early_warning.split_by_time(ds, 1)
    uji_baru = early_warning.train(train, 42, suku=False)
    uji_lama = _latih_lama(train, 42)
    for f in ("prob", "prob_mean_rating", "prob_baseline"):
        assert np.array_equal(getattr(uji_baru, f)(test), getattr(uji_lama, f)(test)), f
    baru = early_warning.train(lab, 42, awal=uji_baru)
    lama = _latih_lama(lab, 42, awal=uji_lama)
    lr_baru, lr_lama = (m.model.named_steps["lr"] for m in (baru, lama))
    assert np.array_equal(lr_baru.coef_, lr_lama.coef_)
    assert np.array_equal(lr_baru.intercept_, lr_lama.intercept_)
    assert baru.pusat == lama.pusat
    assert baru.info["pengaruh"] == lama.influence(lab)
    assert np.array_equal(baru.prob(ds), lama.prob(ds))
    assert np.array_equal(baru.contributions(ds), lama.contributions(ds))
    assert early_warning.reasons(baru, ds) == _alasan_lama(lama, ds)
    assert early_warning.reasons(baru, ds.clear()) == []  # a month with no row to word


def _alasan_lama(model, df, maks=3):
    """The pre-issue-20 ``early_warning.reasons``: row by row in Python."""
    kon = model.contributions(df)
    nilai = df.select(model.fitur).to_numpy()
    order = np.argsort(-kon, axis=1, kind="stable")[:, :maks]
    out = []
    for i in range(len(df)):
        parts = [
            early_warning._sentence(model.fitur[j], nilai[i, j])
            for j in order[i]
            if kon[i, j] > 0.1
        ]
        out.append("; ".join(parts) or "Tidak ada faktor tunggal yang menonjol")
    return out


def _penalised_loss(model, df) -> float:
    """The objective the logistic regression minimises: log-loss summed over the rows plus
    the L2 penalty of the coefficients (not the intercept), 1 / (2C) of their squares."""
    lr = model.model.named_steps["lr"]
    z = model.model[:-1].transform(model._x(df)) @ lr.coef_[0] + lr.intercept_[0]
    y = df["label"].to_numpy()
    return float(np.sum(np.logaddexp(0, z) - y * z) + np.sum(lr.coef_**2) / (2 * lr.C))


def test_early_warning_fit_reaches_the_optimum(sim):  # noqa: F811
    """Cold and warm-started, the fit is at the minimum of its objective: no lower than an
    L-BFGS run to a tight tolerance finds. (scikit-learn's default L-BFGS stops short of it,
    by ~11 of ~38,300 on the year, by more than 1e-6 relative here.)"""
    _, data, _ = sim
    ds, _ = pipeline.warning_dataset(data, PERIODS)
    lab = ds.filter(pl.col("label").is_not_null())
    train, _, _ = early_warning.split_by_time(ds, 1)
    uji = early_warning.train(train, 42, suku=False)
    akhir = early_warning.train(lab, 42, awal=uji)
    for model, df in ((uji, train), (akhir, lab)):
        teliti = LogisticRegression(C=0.3, tol=1e-12, max_iter=20_000)
        teliti.fit(model.model[:-1].transform(model._x(df)), df["label"].to_numpy())
        acuan = early_warning.WarningModel(
            42, Pipeline([*model.model.steps[:-1], ("lr", teliti)]), {}
        )
        assert _penalised_loss(model, df) <= _penalised_loss(acuan, df) * (1 + 1e-6)


def test_early_warning_fits_on_one_blas_thread_whatever_the_machine(sim, monkeypatch):  # noqa: F811
    """numpy's BLAS thread count changes the sums of the fit's matrix products (~1e-11 in the
    risks): every BLAS library (numpy's and scipy's) runs one thread during each fit, so a
    refit on another machine gives the same artefact."""
    from threadpoolctl import threadpool_info

    _, data, _ = sim
    ds, _ = pipeline.warning_dataset(data, PERIODS)
    lab = ds.filter(pl.col("label").is_not_null())

    def blas() -> dict[str, int]:
        return {
            i["filepath"]: i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"
        }

    seen = []
    fit = LogisticRegression.fit

    def spy(self, *args, **kwargs):
        seen.append(blas())
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(LogisticRegression, "fit", spy)
    with threadpool_limits(2, user_api="blas"):  # a machine with two cores, whatever this is
        before = blas()
        early_warning.train(lab, 42)
        assert blas() == before  # restored afterwards
    assert before and all(n == 2 for n in before.values())
    assert len(seen) == 2  # the spline model and the mean-rating baseline
    assert all(n == 1 for s in seen for n in s.values())


def test_median_imputer_equals_simple_imputer_bit_for_bit():
    rng = np.random.default_rng(7)
    x = rng.normal(size=(2001, 4)).round(1)
    x[rng.random(x.shape) < 0.3] = np.nan
    x[:, 3] = np.nan  # a column with no value: 0, as keep_empty_features=True
    x[:1000, 2] = -0.0
    lama = SimpleImputer(strategy="median", keep_empty_features=True).fit(x)
    baru = early_warning.MedianImputer().fit(x)
    assert baru.statistics_.tobytes() == lama.statistics_.tobytes()
    y = rng.normal(size=(50, 4))
    y[::3] = np.nan
    assert baru.transform(y).tobytes() == lama.transform(y).tobytes()


def test_early_warning_dataset_computed_once_for_training_and_scoring(sim):  # noqa: F811
    _, data, _ = sim
    a = pipeline.warning_dataset(data, PERIODS)
    assert pipeline.warning_dataset(data, PERIODS) is a  # the same inputs: shared
    rk, asal = recap.recap(data, PERIODS)
    assert a[1] == asal
    assert a[0].equals(early_warning.dataset(rk))
    b = pipeline.warning_dataset(data, PERIODS[:-1])  # other months: computed
    assert b is not a and b[0]["periode"].max() == PERIODS[-2]


def test_forest_built_and_scored_on_two_threads_equals_one_thread_bit_for_bit(sim):  # noqa: F811
    """``anomaly.forest_score`` splits the rows in two halves on two threads: every row's score
    is the one ``score_samples`` gives on all rows at once."""
    from models import anomaly

    _, data, _ = sim
    fitur = anomaly_features(data, PERIODS)
    model = anomaly.train(fitur, seed=42)
    z = model.z(fitur)
    # enough rows for the threaded path: the population's rows, shifted a little each time
    rng = np.random.default_rng(7)
    banyak = np.vstack([z + rng.normal(0, 0.3, z.shape).clip(0) for _ in range(12)])
    assert len(banyak) >= anomaly.BARIS_PARALEL
    sekali = -model.forest.score_samples(banyak)
    assert np.array_equal(anomaly.forest_score(model.forest, banyak), sekali)
    assert np.array_equal(anomaly.forest_score(model.forest, z), -model.forest.score_samples(z))
    assert len(np.unique(sekali)) > 1000  # real scores, not a constant
    # the forest is built on two threads: the same trees as on one
    from sklearn.base import clone

    satu = clone(model.forest).set_params(n_jobs=1).fit(z)
    assert model.forest.n_jobs == 2
    assert np.array_equal(satu.score_samples(banyak), model.forest.score_samples(banyak))
