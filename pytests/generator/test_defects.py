"""With --dirty-rate the manifest lists every injected defect and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.defects import DEFECT_TYPES
from generator.enums import SEEDS_DIR
from generator.rowkey import row_key_sql
from generator.schema import DEFAULT_SCHEMAS, TABLES_BY_NAME


def _t(name: str) -> str:
    t = TABLES_BY_NAME[name]
    return f"{DEFAULT_SCHEMAS[t.connector]}.{name}"


def _seed(name: str, column: str) -> str:
    return f"(select {column} from read_csv('{(SEEDS_DIR / f'{name}.csv').as_posix()}', all_varchar = true))"


def _dup(table: str, key: str) -> str:
    not_null = " and ".join(f"{k} is not null" for k in key.split(", "))
    return (
        f"{not_null} and ({key}) in (select ({key}) from (select distinct * exclude (_fivetran_synced) "
        f"from {_t(table)}) group by all having count(*) > 1)"
    )


FUTURE = "timestamp '2090-01-01'"
# One predicate per (table, defect): true exactly on rows that have that defect.
PREDICATES: dict[tuple[str, str], str] = {
    ("customers", "bad_enum"): f"customer_type not in {_seed('enum_customer_type', 'customer_type')}",
    ("shipments", "orphan_fk"): (
        f"customer_id not in (select customer_id from {_t('customers')}) "
        f"or route_id not in (select route_id from {_t('routes')}) "
        f"or (vehicle_id is not null and vehicle_id not in (select vehicle_id from {_t('vehicles')}))"
    ),
    ("shipments", "negative_value"): (
        "weight_kg < 0 or revenue_usd < 0 or fuel_cost_usd < 0 or driver_cost_usd < 0 or toll_cost_usd < 0"
    ),
    ("shipments", "delivery_before_pickup"): "delivered_at < picked_up_at",
    ("shipments", "future_timestamp"): f"greatest(delivered_at, updated_at, created_at) >= {FUTURE}",
    ("shipments", "bad_enum"): (
        f"status not in {_seed('enum_shipment_status', 'shipment_status')} "
        f"or priority not in {_seed('enum_shipment_priority', 'priority')} "
        f"or service_level not in {_seed('enum_service_level', 'service_level')}"
    ),
    ("shipments", "unit_glitch"): (
        f"weight_kg > (select v.capacity_kg from {_t('vehicles')} v where v.vehicle_id = x.vehicle_id)"
    ),
    ("maintenance", "orphan_fk"): f"vehicle_id not in (select vehicle_id from {_t('vehicles')})",
    ("maintenance", "negative_value"): "parts_cost_usd < 0 or labor_cost_usd < 0",
    ("maintenance", "future_timestamp"): f"greatest(performed_at, updated_at, created_at) >= {FUTURE}",
    ("maintenance", "bad_enum"): (
        f"maintenance_type not in {_seed('enum_maintenance_type', 'maintenance_type')} "
        f"or status not in {_seed('enum_maintenance_status', 'maintenance_status')}"
    ),
    ("maintenance", "unit_glitch"): "downtime_hours > 48",
    ("telematics", "null_key"): "telemetry_id is null",
    ("telematics", "duplicate_key"): _dup("telematics", "telemetry_id"),
    ("telematics", "orphan_fk"): f"vehicle_id not in (select vehicle_id from {_t('vehicles')})",
    ("telematics", "future_timestamp"): f"recorded_at >= {FUTURE}",
    ("telematics", "out_of_range"): (
        "speed_kmh not between 0 and 200 or engine_temp_c not between -50 and 150 "
        "or fuel_level_pct not between 0 and 100"
    ),
    ("weather", "null_key"): "location_id is null or observed_at is null",
    ("weather", "duplicate_key"): _dup("weather", "location_id, observed_at"),
    ("weather", "orphan_fk"): f"location_id not in (select location_id from {_t('locations')})",
    ("weather", "out_of_range"): "temperature_c not between -60 and 60",
    ("weather", "bad_enum"): f"condition not in {_seed('enum_weather_condition', 'weather_condition')}",
    ("traffic", "null_key"): "location_id is null or observed_at is null",
    ("traffic", "duplicate_key"): _dup("traffic", "location_id, observed_at"),
    ("traffic", "orphan_fk"): f"location_id not in (select location_id from {_t('locations')})",
    ("traffic", "out_of_range"): "congestion_index not between 0 and 1",
}


def violations(db: Path, q) -> set[tuple[str, str, str]]:
    """(table, row_key, defect) of every landed row that breaks a rule."""
    out: set[tuple[str, str, str]] = set()
    for (table, defect), predicate in PREDICATES.items():
        rows = q(db, f"select distinct {row_key_sql(table, 'x')} from {_t(table)} x where {predicate}")
        out |= {(table, r[0], defect) for r in rows}
    return out


def manifest(db: Path, q) -> set[tuple[str, str, str]]:
    """The manifest as a set."""
    return set(q(db, "select table_name, row_key, defect_type from main._generator_defects"))


def test_every_listed_defect_has_a_predicate() -> None:
    assert {(t, d) for t, ds in DEFECT_TYPES.items() for d in ds} == set(PREDICATES)


def test_the_manifest_lists_every_defect_and_nothing_else(dirty_db: Path, q) -> None:
    found, listed = violations(dirty_db, q), manifest(dirty_db, q)
    assert len(listed) > 100
    assert found - listed == set(), "defects missing from the manifest"
    assert listed - found == set(), "manifest rows without the defect"


def test_manifest_rows_are_one_per_injected_defect(dirty_db: Path, q) -> None:
    n, distinct = q(
        dirty_db,
        "select count(*), count(distinct (sync_number, table_name, row_key)) from main._generator_defects",
    )[0]
    assert n == distinct


def test_every_defect_type_is_injected(dirty_db: Path, q) -> None:
    kinds = set(q(dirty_db, "select distinct table_name, defect_type from main._generator_defects"))
    assert kinds == set(PREDICATES)


def test_syncs_inject_defects_too(dirty_db: Path, q) -> None:
    per_sync = dict(q(dirty_db, "select sync_number, count(*) from main._generator_defects group by all"))
    assert set(per_sync) == {0, 1, 2}


@pytest.mark.parametrize("fixture", ["clean_db", "synced_db"])
def test_clean_data_has_an_empty_manifest_and_no_violations(
    request: pytest.FixtureRequest, q, fixture: str
) -> None:
    db = request.getfixturevalue(fixture)
    assert manifest(db, q) == set()
    assert violations(db, q) == set()


def test_dirty_rate_is_a_fraction_of_new_rows(dirty_db: Path, q, tbl) -> None:
    defects = dict(
        q(
            dirty_db,
            "select table_name, count(*) from main._generator_defects where sync_number = 0 group by all",
        )
    )
    pings = q(
        dirty_db,
        f"select count(*) from {tbl('telematics')} where _fivetran_synced = "
        "(select min(_fivetran_synced) from " + tbl("telematics") + ")",
    )[0][0]
    assert 0.03 * pings <= defects["telematics"] <= 0.06 * pings


def test_row_key_uses_the_key_or_an_md5_of_the_row(dirty_db: Path, q) -> None:
    keys = [
        r[0] for r in q(dirty_db, "select row_key from main._generator_defects where table_name = 'weather'")
    ]
    assert any(k.startswith("md5:") and len(k) == 36 for k in keys)
    assert any("|" in k and k[0].isdigit() for k in keys)
    assert row_key_sql("shipments") == (
        "(case when shipment_id is not null then shipment_id::varchar else 'md5:' || md5(concat_ws('|', "
        + ", ".join(f"coalesce(cast({c.name} as varchar), '')" for c in TABLES_BY_NAME["shipments"].columns)
        + ")) end)"
    )
