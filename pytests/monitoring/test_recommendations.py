"""vw_ai_recommendations against the facts recomputed by another path."""

from __future__ import annotations

from datetime import timedelta

import duckdb

from warehouse.runtime import ScratchWarehouse


def test_routes_to_replan_are_those_late_over_the_last_28_days(base_build: ScratchWarehouse) -> None:
    with duckdb.connect(str(base_build.db), read_only=True) as con:
        (as_of,) = con.execute(
            "select cast(max(synced_at) as date) from main_staging.tbl_stg_shipments"
        ).fetchone()
        per_route = con.execute("""
            select route_id, count(*), count(*) filter (where is_on_time)
            from main_marts.tbl_fact_shipments
            where is_delivered and not is_deleted and delivered_date > ? and delivered_date <= ?
            group by route_id
        """, [as_of - timedelta(days=28), as_of]).fetchall()
        found = {int(e) for (e,) in con.execute(
            "select entity_id from main_analytics.vw_ai_recommendations "
            "where recommendation_type = 'replan_route'"
        ).fetchall()}
    expected = {route for route, delivered, on_time in per_route
                if delivered >= 10 and on_time / delivered < 0.8}
    assert found == expected


def test_vehicles_due_for_service_from_the_landed_pings_and_maintenance(base_build: ScratchWarehouse) -> None:
    with duckdb.connect(str(base_build.db), read_only=True) as con:
        landed = con.execute("""
            with pinged as (
                select vehicle_id, max(odometer_km) as odometer_km
                from landing_telematics.telematics group by 1
            ),
            serviced as (
                select vehicle_id, max(odometer_km) as odometer_km from landing_azure_sql.maintenance
                where status = 'COMPLETED' group by 1
            )
            select v.vehicle_id, p.odometer_km - coalesce(s.odometer_km, 0), v.maintenance_interval_km
            from landing_azure_sql.vehicles as v
            join pinged as p using (vehicle_id)
            left join serviced as s using (vehicle_id)
        """).fetchall()
        found = dict(con.execute("""
            select cast(entity_id as bigint), detail_value from main_analytics.vw_ai_recommendations
            where recommendation_type = 'service_vehicle' and basis = 'rule'
        """).fetchall())
    expected = {vehicle: km for vehicle, km, interval in landed if km >= 0.9 * interval}
    assert found == expected
    assert found, "no vehicle due at the demo's as-of date: the rule is untested"
