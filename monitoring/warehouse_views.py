"""Finding the warehouse's relations by name, whatever the target schema prefix (``main_analytics`` ...)."""

from __future__ import annotations

import duckdb


class MissingRelationError(LookupError):
    """A relation the monitor needs has not been built."""


def relation(con: duckdb.DuckDBPyConnection, name: str) -> str:
    """``"schema"."name"`` of the table or view called ``name`` in a dbt schema; raise if absent."""
    found = con.execute(
        "select schema_name from duckdb_tables() where table_name = $name and not internal "
        "union all select schema_name from duckdb_views() where view_name = $name and not internal "
        "order by 1",
        {"name": name},
    ).fetchall()
    if not found:
        raise MissingRelationError(f"{name} is not built; run `just build` (or `just demo`) first")
    return f'"{found[0][0]}"."{name}"'


def has_relation(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """True when a table or view called ``name`` exists."""
    try:
        relation(con, name)
    except MissingRelationError:
        return False
    return True
