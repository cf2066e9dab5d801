"""Snowflake hazard lint for DuckDB-dialect SQL, fail-closed.

Models are written in DuckDB SQL and deployed to Snowflake through sqlglot (``read="duckdb"`` ->
``write="snowflake"``), which transpiles many constructs silently even though their meaning differs
on Snowflake.  The lint parses the SQL and checks every node against an explicit registry of
constructs (:mod:`~parity_tests.lint.registry`, entries in :mod:`~parity_tests.lint.constructs`):
registered portable constructs pass, rules (:mod:`~parity_tests.lint.rules`) report the uses whose
meaning differs, and anything else is reported as unsupported or unverified.  The source scanner
(:mod:`~parity_tests.lint.scanner`) handles comments and ``/* portable:NAME reason */`` markers;
:mod:`~parity_tests.lint.coverage` measures how much of DuckDB's catalogue is classified.
"""

from parity_tests.lint.engine import LINT_REMEDY, Hazard, SqlParseError, find_hazards
from parity_tests.lint.rules import RULES, rule_table

__all__ = ["LINT_REMEDY", "RULES", "Hazard", "SqlParseError", "find_hazards", "rule_table"]
