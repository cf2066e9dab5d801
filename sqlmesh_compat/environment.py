"""The SQLMesh virtual environment: created on first use from ``sqlmesh_compat/constraints.txt``.

SQLMesh pins an older DuckDB and sqlglot than the project (see ``constraints.txt``), so it runs in
its own venv, ``.venv-sqlmesh/`` at the repository root (gitignored). The venv records the hash of
the constraints it was built from; when the file changes, the next use rebuilds it. Nothing is
cached outside the repository: pip installs from PyPI into the venv.

This module runs in the project's environment.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

from warehouse.runtime import REPO_ROOT

VENV = Path(os.environ.get("SQLMESH_VENV") or REPO_ROOT / ".venv-sqlmesh")
CONSTRAINTS = REPO_ROOT / "sqlmesh_compat" / "constraints.txt"
# What the venv is for; every version comes from CONSTRAINTS.
REQUIREMENTS = ("sqlmesh[dbt]", "dbt-core", "dbt-duckdb", "duckdb")
_STAMP = "constraints.sha256"


class VenvError(RuntimeError):
    """The SQLMesh venv could not be created."""


def _constraints_hash() -> str:
    return hashlib.sha256(CONSTRAINTS.read_bytes()).hexdigest()


def python() -> Path:
    """The SQLMesh venv's interpreter."""
    return VENV / "bin" / "python"


def is_current() -> bool:
    """True when the venv exists and was built from the present constraints file."""
    stamp = VENV / _STAMP
    return python().exists() and stamp.exists() and stamp.read_text().strip() == _constraints_hash()


def ensure(quiet: bool = True) -> Path:
    """Create (or rebuild, if the constraints changed) the SQLMesh venv; return its interpreter."""
    if is_current():
        return python()
    print(f"creating the SQLMesh environment in {VENV} (pip, about a minute) …", file=sys.stderr)
    shutil.rmtree(VENV, ignore_errors=True)
    venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    pip = [str(python()), "-m", "pip", "install", "--disable-pip-version-check"]
    pip += ["--quiet"] if quiet else []
    completed = subprocess.run(
        [*pip, *REQUIREMENTS, "-c", str(CONSTRAINTS)], capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        shutil.rmtree(VENV, ignore_errors=True)
        tail = "\n".join((completed.stdout + completed.stderr).splitlines()[-15:])
        raise VenvError(f"pip could not build the SQLMesh environment:\n{tail}")
    (VENV / _STAMP).write_text(_constraints_hash() + "\n")
    return python()


def _env(env: dict[str, str] | None) -> dict[str, str]:
    full_env = dict(os.environ if env is None else env)
    full_env["PYTHONPATH"] = str(REPO_ROOT)
    full_env.setdefault("SQLMESH__DISABLE_ANONYMIZED_ANALYTICS", "1")
    for name in ("VIRTUAL_ENV", "PYTHONHOME"):
        full_env.pop(name, None)
    return full_env


def run(args: list[str], env: dict[str, str] | None = None, timeout_s: float | None = None,
        capture: bool = True) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` in the SQLMesh venv with this repository importable."""
    return subprocess.run(
        [str(ensure()), *args], cwd=REPO_ROOT, env=_env(env), capture_output=capture, text=True,
        timeout=timeout_s, check=False,
    )


def start(args: list[str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``python ARGS`` in the SQLMesh venv (as :func:`run`), its output going to ``log``;
    the caller waits for it (and kills it if it gives up)."""
    with log.open("wb") as out:
        return subprocess.Popen([str(ensure()), *args], cwd=REPO_ROOT, env=_env(None), stdout=out,
                                stderr=subprocess.STDOUT)
