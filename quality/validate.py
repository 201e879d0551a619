"""Run a suite of ``quality.suites`` with Great Expectations on a polars frame.

GX is imported lazily (it costs seconds) and runs on pandas frames only: GX against DuckDB via
SQLAlchemy reports false failures here, so marts are read with DuckDB into polars first.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import polars as pl

from quality.outcome import ERROR, CheckOutcome, fingerprint_of, json_safe
from quality.suites import Exp, Suite, check_name

PARTIAL_ROWS = 10  # failing values / rows GX reports per expectation
_lock = threading.Lock()  # GX contexts are not meant to be shared across threads


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    import great_expectations as gx

    return gx


_state: dict[str, object] = {"context": None, "n": 0}


def _context():
    """One ephemeral GX context per process (each creates a temporary docs folder)."""
    if _state["context"] is None:
        gx = _gx()
        context = gx.get_context(mode="ephemeral")
        try:
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context.variables.progress_bars = ProgressBarsConfig(
                globally=False, metric_calculations=False
            )
        except Exception:  # noqa: BLE001 - cosmetic only
            pass
        _state["context"] = context
    return _state["context"]


def _exception_text(info: dict | None) -> str | None:
    """GX puts exceptions either flat or keyed by metric id; return the first message."""
    if not info:
        return None
    if info.get("raised_exception"):
        return str(info.get("exception_message") or "kesalahan tidak dikenal")
    for value in info.values():
        if isinstance(value, dict) and value.get("raised_exception"):
            return str(value.get("exception_message") or "kesalahan tidak dikenal")
    return None


def _column_of(exp: Exp) -> str | None:
    kw = exp.kwargs
    if "column" in kw:
        return kw["column"]
    if "column_A" in kw:
        return f"{kw['column_A']},{kw['column_B']}"
    if "column_list" in kw:
        return ",".join(kw["column_list"])
    return None


def run_suite(suite: Suite, frame: pl.DataFrame) -> list[CheckOutcome]:
    """Validate ``frame`` against ``suite``; one outcome per severity the suite has.

    Failing rows are located by ``suite.locate`` columns (file/line, nip/department) through
    GX's ``unexpected_index_column_names``.
    """
    try:
        prepared = suite.prepare(frame) if suite.prepare is not None else frame
    except pl.exceptions.ColumnNotFoundError:
        prepared = frame  # the column-set expectation reports what is missing
    locate = [c for c in suite.locate if c in prepared.columns]
    pdf = prepared.to_pandas()
    gx = _gx()
    expectations = []
    for i, exp in enumerate(suite.expectations):
        cls = getattr(gx.expectations, exp.type)
        expectations.append(cls(**exp.kwargs, meta={"idx": i, "severity": exp.severity}))
    result_format: dict[str, Any] = {
        "result_format": "SUMMARY",
        "partial_unexpected_count": PARTIAL_ROWS,
    }
    if locate:
        result_format["unexpected_index_column_names"] = locate

    with _lock:
        context = _context()
        _state["n"] = n = int(_state["n"]) + 1
        name = f"{suite.name}_{n}"
        source = context.data_sources.add_pandas(f"sumber_{name}")
        try:
            batch = source.add_dataframe_asset(name).add_batch_definition_whole_dataframe("semua")
            gx_suite = context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
            definition = context.validation_definitions.add(
                gx.ValidationDefinition(name=f"validasi_{name}", data=batch, suite=gx_suite)
            )
            try:
                result = definition.run(
                    batch_parameters={"dataframe": pdf}, result_format=result_format
                )
            finally:
                context.validation_definitions.delete(f"validasi_{name}")
                context.suites.delete(name)
        finally:
            context.data_sources.delete(f"sumber_{name}")

    failures: dict[str, list[dict[str, Any]]] = {s: [] for s in suite.severities}
    for res in result.results:
        idx = int(res.expectation_config.meta["idx"])
        exp = suite.expectations[idx]
        if res.success:
            continue
        info = res.result or {}
        error = _exception_text(res.exception_info)
        item: dict[str, Any] = {
            "ekspektasi": exp.type,
            "kolom": _column_of(exp),
            "pesan": exp.pesan,
            "n_gagal": int(info.get("unexpected_count") or (0 if error else 1)),
        }
        if error:
            item["galat"] = error[:500]
        if info.get("partial_unexpected_list"):
            item["contoh_nilai"] = json_safe(info["partial_unexpected_list"][:PARTIAL_ROWS])
        if info.get("partial_unexpected_index_list"):
            item["contoh_baris"] = json_safe(info["partial_unexpected_index_list"][:PARTIAL_ROWS])
        if info.get("observed_value") is not None:
            item["teramati"] = json_safe(info["observed_value"])
        failures[exp.severity].append(item)

    outcomes = []
    for severity, failed in failures.items():
        failed.sort(key=lambda f: (f["kolom"] or "", f["ekspektasi"]))
        n = sum(f["n_gagal"] for f in failed)
        opd = sorted(
            {
                str(row["kode_opd"])
                for f in failed
                for row in f.get("contoh_baris", [])
                if isinstance(row, dict) and row.get("kode_opd")
            }
        )
        if failed:
            what = "; ".join(f"{f['pesan']} ({f['n_gagal']} baris)" for f in failed[:5])
            more = f"; dan {len(failed) - 5} aturan lain" if len(failed) > 5 else ""
            text = f"{len(failed)} aturan {suite.asset} periode {suite.periode} gagal: {what}{more}"
            ident = [
                (f["ekspektasi"], f["kolom"], f["n_gagal"], f.get("contoh_baris")) for f in failed
            ]
            fp = fingerprint_of([check_name(suite.name, severity), suite.periode, ident])
        else:
            label = "wajib" if severity == ERROR else "peringatan"
            count = sum(1 for e in suite.expectations if e.severity == severity)
            text = (f"Semua {count} aturan {label} {suite.asset} periode {suite.periode} "
                    f"terpenuhi ({prepared.height} baris).")  # fmt: skip
            fp = ""
        outcomes.append(
            CheckOutcome(
                check=check_name(suite.name, severity),
                asset=suite.asset,
                severity=severity,
                periode=suite.periode,
                passed=not failed,
                n_failed=n,
                description=text,
                details={"baris_diperiksa": prepared.height, "gagal": failed},
                kode_opd=tuple(opd),
                fingerprint=fp,
            )
        )
    return outcomes
