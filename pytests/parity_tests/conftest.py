"""Session fixtures: one offline Snowflake check and one parity run, shared by every test here.

``snowflake_check`` runs ``check_snowflake`` on a copy of the project with probe models added in
``models/zz_probes/``: one calls a DuckDB-only function, one tags a column with a PII kind that has no
masking policy, one sets ``cluster_by``. The real project's nodes must pass and the probes must fail
for the right reason, so a single run proves both directions. ``parity`` builds the project on both
engines at CI scale (with one incremental sync) and keeps the scratch folder for inspection.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from parity_tests.check_snowflake import CheckResult, NodeCheck, run_check
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


@pytest.fixture(scope="session")
def snowflake_check(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CheckRun]:
    """check_snowflake over the project plus the probe models."""
    root = tmp_path_factory.mktemp("check_snowflake")
    project = copy_project(root / "project")
    probes = project / PROBE_DIR
    probes.mkdir(parents=True)
    for name, text in PROBES.items():
        (probes / name).write_text(text.lstrip())
    work = root / "work"
    # per dbt invocation; the emulated build of ~95 nodes took over 300 s on the shared 2-core machine
    yield CheckRun(run_check(project, work, timeout_s=900), work, project)


@pytest.fixture(scope="session")
def parity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ParityRun]:
    """The project built on DuckDB and on emulated Snowflake at CI scale, with one sync."""
    work = tmp_path_factory.mktemp("parity")
    yield ParityRun(run_parity(work=work, sync_days=1, timeout_s=600), work)
