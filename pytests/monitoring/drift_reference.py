"""A Python reference of the feature-drift statistics (numpy and scipy), to check the SQL against.

The same definitions as models/ml/monitoring: reference bins from the reference window's deciles
(inverted CDF, rank ceil(k·n/10)), duplicates merged, an edge at the maximum dropped, values in
(lower, upper]; PSI with empty bins floored at 0.0001 (Evidently); Jensen-Shannon distance base 2;
the two-sample KS statistic.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.distance import jensenshannon
from scipy.stats import ks_2samp

EMPTY_BIN_SHARE = 0.0001


def decile_edges(reference: np.ndarray) -> np.ndarray:
    """Inner bin edges of a numeric feature from its reference values."""
    ordered = np.sort(reference)
    n = ordered.size
    edges = np.unique([ordered[(k * n + 9) // 10 - 1] for k in range(1, 10)])
    return edges[edges < ordered[-1]]


def shares(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Share of ``values`` in each bin (lower, upper] of ``edges``."""
    counts = np.bincount(np.searchsorted(edges, values, side="left"), minlength=edges.size + 1)
    return counts / values.size


def category_shares(reference: list[str], current: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Shares of every category seen in either sample."""
    categories = sorted(set(reference) | set(current))
    ref = np.array([reference.count(c) for c in categories]) / len(reference)
    cur = np.array([current.count(c) for c in categories]) / len(current)
    return ref, cur


def psi(reference_shares: np.ndarray, current_shares: np.ndarray) -> float:
    """Population stability index with Evidently's floor for empty bins."""
    ref = np.where(reference_shares == 0, EMPTY_BIN_SHARE, reference_shares)
    cur = np.where(current_shares == 0, EMPTY_BIN_SHARE, current_shares)
    return float(np.sum((ref - cur) * np.log(ref / cur)))


def js_distance(reference_shares: np.ndarray, current_shares: np.ndarray) -> float:
    """Jensen-Shannon distance, base 2 (0 = same distribution, 1 = disjoint)."""
    return float(jensenshannon(reference_shares, current_shares, base=2))


def ks_statistic(reference: np.ndarray, current: np.ndarray) -> float:
    """Two-sample Kolmogorov-Smirnov statistic D."""
    return float(ks_2samp(reference, current).statistic)
