"""Warm imports: load and exercise the heavy modules once, before the server takes sessions.

Streamlit runs each session's script in its own thread. When the first sessions of a freshly
started server import pandas, Polars, Altair or pyarrow at the same moment, one thread can see
a module another is still initialising ("partially initialized module 'pandas' has no attribute
'Timestamp'"). ``warm()`` imports them (and the lazily imported parts the pages use: pandas'
Styler, Altair's schema validation, Polars' pandas conversion, DuckDB) in the server process
before it listens, so no session ever imports them for the first time.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import time

from orchestration.core.formatting import detik

MODULES = (
    "numpy",
    "pyarrow",
    "pandas",
    "pandas.io.formats.style",
    "polars",
    "duckdb",
    "altair",
    "jsonschema",
    "jinja2",
    "app.format",
    "app.data",
    "app.charts",
    "app.ui",
    "app.auth",
    "app.audit",
    "app.users",
    "app.sessions",
    "orchestration.core.published",
    "orchestration.periods",
    "orchestration.whatif",
    "orchestration.nominatif",
    "quality.history",
    "quality.alerts",
    "models.score_files",
)


def object_strings() -> bool:
    """pandas strings as plain Python objects in this process, not pandas 3's Arrow-backed
    ``str`` dtype; False where the option is gone (pandas 4).

    Every table goes through a pandas Styler (``app.ui.table``: ``Rp 4.324.000`` shown, the
    number kept for sorting), and Streamlit turns each Styler cell into a string column
    (``astype(str)``, then a cell-by-cell assignment) before sending it. With Arrow-backed
    strings that was ~45 % of a table's server time: 10 % of the server's CPU under 30
    sessions (docs/app-load.md). The app uses pandas for nothing else. The option is deprecated
    and pandas 4 removes it: the tables then take the slower path, unchanged on screen."""
    import warnings

    import pandas as pd

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "deprecated, removed in pandas 4.0"
            pd.set_option("future.infer_string", False)
    except pd.errors.OptionError:
        return False
    return True


def warm() -> dict[str, float]:
    """Import ``MODULES`` and run each heavy library once; returns seconds per step."""
    took: dict[str, float] = {}
    t0 = time.perf_counter()
    # cached functions declared before the runtime exists make Streamlit log "No runtime found"
    # (in English, on the operator's console) once each: harmless, their storage is made at
    # the first call, in the runtime; that logger is quiet while the modules load
    from streamlit.logger import get_logger

    cache_log = get_logger("streamlit.runtime.caching.cache_data_api")
    level = cache_log.level
    cache_log.setLevel(logging.ERROR)
    try:
        for name in MODULES:
            with contextlib.suppress(ImportError):  # an optional part not installed
                importlib.import_module(name)
    finally:
        cache_log.setLevel(level)
    took["impor"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    import altair as alt
    import duckdb
    import polars as pl

    from app import charts
    from app import format as fmt

    frame = pl.DataFrame(
        {"periode": ["2025-01", "2025-02"], "persen": [92.5, 93.0], "nip": ["1" * 18, None]}
    )
    pdf = frame.with_columns(fmt.nip_expr(pl.col("nip")).alias("nip")).to_pandas()
    pdf.style.format({"persen": fmt.number}).to_html()
    charts.trend(frame, {"persen": "Persen"})
    alt.Chart(frame).mark_bar().encode(x="periode:N", y="persen:Q").to_dict()
    with duckdb.connect() as con:
        con.sql("select 1 as x").pl()
    took["uji_jalan"] = time.perf_counter() - t0
    return took


def warm_data(data_dir, log=print) -> dict[str, float]:
    """Compute the queries of the home page and of every department page for the newest period
    (``app.data``'s process cache), so the first sessions after a start or a publish find them.
    """
    from app.data import Data, Scope
    from app.users import ANALIS

    t0 = time.perf_counter()
    d = Data(data_dir, Scope("pemanasan", ANALIS))
    if not d.exists:
        return {}
    periode = d.periods[-1]
    with d.one_connection():
        d.kpi_per_periode()
        d.opd_periode(periode)
        d.opd_periode()
        d.needs_attention(periode, None, batas=25)
        d.finance_periods()
        d.temuan_per_periode()
        opd = d.opd_list()["kode_opd"].to_list()
        for kode in opd:
            d.kpi_per_periode(kode)
            d.disiplin_distribution(periode, kode)
            d.predikat_distribution(periode, kode)
            d.per_weekday(periode, kode)
            d.arrival_times(periode, kode)
            d.needs_attention(periode, kode)
            if dict(d.pola_kerja(periode, kode).iter_rows()).get("SHIFT"):
                d.roster(periode, kode)
    took = {"data": time.perf_counter() - t0}
    log(f"cache {d.snapshot.id}: {len(opd)} Perangkat Daerah, {detik(took['data'])}")
    return took


def keep_warm(data_dir, every: float = 5.0, log=print, seen=None) -> None:
    """Background thread body: warm the data of each new snapshot as soon as it is published
    (``seen``: the snapshot folder already warmed)."""
    from orchestration.core.published import resolve_current

    while True:
        try:
            current = resolve_current(data_dir)
            if current is not None and current != seen:
                warm_data(data_dir, log)
                seen = current
        except Exception as error:  # noqa: BLE001 - warming is an optimisation, never fatal
            log(f"pemanasan cache gagal: {type(error).__name__}: {error}")
        time.sleep(every)
