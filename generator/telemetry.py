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

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import polars as pl

from . import rng
from .config import HOUR
from .fleet import Fleet
from .landing import system_values
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


class PingDraws(NamedTuple):
    """The uniform draws of one ping, keyed by (vehicle, trip, slot) — one name per use."""

    frac: np.ndarray
    """Jitter of the ping's place within its slot of the leg."""
    lat: np.ndarray
    lon: np.ndarray
    stop: np.ndarray
    """Stopped (speed 0) when below ``STOPPED_SHARE``."""
    speed: np.ndarray
    rpm: np.ndarray
    temp1: np.ndarray
    temp2: np.ndarray
    volt: np.ndarray
    harsh_braking: np.ndarray
    harsh_acceleration: np.ndarray
    buffered: np.ndarray
    """Buffered on the device when below ``BUFFER_RATE``."""
    buffer_delay: np.ndarray
    redelivered: np.ndarray
    """Delivered a second time when below ``REDELIVERY_RATE``."""
    redelivery_delay: np.ndarray
    idle: np.ndarray


STOPPED_SHARE = 0.08  # pings of a moving leg at speed 0 (traffic lights, queues)


@dataclass
class _Slots:
    """One entry per ping: its trip (``g``, an index into the batch), its index on the leg (``i``,
    of ``n``), its slot (the last two digits of ``telemetry_id``) and what kind of ping it is."""

    g: np.ndarray
    i: np.ndarray
    slot: np.ndarray
    n: np.ndarray
    dead: np.ndarray
    """On the repositioning leg (its engine-on ping included)."""
    ignition: np.ndarray
    arrival: np.ndarray
    """The engine-off ping at delivery."""


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
    v, k = trips["vidx"].to_numpy(), trips["k"].to_numpy()
    kt = rng.key(seed, "ping-trip", v + 1, k)
    at = _slots(trips, kt)
    g, vv = at.g, v[at.g]
    u = PingDraws(*rng.uniforms(rng.key(seed, "ping", kt[g], at.slot), len(PingDraws._fields)))
    pickup, dead_s = trips["pickup"].to_numpy(), trips["dead_s"].to_numpy()
    seg_start = np.where(at.dead, pickup[g] - dead_s[g], pickup[g])
    seg_len = np.where(at.dead, dead_s[g], trips["delivered"].to_numpy()[g] - pickup[g])
    inside = (at.i + 0.5 + 0.8 * (u.frac - 0.5)) / np.maximum(at.n, 1)
    frac = np.where(at.ignition, at.arrival.astype(np.float64), inside)
    recorded = seg_start + (frac * seg_len).astype(np.int64)
    km = net.route_km[trips["route"].to_numpy()][g]
    dead_m = trips["dead_m"].to_numpy()[g]
    seg_km = np.where(at.dead, dead_m / 1000.0, km)
    speed, rpm, stopped = _motion(fleet, vv, at, u, seg_km, seg_len)
    fuel = _fuel_level(fleet, vv, at.dead, frac, dead_m, km, 55.0 + 45.0 * rng.uniform(kt, 2)[g])
    sev = trips["sev"].to_numpy().astype(np.float64)[g]  # weather and congestion at the origin in the
    cong = trips["cong"].to_numpy()[g]  # planned pickup hour, stored when the trip was executed
    load = (trips["weight_kg"].to_numpy() / fleet.capacity_kg[v])[g]
    temp_c = _engine_temp(fleet, vv, load, speed, u, recorded, breakdown_keys)
    ship = trips["shipment_id"].to_numpy(allow_copy=True).astype(np.float64)
    ship = np.where(trips["late"].to_numpy(), np.nan, ship)  # a late-recorded shipment has no id yet
    rows = _arriving(recorded, u, t0, t1)
    redelivered = u.redelivered[rows] < REDELIVERY_RATE
    return pl.DataFrame(
        {
            "telemetry_id": ((vv + 1) * 10_000_000_000 + k[g] * 100 + at.slot)[rows],
            "vehicle_id": (vv + 1)[rows],
            "shipment_id": pl.Series(np.where(at.dead, np.nan, ship[g])[rows], nan_to_null=True).cast(
                pl.Int64
            ),
            "recorded_at": pl.Series(recorded[rows] * 1_000_000).cast(pl.Datetime("us")),
            **{c: x[rows] for c, x in _position(net, trips, at, u, frac).items()},
            "speed_kmh": np.round(speed, 1)[rows],
            "engine_rpm": np.round(rpm, 0)[rows],
            "engine_temp_c": np.round(temp_c, 1)[rows],
            "fuel_level_pct": np.round(fuel, 1)[rows],
            **{c: x[rows] for c, x in _odometer(fleet, trips, at, frac, dead_m, km, vv).items()},
            "battery_voltage": _battery_voltage(fleet, vv, stopped, u)[rows],
            **{c: x[rows] for c, x in _harsh_events(at, u, sev, cong).items()},
            "_redelivered": redelivered,
            **system_values(len(recorded[rows]), synced),
            "_eligible": ~redelivered,
        }
    )


def _battery_voltage(fleet: Fleet, vv: np.ndarray, stopped: np.ndarray, u: PingDraws) -> np.ndarray:
    """Volts: the vehicle type's charging voltage (12 V or 24 V system), lower while stopped."""
    return np.round(
        np.where(fleet.type_idx[vv] == 0, 13.7, 27.6) - np.where(stopped, 0.9, 0.0) + 0.6 * (u.volt - 0.5),
        2,
    )


def _harsh_events(at: _Slots, u: PingDraws, sev: np.ndarray, cong: np.ndarray) -> dict[str, np.ndarray]:
    """Harsh braking and acceleration flags: likelier in bad weather (``sev``) and congestion
    (``cong``); never on an ignition ping."""
    moving = ~at.ignition
    return {
        "harsh_braking": moving & (u.harsh_braking < 0.01 + 0.025 * sev + 0.06 * cong),
        "harsh_acceleration": moving & (u.harsh_acceleration < 0.008 + 0.01 * sev + 0.03 * cong),
    }


def _slots(trips: pl.DataFrame, kt: np.ndarray) -> _Slots:
    """The pings of each trip: ≈1 per hour of the loaded leg (2–59), ≈0.9 per hour of repositioning
    (≤ 8), engine on at the start of repositioning and at pickup, engine off at delivery."""
    transit = trips["delivered"].to_numpy() - trips["pickup"].to_numpy()
    dead_s = trips["dead_s"].to_numpy()
    n_trip = np.round(transit / HOUR * TRIP_PINGS_PER_HOUR + rng.uniform(kt, 1))
    n_trip = np.clip(n_trip, 2, 59).astype(np.int64)
    n_dead = np.where(dead_s > 0, np.clip(np.ceil(dead_s / HOUR * 0.9), 1, 8), 0).astype(np.int64)
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
    n = np.where(dead, n_dead[g], n_trip[g])
    return _Slots(g, i, slot, n, dead, slot >= LEG_START_SLOT, slot == ARRIVE_SLOT)


def _position(
    net: Network,
    trips: pl.DataFrame,
    at: _Slots,
    u: PingDraws,
    frac: np.ndarray,
) -> dict[str, np.ndarray]:
    """Latitude and longitude: the leg's fraction from its start to its end, jittered ≈ 1 km."""
    origin, dest, from_loc = (trips[c].to_numpy()[at.g] for c in ("origin", "dest", "from_loc"))
    a = np.where(at.dead, from_loc, origin)
    b = np.where(at.dead, origin, dest)
    lat = net.lat[a] + (net.lat[b] - net.lat[a]) * frac + 0.01 * (u.lat - 0.5)
    lon = net.lon[a] + (net.lon[b] - net.lon[a]) * frac + 0.01 * (u.lon - 0.5)
    return {"latitude": np.round(lat, 5), "longitude": np.round(lon, 5)}


def _odometer(
    fleet: Fleet,
    trips: pl.DataFrame,
    at: _Slots,
    frac: np.ndarray,
    dead_m: np.ndarray,
    km: np.ndarray,
    vv: np.ndarray,
) -> dict[str, np.ndarray]:
    """The trip-start odometer plus the distance driven on the leg so far (never decreases)."""
    driven_m = np.where(at.dead, frac * dead_m, dead_m + frac * km * 1000.0)
    odometer = fleet.initial_odometer_km[vv] + (trips["odo_start_m"].to_numpy()[at.g] + driven_m) / 1000.0
    return {"odometer_km": np.round(odometer, 2)}


def _motion(
    fleet: Fleet, vv: np.ndarray, at: _Slots, u: PingDraws, seg_km: np.ndarray, seg_len: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(speed, rpm, stopped): around the leg's average speed, 0 at ignition pings and stops; rpm
    follows speed (an electric motor's is proportional to it)."""
    avg = np.clip(seg_km / np.maximum(seg_len / HOUR, 0.1) * 1.25, 25.0, 95.0)
    stopped = (u.stop < STOPPED_SHARE) | at.ignition
    speed = np.where(stopped, 0.0, np.clip(avg * (0.8 + 0.4 * u.speed), 3.0, 125.0))
    rpm = np.where(
        fleet.electric[vv] | at.arrival,
        speed * 38.0,
        np.where(stopped, 600.0 + 60.0 * u.idle, 720.0 + speed * 13.0 + 120.0 * u.rpm),
    )
    return speed, rpm, stopped


def _engine_temp(
    fleet: Fleet,
    vv: np.ndarray,
    load: np.ndarray,
    speed: np.ndarray,
    u: PingDraws,
    recorded: np.ndarray,
    breakdown_keys: np.ndarray,
) -> np.ndarray:
    """Operating level + load + speed + noise + up to 24 °C over the ``TREND_WINDOW`` before the
    vehicle's next breakdown."""
    key_t = vv.astype(np.int64) << 40 | recorded
    keys = np.append(breakdown_keys, np.int64(-1))  # sentinel: no later breakdown
    nxt_key = keys[np.searchsorted(breakdown_keys, key_t, side="left")]
    same = (nxt_key >> 40) == vv
    dt = np.where(same, (nxt_key & ((1 << 40) - 1)) - recorded, TREND_WINDOW + 1)
    trend = np.zeros(len(dt))
    near = dt <= TREND_WINDOW  # a few pings: the power is taken on those only
    trend[near] = 24.0 * np.clip(1.0 - dt[near] / TREND_WINDOW, 0.0, 1.0) ** 1.5
    electric = fleet.electric[vv]
    return (
        np.where(electric, 46.0, 86.0) + 5.0 * load + 0.02 * speed + 3.0 * (u.temp1 + u.temp2 - 1.0) + trend
    )


def _fuel_level(
    fleet: Fleet,
    vv: np.ndarray,
    dead: np.ndarray,
    frac: np.ndarray,
    dead_m: np.ndarray,
    km: np.ndarray,
    fuel0: np.ndarray,
) -> np.ndarray:
    """Fuel or charge (%): the trip's starting level (``fuel0``, higher before repositioning) less the
    distance driven × consumption; refilled by 85 % whenever it would fall below 8 %."""
    per_km_pct = fleet.per_100km[vv] / 100.0 / fleet.tank[vv] * 100.0
    start_level = np.where(dead, fuel0 + dead_m / 1000.0 * per_km_pct, fuel0)
    level = start_level - np.where(dead, frac * dead_m / 1000.0, frac * km) * per_km_pct
    level = np.where(level < 8.0, level + 85.0 * np.ceil((8.0 - level) / 85.0), level)
    return np.clip(level, 2.0, 100.0)


def _arriving(recorded: np.ndarray, u: PingDraws, t0: int, t1: int) -> np.ndarray | slice:
    """The rows of the pings arriving in (t0, t1] — some buffered on the device 2–30 h — then of the
    second deliveries arriving in it (exact duplicates, 0.05–36 h after the first)."""
    buffered = u.buffered < BUFFER_RATE
    arrival = recorded + np.where(buffered, ((2.0 + 28.0 * u.buffer_delay) * HOUR).astype(np.int64), 0)
    redelivered = u.redelivered < REDELIVERY_RATE
    arrival2 = arrival + ((0.05 + 36.0 * u.redelivery_delay) * HOUR).astype(np.int64)
    first = (arrival > t0) & (arrival <= t1)
    second = redelivered & (arrival2 > t0) & (arrival2 <= t1)
    if first.all() and not second.any():
        return slice(None)  # all of them, once: views, no copies
    return np.concatenate([np.nonzero(first)[0], np.nonzero(second)[0]])


def breakdown_keys(trips: pl.DataFrame) -> np.ndarray:
    """Sorted ``vidx << 40 | planned breakdown time`` of trips flagged with a breakdown.

    The planned time (planned pickup + the breakdown's fraction of the planned duration) is known
    before the trip runs, so pings recorded before it get the same trend in any sync.
    """
    b = (
        trips.lazy()  # the filter copies only the columns used
        .filter(pl.col("breakdown") & ~pl.col("cancelled"))
        .select("vidx", "planned_pickup", "bd_frac", "planned_s")
        .collect()
    )
    at = b["planned_pickup"].to_numpy() + (b["bd_frac"].to_numpy() * b["planned_s"].to_numpy()).astype(
        np.int64
    )
    return np.sort(b["vidx"].to_numpy().astype(np.int64) << 40 | at)
