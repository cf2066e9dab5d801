"""Snowflake governance as code: parsed, applied by hooks on Snowflake only, every PII column masked."""

from __future__ import annotations

import json
import re

import duckdb
import sqlglot
import yaml
from sqlglot import exp

from parity_tests.check_snowflake import DRY_RUN_OUTPUT
from parity_tests.snowflake_sql import check_sql
from warehouse.runtime import REPO_ROOT

from .conftest import PII_PROBE, CheckRun, ParityRun

PII_NAME = re.compile(r"email|phone", re.I)
ROLES = {"LOADER", "TRANSFORMER", "ANALYST", "DATA_SCIENTIST", "ML_SERVICE"}


def _statements(check: CheckRun) -> list[dict[str, object]]:
    return [json.loads(line) for line in (check.work / "emulator" / "statements.jsonl").open()]


def _pii_plan(check: CheckRun) -> list[tuple[str, str, str]]:
    lines = (check.work / DRY_RUN_OUTPUT).read_text().splitlines()
    return [tuple(line.split()[2:5]) for line in lines if line.startswith("-- pii: ")]


def test_role_hierarchy_creates_the_five_roles_and_their_grants(snowflake_check: CheckRun) -> None:
    output = (snowflake_check.work / DRY_RUN_OUTPUT).read_text()
    block = output.split("-- operation: create_role_hierarchy", 1)[1].split("-- operation:", 1)[0]
    created = set(re.findall(r"create role if not exists (\w+)", block))
    assert created >= ROLES
    assert "grant role ANALYST to role DATA_SCIENTIST" in block
    assert "grant role PII_READER to role TRANSFORMER" in block
    assert all(check.ok for check in check_sql(block)), [c.problems for c in check_sql(block) if not c.ok]


def test_resource_monitors_are_valid_and_attached(snowflake_check: CheckRun) -> None:
    output = (snowflake_check.work / DRY_RUN_OUTPUT).read_text()
    block = output.split("-- operation: setup_warehouses", 1)[1].split("-- operation:", 1)[0]
    pattern = r"create resource monitor if not exists (\w+) with .*start_timestamp = (\S+)"
    monitors = re.findall(pattern, block)
    assert monitors
    assert all(start.upper() == "IMMEDIATELY" or start.startswith("'") for _, start in monitors)
    assert "notify_users = (" in block and "triggers on 80 percent do notify" in block
    for monitor, _ in monitors[:-1]:
        assert re.search(rf"alter warehouse \w+ set resource_monitor = {monitor}\b", block)
    assert all(check.ok for check in check_sql(block))


def test_every_pii_column_has_a_masking_policy(snowflake_check: CheckRun) -> None:
    plan = [row for row in _pii_plan(snowflake_check) if ".probe_" not in row[0]]
    assert len(plan) >= 10  # email and phone of customers, raw to serving view
    log = "\n".join(str(r["sql"]) for r in _statements(snowflake_check))
    unmasked = []
    for node, column, _kind in plan:
        name = node.split(".")[-1]
        if not re.search(rf"\.{name} modify column {column} set masking policy \S+_MASK force", log, re.I):
            unmasked.append((node, column))
    assert unmasked == []


def test_a_pii_column_whose_kind_has_no_policy_is_reported(snowflake_check: CheckRun) -> None:
    plan = _pii_plan(snowflake_check)
    assert (PII_PROBE, "passport_number", "invalid:passport") in plan
    assert not snowflake_check.node(PII_PROBE).ok


def test_every_column_named_like_pii_is_known_as_pii(snowflake_check: CheckRun) -> None:
    known = {(node.split(".")[-1], column) for node, column, _ in _pii_plan(snowflake_check)}
    con = duckdb.connect(str(snowflake_check.work / "duckdb.duckdb"), read_only=True)
    try:
        columns = con.execute(
            "select table_name, column_name from information_schema.columns "
            "where table_schema like 'main%' and table_name not like 'probe_%'"
        ).fetchall()
    finally:
        con.close()
    looks_like_pii = {(t, c.lower()) for t, c in columns if PII_NAME.search(c)}
    assert looks_like_pii, "the customer tables have email and phone columns"
    assert looks_like_pii - known == set()


def test_row_access_policy_is_attached_to_customer_relations(snowflake_check: CheckRun) -> None:
    log = "\n".join(str(r["sql"]) for r in _statements(snowflake_check))
    for relation in ("tbl_dim_customer", "vw_customers_masked"):
        assert re.search(
            rf"\.{relation} add row access policy \S+CUSTOMERS_BY_SALES_REGION on \(account_manager\)", log
        ), relation
    body = re.search(r"create row access policy if not exists \S+ as \(account_manager varchar\) returns "
                     r"boolean -> (.+?) comment", log, re.S)
    assert body and "account_managers" in body.group(1).lower()


def test_query_tag_names_every_node(snowflake_check: CheckRun) -> None:
    tagged = set()
    for record in _statements(snowflake_check):
        tag = record["query_tag"]
        if tag and str(tag).startswith("{"):
            tagged.add(json.loads(str(tag))["node"])
    models = {n.node for n in snowflake_check.result.nodes if n.resource_type == "model"}
    assert models - tagged == set()


def test_grants_apply_on_snowflake_only(snowflake_check: CheckRun) -> None:
    sf = json.loads((snowflake_check.work / "snowflake_target" / "manifest.json").read_text())
    duck = json.loads((snowflake_check.work / "duckdb_manifest.json").read_text())
    node = "model.logistics.tbl_dim_customer"
    assert sf["nodes"][node]["config"]["grants"] == {"select": ["ANALYST", "SALES"]}
    assert duck["nodes"][node]["config"]["grants"] == {}
    log = "\n".join(str(r["sql"]) for r in _statements(snowflake_check))
    assert re.search(r"grant select on \S+tbl_dim_customer to ANALYST", log, re.I)


def test_governance_hooks_send_nothing_on_duckdb(snowflake_check: CheckRun) -> None:
    duck_log = (snowflake_check.work / "duckdb_target" / "logs" / "dbt.log").read_text().lower()
    assert "masking policy" not in duck_log
    assert "row access policy" not in duck_log


def test_masked_view_shows_what_the_policy_shows(parity: ParityRun) -> None:
    con = duckdb.connect(str(parity.work / "duckdb.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select masked.email, masked.phone, dim.email, dim.phone "
            "from main_governance.vw_customers_masked as masked "
            "join main_marts.tbl_dim_customer as dim "
            "on dim.customer_id = masked.customer_id and dim.is_current"
        ).fetchall()
    finally:
        con.close()
    assert rows
    for masked_email, masked_phone, email, phone in rows:
        assert masked_email == "*****@" + email.split("@", 1)[1]
        assert masked_phone == "*******" + phone[-4:]
        assert email not in masked_email


def test_cost_views_read_only_documented_columns(snowflake_check: CheckRun) -> None:
    documented = {
        "query_attribution_history": {
            "query_id", "parent_query_id", "root_query_id", "warehouse_id", "warehouse_name", "query_hash",
            "query_parameterized_hash", "query_tag", "user_name", "start_time", "end_time",
            "credits_attributed_compute", "credits_used_query_acceleration",
        },
        "warehouse_metering_history": {
            "start_time", "end_time", "warehouse_id", "warehouse_name", "credits_used",
            "credits_used_compute", "credits_used_cloud_services", "credits_attributed_compute_queries",
        },
    }
    sources = yaml.safe_load((REPO_ROOT / "models/snowflake/_snowflake__sources.yml").read_text())
    for table in sources["sources"][0]["tables"]:
        assert {c["name"] for c in table["columns"]} == documented[table["name"]]
    compiled = snowflake_check.work / "snowflake_target/compiled/logistics/models/snowflake"
    for model, source, alias in (("vw_credits_by_model", "query_attribution_history", "attributed_queries"),
                                 ("vw_warehouse_credits_daily", "warehouse_metering_history", "metering")):
        tree = sqlglot.parse_one((compiled / f"{model}.sql").read_text(), read="snowflake")
        used = {c.name.lower() for c in tree.find_all(exp.Column) if c.table.lower() == alias}
        assert used and used <= documented[source], used - documented[source]


def test_near_real_time_is_a_dynamic_table_with_a_lag(snowflake_check: CheckRun) -> None:
    log = "\n".join(str(r["sql"]) for r in _statements(snowflake_check))
    pattern = r"create (?:or replace )?dynamic table \S+tbl_live_vehicle_positions.*?target_lag = '([^']+)'"
    ddl = re.search(pattern, log, re.S | re.I)
    assert ddl, "the dynamic table DDL reached Snowflake (emulated)"
    amount, unit = ddl.group(1).split()
    assert unit.startswith("minute") and int(amount) >= 1
