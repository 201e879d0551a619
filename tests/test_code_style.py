"""One formatter and one linter for all Python of the project (issue 17): `ruff format` as it is
configured in pyproject.toml, without hand layout kept by formatter escape comments (fmt skip / off)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from orchestration.core.paths import PROJECT_ROOT

PACKAGES = ["orchestration", "transforms", "models", "quality", "app", "tests"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    return subprocess.run(
        [ruff, *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=False
    )


def test_ruff_format_leaves_every_file_as_it_is():
    result = _ruff("format", "--check", *PACKAGES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_lint_is_clean():
    result = _ruff("check", *PACKAGES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_formatter_escapes():
    markers = ("# fmt: " + "skip", "# fmt: " + "off")
    found = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}"
        for package in PACKAGES
        for path in (PROJECT_ROOT / package).rglob("*.py")
        if "target" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(marker in line for marker in markers)
    ]
    assert not found, found
