"""The alerts table keeps history: an alert firing again is the same alert until it resolved."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import duckdb

from monitoring.alerts import record
from monitoring.rules import Firing

T0 = datetime(2026, 1, 1, 6, 0)
STALLED = Firing("freshness_sla", "weather_api", "critical", "weather_api is stalled", {"hours": 24})
DIRTY = Firing("quarantine_rate_jump", "tbl_stg_shipments", "warning", "jump", {"pct": 5.0})
RULE_NAMES = ["freshness_sla", "quarantine_rate_jump"]


def _alerts(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select rule_name, subject, status, evaluations_firing, first_fired_at, resolved_at "
        "from monitoring.alerts order by first_fired_at, rule_name"
    ).fetchall()


def test_firing_again_updates_the_open_alert_and_resolution_allows_a_new_one(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "alerts.duckdb")) as con:
        first = record(con, [STALLED, DIRTY], RULE_NAMES, T0, None)
        assert len(first.opened) == 2 and len(first.critical) == 1
        again = record(con, [STALLED], RULE_NAMES, T0 + timedelta(hours=1), None)
        assert again.opened == [] and [a.subject for a in again.resolved] == ["tbl_stg_shipments"]
        assert len(again.firing) == 1
        quiet = record(con, [], RULE_NAMES, T0 + timedelta(hours=2), None)
        assert [a.subject for a in quiet.resolved] == ["weather_api"] and quiet.firing == []
        back = record(con, [STALLED], RULE_NAMES, T0 + timedelta(hours=3), None)
        assert [a.subject for a in back.opened] == ["weather_api"]
        assert _alerts(con) == [
            ("freshness_sla", "weather_api", "resolved", 2, T0, T0 + timedelta(hours=2)),
            ("quarantine_rate_jump", "tbl_stg_shipments", "resolved", 1, T0, T0 + timedelta(hours=1)),
            ("freshness_sla", "weather_api", "firing", 1, T0 + timedelta(hours=3), None),
        ]
        (evaluations,) = con.execute("select count(*) from monitoring.evaluations").fetchone()
        assert evaluations == 4


def test_a_rule_that_could_not_run_leaves_its_alerts_open(tmp_path: Path) -> None:
    with duckdb.connect(str(tmp_path / "alerts.duckdb")) as con:
        record(con, [STALLED], RULE_NAMES, T0, None)
        later = record(con, [], ["quarantine_rate_jump"], T0 + timedelta(hours=1), None, ["freshness_sla"])
        assert later.resolved == []
        assert _alerts(con)[0][2] == "firing"
