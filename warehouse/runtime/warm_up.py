"""Warm a dbt process up on a tiny project, so that the processes forked from it start warm.

dbt's artefacts (the parse state it reads, the manifest and run results it writes) are dataclasses
whose (de)serialisers mashumaro generates the first time each class is used in a process: ≈ 1.8 of
the ≈ 4 CPU-seconds of a forked ``dbt run`` of one model at CI scale. :func:`warm_up` builds
:data:`PROJECT` twice in this process (the second build reads the first's saved parse state), which
generates them for every kind of node the warehouse has; a fork server that has run it hands them
to every child (:mod:`~warehouse.runtime.forked`).
"""

from __future__ import annotations

import gc
import os
import tempfile
from pathlib import Path

# One node of each kind the warehouse builds: table, view, ephemeral and incremental models, a seed,
# a snapshot, generic and singular data tests and a source. Not a unit test, an exposure or a snapshot
# declared in YAML, and no static parser: dbt parses those with dbt_extractor, whose thread pool would
# stay in this process, which must have no other thread when it forks (a child would find the pool's
# threads gone and could wait for them forever).
PROJECT = {
    "dbt_project.yml": "name: warm_up\nversion: '1.0'\nprofile: warm_up\n",
    "profiles.yml": (
        "warm_up:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n"
        "      threads: 1\n      config_options: {threads: 1}\n"
    ),
    "seeds/seed_rows.csv": "id,name\n1,a\n",
    "models/source_rows.sql": "{{ config(materialized='table') }}\nselect 1 as id, 'a' as name\n",
    "models/stage_rows.sql": "{{ config(materialized='ephemeral') }}\nselect * from {{ ref('seed_rows') }}\n",
    "models/view_rows.sql": "select * from {{ ref('stage_rows') }}\n",
    "models/merged_rows.sql": (
        "{{ config(materialized='incremental', unique_key='id') }}\nselect * from {{ ref('source_rows') }}\n"
    ),
    "models/_models.yml": """
version: 2
sources:
  - name: landing
    schema: main
    tables: [{name: seed_rows}]
models:
  - name: source_rows
    description: rows
    columns:
      - name: id
        data_tests: [not_null, unique]
      - name: name
        data_tests: [{accepted_values: {arguments: {values: [a]}}}]
""",
    "snapshots/rows_snapshot.sql": (
        "{% snapshot rows_snapshot %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\n"
        "select * from {{ ref('source_rows') }}\n{% endsnapshot %}\n"
    ),
    "tests/no_row_without_id.sql": "select * from {{ ref('view_rows') }} where id is null\n",
}


def warm_up() -> bool:
    """Build :data:`PROJECT` twice in this process, in a temporary folder and an in-memory DuckDB,
    with an environment of its own; the caller's environment is put back after, and no connection or
    thread is left open (the process stays safe to fork). True when both builds passed."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager
    from dbt.cli.main import dbtRunner

    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="dbt-warm-up-") as folder:
        for name, text in PROJECT.items():
            path = Path(folder, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        os.environ.clear()
        os.environ.update({"PATH": saved.get("PATH", ""), "HOME": folder, "DO_NOT_TRACK": "1"})
        args = [
            "build", "--project-dir", folder, "--profiles-dir", folder, "--target", "dev",
            "--target-path", f"{folder}/target", "--log-path", f"{folder}/logs",
            "--log-level", "none", "--log-level-file", "none", "--no-send-anonymous-usage-stats",
            "--no-static-parser",
        ]
        try:
            passed = all(dbtRunner().invoke(args).success for _ in range(2))
        finally:
            DuckDBConnectionManager.close_all_connections()
            os.environ.clear()
            os.environ.update(saved)
            gc.collect()  # the in-memory database's last reference: its threads end with it
    return passed
