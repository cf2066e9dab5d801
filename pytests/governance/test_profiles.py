"""The Snowflake profile targets: key-pair authentication by default, password only as an opt-in."""

from __future__ import annotations

from collections.abc import Mapping

import jinja2
import pytest
import yaml

from warehouse.runtime import REPO_ROOT

PROFILE = yaml.safe_load((REPO_ROOT / "profiles" / "profiles.yml").read_text())["logistics"]["outputs"]
SNOWFLAKE_TARGETS = sorted(
    n for n, t in PROFILE.items() if t["type"] == "snowflake" and n != "snowflake_emulated"
)


def _render(target: str, env: Mapping[str, str]) -> dict[str, str]:
    """The target's settings rendered the way dbt renders them (env_var with defaults)."""

    def env_var(name: str, default: str | None = None) -> str:
        if name in env:
            return env[name]
        if default is None:
            raise KeyError(name)
        return default

    jinja = jinja2.Environment()
    return {
        key: jinja.from_string(str(value)).render(env_var=env_var) for key, value in PROFILE[target].items()
    }


BASE = {
    "SNOWFLAKE_ACCOUNT": "a",
    "SNOWFLAKE_USER": "u",
    "SNOWFLAKE_CI_USER": "c",
    "SNOWFLAKE_ROLE": "TRANSFORMER",
    "SNOWFLAKE_WAREHOUSE": "w",
    "SNOWFLAKE_DATABASE": "LOGISTICS",
    "SNOWFLAKE_SCHEMA": "s",
}


@pytest.mark.parametrize("target", SNOWFLAKE_TARGETS)
def test_a_password_in_the_environment_is_ignored_unless_opted_in(target: str) -> None:
    rendered = _render(
        target, {**BASE, "SNOWFLAKE_PASSWORD": "secret", "SNOWFLAKE_PRIVATE_KEY_PATH": "/k.p8"}
    )
    assert rendered["password"] == ""
    assert rendered["private_key_path"] == "/k.p8"
    opted_in = _render(target, {**BASE, "SNOWFLAKE_PASSWORD": "secret", "SNOWFLAKE_AUTH": "password"})
    assert opted_in["password"] == "secret"


@pytest.mark.parametrize("target", SNOWFLAKE_TARGETS)
def test_an_encrypted_key_passphrase_is_passed_through(target: str) -> None:
    rendered = _render(
        target, {**BASE, "SNOWFLAKE_PRIVATE_KEY_PATH": "/k.p8", "SNOWFLAKE_PRIVATE_KEY_PASSPHRASE": "pw"}
    )
    assert rendered["private_key_passphrase"] == "pw"


def test_ci_uses_its_own_database_role_and_user_never_productions() -> None:
    ci = _render("ci", BASE)
    prod = _render("prod", BASE)
    assert ci["database"] != prod["database"] and ci["role"] != prod["role"] and ci["user"] != prod["user"]
    assert (
        "SNOWFLAKE_DATABASE" not in PROFILE["ci"]["database"]
        and "SNOWFLAKE_ROLE" not in PROFILE["ci"]["role"]
    )


DUCKDB_TARGETS = sorted(n for n, t in PROFILE.items() if t["type"] == "duckdb")


def _duckdb_limits(target: str, env: Mapping[str, str]) -> dict[str, str]:
    """The DuckDB config_options of a target, rendered as dbt renders them."""

    def env_var(name: str, default: str | None = None) -> str:
        return env.get(name, default) if default is not None else env[name]

    jinja = jinja2.Environment()
    options = PROFILE[target]["config_options"]
    return {key: jinja.from_string(str(value)).render(env_var=env_var) for key, value in options.items()}


@pytest.mark.parametrize("target", DUCKDB_TARGETS)
def test_duckdb_targets_bound_memory_and_spill_beside_the_warehouse(target: str) -> None:
    limits = _duckdb_limits(target, {"LOGISTICS_DB": "/data/wh.duckdb"})
    assert limits["memory_limit"].endswith("GB") and int(limits["threads"]) >= 1
    assert limits["temp_directory"] == "/data/wh.duckdb.tmp"
    tuned = _duckdb_limits(
        target,
        {
            "LOGISTICS_DUCKDB_MEMORY_LIMIT": "3GB",
            "LOGISTICS_DUCKDB_THREADS": "1",
            "LOGISTICS_DUCKDB_TEMP_DIR": "/scratch/spill",
        },
    )
    assert tuned == {"memory_limit": "3GB", "threads": "1", "temp_directory": "/scratch/spill"}
