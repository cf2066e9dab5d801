"""Where the warehouse lives: one DuckDB file shared by the generator and dbt."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def warehouse_path() -> Path:
    """The DuckDB file: ``$LOGISTICS_DB`` if set, else ``warehouse.duckdb`` at the repo root."""
    return Path(os.environ.get("LOGISTICS_DB") or REPO_ROOT / "warehouse.duckdb")


def dbt_env() -> dict[str, str]:
    """The environment dbt needs: our profiles folder and the warehouse path."""
    env = dict(os.environ)
    env.setdefault("DBT_PROFILES_DIR", str(REPO_ROOT / "profiles"))
    env["LOGISTICS_DB"] = str(warehouse_path())
    return env
