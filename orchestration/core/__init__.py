"""The core every layer may import: where data lives (``paths``), the source contract
(``contract``), month arithmetic and the plan of an export folder (``months``), the reader of
the published snapshot (``published``), the one row diff of corrections and what-if
(``rowdiff``) and how numbers, money, NIPs and dates are written for people
(``formatting``).

It imports nothing of the project outside this package, and no Dagster.
"""
