"""A folder built once per test session and shared by the xdist workers.

Some end-to-end fixtures run the same simulated province through the pipeline in several test
files (the app's sample data, the models' six months). Each worker used to build its own copy
(~30 s a build); with ``orchestration.tools.built_once`` in the session's folder the first
worker builds it and the others wait and reuse it. The folder is the session's own
(``pytest-<n>``, shared only by its workers), so nothing outlives the session. Callers copy it
before writing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest


def session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder: the same for every xdist worker of this session."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
