"""Command line front end of the Snowflake hazard lint.

Usage::

    python -m parity_tests.lint --sql 'select a / b from t'
    python -m parity_tests.lint target/compiled/**/*.sql
    python -m parity_tests.lint --db warehouse.duckdb target/compiled/**/*.sql
    python -m parity_tests.lint --list-rules
    python -m parity_tests.lint --list-constructs
    python -m parity_tests.lint --coverage [--show unclassified]

Prints one finding per line as ``path:line: construct — why``.  Exit status:
0 when clean, 1 when any hazard (or unsupported/unverified construct) was found,
2 when an input is missing or does not parse as DuckDB SQL (reported as a
one-line message on stderr).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from parity_tests.lint import SqlParseError, find_hazards, rule_table
from parity_tests.lint.coverage import CATEGORIES, catalogue_coverage, format_report
from parity_tests.lint.registry import registry
from parity_tests.lint.schema import load_schema

EXIT_CLEAN = 0
EXIT_HAZARDS = 1
EXIT_ERROR = 2


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m parity_tests.lint",
        description="Report DuckDB SQL constructs whose meaning changes when transpiled to Snowflake.",
    )
    parser.add_argument("files", nargs="*", help="DuckDB-dialect .sql files (compiled, no Jinja)")
    parser.add_argument(
        "--sql", action="append", default=[], metavar="SQL", help="lint this SQL text (repeatable)"
    )
    parser.add_argument(
        "--db",
        type=Path,
        metavar="DUCKDB_FILE",
        help="read column types from this DuckDB file (read-only), so hazards behind a column are seen",
    )
    parser.add_argument("--list-rules", action="store_true", help="print the rule names and exit")
    parser.add_argument(
        "--list-constructs", action="store_true", help="print the registry (key, status, doc) and exit"
    )
    parser.add_argument(
        "--coverage", action="store_true", help="classify DuckDB's function/operator/type catalogue and exit"
    )
    parser.add_argument("--show", choices=CATEGORIES, help="with --coverage: list the names of one category")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the lint CLI on ``argv`` (defaults to ``sys.argv[1:]``) and return the exit status."""
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help / bad usage
        return int(exc.code or 0)

    if args.list_rules:
        for construct, summary in rule_table():
            print(f"{construct}: {summary}")
        return EXIT_CLEAN
    if args.list_constructs:
        for entry in registry().entries:
            guards = f" [guards: {', '.join(entry.guards)}]" if entry.guards else ""
            print(f"{entry.label:<28} {entry.status:<11} {entry.key:<32} {entry.url}{guards}")
        return EXIT_CLEAN
    if args.coverage:
        print(format_report(catalogue_coverage(), args.show))
        return EXIT_CLEAN
    if not args.files and not args.sql:
        parser.print_usage(sys.stderr)
        print("lint: give --sql SQL or one or more .sql files", file=sys.stderr)
        return EXIT_ERROR

    schema = None
    if args.db is not None:
        try:
            schema = load_schema(args.db)
        except (duckdb.Error, OSError) as exc:
            print(f"{args.db}: cannot read the DuckDB catalogue: {str(exc).splitlines()[0]}", file=sys.stderr)
            return EXIT_ERROR
    inputs: list[tuple[str, str | None]] = [("<sql>", text) for text in args.sql]
    inputs += [(name, None) for name in args.files]

    status = EXIT_CLEAN
    for label, text in inputs:
        if text is None:
            try:
                text = Path(label).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
                print(f"{label}: cannot read file: {reason}", file=sys.stderr)
                status = EXIT_ERROR
                continue
        try:
            hazards = find_hazards(text, label, schema)
        except SqlParseError as exc:
            print(str(exc), file=sys.stderr)
            status = EXIT_ERROR
            continue
        for hazard in hazards:
            print(hazard.format())
        if hazards and status == EXIT_CLEAN:
            status = EXIT_HAZARDS
    return status


if __name__ == "__main__":
    sys.exit(main())
