"""``python -m warehouse.reliability``: incremental ≡ full refresh, idempotent re-runs, kill -9 safety.

The report (``just reliability``) and the tests (``pytests/reliability``) run the same checks:

1. **Incremental ≡ full refresh.** From an initial load (with ``--dirty-rate``), land each sync of a
   plan (days, dirty rate, drifts; every sync also brings late rows, weather revisions, soft deletes
   and re-delivered pings), build incrementally, then full-refresh every model on a copy of the file
   (snapshots are history and are kept) and compare every model, snapshot and seed relation with
   ``warehouse.runtime.compare`` (order-independent, ``_run_`` columns left out; snapshots without
   their wall-clock columns). Relations left over in a dbt schema that no node owns are mismatches.
   The initial load trains and scores both models (``python -m modelops train|score
   --records-only``) and each sync scores the feature rows of the previous build before landing, as
   a nightly ``just score`` would, so the models over the registry and the predictions are compared
   WITH rows: one of them empty is a failure.
2. **Idempotent.** After the last sync, a second build without a new sync changes no relation.
3. **Crash safety.** ``warehouse.crash`` SIGKILLs dbt right after a given statement of a given node
   (inside a raw merge, a snapshot, a dimension swap, a fact's pre-hook and merge) or the generator
   inside its final transaction; the file must open, and after a rerun equal an uninterrupted build
   with no snapshot key current twice (or, for the generator, the previous database be unchanged).
4. **Defects and rows lost** come from ``warehouse.defect_audit.audit`` on the last build.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from rich.console import Console
from rich.table import Table

from warehouse.crash import NOT_REACHED
from warehouse.defect_audit import DefectAudit, audit
from warehouse.runtime import MODELS_ONLY, Comparison, ScratchWarehouse, compare, compare_warehouses, describe
from warehouse.runtime.compare import compared_nodes, empty_registry_readers

SEED = 42
KILLED = -9


@dataclass(frozen=True)
class SyncSpec:
    """One generator sync: days the clock advances, dirty rate, drifts declared."""

    days: int = 1
    dirty_rate: float = 0.0
    drifts: tuple[str, ...] = ()

    def args(self) -> list[str]:
        """The ``python -m generator sync`` arguments."""
        args = ["sync", "--days", str(self.days), "--dirty-rate", str(self.dirty_rate)]
        for drift in self.drifts:
            args += ["--drift", drift]
        return args

    def __str__(self) -> str:
        drifts = f", {' '.join(self.drifts)}" if self.drifts else ""
        return f"{self.days}d dirty {self.dirty_rate:g}{drifts}"


@dataclass(frozen=True)
class KillPoint:
    """Where to SIGKILL: a dbt node and a regex of its SQL, or a generator function and its args."""

    name: str
    tool: str
    where: tuple[str, ...]
    generator_args: tuple[str, ...] = ()


# The sync every crash check builds (the first sync of the plan is landed the same way).
CRASH_SYNC = SyncSpec(days=2, dirty_rate=0.05)
KILL_POINTS: dict[str, KillPoint] = {
    point.name: point
    for point in (
        KillPoint("raw merge", "dbt", ("model.logistics.tbl_raw_shipments", r"merge\s+into")),
        KillPoint("snapshot update", "dbt", ("snapshot.logistics.snp_customers", r"\bupdate\s+\"")),
        KillPoint("dimension swap", "dbt", ("model.logistics.tbl_dim_customer", r"^\s*commit\s*$")),
        KillPoint("fact pre-hook", "dbt", ("model.logistics.tbl_fact_shipments", r"delete\s+from")),
        KillPoint("fact merge", "dbt", ("model.logistics.tbl_fact_vehicle_telemetry", r"merge\s+into")),
        KillPoint(
            "generator sync commit", "generator", ("generator.run:_store_state",), tuple(CRASH_SYNC.args())
        ),
        KillPoint(
            "generator initial-load swap",
            "generator",
            ("generator.run:_store_state",),
            ("generate", "--seed", str(SEED + 1)),
        ),
        KillPoint(
            "generator initial-load twins",
            "generator",
            ("generator.run:_previous_schemas",),
            ("generate", "--seed", str(SEED + 1)),
        ),
    )
}
CI_KILL_POINTS = ("snapshot update", "generator sync commit")
DEFAULT_PLAN = (
    SyncSpec(days=2, dirty_rate=0.05),
    SyncSpec(days=1, dirty_rate=0.0, drifts=("fuel_price=1.3",)),
    SyncSpec(days=3, dirty_rate=0.2, drifts=("congestion=1.5",)),
    SyncSpec(days=1, dirty_rate=0.02, drifts=("weather_severity:DE-NORTH=2",)),
    SyncSpec(days=7, dirty_rate=0.1, drifts=("fuel_price=1",)),
)


@dataclass
class KillOutcome:
    """What a kill at one point left behind, and whether the rerun healed it."""

    point: str
    reached: bool = False
    opens: bool = False
    problems: list[str] = field(default_factory=list)

    @property
    def survived(self) -> bool:
        """Killed at the point, the file opens, and the rerun equals an uninterrupted run."""
        return self.reached and self.opens and not self.problems


@dataclass
class ReliabilityReport:
    """The figures of one reliability run."""

    scale: float
    plan: tuple[SyncSpec, ...]
    syncs_applied: int = 0
    comparisons: int = 0
    relations_compared: int = 0
    mismatches: list[str] = field(default_factory=list)
    mismatched_relations: list[str] = field(default_factory=list)
    empty_registry_readers: list[str] = field(default_factory=list)
    """``sync N: model …`` of each model over the registry that was compared without rows."""
    idempotence_changes: list[str] = field(default_factory=list)
    kills: list[KillOutcome] = field(default_factory=list)
    defects: DefectAudit | None = None
    seconds: float = 0.0

    @property
    def defect_types_injected(self) -> list[str]:
        """Defect types of the generator's manifest."""
        return sorted(self.defects.defect_types) if self.defects else []

    @property
    def defect_types_caught(self) -> list[str]:
        """Defect types whose every injected row was quarantined, corrected or left harmless."""
        if self.defects is None:
            return []
        return sorted(t for t, r in self.defects.defect_types.items() if r.injected and not r.missed)

    @property
    def rows_lost(self) -> int:
        """Landed rows neither superseded, quarantined nor staged, over every entity."""
        return sum(abs(e.lost) for e in self.defects.entities) if self.defects else 0

    @property
    def problems(self) -> list[str]:
        """Every failed check, one line each (empty: the warehouse is reliable)."""
        lines = [f"incremental ≠ full refresh: {m}" for m in self.mismatches]
        lines += [f"compared without rows: {m}" for m in self.empty_registry_readers]
        lines += [f"not idempotent: {m}" for m in self.idempotence_changes]
        for kill in self.kills:
            if not kill.reached:
                lines.append(f"kill point {kill.point!r} was never reached")
            elif not kill.opens:
                lines.append(f"kill point {kill.point!r}: the database does not open")
            lines += [f"kill point {kill.point!r}: {p}" for p in kill.problems]
        if self.defects is not None:
            lines += self.defects.failures
        return lines


def compare_builds(left: ScratchWarehouse, right: ScratchWarehouse) -> list[Comparison]:
    """Compare every model, snapshot and seed relation of two builds (the nodes of ``left``'s manifest)."""
    return compare_warehouses(left.db, right.db, left.manifest())


def duplicate_current_rows(warehouse: ScratchWarehouse) -> list[str]:
    """Snapshot keys with more than one open version (dbt_valid_to null), one line per snapshot."""
    lines = []
    with duckdb.connect(str(warehouse.db), read_only=True) as con:
        for uid, node in sorted(compared_nodes(warehouse.manifest()).items()):
            if node["resource_type"] != "snapshot":
                continue
            key = node["config"]["unique_key"]
            (count,) = con.execute(
                f'select count(*) from (select {key} from "{node["schema"]}"."{node["name"]}" '
                f"where dbt_valid_to is null group by {key} having count(*) > 1)"
            ).fetchone()
            if count:
                lines.append(f"{uid}: {count} keys with more than one current row")
    return lines


def _opens(db: Path) -> bool:
    try:
        with duckdb.connect(str(db)) as con:
            con.execute("select count(*) from duckdb_tables()").fetchone()
        return True
    except duckdb.Error:
        return False


def initial_load(folder: Path, scale: float, dirty_rate: float = 0.02) -> ScratchWarehouse:
    """Generate the initial load at ``scale`` into ``folder``, build it (models only), then train and
    score both models (the registry's records land; the next build reads them)."""
    warehouse = ScratchWarehouse(folder)
    folder.mkdir(parents=True, exist_ok=True)
    warehouse.generator(
        "generate", "--scale", str(scale), "--seed", str(SEED), "--dirty-rate", str(dirty_rate)
    )
    warehouse.build_models()
    modelops(warehouse, "train", "--seed", str(SEED))
    modelops(warehouse, "score")
    return warehouse


def modelops(warehouse: ScratchWarehouse, *args: str) -> None:
    """``python -m modelops ARGS --records-only`` on ``warehouse``: the registry's records and scores
    land, the next build reads them (the CLI's own dbt builds and online export are left out)."""
    warehouse.run([sys.executable, "-m", "modelops", *args, "--records-only"])


@dataclass
class SyncRun:
    """The warehouse after a plan of syncs, and the figures of comparing it with full refreshes."""

    warehouse: ScratchWarehouse
    syncs_applied: int = 0
    comparisons: int = 0
    relations_compared: int = 0
    mismatches: list[str] = field(default_factory=list)
    mismatched_relations: list[str] = field(default_factory=list)
    """``sync N: relation`` of each mismatch."""
    empty_registry_readers: list[str] = field(default_factory=list)
    after_first_sync: ScratchWarehouse | None = None


def run_syncs(
    base: ScratchWarehouse, work: Path, plan: Sequence[SyncSpec], keep_first: bool = False
) -> SyncRun:
    """Copy ``base`` to ``work``, then per sync: score the rows of the last build, land the sync, build
    incrementally, compare with a full refresh (the models over the registry must have rows).

    ``keep_first`` keeps a copy of the warehouse built after the first sync (the crash checks'
    uninterrupted reference).
    """
    run = SyncRun(base.copy(work / "incremental"))
    for number, spec in enumerate(plan, start=1):
        modelops(run.warehouse, "score")
        run.warehouse.generator(*spec.args())
        run.warehouse.build_models()
        run.syncs_applied += 1
        if number == 1 and keep_first:
            run.after_first_sync = run.warehouse.copy(work / "after_first_sync")
        refreshed = run.warehouse.copy(work / f"full_refresh_{number}")
        refreshed.full_refresh()
        comparisons = compare_builds(run.warehouse, refreshed)
        run.comparisons += 1
        run.relations_compared += len(comparisons)
        differing = [c for c in comparisons if not c.equal]
        run.mismatches += [f"sync {number} ({spec}): {describe(c)}" for c in differing]
        run.mismatched_relations += [f"sync {number}: {c.name.split('.')[-1]}" for c in differing]
        run.empty_registry_readers += [
            f"sync {number}: {line}" for line in empty_registry_readers(comparisons, run.warehouse.manifest())
        ]
        shutil.rmtree(refreshed.folder)
    return run


def idempotence_changes(warehouse: ScratchWarehouse, work: Path) -> list[str]:
    """Build ``warehouse`` again without a new sync; the relations that changed (empty: idempotent)."""
    before = warehouse.copy(work / "before_rerun")
    warehouse.build_models()
    changes = [describe(c) for c in compare_builds(before, warehouse) if not c.equal]
    shutil.rmtree(before.folder)
    return changes


def _run_killed(warehouse: ScratchWarehouse, point: KillPoint) -> subprocess.CompletedProcess[str]:
    if point.tool == "dbt":
        args = warehouse.dbt_argv(["build", *MODELS_ONLY])
    else:
        args = [*point.generator_args, "--db", str(warehouse.db), "--quiet"]
    return warehouse.run(
        [sys.executable, "-m", "warehouse.crash", point.tool, *point.where, "--", *args], check=False
    )


def kill_dbt(
    pending: ScratchWarehouse, reference: ScratchWarehouse, point: KillPoint, work: Path
) -> KillOutcome:
    """SIGKILL a build of ``pending`` (a sync landed, not built) at ``point``, rerun it, compare.

    ``reference`` is the same sync built without interruption; the rerun must equal it.
    """
    outcome = KillOutcome(point.name)
    crashed = pending.copy(work / "crashed")
    killed = _run_killed(crashed, point)
    outcome.reached = killed.returncode == KILLED
    if killed.returncode not in (KILLED, NOT_REACHED):
        outcome.problems.append(f"the killed run failed on its own (exit {killed.returncode})")
    outcome.opens = _opens(crashed.db)
    if outcome.opens:
        crashed.build_models()
        outcome.problems += [describe(c) for c in compare_builds(reference, crashed) if not c.equal]
        outcome.problems += duplicate_current_rows(crashed)
    shutil.rmtree(crashed.folder)
    return outcome


def kill_generator(previous: ScratchWarehouse, point: KillPoint, work: Path) -> KillOutcome:
    """SIGKILL the generator writing over ``previous`` at ``point``: the previous tables survive unchanged.

    Then the same generator command, rerun to completion on the crashed copy, must land what it lands
    on an untouched copy (leftovers of the crash are cleaned up).
    """
    outcome = KillOutcome(point.name)
    crashed = previous.copy(work / "crashed")
    killed = _run_killed(crashed, point)
    outcome.reached = killed.returncode == KILLED
    outcome.opens = _opens(crashed.db)
    if outcome.opens:
        outcome.problems += _changed_tables(previous.db, crashed.db)
        healthy = previous.copy(work / "healthy")
        for warehouse in (crashed, healthy):
            warehouse.generator(*point.generator_args)
        outcome.problems += [f"after a rerun: {p}" for p in _changed_tables(healthy.db, crashed.db)]
        shutil.rmtree(healthy.folder)
    shutil.rmtree(crashed.folder)
    return outcome


def _changed_tables(left: Path, right: Path) -> list[str]:
    """Landing and generator tables (all schemas but the dbt ``main_*`` ones) that differ or are missing."""
    con = duckdb.connect(str(left), read_only=True)
    try:
        con.execute(f"attach '{right}' as other (read_only)")
        catalog = con.execute("select current_database()").fetchone()[0]

        def tables(cat: str) -> set[tuple[str, str]]:
            rows = con.execute(
                "select schema_name, table_name from duckdb_tables() where database_name = ?", [cat]
            ).fetchall()
            return {(s, t) for s, t in rows if not s.startswith("main_") and not t.startswith("_generating_")}

        mine, theirs = tables(catalog), tables("other")
        lines = [f"{s}.{t}: missing" for s, t in sorted(mine - theirs)]
        lines += [f"{s}.{t}: unexpected" for s, t in sorted(theirs - mine)]
        for schema, table in sorted(mine & theirs):
            result = compare(
                con, f"{schema}.{table}", f'"{catalog}"."{schema}"."{table}"', f'"other"."{schema}"."{table}"'
            )
            if not result.equal:
                lines.append(describe(result))
        return lines
    finally:
        con.close()


def run_report(
    work: Path,
    scale: float = 0.01,
    plan: Sequence[SyncSpec] = DEFAULT_PLAN,
    kill_points: Sequence[str] = tuple(KILL_POINTS),
    base: ScratchWarehouse | None = None,
) -> ReliabilityReport:
    """Run every check into ``work`` and return the figures (``base``: an initial load already built)."""
    started = time.monotonic()
    plan = tuple(plan)
    if plan[:1] != (CRASH_SYNC,) and any(KILL_POINTS[p].tool == "dbt" for p in kill_points):
        raise ValueError(f"the first sync of the plan must be {CRASH_SYNC!r}: the crash checks rebuild it")
    report = ReliabilityReport(scale, plan)
    base = base or initial_load(work / "base", scale)
    syncs = run_syncs(base, work, plan, keep_first=True)
    report.syncs_applied = syncs.syncs_applied
    report.comparisons = syncs.comparisons
    report.relations_compared = syncs.relations_compared
    report.mismatches = syncs.mismatches
    report.mismatched_relations = syncs.mismatched_relations
    report.empty_registry_readers = syncs.empty_registry_readers
    report.idempotence_changes = idempotence_changes(syncs.warehouse, work)
    report.defects = audit(syncs.warehouse.db)
    pending = None
    for name in kill_points:
        point = KILL_POINTS[name]
        if point.tool == "dbt":
            if pending is None:
                pending = base.copy(work / "pending")
                pending.generator(*CRASH_SYNC.args())
            assert syncs.after_first_sync is not None
            report.kills.append(kill_dbt(pending, syncs.after_first_sync, point, work))
        else:
            report.kills.append(kill_generator(base, point, work))
    report.seconds = time.monotonic() - started
    return report


def render(report: ReliabilityReport) -> Table:
    """The report as a rich table."""
    table = Table(title=f"Reliability — scale {report.scale:g}, {report.seconds:.0f} s")
    table.add_column("check")
    table.add_column("result", justify="right")
    table.add_column("detail")
    table.add_row("syncs applied", str(report.syncs_applied), "; ".join(str(s) for s in report.plan))
    table.add_row(
        "relations compared",
        f"{report.relations_compared:,}",
        f"{report.comparisons} incremental builds vs full refresh, every model, snapshot and seed",
    )
    table.add_row("mismatches", str(len(report.mismatches)), ", ".join(report.mismatched_relations))
    table.add_row(
        "registry readers compared empty",
        str(len(report.empty_registry_readers)),
        "models over the trained registry and its scores must have rows",
    )
    table.add_row(
        "idempotent re-run: relations changed",
        str(len(report.idempotence_changes)),
        ", ".join(line.split(":")[0].split(".")[-1] for line in report.idempotence_changes),
    )
    survived = [k for k in report.kills if k.survived]
    table.add_row(
        "kill points survived",
        f"{len(survived)}/{len(report.kills)}",
        ", ".join(f"{k.point}{'' if k.survived else ' ✗'}" for k in report.kills),
    )
    injected, caught = report.defect_types_injected, report.defect_types_caught
    table.add_row(
        "defect types injected / caught",
        f"{len(injected)}/{len(caught)}",
        ", ".join(t if t in caught else f"{t} ✗" for t in injected),
    )
    results = report.defects.defect_types.values() if report.defects else []
    injected_rows, missed_rows = sum(r.injected for r in results), sum(r.missed for r in results)
    table.add_row("defective rows injected / missed", f"{injected_rows:,}/{missed_rows:,}", "")
    table.add_row(
        "rows lost", str(report.rows_lost), "landed = superseded + quarantined + staged, per entity"
    )
    return table


def main(argv: list[str] | None = None) -> int:
    """Run the checks, print the table and any problem; exit 1 if a check failed."""
    parser = argparse.ArgumentParser(
        prog="python -m warehouse.reliability", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--scale", type=float, default=0.01, help="generator scale (default 0.01)")
    parser.add_argument(
        "--syncs",
        type=int,
        default=len(DEFAULT_PLAN),
        choices=range(1, len(DEFAULT_PLAN) + 1),
        metavar=f"1..{len(DEFAULT_PLAN)}",
        help="syncs of the default plan to apply",
    )
    parser.add_argument(
        "--kill-point",
        action="append",
        choices=list(KILL_POINTS),
        dest="kill_points",
        help="kill point to check (repeatable; default: all)",
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    console = Console(width=None if sys.stdout.isatty() else 130)
    work = args.keep or Path(tempfile.mkdtemp(prefix="reliability_"))
    try:
        report = run_report(
            work, args.scale, DEFAULT_PLAN[: args.syncs], args.kill_points or tuple(KILL_POINTS)
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    console.print(render(report))
    for line in report.problems:
        console.print(f"[red]✗[/] {line}")
    return 1 if report.problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
