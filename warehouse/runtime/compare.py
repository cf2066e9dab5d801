"""Comparing relations: order-independent content hashes, and every dbt relation of two warehouses.

Two builds of the project (incremental vs full refresh, DuckDB vs the Snowflake emulator, which
keeps its database as a DuckDB file) are attached to one DuckDB connection and compared relation
by relation. :func:`compare` computes, per relation, a row count and a content hash over a
canonical text of each row:

- columns matched by lower-cased name (Snowflake upper-cases unquoted identifiers), in name order;
  columns whose name starts with ``_run_`` (they depend on the run, not the data) are left out;
- integers as integers; any other number (DECIMAL, FLOAT, DOUBLE, or an integer on one side and a
  fraction on the other) as a DOUBLE rounded to ``FLOAT_DECIMALS`` = 6 decimal places;
- timestamps (with or without time zone) as UTC ``YYYY-MM-DD HH:MM:SS.ffffff``, dates ISO;
- booleans as true/false, NULL as ``\\N``, text as it is;
- row text = column texts joined with U+001F; content hash = sum of the 64-bit hashes of the row
  texts (order-independent, and duplicates count).

:func:`identical` is the fast path for two files of the same engine (DuckDB's hash of the raw
values); :func:`compare_node` picks the right comparison for a dbt node (snapshots without their
wall-clock columns); :func:`compare_warehouses` compares every node of a manifest and reports stray
relations no node owns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

FLOAT_DECIMALS = 6
RUN_PREFIX = "_run_"
COMPARED_TYPES = ("model", "snapshot", "seed")
# Snapshot columns that depend on when the snapshot ran (deletion records are stamped with the wall
# clock), replaced by whether the version is current.
SNAPSHOT_CLOCK_COLUMNS = ("dbt_scd_id", "dbt_updated_at", "dbt_valid_from", "dbt_valid_to")
SNAPSHOT_DERIVED = {"dbt_is_current": "dbt_valid_to is null"}
SAMPLE_COLUMNS = 6
# Models tagged so hold rows about dbt itself (its run history, its graph): two builds of the same
# data differ there by design (invocation ids, timings, Snowflake-only nodes), so comparisons skip them.
DESCRIBES_DBT_TAG = "describes_dbt"
_INTEGER = re.compile(r"^U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)$")
_DECIMAL = re.compile(r"^DECIMAL\((\d+),\s*(\d+)\)$")
_FLOAT = re.compile(r"^(FLOAT|DOUBLE|REAL)$")


def _kind(duck_type: str) -> str:
    t = duck_type.upper()
    if _INTEGER.match(t):
        return "int"
    if m := _DECIMAL.match(t):
        return "int" if m.group(2) == "0" else "float"
    if _FLOAT.match(t):
        return "float"
    if t.startswith("TIMESTAMP"):
        return "timestamp"
    if t == "DATE":
        return "date"
    if t == "BOOLEAN":
        return "bool"
    return "text"


def _pair_kind(left: str, right: str) -> str:
    kinds = {_kind(left), _kind(right)}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds <= {"int", "float"}:
        return "float"
    if kinds <= {"timestamp", "date"}:
        return "timestamp"
    return "text"


def _canonical(column: str, kind: str) -> str:
    col = f'"{column}"'
    if kind == "int":
        text = f"cast(cast({col} as hugeint) as varchar)"
    elif kind == "float":
        text = f"printf('%.{FLOAT_DECIMALS}f', round(cast({col} as double), {FLOAT_DECIMALS}) + 0.0)"
    elif kind == "timestamp":
        text = f"strftime(cast({col} as timestamp), '%Y-%m-%d %H:%M:%S.%f')"
    else:
        text = f"cast({col} as varchar)"
    return f"coalesce({text}, '\\N')"


@dataclass
class Comparison:
    """The outcome of comparing one relation of the two builds."""

    name: str
    left_rows: int | None = None
    right_rows: int | None = None
    left_hash: int | None = None
    right_hash: int | None = None
    problems: list[str] = field(default_factory=list)
    left_only: list[dict[str, str]] = field(default_factory=list)
    right_only: list[dict[str, str]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    @property
    def equal(self) -> bool:
        """True when both sides hold the same rows (as multisets of canonical rows)."""
        return not self.problems and self.left_rows == self.right_rows and self.left_hash == self.right_hash


Columns = dict[str, tuple[str, str]]


def columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> Columns:
    """{lower-case name: (actual name, DuckDB type)} of a relation."""
    rows = con.execute(f"describe select * from {relation}").fetchall()
    return {name.lower(): (name, dtype) for name, dtype, *_ in rows}


def compare(
    con: duckdb.DuckDBPyConnection,
    name: str,
    left: str,
    right: str,
    exclude: tuple[str, ...] = (),
    derived: dict[str, str] | None = None,
    sample: int = 5,
) -> Comparison:
    """Compare relation ``left`` with ``right`` (both readable through ``con``).

    ``exclude`` drops columns (lower-case names) besides the ``_run_`` ones; ``derived`` adds
    computed columns {name: SQL expression over the relation's columns, evaluated on both sides}.
    """
    result = Comparison(name)
    try:
        left_cols = columns_of(con, left)
        right_cols = columns_of(con, right)
    except duckdb.Error as err:
        result.problems.append(f"cannot read: {str(err).splitlines()[0]}")
        return result
    skip = set(exclude)
    left_names = {c for c in left_cols if not c.startswith(RUN_PREFIX) and c not in skip}
    right_names = {c for c in right_cols if not c.startswith(RUN_PREFIX) and c not in skip}
    if left_names != right_names:
        result.problems.append(
            f"columns differ: only in DuckDB {sorted(left_names - right_names)}, "
            f"only in Snowflake {sorted(right_names - left_names)}"
        )
        return result
    names = sorted(left_names)
    result.columns = names + sorted(derived or {})

    def canonical_select(relation: str, cols: Columns, other: Columns) -> str:
        parts = [_canonical(cols[n][0], _pair_kind(cols[n][1], other[n][1])) + f' as "{n}"' for n in names]
        parts += [
            f"coalesce(cast(({expr}) as varchar), '\\N') as \"{n}\"" for n, expr in (derived or {}).items()
        ]
        return f"select {', '.join(parts)} from {relation}"

    left_sql = canonical_select(left, left_cols, right_cols)
    right_sql = canonical_select(right, right_cols, left_cols)
    row_text = " || chr(31) || ".join(f'"{n}"' for n in result.columns) or "''"
    stats = (
        "select count(*), coalesce(sum(cast(hash({row}) as hugeint)), 0) from ({sql})"
    )
    try:
        result.left_rows, result.left_hash = con.execute(stats.format(row=row_text, sql=left_sql)).fetchone()
        result.right_rows, result.right_hash = con.execute(
            stats.format(row=row_text, sql=right_sql)
        ).fetchone()
    except duckdb.Error as err:
        result.problems.append(f"cannot hash: {str(err).splitlines()[0]}")
        return result
    if not result.equal:
        sides = ((result.left_only, left_sql, right_sql), (result.right_only, right_sql, left_sql))
        for target, first, second in sides:
            rows = con.execute(f"select * from (({first}) except all ({second})) limit {sample}").fetchall()
            target.extend(dict(zip(result.columns, row, strict=True)) for row in rows)
    return result


def identical(con: duckdb.DuckDBPyConnection, name: str, left: str, right: str) -> Comparison | None:
    """A passed comparison when both relations hold exactly the same rows, else None.

    A fast path before :func:`compare` for two files of the same engine: DuckDB's own hash of the
    raw values (``_run_`` columns left out), no canonical text. Only an exact match passes here;
    any difference, even one that the canonical comparison forgives (floating-point noise below
    6 decimals), goes to :func:`compare`.
    """
    try:
        left_cols, right_cols = columns_of(con, left), columns_of(con, right)
    except duckdb.Error:
        return None
    names = sorted(c for c in left_cols if not c.startswith(RUN_PREFIX))
    if names != sorted(c for c in right_cols if not c.startswith(RUN_PREFIX)) or not names:
        return None
    row = ", ".join(f'"{left_cols[n][0]}"' for n in names)
    stats = "select count(*), coalesce(sum(cast(hash({row}) as hugeint)), 0) from {relation}"
    left_stats = con.execute(stats.format(row=row, relation=left)).fetchone()
    right_stats = con.execute(stats.format(row=row, relation=right)).fetchone()
    if left_stats != right_stats:
        return None
    rows, digest = left_stats
    return Comparison(name, rows, rows, digest, digest, columns=names)


def compare_node(
    con: duckdb.DuckDBPyConnection,
    unique_id: str,
    resource_type: str,
    left: str,
    right: str,
    same_engine: bool = False,
) -> Comparison:
    """Compare two builds of one dbt node: snapshots without their wall-clock columns.

    ``same_engine`` (both relations written by DuckDB) tries :func:`identical` first.
    """
    if resource_type == "snapshot":
        return compare(con, unique_id, left, right, SNAPSHOT_CLOCK_COLUMNS, SNAPSHOT_DERIVED)
    if same_engine and (exact := identical(con, unique_id, left, right)) is not None:
        return exact
    return compare(con, unique_id, left, right)


def relation_name(node: dict[str, Any], catalog: str) -> str:
    """The quoted ``catalog.schema.name`` of a manifest node."""
    return f'"{catalog}"."{node["schema"]}"."{node.get("alias") or node["name"]}"'


def describes_dbt(node: dict[str, Any]) -> bool:
    """True for a manifest node whose rows describe dbt runs or dbt's graph (tag ``describes_dbt``)."""
    return DESCRIBES_DBT_TAG in (node.get("tags") or node.get("config", {}).get("tags") or [])


def compared_nodes(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The enabled model, snapshot and seed nodes of a manifest that have a relation (not ephemeral)."""
    return {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in COMPARED_TYPES
        and node["config"].get("enabled", True)
        and node["config"].get("materialized") != "ephemeral"
    }


REGISTRY_SOURCE_PREFIX = "source.logistics.ml_registry."


def registry_readers(manifest: dict[str, Any]) -> set[str]:
    """Every model built over the model registry's records (the ``ml_registry`` sources), directly or not.

    They are empty until a model is trained: a comparison of two builds that trained and scored
    must see rows in each of them, or it compared nothing.
    """
    children = manifest["child_map"]
    pending = [uid for uid in children if uid.startswith(REGISTRY_SOURCE_PREFIX)]
    readers: set[str] = set()
    while pending:
        for child in children.get(pending.pop(), []):
            if child.startswith("model.") and child not in readers:
                readers.add(child)
                pending.append(child)
    return readers


def empty_registry_readers(comparisons: list[Comparison], manifest: dict[str, Any]) -> list[str]:
    """The registry readers compared with no rows on a side (or not compared at all), one line each."""
    readers = registry_readers(manifest)
    found = {c.name: c for c in comparisons if c.name in readers}
    lines = [f"{uid}: not compared" for uid in sorted(readers - set(found))]
    lines += [
        f"{uid}: compared empty ({c.left_rows} vs {c.right_rows} rows) after a model was trained and scored"
        for uid, c in sorted(found.items())
        if not c.left_rows or not c.right_rows
    ]
    return lines


def _dbt_relations(con: duckdb.DuckDBPyConnection, catalog: str) -> set[tuple[str, str]]:
    """(schema, name) of every table and view in the dbt schemas (``main_*``) of ``catalog``."""
    rows = con.execute(
        "select schema_name, table_name from duckdb_tables() where database_name = ? "
        "union all select schema_name, view_name from duckdb_views() "
        "where database_name = ? and not internal",
        [catalog, catalog],
    ).fetchall()
    return {(schema, name) for schema, name in rows if schema.startswith("main_")}


def compare_warehouses(left: Path, right: Path, manifest: dict[str, Any]) -> list[Comparison]:
    """Compare every model, snapshot and seed relation of two DuckDB warehouses built by one project.

    The nodes come from ``manifest``. A relation in a dbt schema of either file that no node owns
    (a ``__dbt_tmp`` or ``__dbt_backup`` left by a crash) is a comparison with a problem.
    """
    nodes = compared_nodes(manifest)
    con = duckdb.connect(str(left), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{right}' as other (read_only)")
        catalog = con.execute("select current_database()").fetchone()[0]
        comparisons = [
            compare_node(
                con, uid, node["resource_type"], relation_name(node, catalog), relation_name(node, "other"),
                same_engine=True,
            )
            for uid, node in sorted(nodes.items())
            if not describes_dbt(node)
        ]
        owned = {(node["schema"], node.get("alias") or node["name"]) for node in nodes.values()}
        for side, cat in (("left", catalog), ("right", "other")):
            for schema, name in sorted(_dbt_relations(con, cat) - owned):
                comparisons.append(Comparison(f"{schema}.{name}", problems=[f"stray relation ({side})"]))
        return comparisons
    finally:
        con.close()


def describe(comparison: Comparison) -> str:
    """One line saying how two versions of a relation differ."""
    if comparison.problems:
        return f"{comparison.name}: {'; '.join(comparison.problems)}"
    side, rows = (
        ("only left", comparison.left_only) if comparison.left_only else ("only right", comparison.right_only)
    )
    sample = ", ".join(f"{k}={v}" for k, v in list(rows[0].items())[:SAMPLE_COLUMNS]) if rows else "none"
    return (
        f"{comparison.name}: rows {comparison.left_rows} vs {comparison.right_rows}, "
        f"content hash differs; e.g. {side}: {sample}, …"
    )
