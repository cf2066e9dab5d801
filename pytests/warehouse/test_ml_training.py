"""The training API: frames whose rows equal a by-hand computation from the facts, one ASOF join
per feature set on both engines, clear errors for bad requests, labels kept out of feature tables."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import duckdb
import polars as pl
import pytest
import sqlglot
from sqlglot import exp

from featurestore import FEATURE_SETS, TrainingFrameError, get_training_frame, training_sql
from featurestore.training import DUCKDB_ML_SCHEMA, feature_columns

START, END = date(2025, 3, 1), date(2025, 9, 1)
SAMPLE = 40


def _frame(con: duckdb.DuckDBPyConnection, sql: str) -> pl.DataFrame:
    return pl.from_arrow(con.sql(sql).to_arrow_table())


def test_late_delivery_rows_equal_a_by_hand_count_of_known_deliveries(clean_build) -> None:
    frame = get_training_frame(
        "late_delivery",
        ["haul_segmentation", "customer_rolling", "route_rolling"],
        START,
        END,
        database=clean_build.db,
    )
    assert frame.height > SAMPLE and frame["shipment_id"].is_unique().all()
    with duckdb.connect(str(clean_build.db), read_only=True) as con:
        facts = _frame(con, "select * from main_marts.tbl_fact_shipments")
    # The initial load only: a delivery is known from the source's updated_at, a delete too.
    known = facts.filter(pl.col("is_delivered") & ~pl.col("is_deleted")).with_columns(
        pl.col("delivered_at").dt.date().alias("delivered_day"),
        pl.col("updated_at").dt.date().alias("known_day"),
    )
    for row in frame.sample(SAMPLE, seed=7).iter_rows(named=True):
        day_before = row["label_as_of_at"].date() - timedelta(days=1)
        for entity in ("customer", "route"):
            mine = known.filter(
                (pl.col(f"{entity}_id") == row[f"{entity}_id"]) & (pl.col("known_day") <= day_before)
            )
            last_90 = mine.filter(pl.col("delivered_day") > day_before - timedelta(days=90))
            last_30 = mine.filter(pl.col("delivered_day") > day_before - timedelta(days=30))
            prefix = f"{entity}_rolling__"
            if row[prefix + "available_at"] is None:  # no row yet: nothing was known
                assert mine.height == 0
                continue
            assert row[prefix + "available_at"] == datetime.combine(
                row["label_as_of_at"].date(), datetime.min.time()
            )
            assert row[prefix + "deliveries_90d"] == last_90.height
            assert row[prefix + "on_time_deliveries_30d"] == last_30["is_on_time"].sum()
            assert float(row[prefix + "revenue_usd_90d"]) == pytest.approx(
                float(last_90["revenue_usd"].sum())
            )
        route_30 = known.filter(
            (pl.col("route_id") == row["route_id"])
            & (pl.col("known_day") <= day_before)
            & (pl.col("delivered_day") > day_before - timedelta(days=30))
        )
        expected = route_30["is_on_time"].mean() if route_30.height else None
        assert row["haul_segmentation__route_on_time_rate_30d"] == pytest.approx(expected)
        shipment = facts.filter(pl.col("shipment_id") == row["shipment_id"]).row(0, named=True)
        assert row["label_is_late"] == (not shipment["is_on_time"])
        assert row["haul_segmentation__distance_km"] == pytest.approx(shipment["distance_km"])


def test_breakdown_rows_equal_a_by_hand_count_of_pings_and_breakdowns(clean_build) -> None:
    frame = get_training_frame("breakdown", ["maintenance"], START, END, database=clean_build.db)
    assert frame.height > SAMPLE and frame["label_breakdown_within_14d"].sum() > 0
    with duckdb.connect(str(clean_build.db), read_only=True) as con:
        pings = _frame(
            con, "select vehicle_id, recorded_date, engine_temp_c from main_marts.tbl_fact_vehicle_telemetry"
        )
        breakdowns = _frame(
            con,
            "select vehicle_id, performed_date from main_marts.tbl_dim_vehicle_maintenance "
            "where maintenance_type = 'BREAKDOWN' and not is_deleted",
        )
    positives = frame.filter(pl.col("label_breakdown_within_14d"))
    sample = pl.concat([frame.sample(SAMPLE, seed=3), positives.head(5)])
    for row in sample.iter_rows(named=True):
        day = row["label_as_of_at"].date() - timedelta(days=1)
        week = pings.filter(
            (pl.col("vehicle_id") == row["vehicle_id"])
            & pl.col("recorded_date").is_between(day - timedelta(days=6), day)
        )
        assert row["maintenance__pings_7d"] == week.height
        if week.height:
            assert row["maintenance__avg_engine_temp_c_7d"] == pytest.approx(
                week["engine_temp_c"].mean(), abs=1e-3
            )
        ahead = breakdowns.filter(
            (pl.col("vehicle_id") == row["vehicle_id"])
            & pl.col("performed_date").is_between(day + timedelta(days=1), day + timedelta(days=14))
        )
        assert row["label_breakdown_within_14d"] == (ahead.height > 0)


def _as_duckdb(snowflake_sql: str) -> str:
    """Read the Snowflake statement as Snowflake and write its ASOF joins the DuckDB way."""
    tree = sqlglot.parse_one(snowflake_sql, read="snowflake")
    for join in tree.find_all(exp.Join):
        if join.args.get("method") == "ASOF":
            match = join.args.pop("match_condition")
            join.set("on", exp.and_(join.args["on"], match))
            join.set("side", "LEFT")
    return tree.sql("duckdb")


def test_the_snowflake_form_is_asof_match_condition_and_means_the_same(clean_build) -> None:
    sets = ["haul_segmentation", "customer_rolling", "route_rolling"]
    with duckdb.connect(str(clean_build.db), read_only=True) as con:
        columns = feature_columns(con, sets, DUCKDB_ML_SCHEMA)
        duck = training_sql("late_delivery", sets, START, END, columns, DUCKDB_ML_SCHEMA, "duckdb")
        snow = training_sql("late_delivery", sets, START, END, columns, DUCKDB_ML_SCHEMA, "snowflake")
        tree = sqlglot.parse_one(snow, read="snowflake", error_level=sqlglot.ErrorLevel.RAISE)
        asof = [j for j in tree.find_all(exp.Join) if j.args.get("method") == "ASOF"]
        assert len(asof) == len(sets) and all(j.args.get("match_condition") for j in asof)
        assert _frame(con, _as_duckdb(snow)).equals(_frame(con, duck))


def test_a_feature_row_is_never_joined_after_the_label_instant(clean_build) -> None:
    frame = get_training_frame("late_delivery", ["customer_rolling"], START, END, database=clean_build.db)
    joined = frame.filter(pl.col("customer_rolling__available_at").is_not_null())
    assert joined.height > 0
    assert joined.filter(pl.col("customer_rolling__available_at") > pl.col("label_as_of_at")).height == 0


@pytest.mark.parametrize(
    ("label", "sets", "start", "end", "message"),
    [
        ("lateness", ["haul_segmentation"], START, END, "unknown label 'lateness'"),
        ("late_delivery", ["weather"], START, END, "unknown feature set 'weather'"),
        ("late_delivery", ["maintenance"], START, END, "keyed by vehicle_id"),
        ("breakdown", ["maintenance"], END, START, "must be after start"),
        ("breakdown", ["maintenance"], "2025-13-01", END, "start must be a date"),
    ],
)
def test_bad_requests_get_a_clear_error(clean_build, label, sets, start, end, message) -> None:
    with pytest.raises(TrainingFrameError, match=message):
        get_training_frame(label, sets, start, end, database=clean_build.db)


def test_feature_tables_hold_no_label_and_carry_their_keys(clean_build) -> None:
    with duckdb.connect(str(clean_build.db), read_only=True) as con:
        columns = con.execute(
            "select table_name, list(column_name) from information_schema.columns "
            "where table_schema = ? group by table_name",
            [DUCKDB_ML_SCHEMA],
        ).fetchall()
    tables = dict(columns)
    features = {FEATURE_SETS[name].relation for name in FEATURE_SETS}
    assert features <= set(tables)
    for table in features:
        assert not [c for c in tables[table] if c.startswith("label_")], table
        assert {"feature_date", "feature_at"} & set(tables[table]), table
    for table in ("tbl_ml_label_late_delivery", "tbl_ml_label_breakdown"):
        assert any(c.startswith("label_") for c in tables[table])


def test_the_catalogue_names_every_column_of_the_feature_views(clean_build) -> None:
    with duckdb.connect(str(clean_build.db), read_only=True) as con:
        catalogue = con.execute(
            f"select values_view, entity_key, time_column, feature_name, definition "
            f"from {DUCKDB_ML_SCHEMA}.tbl_ml_consolidated_feature_store"
        ).fetchall()
        views = {view for view, *_ in catalogue}
        assert views == {
            "vw_ml_customer_features",
            "vw_ml_vehicle_features",
            "vw_ml_route_features",
            "vw_ml_shipment_features",
        }
        for view in views:
            keys = {key for v, key, time, *_ in catalogue if v == view} | {
                time for v, _, time, *_ in catalogue if v == view
            }
            columns = {
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ?",
                    [DUCKDB_ML_SCHEMA, view],
                ).fetchall()
            }
            listed = {name for v, _, _, name, _ in catalogue if v == view}
            assert columns - keys == listed, view
            assert con.execute(f"select count(*) from {DUCKDB_ML_SCHEMA}.{view}").fetchone()[0] > 0
    assert all(len(definition) > 10 for *_, definition in catalogue)
