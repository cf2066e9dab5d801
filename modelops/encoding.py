"""One encoding of feature values for the models, shared by training, batch and online scoring.

Numbers and booleans (as 0/1) become float64; a categorical (text) feature becomes the index of
its value in the vocabulary recorded with the model version (``feature_categories``), which
LightGBM reads as a categorical split; nulls and values outside the vocabulary become NaN, which
LightGBM routes down the branch it learned for missing values. Training and serving call the same
function, so a model never sees one encoding in training and another in production.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


def is_numeric(kind: pa.DataType) -> bool:
    """True for integers, floats, decimals and booleans: features used as numbers."""
    return (
        pa.types.is_integer(kind)
        or pa.types.is_floating(kind)
        or pa.types.is_decimal(kind)
        or pa.types.is_boolean(kind)
    )


def is_text(kind: pa.DataType) -> bool:
    """True for text columns: features used as categories."""
    return pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)


def vocabulary(column: pa.ChunkedArray) -> list[str]:
    """The sorted distinct non-null values of a text column: a category's code is its index here."""
    return sorted(v for v in pc.unique(column.combine_chunks()).to_pylist() if v is not None)


def feature_matrix(
    table: pa.Table, names: Sequence[str], categories: Mapping[str, Sequence[str]] | None = None
) -> np.ndarray:
    """The columns ``names`` of ``table`` as a float64 matrix (rows × features), nulls as NaN.

    A name in ``categories`` is coded by its vocabulary; any other must be numeric or boolean.
    """
    categories = categories or {}
    columns = []
    for name in names:
        column = table.column(name)
        if name in categories:
            codes = pc.index_in(
                column.combine_chunks(), value_set=pa.array(list(categories[name]), pa.string())
            )
            columns.append(pc.cast(codes, pa.float64()).to_numpy(zero_copy_only=False))
        elif is_numeric(column.type):
            columns.append(pc.cast(column, pa.float64()).combine_chunks().to_numpy(zero_copy_only=False))
        else:
            raise TypeError(
                f"feature {name} is {column.type}: neither a number, a boolean nor a known category"
            )
    if not columns:
        return np.empty((table.num_rows, 0))
    return np.column_stack(columns).astype(np.float64, copy=False)
