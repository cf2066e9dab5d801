# The verbs of the logistics warehouse. Every recipe is one line you could type by hand.
set shell := ["bash", "-euo", "pipefail", "-c"]

export DBT_PROFILES_DIR := justfile_directory() / "profiles"
export DBT_PROJECT_DIR := justfile_directory()
export LOGISTICS_DB := env_var_or_default("LOGISTICS_DB", justfile_directory() / "warehouse.duckdb")

# Scale of the demo: about a minute end to end on 2 cores. 0.05: 50 vehicles, 35 breakdowns in two
# years, enough for the breakdown model to beat its baseline (0.02 had 20 vehicles, 13 breakdowns: it could not).
demo_scale := env_var_or_default("DEMO_SCALE", "0.05")

# List the recipes.
default:
    @just --list

# Generate data, build and test every model on DuckDB, train and score the ML models, print a summary.
# Starts from a new warehouse file: a fresh initial load under tables built from an earlier one
# (another scale or seed) would leave the incremental models holding both.
demo: clean (generate "--scale" demo_scale) build train score summary

# Land a fresh initial load (flags pass through: --scale, --seed, --dirty-rate, --start, --end ...).
generate *ARGS:
    python -m generator generate --db "$LOGISTICS_DB" {{ARGS}}

# Land the next Fivetran sync, build incrementally and print what changed.
sync *ARGS:
    python -m warehouse sync {{ARGS}}

# Seed, run, snapshot and test every node on DuckDB (fails fast, in one line, if the file is locked).
build *ARGS:
    python -m warehouse build --fail-fast {{ARGS}}

# Print rows per layer, test results and headline KPIs of the last build.
summary:
    python -m warehouse summary

# Match the generator's defect manifest to the build: every defect quarantined or corrected, no row lost.
audit:
    python -m warehouse audit

# pytest-xdist workers of `just test` / `just test-slow`: the suite runs one process at a time, so a second
# worker uses the second core; tests that share a build stay on one worker (pytests/conftest.py). 0: no workers.
test_workers := env_var_or_default("TEST_WORKERS", "2")
xdist := "-n " + test_workers + " --dist loadgroup --no-loadscope-reorder"

# The whole test suite: lint, unit and integration tests.
test *ARGS:
    ruff check . && pytest {{xdist}} {{ARGS}}

# Benchmarks of the generator and the warehouse (quick mode, SF 0.1; BENCH_FULL=1 for SF 1), the scaling table (SF 0.1, 1; BENCH_FULL=1: 10).
bench *ARGS:
    pytest pytests/generator/bench_generator.py pytests/warehouse/bench_warehouse.py pytests/warehouse/bench_scale.py pytests/warehouse/bench_ml_features.py pytests/datadiff/bench_datadiff.py pytests/modelops/bench_online.py --benchmark-enable -p no:randomly -s {{ARGS}}

# Incremental = full refresh over several syncs, idempotent re-runs, every kill point, defects (a table).
reliability *ARGS:
    python -m warehouse.reliability {{ARGS}}

# The tests `just test` leaves out to stay fast (marked `slow`; README "Where each test runs"), nightly in CI.
test-slow *ARGS:
    pytest -m slow {{xdist}} {{ARGS}}

# Train both models (time split), evaluate vs baseline and oracle, register, promote; rebuild the registry models.
train *ARGS:
    python -m modelops train {{ARGS}}

# Batch-score new feature rows with the production models (tbl_ml_predictions), export the online store.
score:
    python -m modelops score

# The online scoring endpoint over the exported online store (`just score` exports it); GET /health, /predict/<model>?ids=
serve *ARGS:
    python -m modelops serve {{ARGS}}

# Evaluate the alert rules on the warehouse's data; exit 1 on a critical alert (--notify URL|FILE).
monitor *ARGS:
    python -m monitoring monitor {{ARGS}}

# Write the self-contained HTML report of the warehouse (report.html; --out PATH).
report *ARGS:
    python -m monitoring report {{ARGS}}

# Lint DuckDB SQL for constructs that mean something else on Snowflake (--sql '…', files, --coverage).
[positional-arguments]
lint-snowflake *ARGS:
    python -m parity_tests.lint "$@"

# dbt docs (the lineage shows the layers).
docs:
    dbt docs generate

# Remove the warehouse file (refused, in one line, while another process holds it) and dbt's build artefacts.
clean:
    python -m warehouse clean && dbt clean

# Compile the whole project for Snowflake offline (emulator), parse it strictly, lint the DuckDB SQL.
check-snowflake *ARGS:
    python -m parity_tests.check_snowflake {{ARGS}}

# Build the same generated data on DuckDB and on emulated Snowflake; compare every model.
parity *ARGS:
    python -m parity_tests.parity {{ARGS}}

# Roles, grants and policies from vars.governance, as SECURITYADMIN then GOVERNANCE_ADMIN, before `just deploy` (DBT_TARGET, default prod; --args '{dry_run: true}' prints the SQL).
[positional-arguments]
deploy-governance *ARGS:
    dbt run-operation deploy_governance --target "${DBT_TARGET:-prod}" "$@"

# Compare the account's grants, role grants and policy attachments with vars.governance (Snowflake only; fails on drift).
[positional-arguments]
audit-grants *ARGS:
    dbt run-operation audit_grants --target "${DBT_TARGET:-prod}" "$@"

# dbt build --target prod on Snowflake (credentials from SNOWFLAKE_* env vars); `dbt retry` after a failure.
deploy *ARGS:
    python -m warehouse.deploy {{ARGS}}

# Data diff of the working tree against BASE (default: merge base with main) on the same generated data.
[positional-arguments]
diff *ARGS:
    python -m warehouse.datadiff "$@"

# SQLMesh (own venv, created on first use) plans and applies the project on the current landing data.
sqlmesh-plan *ARGS:
    python -m sqlmesh_compat plan {{ARGS}}

# Build the same generated data with dbt and SQLMesh (initial load, then a sync); compare every model.
sqlmesh-parity *ARGS:
    python -m sqlmesh_compat.parity {{ARGS}}
