"""``python -m warehouse {summary,sync,build,dbt,audit}``: the demo's last mile.

Every command checks first that the warehouse file is not locked by another process (and, for
the Snowflake targets, that their environment variables are set) and otherwise fails with one
line saying what to do, exit code 2.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys

import duckdb
from rich.console import Console
from rich.table import Table

from warehouse import kpis
from warehouse.build_results import last_invocation_id, node_statuses
from warehouse.defect_audit import AuditNotBuilt, audit
from warehouse.inventory import relations, rows_by_layer, rows_written_by
from warehouse.preflight import (
    PreflightError,
    dbt_target,
    ensure_snowflake_settings,
    ensure_unlocked,
    locked_message,
)
from warehouse.runtime import REPO_ROOT, dbt_env, run_dbt, warehouse_path

# Logs and pipes get 120 columns (rich would wrap relation names at its default of 80).
console = Console() if sys.stdout.isatty() else Console(width=120)


def print_summary() -> int:
    """Rows per layer, test results of the last dbt invocation, and headline KPIs."""
    db = warehouse_path()
    if not db.exists():
        console.print(f"[red]error:[/] no warehouse at {db}; run `just demo` or `just generate` first")
        return 2
    layers = Table(title=f"Rows per layer — {db.name}")
    for column in ("layer", "relations", "rows"):
        layers.add_column(column, justify="right" if column != "layer" else "left")
    found = relations(db)
    for layer, (count, rows) in rows_by_layer(found).items():
        layers.add_row(layer, str(count), f"{rows:,}")
    console.print(layers)

    ml_tables = Table(title="ML feature store: history, features, labels")
    ml_tables.add_column("relation")
    ml_tables.add_column("rows", justify="right")
    for relation in (r for r in found if r.layer == "ml"):
        ml_tables.add_row(relation.name, f"{relation.rows:,}")
    if ml_tables.row_count:
        console.print(ml_tables)

    statuses = node_statuses()
    if statuses:
        nodes = Table(title="Last dbt invocation")
        nodes.add_column("node type")
        nodes.add_column("results")
        for resource, counts in sorted(statuses.items()):
            nodes.add_row(resource, ", ".join(f"{status} {n}" for status, n in sorted(counts.items())))
        console.print(nodes)

    headline = Table(title="Headline KPIs (tbl_fact_shipments)")
    headline.add_column("KPI")
    headline.add_column("value", justify="right")
    with duckdb.connect(str(db), read_only=True) as con:
        for name, value in kpis.headline(con):
            headline.add_row(name, value)
    console.print(headline)
    return 0


def sync(argv: list[str]) -> int:
    """Land the next generator sync, build incrementally, and print the relations that changed."""
    db = warehouse_path()
    ensure_unlocked(db)
    before = {(r.schema, r.name): r.rows for r in relations(db)} if db.exists() else {}
    generator = subprocess.run(
        [sys.executable, "-m", "generator", "sync", "--db", str(db), *argv],
        cwd=REPO_ROOT, env=dbt_env(), check=False,
    )
    if generator.returncode != 0:
        return generator.returncode
    code = run_dbt(["build"], capture=False).returncode
    ensure_unlocked(db)
    after = relations(db)
    invocation_id = last_invocation_id()
    written = rows_written_by(db, invocation_id) if invocation_id else {}
    changed = Table(
        title="What the sync changed",
        caption="written: rows the incremental build inserted or updated (their _run_invocation_id)",
    )
    for column in ("layer", "relation", "before", "after", "change", "written"):
        changed.add_column(column, justify="left" if column in ("layer", "relation") else "right")
    for rel in after:
        old = before.get((rel.schema, rel.name), 0)
        merged = written.get((rel.schema, rel.name))
        if rel.rows != old or merged:
            merged_text = "" if merged is None else f"{merged:,}"
            counts = (f"{old:,}", f"{rel.rows:,}", f"{rel.rows - old:+,}", merged_text)
            changed.add_row(rel.layer, rel.name, *counts)
    console.print(changed)
    return code


def dbt(args: list[str]) -> int:
    """Run ``dbt <args>`` after the preflight checks of its target; return dbt's exit code."""
    target = dbt_target(args)
    ensure_snowflake_settings(target)
    if target == "dev":
        ensure_unlocked(warehouse_path())
    return run_dbt(args, capture=False).returncode


def clean() -> int:
    """Remove the warehouse file, its WAL and its spill folder, unless another process holds the file."""
    db = warehouse_path()
    ensure_unlocked(db)
    for path in (db, db.with_name(db.name + ".wal")):
        path.unlink(missing_ok=True)
    shutil.rmtree(db.with_name(db.name + ".tmp"), ignore_errors=True)
    return 0


def print_audit() -> int:
    """The defect audit of the built warehouse (its audit models): per defect type and per entity; 1 if
    anything is missed."""
    db = warehouse_path()
    if not db.exists():
        console.print(f"[red]error:[/] no warehouse at {db}; run `just demo` first", soft_wrap=True)
        return 2
    result = audit(db)
    defects = Table(title="Defects injected by the generator")
    for column in ("defect type", "injected", "quarantined", "corrected", "harmless", "missed"):
        defects.add_column(column, justify="left" if column == "defect type" else "right")
    for r in result.defect_types.values():
        counts = (r.injected, r.quarantined, r.corrected, r.harmless, r.missed)
        defects.add_row(r.defect_type, *(f"{n:,}" for n in counts))
    console.print(defects)
    rows = Table(title="Landed rows per entity")
    columns = ("entity", "landed", "superseded", "raw quarantined", "staged", "staging quarantined", "lost")
    for column in columns:
        rows.add_column(column, justify="left" if column == "entity" else "right")
    for e in result.entities:
        counts = (e.landed, e.superseded, e.raw_quarantined, e.staged, e.staging_quarantined, e.lost)
        rows.add_row(e.table, *(f"{n:,}" for n in counts))
    console.print(rows)
    for line in result.failures:
        console.print(f"[red]failed:[/] {line}", soft_wrap=True)
    return 1 if result.failures else 0


def main(argv: list[str] | None = None) -> int:
    """Parse the sub-command and run it."""
    parser = argparse.ArgumentParser(prog="python -m warehouse", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("summary", help="rows per layer, last dbt results and headline KPIs")
    sub.add_parser(
        "sync", help="land the next sync (generator sync flags pass through), then dbt build",
        add_help=False,
    )
    sub.add_parser("build", help="dbt build (dbt flags pass through)", add_help=False)
    sub.add_parser("dbt", help="any dbt command (e.g. `dbt debug --target snowflake_dev`)", add_help=False)
    sub.add_parser("audit", help="defects injected vs caught, landed rows per entity")
    sub.add_parser("clean", help="remove the warehouse file (refused while another process holds it)")
    args, rest = parser.parse_known_args(argv)
    if args.command in ("summary", "audit", "clean") and rest:
        parser.error(f"unexpected arguments: {' '.join(rest)}")
    try:
        if args.command == "summary":
            return print_summary()
        if args.command == "audit":
            return print_audit()
        if args.command == "clean":
            return clean()
        if args.command == "build":
            return dbt(["build", *rest])
        if args.command == "dbt":
            return dbt(rest)
        return sync(rest)
    except PreflightError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except duckdb.IOException as error:
        print(f"error: {locked_message(warehouse_path(), error)}", file=sys.stderr)
        return 2
    except (duckdb.CatalogException, AuditNotBuilt) as error:
        print(
            f"error: {warehouse_path()} holds no built warehouse ({str(error).splitlines()[0]}); "
            "run `just build` (or `just demo`) first",
            file=sys.stderr,
        )
        return 2
