"""Model performance tracking on a trained and scored warehouse: the SQL metrics equal sklearn's on
the same rows, weeks whose labels have not matured are shown as such, and the decay rule fires on a
prediction set that no longer ranks the outcomes and stays quiet on the model's own predictions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import polars as pl
import pytest
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from warehouse.runtime import ScratchWarehouse

from .conftest import run_monitor

CLIP = 1e-6  # var model_log_loss_clip, as modelops.evaluation
PENDING_MAX_PCT = 1.0  # var model_label_pending_max_pct
TOLERANCE = 1e-9


def _outcomes(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """Every prediction with its label state, read from the label tables (not the monitoring models)."""
    return con.sql("""
        select p.model_name, p.model_version, p.score,
               cast(date_trunc('week', p.feature_date) as date) as week_start_date,
               coalesce(case
                   when p.entity_type = 'vehicle' then b.label_status
                   when l.label_status in ('cancelled', 'deleted') then 'void'
                   else l.label_status end, 'pending') as state,
               case when p.entity_type = 'shipment' then l.label_is_late
                    else b.label_breakdown_within_14d end as outcome
        from main_ml.tbl_ml_predictions as p
        left join main_ml.tbl_ml_label_late_delivery as l
            on p.entity_type = 'shipment' and l.shipment_id = p.entity_id
        left join main_ml.tbl_ml_label_breakdown as b
            on p.entity_type = 'vehicle' and b.vehicle_id = p.entity_id and b.feature_date = p.feature_date
    """).pl()


def _expected(scores: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """sklearn's metrics, and the calibration figures from numpy, on one group of labelled rows."""
    bins = np.minimum(np.floor(scores * 10), 9)
    ece = sum(
        abs(scores[bins == b].mean() - labels[bins == b].mean()) * (bins == b).sum() for b in np.unique(bins)
    ) / scores.size
    return {
        "roc_auc": roc_auc_score(labels, scores),
        "log_loss": log_loss(labels, np.clip(scores, CLIP, 1 - CLIP), labels=[0, 1]),
        "brier_score": brier_score_loss(labels, scores),
        "mean_predicted": scores.mean(),
        "observed_rate": labels.mean(),
        "expected_calibration_error": ece,
    }


def _check_weeks(db: Path) -> int:
    """Assert vw_ml_model_performance against sklearn on every week; return the matured weeks checked."""
    with duckdb.connect(str(db), read_only=True) as con:
        outcomes = _outcomes(con)
        view = con.sql("select * from main_ml.vw_ml_model_performance").pl()
    checked = 0
    for row in view.iter_rows(named=True):
        week = outcomes.filter(
            (pl.col("model_name") == row["model_name"]) & (pl.col("model_version") == row["model_version"])
            & (pl.col("week_start_date") == row["week_start_date"])
        )
        pending = week.filter(pl.col("state").is_in(["pending", "horizon_open"])).height
        labelable = week.filter(pl.col("state") != "void").height
        known = week.filter(pl.col("state") == "known")
        matured = known.height > 0 and 100 * pending <= PENDING_MAX_PCT * labelable
        assert (row["label_maturity"] == "matured") == matured, row
        assert (row["predictions"], row["known_labels"]) == (week.height, known.height)
        if not matured:
            assert row["live_roc_auc"] is None and row["live_log_loss"] is None, row
            assert row["performance_status"] == "labels_pending"
            continue
        labels = known["outcome"].cast(pl.Int8).to_numpy()
        if labels.min() == labels.max():
            assert row["live_roc_auc"] is None
            continue
        for metric, value in _expected(known["score"].to_numpy(), labels).items():
            column = metric if metric in ("mean_predicted", "observed_rate", "expected_calibration_error") \
                else f"live_{metric}"
            assert row[column] == pytest.approx(value, abs=TOLERANCE), (metric, row)
        checked += 1
    return checked


def test_weekly_sql_metrics_equal_sklearn_and_unmatured_weeks_show_as_pending(
    trained_build: ScratchWarehouse,
) -> None:
    assert _check_weeks(trained_build.db) > 20
    with duckdb.connect(str(trained_build.db), read_only=True) as con:
        maturity = dict(con.sql("""
            select label_maturity, count(*) from main_ml.vw_ml_model_performance group by all
        """).fetchall())
        periods = {p for (p,) in con.execute(
            "select distinct monitoring_period from main_ml.vw_ml_model_performance").fetchall()}
    assert maturity.get("maturing", 0) + maturity.get("pending", 0) > 0  # the latest weeks wait for labels
    assert {"in_sample", "evaluation"} <= periods


def test_tied_scores_take_their_average_rank(trained_build: ScratchWarehouse, tmp_path: Path) -> None:
    build = trained_build.copy(tmp_path / "ties")
    with duckdb.connect(str(build.db)) as con:
        con.execute("update main_ml.tbl_ml_predictions set score = round(score, 2)")
        distinct, rows = con.execute(
            "select count(distinct score), count(*) from main_ml.tbl_ml_predictions").fetchone()
    assert distinct < rows / 50  # heavily tied
    assert _check_weeks(build.db) > 20


def _decay(db: Path) -> dict[str, dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r["model_name"]: r for r in con.sql("select * from main_ml.vw_ml_model_decay").pl()
                .iter_rows(named=True)}


def test_pooled_decay_metrics_equal_sklearn_over_the_judged_weeks(trained_build: ScratchWarehouse) -> None:
    decay = _decay(trained_build.db)
    with duckdb.connect(str(trained_build.db), read_only=True) as con:
        outcomes = _outcomes(con)
        production = dict(con.sql(
            "select model_name, model_version from main_ml.tbl_ml_model_registry where is_production"
        ).fetchall())
    assert set(decay) == set(production)
    for name, row in decay.items():
        judged = outcomes.filter(
            (pl.col("model_name") == name) & (pl.col("state") == "known")
            & pl.col("week_start_date").is_between(row["first_judged_week_start_date"],
                                                   row["last_judged_week_start_date"])
        )
        assert row["judged_weeks"] == 8
        expected = _expected(judged["score"].to_numpy(), judged["outcome"].cast(pl.Int8).to_numpy())
        assert row["labelled_rows"] == judged.height
        assert row["live_roc_auc"] == pytest.approx(expected["roc_auc"], abs=TOLERANCE)
        assert row["live_log_loss"] == pytest.approx(expected["log_loss"], abs=TOLERANCE)


def _decay_alerts(build: ScratchWarehouse) -> set[str]:
    with duckdb.connect(str(build.db), read_only=True) as con:
        return {s for (s,) in con.execute(
            "select subject from monitoring.alerts where rule_name = 'model_decay' and status = 'firing'"
        ).fetchall()}


def test_decay_rule_is_quiet_on_the_models_own_predictions(
    trained_build: ScratchWarehouse, tmp_path: Path,
) -> None:
    build = trained_build.copy(tmp_path / "own")
    decay = _decay(build.db)
    assert decay["late_delivery_risk"]["decay_status"] == "healthy"
    result = run_monitor(build)
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "model_decay" not in result.stdout
    assert _decay_alerts(build) == set()


def test_decay_rule_fires_when_the_scores_no_longer_belong_to_their_shipments(
    trained_build: ScratchWarehouse, tmp_path: Path,
) -> None:
    """The late-delivery predictions are swapped among shipments (a prediction set scored for other
    rows): the scores' distribution is unchanged, their ranking of the outcomes is gone."""
    build = trained_build.copy(tmp_path / "unrelated")
    with duckdb.connect(str(build.db)) as con:
        predictions = con.sql("select * from main_ml.tbl_ml_predictions").pl()
        late = predictions.filter(pl.col("model_name") == "late_delivery_risk")
        shuffled = late.with_columns(
            pl.Series("score", np.random.default_rng(7).permutation(late["score"].to_numpy()))
        )
        con.register("swapped", pl.concat([predictions.filter(pl.col("model_name") != "late_delivery_risk"),
                                           shuffled]))
        con.execute("create or replace table main_ml.tbl_ml_predictions as select * from swapped")
    decay = _decay(build.db)["late_delivery_risk"]
    assert decay["decay_status"] == "decayed"
    assert decay["live_roc_auc"] < 0.6 < decay["registered_roc_auc"]
    result = run_monitor(build)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "late_delivery_risk" in _decay_alerts(build)


def test_model_monitoring_models_pass_their_data_tests_once_trained(
    trained_build: ScratchWarehouse, tmp_path: Path
) -> None:
    """A build tests these models before `just train` fills the registry (they are empty then): their
    data tests must also hold on the rows that training and scoring bring."""
    build = trained_build.copy(tmp_path / "tested")
    monitored = ("int_ml_prediction_outcomes", "int_ml_model_feature_window_values",
                 "vw_ml_model_performance", "vw_ml_model_decay")
    with duckdb.connect(str(build.db), read_only=True) as con:
        for model in monitored:
            assert con.execute(f"select count(*) from main_ml.{model}").fetchone()[0] > 0, model
    run = build.dbt("test", "--select", *monitored, check=False)
    tests = {uid: r for uid, r in run.results().items() if uid.startswith("test.")}
    assert len(tests) >= 4 * len(monitored), run.tail()
    assert [uid for uid, r in tests.items() if r["status"] != "pass"] == [], run.tail()
