"""``python -m warehouse summary`` and ``python -m warehouse sync``: the demo's last mile."""

from __future__ import annotations

import argparse
import subprocess
import sys

import duckdb
from rich.console import Console
from rich.table import Table

from warehouse import kpis
from warehouse.build_results import node_statuses
from warehouse.dbt_invoke import run_dbt
from warehouse.inventory import relations, rows_by_layer
from warehouse.paths import REPO_ROOT, dbt_env, warehouse_path

console = Console()


def print_summary() -> int:
    """Rows per layer, test results of the last dbt invocation, and headline KPIs."""
    db = warehouse_path()
    if not db.exists():
        console.print(f"[red]error:[/] no warehouse at {db}; run `just demo` or `just generate` first")
        return 2
    layers = Table(title=f"Rows per layer — {db.name}")
    for column in ("layer", "relations", "rows"):
        layers.add_column(column, justify="right" if column != "layer" else "left")
    for layer, (count, rows) in rows_by_layer(relations(db)).items():
        layers.add_row(layer, str(count), f"{rows:,}")
    console.print(layers)

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
    before = {(r.schema, r.name): r.rows for r in relations(db)} if db.exists() else {}
    generator = subprocess.run(
        [sys.executable, "-m", "generator", "sync", "--db", str(db), *argv],
        cwd=REPO_ROOT, env=dbt_env(), check=False,
    )
    if generator.returncode != 0:
        return generator.returncode
    code = run_dbt(["build"])
    after = relations(db)
    changed = Table(title="What the sync changed")
    for column in ("layer", "relation", "before", "after", "change"):
        changed.add_column(column, justify="left" if column in ("layer", "relation") else "right")
    for rel in after:
        old = before.get((rel.schema, rel.name), 0)
        if rel.rows != old:
            changed.add_row(rel.layer, rel.name, f"{old:,}", f"{rel.rows:,}", f"{rel.rows - old:+,}")
    console.print(changed)
    return code


def main(argv: list[str] | None = None) -> int:
    """Parse the sub-command and run it."""
    parser = argparse.ArgumentParser(prog="python -m warehouse", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("summary", help="rows per layer, last dbt results and headline KPIs")
    sub.add_parser(
        "sync", help="land the next sync (generator sync flags pass through), then dbt build",
        add_help=False,
    )
    args, rest = parser.parse_known_args(argv)
    try:
        if args.command == "summary":
            if rest:
                parser.error(f"unexpected arguments: {' '.join(rest)}")
            return print_summary()
        return sync(rest)
    except duckdb.IOException as error:
        console.print(f"[red]error:[/] cannot open {warehouse_path()}: {str(error).splitlines()[0]}")
        console.print("close the other process that holds the file (a notebook, a second build) and retry")
        return 2
