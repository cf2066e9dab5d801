"""Which data tests the parity build also runs on the emulator (the rest run on DuckDB only).

Every data test runs on DuckDB in each of the suite's builds, and is compiled for Snowflake and
checked by the Snowflake check. Running it through the emulator too proves something only when its
SQL differs by engine: fakesnow executes on DuckDB, so a test whose compiled SQL is the same on both
engines (apart from the relations it reads, which the parity compares row by row) runs the same query
on the same rows twice. The emulator runs:

- every test whose compiled SQL differs by engine once each side's relation names are replaced by
  the node they stand for (a ``snowflake__`` macro, a dispatched date function, quoting);
- every test enabled only on Snowflake, and every test without compiled SQL on either side;
- every test that does not pass on DuckDB (its failure count and severity must agree too);
- the first test of each kind (generic test name and the configs that change dbt's wrapping
  statement: severity, where, limit, fail_calc, warn_if, error_if, store_failures; singular tests
  are one kind), so every kind of test statement runs on the emulator.
"""

from __future__ import annotations

import re
from typing import Any

WRAPPER_CONFIGS = ("severity", "where", "limit", "fail_calc", "warn_if", "error_if", "store_failures")
ENGINE_SQL = "compiled SQL differs by engine"
SNOWFLAKE_ONLY = "enabled only on Snowflake"
NO_SQL = "no compiled SQL to compare"
NOT_PASSING = "does not pass on DuckDB"
FIRST_OF_KIND = "first of its kind"


def _tests(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        uid: node for uid, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and node.get("config", {}).get("enabled", True)
    }


def normalised_sql(test: dict[str, Any], manifest: dict[str, Any]) -> str | None:
    """The test's compiled SQL with each relation it reads replaced by its unique id, whitespace and
    case folded (None when it was not compiled)."""
    sql = test.get("compiled_code")
    if sql is None:
        return None
    relations = {**manifest["nodes"], **manifest.get("sources", {})}
    names = sorted(
        ((relations[uid]["relation_name"], uid) for uid in test["depends_on"]["nodes"]
         if relations.get(uid, {}).get("relation_name")),
        key=lambda pair: -len(pair[0]),
    )
    for relation, uid in names:
        sql = re.sub(re.escape(relation), f"<{uid}>", sql, flags=re.IGNORECASE)
    return " ".join(sql.lower().split())


def kind_of(test: dict[str, Any]) -> str:
    """The generic test's name and the configs that shape dbt's statement around its SQL."""
    metadata = test.get("test_metadata") or {}
    name = f"{metadata.get('namespace') or ''}.{metadata.get('name') or 'singular'}"
    config = test.get("config", {})
    shape = ",".join(f"{key}={config.get(key)!r}" for key in WRAPPER_CONFIGS if config.get(key) is not None)
    return f"{name}({shape})"


def emulated_tests(
    duck_manifest: dict[str, Any], sf_manifest: dict[str, Any], duck_outcomes: dict[str, str]
) -> dict[str, str]:
    """unique_id -> why, of the tests to run on the emulator.

    ``duck_manifest`` is the DuckDB build's manifest (every test compiled), ``sf_manifest`` that of a
    ``dbt compile`` of the tests against the emulator, ``duck_outcomes`` the DuckDB build's status by test.
    """
    duck_tests, sf_tests = _tests(duck_manifest), _tests(sf_manifest)
    chosen: dict[str, str] = {}
    kinds: set[str] = set()
    for uid, test in sorted(sf_tests.items()):
        if uid not in duck_tests:
            chosen[uid] = SNOWFLAKE_ONLY
            continue
        duck_sql = normalised_sql(duck_tests[uid], duck_manifest)
        sf_sql = normalised_sql(test, sf_manifest)
        kind = kind_of(test)
        if duck_sql is None or sf_sql is None:
            chosen[uid] = NO_SQL
        elif duck_sql != sf_sql:
            chosen[uid] = ENGINE_SQL
        elif duck_outcomes.get(uid) != "pass":
            chosen[uid] = NOT_PASSING
        elif kind not in kinds:
            chosen[uid] = FIRST_OF_KIND
        kinds.add(kind)
    return chosen
