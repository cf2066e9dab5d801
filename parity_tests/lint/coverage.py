"""How much of DuckDB's own catalogue the registry classifies (``just lint-snowflake --coverage``).

The surface is read from DuckDB itself: every name in ``duckdb_functions()`` (scalar, aggregate,
window, macro, table and pragma functions), the symbolic operators among them, and every type name
in ``duckdb_types()``.  Each is turned into a minimal DuckDB call, parsed by sqlglot and classified
the way the lint classifies it: *portable*, *hazard* (a guard rule or the entry reports the uses whose
meaning differs), *unsupported* (no Snowflake counterpart: the entry says so, or sqlglot's Snowflake
form calls a function Snowflake does not have) or *unclassified* (the lint reports it as unverified).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError

from parity_tests.lint.registry import missing_snowflake_functions, node_key, quiet_sqlglot, registry

CATEGORIES = ("portable", "hazard", "unsupported", "unclassified")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Classified:
    """One DuckDB catalogue name and its classification."""

    surface: str  # "function", "operator" or "type"
    name: str
    category: str
    key: str


def _verdict(node: exp.Expression) -> tuple[str, str]:
    key = node_key(node)
    entry = registry().lookup(key)
    if entry is not None:
        if entry.status == "unsupported":
            return "unsupported", key
        return ("hazard" if entry.status == "hazard" or entry.guards else "portable"), key
    if isinstance(node, exp.Func) and missing_snowflake_functions(node):
        return "unsupported", key
    return "unclassified", key


def _call(name: str, function_type: str, arity: int) -> str:
    args = ", ".join(f"a{i}" for i in range(arity))
    if function_type in ("table", "table_macro"):
        return f"select * from {name}({args})"
    return f"select {name}({args})"


def _function_node(tree: exp.Expression, function_type: str) -> exp.Expression | None:
    if function_type in ("table", "table_macro"):
        source = tree.args.get("from_") or tree.args.get("from")
        node = source.this if source is not None else None
        return node.this if isinstance(node, exp.Table) and isinstance(node.this, exp.Func) else node
    node = tree.selects[0] if tree.selects else None
    while isinstance(node, (exp.Alias, exp.Window, exp.IgnoreNulls, exp.RespectNulls)):
        node = node.this
    return node


def _functions(con: duckdb.DuckDBPyConnection) -> list[Classified]:
    rows = con.execute(
        "select function_name, any_value(function_type order by function_type), "
        "min(len(parameters)), bool_or(varargs is not null) "
        "from duckdb_functions() group by function_name order by function_name"
    ).fetchall()
    found = []
    for name, function_type, arity, varargs in rows:
        if not _WORD.fullmatch(name):
            found.append(_operator(name))
            continue
        if function_type == "pragma":
            found.append(Classified("function", name, "unsupported", "statement:Pragma"))
            continue
        try:
            tree = sqlglot.parse_one(_call(name, function_type, arity or int(bool(varargs))), read="duckdb")
            node = _function_node(tree, function_type)
        except SqlglotError:
            node = None
        if node is None:
            found.append(Classified("function", name, "unclassified", "<no sqlglot parse>"))
            continue
        category, key = _verdict(node)
        found.append(Classified("function", name, category, key))
    return found


def _operator(symbol: str) -> Classified:
    try:
        tree = sqlglot.parse_one(f"select a0 {symbol} a1", read="duckdb")
        node = tree.selects[0]
    except SqlglotError:
        return Classified("operator", symbol, "unclassified", "<no sqlglot parse>")
    category, key = _verdict(node)
    return Classified("operator", symbol, category, key)


def _types(con: duckdb.DuckDBPyConnection) -> list[Classified]:
    rows = con.execute("select distinct type_name from duckdb_types() order by 1").fetchall()
    names = [row[0] for row in rows]
    found = []
    for name in names:
        try:
            cast = sqlglot.parse_one(f"select cast(a0 as {name})", read="duckdb").selects[0]
            node = cast.args["to"] if isinstance(cast, exp.Cast) else None
        except (SqlglotError, KeyError):
            node = None
        if not isinstance(node, exp.DataType):
            found.append(Classified("type", name, "unclassified", "<no sqlglot parse>"))
            continue
        category, key = _verdict(node)
        found.append(Classified("type", name, category, key))
    return found


def catalogue_coverage() -> list[Classified]:
    """Every name of DuckDB's function, operator and type catalogue, classified."""
    with duckdb.connect() as con, quiet_sqlglot():
        return _functions(con) + _types(con)


def format_report(items: list[Classified], show: str | None = None) -> str:
    """A table of counts and percentages per surface; ``show`` lists the names of one category."""
    lines = [f"{'surface':<10}{'total':>7}" + "".join(f"{c:>14}" for c in CATEGORIES) + f"{'classified':>12}"]
    for surface in ("function", "operator", "type", "all"):
        group = [i for i in items if surface in ("all", i.surface)]
        counts = Counter(i.category for i in group)
        total = len(group) or 1
        cells = "".join(f"{counts[c]:>7} {100 * counts[c] / total:5.1f}%" for c in CATEGORIES)
        classified = 100 * (total - counts["unclassified"]) / total
        lines.append(f"{surface:<10}{len(group):>7}{cells}{classified:>11.1f}%")
    if show:
        names = [f"{i.surface}:{i.name}" for i in items if i.category == show]
        lines += ["", f"{show} ({len(names)}):", "  " + " ".join(names)]
    return "\n".join(lines)
