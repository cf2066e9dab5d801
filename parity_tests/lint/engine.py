"""Walk parsed DuckDB SQL and report every construct that is not known to mean the same on Snowflake."""

from __future__ import annotations

import re
from dataclasses import dataclass

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError
from sqlglot.schema import MappingSchema

from parity_tests.lint.registry import (
    Construct,
    missing_snowflake_functions,
    node_key,
    quiet_sqlglot,
    registry,
    statement_key,
)
from parity_tests.lint.rules import DISPATCH
from parity_tests.lint.scanner import JINJA, TOKEN_REPR, Source, locate, portable_spans, scan
from parity_tests.lint.schema import annotate_columns

FIX_HINT = (
    "rewrite it with registered constructs (python -m parity_tests.lint --list-constructs), wrap a "
    "reviewed expression in /* portable:NAME reason */ ... /* /portable */, or register the construct "
    "in parity_tests/lint/constructs.py with its Snowflake documentation page and a DuckDB example"
)


LINT_REMEDY = (
    "hazard findings: each line says what differs on Snowflake and the portable rewrite. Apply it, or "
    "move the engine difference into an adapter.dispatch macro whose output is wrapped in "
    "/* portable:NAME reason */ ... /* /portable */ (the reason is required). 'unverified' means the lint "
    "does not know the construct yet: use a registered one (python -m parity_tests.lint "
    "--list-constructs) or register it in parity_tests/lint/constructs.py with its Snowflake "
    "documentation page and a DuckDB example (pytest pytests/lint checks the entry). Re-check one file "
    "with: just lint-snowflake target/compiled/logistics/models/<path>.sql"
)


@dataclass(frozen=True)
class Hazard:
    """One construct whose meaning differs between DuckDB and Snowflake, or is not verified."""

    path: str
    line: int
    construct: str
    why: str

    def format(self) -> str:
        """Render as ``path:line: construct — why`` (the CLI output format)."""
        return f"{self.path}:{self.line}: {self.construct} — {self.why}"


class SqlParseError(ValueError):
    """The SQL could not be parsed in the DuckDB dialect."""

    def __init__(self, path: str, line: int, message: str) -> None:
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: cannot parse as DuckDB SQL: {message}")


def _label(node: exp.Expression) -> str:
    if isinstance(node, exp.Anonymous):
        return f"{node.name.lower()}()"
    if isinstance(node, exp.DataType):
        return f"type {node.sql(dialect='duckdb')}"
    if isinstance(node, exp.Func):
        return f"{node.sql_name().lower()}()"
    return type(node).__name__


def _entry_finding(entry: Construct, node: exp.Expression) -> tuple[str, str]:
    if entry.status == "unsupported":
        return "unsupported", f"{_label(node)}: {entry.why} (see {entry.url})"
    return entry.label, f"{entry.why} (see {entry.url})"


def _unregistered_finding(node: exp.Expression, key: str) -> tuple[str, str]:
    if isinstance(node, exp.Func):
        missing = missing_snowflake_functions(node)
        if missing:
            return "unsupported", (
                f"{_label(node)} is DuckDB-only: sqlglot emits {', '.join(m.upper() for m in missing)}() "
                "for Snowflake, which has no such function — use a registered equivalent or a dispatch "
                "macro (parity_tests/lint/constructs.py lists the portable functions)"
            )
    return "unverified", f"{_label(node)} [{key}] is not known to mean the same on Snowflake — {FIX_HINT}"


def classify(node: exp.Expression, key: str | None = None) -> tuple[str, str] | None:
    """(construct, why) when ``node`` must be reported by the registry, None when it is portable."""
    key = key or node_key(node)
    entry = registry().lookup(key)
    if entry is None:
        return _unregistered_finding(node, key)
    return _entry_finding(entry, node) if entry.always_flagged else None


def _node_findings(node: exp.Expression, src: Source, is_root: bool) -> list[tuple[str, str]]:
    """The rule findings on ``node``, or the registry's verdict when no rule fired.

    The root of a statement is classified by its statement kind, so only its rules run here.
    """
    fired = []
    for check in DISPATCH.get(type(node), ()):
        why = check.check(node, src)
        if why is not None:
            fired.append((check.construct, why))
    if fired or is_root:
        return fired
    verdict = classify(node)
    return [verdict] if verdict else []


def _parse(sql: str, path: str, src: Source) -> list[exp.Expression | None]:
    jinja = JINJA.search(src.masked)
    if jinja is not None:
        raise SqlParseError(
            path, src.line(jinja.start()), "contains Jinja; lint the compiled SQL (target/compiled/...)"
        )
    try:
        return sqlglot.parse(sql, read="duckdb")
    except ParseError as err:
        first = err.errors[0] if err.errors else {}
        description = TOKEN_REPR.sub(r"'\1'", str(first.get("description") or err).splitlines()[0])
        raise SqlParseError(path, int(first.get("line") or 1), description) from None
    except SqlglotError as err:
        lines = str(err).splitlines() or ["unparseable SQL"]
        line_match = re.search(r"[Ll]ine (\d+)", str(err))
        raise SqlParseError(path, int(line_match.group(1)) if line_match else 1, lines[0]) from None


def find_hazards(sql: str, path: str = "<sql>", schema: MappingSchema | None = None) -> list[Hazard]:
    """Return the Snowflake hazards in DuckDB-dialect ``sql``, sorted by line.

    Fail-closed: every node must be a registered portable construct, or it is reported as a hazard
    (a rule fired, or the registry says it always differs), ``unsupported`` or ``unverified``.
    ``path`` only labels the findings; ``schema`` (:func:`parity_tests.lint.schema.load_schema`)
    gives the column types, so that hazards hidden behind a column are seen too.  Raises
    :class:`SqlParseError` when the text does not parse in sqlglot's DuckDB dialect (or still
    contains Jinja).  Nodes inside a
    ``/* portable:NAME reason */ ... /* /portable */`` span are exempt
    (:mod:`parity_tests.lint.scanner` has the exact contract).
    """
    masked, comments = scan(sql)
    src = Source(sql, masked)
    with quiet_sqlglot():
        statements = _parse(sql, path, src)
        spans, marker_problems = portable_spans(comments)
        found: set[Hazard] = {
            Hazard(path, src.line(offset), "portable-marker", message) for offset, message in marker_problems
        }
        regions = src.statement_regions(len(statements))
        for statement, region in zip(statements, regions, strict=True):
            if statement is None:
                continue
            if schema is not None:
                annotate_columns(statement, schema)
            kind = classify(statement, statement_key(statement))
            if kind is not None:
                start, _ = locate(statement, src, region)
                found.add(Hazard(path, src.line(start), *kind))
                if kind[0] == "unsupported":
                    continue  # the whole statement has no Snowflake form: its parts add nothing
            for node in statement.walk():
                for construct, why in _node_findings(node, src, node is statement):
                    start, end = locate(node, src, region)
                    if any(lo <= start and end < hi for lo, hi in spans):
                        continue
                    found.add(Hazard(path, src.line(start), construct, why))
    return sorted(found, key=lambda h: (h.line, h.construct, h.why))
