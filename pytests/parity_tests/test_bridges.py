"""The emulator bridges are active on the emulated target only and hand off to dbt-snowflake elsewhere."""

from __future__ import annotations

import os
import re

import pytest

from warehouse.runtime import copy_project, run_dbt

SELFTEST = """
{% macro bridge_selftest() %}
    {%- set relation = api.Relation.create(database='DB', schema='S', identifier='T') -%}
    {%- set source = api.Relation.create(database='DB', schema='S', identifier='T__dbt_tmp') -%}
    {%- set columns = [api.Column.create('ID', 'number'), api.Column.create('NAME', 'varchar')] -%}
    {%- set view = snowflake__create_view_as_with_temp_flag(relation, 'select 1 as a', True) -%}
    {%- set merge = snowflake__get_merge_sql(relation, source, 'ID', columns, none) -%}
    {%- do print('DML>> ' ~ snowflake_dml_explicit_transaction('delete from t') ~ ' <<DML') -%}
    {%- do print('VIEW>> ' ~ view ~ ' <<VIEW') -%}
    {%- do print('MERGE>> ' ~ merge ~ ' <<MERGE') -%}
    {%- do print('GRANTS>> ' ~ snowflake__get_show_grant_sql(relation) ~ ' <<GRANTS') -%}
{% endmacro %}
"""
DUMMY_SNOWFLAKE_ENV = {
    "SNOWFLAKE_ACCOUNT": "offline", "SNOWFLAKE_USER": "u", "SNOWFLAKE_PASSWORD": "p", "SNOWFLAKE_ROLE": "r",
    "SNOWFLAKE_WAREHOUSE": "w", "SNOWFLAKE_DATABASE": "DB", "SNOWFLAKE_SCHEMA": "S", "FAKESNOW_PORT": "9",
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The bridge macros rendered (no connection needed) for prod and for the emulated target."""
    project = copy_project(tmp_path_factory.mktemp("bridges") / "project")
    (project / "macros" / "zz_selftest").mkdir()
    (project / "macros" / "zz_selftest" / "bridge_selftest.sql").write_text(SELFTEST)
    out: dict[str, dict[str, str]] = {}
    for target in ("prod", "snowflake_emulated"):
        run = run_dbt(
            ["run-operation", "bridge_selftest", "--quiet"], project_dir=project,
            profiles_dir=project / "profiles", target=target, target_path=project / f"target_{target}",
            log_path=project / "logs", env={**os.environ, **DUMMY_SNOWFLAKE_ENV}, timeout_s=120, check=True,
        )
        out[target] = {
            name: re.search(rf"{name}>>(.*?)<<{name}", run.output, re.S).group(1)  # type: ignore[union-attr]
            for name in ("DML", "VIEW", "MERGE", "GRANTS")
        }
    return out


def test_prod_keeps_dbt_snowflakes_transactions_and_temporary_objects(
    rendered: dict[str, dict[str, str]],
) -> None:
    prod = rendered["prod"]
    assert re.search(r"begin;\s*delete from t;\s*commit;", prod["DML"])
    assert "temporary view" in prod["VIEW"]
    assert "begin;" in prod["MERGE"] and "values\n        (\"ID\", \"NAME\")" in prod["MERGE"]
    assert prod["GRANTS"].strip().lower().startswith("show grants on")


def test_emulator_gets_the_bridged_forms(rendered: dict[str, dict[str, str]]) -> None:
    emulated = rendered["snowflake_emulated"]
    assert "begin" not in emulated["DML"] and "delete from t" in emulated["DML"]
    assert "temporary" not in emulated["VIEW"]
    assert "begin" not in emulated["MERGE"]
    assert 'values\n        (DBT_INTERNAL_SOURCE."ID", DBT_INTERNAL_SOURCE."NAME")' in emulated["MERGE"]
    assert "where 1 = 0" in emulated["GRANTS"]
