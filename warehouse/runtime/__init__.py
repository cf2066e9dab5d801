"""The runtime core: where the project and the warehouse are, how dbt runs, scratch copies, comparison.

Everything that runs dbt, locates the warehouse, copies the project or a warehouse, or compares
two builds imports it from here — the CLI, the deploy, the reliability drill, the Snowflake checks,
the test fixtures and the benchmarks:

- :mod:`~warehouse.runtime.project`: ``REPO_ROOT``, ``PROFILES_DIR``, ``warehouse_path()``, ``dbt_env()``;
- :mod:`~warehouse.runtime.runner`: ``run_dbt()`` → ``DbtRun``, ``DbtError``, ``reuse_parse_state()``;
- :mod:`~warehouse.runtime.scratch`: ``copy_project()``, ``ScratchWarehouse``;
- :mod:`~warehouse.runtime.compare`: ``compare()``, ``compare_warehouses()``, ``Comparison``.
"""

from warehouse.runtime.compare import Comparison, compare, compare_node, compare_warehouses, describe
from warehouse.runtime.project import DB_NAME, PROFILES_DIR, REPO_ROOT, dbt_env, warehouse_path
from warehouse.runtime.runner import PARTIAL_PARSE_FILE, DbtError, DbtRun, reuse_parse_state, run_dbt
from warehouse.runtime.scratch import MODELS_ONLY, ScratchError, ScratchWarehouse, copy_project

__all__ = [
    "DB_NAME",
    "MODELS_ONLY",
    "PARTIAL_PARSE_FILE",
    "PROFILES_DIR",
    "REPO_ROOT",
    "Comparison",
    "DbtError",
    "DbtRun",
    "ScratchError",
    "ScratchWarehouse",
    "compare",
    "compare_node",
    "compare_warehouses",
    "copy_project",
    "dbt_env",
    "describe",
    "reuse_parse_state",
    "run_dbt",
    "warehouse_path",
]
