"""The SQLMesh compatibility layer: its exclusion list, project view, pins and the Parquet hand-over.

The parity itself (dbt vs SQLMesh on generated data) is ``just sqlmesh-parity``, a step of .ci/run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from parity_tests.landing import write_fixture_landing
from sqlmesh_compat import environment
from sqlmesh_compat.exclusions import HANDED_OVER, excluded_closure
from sqlmesh_compat.landing import (
    READY,
    export_handover,
    export_landing,
    load_landing,
    mark_ready,
    wait_ready,
)
from warehouse.runtime import ScratchWarehouse, compare

REPO_ROOT = environment.REPO_ROOT
PROJECT_VIEW = REPO_ROOT / "sqlmesh_compat" / "project"


@pytest.fixture(scope="module")
def manifest(dbt_parse_state: ScratchWarehouse) -> dict:
    """dbt's manifest of the project as it is now (the run's ``dbt parse``)."""
    return dbt_parse_state.manifest()


def test_the_handed_over_snapshots_are_exactly_the_reviewed_ones() -> None:
    # Growing the list is a decision: change this set in the same commit, with the reason.
    assert set(HANDED_OVER) == {
        "snp_customers", "snp_locations", "snp_routes", "snp_vehicles", "snp_shipments_landed"
    }
    assert all(len(reason) > 40 for reason in HANDED_OVER.values())


def test_only_snapshots_are_handed_over(manifest: dict) -> None:
    snapshots = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] == "snapshot"}
    assert set(HANDED_OVER) <= snapshots


def test_snapshots_handed_over_for_deletion_records_keep_them(manifest: dict) -> None:
    # the stated reason must hold: those snapshots keep dbt's deletion records
    for node in manifest["nodes"].values():
        if HANDED_OVER.get(node["name"], "").startswith("dbt snapshot with hard_deletes: new_record"):
            assert node["config"].get("hard_deletes") == "new_record"


def test_only_models_that_describe_dbt_and_their_readers_are_left_out(manifest: dict) -> None:
    # the handed-over snapshots' children are compared: what is left out is dbt's own description
    closure = excluded_closure(manifest)
    left_out = {uid for uid, reason in closure.items() if not reason.startswith("handed over")}
    tagged = {uid for uid, node in manifest["nodes"].items() if "describes_dbt" in node.get("tags", [])}
    assert tagged <= left_out
    for unique_id in left_out - tagged:
        parents = set(manifest["parent_map"][unique_id])
        assert parents & left_out, f"{unique_id} is left out but reads nothing that describes dbt"


def test_the_project_view_ignores_exactly_the_models_that_describe_dbt(manifest: dict) -> None:
    ignored = {
        line.strip() for line in (PROJECT_VIEW / ".dbtignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    }
    tagged = {
        node["original_file_path"] for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and "describes_dbt" in node.get("tags", [])
    }
    assert {path for path in ignored if path.endswith(".sql")} == tagged
    for path in ignored - tagged:  # only exposure files (dashboards that read those models)
        text = (REPO_ROOT / path).read_text()
        assert "exposures:" in text and "models:" not in text, path


def test_the_closure_reaches_downstream_models_and_nothing_else() -> None:
    manifest = {
        "nodes": {
            "snapshot.p.snp_customers": {"name": "snp_customers", "resource_type": "snapshot"},
            "model.p.tbl_dim_customer": {"name": "tbl_dim_customer", "resource_type": "model"},
            "model.p.tbl_runs": {"name": "tbl_runs", "resource_type": "model", "tags": ["describes_dbt"]},
            "model.p.vw_runs": {"name": "vw_runs", "resource_type": "model"},
            "model.p.vw_runs_by_day": {"name": "vw_runs_by_day", "resource_type": "model"},
            "model.p.tbl_dim_date": {"name": "tbl_dim_date", "resource_type": "model"},
        },
        "child_map": {
            "snapshot.p.snp_customers": ["model.p.tbl_dim_customer", "test.p.unique_x"],
            "model.p.tbl_runs": ["model.p.vw_runs", "test.p.not_null_x"],
            "model.p.vw_runs": ["model.p.vw_runs_by_day"],
            "model.p.tbl_dim_date": ["model.p.vw_runs_by_day"],
        },
    }
    closure = excluded_closure(manifest)
    # a handed-over snapshot is not compared, but what reads it is
    assert set(closure) == {
        "snapshot.p.snp_customers", "model.p.tbl_runs", "model.p.vw_runs", "model.p.vw_runs_by_day"
    }
    assert closure["snapshot.p.snp_customers"].startswith("handed over")
    assert closure["model.p.vw_runs_by_day"] == "reads tbl_runs"


def test_the_project_view_links_to_the_one_dbt_project() -> None:
    for name in ("dbt_project.yml", "models", "macros", "seeds", "snapshots", "tests"):
        link = PROJECT_VIEW / name
        assert link.is_symlink(), f"{link} must link to the repository's {name}, not copy it"
        assert link.resolve() == (REPO_ROOT / name).resolve()


def test_the_sqlmesh_environment_is_fully_pinned() -> None:
    pins = dict(
        line.split("==", 1)
        for line in environment.CONSTRAINTS.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert pins["sqlmesh"] == "0.236.4"
    assert pins["duckdb"] == "1.5.6"
    assert pins["dbt-core"] == "1.11.16"
    assert pins["dbt-duckdb"] == "1.11.1"
    for requirement in environment.REQUIREMENTS:
        assert requirement.split("[")[0] in pins


def test_landing_tables_survive_the_parquet_hand_over(tmp_path: Path) -> None:
    source = tmp_path / "source.duckdb"
    write_fixture_landing(source)
    assert export_landing(source, tmp_path / "parquet") == 9
    target = tmp_path / "target.duckdb"
    load_landing(target, tmp_path / "parquet")
    con = duckdb.connect(str(target))
    try:
        con.execute(f"attach '{source}' as source (read_only)")
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = 'source'"
        ).fetchall()
        assert len(tables) == 9
        for schema, table in tables:
            source_types = con.execute(f"describe source.{schema}.{table}").fetchall()
            assert con.execute(f"describe target.{schema}.{table}").fetchall() == source_types
            assert compare(con, table, f"source.{schema}.{table}", f"target.{schema}.{table}").equal
    finally:
        con.close()


def test_dbt_snapshots_are_handed_over_wherever_dbt_built_them(tmp_path: Path) -> None:
    source = tmp_path / "dbt.duckdb"
    con = duckdb.connect(str(source))
    con.execute("create schema main_snapshots")
    con.execute("create table main_snapshots.snp_routes as select 1 as route_id, 'True' as dbt_is_deleted")
    con.close()
    out = tmp_path / "inputs"
    out.mkdir()
    assert export_handover(source, ["snp_routes", "snp_vehicles"], out, "dbt_handover") == ["snp_routes"]
    assert not (out / READY).exists()
    mark_ready(out)
    wait_ready(out, timeout_s=1)
    target = tmp_path / "sqlmesh.duckdb"
    load_landing(target, out)
    con = duckdb.connect(str(target))
    try:
        assert con.execute("select * from dbt_handover.snp_routes").fetchall() == [(1, "True")]
    finally:
        con.close()


def test_an_incomplete_input_folder_times_out(tmp_path: Path) -> None:
    with pytest.raises(TimeoutError, match="not complete"):
        wait_ready(tmp_path, timeout_s=0)


def test_a_warehouse_without_landing_tables_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(ValueError, match="no landing tables"):
        export_landing(empty, tmp_path / "parquet")
