"""Monthly partitions: one partition per TPP period (``YYYY-MM``, WITA)."""

import dagster as dg

from orchestration.core.months import first_period

TIMEZONE = "Asia/Makassar"  # WITA, UTC+8

# from the first month a rulebook version is in force (2024-01 with the default rulebook)
monthly = dg.MonthlyPartitionsDefinition(start_date=first_period(), fmt="%Y-%m", timezone=TIMEZONE)
