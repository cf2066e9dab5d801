"""The lint's rules, marker contract, positions and CLI (parity_tests.lint)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
import sqlglot

from parity_tests.lint import RULES, Hazard, SqlParseError, find_hazards
from parity_tests.lint.__main__ import main
from warehouse.runtime import REPO_ROOT


def constructs(sql: str) -> set[str]:
    return {h.construct for h in find_hazards(sql)}


# --------------------------------------------------------------------------- one case per hazard class

FLAGGED = [
    # (test id, DuckDB SQL, expected construct)
    ("division", "select a / b from t", "division"),
    ("integer-division", "select a // b from t", "integer-division"),
    ("regexp_matches", "select regexp_matches(s, 'b') from t", "regexp_matches"),
    ("regexp-ilike-operator", "select s ~* 'b' from t", "regexp_matches"),
    ("tilde-operator", "select * from t where s !~ 'b'", "tilde-regex"),
    ("similar-to", "select s similar to 'a.*' from t", "similar-to"),
    ("regexp_replace-first-only", "select regexp_replace(s, 'a', 'b') from t", "regexp_replace"),
    ("regexp_replace-options", "select regexp_replace(s, 'a', 'b', 'g') from t", "regexp_replace"),
    ("regexp_extract", "select regexp_extract(s, 'a(b)', 1) from t", "regexp_extract"),
    ("concat_ws", "select concat_ws('-', a, b) from t", "concat_ws"),
    ("string_agg-no-separator", "select string_agg(x order by y) from t", "string_agg-separator"),
    ("listagg-no-separator", "select listagg(x) from t", "string_agg-separator"),
    ("array_agg", "select array_agg(x order by y) from t", "array_agg-nulls"),
    ("list-aggregate", "select list(x) from t group by g", "array_agg-nulls"),
    ("substring-zero", "select substring(s, 0, 3) from t", "substring-start"),
    ("substr-negative", "select substr(s, -2, 1) from t", "substring-start"),
    ("split_part-zero", "select split_part(s, ',', 0) from t", "split_part-index"),
    (
        "last_value-no-frame",
        "select last_value(x) over (partition by g order by y) from t",
        "window-default-frame",
    ),
    ("nth_value-no-frame", "select nth_value(x, 2) over (order by y) from t", "window-default-frame"),
    (
        "first_value-ignore-nulls",
        "select first_value(x ignore nulls) over (order by y) from t",
        "window-default-frame",
    ),
    ("timestamptz-to-date", "select cast(cast(x as timestamptz) as date) from t", "timestamptz"),
    ("timestamp-with-time-zone", "select x::timestamp with time zone from t", "timestamptz"),
    ("at-time-zone", "select x at time zone 'UTC' from t", "at-time-zone"),
    ("to_timestamp", "select to_timestamp(epoch_s) from t", "to_timestamp"),
    ("epoch", "select epoch(ts) from t", "epoch"),
    ("extract-epoch", "select extract(epoch from ts) from t", "epoch"),
    ("epoch_ms", "select epoch_ms(ts) from t", "epoch"),
    ("random", "select random() from t", "random"),
    ("uuid", "select gen_random_uuid() as id from t", "uuid"),
    ("hash", "select hash(a) from t", "hash"),
    ("try_cast-column", "select try_cast(x as integer) from t", "try_cast"),
    ("try_cast-number", "select try_cast(1.5 as integer)", "try_cast"),
    ("mixed-case-alias", "select 1 as MyCol", "mixed-case-identifier"),
    ("mixed-case-column", "select OrderId from t", "mixed-case-identifier"),
    ("log-one-arg", "select log(x) from t", "log-base"),
    ("array-index-computed", "select arr[i] from t", "array-index"),
    ("array-index-negative", "select arr[-1] from t", "array-index"),
    ("date_diff-week", "select date_diff('week', a, b) from t", "date_diff-week"),
    ("strftime-format", "select strftime(ts, '%-d %b') from t", "strftime-format"),
    ("float4", "select cast(x as real) from t", "float4"),
    ("sum-boolean", "select sum(x > 0) from t", "sum-boolean"),
    ("current-time", "select * from t where d < current_date", "current-time"),
    ("now", "select now()", "current-time"),
    ("avg-integer", "select avg(qty) from t", "numeric-aggregate-scale"),
    ("median-integer", "select median(qty) from t", "numeric-aggregate-scale"),
    ("cast-double-to-int", "select cast(2.5::double as integer)", "cast-to-integer"),
    ("approx_count_distinct", "select approx_count_distinct(x) from t", "approximate-aggregate"),
    ("len-of-list", "select len([1, 2, 3])", "list-length"),
    ("timestamp-minus-timestamp", "select now()::timestamp - ts::timestamp from t", "timestamp-subtraction"),
    ("asof-join", "select * from a asof join b on a.k = b.k and a.t >= b.t", "join-kind"),
    ("struct-literal", "select {'a': 1} as s", "struct-literal"),
    ("columns-star", "select columns('a.*') from t", "star-expression"),
    ("unnest", "select unnest([1, 2])", "unnest"),
    ("sample", "select * from t using sample 10%", "table-sample"),
    ("merge", "merge into t using s on t.k = s.k when matched then update set v = s.v", "merge-duplicates"),
    ("extract-dow", "select extract(dow from d) from t", "week-part"),
    ("date_trunc-of-date", "select date_trunc('month', date '2024-01-15')", "date_trunc-of-date"),
    ("duckdb-only-function", "select list_zip(a, b) from t", "unsupported"),
    ("unregistered-function", "select kurtosis(x) from t", "unverified"),
]

PORTABLE = [
    # (test id, DuckDB SQL that must produce no finding at all)
    ("division-cast-double", "select cast(a as double) / b, a / b::double from t"),
    ("division-marker", "select /* portable:safe_divide ok */ a / nullif(b, 0) /* /portable */ as r from t"),
    ("integer-division-marker", "select /* portable:int_div ok */ (a // b) /* /portable */ as q from t"),
    ("regexp_matches-anchored", "select regexp_matches(s, '^[0-9]+$') from t"),
    ("tilde-like", "select * from t where s like '%b%' and contains(s, 'b')"),
    ("regexp_replace-anchored", "select regexp_replace(s, '^0+', '') from t"),
    ("regexp_extract-nullif", "select nullif(regexp_extract(s, 'a(b)', 1), '') from t"),
    ("concat_ws-coalesced", "select concat_ws('-', coalesce(a, ''), 'x', ifnull(b, 'n/a')) from t"),
    # sqlglot emits CONCAT(COALESCE(a, ''), ...) and `||` propagates NULL on both engines.
    ("concat-and-pipes", "select concat(a, b), a || b from t"),
    ("string_agg-separator", "select string_agg(x, ',' order by y), listagg(x, '|') from t"),
    ("array_agg-filtered", "select array_agg(x order by y) filter (where x is not null) from t"),
    ("substring-from-one", "select substring(s, 1, 3), substr(s, 2) from t"),
    ("split_part-positive", "select split_part(s, ',', 1), split_part(s, ',', -1) from t"),
    (
        "window-explicit-frame",
        "select last_value(x) over (order by y rows between unbounded preceding and unbounded following),"
        " first_value(x) over (order by y), last_value(x) over (partition by g) from t",
    ),
    ("timestamp-naive", "select cast(x as timestamp), cast(x as date) from t"),
    ("make_timestamp", "select make_timestamp(epoch_us) from t"),
    ("epoch-date_diff", "select date_diff('second', timestamp '1970-01-01', ts) from t"),
    ("random-marker", "select /* portable:random_unit ok */ random() /* /portable */ as r"),
    ("md5", "select md5(a) as k from t"),
    (
        "try_cast-string",
        "select try_cast(cast(x as varchar) as integer), try_cast('12' as integer),"
        " try_cast(x as varchar) from t",
    ),
    ("identifiers", 'select 1 as my_col, "MyCol", ORDERS.order_id from t as ORDERS'),
    ("log10-ln", "select log10(x), ln(x), log(2, x) from t"),
    ("array-index-literal", "select arr[1], s['key'] from t"),
    ("date_diff-day", "select date_diff('day', a, b), date_diff('month', a, b) from t"),
    ("strftime-simple", "select strftime(ts, '%Y-%m-%d %H:%M:%S') from t"),
    ("double", "select cast(x as double) from t"),
    ("count_if", "select count_if(x > 0), sum(case when x > 0 then 1 else 0 end) from t"),
    ("fixed-date", "select * from t where d < date '2024-01-01'"),
]


@pytest.mark.parametrize(("sql", "construct"), [c[1:] for c in FLAGGED], ids=[c[0] for c in FLAGGED])
def test_hazard_is_flagged(sql: str, construct: str) -> None:
    hazards = find_hazards(sql)
    assert construct in {h.construct for h in hazards}, hazards
    assert all(h.why and h.line >= 1 for h in hazards)


@pytest.mark.parametrize("sql", [c[1] for c in PORTABLE], ids=[c[0] for c in PORTABLE])
def test_portable_form_is_clean(sql: str) -> None:
    assert find_hazards(sql) == []


def test_set_statement_is_unsupported_not_a_mixed_case_identifier() -> None:
    assert constructs("set TimeZone = 'UTC'") == {"unsupported"}


def test_every_rule_has_a_flagged_case() -> None:
    covered = {c[2] for c in FLAGGED} | {"portable-marker"}
    assert set(RULES) == covered


# --------------------------------------------------------------------------- premises the rules rest on
# If a sqlglot/DuckDB upgrade changes one of these, revisit the matching rule.


@pytest.mark.parametrize(
    ("duckdb_sql", "snowflake_sql"),
    [
        ("select regexp_matches(s, 'b')", "SELECT REGEXP_LIKE(s, 'b')"),
        ("select regexp_replace(s, 'a', 'b')", "SELECT REGEXP_REPLACE(s, 'a', 'b')"),
        ("select string_agg(x)", "SELECT LISTAGG(x)"),
        ("select log(x)", "SELECT LN(x)"),
        ("select try_cast(x as int)", "SELECT CAST(x AS INT)"),
        ("select a // b", "SELECT CAST(TRUNC(a / b) AS BIGINT)"),
        ("select concat_ws(',', a, b)", "SELECT CONCAT_WS(',', COALESCE(a, ''), COALESCE(b, ''))"),
        # handled by sqlglot, hence deliberately not rules:
        ("select concat(a, b)", "SELECT CONCAT(COALESCE(a, ''), COALESCE(b, ''))"),
        ("select greatest(a, b)", "SELECT GREATEST_IGNORE_NULLS(a, b)"),
        ("select x from t order by x desc", "SELECT x FROM t ORDER BY x DESC NULLS LAST"),
        ("select arr[1]", "SELECT arr[0]"),
    ],
)
def test_sqlglot_premise(duckdb_sql: str, snowflake_sql: str) -> None:
    assert sqlglot.transpile(duckdb_sql, read="duckdb", write="snowflake")[0] == snowflake_sql


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("select regexp_matches('abc', 'b'), 'abc' ~ 'b'", (True, True)),
        ("select regexp_replace('aaa', 'a', 'b')", ("baa",)),
        ("select string_agg(x) from (values ('a'), ('b')) v(x)", ("a,b",)),
        ("select concat_ws(',', 'a', null, 'b'), 'a' || null", ("a,b", None)),
        ("select len(array_agg(x)) from (values (1), (null)) v(x)", (2,)),
        ("select substring('hello', 0, 3), split_part('a,b', ',', 0)", ("he", "")),
        ("select log(100), 7.5 // 2", (2.0, 3.75)),
        ("select date_diff('week', date '2024-01-07', date '2024-01-08')", (0,)),
        ("select regexp_extract('abc', 'z')", ("",)),
    ],
)
def test_duckdb_premise(query: str, expected: tuple) -> None:
    with duckdb.connect() as con:
        assert con.sql(query).fetchall() == [expected]


# --------------------------------------------------------------------------- marker contract

MARKED_POSITIONS = {
    "select-list": "select /* portable:safe_divide ok */ (a / nullif(b, 0)) /* /portable */ as x from t",
    "function-argument": (
        "select coalesce(/* portable:safe_divide ok */ a / nullif(b, 0) /* /portable */, 0) from t"
    ),
    "where": "select 1 from t where /* portable:ratio ok */ (c / (d + (e))) /* /portable */ > 1",
    "join-on": "select 1 from t join u on /* portable:ratio ok */ u.a / t.b /* /portable */ = 1",
    "having": "select g from t group by g having /* portable:r ok */ sum(a) / sum(b) /* /portable */ > 0.5",
    "case": "select case when /* portable:r ok */ a / b /* /portable */ > 1 then 1 end from t",
    "named-close": "select /* portable:surrogate_key ok */ hash(a) /* /portable:surrogate_key */ as k from t",
    "multiline-nested-parens": (
        "select\n"
        "    /* portable:safe_divide ok */\n"
        "    (\n"
        "        (a + (b * 2))\n"
        "        /\n"
        "        nullif((c - (d)), 0)\n"
        "    )\n"
        "    /* /portable */ as ratio\n"
        "from t"
    ),
    "nested-markers": (
        "select /* portable:outer ok */ coalesce(/* portable:inner ok */ a / b /* /portable */, c / d)"
        " /* /portable */ as x from t"
    ),
}


@pytest.mark.parametrize("sql", MARKED_POSITIONS.values(), ids=MARKED_POSITIONS.keys())
def test_marker_span_exempts_hazards(sql: str) -> None:
    assert find_hazards(sql) == []
    unmarked = sql.replace("/* portable:", "/* note:").replace("/* /portable", "/* end")
    assert find_hazards(unmarked), "the same SQL without markers must be flagged"


def _exempt_by_comment_on_ancestor(sql: str) -> dict[str, bool]:
    """The rejected contract: a Div is exempt when it or an ancestor carries a portable: comment."""
    verdict = {}
    for statement in sqlglot.parse(sql, read="duckdb"):
        for div in statement.find_all(sqlglot.exp.Div):
            node, exempt = div, False
            while node is not None:
                exempt = exempt or any("portable:" in c for c in node.comments or [])
                node = node.parent
            verdict[div.this.sql()] = exempt
    return verdict


def test_sqlglot_comment_attachment_is_not_a_usable_contract() -> None:
    # Why markers are spans over source offsets: sqlglot hoists a select-item comment onto the SELECT
    # (over-exempting `c / d`) and drops one inside a function argument (under-exempting).
    hoisted = _exempt_by_comment_on_ancestor(
        "select /* portable:safe_divide ok */ (a / nullif(b, 0)) as x, c / d as y from t"
    )
    dropped = _exempt_by_comment_on_ancestor(
        "select coalesce(/* portable:safe_divide ok */ a / nullif(b, 0) /* /portable */, 0) from t"
    )
    assert hoisted["c"] or not dropped["a"], "sqlglot now keeps marker comments in place"


def test_marker_only_covers_its_span() -> None:
    sql = (
        "select /* portable:safe_divide ok */ a / nullif(b, 0) /* /portable */ as x,\n"
        "       c / d as y,\n"
        "       /* portable:k ok */ a /* /portable */ / b as z\n"
        "from t"
    )
    assert [(h.line, h.construct) for h in find_hazards(sql)] == [(2, "division"), (3, "division")]


def test_markers_inside_strings_and_line_comments_are_ignored() -> None:
    sql = "select '/* portable:x ok */', a / b, '/* /portable */' -- /* portable:y ok */\nfrom t"
    assert constructs(sql) == {"division"}


@pytest.mark.parametrize(
    "sql",
    [
        "select /* portable:sk ok */ hash(a) as k from t",  # never closed
        "select hash(a) /* /portable */ as k from t",  # stray close
        "select /* portable:a ok */ hash(a) /* /portable:b */ as k from t",  # name mismatch
        "select /* portable */ hash(a) as k from t",  # malformed
    ],
    ids=["unclosed", "stray-close", "name-mismatch", "malformed"],
)
def test_broken_markers_are_reported_and_exempt_nothing(sql: str) -> None:
    assert constructs(sql) == {"hash", "portable-marker"}


# --------------------------------------------------------------------------- line numbers and files


def test_line_number_of_hazard_on_line_three(tmp_path: Path) -> None:
    path = tmp_path / "model.sql"
    path.write_text("select\n    id,\n    regexp_matches(code, 'X') as is_x\nfrom t\n")
    hazards = find_hazards(path.read_text(), str(path))
    assert hazards == [
        Hazard(str(path), 3, "regexp_matches", hazards[0].why),
    ]


def test_multi_statement_file(tmp_path: Path) -> None:
    path = tmp_path / "multi.sql"
    path.write_text(
        "create table x as select 1 as id;\n"  # line 1: clean
        "\n"
        "select string_agg(name) from x;\n"  # line 3
        ";\n"  # empty statement
        "select id,\n"
        "       current_date as today\n"  # line 6: keyword without a sqlglot position
        "from x\n"
        "where id / 2 > 0;\n"  # line 8
    )
    found = [(h.line, h.construct) for h in find_hazards(path.read_text(), str(path))]
    assert found == [(3, "string_agg-separator"), (6, "current-time"), (8, "division")]


def test_keyword_nodes_get_their_own_line() -> None:
    sql = "select 1 as a;\nselect\n  x,\n  current_timestamp as ts\nfrom t\nwhere d < current_date"
    assert [(h.line, h.construct) for h in find_hazards(sql)] == [(4, "current-time"), (6, "current-time")]


def test_hazard_is_frozen_and_formats() -> None:
    hazard = find_hazards("select random()", "m.sql")[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        hazard.line = 2  # type: ignore[misc]
    assert hazard.format().startswith("m.sql:1: random — ")


@pytest.mark.parametrize("sql", ["select from where (", "select 'unterminated", "select {{ ref('x') }}"])
def test_unparseable_sql_raises(sql: str) -> None:
    with pytest.raises(SqlParseError):
        find_hazards(sql, "bad.sql")


# --------------------------------------------------------------------------- CLI


def test_cli_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--sql", "select cast(a as double) / b as ratio from t"]) == 0
    assert capsys.readouterr().out == ""

    assert main(["--sql", "select a / b from t"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 1 and out[0].startswith("<sql>:1: division — ")

    bad = tmp_path / "bad.sql"
    bad.write_text("select 1;\nselect from where (\n")
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(bad) in err and "Traceback" not in err

    assert main([str(tmp_path / "missing.sql")]) == 2
    assert "missing.sql" in capsys.readouterr().err


def test_cli_files_and_precedence(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clean = tmp_path / "clean.sql"
    clean.write_text("select md5(a) from t;\n")
    risky = tmp_path / "risky.sql"
    risky.write_text("select 1;\nselect 2;\nselect hash(a) from t;\n")
    assert main([str(clean)]) == 0
    assert main([str(clean), str(risky)]) == 1
    assert capsys.readouterr().out.startswith(f"{risky}:3: hash — ")
    assert main([str(risky), str(tmp_path / "nope.sql")]) == 2


def test_cli_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-rules"]) == 0
    listed = {line.split(":", 1)[0] for line in capsys.readouterr().out.splitlines()}
    assert listed == set(RULES)


def test_cli_subprocess(tmp_path: Path) -> None:
    model = tmp_path / "model.sql"
    model.write_text("select\n  1 as id,\n  regexp_replace(s, 'a', 'b') as s2\nfrom t\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [sys.executable, "-m", "parity_tests.lint", str(model)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith(f"{model}:3: regexp_replace — ")
    assert result.stderr == ""


def test_check_snowflake_report_tells_authors_what_to_do() -> None:
    from parity_tests.check_snowflake import CheckResult, NodeCheck, format_table
    from parity_tests.lint import LINT_REMEDY

    hazards = find_hazards("select kurtosis(x) from t", "models/new_model.sql")
    node = NodeCheck("model.logistics.new_model", "model", compiled=["first"], statements=1, hazards=hazards)
    report = format_table(CheckResult([node], 1.0))
    assert "hazard:  models/new_model.sql:1: unverified" in report
    assert LINT_REMEDY in report and "parity_tests/lint/constructs.py" in report


def test_column_types_from_a_duckdb_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    db = tmp_path / "w.duckdb"
    with duckdb.connect(str(db)) as con:
        con.execute("create table trips (ok boolean, codes integer[], km double, stops integer)")
    sql = "select sum(ok), len(codes), avg(km), km / stops, avg(stops) from trips"
    assert main(["--sql", sql]) == 1
    assert {line.split(" — ")[0] for line in capsys.readouterr().out.splitlines()} == {
        "<sql>:1: division",
        "<sql>:1: numeric-aggregate-scale",
    }
    assert main(["--db", str(db), "--sql", sql]) == 1
    found = [line.split(" — ")[0] for line in capsys.readouterr().out.splitlines()]
    assert sorted(found) == [
        "<sql>:1: list-length",
        "<sql>:1: numeric-aggregate-scale",  # avg(stops): an integer column; avg(km) is clean
        "<sql>:1: sum-boolean",
    ]
    assert main(["--db", str(tmp_path / "missing.duckdb"), "--sql", sql]) == 2
