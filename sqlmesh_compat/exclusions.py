"""What the SQLMesh parity does not compare, and why. Checked by pytests/sqlmesh_compat (no silent growth).

Two kinds of node are not compared:

- ``HANDED_OVER``: dbt snapshots whose SQLMesh translation has a different meaning (each with its
  reason). SQLMesh does not build them: it reads dbt's snapshot table instead (exported to Parquet,
  loaded as ``dbt_handover.<name>``, see :mod:`sqlmesh_compat.runner`), so every model built on them
  still runs under SQLMesh and IS compared — the downstream SQL is proved equal on the same history.
- models tagged ``describes_dbt`` (dbt's run results and graph) and what reads them: not loaded into
  SQLMesh at all (``sqlmesh_compat/project/.dbtignore``).

:func:`excluded_closure` derives the set from dbt's manifest, so a new model is compared the day it
lands unless it reads a model that describes dbt — and then the report names the cause.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# The schema of SQLMesh's DuckDB file that holds dbt's snapshot tables (the runner loads them there).
HANDOVER_SCHEMA = "dbt_handover"

_SCD_REASON = (
    "dbt snapshot with hard_deletes: new_record (a deletion closes the version and adds a record with "
    "dbt_is_deleted). SQLMesh's dbt loader maps only invalidate_hard_deletes, so its SCD_TYPE_2_BY_TIME "
    "leaves a deleted key's version open, writes no deletion record and no dbt_scd_id / dbt_is_deleted "
    "columns, which the snapshot's tests and macros/marts/scd_versions.sql (the SCD dimensions) read"
)

HANDED_OVER: dict[str, str] = {
    "snp_customers": _SCD_REASON,
    "snp_locations": _SCD_REASON,
    "snp_routes": _SCD_REASON,
    "snp_vehicles": _SCD_REASON,
    "snp_shipments_landed": (
        "SQLMesh's SCD_TYPE_2_BY_TIME rewrites the version it closes: it keeps coalesce(old, new) per "
        "column, so a column that was NULL in it takes the new version's value (after a sync, shipment "
        "1071's IN_TRANSIT version got the DELIVERED version's delivered_at); dbt keeps the version as "
        "it was landed, and the ML features read that history"
    ),
}

DESCRIBES_DBT_TAG = "describes_dbt"
DESCRIBES_DBT_REASON = (
    "describes dbt itself (tag describes_dbt: run results, dbt's graph); not loaded into SQLMesh "
    "(sqlmesh_compat/project/.dbtignore)"
)
HANDED_OVER_PREFIX = "handed over: SQLMesh reads dbt's table. "


def excluded_closure(manifest: Mapping[str, Any]) -> dict[str, str]:
    """{unique_id: reason} of every node the parity does not compare: the handed-over snapshots (their
    children are compared), every model tagged describes_dbt and every node downstream of one."""
    by_name = {
        node["name"]: unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "snapshot", "seed")
    }
    reasons = {by_name[name]: HANDED_OVER_PREFIX + reason for name, reason in HANDED_OVER.items()
               if name in by_name}
    frontier = [
        (unique_id, DESCRIBES_DBT_REASON)
        for unique_id, node in manifest["nodes"].items()
        if DESCRIBES_DBT_TAG in node.get("tags", []) and node["resource_type"] == "model"
    ]
    while frontier:
        unique_id, reason = frontier.pop()
        if unique_id in reasons:
            continue
        reasons[unique_id] = reason
        root = unique_id.split(".")[-1]
        for child in manifest["child_map"].get(unique_id, []):
            if child.split(".")[0] in ("model", "snapshot", "seed") and child not in reasons:
                frontier.append((child, reason if reason.startswith("reads ") else f"reads {root}"))
    return reasons
