"""The result of one data-quality check for one period, and how to build one from failing rows."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from orchestration.core.formatting import ribuan

ERROR = "ERROR"  # blocking: nothing downstream is built or published
WARN = "WARN"  # reported, does not block
SEVERITIES = (ERROR, WARN)

SAMPLE_ROWS = 20  # failing rows kept in details (the count is always exact)


@dataclass(frozen=True)
class CheckOutcome:
    """One check, one period.

    ``description`` is a plain Bahasa Indonesia sentence for people; ``details`` is JSON-safe
    (samples of failing rows with file/line where known, thresholds, per-department figures);
    ``fingerprint`` identifies *this* failure (which rows failed), so the same failure is not
    alerted twice while a different failure of the same check is.
    """

    check: str
    asset: str
    severity: str
    periode: str
    passed: bool
    n_failed: int
    description: str
    details: dict[str, Any] = field(default_factory=dict)
    kode_opd: tuple[str, ...] = ()
    fingerprint: str = ""

    @property
    def blocks(self) -> bool:
        return self.severity == ERROR and not self.passed


def json_safe(value: Any) -> Any:
    """Turn polars/pandas/numpy scalars, dates and containers into plain JSON values."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [json_safe(v) for v in value]
    if hasattr(value, "item"):  # numpy scalar
        try:
            return json_safe(value.item())
        except (ValueError, TypeError):
            pass
    if hasattr(value, "isoformat"):  # pandas Timestamp
        return value.isoformat()
    return str(value)


def fingerprint_of(keys: Any) -> str:
    """Short stable hash of what failed (e.g. the sorted failing keys)."""
    text = json.dumps(json_safe(keys), sort_keys=True, ensure_ascii=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def departments(frame: pl.DataFrame, column: str = "kode_opd") -> tuple[str, ...]:
    if column not in frame.columns or frame.is_empty():
        return ()
    values = frame.get_column(column).drop_nulls().cast(pl.String).unique().sort()
    return tuple(values.to_list())


def sample(frame: pl.DataFrame, columns: list[str] | None = None, n: int = SAMPLE_ROWS) -> list:
    cols = [c for c in (columns or frame.columns) if c in frame.columns]
    return json_safe(frame.select(cols).head(n).to_dicts())


def from_failures(
    *,
    check: str,
    asset: str,
    severity: str,
    periode: str,
    failing: pl.DataFrame,
    key: list[str],
    ok: str,
    fail: str,
    show: list[str] | None = None,
    extra: dict[str, Any] | None = None,
) -> CheckOutcome:
    """Outcome of a row-level rule: ``failing`` holds the offending rows (empty = passed).

    ``fail`` may use ``{n}`` (row count) and ``{periode}``; ``key`` names the columns that
    identify a failing row (fingerprint); ``show`` the columns kept in the sample.
    """
    n = failing.height
    details: dict[str, Any] = dict(extra or {})
    if n:
        details["contoh"] = sample(failing, show)
        keys = failing.select([c for c in key if c in failing.columns]).sort(pl.all())
        fp = fingerprint_of([check, periode, keys.rows()])
    else:
        fp = ""
    return CheckOutcome(
        check=check,
        asset=asset,
        severity=severity,
        periode=periode,
        passed=n == 0,
        n_failed=n,
        description=(fail if n else ok).format(n=ribuan(n), periode=periode),  # 18.067
        details=json_safe(details),
        kode_opd=departments(failing),
        fingerprint=fp,
    )


def not_run(check: str, asset: str, severity: str, periode: str, reason: str) -> CheckOutcome:
    """A check that could not be evaluated (table or file missing, crash) counts as failed."""
    return CheckOutcome(
        check=check,
        asset=asset,
        severity=severity,
        periode=periode,
        passed=False,
        n_failed=0,
        description=f"Cek tidak dapat dijalankan untuk periode {periode}: {reason}",
        details={"tidak_dijalankan": True, "alasan": reason},
        fingerprint=fingerprint_of([check, periode, "tidak_dijalankan", reason]),
    )
