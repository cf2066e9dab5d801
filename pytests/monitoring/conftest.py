"""Warehouses for the monitoring tests: the shared clean build at CI scale, then one sync per scenario.

Scenarios (each a copy of the base with one more sync, built incrementally):
- ``clean``: a clean sync — a copy of the session's ``synced_build`` (the base after a 3-day clean
  sync and an incremental build of every model), so it costs a file copy, not a build;
- ``stalled``: a clean 1-day sync that the weather connector did not land (its landing tables are
  put back as they were before the sync: the connector stalled);
- ``dirty``: a 1-day sync with defects at ``DIRTY_RATE``.

The base is a full build; the stalled and dirty syncs build only what the alert rules read
(``MONITORED``, with everything upstream), which keeps each scenario to one incremental build.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pytests.conftest import NO_UNIT_TESTS, built_once
from warehouse.runtime import ScratchWarehouse

DIRTY_RATE = "0.05"
# The scenario builds leave dbt's unit tests out (NO_UNIT_TESTS: clean_build runs them); their data
# tests stay (the alert rules read their results).
MONITORED = ("--select", "+vw_data_freshness_monitoring +vw_data_quality_sla +vw_fivetran_sync_status "
             "+vw_reasons_for_quarantine +vw_data_quality_summary",
             # only the tests of selected nodes (not a mart test whose fact this build leaves behind)
             "--indirect-selection", "cautious", *NO_UNIT_TESTS)


def run_monitor(build: ScratchWarehouse, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m monitoring monitor`` against ``build``'s warehouse."""
    return build.run([sys.executable, "-m", "monitoring", "monitor", *args], check=False)


@pytest.fixture(scope="session")
def base_build(clean_build: ScratchWarehouse) -> ScratchWarehouse:
    """The initial load at CI scale, built: the session's shared ``clean_build`` (read-only)."""
    return clean_build


def _scenario(base: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory, name: str,
              *sync_args: str, stall_schema: str | None = None) -> ScratchWarehouse:
    build = base.copy(tmp_path_factory.mktemp(f"monitoring_{name}"))
    tables: list[str] = []
    if stall_schema:
        with duckdb.connect(str(build.db)) as con:
            tables = [t for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = ?", [stall_schema]).fetchall()]
            con.execute("create schema stall_backup")
            for table in tables:
                con.execute(f"create table stall_backup.{table} as select * from {stall_schema}.{table}")
    build.generator("sync", "--days", "1", *sync_args)
    if stall_schema:
        with duckdb.connect(str(build.db)) as con:
            for table in tables:
                con.execute(
                    f"create or replace table {stall_schema}.{table} as select * from stall_backup.{table}"
                )
            con.execute("drop schema stall_backup cascade")
    build.dbt("build", *MONITORED)
    return build


@pytest.fixture(scope="session")
def clean_sync(
    synced_build: tuple[ScratchWarehouse, str], tmp_path_factory: pytest.TempPathFactory
) -> ScratchWarehouse:
    """The base after a clean sync: a copy of ``synced_build`` (the alert tests write to it)."""
    build, _ = synced_build
    return build.copy(tmp_path_factory.mktemp("monitoring_clean"))


@pytest.fixture(scope="session")
def stalled_sync(base_build: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory) -> ScratchWarehouse:
    """The base after a sync the weather connector did not land."""
    return _scenario(base_build, tmp_path_factory, "stalled", stall_schema="landing_weather")


@pytest.fixture(scope="session")
def dirty_sync(base_build: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory) -> ScratchWarehouse:
    """The base after a sync with defects."""
    return _scenario(base_build, tmp_path_factory, "dirty", "--dirty-rate", DIRTY_RATE)


DRIFT_DAYS = "7"
# Built for the drift checks: the feature drift view and everything upstream of it, with the data
# tests of those nodes on the drifted data.
DRIFT_SELECTION = ("--select", "+vw_ml_feature_monitoring")
DRIFT_MONITORED = (*DRIFT_SELECTION, "--indirect-selection", "cautious", *NO_UNIT_TESTS)


def drift_scenario(base: ScratchWarehouse, folder: Path, *drifts: str) -> ScratchWarehouse:
    """A copy of the base in ``folder`` after a 7-day sync with ``drifts`` (``--drift`` values), built.

    Without drifts (the clean week) the build leaves the data tests out: a drift multiplies one
    quantity after it is drawn, so a drifted week is the clean week with only what the drift feeds
    changed (the fuel_price week differs from the clean week in fuel_cost_usd of 139 shipments and
    nowhere else), and each drift week runs every one of those data tests.
    """
    build = base.copy(folder)
    build.generator("sync", "--days", DRIFT_DAYS, *(arg for drift in drifts for arg in ("--drift", drift)))
    if drifts:
        build.dbt("build", *DRIFT_MONITORED)
    else:
        build.build_models(*DRIFT_SELECTION)
    return build


@pytest.fixture(scope="session")
def trained_build(base_build: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory) -> ScratchWarehouse:
    """The base with both models trained, registered and promoted, and every feature row scored
    (`just train`, `just score`): the registry and tbl_ml_predictions hold real rows. Read-only,
    shared by the xdist workers like ``clean_build``: a test that writes works on a copy."""

    def trained(folder: Path) -> ScratchWarehouse:
        build = base_build.copy(folder)
        build.run([sys.executable, "-m", "modelops", "train"])
        build.run([sys.executable, "-m", "modelops", "score"])
        return build

    return built_once(tmp_path_factory, "monitoring_trained", trained)
