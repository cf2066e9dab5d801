"""Reference bins of an encoded training matrix: a missing value (NaN in the matrix) counts in the
null bin, and the deciles come from the values that are there."""

from __future__ import annotations

import numpy as np
import polars as pl

from modelops.reference import feature_reference_bins


def test_missing_values_of_an_encoded_matrix_fall_in_the_null_bin() -> None:
    values = np.arange(100, dtype=np.float64)
    values[:20] = np.nan  # as modelops.encoding writes a null
    bins = feature_reference_bins(pl.DataFrame({"x": values}), ["x"])
    null_bin = [b for b in bins if b.bin_kind == "null"]
    ranges = [b for b in bins if b.bin_kind == "range"]
    assert null_bin[0].reference_count == 20
    assert len(ranges) == 10 and sum(b.reference_count for b in ranges) == 80
    assert ranges[0].upper_bound == 27.0  # first decile of 20..99 (inverted CDF: the 8th of 80 values)
