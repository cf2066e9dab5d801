"""The one direction of imports between our packages (README "Architecture"), checked on the source.

Every top-level folder with an ``__init__.py`` is one of our packages, so a new package is covered
the day it lands. Imports are read with ``ast`` (absolute and relative, at any depth of a module).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

from warehouse.runtime import REPO_ROOT

TEST_TOOLING = ("parity_tests", "pytests")
SKIPPED_FOLDERS = {".venv", "venv", "target", "logs", "dbt_packages", "node_modules"}


def our_packages() -> list[str]:
    """Top-level Python packages of the repository."""
    return sorted(
        p.name for p in REPO_ROOT.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in SKIPPED_FOLDERS
    )


def product_packages() -> list[str]:
    """Our packages that ship as the product (everything but the test tooling)."""
    return [p for p in our_packages() if p not in TEST_TOOLING]


def _module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def imports_of(package: str) -> dict[str, set[str]]:
    """Module of ``package`` -> the modules it imports (absolute names, relative ones resolved)."""
    found: dict[str, set[str]] = {}
    for path in sorted((REPO_ROOT / package).rglob("*.py")):
        module = _module_name(path)
        is_package = path.name == "__init__.py"
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = module.split(".")
                    base = base[: len(base) - node.level + (1 if is_package else 0)]
                    names.add(".".join([*base, node.module] if node.module else base))
                elif node.module:
                    names.add(node.module)
        found[module] = names
    return found


def imported_packages(package: str) -> dict[str, set[str]]:
    """Other packages of ours that ``package`` imports -> the modules of ``package`` importing them."""
    ours = set(our_packages())
    out: dict[str, set[str]] = {}
    for module, names in imports_of(package).items():
        for name in names:
            top = name.split(".")[0]
            if top in ours and top != package:
                out.setdefault(top, set()).add(module)
    return out


def test_the_packages_are_found() -> None:
    assert {"generator", "warehouse", "parity_tests", "pytests"} <= set(our_packages())


@pytest.mark.parametrize("package", product_packages())
def test_product_packages_never_import_test_tooling(package: str) -> None:
    leaks = {k: sorted(v) for k, v in imported_packages(package).items() if k in TEST_TOOLING}
    assert leaks == {}, f"{package} imports test tooling: {leaks}"


def test_parity_tests_never_import_the_pytest_suite() -> None:
    assert "pytests" not in imported_packages("parity_tests")


def test_the_generator_imports_nothing_of_ours() -> None:
    assert imported_packages("generator") == {}


def test_the_runtime_core_imports_only_itself() -> None:
    """``warehouse.runtime`` is the bottom of the product: the CLI and every package build on it."""
    ours = set(our_packages())
    outside = {
        module: sorted(n for n in names if n.split(".")[0] in ours and not n.startswith("warehouse.runtime"))
        for module, names in imports_of("warehouse").items()
        if module.startswith("warehouse.runtime")
    }
    assert {m: n for m, n in outside.items() if n} == {}


def test_packages_import_each_other_in_one_direction() -> None:
    """No two packages import each other, directly or through others (the package graph has no cycle)."""
    graph = {p: set(imported_packages(p)) for p in our_packages()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph[start])

    cycles = sorted(p for p in graph if reaches(p, p, {p}))
    assert cycles == [], f"packages on an import cycle: {cycles}; imports: {graph}"


LONGEST_FUNCTION_LINES = 60
LONG_REASON = "# Long on purpose:"


def long_functions_without_a_reason(package: str) -> list[str]:
    """Functions of ``package`` over LONGEST_FUNCTION_LINES lines (decorators included) with no stated reason.

    The reason is a comment starting with LONG_REASON on the line above the function (or its decorators).
    """
    found = []
    for path in sorted((REPO_ROOT / package).rglob("*.py")):
        lines = path.read_text().splitlines()
        for node in ast.walk(ast.parse("\n".join(lines), str(path))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            length = node.end_lineno - start + 1
            stated = start >= 2 and lines[start - 2].strip().startswith(LONG_REASON)
            if length > LONGEST_FUNCTION_LINES and not stated:
                found.append(f"{path.relative_to(REPO_ROOT)}:{node.lineno} {node.name} ({length} lines)")
    return found


@pytest.mark.parametrize("package", product_packages())
def test_no_long_function_without_a_stated_reason(package: str) -> None:
    """A product function over 60 lines is cut into named steps, or says why not in a comment above it."""
    assert long_functions_without_a_reason(package) == []


def test_the_long_function_check_sees_a_long_function(tmp_path, monkeypatch) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(LONGEST_FUNCTION_LINES))
    (tmp_path / "pkg").mkdir()
    source = f"def long():\n{body}\n\n{LONG_REASON} one table\ndef fine():\n{body}\n"
    (tmp_path / "pkg" / "a.py").write_text(source)
    monkeypatch.setattr(f"{__name__}.REPO_ROOT", tmp_path)
    assert long_functions_without_a_reason("pkg") == ["pkg/a.py:1 long (61 lines)"]
