"""Batch scoring: the production versions score every feature row they have not scored yet.

Each production version reads its feature table (``tbl_ml_haul_segmentation`` per shipment at
booking, ``tbl_ml_maintenance_features`` per vehicle-day), keeps the rows without a prediction of
that version, encodes them as in training (:mod:`modelops.encoding`) and appends the scores to the
``ml_registry.predictions`` landing table under a new ``scoring_batch`` number; the incremental
model ``tbl_ml_predictions`` picks that batch up. ``scored_at`` is the data's clock (the latest
feature instant of the table), so the same data scores to the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from featurestore.catalog import FEATURE_SETS
from modelops.encoding import feature_matrix
from modelops.registry import SCHEMA, list_versions, load
from modelops.training import MODELS, ModelDefinition

ML_SCHEMA = "main_ml"


@dataclass(frozen=True)
class ScoredBatch:
    """What one scoring run wrote for one production version."""

    model_name: str
    model_version: int
    rows: int
    scoring_batch: int


def _instants(definition: ModelDefinition) -> tuple[str, str]:
    """SQL of the feature date and the feature instant of a row of the model's feature table."""
    if definition.entity_type == "shipment":
        return "cast(features.feature_at as date)", "features.feature_at"
    return "features.feature_date", "cast(features.feature_date as timestamp) + interval 1 day"


def score_production(con: duckdb.DuckDBPyConnection, store: Path) -> list[ScoredBatch]:
    """Score the unscored feature rows of every production version; one new scoring batch."""
    batch = int(
        con.execute(f"select coalesce(max(scoring_batch), 0) + 1 from {SCHEMA}.predictions").fetchall()[0][0]
    )
    definitions = {d.name: d for d in MODELS}
    written = []
    for version in list_versions(con):
        if version.stage != "production" or version.spec.model_name not in definitions:
            continue
        definition = definitions[version.spec.model_name]
        relation = f"{ML_SCHEMA}.{FEATURE_SETS[definition.feature_set].relation}"
        feature_date, feature_at = _instants(definition)
        rows = con.sql(
            f"""
            select features.{definition.entity_key} as scored_entity_id,
                   {feature_date} as scored_feature_date,
                   {feature_at} as scored_feature_at,
                   features.*
            from {relation} as features
            where not exists (
                select 1 from {SCHEMA}.predictions as scored
                where scored.model_name = $name and scored.model_version = $version
                  and scored.entity_id = features.{definition.entity_key}
                  and scored.feature_date = {feature_date}
            )
            order by scored_entity_id, scored_feature_date
            """,
            params={"name": definition.name, "version": version.model_version},
        ).to_arrow_table()
        if rows.num_rows == 0:
            continue
        _, booster = load(con, store, definition.name, version.model_version)
        features = list(version.spec.feature_names)
        scores = booster.predict(
            feature_matrix(rows, features, version.spec.feature_categories), num_threads=1
        )
        clock = con.execute(f"select max({feature_at}) from {relation} as features").fetchall()[0][0]
        keys = rows.select(["scored_entity_id", "scored_feature_date", "scored_feature_at"])
        predictions = pl.from_arrow(keys).rename(lambda name: name.removeprefix("scored_")).with_columns(
            pl.lit(definition.name).alias("model_name"),
            pl.lit(version.model_version).alias("model_version"),
            pl.lit(definition.entity_type).alias("entity_type"),
            pl.Series("score", scores),
            pl.lit(clock).alias("scored_at"),
            pl.lit(batch).alias("scoring_batch"),
        )
        con.register("scored_batch", predictions)
        try:
            con.execute(f"insert into {SCHEMA}.predictions by name select * from scored_batch")
        finally:
            con.unregister("scored_batch")
        written.append(ScoredBatch(definition.name, version.model_version, rows.num_rows, batch))
    return written
