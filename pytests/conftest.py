"""Warehouses shared by every test package: generated once at CI scale, built once, reused.

``clean_build``, ``dirty_build`` and ``synced_build`` are session fixtures, so the warehouse,
monitoring and any other package that asks for them share one build each (a full ``dbt build`` costs
a minute or more on the 2-core CI machine). Each is a :class:`warehouse.runtime.ScratchWarehouse`
(a folder with its DuckDB file and dbt target). Treat them as read-only: a test that changes a
warehouse, runs dbt on it or rewrites its target works on ``build.copy(tmp_path)``.

``just test`` runs the suite in two pytest-xdist workers (``-n 2 --dist loadgroup``): the suite is
mostly one process at a time (dbt, the generator, the emulator), so a second worker uses the
second core. Two things keep each build to one per run:

- :func:`built_once` builds a session warehouse in a folder shared by the workers, under a file
  lock: the first worker to ask builds it, the other reuses it (without xdist: as before);
- the workers group the tests that share a warehouse fixture or a module (:func:`_groups`), and
  the controller's scheduler sends each group to one worker, longest groups first, so the workers
  rarely wait and no module or scenario fixture is built twice.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import duckdb
import pytest
from filelock import FileLock

from warehouse.reliability import initial_load
from warehouse.runtime import PARTIAL_PARSE_FILE, ScratchWarehouse
from warehouse.runtime.scratch import PARSE_STATE_VARIABLE

T = TypeVar("T")

CI_SCALE = os.environ.get("CI_SCALE", "0.01")
SEED = "42"
DIRTY_RATE = "0.05"  # enough rows for every defect type of every table at CI scale (maintenance: ~9)
# The builds after clean_build leave dbt's unit tests out: a unit test's outcome depends only on the
# code and its given rows (the warehouse lends it column types, the same in every build of one
# commit), and clean_build runs every one of them (the parity build too, on both engines). Their data
# tests all stay: dirty data and incremental syncs are what can make those fail differently.
NO_UNIT_TESTS = ("--exclude-resource-type", "unit_test")


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], T]) -> T:
    """``build(folder)``, run once per test run even when pytest-xdist runs several workers.

    Without xdist, ``folder`` is a new temporary folder. Under xdist it is ``<run>/<name>``, shared by
    the workers of this run: the first worker to ask builds under a file lock and leaves the result
    pickled beside it; a worker asking later waits for the lock and unpickles it (a failed build is
    re-raised there, not repeated). The result must pickle (folders, paths, plain dataclasses).
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        return build(tmp_path_factory.mktemp(name))
    folder = tmp_path_factory.getbasetemp().parent / name
    result, failure = folder / "built_once.pickle", folder / "built_once.failed"
    with FileLock(str(folder) + ".lock"):
        if result.exists():
            return pickle.loads(result.read_bytes())
        if failure.exists():
            raise RuntimeError(f"{name} failed in another worker:\n{failure.read_text()}")
        folder.mkdir()
        try:
            built = build(folder)
        except Exception as err:
            failure.write_text(f"{type(err).__name__}: {err}")
            raise
        result.write_bytes(pickle.dumps(built))
        return built


PARSE_OUTPUT = "parse_output.txt"  # dbt's console output of dbt_parse_state's parse, in its folder


@pytest.fixture(scope="session")
def dbt_parse_state(tmp_path_factory: pytest.TempPathFactory) -> ScratchWarehouse:
    """The project parsed once per run: a full ``dbt parse`` into a new target, which holds the
    manifest (read by the metadata tests) and whose console output is ``PARSE_OUTPUT`` (its warnings
    are checked). Every new scratch warehouse of this process starts from its parse state
    (``$LOGISTICS_DBT_PARSE_STATE``), so its first dbt invocation partial-parses instead of parsing
    the whole project (≈ 11 s each). Ask for it in a fixture that creates warehouses from nothing
    (copies carry their own state). Read-only."""

    def parsed(folder: Path) -> ScratchWarehouse:
        parse = ScratchWarehouse(folder)
        (folder / PARSE_OUTPUT).write_text(parse.dbt("parse").output)
        return parse

    parse = built_once(tmp_path_factory, "dbt_parse_state", parsed)
    os.environ[PARSE_STATE_VARIABLE] = str(parse.target / PARTIAL_PARSE_FILE)
    return parse


def _generated(folder: Path, *generate_args: str) -> ScratchWarehouse:
    build = ScratchWarehouse(folder)
    build.generator("generate", "--scale", CI_SCALE, "--seed", SEED, *generate_args)
    return build


def new_build(tmp_path_factory: pytest.TempPathFactory, name: str, *generate_args: str) -> ScratchWarehouse:
    """Generate a fresh warehouse at CI scale and build it."""
    build = _generated(tmp_path_factory.mktemp(name), *generate_args)
    build.dbt("build")
    return build


def _clean(folder: Path) -> ScratchWarehouse:
    build = _generated(folder)
    build.dbt("build")
    return build


@pytest.fixture(scope="session")
def clean_build(
    tmp_path_factory: pytest.TempPathFactory, dbt_parse_state: ScratchWarehouse
) -> ScratchWarehouse:
    """A warehouse built from clean data (the initial load at CI scale, seed 42, one ``dbt build``)."""
    return built_once(tmp_path_factory, "clean", _clean)


@pytest.fixture(scope="session")
def first_load(
    tmp_path_factory: pytest.TempPathFactory, dbt_parse_state: ScratchWarehouse
) -> ScratchWarehouse:
    """The reliability drill's initial load at CI scale (dirty rate 0.02), built (models only),
    trained and scored (``warehouse.reliability.initial_load``), once per run and read by both
    workers: the reliability tests sync copies of it, the point-in-time tests start from it."""
    return built_once(tmp_path_factory, "first_load", lambda folder: initial_load(folder, float(CI_SCALE)))


def _dirty(folder: Path) -> ScratchWarehouse:
    build = _generated(folder, "--dirty-rate", DIRTY_RATE)
    for _ in range(2):
        build.generator("sync", "--days", "1", "--dirty-rate", DIRTY_RATE)
    build.dbt("build", *NO_UNIT_TESTS)
    return build


@pytest.fixture(scope="session")
def dirty_build(
    tmp_path_factory: pytest.TempPathFactory, dbt_parse_state: ScratchWarehouse
) -> ScratchWarehouse:
    """A warehouse from dirty data: initial load and two syncs at ``DIRTY_RATE``, then one build."""
    return built_once(tmp_path_factory, "dirty", _dirty)


@pytest.fixture(scope="session")
def synced_build(
    clean_build: ScratchWarehouse, tmp_path_factory: pytest.TempPathFactory
) -> tuple[ScratchWarehouse, str]:
    """A copy of the clean warehouse after one more generator sync and an incremental ``dbt build``.

    Returns the build and the ``_fivetran_synced`` of the sync before it (the previous high-water mark).
    """

    def synced(folder: Path) -> tuple[ScratchWarehouse, str]:
        build = clean_build.copy(folder)
        with duckdb.connect(str(build.db), read_only=True) as con:
            (previous_sync,) = con.execute(
                "select cast(max(_fivetran_synced) as varchar) from landing_azure_sql.shipments"
            ).fetchone()
        build.generator("sync", "--days", "3")
        build.dbt("build", *NO_UNIT_TESTS)
        return build, previous_sync

    return built_once(tmp_path_factory, "synced", synced)


# Session fixtures that build warehouses, with their seconds in the idle two-worker suite (only to
# start the longest work first; fitted from `just test --durations=0` of bd0fcdc, 2026-12-07, parity
# after the emulated-tests cut). The tests that need one of them, or share a module with such a
# test, form one xdist group. ``clean_build``, ``synced_build``, ``first_load``, monitoring's
# ``trained_build`` and ``undrifted`` (the drift weeks' clean counterfactual) are not here: tests in
# several groups read them, so they are shared through built_once instead (their cost lands in the
# group that asks first: usually monitoring's ``clean_sync`` for the clean and synced builds, the
# reliability drill for ``first_load``). A module-scoped fixture with parameters (``drifted``)
# makes one group per parameter, and its tests do not join their module's group.
WAREHOUSE_FIXTURES = {
    "shared_build": 300,  # parity_tests: the emulated Snowflake build (check + parity)
    "ci_reports": 420,  # reliability: the drill's report
    "crash_pair": 30,
    "clean_sync": 130,  # monitoring: a copy of synced_build (which it usually builds, with clean_build)
    "stalled_sync": 20,  # monitoring: one sync scenario each
    "dirty_sync": 20,
    "dirty_build": 75,
    "empty_registry_template": 10,
}
PARAMETRISED_MODULE_FIXTURES = {"drifted": 45}  # monitoring: one drift week per parameter
# Modules whose own fixtures and tests build warehouses (idle seconds, for the order only);
# any other module counts DEFAULT_MODULE_SECONDS.
MODULE_SECONDS = {
    "pytests/warehouse/test_ml_point_in_time.py": 90,
    "pytests/modelops/test_train_score_serve.py": 75,
    "pytests/datadiff/test_datadiff.py": 70,
    "pytests/warehouse/test_mart_tests_catch_defects.py": 50,
    "pytests/warehouse/test_build.py": 25,
    "pytests/generator/test_determinism.py": 25,
    "pytests/parity_tests/test_bridges.py": 25,
    "pytests/warehouse/test_bad_input.py": 15,
    "pytests/governance/test_environments.py": 15,
}
DEFAULT_MODULE_SECONDS = 10


def _groups(items: list[pytest.Item]) -> dict[str, tuple[str, int]]:
    """Each test's group name and the group's estimated seconds (tests that share a build, together)."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        parent.setdefault(key, key)
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    def union(a: str, b: str) -> None:
        parent[find(a)] = find(b)

    keys: dict[str, list[str]] = {}
    for item in items:
        names = set(item.fixturenames)
        params = getattr(item, "callspec", None)
        own = [
            f"{name}[{params.params[name]}]"
            for name in PARAMETRISED_MODULE_FIXTURES
            if name in names and params is not None and name in params.params
        ]
        own += [name for name in WAREHOUSE_FIXTURES if name in names]
        if not any("[" in key for key in own):
            own.append(item.nodeid.split("::")[0])
        keys[item.nodeid] = own
        for key in own[1:]:
            union(own[0], key)
    seconds: dict[str, int] = {}
    for key in {key for own in keys.values() for key in own}:
        cost = (
            WAREHOUSE_FIXTURES.get(key)
            or PARAMETRISED_MODULE_FIXTURES.get(key.split("[")[0])
            or MODULE_SECONDS.get(key, DEFAULT_MODULE_SECONDS)
        )
        seconds[find(key)] = seconds.get(find(key), 0) + cost
    return {nodeid: (find(own[0]), seconds[find(own[0])]) for nodeid, own in keys.items()}


GROUPS_FILE = "LOGISTICS_TEST_GROUPS"  # environment variable: where the workers leave the groups


def pytest_configure(config: pytest.Config) -> None:
    """In the xdist controller of a ``--dist loadgroup`` run: a file for the workers' groups."""
    if hasattr(config, "workerinput") or config.getoption("dist", "no") != "loadgroup":
        return
    folder = Path(tempfile.mkdtemp(prefix="test_groups_"))
    os.environ[GROUPS_FILE] = str(folder / "groups.json")
    config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """In an xdist worker: one group per shared build, the longest groups first (written for the
    controller's scheduler, below)."""
    if not hasattr(config, "workerinput") or GROUPS_FILE not in os.environ:
        return
    groups = _groups(items)
    order = {nodeid: index for index, nodeid in enumerate(item.nodeid for item in items)}
    items.sort(key=lambda item: (-groups[item.nodeid][1], groups[item.nodeid][0], order[item.nodeid]))
    path = Path(os.environ[GROUPS_FILE])
    written = path.with_suffix(f".{config.workerinput['workerid']}")
    written.write_text(json.dumps({nodeid: group for nodeid, (group, _) in groups.items()}))
    written.replace(path)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """``--dist loadgroup`` with the groups the workers computed: each group goes to one worker, in
    the workers' order (longest first, with ``--no-loadscope-reorder``).

    pytest-xdist's own loadgroup reads ``xdist_group`` marks by renaming each test's node id, which
    pytest 9.2 no longer lets a plugin do (the id is a structured ``_id``): every test became its
    own group. So the workers write the groups to a file and this scheduler splits by it.
    """
    if config.getoption("dist", "no") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SharedBuildScheduling(LoadScopeScheduling):
        """LoadScopeScheduling whose scope of a test is its group from the workers' file."""

        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:
                self.groups = json.loads(Path(os.environ[GROUPS_FILE]).read_text())
            return self.groups.get(nodeid, nodeid)

    return SharedBuildScheduling(config, log)
