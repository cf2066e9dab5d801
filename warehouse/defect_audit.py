"""The defect audit, read from its dbt models: every injected defect caught, no landed row lost.

The audit is SQL over the warehouse, so it lives in dbt (``models/audit``), built and tested with
every ``dbt build``:

- ``tbl_audit_defect_outcomes``: one row per defect the generator injected (its manifest
  ``_generator_defects``), matched by ``row_key`` to the quarantines and the staged rows and judged
  against ``macros/audit/expected_defect_handling.sql``; ``tbl_audit_defect_types`` counts them.
- ``tbl_audit_landing_accounting``: per landing table, landed = superseded + raw-quarantined +
  staged + staging-quarantined.

``audit(db_path)`` reads those models into dataclasses for ``python -m warehouse audit`` (``just
audit``) and the reliability report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb

SAMPLE_SIZE = 5
AUDIT_MODELS = ("tbl_audit_defect_types", "tbl_audit_defect_outcomes", "tbl_audit_landing_accounting")


class AuditNotBuilt(LookupError):
    """The warehouse holds no built audit models."""


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
    """How the landed rows of one landing table are accounted for."""

    table: str
    landed: int
    kept: int
    superseded: int
    raw_quarantined: int
    staged: int
    staging_quarantined: int
    lost: int
    """Landed rows neither superseded, quarantined nor staged (negative: counted twice)."""


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


def _audit_schema(con: duckdb.DuckDBPyConnection) -> str:
    """The schema holding the audit models (dbt names it after the target; found, not assumed)."""
    found = con.execute(
        "select schema_name from duckdb_tables() where table_name = ? order by schema_name",
        [AUDIT_MODELS[0]],
    ).fetchall()
    if not found:
        raise AuditNotBuilt(f"no {AUDIT_MODELS[0]} in the warehouse")
    return found[0][0]


def audit(db_path: Path) -> DefectAudit:
    """Read the audit models of the built warehouse in ``db_path`` (opened read-only).

    Raises ``AuditNotBuilt`` when the file holds no built audit models.
    """
    with duckdb.connect(str(db_path), read_only=True) as con:
        schema = _audit_schema(con)
        results = {
            row[0]: DefectTypeResult(*row)
            for row in con.execute(
                "select defect_type, injected_rows, quarantined_rows, corrected_rows, harmless_rows, "
                f'missed_rows from "{schema}".tbl_audit_defect_types order by defect_type'
            ).fetchall()
        }
        missed = con.execute(
            "select defect_type, table_name, row_key, what_happened, is_handling_documented "
            f'from "{schema}".tbl_audit_defect_outcomes where outcome = \'missed\' '
            "order by defect_type, table_name, row_key"
        ).fetchall()
        for defect_type, table, row_key, what_happened, documented in missed:
            samples = results[defect_type].missed_samples
            if len(samples) < SAMPLE_SIZE:
                why = what_happened if documented else "no handling documented (expected_defect_handling)"
                samples.append(f"{table} {row_key}: {why}")
        entities = [
            EntityAccounting(*row)
            for row in con.execute(
                "select source_table, landed_rows, kept_rows, superseded_rows, raw_quarantined_rows, "
                "staged_rows, staging_quarantined_rows, lost_rows "
                f'from "{schema}".tbl_audit_landing_accounting order by source_table'
            ).fetchall()
        ]
    return DefectAudit(results, entities)
