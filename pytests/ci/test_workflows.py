"""The GitHub workflows are safe to run on pull requests and valid, checked offline on every run.

zizmor audits the workflows for template injection, unpinned actions, missing least-privilege
``permissions:`` blocks and checkouts that persist credentials; check-jsonschema validates them
against the workflow schema it vendors (SchemaStore's), so a typo in a key fails here, not on GitHub.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from warehouse.runtime import REPO_ROOT

WORKFLOWS = REPO_ROOT / ".github" / "workflows"
WORKFLOW_FILES = sorted(WORKFLOWS.glob("*.yml"))


def _tool(name: str) -> str:
    """The console script ``name`` installed beside this interpreter (the dev extras)."""
    path = Path(sys.executable).with_name(name)
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} is not installed: pip install -e '.[dev]' -c constraints.txt"
    return found


def test_zizmor_finds_nothing() -> None:
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--no-progress", str(WORKFLOWS)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_match_the_github_workflow_schema() -> None:
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOW_FILES)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _run_blocks(workflow: dict) -> list[tuple[str, str]]:
    """Every ``run:`` script of the workflow as (job/step, script)."""
    blocks = []
    for job_name, job in workflow.get("jobs", {}).items():
        for index, step in enumerate(job.get("steps", [])):
            if "run" in step:
                blocks.append((f"{job_name}/{step.get('name', index)}", step["run"]))
    return blocks


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_no_attacker_controlled_context_is_expanded_inside_a_script(path: Path) -> None:
    # github.head_ref, base_ref, event.* (titles, bodies, branch names) are set by whoever opens the
    # pull request; expanded by the template engine into a script they become code. Pass them as env.
    tainted = re.compile(r"\$\{\{\s*github\.(head_ref|base_ref|event\.)")
    blocks = _run_blocks(yaml.safe_load(path.read_text()))
    offenders = [where for where, script in blocks if tainted.search(script)]
    assert not offenders, f"{path.name}: move these contexts into env: {offenders}"


@pytest.mark.parametrize("path", WORKFLOW_FILES, ids=lambda p: p.name)
def test_every_workflow_starts_with_no_token_permissions(path: Path) -> None:
    workflow = yaml.safe_load(path.read_text())
    assert workflow.get("permissions") == {}, f"{path.name}: add a top-level `permissions: {{}}`"
