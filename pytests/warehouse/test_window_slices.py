"""A dense window table built in time slices equals the same table built in one statement."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from warehouse.runtime import ScratchWarehouse
from warehouse.runtime.compare import compare

MODEL = "tbl_ml_rolling_analytics"
RELATION = f"main_ml.{MODEL}"
SLICE_DAYS = 120


def test_a_sliced_build_equals_the_one_statement_build(clean_build: ScratchWarehouse, tmp_path: Path) -> None:
    """The CI-scale build fits one slice; a full refresh with a budget of about SLICE_DAYS days per
    slice builds the first slice in the model's statement and the rest in its post-hook."""
    sliced = clean_build.copy(tmp_path / "sliced")
    with duckdb.connect(str(sliced.db)) as con:
        con.execute(f"create table main.one_statement as select * from {RELATION}")
        entities, days = con.execute(
            f"select count(distinct (entity_type, entity_id)), count(distinct feature_date) from {RELATION}"
        ).fetchone()
    budget = entities * SLICE_DAYS
    sliced.dbt(
        "run", "--select", MODEL, "--full-refresh", "--vars", json.dumps({"window_rows_per_slice": budget})
    )

    log = (sliced.folder / "logs" / "dbt.log").read_text()
    appended = log.count(f"insert into {sliced_relation(sliced)}")
    assert appended >= days // SLICE_DAYS - 1, f"{days} days in slices of ≈{SLICE_DAYS}: {appended} appended"
    with duckdb.connect(str(sliced.db), read_only=True) as con:
        comparison = compare(con, MODEL, RELATION, "main.one_statement")
    assert comparison.equal, comparison.problems


def sliced_relation(warehouse: ScratchWarehouse) -> str:
    """How dbt names the model's relation in the statements it logs."""
    return f'"{warehouse.db.stem}"."main_ml"."{MODEL}"'
