"""Enumerations read from ``seeds/*.csv`` — the generator emits only values found there."""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

# The generator's own copy of warehouse.runtime.REPO_ROOT (and db.default_db_path of its
# warehouse_path): the generator imports nothing of ours — it is the bottom of the package graph,
# and warehouse imports it (warehouse.crash runs generator.cli), so importing warehouse.runtime here
# would make a cycle (pytests/test_architecture.py checks both). The generator's modules reuse this one.
REPO_ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = Path(os.environ.get("LOGISTICS_SEEDS_DIR", REPO_ROOT / "seeds"))
CITIES_CSV = Path(__file__).resolve().parent / "data" / "cities.csv"


def _read(name: str, seeds_dir: Path) -> list[dict[str, str]]:
    path = seeds_dir / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(f"seed file not found: {path}")
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Enums:
    """All enumerations, each as an ordered tuple of names plus the attributes the generator uses."""

    customer_types: tuple[str, ...]
    industries: tuple[str, ...]
    location_types: tuple[str, ...]
    maintenance_statuses: tuple[str, ...]
    maintenance_types: tuple[str, ...]
    maintenance_unplanned: dict[str, bool]
    service_levels: tuple[str, ...]
    promise_slack_min: dict[str, int]
    on_time_grace_min: dict[str, int]
    priorities: tuple[str, ...]
    priority_rank: dict[str, int]
    shipment_statuses: tuple[str, ...]
    vehicle_statuses: tuple[str, ...]
    vehicle_types: tuple[str, ...]
    capacity_kg: dict[str, tuple[float, float]]
    fuel_types: tuple[str, ...]
    energy_unit: dict[str, str]
    weather_conditions: tuple[str, ...]
    weather_severity: dict[str, int]
    haul_bands: tuple[tuple[str, float, float], ...]
    account_managers: tuple[tuple[str, str, str], ...]
    holidays: frozenset[tuple[str, date]]

    def get(self, kind: str, name: str) -> str:
        """Return ``name`` after checking it is a value of enumeration ``kind`` (e.g. 'shipment_statuses')."""
        values = getattr(self, kind)
        if name not in values:
            raise ValueError(f"seed enumeration {kind} has no value {name!r}; the generator needs it")
        return name


@cache
def load_enums(seeds_dir: Path = SEEDS_DIR) -> Enums:
    """Read every enumeration seed once."""
    r = lambda n: _read(n, seeds_dir)  # noqa: E731
    sl = r("enum_service_level")
    pr = r("enum_shipment_priority")
    vt = r("enum_vehicle_type")
    ft = r("enum_fuel_type")
    wc = r("enum_weather_condition")
    mt = r("enum_maintenance_type")
    return Enums(
        customer_types=tuple(x["customer_type"] for x in r("enum_customer_type")),
        industries=tuple(x["industry"] for x in r("enum_industry")),
        location_types=tuple(x["location_type"] for x in r("enum_location_type")),
        maintenance_statuses=tuple(x["maintenance_status"] for x in r("enum_maintenance_status")),
        maintenance_types=tuple(x["maintenance_type"] for x in mt),
        maintenance_unplanned={x["maintenance_type"]: x["is_unplanned"] == "true" for x in mt},
        service_levels=tuple(x["service_level"] for x in sl),
        promise_slack_min={x["service_level"]: int(x["promise_slack_min"]) for x in sl},
        on_time_grace_min={x["service_level"]: int(x["on_time_grace_min"]) for x in sl},
        priorities=tuple(x["priority"] for x in pr),
        priority_rank={x["priority"]: int(x["priority_rank"]) for x in pr},
        shipment_statuses=tuple(x["shipment_status"] for x in r("enum_shipment_status")),
        vehicle_statuses=tuple(x["vehicle_status"] for x in r("enum_vehicle_status")),
        vehicle_types=tuple(x["vehicle_type"] for x in vt),
        capacity_kg={
            x["vehicle_type"]: (float(x["min_capacity_kg"]), float(x["max_capacity_kg"])) for x in vt
        },
        fuel_types=tuple(x["fuel_type"] for x in ft),
        energy_unit={x["fuel_type"]: x["energy_unit"] for x in ft},
        weather_conditions=tuple(x["weather_condition"] for x in wc),
        weather_severity={x["weather_condition"]: int(x["severity"]) for x in wc},
        haul_bands=tuple(
            (x["haul_type"], float(x["min_distance_km"]), float(x["max_distance_km"]))
            for x in r("haul_type_bands")
        ),
        account_managers=tuple(
            (x["account_manager"], x["sales_region"], x["country_code"]) for x in r("account_managers")
        ),
        holidays=frozenset(
            (x["country_code"], date.fromisoformat(x["holiday_date"])) for x in r("public_holidays")
        ),
    )


def load_cities() -> list[dict[str, str]]:
    """The city pool (city, region, country_code, latitude, longitude)."""
    with CITIES_CSV.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))
