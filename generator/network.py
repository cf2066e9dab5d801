"""The network: depots and hubs in real cities, customer sites near cities, and routes between them.

Depots/hubs sit in cities of the pool (coordinates jittered by a few km); per country the cities
are taken in a farthest-point order so that even a small network spans long distances. Customer
sites lie 5–40 km from a city (the first ones next to depot cities, so short local routes exist).
Routes run from every depot/hub to every other location of the same country; ``distance_km`` is the
great-circle distance times a road factor (1.2–1.3) and ``planned_duration_min`` follows from a
distance-dependent planned speed plus handling time and, on long hauls, the drivers' rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from . import rng
from .config import COUNTRIES, COUNTRY_SHARE, DAY, Config
from .enums import Enums, load_cities

EARTH_KM = 6371.0088


def haversine_km(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def road_factor(seed: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Symmetric road factor in [1.2, 1.3] for the location pair (a, b)."""
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    return 1.2 + 0.1 * rng.uniform(rng.key(seed, "road", lo, hi))


def planned_minutes(distance_km: np.ndarray) -> np.ndarray:
    """Planned duration: driving at 35–75 km/h (faster on longer legs), handling, rest on long hauls."""
    speed = 35.0 + 40.0 * (1.0 - np.exp(-distance_km / 180.0))
    drive_h = distance_km / speed
    rest_h = np.floor(drive_h / 9.0) * 10.0  # 10 h rest after every 9 h of driving
    return np.round((drive_h + rest_h) * 60.0 + 35.0).astype(np.int64)


def _spread_order(lat: np.ndarray, lon: np.ndarray, first: int) -> list[int]:
    """Farthest-point traversal starting at ``first``."""
    order = [first]
    dmin = haversine_km(lat[first], lon[first], lat, lon)
    for _ in range(len(lat) - 1):
        dmin[order] = -1
        nxt = int(np.argmax(dmin))
        order.append(nxt)
        dmin = np.minimum(dmin, haversine_km(lat[nxt], lon[nxt], lat, lon))
    return order


def _allocate(total: int, minimum: int) -> dict[str, int]:
    """Split ``total`` over countries by share, at least ``minimum`` each (largest remainder)."""
    rest = total - minimum * len(COUNTRIES)
    raw = {c: COUNTRY_SHARE[c] * rest for c in COUNTRIES}
    n = {c: minimum + int(raw[c]) for c in COUNTRIES}
    for c in sorted(COUNTRIES, key=lambda c: raw[c] - int(raw[c]), reverse=True)[: total - sum(n.values())]:
        n[c] += 1
    return n


@dataclass
class Network:
    """Locations and routes, as landed frames plus the arrays the simulation indexes."""

    locations: pl.DataFrame
    routes: pl.DataFrame
    lat: np.ndarray
    lon: np.ndarray
    country: np.ndarray  # country index into COUNTRIES per location
    region_idx: np.ndarray  # index into ``regions`` per location
    regions: tuple[str, ...]
    is_depot_hub: np.ndarray
    is_depot: np.ndarray
    tz_hours: np.ndarray  # approximate UTC offset from longitude
    dist_km: np.ndarray  # road distance between any two locations of one country (inf across)
    route_origin: np.ndarray
    route_dest: np.ndarray
    route_km: np.ndarray
    route_min: np.ndarray

    @property
    def n(self) -> int:
        """Number of locations."""
        return len(self.lat)


def _choose_sites(
    cfg: Config,
    enums: Enums,
    g: np.random.Generator,
    cities: list[dict],
    c_lat: np.ndarray,
    c_lon: np.ndarray,
) -> list[tuple[int, str, float]]:
    """(city index, location type, jitter radius km) per location, country by country: depots and hubs
    in the country's cities in farthest-point order (70 % depots, the first always one), customer
    sites half next to them and half in random cities."""
    depot, hub, site = (enums.get("location_types", n) for n in ("DEPOT", "HUB", "CUSTOMER_SITE"))
    n_dh = _allocate(cfg.n_depots_hubs, 2)
    n_site = _allocate(cfg.n_customer_sites, 2)
    rows: list[tuple[int, str, float]] = []
    for country in COUNTRIES:
        idx = [i for i, c in enumerate(cities) if c["country_code"] == country]
        order = [idx[j] for j in _spread_order(c_lat[idx], c_lon[idx], int(g.integers(len(idx))))]
        dh_cities = [order[i % len(order)] for i in range(n_dh[country])]
        for i, ci in enumerate(dh_cities):
            kind = depot if (i == 0 or g.random() < 0.7) else hub
            rows.append((ci, kind, 2.0 + 6.0 * g.random()))
        near = [dh_cities[i % len(dh_cities)] for i in range(n_site[country] // 2)]
        rest = list(g.choice(idx, n_site[country] - len(near)))
        for ci in near + rest:
            rows.append((int(ci), site, 5.0 + 35.0 * g.random()))
    return rows


def _location_names(ci: np.ndarray, kinds: list[str], cities: list[dict]) -> list[str]:
    """ "<City> Depot 2", "<City> Hub", "<City> Customer Site 3"."""
    counts: dict[tuple[str, str], int] = {}
    names = []
    for i, k in zip(ci, kinds, strict=True):
        label = k.replace("_", " ").title()
        counts[(cities[i]["city"], label)] = counts.get((cities[i]["city"], label), 0) + 1
        c = counts[(cities[i]["city"], label)]
        names.append(f"{cities[i]['city']} {label}" + (f" {c}" if c > 1 else ""))
    return names


def _road_distances(seed: int, lat: np.ndarray, lon: np.ndarray, country: np.ndarray) -> np.ndarray:
    """Road km between every two locations (great circle × a road factor); ∞ across countries."""
    n = len(lat)
    a, b = np.meshgrid(np.arange(n), np.arange(n), indexing="ij")
    dist = haversine_km(lat[a], lon[a], lat[b], lon[b]) * road_factor(seed, a, b)
    dist = np.round(dist, 1)
    dist[country[a] != country[b]] = np.inf
    np.fill_diagonal(dist, 0.0)
    return dist


def _routes(
    g: np.random.Generator, dist: np.ndarray, is_dh: np.ndarray, country: np.ndarray, created: np.ndarray
) -> pl.DataFrame:
    """A route from every depot or hub to every other location of its country, created after both ends."""
    n = len(country)
    o, d = np.nonzero(is_dh[:, None] & (country[:, None] == country[None, :]) & ~np.eye(n, dtype=bool))
    route_km = dist[o, d]
    created_r = np.maximum(created[o], created[d]) + g.integers(0, 30 * DAY, len(o))
    return pl.DataFrame(
        {
            "route_id": np.arange(1, len(o) + 1, dtype=np.int64),
            "origin_location_id": o.astype(np.int64) + 1,
            "destination_location_id": d.astype(np.int64) + 1,
            "distance_km": route_km,
            "planned_duration_min": planned_minutes(route_km).astype(np.int32),
            "created_at": created_r,
            "updated_at": created_r,
        }
    )


def _locations(
    ci: np.ndarray,
    kinds: list[str],
    cities: list[dict],
    lat: np.ndarray,
    lon: np.ndarray,
    created: np.ndarray,
) -> pl.DataFrame:
    """The locations table (ids in placement order)."""
    n = len(ci)
    return pl.DataFrame(
        {
            "location_id": np.arange(1, n + 1, dtype=np.int64),
            "name": _location_names(ci, kinds, cities),
            "location_type": kinds,
            "city": [cities[i]["city"] for i in ci],
            "region": [cities[i]["region"] for i in ci],
            "country": [cities[i]["country_code"] for i in ci],
            "latitude": np.round(lat, 6),
            "longitude": np.round(lon, 6),
            "created_at": created,
            "updated_at": created,
        }
    )


def build_network(cfg: Config, enums: Enums) -> Network:
    """Place depots, hubs and customer sites and connect them with routes.

    One seeded generator ``g`` draws in a fixed order: the sites, their jitter, their creation
    times, then the routes' creation times.
    """
    g = rng.numpy_rng(cfg.seed, "network")
    cities = load_cities()
    c_lat = np.array([float(c["latitude"]) for c in cities])
    c_lon = np.array([float(c["longitude"]) for c in cities])
    site = enums.get("location_types", "CUSTOMER_SITE")
    rows = _choose_sites(cfg, enums, g, cities, c_lat, c_lon)
    n = len(rows)
    ci = np.array([r[0] for r in rows])
    radius = np.array([r[2] for r in rows])
    bearing = g.random(n) * 2 * np.pi
    lat = c_lat[ci] + radius * np.cos(bearing) / 111.0
    lon = c_lon[ci] + radius * np.sin(bearing) / (111.0 * np.cos(np.radians(c_lat[ci])))
    kinds = [r[1] for r in rows]
    country = np.array([COUNTRIES.index(cities[i]["country_code"]) for i in ci])
    regions = tuple(sorted({c["region"] for c in cities}))
    region_idx = np.array([regions.index(cities[i]["region"]) for i in ci])
    created = cfg.start_ts - (g.integers(365, 6 * 365, n) * DAY) + g.integers(0, DAY, n)
    locations = _locations(ci, kinds, cities, lat, lon, created)
    lat, lon = locations["latitude"].to_numpy(), locations["longitude"].to_numpy()
    dist = _road_distances(cfg.seed, lat, lon, country)
    is_dh = np.array([k != site for k in kinds])
    routes = _routes(g, dist, is_dh, country, created)
    o = routes["origin_location_id"].to_numpy() - 1
    d = routes["destination_location_id"].to_numpy() - 1
    route_km = routes["distance_km"].to_numpy()
    route_min = planned_minutes(route_km)
    return Network(
        locations=locations,
        routes=routes,
        lat=lat,
        lon=lon,
        country=country,
        region_idx=region_idx,
        regions=regions,
        is_depot_hub=is_dh,
        is_depot=np.array([k == enums.get("location_types", "DEPOT") for k in kinds]),
        tz_hours=np.round(lon / 15.0).astype(np.int64),
        dist_km=dist,
        route_origin=o,
        route_dest=d,
        route_km=route_km,
        route_min=route_min,
    )


class RoutePicker:
    """Draws a route from a given origin, preferring lengths near a vehicle type's reach."""

    def __init__(self, net: Network, reach_km: list[float]) -> None:
        self.n_routes = len(net.route_origin)
        order = np.lexsort((net.route_dest, net.route_origin))
        assert (order == np.arange(self.n_routes)).all()  # routes are origin-major by construction
        origins = net.route_origin
        self.start = np.searchsorted(origins, np.arange(net.n), side="left")
        self.count = np.searchsorted(origins, np.arange(net.n), side="right") - self.start
        self.cdf = []
        is_site = ~net.is_depot_hub[net.route_dest]
        for reach in reach_km:
            w = np.exp(-net.route_km / reach) * (1.0 + is_site) + 0.004
            cum = np.cumsum(w)
            first = self.start[origins]
            before = np.where(first > 0, cum[np.maximum(first - 1, 0)], 0.0)
            total = cum[first + self.count[origins] - 1] - before
            self.cdf.append(origins + (cum - before) / total)

    def pick(self, type_idx: np.ndarray, origin: np.ndarray, u: np.ndarray) -> np.ndarray:
        """Route index for each (vehicle type, origin, uniform)."""
        out = np.empty(len(origin), dtype=np.int64)
        for t, cdf in enumerate(self.cdf):
            m = type_idx == t
            if m.any():
                r = np.searchsorted(cdf, origin[m] + u[m], side="right")
                out[m] = np.clip(r, self.start[origin[m]], self.start[origin[m]] + self.count[origin[m]] - 1)
        return out
