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
import time

MODULES = (
    "numpy", "pyarrow", "pandas", "pandas.io.formats.style", "polars", "duckdb", "altair",
    "jsonschema", "jinja2",
    "app.format", "app.data", "app.charts", "app.ui", "app.auth", "app.audit", "app.users",
    "app.sesi", "orchestration.published", "orchestration.periods", "orchestration.whatif",
    "orchestration.nominatif", "quality.history", "quality.alerts", "models.skor",
)  # fmt: skip


def warm() -> dict[str, float]:
    """Import ``MODULES`` and run each heavy library once; returns seconds per step."""
    took: dict[str, float] = {}
    t0 = time.perf_counter()
    # (cached functions declared before the runtime exists make Streamlit log "No runtime
    # found" once each: harmless, their storage is made at the first call, in the runtime)
    for name in MODULES:
        with contextlib.suppress(ImportError):  # an optional part not installed
            importlib.import_module(name)
    took["imports"] = time.perf_counter() - t0

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
    pdf.style.format({"persen": fmt.angka}).to_html()
    charts.tren(frame, {"persen": "Persen"})
    alt.Chart(frame).mark_bar().encode(x="periode:N", y="persen:Q").to_dict()
    with duckdb.connect() as con:
        con.sql("select 1 as x").pl()
    took["exercise"] = time.perf_counter() - t0
    return took
