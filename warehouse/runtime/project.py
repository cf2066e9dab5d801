"""Where things are: the repository (the dbt project), its profiles, and the warehouse file.

Every path the product, the checks and the tests need starts here; nothing else computes the
repository root.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
"""The repository root, which is also the dbt project folder (``dbt_project.yml``)."""
PROFILES_DIR = REPO_ROOT / "profiles"
DB_NAME = "warehouse.duckdb"
# dbt settings of the caller's shell that would redirect an isolated run to another project,
# target or artefact folder.
_SELECTION_VARIABLES = ("DBT_PROJECT_DIR", "DBT_TARGET", "DBT_TARGET_PATH", "DBT_LOG_PATH")


def warehouse_path() -> Path:
    """The DuckDB file: ``$LOGISTICS_DB`` if set, else ``warehouse.duckdb`` at the repo root."""
    return Path(os.environ.get("LOGISTICS_DB") or REPO_ROOT / DB_NAME)


def dbt_env(db: Path | str | None = None, *, isolated: bool = False) -> dict[str, str]:
    """The environment of dbt and the generator.

    ``LOGISTICS_DB`` is ``db`` (default: :func:`warehouse_path`), ``PYTHONPATH`` starts with the
    repository (so ``python -m generator`` works from any folder). The user's ``DBT_PROFILES_DIR``
    is kept unless ``isolated``; an isolated environment (scratch warehouses, checks) also drops
    the ``DBT_*`` variables that select another project, target or artefact folder.
    """
    env = dict(os.environ)
    env["LOGISTICS_DB"] = str(warehouse_path() if db is None else db)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), env.get("PYTHONPATH")]))
    if isolated:
        env["DBT_PROFILES_DIR"] = str(PROFILES_DIR)
        for name in _SELECTION_VARIABLES:
            env.pop(name, None)
    else:
        env.setdefault("DBT_PROFILES_DIR", str(PROFILES_DIR))
    return env
