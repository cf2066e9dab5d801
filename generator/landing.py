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


def system_values(n: int, synced: int, deleted: np.ndarray | bool = False) -> dict[str, pl.Series]:
    """``_fivetran_synced`` and ``_fivetran_deleted`` of ``n`` rows, for building a frame in one go."""
    return {
        "_fivetran_synced": ts_col("_fivetran_synced", np.full(n, synced)),
        "_fivetran_deleted": pl.Series(
            "_fivetran_deleted", np.broadcast_to(np.asarray(deleted, dtype=bool), (n,))
        ),
    }


def system_columns(df: pl.DataFrame, synced: int, deleted: np.ndarray | bool = False) -> pl.DataFrame:
    """Append ``_fivetran_synced`` and ``_fivetran_deleted``."""
    return df.with_columns(**system_values(df.height, synced, deleted))


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


# The trip columns a shipment row is derived from (besides its attributes).
SHIPMENT_SOURCE_COLUMNS = (
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
    first_id: int | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Shipment rows changed in (t0, t1], as of t1. Returns (rows, trips with ids, next id).

    ``first_id``: the first shipment id of the run (default ``next_id``); rows with an id from it on
    are new in the run (a run in chunks numbers some in earlier chunks: ``number_shipments``).
    """
    first_id = next_id if first_id is None else first_id
    c = {name: trips[name].to_numpy() for name in SHIPMENT_SOURCE_COLUMNS}
    record, visible_from = _shipment_visible_from(c)
    sel = np.nonzero((visible_from <= t1) & _shipment_changed(c, visible_from, t0, t1))[0]
    ids = trips["shipment_id"].to_numpy(allow_copy=True).astype(np.float64)
    new = sel[np.isnan(ids[sel])]
    next_id = _number_new_shipments(ids, new, c, visible_from, next_id)
    trips = trips.with_columns(pl.Series("shipment_id", ids, nan_to_null=True).cast(pl.Int64))
    x = {n: v[sel] for n, v in c.items()}
    state = _ShipmentAsOf(enums, x, record[sel], t1)
    rows = _shipment_rows(trips[sel], ids[sel].astype(np.int64), x, state, net, fleet, drifts)
    rows = system_columns(rows, synced, (x["delete_at"] != NONE) & (x["delete_at"] <= t1))
    is_new = ids[sel] >= first_id
    final = np.isin(state.status, [state.code("DELIVERED"), state.code("CANCELLED")]) & (
        x["delete_at"] == NONE
    )
    # (_k, _vidx): the order in which one pass over the calendar lands the rows (a dirty load that is
    # streamed in chunks replays its defects in that order).
    rows = rows.with_columns(
        pl.Series("_new", is_new),
        pl.Series("_eligible", is_new & final),
        pl.Series("_k", x["k"]),
        pl.Series("_vidx", x["vidx"]),
    )
    return rows, trips, next_id


def _shipment_changed(c: dict[str, np.ndarray], visible_from: np.ndarray, t0: int, t1: int) -> np.ndarray:
    """Rows the source created, updated (assigned, cancelled, picked up, delivered) or deleted in (t0, t1].

    A late-recorded row changes only when it is recorded (it lands with its final values).
    """
    changed = _in(visible_from, t0, t1)
    changed |= ~c["late"] & (
        _in(c["assigned"], t0, t1)
        | _in(c["cancel_at"], t0, t1)
        | (c["committed"] & (_in(c["pickup"], t0, t1) | _in(c["delivered"], t0, t1)))
    )
    return changed | _in(c["delete_at"], t0, t1)


class _ShipmentAsOf:
    """A shipment's status and timestamps as of ``t1`` (``x``: the source columns of the rows)."""

    def __init__(self, enums: Enums, x: dict[str, np.ndarray], record: np.ndarray, t1: int) -> None:
        self.enums = enums
        cancelled = x["cancelled"] & (x["cancel_at"] <= t1)
        self.delivered = x["committed"] & (x["delivered"] <= t1)
        picked = x["committed"] & (x["pickup"] <= t1)
        steps = [cancelled, self.delivered, picked, x["assigned"] <= t1]
        self.status_names = [
            self.code(s) for s in ("CANCELLED", "DELIVERED", "IN_TRANSIT", "ASSIGNED", "CREATED")
        ]
        self.status_index = np.select(steps, [0, 1, 2, 3], 4)
        self.status = np.array(self.status_names)[self.status_index]
        assert set(np.unique(self.status)) <= set(enums.shipment_statuses)
        updated = np.select(steps, [x["cancel_at"], x["delivered"], x["pickup"], x["assigned"]], x["created"])
        self.created = np.where(x["late"], record, x["created"])
        self.updated = np.where(x["late"], record, updated)
        self.picked_at = np.where(picked & ~cancelled, x["pickup"], NONE)
        self.delivered_at = np.where(self.delivered, x["delivered"], NONE)

    def code(self, status: str) -> str:
        """The landed spelling of a shipment status."""
        return self.enums.get("shipment_statuses", status)


def _shipment_rows(
    t: pl.DataFrame,
    ids: np.ndarray,
    x: dict[str, np.ndarray],
    state: _ShipmentAsOf,
    net: Network,
    fleet: Fleet,
    drifts: DriftSet,
) -> pl.DataFrame:
    """The landing columns of the selected shipments (``t``: their trips); a CREATED one has no vehicle.

    Driver cost is on the actual hours once delivered, else the planned ones; fuel on the planned pickup.
    """
    vehicle = np.where(state.status == state.code("CREATED"), -1, x["vidx"] + 1)
    hours = np.where(state.delivered, (x["delivered"] - x["pickup"]) / HOUR, x["planned_s"] / HOUR)
    return pl.DataFrame(
        {
            "shipment_id": ids,
            "customer_id": t["customer_id"],
            "route_id": x["route"] + 1,
            "vehicle_id": pl.Series(vehicle).replace(-1, None),
            "status": pl.Series(state.status_names, dtype=pl.String).gather(state.status_index),
            "priority": t["priority"],
            "service_level": t["service_level"],
            "weight_kg": t["weight_kg"],
            "volume_m3": t["volume_m3"],
            "revenue_usd": t["revenue_usd"],
            "fuel_cost_usd": fuel_cost(net, fleet, drifts, x["vidx"], x["route"], x["planned_pickup"]),
            "driver_cost_usd": np.round(hours * driver_rate(net, x["route"]), 2),
            "toll_cost_usd": t["toll_cost_usd"],
        }
    ).with_columns(
        ts_col("planned_pickup_at", x["planned_pickup"]),
        ts_col("picked_up_at", state.picked_at),
        ts_col("promised_delivery_at", t["promised"].to_numpy()),
        ts_col("delivered_at", state.delivered_at),
        ts_col("created_at", state.created),
        ts_col("updated_at", state.updated),
    )


MAINTENANCE_SOURCE_COLUMNS = (
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


def land_maintenance(
    maint: pl.DataFrame, enums: Enums, fleet: Fleet, t0: int, t1: int, synced: int, next_id: int
) -> tuple[pl.DataFrame, pl.DataFrame, int]:
    """Maintenance rows changed in (t0, t1], as of t1. Returns (rows, truth with ids, next id)."""
    c = {n: maint[n].to_numpy() for n in MAINTENANCE_SOURCE_COLUMNS}
    known = c["perf"] != NONE  # the work has an actual start
    end = np.where(known, c["perf"] + c["down_s"], NEVER)
    record = np.where(c["late"] & known, end + c["late_delay"], NEVER)
    visible_from = np.where(c["late"], record, c["created"])
    changed = _in(visible_from, t0, t1) | ~c["late"] & (
        _in(c["cancel_at"], t0, t1) | (known & (_in(c["perf"], t0, t1) | _in(end, t0, t1)))
    )
    sel = np.nonzero((visible_from <= t1) & changed)[0]
    ids = maint["maintenance_id"].to_numpy(allow_copy=True).astype(np.float64)
    new = sel[np.isnan(ids[sel])]
    order = new[np.lexsort((c["breakdown"][new], c["k"][new], c["vidx"][new], visible_from[new]))]
    ids[order] = np.arange(next_id, next_id + len(order))
    next_id += len(order)
    maint = maint.with_columns(pl.Series("maintenance_id", ids, nan_to_null=True).cast(pl.Int64))
    x = {n: v[sel] for n, v in c.items()}
    rows, status = _maintenance_rows(
        maint[sel], ids[sel], x, end[sel], record[sel], known[sel], enums, fleet, t1
    )
    get = lambda s: enums.get("maintenance_statuses", s)  # noqa: E731
    is_new = np.isin(sel, new)
    final = np.isin(status, [get("COMPLETED"), get("CANCELLED")])
    rows = system_columns(rows, synced).with_columns(
        pl.Series("_new", is_new), pl.Series("_eligible", is_new & final)
    )
    return rows, maint, next_id


def _maintenance_rows(
    m: pl.DataFrame,
    ids: np.ndarray,
    x: dict[str, np.ndarray],
    end: np.ndarray,
    record: np.ndarray,
    known: np.ndarray,
    enums: Enums,
    fleet: Fleet,
    t1: int,
) -> tuple[pl.DataFrame, np.ndarray]:
    """The landing columns of the selected maintenance rows as of ``t1``, and their status:
    SCHEDULED → IN_PROGRESS once performed → COMPLETED after the downtime, or CANCELLED."""
    get = lambda s: enums.get("maintenance_statuses", s)  # noqa: E731
    cancelled_now = x["cancelled"] & (x["cancel_at"] <= t1)
    completed = known & (end <= t1)
    started = known & (x["perf"] <= t1)
    steps = [cancelled_now, completed, started]
    status = np.select(steps, [get("CANCELLED"), get("COMPLETED"), get("IN_PROGRESS")], get("SCHEDULED"))
    updated = np.select(steps, [x["cancel_at"], end, x["perf"]], x["created"])
    rows = pl.DataFrame(
        {
            "maintenance_id": ids.astype(np.int64),
            "vehicle_id": x["vidx"] + 1,
            "maintenance_type": m["mtype"],
            "status": status.astype(str),
        }
    ).with_columns(
        ts_col("performed_at", np.where(known, x["perf"], x["perf_planned"])),
        pl.Series(
            "odometer_km",
            np.round(fleet.initial_odometer_km[x["vidx"]] + m["odometer_m"].to_numpy() / 1000.0, 1),
        ),
        m["parts_cost_usd"],
        m["labor_cost_usd"],
        pl.Series("downtime_hours", np.round(x["down_s"] / HOUR, 2)),
        m["provider"],
        ts_col("created_at", np.where(x["late"], record, x["created"])),
        ts_col("updated_at", np.where(x["late"], record, updated)),
    )
    return rows, status


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
    new = hour >= (h0 if new_from is None else new_from)
    df = pl.DataFrame(
        {
            "location_id": loc + 1,
            "observed_at": ts_col("observed_at", hour * HOUR),
            "temperature_c": w["temperature_c"],
            "precipitation_mm": w["precipitation_mm"],
            "wind_speed_kmh": w["wind_speed_kmh"],
            "visibility_km": w["visibility_km"],
            "condition": pl.Series("condition", cond.names.tolist()).gather(w["code"]),
            **system_values(len(hour), synced),
            "_new": new,
            "_eligible": new & ~pre,
        }
    )
    return df, severity


def traffic_rows(
    cond: Conditions, n_loc: int, h0: int, h1: int, synced: int, severity: np.ndarray | None = None
) -> pl.DataFrame:
    """Traffic for every location and hour in [h0, h1) (``severity``: final weather, location-major)."""
    hours = np.arange(h0, h1, dtype=np.int64)
    loc = np.repeat(np.arange(n_loc, dtype=np.int64), len(hours))
    hour = np.tile(hours, n_loc)
    t = cond.traffic(loc, hour, severity)
    return pl.DataFrame(
        {
            "location_id": loc + 1,
            "observed_at": ts_col("observed_at", hour * HOUR),
            "congestion_index": t["congestion_index"],
            "avg_speed_kmh": t["avg_speed_kmh"],
            "incident_count": t["incident_count"],
            **system_values(len(hour), synced),
        }
    )
