"""The point-in-time proof of the ML feature store.

From a dirty initial load (``first_load``, the reliability drill's: dirty rate 0.02, built, trained
and scored), two syncs land late rows, late status changes, soft deletes, weather revisions and dirty
rows; a copy builds incrementally after each, then a copy of that is rebuilt with --full-refresh.
Every feature row for a date up to the first sync's clock must be unchanged, after the incremental
builds and after the full refresh, and the two builds must be equal. The same check run on a
deliberately leaky variant of one feature (reading the latest shipment status instead of the
landed history) fails: the test can tell.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from warehouse.runtime import ScratchWarehouse

ML = "main_ml"
FEATURE_TABLES = {
    "tbl_ml_rolling_analytics": "feature_date",
    "tbl_ml_maintenance_features": "feature_date",
    "tbl_ml_customer_behavior_segments": "feature_date",
    "tbl_ml_haul_segmentation": "feature_at",
}
FIRST_CLOCK = "2025-12-31 23:59:59"  # the initial load's clock: the last second of --end

# The leaky variant: 30-day delivered counts per customer read from the LATEST shipment status
# (tbl_fact_shipments) by delivery date, as if every delivery, late record and delete had always
# been known. It is what tbl_ml_rolling_analytics.deliveries_30d would be without the history.
LEAKY_DELIVERIES_30D = """
select days.feature_date, facts.customer_id, count(*) as deliveries_30d
from (select distinct feature_date from {ml}.tbl_ml_rolling_analytics) as days
join main_marts.tbl_fact_shipments as facts
  on facts.is_delivered and not facts.is_deleted
 and cast(facts.delivered_at as date) between days.feature_date - 29 and days.feature_date
where days.feature_date > date '2025-11-15'
group by all
"""
TRUE_DELIVERIES_30D = """
select feature_date, entity_id as customer_id, deliveries_30d
from {ml}.tbl_ml_rolling_analytics
where entity_type = 'customer' and deliveries_30d > 0
  and feature_date > date '2025-11-15' and feature_date <= date '2025-12-31'
"""


@dataclass
class Builds:
    """The warehouse before any sync, after two syncs built incrementally, and fully refreshed."""

    before: Path
    incremental: Path
    full_refresh: Path


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, first_load: ScratchWarehouse) -> Builds:
    folder = tmp_path_factory.mktemp("point_in_time")
    warehouse = first_load.copy(folder / "incremental")  # first_load stays as built: the "before"
    warehouse.generator("sync", "--days", "2", "--dirty-rate", "0.05")
    warehouse.build_models()
    warehouse.generator("sync", "--days", "12", "--dirty-rate", "0.1", "--drift", "congestion=1.5")
    warehouse.build_models()
    full = warehouse.copy(folder / "full_refresh")
    full.full_refresh()
    return Builds(first_load.db, warehouse.db, full.db)


def _rows_only_in_one(first: Path, second: Path, first_sql: str, second_sql: str | None = None) -> int:
    """Rows of ``first_sql`` on one warehouse missing from ``second_sql`` on the other, both ways."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{first}' as first_db (read_only)")
        con.execute(f"attach '{second}' as second_db (read_only)")
        one = first_sql.format(ml=f"first_db.{ML}").replace("main_marts.", "first_db.main_marts.")
        two = (
            (second_sql or first_sql)
            .format(ml=f"second_db.{ML}")
            .replace("main_marts.", "second_db.main_marts.")
        )
        return con.execute(
            f"select (select count(*) from (({one}) except all ({two}))) "
            f"+ (select count(*) from (({two}) except all ({one})))"
        ).fetchone()[0]
    finally:
        con.close()


def _past_rows(table: str, time_column: str) -> str:
    return f"select * from {{ml}}.{table} where {time_column} <= timestamp '{FIRST_CLOCK}'"


def test_the_syncs_hold_every_kind_of_late_change(builds: Builds) -> None:
    with duckdb.connect(str(builds.incremental), read_only=True) as con:
        after = f"_fivetran_synced > timestamp '{FIRST_CLOCK}'"
        [(late_rows, status_changes, deletes)] = con.execute(
            f"""
            select
                count(*) filter (where created_at = updated_at and delivered_at <= timestamp '{FIRST_CLOCK}'),
                count(*) filter (where created_at <= timestamp '{FIRST_CLOCK}' and not _fivetran_deleted),
                (select count(*) from landing_azure_sql.customers where _fivetran_deleted and {after})
                    + count(*) filter (where _fivetran_deleted)
            from landing_azure_sql.shipments where {after}
            """
        ).fetchall()
        [(revisions,)] = con.execute(
            f"select count(*) from landing_weather.weather "
            f"where {after} and observed_at <= timestamp '{FIRST_CLOCK}'"
        ).fetchall()
        [(dirty,)] = con.execute(
            "select count(*) from main._generator_defects where sync_number > 0"
        ).fetchall()
    assert late_rows > 0 and status_changes > 0 and deletes > 0 and revisions > 0 and dirty > 0


@pytest.mark.parametrize("table", sorted(FEATURE_TABLES))
def test_past_feature_rows_never_change(builds: Builds, table: str) -> None:
    past = _past_rows(table, FEATURE_TABLES[table])
    with duckdb.connect(str(builds.before), read_only=True) as con:
        assert con.execute(f"select count(*) from ({past.format(ml=ML)})").fetchone()[0] > 0
    assert _rows_only_in_one(builds.before, builds.incremental, past) == 0
    assert _rows_only_in_one(builds.before, builds.full_refresh, past) == 0


@pytest.mark.parametrize("table", sorted(FEATURE_TABLES))
def test_incremental_feature_builds_equal_a_full_refresh(builds: Builds, table: str) -> None:
    assert _rows_only_in_one(builds.incremental, builds.full_refresh, f"select * from {{ml}}.{table}") == 0


def test_new_days_were_added_incrementally(builds: Builds) -> None:
    with duckdb.connect(str(builds.incremental), read_only=True) as con:
        [(last_day,)] = con.execute(f"select max(feature_date) from {ML}.tbl_ml_rolling_analytics").fetchall()
    assert str(last_day) == "2026-01-14"


def test_a_leaky_feature_reading_the_latest_status_fails_the_check(builds: Builds) -> None:
    # The true feature passes the very comparison the leaky one fails.
    assert _rows_only_in_one(builds.before, builds.incremental, TRUE_DELIVERIES_30D) == 0
    leaky_before_vs_after = _rows_only_in_one(
        builds.before,
        builds.incremental,
        LEAKY_DELIVERIES_30D + " having days.feature_date <= date '2025-12-31'",
    )
    assert leaky_before_vs_after > 0
