"""The marts' singular tests can fail: each is run on a copy of the clean warehouse broken on purpose.

A test that passes on a fact with a wrong join or a lost kilometre is no test; these break one
figure the way a real bug would and expect the test that guards it to fail.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.runtime import ScratchWarehouse

WRONG_CUSTOMER_JOIN = """
    update main_marts.tbl_fact_shipments as fact
    set customer_sk = other.customer_sk
    from main_marts.tbl_dim_customer as other
    where other.customer_id <> fact.customer_id
      and fact.created_at >= other.valid_from_at
      and fact.created_at < other.valid_to_at
      and other.customer_id = (
          select min(candidate.customer_id) from main_marts.tbl_dim_customer as candidate
          where candidate.customer_id <> fact.customer_id and candidate.customer_id > 0
      )
"""

DISTANCE_LOST_AT_MIDNIGHT = """
    update main_marts.tbl_fact_vehicle_utilization
    set distance_km = distance_km * 0.9
    where activity_date = (select min(activity_date) from main_marts.tbl_fact_vehicle_utilization
                           where distance_km > 0)
"""

REVENUE_ON_CANCELLED = """
    update main_marts.tbl_fact_shipments as fact
    set revenue_usd = staged.revenue_usd, profit_usd = staged.revenue_usd
    from main_staging.tbl_stg_shipments as staged
    where staged.shipment_id = fact.shipment_id and fact.is_cancelled
"""

PING_ON_ANOTHER_VEHICLES_VERSION = """
    update main_marts.tbl_fact_vehicle_telemetry as fact
    set vehicle_sk = (
        select min(other.vehicle_sk) from main_marts.tbl_dim_vehicle as other
        where other.vehicle_id <> fact.vehicle_id and other.vehicle_id > 0
    )
    where fact.telemetry_id = (select min(telemetry_id) from main_marts.tbl_fact_vehicle_telemetry)
"""

UTILISATION_DAY_JUDGED_ON_THE_DAY_BEFORE = """
    update main_marts.tbl_fact_vehicle_utilization as fact
    set date_sk = previous_day.date_sk
    from main_marts.tbl_dim_date as own_day, main_marts.tbl_dim_date as previous_day
    where own_day.date_sk = fact.date_sk
      and previous_day.country_code = own_day.country_code
      and previous_day.date_day = own_day.date_day - 1
      and fact.activity_date = (select max(activity_date) from main_marts.tbl_fact_vehicle_utilization)
"""

CASES = {
    "assert_fact_shipments_versions_are_valid_at_the_event": WRONG_CUSTOMER_JOIN,
    "assert_utilization_distance_equals_summed_odometer_deltas": DISTANCE_LOST_AT_MIDNIGHT,
    "assert_fact_shipment_money_reconciles_with_staging": REVENUE_ON_CANCELLED,
    "assert_telemetry_keys_are_valid_at_the_ping": PING_ON_ANOTHER_VEHICLES_VERSION,
    "assert_utilization_calendar_follows_the_local_date": UTILISATION_DAY_JUDGED_ON_THE_DAY_BEFORE,
}


@pytest.fixture
def broken_copy(clean_build: ScratchWarehouse, tmp_path: Path) -> ScratchWarehouse:
    """A throw-away copy of the clean warehouse."""
    return clean_build.copy(tmp_path / "broken")


@pytest.mark.parametrize("test_name", sorted(CASES))
def test_the_singular_test_fails_on_the_broken_figure(
    clean_build: ScratchWarehouse, broken_copy: ScratchWarehouse, test_name: str
) -> None:
    # it passed on these very rows: the copy is the clean build's file, whose `dbt build` ran it
    outcome = {r["unique_id"]: r["status"] for r in clean_build.run_results()}
    assert outcome[f"test.logistics.{test_name}"] == "pass"
    with duckdb.connect(str(broken_copy.db)) as con:
        changed = con.execute(CASES[test_name]).fetchone()
    assert changed is not None and changed[0] > 0
    failing = broken_copy.dbt("test", "--select", test_name, check=False)
    assert not failing.ok
    assert "FAIL" in failing.output
