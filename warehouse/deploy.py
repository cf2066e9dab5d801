"""``python -m warehouse.deploy`` (``just deploy``): ``dbt build --target prod`` on Snowflake.

Credentials come from environment variables only: the account, user, role, warehouse, database and
schema, and a key pair (``SNOWFLAKE_PRIVATE_KEY_PATH``, a PKCS#8 private key file, encrypted with
``SNOWFLAKE_PRIVATE_KEY_PASSPHRASE`` if at all); a password (``SNOWFLAKE_PASSWORD``) only with the
explicit opt-in ``SNOWFLAKE_AUTH=password``. When any is missing, or the role is an admin role
(vars.governance.admin_roles: they see and may change everything), the deploy refuses, listing
what to set, and exits 2 without starting dbt. dbt unit tests are CI's job and are excluded here.

After a failed deploy, its ``target/run_results.json`` is kept as ``target/run_results.failed.json``
(the audit record), and ``dbt retry --target prod`` (with the same environment) re-runs only the
nodes that failed or were skipped.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from warehouse.governance import load_declaration
from warehouse.runtime import run_dbt

REQUIRED = {
    "SNOWFLAKE_ACCOUNT": "account identifier, e.g. myorg-myaccount",
    "SNOWFLAKE_USER": "the deploying (service) user",
    "SNOWFLAKE_ROLE": "role dbt runs as, e.g. TRANSFORMER",
    "SNOWFLAKE_WAREHOUSE": "warehouse, e.g. TRANSFORMING_WH",
    "SNOWFLAKE_DATABASE": "database the warehouse is built in",
    "SNOWFLAKE_SCHEMA": "default schema of the prod target",
}
FAILED_RESULTS = "run_results.failed.json"
BUILD_ARGS = ("build", "--target", "prod", "--exclude-resource-type", "unit_test")


def missing_settings(env: Mapping[str, str]) -> list[str]:
    """What is missing from ``env`` to deploy, one human-readable line each (empty: ready)."""
    missing = [f"{name} ({why})" for name, why in REQUIRED.items() if not env.get(name, "").strip()]
    key_path = env.get("SNOWFLAKE_PRIVATE_KEY_PATH", "").strip()
    if env.get("SNOWFLAKE_AUTH", "").strip().lower() == "password":
        if not env.get("SNOWFLAKE_PASSWORD", "").strip():
            missing.append("SNOWFLAKE_PASSWORD (SNOWFLAKE_AUTH=password opts in to password auth)")
    elif not key_path:
        missing.append("SNOWFLAKE_PRIVATE_KEY_PATH (key-pair auth; SNOWFLAKE_PASSWORD counts only with "
                       "the opt-in SNOWFLAKE_AUTH=password)")
    elif not Path(key_path).expanduser().is_file():
        missing.append(f"SNOWFLAKE_PRIVATE_KEY_PATH points to {key_path}, which is not a file")
    role = env.get("SNOWFLAKE_ROLE", "").strip().upper()
    if role in load_declaration().admin_roles:
        missing.append(f"SNOWFLAKE_ROLE is {role}, an admin role: deploy as the build role (TRANSFORMER)")
    return missing


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: refuse (exit 2) when settings are missing, else run dbt and return its exit code."""
    parser = argparse.ArgumentParser(prog="python -m warehouse.deploy", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dry-run", action="store_true", help="check the settings and print the command")
    parser.add_argument("dbt_args", nargs=argparse.REMAINDER, help="extra dbt arguments (after --)")
    args = parser.parse_args(argv)
    extra = [a for a in args.dbt_args if a != "--"]

    missing = missing_settings(os.environ)
    if missing:
        print("Refusing to deploy: these environment variables are missing or invalid:", file=sys.stderr)
        for line in missing:
            print(f"  - {line}", file=sys.stderr)
        print("Set them (in CI: repository secrets of the same names), then run `just deploy` again.",
              file=sys.stderr)
        return 2

    dbt_args = [*BUILD_ARGS, *extra]
    print("deploying: dbt", " ".join(dbt_args))
    if args.dry_run:
        return 0
    run = run_dbt(dbt_args, capture=False)
    if run.returncode != 0:
        results = run.target_path / "run_results.json"
        if results.exists():
            shutil.copyfile(results, results.with_name(FAILED_RESULTS))
        print(
            "\nThe deploy failed. Fix the cause, then re-run only the failed and skipped nodes with:\n"
            "  dbt retry --target prod\n"
            f"(same environment; it reads target/run_results.json, kept as target/{FAILED_RESULTS}).",
            file=sys.stderr,
        )
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
