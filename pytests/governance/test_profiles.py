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
