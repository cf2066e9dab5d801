"""Telematics pings along each executed trip and repositioning leg.

About eleven pings per shipment: a trip of ``h`` hours gets ≈h pings (2–59) with ``shipment_id``
set, a repositioning leg ≈1 per hour with ``shipment_id`` null. The device also reports its ignition
events: engine on at the start of a repositioning leg and at pickup, engine off at delivery (speed 0
at each). So every kilometre lies between two pings of the same leg, and the rest between trips lies
between two pings with the same odometer: a reader can tell driving from parking by the odometer.
Position is interpolated from origin to destination, the odometer is the trip-start odometer plus
the distance fraction (so it never decreases per vehicle), speed and rpm are consistent with each
other, fuel (or battery charge) falls with the distance driven and is refilled when low, engine
temperature trends up over the ~3 days before a breakdown, and harsh braking/acceleration are
likelier in bad weather and congestion.
Every random value is keyed by (vehicle, trip, ping index), so any window cut gives the same pings.
Delivery: most pings arrive at once; ~1.2 % are buffered on the device for 2–30 h; ~0.4 % are
delivered twice (an exact duplicate row, up to 36 h later).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from . import rng
from .config import HOUR
from .fleet import Fleet
from .landing import system_columns
from .network import Network

TREND_WINDOW = 72 * HOUR
BUFFER_RATE = 0.012
REDELIVERY_RATE = 0.004
MAX_DELAY = 66 * HOUR  # buffering + re-delivery
# Ping slots within a trip (the last two digits of telemetry_id): 0–58 on the loaded leg, 60–67 on
# the repositioning leg, then the ignition events.
DEAD_SLOT = 60
LEG_START_SLOT = 90
DEPART_SLOT = 91
ARRIVE_SLOT = 92
TRIP_PINGS_PER_HOUR = 1.0  # with the ignition pings, about eleven pings per shipment
PING_COLUMNS = (
    "vidx",
    "k",
    "pickup",
    "delivered",
    "dead_s",
    "dead_m",
    "shipment_id",
    "late",
    "origin",
    "dest",
    "from_loc",
    "planned_pickup",
    "weight_kg",
    "route",
    "odo_start_m",
    "sev",
    "cong",
)


def _ranks(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(group index, rank within group) for groups of the given sizes."""
    grp = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    return grp, np.arange(counts.sum()) - starts[grp]


def pings(
    seed: int,
    net: Network,
    fleet: Fleet,
    trips: pl.DataFrame,
    breakdown_keys: np.ndarray,
    t0: int,
    t1: int,
    synced: int,
) -> pl.DataFrame:
    """Ping rows of ``trips`` (executed, not cancelled) that arrive in (t0, t1].

    ``breakdown_keys``: sorted ``vidx << 40 | time`` of known breakdowns (for the temperature trend).
    The frame has the landing columns plus ``_redelivered`` (the ping is delivered twice).
    """
    v = trips["vidx"].to_numpy()
    k = trips["k"].to_numpy()
    pickup = trips["pickup"].to_numpy()
    transit = trips["delivered"].to_numpy() - pickup
    dead_s = trips["dead_s"].to_numpy()
    kt = rng.key(seed, "ping-trip", v + 1, k)
    n_trip = np.round(transit / HOUR * TRIP_PINGS_PER_HOUR + rng.uniform(kt, 1))
    n_trip = np.clip(n_trip, 2, 59).astype(np.int64)
    n_dead = np.where(dead_s > 0, np.clip(np.ceil(dead_s / HOUR * 0.9), 1, 8), 0).astype(np.int64)
    ship = trips["shipment_id"].to_numpy(allow_copy=True).astype(np.float64)
    ship = np.where(trips["late"].to_numpy(), np.nan, ship)
    origin, dest, from_loc = (trips[c].to_numpy() for c in ("origin", "dest", "from_loc"))
    sev = trips["sev"].to_numpy().astype(np.float64)  # weather severity and congestion at the origin
    cong = trips["cong"].to_numpy()  # in the planned pickup hour, stored when the trip was executed
    load = trips["weight_kg"].to_numpy() / fleet.capacity_kg[v]
    km = net.route_km[trips["route"].to_numpy()]
    dead_m = trips["dead_m"].to_numpy()
    fuel0 = 55.0 + 45.0 * rng.uniform(kt, 2)

    g1, i1 = _ranks(n_trip)
    g2, i2 = _ranks(n_dead)
    g3 = np.nonzero(n_dead > 0)[0]  # repositioning legs: engine on at their start
    every = np.arange(len(trips))  # trips: engine on at pickup, off at delivery
    g = np.concatenate([g1, g2, g3, every, every])
    i = np.concatenate([i1, i2, np.zeros(len(g3) + 2 * len(every), np.int64)])
    slot = np.concatenate(
        [
            i1,
            DEAD_SLOT + i2,
            np.full(len(g3), LEG_START_SLOT),
            np.full(len(every), DEPART_SLOT),
            np.full(len(every), ARRIVE_SLOT),
        ]
    )
    dead = (slot >= DEAD_SLOT) & (slot <= LEG_START_SLOT)
    ignition = slot >= LEG_START_SLOT
    arrival_ping = slot == ARRIVE_SLOT
    n = np.where(dead, n_dead[g], n_trip[g])
    vv = v[g]
    kp = rng.key(seed, "ping", kt[g], slot)
    (
        u_frac,
        u_lat,
        u_lon,
        u_stop,
        u_speed,
        u_rpm,
        u_temp1,
        u_temp2,
        u_volt,
        u_hb,
        u_ha,
        u_buf,
        u_bufd,
        u_red,
        u_redd,
        u_idle,
    ) = rng.uniforms(kp, 16)
    seg_start = np.where(dead, pickup[g] - dead_s[g], pickup[g])
    seg_len = np.where(dead, dead_s[g], transit[g])
    inside = (i + 0.5 + 0.8 * (u_frac - 0.5)) / np.maximum(n, 1)
    frac = np.where(ignition, arrival_ping.astype(np.float64), inside)
    recorded = seg_start + (frac * seg_len).astype(np.int64)
    a = np.where(dead, from_loc[g], origin[g])
    b = np.where(dead, origin[g], dest[g])
    lat = net.lat[a] + (net.lat[b] - net.lat[a]) * frac + 0.01 * (u_lat - 0.5)
    lon = net.lon[a] + (net.lon[b] - net.lon[a]) * frac + 0.01 * (u_lon - 0.5)
    driven_m = np.where(dead, frac * dead_m[g], dead_m[g] + frac * km[g] * 1000.0)
    odometer = fleet.initial_odometer_km[vv] + (trips["odo_start_m"].to_numpy()[g] + driven_m) / 1000.0
    seg_km = np.where(dead, dead_m[g] / 1000.0, km[g])
    avg = np.clip(seg_km / np.maximum(seg_len / HOUR, 0.1) * 1.25, 25.0, 95.0)
    stopped = (u_stop < 0.08) | ignition
    speed = np.where(stopped, 0.0, np.clip(avg * (0.8 + 0.4 * u_speed), 3.0, 125.0))
    electric = fleet.electric[vv]
    rpm = np.where(
        electric | arrival_ping,
        speed * 38.0,
        np.where(stopped, 600.0 + 60.0 * u_idle, 720.0 + speed * 13.0 + 120.0 * u_rpm),
    )
    # Engine temperature: operating level + load + noise + the trend before a breakdown.
    key_t = vv.astype(np.int64) << 40 | recorded
    keys = np.append(breakdown_keys, np.int64(-1))  # sentinel: no later breakdown
    nxt = np.searchsorted(breakdown_keys, key_t, side="left")
    nxt_key = keys[nxt]
    same = (nxt_key >> 40) == vv
    dt = np.where(same, (nxt_key & ((1 << 40) - 1)) - recorded, TREND_WINDOW + 1)
    trend = np.where(dt <= TREND_WINDOW, 24.0 * np.clip(1.0 - dt / TREND_WINDOW, 0.0, 1.0) ** 1.5, 0.0)
    temp = (
        np.where(electric, 46.0, 86.0)
        + 5.0 * load[g]
        + 0.02 * speed
        + 3.0 * (u_temp1 + u_temp2 - 1.0)
        + trend
    )
    per_km_pct = fleet.per_100km[vv] / 100.0 / fleet.tank[vv] * 100.0
    start_level = np.where(dead, fuel0[g] + dead_m[g] / 1000.0 * per_km_pct, fuel0[g])
    level = start_level - np.where(dead, frac * dead_m[g] / 1000.0, frac * km[g]) * per_km_pct
    level = np.where(level < 8.0, level + 85.0 * np.ceil((8.0 - level) / 85.0), level)
    fuel = np.clip(level, 2.0, 100.0)
    volts = np.where(fleet.type_idx[vv] == 0, 13.7, 27.6) - np.where(stopped, 0.9, 0.0) + 0.6 * (u_volt - 0.5)
    harsh_b = ~ignition & (u_hb < 0.01 + 0.025 * sev[g] + 0.06 * cong[g])
    harsh_a = ~ignition & (u_ha < 0.008 + 0.01 * sev[g] + 0.03 * cong[g])
    telemetry_id = (vv + 1) * 10_000_000_000 + k[g] * 100 + slot
    buffered = u_buf < BUFFER_RATE
    arrival = recorded + np.where(buffered, ((2.0 + 28.0 * u_bufd) * HOUR).astype(np.int64), 0)
    redelivered = u_red < REDELIVERY_RATE
    arrival2 = arrival + ((0.05 + 36.0 * u_redd) * HOUR).astype(np.int64)

    first = (arrival > t0) & (arrival <= t1)
    second = redelivered & (arrival2 > t0) & (arrival2 <= t1)
    sid = np.where(dead, np.nan, ship[g])
    df = pl.DataFrame(
        {
            "telemetry_id": telemetry_id,
            "vehicle_id": vv + 1,
            "shipment_id": pl.Series(sid, nan_to_null=True).cast(pl.Int64),
            "recorded_at": pl.Series(recorded * 1_000_000).cast(pl.Datetime("us")),
            "latitude": np.round(lat, 5),
            "longitude": np.round(lon, 5),
            "speed_kmh": np.round(speed, 1),
            "engine_rpm": np.round(rpm, 0),
            "engine_temp_c": np.round(temp, 1),
            "fuel_level_pct": np.round(fuel, 1),
            "odometer_km": np.round(odometer, 2),
            "battery_voltage": np.round(volts, 2),
            "harsh_braking": harsh_b,
            "harsh_acceleration": harsh_a,
            "_redelivered": redelivered,
        }
    )
    # Pings arriving in the window, then the second deliveries arriving in it (exact duplicates).
    dups = df.filter(pl.Series(second)) if second.any() else None
    if not first.all():
        df = df.filter(pl.Series(first))
    if dups is not None:
        df = pl.concat([df, dups])
    df = system_columns(df, synced)
    return df.with_columns((~pl.col("_redelivered")).alias("_eligible"))


def breakdown_keys(trips: pl.DataFrame) -> np.ndarray:
    """Sorted ``vidx << 40 | planned breakdown time`` of trips flagged with a breakdown.

    The planned time (planned pickup + the breakdown's fraction of the planned duration) is known
    before the trip runs, so pings recorded before it get the same trend in any sync.
    """
    b = trips.filter(pl.col("breakdown") & ~pl.col("cancelled"))
    at = b["planned_pickup"].to_numpy() + (b["bd_frac"].to_numpy() * b["planned_s"].to_numpy()).astype(
        np.int64
    )
    return np.sort(b["vidx"].to_numpy().astype(np.int64) << 40 | at)
