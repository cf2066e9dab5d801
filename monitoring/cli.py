"""``python -m monitoring {monitor,report}``: alerts over the warehouse's data, and its report page.

``monitor`` evaluates every alert rule, records the alerts (history across runs), prints those
firing, notifies (``--notify URL|FILE`` or ``$MONITOR_NOTIFY``) about alerts opened or resolved, and
exits 1 when a critical alert fires, 0 otherwise, 2 when it cannot run.
``report`` writes one self-contained HTML page (no network needed to open it).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from monitoring.engine import evaluate
from monitoring.notifier import NotifyError, notify
from monitoring.warehouse_views import MissingRelationError
from warehouse.preflight import PreflightError, ensure_unlocked
from warehouse.runtime import REPO_ROOT, warehouse_path

console = Console() if sys.stdout.isatty() else Console(width=140)


def monitor(notify_target: str | None) -> int:
    """Evaluate the rules, print the firing alerts, notify; 1 if a critical alert fires."""
    db = warehouse_path()
    if not db.exists():
        raise PreflightError(f"no warehouse at {db}; run `just demo` first")
    ensure_unlocked(db)
    result = evaluate(db, datetime.now(UTC).replace(tzinfo=None))
    opened = {a.alert_id for a in result.outcome.opened}
    table = Table(title=f"Alerts firing (data as of {result.data_as_of})")
    for column in ("severity", "rule", "subject", "new", "summary"):
        table.add_column(column)
    for alert in sorted(result.outcome.firing, key=lambda a: (a.severity != "critical", a.rule_name)):
        style = "red" if alert.severity == "critical" else "yellow"
        table.add_row(f"[{style}]{alert.severity}[/]", alert.rule_name, alert.subject,
                      "new" if alert.alert_id in opened else "", alert.summary)
    console.print(table)
    for alert in result.outcome.resolved:
        console.print(f"resolved: {alert.rule_name} {alert.subject}")
    console.print(
        f"{len(result.rules_evaluated)} rules evaluated"
        + (f", skipped (not built): {', '.join(result.rules_skipped)}" if result.rules_skipped else "")
        + f"; {len(result.outcome.firing)} firing, {len(result.outcome.critical)} critical, "
        f"{len(result.outcome.opened)} new, {len(result.outcome.resolved)} resolved"
    )
    if notify_target and notify(notify_target, result.outcome):
        console.print(f"notified {notify_target}")
    return 1 if result.outcome.critical else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the sub-command and run it."""
    parser = argparse.ArgumentParser(prog="python -m monitoring", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    mon = sub.add_parser("monitor", help="evaluate the alert rules; exit 1 on a critical alert")
    mon.add_argument("--notify", default=os.environ.get("MONITOR_NOTIFY"),
                     help="webhook URL or file to send new and resolved alerts to (default $MONITOR_NOTIFY)")
    rep = sub.add_parser("report", help="write the self-contained HTML report")
    rep.add_argument("--out", type=Path, default=REPO_ROOT / "report.html", help="HTML file to write")
    args = parser.parse_args(argv)
    try:
        if args.command == "monitor":
            return monitor(args.notify)
        from monitoring.report import write_report

        path = write_report(warehouse_path(), args.out)
        console.print(f"report written: {path}")
        return 0
    except (PreflightError, MissingRelationError, NotifyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except duckdb.Error as error:
        print(f"error: {warehouse_path()}: {str(error).splitlines()[0]}", file=sys.stderr)
        return 2
