"""`just check-snowflake` passes on the project and fails on non-portable SQL (the probes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parity_tests import check_snowflake
from parity_tests.check_snowflake import CheckResult

from .conftest import CLUSTER_PROBE, PII_PROBE, REGEX_PROBE, CheckRun


def test_every_project_node_passes_the_check(snowflake_check: CheckRun) -> None:
    failing = [n for n in snowflake_check.result.failures if ".probe_" not in n.node]
    report = check_snowflake.format_table(CheckResult(failing, 0.0), failures_only=True)
    assert not failing, report
    assert not snowflake_check.result.notes, snowflake_check.result.notes


def test_check_covers_models_tests_snapshots_unit_tests_and_operations(snowflake_check: CheckRun) -> None:
    types = {n.resource_type for n in snowflake_check.result.nodes}
    assert {"model", "test", "snapshot", "seed", "unit_test", "operation"} <= types
    models = [n for n in snowflake_check.result.nodes if n.resource_type == "model"]
    assert len(models) > 50
    assert all(n.statements > 0 for n in models)


def test_duckdb_only_function_fails_the_check(snowflake_check: CheckRun) -> None:
    probe = snowflake_check.node(REGEX_PROBE)
    assert not probe.ok
    assert any("REGEXP_MATCHES()" in p for p in probe.problems), probe.problems
    assert any(h.construct.startswith("regexp") for h in probe.hazards), probe.hazards
    assert not snowflake_check.result.ok


def test_check_exits_non_zero_on_a_failure(
    snowflake_check: CheckRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(check_snowflake, "run_check", lambda *args, **kwargs: snowflake_check.result)
    assert check_snowflake.main([]) == 1
    passing = CheckResult([n for n in snowflake_check.result.nodes if n.ok], 1.0)
    monkeypatch.setattr(check_snowflake, "run_check", lambda *args, **kwargs: passing)
    assert check_snowflake.main([]) == 0


def test_incremental_branches_are_compiled_too(snowflake_check: CheckRun) -> None:
    node = snowflake_check.node("model.logistics.tbl_raw_customers")
    assert node.compiled == ["first", "incremental"]
    rel = Path("logistics/models/raw/azure_sql/tbl_raw_customers.sql")
    first = (snowflake_check.work / "snowflake_first" / rel).read_text()
    incremental = (snowflake_check.work / "snowflake_target" / "compiled" / rel).read_text()
    assert "_fivetran_synced >" not in first
    assert "_fivetran_synced >" in incremental


def test_run_operations_are_dry_run_and_parsed(snowflake_check: CheckRun) -> None:
    for name in ("create_role_hierarchy", "deploy_policies", "setup_warehouses", "enable_change_tracking",
                 "audit_grants", "drop_ci_schemas"):
        op = snowflake_check.node(f"operation.{name}")
        assert op.ok, op.problems
        assert op.statements >= 1


def test_hooks_are_executed_and_parsed(snowflake_check: CheckRun) -> None:
    # masking post-hook statements of the customer dimension are among the statements checked
    log = (snowflake_check.work / "emulator" / "statements.jsonl").read_text()
    assert "tbl_dim_customer modify column email set masking policy" in log
    dim = snowflake_check.node("model.logistics.tbl_dim_customer")
    assert dim.ok and dim.statements > 10


def test_pii_kind_without_masking_fails_the_build(snowflake_check: CheckRun) -> None:
    probe = snowflake_check.node(PII_PROBE)
    assert any("no masking policy" in e for e in probe.compile_errors), probe.compile_errors


def test_cluster_by_reaches_snowflake_and_is_ignored_by_duckdb(snowflake_check: CheckRun) -> None:
    probe = snowflake_check.node(CLUSTER_PROBE)
    assert probe.ok, (probe.compile_errors, probe.problems)
    assert probe.duckdb_compiled > 0  # built on DuckDB too: dbt-duckdb ignores cluster_by
    log = (snowflake_check.work / "emulator" / "statements.jsonl").read_text()
    assert "probe_clustered" in log and "cluster by (customer_id)" in log
