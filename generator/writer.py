"""Writing: one DuckDB transaction per run, upserts by key, append-only telematics, optional Parquet.

Frames are inserted from Arrow (DuckDB casts each column to the DDL type by name). Upsert tables
delete the batch's keys and insert the batch inside the transaction; on any exception the
transaction rolls back, so a failed or interrupted run leaves the previous database as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import polars as pl

from .rowkey import row_key_sql
from .schema import TABLES, TABLES_BY_NAME, LandingTable

DEFECT_COLUMN = "_defect_type"


class Writer:
    """Writes landing batches of one run into an open DuckDB connection (and Parquet files)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, schemas: dict[str, str], sync_number: int,
                 parquet_dir: Path | None = None) -> None:
        self.con = con
        self.schemas = schemas
        self.sync_number = sync_number
        self.parquet_dir = parquet_dir
        self._tmp_parquet: Path | None = None
        self.rows: dict[str, int] = {}

    def qualified(self, table: LandingTable) -> str:
        """schema.table of a landing table."""
        return f"{self.schemas[table.connector]}.{table.name}"

    def create_tables(self, replace: bool = False) -> None:
        """Create schemas and landing tables (dropping them first on a fresh initial load)."""
        for schema in sorted(set(self.schemas.values())):
            self.con.execute(f"create schema if not exists {schema}")
        for t in TABLES:
            if replace:
                self.con.execute(f"drop table if exists {self.qualified(t)}")
            self.con.execute(t.ddl(self.schemas[t.connector]))
        self.con.execute(
            "create table if not exists main._generator_defects (sync_number integer, table_name varchar, "
            "row_key varchar, defect_type varchar)"
        )

    def write(self, name: str, df: pl.DataFrame) -> None:
        """Land a batch: upsert by key (or append for append-only tables); record its defects."""
        if df.height == 0:
            return
        table = TABLES_BY_NAME[name]
        cols = [c.name for c in table.all_columns]
        has_defects = DEFECT_COLUMN in df.columns and df[DEFECT_COLUMN].is_not_null().any()
        batch = df.select(cols + ([DEFECT_COLUMN] if has_defects else []))
        arrow = batch.to_arrow()
        target = self.qualified(table)
        self.con.register("_batch", arrow)
        try:
            if has_defects:
                # Cast to the landing types first, so that row_key sees the values as landed.
                typed = ", ".join(f"cast({c.name} as {c.type}) as {c.name}" for c in table.all_columns)
                self.con.execute(f"create or replace temp table _typed as select {typed}, {DEFECT_COLUMN} "
                                 "from _batch")
                source = "_typed"
            else:
                source = "_batch"
            if table.sync_mode == "upsert" and self.sync_number > 0:
                cond = " and ".join(f"t.{k} = b.{k}" for k in table.key)
                self.con.execute(f"delete from {target} t using (select distinct {', '.join(table.key)} "
                                 f"from {source}) b where {cond}")
            self.con.execute(f"insert into {target} by name select {', '.join(cols)} from {source}")
            if has_defects:
                self.con.execute(
                    "insert into main._generator_defects select ?, ?, "
                    f"{row_key_sql(table)}, {DEFECT_COLUMN} from _typed where {DEFECT_COLUMN} is not null",
                    [self.sync_number, name],
                )
                self.con.execute("drop table _typed")
        finally:
            self.con.unregister("_batch")
        self.rows[name] = self.rows.get(name, 0) + df.height

    def export_parquet(self, synced_literal: str) -> None:
        """Write this run's rows of every landing table (``_fivetran_synced`` = this sync) to Parquet.

        Files go to a temp directory beside the target; ``finish_parquet`` moves it into place.
        """
        if self.parquet_dir is None:
            return
        parent = self.parquet_dir.resolve().parent
        parent.mkdir(parents=True, exist_ok=True)
        self._tmp_parquet = Path(tempfile.mkdtemp(prefix=".parquet-", dir=parent))
        for t in TABLES:
            path = (self._tmp_parquet / f"{t.name}.parquet").as_posix().replace("'", "''")
            self.con.execute(
                f"copy (select * from {self.qualified(t)} where _fivetran_synced = timestamp '{synced_literal}') "
                f"to '{path}' (format parquet)"
            )

    def finish_parquet(self) -> None:
        """Close Parquet files and move the temp directory into place (after the commit)."""
        if self._tmp_parquet is None:
            return
        target = self.parquet_dir
        if target.exists():
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            os.replace(target, old)
            os.replace(self._tmp_parquet, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(self._tmp_parquet, target)
        self._tmp_parquet = None

    def discard_parquet(self) -> None:
        """Remove the temp Parquet directory after a failure."""
        if self._tmp_parquet is not None:
            shutil.rmtree(self._tmp_parquet, ignore_errors=True)
            self._tmp_parquet = None
