"""How well a scorer predicts a binary label: discrimination, calibration and a reliability table.

Every scorer of a model version — the model itself, the naive baseline, the oracle and the
production version it challenges — is evaluated on the same evaluation rows with the same
functions (scikit-learn's metrics), so their figures compare.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

# Scores are clipped away from 0 and 1 before the log loss, so one confident miss is finite.
_EPSILON = 1e-6
RELIABILITY_BINS = 10
SCORERS = ("model", "baseline", "oracle", "production")


@dataclass(frozen=True)
class ReliabilityBin:
    """Rows whose score fell in (lower_bound, upper_bound]: how many, mean score, observed rate."""

    bin_index: int
    lower_bound: float
    upper_bound: float
    row_count: int
    mean_predicted: float
    observed_rate: float


@dataclass(frozen=True)
class Evaluation:
    """One scorer on the evaluation rows: its metrics and reliability table."""

    scorer: str
    description: str
    metrics: dict[str, float]
    reliability: tuple[ReliabilityBin, ...] = field(default=())
    compared_version: int | None = None


def binary_metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """ROC AUC, PR AUC (average precision), log loss, Brier score, rows and positives."""
    y = np.asarray(labels, dtype=np.int8)
    p = np.clip(np.asarray(scores, dtype=np.float64), _EPSILON, 1 - _EPSILON)
    if y.min() == y.max():
        raise ValueError(f"the evaluation rows hold one class only ({int(y[0])}): no AUC can be computed")
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "log_loss": float(log_loss(y, p, labels=[0, 1])),
        "brier_score": float(brier_score_loss(y, p)),
        "positive_rate": float(y.mean()),
        "rows": float(y.size),
    }


def reliability_table(
    labels: np.ndarray, scores: np.ndarray, bins: int = RELIABILITY_BINS
) -> tuple[ReliabilityBin, ...]:
    """Equal-count bins of the score (deciles by default): mean score beside the observed rate."""
    y = np.asarray(labels, dtype=np.float64)
    p = np.asarray(scores, dtype=np.float64)
    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)))
    # Bin i holds (edges[i], edges[i+1]]; the lowest score goes into the first bin.
    index = np.clip(np.searchsorted(edges, p, side="left") - 1, 0, len(edges) - 2)
    table = []
    for i in range(len(edges) - 1):
        in_bin = index == i
        if not in_bin.any():
            continue
        table.append(
            ReliabilityBin(
                bin_index=i,
                lower_bound=float(edges[i]),
                upper_bound=float(edges[i + 1]),
                row_count=int(in_bin.sum()),
                mean_predicted=float(p[in_bin].mean()),
                observed_rate=float(y[in_bin].mean()),
            )
        )
    return tuple(table)


def evaluate(
    scorer: str, description: str, labels: np.ndarray, scores: np.ndarray, compared_version: int | None = None
) -> Evaluation:
    """Metrics and reliability table of one scorer's ``scores`` against ``labels``."""
    if scorer not in SCORERS:
        raise ValueError(f"unknown scorer {scorer!r}; expected one of {', '.join(SCORERS)}")
    return Evaluation(
        scorer=scorer,
        description=description,
        metrics=binary_metrics(labels, scores),
        reliability=reliability_table(labels, scores),
        compared_version=compared_version,
    )


def beats(challenger: dict[str, float], incumbent: dict[str, float]) -> bool:
    """True when ``challenger`` has a strictly higher ROC AUC and a strictly lower log loss."""
    return challenger["roc_auc"] > incumbent["roc_auc"] and challenger["log_loss"] < incumbent["log_loss"]
