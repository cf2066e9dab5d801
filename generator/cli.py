"""Command line: parse and validate arguments, then call the library (``run.generate`` / ``run.sync``)."""

from __future__ import annotations

import argparse
import math
import sys
from datetime import date
from pathlib import Path

from .config import DEFAULT_END, DEFAULT_SCALE, DEFAULT_SEED, DEFAULT_START, Config, sizes_summary
from .db import GeneratorError, check_db, default_db_path
from .drift import DRIFTS, DriftError, parse_drift
from .schema import DEFAULT_SCHEMAS

EPILOG = """examples:
  python -m generator generate --scale 0.01 --seed 42 --db /tmp/x.duckdb
  python -m generator generate --scale 1 --dirty-rate 0.02 --parquet parquet_out
  python -m generator generate --start 2024-01-01 --end 2024-06-30 --schema azure_sql=raw_sql
  python -m generator sync --days 1
  python -m generator sync --days 7 --dirty-rate 0.05 --drift fuel_price=1.3 \
      --drift weather_severity:DE-NORTH=2
  python -m generator sync --list-drifts

The database defaults to $LOGISTICS_DB, else warehouse.duckdb at the repository root.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, no usage dump
        raise GeneratorError(message)


def _positive_float(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--scale {text!r} is not a number") from None
    if not math.isfinite(x) or x <= 0:
        raise argparse.ArgumentTypeError(f"--scale {text!r} must be a positive number")
    return x


def _rate(text: str) -> float:
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--dirty-rate {text!r} is not a number") from None
    if not (0.0 <= x <= 0.5):
        raise argparse.ArgumentTypeError(f"--dirty-rate {text!r} must be between 0 and 0.5")
    return x


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date {text!r} is not YYYY-MM-DD") from None


def _days(text: str) -> int:
    try:
        x = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--days {text!r} is not a whole number") from None
    if not 1 <= x <= 366:
        raise argparse.ArgumentTypeError(f"--days {text!r} must be between 1 and 366")
    return x


def _seed(text: str) -> int:
    try:
        x = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--seed {text!r} is not an integer") from None
    if not 0 <= x < 2**63:
        raise argparse.ArgumentTypeError(f"--seed {text!r} must be a non-negative integer")
    return x


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser (exposed for docs and tests)."""
    p = _Parser(
        prog="python -m generator",
        description="Generate and sync fake logistics landing data.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)
    common = _common_flags()
    _generate_flags(_command(sub, "generate", common, "the initial load (sync number 0)"))
    _sync_flags(_command(sub, "sync", common, "the next Fivetran sync"))
    return p


def _command(
    sub: argparse._SubParsersAction, name: str, common: argparse.ArgumentParser, summary: str
) -> _Parser:
    """A subcommand with the common flags and the examples."""
    return sub.add_parser(
        name,
        parents=[common],
        help=summary,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def _common_flags() -> _Parser:
    """Flags of both commands: the database, dirty data, the Parquet copy, quiet."""
    common = _Parser(add_help=False)
    common.add_argument(
        "--db",
        type=Path,
        default=None,
        help="DuckDB file (default: $LOGISTICS_DB or warehouse.duckdb at the repo root)",
    )
    common.add_argument(
        "--dirty-rate",
        type=_rate,
        default=0.0,
        metavar="R",
        help="fraction of new rows per table that get one defect (default 0)",
    )
    common.add_argument(
        "--parquet",
        type=Path,
        default=None,
        metavar="DIR",
        help="also write this run's rows as one Parquet file per table into DIR",
    )
    common.add_argument("--quiet", action="store_true", help="no progress bar")
    return common


def _generate_flags(g: argparse.ArgumentParser) -> None:
    """``generate``: the size, the seed, the calendar and the landing schemas."""
    g.add_argument(
        "--scale",
        type=_positive_float,
        default=DEFAULT_SCALE,
        metavar="S",
        help="scale factor: 1 ≈ 1M shipments, 10M pings (default %(default)s)",
    )
    g.add_argument("--seed", type=_seed, default=DEFAULT_SEED, help="random seed (default %(default)s)")
    g.add_argument("--start", type=_date, default=DEFAULT_START, help="first day (default %(default)s)")
    g.add_argument("--end", type=_date, default=DEFAULT_END, help="last day, the clock (default %(default)s)")
    g.add_argument(
        "--schema",
        "--schema-prefix",
        action="append",
        default=[],
        metavar="CONNECTOR=NAME",
        help=f"landing schema of a connector ({', '.join(DEFAULT_SCHEMAS)}); repeatable",
    )


def _sync_flags(s: argparse.ArgumentParser) -> None:
    """``sync``: the days to advance and the drifts to declare."""
    s.add_argument("--days", type=_days, default=1, help="days the clock advances (default 1)")
    s.add_argument(
        "--drift",
        action="append",
        default=[],
        metavar="NAME=FACTOR",
        help="shift a distribution from this sync on; repeatable (see --list-drifts)",
    )
    s.add_argument("--list-drifts", action="store_true", help="print the drift names and exit")


def _schemas(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        connector, sep, name = item.partition("=")
        if not sep or connector not in DEFAULT_SCHEMAS:
            raise GeneratorError(
                f"--schema {item!r}: expected CONNECTOR=NAME with CONNECTOR one of "
                f"{', '.join(DEFAULT_SCHEMAS)}"
            )
        if not name.isidentifier() or name.lower() == "main":
            raise GeneratorError(f"--schema {item!r}: {name!r} is not a valid schema name")
        out[connector] = name.lower()
    return out


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code (2 on a usage or input error)."""
    from .progress import RunProgress

    try:
        args = build_parser().parse_args(argv)
        if args.command == "sync" and args.list_drifts:
            for name, meaning in DRIFTS.items():
                print(f"{name:<28} {meaning}")
            return 0
        db = args.db or default_db_path()
        if args.command == "generate":
            if args.end < args.start:
                raise GeneratorError(f"--end {args.end} is before --start {args.start}")
            schemas = _schemas(args.schema)
            cfg = Config(seed=args.seed, scale=args.scale, start=args.start, end=args.end)
            check_db(db, need_state=False)
            from . import run

            with RunProgress(enabled=False if args.quiet else None) as progress:
                if progress.tty:
                    print(sizes_summary(cfg))
                result = run.generate(cfg, db, args.dirty_rate, args.parquet, schemas, progress)
            progress.summary(
                f"generate → {db} (sync 0, clock {_clock(result.clock)}, {result.defects} defects)"
            )
        else:
            from .drift import drift_regions

            for text in args.drift:
                parse_drift(text, drift_regions())
            check_db(db, need_state=True)
            from . import run

            with RunProgress(enabled=False if args.quiet else None) as progress:
                result = run.sync(db, args.days, args.dirty_rate, args.drift, args.parquet, progress)
            progress.summary(
                f"sync {result.sync_number} → {db} (clock {_clock(result.clock)}, {result.defects} defects)"
            )
        return 0
    except (GeneratorError, DriftError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except argparse.ArgumentTypeError as exc:  # pragma: no cover - argparse wraps these
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _clock(s: int) -> str:
    from .config import from_ts

    return from_ts(s).isoformat(sep=" ")
