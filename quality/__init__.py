"""Data quality of Si-Kinerja Analytics: checks that catch a bad export before anyone is paid.

Modules (importing any of them does not import Great Expectations; ``validate`` does, lazily):
- ``suites``: Great Expectations suites as data, per raw source kind and per mart;
- ``validate``: ``run_suite(suite, polars_frame)`` runs a suite with GX on pandas;
- ``payroll``, ``crosssource``, ``drift``: pure check functions over polars frames of a period,
  each returning a ``outcome.CheckOutcome`` (severity ERROR = blocking, WARN = reported);
- ``catalog``: every non-GX check by name, asset, severity and meaning;
- ``runner``: ``evaluate(asset, data, periods)`` reads the data directory and runs every check
  of an asset (what the Dagster asset checks in ``orchestration.checks`` call);
- ``history``: ``record_outcomes`` / ``load_check_history(data)`` (``DATA/quality.sqlite``);
- ``alerts``: ``send_alert`` over webhook and SMTP with de-duplication,
  ``load_alert_history(data)`` (``DATA/alerts.sqlite``);
- ``config``: thresholds and channels from ``quality/config.toml`` and environment variables.

Sample data and capture servers for the tests are test helpers, in ``tests/support/``.
"""

from quality.alerts import Alert, load_alert_history, send_alert
from quality.history import latest_results, load_check_history
from quality.outcome import ERROR, WARN, CheckOutcome

__all__ = [
    "ERROR",
    "WARN",
    "Alert",
    "CheckOutcome",
    "latest_results",
    "load_alert_history",
    "load_check_history",
    "send_alert",
]
