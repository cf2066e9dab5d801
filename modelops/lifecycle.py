"""What ``just train`` and ``just score`` write, for a caller that builds the warehouse itself.

The parity run trains and scores inside its own build sequence: it needs the registry's records and
the batch scores in the warehouse's ``ml_registry`` landing tables, not the CLI's extra dbt builds
of the registry models or its online-store export (its next build reads the records, like any
landing data). The same from a shell: ``python -m modelops train|score --records-only``.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from modelops.scoring import ScoredBatch, score_production
from modelops.store import model_store_dir
from modelops.training import EVALUATION_DAYS, SEED, TrainingOutcome, train_all


def train_and_score(
    db: Path, seed: int = SEED, evaluation_days: int = EVALUATION_DAYS
) -> tuple[list[TrainingOutcome], list[ScoredBatch]]:
    """Train, register and promote both models on the built warehouse ``db``, then score every feature row
    (``evaluation_days``: see ``modelops.training.train_all``)."""
    with duckdb.connect(str(db)) as con:
        outcomes = train_all(con, model_store_dir(db), seed, evaluation_days)
        batches = score_production(con, model_store_dir(db))
    return outcomes, batches

