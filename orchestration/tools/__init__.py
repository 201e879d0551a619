"""Developer tools, kept out of the installed package (the wheel excludes ``orchestration/tools/``,
see ``[tool.hatch.build.targets.wheel]`` in pyproject.toml):

- ``simulator``: realistic monthly export files for the NTT workforce (``kinerja simulate``,
  ``kinerja demo``), with its ground truth;
- ``bench``: ``kinerja bench``, the pipeline timed end to end against a floor query
  (``floor_query.FLOOR_SQL``, a measurement, not a pay rule);
- ``app_bench``: every app page timed with Streamlit's AppTest
  (``uv run python -m orchestration.tools.app_bench``);
- ``app_sample``: published data for ``app_bench`` and the app's tests, made by running the
  simulator's exports through the pipeline (``run_pipeline``), never by its own pay rules.

The product (orchestration outside this package, app, models, quality) never imports it, except
lazily inside the developer commands of the CLI (``kinerja simulate``, ``kinerja demo``,
``kinerja bench``), which say so in Indonesian when it is not installed.
``tests/test_architecture.py`` checks both.
"""
