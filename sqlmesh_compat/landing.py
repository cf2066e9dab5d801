"""Data between the two DuckDB versions, as Parquet (exports run in the project's environment).

The project writes DuckDB 2.0 files, SQLMesh's venv reads DuckDB 1.5 ones; neither opens the other's
files. The landing tables (the generator's ``landing_*`` schemas) travel as one Parquet file per
table, ``<schema>.<table>.parquet``: column names, types (DECIMAL, TIMESTAMP, BOOLEAN …) and NULLs
survive the round trip, and both sides load the same files. dbt's handed-over snapshot tables
(:data:`sqlmesh_compat.exclusions.HANDED_OVER`) travel the same way, as
``dbt_handover.<snapshot>.parquet``. A folder is complete when its ``READY`` marker exists: SQLMesh
waits for it, so it can load the dbt project while dbt is still building the snapshots it will read.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path

import duckdb

READY = "READY"


def export_landing(db: Path, out: Path) -> int:
    """Write every landing table of ``db`` to ``out/<schema>.<table>.parquet``; the number written."""
    from generator.schema import DEFAULT_SCHEMAS  # the project's environment only

    out.mkdir(parents=True, exist_ok=True)
    for stale in [*out.glob("*.parquet"), out / READY]:
        stale.unlink(missing_ok=True)
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


def export_handover(db: Path, names: Iterable[str], out: Path, schema: str) -> list[str]:
    """Write the tables ``names`` of ``db`` (in whichever schema dbt built them) to
    ``out/<schema>.<name>.parquet``; the names written (a name ``db`` does not hold is skipped)."""
    con = duckdb.connect(str(db), read_only=True)
    written = []
    try:
        for name in names:
            found = con.execute(
                "select schema_name from duckdb_tables() "
                "where table_name = ? and database_name = current_database()", [name],
            ).fetchall()
            if len(found) == 1:
                target = out / f"{schema}.{name}.parquet"
                con.execute(f"copy \"{found[0][0]}\".\"{name}\" to '{target}' (format parquet)")
                written.append(name)
    finally:
        con.close()
    return written


def mark_ready(folder: Path) -> None:
    """Declare ``folder`` complete: every Parquet file of the round is written."""
    (folder / READY).touch()


def wait_ready(folder: Path, timeout_s: float) -> None:
    """Block until ``folder`` is complete; TimeoutError after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not (folder / READY).exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{folder} was not complete after {timeout_s:.0f}s")
        time.sleep(0.5)


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
