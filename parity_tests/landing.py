"""Landing data for the Snowflake checks.

The parity build lands the generator's data (``python -m generator generate``) at CI scale, so it
can also land a sync and prove the incremental paths. The compile check needs only every model to
build once, fast: :func:`write_fixture_landing` lands a small, valid, deterministic data set with
exactly the columns of ``generator/schema.py``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb

from generator.schema import DEFAULT_SCHEMAS, TABLES
from warehouse.runtime import REPO_ROOT

# One SELECT per landing table, in the columns' landing order. Every row passes staging validation:
# enumerations from the seeds, no orphans, timestamps before _fivetran_synced, weights within capacity.
_SYNCED = "timestamp '2025-01-08 00:00:00'"
_FIXTURE_SQL: dict[str, str] = {
    "customers": f"""
        select i as customer_id,
               'Customer ' || i as name,
               (['ENTERPRISE', 'SMB', 'GOVERNMENT', 'RETAIL'])[1 + i % 4] as customer_type,
               (['RETAIL', 'MANUFACTURING', 'FOOD_BEVERAGE', 'PHARMA'])[1 + i % 4] as industry,
               'billing' || i || '@customer' || i || '.example' as email,
               '+1 555 01' || lpad(cast(i as varchar), 2, '0') as phone,
               (['Boston', 'Chicago', 'Hamburg', 'Leeds', 'Sydney'])[1 + i % 5] as city,
               (['US', 'US', 'DE', 'GB', 'AU'])[1 + i % 5] as country,
               (['Alice Moreno', 'Brian Okafor', 'Elena Petrova', 'Harry Patel', 'Isla Thompson'])[1 + i % 5]
                   as account_manager,
               cast(10000 + i * 250.5 as decimal(14, 2)) as credit_limit_usd,
               cast(30 + 15 * (i % 3) as integer) as payment_terms_days,
               timestamp '2024-01-01 08:00:00' + to_days(cast(i as integer)) as created_at,
               timestamp '2024-06-01 08:00:00' + to_days(cast(i as integer)) as updated_at,
               {_SYNCED} as _fivetran_synced,
               i = 20 as _fivetran_deleted
        from range(1, 21) as t(i)""",
    "locations": f"""
        select i as location_id,
               'Site ' || i as name,
               (['DEPOT', 'HUB', 'CUSTOMER_SITE'])[1 + i % 3] as location_type,
               (['Boston', 'Chicago', 'Hamburg', 'Leeds', 'Sydney'])[1 + i % 5] as city,
               (['US-EAST', 'US-CENTRAL', 'DE-NORTH', 'GB-NORTH', 'AU-EAST'])[1 + i % 5] as region,
               (['US', 'US', 'DE', 'GB', 'AU'])[1 + i % 5] as country,
               40.0 + i * 0.37 as latitude,
               -70.0 - i * 0.53 as longitude,
               timestamp '2024-01-01 00:00:00' as created_at,
               timestamp '2024-01-02 00:00:00' + to_hours(cast(i as integer)) as updated_at,
               {_SYNCED} as _fivetran_synced,
               false as _fivetran_deleted
        from range(1, 11) as t(i)""",
    "routes": f"""
        select i as route_id,
               1 + i % 10 as origin_location_id,
               1 + (i * 3 + 1) % 10 as destination_location_id,
               25.0 + i * 61.7 as distance_km,
               cast(30 + i * 47 as integer) as planned_duration_min,
               timestamp '2024-01-05 00:00:00' as created_at,
               timestamp '2024-01-05 00:00:00' + to_minutes(cast(i as integer)) as updated_at,
               {_SYNCED} as _fivetran_synced,
               false as _fivetran_deleted
        from range(1, 16) as t(i)""",
    "vehicles": f"""
        select i as vehicle_id,
               'REG-' || lpad(cast(i as varchar), 4, '0') as registration_number,
               (['VAN', 'BOX_TRUCK', 'RIGID_TRUCK', 'TRACTOR_TRAILER'])[1 + i % 4] as vehicle_type,
               'Make' || (i % 3) as make,
               'Model' || (i % 5) as model,
               cast(2015 + i % 9 as integer) as model_year,
               (['DIESEL', 'PETROL', 'LPG', 'ELECTRIC'])[1 + i % 4] as fuel_type,
               ([1200.0, 4000.0, 11000.0, 24000.0])[1 + i % 4] as capacity_kg,
               ([10.0, 30.0, 50.0, 90.0])[1 + i % 4] as capacity_m3,
               case when i % 4 = 3 then null else 10.0 + i end as fuel_l_per_100km,
               case when i % 4 = 3 then 25.0 + i end as kwh_per_100km,
               cast(30000 + 10000 * (i % 4) as integer) as maintenance_interval_km,
               10000.0 + i * 1234.5 as odometer_km,
               (['ACTIVE', 'ACTIVE', 'IN_MAINTENANCE', 'ACTIVE'])[1 + i % 4] as status,
               1 + i % 10 as home_location_id,
               date '2020-01-01' + cast(i * 30 as integer) as purchase_date,
               cast(50000 + i * 1000 as decimal(14, 2)) as purchase_price_usd,
               timestamp '2023-01-01 00:00:00' as created_at,
               timestamp '2024-03-01 00:00:00' + to_hours(cast(i as integer)) as updated_at,
               {_SYNCED} as _fivetran_synced,
               false as _fivetran_deleted
        from range(1, 13) as t(i)""",
    "shipments": f"""
        select i as shipment_id,
               1 + i % 19 as customer_id,
               1 + i % 15 as route_id,
               1 + i % 12 as vehicle_id,
               (['CREATED', 'ASSIGNED', 'IN_TRANSIT', 'DELIVERED', 'DELIVERED'])[1 + i % 5] as status,
               (['LOW', 'NORMAL', 'HIGH', 'CRITICAL'])[1 + i % 4] as priority,
               (['ECONOMY', 'STANDARD', 'EXPRESS'])[1 + i % 3] as service_level,
               100.0 + (i % 7) * 100.25 as weight_kg,
               1.0 + (i % 5) * 0.5 as volume_m3,
               cast(500 + i * 3.75 as decimal(14, 2)) as revenue_usd,
               cast(80 + i * 0.5 as decimal(14, 2)) as fuel_cost_usd,
               cast(120 + i * 0.25 as decimal(14, 2)) as driver_cost_usd,
               cast(i % 4 * 2.5 as decimal(14, 2)) as toll_cost_usd,
               timestamp '2025-01-01 06:00:00' + to_minutes(cast(i * 17 as integer)) as planned_pickup_at,
               case when i % 5 >= 2
                   then timestamp '2025-01-01 06:10:00' + to_minutes(cast(i * 17 as integer)) end
                   as picked_up_at,
               timestamp '2025-01-01 12:00:00' + to_minutes(cast(i * 17 as integer)) as promised_delivery_at,
               case when i % 5 >= 3
                   then timestamp '2025-01-01 11:30:00' + to_minutes(cast(i * 17 + (i % 3) * 40 as integer))
               end as delivered_at,
               timestamp '2024-12-31 00:00:00' + to_minutes(cast(i as integer)) as created_at,
               timestamp '2025-01-06 00:00:00' + to_minutes(cast(i as integer)) as updated_at,
               {_SYNCED} as _fivetran_synced,
               false as _fivetran_deleted
        from range(1, 201) as t(i)""",
    "maintenance": f"""
        select i as maintenance_id,
               1 + i % 12 as vehicle_id,
               (['SCHEDULED_SERVICE', 'INSPECTION', 'TIRE_REPLACEMENT', 'BREAKDOWN'])[1 + i % 4]
                   as maintenance_type,
               (['SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'COMPLETED'])[1 + i % 4] as status,
               timestamp '2024-06-01 09:00:00' + to_days(cast(i * 5 as integer)) as performed_at,
               20000.0 + i * 800.0 as odometer_km,
               cast(100 + i * 12.5 as decimal(14, 2)) as parts_cost_usd,
               cast(80 + i * 7.25 as decimal(14, 2)) as labor_cost_usd,
               1.5 + i % 6 as downtime_hours,
               'Workshop ' || (i % 4) as provider,
               timestamp '2024-06-01 08:00:00' + to_days(cast(i * 5 as integer)) as created_at,
               timestamp '2024-06-02 08:00:00' + to_days(cast(i * 5 as integer)) as updated_at,
               {_SYNCED} as _fivetran_synced,
               false as _fivetran_deleted
        from range(1, 31) as t(i)""",
    "telematics": f"""
        select i as telemetry_id,
               1 + i % 12 as vehicle_id,
               case when i % 3 = 0 then null else 1 + i % 200 end as shipment_id,
               timestamp '2025-01-01 06:00:00' + to_minutes(cast(i * 5 as integer)) as recorded_at,
               40.0 + (i % 50) * 0.01 as latitude,
               -70.0 - (i % 50) * 0.01 as longitude,
               (i % 9) * 12.5 as speed_kmh,
               800.0 + (i % 11) * 150.0 as engine_rpm,
               70.0 + (i % 13) * 1.5 as engine_temp_c,
               95.0 - (i % 60) as fuel_level_pct,
               50000.0 + i * 2.125 as odometer_km,
               24.0 + (i % 4) * 0.1 as battery_voltage,
               i % 37 = 0 as harsh_braking,
               i % 41 = 0 as harsh_acceleration,
               {_SYNCED} as _fivetran_synced,
               false as _fivetran_deleted
        from range(1, 501) as t(i)""",
    "weather": f"""
        select l as location_id,
               timestamp '2025-01-01 00:00:00' + to_hours(cast(h as integer)) as observed_at,
               -5.0 + (l * 7 + h) % 30 * 0.9 as temperature_c,
               ((l + h) % 5) * 0.8 as precipitation_mm,
               5.0 + (l * h) % 40 as wind_speed_kmh,
               1.0 + (l + h) % 20 as visibility_km,
               (['CLEAR', 'CLOUDY', 'RAIN', 'FOG', 'SNOW'])[1 + (l + h) % 5] as condition,
               {_SYNCED} as _fivetran_synced,
               false as _fivetran_deleted
        from range(1, 11) as a(l), range(0, 48) as b(h)""",
    "traffic": f"""
        select l as location_id,
               timestamp '2025-01-01 00:00:00' + to_hours(cast(h as integer)) as observed_at,
               ((l * 3 + h) % 10) / 10.0 as congestion_index,
               20.0 + (l + h) % 60 as avg_speed_kmh,
               cast((l + h) % 3 as integer) as incident_count,
               {_SYNCED} as _fivetran_synced,
               false as _fivetran_deleted
        from range(1, 11) as a(l), range(0, 48) as b(h)""",
}


def write_fixture_landing(db_path: Path) -> None:
    """Land the small fixture data set in ``db_path`` (replacing the landing tables)."""
    con = duckdb.connect(str(db_path))
    try:
        for table in TABLES:
            schema = DEFAULT_SCHEMAS[table.connector]
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"drop table if exists {schema}.{table.name}")
            con.execute(table.ddl(schema))
            columns = ", ".join(c.name for c in table.all_columns)
            con.execute(
                f"insert into {schema}.{table.name} ({columns}) "
                f"select {columns} from ({_FIXTURE_SQL[table.name]})"
            )
    finally:
        con.close()


# CI scale of the Snowflake checks: a quarter of simulated time at scale 0.01 (every table has rows,
# every model builds, the parity run fits in CI).
CI_SCALE = 0.01
CI_START = "2025-10-01"
CI_END = "2025-12-31"


def write_landing(
    db_path: Path,
    scale: float = CI_SCALE,
    seed: int = 42,
    start: str | None = CI_START,
    end: str | None = CI_END,
    timeout_s: float = 300,
) -> None:
    """Land the generator's data (scale, seed, start..end) in ``db_path``."""
    args = [sys.executable, "-m", "generator", "generate", "--quiet", "--scale", str(scale),
            "--seed", str(seed), "--db", str(db_path)]
    args += ["--start", start] if start else []
    args += ["--end", end] if end else []
    subprocess.run(args, cwd=REPO_ROOT, check=True, timeout=timeout_s, capture_output=True, text=True)
