"""``python -m parity_tests.parity``: the same data built on DuckDB and on emulated Snowflake, compared.

1. Lands generated data (``python -m generator generate``) into a DuckDB file, and the same
   landing tables into the emulator (fakesnow's server).
2. ``dbt build`` with dbt-duckdb, and with dbt-snowflake against the emulator, in parallel, under
   timeouts. With ``--sync-days N`` (default 1), a generator sync is then landed on both and both
   build again, so incremental merges and snapshots are compared too. Between the two rounds both
   models are trained and score on the DuckDB build (``modelops.cli``'s ``--records-only`` path) and
   the registry's records are landed beside the generator's data, so the emulator gets them the same
   way and the models over the registry and the predictions are compared with rows (empty is a failure).
3. Compares every model, snapshot and seed built on both: row count and an order-independent
   content hash (:mod:`warehouse.runtime.compare`: floats rounded to 6 decimals, identifiers
   case-normalised, timestamps as UTC); and every test's outcome. Prints a parity table; any
   mismatch fails with the relation and sample differing rows.

After the sync, the emulator runs the data tests whose outcome it can tell apart from DuckDB's
(:mod:`parity_tests.emulated_tests`: SQL that differs by engine, Snowflake-only, not passing on
DuckDB, the first of each kind); every test still runs on DuckDB and is compiled for Snowflake
(``dbt compile``). ``--all-tests`` runs every data test on both engines (the nightly workflow does).

What this proves: dbt-snowflake's materialisations (tables, views, incremental merges, snapshots,
seeds, tests, hooks) and our ``snowflake__`` branches run and agree with the DuckDB build. fakesnow
executes on DuckDB, so it does not prove Snowflake's own semantics: the hazard lint guards those.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from parity_tests.builds import Side, duckdb_side, emulated_side
from parity_tests.check_snowflake import (
    CheckResult,
    EmulatedBuilds,
    analyse,
    dry_run_operations,
    format_table,
    read_only_side,
    shared_build_failures,
)
from parity_tests.emulated_tests import emulated_tests
from parity_tests.emulator import DATABASE, Emulator, EmulatorError, free_port
from parity_tests.landing import write_landing
from warehouse.runtime import MODELS_ONLY, REPO_ROOT, Comparison, DbtError, DbtRun, compare_node
from warehouse.runtime.compare import (
    COMPARED_TYPES,
    FLOAT_DECIMALS,
    describes_dbt,
    empty_registry_readers,
    relation_name,
)

# The emulated build's last round when it runs only some data tests (after it): its unit tests stay.
DATA_TESTS_EXCLUDED = ("--exclude-resource-type", "test")


@dataclass
class ParityResult:
    """Comparisons of every relation and test outcome, plus what could not be compared."""

    comparisons: list[Comparison]
    test_mismatches: list[str] = field(default_factory=list)
    build_errors: list[str] = field(default_factory=list)
    not_compared: list[str] = field(default_factory=list)
    empty_registry_readers: list[str] = field(default_factory=list)
    """Models over the trained registry compared without rows (``warehouse.runtime.compare``)."""
    tests_run: int = 0
    emulated_tests: dict[str, str] = field(default_factory=dict)
    """The data tests also run on the emulator, with why (``parity_tests.emulated_tests``)."""
    sync_days: int = 0
    seconds: float = 0.0
    check: CheckResult | None = None  # the Snowflake check over the same builds (``check_snowflake=True``)

    @property
    def ok(self) -> bool:
        """True when every relation and test outcome agrees and both builds ran every model."""
        return (
            not self.build_errors
            and not self.test_mismatches
            and not self.empty_registry_readers
            and all(c.equal for c in self.comparisons)
        )


def _build(
    side: Side, args: tuple[str, ...], timeout_s: float, out: dict[str, DbtRun], errors: list[str]
) -> None:
    try:
        out[side.name] = side.dbt("build", *args, timeout_s=timeout_s)
    except DbtError as err:
        errors.append(str(err))


def _build_both(
    duck: Side, sf: Side, args: tuple[str, ...], timeout_s: float, sf_args: tuple[str, ...] | None = None
) -> dict[str, DbtRun]:
    runs: dict[str, DbtRun] = {}
    errors: list[str] = []
    thread = threading.Thread(target=_build, args=(duck, args, timeout_s, runs, errors), daemon=True)
    thread.start()
    _build(sf, args if sf_args is None else sf_args, timeout_s, runs, errors)
    thread.join(timeout_s + 30)
    if errors:
        raise DbtError("\n".join(errors))
    return runs


def _node_errors(run: DbtRun, side: str) -> list[str]:
    return [
        f"{side}: {unique_id} {result['status']}: {(result.get('message') or '').splitlines()[:1]}"
        for unique_id, result in run.results().items()
        if unique_id.split(".")[0] in COMPARED_TYPES and result["status"] not in ("success",)
    ]


def _test_outcomes(run: DbtRun) -> dict[str, str]:
    return {
        unique_id: result["status"]
        for unique_id, result in run.results().items()
        if unique_id.split(".")[0] in ("test", "unit_test")
    }


@dataclass(frozen=True)
class _EmulatedTestRuns:
    """Every data test compiled against the emulator, and the chosen ones run there."""

    compiled: DbtRun
    tested: DbtRun
    chosen: dict[str, str]
    manifest: Path
    """The compile's manifest (where each test's compiled SQL is)."""


def _run_emulated_tests(duck: Side, sf: Side, duck_run: DbtRun, timeout_s: float) -> _EmulatedTestRuns:
    """Compile every data test for Snowflake, run the chosen ones on the emulator (``sf`` has just
    built the models; its target keeps that build's manifest and results). The compiled SQL joins
    ``sf``'s compiled folder, where the Snowflake check reads the last pass."""
    compiling = read_only_side(sf, "snowflake_tests_compiled")
    compiled = compiling.dbt("compile", "--select", "resource_type:test", timeout_s=timeout_s)
    if compiled.returncode != 0 and not compiled.results():
        raise DbtError(f"dbt-snowflake compile of the tests failed:\n{compiled.tail()}")
    tests = compiling.manifest()
    chosen = emulated_tests(duck.manifest(), tests, _test_outcomes(duck_run))
    names = sorted({tests["nodes"][uid]["name"] for uid in chosen})
    tested = read_only_side(sf, "snowflake_tests_run").dbt("test", "--select", *names, timeout_s=timeout_s)
    shutil.copytree(compiling.target_path / "compiled", sf.target_path / "compiled", dirs_exist_ok=True)
    return _EmulatedTestRuns(compiled, tested, chosen, compiling.target_path / "manifest.json")


def _sync(landing: Path, days: int, timeout_s: float) -> None:
    subprocess.run(
        [sys.executable, "-m", "generator", "sync", "--days", str(days), "--db", str(landing), "--quiet"],
        cwd=REPO_ROOT, check=True, timeout=timeout_s, capture_output=True, text=True,
    )


def _compare_builds(
    duck: Side, sf_nodes: dict[str, Any], duck_db: Path, emulator_db: Path
) -> tuple[list[Comparison], list[str]]:
    duck_nodes = {k: v for k, v in duck.manifest()["nodes"].items() if v["config"].get("enabled", True)}
    con = duckdb.connect(str(duck_db), read_only=True)
    try:
        con.execute("set TimeZone = 'UTC'")
        con.execute(f"attach '{emulator_db}' as {DATABASE} (read_only)")
        catalog = con.execute("select current_database()").fetchone()[0]
        comparisons, not_compared = [], []
        for unique_id, node in sorted(duck_nodes.items()):
            if node["resource_type"] not in COMPARED_TYPES:
                continue
            if node["config"].get("materialized") == "ephemeral":
                not_compared.append(f"{unique_id} (ephemeral)")
                continue
            if describes_dbt(node):
                not_compared.append(f"{unique_id} (describes dbt runs)")
                continue
            if unique_id not in sf_nodes:
                comparisons.append(Comparison(unique_id, problems=["enabled on DuckDB but not on Snowflake"]))
                continue
            comparisons.append(
                compare_node(
                    con,
                    unique_id,
                    node["resource_type"],
                    relation_name(node, catalog),
                    relation_name(sf_nodes[unique_id], DATABASE),
                )
            )
        return comparisons, not_compared
    finally:
        con.close()


def run_parity(
    project_dir: Path = REPO_ROOT,
    work: Path | None = None,
    scale: float = 0.01,
    seed: int = 42,
    sync_days: int = 1,
    timeout_s: float = 600,
    check_snowflake: bool = False,
    all_tests: bool = False,
) -> ParityResult:
    """Build ``project_dir`` on both engines from the same landing data and compare every relation.

    With ``check_snowflake``, the same two builds also feed :mod:`parity_tests.check_snowflake`
    (``result.check``): the first round's compiled SQL is its first pass, the last round (after the
    sync, with tests and unit tests) its incremental pass, and the run-operations are dry-run against
    the emulator. One emulated Snowflake build serves both checks.

    With a sync, the emulator runs only the data tests :mod:`parity_tests.emulated_tests` chooses
    (every one with ``all_tests``); DuckDB runs them all.
    """
    started = time.monotonic()
    owns_work = work is None
    work = Path(tempfile.mkdtemp(prefix="parity_")) if work is None else work
    work.mkdir(parents=True, exist_ok=True)
    try:
        landing = work / "landing.duckdb"
        write_landing(landing, scale=scale, seed=seed)
        duck_db = work / "duckdb.duckdb"
        shutil.copy(landing, duck_db)
        duck = duckdb_side(project_dir, work, duck_db)
        syncing = bool(sync_days)
        # With a sync round, the first build skips the tests: they run once, on the final (merged) state.
        rounds: list[tuple[int, tuple[str, ...]]] = [(0, MODELS_ONLY if syncing else ())]
        if syncing:
            rounds.append((sync_days, ()))
        runs: dict[str, DbtRun] = {}
        build_errors: list[str] = []
        emulator_dir = work / "emulator"
        # One port for every round: it is part of the emulated target's profile, so a new port would
        # make dbt-snowflake throw its partial-parse state away and parse the project again (≈ 11 s).
        port = free_port()
        first_runs: dict[str, DbtRun] = {}
        operations: DbtRun | None = None
        test_runs: _EmulatedTestRuns | None = None
        for index, (days, args) in enumerate(rounds):
            if days:
                _sync(landing, days, timeout_s)
                _copy_landing_tables(landing, duck_db)
            last = index == len(rounds) - 1
            choose_tests = last and syncing and not all_tests
            with Emulator(db_path=emulator_dir, landing=landing, port=port) as emulator:
                sf = emulated_side(project_dir, work, emulator.port)
                runs = _build_both(duck, sf, args, timeout_s, DATA_TESTS_EXCLUDED if choose_tests else None)
                if choose_tests:
                    test_runs = _run_emulated_tests(duck, sf, runs["duckdb"], timeout_s)
                if check_snowflake and last:
                    operations = dry_run_operations(read_only_side(sf, "snowflake_ops_target"), timeout_s)
            if index == 0:
                first_runs = runs
                if syncing:
                    _train_and_land_registry(duck_db, landing)
            if check_snowflake and index == 0:
                sf.snapshot_compiled(work / "snowflake_first")
                duck.snapshot_compiled(work / "duckdb_first")
            build_errors += _node_errors(runs["duckdb"], "duckdb")
            build_errors += _node_errors(runs["snowflake"], "snowflake")
        sf_nodes = sf.manifest()["nodes"]
        comparisons, not_compared = _compare_builds(duck, sf_nodes, duck_db, emulator_dir / f"{DATABASE}.db")
        empty = empty_registry_readers(comparisons, duck.manifest()) if syncing else []
        duck_tests, sf_tests = _test_outcomes(runs["duckdb"]), _test_outcomes(runs["snowflake"])
        if test_runs:  # the unit tests ran in the emulated build, the chosen data tests after it
            sf_tests.update(_test_outcomes(test_runs.tested))
            emulated = test_runs.chosen
        else:
            emulated = {uid: "every test (all_tests)" for uid in duck_tests if uid.startswith("test.")}
        test_mismatches = [
            f"{unique_id}: DuckDB {outcome}, Snowflake {sf_tests.get(unique_id, 'absent')}"
            for unique_id, outcome in sorted(duck_tests.items())
            if (unique_id in emulated or not unique_id.startswith("test."))
            and outcome != sf_tests.get(unique_id)
        ]
        sf_only = sorted(set(sf_tests) - set(duck_tests))
        not_compared += [f"{t} (Snowflake-only test)" for t in sf_only]
        not_compared += [
            f"{uid} (Snowflake only)"
            for uid, n in sorted(sf_nodes.items())
            if n["resource_type"] == "model" and uid not in {c.name for c in comparisons}
            and not describes_dbt(n)
        ]
        check = None
        if operations is not None:
            shutil.copy(duck.target_path / "manifest.json", work / "duckdb_manifest.json")
            extra = (test_runs.compiled, test_runs.tested) if test_runs else ()
            failures = shared_build_failures(first_runs["snowflake"], runs["snowflake"], *extra)
            manifests = (test_runs.manifest,) if test_runs else ()
            check = analyse(
                EmulatedBuilds(work, sf, duck, duck_db, *failures, operations, [], manifests), started
            )
        return ParityResult(
            comparisons, test_mismatches, build_errors, not_compared, empty, len(duck_tests), emulated,
            sync_days, time.monotonic() - started, check,
        )
    finally:
        if owns_work:
            shutil.rmtree(work, ignore_errors=True)


# The parity's landing spans a quarter (parity_tests.landing): training's 120-day evaluation window
# would leave no training rows. With 30 days late_delivery_risk beats its baseline and is promoted
# (breakdown_risk_14d, on ten vehicles, stays a candidate), so there are predictions to monitor.
# No warm-up either (its 90 days are the whole quarter): the parity compares engines, not models.
EVALUATION_DAYS = 30
WARMUP_DAYS = 0


def _train_and_land_registry(duck_db: Path, landing: Path) -> None:
    """Train and score on the DuckDB build, then copy the registry's records into the landing file."""
    from modelops import cli
    from modelops.store import REGISTRY_SCHEMA
    from modelops.training import SEED

    cli.train(duck_db, SEED, records_only=True, evaluation_days=EVALUATION_DAYS, warmup_days=WARMUP_DAYS)
    cli.score(duck_db, records_only=True)
    con = duckdb.connect(str(landing))
    try:
        con.execute(f"attach '{duck_db}' as trained (read_only)")
        con.execute(f"create schema if not exists {REGISTRY_SCHEMA}")
        for (table,) in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'trained' "
            "and table_schema = ?", [REGISTRY_SCHEMA],
        ).fetchall():
            con.execute(
                f"create or replace table {REGISTRY_SCHEMA}.{table} as "
                f"select * from trained.{REGISTRY_SCHEMA}.{table}"
            )
    finally:
        con.close()


def _copy_landing_tables(landing: Path, duck_db: Path) -> None:
    """Replace the landing schemas of the DuckDB build's file with those of ``landing``."""
    from generator.schema import DEFAULT_SCHEMAS

    con = duckdb.connect(str(duck_db))
    try:
        con.execute(f"attach '{landing}' as synced (read_only)")
        for schema, table in con.execute(
            "select table_schema, table_name from information_schema.tables where table_catalog = 'synced' "
            f"and table_schema in ({', '.join(repr(s) for s in DEFAULT_SCHEMAS.values())})"
        ).fetchall():
            con.execute(f"create schema if not exists {schema}")
            con.execute(f"create or replace table {schema}.{table} as select * from synced.{schema}.{table}")
    finally:
        con.close()


def format_report(result: ParityResult) -> str:
    """The parity table, then every difference with sample rows."""
    rows = [("relation", "DuckDB rows", "Snowflake rows", "content", "")]
    for c in result.comparisons:
        name = c.name.split(".", 2)[-1] if c.name.count(".") >= 2 else c.name
        prefix = c.name.split(".")[0]
        rows.append((
            f"{prefix}.{name}",
            "-" if c.left_rows is None else f"{c.left_rows:,}",
            "-" if c.right_rows is None else f"{c.right_rows:,}",
            "equal" if c.equal else "DIFFERENT",
            "; ".join(c.problems)[:60],
        ))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths[:4]))
    for c in result.comparisons:
        if c.equal:
            continue
        lines.append(f"\n{c.name}: rows {c.left_rows} vs {c.right_rows}; {'; '.join(c.problems)}")
        for label, sample in (("only in DuckDB", c.left_only), ("only in Snowflake", c.right_only)):
            for row in sample:
                lines.append(f"  {label}: {json.dumps(row, default=str)[:400]}")
    lines += [f"\ntest outcome differs: {m}" for m in result.test_mismatches]
    lines += [f"\nbuild error: {e}" for e in result.build_errors]
    lines += [f"\ncompared without rows: {e}" for e in result.empty_registry_readers]
    equal = sum(c.equal for c in result.comparisons)
    lines.append(
        f"\n{equal}/{len(result.comparisons)} relations equal; {len(result.test_mismatches)} test outcomes "
        f"differ ({result.tests_run} tests on DuckDB, {len(result.emulated_tests)} data tests also on the "
        f"emulator; sync of {result.sync_days} day(s) landed; floats to {FLOAT_DECIMALS} decimals) "
        f"in {result.seconds:.0f}s."
    )
    if result.not_compared:
        lines.append("not compared: " + ", ".join(result.not_compared))
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: exit 0 when every relation agrees, 1 on a difference, 2 when it cannot run."""
    parser = argparse.ArgumentParser(prog="python -m parity_tests.parity", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=float(os.environ.get("PARITY_SCALE", "0.01")))
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--sync-days", type=int, default=1, help="land a sync and build again (0: no)")
    parser.add_argument("--project-dir", type=Path, default=REPO_ROOT)
    parser.add_argument("--work-dir", type=Path, help="keep scratch files here (default: a temp dir)")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed per dbt build")
    parser.add_argument("--check-snowflake", action="store_true",
                        help="also run the Snowflake check (just check-snowflake) over the same builds")
    parser.add_argument("--all-tests", action="store_true",
                        help="run every data test on the emulator too (default: those that can differ)")
    args = parser.parse_args(argv)
    try:
        result = run_parity(args.project_dir.resolve(), args.work_dir, args.scale, args.seed, args.sync_days,
                            args.timeout, args.check_snowflake, args.all_tests)
    except (DbtError, EmulatorError, subprocess.SubprocessError) as err:
        print(f"parity could not run: {err}", file=sys.stderr)
        return 2
    if result.check is not None:
        print(format_table(result.check, failures_only=True))
    print(format_report(result))
    checked = result.check is None or (result.check.ok and not result.check.notes)
    return 0 if result.ok and checked else 1


if __name__ == "__main__":
    raise SystemExit(main())
