"""Shared builds for the warehouse tests: generate once at CI scale, build once, reuse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from warehouse.dbt_invoke import dbt_command
from warehouse.paths import REPO_ROOT

CI_SCALE = os.environ.get("CI_SCALE", "0.01")
SEED = "42"


@dataclass
class Build:
    """A generated warehouse and the dbt artefacts of its last build."""

    db: Path
    target: Path

    def env(self) -> dict[str, str]:
        """Environment pointing dbt and the generator at this build's database."""
        env = dict(os.environ)
        env["LOGISTICS_DB"] = str(self.db)
        env["DBT_PROFILES_DIR"] = str(REPO_ROOT / "profiles")
        return env

    def generator(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the generator CLI against this database; fail the test if it fails."""
        completed = subprocess.run(
            [sys.executable, "-m", "generator", *args, "--db", str(self.db)],
            cwd=REPO_ROOT, env=self.env(), capture_output=True, text=True, check=False,
        )
        assert completed.returncode == 0, completed.stderr
        return completed

    def dbt(self, *args: str, expect_success: bool = True) -> subprocess.CompletedProcess[str]:
        """Run dbt against this database with its own target folder."""
        completed = subprocess.run(
            dbt_command(list(args), self.target),
            cwd=REPO_ROOT, env=self.env(), capture_output=True, text=True, check=False,
        )
        if expect_success:
            assert completed.returncode == 0, completed.stdout[-4000:]
        return completed

    def run_results(self) -> list[dict]:
        """The results of the last dbt invocation."""
        return json.loads((self.target / "run_results.json").read_text())["results"]


def new_build(tmp_path_factory: pytest.TempPathFactory, name: str, *generate_args: str) -> Build:
    """Generate a fresh warehouse at CI scale and build it."""
    folder = tmp_path_factory.mktemp(name)
    build = Build(db=folder / "warehouse.duckdb", target=folder / "target")
    build.generator("generate", "--scale", CI_SCALE, "--seed", SEED, *generate_args)
    build.dbt("build")
    return build


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A warehouse built from clean data."""
    return new_build(tmp_path_factory, "clean")


DIRTY_RATE = "0.05"  # enough rows for every defect type of every table at CI scale (maintenance: ~9)


@pytest.fixture(scope="session")
def dirty_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """A warehouse from dirty data: initial load and two syncs at ``DIRTY_RATE``, then one build."""
    folder = tmp_path_factory.mktemp("dirty")
    build = Build(db=folder / "warehouse.duckdb", target=folder / "target")
    build.generator("generate", "--scale", CI_SCALE, "--seed", SEED, "--dirty-rate", DIRTY_RATE, "--quiet")
    for _ in range(2):
        build.generator("sync", "--days", "1", "--dirty-rate", DIRTY_RATE, "--quiet")
    build.dbt("build")
    return build


@pytest.fixture(scope="session")
def synced_build(clean_build: Build, tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, str]:
    """A copy of the clean warehouse after one more generator sync and an incremental ``dbt build``.

    Returns the build and the ``_fivetran_synced`` of the sync before it (the previous high-water mark).
    """
    folder = tmp_path_factory.mktemp("synced")
    build = Build(db=folder / "warehouse.duckdb", target=folder / "target")
    shutil.copy(clean_build.db, build.db)
    with duckdb.connect(str(build.db), read_only=True) as con:
        (previous_sync,) = con.execute(
            "select cast(max(_fivetran_synced) as varchar) from landing_azure_sql.shipments"
        ).fetchone()
    build.generator("sync", "--days", "3")
    build.dbt("build")
    return build, previous_sync
