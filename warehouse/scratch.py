"""Throw-away warehouses for the reliability checks: a folder with a DuckDB file and dbt's target.

Every scratch warehouse keeps its database at ``<folder>/warehouse.duckdb`` and runs dbt with
``LOGISTICS_DB=warehouse.duckdb`` relative to that folder, so the rendered profile — and therefore
dbt's partial-parse state and the catalog name (``warehouse``) — is the same in every copy. A copy
takes ``partial_parse.msgpack`` along and skips the full parse (≈ 4 s per invocation). Nothing here
touches the repository's ``warehouse.duckdb``, ``target/`` or ``logs/``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from warehouse.paths import REPO_ROOT

DB_NAME = "warehouse.duckdb"
# Seeds, models and snapshots in DAG order; data tests and unit tests left out (they change nothing).
MODELS_ONLY = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


class ScratchError(RuntimeError):
    """A generator or dbt invocation on a scratch warehouse failed."""


@dataclass(frozen=True)
class ScratchWarehouse:
    """A folder holding one warehouse file and the dbt target folder that builds it."""

    folder: Path

    @property
    def db(self) -> Path:
        """The DuckDB file."""
        return self.folder / DB_NAME

    @property
    def target(self) -> Path:
        """dbt's ``--target-path`` for this warehouse."""
        return self.folder / "target"

    def env(self) -> dict[str, str]:
        """The environment of dbt and the generator: our profiles, this folder's database."""
        env = dict(os.environ)
        env["LOGISTICS_DB"] = DB_NAME
        env["DBT_PROFILES_DIR"] = str(REPO_ROOT / "profiles")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
        for name in ("DBT_PROJECT_DIR", "DBT_TARGET", "DBT_TARGET_PATH", "DBT_LOG_PATH"):
            env.pop(name, None)
        return env

    def dbt_argv(self, args: tuple[str, ...] | list[str]) -> list[str]:
        """The arguments after ``dbt``: ARGS plus this warehouse's project, target and log paths."""
        return [
            *args,
            "--project-dir",
            str(REPO_ROOT),
            "--target-path",
            str(self.target),
            "--log-path",
            str(self.folder / "logs"),
            "--no-use-colors",
        ]

    def run(self, argv: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        """Run ``argv`` in this folder with this warehouse's environment."""
        completed = subprocess.run(
            argv, cwd=self.folder, env=self.env(), capture_output=True, text=True, check=False
        )
        if check and completed.returncode != 0:
            tail = "\n".join((completed.stdout + completed.stderr).splitlines()[-30:])
            raise ScratchError(
                f"{' '.join(argv[:4])} … failed (exit {completed.returncode}) in {self.folder}:\n{tail}"
            )
        return completed

    def generator(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``python -m generator ARGS --db <this database> --quiet``."""
        return self.run([sys.executable, "-m", "generator", *args, "--db", str(self.db), "--quiet"])

    def dbt(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``dbt ARGS`` against this warehouse (its own target and log folders)."""
        dbt = str(Path(sys.executable).with_name("dbt"))
        return self.run([dbt, *self.dbt_argv(args)], check=check)

    def build_models(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Seeds, models and snapshots in one ``dbt build`` without tests (ARGS appended)."""
        return self.dbt("build", *MODELS_ONLY, *args)

    def full_refresh(self) -> subprocess.CompletedProcess[str]:
        """Rebuild every model and seed from scratch; snapshots are history and are left alone."""
        return self.build_models("--full-refresh", "--exclude", "resource_type:snapshot")

    def copy(self, folder: Path) -> ScratchWarehouse:
        """A copy of this warehouse in ``folder``: database, WAL if any, dbt's parse state and manifest."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in (DB_NAME, DB_NAME + ".wal"):
            if (self.folder / name).exists():
                shutil.copy2(self.folder / name, folder / name)
        for artefact in ("partial_parse.msgpack", "manifest.json"):
            if (self.target / artefact).exists():
                (folder / "target").mkdir(exist_ok=True)
                shutil.copy2(self.target / artefact, folder / "target" / artefact)
        return ScratchWarehouse(folder)
