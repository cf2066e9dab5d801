"""``get_training_frame``: a point-in-time training set from the warehouse, as a polars DataFrame."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

import duckdb
import polars as pl

from featurestore.asof import training_sql
from featurestore.catalog import FEATURE_SETS, LABELS
from warehouse.runtime import warehouse_path

# Where dbt builds the ML layer on DuckDB (schema `ml` under the target schema `main`).
DUCKDB_ML_SCHEMA = "main_ml"


class TrainingFrameError(ValueError):
    """A bad request: unknown label or feature set, a key the label lacks, bad dates, no tables."""


def _as_date(name: str, value: date | str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise TrainingFrameError(f"{name} must be a date such as 2025-06-01, got {value!r}") from None


def _check(label: str, feature_sets: Sequence[str], start: date, end: date) -> None:
    if label not in LABELS:
        raise TrainingFrameError(f"unknown label {label!r}: choose one of {', '.join(LABELS)}")
    for name in feature_sets:
        if name not in FEATURE_SETS:
            raise TrainingFrameError(f"unknown feature set {name!r}: choose among {', '.join(FEATURE_SETS)}")
        if FEATURE_SETS[name].key not in LABELS[label].keys:
            raise TrainingFrameError(
                f"feature set {name!r} is keyed by {FEATURE_SETS[name].key}, "
                f"which label {label!r} does not carry"
            )
    if len(set(feature_sets)) != len(feature_sets):
        raise TrainingFrameError(f"feature sets listed twice: {list(feature_sets)}")
    if end <= start:
        raise TrainingFrameError(f"end {end} must be after start {start}")


def feature_columns(
    con: duckdb.DuckDBPyConnection, feature_sets: Sequence[str], schema: str
) -> dict[str, list[str]]:
    """The feature columns of each set, read from the built tables (keys and dates left out)."""
    columns: dict[str, list[str]] = {}
    for name in feature_sets:
        feature_set = FEATURE_SETS[name]
        found = con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [schema, feature_set.relation],
        ).fetchall()
        if not found:
            raise TrainingFrameError(
                f"{schema}.{feature_set.relation} does not exist: build the warehouse first (just build)"
            )
        columns[name] = [column for (column,) in found if column not in feature_set.excluded_columns]
    return columns


def get_training_frame(
    label: str,
    feature_sets: Sequence[str],
    start: date | str,
    end: date | str,
    *,
    database: Path | str | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> pl.DataFrame:
    """Known labels whose as-of instant lies in [start, end), each joined to the latest row of every
    feature set usable strictly before that instant (ASOF JOIN on the entity key).

    ``label``: ``late_delivery`` (one row per delivered shipment, as of its booking) or ``breakdown``
    (one row per vehicle-day, as of the day's end). ``feature_sets``: names of ``FEATURE_SETS``
    whose key the label carries; their columns come prefixed ``<set>__``, with ``<set>__available_at``
    the instant the joined row became usable (null when none was). Reads ``database`` (default: the
    project's warehouse) read-only, or an open ``connection``.
    """
    start_date, end_date = _as_date("start", start), _as_date("end", end)
    _check(label, list(feature_sets), start_date, end_date)
    own = connection is None
    con = connection or duckdb.connect(str(database or warehouse_path()), read_only=True)
    try:
        con.execute("set enable_progress_bar = false")
        columns = feature_columns(con, feature_sets, DUCKDB_ML_SCHEMA)
        sql = training_sql(label, feature_sets, start_date, end_date, columns, DUCKDB_ML_SCHEMA, "duckdb")
        return pl.from_arrow(con.sql(sql).to_arrow_table())
    finally:
        if own:
            con.close()
