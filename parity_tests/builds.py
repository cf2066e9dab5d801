"""The two engines of the Snowflake checks: dbt-duckdb, and dbt-snowflake against the emulator.

A :class:`Side` is one engine's settings for :func:`warehouse.runtime.run_dbt`: its target, its
own ``--target-path``/``--log-path`` inside a scratch folder (the checks never touch the
repository's ``target/``, ``logs/`` or ``warehouse.duckdb``), and always a timeout (a hung
Snowflake connector retries a failing server for minutes).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parity_tests.emulator import TARGET as EMULATED_TARGET
from warehouse.runtime import DbtRun, dbt_env, run_dbt

DUCKDB_TARGET = "dev"


@dataclass(frozen=True)
class Side:
    """One engine's dbt settings: target, scratch target path, and environment."""

    name: str
    project_dir: Path
    target: str
    target_path: Path
    env: dict[str, str]

    def dbt(self, *args: str, timeout_s: float = 600, check: bool = False) -> DbtRun:
        """Run ``dbt ARGS`` for this side; raise DbtError on timeout (or on failure when ``check``)."""
        return run_dbt(
            args,
            project_dir=self.project_dir,
            profiles_dir=self.project_dir / "profiles",
            target=self.target,
            target_path=self.target_path,
            log_path=self.target_path / "logs",
            env={**dbt_env(isolated=True), **self.env},
            timeout_s=timeout_s,
            check=check,
            label=self.name,
        )

    def manifest(self) -> dict[str, Any]:
        """The manifest this side's last invocation wrote."""
        return json.loads((self.target_path / "manifest.json").read_text())

    def snapshot_compiled(self, dest: Path) -> Path:
        """Copy ``<target>/compiled`` to ``dest`` (compiled SQL of one pass) and return ``dest``."""
        if dest.exists():
            shutil.rmtree(dest)
        source = self.target_path / "compiled"
        if source.exists():
            shutil.copytree(source, dest)
        else:
            dest.mkdir(parents=True)
        return dest


def duckdb_side(project_dir: Path, work: Path, db_path: Path) -> Side:
    """The DuckDB build of ``project_dir`` into ``db_path``."""
    return Side("duckdb", project_dir, DUCKDB_TARGET, work / "duckdb_target", {"LOGISTICS_DB": str(db_path)})


def emulated_side(project_dir: Path, work: Path, port: int) -> Side:
    """The dbt-snowflake build of ``project_dir`` against the emulator listening on ``port``."""
    return Side("snowflake", project_dir, EMULATED_TARGET, work / "snowflake_target",
                {"FAKESNOW_PORT": str(port), "LOGISTICS_DB": str(work / "unused.duckdb")})
