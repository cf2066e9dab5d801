"""Run configuration: scale → sizes, the simulated calendar, and the simulation's constants.

Enumeration *values* come from ``seeds/``; this module only holds numeric parameters (weights,
prices, rates) keyed by those values, and checks at load time that every key exists in the seeds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .enums import Enums

DAY = 86_400
HOUR = 3_600
MINUTE = 60
NONE = -(2**62)  # sentinel for "no timestamp" in int64 second columns

DEFAULT_START = date(2024, 1, 1)
DEFAULT_END = date(2025, 12, 31)
DEFAULT_SEED = 42
DEFAULT_SCALE = 0.01

LOOKAHEAD = 4 * DAY  # the plan runs this far past the clock; every lead time is shorter than this
MAX_LEAD = 3 * DAY
PRELIMINARY_WEATHER_HOURS = 6

COUNTRIES = ("US", "DE", "GB", "AU")
COUNTRY_SHARE = {"US": 0.45, "DE": 0.2, "GB": 0.15, "AU": 0.2}
# Per-country money: fuel USD/L, electricity USD/kWh, driver USD/h, truck tolls USD/km.
FUEL_PRICE = {"US": 1.00, "DE": 1.85, "GB": 1.80, "AU": 1.30}
POWER_PRICE = {"US": 0.16, "DE": 0.42, "GB": 0.36, "AU": 0.26}
DRIVER_RATE = {"US": 31.0, "DE": 28.0, "GB": 25.0, "AU": 33.0}
TOLL_RATE = {"US": 0.05, "DE": 0.19, "GB": 0.02, "AU": 0.03}

# Keyed by seed values (checked in ``check_against``).
CUSTOMER_TYPE_WEIGHT = {"ENTERPRISE": 0.15, "SMB": 0.55, "GOVERNMENT": 0.10, "RETAIL": 0.20}
CUSTOMER_TYPE_INTENSITY = {"ENTERPRISE": 4.0, "SMB": 1.0, "GOVERNMENT": 1.5, "RETAIL": 2.5}
CUSTOMER_TYPE_MARGIN = {"ENTERPRISE": 1.05, "SMB": 1.30, "GOVERNMENT": 1.10, "RETAIL": 1.20}
SERVICE_LEVEL_WEIGHT = {"ECONOMY": 0.25, "STANDARD": 0.55, "EXPRESS": 0.20}
SERVICE_LEVEL_MARGIN = {"ECONOMY": 0.85, "STANDARD": 1.0, "EXPRESS": 1.45}
PRIORITY_WEIGHT = {"LOW": 0.15, "NORMAL": 0.60, "HIGH": 0.18, "CRITICAL": 0.07}
PRIORITY_SPEEDUP = {"LOW": -0.02, "NORMAL": 0.0, "HIGH": 0.08, "CRITICAL": 0.14}
VEHICLE_TYPE_WEIGHT = {"VAN": 0.30, "BOX_TRUCK": 0.30, "RIGID_TRUCK": 0.25, "TRACTOR_TRAILER": 0.15}
# Route length scale (km) each body type prefers, volume per kg, consumption, tank, service interval.
VEHICLE_TYPE_PARAMS = {
    "VAN": dict(
        reach_km=90,
        m3_per_kg=0.0085,
        l100=11.0,
        kwh100=24.0,
        tank=80,
        battery=75,
        interval=30_000,
        price=(35_000, 60_000),
        electric_share=0.30,
    ),
    "BOX_TRUCK": dict(
        reach_km=180,
        m3_per_kg=0.0070,
        l100=19.0,
        kwh100=65.0,
        tank=160,
        battery=200,
        interval=40_000,
        price=(70_000, 120_000),
        electric_share=0.15,
    ),
    "RIGID_TRUCK": dict(
        reach_km=380,
        m3_per_kg=0.0040,
        l100=27.0,
        kwh100=115.0,
        tank=300,
        battery=400,
        interval=60_000,
        price=(110_000, 180_000),
        electric_share=0.06,
    ),
    "TRACTOR_TRAILER": dict(
        reach_km=700,
        m3_per_kg=0.0035,
        l100=32.0,
        kwh100=135.0,
        tank=700,
        battery=600,
        interval=80_000,
        price=(140_000, 230_000),
        electric_share=0.03,
    ),
}
MAKES = {
    "VAN": (("Ford", "Transit"), ("Mercedes-Benz", "Sprinter"), ("Renault", "Master"), ("Ram", "ProMaster")),
    "BOX_TRUCK": (("Isuzu", "NPR"), ("Hino", "195"), ("Mercedes-Benz", "Atego"), ("Fuso", "Canter")),
    "RIGID_TRUCK": (("Volvo", "FL"), ("DAF", "CF"), ("MAN", "TGM"), ("Scania", "P-series")),
    "TRACTOR_TRAILER": (
        ("Freightliner", "Cascadia"),
        ("Volvo", "FH"),
        ("Scania", "R-series"),
        ("Kenworth", "T680"),
    ),
}
NON_ELECTRIC_FUEL_WEIGHT = {"DIESEL": 0.82, "PETROL": 0.12, "LPG": 0.06}
PLANNED_MAINTENANCE_WEIGHT = {"INSPECTION": 0.5, "TIRE_REPLACEMENT": 0.3, "BRAKE_SERVICE": 0.2}

TRIPS_PER_VEHICLE_DAY = 1.37
MEAN_REST_GAP_H = 3.0  # calibrated so that trips per vehicle-day ≈ TRIPS_PER_VEHICLE_DAY
# Probabilities of the simulation's events, per draw (trips.py names every draw u_<what>).
# | constant                   | value  | per                  | what happens                           |
# |----------------------------|--------|----------------------|----------------------------------------|
# | CANCEL_RATE                | 0.03   | planned trip         | cancelled before pickup                |
# | LATE_RECORD_RATE           | 0.02   | executed shipment    | recorded days late (a later sync)      |
# | OUT_OF_SERVICE_RATE        | 0.0015 | planned trip         | out of service 1–5 days first          |
# | HOME_RELOCATION_RATE       | 0.0006 | planned trip         | moves to another home depot            |
# | FROM_HOME_DEPOT_SHARE      | 0.8    | planned trip         | starts at the home depot (else a hub)  |
# | UNPLANNED_MAINTENANCE_RATE | 0.006  | trip, no service due | other work (inspection, tyres, brakes) |
# | MAINTENANCE_CANCEL_RATE    | 0.04   | booked maintenance   | the booking is cancelled               |
# | CRITICAL_EXPRESS_SHARE     | 0.3    | critical shipment    | upgraded to EXPRESS                    |
# | CANCELLED_DELETED_SHARE    | 0.4    | cancelled shipment   | soft-deleted 3–20 days later           |
# | LATE_BREAKDOWN_RECORD_RATE | 0.05   | breakdown            | its row recorded 1–6 days late         |
# | CHURN_SHARE                | 0.15   | customer             | orders fade out from a random date     |
CANCEL_RATE = 0.03
LATE_RECORD_RATE = 0.02
OUT_OF_SERVICE_RATE = 0.0015
HOME_RELOCATION_RATE = 0.0006
FROM_HOME_DEPOT_SHARE = 0.8
UNPLANNED_MAINTENANCE_RATE = 0.006
MAINTENANCE_CANCEL_RATE = 0.04
CRITICAL_EXPRESS_SHARE = 0.3
CANCELLED_DELETED_SHARE = 0.4
LATE_BREAKDOWN_RECORD_RATE = 0.05
CHURN_SHARE = 0.15


def check_against(enums: Enums) -> None:
    """Fail fast if a parameter names a value that the seeds do not define."""
    pairs = [
        ("customer_types", CUSTOMER_TYPE_WEIGHT),
        ("customer_types", CUSTOMER_TYPE_INTENSITY),
        ("customer_types", CUSTOMER_TYPE_MARGIN),
        ("service_levels", SERVICE_LEVEL_WEIGHT),
        ("service_levels", SERVICE_LEVEL_MARGIN),
        ("priorities", PRIORITY_WEIGHT),
        ("priorities", PRIORITY_SPEEDUP),
        ("vehicle_types", VEHICLE_TYPE_WEIGHT),
        ("vehicle_types", VEHICLE_TYPE_PARAMS),
        ("fuel_types", NON_ELECTRIC_FUEL_WEIGHT),
        ("maintenance_types", PLANNED_MAINTENANCE_WEIGHT),
    ]
    for kind, mapping in pairs:
        for name in mapping:
            enums.get(kind, name)


def ts(d: date | datetime) -> int:
    """Seconds since the Unix epoch (UTC) of a date's midnight or a naive UTC datetime."""
    if not isinstance(d, datetime):
        d = datetime(d.year, d.month, d.day)
    return int(d.replace(tzinfo=UTC).timestamp())


def from_ts(s: int) -> datetime:
    """Naive UTC datetime of epoch seconds."""
    return datetime(1970, 1, 1) + timedelta(seconds=int(s))


@dataclass(frozen=True)
class Config:
    """What a generator run is: seed, scale and calendar. Everything else derives from these."""

    seed: int = DEFAULT_SEED
    scale: float = DEFAULT_SCALE
    start: date = DEFAULT_START
    end: date = DEFAULT_END

    @property
    def start_ts(self) -> int:
        """Midnight of the first simulated day."""
        return ts(self.start)

    @property
    def initial_clock(self) -> int:
        """The clock of the initial load: the last second of the ``end`` day (inclusive)."""
        return ts(self.end + timedelta(days=1)) - 1

    @property
    def n_vehicles(self) -> int:
        """Fleet size at the end date (≈1,000 at SF 1)."""
        return max(8, round(1000 * self.scale))

    @property
    def n_customers(self) -> int:
        """Customers created up to the end date (≈5,000 at SF 1); the universe adds future ones."""
        return max(40, round(5000 * self.scale))

    @property
    def n_depots_hubs(self) -> int:
        """Depots and hubs (≈60 at SF 1, ≥8 so that every country has two)."""
        return max(8, round(60 * self.scale**0.45))

    @property
    def n_customer_sites(self) -> int:
        """Customer sites (≈140 at SF 1)."""
        return max(8, round(140 * self.scale**0.6))

    @property
    def years(self) -> float:
        """Length of the initial window in years."""
        return (self.end - self.start).days / 365.25


def sizes_summary(cfg: Config) -> str:
    """One line describing the sizes a scale gives."""
    trips = cfg.n_vehicles * TRIPS_PER_VEHICLE_DAY * ((cfg.end - cfg.start).days + 1)
    return (
        f"scale {cfg.scale:g}: {cfg.n_vehicles} vehicles, ~{cfg.n_customers} customers, "
        f"{cfg.n_depots_hubs + cfg.n_customer_sites} locations, ~{math.ceil(trips):,} shipments"
    )
