"""A build refuses to touch another environment's database (the policies that guard production)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from parity_tests.builds import emulated_side
from parity_tests.emulator import Emulator
from warehouse.runtime import REPO_ROOT


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Emulator:
    with Emulator(db_path=tmp_path_factory.mktemp("emulator")) as running:
        yield running


def _governance_vars(database: str) -> str:
    governance = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]["governance"]
    governance["environments"]["snowflake_emulated"]["database"] = database
    return json.dumps({"governance": governance})


def test_a_target_on_another_environments_database_is_refused(emulator: Emulator, tmp_path: Path) -> None:
    side = emulated_side(REPO_ROOT, tmp_path, emulator.port)
    refused = side.dbt(
        "run-operation",
        "deploy_governance",
        "--args",
        "{dry_run: true}",
        "--vars",
        _governance_vars("LOGISTICS_OTHER"),
        timeout_s=300,
    )
    assert refused.returncode != 0
    assert "refusing to touch another environment's relations and policies" in refused.output
    assert "create role" not in refused.output.lower()
