"""``python -m sqlmesh_compat.parity``: the same generated data built by dbt and by SQLMesh, compared.

1. The generator lands an initial load, then one sync, in a scratch landing file; both states are
   exported to Parquet (:mod:`sqlmesh_compat.landing`) — the only form both DuckDB versions read.
2. dbt (the project's environment, DuckDB 2.0) builds the initial load, then the sync incrementally;
   the state after each build is kept, and after each its handed-over snapshots
   (:data:`sqlmesh_compat.exclusions.HANDED_OVER`) are exported to Parquet for SQLMesh's round.
3. Meanwhile SQLMesh (``.venv-sqlmesh``, DuckDB 1.5, :mod:`sqlmesh_compat.runner`) loads the project,
   then, once a round's inputs are complete, plans prod on the initial load at a fixed execution time,
   then runs once more on the sync at the next fixed time (incremental merges, not a rebuild);
   after each it exports every model to Parquet.
4. Every dbt model, seed and snapshot is compared with SQLMesh's after each round: row count and the
   order-independent content hash of :func:`warehouse.runtime.compare` (the one the Snowflake parity
   and the reliability drill use; ``_run_`` columns left out). Nodes of
   :mod:`sqlmesh_compat.exclusions` are reported, not compared; the models built on the handed-over
   snapshots are compared.

Exit 0 when every compared relation is equal after both rounds, 1 on a difference, 2 when it cannot run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from sqlmesh_compat import environment
from sqlmesh_compat.exclusions import HANDED_OVER, HANDOVER_SCHEMA, excluded_closure
from sqlmesh_compat.landing import export_handover, export_landing, load_landing, mark_ready
from warehouse.runtime import Comparison, DbtError, ScratchWarehouse, compare

COMPARED_TYPES = ("model", "snapshot", "seed")
# dbt's snapshot bookkeeping, which SQLMesh's SCD_TYPE_2 does not produce (its validity window,
# dbt_valid_from / dbt_valid_to, is compared).
SNAPSHOT_BOOKKEEPING = ("dbt_scd_id", "dbt_updated_at")
# SQLMesh's execution times: the plan backfills the day before the first, each run the next day.
EXECUTION_TIMES = ("2026-01-01 00:00:00", "2026-01-02 00:00:00")
ROUNDS = ("initial load", "after a sync")
# A quarter of simulated time (as the Snowflake parity): every landing table has rows.
SIMULATED_START, SIMULATED_END = "2025-10-01", "2025-12-31"
# Defects in the landed rows, so the quarantine paths are compared too.
DIRTY_RATE = "0.02"


class ParityError(RuntimeError):
    """A side could not build."""


@dataclass
class ParityResult:
    """Per round, the comparison of every compared relation; what was excluded and why."""

    rounds: dict[str, list[Comparison]] = field(default_factory=dict)
    excluded: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when every compared relation is equal in every round (and something was compared)."""
        return bool(self.rounds) and all(c.equal for cs in self.rounds.values() for c in cs)


class _Stopwatch:
    """Records, under a label, the seconds since the previous split (or since it was made)."""

    def __init__(self, seconds: dict[str, float]) -> None:
        self.seconds, self.started = seconds, time.monotonic()

    def __call__(self, label: str) -> None:
        now = time.monotonic()
        self.seconds[label], self.started = now - self.started, now


def _relation(node: dict) -> tuple[str, str]:
    return node["schema"], node.get("alias") or node["name"]


@dataclass(frozen=True)
class _Work:
    """The scratch files of one parity run, per round where there is one per round."""

    folder: Path

    @property
    def inputs(self) -> list[Path]:
        """What SQLMesh loads per round: the landing tables and dbt's handed-over snapshots (Parquet)."""
        return [self.folder / "inputs_initial", self.folder / "inputs_synced"]

    @property
    def exports(self) -> list[Path]:
        """SQLMesh's models after each round (Parquet)."""
        return [self.folder / "sqlmesh_initial", self.folder / "sqlmesh_synced"]

    @property
    def dbt(self) -> ScratchWarehouse:
        """dbt's warehouse (its state after the last round)."""
        return ScratchWarehouse(self.folder / "dbt")

    @property
    def dbt_dbs(self) -> list[Path]:
        """dbt's warehouse after each round."""
        return [self.folder / "dbt_initial.duckdb", self.dbt.db]


def _land(work: _Work, scale: float, seed: int, sync_days: int) -> None:
    """Generate the initial load, then one sync; export the landing tables after each as Parquet."""
    landing = ScratchWarehouse(work.folder / "landing")
    landing.folder.mkdir(exist_ok=True)
    landing.generator("generate", "--scale", str(scale), "--seed", str(seed), "--dirty-rate", DIRTY_RATE,
                      "--start", SIMULATED_START, "--end", SIMULATED_END)
    export_landing(landing.db, work.inputs[0])
    landing.generator("sync", "--days", str(sync_days), "--dirty-rate", DIRTY_RATE)
    export_landing(landing.db, work.inputs[1])


def _compared_nodes(manifest: dict) -> tuple[dict[str, dict], dict[str, str]]:
    """The nodes to compare ({unique_id: node}) and the ones left out ({unique_id: reason})."""
    excluded = excluded_closure(manifest)
    nodes = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] in COMPARED_TYPES and node["config"].get("enabled", True)
        and node["config"].get("materialized") != "ephemeral" and unique_id not in excluded
    }
    return nodes, excluded


def _start_sqlmesh(work: _Work) -> subprocess.Popen[bytes]:
    """Start SQLMesh's rounds (:mod:`sqlmesh_compat.runner`); each waits for its inputs to be complete."""
    args = ["-m", "sqlmesh_compat.runner", "--db", str(work.folder / "sqlmesh_warehouse.duckdb")]
    for inputs, execution_time, export in zip(work.inputs, EXECUTION_TIMES, work.exports, strict=True):
        args += ["--round", str(inputs), execution_time, str(export)]
    for name in HANDED_OVER:
        args += ["--handover", name]
    return environment.start(args, work.folder / "sqlmesh.log")


def _build_dbt(work: _Work) -> None:
    """dbt builds each round's landing data (the sync incrementally), keeps the initial state, and
    hands its snapshots over to SQLMesh's round (the round's inputs are then complete)."""
    dbt = work.dbt
    dbt.folder.mkdir(exist_ok=True)
    for number, inputs in enumerate(work.inputs):
        load_landing(dbt.db, inputs)
        dbt.build_models()
        if number == 0:
            shutil.copy(dbt.db, work.dbt_dbs[0])
        export_handover(dbt.db, HANDED_OVER, inputs, HANDOVER_SCHEMA)
        mark_ready(inputs)


def _await_sqlmesh(process: subprocess.Popen[bytes], log: Path, timeout_s: float) -> None:
    """Wait for SQLMesh's rounds; ParityError with the tail of its output if they failed."""
    try:
        returncode = process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        returncode = None
    if returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
        state = "timed out" if returncode is None else f"failed (exit {returncode})"
        raise ParityError(f"SQLMesh {state}:\n{tail}")


def _compare_round(db: Path, nodes: dict[str, dict], export: Path) -> list[Comparison]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        comparisons = []
        for unique_id, node in sorted(nodes.items()):
            schema, table = _relation(node)
            parquet = export / f"{schema}.{table}.parquet"
            if not parquet.exists():
                comparisons.append(Comparison(unique_id, problems=["not built by SQLMesh"]))
                continue
            exclude = SNAPSHOT_BOOKKEEPING if node["resource_type"] == "snapshot" else ()
            dbt_relation, sqlmesh_relation = f'"{schema}"."{table}"', f"read_parquet('{parquet}')"
            comparisons.append(compare(con, unique_id, dbt_relation, sqlmesh_relation, exclude=exclude))
        return comparisons
    finally:
        con.close()


def run_parity(scale: float = 0.005, seed: int = 42, sync_days: int = 1, work: Path | None = None,
               timeout_s: float = 1200) -> ParityResult:
    """Build generated data with dbt and SQLMesh, initial load then one sync; compare every model."""
    folder = Path(tempfile.mkdtemp(prefix="sqlmesh_parity_")) if work is None else work.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    scratch, result, sqlmesh = _Work(folder), ParityResult(), None
    split = _Stopwatch(result.seconds)
    try:
        environment.ensure()
        split("SQLMesh venv")
        _land(scratch, scale, seed, sync_days)
        split("generate + Parquet")
        scratch.dbt.folder.mkdir(exist_ok=True)
        scratch.dbt.dbt("parse")
        nodes, result.excluded = _compared_nodes(scratch.dbt.manifest())
        sqlmesh = _start_sqlmesh(scratch)
        _build_dbt(scratch)
        split("dbt (parse + 2 builds; SQLMesh starts alongside)")
        _await_sqlmesh(sqlmesh, folder / "sqlmesh.log", timeout_s)
        split("SQLMesh after dbt")
        for name, db, export in zip(ROUNDS, scratch.dbt_dbs, scratch.exports, strict=True):
            result.rounds[name] = _compare_round(db, nodes, export)
        split("compare")
        return result
    finally:
        if sqlmesh is not None and sqlmesh.poll() is None:
            sqlmesh.kill()
            sqlmesh.wait()
        if work is None:
            shutil.rmtree(folder, ignore_errors=True)


def format_report(result: ParityResult) -> str:
    """The parity table (one column per round), the differences, the exclusions and the timings."""
    names = list(result.rounds)
    header = ("relation", *(f"{n}: dbt / SQLMesh rows" for n in names))
    rows = [header]
    by_name = {n: {c.name: c for c in cs} for n, cs in result.rounds.items()}
    for unique_id in sorted(by_name[names[0]]) if names else []:
        cells = []
        for n in names:
            c = by_name[n][unique_id]
            counts = " / ".join("-" if n is None else str(n) for n in (c.left_rows, c.right_rows))
            cells.append(f"{counts} {'equal' if c.equal else 'DIFFERENT'}")
        rows.append((unique_id.split(".", 2)[-1], *cells))
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    for n in names:
        for c in result.rounds[n]:
            if c.equal:
                continue
            lines.append(f"\n{n}: {c.name}: rows {c.left_rows} vs {c.right_rows}; {'; '.join(c.problems)}")
            for label, sample in (("only in dbt", c.left_only), ("only in SQLMesh", c.right_only)):
                lines += [f"  {label}: {json.dumps(row, default=str)[:300]}" for row in sample]
    compared = len(by_name[names[0]]) if names else 0
    equal = {n: sum(c.equal for c in result.rounds[n]) for n in names}
    lines.append("\n" + "; ".join(f"{n}: {equal[n]}/{compared} relations equal" for n in names))
    if result.excluded:
        lines.append(f"excluded ({len(result.excluded)}, sqlmesh_compat/exclusions.py):")
        lines += [f"  {uid.split('.', 2)[-1]}: {reason}" for uid, reason in sorted(result.excluded.items())]
    lines.append("seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in result.seconds.items()))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: exit 0 when every compared relation agrees, 1 on a difference, 2 if it cannot run."""
    parser = argparse.ArgumentParser(prog="python -m sqlmesh_compat.parity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=float(os.environ.get("SQLMESH_PARITY_SCALE", "0.005")))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sync-days", type=int, default=1)
    parser.add_argument("--work-dir", type=Path, help="keep scratch files here (default: a temp dir)")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds allowed for the SQLMesh side")
    args = parser.parse_args(argv)
    try:
        result = run_parity(args.scale, args.seed, args.sync_days, args.work_dir, args.timeout)
    except (ParityError, DbtError, environment.VenvError, subprocess.SubprocessError, ValueError) as err:
        print(f"sqlmesh parity could not run: {err}", file=sys.stderr)
        return 2
    print(format_report(result))
    return 0 if result.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
