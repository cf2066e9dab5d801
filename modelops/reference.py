"""Per-feature reference statistics of a training set, for drift monitoring.

Each numeric feature gets quantile bins (deciles of the training values, merged where values
tie) and the count of training rows in each, plus a bin for nulls: one row per (model, version,
feature, bin) in ``tbl_ml_model_reference_bins`` (documented in ``models/ml/registry/_ml_registry.yml``).
Monitoring computes PSI from it in SQL by counting current values into the same bins.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

REFERENCE_QUANTILES = 10


@dataclass(frozen=True)
class ReferenceBin:
    """Training rows of one feature in one bin: (lower_bound, upper_bound], or the null bin.

    ``lower_bound`` None means unbounded below, ``upper_bound`` None unbounded above.
    """

    feature_name: str
    bin_index: int
    bin_kind: str  # 'range' or 'null'
    lower_bound: float | None
    upper_bound: float | None
    reference_count: int
    reference_share: float


def feature_reference_bins(
    frame: pl.DataFrame, features: list[str], quantiles: int = REFERENCE_QUANTILES
) -> list[ReferenceBin]:
    """The reference bins of every feature in ``features`` over the rows of ``frame``."""
    total = frame.height
    bins: list[ReferenceBin] = []
    for name in features:
        # a missing value is NaN in an encoded matrix: it belongs in the null bin, not in the quantiles
        column = frame.get_column(name).cast(pl.Float64).fill_nan(None)
        values = column.drop_nulls().to_numpy()
        nulls = total - values.size
        inner = _inner_edges(values, quantiles)
        bounds = [None, *(float(e) for e in inner), None]
        counts = np.bincount(np.searchsorted(inner, values, side="left"), minlength=len(bounds) - 1)
        for i, count in enumerate(counts):
            bins.append(
                ReferenceBin(name, i, "range", bounds[i], bounds[i + 1], int(count), float(count / total))
            )
        bins.append(ReferenceBin(name, len(counts), "null", None, None, int(nulls), nulls / total))
    return bins


def _inner_edges(values: np.ndarray, quantiles: int) -> np.ndarray:
    """Upper edges of every bin but the last: observed values at the inner quantiles, deduplicated.

    The first bin is open below and the last open above, so any future value lands in a bin; an
    edge at the maximum is dropped, as it would leave the last bin empty by construction.
    """
    if values.size == 0:
        return np.empty(0)
    edges = np.unique(np.quantile(values, np.linspace(0, 1, quantiles + 1)[1:-1], method="inverted_cdf"))
    return edges[edges < values.max()]
