"""Scratch copies: of the dbt project (to change it for a check), and of a warehouse (to build it).

A :class:`ScratchWarehouse` is a folder holding one DuckDB file and the dbt target and log folders
that build it. dbt and the generator run there with ``LOGISTICS_DB=warehouse.duckdb`` relative to
the folder, so the rendered profile — and therefore dbt's partial-parse state and the catalog name
(``warehouse``) — is the same in every copy: a copy takes ``partial_parse.msgpack`` along and
skips the full parse (≈ 11 s per invocation). A new scratch warehouse starts from the parse state
named by ``$LOGISTICS_DBT_PARSE_STATE`` when it is set (the test suite parses the project once per
run). Nothing here touches the repository's ``warehouse.duckdb``, ``target/`` or ``logs/``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warehouse.runtime.project import DB_NAME, REPO_ROOT, dbt_env
from warehouse.runtime.runner import (
    PARTIAL_PARSE_FILE,
    DbtError,
    DbtRun,
    dbt_argv,
    reuse_parse_state,
    run_dbt,
)

# What a dbt run needs from the repository; everything else (venv, git, data, artefacts) stays.
PROJECT_ENTRIES = ("dbt_project.yml", "models", "macros", "seeds", "snapshots", "tests", "analyses",
                   "profiles", "packages.yml", "selectors.yml")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.duckdb", "*.duckdb.wal", "target", "logs")
# Seeds, models and snapshots in DAG order; data tests and unit tests left out (they change nothing).
MODELS_ONLY = ("--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")


def copy_project(dest: Path, source: Path = REPO_ROOT) -> Path:
    """Copy the dbt project files of ``source`` into ``dest`` (created) and return ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_ENTRIES:
        entry = source / name
        if entry.is_dir():
            shutil.copytree(entry, dest / name, ignore=_IGNORE, dirs_exist_ok=True)
        elif entry.is_file():
            shutil.copy2(entry, dest / name)
    return dest


# A saved dbt parse state (a file) for new scratch warehouses to start from (see the module docstring).
PARSE_STATE_VARIABLE = "LOGISTICS_DBT_PARSE_STATE"

# The trained model files beside the warehouse file (modelops.store.model_store_dir; the runtime core
# imports nothing of ours, so the name is repeated here and a test holds the two together).
MODEL_FILES = Path(DB_NAME).stem + ".models"


class ScratchError(DbtError):
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
        """The environment of dbt and the generator (run in ``folder``): this folder's database."""
        return dbt_env(DB_NAME, isolated=True)

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

    def generator(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """``python -m generator ARGS --db <this database> --quiet``."""
        return self.run([sys.executable, "-m", "generator", *args, "--db", str(self.db), "--quiet"], check)

    def dbt_argv(self, args: tuple[str, ...] | list[str]) -> list[str]:
        """The arguments after ``dbt`` for ARGS on this warehouse (for a caller running dbt itself)."""
        return dbt_argv(args, target_path=self.target, log_path=self.folder / "logs", colors=False)

    def dbt(self, *args: str, check: bool = True) -> DbtRun:
        """``dbt ARGS`` against this warehouse (its own target and log folders); a new warehouse's
        first invocation starts from ``$LOGISTICS_DBT_PARSE_STATE`` when set."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.environ.get(PARSE_STATE_VARIABLE):
            reuse_parse_state(self.target, Path(os.environ[PARSE_STATE_VARIABLE]))
        return run_dbt(
            args, target_path=self.target, log_path=self.folder / "logs", env=self.env(),
            cwd=self.folder, check=check, label=str(self.folder),
        )

    def build_models(self, *args: str) -> DbtRun:
        """Seeds, models and snapshots in one ``dbt build`` without tests (ARGS appended)."""
        return self.dbt("build", *MODELS_ONLY, *args)

    def full_refresh(self) -> DbtRun:
        """Rebuild every model and seed from scratch; snapshots are history and are left alone."""
        return self.build_models("--full-refresh", "--exclude", "resource_type:snapshot")

    def run_results(self) -> list[dict[str, Any]]:
        """The node results of the last dbt invocation."""
        return json.loads((self.target / "run_results.json").read_text())["results"]

    def manifest(self) -> dict[str, Any]:
        """The manifest of the last dbt invocation."""
        return json.loads((self.target / "manifest.json").read_text())

    def copy(self, folder: Path) -> ScratchWarehouse:
        """A copy of this warehouse in ``folder``: database, WAL if any, trained model files if any
        (the registry's records point at them: a copy must score as the original does), dbt's parse
        state and manifest."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in (DB_NAME, DB_NAME + ".wal"):
            if (self.folder / name).exists():
                shutil.copy2(self.folder / name, folder / name)
        if (self.folder / MODEL_FILES).is_dir():
            shutil.copytree(self.folder / MODEL_FILES, folder / MODEL_FILES, dirs_exist_ok=True)
        for artefact in (PARTIAL_PARSE_FILE, "manifest.json"):
            if (self.target / artefact).exists():
                (folder / "target").mkdir(exist_ok=True)
                shutil.copy2(self.target / artefact, folder / "target" / artefact)
        return ScratchWarehouse(folder)
