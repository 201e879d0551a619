"""Run a suite of ``quality.suites`` with Great Expectations on a polars frame.

GX is imported lazily (it costs seconds) and runs on pandas frames only: GX against DuckDB via
SQLAlchemy reports false failures here, so marts are read with DuckDB into polars first.

Most suites pass. Before handing a frame to GX (a pandas copy of it, then per expectation tens
of milliseconds of GX bookkeeping, hundreds of suites in a year's run), each expectation is
decided in Polars with GX's own semantics (``certainly_passes``): only when every expectation of
the suite is certain to pass is the passing outcome written without GX; as soon as one might
fail, or its column, type or arguments are anything unusual, GX judges the whole suite as before
and its result is the outcome. Either way the outcome is the one GX gives.
"""

from __future__ import annotations

import os
import re
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


def run_suite(suite: Suite, frame: pl.DataFrame, *, always_gx: bool = False) -> list[CheckOutcome]:
    """Validate ``frame`` against ``suite``; one outcome per severity the suite has.

    Failing rows are located by ``suite.locate`` columns (file/line, nip/department) through
    GX's ``unexpected_index_column_names``. GX is skipped only when every expectation certainly
    passes (see the module doc); ``always_gx`` runs it anyway.
    """
    try:
        prepared = suite.prepare(frame) if suite.prepare is not None else frame
    except pl.exceptions.ColumnNotFoundError:
        prepared = frame  # the column-set expectation reports what is missing
    if not always_gx and all(certainly_passes(e, prepared) for e in suite.expectations):
        return _outcomes(suite, prepared, {s: [] for s in suite.severities})
    return _outcomes(suite, prepared, _gx_failures(suite, prepared))


def _gx_failures(suite: Suite, prepared: pl.DataFrame) -> dict[str, list[dict[str, Any]]]:
    """The failed expectations of ``suite`` on ``prepared`` as GX reports them, by severity."""
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
    return failures


def _outcomes(
    suite: Suite, prepared: pl.DataFrame, failures: dict[str, list[dict[str, Any]]]
) -> list[CheckOutcome]:
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
            text = (
                f"Semua {count} aturan {label} {suite.asset} periode {suite.periode} "
                f"terpenuhi ({prepared.height} baris)."
            )
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


# --- expectations decided without GX when they certainly pass ------------------------------------

_TEXT = (pl.String, pl.Categorical, pl.Enum)


def _series(frame: pl.DataFrame, name: Any) -> pl.Series | None:
    """The column if it is of a plain type that GX (through pandas) compares as Polars does."""
    if not isinstance(name, str) or name not in frame.columns:
        return None
    series = frame.get_column(name)
    dtype = series.dtype
    plain = (
        isinstance(dtype, _TEXT)
        or dtype in (pl.Boolean, pl.Date)
        or dtype.is_integer()
        or dtype.is_float()
        or isinstance(dtype, pl.Decimal | pl.Datetime)
    )
    if not plain or (isinstance(dtype, pl.Datetime) and dtype.time_zone is not None):
        return None
    if dtype.is_float() and series.is_nan().any():  # NaN is null to pandas, a value to Polars
        return None
    return series


def _has_duplicates(rows: pl.DataFrame) -> bool:
    """``rows.is_duplicated().any()`` without its hash table over every row (a 10x month's day
    rows: ~0.55 GB): equal rows have equal hashes, so rows whose sorted hashes never repeat are
    all distinct; only when two hashes meet are the rows themselves compared."""
    hashes = rows.hash_rows().sort()
    if not (hashes.slice(1) == hashes.head(-1)).any():
        return False
    return rows.is_duplicated().any()


def _numeric(series: pl.Series | None) -> bool:
    return series is not None and (
        series.dtype.is_numeric() or isinstance(series.dtype, pl.Decimal)
    )


def certainly_passes(exp: Exp, frame: pl.DataFrame) -> bool:
    """True only when GX would certainly report ``exp`` as met on ``frame``.

    The same semantics as GX on pandas: column-map expectations ignore null values (except
    not-null), regular expressions are Python's ``re.search`` (what pandas ``str.contains``
    does), pairs skip rows with a missing side. Anything else (an expectation type not listed,
    ``mostly``, a missing column, another type) is not certain: GX decides.
    """
    kw = exp.kwargs
    if "mostly" in kw or kw.get("strict_min") or kw.get("strict_max"):
        return False
    kind = exp.type
    if kind == "ExpectTableRowCountToBeBetween":
        lo, hi = kw.get("min_value"), kw.get("max_value")
        return (
            (lo is not None or hi is not None)
            and (lo is None or frame.height >= lo)
            and (hi is None or frame.height <= hi)
        )
    if kind == "ExpectTableColumnsToMatchSet":
        expected, actual = set(kw.get("column_set") or []), set(frame.columns)
        return expected <= actual and (not kw.get("exact_match", True) or actual <= expected)
    if kind == "ExpectColumnPairValuesAToBeGreaterThanB":
        a, b = _series(frame, kw.get("column_A")), _series(frame, kw.get("column_B"))
        if a is None or b is None or a.dtype != b.dtype or isinstance(a.dtype, _TEXT):
            return False
        if kw.get("ignore_row_if") != "either_value_is_missing":
            return False
        both = a.is_not_null() & b.is_not_null()
        broken = (a < b) if kw.get("or_equal") else (a <= b)
        return not (both & broken).any()
    if kind == "ExpectCompoundColumnsToBeUnique":
        columns = kw.get("column_list") or []
        if kw.get("ignore_row_if", "all_values_are_missing") != "all_values_are_missing":
            return False
        if not columns or any(_series(frame, c) is None for c in columns):
            return False
        rows = frame.select(columns).filter(~pl.all_horizontal(pl.all().is_null()))
        return not _has_duplicates(rows)
    series = _series(frame, kw.get("column"))
    if series is None:
        return False
    if kind == "ExpectColumnValuesToNotBeNull":
        return series.null_count() == 0
    values = series.drop_nulls()
    if kind == "ExpectColumnValuesToBeInSet":
        allowed = kw.get("value_set")
        if allowed is None or not (
            isinstance(series.dtype, _TEXT)
            or series.dtype == pl.Boolean
            or series.dtype.is_integer()
        ):
            return False
        allowed = set(allowed)
        return all(v in allowed for v in values.unique().to_list())
    if kind == "ExpectColumnValuesToBeBetween":
        lo, hi = kw.get("min_value"), kw.get("max_value")
        if (
            (lo is None and hi is None)
            or not _numeric(series)
            or isinstance(lo, str)
            or isinstance(hi, str)
        ):
            return False
        if values.len() == 0:
            return True
        return (lo is None or values.min() >= lo) and (hi is None or values.max() <= hi)
    if kind == "ExpectColumnValuesToMatchRegex":
        if not isinstance(series.dtype, _TEXT) or not isinstance(kw.get("regex"), str):
            return False
        pattern = re.compile(kw["regex"])
        return all(pattern.search(v) for v in values.unique().to_list())
    if kind == "ExpectColumnValuesToBeUnique":
        return not values.is_duplicated().any()
    return False
