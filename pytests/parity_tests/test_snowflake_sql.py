"""The strict Snowflake statement checks, on statements written by hand (no dbt, fast)."""

from __future__ import annotations

import pytest

from parity_tests.snowflake_sql import check_sql, check_statement

MASKING_BODY = (
    "case when is_role_in_session('PII_READER') then val else '*****@' || split_part(val, '@', 2) end"
)
POLICY = "create masking policy if not exists DB.GOV.PII_EMAIL as (val varchar) returns varchar -> "


def problems(sql: str) -> list[str]:
    """Every problem of every statement in ``sql``."""
    return [p for check in check_sql(sql) for p in check.problems]


def test_valid_masking_policy_passes() -> None:
    sql = POLICY + MASKING_BODY
    check = check_statement(sql)
    assert check.ok, check.problems
    assert check.how == "grammar:create masking policy"


def test_truncated_masking_policy_fails() -> None:
    sql = POLICY + "case when is_role_in_session('X') then val else"
    assert any("does not parse" in p for p in problems(sql))


def test_masking_policy_must_return_its_argument_type() -> None:
    sql = "create masking policy P as (val varchar) returns number -> iff(is_role_in_session('X'), val, null)"
    assert any("RETURNS number must be the type" in p for p in problems(sql))


def test_or_replace_with_if_not_exists_fails() -> None:
    assert any("cannot be combined" in p for p in problems("create or replace role if not exists ANALYST"))


def test_row_access_policy_without_signature_fails() -> None:
    # the shape the predecessor project shipped: not Snowflake syntax
    assert problems("create row access policy customers_rap on (account_manager)")


def test_row_access_policy_with_body_passes() -> None:
    sql = (
        "create row access policy if not exists DB.GOV.RAP as (account_manager varchar) returns boolean -> "
        "is_role_in_session('ANALYST') or exists (select 1 from DB.REF.MANAGERS m "
        "where m.account_manager = account_manager)"
    )
    assert problems(sql) == []


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("create resource monitor M with credit_quota = 10 frequency = monthly start_timestamp = 'soon' "
         "triggers on 80 percent do notify", "START_TIMESTAMP = 'soon'"),
        ("create resource monitor M with credit_quota = 10 frequency = monthly "
         "triggers on 80 percent do notify", "FREQUENCY and START_TIMESTAMP must be set together"),
        ("create resource monitor M with credit_quota = 10 frequency = monthly start_timestamp = immediately "
         "triggers on 80 percent do alert", "triggers not understood"),
        ("create resource monitor M with credit_quota = 10 frequency = monthly start_timestamp = immediately "
         "triggers on 90 percent do suspend on 100 percent do suspend", "at most one SUSPEND"),
    ],
)
def test_invalid_resource_monitor_fails(sql: str, expected: str) -> None:
    assert any(expected in p for p in problems(sql)), problems(sql)


def test_valid_resource_monitor_passes() -> None:
    sql = (
        "create resource monitor if not exists M with credit_quota = 100 frequency = monthly "
        "start_timestamp = '2026-01-01 00:00' notify_users = (ALICE, \"BOB\") "
        "triggers on 80 percent do notify on 100 percent do suspend on 110 percent do suspend_immediate"
    )
    assert problems(sql) == []


def test_task_without_stream_guard_fails() -> None:
    sql = "create task T warehouse = WH schedule = '5 MINUTE' as insert into X select * from S"
    assert any("SYSTEM$STREAM_HAS_DATA" in p for p in problems(sql))


def test_task_every_30_seconds_fails() -> None:
    sql = ("create task T warehouse = WH schedule = '30 SECONDS' when system$stream_has_data('S') "
           "as insert into X select * from S")
    assert any("more often than every minute" in p for p in problems(sql))


def test_guarded_task_passes() -> None:
    sql = ("create task if not exists T warehouse = WH schedule = '5 MINUTE' "
           "when system$stream_has_data('DB.RAW.S') as insert into DB.RAW.X select * from DB.RAW.S")
    assert problems(sql) == []


def test_create_index_fails() -> None:
    assert any("no indexes" in p for p in problems("create index idx_a on t (a)"))


@pytest.mark.parametrize("function", ["regexp_matches(a, 'x')", "list_value(1, 2)", "strftime(a, '%Y')",
                                      "epoch(a)", "date_diff('day', a, b)", "string_split(a, ',')"])
def test_duckdb_only_function_fails(function: str) -> None:
    found = problems(f"select {function} from t")
    assert any("is not a known Snowflake function" in p for p in found), found


def test_duckdb_only_table_function_fails() -> None:
    assert any("RANGE()" in p for p in problems("select * from range(1, 10)"))


def test_aggregate_filter_clause_fails() -> None:
    assert any("FILTER()" in p for p in problems("select count(*) filter (where a > 1) from t"))


def test_duckdb_only_type_fails() -> None:
    assert any("INT128" in p for p in problems("select cast(a as hugeint) from t"))


def test_unparsable_sql_fails() -> None:
    assert any("does not parse" in p for p in problems("select from where"))


def test_opaque_statement_without_grammar_check_fails() -> None:
    found = problems("create notification integration N type = email enabled = true")
    assert any("opaque Command" in p for p in found), found


def test_snowflake_sql_passes() -> None:
    sql = """
        select iff(a > 0, 'x', 'y') as f,
               to_json(object_construct_keep_null('a', a)) as j,
               datediff(day, b, c) as d,
               md5(coalesce(cast(a as varchar), '')) as h,
               row_number() over (partition by a order by b desc) as r
        from DB.S.T
        qualify r = 1;
        merge into DB.S.T as d using DB.S.T__tmp as s on (s.a = d.a)
        when matched then update set b = s.b
        when not matched then insert (a, b) values (s.a, s.b)
    """
    assert problems(sql) == []
    assert len(check_sql(sql)) == 2
