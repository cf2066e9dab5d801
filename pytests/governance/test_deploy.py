"""`just deploy` refuses admin roles and password-only credentials, and keeps a failed run's results."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from warehouse import deploy
from warehouse.deploy import FAILED_RESULTS, REQUIRED, missing_settings
from warehouse.governance import load_declaration
from warehouse.runtime.runner import DbtRun


def _settings(tmp_path: Path, **extra: str) -> dict[str, str]:
    key = tmp_path / "key.p8"
    key.write_text("-----BEGIN PRIVATE KEY-----\n")
    return {name: "x" for name in REQUIRED} | {"SNOWFLAKE_ROLE": "TRANSFORMER",
                                               "SNOWFLAKE_PRIVATE_KEY_PATH": str(key)} | extra


@pytest.mark.parametrize("role", load_declaration().admin_roles)
def test_deploy_refuses_every_admin_role(tmp_path: Path, role: str) -> None:
    refused = missing_settings(_settings(tmp_path, SNOWFLAKE_ROLE=role.lower()))
    assert len(refused) == 1 and "admin role" in refused[0]
    assert missing_settings(_settings(tmp_path)) == []


def test_a_password_alone_is_not_accepted_without_the_opt_in(tmp_path: Path) -> None:
    env = _settings(tmp_path, SNOWFLAKE_PASSWORD="secret")
    del env["SNOWFLAKE_PRIVATE_KEY_PATH"]
    assert "SNOWFLAKE_PRIVATE_KEY_PATH" in missing_settings(env)[0]
    assert missing_settings(env | {"SNOWFLAKE_AUTH": "password"}) == []


def test_a_failed_deploy_keeps_its_run_results_for_the_retry_to_leave_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = {"results": [{"unique_id": "model.logistics.m", "status": "error"}]}

    def failing_build(args: list[str], **_kwargs: object) -> DbtRun:
        (tmp_path / "run_results.json").write_text(json.dumps(results))
        return DbtRun(tuple(args), 1, "", 0.1, tmp_path)

    monkeypatch.setattr(deploy, "run_dbt", failing_build)
    for name, value in _settings(tmp_path).items():
        monkeypatch.setenv(name, value)
    assert deploy.main([]) == 1
    assert json.loads((tmp_path / FAILED_RESULTS).read_text()) == results
