"""What ``just train`` and ``just score`` write, for a caller that builds the warehouse itself.

The reliability drill and the parity run train and score inside their own build sequence: they need
the registry's records and the batch scores in the warehouse's ``ml_registry`` landing tables, not
the CLI's extra dbt builds of the registry models or its online-store export (their next build reads
the records, like any landing data).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from modelops.scoring import ScoredBatch, score_production
from modelops.store import model_store_dir
from modelops.training import SEED, TrainingOutcome, train_all


def train_and_score(db: Path, seed: int = SEED) -> tuple[list[TrainingOutcome], list[ScoredBatch]]:
    """Train, register and promote both models on the built warehouse ``db``, then score every feature row."""
    with duckdb.connect(str(db)) as con:
        outcomes = train_all(con, model_store_dir(db), seed)
        batches = score_production(con, model_store_dir(db))
    return outcomes, batches


def score_new_rows(db: Path) -> list[ScoredBatch]:
    """Score the feature rows of ``db`` that the production versions have not scored yet."""
    with duckdb.connect(str(db)) as con:
        return score_production(con, model_store_dir(db))
