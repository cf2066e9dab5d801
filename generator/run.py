"""Orchestration: the initial load and each sync, each landed by one final DuckDB transaction.

The run builds the static world from (seed, scale, calendar) — network, customers, fleet — which is
a pure function of the seed, loads the simulation state that the previous run stored in ``_sim_*``
tables, extends the vehicles' plans past the new clock, executes trips picked up by the clock,
lands every table's changes in (previous clock, clock], injects defects if asked, and stores the
new state. Nothing is committed until everything has been written.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import polars as pl

from . import defects as defects_mod
from . import truth as truth_mod
from .conditions import Conditions
from .config import (
    DAY,
    HOUR,
    LOOKAHEAD,
    NONE,
    PRELIMINARY_WEATHER_HOURS,
    TRIPS_PER_VEHICLE_DAY,
    VEHICLE_TYPE_PARAMS,
    Config,
    check_against,
    from_ts,
)
from .customers import Customers, build_customers
from .db import GeneratorError, connect
from .deferred import DeferredLanding
from .drift import DRIFTS, Drift, DriftSet, drift_regions, parse_drift
from .enums import Enums, load_enums
from .fleet import Fleet, build_fleet, land_vehicles
from .landing import (
    land_maintenance,
    land_shipments,
    number_shipments,
    system_columns,
    traffic_rows,
    ts_col,
    weather_rows,
)
from .network import Network, RoutePicker, build_network
from .progress import RunProgress
from .schema import DEFAULT_SCHEMAS
from .telemetry import MAX_DELAY, PING_COLUMNS, breakdown_keys, pings
from .trips import (
    EVENT_SCHEMA,
    STATE_COLUMNS,
    execute,
    initial_state,
    maintenance_attributes,
    maintenance_events,
    plan,
    shipment_attributes,
)
from .writer import STAGING_PREFIX, Writer

VERSION = "1"
# DuckDB's buffer pool while the initial load writes: without a limit it keeps the written blocks
# (80 % of RAM by default; 1.2 GB at SF 1), with one it writes them out — the load's peak RSS is then
# this plus a chunk of simulation, whatever the scale.
DUCKDB_MEMORY_LIMIT = "512MB"
NEVER = 2**62


@dataclass
class World:
    """Everything that is a pure function of the configuration (and the drifts in force)."""

    cfg: Config
    enums: Enums
    net: Network
    customers: Customers
    fleet: Fleet
    picker: RoutePicker
    cond: Conditions


def build_world(cfg: Config, drifts: list[Drift]) -> World:
    """Build the static world for ``cfg``."""
    enums = load_enums()
    check_against(enums)
    net = build_network(cfg, enums)
    fleet = build_fleet(cfg, enums, net)
    picker = RoutePicker(net, [VEHICLE_TYPE_PARAMS[t]["reach_km"] for t in fleet.types])
    return World(
        cfg,
        enums,
        net,
        build_customers(cfg, enums),
        fleet,
        picker,
        Conditions(cfg.seed, net, enums, DriftSet(drifts, net.regions)),
    )


@dataclass
class RunResult:
    """What a run did."""

    sync_number: int
    clock: int
    rows: dict[str, int] = field(default_factory=dict)
    defects: int = 0
    state: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)
    truth: dict[str, pl.DataFrame] = field(default_factory=dict, repr=False)


def _ts_literal(s: int) -> str:
    return from_ts(s).strftime("%Y-%m-%d %H:%M:%S")


# -- state ----------------------------------------------------------------------------------------
def read_state(con: duckdb.DuckDBPyConnection) -> dict:
    """The one-row generator state as a dict (raises GeneratorError when missing)."""
    row = con.execute("select * from main._generator_state").fetchone()
    if row is None:
        raise GeneratorError("the database has an empty _generator_state table; run `generate` first")
    names = [d[0] for d in con.description]
    return dict(zip(names, row, strict=True))


def _read_drifts(con: duckdb.DuckDBPyConnection) -> list[Drift]:
    rows = con.execute(
        "select drift_name, factor, epoch(effective_from)::bigint, sync_number from main._generator_drifts"
    ).fetchall()
    return [Drift(n, f, int(e), int(s)) for n, f, e, s in rows]


def _store(con: duckdb.DuckDBPyConnection, name: str, df: pl.DataFrame) -> None:
    con.register("_state_df", df.to_arrow())
    try:
        con.execute(f"create or replace table main.{name} as select * from _state_df")
    finally:
        con.unregister("_state_df")


def _load(con: duckdb.DuckDBPyConnection, name: str, order: str = "") -> pl.DataFrame:
    sql = f"select * from main.{name}" + (f" order by {order}" if order else "")
    return pl.from_arrow(con.sql(sql).to_arrow_table())


# -- the run ----------------------------------------------------------------------------------------
INTERNAL_TABLES = (
    "_generator_state",
    "_generator_schemas",
    "_generator_syncs",
    "_generator_drifts",
    "_sim_vehicle_state",
    "_sim_trips",
    "_sim_maintenance",
    "_sim_vehicle_events",
    "_sim_customer_overrides",
)


def generate(
    cfg: Config,
    db_path: Path,
    dirty_rate: float = 0.0,
    parquet_dir: Path | None = None,
    schemas: dict[str, str] | None = None,
    progress: RunProgress | None = None,
) -> RunResult:
    """The initial load (sync number 0): everything observed up to the last second of ``cfg.end``.

    The landing tables are written as staging twins (``<schema>._generating_<table>``) outside a
    transaction — a transaction would hold every uncommitted row in memory — and one final
    transaction swaps them in together with the generator's state. A failure drops the twins (and
    the file, if this run created it), so the previous database stays as it was.
    """
    schemas = {**DEFAULT_SCHEMAS, **(schemas or {})}
    progress = progress or RunProgress(enabled=False)
    t_sim = time.perf_counter()
    world = build_world(cfg, [])
    existed = db_path.exists() and db_path.stat().st_size > 0
    con = _open_for_staging(db_path)
    writer = Writer(con, schemas, 0, parquet_dir)
    in_tx = False
    try:
        writer.drop_staging()
        writer.create_tables()
        initial = Simulation(
            initial_state(cfg, world.fleet),
            pl.DataFrame(),
            pl.DataFrame(),
            pl.DataFrame(schema=EVENT_SCHEMA),
            1,
            1,
        )
        window = SyncWindow(0, NONE, cfg.initial_clock)
        result = _advance(world, writer, initial, window, dirty_rate, progress, t_sim, _chunk_clocks(cfg))
        old_schemas = _previous_schemas(con)
        con.execute("begin transaction")
        in_tx = True
        _swap_in_initial_load(con, writer, cfg, result, schemas, old_schemas, dirty_rate)
        con.execute("commit")
        in_tx = False
    except BaseException:
        _undo_staged_run(con, writer, in_tx, db_path, remove_file=not existed)
        raise
    con.close()
    writer.finish_parquet()
    return result


def _open_for_staging(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A connection tuned for writing the staging twins: one DuckDB thread, a capped buffer pool."""
    con = connect(db_path)
    # Each staging insert (≥ 250k rows) auto-commits. DuckDB writes its row groups to the file while it
    # inserts (optimistic writes, DuckDB's default) on the writer thread, while the main thread generates
    # the next batch; the commit only logs where they are. Measured with DuckDB 2.0.1 against turning
    # them off (rows logged to the WAL, then compressed by a checkpoint at every other commit, whose cost
    # grew with the file): SF 1 writer thread 11.0-13.2 -> 9.2-10.6 s, SF 10 whole run 139.9 -> 109.2 s,
    # sys time a third less, file 2 % larger. One DuckDB thread costs less CPU than two for these
    # appends (and was not faster: the second core is the generator's).
    con.execute("set enable_optimistic_write = true")
    con.execute("set threads = 1")
    con.execute(f"set memory_limit = '{DUCKDB_MEMORY_LIMIT}'")
    return con


def _swap_in_initial_load(
    con: duckdb.DuckDBPyConnection,
    writer: Writer,
    cfg: Config,
    result: RunResult,
    schemas: dict[str, str],
    old_schemas: dict[str, str],
    dirty_rate: float,
) -> None:
    """Inside the final transaction: the staging twins replace the tables, the internal tables start
    afresh with this load's state, and the Parquet copy is written."""
    writer.promote_staging(old_schemas)
    writer.promote_internal(truth_mod.TRUTH_TABLES)
    for t in INTERNAL_TABLES:
        con.execute(f"drop table if exists main.{t}")
    con.execute(
        "create table main._generator_drifts (sync_number integer, drift_name varchar, factor double, "
        "effective_from timestamp, base_name varchar, region varchar, description varchar)"
    )
    con.execute("create table main._generator_schemas (connector varchar, schema_name varchar)")
    con.executemany("insert into main._generator_schemas values (?, ?)", sorted(schemas.items()))
    _store_state(con, result.state)
    _write_state_row(con, cfg, result, writer, dirty_rate, days=None, create=True)
    writer.export_parquet(_ts_literal(cfg.initial_clock))


def _undo_staged_run(
    con: duckdb.DuckDBPyConnection, writer: Writer, in_tx: bool, db_path: Path, remove_file: bool
) -> None:
    """After a failure: stop the writer, roll back, drop the twins (and the file, if this run made it)."""
    writer.abort()
    if in_tx:
        con.execute("rollback")
    try:
        writer.drop_staging()
        con.execute(f"drop table if exists {writer.defects_table}")
    finally:
        con.close()
        writer.discard_parquet()
        if remove_file:
            for p in (db_path, db_path.with_name(db_path.name + ".wal")):
                p.unlink(missing_ok=True)


def sync(
    db_path: Path,
    days: int = 1,
    dirty_rate: float = 0.0,
    drift_args: list[str] | None = None,
    parquet_dir: Path | None = None,
    progress: RunProgress | None = None,
) -> RunResult:
    """The next sync: advance the clock by ``days`` and land what changed.

    Like the initial load, the sync writes its batches into auto-committed staging twins (DuckDB holds
    Arrow batches appended inside a transaction outside its buffer pool until the commit, so a long
    sync's memory would grow with its length) and its final transaction moves them into the landing
    tables (``Writer.move_staging``) with the drifts, the state and the truth: a failure, or a crash,
    leaves the landing tables as they were (a later run drops the leftover twins).
    """
    progress = progress or RunProgress(enabled=False)
    t_sim = time.perf_counter()
    con = _open_for_staging(db_path)
    in_tx = False
    try:
        st = read_state(con)
        cfg = Config(
            seed=int(st["seed"]), scale=float(st["scale"]), start=st["start_date"], end=st["end_date"]
        )
        window = SyncWindow(
            int(st["sync_number"]) + 1, int(st["clock_epoch"]), int(st["clock_epoch"]) + days * DAY
        )
        declared = _parse_drifts(drift_args or [], window)
        world = build_world(cfg, _read_drifts(con) + declared)
        schemas = dict(con.execute("select connector, schema_name from main._generator_schemas").fetchall())
        writer = Writer(con, schemas, window.number, parquet_dir)
    except BaseException:
        con.close()
        raise
    try:
        writer.drop_staging()
        writer.create_tables()
        carried = _load_simulation(con, st)
        chunks = _chunk_clocks(cfg, window.start, window.end)
        result = _advance(world, writer, carried, window, dirty_rate, progress, t_sim, chunks)
        con.execute("begin transaction")
        in_tx = True
        _record_drifts(con, declared, window)
        writer.move_staging()
        _store_state(con, result.state)
        truth_mod.store_staged(con, STAGING_PREFIX)
        truth_mod.store(con, result.truth, create=False)
        writer.export_parquet(_ts_literal(window.end))
        _write_state_row(con, cfg, result, writer, dirty_rate, days=days, create=False)
        con.execute("commit")
        in_tx = False
    except BaseException:
        _undo_staged_run(con, writer, in_tx, db_path, remove_file=False)
        raise
    con.close()
    writer.finish_parquet()
    return result


def _parse_drifts(drift_args: list[str], window: SyncWindow) -> list[Drift]:
    """The sync's ``--drift`` arguments, in force from the window's first second."""
    regions = drift_regions()
    return [Drift(*parse_drift(text, regions), window.start + 1, window.number) for text in drift_args]


def _record_drifts(con: duckdb.DuckDBPyConnection, new: list[Drift], window: SyncWindow) -> None:
    """Record the drifts the sync declared (inside its final transaction)."""
    for d in new:
        con.execute(
            "insert into main._generator_drifts values (?, ?, ?, ?, ?, ?, ?)",
            [
                window.number,
                d.name,
                d.factor,
                from_ts(d.effective_from),
                d.base,
                d.region,
                DRIFTS["weather_severity:<REGION>" if d.region else d.base],
            ],
        )


def _load_simulation(con: duckdb.DuckDBPyConnection, st: dict) -> Simulation:
    """What the previous run stored in the ``_sim_*`` tables (in a total order)."""
    vs = _load(con, "_sim_vehicle_state", "vidx")
    return Simulation(
        {c: vs[c].to_numpy().copy() for c in STATE_COLUMNS},
        truth_mod.with_planned_hazard(_load(con, "_sim_trips", "vidx, k")),
        _load(con, "_sim_maintenance", "vidx, k, breakdown"),
        _load(con, "_sim_vehicle_events", 'vidx, "at", seq, kind'),
        int(st["next_shipment_id"]),
        int(st["next_maintenance_id"]),
        _load(con, "_sim_customer_overrides", "customer_id"),
    )


def _previous_schemas(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """The connector → schema mapping of an earlier load of this database (empty if none)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_schema = 'main' "
        "and table_name = '_generator_schemas'"
    ).fetchone()[0]
    if not exists:
        return {}
    return dict(con.execute("select connector, schema_name from main._generator_schemas").fetchall())


def _store_state(con: duckdb.DuckDBPyConnection, state: dict[str, pl.DataFrame]) -> None:
    for name, df in state.items():
        _store(con, name, df)


def _write_state_row(
    con: duckdb.DuckDBPyConnection,
    cfg: Config,
    result: RunResult,
    writer: Writer,
    dirty_rate: float,
    days: int | None,
    create: bool,
) -> None:
    if create:
        con.execute(
            "create table main._generator_state (seed bigint, scale double, start_date date, end_date date, "
            "sync_number integer, clock timestamp, clock_epoch bigint, synced_at timestamp, "
            "next_shipment_id bigint, next_maintenance_id bigint, generator_version varchar)"
        )
        con.execute(
            "create table main._generator_syncs (sync_number integer, clock timestamp, "
            "synced_at timestamp, days integer, dirty_rate double, rows_json varchar)"
        )
    con.execute("delete from main._generator_state")
    con.execute(
        "insert into main._generator_state values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            cfg.seed,
            cfg.scale,
            cfg.start,
            cfg.end,
            result.sync_number,
            from_ts(result.clock),
            result.clock,
            from_ts(result.clock),
            result.rows.pop("_next_shipment_id"),
            result.rows.pop("_next_maintenance_id"),
            VERSION,
        ],
    )
    con.execute(
        "insert into main._generator_syncs values (?, ?, ?, ?, ?, ?)",
        [
            result.sync_number,
            from_ts(result.clock),
            from_ts(result.clock),
            days,
            dirty_rate,
            json.dumps(writer.rows, sort_keys=True),
        ],
    )


@dataclass(frozen=True)
class SyncWindow:
    """The sync being landed: what happened in (``start``, ``end``] lands with ``_fivetran_synced = end``.

    ``start`` is ``NONE`` for the initial load (sync number 0), which lands everything up to ``end``.
    """

    number: int
    start: int
    end: int

    @property
    def synced(self) -> int:
        """``_fivetran_synced`` of every row landed: the sync's clock on the simulation's time line."""
        return self.end

    @property
    def horizon(self) -> int:
        """How far the vehicles' plans must reach past the clock."""
        return self.end + LOOKAHEAD


@dataclass
class Simulation:
    """What the simulation carries from one sync to the next (stored in the ``_sim_*`` tables)."""

    vehicles: dict[str, np.ndarray]
    """Per-vehicle state columns (``STATE_COLUMNS``), indexed by vehicle index."""
    trips: pl.DataFrame
    maintenance: pl.DataFrame
    events: pl.DataFrame
    next_shipment_id: int
    next_maintenance_id: int
    customer_overrides: pl.DataFrame | None = None


# The initial load simulates the calendar in chunks of about this many trips and lands each chunk's
# finished trips (every row of which is final) as of the load's clock, so memory holds about a chunk
# of trips whatever the scale; the rows are the same as one pass over the calendar (any cut).
TRIPS_PER_CHUNK = 200_000
CHUNK_DAYS = (7, 91)  # bounds: enough days per chunk to amortise its fixed cost, few at small scales


def _chunk_clocks(cfg: Config, start: int | None = None, end: int | None = None) -> list[int]:
    """The clocks at which a run over (``start``, ``end``] lands finished trips (the last one is
    ``end``); by default the initial load's calendar.

    Day-aligned, so each vehicle-day of the hazard truth falls in one chunk. A dirty initial load
    keeps its shipment rows and ping trips until the last chunk (``deferred``): defects are drawn per
    landed batch, so it lands those in one pass's batches.
    """
    start = cfg.start_ts - 1 if start is None else start
    end = cfg.initial_clock if end is None else end
    days = int(TRIPS_PER_CHUNK / (TRIPS_PER_VEHICLE_DAY * cfg.n_vehicles))
    step = min(max(days, CHUNK_DAYS[0]), CHUNK_DAYS[1]) * DAY
    return [*range(start + step, end, step), end]


# Batch sizes: telemetry in chunks of trips (≈60k pings, arrays stay in cache); weather and traffic
# in chunks of hours (≈50k rows at SF 1).
TRIPS_PER_TELEMETRY_BATCH = 6_000
HOURS_PER_CONDITIONS_BATCH_AT_200_LOCATIONS = 24 * 10


class _Lander:
    """Lands a batch of one table: customer overrides, defect injection, write, progress tick.

    ``deferred``: a dirty run in several chunks (given its simulation as it starts) keeps its shipment
    rows and ping trips there until the last chunk, then lands them in one pass's batches (so its
    defects are the same).
    """

    def __init__(self, writer: Writer, injector: defects_mod.Injector, deferred: Simulation | None) -> None:
        self.writer, self.injector = writer, injector
        self.deferred = (
            None
            if deferred is None
            else DeferredLanding(writer, injector, deferred.vehicles["k"], deferred.maintenance)
        )

    def __call__(self, name: str, df: pl.DataFrame, tick: Callable[[int], None]) -> None:
        df = self.injector.inject(name, self.injector.apply_overrides(name, df))
        self.writer.write(name, df)
        tick(df.height)


def _advance(
    world: World,
    writer: Writer,
    sim: Simulation,
    window: SyncWindow,
    dirty_rate: float,
    progress: RunProgress,
    t_sim: float,
    chunk_clocks: list[int] | None = None,
) -> RunResult:
    """Move the simulation to the window's end and land the window: the steps of one sync.

    ``chunk_clocks``: first simulate up to each of these clocks but the last, landing and forgetting
    the trips finished by then (``_land_finished_trips``).
    """
    writer.start_background()
    injector = defects_mod.Injector(world.cfg.seed, window.number, dirty_rate)
    if sim.customer_overrides is not None:
        injector.overrides = sim.customer_overrides
    deferred = len(chunk_clocks or []) > 1 and dirty_rate > 0
    land = _Lander(writer, injector, sim if deferred else None)
    done = _Landed(window.start, sim.next_shipment_id)
    progress.expect(len(chunk_clocks or [window.end]) + len(_condition_chunks(world, window)))
    progress.add_seconds("shipments", time.perf_counter() - t_sim)  # the world and the loaded state
    for clock in (chunk_clocks or [])[:-1]:
        _land_finished_trips(world, sim, window, clock, done, land, progress)
        progress.chunk_done()
    t_final = time.perf_counter()
    _simulate(world, sim, window)
    sim_seconds = time.perf_counter() - t_final
    _land_entities(world, sim, window, land, progress, sim_seconds, done.first_shipment_id)
    _land_telemetry(world, sim.trips, window, land, progress, done.breakdowns_with(sim.trips))
    progress.chunk_done()
    _land_conditions(world, window, land, progress)
    truth = {
        truth_mod.LATENESS_TABLE: truth_mod.lateness_causes(sim.trips, world.net),
        truth_mod.HAZARD_TABLE: truth_mod.breakdown_hazard(sim.trips, done.until, window.end),
    }
    if window.number == 0:  # the initial load streams its truth into staging twins
        for name, df in truth.items():
            writer.write_internal(name, df)
        truth = {}
    writer.flush()
    if land.deferred is not None:
        land.deferred.drop()
    t_state = time.perf_counter()
    _forget_finished(sim, window.end)
    state = {
        "_sim_trips": sim.trips,
        "_sim_maintenance": sim.maintenance,
        "_sim_vehicle_events": sim.events,
        "_sim_customer_overrides": injector.overrides,
        "_sim_vehicle_state": pl.DataFrame({"vidx": np.arange(world.fleet.n), **sim.vehicles}),
    }
    progress.add_seconds("shipments", time.perf_counter() - t_state)
    result = RunResult(window.number, window.end, dict(writer.rows), injector.count, state, truth)
    result.rows["_next_shipment_id"] = sim.next_shipment_id
    result.rows["_next_maintenance_id"] = sim.next_maintenance_id
    return result


@dataclass
class _Landed:
    """How far a run's chunks have landed: the last chunk's clock, the run's first shipment id (rows
    from it on are new in the run), and the breakdowns seen so far (pings of later chunks need those
    of trips already forgotten for their temperature trend)."""

    until: int
    first_shipment_id: int
    breakdowns: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def breakdowns_with(self, trips: pl.DataFrame) -> np.ndarray:
        """Sorted breakdown keys of ``trips`` and of every chunk landed before."""
        keys = breakdown_keys(trips)
        return keys if not len(self.breakdowns) else np.union1d(self.breakdowns, keys)


def _land_finished_trips(
    world: World,
    sim: Simulation,
    window: SyncWindow,
    clock: int,
    done: _Landed,
    land: _Lander,
    progress: RunProgress,
) -> None:
    """One chunk of a run: simulate to ``clock``, number the shipments visible by then, and land the
    trips whose every row is final by ``clock`` — their shipment rows and pings of the window, as of
    its end, and their truth (into staging twins) — then forget them. Maintenance and vehicle events
    stay (they are small)."""
    t0 = time.perf_counter()
    _simulate(world, sim, SyncWindow(window.number, done.until, clock))
    sim.trips, sim.next_shipment_id = number_shipments(sim.trips, clock, sim.next_shipment_id)
    done.breakdowns = done.breakdowns_with(sim.trips)
    land.writer.write_internal(
        truth_mod.HAZARD_TABLE, truth_mod.breakdown_hazard(sim.trips, done.until, clock)
    )
    keep = _trips_to_keep(sim.trips, clock)
    finished, sim.trips = sim.trips.filter(pl.Series(~keep)), sim.trips.filter(pl.Series(keep))
    progress.add_seconds("shipments", time.perf_counter() - t0)
    with progress.table("shipments") as tick:
        rows, _, next_id = land_shipments(
            finished,
            world.enums,
            world.net,
            world.fleet,
            world.cond.drifts,
            window.start,
            window.end,
            window.synced,
            sim.next_shipment_id,
            done.first_shipment_id,
        )
        assert next_id == sim.next_shipment_id, "a finished trip had no shipment id"
        if land.deferred is None:
            land("shipments", rows, tick)
        else:
            land.deferred.keep_shipments(rows)
            tick(0)  # the rows are counted when they land, after the last chunk
    land.writer.write_internal(truth_mod.LATENESS_TABLE, truth_mod.lateness_causes(finished, world.net))
    if land.deferred is None:
        _land_telemetry(world, finished, window, land, progress, done.breakdowns)
    else:
        land.deferred.keep_ping_trips(finished)
    done.until = clock


def _simulate(world: World, sim: Simulation, window: SyncWindow) -> None:
    """Extend the vehicles' plans to the horizon and execute the trips picked up by the window's end."""
    cfg, enums, net, fleet = world.cfg, world.enums, world.net, world.fleet
    planned = plan(cfg, enums, net, fleet, world.picker, sim.vehicles, window.horizon)
    new_trips = shipment_attributes(cfg, enums, net, fleet, world.customers, planned.trips)
    new_maintenance = maintenance_attributes(cfg, fleet, planned.maintenance)
    trips = pl.concat([sim.trips, new_trips], how="vertical_relaxed") if sim.trips.height else new_trips
    maintenance = (
        pl.concat([sim.maintenance, new_maintenance], how="vertical_relaxed")
        if sim.maintenance.height
        else new_maintenance
    )
    trips, breakdowns, performed = execute(cfg, enums, net, world.cond, trips, sim.vehicles, window.end)
    if performed.height:
        maintenance = (
            maintenance.join(performed, on=["vidx", "k"], how="left", maintain_order="left")
            .with_columns(
                pl.when(~pl.col("breakdown") & pl.col("_perf").is_not_null())
                .then(pl.col("_perf"))
                .otherwise(pl.col("perf"))
                .alias("perf")
            )
            .drop("_perf")
        )
    breakdowns = maintenance_attributes(cfg, fleet, breakdowns)
    maintenance = pl.concat([maintenance, breakdowns], how="vertical_relaxed")
    started = pl.concat(
        [breakdowns, maintenance.join(performed, on=["vidx", "k"], how="semi").filter(~pl.col("breakdown"))],
        how="vertical_relaxed",
    )
    sim.events = pl.concat(
        [sim.events, planned.events, maintenance_events(started, enums, fleet.initial_odometer_km)],
        how="vertical_relaxed",
    )
    sim.trips, sim.maintenance = trips, maintenance


def _land_entities(
    world: World,
    sim: Simulation,
    window: SyncWindow,
    land: _Lander,
    progress: RunProgress,
    sim_seconds: float,
    first_shipment_id: int,
) -> None:
    """Land the static tables (initial load only), customers, vehicles, shipments and maintenance."""
    net, fleet, synced = world.net, world.fleet, window.synced
    if window.number == 0:
        for name, table in (("locations", net.locations), ("routes", net.routes)):
            with progress.table(name) as tick:
                landed = table.with_columns(
                    ts_col("created_at", table["created_at"].to_numpy()),
                    ts_col("updated_at", table["updated_at"].to_numpy()),
                )
                land(name, system_columns(landed, synced), tick)
    with progress.table("customers") as tick:
        c = world.customers.land(window.start, window.end)
        c = c.with_columns(
            ts_col("created_at", c["created_at"].to_numpy()), ts_col("updated_at", c["updated_at"].to_numpy())
        )
        land("customers", system_columns(c, synced, c["_fivetran_deleted"].to_numpy()), tick)
    with progress.table("vehicles") as tick:
        v = land_vehicles(fleet, sim.events, world.enums, window.start, window.end)
        v = v.with_columns(
            ts_col("created_at", v["created_at"].to_numpy()),
            ts_col("updated_at", v["updated_at"].to_numpy()),
            ts_col("purchase_date", v["purchase_date"].to_numpy()).cast(pl.Date),
        )
        land("vehicles", system_columns(v, synced, v["_fivetran_deleted"].to_numpy()), tick)
    with progress.table("shipments") as tick:
        progress.add_seconds("shipments", sim_seconds)
        rows, sim.trips, sim.next_shipment_id = land_shipments(
            sim.trips,
            world.enums,
            net,
            fleet,
            world.cond.drifts,
            window.start,
            window.end,
            synced,
            sim.next_shipment_id,
            first_shipment_id,
        )
        if land.deferred is None:
            land("shipments", rows, tick)
        else:
            land.deferred.keep_shipments(rows)
            land.deferred.land_shipments(tick)
    with progress.table("maintenance") as tick:
        if land.deferred is not None:  # its defects are drawn over the rows in one pass's order
            sim.maintenance = land.deferred.maintenance_in_one_pass_order(sim.maintenance)
        rows, sim.maintenance, sim.next_maintenance_id = land_maintenance(
            sim.maintenance, world.enums, fleet, window.start, window.end, synced, sim.next_maintenance_id
        )
        land("maintenance", rows, tick)


def _land_telemetry(
    world: World,
    trips: pl.DataFrame,
    window: SyncWindow,
    land: _Lander,
    progress: RunProgress,
    bkeys: np.ndarray,
) -> None:
    """Land the pings of executed trips that may arrive in the window, in batches of trips.

    ``bkeys``: the sorted breakdown keys the pings' temperature trend looks ahead to.
    """
    t0, t1 = window.start, window.end
    chunk = TRIPS_PER_TELEMETRY_BATCH
    if land.deferred is not None:  # with the trips kept from earlier chunks, read back in order
        steps, parts = land.deferred.ping_trip_batches(trips, t0, t1, chunk)
    else:
        done_trips = (
            trips.select((*PING_COLUMNS, "committed"))
            .filter(
                pl.col("committed")
                & (pl.col("delivered") > t0 - MAX_DELAY - HOUR)
                & (pl.col("pickup") - pl.col("dead_s") <= t1)
            )
            .sort("pickup", "vidx", "k")  # a total order: batch boundaries are deterministic
        )
        bounds = range(0, done_trips.height, chunk)
        steps, parts = len(bounds), (done_trips.slice(b, chunk) for b in bounds)
    with progress.table("telematics", steps=max(steps, 1)) as tick:
        for part in parts:
            land(
                "telematics",
                pings(world.cfg.seed, world.net, world.fleet, part, bkeys, t0, t1, window.synced),
                tick,
            )
        if not steps:
            tick(0)


def _condition_chunks(world: World, window: SyncWindow) -> list[tuple[int, int]]:
    """The hour ranges [h, h1) in which weather is landed (from the previous fetch's preliminary
    hours on); traffic lands the same ranges from the window's first hour."""
    h_end = (window.end + 1) // HOUR
    wx_start = _first_hour(world, window) - (0 if window.start == NONE else PRELIMINARY_WEATHER_HOURS)
    step = HOURS_PER_CONDITIONS_BATCH_AT_200_LOCATIONS * max(1, int(200 / max(world.net.n, 1)))
    return [(h, min(h + step, h_end)) for h in range(wx_start, h_end, step)]


def _first_hour(world: World, window: SyncWindow) -> int:
    """The first hour whose weather and traffic are new in the window."""
    return world.cfg.start_ts // HOUR if window.start == NONE else (window.start + 1) // HOUR


def _land_conditions(world: World, window: SyncWindow, land: _Lander, progress: RunProgress) -> None:
    """Land weather (re-landing the previous fetch's preliminary hours) and traffic, in batches of hours."""
    net, synced = world.net, window.synced
    h_end, h_start = (window.end + 1) // HOUR, _first_hour(world, window)
    chunks = _condition_chunks(world, window)
    with (
        progress.table("weather", len(chunks), timed=False) as tick_w,
        progress.table("traffic", len(chunks), timed=False) as tick_t,
    ):
        for h, h1 in chunks:
            tw = time.perf_counter()
            wx, sev = weather_rows(
                world.cond, net.n, h, h1, h_end - PRELIMINARY_WEATHER_HOURS, synced, h_start
            )
            land("weather", wx, tick_w)
            tt = time.perf_counter()
            lo = max(h, h_start)
            if lo < h1:
                sev = sev.reshape(net.n, h1 - h)[:, lo - h :].ravel()
                land("traffic", traffic_rows(world.cond, net.n, lo, h1, synced, sev), tick_t)
            else:
                tick_t(0)
            progress.add_seconds("weather", tt - tw)
            progress.add_seconds("traffic", time.perf_counter() - tt)
            progress.chunk_done()


def _trips_to_keep(trips: pl.DataFrame, clock: int) -> np.ndarray:
    """Trips that are open (neither cancelled nor committed) or of which something can still land
    after ``clock``: their pings (up to ``MAX_DELAY`` after delivery), their deletion, their
    cancellation, their creation, or their late-recorded copy."""
    late_rec = np.where(
        trips["late"].to_numpy() & trips["committed"].to_numpy(),
        trips["delivered"].to_numpy() + trips["late_delay"].to_numpy(),
        NONE,
    )
    retain = np.maximum.reduce(
        [
            np.where(trips["committed"].to_numpy(), trips["delivered"].to_numpy() + MAX_DELAY + HOUR, NONE),
            trips["delete_at"].to_numpy(),
            trips["cancel_at"].to_numpy(),
            trips["created"].to_numpy(),
            late_rec,
        ]
    )
    open_trip = ~trips["cancelled"].to_numpy() & ~trips["committed"].to_numpy()
    return open_trip | (retain > clock)


def _forget_finished(sim: Simulation, clock: int) -> None:
    """Drop the trips and maintenance whose every future row has landed by ``clock``."""
    sim.trips = sim.trips.filter(pl.Series(_trips_to_keep(sim.trips, clock)))
    maintenance = sim.maintenance
    performed = maintenance["perf"].to_numpy() != NONE
    m_end = np.where(performed, maintenance["perf"].to_numpy() + maintenance["down_s"].to_numpy(), NONE)
    m_retain = np.maximum.reduce(
        [
            maintenance["created"].to_numpy(),
            maintenance["cancel_at"].to_numpy(),
            np.where(maintenance["late"].to_numpy(), m_end + maintenance["late_delay"].to_numpy(), m_end),
        ]
    )
    m_open = ~maintenance["cancelled"].to_numpy() & ~performed
    sim.maintenance = maintenance.filter(pl.Series(m_open | (m_retain > clock)))


__all__ = ["GeneratorError", "RunResult", "generate", "sync"]
