"""Running dbt for the Snowflake checks: both engines, own target paths, always under a timeout.

Every invocation is a subprocess with ``--target-path``/``--log-path`` inside a scratch folder, so
the checks never touch the repository's ``target/``, ``logs/`` or ``warehouse.duckdb``, and a hung
Snowflake connector (it retries a failing server for minutes) is killed by the timeout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from parity_tests.emulator import TARGET as EMULATED_TARGET

DUCKDB_TARGET = "dev"


class DbtError(RuntimeError):
    """A dbt invocation failed as a whole (not a node inside it), or timed out."""


@dataclass(frozen=True)
class DbtRun:
    """One finished dbt invocation."""

    args: tuple[str, ...]
    returncode: int
    output: str
    seconds: float
    target_path: Path

    def results(self) -> dict[str, dict[str, Any]]:
        """``run_results.json`` of this invocation, by node unique_id (empty when absent)."""
        path = self.target_path / "run_results.json"
        if not path.exists():
            return {}
        return {r["unique_id"]: r for r in json.loads(path.read_text())["results"]}

    def tail(self, lines: int = 25) -> str:
        """The last lines of dbt's console output."""
        return "\n".join(self.output.splitlines()[-lines:])


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
        return run_dbt(self, args, timeout_s=timeout_s, check=check)

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


def run_dbt(
    side: Side, args: tuple[str, ...] | list[str], *, timeout_s: float, check: bool = False
) -> DbtRun:
    """Run dbt in a subprocess for ``side`` with a hard timeout."""
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt), *args,
        "--project-dir", str(side.project_dir),
        "--profiles-dir", str(side.project_dir / "profiles"),
        "--target", side.target,
        "--target-path", str(side.target_path),
        "--log-path", str(side.target_path / "logs"),
        "--no-use-colors",
    ]
    env = {**os.environ, **side.env}
    env.pop("DBT_PROJECT_DIR", None)
    env.pop("DBT_TARGET", None)
    started = time.monotonic()
    try:
        proc = subprocess.run(
            command, cwd=side.project_dir, env=env, timeout=timeout_s, capture_output=True, text=True,
        )
    except subprocess.TimeoutExpired as err:
        out = err.stdout.decode() if isinstance(err.stdout, bytes) else (err.stdout or "")
        raise DbtError(
            f"[{side.name}] dbt {' '.join(args)} timed out after {timeout_s:.0f}s\n{out[-3000:]}"
        ) from err
    run = DbtRun(tuple(args), proc.returncode, proc.stdout + proc.stderr, time.monotonic() - started,
                 side.target_path)
    if check and run.returncode != 0:
        raise DbtError(f"[{side.name}] dbt {' '.join(args)} failed:\n{run.tail()}")
    return run


def duckdb_side(project_dir: Path, work: Path, db_path: Path) -> Side:
    """The DuckDB build of ``project_dir`` into ``db_path``."""
    return Side("duckdb", project_dir, DUCKDB_TARGET, work / "duckdb_target", {"LOGISTICS_DB": str(db_path)})


def emulated_side(project_dir: Path, work: Path, port: int) -> Side:
    """The dbt-snowflake build of ``project_dir`` against the emulator listening on ``port``."""
    return Side("snowflake", project_dir, EMULATED_TARGET, work / "snowflake_target",
                {"FAKESNOW_PORT": str(port), "LOGISTICS_DB": str(work / "unused.duckdb")})
