"""Column types from a DuckDB catalogue, so that rules can see hazards hidden behind a column.

Without a schema the lint knows a type only where the SQL shows it (a cast, a literal, a function's
result).  Given one, :func:`annotate_columns` qualifies a copy of the statement with sqlglot, infers
the type of every column reference and copies the types back onto the original ``Column`` nodes
(matched by source position), so rules such as ``sum-boolean`` or ``list-length`` also fire on
``sum(is_express)`` or ``len(stop_codes)`` and ``avg(speed_kmh)`` over a DOUBLE column stays clean.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.qualify import qualify
from sqlglot.schema import MappingSchema

_COLUMNS = (
    "select table_catalog, table_schema, table_name, column_name, data_type from information_schema.columns"
)


def load_schema(database: Path | duckdb.DuckDBPyConnection) -> MappingSchema:
    """Every table's column types, from a DuckDB file (opened read-only) or an open connection."""
    if isinstance(database, duckdb.DuckDBPyConnection):
        rows = database.execute(_COLUMNS).fetchall()
    else:
        with duckdb.connect(str(database), read_only=True) as con:
            rows = con.execute(_COLUMNS).fetchall()
    mapping: dict[str, dict[str, dict[str, dict[str, str]]]] = {}
    for catalog, schema, table, column, data_type in rows:
        mapping.setdefault(catalog, {}).setdefault(schema, {}).setdefault(table, {})[column] = data_type
    return MappingSchema(mapping, dialect="duckdb")


def _position(column: exp.Column) -> tuple[int, int] | None:
    meta = column.this.meta if isinstance(column.this, exp.Identifier) else {}
    return (meta["start"], meta["end"]) if "start" in meta and "end" in meta else None


def annotate_columns(statement: exp.Expression, schema: MappingSchema) -> int:
    """Set ``Column.type`` on ``statement``'s column references; returns how many were typed.

    Statements sqlglot cannot qualify (unknown tables, DuckDB-only syntax) stay untyped: the rules
    then fall back to the types visible in the SQL.
    """
    try:
        qualified = qualify(statement.copy(), schema=schema, dialect="duckdb", validate_qualify_columns=False)
        annotate_types(qualified, schema=schema, dialect="duckdb")
    except (SqlglotError, KeyError, ValueError, AttributeError):
        return 0
    types = {}
    for column in qualified.find_all(exp.Column):
        position = _position(column)
        if position is not None and column.type is not None and column.type.this != exp.DType.UNKNOWN:
            types[position] = column.type
    typed = 0
    for column in statement.find_all(exp.Column):
        found = types.get(_position(column) or (-1, -1))
        if found is not None:
            column.type = found
            typed += 1
    return typed
