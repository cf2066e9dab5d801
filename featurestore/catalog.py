"""Labels and feature sets the training API knows: relation, keys and the instant a row is usable.

A label row carries ``label_as_of_at``, the instant a prediction is made. A feature row becomes
usable at ``available_at``: the end of its ``feature_date`` (the next midnight, UTC) for the daily
tables, the booking itself for ``tbl_ml_haul_segmentation`` (every value in it was known before the
booking, by construction). The ASOF JOIN takes, per label row and entity, the feature row with the
latest ``available_at`` at or before ``label_as_of_at``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Label:
    """A label model: its relation, the entity keys it carries and its label columns."""

    name: str
    relation: str
    keys: tuple[str, ...]
    label_columns: tuple[str, ...]


@dataclass(frozen=True)
class FeatureSet:
    """A feature table (or one entity type of it) joined on one entity key.

    ``key`` is the label's column; ``feature_key`` the feature table's column holding it;
    ``available_at`` a SQL expression over the feature table (alias ``features``);
    ``entity_type`` filters a table that holds several entity types.
    """

    name: str
    relation: str
    key: str
    feature_key: str
    available_at: str
    excluded_columns: tuple[str, ...]
    entity_type: str | None = None


END_OF_FEATURE_DATE = "cast(features.feature_date as timestamp) + interval '1 day'"

LABELS: dict[str, Label] = {
    label.name: label
    for label in (
        Label(
            name="late_delivery",
            relation="tbl_ml_label_late_delivery",
            keys=("shipment_id", "customer_id", "route_id"),
            label_columns=("label_is_late", "label_known_at"),
        ),
        Label(
            name="breakdown",
            relation="tbl_ml_label_breakdown",
            keys=("vehicle_id",),
            label_columns=("label_breakdown_within_14d", "label_horizon_end_date"),
        ),
    )
}

_ROLLING_EXCLUDED = ("entity_type", "entity_id", "feature_date")

FEATURE_SETS: dict[str, FeatureSet] = {
    feature_set.name: feature_set
    for feature_set in (
        FeatureSet(
            name="haul_segmentation",
            relation="tbl_ml_haul_segmentation",
            key="shipment_id",
            feature_key="shipment_id",
            available_at="features.feature_at",
            excluded_columns=("shipment_id", "feature_at", "customer_id", "route_id"),
        ),
        *(
            FeatureSet(
                name=f"{entity}_rolling",
                relation="tbl_ml_rolling_analytics",
                key=f"{entity}_id",
                feature_key="entity_id",
                available_at=END_OF_FEATURE_DATE,
                excluded_columns=_ROLLING_EXCLUDED,
                entity_type=entity,
            )
            for entity in ("customer", "route", "vehicle")
        ),
        FeatureSet(
            name="customer_behavior",
            relation="tbl_ml_customer_behavior_segments",
            key="customer_id",
            feature_key="customer_id",
            available_at=END_OF_FEATURE_DATE,
            excluded_columns=("customer_id", "feature_date"),
        ),
        FeatureSet(
            name="maintenance",
            relation="tbl_ml_maintenance_features",
            key="vehicle_id",
            feature_key="vehicle_id",
            available_at=END_OF_FEATURE_DATE,
            excluded_columns=("vehicle_id", "feature_date"),
        ),
    )
}
