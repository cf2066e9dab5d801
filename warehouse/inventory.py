"""What the warehouse holds: row counts per relation, grouped by layer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

# Schema suffix (after the target schema prefix, e.g. ``main_raw``) or landing schema -> layer.
LAYER_ORDER = (
    "landing", "raw", "staging", "snapshots", "marts", "ml", "audit", "operations", "analytics", "reference",
)


@dataclass(frozen=True)
class Relation:
    """One table or view and its row count."""

    layer: str
    schema: str
    name: str
    rows: int


def _layer_of(schema: str) -> str | None:
    if schema.startswith("landing_"):
        return "landing"
    for layer in LAYER_ORDER[1:]:
        if schema == layer or schema.endswith(f"_{layer}"):
            return layer
    return None


def relations(db_path: Path) -> list[Relation]:
    """Every relation of a known layer with its exact row count, ordered by layer and name."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        found = con.execute(
            "select schema_name, table_name from duckdb_tables() where not internal "
            "union all select schema_name, view_name from duckdb_views() where not internal "
            "order by 1, 2"
        ).fetchall()
        out = []
        for schema, name in found:
            layer = _layer_of(schema)
            if layer is None:
                continue
            (rows,) = con.execute(f'select count(*) from "{schema}"."{name}"').fetchone()
            out.append(Relation(layer, schema, name, rows))
    return sorted(out, key=lambda r: (LAYER_ORDER.index(r.layer), r.name))


def rows_by_layer(found: list[Relation]) -> dict[str, tuple[int, int]]:
    """Layer -> (relations, total rows)."""
    totals: dict[str, tuple[int, int]] = {}
    for rel in found:
        count, rows = totals.get(rel.layer, (0, 0))
        totals[rel.layer] = (count + 1, rows + rel.rows)
    return totals


def rows_written_by(db_path: Path, invocation_id: str) -> dict[tuple[str, str], int]:
    """(schema, table) -> rows inserted or updated by dbt invocation ``invocation_id``."""
    with duckdb.connect(str(db_path), read_only=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.columns "
            "where column_name = '_run_invocation_id' order by 1, 2"
        ).fetchall()
        return {
            (schema, name): con.execute(
                f'select count(*) from "{schema}"."{name}" where _run_invocation_id = ?', [invocation_id]
            ).fetchone()[0]
            for schema, name in tables
        }
