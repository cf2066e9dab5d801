"""The SQLMesh compatibility layer: its exclusion list, project view, pins and the Parquet hand-over.

The parity itself (dbt vs SQLMesh on generated data) is ``just sqlmesh-parity``, a step of .ci/run.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from parity_tests.landing import write_fixture_landing
from sqlmesh_compat import environment
from sqlmesh_compat.exclusions import EXCLUDED, excluded_closure
from sqlmesh_compat.landing import export_landing, load_landing
from warehouse.runtime import ScratchWarehouse, compare

REPO_ROOT = environment.REPO_ROOT
PROJECT_VIEW = REPO_ROOT / "sqlmesh_compat" / "project"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """dbt's manifest of the project as it is now."""
    scratch = ScratchWarehouse(tmp_path_factory.mktemp("sqlmesh_manifest"))
    scratch.dbt("parse")
    return scratch.manifest()


def test_the_exclusion_list_is_exactly_the_reviewed_one() -> None:
    # Growing the list is a decision: change this set in the same commit, with the reason.
    assert set(EXCLUDED) == {
        "snp_customers", "snp_locations", "snp_routes", "snp_vehicles", "snp_shipments_landed"
    }
    assert all(len(reason) > 40 for reason in EXCLUDED.values())


def test_every_excluded_name_is_a_node_of_the_project(manifest: dict) -> None:
    kinds = ("model", "snapshot", "seed")
    names = {n["name"] for n in manifest["nodes"].values() if n["resource_type"] in kinds}
    assert set(EXCLUDED) <= names


def test_snapshots_excluded_for_deletion_records_keep_them(manifest: dict) -> None:
    # the stated reason must hold: those snapshots keep dbt's deletion records
    for node in manifest["nodes"].values():
        if EXCLUDED.get(node["name"], "").startswith("dbt snapshot with hard_deletes: new_record"):
            assert node["resource_type"] == "snapshot"
            assert node["config"].get("hard_deletes") == "new_record"


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
            "model.p.tbl_fact_shipments": {"name": "tbl_fact_shipments", "resource_type": "model"},
            "model.p.tbl_dim_date": {"name": "tbl_dim_date", "resource_type": "model"},
        },
        "child_map": {
            "snapshot.p.snp_customers": ["model.p.tbl_dim_customer", "test.p.unique_x"],
            "model.p.tbl_dim_customer": ["model.p.tbl_fact_shipments"],
            "model.p.tbl_dim_date": ["model.p.tbl_fact_shipments"],
        },
    }
    closure = excluded_closure(manifest)
    assert set(closure) == {
        "snapshot.p.snp_customers", "model.p.tbl_dim_customer", "model.p.tbl_fact_shipments"
    }
    assert closure["model.p.tbl_fact_shipments"] == "reads snp_customers"


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


def test_a_warehouse_without_landing_tables_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    with pytest.raises(ValueError, match="no landing tables"):
        export_landing(empty, tmp_path / "parquet")
