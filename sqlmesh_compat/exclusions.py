"""What the SQLMesh parity leaves out, and why. Checked by pytests/sqlmesh_compat (it cannot grow silently).

``EXCLUDED`` names the nodes that cannot run under SQLMesh with the same meaning, each with its
reason. Everything downstream of them is left out too (SQLMesh cannot build a model whose parent it
did not build); :func:`excluded_closure` derives that set from dbt's manifest, so a new model is
compared the day it lands unless it reads an excluded one — and then the report names the cause.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_SCD_REASON = (
    "dbt snapshot with hard_deletes: new_record. SQLMesh turns it into SCD_TYPE_2_BY_TIME, which has "
    "no deletion records and no dbt_scd_id / dbt_is_deleted columns: the snapshot's audits on "
    "dbt_scd_id fail and macros/marts/scd_versions.sql (the SCD dimensions) cannot find deletions"
)

EXCLUDED: dict[str, str] = {
    "snp_customers": _SCD_REASON,
    "snp_locations": _SCD_REASON,
    "snp_routes": _SCD_REASON,
    "snp_vehicles": _SCD_REASON,
    "snp_shipments_landed": (
        "SQLMesh's SCD_TYPE_2_BY_TIME rewrites the version it closes: a column that was NULL in it takes "
        "the new version's value (after a sync, shipment 1071's IN_TRANSIT version got the DELIVERED "
        "version's delivered_at), so the landed history, which the ML features read, differs from dbt's"
    ),
}


DESCRIBES_DBT_TAG = "describes_dbt"
DESCRIBES_DBT_REASON = (
    "describes dbt itself (tag describes_dbt: run results, dbt's graph); not loaded into SQLMesh "
    "(sqlmesh_compat/project/.dbtignore)"
)


def excluded_closure(manifest: Mapping[str, Any]) -> dict[str, str]:
    """{unique_id: reason} of every excluded node, every model tagged describes_dbt, and every node
    downstream of one."""
    by_name = {
        node["name"]: unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in ("model", "snapshot", "seed")
    }
    reasons: dict[str, str] = {}
    frontier: list[tuple[str, str]] = []
    for name, reason in EXCLUDED.items():
        if name in by_name:
            frontier.append((by_name[name], reason))
    frontier += [
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
