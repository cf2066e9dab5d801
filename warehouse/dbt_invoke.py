"""Run dbt as a subprocess with the project's profile and warehouse path."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from warehouse.paths import REPO_ROOT, dbt_env


def dbt_command(args: list[str], target_path: Path | None = None) -> list[str]:
    """The argv of ``dbt <args>`` run from this interpreter's environment."""
    command = [str(Path(sys.executable).with_name("dbt")), *args, "--project-dir", str(REPO_ROOT)]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    return command


def run_dbt(args: list[str], target_path: Path | None = None, quiet: bool = False) -> int:
    """Run dbt; return its exit code. Output streams to the terminal unless ``quiet``."""
    completed = subprocess.run(
        dbt_command(args, target_path),
        cwd=REPO_ROOT,
        env=dbt_env(),
        stdout=subprocess.DEVNULL if quiet else None,
        check=False,
    )
    return completed.returncode
