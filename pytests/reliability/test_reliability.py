"""Incremental ≡ full refresh, idempotent re-runs, kill -9 safety, every defect caught, no row lost.

One report at CI scale (``ci_reports``, plans drawn by hypothesis) backs the fast tests; the kill
points not run in CI are marked ``slow`` (``pytest -m slow pytests/reliability``; ``just
reliability`` runs all of them through the report).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from modelops.store import model_store_dir
from pytests.reliability.conftest import print_report
from warehouse.reliability import (
    CI_KILL_POINTS,
    KILL_POINTS,
    ReliabilityReport,
    compare_builds,
    kill_dbt,
    kill_generator,
)
from warehouse.runtime import DB_NAME, Comparison, ScratchWarehouse
from warehouse.runtime.compare import empty_registry_readers, registry_readers
from warehouse.runtime.scratch import MODEL_FILES

# The model-monitoring models over the registry: empty until a model is trained and scored.
MONITORING_READERS = {
    "model.logistics.int_ml_prediction_outcomes",
    "model.logistics.int_ml_model_feature_window_values",
    "model.logistics.vw_ml_model_performance",
    "model.logistics.vw_ml_model_decay",
    "model.logistics.tbl_ml_model_registry",
    "model.logistics.tbl_ml_predictions",
    "model.logistics.tbl_ml_model_reference_bins",
}


def test_comparison_catches_one_changed_row_and_a_stray_relation(
    first_load: ScratchWarehouse, tmp_path: Path
) -> None:
    changed = first_load.copy(tmp_path / "changed")
    with duckdb.connect(str(changed.db)) as con:
        con.execute(
            "update main_marts.tbl_fact_shipments set revenue_usd = revenue_usd + 0.01 "
            "where shipment_id = (select min(shipment_id) from main_marts.tbl_fact_shipments)"
        )
        con.execute("create table main_marts.tbl_dim_customer__dbt_backup as select 1 as x")
    differing = {c.name for c in compare_builds(first_load, changed) if not c.equal}
    expected = {"model.logistics.tbl_fact_shipments", "main_marts.tbl_dim_customer__dbt_backup"}
    # views compute on read, so those over the changed fact change with it; nothing else may
    manifest = first_load.manifest()
    views_over_the_fact = {
        uid
        for uid in manifest["child_map"]["model.logistics.tbl_fact_shipments"]
        if manifest["nodes"].get(uid, {}).get("config", {}).get("materialized") == "view"
    }
    assert expected <= differing <= expected | views_over_the_fact


def test_incremental_build_equals_full_refresh_after_every_sync(ci_reports: list[ReliabilityReport]) -> None:
    for report in ci_reports:
        print_report(report)
        assert report.syncs_applied >= 2
        assert report.plan[0].dirty_rate > 0 and report.plan[1].dirty_rate == 0  # dirty, then clean
        assert report.relations_compared >= 60 * report.syncs_applied
        assert not report.mismatches, "incremental ≠ full refresh:\n" + "\n".join(report.mismatches)


def test_models_over_the_registry_are_compared_with_rows(ci_reports: list[ReliabilityReport]) -> None:
    for report in ci_reports:
        assert not report.empty_registry_readers, "\n".join(report.empty_registry_readers)


def test_an_empty_registry_reader_fails_the_comparison(first_load: ScratchWarehouse) -> None:
    manifest = first_load.manifest()
    readers = registry_readers(manifest)
    assert MONITORING_READERS <= readers
    with_rows = [Comparison(uid, left_rows=5, right_rows=5) for uid in sorted(readers)]
    assert empty_registry_readers(with_rows, manifest) == []
    emptied = [Comparison(c.name, 0, 0) if c.name.endswith("vw_ml_model_decay") else c for c in with_rows]
    assert empty_registry_readers(emptied, manifest) == [
        "model.logistics.vw_ml_model_decay: compared empty (0 vs 0 rows) after a model was trained and scored"
    ]
    missing = [c for c in with_rows if not c.name.endswith("tbl_ml_predictions")]
    assert empty_registry_readers(missing, manifest) == ["model.logistics.tbl_ml_predictions: not compared"]


def test_second_build_without_sync_changes_no_row(ci_reports: list[ReliabilityReport]) -> None:
    for report in ci_reports:
        assert not report.idempotence_changes, "\n".join(report.idempotence_changes)


def test_killed_runs_recover_to_the_uninterrupted_result(ci_reports: list[ReliabilityReport]) -> None:
    for report in ci_reports:
        assert [k.point for k in report.kills] == list(CI_KILL_POINTS)
        for kill in report.kills:
            assert kill.reached, f"{kill.point}: the process was never killed"
            assert kill.opens, f"{kill.point}: the database does not open after the kill"
            assert not kill.problems, f"{kill.point}: " + "\n".join(kill.problems)


def test_every_injected_defect_type_is_caught(ci_reports: list[ReliabilityReport]) -> None:
    for report in ci_reports:
        assert report.defect_types_injected, "the plan injected no defect"
        assert report.defect_types_caught == report.defect_types_injected


def test_no_landed_row_is_lost(ci_reports: list[ReliabilityReport]) -> None:
    for report in ci_reports:
        assert report.defects is not None
        assert report.rows_lost == 0, report.defects.failures


SLOW_DBT_POINTS = [p for p, point in KILL_POINTS.items() if point.tool == "dbt" and p not in CI_KILL_POINTS]
SLOW_GENERATOR_POINTS = [
    p for p, point in KILL_POINTS.items() if point.tool == "generator" and p not in CI_KILL_POINTS
]


@pytest.mark.slow
@pytest.mark.parametrize("point", SLOW_DBT_POINTS)
def test_build_killed_at_point_recovers(
    point: str, crash_pair: tuple[ScratchWarehouse, ScratchWarehouse], tmp_path: Path
) -> None:
    pending, reference = crash_pair
    outcome = kill_dbt(pending, reference, KILL_POINTS[point], tmp_path)
    assert outcome.reached and outcome.opens
    assert not outcome.problems, "\n".join(outcome.problems)


@pytest.mark.slow
@pytest.mark.parametrize("point", SLOW_GENERATOR_POINTS)
def test_generator_killed_at_point_keeps_the_previous_database(
    point: str, first_load: ScratchWarehouse, tmp_path: Path
) -> None:
    outcome = kill_generator(first_load, KILL_POINTS[point], tmp_path)
    assert outcome.reached and outcome.opens
    assert not outcome.problems, "\n".join(outcome.problems)


def test_warehouse_copies_carry_the_model_files_where_modelops_keeps_them(tmp_path: Path) -> None:
    assert model_store_dir(tmp_path / DB_NAME) == tmp_path / MODEL_FILES
