"""Truth → Fivetran-shaped rows as of the clock.

Every upsert table lands, per sync, the rows that were created, changed or deleted in the sync's
window (previous clock, clock], with their values *as of the clock*: a shipment is CREATED, then
ASSIGNED, IN_TRANSIT once picked up and DELIVERED once delivered (or CANCELLED); ``updated_at`` is the
time of its last change at or before the clock; a row deleted at the source keeps its last values
and gets ``_fivetran_deleted = true``. Rows the operational system recorded late (``created_at`` days
after the events they describe) land when they are recorded. The telematics table is append-only:
a ping lands in the sync during which it arrives — most arrive at once, some are buffered on the
device for hours (and so land a sync late), a few are delivered twice. Weather and traffic land per
hour; the last hours of each weather fetch are preliminary and the next sync overwrites them.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from .conditions import Conditions
from .config import HOUR, NONE
from .drift import DriftSet
from .enums import Enums
from .fleet import Fleet
from .network import Network
from .trips import driver_rate, fuel_cost

NEVER = 2**62


def ts_col(name: str, values: np.ndarray) -> pl.Series:
    """Epoch seconds (NONE → null) as a microsecond TIMESTAMP series."""
    values = np.asarray(values, dtype=np.int64)
    out = pl.Series(name, values * 1_000_000).cast(pl.Datetime("us"))
    if (values == NONE).any():
        out = pl.Series(name, np.where(values == NONE, 0, values) * 1_000_000).cast(pl.Datetime("us"))
        out = out.scatter(np.nonzero(values == NONE)[0], None)
    return out


def system_columns(df: pl.DataFrame, synced: int, deleted: np.ndarray | bool = False) -> pl.DataFrame:
    """Append ``_fivetran_synced`` and ``_fivetran_deleted``."""
    del_series = pl.Series(
        "_fivetran_deleted", np.broadcast_to(np.asarray(deleted, dtype=bool), (df.height,))
    )
    return df.with_columns(ts_col("_fivetran_synced", np.full(df.height, synced)), del_series)


def _in(x: np.ndarray, t0: int, t1: int) -> np.ndarray:
    return (x > t0) & (x <= t1) & (x != NONE)


def _shipment_visible_from(c: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(recording time of late trips — NEVER for the rest —, when the source first shows the row)."""
    record = np.where(c["late"] & c["committed"], c["delivered"] + c["late_delay"], NEVER)
    return record, np.where(c["late"], record, c["created"])


def _number_new_shipments(
    ids: np.ndarray, new: np.ndarray, c: dict[str, np.ndarray], visible_from: np.ndarray, next_id: int
) -> int:
    """Give ``ids[new]`` consecutive ids from ``next_id`` in the order the source created the rows
    (visible from, then vehicle, then trip index: a total order); returns the next free id."""
    order = new[np.lexsort((c["k"][new], c["vidx"][new], visible_from[new]))]
    ids[order] = np.arange(next_id, next_id + len(order))
    return next_id + len(order)


def number_shipments(trips: pl.DataFrame, t1: int, next_id: int) -> tuple[pl.DataFrame, int]:
    """Give every trip visible by ``t1`` that has no shipment id yet its id, as ``land_shipments``
    would in a sync ending at ``t1``; returns (trips, next id). The initial load numbers each chunk
    with this before landing the chunk's finished trips as of its clock."""
    names = ("late", "committed", "delivered", "late_delay", "created", "vidx", "k")
    c = {n: trips[n].to_numpy() for n in names}
    _, visible_from = _shipment_visible_from(c)
    ids = trips["shipment_id"].to_numpy(allow_copy=True).astype(np.float64)
    new = np.nonzero((visible_from <= t1) & np.isnan(ids))[0]
    next_id = _number_new_shipments(ids, new, c, visible_from, next_id)
    return trips.with_columns(pl.Series("shipment_id", ids, nan_to_null=True).cast(pl.Int64)), next_id


def land_shipments(
    trips: pl.DataFrame,
    enums: Enums,
    net: Network,
    fleet: Fleet,
    drifts: DriftSet,
    t0: int,
    t1: int,
    synced: int,
    next_id: int,
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Shipment rows changed in (t0, t1], as of t1. Returns (rows, trips with ids, next id)."""
    c = {
        name: trips[name].to_numpy()
        for name in (
            "late",
            "committed",
            "delivered",
            "late_delay",
            "created",
            "assigned",
            "cancelled",
            "cancel_at",
            "pickup",
            "delete_at",
            "vidx",
            "k",
            "route",
            "planned_pickup",
            "planned_s",
        )
    }
    late, committed = c["late"], c["committed"]
    record, visible_from = _shipment_visible_from(c)
    visible = visible_from <= t1
    changed = _in(visible_from, t0, t1)
    changed |= ~late & (
        _in(c["assigned"], t0, t1)
        | _in(c["cancel_at"], t0, t1)
        | (committed & (_in(c["pickup"], t0, t1) | _in(c["delivered"], t0, t1)))
    )
    changed |= _in(c["delete_at"], t0, t1)
    sel = np.nonzero(visible & changed)[0]
    ids = trips["shipment_id"].to_numpy(allow_copy=True).astype(np.float64)
    new = sel[np.isnan(ids[sel])]
    next_id = _number_new_shipments(ids, new, c, visible_from, next_id)
    trips = trips.with_columns(pl.Series("shipment_id", ids, nan_to_null=True).cast(pl.Int64))

    st = enums.shipment_statuses
    get = lambda s: enums.get("shipment_statuses", s)  # noqa: E731
    x = {n: v[sel] for n, v in c.items()}
    rec = record[sel]
    cancelled_now = x["cancelled"] & (x["cancel_at"] <= t1)
    delivered_now = x["committed"] & (x["delivered"] <= t1)
    picked_now = x["committed"] & (x["pickup"] <= t1)
    assigned_now = x["assigned"] <= t1
    status = np.select(
        [cancelled_now, delivered_now, picked_now, assigned_now],
        [get("CANCELLED"), get("DELIVERED"), get("IN_TRANSIT"), get("ASSIGNED")],
        get("CREATED"),
    )
    updated = np.select(
        [cancelled_now, delivered_now, picked_now, assigned_now],
        [x["cancel_at"], x["delivered"], x["pickup"], x["assigned"]],
        x["created"],
    )
    created = np.where(x["late"], rec, x["created"])
    updated = np.where(x["late"], rec, updated)
    assert set(np.unique(status)) <= set(st)
    vehicle = np.where(status == get("CREATED"), -1, x["vidx"] + 1)
    picked_at = np.where(picked_now & ~cancelled_now, x["pickup"], NONE)
    delivered_at = np.where(delivered_now, x["delivered"], NONE)
    hours = np.where(delivered_now, (x["delivered"] - x["pickup"]) / HOUR, x["planned_s"] / HOUR)
    driver = np.round(hours * driver_rate(net, x["route"]), 2)
    fuel = fuel_cost(net, fleet, drifts, x["vidx"], x["route"], x["planned_pickup"])
    t = trips[sel]
    rows = pl.DataFrame(
        {
            "shipment_id": ids[sel].astype(np.int64),
            "customer_id": t["customer_id"],
            "route_id": x["route"] + 1,
            "vehicle_id": pl.Series(vehicle).replace(-1, None),
            "status": status.astype(str),
            "priority": t["priority"],
            "service_level": t["service_level"],
            "weight_kg": t["weight_kg"],
            "volume_m3": t["volume_m3"],
            "revenue_usd": t["revenue_usd"],
            "fuel_cost_usd": fuel,
            "driver_cost_usd": driver,
            "toll_cost_usd": t["toll_cost_usd"],
        }
    ).with_columns(
        ts_col("planned_pickup_at", x["planned_pickup"]),
        ts_col("picked_up_at", picked_at),
        ts_col("promised_delivery_at", t["promised"].to_numpy()),
        ts_col("delivered_at", delivered_at),
        ts_col("created_at", created),
        ts_col("updated_at", updated),
    )
    rows = system_columns(rows, synced, (x["delete_at"] != NONE) & (x["delete_at"] <= t1))
    is_new = np.isin(sel, new)
    final = np.isin(status, [get("DELIVERED"), get("CANCELLED")]) & (x["delete_at"] == NONE)
    rows = rows.with_columns(pl.Series("_new", is_new), pl.Series("_eligible", is_new & final))
    return rows, trips, next_id


def land_maintenance(
    maint: pl.DataFrame, enums: Enums, fleet: Fleet, t0: int, t1: int, synced: int, next_id: int
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Maintenance rows changed in (t0, t1], as of t1. Returns (rows, truth with ids, next id)."""
    c = {
        n: maint[n].to_numpy()
        for n in (
            "vidx",
            "k",
            "breakdown",
            "created",
            "perf_planned",
            "perf",
            "down_s",
            "cancelled",
            "cancel_at",
            "late",
            "late_delay",
        )
    }
    known = c["perf"] != NONE
    end = np.where(known, c["perf"] + c["down_s"], NEVER)
    record = np.where(c["late"] & known, end + c["late_delay"], NEVER)
    visible_from = np.where(c["late"], record, c["created"])
    visible = visible_from <= t1
    changed = _in(visible_from, t0, t1) | ~c["late"] & (
        _in(c["cancel_at"], t0, t1) | (known & (_in(c["perf"], t0, t1) | _in(end, t0, t1)))
    )
    sel = np.nonzero(visible & changed)[0]
    ids = maint["maintenance_id"].to_numpy(allow_copy=True).astype(np.float64)
    new = sel[np.isnan(ids[sel])]
    order = new[np.lexsort((c["breakdown"][new], c["k"][new], c["vidx"][new], visible_from[new]))]
    ids[order] = np.arange(next_id, next_id + len(order))
    next_id += len(order)
    maint = maint.with_columns(pl.Series("maintenance_id", ids, nan_to_null=True).cast(pl.Int64))

    get = lambda s: enums.get("maintenance_statuses", s)  # noqa: E731
    x = {n: v[sel] for n, v in c.items()}
    xe, xr, xk = end[sel], record[sel], known[sel]
    cancelled_now = x["cancelled"] & (x["cancel_at"] <= t1)
    completed = xk & (xe <= t1)
    started = xk & (x["perf"] <= t1)
    status = np.select(
        [cancelled_now, completed, started],
        [get("CANCELLED"), get("COMPLETED"), get("IN_PROGRESS")],
        get("SCHEDULED"),
    )
    updated = np.select([cancelled_now, completed, started], [x["cancel_at"], xe, x["perf"]], x["created"])
    created = np.where(x["late"], xr, x["created"])
    updated = np.where(x["late"], xr, updated)
    m = maint[sel]
    rows = pl.DataFrame(
        {
            "maintenance_id": ids[sel].astype(np.int64),
            "vehicle_id": x["vidx"] + 1,
            "maintenance_type": m["mtype"],
            "status": status.astype(str),
        }
    ).with_columns(
        ts_col("performed_at", np.where(xk, x["perf"], x["perf_planned"])),
        pl.Series(
            "odometer_km",
            np.round(fleet.initial_odometer_km[x["vidx"]] + m["odometer_m"].to_numpy() / 1000.0, 1),
        ),
        m["parts_cost_usd"],
        m["labor_cost_usd"],
        pl.Series("downtime_hours", np.round(x["down_s"] / HOUR, 2)),
        m["provider"],
        ts_col("created_at", created),
        ts_col("updated_at", updated),
    )
    is_new = np.isin(sel, new)
    final = np.isin(status, [get("COMPLETED"), get("CANCELLED")])
    rows = system_columns(rows, synced).with_columns(
        pl.Series("_new", is_new), pl.Series("_eligible", is_new & final)
    )
    return rows, maint, next_id


def weather_rows(
    cond: Conditions,
    n_loc: int,
    h0: int,
    h1: int,
    preliminary_from: int,
    synced: int,
    new_from: int | None = None,
) -> tuple[pl.DataFrame, np.ndarray]:
    """Weather for every location and hour in [h0, h1); hours ≥ preliminary_from as a preliminary fetch.

    Also returns the final severity per row (location-major), which traffic reuses.
    """
    hours = np.arange(h0, h1, dtype=np.int64)
    loc = np.repeat(np.arange(n_loc, dtype=np.int64), len(hours))
    hour = np.tile(hours, n_loc)
    w = cond.weather(loc, hour)
    severity = w["severity"]
    pre = hour >= preliminary_from
    if pre.any():
        wp = cond.weather(loc[pre], hour[pre], preliminary=True)
        for name in ("temperature_c", "precipitation_mm", "wind_speed_kmh", "visibility_km", "code"):
            w[name] = w[name].copy()
            w[name][pre] = wp[name]
    df = pl.DataFrame(
        {
            "location_id": loc + 1,
        }
    ).with_columns(
        ts_col("observed_at", hour * HOUR),
        pl.Series("temperature_c", w["temperature_c"]),
        pl.Series("precipitation_mm", w["precipitation_mm"]),
        pl.Series("wind_speed_kmh", w["wind_speed_kmh"]),
        pl.Series("visibility_km", w["visibility_km"]),
        pl.Series("condition", cond.names.tolist()).gather(w["code"]),
    )
    new = hour >= (h0 if new_from is None else new_from)
    df = system_columns(df, synced).with_columns(pl.Series("_new", new), pl.Series("_eligible", new & ~pre))
    return df, severity


def traffic_rows(
    cond: Conditions, n_loc: int, h0: int, h1: int, synced: int, severity: np.ndarray | None = None
) -> pl.DataFrame:
    """Traffic for every location and hour in [h0, h1) (``severity``: final weather, location-major)."""
    hours = np.arange(h0, h1, dtype=np.int64)
    loc = np.repeat(np.arange(n_loc, dtype=np.int64), len(hours))
    hour = np.tile(hours, n_loc)
    t = cond.traffic(loc, hour, severity)
    df = pl.DataFrame({"location_id": loc + 1}).with_columns(
        ts_col("observed_at", hour * HOUR),
        pl.Series("congestion_index", t["congestion_index"]),
        pl.Series("avg_speed_kmh", t["avg_speed_kmh"]),
        pl.Series("incident_count", t["incident_count"]),
    )
    return system_columns(df, synced)
