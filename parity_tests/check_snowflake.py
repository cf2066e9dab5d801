"""``python -m parity_tests.check_snowflake``: the whole project, checked for Snowflake, offline.

1. Starts the emulator (fakesnow's server, :mod:`parity_tests.emulator`) with a small landing data
   set, builds the project once with dbt-snowflake against it, and compiles it again: the first pass
   compiles every node's first-run branch, the second its ``is_incremental()`` branch.
2. Checks every compiled node (models, snapshots, tests, unit tests) and every statement dbt sent
   for it (materialisation DDL, hooks such as the masking policies, grants; attributed by the query
   tag) with :mod:`parity_tests.snowflake_sql`: parsed by sqlglot in the Snowflake dialect with errors
   raised, opaque statements only through a grammar check, functions and types that exist.
3. Renders every ``run-operation`` with ``dry_run: true`` and checks that SQL the same way.
4. Builds and compiles the same project on DuckDB and runs the hazard lint
   (:func:`parity_tests.lint.find_hazards`, fail-closed) over the DuckDB-compiled SQL of both passes.

Prints one table (node, compiled, parsed, hazards) and exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import shutil
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from sqlglot.schema import MappingSchema

from parity_tests.builds import Side, duckdb_side, emulated_side
from parity_tests.emulator import STATEMENT_LOG, Emulator, EmulatorError
from parity_tests.landing import write_fixture_landing
from parity_tests.lint import LINT_REMEDY, Hazard, SqlParseError, find_hazards
from parity_tests.lint.schema import load_schema
from parity_tests.snowflake_sql import check_sql
from warehouse.runtime import REPO_ROOT, DbtError, DbtRun

CHECKED_TYPES = ("model", "snapshot", "test", "unit_test", "seed", "operation")
BUILD_ARGS = ("build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test")
BUILT_TYPES = ("model", "snapshot", "seed")
# dbt compile skips unit tests; running them (once the models exist) compiles them.
UNIT_TEST_ARGS = ("test", "--select", "test_type:unit")
DRY_RUN_OUTPUT = "dry_run_operations.txt"  # what the run-operations printed, kept in the work dir
# Seconds allowed per dbt invocation: long enough for the emulated build on a loaded 2-core machine
# (300 s timed out at load 8, 1,500 s passed), short enough to stop a connector that retries
# a dead emulator for ever.
DEFAULT_TIMEOUT_S = 1800


@dataclass
class NodeCheck:
    """Everything checked about one node (or one run-operation)."""

    node: str
    resource_type: str
    snowflake_only: bool = False
    compiled: list[str] = field(default_factory=list)  # passes compiled: "first", "incremental"
    compile_errors: list[str] = field(default_factory=list)
    statements: int = 0
    problems: list[str] = field(default_factory=list)
    hazards: list[Hazard] = field(default_factory=list)
    duckdb_compiled: int = 0

    @property
    def ok(self) -> bool:
        """True when the node compiled, parsed cleanly and has no hazard."""
        return not (self.compile_errors or self.problems or self.hazards)


@dataclass
class CheckResult:
    """The outcome of the whole check."""

    nodes: list[NodeCheck]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def failures(self) -> list[NodeCheck]:
        """The nodes with any problem."""
        return [n for n in self.nodes if not n.ok]

    @property
    def ok(self) -> bool:
        """True when every node passed."""
        return not self.failures


# --------------------------------------------------------------------------- collecting compiled SQL


def _relative(path: str | None) -> str | None:
    if not path:
        return None
    marker = "/compiled/"
    text = str(path)
    return text.split(marker, 1)[1] if marker in text else None


def _compiled_files(manifest: dict[str, Any], target_path: Path) -> dict[str, str]:
    """unique_id -> path of its compiled SQL, relative to ``<target>/compiled``."""
    files = {}
    for unique_id, node in {**manifest["nodes"], **manifest.get("unit_tests", {})}.items():
        rel = _relative(node.get("compiled_path"))
        if rel:
            files[unique_id] = rel
        elif node["resource_type"] == "unit_test":
            # <original yml path>/<model name>/<unit test name>.sql, written when unit tests run
            base = target_path / "compiled" / node["package_name"] / node["original_file_path"]
            found = sorted(base.glob(f"**/{node['name']}.sql")) if base.exists() else []
            if found:
                files[unique_id] = str(found[0].relative_to(target_path / "compiled"))
    return files


def _statements_by_node(log_path: Path) -> dict[str, list[str]]:
    """Statements the emulator received, by the dbt node whose query tag was set."""
    by_node: dict[str, list[str]] = defaultdict(list)
    if not log_path.exists():
        return by_node
    for line in log_path.read_text().splitlines():
        record = json.loads(line)
        try:
            tag = json.loads(record["query_tag"] or "null")
        except json.JSONDecodeError:
            tag = None
        node = tag.get("node") if isinstance(tag, dict) else None
        if node:
            by_node[node].append(record["sql"])
    return by_node


def _dry_run_blocks(output: str) -> dict[str, str]:
    """``-- operation: <name>`` blocks printed by the dry-run operations, by name."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        if line.startswith("-- operation: "):
            current = blocks.setdefault(line.removeprefix("-- operation: ").strip(), [])
        elif line.startswith("-- pii: "):
            continue
        elif current is not None and not _is_dbt_log_line(line):
            current.append(line)
    return {name: "\n".join(lines) for name, lines in blocks.items()}


def _is_dbt_log_line(line: str) -> bool:
    return len(line) > 9 and line[2] == ":" and line[5] == ":" and line[:2].isdigit()


@dataclass(frozen=True)
class _CompiledSql:
    """One side's compiled SQL: the first pass (copied), the incremental pass, the manifest."""

    first: Path
    incremental: Path
    files: dict[str, str]
    nodes: dict[str, dict[str, Any]]

    def passes(self, unique_id: str) -> list[tuple[str, str, str]]:
        """(pass, path, sql) of each compiled version of the node."""
        rel = self.files.get(unique_id)
        found = [
            (name, rel, (root / rel).read_text())
            for name, root in (("first", self.first), ("incremental", self.incremental))
            if rel and (root / rel).exists()
        ]
        node = self.nodes.get(unique_id, {})
        if not any(name == "incremental" for name, _, _ in found) and node.get("compiled_code"):
            # snapshots are compiled, but dbt writes no file for them
            found.append(("incremental", node["original_file_path"], node["compiled_code"]))
        return found


def _needs_sql(node: dict[str, Any]) -> bool:
    return node["resource_type"] in ("model", "snapshot", "test", "unit_test") and (
        node.get("config", {}).get("materialized") != "ephemeral"
    )


class _Checks:
    """:func:`check_sql` and :func:`find_hazards` (with the DuckDB build's column types), each distinct
    input checked once per analysis: a view, a table or a test compiles the same in the first and the
    incremental pass, and the emulator's log repeats statements across nodes (a quarter of the
    Snowflake texts of a parity build are repeats). Both are pure functions of their arguments, and
    callers only read what they return."""

    def __init__(self, schema: MappingSchema | None) -> None:
        self.sql = functools.cache(check_sql)
        self.hazards = functools.cache(functools.partial(find_hazards, schema=schema))


def _check_node(
    check: NodeCheck,
    node: dict[str, Any],
    sf_sql: _CompiledSql,
    duck_sql: _CompiledSql,
    executed: list[str],
    checks: _Checks,
) -> None:
    """Fill ``check``: Snowflake compiles and statements parsed, DuckDB compiles linted."""
    sql_texts = []
    for pass_name, _path, text in sf_sql.passes(check.node):
        check.compiled.append(pass_name)
        sql_texts.append(text)
    if _needs_sql(node) and "incremental" not in check.compiled:
        check.compile_errors.append("no compiled SQL for Snowflake")
    for text in sql_texts + executed:
        for statement in checks.sql(text):
            check.statements += 1
            check.problems += [p for p in statement.problems if p not in check.problems]
    if check.snowflake_only:
        return
    duck_passes = duck_sql.passes(check.node)
    for _pass_name, path, text in duck_passes:
        check.duckdb_compiled += 1
        try:
            found = checks.hazards(text, path)
        except SqlParseError as err:
            check.problems.append(f"DuckDB SQL does not parse: {err}")
            continue
        check.hazards += [h for h in found if h not in check.hazards]
    if _needs_sql(node) and not duck_passes:
        check.problems.append("no DuckDB-compiled SQL to lint")


# --------------------------------------------------------------------------- the two sides


def _duckdb_pass(side: Side, first_dir: Path, errors: list[str], timeout_s: float) -> None:
    try:
        build = side.dbt(*BUILD_ARGS, timeout_s=timeout_s)
        side.snapshot_compiled(first_dir)
        if build.returncode != 0:
            errors.append(f"DuckDB build failed:\n{build.tail()}")
        compiled = side.dbt("compile", timeout_s=timeout_s)
        if compiled.returncode != 0:
            errors.append(f"DuckDB compile failed:\n{compiled.tail()}")
        shutil.copy(side.target_path / "manifest.json", first_dir.parent / "duckdb_manifest.json")
        side.dbt(*UNIT_TEST_ARGS, timeout_s=timeout_s)  # compiles them; failures are the suite's job
    except DbtError as err:
        errors.append(str(err))


def _duckdb_schema(duck_db: Path, notes: list[str]) -> MappingSchema | None:
    """Column types of the DuckDB build, so the lint sees hazards behind a column (None if unreadable)."""
    try:
        return load_schema(duck_db)
    except (duckdb.Error, OSError) as err:
        notes.append(f"hazard lint without column types: {str(err).splitlines()[0]}")
        return None


def _node_failures(run: DbtRun, types: Sequence[str]) -> dict[str, str]:
    failures = {}
    for unique_id, result in run.results().items():
        if unique_id.split(".", 1)[0] in types and result["status"] not in ("success", "pass"):
            message = " ".join((result.get("message") or result["status"]).split())
            failures[unique_id] = message[:400]
    return failures


def run_check(
    project_dir: Path = REPO_ROOT, work: Path | None = None, timeout_s: float = DEFAULT_TIMEOUT_S
) -> CheckResult:
    """Run the whole check on ``project_dir`` in the scratch folder ``work`` (a temp dir if None)."""
    started = time.monotonic()
    owns_work = work is None
    work = Path(tempfile.mkdtemp(prefix="check_snowflake_")) if work is None else work
    work.mkdir(parents=True, exist_ok=True)
    try:
        return _run_check(project_dir, work, timeout_s, started)
    finally:
        if owns_work:
            shutil.rmtree(work, ignore_errors=True)


def _run_check(project_dir: Path, work: Path, timeout_s: float, started: float) -> CheckResult:
    landing = work / "landing.duckdb"
    write_fixture_landing(landing)
    duck_db = work / "duckdb.duckdb"
    shutil.copy(landing, duck_db)
    duck = duckdb_side(project_dir, work, duck_db)
    duck_errors: list[str] = []
    duck_thread = threading.Thread(
        target=_duckdb_pass, args=(duck, work / "duckdb_first", duck_errors, timeout_s), daemon=True
    )
    duck_thread.start()

    with Emulator(db_path=work / "emulator", landing=landing) as emulator:
        sf = emulated_side(project_dir, work, emulator.port)
        build = sf.dbt(*BUILD_ARGS, timeout_s=timeout_s)
        sf.snapshot_compiled(work / "snowflake_first")
        build_failures = _node_failures(build, BUILT_TYPES)
        if build.returncode != 0 and not build.results():
            raise DbtError(f"dbt-snowflake build against the emulator failed:\n{build.tail()}")
        # three independent read-only invocations at once, each with its own target path
        unit_side = read_only_side(sf, "snowflake_unit_target")
        ops_side = read_only_side(sf, "snowflake_ops_target")
        with ThreadPoolExecutor(max_workers=3) as pool:
            compiling = pool.submit(sf.dbt, "compile", timeout_s=timeout_s)
            unit_testing = pool.submit(unit_side.dbt, *UNIT_TEST_ARGS, timeout_s=timeout_s)
            dry_running = pool.submit(dry_run_operations, ops_side, timeout_s)
            compiled, unit_tests, operations = compiling.result(), unit_testing.result(), dry_running.result()
        compile_failures = _node_failures(compiled, CHECKED_TYPES)
        if compiled.returncode != 0 and not compiled.results():
            raise DbtError(f"dbt-snowflake compile against the emulator failed:\n{compiled.tail()}")
        compile_failures.update(_node_failures(unit_tests, ("unit_test",)))
        unit_compiled = unit_side.target_path / "compiled"
        if unit_compiled.exists():
            shutil.copytree(unit_compiled, sf.target_path / "compiled", dirs_exist_ok=True)
    duck_thread.join(timeout_s * 2)
    if duck_thread.is_alive():
        duck_errors.append("DuckDB side did not finish in time")
    failures = (build_failures, compile_failures)
    return analyse(EmulatedBuilds(work, sf, duck, duck_db, *failures, operations, duck_errors), started)


def read_only_side(sf: Side, target_dir: str) -> Side:
    """``sf`` with its own target path holding a copy of ``sf``'s parse state (no full re-parse)."""
    side = dataclasses.replace(sf, target_path=sf.target_path.parent / target_dir)
    side.target_path.mkdir(parents=True, exist_ok=True)
    shutil.copy(sf.target_path / "partial_parse.msgpack", side.target_path / "partial_parse.msgpack")
    return side


def dry_run_operations(ops_side: Side, timeout_s: float) -> DbtRun:
    """Render every run-operation with ``dry_run: true``; the output is kept in the work dir.

    ``ops_side`` is a :func:`read_only_side`, so the build's manifest (with its compiled code) stays.
    """
    operations = ops_side.dbt("run-operation", "dry_run_operations", "--quiet", timeout_s=timeout_s)
    (ops_side.target_path.parent / DRY_RUN_OUTPUT).write_text(operations.output)
    return operations


def shared_build_failures(
    first: DbtRun, last: DbtRun, *test_runs: DbtRun
) -> tuple[dict[str, str], dict[str, str]]:
    """(build, compile) failures of the check when it reads the parity's two ``dbt build`` rounds.

    The first round (models, snapshots, seeds) is the check's build; the last round (a full build
    after a sync) compiles every node's incremental branch and runs unit tests, and data tests (in
    it, or in ``test_runs``: a ``dbt compile`` of every data test and a ``dbt test`` of some): a data
    test that fails or warns compiled (its outcome is the parity's business), an error did not.
    """
    build_failures = _node_failures(first, BUILT_TYPES)
    compile_failures = _node_failures(last, (*BUILT_TYPES, "unit_test"))
    for run in (last, *test_runs):
        compile_failures.update(
            {
                unique_id: message
                for unique_id, message in _node_failures(run, ("test",)).items()
                if run.results()[unique_id]["status"] not in ("fail", "warn")
            }
        )
    return build_failures, compile_failures


@dataclass(frozen=True)
class EmulatedBuilds:
    """What the check reads: both sides' builds in ``work`` and what they reported.

    ``work`` holds ``snowflake_first``/``duckdb_first`` (compiled SQL of the first pass), each side's
    target (the incremental pass), ``emulator/statements.jsonl`` and the dry-run output.
    ``merged_manifests``: manifests of other Snowflake invocations whose compiled SQL was copied into
    ``sf``'s compiled folder (the parity's compile of the data tests): where each of their nodes' file is.
    """

    work: Path
    sf: Side
    duck: Side
    duck_db: Path
    build_failures: dict[str, str]
    compile_failures: dict[str, str]
    operations: DbtRun
    duck_errors: list[str]
    merged_manifests: tuple[Path, ...] = ()


def analyse(builds: EmulatedBuilds, started: float) -> CheckResult:
    """Check every node and operation of ``builds`` (from :func:`run_check` or the shared parity build)."""
    work, sf, duck = builds.work, builds.sf, builds.duck
    notes: list[str] = []
    sf_manifest = sf.manifest()
    schema = _duckdb_schema(builds.duck_db, notes)
    saved = work / "duckdb_manifest.json"
    duck_manifest = json.loads(saved.read_text()) if saved.exists() else {"nodes": {}}
    sf_files = _compiled_files(sf_manifest, sf.target_path)
    for merged in builds.merged_manifests:
        for unique_id, rel in _compiled_files(json.loads(merged.read_text()), sf.target_path).items():
            sf_files.setdefault(unique_id, rel)
    duck_files = _compiled_files(duck_manifest, duck.target_path)
    by_node = _statements_by_node(work / "emulator" / STATEMENT_LOG)
    all_nodes = {**sf_manifest["nodes"], **sf_manifest.get("unit_tests", {})}
    duck_nodes = {
        unique_id: node
        for unique_id, node in {**duck_manifest["nodes"], **duck_manifest.get("unit_tests", {})}.items()
        if node.get("config", {}).get("enabled", True)
    }
    sf_sql = _CompiledSql(work / "snowflake_first", sf.target_path / "compiled", sf_files, all_nodes)
    duck_sql = _CompiledSql(work / "duckdb_first", duck.target_path / "compiled", duck_files, duck_nodes)
    checks: dict[str, NodeCheck] = {}
    memo = _Checks(schema)
    for unique_id, node in sorted(all_nodes.items()):
        if node["resource_type"] not in CHECKED_TYPES:
            continue
        check = NodeCheck(unique_id, node["resource_type"], snowflake_only=unique_id not in duck_nodes)
        if unique_id in builds.build_failures:
            check.compile_errors.append(f"emulated build: {builds.build_failures[unique_id]}")
        if unique_id in builds.compile_failures:
            check.compile_errors.append(f"compile: {builds.compile_failures[unique_id]}")
        _check_node(check, node, sf_sql, duck_sql, by_node.get(unique_id, []), memo)
        checks[unique_id] = check

    for unique_id in sorted(set(duck_nodes) - set(all_nodes)):
        if duck_nodes[unique_id]["resource_type"] in ("model", "snapshot"):
            checks[unique_id] = NodeCheck(
                unique_id,
                duck_nodes[unique_id]["resource_type"],
                compile_errors=["enabled on DuckDB but not on Snowflake"],
            )

    operations = builds.operations
    if operations.returncode != 0:
        op = NodeCheck(
            "run-operation dry_run_operations",
            "operation",
            compile_errors=[f"dry run failed: {operations.tail(8)}"],
        )
        checks[op.node] = op
    for name, sql in _dry_run_blocks(operations.output).items():
        key = f"operation.{name}" if not name.startswith(("model.", "snapshot.")) else f"governance:{name}"
        op = NodeCheck(key, "operation", snowflake_only=True, compiled=["dry_run"])
        for statement in check_sql(sql):
            op.statements += 1
            op.problems += [p for p in statement.problems if p not in op.problems]
        if not op.statements:
            op.problems.append("dry run returned no SQL")
        checks[key] = op

    notes += builds.duck_errors
    return CheckResult(list(checks.values()), time.monotonic() - started, notes)


# --------------------------------------------------------------------------- report


def _short(node: str, width: int = 88) -> str:
    """A node id without the project name, cut to ``width`` characters."""
    parts = node.split(".")
    text = ".".join([parts[0], *parts[2:]]) if len(parts) > 2 and parts[1] == "logistics" else node
    return text if len(text) <= width else text[: width - 1] + "…"


def format_table(result: CheckResult, failures_only: bool = False) -> str:
    """The report: one row per node (node, compiled, parsed, hazards), then the problems."""
    rows = [("node", "compiled", "parsed", "hazards")]
    for check in sorted(result.nodes, key=lambda c: (c.resource_type, c.node)):
        if failures_only and check.ok:
            continue
        compiled = "+".join(check.compiled) or "-"
        if check.compile_errors:
            compiled = "FAIL " + compiled
        parsed = f"{check.statements} ok" if not check.problems else f"FAIL {len(check.problems)}"
        if check.snowflake_only:
            hazards = "n/a (snowflake only)"
        else:
            hazards = "0" if not check.hazards else f"FAIL {len(check.hazards)}"
        rows.append((_short(check.node), compiled, parsed, hazards))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    details = []
    for check in result.failures:
        details.append(f"\n{check.node}:")
        details += [f"  compile: {e}" for e in check.compile_errors]
        details += [f"  parse:   {p}" for p in check.problems]
        details += [f"  hazard:  {h.format()}" for h in check.hazards]
    summary = (
        f"\n{len(result.nodes)} nodes and operations checked in {result.seconds:.0f}s: "
        f"{len(result.failures)} failing."
    )
    if any(check.hazards for check in result.failures):
        details.append(f"\n{LINT_REMEDY}")
    notes = [f"note: {n}" for n in result.notes]
    return "\n".join(lines + details + notes + [summary])


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point: run the check, print the table, exit 1 on any failure, 2 on a crash."""
    parser = argparse.ArgumentParser(
        prog="python -m parity_tests.check_snowflake",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--project-dir", type=Path, default=REPO_ROOT, help="dbt project to check")
    parser.add_argument("--work-dir", type=Path, help="keep scratch files here (default: a temp dir)")
    parser.add_argument("--failures-only", action="store_true", help="print only failing rows")
    parser.add_argument(
        "--timeout", type=float, default=DEFAULT_TIMEOUT_S, help="seconds allowed per dbt invocation"
    )
    args = parser.parse_args(argv)
    try:
        result = run_check(args.project_dir.resolve(), args.work_dir, args.timeout)
    except (DbtError, EmulatorError) as err:
        print(f"check-snowflake could not run: {err}", file=sys.stderr)
        return 2
    print(format_table(result, args.failures_only))
    return 0 if result.ok and not result.notes else 1


if __name__ == "__main__":
    raise SystemExit(main())
