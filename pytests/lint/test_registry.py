"""Evidence for every registry entry, the coverage of DuckDB's catalogue, and the just recipe."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from parity_tests.lint import RULES, find_hazards
from parity_tests.lint.coverage import CATEGORIES, Classified, catalogue_coverage, format_report
from parity_tests.lint.registry import EXAMPLE_RELATION, Construct, registry, snowflake_sql
from parity_tests.snowflake_functions import FUNCTIONS, TYPES
from warehouse.runtime import REPO_ROOT

ENTRIES = registry().entries
FUNCTION_ENTRIES = [e for e in ENTRIES if e.example]


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.key}:{e.label}" for e in ENTRIES])
def test_entry_cites_snowflake_docs_and_existing_rules(entry: Construct) -> None:
    assert entry.url.startswith("https://docs.snowflake.com/en/sql-reference/")
    assert entry.why
    assert set(entry.guards) <= set(RULES), entry.guards
    kind, name = entry.key.split(":", 1)
    if kind in ("operator", "clause") or (kind == "function" and name[0].isupper()):
        assert isinstance(getattr(exp, name), type)
    elif kind == "type":
        assert name in exp.DType.__members__


@pytest.fixture(scope="module")
def duck() -> duckdb.DuckDBPyConnection:
    with duckdb.connect() as con:
        yield con


@pytest.mark.parametrize("entry", FUNCTION_ENTRIES, ids=[e.label for e in FUNCTION_ENTRIES])
def test_function_entry_example(entry: Construct, duck: duckdb.DuckDBPyConnection) -> None:
    """The DuckDB side runs on DuckDB; sqlglot's Snowflake side parses and calls the named function."""
    duckdb_sql = f"select {entry.example} from {EXAMPLE_RELATION}"
    duck.execute(duckdb_sql).fetchall()
    tree = sqlglot.parse_one(duckdb_sql, read="duckdb")
    snowflake = snowflake_sql(tree)
    parsed = sqlglot.parse_one(snowflake, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
    call = entry.snowflake_call
    if call is None:
        return  # an operator or keyword form (e.g. `%`, CURRENT_DATE, an array constant)
    name, low, high = call
    assert name in FUNCTIONS, f"{name} is not in Snowflake's function list"
    calls = [node.sql(dialect="snowflake") for node in parsed.find_all(exp.Func)]
    arities = [_arity(text) for text in calls if text.split("(", 1)[0].strip().lower() == name]
    assert arities, f"sqlglot emits {snowflake}, not {name.upper()}()"
    assert any(low <= n <= high for n in arities), (snowflake, arities)


def _arity(call: str) -> int:
    """Number of top-level arguments of a rendered call ``NAME(a, f(b, c), 'x,y')``."""
    if "(" not in call:
        return 0
    body = call[call.index("(") + 1 : call.rindex(")")]
    depth, quoted, commas = 0, False, 0
    for ch in body:
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch in "([":
            depth += 1
        elif not quoted and ch in ")]":
            depth -= 1
        elif not quoted and ch == "," and depth == 0:
            commas += 1
    return commas + 1 if body.strip() else 0


def test_catalogue_coverage() -> None:
    items = catalogue_coverage()
    names = {i.name for i in items}
    assert {"abs", "regexp_matches", "list_zip", "//", "varchar"} <= names
    by_category = {c: [i for i in items if i.category == c] for c in CATEGORIES}
    assert all(by_category[c] for c in ("portable", "hazard", "unsupported"))
    classified = 1 - len(by_category["unclassified"]) / len(items)
    assert classified >= 0.9, format_report(items, "unclassified")
    assert {i.name for i in by_category["hazard"]} >= {"avg", "approx_count_distinct", "regexp_matches"}
    assert "list_zip" in {i.name for i in by_category["unsupported"]}


def test_unverified_message_tells_the_author_what_to_do() -> None:
    [finding] = find_hazards("select kurtosis(x) from t")
    assert finding.construct == "unverified"
    assert "parity_tests/lint/constructs.py" in finding.why and "/* portable:NAME reason */" in finding.why


def _just(*args: str) -> subprocess.CompletedProcess[str]:
    just = shutil.which("just")
    assert just, "just is installed with the dev dependencies (rust-just)"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.run(
        [just, "--justfile", str(REPO_ROOT / "justfile"), "lint-snowflake", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_recipe_passes_sql_with_spaces_intact() -> None:
    flagged = _just("--sql", "select 7 // 2")
    assert flagged.returncode == 1, flagged.stderr
    assert flagged.stdout.startswith("<sql>:1: integer-division — ")
    clean = _just("--sql", "select 'a b' as label, 7 * 2 as n")
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_recipe_passes_file_names_with_spaces(tmp_path: Path) -> None:
    model = tmp_path / "my model.sql"
    model.write_text("select\n  regexp_matches(s, 'b') as has_b\nfrom t\n")
    result = _just(str(model))
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{model}:2: regexp_matches — ")
    assert _just("--sql", "select from where (").returncode == 2


def test_recipe_coverage_report() -> None:
    result = _just("--coverage")
    assert result.returncode == 0, result.stderr
    header, *rows = result.stdout.splitlines()
    assert header.split()[:2] == ["surface", "total"] and rows[3].startswith("all")


PORTABLE_TYPES = [i for i in catalogue_coverage() if i.surface == "type" and i.category == "portable"]


@pytest.mark.parametrize("item", PORTABLE_TYPES, ids=[i.name for i in PORTABLE_TYPES])
def test_portable_type_exists_on_both_engines(item: Classified, duck: duckdb.DuckDBPyConnection) -> None:
    """A DuckDB type classified portable casts on DuckDB and becomes a type Snowflake has."""
    duckdb_sql = f"select cast(null as {item.name})"
    duck.execute(duckdb_sql).fetchall()
    cast = sqlglot.parse_one(snowflake_sql(sqlglot.parse_one(duckdb_sql, read="duckdb")), read="snowflake")
    emitted = cast.selects[0].args["to"].sql(dialect="snowflake").split("(")[0].lower()
    assert emitted in TYPES, f"{item.name} becomes {emitted.upper()}, which Snowflake does not have"
