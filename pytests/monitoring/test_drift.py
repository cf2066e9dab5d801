"""Feature drift against known truth: the generator's injected drifts flag exactly the features
derived from the shifted distribution, and the SQL statistics equal a scipy reference to 1e-9."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import numpy as np
import pytest

from warehouse.runtime import ScratchWarehouse

from .conftest import drift_scenario, run_monitor
from .drift_reference import category_shares, decile_edges, js_distance, ks_statistic, psi, shares

# Which monitored features each generator drift (generator/drift.py) feeds; every other feature
# must stay undrifted. Factors strong enough to be visible on a week of CI-scale data.
DRIFTS = {
    "fuel_price=1.5": {"fuel_cost_per_km_usd"},
    "congestion=2": {"congestion_index", "avg_speed_kmh"},
    "weather_severity=10": {"weather_condition"},
}
SHIPMENTS = ("from main_marts.tbl_fact_shipments "
             "where not is_deleted and not is_cancelled and picked_up_at is not null")
FEATURE_VALUES = {
    "fuel_cost_per_km_usd":
        f"select cast(picked_up_at as date), fuel_cost_usd / nullif(distance_km, 0) {SHIPMENTS}",
    "weight_kg": f"select cast(picked_up_at as date), weight_kg {SHIPMENTS}",
    "avg_speed_kmh": "select observed_date, avg_speed_kmh from main_marts.tbl_dim_traffic_conditions "
                     "where not is_deleted",
    "weather_condition": "select observed_date, weather_condition from main_marts.tbl_dim_weather "
                         "where not is_deleted",
}


@pytest.fixture(scope="module", params=sorted(DRIFTS))
def drifted(request: pytest.FixtureRequest, base_build: ScratchWarehouse,
            tmp_path_factory: pytest.TempPathFactory) -> tuple[str, ScratchWarehouse]:
    """A warehouse after a week of one injected drift."""
    name = request.param.split("=")[0]
    return request.param, drift_scenario(base_build, tmp_path_factory, name, request.param)


@pytest.fixture(scope="module")
def undrifted(base_build: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory) -> ScratchWarehouse:
    """A warehouse after a clean week."""
    return drift_scenario(base_build, tmp_path_factory, "none")


def _statuses(build: ScratchWarehouse) -> dict[str, str]:
    with duckdb.connect(str(build.db), read_only=True) as con:
        return dict(con.execute(
            "select distinct feature_name, feature_drift_status "
            "from main_ml.vw_ml_feature_monitoring"
        ).fetchall())


def test_an_injected_drift_flags_exactly_its_derived_features(drifted: tuple[str, ScratchWarehouse]) -> None:
    drift, build = drifted
    statuses = _statuses(build)
    flagged = {feature for feature, status in statuses.items() if status == "drifted"}
    assert flagged == DRIFTS[drift], statuses
    assert "insufficient_data" not in statuses.values(), statuses
    result = run_monitor(build)
    assert result.returncode == 1, result.stdout
    with duckdb.connect(str(build.db), read_only=True) as con:
        alerted = {s for (s,) in con.execute(
            "select subject from monitoring.alerts where rule_name = 'feature_drift' and status = 'firing'"
        ).fetchall()}
    assert alerted == DRIFTS[drift]


def test_a_clean_week_flags_nothing(undrifted: ScratchWarehouse) -> None:
    statuses = _statuses(undrifted)
    assert set(statuses.values()) <= {"stable", "moderate"}, statuses
    assert run_monitor(undrifted).returncode == 0


def _reference_statistics(con: duckdb.DuckDBPyConnection, feature: str, as_of: date,
                          first_day: date) -> tuple[float, float, float | None]:
    rows = [(d, v) for d, v in con.execute(FEATURE_VALUES[feature]).fetchall() if v is not None]
    reference = [v for d, v in rows if as_of - timedelta(days=34) <= d <= as_of - timedelta(days=7)]
    current = [v for d, v in rows if first_day <= d <= as_of]
    if feature == "weather_condition":
        ref_shares, cur_shares = category_shares(reference, current)
        return psi(ref_shares, cur_shares), js_distance(ref_shares, cur_shares), None
    ref, cur = np.array(reference, dtype=float), np.array(current, dtype=float)
    edges = decile_edges(ref)
    ref_shares, cur_shares = shares(ref, edges), shares(cur, edges)
    return psi(ref_shares, cur_shares), js_distance(ref_shares, cur_shares), ks_statistic(ref, cur)


def test_sql_statistics_equal_the_scipy_reference(undrifted: ScratchWarehouse) -> None:
    with duckdb.connect(str(undrifted.db), read_only=True) as con:
        (as_of,) = con.execute(
            "select cast(max(synced_at) as date) from main_staging.tbl_stg_shipments"
        ).fetchone()
        found = {(f, w): (p, j, k) for f, w, p, j, k in con.execute(
            "select feature_name, window_name, psi, js_distance, ks_statistic "
            "from main_ml.vw_ml_feature_monitoring"
        ).fetchall()}
        for feature in FEATURE_VALUES:
            for window, first_day in (("last_1d", as_of), ("last_7d", as_of - timedelta(days=6))):
                expected = _reference_statistics(con, feature, as_of, first_day)
                for got, want in zip(found[(feature, window)], expected, strict=True):
                    if want is None:
                        assert got is None
                    else:
                        assert abs(got - want) <= 1e-9, (feature, window, got, want)
