"""ML feature store benchmarks (pytest-benchmark), not collected by default test runs.

    pytest pytests/warehouse/bench_ml_features.py --benchmark-enable -s            # quick: SF 0.1
    BENCH_FULL=1 pytest pytests/warehouse/bench_ml_features.py --benchmark-enable -s   # SF 0.1 and 1

Figures, each a ratio of dbt's own node times measured in the same run (the machine is shared):
(1) the ML layer's share of a whole ``dbt build`` (models, snapshots and tests; the landed-version
snapshots count as ML); (2) after a 1-day sync, the ML nodes of an incremental ``dbt build`` against
the same nodes of a ``--full-refresh`` build of a copy of the same database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rich.console import Console
from rich.table import Table

from warehouse.runtime import ScratchWarehouse

FULL = os.environ.get("BENCH_FULL") == "1"
SCALES = [0.1, 1.0] if FULL else [float(os.environ.get("BENCH_SCALE", "0.1"))]
ML_SNAPSHOTS = ("snapshot.logistics.snp_shipments_landed", "snapshot.logistics.snp_maintenance_landed")
REPORT: dict[float, dict[str, float]] = {}


def node_seconds(warehouse: ScratchWarehouse) -> dict[str, float]:
    """Execution seconds of each node of the warehouse's last dbt invocation."""
    return {r["unique_id"]: float(r["execution_time"]) for r in warehouse.run_results()}


def _is_ml(unique_id: str) -> bool:
    return unique_id in ML_SNAPSHOTS or ".tbl_ml_" in unique_id or ".vw_ml_" in unique_id


def _ml_seconds(seconds: dict[str, float]) -> float:
    return sum(s for node, s in seconds.items() if _is_ml(node) and node.startswith(("model.", "snapshot.")))


@pytest.mark.parametrize("scale", SCALES)
def test_feature_share_of_the_build_and_incremental_ratio(benchmark, scale: float, tmp_path: Path) -> None:
    (tmp_path / "work").mkdir()
    work = ScratchWarehouse(tmp_path / "work")
    work.generator("generate", "--scale", str(scale), "--seed", "42")
    benchmark.pedantic(lambda: work.dbt("build"), rounds=1, iterations=1)
    seconds = node_seconds(work)
    whole, ml = sum(seconds.values()), _ml_seconds(seconds)
    work.generator("sync", "--days", "1")
    work.dbt("build")
    incremental = _ml_seconds(node_seconds(work))
    full = work.copy(tmp_path / "full")
    full.dbt("build", "--full-refresh")
    refreshed = _ml_seconds(node_seconds(full))
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
