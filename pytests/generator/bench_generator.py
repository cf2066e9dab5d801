"""Benchmarks (pytest-benchmark), not collected by default test runs.

    pytest pytests/generator/bench_generator.py --benchmark-enable               # quick: SF 0.1; CLI 0.1, 1
    BENCH_FULL=1 pytest pytests/generator/bench_generator.py --benchmark-enable  # SF 1, 1 round; CLI + SF 10

Measures (1) end-to-end generate + write rows/s in process, (2) a naive row-by-row shipments
generator with Faker per row (the ratio of per-row speeds, measured in the same run), (3) the
scaling table: the CLI in a subprocess at SF 0.1 and 1 (and 10) — rows, seconds, rows/s, CPU
seconds, peak RSS (bounded: ≤ 2 GiB at any scale), file size — beside its ceiling measured in the
same run: DuckDB alone copying the same landing rows into a fresh file (no Python in the loop; the
cost of compressing and writing these rows, which no generator writing this file can avoid), and
the load average before and after each, (4) the peak RSS of a 365-day sync against a 91-day one at
SF 1 (bounded by a chunk, not the sync's length). The figures are printed at the end of the run.
"""

from __future__ import annotations

import os
import random
import resource
import shutil
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from faker import Faker

from generator import run
from generator.config import Config
from generator.progress import RunProgress

FULL = os.environ.get("BENCH_FULL") == "1"
SCALE = 1.0 if FULL else float(os.environ.get("BENCH_SCALE", "0.1"))
NAIVE_ROWS = int(os.environ.get("BENCH_NAIVE_ROWS", "3000"))
REPO = Path(__file__).resolve().parents[2]


def _cpu() -> float:
    """CPU seconds (user + system, all threads) of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _fresh(path: Path) -> None:
    for p in (path, path.with_name(path.name + ".wal")):
        p.unlink(missing_ok=True)


def test_end_to_end_rows_per_second(benchmark, tmp_path: Path, bench_report: dict) -> None:
    db = tmp_path / "bench.duckdb"
    results = []

    def target() -> None:
        progress = RunProgress(enabled=False)
        cpu0 = _cpu()
        result = run.generate(Config(scale=SCALE), db, progress=progress)
        results.append((result, progress, _cpu() - cpu0))

    benchmark.pedantic(target, setup=lambda: _fresh(db), rounds=1 if FULL else 3, iterations=1)
    seconds = benchmark.stats.stats.min
    best = min(results, key=lambda r: sum(r[1].seconds.values()))
    rows = sum(best[0].rows.values())
    shipments = best[0].rows["shipments"]
    shipment_seconds = best[1].seconds["shipments"]  # includes the whole simulation
    bench_report["scale"] = SCALE
    bench_report["rows"] = rows
    bench_report["seconds"] = seconds
    bench_report["rows_per_s"] = rows / seconds
    bench_report["shipments_per_s"] = shipments / shipment_seconds
    bench_report["cpu_seconds"] = best[2]
    benchmark.extra_info.update(rows=rows, rows_per_s=round(rows / seconds))
    assert rows > 0


def naive_shipments(n: int, db: Path, seed: int = 42) -> int:
    """A row-by-row shipments generator, the way the seed project built it: a Python loop appending
    dicts, Faker per row, the customer drawn with weights by ``random.choices``, the status decided
    per row against the clock; then one bulk insert into DuckDB (the fast path, in its favour)."""
    import duckdb
    import pyarrow as pa

    fake = Faker()
    Faker.seed(seed)
    random.seed(seed)
    customers = list(range(1, 5001))
    weights = [random.lognormvariate(0, 0.6) for _ in customers]
    statuses = ["CREATED", "ASSIGNED", "IN_TRANSIT", "DELIVERED", "CANCELLED"]
    start, end = datetime(2024, 1, 1), datetime(2025, 12, 31)
    clock = datetime(2025, 12, 31, 23, 59, 59)
    rows = []
    for i in range(n):
        planned = fake.date_time_between(start_date=start, end_date=end)
        picked = planned + timedelta(minutes=fake.random_int(0, 60))
        duration = timedelta(minutes=fake.random_int(30, 3000))
        delivered = picked + duration
        weight = fake.pyfloat(min_value=10, max_value=26000, right_digits=1)
        status = (
            statuses[4]
            if random.random() < 0.03
            else statuses[3]
            if delivered <= clock
            else statuses[2]
            if picked <= clock
            else statuses[1]
        )
        rows.append(
            {
                "shipment_id": i + 1,
                "customer_id": random.choices(customers, weights=weights)[0],
                "route_id": fake.random_int(1, 3500),
                "vehicle_id": fake.random_int(1, 1000),
                "status": status,
                "priority": fake.random_element(["LOW", "NORMAL", "HIGH", "CRITICAL"]),
                "service_level": fake.random_element(["ECONOMY", "STANDARD", "EXPRESS"]),
                "weight_kg": weight,
                "volume_m3": round(weight / 200 * random.random(), 2),
                "revenue_usd": float(fake.pydecimal(left_digits=5, right_digits=2, positive=True)),
                "fuel_cost_usd": float(fake.pydecimal(left_digits=4, right_digits=2, positive=True)),
                "driver_cost_usd": float(fake.pydecimal(left_digits=4, right_digits=2, positive=True)),
                "toll_cost_usd": float(fake.pydecimal(left_digits=3, right_digits=2, positive=True)),
                "planned_pickup_at": planned,
                "picked_up_at": picked if status in ("IN_TRANSIT", "DELIVERED") else None,
                "promised_delivery_at": planned + duration + timedelta(hours=2),
                "delivered_at": delivered if status == "DELIVERED" else None,
                "created_at": planned - timedelta(hours=fake.random_int(1, 72)),
                "updated_at": min(delivered, clock),
            }
        )
    _fresh(db)
    con = duckdb.connect(str(db))
    table = pa.Table.from_pylist(rows)
    con.register("naive", table)
    con.execute("create table shipments as select * from naive")
    con.close()
    return len(rows)


def test_row_by_row_reference(benchmark, tmp_path: Path, bench_report: dict) -> None:
    rows = benchmark.pedantic(
        naive_shipments, args=(NAIVE_ROWS, tmp_path / "naive.duckdb"), rounds=1 if FULL else 3, iterations=1
    )
    assert rows == NAIVE_ROWS
    per_s = NAIVE_ROWS / benchmark.stats.stats.min
    bench_report["naive_rows_per_s"] = per_s
    benchmark.extra_info.update(rows_per_s=round(per_s))


# The scaling table: generation by the CLI in a subprocess at each scale (SF 10 with BENCH_FULL=1).
SCALES = (0.1, 1.0, 10.0) if FULL else (0.1, 1.0)
PEAK_RSS_LIMIT_MIB = 2 * 1024  # issue #16: the streaming generator stays under 2 GiB at any scale


def _run_cli(args: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB) of ``python -m generator ARGS`` — this child's own
    ``ru_maxrss`` (``os.wait4``), not the maximum over every child of the run."""
    return _run([sys.executable, "-m", "generator", *args])


def _run(argv: list[str]) -> tuple[float, float, float]:
    """(wall seconds, CPU seconds, peak RSS MiB) of one child process."""
    t = time.perf_counter()
    child = subprocess.Popen(argv, cwd=REPO, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    assert child.returncode == 0, f"{argv[1:4]} exited with {child.returncode}"
    return time.perf_counter() - t, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


# The ceiling: DuckDB alone (its default threads) copying the landing tables of a generated file.
_DUCKDB_COPY = """
import sys, duckdb
con = duckdb.connect(sys.argv[2])
con.execute("set memory_limit = '2GB'")  # the shared machine's room (the generator caps itself lower)
con.execute(f"attach '{sys.argv[1]}' as src (read_only)")
tables = con.execute(
    "select schema_name, table_name from duckdb_tables() "
    "where database_name = 'src' and schema_name like 'landing%'"
).fetchall()
for schema, name in tables:
    con.execute(f"create schema if not exists {schema}")
    con.execute(f"create table {schema}.{name} as select * from src.{schema}.{name}")
con.close()
"""


def _rows_landed(db: Path) -> int:
    import json

    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        return sum(
            json.loads(con.execute("select rows_json from main._generator_syncs").fetchone()[0]).values()
        )
    finally:
        con.close()


@pytest.mark.parametrize("scale", SCALES, ids=lambda s: f"SF{s:g}")
def test_generation_at_scale(scale: float, tmp_path: Path, bench_report: dict) -> None:
    db = tmp_path / f"sf{scale:g}.duckdb"
    load_before = os.getloadavg()[0]
    wall, cpu, peak = _run_cli(["generate", "--scale", str(scale), "--db", str(db), "--quiet"])
    load_after = os.getloadavg()[0]
    rows = _rows_landed(db)
    copy = tmp_path / "copy.duckdb"
    copy_wall, copy_cpu, _ = _run([sys.executable, "-c", _DUCKDB_COPY, str(db), str(copy)])
    bench_report.setdefault("scaling", {})[scale] = {
        "rows": rows,
        "seconds": wall,
        "cpu_seconds": cpu,
        "peak_rss_mib": peak,
        "bytes": db.stat().st_size,
        "copy_seconds": copy_wall,
        "copy_cpu_seconds": copy_cpu,
        "load": (load_before, load_after, os.getloadavg()[0]),
    }
    assert peak <= PEAK_RSS_LIMIT_MIB, f"SF {scale:g}: peak RSS {peak:,.0f} MiB"


# A long sync's memory: 365 days against one chunk's worth (91 days at SF 1) from the same initial load.
# Its batches go to auto-committed staging twins, so its peak is a chunk of simulation plus DuckDB's
# capped pool, not its length (before: SF 1, 365 days 1,696 MiB against 687 for 91 days).
LONG_SYNC_SCALE, LONG_SYNC_DAYS = 1.0, (91, 365)


def test_long_sync_memory(tmp_path: Path, bench_report: dict) -> None:
    base = tmp_path / "base.duckdb"
    _run_cli(["generate", "--scale", str(LONG_SYNC_SCALE), "--db", str(base), "--quiet"])
    figures = {}
    for days in LONG_SYNC_DAYS:
        db = tmp_path / f"sync{days}.duckdb"
        shutil.copy(base, db)
        wall, cpu, peak = _run_cli(["sync", "--db", str(db), "--days", str(days), "--quiet"])
        figures[days] = {"seconds": wall, "cpu_seconds": cpu, "peak_rss_mib": peak}
        db.unlink()
    bench_report["long_sync"] = figures
    short, long = (figures[d]["peak_rss_mib"] for d in LONG_SYNC_DAYS)
    assert long <= PEAK_RSS_LIMIT_MIB, f"{LONG_SYNC_DAYS[1]}-day sync: peak RSS {long:,.0f} MiB"
    assert long <= 1.5 * short, f"peak RSS grows with the sync's length: {short:,.0f} → {long:,.0f} MiB"


@pytest.fixture(scope="session", autouse=True)
def _print_figures(bench_report: dict):
    yield
    r = bench_report
    lines = [f"generator benchmark at SF {r.get('scale')}:"]
    if "rows_per_s" in r:
        lines.append(
            f"  end to end: {r['rows']:,} rows in {r['seconds']:.2f} s = {r['rows_per_s']:,.0f} rows/s "
            f"({r['cpu_seconds']:.1f} CPU-s; load average {os.getloadavg()[0]:.1f} at the end)"
        )
    if "naive_rows_per_s" in r and "rows_per_s" in r:
        lines.append(
            f"  row-by-row Faker reference: {r['naive_rows_per_s']:,.0f} rows/s → per-row ratio "
            f"{r['rows_per_s'] / r['naive_rows_per_s']:,.0f}× (the shipments table alone, "
            f"with the whole simulation charged to it: "
            f"{r['shipments_per_s'] / r['naive_rows_per_s']:,.0f}×)"
        )
    scaling = r.get("scaling", {})
    if scaling:
        naive = r.get("naive_rows_per_s")
        first = scaling[min(scaling)]
        lines.append(
            "  the CLI by scale (a subprocess each; ratios against the row-by-row reference and SF 0.1):"
        )
        lines.append(
            "    SF | rows | seconds | rows/s | × reference | CPU-s | rows per CPU-s | peak RSS MiB"
            " | RSS ÷ SF 0.1 | file MiB | DuckDB copy s (CPU-s) | rows/s ÷ copy's | per CPU-s ÷ copy's"
            " | load avg before/after/after copy"
        )
        for sf, x in sorted(scaling.items()):
            per_s = x["rows"] / x["seconds"]
            copy_per_s, copy_per_cpu = x["rows"] / x["copy_seconds"], x["rows"] / x["copy_cpu_seconds"]
            lines.append(
                f"    {sf:g} | {x['rows']:,} | {x['seconds']:.1f} | {per_s:,.0f} | "
                f"{f'{per_s / naive:,.0f}×' if naive else '-'} | {x['cpu_seconds']:.1f} | "
                f"{x['rows'] / x['cpu_seconds']:,.0f} | {x['peak_rss_mib']:,.0f} | "
                f"{x['peak_rss_mib'] / first['peak_rss_mib']:.2f} | {x['bytes'] / 2**20:,.0f} | "
                f"{x['copy_seconds']:.1f} ({x['copy_cpu_seconds']:.1f}) | {per_s / copy_per_s:.2f} | "
                f"{x['rows'] / x['cpu_seconds'] / copy_per_cpu:.2f} | "
                + "/".join(f"{v:.1f}" for v in x["load"])
            )
    for days, x in sorted(r.get("long_sync", {}).items()):
        lines.append(
            f"  sync of {days} days at SF {LONG_SYNC_SCALE:g}: {x['seconds']:.1f} s, "
            f"{x['cpu_seconds']:.1f} CPU-s, peak RSS {x['peak_rss_mib']:,.0f} MiB"
        )
    r["text"] = "\n".join(lines)
