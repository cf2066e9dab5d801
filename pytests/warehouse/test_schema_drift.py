"""Schema drift: a column Fivetran adds flows into raw; a column the models need that disappears
fails the build with a message naming the table and the column.

Each test works on a copy of the clean warehouse and runs only the raw layer.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from warehouse.runtime import ScratchWarehouse


def test_a_column_added_at_the_source_is_carried_into_raw(
    clean_build: ScratchWarehouse, tmp_path: Path,
) -> None:
    drifted = clean_build.copy(tmp_path)
    with duckdb.connect(str(drifted.db)) as con:
        con.execute("alter table landing_azure_sql.shipments add column hazmat_class varchar")
    drifted.generator("sync", "--days", "1", "--quiet")
    with duckdb.connect(str(drifted.db)) as con:
        con.execute(
            "update landing_azure_sql.shipments set hazmat_class = 'UN1203' "
            "where _fivetran_synced = (select max(_fivetran_synced) from landing_azure_sql.shipments)"
        )
        (populated,) = con.execute(
            "select count(*) from landing_azure_sql.shipments where hazmat_class is not null"
        ).fetchone()
    assert populated > 0

    drifted.dbt("run", "--select", "path:models/raw")

    with duckdb.connect(str(drifted.db), read_only=True) as con:
        (carried,) = con.execute(
            "select count(*) from main_raw.tbl_raw_shipments where hazmat_class = 'UN1203'"
        ).fetchone()
    assert carried == populated


def test_a_column_the_models_need_disappearing_fails_naming_table_and_column(
    clean_build: ScratchWarehouse, tmp_path: Path
) -> None:
    drifted = clean_build.copy(tmp_path)
    with duckdb.connect(str(drifted.db)) as con:
        con.execute("alter table landing_azure_sql.maintenance drop column downtime_hours")

    completed = drifted.dbt("run", "--select", "path:models/raw", check=False)

    assert completed.returncode != 0
    assert (
        "Landing table landing_azure_sql.maintenance (source 'azure_sql.maintenance') "
        "has lost column(s) the models need: downtime_hours" in completed.output
    )
