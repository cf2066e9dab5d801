"""Shared runs for the reliability tests: one report at CI scale over the initial load
``first_load`` (pytests/conftest.py: shared with the point-in-time tests), reused.

The report's sync plan is drawn by hypothesis (derandomised, so every run draws the same plans):
``RELIABILITY_EXAMPLES`` plans (default 1 in CI; ``just reliability`` runs more syncs and every
kill point through ``python -m warehouse.reliability``). Each plan starts with the sync the crash
checks rebuild (dirty), then a drawn clean sync, then 0–2 more drawn syncs: days, dirty rate and a
drift each. Hypothesis tries the simplest plan first, so CI's one plan is two syncs: dirty, then
clean; the nightly ``just reliability`` builds five (``DEFAULT_PLAN``: dirty after clean, a 7-day sync).
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from warehouse.reliability import (
    CI_KILL_POINTS,
    CRASH_SYNC,
    ReliabilityReport,
    SyncSpec,
    render,
    run_report,
)
from warehouse.runtime import ScratchWarehouse

CI_SCALE = float(os.environ.get("CI_SCALE", "0.01"))
EXAMPLES = int(os.environ.get("RELIABILITY_EXAMPLES", "1"))
# Drawn drifts, simplest first: a price shift, none, congestion, regional storms, the price back to normal.
DRIFTS = (("fuel_price=1.3",), (), ("congestion=1.5",), ("weather_severity:DE-NORTH=2",), ("fuel_price=1",))


def sync_plans() -> st.SearchStrategy[tuple[SyncSpec, ...]]:
    """The crash checks' (dirty) sync, a clean sync, then 0–2 more distinct syncs (simplest: none)."""
    days, drifts = st.sampled_from([1, 3, 2, 7]), st.sampled_from(DRIFTS)
    clean = st.builds(SyncSpec, days=days, dirty_rate=st.just(0.0), drifts=drifts)
    syncs = st.builds(SyncSpec, days=days, dirty_rate=st.sampled_from([0.1, 0.0, 0.05, 0.3]), drifts=drifts)
    more = st.lists(syncs, max_size=2, unique=True)
    return st.tuples(clean, more).map(lambda drawn: (CRASH_SYNC, drawn[0], *drawn[1]))


@pytest.fixture(scope="session")
def ci_reports(
    first_load: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> list[ReliabilityReport]:
    """The reliability report for each plan hypothesis draws, with the CI kill points."""
    reports: list[ReliabilityReport] = []

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(plan=sync_plans())
    def run(plan: tuple[SyncSpec, ...]) -> None:
        work = tmp_path_factory.mktemp("reliability_run")
        reports.append(run_report(work, CI_SCALE, plan, CI_KILL_POINTS, base=first_load))

    run()
    return reports


@pytest.fixture(scope="session")
def crash_pair(
    first_load: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ScratchWarehouse, ScratchWarehouse]:
    """(pending, reference): the crash sync landed but not built, and the same built uninterrupted."""
    folder = tmp_path_factory.mktemp("crash")
    pending = first_load.copy(folder / "pending")
    pending.generator(*CRASH_SYNC.args())
    reference = pending.copy(folder / "reference")
    reference.build_models()
    return pending, reference


def print_report(report: ReliabilityReport) -> None:
    """Print the report table (shown with ``pytest -s`` or on failure)."""
    from rich.console import Console

    Console(width=160).print(render(report))
