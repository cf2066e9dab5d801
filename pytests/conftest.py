"""Warehouses shared by every test package: generated once at CI scale, built once, reused.

``clean_build``, ``dirty_build`` and ``synced_build`` are session fixtures, so the warehouse,
monitoring and any other package that asks for them share one build each (a full ``dbt build`` costs
a minute or more on the 2-core CI machine). Each is a :class:`warehouse.runtime.ScratchWarehouse`
(a folder with its DuckDB file and dbt target). Treat them as read-only: a test that changes a
warehouse, runs dbt on it or rewrites its target works on ``build.copy(tmp_path)``.
"""

from __future__ import annotations

import os

import duckdb
import pytest

from warehouse.runtime import ScratchWarehouse

CI_SCALE = os.environ.get("CI_SCALE", "0.01")
SEED = "42"
DIRTY_RATE = "0.05"  # enough rows for every defect type of every table at CI scale (maintenance: ~9)


def new_build(tmp_path_factory: pytest.TempPathFactory, name: str, *generate_args: str) -> ScratchWarehouse:
    """Generate a fresh warehouse at CI scale and build it."""
    build = ScratchWarehouse(tmp_path_factory.mktemp(name))
    build.generator("generate", "--scale", CI_SCALE, "--seed", SEED, *generate_args)
    build.dbt("build")
    return build


@pytest.fixture(scope="session")
def clean_build(tmp_path_factory: pytest.TempPathFactory) -> ScratchWarehouse:
    """A warehouse built from clean data (the initial load at CI scale, seed 42, one ``dbt build``)."""
    return new_build(tmp_path_factory, "clean")


@pytest.fixture(scope="session")
def dirty_build(tmp_path_factory: pytest.TempPathFactory) -> ScratchWarehouse:
    """A warehouse from dirty data: initial load and two syncs at ``DIRTY_RATE``, then one build."""
    build = ScratchWarehouse(tmp_path_factory.mktemp("dirty"))
    build.generator("generate", "--scale", CI_SCALE, "--seed", SEED, "--dirty-rate", DIRTY_RATE)
    for _ in range(2):
        build.generator("sync", "--days", "1", "--dirty-rate", DIRTY_RATE)
    build.dbt("build")
    return build


@pytest.fixture(scope="session")
def synced_build(
    clean_build: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ScratchWarehouse, str]:
    """A copy of the clean warehouse after one more generator sync and an incremental ``dbt build``.

    Returns the build and the ``_fivetran_synced`` of the sync before it (the previous high-water mark).
    """
    build = clean_build.copy(tmp_path_factory.mktemp("synced"))
    with duckdb.connect(str(build.db), read_only=True) as con:
        (previous_sync,) = con.execute(
            "select cast(max(_fivetran_synced) as varchar) from landing_azure_sql.shipments"
        ).fetchone()
    build.generator("sync", "--days", "3")
    build.dbt("build")
    return build, previous_sync
