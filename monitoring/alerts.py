"""The alerts table: every firing alert with its evidence, its history kept across runs.

An alert is one (rule, subject) while it fires. An evaluation that finds it firing again updates
it (evidence, last evaluation) instead of opening a new one; an evaluation that no longer finds it
resolves it; only after that can the same rule and subject open a new alert. Tables live in the
schema ``monitoring`` of the warehouse file (outside dbt's schemas, so builds never drop them):
``monitoring.alerts`` and ``monitoring.evaluations`` (one row per ``just monitor``).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb

from monitoring.rules import CRITICAL, Firing

SCHEMA = "monitoring"

DDL = f"""
create schema if not exists {SCHEMA};
create table if not exists {SCHEMA}.alerts (
    alert_id varchar primary key,
    rule_name varchar not null,
    subject varchar not null,
    severity varchar not null,
    status varchar not null,
    summary varchar not null,
    evidence_json varchar not null,
    first_fired_at timestamp not null,
    last_evaluated_at timestamp not null,
    resolved_at timestamp,
    data_as_of_at timestamp,
    evaluations_firing integer not null
);
create table if not exists {SCHEMA}.evaluations (
    evaluation_id varchar primary key,
    evaluated_at timestamp not null,
    data_as_of_at timestamp,
    rules_evaluated integer not null,
    rules_skipped varchar not null,
    alerts_firing integer not null,
    alerts_opened integer not null,
    alerts_resolved integer not null,
    critical_firing integer not null
);
"""


@dataclass
class Alert:
    """One alert as stored."""

    alert_id: str
    rule_name: str
    subject: str
    severity: str
    status: str
    summary: str
    evidence: dict[str, Any]
    first_fired_at: datetime
    last_evaluated_at: datetime
    resolved_at: datetime | None = None


@dataclass
class Outcome:
    """What one evaluation changed."""

    firing: list[Alert] = field(default_factory=list)
    opened: list[Alert] = field(default_factory=list)
    resolved: list[Alert] = field(default_factory=list)

    @property
    def critical(self) -> list[Alert]:
        """Firing alerts of critical severity."""
        return [a for a in self.firing if a.severity == CRITICAL]


def _json(evidence: dict[str, Any]) -> str:
    return json.dumps(evidence, default=str, sort_keys=True)


def _alert_id(rule: str, subject: str, opened_at: datetime) -> str:
    return hashlib.sha256(f"{rule}|{subject}|{opened_at.isoformat()}".encode()).hexdigest()[:16]


def _open_alerts(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], Alert]:
    rows = con.execute(f"""
        select alert_id, rule_name, subject, severity, status, summary, evidence_json,
               first_fired_at, last_evaluated_at, resolved_at
        from {SCHEMA}.alerts where status = 'firing'
    """).fetchall()
    out = {}
    for r in rows:
        alert = Alert(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8], r[9])
        out[(alert.rule_name, alert.subject)] = alert
    return out


def _one_per_subject(firings: list[Firing]) -> list[Firing]:
    """One firing per (rule, subject), whatever a rule returned: the last one wins, first order kept."""
    return list({(f.rule, f.subject): f for f in reversed(firings)}.values())[::-1]


def _open(con: duckdb.DuckDBPyConnection, f: Firing, now: datetime, data_as_of: datetime | None) -> Alert:
    """Insert a new firing alert for ``f``."""
    alert = Alert(_alert_id(f.rule, f.subject, now), f.rule, f.subject, f.severity, "firing",
                  f.summary, f.evidence, now, now)
    con.execute(
        f"insert into {SCHEMA}.alerts values (?, ?, ?, ?, 'firing', ?, ?, ?, ?, null, ?, 1)",
        [alert.alert_id, f.rule, f.subject, f.severity, f.summary, _json(f.evidence), now, now, data_as_of],
    )
    return alert


def _refresh(con: duckdb.DuckDBPyConnection, alert: Alert, f: Firing, now: datetime,
             data_as_of: datetime | None) -> Alert:
    """An open alert fires again: refresh its evidence and count the evaluation."""
    alert.summary, alert.evidence, alert.last_evaluated_at = f.summary, f.evidence, now
    con.execute(
        f"update {SCHEMA}.alerts set summary = ?, evidence_json = ?, severity = ?, "
        "last_evaluated_at = ?, data_as_of_at = ?, evaluations_firing = evaluations_firing + 1 "
        "where alert_id = ?",
        [f.summary, _json(f.evidence), f.severity, now, data_as_of, alert.alert_id],
    )
    return alert


def _resolve(con: duckdb.DuckDBPyConnection, alert: Alert, now: datetime) -> Alert:
    """An open alert that no longer fires is resolved."""
    alert.status, alert.resolved_at = "resolved", now
    con.execute(
        f"update {SCHEMA}.alerts set status = 'resolved', resolved_at = ?, last_evaluated_at = ? "
        "where alert_id = ?",
        [now, now, alert.alert_id],
    )
    return alert


def _log_evaluation(con: duckdb.DuckDBPyConnection, outcome: Outcome, evaluated_rules: list[str],
                    skipped_rules: list[str], now: datetime, data_as_of: datetime | None) -> None:
    """One row in the evaluations table for this run."""
    con.execute(
        f"insert into {SCHEMA}.evaluations values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_alert_id("evaluation", "", now), now, data_as_of, len(evaluated_rules), ",".join(skipped_rules),
         len(outcome.firing), len(outcome.opened), len(outcome.resolved), len(outcome.critical)],
    )


def _apply(con: duckdb.DuckDBPyConnection, firings: list[Firing], evaluated_rules: list[str],
           now: datetime, data_as_of: datetime | None) -> Outcome:
    """Open, refresh and resolve alerts against the open ones; what changed."""
    outcome = Outcome()
    open_alerts = _open_alerts(con)
    for f in _one_per_subject(firings):
        existing = open_alerts.pop((f.rule, f.subject), None)
        if existing is None:
            alert = _open(con, f, now, data_as_of)
            outcome.opened.append(alert)
        else:
            alert = _refresh(con, existing, f, now, data_as_of)
        outcome.firing.append(alert)
    for (rule_name, _), alert in open_alerts.items():
        if rule_name in evaluated_rules:
            outcome.resolved.append(_resolve(con, alert, now))
    return outcome


def record(
    con: duckdb.DuckDBPyConnection,
    firings: list[Firing],
    evaluated_rules: list[str],
    now: datetime,
    data_as_of: datetime | None,
    skipped_rules: list[str] | None = None,
) -> Outcome:
    """Store one evaluation in one transaction: open new alerts, refresh those still firing, resolve the rest.

    Only alerts of ``evaluated_rules`` can resolve: a rule that could not run leaves its alerts open.
    """
    con.execute(DDL)
    con.execute("begin transaction")
    try:
        outcome = _apply(con, firings, evaluated_rules, now, data_as_of)
        _log_evaluation(con, outcome, evaluated_rules, skipped_rules or [], now, data_as_of)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return outcome
