"""One evaluation of every applicable rule over the warehouse, recorded in the alerts table."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from monitoring.alerts import Outcome, record
from monitoring.rules import Firing, applicable
from monitoring.warehouse_views import has_relation, relation


@dataclass
class Evaluation:
    """The outcome of one run, with the rules that ran and those skipped."""

    outcome: Outcome
    rules_evaluated: list[str]
    rules_skipped: list[str]
    data_as_of: datetime | None


def data_as_of(con: duckdb.DuckDBPyConnection) -> datetime | None:
    """The as-of instant of the warehouse's data (from the freshness view), None if not built."""
    if not has_relation(con, "vw_data_freshness_monitoring"):
        return None
    freshness = relation(con, "vw_data_freshness_monitoring")
    return con.execute(f"select max(as_of_at) from {freshness}").fetchone()[0]


def evaluate(db_path: Path, now: datetime) -> Evaluation:
    """Evaluate every rule whose relations exist on ``db_path`` and record the alerts at ``now``."""
    with duckdb.connect(str(db_path)) as con:
        con.execute("set TimeZone = 'UTC'")
        ready, skipped = applicable(con)
        firings: list[Firing] = []
        for r in ready:
            firings += r.evaluate(con)
        as_of = data_as_of(con)
        outcome = record(con, firings, [r.name for r in ready], now, as_of, [r.name for r in skipped])
    return Evaluation(outcome, [r.name for r in ready], [r.name for r in skipped], as_of)
