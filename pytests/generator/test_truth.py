"""The generator's truth tables: complete, consistent with what landed, and read by no dbt model."""

from __future__ import annotations

from pathlib import Path

from generator.truth import HAZARD_TABLE, LATENESS_TABLE, TRUTH_TABLES
from pytests.generator.conftest import query
from warehouse.runtime import REPO_ROOT

DBT_FOLDERS = ("models", "snapshots", "macros", "tests", "seeds", "analyses")


def test_every_delivered_shipment_has_its_lateness_causes(make_db) -> None:
    db = make_db(syncs=((2, 0.0, ()),))
    [(delivered, with_truth)] = query(
        db,
        f"select count(*), count(t.shipment_id) from landing_azure_sql.shipments as s "
        f"left join main.{LATENESS_TABLE} as t using (shipment_id) where s.status = 'DELIVERED'",
    )
    assert delivered > 0 and with_truth == delivered


def test_lateness_truth_agrees_with_the_landed_transit_and_breakdowns(make_db) -> None:
    db = make_db(syncs=((2, 0.0, ()),))
    [(mismatched_transit, breakdown_trips, breakdowns_landed)] = query(
        db,
        f"""
        select
            count(*) filter (where abs(date_diff('second', s.picked_up_at, s.delivered_at) / 60.0
                - r.planned_duration_min - t.transit_over_plan_min) > 1),
            count(*) filter (where t.had_breakdown),
            (select count(*) from landing_azure_sql.maintenance where maintenance_type = 'BREAKDOWN')
        from landing_azure_sql.shipments as s
        join landing_azure_sql.routes as r using (route_id)
        join main.{LATENESS_TABLE} as t using (shipment_id)
        where s.status = 'DELIVERED'
        """,
    )
    assert mismatched_transit == 0
    assert breakdown_trips > 0 and breakdown_trips >= breakdowns_landed * 0.8


def test_breakdown_hazard_is_a_probability_per_vehicle_day(make_db) -> None:
    db = make_db(syncs=((2, 0.0, ()),))
    [(rows, keys, lowest, highest, expected, actual)] = query(
        db,
        f"""
        select count(*), count(distinct (vehicle_id, hazard_date)), min(breakdown_hazard),
               max(breakdown_hazard), sum(breakdown_hazard),
               (select count(*) from landing_azure_sql.maintenance where maintenance_type = 'BREAKDOWN')
        from main.{HAZARD_TABLE}
        """,
    )
    assert rows == keys > 0
    assert 0 <= lowest and highest < 1
    # The hazards are the planner's own probabilities: their sum is the expected breakdown count.
    assert abs(actual - expected) <= 4 * expected**0.5 + 2


def _truth_readers(root: Path) -> list[str]:
    """Files of the dbt project under ``root`` that name a truth table."""
    return [
        str(path.relative_to(root))
        for folder in DBT_FOLDERS
        if (root / folder).exists()
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
        and any(name in path.read_text(errors="ignore") for name in (*TRUTH_TABLES, "_truth_"))
    ]


def test_no_dbt_model_reads_the_truth_tables() -> None:
    assert _truth_readers(REPO_ROOT) == []


def test_the_guard_finds_a_model_that_reads_a_truth_table(tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / "leaky.sql").write_text(f"select * from main.{LATENESS_TABLE}")
    assert _truth_readers(tmp_path) == ["models/leaky.sql"]
