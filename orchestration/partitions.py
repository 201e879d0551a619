"""Monthly partitions: one partition per TPP period (``YYYY-MM``, WITA)."""

import dagster as dg

TIMEZONE = "Asia/Makassar"  # WITA, UTC+8

monthly = dg.MonthlyPartitionsDefinition(start_date="2024-01", fmt="%Y-%m", timezone=TIMEZONE)
