"""The whole project builds at CI scale from clean data: every node passes, every model has rows."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import duckdb

from pytests.conftest import PARSE_OUTPUT
from warehouse.runtime import ScratchWarehouse

# Models that are empty on clean data by design: they hold the rows that failed a check, or the
# defects the generator injected (none without --dirty-rate).
EMPTY_ON_CLEAN_DATA = ("quarantine", "tbl_audit_defect_outcomes", "tbl_audit_defect_types")
# Written only by training and scoring runs (`just train`, `just score`), never by a build: a build
# without them must leave the registry empty (pytests/modelops proves them filled after training),
# and so the monitoring of production models over it (pytests/monitoring/test_model_performance.py
# and test_model_feature_drift.py check those rows, recomputed, on a trained warehouse).
EMPTY_UNTIL_TRAINED = (
    "tbl_ml_model_registry",
    "tbl_ml_model_reliability",
    "tbl_ml_model_reference_bins",
    "tbl_ml_predictions",
    "int_ml_prediction_outcomes",
    "int_ml_model_feature_window_values",
    "vw_ml_model_performance",
    "vw_ml_model_decay",
)


def _built_relations(build: ScratchWarehouse) -> dict[str, str]:
    """unique_id -> "schema"."name" of every model, snapshot and seed built on DuckDB."""
    manifest = build.manifest()
    found = {}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] not in ("model", "snapshot", "seed"):
            continue
        if not node["config"]["enabled"] or node["config"].get("materialized") == "ephemeral":
            continue
        found[unique_id] = f'"{node["schema"]}"."{node["alias"] or node["name"]}"'
    return found


def test_every_node_passes_without_warnings(clean_build: ScratchWarehouse) -> None:
    results = clean_build.run_results()
    # dbt 1.11 lists exposures among a build's results with status no-op: they run nothing.
    not_passing = [
        (r["unique_id"], r["status"])
        for r in results
        if r["status"] not in ("success", "pass")
        and not (r["unique_id"].startswith("exposure.") and r["status"] == "no-op")
    ]
    assert not_passing == []
    kinds = {r["unique_id"].split(".")[0] for r in results}
    assert {"model", "seed", "snapshot", "test", "unit_test"} <= kinds
    assert sum(r["unique_id"].startswith("test.") for r in results) > 400


def test_every_model_has_rows_and_only_quarantines_are_empty(clean_build: ScratchWarehouse) -> None:
    relations = _built_relations(clean_build)
    assert len(relations) > 60
    with duckdb.connect(str(clean_build.db), read_only=True) as con:
        rows = {
            uid: con.execute(f"select count(*) from {rel}").fetchone()[0] for uid, rel in relations.items()
        }
    empty = sorted(uid for uid, n in rows.items() if n == 0)
    assert empty == sorted(uid for uid in rows if uid.endswith(EMPTY_ON_CLEAN_DATA + EMPTY_UNTIL_TRAINED))
    for kind in ("tbl_dim_", "tbl_fact_"):
        assert sum(kind in uid for uid in rows) == (8 if kind == "tbl_dim_" else 5)


def test_project_parses_without_warnings_or_unused_config(dbt_parse_state: ScratchWarehouse) -> None:
    output = (dbt_parse_state.folder / PARSE_OUTPUT).read_text()
    assert "Starting full parse" in output, output  # a partial parse stays silent on unchanged files
    assert "[WARNING]" not in output and "unused" not in output.lower(), output


def test_freshness_is_judged_against_the_as_of_instant(clean_build: ScratchWarehouse, tmp_path: Path) -> None:
    """Four days after the last sync, every source is past its 72 h error threshold: the build fails."""
    build = clean_build.copy(tmp_path / "stale")  # the shared build stays as built
    with duckdb.connect(str(build.db), read_only=True) as con:
        (last_sync,) = con.execute("select max(_fivetran_synced) from landing_azure_sql.shipments").fetchone()
    as_of = (last_sync + timedelta(days=4)).date().isoformat()
    stale = build.dbt(
        "build",
        "--select",
        "tbl_audit_source_freshness",
        "--vars",
        f"{{as_of: '{as_of}'}}",
        check=False,
    )
    assert stale.returncode == 1
    failed = [r["unique_id"] for r in build.run_results() if r["status"] == "fail"]
    assert any("freshness_status" in uid for uid in failed), stale.output[-3000:]
