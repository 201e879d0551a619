"""The installed package is the product: developer tools and test helpers stay out of it.

- No module of the product (``orchestration`` outside ``orchestration/tools/``, ``app``,
  ``models``, ``quality``) imports ``orchestration.tools`` (simulator, bench, app sample data) or
  ``tests`` (test helpers), except the lazy imports inside the CLI's developer commands, named
  one by one in ``ALLOWED``.
- The built wheel holds the product packages and no file of ``orchestration/tools/`` nor any
  test helper; unpacked on its own, the developer commands say in Indonesian that the tools are
  not installed instead of failing with a traceback.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCT = ("orchestration", "app", "models", "quality")
TOOLS = "orchestration.tools"
TEST_HELPERS = "tests"

# (file, function, module): the only places the product may import a developer tool, lazily,
# inside the developer commands of `kinerja` (`demo` reaches the simulator through cmd_simulate)
ALLOWED = {
    ("orchestration/cli.py", "cmd_simulate", "orchestration.tools.simulator"),
    ("orchestration/cli.py", "cmd_bench", "orchestration.tools.bench"),
}


def _forbidden(module: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in (TOOLS, TEST_HELPERS))


def _product_files() -> list[Path]:
    files = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if relative.parts[:2] != ("orchestration", "tools"):
                files.append(relative)
    return files


class _Imports(ast.NodeVisitor):
    """Every module a file imports, with the function it is imported in (None: module level)."""

    def __init__(self, package: str) -> None:
        self.package = package  # for relative imports
        self.functions: list[str] = []
        self.found: list[tuple[str | None, str, int]] = []

    def _add(self, module: str, node: ast.AST) -> None:
        where = self.functions[-1] if self.functions else None
        self.found.append((where, module, node.lineno))

    def _function(self, node) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = _function  # noqa: N815 - ast.NodeVisitor API

    def visit_Import(self, node: ast.Import) -> None:  # noqa: N802 - ast.NodeVisitor API
        for alias in node.names:
            self._add(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # noqa: N802
        base = node.module or ""
        if node.level:
            parts = self.package.split(".")
            parts = parts[: len(parts) - node.level + 1]
            base = ".".join(parts + ([node.module] if node.module else []))
        self._add(base, node)
        if not _forbidden(base):
            for alias in node.names:  # `from orchestration import tools`
                self._add(f"{base}.{alias.name}", node)

    def visit_Call(self, node: ast.Call) -> None:  # noqa: N802
        # importlib.import_module("..."), __import__("..."), find_spec("...")
        name = getattr(node.func, "attr", None) or getattr(node.func, "id", None)
        if name in ("import_module", "__import__", "find_spec") and node.args:
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self._add(first.value, node)
        self.generic_visit(node)


def _imports(relative: Path, root: Path = ROOT) -> list[tuple[str | None, str, int]]:
    package = ".".join(relative.parts[:-1])  # of a module, and of an __init__.py its own
    visitor = _Imports(package)
    visitor.visit(ast.parse((root / relative).read_text(), filename=str(relative)))
    return visitor.found


def test_the_product_imports_no_tool_and_no_test_helper():
    files = _product_files()
    assert len(files) > 80, "the product's modules were not found"
    wrong, used = [], set()
    for relative in files:
        for function, module, line in _imports(relative):
            if not _forbidden(module):
                continue
            key = (relative.as_posix(), function, module)
            if key in ALLOWED:
                used.add(key)
            else:
                where = f"in {function}()" if function else "at module level"
                wrong.append(f"{relative}:{line} imports {module} {where}")
    assert wrong == [], (
        "the product must not import developer tools or test helpers:\n" + "\n".join(wrong)
    )
    assert used == ALLOWED, f"ALLOWED names imports that no longer exist: {ALLOWED - used}"


def test_layers_import_only_downward():
    """core <- quality, models <- pipeline (orchestration) <- app: the pipeline never imports
    the app (``kinerja app`` starts ``python -m app.launch``), quality and models never import
    the pipeline or the app, and the core imports none of them."""
    above = {
        "orchestration": ("app",),
        "quality": ("app", "orchestration.assets", "orchestration.run", "orchestration.cli"),
        "models": ("app", "orchestration.assets", "orchestration.run", "orchestration.cli"),
        "app": (),
    }
    wrong = []
    for relative in _product_files():
        layer = relative.parts[0]
        for _function, module, line in _imports(relative):
            if any(module == p or module.startswith(p + ".") for p in above[layer]):
                wrong.append(f"{relative}:{line} imports {module} (a layer above {layer})")
    assert wrong == [], "\n".join(wrong)


def test_the_scan_sees_each_kind_of_forbidden_import(tmp_path):
    """The scanner itself: module-level, relative, `from x import tools`, dynamic and test
    imports are all found (so an empty result above means something)."""
    fake = tmp_path / "orchestration" / "contoh.py"
    fake.parent.mkdir()
    fake.write_text(
        "import importlib\n"
        "from orchestration.tools.simulator import simulate\n"
        "from . import tools\n"
        "from orchestration import tools as t\n"
        "from tests.support.capture import webhook_server\n"
        "def f():\n"
        "    import orchestration.tools.bench\n"
        "    importlib.import_module('orchestration.tools.app_sample')\n"
    )
    found = [
        (f, m) for f, m, _ in _imports(Path("orchestration/contoh.py"), tmp_path) if _forbidden(m)
    ]
    assert found == [
        (None, "orchestration.tools.simulator"),
        (None, "orchestration.tools"),
        (None, "orchestration.tools"),
        (None, "tests.support.capture"),
        ("f", "orchestration.tools.bench"),
        ("f", "orchestration.tools.app_sample"),
    ]


def _uv() -> str | None:
    return os.environ.get("UV") or shutil.which("uv")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    uv = _uv()
    if uv is None:
        pytest.skip("uv is not installed: the wheel cannot be built here")
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    (built,) = out.glob("*.whl")
    return built


def test_the_wheel_holds_the_product_and_no_tool_or_test_helper(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tools = [n for n in names if n.startswith("orchestration/tools/")]
    helpers = [
        n
        for n in names
        if n.startswith(("tests/", "orchestration/simulator/"))
        or n in ("quality/testing.py", "app/sample.py", "app/bench.py", "orchestration/bench.py")
    ]
    assert tools == [], f"developer tools in the wheel: {tools[:5]}"
    assert helpers == [], f"test helpers or tools in the wheel: {helpers[:5]}"
    for product in (
        "orchestration/__init__.py",
        "orchestration/cli.py",
        "orchestration/definitions.py",
        "orchestration/publish.py",
        "app/main.py",
        "models/__init__.py",
        "quality/__init__.py",
        "quality/runner.py",
    ):
        assert product in names, f"{product} is missing from the wheel"
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "kinerja = orchestration.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def _from_the_wheel(wheel: Path, cwd: Path, argvs: list[list[str]]) -> list[str]:
    """``kinerja <argv>`` for each argv, from the wheel unpacked on its own (the dependencies
    from this environment), in one process run in ``cwd``: its stderr lines, each command's
    ``<command> <exit code>`` among them. No traceback may reach them."""
    site = cwd / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys, orchestration\n"
        f"assert orchestration.__file__.startswith({str(site)!r}), orchestration.__file__\n"
        "from orchestration.cli import main\n"
        f"for argv in {argvs!r}:\n"
        "    print(argv[0], main(argv), file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr.splitlines()


def _says_one_line(lines: list[str], command: str, what: str) -> None:
    """``command`` exited 1 with one ``kinerja: perintah '<command>' ...`` line naming ``what``."""
    assert f"{command} 1" in lines, lines
    message = next(line for line in lines if f"perintah '{command}'" in line)
    assert message.startswith("kinerja: ") and what in message


def test_developer_commands_say_the_tools_are_missing_in_a_wheel_install(wheel, tmp_path):
    """`kinerja simulate`, `demo` (with no exports to reuse) and `bench` from the wheel exit 1
    with one Indonesian line."""
    lines = _from_the_wheel(
        wheel,
        tmp_path,
        [
            ["simulate", "--out", "ekspor"],
            ["demo", "--exports", "kosong", "--data", "data", "--tanpa-app"],
            ["bench", "--folder", "bench"],
        ],
    )
    for command in ("simulate", "demo", "bench"):
        _says_one_line(lines, command, "alat pengembang")
    assert not (tmp_path / "ekspor").exists() and not (tmp_path / "data").exists()


def test_commands_that_compute_say_the_dbt_project_is_missing_in_a_wheel_install(wheel, tmp_path):
    """`kinerja run` and `whatif` need the dbt project (transforms/), which the wheel does not
    carry: one Indonesian line and exit 1, no traceback, nothing written."""
    (tmp_path / "ekspor").mkdir()
    (tmp_path / "aturan.yaml").write_text("nama: coba\n")
    lines = _from_the_wheel(
        wheel,
        tmp_path,
        [
            ["run", "--exports", "ekspor", "--data", "data"],
            ["whatif", "--data", "data", "--aturan", "aturan.yaml"]
            + ["--mulai", "2025-01", "--sampai", "2025-01"],
        ],
    )
    for command in ("run", "whatif"):
        _says_one_line(lines, command, "proyek dbt")
    assert not (tmp_path / "data").exists()


def test_a_missing_dependency_of_the_tools_is_not_reported_as_a_wheel_install():
    from orchestration.cli import _alat_hilang

    assert _alat_hilang(ModuleNotFoundError("x", name="orchestration.tools"))
    assert _alat_hilang(ModuleNotFoundError("x", name="orchestration.tools.simulator"))
    assert not _alat_hilang(ModuleNotFoundError("x", name="numpy"))
    assert not _alat_hilang(ModuleNotFoundError("x", name="orchestration.toolsx"))


def test_the_core_imports_only_itself_and_no_dagster():
    """``orchestration/core/`` is what every layer may import (issue 17): it must not reach back
    up into the pipeline, the app, quality or the models, nor pull in Dagster or dbt."""
    core = sorted((ROOT / "orchestration" / "core").rglob("*.py"))
    assert {p.stem for p in core} >= {"paths", "contract", "months", "published", "rowdiff"}
    project = ("orchestration", "app", "models", "quality", "tests")
    wrong = [
        f"{relative}:{line} {module}"
        for relative in (p.relative_to(ROOT) for p in core)
        for _, module, line in _imports(relative)
        if (module.split(".")[0] in project and not module.startswith("orchestration.core"))
        or module.split(".")[0] in ("dagster", "dagster_dbt", "dbt", "streamlit")
    ]
    assert wrong == []
