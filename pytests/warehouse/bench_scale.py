"""The scaling table (pytest-benchmark), not collected by default test runs.

    pytest pytests/warehouse/bench_scale.py --benchmark-enable -s                 # SF 0.1 and 1
    BENCH_FULL=1 pytest pytests/warehouse/bench_scale.py --benchmark-enable -s    # and SF 10

Per scale, on a fresh scratch warehouse: the initial load (``generate``), a full build, a 1-day
``sync`` and the incremental build after it, then a build with nothing new (dbt's fixed cost),
each with wall seconds and the peak RSS of its process (the generator, dbt with DuckDB in it).
Builds are seeds, models and snapshots without tests, with the profile's DuckDB limits
(``LOGISTICS_DUCKDB_MEMORY_LIMIT``, default here 4GB so the shared machine keeps room).
Reported: the exponent of the fitted cost curve (seconds ∝ landed rows^k, least squares on the
logs; goal k ≤ 1.1) for generation and full build (the full build also against the shipment and ping
rows alone, for comparison), and per scale the incremental/full ratio
(goal ≤ 0.1 at SF 10) split into fixed cost (the no-op build) and data cost (the rest).
Figures are also written to ``BENCH_SCALE_JSON`` when set, after every scale (docs/scale.md quotes them).
"""

from __future__ import annotations

import json
import math
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from rich.console import Console
from rich.table import Table

from warehouse.runtime import MODELS_ONLY, ScratchWarehouse
from warehouse.runtime.runner import dbt_executable

FULL = os.environ.get("BENCH_FULL") == "1"
SCALES = [0.1, 1.0] + ([10.0] if FULL else [])
SEED = "42"
GOAL_EXPONENT = 1.1
GOAL_INCREMENTAL_AT_SF10 = 0.1
MEMORY_LIMIT = os.environ.get("LOGISTICS_DUCKDB_MEMORY_LIMIT", "4GB")
# The tables that grow with the business (×10 per scale step); weather and traffic grow with the
# locations (×3.6 from SF 1 to 10), so all landed rows grow slower than the work.
BUSINESS_TABLES = ("shipments", "telematics")

# Runs a command, then prints its wall seconds and the peak RSS (KiB) of the child it waited for.
_MEASURE = (
    "import resource, subprocess, sys, time\n"
    "t = time.perf_counter(); code = subprocess.call(sys.argv[1:])\n"
    "print('@@', time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
)

FIGURES: dict[float, dict[str, float]] = {}
# Per scale and build, the slowest nodes' seconds (dbt's run_results): where a build's time goes.
SLOWEST: dict[float, dict[str, dict[str, float]]] = {}


def _measured(wh: ScratchWarehouse, argv: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (GiB) of one command run in the warehouse's folder."""
    done = wh.run([sys.executable, "-c", _MEASURE, *argv])
    tag, seconds, rss_kib, code = done.stdout.strip().splitlines()[-1].split()
    assert tag == "@@" and code == "0", done.stdout[-2000:] + done.stderr[-2000:]
    return float(seconds), int(rss_kib) / 2**20


def _generator(wh: ScratchWarehouse, *args: str) -> tuple[float, float]:
    return _measured(wh, [sys.executable, "-m", "generator", *args, "--db", str(wh.db), "--quiet"])


def _build(wh: ScratchWarehouse) -> tuple[float, float]:
    return _measured(wh, [dbt_executable(), *wh.dbt_argv(["build", *MODELS_ONLY])])


def _slowest_nodes(wh: ScratchWarehouse, top: int = 8) -> dict[str, float]:
    """The ``top`` slowest nodes of the last dbt invocation, name → seconds."""
    timed = sorted(wh.run_results(), key=lambda node: -node["execution_time"])[:top]
    return {node["unique_id"].split(".")[-1]: round(node["execution_time"], 1) for node in timed}


def _landed_rows(db: Path) -> dict[str, int]:
    """Rows per landing table (the generator's own tables, prefixed _, left out)."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where schema_name like 'landing_%' and not table_name like '\\_%' escape '\\'"
        ).fetchall()
        return {t: con.execute(f'select count(*) from "{s}"."{t}"').fetchone()[0] for s, t in tables}


def fitted_exponent(points: list[tuple[float, float]]) -> float:
    """k of y = c·x^k fitted by least squares on (log x, log y)."""
    logs = [(math.log(x), math.log(y)) for x, y in points]
    mean_x = sum(x for x, _ in logs) / len(logs)
    mean_y = sum(y for _, y in logs) / len(logs)
    spread = sum((x - mean_x) ** 2 for x, _ in logs)
    return sum((x - mean_x) * (y - mean_y) for x, y in logs) / spread


@pytest.mark.parametrize("scale", SCALES)
def test_scale(benchmark, scale: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Initial load, full build, 1-day sync, incremental build and a no-op build at one scale."""
    monkeypatch.setenv("LOGISTICS_DUCKDB_MEMORY_LIMIT", MEMORY_LIMIT)
    wh = ScratchWarehouse(tmp_path)
    wh.dbt("parse")
    out: dict[str, float] = {}
    slowest: dict[str, dict[str, float]] = {}

    FIGURES[scale], SLOWEST[scale] = out, slowest

    def pipeline() -> None:
        generate = ("generate", "--scale", str(scale), "--seed", SEED)
        out["generate_s"], out["generate_gib"] = _generator(wh, *generate)
        landed = _landed_rows(wh.db)
        out["landed_rows"] = sum(landed.values())
        out["business_rows"] = sum(landed[t] for t in BUSINESS_TABLES)
        _record_figures()
        out["full_s"], out["full_gib"] = _build(wh)
        slowest["full"] = _slowest_nodes(wh)
        out["db_gib"] = wh.db.stat().st_size / 2**30
        out["load_average_1m"] = os.getloadavg()[0]  # the shared machine's load, beside its figures
        _record_figures()
        out["sync_s"], _ = _generator(wh, "sync", "--days", "1")
        out["sync_rows"] = sum(_landed_rows(wh.db).values()) - out["landed_rows"]
        out["incremental_s"], out["incremental_gib"] = _build(wh)
        slowest["incremental"] = _slowest_nodes(wh)
        _record_figures()
        out["noop_s"], out["noop_gib"] = _build(wh)
        slowest["noop"] = _slowest_nodes(wh)
        out["load_average_1m"] = os.getloadavg()[0]
        _record_figures()

    benchmark.pedantic(pipeline, rounds=1, iterations=1)
    benchmark.extra_info.update({k: round(v, 3) for k, v in out.items()})


def _record_figures() -> None:
    """Write every figure so far to ``BENCH_SCALE_JSON`` (after each step: an SF 10 run takes hours)."""
    if path := os.environ.get("BENCH_SCALE_JSON"):
        figures = {str(k): {**v, "slowest_nodes": SLOWEST[k]} for k, v in FIGURES.items()}
        Path(path).write_text(json.dumps(figures, indent=2))


def _verdict(ok: bool) -> str:
    return "[green]met[/]" if ok else "[red]missed[/]"


@pytest.fixture(scope="module", autouse=True)
def _print_table() -> Iterator[None]:
    yield
    complete = {scale: f for scale, f in FIGURES.items() if "noop_s" in f}  # a failed step leaves a part
    if not complete:
        return
    table = Table(
        title=f"scaling (memory_limit {MEMORY_LIMIT}; load average {os.getloadavg()[0]:.1f} at the end)"
    )
    for column in (
        "SF",
        "landed rows",
        "generate s (GiB)",
        "rows/s",
        "full build s (GiB)",
        "1-day sync rows",
        "incremental s (GiB)",
        "no-op s",
        "incr/full",
        "data cost s",
    ):
        table.add_column(column, justify="right")
    for scale, f in sorted(complete.items()):
        table.add_row(
            f"{scale:g}",
            f"{f['landed_rows']:,.0f}",
            f"{f['generate_s']:.1f} ({f['generate_gib']:.2f})",
            f"{f['landed_rows'] / f['generate_s']:,.0f}",
            f"{f['full_s']:.1f} ({f['full_gib']:.2f})",
            f"{f['sync_rows']:,.0f}",
            f"{f['incremental_s']:.1f} ({f['incremental_gib']:.2f})",
            f"{f['noop_s']:.1f}",
            f"{f['incremental_s'] / f['full_s']:.2f}",
            f"{max(f['incremental_s'] - f['noop_s'], 0):.1f}",
        )
    console = Console(width=160)
    console.print(table)
    if len(complete) > 1:
        for step in ("generate", "full"):
            k = fitted_exponent([(f["landed_rows"], f[f"{step}_s"]) for f in complete.values()])
            verdict = _verdict(k <= GOAL_EXPONENT)
            console.print(f"  {step}: seconds ∝ rows^{k:.2f} ({verdict}, goal ≤ {GOAL_EXPONENT})")
        k = fitted_exponent([(f["business_rows"], f["full_s"]) for f in complete.values()])
        console.print(f"  full: seconds ∝ (shipment + ping rows)^{k:.2f} (the business volume, not the goal)")
    if 10.0 in complete:
        ratio = complete[10.0]["incremental_s"] / complete[10.0]["full_s"]
        verdict = _verdict(ratio <= GOAL_INCREMENTAL_AT_SF10)
        console.print(f"  incremental/full at SF 10: {ratio:.3f} ({verdict})")
