"""The analytics and operations views, checked by another path: dbt's own artefacts, the landing
tables, the facts recomputed in Python."""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta

import duckdb

from warehouse.runtime import ScratchWarehouse


def _rows(build: ScratchWarehouse, sql: str) -> list[tuple]:
    with duckdb.connect(str(build.db), read_only=True) as con:
        return con.execute(sql).fetchall()


RELATION_TYPES = ("model", "seed", "snapshot", "source")


def test_lineage_is_dbt_graph(base_build: ScratchWarehouse) -> None:
    manifest = json.loads((base_build.target / "manifest.json").read_text())
    known = set(manifest["nodes"]) | set(manifest["sources"])
    expected = {
        (parent, child)
        for child, parents in manifest["parent_map"].items()
        if child.split(".")[0] in ("model", "snapshot", "exposure")
        for parent in parents
        if parent in known and parent.split(".")[0] in ("model", "snapshot", "seed", "source")
    }
    found = set(_rows(base_build, "select upstream_node_id, downstream_node_id "
                                  "from main_analytics.vw_data_lineage"))
    assert found == expected
    assert ("source.logistics.azure_sql.shipments", "model.logistics.tbl_raw_shipments") in found


def test_run_results_hold_the_last_invocation_as_dbt_wrote_it(base_build: ScratchWarehouse) -> None:
    written = json.loads((base_build.target / "run_results.json").read_text())
    invocation = written["metadata"]["invocation_id"]
    # every node result but the on-run-end hook's own, which runs after the hook reads the results
    expected = Counter((r["unique_id"], r["status"]) for r in written["results"]
                       if not r["unique_id"].startswith("operation."))
    loaded = Counter(_rows(base_build, f"""
        select node_id, status from main_operations.vw_dbt_run_results where invocation_id = '{invocation}'
    """))
    assert loaded == expected
    ((latest,),) = _rows(base_build, "select distinct invocation_id from main_operations.vw_dbt_run_results "
                                     "where is_latest_invocation")
    assert latest == invocation


def test_data_quality_sla_counts_every_test_of_the_model(base_build: ScratchWarehouse) -> None:
    manifest = json.loads((base_build.target / "manifest.json").read_text())
    # a test judges its attached node; a singular test (none attached) its first upstream relation
    tested = (
        node.get("attached_node") or next(
            (p for p in node["depends_on"]["nodes"] if p.split(".")[0] in RELATION_TYPES),
            None,
        )
        for node in manifest["nodes"].values() if node["resource_type"] == "test"
    )
    tests_of = Counter(node for node in tested if node)
    found = dict(_rows(base_build, """
        select node_id, tests_run from main_analytics.vw_data_quality_sla where tests_run > 0
    """))
    assert found["model.logistics.tbl_fact_shipments"] == tests_of["model.logistics.tbl_fact_shipments"]
    assert found["model.logistics.tbl_stg_shipments"] == tests_of["model.logistics.tbl_stg_shipments"]


def test_freshness_sees_the_stalled_connector_only(
    stalled_sync: ScratchWarehouse, clean_sync: ScratchWarehouse
) -> None:
    stalled = dict(_rows(stalled_sync, """
        select source_name, freshness_status from main_analytics.vw_data_freshness_monitoring
    """))
    assert stalled == {"azure_sql": "fresh", "telematics": "fresh", "traffic_api": "fresh",
                       "weather_api": "stalled"}
    ((behind,),) = _rows(stalled_sync, """
        select hours_behind_freshest_source from main_analytics.vw_data_freshness_monitoring
        where source_name = 'weather_api'
    """)
    assert behind == 24
    clean = {status for (status,) in _rows(clean_sync, """
        select freshness_status from main_analytics.vw_data_freshness_monitoring
    """)}
    assert clean == {"fresh"}


def test_sync_status_counts_what_landed(clean_sync: ScratchWarehouse, stalled_sync: ScratchWarehouse) -> None:
    # distinct keys: the raw layer keeps one row per key (a re-delivered ping is one ping)
    landed = {
        (schema.removeprefix("landing_"), table): _rows(
            clean_sync, f"select count(distinct _fivetran_synced), count(distinct ({key})) "
                        f"from {schema}.{table}"
        )[0]
        for schema, table, key in (("landing_azure_sql", "shipments", "shipment_id"),
                                   ("landing_telematics", "telematics", "telemetry_id"),
                                   ("landing_weather", "weather", "location_id, observed_at"))
    }
    found = {(c.replace("_api", ""), t): (syncs, rows) for c, t, syncs, rows in _rows(clean_sync, """
        select connector_name, table_name, syncs_with_rows, rows_landed
        from main_operations.vw_fivetran_sync_status
    """)}
    for key, counts in landed.items():
        assert found[key] == counts, key
    status = dict(_rows(stalled_sync, """
        select distinct connector_name, connector_sync_status || ':' || syncs_missed_since_last
        from main_operations.vw_fivetran_sync_status
    """))
    assert status == {"azure_sql": "ok:0", "telematics": "ok:0", "traffic_api": "ok:0",
                      "weather_api": "behind:1"}


def test_dashboard_windows_are_calendar_days(base_build: ScratchWarehouse) -> None:
    delivered = dict(_rows(base_build, """
        select delivered_date, count(*) from main_marts.tbl_fact_shipments
        where is_delivered and not is_deleted group by 1
    """))
    dashboard = {d: (d7, mtd) for d, d7, mtd in _rows(base_build, """
        select date_day, shipments_delivered_7d, shipments_delivered_mtd
        from main_analytics.vw_consolidated_dashboard
    """)}
    last = max(dashboard)
    for day in (last, last - timedelta(days=17), last - timedelta(days=200)):
        week = sum(delivered.get(day - timedelta(days=i), 0) for i in range(7))
        month = sum(n for d, n in delivered.items() if d.replace(day=1) == day.replace(day=1) and d <= day)
        assert dashboard[day] == (week, month), day


def test_electrification_share_matches_the_landed_fleet(base_build: ScratchWarehouse) -> None:
    expected = dict(_rows(base_build, """
        with driving as (
            select distinct vehicle_id, date_trunc('month', recorded_at) as month_start
            from landing_telematics.telematics
        )
        select cast(month_start as date), 100.0 * avg(case when v.fuel_type = 'ELECTRIC' then 1 else 0 end)
        from driving join landing_azure_sql.vehicles as v using (vehicle_id)
        group by 1
    """))
    found = dict(_rows(base_build, """
        select distinct month_start_date, fleet_electric_share_pct
        from main_analytics.vw_sustainability_metrics
    """))
    assert found.keys() == expected.keys()
    for month, share in expected.items():
        assert abs(found[month] - share) < 1e-9, month
