"""The alert rules: each one a query over the warehouse's monitoring views that returns what fires now.

A rule fires on data, never on a timer: it reads the views the build maintains
(``vw_data_freshness_monitoring``, ``vw_data_quality_sla`` ...) and returns one :class:`Firing` per
subject (a source, a model, a feature) with the evidence that made it fire. Registering a rule is
decorating its function with :func:`rule`; :data:`RULES` is the registry the engine evaluates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import duckdb

from monitoring.warehouse_views import has_relation, relation

CRITICAL = "critical"
WARNING = "warning"


@dataclass(frozen=True)
class Firing:
    """One subject a rule fires on now, with its evidence (column -> value)."""

    rule: str
    subject: str
    severity: str
    summary: str
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    """A named check over the warehouse with a severity and a description."""

    name: str
    severity: str
    description: str
    needs: tuple[str, ...]
    evaluate: Callable[[duckdb.DuckDBPyConnection], list[Firing]]


RULES: dict[str, Rule] = {}


def rule(name: str, severity: str, description: str, needs: tuple[str, ...]) -> Callable:
    """Register the decorated function as the rule ``name`` (it needs the relations ``needs``)."""

    def register(evaluate: Callable[[duckdb.DuckDBPyConnection], list[Firing]]) -> Callable:
        RULES[name] = Rule(name, severity, description, needs, evaluate)
        return evaluate

    return register


def _records(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any] | None = None) -> list[dict]:
    cursor = con.execute(sql, params or {})
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


# Thresholds of the quarantine-rate jump: the latest data day against the mean of the days before.
QUARANTINE_JUMP = {"baseline_days": 7, "min_increase_pct_points": 1.0, "min_ratio": 3.0, "min_rows": 20}


@rule(
    "freshness_sla",
    CRITICAL,
    "A source is stalled (behind the freshest source beyond var freshness_sla_hours), stale against "
    "the as-of instant beyond its error threshold, or never loaded.",
    needs=("vw_data_freshness_monitoring",),
)
def freshness_sla(con: duckdb.DuckDBPyConnection) -> list[Firing]:
    """Sources whose freshness status is stalled, stale or never_loaded."""
    rows = _records(con, f"""
        select source_name, freshness_status, hours_behind_freshest_source, hours_behind_as_of,
               freshness_sla_hours, error_after_hours, last_landed_at, freshest_landed_at
        from {relation(con, 'vw_data_freshness_monitoring')}
        where freshness_status in ('stalled', 'stale', 'never_loaded')
        order by source_name
    """)
    return [
        Firing(
            "freshness_sla", r["source_name"], CRITICAL,
            f"source {r['source_name']} is {r['freshness_status']}: "
            f"{r['hours_behind_freshest_source'] or 0:.1f} h behind the freshest source "
            f"(SLA {r['freshness_sla_hours']:.0f} h), "
            f"{r['hours_behind_as_of'] or 0:.1f} h behind the as-of instant",
            r,
        )
        for r in rows
    ]


@rule(
    "data_quality_below_target",
    CRITICAL,
    "On the latest data day, a model's test pass rate is below var dq_test_pass_target_pct or its "
    "quarantine rate above var dq_quarantine_max_pct.",
    needs=("vw_data_quality_sla",),
)
def data_quality_below_target(con: duckdb.DuckDBPyConnection) -> list[Firing]:
    """Models missing their data-quality SLA on the latest data day."""
    sla = relation(con, "vw_data_quality_sla")
    rows = _records(con, f"""
        select node_id, data_date, tests_run, tests_failed, tests_warned, test_pass_pct, test_pass_target_pct,
               rows_kept, rows_quarantined, quarantine_pct, quarantine_max_pct
        from {sla}
        where data_date = (select max(data_date) from {sla})
          and not is_sla_met
        order by node_id
    """)
    firings = []
    for r in rows:
        reasons = []
        if r["test_pass_pct"] is not None and r["test_pass_pct"] < r["test_pass_target_pct"]:
            reasons.append(f"{r['tests_failed']} of {r['tests_run']} tests failing")
        if r["quarantine_pct"] is not None and r["quarantine_pct"] > r["quarantine_max_pct"]:
            reasons.append(
                f"{r['quarantine_pct']:.2f}% of rows quarantined (max {r['quarantine_max_pct']:g}%)"
            )
        model = r["node_id"].split(".")[-1]
        firings.append(Firing(
            "data_quality_below_target", model, CRITICAL,
            f"{model} below its data-quality target on {r['data_date']}: {'; '.join(reasons)}", r,
        ))
    return firings


@rule(
    "quarantine_rate_jump",
    WARNING,
    "A model's quarantine rate on the latest data day jumped against the mean of the days before "
    "(QUARANTINE_JUMP: at least min_ratio times and min_increase_pct_points more).",
    needs=("vw_data_quality_sla",),
)
def quarantine_rate_jump(con: duckdb.DuckDBPyConnection) -> list[Firing]:
    """Models whose quarantine rate on the latest data day jumped against their recent baseline."""
    sla = relation(con, "vw_data_quality_sla")
    rows = _records(con, f"""
        with latest as (select max(data_date) as data_date from {sla}),
        days as (
            select node_id, data_date, rows_kept + rows_quarantined as rows_landed, rows_quarantined
            from {sla}
            where rows_kept + rows_quarantined > 0
        ),
        baseline as (
            select days.node_id,
                   100.0 * sum(days.rows_quarantined) / sum(days.rows_landed) as baseline_pct,
                   count(*) as baseline_days
            from days, latest
            where days.data_date < latest.data_date
              and days.data_date >= latest.data_date - $baseline_days
            group by days.node_id
        )
        select days.node_id, days.data_date, days.rows_landed, days.rows_quarantined,
               100.0 * days.rows_quarantined / days.rows_landed as latest_pct,
               baseline.baseline_pct, baseline.baseline_days
        from days
        join latest on days.data_date = latest.data_date
        join baseline on days.node_id = baseline.node_id
        where days.rows_landed >= $min_rows
          and 100.0 * days.rows_quarantined / days.rows_landed - baseline.baseline_pct >= $min_increase
          and 100.0 * days.rows_quarantined / days.rows_landed >= $min_ratio * baseline.baseline_pct
        order by days.node_id
    """, {
        "baseline_days": QUARANTINE_JUMP["baseline_days"],
        "min_rows": QUARANTINE_JUMP["min_rows"],
        "min_increase": QUARANTINE_JUMP["min_increase_pct_points"],
        "min_ratio": QUARANTINE_JUMP["min_ratio"],
    })
    return [
        Firing(
            "quarantine_rate_jump", r["node_id"].split(".")[-1], WARNING,
            f"{r['node_id'].split('.')[-1]} quarantined {r['latest_pct']:.2f}% of {r['rows_landed']} rows on "
            f"{r['data_date']}, against {r['baseline_pct']:.2f}% over the {r['baseline_days']} day(s) before",
            r,
        )
        for r in rows
    ]


def _drifted_features(con: duckdb.DuckDBPyConnection, for_models: bool) -> list[dict]:
    """Drifted features of the warehouse (``for_models`` False) or of the production models, with the
    window of the largest PSI."""
    return _records(con, f"""
        select monitored_for, model_version, feature_name, feature_set, window_name, psi, js_distance,
               ks_statistic, current_rows, reference_rows
        from {relation(con, 'vw_ml_feature_monitoring')}
        where feature_drift_status = 'drifted' and drift_status = 'drifted'
          and (monitored_for <> 'warehouse') = $for_models
        qualify row_number() over (partition by monitored_for, feature_name order by psi desc) = 1
        order by monitored_for, feature_name
    """, {"for_models": for_models})


@rule(
    "feature_drift",
    CRITICAL,
    "A monitored quantity of the warehouse drifted: its PSI in the judged window (var "
    "drift_status_window) reached var drift_psi_drifted against the reference window.",
    needs=("vw_ml_feature_monitoring",),
)
def feature_drift(con: duckdb.DuckDBPyConnection) -> list[Firing]:
    """Warehouse features whose drift status is drifted."""
    return [
        Firing(
            "feature_drift", r["feature_name"], CRITICAL,
            f"feature {r['feature_name']} ({r['feature_set']}) drifted over {r['window_name']}: "
            f"PSI {r['psi']:.3f}, JS {r['js_distance']:.3f} on {r['current_rows']} rows",
            r,
        )
        for r in _drifted_features(con, for_models=False)
    ]


@rule(
    "model_feature_drift",
    WARNING,
    "An input feature of a production model drifted from the version's training distribution: its "
    "PSI over its registered reference bins in the judged window reached var drift_psi_drifted. A "
    "warning: whether it hurts the model is the model_decay rule's question.",
    needs=("vw_ml_feature_monitoring",),
)
def model_feature_drift(con: duckdb.DuckDBPyConnection) -> list[Firing]:
    """Production models' input features whose drift status is drifted, as ``<model>:<feature>``."""
    return [
        Firing(
            "model_feature_drift", f"{r['monitored_for']}:{r['feature_name']}", WARNING,
            f"input {r['feature_name']} of {r['monitored_for']} v{r['model_version']} drifted from its "
            f"training distribution over {r['window_name']}: PSI {r['psi']:.3f}, JS {r['js_distance']:.3f} "
            f"on {r['current_rows']} rows",
            r,
        )
        for r in _drifted_features(con, for_models=True)
    ]


@rule(
    "model_decay",
    CRITICAL,
    "A production model is decaying: pooled over its last var model_decay_weeks matured out-of-sample "
    "weeks, its live ROC AUC fell var model_decay_roc_auc_drop below the registered one or its log loss "
    "rose var model_decay_log_loss_increase_pct percent above it.",
    needs=("vw_ml_model_decay",),
)
def model_decay(con: duckdb.DuckDBPyConnection) -> list[Firing]:
    """Production model versions whose decay status is decayed."""
    rows = _records(con, f"""
        select model_name, model_version, judged_weeks, first_judged_week_start_date,
               last_judged_week_start_date, labelled_rows, positives, live_roc_auc, registered_roc_auc,
               roc_auc_drop, live_log_loss, registered_log_loss, log_loss_increase_pct,
               mean_predicted, observed_rate
        from {relation(con, 'vw_ml_model_decay')}
        where decay_status = 'decayed'
        order by model_name
    """)
    return [
        Firing(
            "model_decay", r["model_name"], CRITICAL,
            f"model {r['model_name']} v{r['model_version']} is decaying over {r['judged_weeks']} matured "
            f"week(s) from {r['first_judged_week_start_date']}: ROC AUC {r['live_roc_auc']:.3f} "
            f"(registered {r['registered_roc_auc']:.3f}), log loss {r['live_log_loss']:.3f} "
            f"(registered {r['registered_log_loss']:.3f}) on {r['labelled_rows']} labelled rows",
            r,
        )
        for r in rows
    ]

def applicable(con: duckdb.DuckDBPyConnection) -> tuple[list[Rule], list[Rule]]:
    """(rules whose relations exist, rules skipped because a relation is not built)."""
    ready, skipped = [], []
    for r in RULES.values():
        (ready if all(has_relation(con, name) for name in r.needs) else skipped).append(r)
    return ready, skipped
