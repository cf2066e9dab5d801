"""Session fixtures: ONE emulated Snowflake build, shared by the Snowflake check and the parity tests.

``shared_build`` runs the parity (``run_parity(check_snowflake=True)``) on a copy of the project with
probe models added in ``models/zz_probes/``: the project is built on DuckDB and on emulated Snowflake
at CI scale, with one incremental sync, and the same two builds feed the offline Snowflake check
(first round = first-run branches, last round = incremental branches, tests and unit tests; the
run-operations are dry-run against the emulator). One probe calls a DuckDB-only function, one tags a
column with a PII kind that has no masking policy, one sets ``cluster_by``. The real project's nodes
must pass and the probes must fail for the right reason, so a single run proves both directions.

``snowflake_check`` is the check's view of that run; ``parity`` its parity view, restricted to the
project's own nodes (the probes are this package's test artefacts, not part of the project).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from parity_tests.check_snowflake import CheckResult, NodeCheck
from parity_tests.parity import ParityResult, run_parity
from warehouse.runtime import copy_project

PROBE_DIR = "models/zz_probes"
PROBES = {
    "probe_duckdb_only_regex.sql": """
{{ config(materialized='view') }}
select
    customer_id,
    regexp_matches(customer_name, 'Customer') as is_named_customer
from {{ ref('tbl_stg_customers') }}
""",
    "probe_unknown_pii_kind.sql": """
{{ config(materialized='table') }}
select
    customer_id,
    customer_name as passport_number
from {{ ref('tbl_stg_customers') }}
""",
    "probe_clustered.sql": """
{{ config(materialized='table', cluster_by=['customer_id']) }}
select
    customer_id,
    country_code
from {{ ref('tbl_stg_customers') }}
""",
    "_probes.yml": """
version: 2
models:
  - name: probe_unknown_pii_kind
    description: Probe (tests only) - a PII kind without a masking policy.
    columns:
      - name: passport_number
        description: tagged with a kind no masking policy exists for
        config:
          meta: {pii: passport}
""",
}
REGEX_PROBE = "model.logistics.probe_duckdb_only_regex"
PII_PROBE = "model.logistics.probe_unknown_pii_kind"
CLUSTER_PROBE = "model.logistics.probe_clustered"


@dataclass(frozen=True)
class CheckRun:
    """The shared check: its result and scratch folder."""

    result: CheckResult
    work: Path
    project: Path

    def node(self, unique_id: str) -> NodeCheck:
        """The NodeCheck of ``unique_id`` (KeyError when absent)."""
        return next(n for n in self.result.nodes if n.node == unique_id)


@dataclass(frozen=True)
class ParityRun:
    """The shared parity run: its result and scratch folder."""

    result: ParityResult
    work: Path


def is_probe(name: str) -> bool:
    """True for a probe node (or a relation, error or note naming one)."""
    return ".probe_" in name


@pytest.fixture(scope="session")
def shared_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ParityResult, Path, Path]]:
    """(result, work, project): the parity with the Snowflake check over the project plus the probes."""
    root = tmp_path_factory.mktemp("shared_snowflake_build")
    project = copy_project(root / "project")
    probes = project / PROBE_DIR
    probes.mkdir(parents=True)
    for name, text in PROBES.items():
        (probes / name).write_text(text.lstrip())
    work = root / "work"
    # per dbt invocation (a hang guard): the emulated build with ~900 tests took over 900 s on the
    # shared 2-core machine at a load of 20
    result = run_parity(project, work, sync_days=1, timeout_s=1800, check_snowflake=True)
    yield result, work, project


@pytest.fixture(scope="session")
def snowflake_check(shared_build: tuple[ParityResult, Path, Path]) -> CheckRun:
    """check_snowflake over the project plus the probe models (the shared build)."""
    result, work, project = shared_build
    assert result.check is not None
    return CheckRun(result.check, work, project)


@pytest.fixture(scope="session")
def parity(shared_build: tuple[ParityResult, Path, Path]) -> ParityRun:
    """The project built on DuckDB and on emulated Snowflake at CI scale, with one sync (probes left out)."""
    result, work, _ = shared_build
    project_only = replace(
        result,
        comparisons=[c for c in result.comparisons if not is_probe(c.name)],
        build_errors=[e for e in result.build_errors if not is_probe(e.split(" ")[1])],
        not_compared=[n for n in result.not_compared if not is_probe(n.split(" ")[0])],
    )
    return ParityRun(project_only, work)
