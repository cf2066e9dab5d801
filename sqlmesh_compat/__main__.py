"""``python -m sqlmesh_compat plan``: SQLMesh plans and applies prod on the current landing data.

Creates ``.venv-sqlmesh`` if needed, exports the landing tables of the dbt warehouse
(``$LOGISTICS_DB``) and its handed-over snapshots (:data:`sqlmesh_compat.exclusions.HANDED_OVER`)
to Parquet in ``sqlmesh_compat/project/landing/``, and runs :mod:`sqlmesh_compat.runner` on
SQLMesh's own file (``$SQLMESH_DB``, default ``sqlmesh_warehouse.duckdb``) at the wall-clock time.
A snapshot dbt has not built yet is left out, with what depends on it.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlmesh_compat import environment
from sqlmesh_compat.exclusions import HANDED_OVER, HANDOVER_SCHEMA
from sqlmesh_compat.landing import export_handover, export_landing, mark_ready
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
        handed_over = export_handover(source, HANDED_OVER, LANDING, HANDOVER_SCHEMA)
        mark_ready(LANDING)
        environment.ensure()
    except (ValueError, OSError, environment.VenvError) as err:
        print(f"sqlmesh plan cannot start: {str(err).splitlines()[0]}", file=sys.stderr)
        return 2
    missing = sorted(set(HANDED_OVER) - set(handed_over))
    left_out = f"; not built by dbt, left out with their readers: {', '.join(missing)}" if missing else ""
    print(f"{tables} landing tables and {len(handed_over)} dbt snapshots of {source} → {LANDING} (Parquet)"
          f"{left_out}", flush=True)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")
    snapshots = [arg for name in handed_over for arg in ("--handover", name)]
    snapshots += [arg for name in missing for arg in ("--exclude", name)]
    completed = environment.run(
        ["-m", "sqlmesh_compat.runner", "--db", str(args.db), "--round", str(LANDING), now, "-", *snapshots],
        capture=False,
    )
    return 0 if completed.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
