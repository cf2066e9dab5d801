"""Nothing lost: every defect the generator injects is quarantined with its reason or corrected.

One dirty warehouse (``dirty_build``: initial load and two syncs at ``--dirty-rate 0.05``, one
``dbt build``) is audited with ``warehouse.defect_audit``; the tests that break the audit on
purpose work on a copy of its file.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from generator.defects import DEFECT_DESCRIPTIONS, DEFECT_TYPES
from warehouse import defect_audit
from warehouse.defect_audit import DefectAudit, audit
from warehouse.runtime import ScratchWarehouse


@pytest.fixture(scope="module")
def dirty_audit(dirty_build: ScratchWarehouse) -> DefectAudit:
    """The audit of the dirty warehouse."""
    return audit(dirty_build.db)


@pytest.fixture
def dirty_copy(dirty_build: ScratchWarehouse, tmp_path: Path) -> Path:
    """A throw-away copy of the dirty warehouse file."""
    return Path(shutil.copy(dirty_build.db, tmp_path / "warehouse.duckdb"))


def test_every_defect_type_of_every_table_is_injected(dirty_build: ScratchWarehouse) -> None:
    with duckdb.connect(str(dirty_build.db), read_only=True) as con:
        injected = set(
            con.execute("select distinct table_name, defect_type from main._generator_defects").fetchall()
        )
    expected = {(table, kind) for table, kinds in DEFECT_TYPES.items() for kind in kinds}
    assert expected - injected == set()


def test_every_defect_type_has_a_documented_handling() -> None:
    for table, kinds in DEFECT_TYPES.items():
        for kind in kinds:
            assert table in defect_audit.EXPECTED_HANDLING.get(kind, {}), f"{kind} in {table}: no handling"


def test_every_injected_defect_is_caught(dirty_audit: DefectAudit) -> None:
    assert set(dirty_audit.defect_types) == set(DEFECT_DESCRIPTIONS)
    assert dirty_audit.failures == []
    for result in dirty_audit.defect_types.values():
        assert result.injected >= 1
        assert result.caught + result.harmless == result.injected, result


def test_enum_defects_are_corrected_not_quarantined(dirty_audit: DefectAudit) -> None:
    bad_enum = dirty_audit.defect_types["bad_enum"]
    assert bad_enum.corrected == bad_enum.injected > 0
    assert bad_enum.quarantined == 0


def test_downtime_in_minutes_is_quarantined(dirty_build: ScratchWarehouse) -> None:
    with duckdb.connect(str(dirty_build.db), read_only=True) as con:
        reasons = con.execute(
            "select quarantine.rejection_reason from main._generator_defects as defect "
            "join main_staging.tbl_stg_maintenance_quarantine as quarantine using (row_key) "
            "where defect.table_name = 'maintenance' and defect.defect_type = 'unit_glitch'"
        ).fetchall()
    assert reasons and set(reasons) == {("downtime_exceeds_type_maximum",)}


def test_every_landed_row_is_accounted_for_per_entity(
    dirty_audit: DefectAudit, dirty_build: ScratchWarehouse,
) -> None:
    assert {e.table for e in dirty_audit.entities} == {
        "customers", "locations", "routes", "vehicles", "shipments", "maintenance", "telematics",
        "weather", "traffic",
    }
    for entity in dirty_audit.entities:
        assert entity.lost == 0, entity
        assert entity.kept == entity.staged + entity.staging_quarantined, entity
    assert sum(e.raw_quarantined for e in dirty_audit.entities) > 0
    statuses = {r["unique_id"].split(".")[-1]: r["status"] for r in dirty_build.run_results()}
    assert statuses["assert_every_landed_row_is_accounted_for"] == "pass"


def test_only_source_tests_warn_on_dirty_data(dirty_build: ScratchWarehouse) -> None:
    results = dirty_build.run_results()
    not_passing = {r["unique_id"]: r["status"] for r in results if r["status"] not in ("pass", "success")}
    assert not_passing, "dirty data should make a raw source test warn"
    for unique_id, status in not_passing.items():
        assert status == "warn" and unique_id.startswith("test.logistics.source_"), unique_id


def test_a_defect_type_nothing_handles_fails_by_name(dirty_copy: Path) -> None:
    with duckdb.connect(str(dirty_copy)) as con:
        con.execute(
            "insert into main._generator_defects "
            "values (99, 'weather', '1|2024-01-01 00:00:00', 'teleported')"
        )
    result = audit(dirty_copy)
    assert result.defect_types["teleported"].missed == 1
    assert any("'teleported'" in line and "no handling documented" in line for line in result.failures)


def test_a_defect_the_models_stop_catching_fails_by_name(
    dirty_build: ScratchWarehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    handling = {**defect_audit.EXPECTED_HANDLING["unit_glitch"]}
    handling["maintenance"] = defect_audit.Handling("staging", "a reason no model writes", ("never_written",))
    monkeypatch.setitem(defect_audit.EXPECTED_HANDLING, "unit_glitch", handling)
    failures = audit(dirty_build.db).failures
    assert len(failures) == 1 and failures[0].startswith("defect type 'unit_glitch'")
    assert "quarantined as staging:downtime_exceeds_type_maximum" in failures[0]
