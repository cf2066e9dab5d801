"""A ping landed before its vehicle is quarantined as an orphan, and becomes valid when the vehicle lands.

tbl_stg_telematics_checked is incremental: a run re-checks only the rows landed since its mark and the
stored orphans. This is the case that rule exists for (the generator's own orphans never get a parent).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.runtime import ScratchWarehouse
from warehouse.runtime.compare import compare

LATE_VEHICLE_ID = 899_999_001
CHECKED = "main_staging.tbl_stg_telematics_checked"


def test_an_orphan_ping_becomes_valid_when_its_vehicle_lands(
    clean_build: ScratchWarehouse, tmp_path: Path
) -> None:
    warehouse = clean_build.copy(tmp_path / "late_parent")
    with duckdb.connect(str(warehouse.db)) as con:
        (ping_id,) = con.execute("select max(telemetry_id) + 1 from landing_telematics.telematics").fetchone()
        con.execute(
            f"""
            insert into landing_telematics.telematics
            select * replace (
                {ping_id} as telemetry_id,
                {LATE_VEHICLE_ID} as vehicle_id,
                cast(null as bigint) as shipment_id,
                _fivetran_synced + interval 1 day as _fivetran_synced
            )
            from landing_telematics.telematics
            where _fivetran_synced = (select max(_fivetran_synced) from landing_telematics.telematics)
              and speed_kmh between 1 and 100
            limit 1
            """
        )
    _build_the_fact(warehouse)
    assert _reason_and_fact(warehouse, ping_id) == ("orphan_vehicle", 0)

    with duckdb.connect(str(warehouse.db)) as con:
        con.execute(
            f"""
            insert into landing_azure_sql.vehicles
            select * replace (
                {LATE_VEHICLE_ID} as vehicle_id,
                'LATE-' || cast(vehicle_id as varchar) as registration_number,
                (select max(_fivetran_synced) from landing_telematics.telematics) + interval 1 hour
                    as _fivetran_synced
            )
            from landing_azure_sql.vehicles
            order by vehicle_id
            limit 1
            """
        )
    _build_the_fact(warehouse)
    assert _reason_and_fact(warehouse, ping_id) == (None, 1)

    with duckdb.connect(str(warehouse.db)) as con:
        con.execute(f"create table main.incremental_checked as select * from {CHECKED}")
    warehouse.dbt("run", "--select", "tbl_stg_telematics_checked", "--full-refresh")
    with duckdb.connect(str(warehouse.db), read_only=True) as con:
        comparison = compare(con, "tbl_stg_telematics_checked", CHECKED, "main.incremental_checked")
    assert comparison.equal, comparison.problems


def _build_the_fact(warehouse: ScratchWarehouse) -> None:
    """An incremental build of the telemetry fact and everything it reads (snapshots included)."""
    warehouse.dbt("build", "--select", "+tbl_fact_vehicle_telemetry", "--exclude-resource-type", "test")


def _reason_and_fact(warehouse: ScratchWarehouse, ping_id: int) -> tuple[str | None, int]:
    """The ping's rejection reason in staging and how many rows of it the telemetry fact holds."""
    with duckdb.connect(str(warehouse.db), read_only=True) as con:
        (reason,) = con.execute(
            f"select rejection_reason from {CHECKED} where telemetry_id = ?", [ping_id]
        ).fetchone()
        (in_fact,) = con.execute(
            "select count(*) from main_marts.tbl_fact_vehicle_telemetry where telemetry_id = ?", [ping_id]
        ).fetchone()
    return reason, in_fact
