"""Slim head builds of ``just diff`` (pytest-benchmark; run by ``just bench``).

A one-model change (an extra filter in ``tbl_fact_route_performance``, a fact nothing else reads)
is built twice from the same base build in the same run: slim (a copy of the base warehouse plus
``state:modified+`` with ``--full-refresh``) and full (every model from the generated landing). Only
the ratio travels between machines; the goal is a slim build at most a third of the full one.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from warehouse.datadiff.builds import Built, DataSpec, build_full, build_head, landing
from warehouse.runtime import copy_project

SPEC = DataSpec(seed=42, scale=float(os.environ.get("BENCH_DIFF_SCALE", "0.01")))
GOAL_SLIM_SHARE = 1 / 3
RESULTS: dict[str, float] = {}


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built, Path]:
    root = tmp_path_factory.mktemp("bench_datadiff")
    base = copy_project(root / "base_project")
    head = copy_project(root / "head_project")
    model = head / "models" / "marts" / "facts" / "tbl_fact_route_performance.sql"
    filtered = model.read_text().replace("\nselect * from final", "\nselect * from final where trip_count>0")
    model.write_text(filtered)
    return root, build_full(base, root / "base", landing(SPEC, cache=root)), head


@pytest.mark.parametrize("mode", ["full", "slim"])
def test_head_build_after_a_one_model_change(benchmark, projects, mode: str) -> None:
    root, base, head_project = projects
    built = benchmark.pedantic(
        lambda: build_head(base, head_project, root / f"head_{mode}", SPEC, slim=mode == "slim", cache=root),
        rounds=1, iterations=1,
    )
    RESULTS[mode] = built.seconds
    if len(RESULTS) == 2:
        share = RESULTS["slim"] / RESULTS["full"]
        print(f"\njust diff head build at SF {SPEC.scale:g}: full {RESULTS['full']:.1f} s, "
              f"slim {RESULTS['slim']:.1f} s = {share:.2f} of full (goal ≤ {GOAL_SLIM_SHARE:.2f})")
        assert share <= GOAL_SLIM_SHARE
