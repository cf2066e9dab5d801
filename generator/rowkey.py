"""The manifest's ``row_key``: one SQL expression that both the generator and dbt can evaluate.

If every key column is non-null, the key values cast to VARCHAR joined with '|' (e.g. '123' or
'17|2024-03-01 10:00:00'); otherwise 'md5:' followed by the md5 of the row's business columns cast
to VARCHAR, NULL rendered as '', joined with '|'. Evaluated in DuckDB at write time.
"""

from __future__ import annotations

from .schema import TABLES_BY_NAME, LandingTable


def row_key_sql(table: LandingTable | str, alias: str | None = None) -> str:
    """DuckDB SQL expression computing the row_key of a row of ``table`` (optionally qualified)."""
    t = TABLES_BY_NAME[table] if isinstance(table, str) else table
    q = f"{alias}." if alias else ""
    keys = [f"{q}{c}" for c in t.key]
    key_expr = (
        keys[0] + "::varchar"
        if len(keys) == 1
        else "concat_ws('|', " + ", ".join(f"{k}::varchar" for k in keys) + ")"
    )
    not_null = " and ".join(f"{k} is not null" for k in keys)
    cols = ", ".join(f"coalesce(cast({q}{c.name} as varchar), '')" for c in t.columns)
    return f"(case when {not_null} then {key_expr} else 'md5:' || md5(concat_ws('|', {cols})) end)"
