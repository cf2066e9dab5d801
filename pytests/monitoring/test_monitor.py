"""``just monitor`` on built warehouses: the right alerts on a stalled source and a dirty sync, none
on a clean one."""

from __future__ import annotations

import duckdb

from warehouse.runtime import ScratchWarehouse

from .conftest import run_monitor


def _firing(build: ScratchWarehouse) -> set[tuple[str, str]]:
    with duckdb.connect(str(build.db), read_only=True) as con:
        return set(con.execute(
            "select rule_name, subject from monitoring.alerts where status = 'firing'"
        ).fetchall())


def test_clean_sync_raises_no_alert_and_exits_zero(clean_sync: ScratchWarehouse) -> None:
    result = run_monitor(clean_sync)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 firing" in result.stdout
    assert _firing(clean_sync) == set()


def test_stalled_connector_fires_freshness_for_that_source_only(stalled_sync: ScratchWarehouse) -> None:
    result = run_monitor(stalled_sync)
    assert result.returncode == 1, result.stdout + result.stderr
    assert {subject for rule, subject in _firing(stalled_sync) if rule == "freshness_sla"} == {"weather_api"}
    again = run_monitor(stalled_sync)
    assert again.returncode == 1
    with duckdb.connect(str(stalled_sync.db), read_only=True) as con:
        rows = con.execute(
            "select count(*), max(evaluations_firing) from monitoring.alerts "
            "where rule_name = 'freshness_sla'"
        ).fetchone()
    assert rows == (1, 2)  # firing again is the same alert


def test_dirty_sync_fires_data_quality_and_quarantine_jump(dirty_sync: ScratchWarehouse) -> None:
    result = run_monitor(dirty_sync)
    assert result.returncode == 1, result.stdout + result.stderr
    firing = _firing(dirty_sync)
    rules = {rule for rule, _ in firing}
    assert rules == {"data_quality_below_target", "quarantine_rate_jump"}, firing
    assert ("quarantine_rate_jump", "tbl_stg_shipments") in firing
    assert not any(rule == "freshness_sla" for rule, _ in firing)


def test_monitor_without_a_warehouse_fails_in_one_line(tmp_path) -> None:
    build = ScratchWarehouse(tmp_path)
    result = run_monitor(build)
    assert result.returncode == 2
    assert result.stderr.startswith("error: no warehouse at") and result.stderr.count("\n") == 1
