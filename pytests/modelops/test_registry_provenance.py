"""Registry rows come only from training runs: no seed, model, macro or script writes them."""

from __future__ import annotations

import re

from warehouse.runtime import REPO_ROOT

RECORD_TABLES = (
    "model_versions",
    "model_evaluations",
    "model_reliability_bins",
    "model_reference_bins",
    "model_stage_transitions",
)
_WRITE = re.compile(r"\b(insert\s+into|merge\s+into|copy|update|create\s+table\s+\S+\s+as)\b", re.IGNORECASE)


def _project_files():
    for path in REPO_ROOT.rglob("*"):
        parts = set(path.relative_to(REPO_ROOT).parts)
        if (
            path.is_file()
            and not parts & {".git", "target", "logs", "pytests", "__pycache__"}
            and path.suffix in {".py", ".sql", ".yml", ".yaml", ".csv", ".json"}
        ):
            yield path


def test_no_file_but_the_registry_module_writes_registry_records() -> None:
    writers = []
    for path in _project_files():
        text = path.read_text(errors="replace")
        for statement in re.split(r";|\n\s*\n", text):
            if _WRITE.search(statement) and any(table in statement for table in RECORD_TABLES):
                writers.append(path.relative_to(REPO_ROOT).as_posix())
    # The macro creates the tables empty (create table if not exists, no rows); only register() and
    # promote() insert, through registry._insert.
    assert sorted(set(writers)) == [], writers


def test_no_seed_holds_registry_columns() -> None:
    for seed in (REPO_ROOT / "seeds").rglob("*.csv"):
        header = seed.read_text().splitlines()[0].lower()
        assert "model_version" not in header and "artefact_sha256" not in header, seed
