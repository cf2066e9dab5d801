"""A dirty run streamed in chunks lands its shipments and pings as one pass would.

Defects are drawn per landed batch (``defects.Injector``): which rows of a batch get one depends on
the batch's rows and their order. One pass over the window lands all shipment rows as one batch, in
the order of the trips — those carried from the previous run by ``(vidx, k)``, then the ones planned
in the run by planning step (``k`` less the vehicle's first ``k`` of the run) and vehicle — and the
pings in batches of trips sorted by ``(pickup, vidx, k)``. A chunked run lands finished trips per
chunk, so its batches would differ. A dirty chunked run therefore keeps each chunk's shipment rows
and the ping inputs of its finished trips in staging tables in DuckDB (on disk, not in memory) and
lands them at the end in one pass's batches: the shipments' defects are drawn over the kept rows'
flags, only the spoilt rows come back to Python, the clean ones are copied inside DuckDB; the pings
are computed from the kept trips read back in order, a batch at a time. Same rows as one pass,
memory bounded by a chunk.
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
PING_TRIPS_SORTED = "_deferred_ping_trips_sorted"
SLICE_BATCHES = 20  # ping batches read back per query
PING_TRIP_COLUMNS = (*PING_COLUMNS, "committed")


class DeferredLanding:
    """The shipment rows and ping trips of a dirty chunked run, kept until its last chunk.

    ``first_k``: each vehicle's next trip index as the run starts; ``maintenance``: the maintenance
    rows carried into the run (both fix one pass's order).
    """

    def __init__(
        self, writer: Writer, injector: Injector, first_k: np.ndarray, maintenance: pl.DataFrame
    ) -> None:
        self.writer, self.injector = writer, injector
        self.first_k = pl.DataFrame(
            {"_vidx": np.arange(len(first_k)), "_k0": np.array(first_k, dtype=np.int64)}
        )
        self.carried = maintenance.select("vidx", "k", "breakdown") if maintenance.height else None
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
        con.register("_first_k", self.first_k.to_arrow())
        try:
            self._land_shipments(con, name, tick)
        finally:
            con.unregister("_first_k")
        self.writer.start_background()

    def _land_shipments(self, con: duckdb.DuckDBPyConnection, name: str, tick: Callable[[int], None]) -> None:
        carried = "s._k < f._k0"
        ordered = (
            f"(select s.*, row_number() over (order by not ({carried}), "
            f"case when {carried} then s._vidx else s._k - f._k0 end, "
            f"case when {carried} then s._k else s._vidx end) - 1 as _pos "
            f"from main.{STAGING_PREFIX}{SHIPMENTS} s join _first_k f using (_vidx))"
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
            self.writer.flush()
        tick(clean + (spoilt.height if spoilt is not None else 0))

    def maintenance_in_one_pass_order(self, maintenance: pl.DataFrame) -> pl.DataFrame:
        """Maintenance rows in the order one pass holds them: those carried into the run as loaded
        (vehicle, trip index, breakdown), then the planned work as the plan booked it (planning step,
        vehicle), then the breakdowns as execution met them (vehicle, trip index). A chunked run
        appends each chunk's rows after the earlier ones instead."""
        keys = ["vidx", "k", "breakdown"]
        carried = maintenance.join(self.carried, on=keys, how="semi") if self.carried is not None else None
        new = maintenance.join(self.carried, on=keys, how="anti") if self.carried is not None else maintenance
        step = pl.col("k") - pl.col("_k0")
        planned = (
            new.filter(~pl.col("breakdown"))
            .join(self.first_k.rename({"_vidx": "vidx"}), on="vidx", how="left")
            .sort(step, pl.col("vidx"))
            .drop("_k0")
        )
        parts = [planned, new.filter(pl.col("breakdown")).sort("vidx", "k")]
        return pl.concat(([carried.sort(keys)] if carried is not None else []) + parts)

    def ping_trip_batches(
        self, trips: pl.DataFrame, t0: int, t1: int, size: int
    ) -> tuple[int, Iterator[pl.DataFrame]]:
        """Keep ``trips`` too, then (number of batches, the batches): every kept executed trip whose
        pings may arrive in (t0, t1], sorted by ``(pickup, vidx, k)``, ``size`` trips a batch."""
        self.keep_ping_trips(trips)
        self.writer.flush()
        con = self.writer.con
        con.execute(
            f"create table main.{STAGING_PREFIX}{PING_TRIPS_SORTED} as "
            "select *, row_number() over (order by pickup, vidx, k) - 1 as _rn "
            f"from main.{STAGING_PREFIX}{PING_TRIPS} where committed "
            f"and delivered > {t0 - MAX_DELAY - HOUR} and pickup - dead_s <= {t1} order by _rn"
        )
        n = con.execute(f"select count(*) from main.{STAGING_PREFIX}{PING_TRIPS_SORTED}").fetchall()[0][0]
        # The staging tables are committed as they are written: a second connection reads them while
        # the writer thread inserts on the first.
        self._cursor = con.cursor()
        self.writer.start_background()
        return -(-n // size), self._batches(self._cursor, n, size)

    def _batches(self, con: duckdb.DuckDBPyConnection, n: int, size: int) -> Iterator[pl.DataFrame]:
        """The sorted kept trips in frames of ``size`` rows, read ``SLICE_BATCHES`` frames at a time."""
        step = size * SLICE_BATCHES
        for lo in range(0, n, step):
            part = con.sql(
                f"select * exclude (_rn) from main.{STAGING_PREFIX}{PING_TRIPS_SORTED} "
                f"where _rn >= {lo} and _rn < {lo + step} order by _rn"
            ).to_arrow_table()
            frame = pl.from_arrow(part)
            for b in range(0, frame.height, size):
                yield frame.slice(b, size)

    def drop(self) -> None:
        """Drop the kept rows (after the writer has finished with them)."""
        if self._cursor is not None:
            self._cursor.close()
            self._cursor = None
        for table in (SHIPMENTS, PING_TRIPS, PING_TRIPS_SORTED):
            self.writer.con.execute(f"drop table if exists main.{STAGING_PREFIX}{table}")
