"""Nothing lost: every defect the generator injects is quarantined with its reason or corrected.

One dirty warehouse (``dirty_build``: initial load and two syncs at ``--dirty-rate 0.05``, one
``dbt build``) is audited by its audit models (``models/audit``, read by ``warehouse.defect_audit``);
the tests that break the audit on purpose change a copy and rebuild only the audit models.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from generator.defects import DEFECT_DESCRIPTIONS, DEFECT_TYPES
from warehouse.defect_audit import DefectAudit, audit
from warehouse.runtime import ScratchWarehouse

AUDIT_MODELS = "path:models/audit"


@pytest.fixture(scope="module")
def dirty_audit(dirty_build: ScratchWarehouse) -> DefectAudit:
    """The audit of the dirty warehouse."""
    return audit(dirty_build.db)


@pytest.fixture
def dirty_copy(dirty_build: ScratchWarehouse, tmp_path: Path) -> ScratchWarehouse:
    """A throw-away copy of the dirty warehouse."""
    return dirty_build.copy(tmp_path / "copy")


def _failed_tests(build: ScratchWarehouse) -> set[str]:
    return {r["unique_id"].split(".")[2] for r in build.run_results() if r["status"] in ("fail", "error")}


def test_every_defect_type_of_every_table_is_injected(dirty_build: ScratchWarehouse) -> None:
    with duckdb.connect(str(dirty_build.db), read_only=True) as con:
        injected = set(
            con.execute("select distinct table_name, defect_type from main._generator_defects").fetchall()
        )
    expected = {(table, kind) for table, kinds in DEFECT_TYPES.items() for kind in kinds}
    assert expected - injected == set()


def test_every_defect_type_has_a_documented_handling(dirty_build: ScratchWarehouse) -> None:
    with duckdb.connect(str(dirty_build.db), read_only=True) as con:
        undocumented = con.execute(
            "select distinct table_name, defect_type from main_audit.tbl_audit_defect_outcomes "
            "where not is_handling_documented"
        ).fetchall()
    assert undocumented == []


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
    statuses = {r["unique_id"].split(".")[2]: r["status"] for r in dirty_build.run_results()}
    for test in (
        "every_landed_row_is_kept_superseded_or_quarantined",
        "every_kept_row_is_staged_or_quarantined",
        "no_landed_row_is_lost",
        "every_injected_defect_is_caught",
    ):
        assert statuses[test] == "pass", test


def test_only_source_tests_warn_on_dirty_data(dirty_build: ScratchWarehouse) -> None:
    results = dirty_build.run_results()
    not_passing = {
        r["unique_id"]: r["status"] for r in results
        if r["status"] not in ("pass", "success") and not r["unique_id"].startswith("exposure.")
    }
    assert not_passing, "dirty data should make a raw source test warn"
    for unique_id, status in not_passing.items():
        assert status == "warn" and unique_id.startswith("test.logistics.source_"), unique_id


def test_a_defect_type_nothing_handles_fails_by_name(dirty_copy: ScratchWarehouse) -> None:
    with duckdb.connect(str(dirty_copy.db)) as con:
        con.execute(
            "insert into main._generator_defects "
            "values (99, 'weather', '1|2024-01-01 00:00:00', 'teleported')"
        )
    assert not dirty_copy.dbt("build", "--select", AUDIT_MODELS, check=False).ok
    assert _failed_tests(dirty_copy) == {"every_injected_defect_is_caught"}
    result = audit(dirty_copy.db)
    assert result.defect_types["teleported"].missed == 1
    assert any("'teleported'" in line and "no handling documented" in line for line in result.failures)


def test_a_defect_the_models_stop_catching_fails_by_name(dirty_copy: ScratchWarehouse) -> None:
    """Undo the minutes-for-hours glitch where it landed and in raw: staging no longer quarantines
    those rows (and the landed rows still match the kept ones, so only the defect audit fails)."""
    with duckdb.connect(str(dirty_copy.db)) as con:
        for table in ("landing_azure_sql.maintenance", "main_raw.tbl_raw_maintenance"):
            con.execute(
                f"update {table} set downtime_hours = downtime_hours / 60 "
                "where downtime_hours > 0 and cast(maintenance_id as varchar) in ("
                "select row_key from main._generator_defects "
                "where table_name = 'maintenance' and defect_type = 'unit_glitch')"
            )
    assert not dirty_copy.dbt("build", "--select", AUDIT_MODELS, check=False).ok
    assert _failed_tests(dirty_copy) == {"every_injected_defect_is_caught"}
    failures = audit(dirty_copy.db).failures
    assert len(failures) == 1 and failures[0].startswith("defect type 'unit_glitch'")
    assert "staged as landed" in failures[0]
