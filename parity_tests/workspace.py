"""Scratch copies of the dbt project, so checks never touch the repository's target/ or warehouse.

Other people build in the repository concurrently; every check here runs dbt with its own
``--target-path``/``--log-path`` and, when it needs to change the project (a test injecting a
non-portable model), on a copy made by :func:`copy_project`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]

# What a dbt run needs from the repository; everything else (venv, git, data, artefacts) stays.
PROJECT_ENTRIES = ("dbt_project.yml", "models", "macros", "seeds", "snapshots", "tests", "analyses",
                   "profiles", "packages.yml", "selectors.yml")
_IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc", "*.duckdb", "*.duckdb.wal", "target", "logs")


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
