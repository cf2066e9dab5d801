"""Each alert rule fires on data that breaks it and stays quiet on data that does not.

The rules read the monitoring views by name; here those views are small tables in a scratch DuckDB
file with rows written for the case, so each rule's threshold is exercised on both sides.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from monitoring.rules import RULES

AS_OF = datetime(2026, 1, 3, 23, 59, 59)


def _freshness(con: duckdb.DuckDBPyConnection, weather_landed_at: datetime) -> None:
    con.execute("create schema if not exists main_analytics")
    con.execute("""
        create or replace table main_analytics.vw_data_freshness_monitoring (
            source_name varchar, freshness_status varchar, hours_behind_freshest_source double,
            hours_behind_as_of double, freshness_sla_hours double, error_after_hours double,
            last_landed_at timestamp, freshest_landed_at timestamp, as_of_at timestamp)
    """)
    for source, landed in (("azure_sql", AS_OF), ("telematics", AS_OF), ("weather_api", weather_landed_at)):
        behind = (AS_OF - landed).total_seconds() / 3600
        status = "stalled" if behind > 12 else "fresh"
        con.execute(
            "insert into main_analytics.vw_data_freshness_monitoring values (?, ?, ?, ?, 12, 72, ?, ?, ?)",
            [source, status, behind, behind, landed, AS_OF, AS_OF],
        )


def _sla(con: duckdb.DuckDBPyConnection, days: list[tuple[date, int, int, int, int]]) -> None:
    """days: (data_date, tests_run, tests_passed, rows_kept, rows_quarantined) of tbl_stg_shipments."""
    con.execute("create schema if not exists main_analytics")
    con.execute("""
        create or replace table main_analytics.vw_data_quality_sla (
            node_id varchar, data_date date, tests_run bigint, tests_passed bigint, tests_warned bigint,
            tests_failed bigint, failing_rows bigint, rows_kept bigint, rows_quarantined bigint,
            test_pass_pct double, quarantine_pct double, test_pass_target_pct double,
            quarantine_max_pct double, is_sla_met boolean)
    """)
    for day, run, passed, kept, quarantined in days:
        pass_pct = 100.0 * passed / run if run else None
        q_pct = 100.0 * quarantined / (kept + quarantined) if kept + quarantined else None
        met = (pass_pct is None or pass_pct >= 100) and (q_pct is None or q_pct <= 2)
        con.execute(
            "insert into main_analytics.vw_data_quality_sla values "
            "('model.logistics.tbl_stg_shipments', ?, ?, ?, 0, ?, 0, ?, ?, ?, ?, 100, 2, ?)",
            [day, run, passed, run - passed, kept, quarantined, pass_pct, q_pct, met],
        )


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(tmp_path / "rules.duckdb"))
    yield connection
    connection.close()


def test_freshness_fires_on_a_source_a_day_behind_the_others(con: duckdb.DuckDBPyConnection) -> None:
    _freshness(con, AS_OF - timedelta(days=1))
    firings = RULES["freshness_sla"].evaluate(con)
    assert [(f.subject, f.severity) for f in firings] == [("weather_api", "critical")]
    assert firings[0].evidence["hours_behind_freshest_source"] == 24


def test_freshness_is_quiet_when_every_source_landed_the_last_sync(con: duckdb.DuckDBPyConnection) -> None:
    _freshness(con, AS_OF - timedelta(hours=1))
    assert RULES["freshness_sla"].evaluate(con) == []


def test_data_quality_fires_on_a_failing_test_on_the_latest_day(con: duckdb.DuckDBPyConnection) -> None:
    _sla(con, [(date(2026, 1, 2), 10, 10, 1000, 0), (date(2026, 1, 3), 10, 9, 1000, 0)])
    firings = RULES["data_quality_below_target"].evaluate(con)
    assert [f.subject for f in firings] == ["tbl_stg_shipments"]
    assert "1 of 10 tests failing" in firings[0].summary


def test_data_quality_fires_on_quarantine_above_the_maximum(con: duckdb.DuckDBPyConnection) -> None:
    _sla(con, [(date(2026, 1, 3), 10, 10, 970, 30)])
    firings = RULES["data_quality_below_target"].evaluate(con)
    assert [f.subject for f in firings] == ["tbl_stg_shipments"]
    assert "3.00% of rows quarantined" in firings[0].summary


def test_data_quality_is_quiet_when_only_an_older_day_missed(con: duckdb.DuckDBPyConnection) -> None:
    _sla(con, [(date(2026, 1, 2), 10, 5, 900, 100), (date(2026, 1, 3), 10, 10, 990, 10)])
    assert RULES["data_quality_below_target"].evaluate(con) == []


def test_quarantine_jump_fires_against_the_days_before(con: duckdb.DuckDBPyConnection) -> None:
    _sla(con, [(date(2026, 1, 1), 0, 0, 1000, 2), (date(2026, 1, 2), 0, 0, 1000, 2),
               (date(2026, 1, 3), 0, 0, 980, 20)])
    firings = RULES["quarantine_rate_jump"].evaluate(con)
    assert [(f.subject, f.severity) for f in firings] == [("tbl_stg_shipments", "warning")]
    assert firings[0].evidence["baseline_days"] == 2


@pytest.mark.parametrize(
    "latest",
    [
        (date(2026, 1, 3), 0, 0, 990, 10),  # 1.0 %: below 3 x the 0.2 % baseline... and +0.8 points only
        (date(2026, 1, 3), 0, 0, 10, 2),    # a high rate on too few rows to judge
    ],
)
def test_quarantine_jump_is_quiet_on_a_small_or_thin_change(
    con: duckdb.DuckDBPyConnection, latest: tuple[date, int, int, int, int]
) -> None:
    _sla(con, [(date(2026, 1, 1), 0, 0, 1000, 2), (date(2026, 1, 2), 0, 0, 1000, 2), latest])
    assert RULES["quarantine_rate_jump"].evaluate(con) == []


def test_quarantine_jump_needs_a_baseline(con: duckdb.DuckDBPyConnection) -> None:
    _sla(con, [(date(2026, 1, 3), 0, 0, 900, 100)])
    assert RULES["quarantine_rate_jump"].evaluate(con) == []


def _feature_monitoring(con: duckdb.DuckDBPyConnection, rows: list[tuple[str, str, float, str]]) -> None:
    """rows: (monitored_for, feature_name, psi, drift_status) of the last_7d window."""
    con.execute("create schema if not exists main_ml")
    con.execute("""
        create or replace table main_ml.vw_ml_feature_monitoring (
            monitored_for varchar, model_version integer, feature_name varchar, feature_set varchar,
            window_name varchar, psi double, js_distance double, ks_statistic double, current_rows bigint,
            reference_rows bigint, drift_status varchar, feature_drift_status varchar)
    """)
    for monitored_for, feature, value, status in rows:
        version = None if monitored_for == "warehouse" else 1
        feature_set = "shipments" if monitored_for == "warehouse" else monitored_for
        con.execute(
            "insert into main_ml.vw_ml_feature_monitoring values (?, ?, ?, ?, 'last_7d', ?, 0.2, null, 500, "
            "9000, ?, ?)",
            [monitored_for, version, feature, feature_set, value, status, status],
        )


def test_model_feature_drift_fires_on_a_models_input_only(con: duckdb.DuckDBPyConnection) -> None:
    _feature_monitoring(con, [("late_delivery_risk", "distance_km", 0.4, "drifted"),
                              ("late_delivery_risk", "weight_kg", 0.05, "stable"),
                              ("warehouse", "distance_km", 0.3, "drifted")])
    firings = RULES["model_feature_drift"].evaluate(con)
    assert [(f.subject, f.severity) for f in firings] == [("late_delivery_risk:distance_km", "warning")]
    assert [f.subject for f in RULES["feature_drift"].evaluate(con)] == ["distance_km"]


def test_model_feature_drift_is_quiet_below_the_drifted_threshold(con: duckdb.DuckDBPyConnection) -> None:
    _feature_monitoring(con, [("late_delivery_risk", "distance_km", 0.2, "moderate"),
                              ("warehouse", "distance_km", 0.3, "drifted")])
    assert RULES["model_feature_drift"].evaluate(con) == []
