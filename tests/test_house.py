"""House rules that keep the package easy to find one's way in: checked, not just written down.

- **Size.** No module of ledger_tools/ is over 400 lines unless its module docstring has a line
  starting with "Long because" that says why (one concept that would lose by being cut up).
  Modules over the limit without such a reason are listed in ``AWAITING_SPLIT``.
- **Packaging.** pyproject.toml lists its packages explicitly (ledger_tools.templates lives
  outside the package folder): that list must be every package folder under ledger_tools/
  plus ledger_tools.templates, or a new folder would be missing from the installed tool.
- **Mirror.** Every module ledger_tools/X/Y.py has its test module tests/X/test_Y.py, except
  those in ``TESTED_ELSEWHERE`` (a reason each) and ``AWAITING_TESTS``.
- **Test helpers.** A test module never imports from another test module: shared helpers live
  in tests/builders.py (support modules whose names do not start with test_, such as
  tests/robustness/corpus.py, are fine).

Every allow-list below is checked for stale entries too: a module that is split, tested or
removed must leave its list, so the lists only ever shrink.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "ledger_tools"
TESTS = ROOT / "tests"
MAX_LINES = 400
REASON = "Long because"

# Over MAX_LINES with no "Long because" reason yet; each is being split (or should be). Delete a
# line when its module is under the limit.
AWAITING_SPLIT: set[str] = set()

# Modules whose behaviour is fully exercised by another module's tests; say where.
TESTED_ELSEWHERE = {
    "cli/base.py": "tests/cli/test_*.py drive the shared CLI pieces through `ledger`",
    "demo/sample.py": "tests/demo/test_run.py builds the sample ledger and runs the demo on it",
    "sheets/forms/layout.py": "the form's constants: tests/sheets/forms/test_writer.py, test_reader.py",
}

# No test module of their own yet, tested only through the jobs' tests. Test modules for these
# are being added: delete a line when its module arrives.
AWAITING_TESTS: set[str] = set()


def _modules() -> list[str]:
    """Every module of the package, relative to ledger_tools/ ("jobs/intake.py")."""
    return sorted(
        p.relative_to(PACKAGE).as_posix()
        for p in PACKAGE.rglob("*.py")
        if "__pycache__" not in p.parts and p.name not in ("__init__.py", "__main__.py")
    )


def _lines(module: str) -> int:
    return len((PACKAGE / module).read_text(encoding="utf-8").splitlines())


def _gives_a_reason(module: str) -> bool:
    doc = ast.get_docstring(ast.parse((PACKAGE / module).read_text(encoding="utf-8"))) or ""
    return any(line.strip().startswith(REASON) for line in doc.splitlines())


def _test_module(module: str) -> Path:
    path = Path(module)
    return TESTS / path.parent / f"test_{path.name}"


# --- size -------------------------------------------------------------------------------------


def test_no_module_is_over_400_lines_without_a_reason():
    long = {m: _lines(m) for m in _modules() if _lines(m) > MAX_LINES and not _gives_a_reason(m)}
    unexplained = {m: n for m, n in long.items() if m not in AWAITING_SPLIT}
    assert not unexplained, (
        f"over {MAX_LINES} lines: {unexplained}. Split the module, or add a line starting "
        f"{REASON!r} to its docstring that says why it is one concept."
    )


def test_the_awaiting_split_list_has_no_stale_entries():
    stale = {
        m
        for m in AWAITING_SPLIT
        if not (PACKAGE / m).exists() or _lines(m) <= MAX_LINES or _gives_a_reason(m)
    }
    assert not stale, f"delete from AWAITING_SPLIT in tests/test_house.py: {sorted(stale)}"


# --- packaging --------------------------------------------------------------------------------


def test_pyproject_lists_every_package_folder_and_the_templates():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = config["tool"]["setuptools"]["packages"]
    folders = {
        ".".join(d.relative_to(ROOT).parts)
        for d in [PACKAGE, *PACKAGE.rglob("*")]
        if d.is_dir() and "__pycache__" not in d.parts and any(d.glob("*.py"))
    }
    assert sorted(listed) == sorted(folders | {"ledger_tools.templates"})
    assert all((ROOT / Path(*p.split("."))).joinpath("__init__.py").exists() for p in folders)


# --- mirror -----------------------------------------------------------------------------------


def test_every_module_has_its_mirrored_test_module():
    missing = [
        f"{m} -> {_test_module(m).relative_to(ROOT)}"
        for m in _modules()
        if not _test_module(m).exists() and m not in TESTED_ELSEWHERE and m not in AWAITING_TESTS
    ]
    assert not missing, f"add the test module (tests mirror the package): {missing}"


def test_the_mirror_allow_lists_have_no_stale_entries():
    both = set(TESTED_ELSEWHERE) & AWAITING_TESTS
    stale = {
        m
        for m in set(TESTED_ELSEWHERE) | AWAITING_TESTS
        if not (PACKAGE / m).exists() or _test_module(m).exists()
    }
    assert not both, f"in both TESTED_ELSEWHERE and AWAITING_TESTS: {sorted(both)}"
    assert not stale, f"delete from the mirror allow-lists in tests/test_house.py: {sorted(stale)}"


# --- test helpers -----------------------------------------------------------------------------


def _imported_modules(path: Path) -> set[str]:
    """Every module of tests/ that ``path`` imports, including ``from tests.x import test_y``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
    return {m for m in found if m.startswith("tests.")}


def test_test_modules_import_helpers_from_builders_not_from_other_test_modules():
    offenders = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in sorted(TESTS.rglob("*.py"))
        for module in sorted(_imported_modules(path))
        if module.rsplit(".", 1)[-1].startswith("test_")
        and (ROOT / Path(*module.split("."))).with_suffix(".py").exists()
    ]
    assert not offenders, f"move the shared helpers into tests/builders.py: {offenders}"
