"""``kinerja`` run in this process, its output captured: what the end-to-end tests call."""

from __future__ import annotations

import contextlib
import io

from orchestration.cli import main


def kinerja(*args: str) -> tuple[int, str, str]:
    """``kinerja *args`` in-process: (exit code, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        rc = main(list(args))
    return rc, out.getvalue(), err.getvalue()
