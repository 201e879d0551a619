"""Suite-wide set-up.

The suite runs on two pytest-xdist workers (``addopts`` in pyproject.toml). A worker's
``__main__`` is execnet's bootstrap, with neither ``__spec__`` nor ``__file__``; with the spark
extra installed, Great Expectations imports ``pyspark.sql.connect``, whose dependency check takes
such a ``__main__`` for a doctest run and calls ``sys.exit(0)`` in the middle of a suite. The
worker's ``__main__`` gets a file name, as any script has.
"""

import __main__

if getattr(__main__, "__spec__", None) is None and not hasattr(__main__, "__file__"):
    __main__.__file__ = "<pytest-xdist worker>"


import pytest  # noqa: E402

from tests.support.shared import session_folder  # noqa: E402


@pytest.fixture(scope="session", autouse=True)
def _one_app_sample_per_session(tmp_path_factory):
    """The app's sample data (``app_sample.sample_data``) is built once per session, by the
    first worker that needs it, not once per worker (a pipeline run of ~30 s)."""
    from orchestration.tools.app_sample import SAMPLE_CACHE

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SAMPLE_CACHE, str(session_folder(tmp_path_factory)))
        yield
