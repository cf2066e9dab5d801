"""Vehicle schedules → shipments and planned maintenance (the plan), then their execution.

**Plan.** Every vehicle runs a sequence of trips back to back. Trip ``k`` of vehicle ``v`` is drawn
from random numbers keyed by ``(v, k)`` only: an out-of-service window now and then, a rare
relocation of its home depot, an origin (its home depot 80 % of the time, else another depot or
hub of the country), a route from that origin (lengths near the body type's reach), repositioning
(deadhead) from where it stands, a rest gap, and a planned pickup. The odometer is the initial
reading plus cumulative trip and deadhead km, so it never decreases. When the km since the last
service pass the (jittered) interval a service is booked after the trip; other planned work
(inspection, tyres, brakes) is booked at random; downtime shifts the schedule. A breakdown on a trip
has probability 1 − exp(−λ·km·(km since service / interval)³), so it grows steeply with wear. The
plan runs a few days past the clock, so that orders booked before the clock for later pickups exist.

**Execution.** Actual pickup = max(planned pickup + a small delay that grows with congestion,
the time the vehicle is free after its previous trip, service and repositioning) — a max-plus scan
per vehicle, so delays knock on. Actual transit = planned × a factor that grows with the weather
severity and congestion at the origin at the planned pickup hour, with distance and with wear, and
falls with priority, plus noise, plus the downtime of a breakdown. A trip is executed (committed)
once the vehicle starts repositioning for it at or before the clock; drifts in force at that time apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import polars as pl

from . import rng
from .conditions import Conditions
from .config import (
    CANCEL_RATE,
    CANCELLED_DELETED_SHARE,
    COUNTRIES,
    CRITICAL_EXPRESS_SHARE,
    CUSTOMER_TYPE_MARGIN,
    DAY,
    DRIVER_RATE,
    FROM_HOME_DEPOT_SHARE,
    FUEL_PRICE,
    HOME_RELOCATION_RATE,
    HOUR,
    LATE_BREAKDOWN_RECORD_RATE,
    LATE_RECORD_RATE,
    MAINTENANCE_CANCEL_RATE,
    MAX_LEAD,
    MEAN_REST_GAP_H,
    MINUTE,
    NONE,
    OUT_OF_SERVICE_RATE,
    PLANNED_MAINTENANCE_WEIGHT,
    POWER_PRICE,
    PRIORITY_SPEEDUP,
    PRIORITY_WEIGHT,
    SERVICE_LEVEL_MARGIN,
    SERVICE_LEVEL_WEIGHT,
    TOLL_RATE,
    UNPLANNED_MAINTENANCE_RATE,
    Config,
)
from .customers import Customers
from .drift import DriftSet
from .enums import Enums
from .fleet import EV_HOME, EV_ODOMETER, EV_STATUS, Fleet
from .network import Network, RoutePicker

TURNAROUND = 30 * MINUTE
DEADHEAD_KMH = 55.0
TOLL_FACTOR = np.array([0.3, 0.6, 1.0, 1.3])  # by vehicle type index (VAN … TRACTOR_TRAILER)

STATE_COLUMNS = ("k", "t_free", "loc", "home", "cum_m", "since_m", "svc_n", "interval_m", "x_free")


def initial_state(cfg: Config, fleet: Fleet) -> dict[str, np.ndarray]:
    """Per-vehicle simulation state before the first trip."""
    vid = np.arange(1, fleet.n + 1)
    k0 = rng.key(cfg.seed, "vehicle-init", vid)
    # A vehicle's first order is booked after it is registered (orders are booked ≤ MAX_LEAD ahead).
    t_free = np.maximum(cfg.start_ts, fleet.in_service + MAX_LEAD) + (rng.uniform(k0, 1) * 12 * HOUR).astype(
        np.int64
    )
    interval_m = _interval(cfg.seed, fleet, vid, np.zeros(fleet.n, dtype=np.int64))
    return {
        "k": np.zeros(fleet.n, dtype=np.int64),
        "t_free": t_free,
        "loc": fleet.home0.astype(np.int64),
        "home": fleet.home0.astype(np.int64),
        "cum_m": np.zeros(fleet.n, dtype=np.int64),
        "since_m": (rng.uniform(k0, 2) * 0.9 * interval_m).astype(np.int64),
        "svc_n": np.zeros(fleet.n, dtype=np.int64),
        "interval_m": interval_m,
        "x_free": t_free.copy(),
    }


def _interval(seed: int, fleet: Fleet, vid: np.ndarray, svc_n: np.ndarray) -> np.ndarray:
    u = rng.uniform(rng.key(seed, "interval", vid, svc_n))
    return (fleet.interval_km[vid - 1] * 1000 * (0.9 + 0.2 * u)).astype(np.int64)


@dataclass
class Plan:
    """New planned trips, maintenance bookings and vehicle events from one planning pass."""

    trips: pl.DataFrame
    maintenance: pl.DataFrame
    events: pl.DataFrame


class TripDraws(NamedTuple):
    """The uniform draws of trip ``k`` of a vehicle, keyed by (vehicle, k) — one name per use."""

    unused: np.ndarray
    out_of_service: np.ndarray
    out_of_service_days: np.ndarray
    relocation: np.ndarray
    new_home_depot: np.ndarray
    from_home: np.ndarray
    other_origin: np.ndarray
    route: np.ndarray
    cancel: np.ndarray
    rest_gap: np.ndarray
    breakdown: np.ndarray
    breakdown_at: np.ndarray
    breakdown_downtime: np.ndarray
    other_maintenance: np.ndarray
    maintenance_type: np.ndarray
    maintenance_cancel: np.ndarray
    maintenance_start: np.ndarray
    maintenance_downtime: np.ndarray
    maintenance_lead: np.ndarray
    maintenance_cancel_at: np.ndarray


@dataclass(frozen=True)
class Depots:
    """Per country, the depots and hubs a trip can start from, and the depots a vehicle can live at."""

    origin_table: np.ndarray
    origin_count: np.ndarray
    home_table: np.ndarray
    home_count: np.ndarray


@dataclass(frozen=True)
class NextTrips:
    """The next trip of each live vehicle ``v`` (its trip number ``k``): when, where, and what follows."""

    v: np.ndarray
    k: np.ndarray
    u: TripDraws
    free_at: np.ndarray
    out_of_service: np.ndarray
    back_in_service_at: np.ndarray
    start_at: np.ndarray
    home: np.ndarray
    relocated: np.ndarray
    from_loc: np.ndarray
    origin: np.ndarray
    route: np.ndarray
    km: np.ndarray
    cancelled: np.ndarray
    dead_km: np.ndarray
    dead_s: np.ndarray
    pickup: np.ndarray
    planned_s: np.ndarray
    free: np.ndarray
    commit: np.ndarray
    """The pickup is inside the horizon and before the vehicle retires."""


@dataclass(frozen=True)
class TripWear:
    """Wear, breakdown and the maintenance booked after each next trip."""

    ratio: np.ndarray
    p_breakdown: np.ndarray
    breakdown: np.ndarray
    moved: np.ndarray
    since: np.ndarray
    need_service: np.ndarray
    any_maintenance: np.ndarray
    maintenance_cancelled: np.ndarray
    performed_at: np.ndarray
    downtime: np.ndarray
    next_free_at: np.ndarray
    service_done: np.ndarray


def plan(
    cfg: Config,
    enums: Enums,
    net: Network,
    fleet: Fleet,
    picker: RoutePicker,
    state: dict[str, np.ndarray],
    horizon: int,
) -> Plan:
    """Extend every vehicle's schedule until its next planned pickup would be after ``horizon``.

    ``state`` is updated in place.
    """
    origin_table, origin_count = _table(
        [np.nonzero(net.is_depot_hub & (net.country == c))[0] for c in range(len(COUNTRIES))]
    )
    home_table, home_count = _table(
        [np.nonzero(net.is_depot & (net.country == c))[0] for c in range(len(COUNTRIES))]
    )
    depots = Depots(origin_table, origin_count, home_table, home_count)
    trips: list[dict[str, np.ndarray]] = []
    maint: list[dict[str, np.ndarray]] = []
    events: list[dict[str, np.ndarray]] = []
    live = np.nonzero(state["t_free"] < np.minimum(horizon, fleet.retire_at))[0]
    while len(live):
        nxt = _next_trips(cfg.seed, net, fleet, picker, state, depots, live, horizon)
        wear = _wear_and_maintenance(state, nxt)
        trips.append(_trip_rows(net, state, nxt, wear))
        maint += _planned_maintenance_rows(enums, state, nxt, wear)
        events += _status_and_home_events(enums, nxt)
        live = _commit(cfg.seed, net, fleet, state, nxt, wear, horizon)
    return Plan(
        trips=_frame(trips, TRIP_SCHEMA),
        maintenance=_frame(maint, PLAN_MAINT_SCHEMA),
        events=_frame(events, EVENT_SCHEMA),
    )


def _next_trips(
    seed: int,
    net: Network,
    fleet: Fleet,
    picker: RoutePicker,
    S: dict[str, np.ndarray],
    depots: Depots,
    v: np.ndarray,
    horizon: int,
) -> NextTrips:
    """Draw the next trip of vehicles ``v``: out-of-service window, relocation, origin, route, pickup."""
    k = S["k"][v]
    u = TripDraws(*rng.uniforms(rng.key(seed, "trip", v + 1, k), 20))
    country = fleet.country[v]
    t = S["t_free"][v]
    # Out-of-service window.
    oos = u.out_of_service < OUT_OF_SERVICE_RATE
    oos_end = t + ((1.0 + 4.0 * u.out_of_service_days) * DAY).astype(np.int64)
    t_start = np.where(oos, oos_end, t)
    reloc = u.relocation < HOME_RELOCATION_RATE
    home = _relocated_home(S["home"][v], reloc, country, u, depots)
    # Origin, route, repositioning, rest, pickup.
    other = depots.origin_table[country, (u.other_origin * depots.origin_count[country]).astype(np.int64)]
    origin = np.where(u.from_home < FROM_HOME_DEPOT_SHARE, home, other)
    route = picker.pick(fleet.type_idx[v], origin, u.route)
    km = net.route_km[route]
    cancelled = u.cancel < CANCEL_RATE
    loc = S["loc"][v]
    dead_km = np.where(cancelled, 0.0, net.dist_km[loc, origin])
    dead_s = (dead_km / DEADHEAD_KMH * HOUR).astype(np.int64)
    pickup = _planned_pickup(t_start, dead_s, u.rest_gap)
    planned_s = net.route_min[route] * MINUTE
    free = pickup + planned_s + TURNAROUND
    commit = (pickup <= horizon) & (pickup < fleet.retire_at[v])
    return NextTrips(
        v,
        k,
        u,
        t,
        oos,
        oos_end,
        t_start,
        home,
        reloc,
        loc,
        origin,
        route,
        km,
        cancelled,
        dead_km,
        dead_s,
        pickup,
        planned_s,
        free,
        commit,
    )


def _relocated_home(
    home: np.ndarray, reloc: np.ndarray, country: np.ndarray, u: TripDraws, depots: Depots
) -> np.ndarray:
    """The home depot after this trip's (rare) relocation to a random depot of the country."""
    new_home = depots.home_table[
        country[reloc], (u.new_home_depot[reloc] * depots.home_count[country[reloc]]).astype(np.int64)
    ]
    home = home.copy()
    home[reloc] = new_home
    return home


def _planned_pickup(t_start: np.ndarray, dead_s: np.ndarray, u_rest_gap: np.ndarray) -> np.ndarray:
    """Free time + repositioning + an exponential rest gap (mean ``MEAN_REST_GAP_H``, ≥ 30 min),
    rounded up to 5 minutes."""
    gap = (np.maximum(0.5, -MEAN_REST_GAP_H * np.log1p(-u_rest_gap)) * HOUR).astype(np.int64)
    return (t_start + dead_s + gap + 299) // 300 * 300


def _wear_and_maintenance(S: dict[str, np.ndarray], nxt: NextTrips) -> TripWear:
    """Breakdown probability 1 − exp(−λ·km·(km since service / interval)³); maintenance after the trip."""
    u, v, km, cancelled = nxt.u, nxt.v, nxt.km, nxt.cancelled
    interval = S["interval_m"][v]
    since0 = S["since_m"][v] + (nxt.dead_km * 1000).astype(np.int64)
    ratio = (since0 + km * 500) / interval
    p_bd = 1.0 - np.exp(-km * 0.6 / (interval / 1000.0) * ratio**3)
    bd = ~cancelled & (u.breakdown < p_bd)
    moved = np.where(cancelled, 0, (nxt.dead_km * 1000).astype(np.int64) + (km * 1000).astype(np.int64))
    since = S["since_m"][v] + moved
    # Planned maintenance after the trip.
    need_svc = ~cancelled & (since >= interval)
    other_m = ~cancelled & ~need_svc & (u.other_maintenance < UNPLANNED_MAINTENANCE_RATE)
    m_any = need_svc | other_m
    m_cancel = m_any & (u.maintenance_cancel < MAINTENANCE_CANCEL_RATE)
    perf = (nxt.free + ((1.0 + 3.0 * u.maintenance_start) * HOUR).astype(np.int64) + 899) // 900 * 900
    m_down = np.where(
        need_svc, (2.0 + 4.0 * u.maintenance_downtime) * HOUR, (1.0 + 3.0 * u.maintenance_downtime) * HOUR
    ).astype(np.int64)
    m_down = np.where(m_any & ~m_cancel, m_down, 0)
    t_next = np.where(m_any & ~m_cancel, perf + m_down, nxt.free)
    done_svc = need_svc & ~m_cancel
    return TripWear(ratio, p_bd, bd, moved, since, need_svc, m_any, m_cancel, perf, m_down, t_next, done_svc)


def _trip_rows(
    net: Network, S: dict[str, np.ndarray], nxt: NextTrips, wear: TripWear
) -> dict[str, np.ndarray]:
    """The committed next trips as plan rows (``TRIP_SCHEMA``)."""
    c = np.nonzero(nxt.commit)[0]
    vc = nxt.v[c]
    booked = wear.any_maintenance & ~wear.maintenance_cancelled
    return {
        "vidx": vc,
        "k": nxt.k[c],
        "route": nxt.route[c],
        "origin": nxt.origin[c],
        "dest": net.route_dest[nxt.route[c]],
        "from_loc": nxt.from_loc[c],
        "cancelled": nxt.cancelled[c],
        "planned_pickup": nxt.pickup[c],
        "planned_s": nxt.planned_s[c],
        "dead_m": (nxt.dead_km[c] * 1000).astype(np.int64),
        "dead_s": nxt.dead_s[c],
        "odo_start_m": S["cum_m"][vc],
        "wear": wear.ratio[c],
        "breakdown": wear.breakdown[c],
        "p_breakdown": np.where(nxt.cancelled, 0.0, wear.p_breakdown)[c],
        "bd_frac": nxt.u.breakdown_at[c],
        "bd_down": ((2.0 + 10.0 * nxt.u.breakdown_downtime[c]) * HOUR).astype(np.int64),
        "svc_down": wear.downtime[c],
        "svc_perf": np.where(booked, wear.performed_at, NONE)[c],
    }


def _planned_maintenance_rows(
    enums: Enums, S: dict[str, np.ndarray], nxt: NextTrips, wear: TripWear
) -> list[dict[str, np.ndarray]]:
    """Maintenance booked after committed trips (a due service, or other planned work)."""
    mc = np.nonzero(nxt.commit & wear.any_maintenance)[0]
    if not len(mc):
        return []
    u, perf, m_cancel = nxt.u, wear.performed_at, wear.maintenance_cancelled
    mtype = np.where(
        wear.need_service[mc],
        enums.get("maintenance_types", "SCHEDULED_SERVICE"),
        np.array(list(PLANNED_MAINTENANCE_WEIGHT), dtype=object)[
            rng.choice(u.maintenance_type[mc], np.array(list(PLANNED_MAINTENANCE_WEIGHT.values())))
        ],
    )
    lead = ((2.0 + 70.0 * u.maintenance_lead[mc]) * HOUR).astype(np.int64)
    created = perf[mc] - lead
    return [
        {
            "vidx": nxt.v[mc],
            "k": nxt.k[mc],
            "mtype": mtype.astype(object),
            "breakdown": np.zeros(len(mc), bool),
            "created": created,
            "perf_planned": perf[mc],
            "perf": np.full(len(mc), NONE),
            "down_s": np.where(m_cancel[mc], 0, wear.downtime[mc]),
            "cancelled": m_cancel[mc],
            "cancel_at": np.where(
                m_cancel[mc],
                created + ((perf[mc] - created) * u.maintenance_cancel_at[mc]).astype(np.int64),
                NONE,
            ),
            "odometer_m": S["cum_m"][nxt.v[mc]] + wear.moved[mc],
        }
    ]


def _status_and_home_events(enums: Enums, nxt: NextTrips) -> list[dict[str, np.ndarray]]:
    """Vehicle events of committed trips: out of service and back, and a new home depot."""
    v, k = nxt.v, nxt.k
    events = []
    oc = np.nonzero(nxt.commit & nxt.out_of_service)[0]
    if len(oc):
        s_oos = enums.get("vehicle_statuses", "OUT_OF_SERVICE")
        s_active = enums.get("vehicle_statuses", "ACTIVE")
        events.append(
            {
                "vidx": np.concatenate([v[oc], v[oc]]),
                "at": np.concatenate([nxt.free_at[oc], nxt.back_in_service_at[oc]]),
                "seq": np.concatenate([k[oc] * 8, k[oc] * 8 + 1]),
                "kind": np.full(2 * len(oc), EV_STATUS),
                "status": np.array([s_oos] * len(oc) + [s_active] * len(oc), dtype=object),
                "home": np.full(2 * len(oc), -1),
                "odometer": np.full(2 * len(oc), np.nan),
            }
        )
    rc = np.nonzero(nxt.commit & nxt.relocated)[0]
    if len(rc):
        events.append(
            {
                "vidx": v[rc],
                "at": nxt.start_at[rc],
                "seq": k[rc] * 8 + 2,
                "kind": np.full(len(rc), EV_HOME),
                "status": np.array([None] * len(rc), dtype=object),
                "home": nxt.home[rc],
                "odometer": np.full(len(rc), np.nan),
            }
        )
    return events


def _commit(
    seed: int,
    net: Network,
    fleet: Fleet,
    S: dict[str, np.ndarray],
    nxt: NextTrips,
    wear: TripWear,
    horizon: int,
) -> np.ndarray:
    """Commit the state of vehicles whose trip is inside the horizon; return those still live."""
    c = np.nonzero(nxt.commit)[0]
    vc = nxt.v[c]
    S["k"][vc] += 1
    S["t_free"][vc] = wear.next_free_at[c]
    S["home"][vc] = nxt.home[c]
    S["loc"][vc] = np.where(nxt.cancelled[c], nxt.from_loc[c], net.route_dest[nxt.route[c]])
    S["cum_m"][vc] += wear.moved[c]
    S["since_m"][vc] = np.where(wear.service_done[c], 0, wear.since[c])
    S["svc_n"][vc] += wear.service_done[c]
    if wear.service_done[c].any():
        d = vc[wear.service_done[c]]
        S["interval_m"][d] = _interval(seed, fleet, d + 1, S["svc_n"][d])
    return vc[(S["t_free"][vc] < horizon) & (S["t_free"][vc] < fleet.retire_at[vc])]


TRIP_SCHEMA = {
    "vidx": pl.Int64,
    "k": pl.Int64,
    "route": pl.Int64,
    "origin": pl.Int64,
    "dest": pl.Int64,
    "from_loc": pl.Int64,
    "cancelled": pl.Boolean,
    "planned_pickup": pl.Int64,
    "planned_s": pl.Int64,
    "dead_m": pl.Int64,
    "dead_s": pl.Int64,
    "odo_start_m": pl.Int64,
    "wear": pl.Float64,
    "breakdown": pl.Boolean,
    "p_breakdown": pl.Float64,
    "bd_frac": pl.Float64,
    "bd_down": pl.Int64,
    "svc_down": pl.Int64,
    "svc_perf": pl.Int64,
}
PLAN_MAINT_SCHEMA = {
    "vidx": pl.Int64,
    "k": pl.Int64,
    "mtype": pl.String,
    "breakdown": pl.Boolean,
    "created": pl.Int64,
    "perf_planned": pl.Int64,
    "perf": pl.Int64,
    "down_s": pl.Int64,
    "cancelled": pl.Boolean,
    "cancel_at": pl.Int64,
    "odometer_m": pl.Int64,
}
EVENT_SCHEMA = {
    "vidx": pl.Int64,
    "at": pl.Int64,
    "seq": pl.Int64,
    "kind": pl.Int64,
    "status": pl.String,
    "home": pl.Int64,
    "odometer": pl.Float64,
}


def _table(groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Padded 2-D lookup table (group × member) and member counts."""
    width = max(1, max(len(g) for g in groups))
    table = np.zeros((len(groups), width), dtype=np.int64)
    for i, g in enumerate(groups):
        table[i, : len(g)] = g
    return table, np.array([len(g) for g in groups], dtype=np.int64)


def _frame(parts: list[dict[str, np.ndarray]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    if not parts:
        return pl.DataFrame(schema=schema)
    cols = {name: np.concatenate([p[name] for p in parts]) for name in schema}
    return pl.DataFrame(
        {
            n: pl.Series(n, cols[n].tolist() if cols[n].dtype == object else cols[n], dtype=t, strict=False)
            for n, t in schema.items()
        }
    )


class ShipmentDraws(NamedTuple):
    """The uniform draws of the order on trip ``k`` of a vehicle, keyed by (vehicle, k)."""

    unused: np.ndarray
    priority: np.ndarray
    service_level: np.ndarray
    express_upgrade: np.ndarray
    """A CRITICAL order is upgraded to EXPRESS when below ``CRITICAL_EXPRESS_SHARE``."""
    lead_time: np.ndarray
    """Slot 4; the lead time is drawn as ``rng.normal(key, 4)`` from the same key."""
    assignment: np.ndarray
    customer: np.ndarray
    load: np.ndarray
    volume: np.ndarray
    price: np.ndarray
    cancel_at: np.ndarray
    deleted: np.ndarray
    delete_at: np.ndarray
    late_record: np.ndarray
    late_delay: np.ndarray
    unused_last: np.ndarray


LEAD_TIME_MEDIAN = 18 * HOUR  # lognormal lead time (σ 0.9), halved for EXPRESS, within [1 h, 72 h]


def shipment_attributes(
    cfg: Config, enums: Enums, net: Network, fleet: Fleet, customers: Customers, trips: pl.DataFrame
) -> pl.DataFrame:
    """Order attributes of newly planned trips: customer, priority, service level, load, money, times."""
    v = trips["vidx"].to_numpy()
    kk = rng.key(cfg.seed, "shipment", v + 1, trips["k"].to_numpy())
    u = ShipmentDraws(*rng.uniforms(kk, len(ShipmentDraws._fields)))
    prios = [enums.get("priorities", p) for p in PRIORITY_WEIGHT]
    levels = [enums.get("service_levels", s) for s in SERVICE_LEVEL_WEIGHT]
    prio, level = _priority_and_service_level(u, prios, levels)
    pickup = trips["planned_pickup"].to_numpy()
    lead = np.clip(
        np.exp(np.log(LEAD_TIME_MEDIAN) + 0.9 * rng.normal(kk, 4))
        * np.where(level == levels.index("EXPRESS"), 0.5, 1.0),
        HOUR,
        MAX_LEAD,
    ).astype(np.int64)
    created = pickup - lead
    assigned = created + np.minimum(lead // 2, ((5 + 115 * u.assignment) * MINUTE).astype(np.int64))
    origin = trips["origin"].to_numpy()
    cust = customers.sample(net.country[origin], created, u.customer)
    load = 0.08 + 0.88 * u.load**0.8
    weight = np.round(fleet.capacity_kg[v] * load, 1)
    volume = np.round(
        np.minimum(fleet.capacity_m3[v] * 0.98, fleet.capacity_m3[v] * load * (0.7 + 0.35 * u.volume)), 2
    )
    km = net.route_km[trips["route"].to_numpy()]
    slack = np.array([enums.promise_slack_min[s] for s in levels])[level] * MINUTE
    return trips.with_columns(
        pl.Series("customer_id", cust + 1, dtype=pl.Int64),
        pl.Series("priority", prios, dtype=pl.String).gather(prio),
        pl.Series("service_level", levels, dtype=pl.String).gather(level),
        pl.Series("weight_kg", weight),
        pl.Series("volume_m3", volume),
        pl.Series("revenue_usd", _revenue(customers, cust, levels, level, km, weight, u.price)),
        pl.Series(
            "toll_cost_usd",
            np.round(
                km
                * np.array([TOLL_RATE[c] for c in COUNTRIES])[net.country[origin]]
                * TOLL_FACTOR[fleet.type_idx[v]],
                2,
            ),
        ),
        pl.Series("created", created),
        pl.Series("assigned", assigned),
        pl.Series("promised", pickup + trips["planned_s"].to_numpy() + slack),
        *_source_lifecycle(u, trips["cancelled"].to_numpy(), created, pickup),
        pl.lit(None, dtype=pl.Int64).alias("sev"),
        pl.lit(None, dtype=pl.Float64).alias("cong"),
        pl.lit(False).alias("committed"),
        pl.lit(NONE).alias("pickup"),
        pl.lit(NONE).alias("delivered"),
        pl.lit(None, dtype=pl.Int64).alias("shipment_id"),
    )


def _priority_and_service_level(
    u: ShipmentDraws, prios: list[str], levels: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Indexes into ``prios`` and ``levels`` (fixed distributions; CRITICAL favours EXPRESS)."""
    prio = rng.choice(u.priority, np.array(list(PRIORITY_WEIGHT.values())))
    level = rng.choice(u.service_level, np.array(list(SERVICE_LEVEL_WEIGHT.values())))
    critical = prio == prios.index("CRITICAL")
    level = np.where(critical & (u.express_upgrade < CRITICAL_EXPRESS_SHARE), levels.index("EXPRESS"), level)
    return prio, level


def _revenue(
    customers: Customers,
    cust: np.ndarray,
    levels: list[str],
    level: np.ndarray,
    km: np.ndarray,
    weight: np.ndarray,
    u_price: np.ndarray,
) -> np.ndarray:
    """(40 + km × (0.9 + 0.09 × tonnes)) × the margins of the customer type and the service level, ±10 %."""
    margins = customers.static["customer_type"].replace_strict(CUSTOMER_TYPE_MARGIN, return_dtype=pl.Float64)
    m_type = margins.to_numpy()[cust]
    m_level = np.array([SERVICE_LEVEL_MARGIN[s] for s in levels])[level]
    return np.round(
        (40.0 + km * (0.9 + 0.09 * weight / 1000.0)) * m_type * m_level * (0.9 + 0.2 * u_price), 2
    )


def _source_lifecycle(
    u: ShipmentDraws, cancelled: np.ndarray, created: np.ndarray, pickup: np.ndarray
) -> list[pl.Series]:
    """What the operational system does to the row: a cancelled order is cancelled between booking
    and pickup and some are soft-deleted 3–20 days later; a share is recorded late (0.5–5 days)."""
    cancel_at = np.where(
        cancelled, created + ((0.1 + 0.8 * u.cancel_at) * (pickup - created)).astype(np.int64), NONE
    )
    delete_at = np.where(
        cancelled & (u.deleted < CANCELLED_DELETED_SHARE),
        cancel_at + ((3 + 17 * u.delete_at) * DAY).astype(np.int64),
        NONE,
    )
    late = ~cancelled & (u.late_record < LATE_RECORD_RATE)
    late_delay = np.where(late, ((0.5 + 4.5 * u.late_delay) * DAY).astype(np.int64), 0)
    return [
        pl.Series("cancel_at", cancel_at),
        pl.Series("delete_at", delete_at),
        pl.Series("late", late),
        pl.Series("late_delay", late_delay),
    ]


EXECUTION_COLUMNS = (
    "vidx",
    "k",
    "planned_pickup",
    "planned_s",
    "origin",
    "route",
    "priority",
    "wear",
    "breakdown",
    "bd_down",
    "dead_s",
    "svc_down",
    "svc_perf",
    "bd_frac",
    "odo_start_m",
    "dead_m",
)


@dataclass(frozen=True)
class Execution:
    """The open trips of a sync, sorted by (vehicle, trip), and how they run."""

    rows: np.ndarray
    """Their row numbers in the trips frame."""
    todo: pl.DataFrame
    """Their ``EXECUTION_COLUMNS``."""
    severity: np.ndarray
    congestion: np.ndarray
    """Weather severity and congestion at the origin in the planned pickup hour."""
    transit: np.ndarray
    """Seconds from pickup to delivery, a breakdown's downtime included."""
    pickup: np.ndarray
    """Actual pickup: after the planned time plus a delay, and after the vehicle is free."""

    @property
    def delivered(self) -> np.ndarray:
        """Actual delivery time."""
        return self.pickup + self.transit


def execute(
    cfg: Config,
    enums: Enums,
    net: Network,
    cond: Conditions,
    trips: pl.DataFrame,
    state: dict[str, np.ndarray],
    clock: int,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Execute uncommitted trips whose vehicle starts moving for them at or before ``clock``.

    Returns (trips with execution columns filled for newly committed ones, new breakdown maintenance
    rows, new vehicle events for maintenance that now has an actual time). Updates ``state['x_free']``.
    """
    open_rows = np.nonzero(~trips["committed"].to_numpy() & ~trips["cancelled"].to_numpy())[0]
    if len(open_rows) == 0:
        return trips, pl.DataFrame(schema=PLAN_MAINT_SCHEMA), pl.DataFrame(schema=EVENT_SCHEMA)
    run = _run_open_trips(cfg, net, cond, trips, open_rows, state)
    # Executed once the vehicle starts moving for it (repositioning), so its pings exist.
    commit = run.pickup - run.todo["dead_s"].to_numpy() <= clock
    free = _carry_free_time(run, commit, state)
    trips = _record_execution(trips, run, commit)
    return trips, _breakdown_rows(enums, net, run, commit), _maintenance_starts(run, commit, free)


def _run_open_trips(
    cfg: Config,
    net: Network,
    cond: Conditions,
    trips: pl.DataFrame,
    open_rows: np.ndarray,
    state: dict[str, np.ndarray],
) -> Execution:
    """Transit times from the conditions at the planned pickup, then actual pickups (knock-on delays)."""
    open_rows = open_rows[np.lexsort((trips["k"].to_numpy()[open_rows], trips["vidx"].to_numpy()[open_rows]))]
    todo = trips.select(EXECUTION_COLUMNS)[open_rows]  # sorted by (vehicle, trip): only the columns used here
    v = todo["vidx"].to_numpy()
    k = todo["k"].to_numpy()
    planned = todo["planned_pickup"].to_numpy()
    planned_s = todo["planned_s"].to_numpy()
    origin = todo["origin"].to_numpy()
    km = net.route_km[todo["route"].to_numpy()]
    hour = planned // HOUR
    wx = cond.weather(origin, hour)
    sev = wx["severity"].astype(np.float64)
    cong = cond.traffic(origin, hour, wx["severity"])["congestion_index"]
    prio_eff = todo["priority"].replace_strict(PRIORITY_SPEEDUP, return_dtype=pl.Float64).to_numpy()
    kk = rng.key(cfg.seed, "execute", v + 1, k)
    delay = (
        (3.0 + 12.0 * rng.uniform(kk, 1) + 40.0 * cong * rng.uniform(kk, 2))
        * (1.0 - 4.0 * np.maximum(prio_eff, 0))
        * MINUTE
    ).astype(np.int64)
    wear = todo["wear"].to_numpy()
    factor = (
        1.0
        + 0.075 * sev
        + 0.22 * cong
        + 0.035 * np.log1p(km / 250.0)
        + 0.09 * np.clip(wear, 0, 1.5) ** 2
        - prio_eff
        + 0.045 * rng.normal(kk, 3)
    )
    factor = np.maximum(factor, 0.88)
    transit = (planned_s * factor).astype(np.int64) + np.where(
        todo["breakdown"].to_numpy(), todo["bd_down"].to_numpy(), 0
    )
    pickup = _knock_on_pickups(v, planned + delay, transit, todo, state)
    return Execution(open_rows, todo, sev, cong, transit, pickup)


def _knock_on_pickups(
    v: np.ndarray, ready: np.ndarray, transit: np.ndarray, todo: pl.DataFrame, state: dict[str, np.ndarray]
) -> np.ndarray:
    """Max-plus scan per vehicle: p_j = max(a_j, p_{j-1} + transit_{j-1} + turnaround + svc_{j-1} + dead_j).

    ``ready``: planned pickup + drawn delay (a_j; a vehicle's first open trip also waits until the
    vehicle is free and has repositioned).
    """
    n = len(v)
    dead_s = todo["dead_s"].to_numpy()
    svc_down = todo["svc_down"].to_numpy()
    first = np.ones(n, dtype=bool)
    first[1:] = v[1:] != v[:-1]
    a = np.where(first, np.maximum(ready, state["x_free"][v] + dead_s), ready)
    inc = np.zeros(n, dtype=np.int64)
    inc[1:] = transit[:-1] + TURNAROUND + svc_down[:-1] + dead_s[1:]
    inc[first] = 0
    grp = np.cumsum(first) - 1
    S = np.cumsum(inc)
    S -= S[np.nonzero(first)[0]][grp]
    offset = grp.astype(np.int64) * (1 << 42)
    return S + np.maximum.accumulate(a - S + offset) - offset


def _carry_free_time(run: Execution, commit: np.ndarray, state: dict[str, np.ndarray]) -> np.ndarray:
    """Each trip's free time (after turnaround); the vehicle is free again after its last committed trip
    (and the service after it): ``state['x_free']``."""
    v = run.todo["vidx"].to_numpy()
    svc_perf = run.todo["svc_perf"].to_numpy()
    last_c = commit & (np.append(v[1:] != v[:-1], True) | ~np.append(commit[1:], False))
    free = run.delivered + TURNAROUND
    after = np.where(svc_perf != NONE, np.maximum(svc_perf, free) + run.todo["svc_down"].to_numpy(), free)
    state["x_free"][v[last_c]] = after[last_c]
    return free


def _record_execution(trips: pl.DataFrame, run: Execution, commit: np.ndarray) -> pl.DataFrame:
    """Trips with pickup, delivery and the committed flag of newly committed ones, and the conditions."""
    rows = run.rows[commit]
    committed = trips["committed"].to_numpy().copy()
    pickup_all = trips["pickup"].to_numpy().copy()
    delivered_all = trips["delivered"].to_numpy().copy()
    committed[rows] = True
    pickup_all[rows] = run.pickup[commit]
    delivered_all[rows] = run.delivered[commit]
    sev_all = trips["sev"].to_numpy(allow_copy=True).astype(np.float64)
    cong_all = trips["cong"].to_numpy(allow_copy=True).astype(np.float64)
    # conditions at the origin at the planned pickup
    sev_all[run.rows], cong_all[run.rows] = run.severity, run.congestion
    return trips.with_columns(
        pl.Series("sev", sev_all, nan_to_null=True).cast(pl.Int64),
        pl.Series("cong", cong_all, nan_to_null=True),
        pl.Series("committed", committed),
        pl.Series("pickup", pickup_all),
        pl.Series("delivered", delivered_all),
    )


def _breakdown_rows(enums: Enums, net: Network, run: Execution, commit: np.ndarray) -> pl.DataFrame:
    """Breakdown maintenance rows of newly committed trips that break down."""
    todo = run.todo
    bd_down = todo["bd_down"].to_numpy()
    c = commit & todo["breakdown"].to_numpy()
    km = net.route_km[todo["route"].to_numpy()]
    bd_at = run.pickup[c] + (todo["bd_frac"].to_numpy()[c] * (run.transit[c] - bd_down[c])).astype(np.int64)
    odo = (
        todo["odo_start_m"].to_numpy()[c]
        + todo["dead_m"].to_numpy()[c]
        + (todo["bd_frac"].to_numpy()[c] * km[c] * 1000).astype(np.int64)
    )
    breakdown = enums.get("maintenance_types", "BREAKDOWN")
    return pl.DataFrame(
        {
            "vidx": todo["vidx"].to_numpy()[c],
            "k": todo["k"].to_numpy()[c],
            "mtype": [breakdown] * int(c.sum()),
            "breakdown": np.ones(int(c.sum()), bool),
            "created": bd_at,
            "perf_planned": bd_at,
            "perf": bd_at,
            "down_s": bd_down[c],
            "cancelled": np.zeros(int(c.sum()), bool),
            "cancel_at": np.full(int(c.sum()), NONE),
            "odometer_m": odo,
        },
        schema=PLAN_MAINT_SCHEMA,
    )


def _maintenance_starts(run: Execution, commit: np.ndarray, free: np.ndarray) -> pl.DataFrame:
    """Planned maintenance after newly committed trips now has an actual start: (vidx, k, _perf)."""
    svc_perf = run.todo["svc_perf"].to_numpy()
    s = commit & (svc_perf != NONE)
    start = np.maximum(svc_perf[s], free[s])
    return pl.DataFrame(
        {"vidx": run.todo["vidx"].to_numpy()[s], "k": run.todo["k"].to_numpy()[s], "_perf": start},
        schema={"vidx": pl.Int64, "k": pl.Int64, "_perf": pl.Int64},
    )


def maintenance_events(maint: pl.DataFrame, enums: Enums, fleet_initial_odo: np.ndarray) -> pl.DataFrame:
    """Vehicle status and odometer events of maintenance rows with an actual start."""
    m = maint.filter((pl.col("perf") != NONE) & ~pl.col("cancelled"))
    s_maint = enums.get("vehicle_statuses", "IN_MAINTENANCE")
    s_active = enums.get("vehicle_statuses", "ACTIVE")
    n = m.height
    vidx = m["vidx"].to_numpy()
    start = m["perf"].to_numpy()
    end = start + m["down_s"].to_numpy()
    seq = m["k"].to_numpy() * 8 + np.where(m["breakdown"].to_numpy(), 3, 5)
    odo = fleet_initial_odo[vidx] + m["odometer_m"].to_numpy() / 1000.0
    return pl.DataFrame(
        {
            "vidx": np.concatenate([vidx, vidx, vidx]),
            "at": np.concatenate([start, end, end]),
            "seq": np.concatenate([seq, seq + 1, seq + 1]),
            "kind": np.concatenate([np.full(n, EV_STATUS), np.full(n, EV_STATUS), np.full(n, EV_ODOMETER)]),
            "status": np.array([s_maint] * n + [s_active] * n + [None] * n, dtype=object),
            "home": np.full(3 * n, -1),
            "odometer": np.concatenate([np.full(2 * n, np.nan), np.round(odo, 1)]),
        },
        schema=EVENT_SCHEMA,
    )


def fuel_cost(
    net: Network, fleet: Fleet, drifts: DriftSet, vidx: np.ndarray, route: np.ndarray, t: np.ndarray
) -> np.ndarray:
    """Fuel or energy cost of a trip at the prices (and fuel_price drift) in force at ``t``."""
    country = net.country[net.route_origin[route]]
    price = np.where(
        fleet.electric[vidx],
        np.array([POWER_PRICE[c] for c in COUNTRIES])[country],
        np.array([FUEL_PRICE[c] for c in COUNTRIES])[country],
    )
    if drifts:
        price = price * drifts.factor("fuel_price", t)
    return np.round(net.route_km[route] * fleet.per_100km[vidx] / 100.0 * price, 2)


def driver_rate(net: Network, route: np.ndarray) -> np.ndarray:
    """Driver cost in USD per hour for the route's country."""
    return np.array([DRIVER_RATE[c] for c in COUNTRIES])[net.country[net.route_origin[route]]]


def maintenance_attributes(cfg: Config, fleet: Fleet, maint: pl.DataFrame) -> pl.DataFrame:
    """Costs, provider and late recording of new maintenance rows (keyed by vehicle, trip, kind)."""
    v = maint["vidx"].to_numpy()
    bd = maint["breakdown"].to_numpy()
    kk = rng.key(cfg.seed, "maintenance", v + 1, maint["k"].to_numpy(), bd.astype(np.int64))
    (
        _,
        u_parts,
        u_labor,
        u_provider,
        u_late_record,
        u_late_delay,
    ) = rng.uniforms(kk, 6)
    size = np.array([0.6, 1.0, 1.6, 2.2])[fleet.type_idx[v]]
    is_service = maint["mtype"].to_numpy() == "SCHEDULED_SERVICE"
    parts = (
        np.where(bd, 300 + 2500 * u_parts**2, np.where(is_service, 150 + 350 * u_parts, 80 + 900 * u_parts))
        * size
    )
    labor_h = maint["down_s"].to_numpy() / HOUR * (0.6 + 0.4 * u_labor)
    labor = labor_h * np.where(bd, 140.0, 95.0)
    cancelled = maint["cancelled"].to_numpy()
    providers = np.array(fleet.providers, dtype=object)
    late = bd & (u_late_record < LATE_BREAKDOWN_RECORD_RATE)
    return maint.with_columns(
        pl.Series("parts_cost_usd", np.round(np.where(cancelled, 0.0, parts), 2)),
        pl.Series("labor_cost_usd", np.round(np.where(cancelled, 0.0, labor), 2)),
        pl.Series("provider", providers[(u_provider * len(providers)).astype(np.int64)], dtype=pl.String),
        pl.Series("late", late),
        pl.Series("late_delay", np.where(late, ((1.0 + 5.0 * u_late_delay) * DAY).astype(np.int64), 0)),
        pl.lit(None, dtype=pl.Int64).alias("maintenance_id"),
    )
