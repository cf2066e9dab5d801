"""Bad input at every door of the warehouse: a clear message, a non-zero exit, nothing written.

The generator's own flags are covered in pytests/generator/test_cli.py; here: the warehouse CLI,
dbt vars through it, and the Snowflake profile's environment variables.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from warehouse.inventory import relations
from warehouse.preflight import SNOWFLAKE_ENV_TARGETS
from warehouse.runtime import REPO_ROOT, ScratchWarehouse


def _warehouse(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "warehouse", *args],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


@pytest.fixture
def scratch_build(clean_build: ScratchWarehouse, tmp_path: Path) -> ScratchWarehouse:
    """A throw-away copy of the clean warehouse with its own dbt target folder."""
    return clean_build.copy(tmp_path / "scratch")


def _warehouse_on(build: ScratchWarehouse, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m warehouse ARGS`` on ``build`` (run in its folder, with its environment)."""
    return build.run([sys.executable, "-m", "warehouse", *args], check=False)


def _contents(db: Path) -> list[tuple[str, str, int]]:
    return [(r.schema, r.name, r.rows) for r in relations(db)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bogus"], "invalid choice: 'bogus'"),
        (["summary", "--nope"], "unexpected arguments: --nope"),
        (["audit", "extra"], "unexpected arguments: extra"),
        ([], "the following arguments are required: command"),
    ],
)
def test_bad_subcommands_print_usage_and_exit_2(args: list[str], message: str, tmp_path: Path) -> None:
    completed = _warehouse(*args, env={**os.environ, "LOGISTICS_DB": str(tmp_path / "none.duckdb")})
    assert completed.returncode == 2
    assert completed.stderr.startswith("usage: python -m warehouse")
    assert message in completed.stderr
    assert "Traceback" not in completed.stderr


@pytest.mark.parametrize("command", ["summary", "audit"])
def test_reading_a_warehouse_that_does_not_exist_says_what_to_run(command: str, tmp_path: Path) -> None:
    completed = _warehouse(command, env={**os.environ, "LOGISTICS_DB": str(tmp_path / "none.duckdb")})
    assert completed.returncode == 2
    assert "no warehouse at" in completed.stdout + completed.stderr
    assert not (tmp_path / "none.duckdb").exists()


def test_auditing_an_unbuilt_warehouse_says_to_build_first(tmp_path: Path) -> None:
    landed = ScratchWarehouse(tmp_path)
    landed.generator("generate", "--scale", "0.001")
    completed = _warehouse("audit", env={**landed.env(), "LOGISTICS_DB": str(landed.db)})
    assert completed.returncode == 2
    assert completed.stderr.startswith(f"error: {landed.db} holds no built warehouse")
    assert "run `just build`" in completed.stderr and "Traceback" not in completed.stderr


def test_a_malformed_as_of_var_fails_before_anything_is_written(scratch_build: ScratchWarehouse) -> None:
    before = _contents(scratch_build.db)
    completed = _warehouse_on(
        scratch_build, "build", "--target-path", str(scratch_build.target), "--vars", '{as_of: "not-a-date"}'
    )
    assert completed.returncode != 0
    assert "var('as_of') must be a UTC date or timestamp" in completed.stdout
    assert "got 'not-a-date'" in completed.stdout
    assert "Traceback" not in completed.stdout + completed.stderr
    assert not (scratch_build.target / "run_results.json").exists()
    assert _contents(scratch_build.db) == before


def test_bad_sync_flags_are_rejected_before_anything_is_written(scratch_build: ScratchWarehouse) -> None:
    before = _contents(scratch_build.db)
    completed = _warehouse_on(scratch_build, "sync", "--days", "-1")
    assert completed.returncode == 2
    assert "--days '-1' must be between 1 and 366" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert _contents(scratch_build.db) == before


@pytest.mark.parametrize(
    "dbt_args",
    [["dbt", "debug", "--target", "snowflake_dev"], ["build", "--target", "prod"], ["dbt", "build"]],
    ids=["debug snowflake_dev", "build prod", "DBT_TARGET=snowflake_dev"],
)
def test_snowflake_targets_without_credentials_list_every_missing_variable(
    dbt_args: list[str], tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SNOWFLAKE_")}
    env |= {"LOGISTICS_DB": str(tmp_path / "none.duckdb"), "DBT_TARGET": "snowflake_dev"}
    env["SNOWFLAKE_ACCOUNT"] = "myorg-myaccount"  # one set: only the others are listed
    completed = _warehouse(*dbt_args, "--target-path", str(tmp_path / "target"), env=env)

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "Traceback" not in completed.stderr
    target = dbt_args[dbt_args.index("--target") + 1] if "--target" in dbt_args else "snowflake_dev"
    assert target in SNOWFLAKE_ENV_TARGETS
    assert completed.stderr.startswith(f"error: target {target} needs these environment variables")
    # names listed with a hint after them, e.g. "  - SNOWFLAKE_USER (the deploying ...)"; key-pair
    # authentication is the default, a password only with SNOWFLAKE_AUTH=password
    for name in ("SNOWFLAKE_USER", "SNOWFLAKE_ROLE", "SNOWFLAKE_WAREHOUSE", "SNOWFLAKE_DATABASE",
                 "SNOWFLAKE_SCHEMA", "SNOWFLAKE_PRIVATE_KEY_PATH"):
        assert f"  - {name}" in completed.stderr
    assert "  - SNOWFLAKE_ACCOUNT" not in completed.stderr
    assert not (tmp_path / "target").exists()
