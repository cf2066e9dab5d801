"""Dirty data on demand (``--dirty-rate R``) and its manifest.

A fraction R of each table's *new* rows in a run gets exactly one defect; every defect is written
to ``_generator_defects(sync_number, table_name, row_key, defect_type)`` (``row_key`` as in
``rowkey.row_key_sql``), and nothing else is. Only rows that the source will never update again
are chosen (terminal shipments and maintenance rows, customers without later changes, final
weather hours, telematics pings that are not re-delivered), so a clean update never overwrites a
defect; a customer whose ``customer_type`` was spoilt keeps the bad value in later updates (stored in
``_sim_customer_overrides``). ``duplicate_key`` adds a second, conflicting row with the same
key; the other defects change the row in place. Tables with no entry in ``DEFECT_TYPES``
(locations, routes, vehicles) stay clean.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

import numpy as np
import polars as pl

from . import rng
from .rowkey import row_key_sql
from .writer import DEFECT_COLUMN

FUTURE_SHIFT = timedelta(days=27_029)  # ≈ 74 years: 2024–2026 → 2098–2100
ORPHAN_BASE = 900_000_000

DEFECT_DESCRIPTIONS: dict[str, str] = {
    "null_key": "a key column is NULL (event/API sources only)",
    "duplicate_key": "a second row with the same key and different values (event/API sources only)",
    "orphan_fk": "a foreign key points to no row (id ≥ 900,000,000)",
    "negative_value": "a weight or money amount is negative",
    "delivery_before_pickup": "delivered_at is before picked_up_at",
    "future_timestamp": "a timestamp lies in 2090 or later",
    "out_of_range": "a reading outside its physical range",
    "bad_enum": "an enumeration value in the wrong case or with spaces (e.g. ' delivered', 'In_Transit')",
    "unit_glitch": "a value landed in the wrong unit (weight in grams, downtime in minutes)",
}

# Which defects each table can get, and the columns they touch.
DEFECT_TYPES: dict[str, tuple[str, ...]] = {
    "customers": ("bad_enum",),
    "shipments": (
        "orphan_fk",
        "negative_value",
        "delivery_before_pickup",
        "future_timestamp",
        "bad_enum",
        "unit_glitch",
    ),
    "maintenance": ("orphan_fk", "negative_value", "future_timestamp", "bad_enum", "unit_glitch"),
    "telematics": ("null_key", "duplicate_key", "orphan_fk", "future_timestamp", "out_of_range"),
    "weather": ("null_key", "duplicate_key", "orphan_fk", "out_of_range", "bad_enum"),
    "traffic": ("null_key", "duplicate_key", "orphan_fk", "out_of_range"),
}
DEFECT_COLUMNS: dict[tuple[str, str], tuple[str, ...]] = {
    ("customers", "bad_enum"): ("customer_type",),
    ("shipments", "orphan_fk"): ("customer_id", "route_id", "vehicle_id"),
    ("shipments", "negative_value"): (
        "weight_kg",
        "revenue_usd",
        "fuel_cost_usd",
        "driver_cost_usd",
        "toll_cost_usd",
    ),
    ("shipments", "delivery_before_pickup"): ("delivered_at",),
    ("shipments", "future_timestamp"): ("delivered_at", "updated_at"),
    ("shipments", "bad_enum"): ("status", "priority", "service_level"),
    ("shipments", "unit_glitch"): ("weight_kg",),
    ("maintenance", "orphan_fk"): ("vehicle_id",),
    ("maintenance", "negative_value"): ("parts_cost_usd", "labor_cost_usd"),
    ("maintenance", "future_timestamp"): ("performed_at",),
    ("maintenance", "bad_enum"): ("maintenance_type", "status"),
    ("maintenance", "unit_glitch"): ("downtime_hours",),
    ("telematics", "null_key"): ("telemetry_id",),
    ("telematics", "duplicate_key"): ("telemetry_id",),
    ("telematics", "orphan_fk"): ("vehicle_id",),
    ("telematics", "future_timestamp"): ("recorded_at",),
    ("telematics", "out_of_range"): ("speed_kmh", "engine_temp_c", "fuel_level_pct"),
    ("weather", "null_key"): ("location_id",),
    ("weather", "duplicate_key"): ("location_id", "observed_at"),
    ("weather", "orphan_fk"): ("location_id",),
    ("weather", "out_of_range"): ("temperature_c",),
    ("weather", "bad_enum"): ("condition",),
    ("traffic", "null_key"): ("location_id",),
    ("traffic", "duplicate_key"): ("location_id", "observed_at"),
    ("traffic", "orphan_fk"): ("location_id",),
    ("traffic", "out_of_range"): ("congestion_index",),
}


def _bad_case(values: list[str], u: np.ndarray) -> list[str]:
    """Wrong case or stray spaces; never equal to a valid (upper-case, trimmed) value."""
    out = []
    for v, x in zip(values, u, strict=True):
        style = int(x * 4)
        out.append([" " + v.lower(), v.title(), v + " ", v.lower()][style] if v else " ")
    return out


class Chosen(NamedTuple):
    """The defects drawn for one landed batch: positions (sorted), defect types and their uniforms."""

    pick: np.ndarray
    kinds: np.ndarray
    u: np.ndarray


class Injector:
    """Injects defects into eligible new rows of each landed batch, deterministically per sync."""

    def __init__(self, seed: int, sync_number: int, rate: float) -> None:
        self.seed, self.sync_number, self.rate = seed, sync_number, rate
        self.count = 0
        self._calls: dict[str, int] = {}
        self._carry: dict[str, float] = {}
        self.overrides = pl.DataFrame(schema={"customer_id": pl.Int64, "customer_type": pl.String})

    def inject(self, table: str, df: pl.DataFrame) -> pl.DataFrame:
        """Return ``df`` with defects applied and a ``_defect_type`` column (None on clean rows)."""
        if self.rate <= 0 or not DEFECT_TYPES.get(table) or df.height == 0:
            return df
        new = df["_new"].to_numpy() if "_new" in df.columns else np.ones(df.height, bool)
        eligible = np.nonzero(df["_eligible"].to_numpy() if "_eligible" in df.columns else new)[0]
        chosen = self.choose(table, int(new.sum()), eligible)
        if chosen is None:
            return df
        df = df.with_columns(pl.lit(None, dtype=pl.String).alias(DEFECT_COLUMN))
        changed, extra, replaced = self.spoil(table, df[chosen.pick], chosen)
        mask = np.zeros(df.height, bool)
        mask[replaced] = True
        return pl.concat([df.filter(pl.Series(~mask)), changed, extra], how="vertical_relaxed")

    def choose(self, table: str, new_rows: int, eligible: np.ndarray) -> Chosen | None:
        """Draw which of a batch's rows get a defect and which: ``new_rows`` new rows in the batch,
        ``eligible`` the positions that may be spoilt. None when the batch gets none."""
        types = DEFECT_TYPES[table]
        call = self._calls.get(table, 0)
        self._calls[table] = call + 1
        g = rng.numpy_rng(self.seed, f"defects:{self.sync_number}:{table}:{call}")
        # Fractional expected counts carry over between chunks of one table.
        want = self.rate * new_rows + self._carry.get(table, 0.0)
        n = min(int(want), len(eligible))
        self._carry[table] = want - int(want)
        if n == 0:
            return None
        pick = np.sort(g.choice(eligible, n, replace=False))
        # Round-robin over the table's defect types (shuffled), so every type occurs once n ≥ #types.
        kinds = np.array(types, dtype=object)[(int(g.integers(len(types))) + np.arange(n)) % len(types)]
        kinds = kinds[g.permutation(n)]
        return Chosen(pick, kinds, g.random((n, 4)))

    def spoil(
        self, table: str, picked: pl.DataFrame, chosen: Chosen
    ) -> tuple[pl.DataFrame, pl.DataFrame, np.ndarray]:
        """Apply the chosen defects to the picked rows (``picked``, in ``chosen.pick`` order, with a
        ``_defect_type`` column). Returns (rows replacing their originals, rows added next to them,
        the positions of the replaced originals)."""
        rows = _apply(table, picked, chosen.kinds, chosen.u)
        pick = chosen.pick
        # Two null-key rows with equal business columns would share a row_key: keep the first only.
        clash = rows.select([c for c in rows.columns if not c.startswith("_")]).is_duplicated().to_numpy()
        clash &= (rows[DEFECT_COLUMN] == "null_key").to_numpy()
        if clash.any():
            rows, pick = rows.filter(pl.Series(~clash)), pick[~clash]
        extra = rows.filter(pl.col("_dup")).drop("_dup")
        changed = rows.filter(~pl.col("_dup")).drop("_dup")
        self.count += len(pick)
        if table == "customers":
            fixed = changed.select("customer_id", "customer_type")
            self.overrides = pl.concat([self.overrides, fixed]) if self.overrides.height else fixed
        return changed, extra, pick[~rows["_dup"].to_numpy()]

    def apply_overrides(self, table: str, df: pl.DataFrame) -> pl.DataFrame:
        """Keep earlier defects of rows the source updates again (customers' bad customer_type)."""
        if table != "customers" or self.overrides.height == 0 or df.height == 0:
            return df
        o = self.overrides.rename({"customer_type": "_bad"})
        return (
            df.join(o, on="customer_id", how="left", maintain_order="left")
            .with_columns(pl.coalesce("_bad", "customer_type").alias("customer_type"))
            .drop("_bad")
        )


def _apply(table: str, rows: pl.DataFrame, kinds: np.ndarray, u: np.ndarray) -> pl.DataFrame:
    """Apply one defect per row (vectorised per defect and column).

    Returns the rows with ``_defect_type`` set and ``_dup`` (True: a row to add, not to replace).
    """
    if table == "shipments":
        delivered = (
            rows["delivered_at"].is_not_null().to_numpy() & rows["picked_up_at"].is_not_null().to_numpy()
        )
        kinds = np.where((kinds == "delivery_before_pickup") & ~delivered, "negative_value", kinds)
    cols = np.array(
        [
            DEFECT_COLUMNS[(table, k)][int(x * len(DEFECT_COLUMNS[(table, k)]))]
            for k, x in zip(kinds, u[:, 0], strict=True)
        ],
        dtype=object,
    )
    if table == "shipments":
        ts_null = rows["delivered_at"].is_null().to_numpy()
        cols = np.where((kinds == "future_timestamp") & ts_null, "updated_at", cols)
    rows = rows.with_columns(
        pl.Series(DEFECT_COLUMN, kinds.astype(str)),
        pl.Series("_dup", kinds == "duplicate_key"),
        pl.Series("_order", np.arange(rows.height)),
    )
    parts = []
    for kind, col in sorted({(str(k), str(c)) for k, c in zip(kinds, cols, strict=True)}):
        m = (kinds == kind) & (cols == col)
        parts.append(_transform(table, rows.filter(pl.Series(m)), kind, col, u[m]))
    return pl.concat(parts, how="vertical_relaxed").sort("_order").drop("_order")


def _transform(table: str, sub: pl.DataFrame, kind: str, col: str, u: np.ndarray) -> pl.DataFrame:
    dtype = sub.schema[col]
    if kind == "null_key":
        return sub.with_columns(pl.lit(None, dtype=dtype).alias(col))
    if kind == "duplicate_key":
        if table == "telematics":
            return sub.with_columns(
                (pl.col("speed_kmh") + pl.Series(np.round(5.0 + 20.0 * u[:, 1], 1))).round(1)
            )
        if table == "weather":
            return sub.with_columns(
                (pl.col("temperature_c") + pl.Series(np.round(1.0 + 4.0 * u[:, 1], 1))).round(1)
            )
        return sub.with_columns(pl.col("incident_count") + pl.Series((1 + 3 * u[:, 1]).astype(np.int32)))
    if kind == "orphan_fk":
        return sub.with_columns(
            pl.Series(col, ORPHAN_BASE + (u[:, 1] * 99_000_000).astype(np.int64)).cast(dtype)
        )
    if kind == "negative_value":
        return sub.with_columns((-(pl.col(col).abs()) - 1.0).cast(dtype))
    if kind == "delivery_before_pickup":
        minutes = pl.Series((10 + u[:, 1] * 290).astype(np.int64) * 60_000_000).cast(pl.Duration("us"))
        return sub.with_columns((pl.col("picked_up_at") - minutes).alias(col))
    if kind == "future_timestamp":
        return sub.with_columns((pl.col(col) + FUTURE_SHIFT).alias(col))
    if kind == "bad_enum":
        return sub.with_columns(pl.Series(col, _bad_case(sub[col].to_list(), u[:, 1])))
    if kind == "unit_glitch":
        return sub.with_columns((pl.col(col) * (1000.0 if col == "weight_kg" else 60.0)).cast(dtype))
    if kind == "out_of_range":
        vals = [_out_of_range(col, a, b) for a, b in zip(u[:, 1], u[:, 2], strict=True)]
        return sub.with_columns(pl.Series(col, vals).cast(dtype))
    raise ValueError(f"unknown defect {kind!r}")  # pragma: no cover


def _out_of_range(col: str, a: float, b: float) -> float:
    high = b < 0.7
    ranges = {
        "speed_kmh": ((300.0, 500.0), (-60.0, -5.0)),
        "engine_temp_c": ((180.0, 260.0), (-90.0, -60.0)),
        "fuel_level_pct": ((120.0, 180.0), (-50.0, -5.0)),
        "temperature_c": ((70.0, 99.0), (-95.0, -70.0)),
        "congestion_index": ((1.2, 3.0), (-1.0, -0.1)),
    }
    lo, hi = ranges[col][0 if high else 1]
    return round(lo + (hi - lo) * a, 2)


__all__ = ["DEFECT_DESCRIPTIONS", "DEFECT_TYPES", "Injector", "row_key_sql"]
