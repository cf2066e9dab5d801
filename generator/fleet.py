"""The fleet: vehicles, their status history, and the maintenance rows they generate.

Vehicles get a body type, a capacity within the seed's range, a fuel type (some ELECTRIC), a
jittered service interval and a home depot; most are in service before ``--start``, some join later
and a few retire (retired vehicles are later deleted at the source). The vehicle row lands as of
the clock: ``status`` follows the maintenance and out-of-service events (IN_MAINTENANCE during
downtime, OUT_OF_SERVICE windows, RETIRED), ``home_location_id`` follows relocations, and
``odometer_km`` is the reading at the last completed workshop visit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl
from faker import Faker

from . import rng
from .config import (
    COUNTRIES,
    DAY,
    MAKES,
    NON_ELECTRIC_FUEL_WEIGHT,
    VEHICLE_TYPE_PARAMS,
    VEHICLE_TYPE_WEIGHT,
    Config,
)
from .enums import Enums
from .network import Network

NEVER = 2**62
EV_STATUS, EV_HOME, EV_ODOMETER = 0, 1, 2


@dataclass
class Fleet:
    """The vehicle universe (static attributes) plus the arrays the simulation reads."""

    static: pl.DataFrame
    type_idx: np.ndarray
    types: tuple[str, ...]
    electric: np.ndarray
    capacity_kg: np.ndarray
    capacity_m3: np.ndarray
    per_100km: np.ndarray  # litres or kWh per 100 km
    tank: np.ndarray  # litres or kWh
    interval_km: np.ndarray
    initial_odometer_km: np.ndarray
    in_service: np.ndarray
    retire_at: np.ndarray
    deleted_at: np.ndarray
    home0: np.ndarray  # location index
    country: np.ndarray
    providers: tuple[str, ...]

    @property
    def n(self) -> int:
        """Number of vehicles in the universe."""
        return len(self.in_service)


def _plate(g: np.random.Generator, country: str) -> str:
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    L = lambda k: "".join(letters[i] for i in g.integers(0, len(letters), k))  # noqa: E731
    D = lambda k: "".join(str(i) for i in g.integers(0, 10, k))  # noqa: E731
    return {
        "US": lambda: f"{D(1)}{L(3)}{D(3)}",
        "DE": lambda: f"{L(1)}-{L(2)} {D(4)}",
        "GB": lambda: f"{L(2)}{D(2)} {L(3)}",
        "AU": lambda: f"{L(3)}-{D(3)}",
    }[country]()


@dataclass
class _Bodies:
    """Per vehicle: body type, capacity, power train and consumption, service interval."""

    types: tuple[str, ...]
    type_idx: np.ndarray
    params: list[dict]
    capacity_kg: np.ndarray
    capacity_m3: np.ndarray
    electric: np.ndarray
    fuel: np.ndarray
    per_100: np.ndarray
    tank: np.ndarray
    interval: np.ndarray


def _in_service_dates(cfg: Config, g: np.random.Generator) -> np.ndarray:
    """Sorted in-service times: 85 % before ``start``, the rest during the calendar, plus 10 % that
    join after its end (they land in syncs)."""
    n_before = round(cfg.n_vehicles * 0.85)
    n_during = cfg.n_vehicles - n_before
    n_after = max(1, round(cfg.n_vehicles * 0.1))
    span = cfg.initial_clock - cfg.start_ts
    return np.sort(
        np.concatenate(
            [
                cfg.start_ts - g.integers(60 * DAY, 8 * 365 * DAY, n_before),
                cfg.start_ts + g.integers(0, span, n_during),
                cfg.initial_clock + 1 + g.integers(0, 365 * DAY, n_after),
            ]
        )
    )


def _bodies(enums: Enums, g: np.random.Generator, n: int) -> _Bodies:
    """Body type by weight, capacity in the type's range, electric by the type's share (else a fuel by
    weight), consumption ±10 %, tank or battery, service interval ±15 % (rounded to 5,000 km)."""
    types = tuple(enums.get("vehicle_types", t) for t in VEHICLE_TYPE_WEIGHT)
    type_idx = g.choice(len(types), n, p=list(VEHICLE_TYPE_WEIGHT.values()))
    params = [VEHICLE_TYPE_PARAMS[t] for t in types]
    lo = np.array([enums.capacity_kg[t][0] for t in types])[type_idx]
    hi = np.array([enums.capacity_kg[t][1] for t in types])[type_idx]
    capacity_kg = np.round((lo + (hi - lo) * g.random(n)) / 50.0) * 50.0
    capacity_m3 = np.round(
        capacity_kg * np.array([p["m3_per_kg"] for p in params])[type_idx] * (0.85 + 0.3 * g.random(n)), 1
    )
    electric = g.random(n) < np.array([p["electric_share"] for p in params])[type_idx]
    fuels = list(NON_ELECTRIC_FUEL_WEIGHT)
    fuel = np.where(
        electric,
        enums.get("fuel_types", "ELECTRIC"),
        np.array(fuels, dtype=object)[g.choice(len(fuels), n, p=list(NON_ELECTRIC_FUEL_WEIGHT.values()))],
    )
    l100 = np.array([p["l100"] for p in params])[type_idx] * (0.9 + 0.2 * g.random(n))
    k100 = np.array([p["kwh100"] for p in params])[type_idx] * (0.9 + 0.2 * g.random(n))
    tank = np.where(
        electric,
        np.array([p["battery"] for p in params])[type_idx],
        np.array([p["tank"] for p in params])[type_idx],
    ).astype(np.float64)
    interval = np.array([p["interval"] for p in params])[type_idx] * (0.85 + 0.3 * g.random(n))
    interval = (np.round(interval / 5000.0) * 5000.0).astype(np.int64)
    per_100 = np.round(np.where(electric, k100, l100), 1)
    return _Bodies(types, type_idx, params, capacity_kg, capacity_m3, electric, fuel, per_100, tank, interval)


def _retirements(
    cfg: Config, g: np.random.Generator, in_service: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """(retire at, deleted at): 7 % retire (≥ 200 days in service), 70 % of those are soft-deleted
    30–90 days later; NEVER otherwise."""
    n = len(in_service)
    span = cfg.initial_clock - cfg.start_ts
    retire = np.where(
        g.random(n) < 0.07,
        np.maximum(in_service + 200 * DAY, cfg.start_ts + g.integers(0, span + 365 * DAY, n)),
        NEVER,
    )
    deleted = np.where(
        (retire < NEVER) & (g.random(n) < 0.7), retire + g.integers(30 * DAY, 90 * DAY, n), NEVER
    )
    return retire, deleted


def _workshop_providers(seed: int) -> tuple[str, ...]:
    """Workshop names from a seeded Faker: "<Surname> Truck Service", "<Surname> Garage", …"""
    fake = Faker("en_US")
    fake.seed_instance(seed + 7)
    kinds = ("Truck Service", "Fleet Repairs", "Garage", "Commercial Vehicles", "Roadside Assist")
    return tuple(sorted({f"{fake.last_name()} {s}" for s in kinds for _ in range(4)}))


def _history(
    cfg: Config, g: np.random.Generator, in_service: np.ndarray, b: _Bodies
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(model year, odometer at ``start`` from the km per year of the body type, purchase date up to
    45 days before service, purchase price in the type's range, +40 % for electric)."""
    n = len(in_service)
    # age_years is multiplied by 0 below: its draw only keeps the stream (and the output) as it was.
    age_years = np.clip((cfg.start_ts - in_service) / (365.25 * DAY), 0, None) + g.random(n) * 2
    model_year = (
        1970 + (in_service - age_years * 0 - g.random(n) * 1.5 * 365 * DAY) // int(365.2425 * DAY)
    ).astype(np.int32)
    annual_km = np.array([30_000, 45_000, 70_000, 110_000])[b.type_idx] * (0.7 + 0.6 * g.random(n))
    initial_odo = np.round(
        np.clip((cfg.start_ts - in_service) / (365.25 * DAY), 0, None) * annual_km + g.random(n) * 300, 1
    )
    purchase = in_service - g.integers(0, 45 * DAY, n)
    price_lo = np.array([p["price"][0] for p in b.params])[b.type_idx]
    price_hi = np.array([p["price"][1] for p in b.params])[b.type_idx]
    price = np.round(price_lo + (price_hi - price_lo) * g.random(n) * np.where(b.electric, 1.4, 1.0), 2)
    return model_year, initial_odo, purchase, price


def build_fleet(cfg: Config, enums: Enums, net: Network) -> Fleet:
    """Create the vehicle universe from the seed.

    One seeded generator ``g`` draws in a fixed order: service dates, bodies, ages and odometers,
    prices, retirements, home depots, makes, registration plates.
    """
    g = rng.numpy_rng(cfg.seed, "fleet")
    in_service = _in_service_dates(cfg, g)
    n = len(in_service)
    b = _bodies(enums, g, n)
    model_year, initial_odo, purchase, price = _history(cfg, g, in_service, b)
    retire, deleted = _retirements(cfg, g, in_service)
    depots = np.nonzero(net.is_depot)[0]
    dcountry = net.country[depots]
    # Vehicles per country ∝ the country's depots; home depot uniform within the country.
    country = dcountry[g.integers(0, len(depots), n)]
    home = np.array([g.choice(depots[dcountry == c]) for c in country])
    makes = [MAKES[b.types[t]][i] for t, i in zip(b.type_idx, g.integers(0, 4, n), strict=True)]
    static = pl.DataFrame(
        {
            "vehicle_id": np.arange(1, n + 1, dtype=np.int64),
            "registration_number": [_plate(g, COUNTRIES[c]) for c in country],
            "vehicle_type": [b.types[t] for t in b.type_idx],
            "make": [m[0] for m in makes],
            "model": [m[1] for m in makes],
            "model_year": model_year,
            "fuel_type": list(b.fuel),
            "capacity_kg": b.capacity_kg,
            "capacity_m3": b.capacity_m3,
            "fuel_l_per_100km": np.where(b.electric, np.nan, b.per_100),
            "kwh_per_100km": np.where(b.electric, b.per_100, np.nan),
            "maintenance_interval_km": b.interval.astype(np.int32),
            "purchase_date": purchase,
            "purchase_price_usd": price,
            "created_at": in_service,
        }
    ).with_columns(pl.col("fuel_l_per_100km", "kwh_per_100km").fill_nan(None))
    return Fleet(
        static=static,
        type_idx=b.type_idx,
        types=b.types,
        electric=b.electric,
        capacity_kg=b.capacity_kg,
        capacity_m3=b.capacity_m3,
        per_100km=b.per_100,
        tank=b.tank,
        interval_km=b.interval,
        initial_odometer_km=initial_odo,
        in_service=in_service,
        retire_at=retire,
        deleted_at=deleted,
        home0=home,
        country=country,
        providers=_workshop_providers(cfg.seed),
    )


def land_vehicles(fleet: Fleet, events: pl.DataFrame, enums: Enums, t0: int, t1: int) -> pl.DataFrame:
    """Vehicle rows (as of ``t1``) for vehicles created, changed or deleted in (t0, t1].

    ``events``: vehicle_idx, at, kind (EV_*), status (str), home (location idx), odometer (km).
    """
    active_status = enums.get("vehicle_statuses", "ACTIVE")
    retired = enums.get("vehicle_statuses", "RETIRED")
    at = events["at"].to_numpy()
    ev = events.filter(pl.Series((at <= t1) & (at < fleet.retire_at[events["vidx"].to_numpy()])))
    changed = set(ev.filter(pl.col("at") > t0)["vidx"].to_list())
    idx = np.array(
        sorted(
            changed
            | set(np.nonzero((fleet.in_service > t0) & (fleet.in_service <= t1))[0].tolist())
            | set(np.nonzero((fleet.retire_at > t0) & (fleet.retire_at <= t1))[0].tolist())
            | set(np.nonzero((fleet.deleted_at > t0) & (fleet.deleted_at <= t1))[0].tolist())
        ),
        dtype=np.int64,
    )
    idx = idx[fleet.in_service[idx] <= t1] if len(idx) else idx
    ev = ev.filter(pl.col("vidx").is_in(idx)).sort("at", "seq", maintain_order=True)
    last = ev.group_by("vidx", "kind").agg(pl.col("status", "home", "odometer", "at").last())
    base = pl.DataFrame({"vidx": idx}).with_columns(
        pl.lit(active_status).alias("status"),
        pl.Series(fleet.home0[idx]).alias("home"),
        pl.Series(fleet.initial_odometer_km[idx]).alias("odometer"),
        pl.Series(fleet.in_service[idx]).alias("updated"),
    )
    for kind, col in ((EV_STATUS, "status"), (EV_HOME, "home"), (EV_ODOMETER, "odometer")):
        part = last.filter(pl.col("kind") == kind).select(
            "vidx", pl.col(col).alias("_v"), pl.col("at").alias("_a")
        )
        base = (
            base.join(part, on="vidx", how="left", maintain_order="left")
            .with_columns(
                pl.coalesce("_v", col).alias(col), pl.max_horizontal("updated", "_a").alias("updated")
            )
            .drop("_v", "_a")
        )
    retire = fleet.retire_at[idx]
    is_retired = retire <= t1
    base = base.with_columns(
        pl.when(pl.Series(is_retired)).then(pl.lit(retired)).otherwise("status").alias("status"),
        pl.when(pl.Series(is_retired)).then(pl.Series(retire)).otherwise("updated").alias("updated"),
    )
    out = fleet.static[idx].with_columns(
        base["status"].alias("status"),
        (base["home"] + 1).alias("home_location_id"),
        base["odometer"].round(1).alias("odometer_km"),
        base["updated"].alias("updated_at"),
        pl.Series("_fivetran_deleted", fleet.deleted_at[idx] <= t1),
    )
    return out
