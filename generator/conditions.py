"""Hourly weather and traffic per location, as pure functions of (seed, location, hour, drifts).

Weather: a latent storminess per region is smooth value noise (random knots every 36 h and 8 h,
cosine-interpolated, plus a 3-hourly local term), so weather systems persist for a day or two and
neighbouring sites share them. Precipitation, wind and visibility grow with the latent above a
threshold; temperature follows latitude, a hemisphere-aware seasonal cycle (AU is southern) and a
diurnal cycle; fog forms on calm early mornings. The condition is derived from those values (SNOW,
STORM, HEAVY_RAIN ≥ 7.5 mm/h, FOG < 1 km, RAIN, CLOUDY, CLEAR) and its severity comes from the seed.
Traffic: congestion = the site's base level + morning/evening rush hours on working days (weekends
and public holidays from the seed are light) + bad weather + noise; incidents are Poisson with a
mean that grows with congestion and weather severity; speed falls with congestion.
Because every hour is a pure function, any window gives the same values.
"""

from __future__ import annotations

from datetime import date

import numpy as np

from . import rng
from .config import HOUR
from .drift import DriftSet
from .enums import Enums
from .network import Network

_CONDITIONS = ("CLEAR", "CLOUDY", "RAIN", "FOG", "HEAVY_RAIN", "SNOW", "STORM")
CLEAR, CLOUDY, RAIN, FOG, HEAVY_RAIN, SNOW, STORM = range(7)


_SMOOTH: dict[int, np.ndarray] = {}  # cosine interpolation weights per period


def value_noise(seed: int, stream: str, entity: np.ndarray, hour: np.ndarray, period: int) -> np.ndarray:
    """Smooth noise ≈ N(0, 1) at knots every ``period`` hours, cosine-interpolated between them.

    Knot values are computed once per (entity, knot) on a grid when the points are dense in time.
    """
    entity = np.asarray(entity, dtype=np.int64)
    j = hour // period
    weights = _SMOOTH.setdefault(period, (1.0 - np.cos(np.pi * np.arange(period) / period)) * 0.5)
    s = weights[hour - j * period]
    if len(j) == 0:
        return np.zeros(0)
    j0, j1 = int(j.min()), int(j.max()) + 1
    e_max = int(entity.max()) + 1
    if e_max * (j1 - j0 + 1) <= 2 * len(j) + 1024:
        grid = rng.normal(rng.key(seed, stream, np.arange(e_max)[:, None], np.arange(j0, j1 + 1)[None, :]))
        base = entity * (j1 - j0 + 1) + (j - j0)
        flat = grid.ravel()
        return flat[base] * (1.0 - s) + flat[base + 1] * s
    v0 = rng.normal(rng.key(seed, stream, entity, j))
    v1 = rng.normal(rng.key(seed, stream, entity, j + 1))
    return v0 * (1.0 - s) + v1 * s


class Conditions:
    """Weather and traffic at (location index, hour since epoch) points."""

    def __init__(self, seed: int, net: Network, enums: Enums, drifts: DriftSet) -> None:
        self.seed = seed
        self.net = net
        self.drifts = drifts
        self.names = np.array([enums.get("weather_conditions", c) for c in _CONDITIONS], dtype=object)
        self.severity_of = np.array([enums.weather_severity[c] for c in _CONDITIONS], dtype=np.int64)
        g = rng.numpy_rng(seed, "traffic-base")
        self.base_congestion = 0.08 + 0.18 * g.random(net.n) * np.where(net.is_depot_hub, 1.0, 0.7)
        self.free_speed = 45.0 + 30.0 * g.random(net.n)
        # Seasonal temperature swing (°C) by country: continental US and DE, maritime GB, mild AU.
        self.seasonal_amplitude = np.array([11.0, 9.0, 6.5, 5.5])[net.country]
        self.holiday_days: dict[int, set[int]] = {}
        countries = ("US", "DE", "GB", "AU")
        for cc, d in enums.holidays:
            if cc in countries:
                self.holiday_days.setdefault(countries.index(cc), set()).add((d - date(1970, 1, 1)).days)

    # -- weather ---------------------------------------------------------------------------------
    def _latent(self, loc: np.ndarray, hour: np.ndarray) -> np.ndarray:
        region = self.net.region_idx[loc]
        z = (
            0.75 * value_noise(self.seed, "wx-sys", region, hour, 36)
            + 0.55 * value_noise(self.seed, "wx-cell", region, hour, 8)
            + 0.35 * value_noise(self.seed, "wx-loc", loc, hour, 3)
        )
        w = np.maximum(z - 0.95, 0.0)
        if self.drifts:
            w = w * self.drifts.factor("weather_severity", hour * HOUR, region)
        return w, z

    def weather(self, loc: np.ndarray, hour: np.ndarray, preliminary: bool = False) -> dict[str, np.ndarray]:
        """Hourly weather columns (final values, or a preliminary fetch's noisy estimate)."""
        loc = np.asarray(loc, dtype=np.int64)
        hour = np.asarray(hour, dtype=np.int64)
        w, z = self._latent(loc, hour)
        lat = self.net.lat[loc]
        day_of_year = (hour // 24) % 365.2425
        season = np.cos(2 * np.pi * (day_of_year - 200.0) / 365.2425) * np.where(lat < 0, -1.0, 1.0)
        local_h = (hour + self.net.tz_hours[loc]) % 24
        temp = (
            32.0
            - 0.45 * np.abs(lat)
            + self.seasonal_amplitude[loc] * season
            + 4.0 * np.cos(2 * np.pi * (local_h - 15.0) / 24.0)
            + 2.5 * value_noise(self.seed, "wx-temp", loc, hour, 48)
            - 2.0 * np.minimum(w, 1.0)
        )
        precip = 4.5 * w**1.6
        wind = np.maximum(2.0, 13.0 + 5.0 * value_noise(self.seed, "wx-wind", loc, hour, 12) + 26.0 * w)
        u_vis, u_fog = rng.uniforms(rng.key(self.seed, "wx-hour", loc, hour), 2)
        vis = 24.0 * np.exp(-0.22 * precip) * (0.75 + 0.25 * u_vis)
        fog = (
            (value_noise(self.seed, "wx-fog", loc, hour, 6) > 1.5)
            & (local_h >= 2)
            & (local_h <= 10)
            & (precip < 0.2)
            & (wind < 16)
        )
        vis = np.where(fog, 0.2 + 0.7 * u_fog, vis)
        if preliminary:
            kp = rng.key(self.seed, "wx-prelim", loc, hour)
            u1, u2, u3, u4 = rng.uniforms(kp, 4)
            temp = temp + 2.0 * (u1 + u4 - 1.0)
            precip = precip * (0.5 + u2)
            wind = wind * (0.85 + 0.3 * u3)
        code = self.classify(temp, precip, wind, vis, z)
        return {
            "temperature_c": np.round(temp, 1),
            "precipitation_mm": np.round(precip, 1),
            "wind_speed_kmh": np.round(wind, 1),
            "visibility_km": np.round(vis, 1),
            "code": code,
            "severity": self.severity_of[code],
        }

    @staticmethod
    def classify(
        temp: np.ndarray, precip: np.ndarray, wind: np.ndarray, vis: np.ndarray, z: np.ndarray
    ) -> np.ndarray:
        """Condition code from the measured values (first matching rule wins)."""
        code = np.where(z > 0.1, CLOUDY, CLEAR)
        code = np.where(precip >= 0.2, RAIN, code)
        code = np.where(vis < 1.0, FOG, code)
        code = np.where(precip >= 7.5, HEAVY_RAIN, code)
        code = np.where(wind >= 62.0, STORM, code)
        code = np.where((precip >= 0.2) & (temp <= 0.5), SNOW, code)
        return code

    def severity(self, loc: np.ndarray, hour: np.ndarray) -> np.ndarray:
        """Seed severity (0–3) of the final weather condition."""
        return self.weather(loc, hour)["severity"]

    # -- traffic ---------------------------------------------------------------------------------
    def traffic(
        self, loc: np.ndarray, hour: np.ndarray, severity: np.ndarray | None = None
    ) -> dict[str, np.ndarray]:
        """Hourly traffic columns at the points."""
        loc = np.asarray(loc, dtype=np.int64)
        hour = np.asarray(hour, dtype=np.int64)
        if severity is None:
            severity = self.severity(loc, hour)
        local = hour + self.net.tz_hours[loc]
        lh = local % 24
        day = local // 24
        weekday = (day + 3) % 7  # 1970-01-01 was a Thursday → 0 = Monday
        off = weekday >= 5
        country = self.net.country[loc]
        for c, days in self.holiday_days.items():
            off |= (country == c) & np.isin(day, np.fromiter(days, dtype=np.int64))
        rush = np.where(
            off,
            0.12 * np.exp(-((lh - 13.0) ** 2) / 10.0),
            0.42 * np.exp(-((lh - 8.0) ** 2) / 2.0)
            + 0.48 * np.exp(-((lh - 17.5) ** 2) / 3.0)
            + 0.10 * ((lh >= 7) & (lh <= 19)),
        )
        night = np.where((lh < 5) | (lh >= 22), 0.45, 1.0)
        cong = (
            self.base_congestion[loc] * night
            + rush
            + 0.06 * severity
            + 0.04 * value_noise(self.seed, "tr-noise", loc, hour, 4)
        )
        if self.drifts:
            cong = cong * self.drifts.factor("congestion", hour * HOUR)
        cong = np.clip(cong, 0.0, 1.0)
        u_inc = rng.uniforms(rng.key(self.seed, "tr-hour", loc, hour), 1)[0]
        incidents = rng.poisson(u_inc, 0.04 + 0.5 * cong + 0.3 * severity)
        speed = self.free_speed[loc] * (1.0 - 0.75 * cong) * (1.0 - 0.05 * severity)
        return {
            "congestion_index": np.round(cong, 3),
            "avg_speed_kmh": np.round(speed, 1),
            "incident_count": incidents.astype(np.int32),
        }
