"""The defect audit: every defect the generator injected is caught, and no landed row is lost.

The generator's ``--dirty-rate`` writes a manifest, ``main._generator_defects(sync_number,
table_name, row_key, defect_type)``. ``EXPECTED_HANDLING`` says, for every defect type and table,
how the warehouse must handle it:

- ``raw``: quarantined in ``tbl_raw_quarantine`` with one of the listed reasons (key defects);
- ``staging``: quarantined in ``tbl_stg_<table>_quarantine`` with one of the listed reasons;
- ``corrected``: repaired by a documented rule, so the row is staged, in no quarantine, and its
  staged value differs from the raw one in one of the listed columns.

``audit(db_path)`` matches every manifest row to the quarantines and the staged rows by ``row_key``
(the same expression in the generator, ``generator/rowkey.py``, and in dbt, ``macros/raw/row_key.sql``)
and counts, per defect type, the rows injected, caught and missed. A defect type with no entry in
``EXPECTED_HANDLING`` is never caught: adding one to the generator fails the audit by its name.
It also accounts for every landed row per entity, as the reconciliation test
(``macros/audit/landing_row_accounting.sql``) does: landed = superseded + raw-quarantined + staged
+ staging-quarantined.

``python -m warehouse audit`` prints the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import duckdb

from generator.schema import TABLES, TABLES_BY_NAME

RAW_SCHEMA = "main_raw"
STAGING_SCHEMA = "main_staging"
SAMPLE_SIZE = 5


@dataclass(frozen=True)
class Handling:
    """How the warehouse must handle one defect type in one table."""

    layer: Literal["raw", "staging", "corrected"]
    rule: str
    reasons: tuple[str, ...] = ()
    corrected_columns: tuple[tuple[str, str], ...] = ()
    """For ``corrected``: (raw column, staged column) pairs the rule repairs."""
    harmless_when: str | None = None
    """SQL over the raw row (alias ``raw_row``): true when the defect left the value unchanged."""


def _raw(*reasons: str) -> Handling:
    return Handling("raw", "tbl_raw_quarantine (macros/raw/classify_landed_rows.sql)", reasons)


def _staging(table: str, *reasons: str) -> Handling:
    return Handling("staging", f"tbl_stg_{table}_checked.rejection_reason", reasons)


def _clean_enum(*columns: tuple[str, str]) -> Handling:
    return Handling(
        "corrected",
        "clean_enum (macros/staging/clean_enum.sql): trim, upper-case, spaces to underscores",
        corrected_columns=columns,
    )


# defect_type -> table -> handling. Reasons are the rejection_reason values the models write.
EXPECTED_HANDLING: dict[str, dict[str, Handling]] = {
    "null_key": {
        table: _raw("null_key") for table in ("telematics", "weather", "traffic")
    },
    "duplicate_key": {
        table: _raw("conflicting_duplicate") for table in ("telematics", "weather", "traffic")
    },
    "orphan_fk": {
        "shipments": _staging("shipments", "orphan_customer", "orphan_route", "orphan_vehicle"),
        "maintenance": _staging("maintenance", "orphan_vehicle"),
        "telematics": _staging("telematics", "orphan_vehicle"),
        "weather": _staging("weather", "orphan_location"),
        "traffic": _staging("traffic", "orphan_location"),
    },
    "negative_value": {
        "shipments": _staging("shipments", "non_positive_weight", "negative_amount"),
        "maintenance": _staging("maintenance", "negative_amount"),
    },
    "delivery_before_pickup": {
        "shipments": _staging("shipments", "delivered_before_pickup"),
    },
    "future_timestamp": {
        table: _staging(table, "timestamp_after_load")
        for table in ("shipments", "maintenance", "telematics")
    },
    "out_of_range": {
        table: _staging(table, "sensor_out_of_range") for table in ("telematics", "weather", "traffic")
    },
    "bad_enum": {
        "customers": _clean_enum(("customer_type", "customer_type")),
        "shipments": _clean_enum(
            ("status", "shipment_status"), ("priority", "priority"), ("service_level", "service_level")
        ),
        "maintenance": _clean_enum(
            ("maintenance_type", "maintenance_type"), ("status", "maintenance_status")
        ),
        "weather": _clean_enum(("condition", "weather_condition")),
    },
    "unit_glitch": {
        # weight in grams: beyond the capacity of any vehicle
        "shipments": _staging("shipments", "weight_exceeds_vehicle_capacity"),
        # downtime in minutes: beyond the maintenance type's max_downtime_hours (seed
        # enum_maintenance_type); a cancelled booking has no downtime, and 0 × 60 is still 0
        "maintenance": Handling(
            "staging",
            "tbl_stg_maintenance_checked.rejection_reason",
            ("downtime_exceeds_type_maximum",),
            harmless_when="raw_row.downtime_hours = 0",
        ),
    },
}


@dataclass
class DefectTypeResult:
    """What happened to the rows that got one defect type."""

    defect_type: str
    injected: int = 0
    quarantined: int = 0
    corrected: int = 0
    harmless: int = 0
    """Rows the defect did not change (e.g. a zero downtime × 60): nothing to catch."""
    missed: int = 0
    missed_samples: list[str] = field(default_factory=list)
    """Up to ``SAMPLE_SIZE`` of ``table row_key: what happened instead``."""

    @property
    def caught(self) -> int:
        """Quarantined with a matching reason, or corrected by the documented rule."""
        return self.quarantined + self.corrected


@dataclass(frozen=True)
class EntityAccounting:
    """How the landed rows of one landing table are accounted for (as the reconciliation test)."""

    table: str
    landed: int
    kept: int
    superseded: int
    raw_quarantined: int
    staged: int
    staging_quarantined: int

    @property
    def lost(self) -> int:
        """Landed rows neither superseded, quarantined nor staged (negative: counted twice)."""
        return (
            self.landed - self.superseded - self.raw_quarantined - self.staged - self.staging_quarantined
        )


@dataclass
class DefectAudit:
    """The audit of one warehouse: per defect type and per entity."""

    defect_types: dict[str, DefectTypeResult]
    entities: list[EntityAccounting]

    @property
    def failures(self) -> list[str]:
        """One line per defect type with missed rows and per entity with lost rows (empty: all good)."""
        lines = [
            f"defect type {r.defect_type!r}: {r.missed} of {r.injected} missed, e.g. {r.missed_samples}"
            for r in self.defect_types.values()
            if r.missed
        ]
        lines += [
            f"entity {e.table!r}: {e.lost} landed rows unaccounted for "
            f"(raw kept {e.kept} vs staged {e.staged} + quarantined {e.staging_quarantined})"
            for e in self.entities
            if e.lost or e.kept != e.staged + e.staging_quarantined
        ]
        return lines


def _key_sql(table: str, alias: str) -> str:
    """The row_key of a row whose key columns are all non-null (raw and staged rows)."""
    keys = [f"cast({alias}.{k} as varchar)" for k in TABLES_BY_NAME[table].key]
    return keys[0] if len(keys) == 1 else "concat_ws('|', " + ", ".join(keys) + ")"


def _outcomes_sql(table: str, manifest_types: list[str]) -> str:
    """One row per manifest row of ``table``: its defect type, row_key and outcome."""
    handled = {
        t: EXPECTED_HANDLING[t][table] for t in manifest_types if table in EXPECTED_HANDLING.get(t, {})
    }
    staged_key, raw_key = _key_sql(table, "staged_row"), _key_sql(table, "raw_row")

    def matched(handling: Handling) -> str:
        reasons = ", ".join(f"'{handling.layer}:{r}'" for r in handling.reasons) or "null"
        return f"list_has_any(found, [{reasons}])"

    def corrected(handling: Handling) -> str:
        changed = " or ".join(
            f"raw_row.{raw_col} is distinct from staged_row.{staged_col}"
            for raw_col, staged_col in handling.corrected_columns
        )
        return f"(found = [] and staged_row.row_key is not null and ({changed or 'false'}))"

    outcome = "case\n"
    for defect_type, handling in handled.items():
        is_type = f"manifest.defect_type = '{defect_type}'"
        outcome += f"  when {is_type} and {matched(handling)} then 'quarantined'\n"
        if handling.layer == "corrected":
            outcome += f"  when {is_type} and {corrected(handling)} then 'corrected'\n"
        if handling.harmless_when:
            outcome += f"  when {is_type} and found = [] and ({handling.harmless_when}) then 'harmless'\n"
    outcome += "  else 'missed' end"
    staged_columns = ", ".join(
        sorted({f"staged_row.{s}" for h in handled.values() for _, s in h.corrected_columns})
    )
    return f"""
        with manifest as (
            select distinct row_key, defect_type
            from main._generator_defects
            where table_name = '{table}'
        ),
        quarantined as (
            select row_key, 'raw:' || rejection_reason as reason
            from {RAW_SCHEMA}.tbl_raw_quarantine
            where source_table = '{table}'
            union all
            select row_key, 'staging:' || rejection_reason
            from {STAGING_SCHEMA}.tbl_stg_{table}_quarantine
        ),
        found as (
            select
                manifest.row_key,
                coalesce(
                    list(distinct quarantined.reason order by quarantined.reason)
                        filter (where quarantined.reason is not null),
                    []
                ) as found
            from manifest
            left join quarantined on quarantined.row_key = manifest.row_key
            group by manifest.row_key
        ),
        staged_row as (
            select {staged_key} as row_key{", " + staged_columns if staged_columns else ""}
            from {STAGING_SCHEMA}.tbl_stg_{table} as staged_row
        )
        select
            manifest.defect_type,
            manifest.row_key,
            {outcome} as outcome,
            case
                when found.found <> [] then 'quarantined as ' || array_to_string(found.found, ', ')
                when staged_row.row_key is not null then 'staged as landed'
                else 'in neither staging nor a quarantine'
            end as what_happened
        from manifest
        inner join found on found.row_key = manifest.row_key
        left join {RAW_SCHEMA}.tbl_raw_{table} as raw_row on {raw_key} = manifest.row_key
        left join staged_row on staged_row.row_key = manifest.row_key
        order by manifest.defect_type, manifest.row_key
    """


def _fingerprint_sql(columns: list[str], alias: str) -> str:
    """The row fingerprint of macros/raw/row_fingerprint.sql."""
    return "md5(" + " || '|' || ".join(f"coalesce(cast({alias}.{c} as varchar), '')" for c in columns) + ")"


def _accounting(con: duckdb.DuckDBPyConnection, table: str, landing_schema: str) -> EntityAccounting:
    """The reconciliation test's accounting (macros/audit/landing_row_accounting.sql) for one table."""
    columns = [
        name
        for (name,) in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? and not starts_with(column_name, '_fivetran_') "
            "order by ordinal_position",
            [landing_schema, table],
        ).fetchall()
    ]
    keys = TABLES_BY_NAME[table].key
    landed, raw = f"{landing_schema}.{table}", f"{RAW_SCHEMA}.tbl_raw_{table}"
    raw_q = f"{RAW_SCHEMA}.tbl_raw_quarantine"
    key_match = " and ".join(f"landed_rows.{k} = kept_rows.{k}" for k in keys)
    row = con.execute(
        f"""
        select
            (select count(*) from {landed}),
            (select count(*) from {raw}),
            (
                select count(*)
                from (
                    select *, {_fingerprint_sql(columns, "landed")} as fingerprint
                    from {landed} as landed
                ) as landed_rows
                inner join (
                    select
                        {", ".join(keys)},
                        _fivetran_synced,
                        {_fingerprint_sql(columns, "kept")} as fingerprint
                    from {raw} as kept
                ) as kept_rows
                    on {key_match}
                where not exists (
                    select 1 from {raw_q} as quarantined
                    where quarantined.source_table = '{table}'
                      and quarantined.row_fingerprint = landed_rows.fingerprint
                      and quarantined._fivetran_synced = landed_rows._fivetran_synced
                )
                and (landed_rows._fivetran_synced < kept_rows._fivetran_synced
                     or landed_rows.fingerprint = kept_rows.fingerprint)
            ) - (select count(*) from {raw}),
            (select coalesce(sum(copies_landed), 0) from {raw_q} where source_table = '{table}'),
            (select count(*) from {STAGING_SCHEMA}.tbl_stg_{table}),
            (select count(*) from {STAGING_SCHEMA}.tbl_stg_{table}_quarantine)
        """
    ).fetchone()
    assert row is not None
    return EntityAccounting(table, *(int(v) for v in row))


def audit(db_path: Path) -> DefectAudit:
    """Match the generator's defect manifest against the built warehouse in ``db_path``.

    The file must hold a finished ``dbt build`` (raw, staging and their quarantines). Opened
    read-only: run it when no build holds the file.
    """
    results: dict[str, DefectTypeResult] = {}
    with duckdb.connect(str(db_path), read_only=True) as con:
        landing_schemas = dict(
            con.execute("select connector, schema_name from main._generator_schemas").fetchall()
        )
        manifest = con.execute(
            "select table_name, list(distinct defect_type order by defect_type) "
            "from main._generator_defects group by table_name order by table_name"
        ).fetchall()
        for table, defect_types in manifest:
            for defect_type, row_key, outcome, what_happened in con.execute(
                _outcomes_sql(table, defect_types)
            ).fetchall():
                result = results.setdefault(defect_type, DefectTypeResult(defect_type))
                result.injected += 1
                if outcome == "missed":
                    result.missed += 1
                    if len(result.missed_samples) < SAMPLE_SIZE:
                        documented = table in EXPECTED_HANDLING.get(defect_type, {})
                        why = what_happened if documented else "no handling documented in EXPECTED_HANDLING"
                        result.missed_samples.append(f"{table} {row_key}: {why}")
                else:
                    setattr(result, outcome, getattr(result, outcome) + 1)
        entities = [_accounting(con, t.name, landing_schemas[t.connector]) for t in TABLES]
    return DefectAudit(dict(sorted(results.items())), entities)
