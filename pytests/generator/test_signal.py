"""Lateness carries signal: weather, congestion, wear, distance and priority all move it."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.enums import SEEDS_DIR


@pytest.fixture(scope="module")
def on_time(clean_db: Path, q, tbl):
    """``on_time(group_expr, where)`` → {group: on-time rate} over delivered shipments."""
    levels = (SEEDS_DIR / "enum_service_level.csv").as_posix()
    conditions = (SEEDS_DIR / "enum_weather_condition.csv").as_posix()
    base = f"""
        with svc as (select vehicle_id, performed_at, odometer_km from {tbl("maintenance")}
                     where maintenance_type = 'SCHEDULED_SERVICE' and status = 'COMPLETED'),
        starts as (select shipment_id, min(odometer_km) odo from {tbl("telematics")}
                   where shipment_id is not null group by all),
        s as (
            select s.*, r.distance_km, c.severity, t.congestion_index,
                   s.delivered_at <= s.promised_delivery_at + to_minutes(e.on_time_grace_min) as on_time,
                   (st.odo - sv.odometer_km) / v.maintenance_interval_km as wear
            from {tbl("shipments")} s
            join {tbl("routes")} r using (route_id)
            join {tbl("vehicles")} v using (vehicle_id)
            join read_csv('{levels}') e using (service_level)
            join {tbl("weather")} w on w.location_id = r.origin_location_id
                 and w.observed_at = date_trunc('hour', s.planned_pickup_at)
            join read_csv('{conditions}') c on c.weather_condition = w.condition
            join {tbl("traffic")} t on t.location_id = r.origin_location_id
                 and t.observed_at = date_trunc('hour', s.planned_pickup_at)
            join starts st using (shipment_id)
            asof join svc sv on sv.vehicle_id = s.vehicle_id and sv.performed_at <= s.picked_up_at
            where s.status = 'DELIVERED')
    """

    def rate(group: str, where: str = "true") -> dict:
        return dict(
            q(clean_db, f"{base} select {group}, avg(on_time::int) from s where {where} group by all")
        )

    return rate


def test_on_time_rate_is_between_80_and_90_percent(on_time) -> None:
    assert 0.80 <= on_time("'all'")["all"] <= 0.90


def test_severe_weather_at_pickup_makes_deliveries_later(on_time) -> None:
    r = on_time("severity >= 2")
    assert r[False] - r[True] > 0.05


def test_congestion_at_pickup_makes_deliveries_later(on_time) -> None:
    r = on_time("congestion_index >= 0.6")
    assert r[False] - r[True] > 0.04


def test_late_rate_grows_with_km_since_service(on_time) -> None:
    r = on_time("wear >= 0.8")
    assert r[False] - r[True] > 0.03


def test_high_and_critical_priority_are_less_often_late(on_time) -> None:
    r = on_time("priority in ('HIGH', 'CRITICAL')", "service_level = 'STANDARD'")
    assert r[True] - r[False] > 0.03


def test_long_hauls_are_later_than_local_runs(on_time) -> None:
    r = on_time("distance_km >= 250")
    assert r[False] - r[True] > 0.1
