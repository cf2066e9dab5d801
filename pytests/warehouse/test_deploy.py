"""`just deploy` refuses without credentials; the CI workflows use secrets by name only (fast)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from warehouse.deploy import REQUIRED, missing_settings
from warehouse.runtime import REPO_ROOT

COMPLETE = {name: "x" for name in REQUIRED} | {"SNOWFLAKE_AUTH": "password", "SNOWFLAKE_PASSWORD": "secret"}


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("SNOWFLAKE_")}


def test_deploy_without_credentials_lists_what_is_missing_and_exits_2() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "warehouse.deploy"], cwd=REPO_ROOT, env=_clean_env(),
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 2
    for name in [*REQUIRED, "SNOWFLAKE_PASSWORD", "SNOWFLAKE_PRIVATE_KEY_PATH"]:
        assert name in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_one_missing_variable_is_named_alone() -> None:
    env = dict(COMPLETE)
    del env["SNOWFLAKE_WAREHOUSE"]
    missing = missing_settings(env)
    assert len(missing) == 1 and missing[0].startswith("SNOWFLAKE_WAREHOUSE")


def test_key_pair_file_must_exist(tmp_path: Path) -> None:
    env = {name: "x" for name in REQUIRED} | {"SNOWFLAKE_PRIVATE_KEY_PATH": str(tmp_path / "absent.p8")}
    assert "not a file" in missing_settings(env)[0]
    (tmp_path / "key.p8").write_text("-----BEGIN PRIVATE KEY-----\n")
    env["SNOWFLAKE_PRIVATE_KEY_PATH"] = str(tmp_path / "key.p8")
    assert missing_settings(env) == []


def test_deploy_with_credentials_builds_prod() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "warehouse.deploy", "--dry-run"], cwd=REPO_ROOT,
        env=_clean_env() | COMPLETE, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "build --target prod" in proc.stdout


@pytest.mark.parametrize("workflow", ["ci.yml", "deploy.yml"])
def test_workflows_use_secrets_by_name_only(workflow: str) -> None:
    text = (REPO_ROOT / ".github/workflows" / workflow).read_text()
    yaml.safe_load(text)
    secrets = set(re.findall(r"secrets\.([A-Z_]+)", text))
    assert secrets and all(name.startswith("SNOWFLAKE_") for name in secrets)
    assert not re.search(r"(password|private_key)\s*:\s*['\"]?[A-Za-z0-9+/=]{8,}", text, re.I)


def test_ci_runs_the_suite_and_slim_ci_against_snowflake() -> None:
    ci = yaml.safe_load((REPO_ROOT / ".github/workflows/ci.yml").read_text())
    on = ci.get("on", ci.get(True))
    assert "pull_request" in on
    steps = " ".join(str(step.get("run", "")) for job in ci["jobs"].values() for step in job["steps"])
    assert ".ci/run" in steps
    assert "--select state:modified+ --defer --state" in steps


def test_deploy_workflow_builds_prod_on_main() -> None:
    deploy = yaml.safe_load((REPO_ROOT / ".github/workflows/deploy.yml").read_text())
    on = deploy.get("on", deploy.get(True))
    assert on["push"]["branches"] == ["main"]
    steps = " ".join(str(step.get("run", "")) for step in deploy["jobs"]["deploy"]["steps"])
    assert "just deploy" in steps and "dbt retry --target prod" in steps
