"""The content hash of every comparison (parity, reliability): what is equal and what is different (fast)."""

from __future__ import annotations

import duckdb
import pytest

from warehouse.runtime import compare


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("set TimeZone = 'UTC'")
    con.execute(
        "create table a (id bigint, amount decimal(14, 2), ratio double, seen_at timestamp, name varchar)"
    )
    con.execute("""insert into a values
        (1, 10.50, 0.1 + 0.2, timestamp '2025-01-01 10:00:00', 'x'),
        (2, 20.00, 1.0 / 3.0, timestamp '2025-01-02 11:30:00', null)""")
    return con


def _other(con: duckdb.DuckDBPyConnection, sql: str) -> None:
    con.execute("drop table if exists b")
    con.execute(f"create table b as {sql}")


def test_upper_case_names_other_types_and_row_order_are_equal(con: duckdb.DuckDBPyConnection) -> None:
    _other(con, """
        select id as "ID", cast(amount as double) as "AMOUNT", ratio + 1e-9 as "RATIO",
               cast(seen_at as timestamptz) as "SEEN_AT", name as "NAME"
        from a order by id desc""")
    assert compare(con, "t", "a", "b").equal


def test_a_changed_value_is_different_and_sampled(con: duckdb.DuckDBPyConnection) -> None:
    _other(con, "select id, if(id = 2, amount + 0.01, amount) as amount, ratio, seen_at, name from a")
    result = compare(con, "t", "a", "b")
    assert not result.equal
    assert result.left_only[0]["amount"] == "20.000000"
    assert result.right_only[0]["amount"] == "20.010000"


def test_a_duplicated_row_is_different(con: duckdb.DuckDBPyConnection) -> None:
    _other(con, "select * from a union all select * from a where id = 1")
    result = compare(con, "t", "a", "b")
    assert not result.equal and result.right_rows == 3


def test_null_and_empty_text_differ(con: duckdb.DuckDBPyConnection) -> None:
    _other(con, "select id, amount, ratio, seen_at, coalesce(name, '') as name from a")
    assert not compare(con, "t", "a", "b").equal


def test_run_columns_are_ignored_but_other_extra_columns_are_not(con: duckdb.DuckDBPyConnection) -> None:
    _other(con, "select *, now() as _run_loaded_at from a")
    assert compare(con, "t", "a", "b").equal
    _other(con, "select *, 1 as extra from a")
    result = compare(con, "t", "a", "b")
    assert not result.equal and "columns differ" in result.problems[0]
