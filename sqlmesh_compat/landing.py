"""Landing data between the two DuckDB versions, as Parquet (runs in the project's environment).

The project writes DuckDB 2.0 files, SQLMesh's venv reads DuckDB 1.5 ones; neither opens the other's
files. The landing tables (the generator's ``landing_*`` schemas) travel as one Parquet file per
table, ``<schema>.<table>.parquet``: column names, types (DECIMAL, TIMESTAMP, BOOLEAN …) and NULLs
survive the round trip, and both sides load the same files.
"""

from __future__ import annotations

from pathlib import Path

import duckdb


def export_landing(db: Path, out: Path) -> int:
    """Write every landing table of ``db`` to ``out/<schema>.<table>.parquet``; the number written."""
    from generator.schema import DEFAULT_SCHEMAS  # the project's environment only

    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("*.parquet"):
        stale.unlink()
    schemas = ", ".join(f"'{schema}'" for schema in sorted(set(DEFAULT_SCHEMAS.values())))
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = con.execute(
            f"select schema_name, table_name from duckdb_tables() where schema_name in ({schemas}) "
            "order by all"
        ).fetchall()
        for schema, table in tables:
            target = out / f"{schema}.{table}.parquet"
            con.execute(f"copy \"{schema}\".\"{table}\" to '{target}' (format parquet)")
    finally:
        con.close()
    if not tables:
        raise ValueError(f"{db} holds no landing tables: land data first (just generate)")
    return len(tables)


def load_statements(landing: Path) -> list[str]:
    """SQL that replaces the landing tables with the Parquet files of ``landing`` (either DuckDB)."""
    files = sorted(landing.glob("*.parquet"))
    if not files:
        raise ValueError(f"no landing Parquet files in {landing}")
    statements = []
    for file in files:
        schema, table = file.name.split(".")[:2]
        statements.append(f'create schema if not exists "{schema}"')
        statements.append(
            f"create or replace table \"{schema}\".\"{table}\" as select * from read_parquet('{file}')"
        )
    return statements


def load_landing(db: Path, landing: Path) -> None:
    """Replace the landing tables of the DuckDB file ``db`` with the Parquet files of ``landing``."""
    con = duckdb.connect(str(db))
    try:
        for statement in load_statements(landing):
            con.execute(statement)
    finally:
        con.close()
