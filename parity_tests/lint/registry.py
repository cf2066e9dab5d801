"""The registry: every construct the lint knows, what it means on Snowflake, and on what evidence.

The lint is fail-closed.  Every node of the parsed DuckDB SQL is looked up here by its *key*:

* ``function:<Class>`` for a function sqlglot knows (``function:Length`` for ``len``/``length``),
  ``function:<name>`` for one it passes through by name (``function:isoyear``);
* ``operator:<Class>`` (``operator:Add``), ``clause:<Class>`` (``clause:Where``),
  ``type:<DType>`` (``type:INT``) and ``statement:<Class>`` for the statement at the root.

An entry is **portable** (same meaning after sqlglot's transpile, under its stated condition),
**hazard** (the meaning differs: the Snowflake behaviour and the portable rewrite are given, either
always or when one of its guard rules in :mod:`parity_tests.lint.rules` fires) or **unsupported**
(Snowflake has no counterpart).  A function missing from the registry whose Snowflake form calls a
function Snowflake does not have is unsupported; anything else missing is *unverified*.  Entries are
written in :mod:`parity_tests.lint.constructs`; each cites the Snowflake documentation it rests on and
carries a DuckDB example that the tests execute on DuckDB and transpile for Snowflake.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Literal

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError

from parity_tests.snowflake_functions import FUNCTIONS

Status = Literal["portable", "hazard", "unsupported"]
DOCS = "https://docs.snowflake.com/en/sql-reference/"

# The relation every example is evaluated against, on DuckDB (tests) and in the coverage report.
EXAMPLE_RELATION = (
    "(values (7, 2.5::double, 12.50::decimal(10, 2), 'Abc,de', date '2024-01-15', "
    "timestamp '2024-01-15 10:30:00', [3, 1, 2], true)) as t(i, d, n, s, dt, ts, l, b)"
)


@dataclass(frozen=True)
class Construct:
    """One registered construct.

    ``snowflake`` is the function sqlglot must emit for a function entry, as ``NAME(min-max)`` (``-``
    for an operator or keyword); ``guards`` name the rules that report its hazardous uses; ``why`` is
    what differs on Snowflake (hazard, unsupported) or the condition under which it is portable.
    """

    key: str
    label: str
    status: Status
    doc: str
    why: str
    example: str = ""
    snowflake: str = "-"
    guards: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        """The Snowflake documentation page this entry rests on."""
        return self.doc if self.doc.startswith("http") else DOCS + self.doc

    @property
    def snowflake_call(self) -> tuple[str, int, int] | None:
        """(function name, min arity, max arity) sqlglot must emit, or None for operators/keywords."""
        m = re.fullmatch(r"([A-Z_0-9$]+)\((\d+)(?:-(\d+))?\)", self.snowflake)
        if m is None:
            return None
        low = int(m.group(2))
        return m.group(1).lower(), low, int(m.group(3) or low)

    @property
    def always_flagged(self) -> bool:
        """True when every use is reported (unsupported, or a hazard no rule narrows down)."""
        return self.status == "unsupported" or (self.status == "hazard" and not self.guards)


def node_key(node: exp.Expression) -> str:
    """The registry key of one AST node (see the module docstring)."""
    if isinstance(node, exp.DataType):
        return f"type:{node.this.name}"
    if isinstance(node, exp.Anonymous):
        return f"function:{node.name.lower()}"
    if isinstance(node, (exp.Connector, exp.Binary, exp.Unary, exp.Predicate)) and not isinstance(
        node, exp.Func
    ):
        return f"operator:{type(node).__name__}"
    if isinstance(node, exp.Func):
        return f"function:{type(node).__name__}"
    return f"clause:{type(node).__name__}"


def statement_key(node: exp.Expression) -> str:
    """The registry key of a statement (the root node of one parsed statement)."""
    return f"statement:{type(node).__name__}"


def example_node(example: str) -> exp.Expression:
    """The construct an example shows: the outermost expression of its first select item."""
    tree = sqlglot.parse_one(f"select {example} from {EXAMPLE_RELATION}", read="duckdb")
    node = tree.selects[0]
    while isinstance(node, (exp.Alias, exp.Window, exp.IgnoreNulls, exp.RespectNulls, exp.Filter)):
        node = node.this
    return node


@contextmanager
def quiet_sqlglot() -> Iterator[None]:
    """Silence sqlglot's informational warnings (e.g. index-offset notes) inside the block."""
    logger = logging.getLogger("sqlglot")
    previous = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(previous)


def snowflake_sql(node: exp.Expression) -> str:
    """sqlglot's Snowflake rendering of ``node`` (unsupported constructs rendered as they are)."""
    with quiet_sqlglot():
        return node.sql(dialect="snowflake", unsupported_level=ErrorLevel.IGNORE)


_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_$]*)\s*\(")
_NOT_FUNCTIONS = {"select", "from", "table", "over", "as", "in", "and", "or", "not", "when", "then", "exists"}


def missing_snowflake_functions(node: exp.Expression) -> list[str]:
    """Functions that sqlglot's Snowflake form of ``node`` calls and Snowflake does not have."""
    try:
        text = snowflake_sql(node)
    except SqlglotError:
        return ["<no Snowflake form>"]
    masked = re.sub(r"'(?:[^']|'')*'", "''", text)
    called = {m.group(1).lower() for m in _CALL.finditer(masked)}
    return sorted(called - FUNCTIONS - _NOT_FUNCTIONS)


class Registry:
    """The constructs by key, built from the entries of :mod:`parity_tests.lint.constructs`."""

    def __init__(self, entries: list[Construct]) -> None:
        self.entries = entries
        self.by_key: dict[str, Construct] = {}
        for entry in entries:
            known = self.by_key.get(entry.key)
            if known is not None and known.always_flagged != entry.always_flagged:
                # one sqlglot node for both names: the lint cannot tell them apart
                raise ValueError(f"{entry.label} and {known.label} share {entry.key} but differ in verdict")
            self.by_key.setdefault(entry.key, entry)

    def lookup(self, key: str) -> Construct | None:
        """The entry registered under ``key``, if any."""
        return self.by_key.get(key)


@functools.cache
def registry() -> Registry:
    """The project's registry (built once; parsing the examples takes a fraction of a second)."""
    from parity_tests.lint.constructs import entries

    return Registry(entries())
