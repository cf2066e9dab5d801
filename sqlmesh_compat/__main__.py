"""``python -m sqlmesh_compat plan``: SQLMesh plans and applies prod on the current landing data.

Creates ``.venv-sqlmesh`` if needed, exports the landing tables of the dbt warehouse
(``$LOGISTICS_DB``) to Parquet in ``sqlmesh_compat/project/landing/``, and runs
:mod:`sqlmesh_compat.runner` on SQLMesh's own file (``$SQLMESH_DB``, default
``sqlmesh_warehouse.duckdb``) at the wall-clock time, leaving out the models of
:mod:`sqlmesh_compat.exclusions` and what depends on them.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlmesh_compat import environment
from sqlmesh_compat.exclusions import EXCLUDED
from sqlmesh_compat.landing import export_landing
from warehouse.runtime import warehouse_path

LANDING = environment.REPO_ROOT / "sqlmesh_compat" / "project" / "landing"


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: exit 0 when the plan applied, 1 when SQLMesh failed, 2 when it cannot start."""
    parser = argparse.ArgumentParser(prog="python -m sqlmesh_compat", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["plan"])
    default_db = os.environ.get("SQLMESH_DB") or environment.REPO_ROOT / "sqlmesh_warehouse.duckdb"
    parser.add_argument("--db", type=Path, default=Path(default_db), help="SQLMesh's own DuckDB file")
    args = parser.parse_args(argv)
    source = warehouse_path()
    if args.db.resolve() == source.resolve():
        print(f"--db {args.db} is the dbt warehouse: SQLMesh needs its own file", file=sys.stderr)
        return 2
    try:
        tables = export_landing(source, LANDING)
        environment.ensure()
    except (ValueError, OSError, environment.VenvError) as err:
        print(f"sqlmesh plan cannot start: {str(err).splitlines()[0]}", file=sys.stderr)
        return 2
    print(f"{tables} landing tables of {source} → {LANDING} (Parquet)", flush=True)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    excluded = [arg for name in EXCLUDED for arg in ("--exclude", name)]
    completed = environment.run(
        ["-m", "sqlmesh_compat.runner", "--db", str(args.db), "--round", str(LANDING), now, "-", *excluded],
        capture=False,
    )
    return 0 if completed.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
