"""What changed between two builds of the same data: models, schemas, rows and values.

Cheap first, exact after: every relation both builds have is compared by row count and
order-independent content hash (:func:`warehouse.runtime.compare`); only where the hash differs is
a value diff run, keyed by the model's unique key (its ``unique_key`` config, else the columns of a
``unique`` or ``unique_combination_of_columns`` test on it). Without a key the diff is of row
multisets. ``_run_*`` columns (they depend on the run, not the data) are never compared, nor are
models tagged ``describes_dbt`` (dbt's run history and graph differ between any two builds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from warehouse.runtime import compare
from warehouse.runtime.compare import RUN_PREFIX, describes_dbt, identical

SAMPLES = 3
TOP_K = 5
BINS = 10
_NUMERIC = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "DECIMAL", "DOUBLE", "FLOAT", "REAL")
_CATEGORICAL = ("VARCHAR", "BOOLEAN")
_DIFFED = ("model", "snapshot", "seed")
NOT_COMPARED = "not compared"


@dataclass
class ColumnDiff:
    """One column of a changed model: its share of matched rows with equal values, and its shift."""

    name: str
    matched_share: float
    kind: str  # numeric | categorical | other
    base_top: list[tuple[str, int]] = field(default_factory=list)
    head_top: list[tuple[str, int]] = field(default_factory=list)
    base_stats: dict[str, float | None] = field(default_factory=dict)
    head_stats: dict[str, float | None] = field(default_factory=dict)
    bin_edges: list[float] = field(default_factory=list)
    base_bins: list[int] = field(default_factory=list)
    head_bins: list[int] = field(default_factory=list)


@dataclass
class ModelDiff:
    """How one model differs between base and head."""

    name: str
    resource_type: str
    status: str  # added | removed | identical | changed | not compared (describes dbt)
    code_changed: bool = False
    base_rows: int | None = None
    head_rows: int | None = None
    key: list[str] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)
    columns_retyped: list[tuple[str, str, str]] = field(default_factory=list)
    only_base: int = 0
    only_head: int = 0
    changed_rows: int = 0
    matched_rows: int = 0
    columns: list[ColumnDiff] = field(default_factory=list)
    samples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _nodes(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Enabled models, snapshots and seeds by name."""
    return {
        node["name"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] in _DIFFED and node.get("config", {}).get("enabled", True)
    }


def unique_key(manifest: dict[str, Any], node: dict[str, Any]) -> list[str]:
    """The columns that identify a row of ``node``, from its config or its uniqueness tests."""
    configured = node.get("config", {}).get("unique_key")
    if configured:
        return [configured] if isinstance(configured, str) else list(configured)
    for test in manifest["nodes"].values():
        meta = test.get("test_metadata") or {}
        if test["resource_type"] != "test" or test.get("attached_node") != node["unique_id"]:
            continue
        if meta.get("name") == "unique_combination_of_columns":
            return list(meta["kwargs"]["combination_of_columns"])
    for test in manifest["nodes"].values():
        meta = test.get("test_metadata") or {}
        if test.get("attached_node") == node["unique_id"] and meta.get("name") == "unique":
            return [meta["kwargs"]["column_name"]]
    return []


def _relation(node: dict[str, Any], catalog: str) -> str:
    return f'{catalog}."{node["schema"]}"."{node.get("alias") or node["name"]}"'


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> dict[str, str]:
    """{lower-case column name: DuckDB type}, ``_run_*`` columns left out."""
    rows = con.execute(f"describe select * from {relation}").fetchall()
    return {name.lower(): dtype for name, dtype, *_ in rows if not name.lower().startswith(RUN_PREFIX)}


def _kind(dtype: str) -> str:
    upper = dtype.upper()
    if upper.startswith(_NUMERIC):
        return "numeric"
    if upper.startswith(_CATEGORICAL):
        return "categorical"
    return "other"


def diff_builds(
    base_db: Path, head_db: Path, base_manifest: dict[str, Any], head_manifest: dict[str, Any]
) -> list[ModelDiff]:
    """Every model, snapshot and seed of either manifest, compared between the two warehouses."""
    base_nodes, head_nodes = _nodes(base_manifest), _nodes(head_manifest)
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(f"attach '{base_db}' as base (read_only)")
    con.execute(f"attach '{head_db}' as head (read_only)")
    diffs = []
    try:
        for name in sorted(base_nodes.keys() | head_nodes.keys()):
            base, head = base_nodes.get(name), head_nodes.get(name)
            if describes_dbt(head or base):
                diffs.append(ModelDiff(name, (head or base)["resource_type"], NOT_COMPARED))
            elif base is None or head is None:
                node = head or base
                diffs.append(ModelDiff(name, node["resource_type"], "added" if base is None else "removed"))
            else:
                diffs.append(_diff_model(con, name, base, head, head_manifest))
    finally:
        con.close()
    return diffs


def _diff_model(
    con: duckdb.DuckDBPyConnection,
    name: str,
    base: dict[str, Any],
    head: dict[str, Any],
    head_manifest: dict[str, Any],
) -> ModelDiff:
    diff = ModelDiff(
        name,
        head["resource_type"],
        "identical",
        code_changed=base["checksum"]["checksum"] != head["checksum"]["checksum"],
    )
    left, right = _relation(base, "base"), _relation(head, "head")
    base_cols, head_cols = _columns(con, left), _columns(con, right)
    diff.columns_added = sorted(head_cols.keys() - base_cols.keys())
    diff.columns_removed = sorted(base_cols.keys() - head_cols.keys())
    common = sorted(base_cols.keys() & head_cols.keys())
    diff.columns_retyped = [(c, base_cols[c], head_cols[c]) for c in common if base_cols[c] != head_cols[c]]
    excluded = tuple(diff.columns_added + diff.columns_removed)
    # both builds are DuckDB files: an exact match of the raw values settles it without the canonical
    # text (any difference, even one compare() forgives, goes on to compare())
    hashed = (None if excluded else identical(con, name, left, right)) or compare(
        con, name, left, right, exclude=excluded
    )
    diff.base_rows, diff.head_rows = (
        con.execute(f"select count(*) from {rel}").fetchone()[0] for rel in (left, right)
    )
    if hashed.equal and not (diff.columns_added or diff.columns_removed or diff.columns_retyped):
        return diff
    diff.status = "changed"
    diff.key = [c.lower() for c in unique_key(head_manifest, head) if c.lower() in common]
    _value_diff(con, diff, left, right, common, base_cols, head_cols)
    return diff


def _value_diff(
    con: duckdb.DuckDBPyConnection,
    diff: ModelDiff,
    left: str,
    right: str,
    common: list[str],
    base_cols: dict[str, str],
    head_cols: dict[str, str],
) -> None:
    """Rows only in base, only in head and changed (by key), per-column matched share, samples."""

    def value(side: str, column: str) -> str:
        cast = base_cols[column] != head_cols[column]
        return f'cast({side}."{column}" as varchar)' if cast else f'{side}."{column}"'

    if not diff.key:
        for attr, first, second in (("only_base", left, right), ("only_head", right, left)):
            cols = ", ".join(f'cast("{c}" as varchar)' for c in common)
            query = f"select {cols} from {first} except all select {cols} from {second}"
            setattr(diff, attr, con.execute(f"select count(*) from ({query})").fetchone()[0])
            rows = con.execute(f"{query} limit {SAMPLES}").fetchall()
            diff.samples[attr] = [dict(zip(common, row, strict=True)) for row in rows]
        return
    values = [c for c in common if c not in diff.key]
    on = " and ".join(f'b."{k}" = h."{k}"' for k in diff.key)
    joined = (
        f"(select true as __in_base, * from {left}) b full outer join "
        f"(select true as __in_head, * from {right}) h on {on}"
    )
    equal = {c: f"({value('b', c)} is not distinct from {value('h', c)})" for c in values}
    all_equal = " and ".join(equal.values()) or "true"
    counts = con.execute(
        "select count(*) filter (where h.__in_head is null), count(*) filter (where b.__in_base is null), "
        "count(*) filter (where b.__in_base and h.__in_head), "
        f"count(*) filter (where b.__in_base and h.__in_head and not ({all_equal}))"
        + "".join(f", count(*) filter (where b.__in_base and h.__in_head and {eq})" for eq in equal.values())
        + f" from {joined}"
    ).fetchone()
    diff.only_base, diff.only_head, diff.matched_rows, diff.changed_rows = counts[:4]
    keys = ", ".join(f'coalesce(b."{k}", h."{k}") as "{k}"' for k in diff.key)
    for kind, where in (("only_base", "h.__in_head is null"), ("only_head", "b.__in_base is null")):
        query = f"select {keys} from {joined} where {where} order by all limit {SAMPLES}"
        rows = con.execute(query).fetchall()
        diff.samples[kind] = [dict(zip(diff.key, row, strict=True)) for row in rows]
    for column, matched in zip(values, counts[4:], strict=True):
        share = matched / diff.matched_rows if diff.matched_rows else 1.0
        if share < 1.0 or column in {c for c, *_ in diff.columns_retyped}:
            diff.columns.append(_column_shift(con, column, share, left, right, base_cols, head_cols))
    changed = [c.name for c in diff.columns][:4]
    if changed:
        picks = ", ".join(f'b."{c}" as "{c} (base)", h."{c}" as "{c} (head)"' for c in changed)
        query = (
            f"select {keys}, {picks} from {joined} where b.__in_base and h.__in_head "
            f"and not ({all_equal}) order by all limit {SAMPLES}"
        )
        cursor = con.execute(query)
        names = [d[0] for d in cursor.description]
        diff.samples["changed"] = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _column_shift(
    con: duckdb.DuckDBPyConnection,
    column: str,
    share: float,
    left: str,
    right: str,
    base_cols: dict[str, str],
    head_cols: dict[str, str],
) -> ColumnDiff:
    """Top values (categorical) or summary statistics and a common-edge histogram (numeric)."""
    kinds = {_kind(base_cols[column]), _kind(head_cols[column])}
    kind = kinds.pop() if len(kinds) == 1 else "other"
    shift = ColumnDiff(column, share, kind)
    col = f'"{column}"'
    if kind == "categorical":
        for rel, target in ((left, shift.base_top), (right, shift.head_top)):
            target.extend(
                con.execute(
                    f"select cast({col} as varchar), count(*) from {rel} "
                    f"group by 1 order by 2 desc, 1 limit {TOP_K}"
                ).fetchall()
            )
    elif kind == "numeric":
        stats = "count({c}), avg({c}), min({c}), median({c}), max({c})".format(c=f"cast({col} as double)")
        names = ("count", "mean", "min", "median", "max")
        for rel, target in ((left, shift.base_stats), (right, shift.head_stats)):
            target.update(zip(names, con.execute(f"select {stats} from {rel}").fetchone(), strict=True))
        present = [s for s in (shift.base_stats, shift.head_stats) if s["min"] is not None]
        low = min((s["min"] for s in present), default=None)
        high = max((s["max"] for s in present), default=None)
        if low is not None and high is not None and high > low:
            width = (high - low) / BINS
            shift.bin_edges = [low + i * width for i in range(BINS + 1)]
            for rel, target in ((left, shift.base_bins), (right, shift.head_bins)):
                counts = dict(
                    con.execute(
                        f"select least(cast(floor((cast({col} as double) - {low}) / {width}) as integer), "
                        f"{BINS - 1}), count(*) from {rel} where {col} is not null group by 1"
                    ).fetchall()
                )
                target.extend(counts.get(i, 0) for i in range(BINS))
    return shift
