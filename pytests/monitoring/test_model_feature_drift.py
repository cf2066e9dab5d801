"""Drift of the production models' input features against their registered reference bins: the SQL
(vocabulary codes from the registry's JSON, bins, PSI, JS) equals a Python path that encodes the
feature rows as training and scoring do (modelops.encoding) and bins them with numpy."""

from __future__ import annotations

import json

import duckdb
import numpy as np
import polars as pl
import pytest

from modelops.encoding import feature_matrix
from warehouse.runtime import ScratchWarehouse

from .drift_reference import js_distance, psi

FEATURE_TABLES = {  # REGISTRY.md: each model's feature table and the date of a row
    "late_delivery_risk": ("tbl_ml_haul_segmentation", "cast(feature_at as date)"),
    "breakdown_risk_14d": ("tbl_ml_maintenance_features", "feature_date"),
}


def _current_shares(values: np.ndarray, bins: pl.DataFrame) -> np.ndarray:
    """Share of ``values`` (NaN = missing) in each registered bin, in bin_index order."""
    ranges = bins.filter(pl.col("bin_kind") == "range").sort("bin_index")
    uppers = ranges["upper_bound"].to_numpy()[:-1]  # the last range bin is open above
    present = values[~np.isnan(values)]
    counts = np.bincount(np.searchsorted(uppers, present, side="left"), minlength=ranges.height)
    return np.append(counts, np.isnan(values).sum()) / values.size


def test_model_feature_psi_equals_the_python_path(trained_build: ScratchWarehouse) -> None:
    with duckdb.connect(str(trained_build.db), read_only=True) as con:
        monitored = con.sql("""
            select * from main_ml.vw_ml_feature_monitoring where monitored_for <> 'warehouse'
        """).pl()
        windows = con.sql("""
            select distinct window_name, window_start_date, window_end_date
            from main_ml.int_ml_model_feature_window_values
        """).pl()
        registry = con.sql("select * from main_ml.tbl_ml_model_registry where is_production").pl()
        reference = con.sql("select * from main_ml.tbl_ml_model_reference_bins").pl()
        checked = 0
        for version in registry.iter_rows(named=True):
            table, event_date = FEATURE_TABLES[version["model_name"]]
            features = json.loads(version["feature_names"])
            categories = json.loads(version["feature_categories"])
            for window in windows.iter_rows(named=True):
                rows = con.sql(
                    f"select * from main_ml.{table} where {event_date} "
                    f"between '{window['window_start_date']}' and '{window['window_end_date']}'"
                ).to_arrow_table()
                encoded = feature_matrix(rows, features, categories)
                for i, feature in enumerate(features):
                    bins = reference.filter(
                        (pl.col("model_name") == version["model_name"])
                        & (pl.col("model_version") == version["model_version"])
                        & (pl.col("feature_name") == feature)
                    ).sort("bin_index")
                    ref = bins["reference_share"].to_numpy()
                    cur = _current_shares(encoded[:, i], bins)
                    row = monitored.filter(
                        (pl.col("monitored_for") == version["model_name"])
                        & (pl.col("feature_name") == feature)
                        & (pl.col("window_name") == window["window_name"])
                    ).row(0, named=True)
                    assert row["current_rows"] == rows.num_rows
                    assert row["psi"] == pytest.approx(psi(ref, cur), abs=1e-9), feature
                    assert row["js_distance"] == pytest.approx(js_distance(ref, cur), abs=1e-9), feature
                    checked += 1
    assert checked >= 2 * 25  # both windows of every late-delivery input at least
    assert set(monitored["feature_set"]) == set(registry["model_name"])  # a status per model
