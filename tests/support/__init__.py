"""Helpers for the tests only, never part of the installed package (``tests/test_architecture.py``
checks that no product module imports them):

- ``quality_sample``: small consistent sample rows of one month for the quality tests, and a data
  directory laid out as the pipeline does;
- ``capture``: webhook and SMTP capture servers for the alert tests.
"""
