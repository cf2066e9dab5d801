"""Column-level lineage through the dbt project, with SQLMesh (runs INSIDE ``.venv-sqlmesh``).

``python -m sqlmesh_compat.lineage --db FILE MODEL COLUMN`` prints, hop by hop, where COLUMN of
MODEL (``schema.table``, e.g. ``main_marts.tbl_fact_vehicle_telemetry``) comes from, down to the
landing table. Each hop renders the model with SQLMesh against the built prod environment (so
macros that read the warehouse's columns, like the raw layer's, resolve) and asks sqlglot's
lineage which source columns feed the column.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import Any

from sqlmesh_compat.runner import PROJECT

# SQLMesh's physical tables: sqlmesh__<schema>.<schema>__<model>__<version>
_PHYSICAL = re.compile(r"^sqlmesh__(?P<schema>\w+)\.(?P=schema)__(?P<table>\w+?)__\d+$")


def _model_name(schema: str, table: str) -> str:
    match = _PHYSICAL.match(f"{schema}.{table}")
    return f"{match['schema']}.{match['table']}" if match else f"{schema}.{table}"


def warehouse_schema(context: Any) -> dict[str, dict[str, dict[str, dict[str, str]]]]:
    """{catalog: {schema: {table: {column: type}}}} of the built warehouse (expands ``select *``)."""
    schema: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    rows = context.engine_adapter.fetchall(
        "select table_catalog, table_schema, table_name, column_name, data_type "
        "from information_schema.columns"
    )
    for catalog, db, table, column, dtype in rows:
        schema.setdefault(catalog, {}).setdefault(db, {}).setdefault(table, {})[column] = dtype
    return schema


def sources_of(context: Any, model: str, column: str, schema: dict) -> dict[str, set[str]]:
    """{schema.table: columns} that feed ``column`` of ``model``, one hop up."""
    from sqlglot import exp
    from sqlglot.lineage import lineage

    query = context.render(model)
    parents: dict[str, set[str]] = {}
    for node in lineage(column, sql=query, schema=schema, dialect="duckdb").walk():
        if node.downstream:
            continue
        table = node.expression.find(exp.Table)
        if table is not None:
            parents.setdefault(_model_name(table.db, table.name), set()).add(exp.to_column(node.name).name)
    return parents


def trace(context: Any, model: str, column: str, schema: dict, depth: int = 0) -> list[str]:
    """Lines of the lineage tree of ``model.column`` down to tables SQLMesh does not build."""
    lines = [f"{'  ' * depth}{model}.{column}"]
    known = {".".join(m.fqn.replace('"', "").split(".")[1:]) for m in context.models.values()
             if not m.kind.is_external}
    for parent, columns in sorted(sources_of(context, model, column, schema).items()):
        for parent_column in sorted(columns):
            if parent in known and parent != model:
                lines += trace(context, parent, parent_column, schema, depth + 1)
            else:
                lines.append(f"{'  ' * (depth + 1)}{parent}.{parent_column}   (landing)")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Print the lineage tree."""
    parser = argparse.ArgumentParser(prog="python -m sqlmesh_compat.lineage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="SQLMesh's DuckDB file, with prod built")
    parser.add_argument("model")
    parser.add_argument("column")
    args = parser.parse_args(argv)
    os.environ["SQLMESH_DB"] = os.environ["LOGISTICS_DB"] = str(args.db.resolve())
    from sqlmesh import Context

    context = Context(paths=[str(PROJECT)])
    print("\n".join(trace(context, args.model, args.column, warehouse_schema(context))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
