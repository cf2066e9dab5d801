"""The ML feature store's training API: point-in-time training frames from the dbt feature tables.

``get_training_frame(label, feature_sets, start, end)`` joins each label event to the latest row of
each feature set that was complete strictly before the event's as-of instant (an ASOF JOIN), and
returns a polars DataFrame. The catalogue of labels and feature sets is in ``catalog``; the SQL,
compiled for DuckDB or Snowflake, in ``asof``.
"""

from featurestore.asof import training_sql
from featurestore.catalog import FEATURE_SETS, LABELS, FeatureSet, Label
from featurestore.training import TrainingFrameError, get_training_frame

__all__ = [
    "FEATURE_SETS",
    "LABELS",
    "FeatureSet",
    "Label",
    "TrainingFrameError",
    "get_training_frame",
    "training_sql",
]
