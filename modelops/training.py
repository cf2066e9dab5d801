"""The two models: train on the earlier period, evaluate on the later one, register, promote.

- ``late_delivery_risk``: will a shipment be delivered late? Scored at booking from its row of
  ``tbl_ml_haul_segmentation`` (the order, its route's and customer's recent record, all known at
  booking). Baseline: the historical late rate of its route in the training period (smoothed
  towards the overall rate). Oracle: the truth has no closed form (lateness is a noisy function of
  the weather, congestion, wear, breakdowns and priority the generator drew), so the oracle is the
  same algorithm given those hidden causes (``_truth_shipment_lateness``) beside the features.
- ``breakdown_risk_14d``: will a vehicle break down in the next 14 days? Scored per vehicle-day
  from its row of ``tbl_ml_maintenance_features``. Baseline: the training period's breakdown rate
  of its vehicle type and age band. Oracle: the generator's own hazard, 1 − Π(1 − h) over the
  vehicle's planned trips of the next 14 days (``_truth_vehicle_day_hazard``).

The split is by time: evaluation = the last ``EVALUATION_DAYS`` days of known labels; training =
everything before, less an embargo as long as the label horizon, so no training label looks into
the evaluation period, and less the first ``FEATURE_WARMUP_DAYS`` days of labels: a row in them
sees a feature window (``route_on_time_rate_90d``, ``breakdowns_90d``) cut short by the start of
the data, unlike every row scored later, so its features would teach the model, and the reference
bins drift is judged against, a distribution production never sees. LightGBM runs single-threaded
and ``deterministic``: the same data, seed and library version give the same model bytes, hence
the same artefact hash and metrics.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import lightgbm
import numpy as np
import polars as pl
import sklearn

from featurestore.training import get_training_frame
from modelops.encoding import feature_matrix, is_numeric, is_text, vocabulary
from modelops.evaluation import Evaluation, evaluate
from modelops.reference import feature_reference_bins
from modelops.registry import (
    ModelSpec,
    ModelVersion,
    PromotionRefused,
    load,
    production_version,
    promote,
    register,
)

SEED = 42
EVALUATION_DAYS = 120
# The longest window a feature reads (route_*_90d, customer_*_90d, breakdowns_90d).
FEATURE_WARMUP_DAYS = 90
FEATURE_SET_VERSION = "1"
# Shared by every model: single-threaded and deterministic, so the model bytes are reproducible.
RUNTIME_PARAMETERS: dict[str, object] = {
    "objective": "binary",
    "num_threads": 1,
    "deterministic": True,
    "force_col_wise": True,
    "verbose": -1,
}
# Columns of a feature table that are not features: keys, ids and the as-of columns.
_NOT_FEATURES = ("feature_date", "feature_at", "available_at")


@dataclass(frozen=True)
class ModelDefinition:
    """What one model predicts, from which feature set, against which baseline and oracle."""

    name: str
    label: str
    label_column: str
    entity_type: str
    entity_key: str
    feature_set: str
    horizon_days: int
    parameters: dict[str, object]
    rounds: int
    # None: every numeric, boolean or text column of the feature set; else these columns only.
    features: tuple[str, ...] | None
    baseline: Callable[[duckdb.DuckDBPyConnection, pl.DataFrame, pl.DataFrame, str], tuple[np.ndarray, str]]
    oracle: Callable[
        [duckdb.DuckDBPyConnection, pl.DataFrame, pl.DataFrame, ModelDefinition], tuple[np.ndarray, str]
    ]


@dataclass(frozen=True)
class TrainingOutcome:
    """A trained, registered version and whether it went to production (or why not)."""

    version: ModelVersion
    evaluations: list[Evaluation]
    promoted: bool
    refusal: str | None


def train_all(
    con: duckdb.DuckDBPyConnection,
    store: Path,
    seed: int = SEED,
    evaluation_days: int = EVALUATION_DAYS,
    warmup_days: int = FEATURE_WARMUP_DAYS,
) -> list[TrainingOutcome]:
    """Train, evaluate, register and try to promote every model of ``MODELS``.

    ``evaluation_days`` and ``warmup_days``: the evaluation window and the first days left out of
    training (both shorter only for a warehouse spanning a few months, such as the parity run's
    quarter, where the defaults would leave no training rows)."""
    return [train_model(con, store, definition, seed, evaluation_days, warmup_days) for definition in MODELS]


def train_model(
    con: duckdb.DuckDBPyConnection,
    store: Path,
    definition: ModelDefinition,
    seed: int = SEED,
    evaluation_days: int = EVALUATION_DAYS,
    warmup_days: int = FEATURE_WARMUP_DAYS,
) -> TrainingOutcome:
    """One model: time split, fit, evaluate against baseline, oracle and production, register, promote."""
    frame = _labelled_frame(con, definition)
    train, evaluation, windows = _time_split(frame, definition.horizon_days, evaluation_days, warmup_days)
    features, categories = _features(train, definition)
    booster = fit(train, features, categories, _labels(train, definition), seed, definition)
    evaluations = _evaluations(con, store, definition, booster, train, evaluation, (features, categories))
    spec = _spec(definition, (features, categories), windows, train, evaluation, seed)
    at = _data_clock(frame)
    reference = feature_reference_bins(_encoded(train, features, categories), features)
    version = register(con, store, spec, booster, evaluations, reference, at)
    return _try_promotion(con, definition, version, evaluations, at)


def _labels(frame: pl.DataFrame, definition: ModelDefinition) -> np.ndarray:
    """The label as 0/1."""
    return frame.get_column(definition.label_column).cast(pl.Int8).to_numpy()


def _evaluations(
    con: duckdb.DuckDBPyConnection,
    store: Path,
    definition: ModelDefinition,
    booster: lightgbm.Booster,
    train: pl.DataFrame,
    evaluation: pl.DataFrame,
    encoding: tuple[list[str], dict[str, list[str]]],
) -> list[Evaluation]:
    """The model, its baseline, its oracle and (when there is one) the production version, on the
    same evaluation rows."""
    y_eval = _labels(evaluation, definition)
    scores = booster.predict(matrix(evaluation, *encoding), num_threads=1)
    baseline, baseline_text = definition.baseline(con, train, evaluation, definition.label_column)
    oracle, oracle_text = definition.oracle(con, train, evaluation, definition)
    evaluations = [
        evaluate("model", f"LightGBM on {definition.feature_set} features", y_eval, scores),
        evaluate("baseline", baseline_text, y_eval, baseline),
        evaluate("oracle", oracle_text, y_eval, oracle),
    ]
    current = production_version(con, definition.name)
    if current is not None:
        _, production_booster = load(con, store, definition.name, current.model_version)
        production_scores = production_booster.predict(
            matrix(evaluation, list(current.spec.feature_names), current.spec.feature_categories),
            num_threads=1,
        )
        evaluations.append(
            evaluate(
                "production",
                f"v{current.model_version}",
                y_eval,
                production_scores,
                compared_version=current.model_version,
            )
        )
    return evaluations


def _spec(
    definition: ModelDefinition,
    encoding: tuple[list[str], dict[str, list[str]]],
    windows: dict[str, date],
    train: pl.DataFrame,
    evaluation: pl.DataFrame,
    seed: int,
) -> ModelSpec:
    """What the registry records of this training run (everything but the version number)."""
    features, categories = encoding
    return ModelSpec(
        model_name=definition.name,
        algorithm="LightGBM gradient-boosted trees (gbdt), binary log loss",
        library_versions={
            "lightgbm": lightgbm.__version__,
            "numpy": np.__version__,
            "scikit-learn (metrics)": sklearn.__version__,
            "python": platform.python_version(),
        },
        entity_type=definition.entity_type,
        label_name=definition.label_column,
        feature_set_version=f"{definition.feature_set}.{FEATURE_SET_VERSION}",
        feature_names=tuple(features),
        feature_categories=categories,
        **windows,
        training_rows=train.height,
        training_positives=int(_labels(train, definition).sum()),
        evaluation_rows=evaluation.height,
        evaluation_positives=int(_labels(evaluation, definition).sum()),
        hyperparameters={**RUNTIME_PARAMETERS, **definition.parameters, "num_boost_round": definition.rounds},
        random_seed=seed,
    )


def _try_promotion(
    con: duckdb.DuckDBPyConnection,
    definition: ModelDefinition,
    version: ModelVersion,
    evaluations: list[Evaluation],
    at: datetime,
) -> TrainingOutcome:
    """Promote a new candidate; a version registered before (same artefact) keeps its stage."""
    if version.stage != "candidate":
        return TrainingOutcome(version, evaluations, version.stage == "production", "already registered")
    try:
        return TrainingOutcome(
            promote(con, definition.name, version.model_version, at), evaluations, True, None
        )
    except PromotionRefused as refusal:
        return TrainingOutcome(version, evaluations, False, str(refusal))


def fit(
    frame: pl.DataFrame,
    features: list[str],
    categories: dict[str, list[str]],
    labels: np.ndarray,
    seed: int,
    definition: ModelDefinition,
) -> lightgbm.Booster:
    """LightGBM with the definition's parameters on the encoded features; categorical features marked."""
    dataset = lightgbm.Dataset(
        matrix(frame, features, categories),
        labels,
        feature_name=features,
        categorical_feature=[f for f in features if f in categories] or "auto",
        free_raw_data=True,
    )
    parameters = {**RUNTIME_PARAMETERS, **definition.parameters, "seed": seed}
    return lightgbm.train(parameters, dataset, num_boost_round=definition.rounds)


def matrix(frame: pl.DataFrame, features: list[str], categories: dict[str, list[str]]) -> np.ndarray:
    """The encoded feature matrix of ``frame`` (modelops.encoding, as in batch and online scoring)."""
    return feature_matrix(frame.select(features).to_arrow(), features, categories)


def _encoded(frame: pl.DataFrame, features: list[str], categories: dict[str, list[str]]) -> pl.DataFrame:
    return pl.DataFrame(matrix(frame, features, categories), schema=features, orient="row")


def _labelled_frame(con: duckdb.DuckDBPyConnection, definition: ModelDefinition) -> pl.DataFrame:
    bounds = con.execute(
        f"select min(label_as_of_at), max(label_as_of_at) from main_ml.{_label_relation(definition)} "
        "where label_status = 'known'"
    ).fetchall()[0]
    if bounds[0] is None:
        raise ValueError(
            f"{definition.name}: no known labels in the warehouse; build it first (`just build`)"
        )
    start, end = bounds[0].date(), bounds[1].date() + timedelta(days=1)
    frame = get_training_frame(definition.label, [definition.feature_set], start, end, connection=con)
    prefix = f"{definition.feature_set}__"
    frame = frame.rename({c: c.removeprefix(prefix) for c in frame.columns if c.startswith(prefix)})
    return frame.filter(pl.col(definition.label_column).is_not_null())


def _label_relation(definition: ModelDefinition) -> str:
    from featurestore.catalog import LABELS

    return LABELS[definition.label].relation


def _time_split(
    frame: pl.DataFrame,
    horizon_days: int,
    evaluation_days: int = EVALUATION_DAYS,
    warmup_days: int = FEATURE_WARMUP_DAYS,
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, date]]:
    """Training rows (after the warm-up, before the embargo), evaluation rows and the four dates."""
    as_of = frame.get_column("label_as_of_at")
    last = as_of.max().date()  # type: ignore[union-attr]
    evaluation_start = last - timedelta(days=evaluation_days - 1)
    training_end = evaluation_start - timedelta(days=horizon_days)
    first = as_of.min().date() + timedelta(days=warmup_days)  # type: ignore[union-attr]
    train = frame.filter(
        pl.col("label_as_of_at").is_between(
            datetime.combine(first, datetime.min.time()),
            datetime.combine(training_end, datetime.min.time()),
            closed="left",
        )
    )
    evaluation = frame.filter(
        pl.col("label_as_of_at") >= datetime.combine(evaluation_start, datetime.min.time())
    )
    windows = {
        "training_start_date": first,
        "training_end_date": training_end,
        "evaluation_start_date": evaluation_start,
        "evaluation_end_date": last + timedelta(days=1),
    }
    return train, evaluation, windows


def _features(train: pl.DataFrame, definition: ModelDefinition) -> tuple[list[str], dict[str, list[str]]]:
    """The definition's features, or every numeric, boolean or text column of the feature set less keys,
    ids and as-of columns; a text column becomes a categorical feature with its training vocabulary."""
    label_columns = {definition.label_column, "label_as_of_at", "label_known_at", "label_horizon_end_date"}
    table = train.to_arrow()
    features, categories = [], {}
    for name in train.columns:
        if name in label_columns or name in _NOT_FEATURES or name.endswith("_id") or "__" in name:
            continue
        if definition.features is not None and name not in definition.features:
            continue
        kind = table.column(name).type
        if is_text(kind):
            categories[name] = vocabulary(table.column(name))
            features.append(name)
        elif is_numeric(kind):
            features.append(name)
    return features, categories


def _data_clock(frame: pl.DataFrame) -> datetime:
    """The data's clock: the latest as-of instant of a labelled row (never the wall clock)."""
    return frame.get_column("label_as_of_at").max()  # type: ignore[return-value]


def _rate_by(
    train: pl.DataFrame, evaluation: pl.DataFrame, keys: list[str], label: str, prior_weight: float = 20.0
) -> np.ndarray:
    """The training rate of ``label`` per key, shrunk towards the overall rate (the rate of unseen keys)."""
    overall = train.get_column(label).cast(pl.Float64).mean()
    rates = train.group_by(keys).agg(
        ((pl.col(label).cast(pl.Float64).sum() + prior_weight * overall) / (pl.len() + prior_weight)).alias(
            "rate"
        )
    )
    joined = evaluation.select(keys).with_row_index("_row").join(rates, on=keys, how="left").sort("_row")
    return joined.get_column("rate").fill_null(overall).to_numpy()


def _route_late_rate(
    con: duckdb.DuckDBPyConnection, train: pl.DataFrame, evaluation: pl.DataFrame, label: str
) -> tuple[np.ndarray, str]:
    return _rate_by(train, evaluation, ["route_id"], label), "late rate of the route in the training period"


def _age_band(years: pl.Expr) -> pl.Expr:
    return (
        pl.when(years < 3)
        .then(pl.lit("0-2"))
        .when(years < 6)
        .then(pl.lit("3-5"))
        .when(years < 10)
        .then(pl.lit("6-9"))
        .otherwise(pl.lit("10+"))
    )


def _vehicle_type_age_rate(
    con: duckdb.DuckDBPyConnection, train: pl.DataFrame, evaluation: pl.DataFrame, label: str
) -> tuple[np.ndarray, str]:
    types = con.sql("select vehicle_id, vehicle_type from main_marts.tbl_dim_vehicle where is_current").pl()

    def banded(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.join(types, on="vehicle_id", how="left").with_columns(
            _age_band(pl.col("vehicle_age_years")).alias("age_band")
        )

    scores = _rate_by(banded(train), banded(evaluation), ["vehicle_type", "age_band"], label)
    return scores, "breakdown rate of the vehicle type and age band in the training period"


def _hidden_causes_model(
    con: duckdb.DuckDBPyConnection, train: pl.DataFrame, evaluation: pl.DataFrame, definition: ModelDefinition
) -> tuple[np.ndarray, str]:
    causes = con.sql(
        "select shipment_id, weather_severity_at_pickup, congestion_index_at_pickup, wear_ratio, "
        "priority_effect, had_breakdown, breakdown_delay_min from main._truth_shipment_lateness"
    ).pl()
    with_causes = [frame.join(causes, on="shipment_id", how="left") for frame in (train, evaluation)]
    features, categories = _features(train, definition)
    features += [c for c in causes.columns if c != "shipment_id"]
    y = with_causes[0].get_column(definition.label_column).cast(pl.Int8).to_numpy()
    booster = fit(with_causes[0], features, categories, y, SEED, definition)
    return (
        booster.predict(matrix(with_causes[1], features, categories), num_threads=1),
        "LightGBM given the features and the generator's hidden causes (weather, congestion, wear, "
        "priority, breakdown)",
    )


def _true_hazard(
    con: duckdb.DuckDBPyConnection, train: pl.DataFrame, evaluation: pl.DataFrame, definition: ModelDefinition
) -> tuple[np.ndarray, str]:
    # A vehicle-day's label is as of the end of its feature_date (label_as_of_at = the next midnight).
    rows = evaluation.select(
        "vehicle_id", (pl.col("label_as_of_at").dt.date() - pl.duration(days=1)).alias("feature_date")
    ).with_row_index("_row")
    con.register("oracle_rows", rows)
    try:
        probability = con.sql(
            """
            select rows._row,
                   -- a day without a trip has no row: hazard 0
                   1 - exp(coalesce(sum(ln(1 - hazard.breakdown_hazard)), 0)) as p
            from oracle_rows as rows
            left join main._truth_vehicle_day_hazard as hazard
              on hazard.vehicle_id = rows.vehicle_id
             and hazard.hazard_date > rows.feature_date
             and hazard.hazard_date <= rows.feature_date + interval 14 day
            group by rows._row
            order by rows._row
            """
        ).pl()
    finally:
        con.unregister("oracle_rows")
    return (
        probability.get_column("p").to_numpy(),
        "the generator's true breakdown hazard of the planned trips of the next 14 days",
    )


# What drives a breakdown in the fleet: wear since the last service, usage, and the telemetry that
# precedes one (engine temperature, harsh events). Static attributes that single out a vehicle
# (odometer, age) are left out: with a few dozen breakdowns, trees on them memorise which vehicles
# broke down in training (measured: evaluation AUC 0.68 with them, 0.74 without, at SF 0.1).
BREAKDOWN_FEATURES = (
    "service_interval_used_ratio",
    "km_since_service",
    "days_since_service",
    "service_interval_km",
    "delivered_distance_km_30d",
    "deliveries_30d",
    "avg_engine_temp_c_7d",
    "engine_temp_trend_c",
    "harsh_event_rate_7d",
    "breakdowns_90d",
    "open_jobs_now",
    "moving_share_7d",
)

MODELS = (
    ModelDefinition(
        name="late_delivery_risk",
        label="late_delivery",
        label_column="label_is_late",
        entity_type="shipment",
        entity_key="shipment_id",
        feature_set="haul_segmentation",
        horizon_days=14,
        parameters={"learning_rate": 0.05, "num_leaves": 31, "min_data_in_leaf": 50, "lambda_l2": 1.0},
        rounds=250,
        features=None,
        baseline=_route_late_rate,
        oracle=_hidden_causes_model,
    ),
    ModelDefinition(
        name="breakdown_risk_14d",
        label="breakdown",
        label_column="label_breakdown_within_14d",
        entity_type="vehicle",
        entity_key="vehicle_id",
        feature_set="maintenance",
        horizon_days=14,
        # Few events (about one breakdown per vehicle-year): small trees, strong regularisation.
        parameters={"learning_rate": 0.05, "num_leaves": 4, "min_data_in_leaf": 200, "lambda_l2": 10.0},
        rounds=150,
        features=BREAKDOWN_FEATURES,
        baseline=_vehicle_type_age_rate,
        oracle=_true_hazard,
    ),
)
