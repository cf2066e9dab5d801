"""Headline KPIs of the demo, read from the shipments fact."""

from __future__ import annotations

import duckdb

HEADLINE_SQL = """
select
    count(*) filter (where not is_deleted)                                    as shipments,
    count(*) filter (where is_delivered and not is_deleted)                   as delivered,
    avg(case when is_on_time then 1.0 else 0.0 end)
        filter (where is_delivered and not is_deleted)                         as on_time_rate,
    sum(revenue_usd) filter (where is_delivered and not is_deleted)            as revenue_usd,
    sum(profit_usd) filter (where is_delivered and not is_deleted)             as profit_usd,
    sum(co2_kg) filter (where is_delivered and not is_deleted)
        / nullif(sum(distance_km) filter (where is_delivered and not is_deleted), 0) as co2_kg_per_km
from {relation}
"""


def _fact_relation(con: duckdb.DuckDBPyConnection) -> str | None:
    found = con.execute(
        "select schema_name from duckdb_tables() where table_name = 'tbl_fact_shipments' order by 1"
    ).fetchall()
    return f'"{found[0][0]}".tbl_fact_shipments' if found else None


def headline(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(KPI, formatted value) pairs; a single explanatory row when the fact has not been built."""
    relation = _fact_relation(con)
    if relation is None:
        return [("tbl_fact_shipments", "not built yet: run `just build`")]
    shipments, delivered, on_time, revenue, profit, co2_per_km = con.execute(
        HEADLINE_SQL.format(relation=relation)
    ).fetchone()
    margin = profit / revenue if revenue else None
    return [
        ("shipments (not deleted)", f"{shipments:,}"),
        ("delivered", f"{delivered:,}"),
        ("on-time delivery rate", "n/a" if on_time is None else f"{on_time:.1%}"),
        ("revenue of delivered shipments", "n/a" if revenue is None else f"${revenue:,.0f}"),
        ("profit margin", "n/a" if margin is None else f"{margin:.1%}"),
        ("CO2 per km driven", "n/a" if co2_per_km is None else f"{co2_per_km:.3f} kg"),
    ]
