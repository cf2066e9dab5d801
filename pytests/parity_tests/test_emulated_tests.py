"""Which data tests the parity also runs on the emulator: those that can tell the engines apart."""

from __future__ import annotations

from typing import Any

from parity_tests.emulated_tests import (
    ENGINE_SQL,
    FIRST_OF_KIND,
    NO_SQL,
    NOT_PASSING,
    SNOWFLAKE_ONLY,
    emulated_tests,
    normalised_sql,
)

FACT = "model.logistics.tbl_fact_shipments"


def _test(name: str, sql: str | None, kind: str = "not_null", **config: Any) -> dict[str, Any]:
    return {
        "resource_type": "test", "name": name, "compiled_code": sql, "config": {"enabled": True, **config},
        "depends_on": {"nodes": [FACT]}, "test_metadata": {"name": kind, "namespace": None},
    }


def _manifest(relation: str, tests: dict[str, dict[str, Any]]) -> dict[str, Any]:
    fact = {"resource_type": "model", "relation_name": relation, "config": {"enabled": True}}
    return {"nodes": {FACT: fact, **{f"test.logistics.{name}": t for name, t in tests.items()}}}


DUCK = '"warehouse"."main_marts"."tbl_fact_shipments"'
SNOW = "LOGISTICS.MARTS.TBL_FACT_SHIPMENTS"


def _both(tests: dict[str, tuple[str | None, str | None, str]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """DuckDB and Snowflake manifests of tests given as name -> (DuckDB SQL, Snowflake SQL, kind);
    ``{rel}`` stands for each side's relation of the fact."""
    duck = {n: _test(n, d and d.format(rel=DUCK), k) for n, (d, _, k) in tests.items()}
    snow = {n: _test(n, s and s.format(rel=SNOW), k) for n, (_, s, k) in tests.items()}
    return _manifest(DUCK, duck), _manifest(SNOW, snow)


def test_relation_names_and_layout_do_not_make_sql_differ() -> None:
    duck, snow = _both({"a": ("select * from {rel}\nwhere x is null", "SELECT *  from {rel} where x is null",
                              "not_null")})
    uid = "test.logistics.a"
    assert normalised_sql(duck["nodes"][uid], duck) == normalised_sql(snow["nodes"][uid], snow)
    assert f"<{FACT}>" in normalised_sql(duck["nodes"][uid], duck)


def test_the_emulator_runs_what_can_differ_and_one_test_of_each_kind() -> None:
    same = "select * from {rel} where x is null"
    duck, snow = _both({
        "same_1": (same, same, "not_null"),
        "same_2": (same, same, "not_null"),  # a second not_null, identical: DuckDB only
        "dispatched": ("select date_diff('day', a, b) from {rel}", "select datediff(day, a, b) from {rel}",
                       "expression_is_true"),
        "warns": (same, same, "not_null"),
        "uncompiled": (None, same, "unique"),
    })
    snow["nodes"]["test.logistics.sf_only"] = _test("sf_only", same, "unique")
    outcomes = {f"test.logistics.{n}": "pass" for n in ("same_1", "same_2", "dispatched", "uncompiled")}
    outcomes["test.logistics.warns"] = "warn"
    chosen = emulated_tests(duck, snow, outcomes)
    assert chosen == {
        "test.logistics.dispatched": ENGINE_SQL,
        "test.logistics.same_1": FIRST_OF_KIND,
        "test.logistics.sf_only": SNOWFLAKE_ONLY,
        "test.logistics.uncompiled": NO_SQL,
        "test.logistics.warns": NOT_PASSING,
    }


def test_a_config_that_changes_the_test_statement_is_its_own_kind() -> None:
    same = "select * from {rel} where x is null"
    duck, snow = _both({"plain": (same, same, "not_null"), "warn_only": (same, same, "not_null")})
    for manifest in (duck, snow):
        manifest["nodes"]["test.logistics.warn_only"]["config"]["severity"] = "warn"
    chosen = emulated_tests(duck, snow, {uid: "pass" for uid in duck["nodes"] if uid.startswith("test.")})
    assert chosen == {"test.logistics.plain": FIRST_OF_KIND, "test.logistics.warn_only": FIRST_OF_KIND}
