"""Warehouse benchmarks (pytest-benchmark), not collected by default test runs.

    pytest pytests/warehouse/bench_warehouse.py --benchmark-enable -s            # quick: SF 0.1
    BENCH_FULL=1 pytest pytests/warehouse/bench_warehouse.py --benchmark-enable -s   # SF 1

Measures, each against a baseline taken in the same run (the machine is shared, so only ratios
travel): (1) the demo end to end (generate + dbt build + train + score + summary) at its default
scale; (2) a full ``dbt build`` at SF 0.01, 0.1 (and 1); (3) ``dbt run --full-refresh`` against the
same compiled model SQL run straight in one DuckDB connection in DAG order (dbt's own overhead); (4)
after syncs of about 0.1 %, 1 % and 10 % new rows, an incremental ``dbt run`` / ``dbt build``
against the same command with ``--full-refresh`` on a copy of the same database. dbt always runs as
a subprocess with its own ``--target-path`` and a temporary ``LOGISTICS_DB``. The figures are
printed at the end.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from rich.table import Table

from pytests.modelops.conftest import demo_scale
from warehouse.runtime import ScratchWarehouse

FULL = os.environ.get("BENCH_FULL") == "1"
SCALE = 1.0 if FULL else float(os.environ.get("BENCH_SCALE", "0.1"))
BUILD_SCALES = sorted({0.01, 0.1, SCALE} | ({1.0} if FULL else set()))
DEMO_SCALE = demo_scale()
SEED = "42"
# Whole days the clock advances; 1 day of the 2-year history is about 0.14 % of the rows.
SYNC_DAYS = [int(d) for d in os.environ.get("BENCH_SYNC_DAYS", "1,7,73").split(",")]
# A sync built incrementally before the measured one (0 measures the first sync after the initial
# load instead; since after_high_water_mark skips the rows at the mark, both cost what the sync costs).
WARMUP_DAYS = int(os.environ.get("BENCH_WARMUP_DAYS", "1"))
GOAL_DEMO_S = 60.0
GOAL_OVERHEAD = 2.0
GOAL_INCREMENTAL = 0.15

REPORT: dict[str, dict] = {}


def _timed(build: ScratchWarehouse, *args: str) -> float:
    """Wall seconds of one dbt invocation (a subprocess, as a user runs it)."""
    t = time.perf_counter()
    build.dbt(*args)
    return time.perf_counter() - t


def _node_seconds(build: ScratchWarehouse, resource: str | None = None) -> dict[str, float]:
    """Per-node execution seconds of the last dbt invocation (from run_results.json)."""
    return {
        r["unique_id"].split(".")[2]: r["execution_time"]
        for r in build.run_results()
        if resource is None or r["unique_id"].startswith(resource + ".")
    }


def _top(seconds: dict[str, float], n: int = 5) -> str:
    return ", ".join(f"{k} {v:.1f}" for k, v in sorted(seconds.items(), key=lambda kv: -kv[1])[:n])


@pytest.fixture(scope="session")
def work(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScratchWarehouse]:
    """The one path every timed dbt invocation runs on (a copy of the warehouse under test is put
    there first), with one target folder: dbt's partial parse stays warm between invocations, as
    in a user's checkout. Every file is named warehouse.duckdb, so the DuckDB catalog is the same."""
    folder = tmp_path_factory.mktemp("work")
    build = ScratchWarehouse(folder)
    build.dbt("parse")
    yield build
    _place(build, None)


def _place(work: ScratchWarehouse, src: Path | None) -> ScratchWarehouse:
    """Replace the work warehouse by a copy of ``src`` (or by nothing)."""
    for p in (work.db, work.db.with_name(work.db.name + ".wal")):
        p.unlink(missing_ok=True)
    if src is not None:
        shutil.copy(src, work.db)
    return work


def _keep(work: ScratchWarehouse, folder: Path) -> Path:
    """Move the work warehouse aside (checkpointed by the process that wrote it) and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.move(work.db, folder / "warehouse.duckdb"))


@pytest.fixture(scope="session")
def built() -> Iterator[dict[float, Path]]:
    """Built warehouses by scale (filled by the full-build benchmark, read by the later ones)."""
    out: dict[float, Path] = {}
    yield out
    for db in out.values():  # several GB at SF 1
        db.unlink(missing_ok=True)


def _landed_rows(db: Path) -> int:
    """Rows in the landing tables (what the generator has landed, after upserts)."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name like 'landing_%' and not table_name like '\\_%' escape '\\'"
        ).fetchall()
        return con.execute(
            "select " + " + ".join(f'(select count(*) from "{s}"."{t}")' for s, t in tables)
        ).fetchone()[0]


def _generate(work: ScratchWarehouse, scale: float) -> ScratchWarehouse:
    _place(work, None).generator("generate", "--scale", str(scale), "--seed", SEED, "--quiet")
    return work


def test_demo_end_to_end(benchmark, tmp_path: Path) -> None:
    """What `just demo` does (generate, dbt build --fail-fast, train, score, summary), scratch warehouse."""
    steps: dict[str, float] = {}

    def demo() -> None:
        build = ScratchWarehouse(tmp_path)
        t = time.perf_counter()
        build.generator("generate", "--scale", DEMO_SCALE, "--quiet")
        steps["generate"] = time.perf_counter() - t
        steps["dbt build"] = _timed(build, "build", "--fail-fast")
        for verb in ("train", "score"):
            t = time.perf_counter()
            build.run([sys.executable, "-m", "modelops", verb])
            steps[verb] = time.perf_counter() - t
        t = time.perf_counter()
        build.run([sys.executable, "-m", "warehouse", "summary"])
        steps["summary"] = time.perf_counter() - t

    benchmark.pedantic(demo, rounds=1, iterations=1)
    total = sum(steps.values())
    REPORT["demo"] = {"scale": DEMO_SCALE, "seconds": total, **steps}
    benchmark.extra_info.update(seconds=round(total, 1))


@pytest.mark.parametrize("scale", BUILD_SCALES)
def test_full_build(
    benchmark, scale: float, work: ScratchWarehouse, tmp_path_factory, built: dict[float, Path]
) -> None:
    """A full `dbt build` (seeds, models, snapshots, all tests) on a fresh initial load."""
    build = _generate(work, scale)
    out: dict = {}

    def run() -> None:
        out["seconds"] = _timed(build, "build", "--fail-fast")

    benchmark.pedantic(run, rounds=1, iterations=1)
    out["landed_rows"] = _landed_rows(build.db)
    by_kind: dict[str, float] = {}
    for r in build.run_results():
        kind = r["unique_id"].split(".")[0]
        by_kind[kind] = by_kind.get(kind, 0.0) + r["execution_time"]
    out["by_kind"] = by_kind
    out["top"] = _top(_node_seconds(build))
    REPORT.setdefault("builds", {})[scale] = out
    built[scale] = _keep(build, tmp_path_factory.mktemp(f"built_sf{scale}"))
    benchmark.extra_info.update(seconds=round(out["seconds"], 1))


@pytest.fixture(scope="session")
def base(built: dict[float, Path], work: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A warehouse at the benchmark scale, built once (reused from the full-build benchmark)."""
    if SCALE not in built:
        _generate(work, SCALE).dbt("build")
        built[SCALE] = _keep(work, tmp_path_factory.mktemp("base"))
    return built[SCALE]


def _dag_order(manifest: dict, executed: set[str]) -> list[dict]:
    """The models dbt ran, in a topological order of the manifest's DAG."""
    nodes = manifest["nodes"]
    graph = {
        uid: [d for d in nodes[uid]["depends_on"]["nodes"] if d in executed]
        for uid in executed
    }
    return [nodes[uid] for uid in TopologicalSorter(graph).static_order()]


def _straight_sql(node: dict, compiled: str) -> str:
    """The compiled model wrapped the way its materialization lands it, without dbt around it."""
    kind = "view" if node["config"]["materialized"] == "view" else "table"
    return f"create or replace {kind} {node['relation_name']} as (\n{compiled}\n)"


def test_dbt_overhead(benchmark, base: Path, work: ScratchWarehouse, tmp_path_factory) -> None:
    """`dbt run --full-refresh` against its own compiled SQL run straight in one DuckDB connection."""
    dbt_build = _place(work, base)
    out: dict = {}

    def run_dbt() -> None:
        out["dbt_seconds"] = _timed(dbt_build, "run", "--full-refresh")

    benchmark.pedantic(run_dbt, rounds=1, iterations=1)
    results = dbt_build.run_results()
    executed = {r["unique_id"] for r in results if r["status"] == "success"}
    manifest = json.loads((dbt_build.target / "manifest.json").read_text())
    statements = []
    for node in _dag_order(manifest, executed):
        if node["config"]["materialized"] == "ephemeral":
            continue
        path = dbt_build.target / "compiled" / node["package_name"] / node["original_file_path"]
        statements.append((node["name"], node["schema"], _straight_sql(node, path.read_text())))

    # The same models, straight, on a fresh copy of the same warehouse (seeds and snapshots in place).
    straight = tmp_path_factory.mktemp("overhead_straight") / "warehouse.duckdb"
    shutil.copy(base, straight)
    per_model: dict[str, float] = {}
    t = time.perf_counter()
    con = duckdb.connect(str(straight))
    for schema in sorted({schema for _, schema, _ in statements}):
        con.execute(f'create schema if not exists "{schema}"')
    for name, _, sql in statements:
        t_model = time.perf_counter()
        con.execute(sql)
        per_model[name] = time.perf_counter() - t_model
    con.close()
    out["straight_seconds"] = time.perf_counter() - t
    straight.unlink()
    out["models"] = len(statements)
    out["dbt_node_seconds"] = sum(r["execution_time"] for r in results)
    out["dbt_elapsed"] = json.loads((dbt_build.target / "run_results.json").read_text())["elapsed_time"]
    out["top_straight"] = _top(per_model)
    out["top_dbt"] = _top(_node_seconds(dbt_build, "model"))
    REPORT["overhead"] = out
    benchmark.extra_info.update(ratio=round(out["dbt_seconds"] / out["straight_seconds"], 2))
    assert out["models"] > 40


@pytest.fixture(scope="session")
def synced(
    base: Path, work: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[int, tuple[Path, float]]]:
    """Per sync size in days: the built base warehouse after one more sync, and the landed fraction."""
    out: dict[int, tuple[Path, float]] = {}
    if WARMUP_DAYS:
        warm = _place(work, base)
        warm.generator("sync", "--days", str(WARMUP_DAYS), "--quiet")
        warm.dbt("build")
        base = _keep(warm, tmp_path_factory.mktemp("warm"))
    history = _landed_rows(base)
    for days in SYNC_DAYS:
        build = _place(work, base)
        build.generator("sync", "--days", str(days), "--quiet")
        with duckdb.connect(str(build.db), read_only=True) as con:
            (rows_json,) = con.execute(
                "select rows_json from main._generator_syncs order by sync_number desc limit 1"
            ).fetchone()
        landed = sum(json.loads(rows_json).values())
        out[days] = (_keep(build, tmp_path_factory.mktemp(f"synced_{days}d")), landed / history)
    yield out
    for db, _ in out.values():
        db.unlink(missing_ok=True)
    if WARMUP_DAYS:
        base.unlink()


@pytest.mark.parametrize("mode", ["incremental", "full-refresh"])
@pytest.mark.parametrize("command", ["run", "build"])
@pytest.mark.parametrize("days", SYNC_DAYS)
def test_after_a_sync(benchmark, mode: str, days: int, command: str, synced, work: ScratchWarehouse) -> None:
    """After one sync: incremental `dbt run`/`dbt build` vs the same with --full-refresh (same data)."""
    db, fraction = synced[days]
    build = _place(work, db)
    args = [command] + (["--full-refresh"] if mode == "full-refresh" else [])
    out: dict = {}

    def run() -> None:
        out["seconds"] = _timed(build, *args)

    benchmark.pedantic(run, rounds=1, iterations=1)
    nodes = _node_seconds(build)
    out["top"] = _top(nodes)
    out["node_seconds"] = sum(nodes.values())
    out["fraction"] = fraction
    REPORT.setdefault("syncs", {})[(command, days, mode)] = out
    benchmark.extra_info.update(seconds=round(out["seconds"], 1), fraction=round(fraction, 5))


def _verdict(ok: bool) -> str:
    return "[green]met[/]" if ok else "[red]missed[/]"


@pytest.fixture(scope="module", autouse=True)
def _print_figures() -> Iterator[None]:
    yield
    if not REPORT:
        return
    console = Console(width=150)
    table = Table(
        title=f"warehouse benchmarks ({'full' if FULL else 'quick'} mode, SF {SCALE}; "
        f"load average {os.getloadavg()[0]:.1f} at the end — absolute seconds follow the machine's load)"
    )
    for column in ("benchmark", "seconds", "ratio", "baseline (same run)", "goal"):
        left = column in ("benchmark", "baseline (same run)")
        table.add_column(column, justify="left" if left else "right")
    notes: list[str] = []
    if "demo" in REPORT:
        d = REPORT["demo"]
        table.add_row(
            f"demo end to end, SF {d['scale']} (generate {d['generate']:.1f} + build {d['dbt build']:.1f} "
            f"+ train {d['train']:.1f} + score {d['score']:.1f} + summary {d['summary']:.1f} s)",
            f"{d['seconds']:.1f}", f"{d['seconds'] / GOAL_DEMO_S:.2f}", "the 60 s goal",
            _verdict(d["seconds"] <= GOAL_DEMO_S),
        )
    builds = REPORT.get("builds", {})
    if builds:
        smallest = min(builds)
        for scale, b in sorted(builds.items()):
            kinds = ", ".join(f"{k} {v:.0f}" for k, v in sorted(b["by_kind"].items(), key=lambda kv: -kv[1]))
            table.add_row(
                f"dbt build, SF {scale} ({b['landed_rows']:,} landed rows)",
                f"{b['seconds']:.1f}", f"{b['seconds'] / builds[smallest]['seconds']:.2f}",
                f"dbt build at SF {smallest}", "grows",
            )
            notes.append(f"build SF {scale}: node seconds by kind: {kinds}; slowest: {b['top']}")
    if "overhead" in REPORT:
        o = REPORT["overhead"]
        ratio = o["dbt_seconds"] / o["straight_seconds"]
        table.add_row(
            f"dbt run --full-refresh, SF {SCALE} ({o['models']} models)",
            f"{o['dbt_seconds']:.1f}", f"{ratio:.2f}", f"same SQL straight: {o['straight_seconds']:.1f} s",
            _verdict(ratio <= GOAL_OVERHEAD),
        )
        notes.append(
            f"overhead: dbt elapsed {o['dbt_elapsed']:.1f} s of {o['dbt_seconds']:.1f} s wall "
            f"(node time {o['dbt_node_seconds']:.1f} s); slowest in dbt: {o['top_dbt']}; "
            f"slowest straight: {o['top_straight']}"
        )
    syncs = REPORT.get("syncs", {})
    for command in ("run", "build"):
        for days in SYNC_DAYS:
            inc = syncs.get((command, days, "incremental"))
            full = syncs.get((command, days, "full-refresh"))
            if not inc or not full:
                continue
            ratio = inc["seconds"] / full["seconds"]
            goal = _verdict(ratio <= GOAL_INCREMENTAL) if command == "run" else "–"
            table.add_row(
                f"incremental dbt {command} after a {days}-day sync ({inc['fraction']:.2%} new rows"
                + (")" if WARMUP_DAYS else "; first sync after the initial load)"),
                f"{inc['seconds']:.1f}", f"{ratio:.2f}",
                f"dbt {command} --full-refresh: {full['seconds']:.1f} s", goal,
            )
            notes.append(
                f"dbt {command} after {days} d: node seconds incremental {inc['node_seconds']:.1f} "
                f"(of {inc['seconds']:.1f} wall), full refresh {full['node_seconds']:.1f}; "
                f"slowest incremental: {inc['top']}"
            )
    console.print(table)
    for note in notes:
        console.print(f"  {note}", highlight=False)
