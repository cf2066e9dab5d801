"""Clean data is referentially whole, uses only seed enumerations and respects the clock."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.enums import SEEDS_DIR

FOREIGN_KEYS = [
    ("shipments", "customer_id", "customers", "customer_id"),
    ("shipments", "route_id", "routes", "route_id"),
    ("shipments", "vehicle_id", "vehicles", "vehicle_id"),
    ("routes", "origin_location_id", "locations", "location_id"),
    ("routes", "destination_location_id", "locations", "location_id"),
    ("vehicles", "home_location_id", "locations", "location_id"),
    ("maintenance", "vehicle_id", "vehicles", "vehicle_id"),
    ("telematics", "vehicle_id", "vehicles", "vehicle_id"),
    ("telematics", "shipment_id", "shipments", "shipment_id"),
    ("weather", "location_id", "locations", "location_id"),
    ("traffic", "location_id", "locations", "location_id"),
]

ENUMS = [
    ("customers", "customer_type", "enum_customer_type", "customer_type"),
    ("customers", "industry", "enum_industry", "industry"),
    ("customers", "account_manager", "account_managers", "account_manager"),
    ("locations", "location_type", "enum_location_type", "location_type"),
    ("vehicles", "vehicle_type", "enum_vehicle_type", "vehicle_type"),
    ("vehicles", "fuel_type", "enum_fuel_type", "fuel_type"),
    ("vehicles", "status", "enum_vehicle_status", "vehicle_status"),
    ("shipments", "status", "enum_shipment_status", "shipment_status"),
    ("shipments", "priority", "enum_shipment_priority", "priority"),
    ("shipments", "service_level", "enum_service_level", "service_level"),
    ("maintenance", "maintenance_type", "enum_maintenance_type", "maintenance_type"),
    ("maintenance", "status", "enum_maintenance_status", "maintenance_status"),
    ("weather", "condition", "enum_weather_condition", "weather_condition"),
]

# Columns that record something that happened (plans and promises may lie after the clock).
EVENT_TIMESTAMPS = {
    "customers": ("created_at", "updated_at"),
    "locations": ("created_at", "updated_at"),
    "routes": ("created_at", "updated_at"),
    "vehicles": ("created_at", "updated_at"),
    "shipments": ("created_at", "updated_at", "picked_up_at", "delivered_at"),
    "maintenance": ("created_at", "updated_at"),
    "telematics": ("recorded_at",),
    "weather": ("observed_at",),
    "traffic": ("observed_at",),
}


@pytest.fixture(params=["clean_db", "synced_db"])
def db(request: pytest.FixtureRequest) -> Path:
    """Both the initial load and the load after syncs."""
    return request.getfixturevalue(request.param)


@pytest.mark.parametrize(("child", "fk", "parent", "pk"), FOREIGN_KEYS)
def test_every_foreign_key_resolves(db: Path, q, tbl, child: str, fk: str, parent: str, pk: str) -> None:
    orphans = q(
        db,
        f"select count(*) from {tbl(child)} c where c.{fk} is not null "
        f"and not exists (select 1 from {tbl(parent)} p where p.{pk} = c.{fk})",
    )[0][0]
    total = q(db, f"select count({fk}) from {tbl(child)}")[0][0]
    assert total > 0
    assert orphans == 0


@pytest.mark.parametrize(("table", "column", "seed", "seed_column"), ENUMS)
def test_every_enum_value_is_in_its_seed(
    db: Path, q, tbl, table: str, column: str, seed: str, seed_column: str
) -> None:
    path = (SEEDS_DIR / f"{seed}.csv").as_posix()
    bad = q(
        db,
        f"select distinct {column} from {tbl(table)} where {column} not in "
        f"(select {seed_column} from read_csv('{path}', all_varchar = true))",
    )
    assert bad == []


def test_every_seed_value_of_key_enumerations_occurs(clean_db: Path, q, tbl) -> None:
    wanted = {
        ("shipments", "priority"),
        ("shipments", "service_level"),
        ("maintenance", "maintenance_type"),
        ("weather", "condition"),
        ("locations", "location_type"),
        ("customers", "customer_type"),
    }
    for table, column, seed, seed_column in [e for e in ENUMS if e[:2] in wanted]:
        path = (SEEDS_DIR / f"{seed}.csv").as_posix()
        missing = q(
            clean_db,
            f"select {seed_column} from read_csv('{path}', all_varchar = true) "
            f"except select {column} from {tbl(table)}",
        )
        assert missing == [], (table, column)


@pytest.mark.parametrize("table", sorted(EVENT_TIMESTAMPS))
def test_no_event_timestamp_after_the_clock(db: Path, q, tbl, table: str) -> None:
    clock = q(db, "select clock from main._generator_state")[0][0]
    cols = EVENT_TIMESTAMPS[table] + ("_fivetran_synced",)
    latest = q(db, f"select greatest({', '.join(f'max({c})' for c in cols)}) from {tbl(table)}")[0][0]
    assert latest <= clock


def test_initial_load_ends_on_the_end_date(clean_db: Path, q, tbl) -> None:
    latest = q(
        clean_db, f"select max(observed_at)::date, max(_fivetran_synced)::varchar from {tbl('weather')}"
    )[0]
    assert str(latest[0]) == "2025-12-31"
    assert latest[1] == "2025-12-31 23:59:59"


def test_odometers_never_decrease_per_vehicle(db: Path, q, tbl) -> None:
    back = q(
        db,
        f"""
        select count(*) from (
            select odometer_km
                   - lag(odometer_km) over (partition by vehicle_id order by recorded_at, telemetry_id) d
            from (select distinct * exclude (_fivetran_synced) from {tbl("telematics")})
        ) where d < 0""",
    )[0][0]
    assert back == 0


def test_maintenance_odometers_sit_between_the_pings_around_them(db: Path, q, tbl) -> None:
    bad = q(
        db,
        f"""
        with m as (select * from {tbl("maintenance")} where status = 'COMPLETED')
        select count(*) from m
        where (select max(t.odometer_km) from {tbl("telematics")} t
               where t.vehicle_id = m.vehicle_id and t.recorded_at < m.performed_at) > m.odometer_km + 0.05
           or (select min(t.odometer_km) from {tbl("telematics")} t where t.vehicle_id = m.vehicle_id
               and t.recorded_at > m.performed_at + to_seconds(cast(m.downtime_hours * 3600 as bigint)))
              < m.odometer_km - 0.05""",
    )[0][0]
    assert bad == 0


def test_vehicle_odometer_is_the_last_workshop_reading(synced_db: Path, q, tbl) -> None:
    rows = q(
        synced_db,
        f"""
        with last as (
            select vehicle_id, arg_max(odometer_km, performed_at) odo from {tbl("maintenance")}
            where status = 'COMPLETED' group by all)
        select count(*), count(*) filter (where abs(v.odometer_km - last.odo) > 0.05)
        from {tbl("vehicles")} v join last using (vehicle_id) where v.status = 'ACTIVE'""",
    )[0]
    assert rows[0] > 0
    assert rows[1] == 0


def test_route_distance_is_great_circle_times_a_road_factor(clean_db: Path, q, tbl) -> None:
    ratio = q(
        clean_db,
        f"""
        select min(r.distance_km / d), max(r.distance_km / d) from (
            select r.*, 2 * 6371.0088 * asin(sqrt(
                pow(sin(radians(b.latitude - a.latitude) / 2), 2)
                + cos(radians(a.latitude)) * cos(radians(b.latitude))
                  * pow(sin(radians(b.longitude - a.longitude) / 2), 2))) d
            from {tbl("routes")} r
            join {tbl("locations")} a on a.location_id = r.origin_location_id
            join {tbl("locations")} b on b.location_id = r.destination_location_id) r""",
    )[0]
    assert 1.19 <= ratio[0] and ratio[1] <= 1.31


def test_routes_and_shipments_span_every_haul_band(clean_db: Path, q, tbl) -> None:
    path = (SEEDS_DIR / "haul_type_bands.csv").as_posix()
    for table, join in (("routes", ""), ("shipments", f"join {tbl('routes')} r using (route_id)")):
        bands = q(
            clean_db,
            f"""
            select count(distinct b.haul_type) from {tbl(table)} x {join}
            join read_csv('{path}') b
              on distance_km >= b.min_distance_km and distance_km < b.max_distance_km""",
        )
        assert bands[0][0] == 4, table


def test_routes_stay_within_a_country_and_start_at_a_depot_or_hub(clean_db: Path, q, tbl) -> None:
    bad = q(
        clean_db,
        f"""
        select count(*) from {tbl("routes")} r
        join {tbl("locations")} a on a.location_id = r.origin_location_id
        join {tbl("locations")} b on b.location_id = r.destination_location_id
        where a.country <> b.country or a.location_type not in ('DEPOT', 'HUB')""",
    )[0][0]
    assert bad == 0


def test_loads_never_exceed_the_vehicle_capacity(db: Path, q, tbl) -> None:
    over = q(
        db,
        f"""select count(*) from {tbl("shipments")} s join {tbl("vehicles")} v using (vehicle_id)
                     where s.weight_kg > v.capacity_kg or s.volume_m3 > v.capacity_m3 or s.weight_kg <= 0""",
    )
    assert over[0][0] == 0


def test_shipment_timestamps_follow_the_status(db: Path, q, tbl) -> None:
    bad = q(
        db,
        f"""select count(*) from {tbl("shipments")} where
        (status = 'DELIVERED' and (picked_up_at is null or delivered_at < picked_up_at))
        or (status = 'IN_TRANSIT' and (picked_up_at is null or delivered_at is not null))
        or (status in ('CREATED', 'ASSIGNED', 'CANCELLED')
            and (picked_up_at is not null or delivered_at is not null))
        or (status = 'CREATED') <> (vehicle_id is null)
        or updated_at < created_at""",
    )
    assert bad[0][0] == 0


def test_sizes_follow_the_scale(clean_db: Path, q, tbl) -> None:
    shipments, pings = q(
        clean_db,
        f"select (select count(*) from {tbl('shipments')}), (select count(*) from {tbl('telematics')})",
    )[0]
    vehicles = q(clean_db, f"select count(*) from {tbl('vehicles')}")[0][0]
    assert 8_000 <= shipments <= 12_000  # SF 0.01 ≈ 1 % of 1M
    assert 8 <= pings / shipments <= 12
    assert 1.2 <= shipments / (vehicles * 731) <= 1.6


def test_landed_columns_and_types_are_the_contract(synced_db: Path, q) -> None:
    from generator.schema import DEFAULT_SCHEMAS, TABLES

    for t in TABLES:
        cols = q(
            synced_db,
            "select column_name, data_type from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [DEFAULT_SCHEMAS[t.connector], t.name],
        )
        assert cols == [(c.name, c.type) for c in t.all_columns], t.name


def test_values_survive_the_cast_to_the_landing_types(clean_db: Path, q, tbl) -> None:
    row = q(
        clean_db,
        f"""select count(*) filter (where revenue_usd * 100 <> floor(revenue_usd * 100)),
                                 count(*) filter (where epoch_us(created_at) % 1000000 <> 0),
                                 count(*) filter (where revenue_usd <= 0 or revenue_usd is null)
                          from {tbl("shipments")}""",
    )[0]
    assert row == (0, 0, 0)
