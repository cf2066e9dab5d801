"""``just diff`` on deliberate changes: it reports exactly the models, columns and rows they touch.

One base build of a copy of the project (plus a small probe model) on one generated landing; one
slim head build carrying four deliberate changes at once — a rounding change in a rule, a filter
that drops a category, a renamed column, a new model — and one head build of the unchanged copy.
Every expected figure is recomputed from the base warehouse, never from the diff's own output.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from warehouse.datadiff.builds import DataSpec, build_full, build_head, landing
from warehouse.datadiff.cli import main as diff_main
from warehouse.datadiff.report import COMMENT_MARKER, DiffHeader, markdown, page
from warehouse.datadiff.values import NOT_COMPARED, ModelDiff, diff_builds
from warehouse.runtime import copy_project

SPEC = DataSpec(seed=42, scale=0.005)
PROBE = """{{ config(materialized='table') }}
select
    route_id,
    count(*) as shipment_count
from {{ ref('tbl_fact_shipments') }}
group by route_id
"""
NEW_MODEL = """{{ config(materialized='view') }}
select count(*) as vehicle_count from {{ ref('tbl_dim_vehicle') }}
"""
DROPPED_TYPE = "INSPECTION"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{path}: cannot find {old!r} to change"
    path.write_text(text.replace(old, new))


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("datadiff")
    base_project = copy_project(root / "base_project")
    (base_project / "models" / "zz_probe").mkdir()
    (base_project / "models" / "zz_probe" / "probe_route_volume.sql").write_text(PROBE)
    base = build_full(base_project, root / "base", landing(SPEC, cache=root))

    unchanged = build_head(base, copy_project(root / "same_project", base_project), root / "same", SPEC,
                           cache=root)
    head_project = copy_project(root / "head_project", base_project)
    _edit(head_project / "macros" / "rules" / "margin_pct.sql",
          "(100 * {{ safe_divide(profit_usd, revenue_usd) }})",
          "round(100 * {{ safe_divide(profit_usd, revenue_usd) }}, 1)")
    _edit(head_project / "models" / "marts" / "dimensions" / "tbl_dim_vehicle_maintenance.sql",
          "\nselect * from final", f"\nselect * from final where maintenance_type <> '{DROPPED_TYPE}'")
    _edit(head_project / "models" / "zz_probe" / "probe_route_volume.sql",
          "as shipment_count", "as shipments_count")
    (head_project / "models" / "zz_probe" / "probe_fleet_size.sql").write_text(NEW_MODEL)
    head = build_head(base, head_project, root / "head", SPEC, cache=root)
    changed = {d.name: d for d in diff_builds(base.db, head.db, base.manifest(), head.manifest())}
    same = diff_builds(base.db, unchanged.db, base.manifest(), unchanged.manifest())
    return base, head, changed, same


def _descendants(manifest: dict, name: str) -> set[str]:
    start = next(uid for uid, n in manifest["nodes"].items() if n["name"] == name)
    seen, todo = set(), [start]
    while todo:
        for child in manifest["child_map"].get(todo.pop(), []):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return {manifest["nodes"][uid]["name"] for uid in seen if uid in manifest["nodes"]}


def _base_scalar(base, sql: str):
    with duckdb.connect(str(base.db), read_only=True) as con:
        return con.execute(sql).fetchone()[0]


def test_an_unchanged_tree_is_identical_everywhere(builds) -> None:
    _, _, _, same = builds
    different = [d.name for d in same if d.status not in ("identical", NOT_COMPARED)]
    assert same and not different, different


def test_the_rounding_change_touches_one_column_of_the_rows_it_rounds(builds) -> None:
    base, _, changed, _ = builds
    shipments = changed["tbl_fact_shipments"]
    rounded = _base_scalar(
        base, "select count(*) from main_marts.tbl_fact_shipments where margin_pct <> round(margin_pct, 1)"
    )
    assert shipments.status == "changed" and rounded > 0
    assert (shipments.only_base, shipments.only_head, shipments.changed_rows) == (0, 0, rounded)
    assert [c.name for c in shipments.columns] == ["margin_pct"]
    assert shipments.base_rows == shipments.head_rows


def test_the_filter_drops_exactly_the_category_rows(builds) -> None:
    base, _, changed, _ = builds
    maintenance = changed["tbl_dim_vehicle_maintenance"]
    dropped = _base_scalar(
        base,
        "select count(*) from main_marts.tbl_dim_vehicle_maintenance "
        f"where maintenance_type is not distinct from '{DROPPED_TYPE}' or maintenance_type is null",
    )
    assert dropped > 0
    assert (maintenance.only_base, maintenance.only_head, maintenance.changed_rows) == (dropped, 0, 0)
    assert maintenance.head_rows == maintenance.base_rows - dropped


def test_the_renamed_column_and_the_new_model_are_reported(builds) -> None:
    _, _, changed, _ = builds
    probe = changed["probe_route_volume"]
    assert (probe.columns_added, probe.columns_removed) == (["shipments_count"], ["shipment_count"])
    assert probe.base_rows == probe.head_rows
    assert changed["probe_fleet_size"].status == "added"


def test_nothing_changes_outside_the_edited_models_and_their_descendants(builds) -> None:
    base, _, changed, _ = builds
    manifest = base.manifest()
    edited = {"tbl_fact_shipments", "tbl_dim_vehicle_maintenance", "probe_route_volume", "probe_fleet_size"}
    allowed = edited.union(*(_descendants(manifest, name) for name in edited - {"probe_fleet_size"}))
    touched = {name for name, d in changed.items() if d.status not in ("identical", NOT_COMPARED)}
    assert touched <= allowed, sorted(touched - allowed)
    assert edited <= touched


def test_the_reports_name_every_changed_model(builds) -> None:
    base, head, changed, _ = builds
    diffs: list[ModelDiff] = list(changed.values())
    header = DiffHeader("0" * 40, "head", SPEC.seed, SPEC.scale, base.seconds, head.seconds, slim=True)
    summary, html = markdown(header, diffs), page(header, diffs)
    assert summary.startswith(COMMENT_MARKER)
    edited = ("tbl_fact_shipments", "tbl_dim_vehicle_maintenance", "probe_route_volume", "probe_fleet_size")
    for name in edited:
        assert f"`{name}`" in summary and name in html
    assert "<svg" in html and "http" not in html.split("<body>")[1]


def test_an_unknown_base_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert diff_main(["no-such-commit-anywhere"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "just diff: BASE 'no-such-commit-anywhere' is not a commit of this repository"
