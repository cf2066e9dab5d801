"""The deploy and CI workflows keep environments apart: production only from main, CI on its own secrets."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from warehouse.runtime import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"


def _load(name: str) -> dict[str, Any]:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def test_production_deploys_only_from_main_through_the_protected_environment() -> None:
    job = _load("deploy.yml")["jobs"]["deploy"]
    assert job["environment"] == "production"
    assert job["if"] == "github.ref == 'refs/heads/main'"
    assert "SNOWFLAKE_PASSWORD" not in job["env"]  # key pair only


def test_the_failed_deploys_results_are_uploaded_beside_the_retrys() -> None:
    steps = _load("deploy.yml")["jobs"]["deploy"]["steps"]
    upload = next(s for s in steps if "upload-artifact" in s.get("uses", ""))
    assert "target/run_results.failed.json" in upload["with"]["path"]


def test_no_ci_job_sees_a_production_secret() -> None:
    production_only = {
        "SNOWFLAKE_USER",
        "SNOWFLAKE_ROLE",
        "SNOWFLAKE_DATABASE",
        "SNOWFLAKE_PRIVATE_KEY",
        "SNOWFLAKE_PASSWORD",
        "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE",
    }
    for name in ("ci.yml", "ci-cleanup.yml"):
        text = (WORKFLOWS / name).read_text()
        for secret in production_only:
            assert f"secrets.{secret} " not in text and f"secrets.{secret}}}" not in text, (name, secret)
        for job in _load(name)["jobs"].values():
            for step in job.get("steps", []):
                assert "--target prod" not in step.get("run", ""), name


def test_closed_pull_requests_drop_their_ci_schemas() -> None:
    cleanup = _load("ci-cleanup.yml")
    assert cleanup[True]["pull_request"]["types"] == ["closed"]  # PyYAML reads `on:` as True
    runs = " ".join(s.get("run", "") for s in cleanup["jobs"]["drop-ci-schemas"]["steps"])
    assert "drop_ci_schemas --target ci" in runs


def test_grants_are_audited_daily_by_the_policy_owner() -> None:
    audit = _load("audit-grants.yml")
    assert audit[True]["schedule"]
    job = audit["jobs"]["audit-grants"]
    assert job["env"]["SNOWFLAKE_ROLE"] == "GOVERNANCE_ADMIN" and job["environment"] == "audit"
    assert any(s.get("run") == "just audit-grants" for s in job["steps"])


@pytest.mark.parametrize("recipe, operation", [("deploy-governance", "deploy_governance"),
                                               ("audit-grants", "audit_grants")])
def test_governance_recipes_pass_their_arguments_quoted(recipe: str, operation: str, tmp_path: Path) -> None:
    just = shutil.which("just")
    assert just, "just is installed with the dev dependencies (rust-just)"
    fake_dbt = tmp_path / "dbt"  # prints the arguments it received, one a line
    fake_dbt.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    fake_dbt.chmod(0o755)
    env = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}
    env.pop("DBT_TARGET", None)
    ran = subprocess.run(
        [just, "--justfile", str(REPO_ROOT / "justfile"), recipe, "--args", "{dry_run: true}"],
        capture_output=True, text=True, check=True, env=env,
    )
    expected = ["run-operation", operation, "--target", "prod", "--args", "{dry_run: true}"]
    assert ran.stdout.splitlines() == expected
