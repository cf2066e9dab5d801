"""``just report``: one self-contained static HTML page over the warehouse (no network needed to open it).

Sections: headline KPIs and KPIs over time (calendar windows), freshness per source, data quality
(tests per layer, models missing their SLA), quarantine by reason, sustainability, and the alerts
firing. Charts are inline SVG (:mod:`monitoring.svg`); a few lines of inline script stamp each
chart with its rendered size, so a browser test can tell a drawn chart from an empty one.
"""

from __future__ import annotations

from datetime import date
from html import escape
from pathlib import Path
from typing import Any

import duckdb

from monitoring import svg
from monitoring.warehouse_views import has_relation, relation

STYLE = """
body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
h1 { margin-bottom: 0; } .sub { color: #666; margin-top: 4px; }
section { border-top: 1px solid #ddd; margin-top: 24px; padding-top: 8px; }
.tiles { display: flex; flex-wrap: wrap; gap: 12px; }
.tile { background: #f5f7fa; border-radius: 6px; padding: 10px 14px; min-width: 150px; }
.tile b { display: block; font-size: 20px; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
td, th { border-bottom: 1px solid #eee; padding: 4px 10px; text-align: left; }
.critical { color: #b00020; font-weight: bold; } .warning { color: #b36b00; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
figure { margin: 8px 0; } figcaption { font-size: 13px; font-weight: 600; margin-bottom: 4px; }
"""

# Stamps each chart with its rendered width and the number of marks drawn (read by the browser test).
SCRIPT = """
document.querySelectorAll('svg.chart').forEach(function (chart) {
  var box = chart.getBoundingClientRect();
  chart.setAttribute('data-rendered-width', Math.round(box.width));
  chart.setAttribute('data-marks', chart.querySelectorAll('.mark').length);
});
document.body.setAttribute('data-rendered', 'yes');
"""

SECTIONS = ("kpis", "freshness", "data-quality", "quarantine", "sustainability", "models", "drift", "alerts")


def _rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r, strict=True)) for r in cursor.fetchall()]


def _table(rows: list[dict[str, Any]], columns: list[str], empty_text: str) -> str:
    if not rows:
        return f"<p>{escape(empty_text)}</p>"
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for r in rows:
        cells = []
        for c in columns:
            v = r.get(c)
            text = f"{v:,.2f}" if isinstance(v, float) else ("" if v is None else str(v))
            css = f' class="{escape(str(v))}"' if c in ("severity", "status") else ""
            cells.append(f"<td{css}>{escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    return f"<table><tr>{head}</tr>{''.join(body)}</table>"


def _section(anchor: str, title: str, content: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{content}</section>'


def kpi_section(con: duckdb.DuckDBPyConnection) -> str:
    """Headline tiles of the as-of day and 120 days of calendar-window KPIs."""
    dashboard = relation(con, "vw_consolidated_dashboard")
    days = _rows(con, f"""
        select date_day, shipments_delivered_7d / 7.0 as delivered_per_day_7d, on_time_pct_28d,
               revenue_usd_28d, profit_usd_28d, co2_kg_per_km_28d, shipments_delivered_ytd, revenue_usd_ytd
        from {dashboard}
        where date_day > (select max(date_day) from {dashboard}) - 120
        order by date_day
    """)
    if not days:
        return _section("kpis", "KPIs over time", svg.empty("kpi-deliveries", "Deliveries"))
    last = days[-1]
    tiles = [
        ("Delivered year-to-date", f"{last['shipments_delivered_ytd']:,}"),
        ("Revenue year-to-date", f"${float(last['revenue_usd_ytd']):,.0f}"),
        ("On-time, last 28 days", f"{(last['on_time_pct_28d'] or 0):.1f}%"),
        ("Revenue, last 28 days", f"${float(last['revenue_usd_28d']):,.0f}"),
        ("CO2 per km, last 28 days", f"{(last['co2_kg_per_km_28d'] or 0):.3f} kg"),
    ]
    labels = [str(d["date_day"]) for d in days]
    charts = [
        svg.line_chart("kpi-deliveries", "Shipments delivered per day (7-day calendar mean)", labels,
                       {"delivered / day": [float(d["delivered_per_day_7d"]) for d in days]}),
        svg.line_chart("kpi-on-time", "On-time delivery % (28 calendar days)", labels,
                       {"on-time %": [d["on_time_pct_28d"] for d in days]}),
        svg.line_chart("kpi-revenue", "Revenue and profit, USD (28 calendar days)", labels,
                       {"revenue": [float(d["revenue_usd_28d"]) for d in days],
                        "profit": [float(d["profit_usd_28d"]) for d in days]}),
    ]
    tile_html = "".join(f'<div class="tile">{escape(k)}<b>{escape(v)}</b></div>' for k, v in tiles)
    return _section("kpis", f"KPIs over time (to {last['date_day']})",
                    f'<div class="tiles">{tile_html}</div><div class="charts">{"".join(charts)}</div>')


def freshness_section(con: duckdb.DuckDBPyConnection) -> str:
    """Each source's lag behind the freshest source and the as-of instant."""
    rows = _rows(con, f"""
        select source_name, freshness_status as status, last_landed_at, hours_behind_freshest_source,
               hours_behind_as_of, freshness_sla_hours
        from {relation(con, 'vw_data_freshness_monitoring')} order by source_name
    """)
    chart = svg.bar_chart("freshness-lag", "Hours behind the freshest source",
                          [r["source_name"] for r in rows],
                          {"hours behind": [r["hours_behind_freshest_source"] or 0.0 for r in rows]})
    columns = ["source_name", "status", "last_landed_at", "hours_behind_freshest_source",
               "hours_behind_as_of", "freshness_sla_hours"]
    return _section("freshness", "Freshness per source", chart + _table(rows, columns, "no sources"))


def data_quality_section(con: duckdb.DuckDBPyConnection) -> str:
    """Tests per layer in the latest build, and the models missing their SLA on the latest data day."""
    layers = _rows(con, f"""
        select tested_layer, data_tests_run, data_tests_passed, data_tests_warned, data_tests_failed,
               data_test_pass_pct
        from {relation(con, 'vw_data_quality_summary')}
        where invocations_ago = 1 and data_tests_run > 0 order by tested_layer
    """)
    sla = relation(con, "vw_data_quality_sla")
    missed = _rows(con, f"""
        select node_id, data_date, tests_run, tests_failed, rows_quarantined, quarantine_pct
        from {sla} where data_date = (select max(data_date) from {sla}) and not is_sla_met order by node_id
    """)
    chart = svg.bar_chart("dq-tests", "Data tests passing per layer, latest build (%)",
                          [r["tested_layer"] for r in layers],
                          {"pass %": [r["data_test_pass_pct"] or 0.0 for r in layers]})
    return _section("data-quality", "Data quality", chart
                    + _table(layers, list(layers[0]) if layers else [], "no tests recorded yet")
                    + "<h3>Models missing their SLA on the latest data day</h3>"
                    + _table(missed, ["node_id", "data_date", "tests_run", "tests_failed", "rows_quarantined",
                                      "quarantine_pct"], "every model met its SLA"))


def quarantine_section(con: duckdb.DuckDBPyConnection) -> str:
    """Quarantined rows per entity and reason."""
    rows = _rows(con, f"""
        select entity || ' / ' || rejection_reason as label, sum(row_count) as row_count
        from {relation(con, 'vw_reasons_for_quarantine')} group by 1 order by 2 desc, 1 limit 16
    """)
    if rows:
        chart = svg.bar_chart("quarantine-reasons", "Quarantined rows by entity and reason",
                              [r["label"] for r in rows], {"rows": [float(r["row_count"]) for r in rows]})
    else:
        chart = svg.empty("quarantine-reasons", "Quarantined rows", "no row quarantined: clean data")
    return _section("quarantine", "Quarantine by reason", chart + _table(rows, ["label", "row_count"], ""))


def sustainability_section(con: duckdb.DuckDBPyConnection) -> str:
    """CO2 per km per fuel type in the latest month and the electrification share over months."""
    metrics = relation(con, "vw_sustainability_metrics")
    latest = _rows(con, f"""
        select fuel_type, co2_kg_per_km, empty_running_pct, co2_kg_per_delivery
        from {metrics}
        where month_start_date = (select max(month_start_date) from {metrics})
        order by fuel_type
    """)
    months = _rows(con, f"""
        select month_start_date, max(fleet_electric_share_pct) as electric_pct,
               100.0 * sum(empty_km) / sum(driven_km) as empty_running_pct
        from {metrics} group by 1 order by 1
    """)
    charts = [
        svg.bar_chart("co2-per-km", "CO2 kg per km driven, by fuel type (latest month)",
                      [r["fuel_type"] for r in latest],
                      {"kg/km": [r["co2_kg_per_km"] or 0.0 for r in latest]}),
        svg.line_chart("electrification", "Electric share of the active fleet and empty running (%)",
                       [str(m["month_start_date"]) for m in months],
                       {"electric %": [m["electric_pct"] for m in months],
                        "empty running %": [m["empty_running_pct"] for m in months]}),
    ]
    return _section("sustainability", "Sustainability", f'<div class="charts">{"".join(charts)}</div>')


def models_section(con: duckdb.DuckDBPyConnection) -> str:
    """Each registered version's ROC AUC beside its baseline and oracle, and the production models' live
    weekly ROC AUC against the registered one (matured weeks only), with their decay status."""
    if not has_relation(con, "vw_ml_model_decay"):
        return _section("models", "Models", "<p>The model monitoring views are not built.</p>")
    registry = _rows(con, f"""
        select model_name || ' v' || model_version as version, stage, model_roc_auc, baseline_roc_auc,
               oracle_roc_auc, model_log_loss, baseline_log_loss, oracle_log_loss
        from {relation(con, 'tbl_ml_model_registry')} order by model_name, model_version
    """)
    if not registry:
        return _section("models", "Models", "<p>No model is registered yet: run `just train`.</p>")
    charts = [svg.bar_chart(
        "models-roc-auc", "ROC AUC on the evaluation window: model, baseline, oracle",
        [r["version"] for r in registry],
        {scorer: [r[f"{scorer}_roc_auc"] or 0.0 for r in registry]
         for scorer in ("model", "baseline", "oracle")},
    )]
    weeks = _rows(con, f"""
        select model_name, week_start_date, live_roc_auc, registered_roc_auc
        from {relation(con, 'vw_ml_model_performance')}
        where is_production order by model_name, week_start_date
    """)
    for model in sorted({w["model_name"] for w in weeks}):
        own = [w for w in weeks if w["model_name"] == model]
        charts.append(svg.line_chart(
            f"models-live-{model}", f"{model}: weekly live ROC AUC (matured weeks) vs registered",
            [str(w["week_start_date"]) for w in own],
            {"live": [w["live_roc_auc"] for w in own], "registered": [w["registered_roc_auc"] for w in own]},
        ))
    decay = _rows(con, f"""
        select model_name, model_version, decay_status, judged_weeks, live_roc_auc, registered_roc_auc,
               live_log_loss, registered_log_loss, expected_calibration_error
        from {relation(con, 'vw_ml_model_decay')} order by model_name
    """)
    registered = ["version", "stage", "model_roc_auc", "baseline_roc_auc", "oracle_roc_auc", "model_log_loss",
                  "baseline_log_loss", "oracle_log_loss"]
    live = ["model_name", "model_version", "decay_status", "judged_weeks", "live_roc_auc",
            "registered_roc_auc", "live_log_loss", "registered_log_loss", "expected_calibration_error"]
    tables = _table(registry, registered, "no model") + _table(decay, live, "no production model")
    return _section("models", "Models: registered against baseline and oracle, live against registered",
                    f'<div class="charts">{"".join(charts)}</div>' + tables)


def drift_section(con: duckdb.DuckDBPyConnection) -> str:
    """PSI per feature, and reference-vs-current histograms of the drifted features (else the top PSI)."""
    if not has_relation(con, "vw_ml_feature_monitoring"):
        return _section("drift", "Feature drift", svg.empty("drift-psi", "PSI per feature", "not built"))
    monitoring = relation(con, "vw_ml_feature_monitoring")
    judged = _rows(con, f"""
        select monitored_for, feature_name, feature_set, window_name, psi, js_distance, ks_statistic,
               current_rows,
               -- a calendar input is reported (its PSI in the chart), never shown as drifted
               case when feature_drift_status = 'not_judged' then feature_drift_status
                    else drift_status end as status,
               case when monitored_for = 'warehouse' then feature_name
                    else monitored_for || ':' || feature_name end as monitored_feature
        from {monitoring} where window_name = 'last_7d' order by psi desc
    """)
    chart = svg.bar_chart("drift-psi", "PSI per feature, last 7 days against its reference",
                          [r["monitored_feature"] for r in judged],
                          {"PSI": [r["psi"] or 0.0 for r in judged]})
    drifted = [r for r in judged if r["status"] == "drifted"]
    shown = drifted or judged[:1]
    histograms = []
    bins = relation(con, "vw_ml_feature_drift_bins")
    for judged_row in shown:
        feature = judged_row["monitored_feature"]
        rows = con.execute(f"""
            select bin_key, reference_share, current_share from {bins}
            where monitored_for = ? and feature_name = ? and window_name = 'last_7d'
            order by bin_index, bin_key
        """, [judged_row["monitored_for"], judged_row["feature_name"]]).fetchall()
        histograms.append(svg.bar_chart(
            f"drift-histogram-{feature.replace(':', '-')}",
            f"{feature}: reference vs last 7 days (share per bin)",
            [str(r[0]) for r in rows],
            {"reference": [r[1] for r in rows], "last 7 days": [r[2] for r in rows]},
        ))
    note = "" if drifted else "<p>No feature drifted; the histogram of the largest PSI is shown.</p>"
    columns = ["monitored_feature", "feature_set", "status", "psi", "js_distance", "ks_statistic",
               "current_rows"]
    charts = f'<div class="charts">{"".join(histograms)}</div>'
    table = _table(judged, columns, "no feature monitored")
    return _section("drift", "Feature drift", chart + note + charts + table)


def alerts_section(con: duckdb.DuckDBPyConnection) -> str:
    """Alerts firing at the last `just monitor`, and the last resolved ones."""
    exists = con.execute(
        "select count(*) from duckdb_tables() where schema_name = 'monitoring' and table_name = 'alerts'"
    ).fetchone()[0]
    if not exists:
        return _section("alerts", "Alerts", "<p>`just monitor` has not run on this warehouse yet.</p>")
    rows = _rows(con, """
        select severity, status, rule_name, subject, summary, first_fired_at, resolved_at
        from monitoring.alerts order by status, severity, first_fired_at desc limit 30
    """)
    return _section("alerts", "Alerts", _table(
        rows, ["severity", "status", "rule_name", "subject", "summary", "first_fired_at", "resolved_at"],
        "no alert has fired"))


def render(con: duckdb.DuckDBPyConnection) -> str:
    """The whole page as one HTML string."""
    freshness = relation(con, "vw_data_freshness_monitoring")
    as_of = con.execute(f"select max(as_of_at) from {freshness}").fetchone()[0]
    sections = [kpi_section(con), freshness_section(con), data_quality_section(con), quarantine_section(con),
                sustainability_section(con), models_section(con), drift_section(con),
                alerts_section(con)]
    nav = " · ".join(f'<a href="#{s}">{s}</a>' for s in SECTIONS)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>Logistics warehouse report</title>"
        f"<style>{STYLE}</style></head><body>"
        f"<h1>Logistics warehouse report</h1><p class=\"sub\">Data as of {escape(str(as_of))} · {nav}</p>"
        + "".join(sections)
        + f"<script>{SCRIPT}</script></body></html>\n"
    )


def write_report(db_path: Path, out: Path) -> Path:
    """Render the report of ``db_path`` into ``out`` (written whole, or not at all)."""
    if not db_path.exists():
        from warehouse.preflight import PreflightError

        raise PreflightError(f"no warehouse at {db_path}; run `just demo` first")
    with duckdb.connect(str(db_path), read_only=True) as con:
        if not has_relation(con, "vw_consolidated_dashboard"):
            relation(con, "vw_consolidated_dashboard")
        html = render(con)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(out)
    return out


__all__ = ["SECTIONS", "date", "render", "write_report"]
