"""ML feature store benchmarks (pytest-benchmark), not collected by default test runs.

    pytest pytests/warehouse/bench_ml_features.py --benchmark-enable -s            # quick: SF 0.1
    BENCH_FULL=1 pytest pytests/warehouse/bench_ml_features.py --benchmark-enable -s   # SF 0.1 and 1

Figures, each a ratio of dbt's own node times measured in the same run (the machine is shared):
(1) the ML layer's share of a whole ``dbt build`` (models, snapshots and tests; the landed-version
snapshots count as ML); (2) after a 1-day sync, the ML nodes of an incremental ``dbt build`` against
the same nodes of a ``--full-refresh`` build of a copy of the same database.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from warehouse.dbt_invoke import dbt_command
from warehouse.paths import REPO_ROOT

FULL = os.environ.get("BENCH_FULL") == "1"
SCALES = [0.1, 1.0] if FULL else [float(os.environ.get("BENCH_SCALE", "0.1"))]
ML_SNAPSHOTS = ("snapshot.logistics.snp_shipments_landed", "snapshot.logistics.snp_maintenance_landed")
REPORT: dict[float, dict[str, float]] = {}


@dataclass
class Warehouse:
    """A temporary warehouse and its own dbt target folder."""

    db: Path
    target: Path

    def run(self, *args: str, tool: str = "dbt") -> None:
        env = {**os.environ, "LOGISTICS_DB": str(self.db), "DBT_PROFILES_DIR": str(REPO_ROOT / "profiles")}
        command = (
            dbt_command(list(args), self.target)
            if tool == "dbt"
            else [sys.executable, "-m", "generator", *args, "--db", str(self.db), "--quiet"]
        )
        done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]

    def node_seconds(self) -> dict[str, float]:
        results = json.loads((self.target / "run_results.json").read_text())["results"]
        return {r["unique_id"]: float(r["execution_time"]) for r in results}


def _is_ml(unique_id: str) -> bool:
    return unique_id in ML_SNAPSHOTS or ".tbl_ml_" in unique_id or ".vw_ml_" in unique_id


def _ml_seconds(seconds: dict[str, float]) -> float:
    return sum(s for node, s in seconds.items() if _is_ml(node) and node.startswith(("model.", "snapshot.")))


@pytest.mark.parametrize("scale", SCALES)
def test_feature_share_of_the_build_and_incremental_ratio(benchmark, scale: float, tmp_path: Path) -> None:
    work = Warehouse(tmp_path / "warehouse.duckdb", tmp_path / "target")
    work.run("generate", "--scale", str(scale), "--seed", "42", tool="generator")
    benchmark.pedantic(lambda: work.run("build"), rounds=1, iterations=1)
    seconds = work.node_seconds()
    whole, ml = sum(seconds.values()), _ml_seconds(seconds)
    work.run("sync", "--days", "1", tool="generator")
    work.run("build")
    incremental = _ml_seconds(work.node_seconds())
    full = Warehouse(tmp_path / "full.duckdb", tmp_path / "target_full")
    shutil.copy(work.db, full.db)
    full.run("build", "--full-refresh")
    refreshed = _ml_seconds(full.node_seconds())
    REPORT[scale] = {
        "build_s": whole,
        "ml_s": ml,
        "share": ml / whole,
        "incremental_ml_s": incremental,
        "full_refresh_ml_s": refreshed,
        "ratio": incremental / refreshed,
    }
    benchmark.extra_info.update({k: round(v, 3) for k, v in REPORT[scale].items()})
    assert ml > 0 and incremental < refreshed


def teardown_module() -> None:
    if not REPORT:
        return
    table = Table(title="ML feature store: node seconds (dbt run_results)")
    columns = ("scale", "whole build s", "ML s", "ML share", "1-day sync: ML incr. s", "ML full s", "ratio")
    for column in columns:
        table.add_column(column, justify="right")
    for scale, r in sorted(REPORT.items()):
        table.add_row(
            f"{scale:g}",
            f"{r['build_s']:.1f}",
            f"{r['ml_s']:.1f}",
            f"{r['share']:.1%}",
            f"{r['incremental_ml_s']:.1f}",
            f"{r['full_refresh_ml_s']:.1f}",
            f"{r['ratio']:.2f}",
        )
    Console(width=150).print(table)
