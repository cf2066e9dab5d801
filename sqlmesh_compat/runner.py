"""The SQLMesh side: runs INSIDE ``.venv-sqlmesh`` (sqlmesh, duckdb 1.5); imports only sqlmesh_compat.landing.

``python -m sqlmesh_compat.runner --db FILE --round INPUT_DIR EXECUTION_TIME EXPORT_DIR [--round ...]``
does, per round in order (``-`` as EXPORT_DIR: export nothing):

1. wait until INPUT_DIR is complete (its ``READY`` marker), then (re)load every
   ``INPUT_DIR/<schema>.<table>.parquet`` into SQLMesh's DuckDB file, replacing what was there: the
   landing tables and dbt's handed-over snapshots (``dbt_handover.<name>``). Parquet is how data
   crosses from the project's DuckDB 2.0 to SQLMesh's DuckDB 1.5: neither can open the other's files;
2. the first round plans and applies prod at EXECUTION_TIME; later rounds ``run`` prod at theirs.
   Both are pinned instants, never the wall clock: the models start on ``MODEL_START``
   (project/config.py), so a plan at ``2026-01-01`` backfills one daily interval and a run at
   ``2026-01-02`` finds exactly the next one closed: every model's cron fires, incremental models
   merge the newly landed rows, snapshots add versions;
3. export every built model (seeds and snapshots included) to ``EXPORT_DIR/<schema>.<table>.parquet``
   for the comparison in the project's environment.

``--handover SNAPSHOT`` makes SQLMesh read dbt's table of that snapshot (``dbt_handover.SNAPSHOT``)
instead of building its own SCD2 version (``HandoverLoader`` in project/config.py;
sqlmesh_compat/exclusions.py says why); the models built on it run as usual.
``--exclude MODEL`` leaves a model and everything downstream of it out of the plan. One process does
every round, so SQLMesh loads the dbt project once (~1 min).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from sqlmesh_compat.landing import load_statements, wait_ready

PROJECT = Path(__file__).resolve().parent / "project"


def schema_table(fqn: str) -> tuple[str, str]:
    """(schema, table) of a model's fully qualified name."""
    from sqlglot import exp

    table = exp.to_table(fqn)
    return table.db, table.name


def selected_models(context: Any, excluded: set[str]) -> list[str]:
    """The fqns of the models to build: all but external sources, the ``excluded`` model names and
    every model downstream of one."""
    built = [m for m in context.models.values() if not (m.kind.is_external or m.kind.is_embedded)]
    dropped = {m.fqn for m in built if schema_table(m.fqn)[1] in excluded}
    for fqn in list(dropped):
        dropped.update(context.dag.downstream(fqn))
    return sorted(m.fqn for m in built if m.fqn not in dropped)


def export_models(context: Any, fqns: list[str], out: Path) -> int:
    """Write the prod relation of every model in ``fqns`` as Parquet; the number written."""
    out.mkdir(parents=True, exist_ok=True)
    for fqn in fqns:
        schema, table = schema_table(fqn)
        context.engine_adapter.execute(
            f"copy (select * from \"{schema}\".\"{table}\") to '{out / f'{schema}.{table}.parquet'}' "
            "(format parquet)"
        )
    return len(fqns)


def main(argv: list[str] | None = None) -> int:
    """Run the rounds; exit 1 when a plan or run does not complete."""
    parser = argparse.ArgumentParser(prog="python -m sqlmesh_compat.runner", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True, help="SQLMesh's DuckDB file (never dbt's)")
    parser.add_argument("--round", dest="rounds", nargs=3, action="append", required=True,
                        metavar=("LANDING_DIR", "EXECUTION_TIME", "EXPORT_DIR"))
    parser.add_argument("--exclude", action="append", default=[], metavar="MODEL",
                        help="leave this model and everything downstream of it out")
    parser.add_argument("--handover", action="append", default=[], metavar="SNAPSHOT",
                        help="read dbt's table of this snapshot (dbt_handover.SNAPSHOT), do not build it")
    parser.add_argument("--wait", type=float, default=1800, help="seconds to wait for each INPUT_DIR")
    parser.add_argument("--project", type=Path, default=PROJECT, help="the SQLMesh project folder")
    args = parser.parse_args(argv)
    os.environ.setdefault("SQLMESH__DISABLE_ANONYMIZED_ANALYTICS", "1")
    # the dbt profile's dev target reads LOGISTICS_DB; project/config.py checks that it is SQLMESH_DB
    os.environ["SQLMESH_DB"] = os.environ["LOGISTICS_DB"] = str(args.db.resolve())

    from sqlmesh import Context
    from sqlmesh.core.console import configure_console
    from sqlmesh.utils.errors import SQLMeshError

    configure_console()  # the default console is silent, errors included
    started = time.monotonic()
    os.environ["SQLMESH_HANDOVER"] = ",".join(args.handover)  # read by project/config.py's loader
    context = Context(paths=[str(args.project)])
    models = selected_models(context, set(args.exclude))
    print(f"loaded {len(context.models)} SQLMesh nodes in {time.monotonic() - started:.0f}s; "
          f"building {len(models)}", flush=True)
    for number, (landing, execution_time, export) in enumerate(args.rounds):
        wait_ready(Path(landing), args.wait)
        began = time.monotonic()
        statements = load_statements(Path(landing))
        for statement in statements:
            context.engine_adapter.execute(statement)
        try:
            if number == 0:
                context.plan("prod", execution_time=execution_time, select_models=models, auto_apply=True,
                             no_prompts=True, skip_tests=True)
            elif not context.run("prod", execution_time=execution_time, select_models=models).is_success:
                raise SQLMeshError(f"sqlmesh run at {execution_time} did not complete")
        except SQLMeshError as err:
            print(f"round {number} failed: {err}", file=sys.stderr)
            return 1
        exported = export_models(context, models, Path(export)) if export != "-" else 0
        print(f"round {number}: {len(statements) // 2} input tables, {'plan' if number == 0 else 'run'} at "
              f"{execution_time}, {exported} models exported in {time.monotonic() - began:.0f}s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
