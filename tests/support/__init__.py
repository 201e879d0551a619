"""Helpers for the tests only, never part of the installed package (``tests/test_architecture.py``
checks that no product module imports them):

- ``quality_sample``: small consistent raw-zone rows of one month for the quality tests, the marts
  one ``dbt build`` makes of them, and a data directory laid out as the pipeline does;
- ``capture``: webhook and SMTP capture servers for the alert tests.
"""
