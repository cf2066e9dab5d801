"""Order-independent content hashes of relations, comparable across the two builds.

Both builds end up in DuckDB files: the DuckDB build's own file, and the emulator's (fakesnow keeps
the emulated Snowflake database as a DuckDB file). One DuckDB connection attaches both and, per
relation, computes a row count and a content hash over a canonical text of each row:

- columns matched by lower-cased name (Snowflake upper-cases unquoted identifiers), in name order;
  columns whose name starts with ``_run_`` (they depend on the run, not the data) are left out;
- integers as integers; any other number (DECIMAL, FLOAT, DOUBLE, or an integer on one side and a
  fraction on the other) as a DOUBLE rounded to ``FLOAT_DECIMALS`` = 6 decimal places;
- timestamps (with or without time zone) as UTC ``YYYY-MM-DD HH:MM:SS.ffffff``, dates ISO;
- booleans as true/false, NULL as ``\\N``, text as it is;
- row text = column texts joined with U+001F; content hash = sum of the 64-bit hashes of the row
  texts (order-independent, and duplicates count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb

FLOAT_DECIMALS = 6
RUN_PREFIX = "_run_"
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
