"""What the last dbt invocation did, read from ``target/run_results.json``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from warehouse.runtime import REPO_ROOT


def node_statuses(target_dir: Path = REPO_ROOT / "target") -> dict[str, Counter[str]]:
    """Resource type (model, test, seed, snapshot, unit_test) -> count of each status."""
    path = target_dir / "run_results.json"
    if not path.exists():
        return {}
    results = json.loads(path.read_text())["results"]
    out: dict[str, Counter[str]] = {}
    for result in results:
        resource = result["unique_id"].split(".", 1)[0]
        out.setdefault(resource, Counter())[result["status"]] += 1
    return out


def last_invocation_id(target_dir: Path = REPO_ROOT / "target") -> str | None:
    """The dbt invocation id of the last run (the value of the ``_run_invocation_id`` columns it wrote)."""
    path = target_dir / "run_results.json"
    if not path.exists():
        return None
    return json.loads(path.read_text())["metadata"]["invocation_id"]
