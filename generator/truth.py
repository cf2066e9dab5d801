"""The simulation's truth for judging the ML layer: what really made a shipment late, and how likely
each vehicle was to break down on each day. A model can never see these: they are written to
internal tables of schema ``main`` that no dbt model reads (a test checks this).

* ``_truth_shipment_lateness`` — one row per executed shipment (key ``shipment_id``): the terms of
  the transit-time factor of ``trips.execute`` (weather severity and congestion at the origin in the
  planned pickup hour, distance, wear, the priority bonus), whether the vehicle broke down on the
  trip and the downtime it added, and the resulting transit over plan. Upserted each run for every
  executed trip the run holds (values are pure functions of the seed, so a rewrite is identical).
* ``_truth_vehicle_day_hazard`` — one row per vehicle and UTC day with planned (not cancelled)
  trips (key ``vehicle_id``, ``hazard_date``): the trips, their km, the mean wear and
  ``breakdown_hazard`` = 1 − Π(1 − p) over the day's trips, p = the planner's per-trip breakdown
  probability 1 − exp(−0.6·km/interval·(km since service / interval)³). Days without a trip have
  no row (hazard 0). Each run writes the days of its window (previous clock, clock].
"""

from __future__ import annotations

import duckdb
import numpy as np
import polars as pl

from .config import DAY, HOUR, NONE, PRIORITY_SPEEDUP
from .network import Network

LATENESS_TABLE = "_truth_shipment_lateness"
HAZARD_TABLE = "_truth_vehicle_day_hazard"
TRUTH_TABLES = (LATENESS_TABLE, HAZARD_TABLE)


def with_planned_hazard(trips: pl.DataFrame) -> pl.DataFrame:
    """Trips stored by a generator older than the truth tables lack ``p_breakdown``: null there."""
    if not trips.height or "p_breakdown" in trips.columns:
        return trips
    columns = list(trips.columns)
    columns.insert(columns.index("breakdown") + 1, "p_breakdown")
    return trips.with_columns(pl.lit(None, dtype=pl.Float64).alias("p_breakdown")).select(columns)


def lateness_causes(trips: pl.DataFrame, net: Network) -> pl.DataFrame:
    """The transit-factor terms of every executed trip that has a shipment id."""
    used = ("shipment_id", "route", "wear", "sev", "cong", "priority", "planned_s", "delivered", "pickup")
    done = (
        trips.lazy()  # the filter copies only the columns used
        .filter(pl.col("committed") & ~pl.col("cancelled") & pl.col("shipment_id").is_not_null())
        .select(*used, "breakdown", "bd_down")
        .collect()
    )
    km = net.route_km[done["route"].to_numpy()]
    wear = done["wear"].to_numpy()
    sev = done["sev"].to_numpy().astype(np.float64)
    cong = done["cong"].to_numpy()
    priority = done["priority"].replace_strict(PRIORITY_SPEEDUP, return_dtype=pl.Float64).to_numpy()
    planned_s = done["planned_s"].to_numpy()
    transit_s = done["delivered"].to_numpy() - done["pickup"].to_numpy()
    breakdown = done["breakdown"].to_numpy()
    return pl.DataFrame(
        {
            "shipment_id": done["shipment_id"],
            "weather_severity_at_pickup": sev.astype(np.int64),
            "congestion_index_at_pickup": cong,
            "weather_effect": 0.075 * sev,
            "congestion_effect": 0.22 * cong,
            "distance_effect": 0.035 * np.log1p(km / 250.0),
            "wear_ratio": wear,
            "wear_effect": 0.09 * np.clip(wear, 0, 1.5) ** 2,
            "priority_effect": -priority,
            "had_breakdown": breakdown,
            "breakdown_delay_min": np.where(breakdown, done["bd_down"].to_numpy() / 60.0, 0.0),
            "transit_over_plan_min": (transit_s - planned_s) / 60.0,
        }
    )


def breakdown_hazard(trips: pl.DataFrame, t0: int, t1: int) -> pl.DataFrame:
    """Per vehicle and day of (t0, t1]: the probability of at least one breakdown on its planned trips."""
    lo = -(2**62) if t0 == NONE else t0
    planned = (
        trips.lazy()  # the filter copies only the columns used
        .filter(~pl.col("cancelled") & (pl.col("planned_pickup") > lo) & (pl.col("planned_pickup") <= t1))
        .select("vidx", "planned_pickup", "p_breakdown", "planned_s", "wear")
        .collect()
    )
    return (
        planned.with_columns(
            (pl.col("vidx") + 1).alias("vehicle_id"),
            (pl.col("planned_pickup") // DAY * DAY * 1_000_000)
            .cast(pl.Datetime("us"))
            .dt.date()
            .alias("hazard_date"),
            (1.0 - pl.col("p_breakdown")).log().alias("_log_survival"),
        )
        .group_by("vehicle_id", "hazard_date")
        .agg(
            pl.len().cast(pl.Int64).alias("planned_trips"),
            (pl.col("planned_s").sum() / HOUR).alias("planned_hours"),
            pl.col("wear").mean().alias("mean_wear_ratio"),
            (1.0 - pl.col("_log_survival").sum().exp()).alias("breakdown_hazard"),
        )
        .sort("vehicle_id", "hazard_date")
    )


KEYS = {LATENESS_TABLE: ("shipment_id",), HAZARD_TABLE: ("vehicle_id", "hazard_date")}


def store_staged(con: duckdb.DuckDBPyConnection, prefix: str) -> None:
    """Upsert the truth rows a sync's chunks streamed into staging twins (``main.<prefix><table>``),
    then drop the twins."""
    staged = {
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main'"
        ).fetchall()
    }
    for name in TRUTH_TABLES:
        twin = f"main.{prefix}{name}"
        if prefix + name not in staged:
            continue
        con.execute(f"create table if not exists main.{name} as select * from {twin} where false")
        match = " and ".join(f"t.{k} = n.{k}" for k in KEYS[name])
        con.execute(f"delete from main.{name} as t where exists (select 1 from {twin} as n where {match})")
        con.execute(f"insert into main.{name} select * from {twin} order by all")
        con.execute(f"drop table {twin}")


def store(con: duckdb.DuckDBPyConnection, truth: dict[str, pl.DataFrame], create: bool) -> None:
    """Upsert the run's truth rows (``create``: start the tables afresh, for the initial load; a
    database generated before the truth tables gets them from its next sync on)."""
    for name, df in truth.items():
        con.register("_truth_df", df.to_arrow())
        try:
            if create:
                con.execute(f"create or replace table main.{name} as select * from _truth_df order by all")
                continue
            con.execute(f"create table if not exists main.{name} as select * from _truth_df where false")
            match = " and ".join(f"t.{k} = n.{k}" for k in KEYS[name])
            con.execute(
                f"delete from main.{name} as t where exists (select 1 from _truth_df as n where {match})"
            )
            con.execute(f"insert into main.{name} select * from _truth_df order by all")
        finally:
            con.unregister("_truth_df")
