"""Drift: named shifts of the simulation's distributions from a time on, recorded in the database.

``--drift NAME=FACTOR`` declares that from the sync's start (the second after the previous clock)
the named quantity is multiplied by FACTOR; it persists for later syncs until the same name is set
again (the latest declaration wins; FACTOR=1 ends a drift). Names: ``fuel_price`` (fuel and energy
prices → ``fuel_cost_usd``), ``congestion`` (traffic congestion index everywhere → slower roads and
later deliveries), ``weather_severity`` (the latent storminess everywhere) and
``weather_severity:<REGION>`` for one region (e.g. ``weather_severity:DE-NORTH=2``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

DRIFTS: dict[str, str] = {
    "fuel_price": "multiplies fuel and electricity prices (fuel_cost_usd of shipments picked up from then)",
    "congestion": "multiplies the traffic congestion index (capped at 1) → slower roads, later deliveries",
    "weather_severity": "multiplies the latent storminess in every region → more rain, storms, lateness",
    "weather_severity:<REGION>": "as weather_severity, in one region only (regions as in cities.csv)",
}


class DriftError(ValueError):
    """A --drift argument that cannot be applied."""


@dataclass(frozen=True)
class Drift:
    """One declared drift."""

    name: str  # full name, e.g. 'weather_severity:US-EAST'
    factor: float
    effective_from: int  # epoch seconds
    sync_number: int

    @property
    def base(self) -> str:
        """Name without the region ('weather_severity')."""
        return self.name.split(":", 1)[0]

    @property
    def region(self) -> str | None:
        """Region of a regional drift, else None."""
        return self.name.split(":", 1)[1] if ":" in self.name else None


def parse_drift(text: str, regions: tuple[str, ...]) -> tuple[str, float]:
    """Parse 'NAME=FACTOR'; raise DriftError naming the bad part."""
    if "=" not in text:
        raise DriftError(f"--drift {text!r}: expected NAME=FACTOR, e.g. fuel_price=1.3")
    name, _, value = text.partition("=")
    name = name.strip()
    base, _, region = name.partition(":")
    if base not in ("fuel_price", "congestion", "weather_severity") or (
        region and base != "weather_severity"
    ):
        raise DriftError(f"--drift: unknown drift name {name!r} (see --list-drifts)")
    if region and region not in regions:
        raise DriftError(f"--drift: unknown region {region!r} in {name!r}; regions: {', '.join(regions)}")
    try:
        factor = float(value)
    except ValueError:
        raise DriftError(f"--drift {text!r}: factor {value!r} is not a number") from None
    if not np.isfinite(factor) or factor <= 0:
        raise DriftError(f"--drift {text!r}: factor must be a positive number")
    return name, factor


class DriftSet:
    """All drifts in force; answers 'what factor applies to this quantity at these times'."""

    def __init__(self, drifts: list[Drift], regions: tuple[str, ...]) -> None:
        self.drifts = sorted(drifts, key=lambda d: (d.effective_from, d.sync_number))
        self.regions = regions

    def factor(self, base: str, t: np.ndarray, region_idx: np.ndarray | None = None) -> np.ndarray:
        """Multiplier for ``base`` at epoch seconds ``t`` (and region indices for weather)."""
        t = np.asarray(t)
        out = np.ones(t.shape)
        for d in self.drifts:
            if d.base != base:
                continue
            mask = t >= d.effective_from
            if d.region is not None:
                if region_idx is None:
                    continue
                mask &= region_idx == self.regions.index(d.region)
            out = np.where(mask, d.factor, out)
        return out

    def __bool__(self) -> bool:
        return bool(self.drifts)


def drift_regions() -> tuple[str, ...]:
    """Regions of the city pool (the only regions a drift can name)."""
    from .enums import load_cities

    return tuple(sorted({c["region"] for c in load_cities()}))
