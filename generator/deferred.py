"""A dirty initial load streamed in chunks lands its shipments and pings as one pass would.

Defects are drawn per landed batch (``defects.Injector``): which rows of a batch get one depends on
the batch's rows and their order. One pass over the calendar lands all shipment rows as one batch
(in the order of the trips, ``(k, vidx)``) and the pings in batches of trips sorted by
``(pickup, vidx, k)``. A chunked load lands finished trips per chunk, so its batches would differ.
A dirty chunked load therefore keeps each chunk's shipment rows and the ping inputs of its finished
trips in staging tables in DuckDB (on disk, not in memory) and lands them at the end in one pass's
batches: the shipments' defects are drawn over the kept rows' flags, only the spoilt rows come back
to Python, the clean ones are copied inside DuckDB; the pings are computed from the kept trips read
back in order, a batch at a time. Same rows as one pass, memory bounded by a chunk.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa

from .config import HOUR
from .defects import Injector
from .telemetry import MAX_DELAY, PING_COLUMNS
from .writer import DEFECT_COLUMN, STAGING_PREFIX, Writer

SHIPMENTS = "_deferred_shipments"
PING_TRIPS = "_deferred_ping_trips"
PING_TRIP_COLUMNS = (*PING_COLUMNS, "committed")


class DeferredLanding:
    """The shipment rows and ping trips of a dirty chunked initial load, kept until its last chunk."""

    def __init__(self, writer: Writer, injector: Injector) -> None:
        self.writer, self.injector = writer, injector
        self._cursor: duckdb.DuckDBPyConnection | None = None

    def keep_shipments(self, rows: pl.DataFrame) -> None:
        """Keep a chunk's shipment rows (landing columns, ``_new``/``_eligible`` and ``(_k, _vidx)``)."""
        self.writer.write_internal(SHIPMENTS, rows)

    def keep_ping_trips(self, trips: pl.DataFrame) -> None:
        """Keep the columns the pings of ``trips`` are computed from."""
        self.writer.write_internal(PING_TRIPS, trips.select(PING_TRIP_COLUMNS))

    def land_shipments(self, tick: Callable[[int], None]) -> None:
        """Land every kept shipment row as one batch in one pass's order, with its defects."""
        self.writer.flush()  # the kept rows are written; the connection is the main thread's again
        con, name = self.writer.con, "shipments"
        ordered = (
            f"(select *, row_number() over (order by _k, _vidx) - 1 as _pos "
            f"from main.{STAGING_PREFIX}{SHIPMENTS})"
        )
        flags = con.sql(f"select _new, _eligible from {ordered} order by _pos").fetchnumpy()
        new, eligible = flags["_new"], np.nonzero(flags["_eligible"])[0]
        chosen = self.injector.choose(name, int(new.sum()), eligible) if len(new) else None
        replaced, spoilt = np.empty(0, np.int64), None
        if chosen is not None:
            con.register("_pick", pa.table({"_pos": chosen.pick}))
            try:
                picked = con.sql(
                    f"select * exclude (_pos) from {ordered} "
                    "where _pos in (select _pos from _pick) order by _pos"
                ).to_arrow_table()
            finally:
                con.unregister("_pick")
            picked = pl.from_arrow(picked).with_columns(pl.lit(None, dtype=pl.String).alias(DEFECT_COLUMN))
            changed, extra, replaced = self.injector.spoil(name, picked, chosen)
            spoilt = pl.concat([changed, extra], how="vertical_relaxed")
        con.register("_replaced", pa.table({"_pos": replaced.astype(np.int64)}))
        try:
            clean = self.writer.copy_rows(
                name, f"select * from {ordered} where _pos not in (select _pos from _replaced)"
            )
        finally:
            con.unregister("_replaced")
        if spoilt is not None:
            self.writer.write(name, spoilt)
        self.writer.start_background()
        tick(clean + (spoilt.height if spoilt is not None else 0))

    def ping_trip_batches(
        self, trips: pl.DataFrame, t0: int, t1: int, size: int
    ) -> tuple[int, Iterator[pl.DataFrame]]:
        """Keep ``trips`` too, then (number of batches, the batches): every kept executed trip whose
        pings may arrive in (t0, t1], sorted by ``(pickup, vidx, k)``, ``size`` trips a batch."""
        self.keep_ping_trips(trips)
        self.writer.flush()
        self._cursor = self.writer.con.cursor()  # its own connection: the writer thread uses the first
        self.writer.start_background()
        source = (
            f"from main.{STAGING_PREFIX}{PING_TRIPS} where committed "
            f"and delivered > {t0 - MAX_DELAY - HOUR} and pickup - dead_s <= {t1}"
        )
        n = self._cursor.execute(f"select count(*) {source}").fetchall()[0][0]
        reader = self._cursor.sql(f"select * {source} order by pickup, vidx, k").to_arrow_reader(size)
        return -(-n // size), _exactly(reader, size)

    def drop(self) -> None:
        """Drop the kept rows (after the writer has finished with them)."""
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None
        for table in (SHIPMENTS, PING_TRIPS):
            self.writer.con.execute(f"drop table if exists main.{STAGING_PREFIX}{table}")


def _exactly(reader: pa.RecordBatchReader, size: int) -> Iterator[pl.DataFrame]:
    """The reader's rows in frames of exactly ``size`` rows (the last one shorter)."""
    pending: list[pa.RecordBatch] = []
    have = 0
    for batch in reader:
        pending.append(batch)
        have += batch.num_rows
        while have >= size:
            table = pa.Table.from_batches(pending)
            yield pl.from_arrow(table.slice(0, size))
            pending, have = table.slice(size).to_batches(), table.num_rows - size
    if have:
        yield pl.from_arrow(pa.Table.from_batches(pending))


def maintenance_in_one_pass_order(maintenance: pl.DataFrame) -> pl.DataFrame:
    """Maintenance rows in the order one pass over the calendar holds them: the planned work as the
    plan booked it (trip index, then vehicle), then the breakdowns as execution met them (vehicle,
    then trip index). A chunked load appends each chunk's rows after the earlier ones instead."""
    breakdown = pl.col("breakdown")
    return pl.concat(
        [maintenance.filter(~breakdown).sort("k", "vidx"), maintenance.filter(breakdown).sort("vidx", "k")]
    )
