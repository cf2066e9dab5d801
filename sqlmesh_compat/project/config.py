"""SQLMesh's config for the repository's dbt project (read by SQLMesh, inside ``.venv-sqlmesh``).

This folder is a view of the repository: ``dbt_project.yml``, ``models``, ``macros``, ``seeds``,
``snapshots`` and ``tests`` are links to the real ones (SQLMesh's dbt loader reads
``dbt_project.yml`` from the folder of its config), so there is one copy of every model.
The connection is the dbt profile's ``dev`` target (``profiles/profiles.yml``), whose path comes
from ``$LOGISTICS_DB``: it must be SQLMesh's own DuckDB file — ``$SQLMESH_DB``, default
``sqlmesh_warehouse.duckdb`` at the repository root — never the dbt warehouse. SQLMesh keeps its
state in that file too.
"""

from __future__ import annotations

import os
from pathlib import Path

import sqlmesh.utils
from sqlglot import exp
from sqlmesh.core.config import ModelDefaultsConfig
from sqlmesh.core.model.common import ParsableSql
from sqlmesh.core.model.kind import ViewKind
from sqlmesh.dbt.loader import DbtLoader, sqlmesh_config
from sqlmesh.utils.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]
# dbt models have no time column SQLMesh could batch on: the start only bounds the intervals the
# cron schedule tracks. A plan at 2026-01-01 backfills one daily interval; see sqlmesh_compat/runner.py.
MODEL_START = "2025-12-31"


def _database() -> Path:
    """SQLMesh's own DuckDB file; refuses to run unless the dbt profile points at it."""
    database = Path(os.environ.get("SQLMESH_DB") or REPO_ROOT / "sqlmesh_warehouse.duckdb").resolve()
    if Path(os.environ.get("LOGISTICS_DB", "")).resolve() != database:
        raise ValueError(
            f"the dbt profile must point at SQLMesh's own file: set LOGISTICS_DB={database} "
            "(python -m sqlmesh_compat does), never at the dbt warehouse"
        )
    return database


def _attribute_getattr(self: sqlmesh.utils.AttributeDict, key: str) -> object:
    # sqlmesh 0.236.4's AttributeDict.__getattr__ answers a missing dunder with hasattr(self, key),
    # which re-enters __getattr__ until the recursion limit. Every model here carries dbt's graph
    # (the governance post-hook reads it), so serialising one model took 12 s; raising at once, as
    # intended, takes 0.1 s and gives the same bytes.
    if key.startswith("__"):
        raise AttributeError(key)
    return self.get(key)


class HandoverLoader(DbtLoader):
    """SQLMesh's dbt loader, except that the snapshots named in ``$SQLMESH_HANDOVER`` (comma-separated,
    set by sqlmesh_compat/runner.py) read dbt's table of them instead of being built by SQLMesh.

    Each becomes a view over ``dbt_handover.<name>`` (the runner loads dbt's snapshot there from
    Parquet) — in memory; the snapshot file is unchanged, and the model keeps its name, parents,
    audits and hooks, so everything built on it runs as usual. sqlmesh_compat/exclusions.py says why
    these snapshots are handed over. Done while loading: ``Context.upsert_model`` afterwards
    recomputes every model's schema per call (about 5 s of CPU each here).
    """

    def _load_models(self, *args: object, **kwargs: object) -> tuple:  # type: ignore[override]
        models, model_fqns = super()._load_models(*args, **kwargs)  # type: ignore[arg-type]
        names = {name for name in os.environ.get("SQLMESH_HANDOVER", "").split(",") if name}
        if not names:
            return models, model_fqns
        from sqlmesh_compat.exclusions import HANDOVER_SCHEMA  # the runner puts the repository on the path

        handed_over = {
            fqn: model.copy(update={
                "query_": ParsableSql(sql=f'select * from "{HANDOVER_SCHEMA}"."{exp.to_table(fqn).name}"'),
                "kind": ViewKind(),
            })
            for fqn, model in models.items() if exp.to_table(fqn).name in names
        }
        missing = names - {exp.to_table(fqn).name for fqn in handed_over}
        if missing:
            raise ConfigError(f"no model to hand over for {', '.join(sorted(missing))}")
        models.update(handed_over)  # replaces them (UniqueKeyDict refuses item assignment)
        return models, model_fqns


sqlmesh.utils.AttributeDict.__getattr__ = _attribute_getattr  # type: ignore[method-assign]
# The profile's dev target reads its path from LOGISTICS_DB. SQLMesh restores the environment after
# reading this file, so the caller sets it (sqlmesh_compat/runner.py); here it is only checked.
_database()

config = sqlmesh_config(
    Path(__file__).resolve().parent,
    profiles_dir=REPO_ROOT / "profiles",
    dbt_target_name="dev",
    model_defaults=ModelDefaultsConfig(start=MODEL_START),
    loader=HandoverLoader,
)
