"""Checks before a command touches the warehouse, each failing with one actionable message.

- The DuckDB file: one writer per file, so a notebook or a second build holding it makes dbt and
  the generator fail with a long traceback. ``ensure_unlocked`` opens it first and turns a lock into
  one line naming the file, the process holding it and what to do.
- The Snowflake targets (``snowflake_dev``, ``prod``) read every setting from ``SNOWFLAKE_*``
  environment variables; ``ensure_snowflake_settings`` lists the missing ones instead of dbt's
  "Env var required but not provided" error for the first one only.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import duckdb

from warehouse.deploy import missing_settings

# Targets of profiles/profiles.yml whose settings come from SNOWFLAKE_* environment variables.
SNOWFLAKE_ENV_TARGETS = ("snowflake_dev", "prod")


class PreflightError(Exception):
    """A command cannot start; the message says why and what to do."""


def ensure_unlocked(db_path: Path) -> None:
    """Raise ``PreflightError`` if another process holds ``db_path`` (a missing file is fine)."""
    if not db_path.exists():
        return
    try:
        duckdb.connect(str(db_path)).close()
    except duckdb.IOException as error:
        raise PreflightError(locked_message(db_path, error)) from error


def locked_message(db_path: Path, error: Exception) -> str:
    """One line: which file is locked, by which process when DuckDB says, and what to do."""
    pid = re.search(r"\(PID (\d+)\)", str(error))
    holder = f"process {pid.group(1)}" if pid else "another process"
    return (
        f"{db_path} is locked by {holder} (a notebook, a DuckDB shell or another build): "
        "close it, then run the command again"
    )


def dbt_target(dbt_args: Sequence[str]) -> str:
    """The profile target a dbt command line selects: ``--target``/``-t``, else $DBT_TARGET, else dev."""
    for i, arg in enumerate(dbt_args):
        if arg in ("--target", "-t") and i + 1 < len(dbt_args):
            return dbt_args[i + 1]
        if arg.startswith("--target="):
            return arg.split("=", 1)[1]
    return os.environ.get("DBT_TARGET") or "dev"


def ensure_snowflake_settings(target: str) -> None:
    """Raise ``PreflightError`` listing every missing SNOWFLAKE_* variable of a Snowflake target."""
    if target not in SNOWFLAKE_ENV_TARGETS:
        return
    missing = missing_settings(os.environ)
    if missing:
        lines = "\n".join(f"  - {line}" for line in missing)
        raise PreflightError(
            f"target {target} needs these environment variables, missing or invalid:\n{lines}\n"
            "Set them (nothing secret goes in profiles.yml) and run the command again."
        )
