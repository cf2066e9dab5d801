"""Strict checks of SQL meant to run on Snowflake, offline.

:func:`check_sql` splits SQL into statements the way the Snowflake connector does and checks each:

1. **Parsed**: sqlglot parses it in the Snowflake dialect with errors raised, and regenerates it with
   unsupported constructs raised.
2. **Opaque statements are not passed**: sqlglot keeps statements it does not understand (masking
   policies, resource monitors, tasks, most GRANTs ...) as an opaque ``exp.Command``. Those pass only
   when one of the grammar checks below recognises them; their embedded expressions and queries
   (policy bodies, task bodies, WHEN conditions) are then parsed as in 1. Anything else fails.
3. **Functions exist**: every name called as a function, as written, must be a Snowflake function
   listed in :mod:`parity_tests.snowflake_functions`; every data type must be a Snowflake type.

The grammar checks follow Snowflake's reference pages (CREATE MASKING POLICY, CREATE ROW ACCESS
POLICY, CREATE RESOURCE MONITOR, CREATE TASK, CREATE STREAM, GRANT ...) for the forms this project
emits, and enforce two project rules: a task must be guarded by ``SYSTEM$STREAM_HAS_DATA`` and
scheduled no more often than every minute.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sqlglot
from snowflake.connector.util_text import split_statements
from sqlglot import exp
from sqlglot.errors import ErrorLevel, SqlglotError
from sqlglot.tokens import TokenType

from parity_tests.snowflake_functions import FUNCTIONS, NOT_CALLS, TYPES

__all__ = ["StatementCheck", "check_expression", "check_sql", "function_problems", "strip_comments"]


@dataclass(frozen=True)
class StatementCheck:
    """The outcome of checking one statement."""

    sql: str
    how: str  # "parsed" (a sqlglot tree) or "grammar:<kind>" (an opaque statement recognised)
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        """True when nothing is wrong with the statement."""
        return not self.problems


# --------------------------------------------------------------------------- text helpers


def strip_comments(sql: str) -> str:
    """``sql`` without ``--`` and ``/* */`` comments (string literals and quoted names kept)."""
    out: list[str] = []
    i, n = 0, len(sql)
    while i < n:
        ch = sql[i]
        if sql.startswith("--", i):
            end = sql.find("\n", i)
            i = n if end < 0 else end
        elif sql.startswith("/*", i):
            end = sql.find("*/", i + 2)
            i = n if end < 0 else end + 2
            out.append(" ")
        elif ch in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == "\\" and ch == "'":
                    j += 2
                    continue
                if sql[j] == ch:
                    if j + 1 < n and sql[j + 1] == ch:
                        j += 2
                        continue
                    break
                j += 1
            out.append(sql[i : j + 1])
            i = j + 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _normalise(sql: str) -> str:
    """Comments removed, whitespace collapsed, no trailing semicolon: the text grammar checks read."""
    return re.sub(r"\s+", " ", strip_comments(sql)).strip().rstrip(";").strip()


def split(sql: str) -> list[str]:
    """The statements of ``sql`` as the Snowflake connector splits them (empty ones dropped)."""
    statements = []
    for statement, _is_put_get in split_statements(io.StringIO(sql), remove_comments=False):
        if _normalise(statement):
            statements.append(statement.strip())
    return statements


class _Fallbacks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _sqlglot_warnings() -> Iterator[_Fallbacks]:
    logger = logging.getLogger("sqlglot")
    handler = _Fallbacks()
    logger.addHandler(handler)
    old_propagate = logger.propagate
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = old_propagate


# --------------------------------------------------------------------------- functions and types


# A name after one of these words and before "(" is a relation with a column list, not a call.
_RELATION_BEFORE = ("table", "into", "view", "exists", "with", "as", "references")


def function_problems(sql: str) -> list[str]:
    """Names called as functions in ``sql`` (as written) that are not Snowflake functions."""
    try:
        tokens = sqlglot.Dialect.get_or_raise("snowflake").tokenize(sql)
    except SqlglotError as err:
        return [f"cannot tokenize: {err}"]
    problems = []
    for i, token in enumerate(tokens[:-1]):
        if tokens[i + 1].token_type != TokenType.L_PAREN:
            continue
        if token.token_type in (TokenType.IDENTIFIER, TokenType.STRING):
            continue
        if i > 0 and tokens[i - 1].token_type == TokenType.DOT:
            continue  # db.schema.fn( is a user-defined function or a relation with a column list
        name = token.text.lower()
        if not re.fullmatch(r"[a-z_][a-z0-9_$]*", name) or name in NOT_CALLS or name in FUNCTIONS:
            continue
        if i > 0 and tokens[i - 1].text.lower() in _RELATION_BEFORE:
            continue  # create table t (...), insert into t (...), with cte (...)
        problems.append(
            f"function {name.upper()}() is not a known Snowflake function "
            "(check docs.snowflake.com, then parity_tests/snowflake_functions.py)"
        )
    return sorted(set(problems))


def _type_problems(tree: exp.Expression) -> list[str]:
    problems = []
    for dtype in tree.find_all(exp.DataType):
        if dtype.this == exp.DataType.Type.USERDEFINED:
            problems.append(f"unknown data type {dtype.sql('snowflake')}")
            continue
        name = re.split(r"[\s(]", dtype.sql("snowflake"), maxsplit=1)[0].lower()
        if name and name not in TYPES:
            problems.append(f"data type {dtype.sql('snowflake')} does not exist in Snowflake")
    return sorted(set(problems))


def _structured_problems(tree: exp.Expression, text: str) -> list[str]:
    problems = function_problems(text) + _type_problems(tree)
    if isinstance(tree, exp.Create) and str(tree.args.get("kind", "")).upper() == "INDEX":
        problems.append("CREATE INDEX: Snowflake standard tables have no indexes (use cluster_by)")
    try:
        tree.sql(dialect="snowflake", unsupported_level=ErrorLevel.RAISE)
    except SqlglotError as err:
        problems.append(f"sqlglot cannot write it for Snowflake: {err}")
    return problems


def check_expression(text: str, what: str = "expression") -> list[str]:
    """Problems of one Snowflake scalar expression (a policy body, a WHEN condition)."""
    try:
        with _sqlglot_warnings() as warnings:
            tree = sqlglot.parse_one(f"select {text}", read="snowflake", error_level=ErrorLevel.RAISE)
    except SqlglotError as err:
        return [f"{what} does not parse: {str(err).splitlines()[0]}"]
    if warnings.messages or any(isinstance(node, exp.Command) for node in tree.walk()):
        return [f"{what} is not understood by sqlglot: {text[:80]}"]
    return [f"{what}: {p}" for p in _structured_problems(tree, text)]


# --------------------------------------------------------------------------- grammar checks

_ID = r'(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)'
_QID = rf"{_ID}(?:\.{_ID}){{0,2}}"
_STR = r"'(?:[^'\\]|''|\\.)*'"
_TYPE = r"[A-Za-z_]+(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?"
_COMMENT = rf"(?:\s+comment\s*=\s*{_STR})?"
_PRIV = (
    r"(?:select|insert|update|delete|truncate|references|usage|monitor|operate|modify|apply"
    r"|create\s+\w+(?:\s+\w+)?|all(?:\s+privileges)?)"
)
_PRIVS = rf"{_PRIV}(?:\s*,\s*{_PRIV})*"
_STRING_TYPES = {"varchar", "string", "text", "char", "character"}

GrammarCheck = Callable[[re.Match[str]], list[str]]


def _not_replace_and_if_not_exists(match: re.Match[str]) -> list[str]:
    text = match.group(0).lower()
    if re.match(r"create\s+or\s+replace\b", text) and " if not exists " in f" {text} ":
        return ["OR REPLACE and IF NOT EXISTS cannot be combined"]
    return []


def _base_type(type_text: str) -> str:
    name = re.split(r"[\s(]", type_text.strip().lower(), maxsplit=1)[0]
    return "varchar" if name in _STRING_TYPES else name


def _policy_args(args: str) -> tuple[list[tuple[str, str]], list[str]]:
    parsed, problems = [], []
    for part in [a.strip() for a in re.split(r",(?![^(]*\))", args) if a.strip()]:
        m = re.fullmatch(rf"({_ID})\s+({_TYPE})", part, flags=re.I)
        if not m:
            problems.append(f"policy argument {part!r} is not '<name> <type>'")
            continue
        if _base_type(m.group(2)) not in TYPES and _base_type(m.group(2)) != "varchar":
            problems.append(f"policy argument type {m.group(2)} does not exist in Snowflake")
        parsed.append((m.group(1), m.group(2)))
    if not parsed and not problems:
        problems.append("a policy needs at least one argument")
    return parsed, problems


def _uses_argument(body: str, name: str) -> bool:
    bare = re.escape(name.strip('"'))
    return re.search(rf"(?<![A-Za-z0-9_$.]){bare}(?![A-Za-z0-9_$])", body, re.I) is not None


def _masking_policy(match: re.Match[str]) -> list[str]:
    problems = _not_replace_and_if_not_exists(match)
    args, arg_problems = _policy_args(match.group("args"))
    problems += arg_problems
    if args:
        if _base_type(args[0][1]) != _base_type(match.group("rtype")):
            problems.append(
                f"RETURNS {match.group('rtype')} must be the type of the first argument ({args[0][1]})"
            )
        if not _uses_argument(match.group("body"), args[0][0]):
            problems.append(f"the policy body never reads its argument {args[0][0]}")
    return problems + check_expression(match.group("body"), "masking policy body")


def _row_access_policy(match: re.Match[str]) -> list[str]:
    problems = _not_replace_and_if_not_exists(match)
    args, arg_problems = _policy_args(match.group("args"))
    problems += arg_problems
    for name, _type in args:
        if not _uses_argument(match.group("body"), name):
            problems.append(f"the policy body never reads its argument {name}")
    return problems + check_expression(match.group("body"), "row access policy body")


def _policy_body(match: re.Match[str]) -> list[str]:
    return check_expression(match.group("body"), "policy body")


_MONITOR_PARAMS = {
    "credit_quota": r"\d+(?:\.\d+)?",
    "frequency": r"(?:monthly|daily|weekly|yearly|never)",
    "start_timestamp": rf"(?:immediately|{_STR})",
    "end_timestamp": _STR,
    "notify_users": rf"\(\s*{_ID}(?:\s*,\s*{_ID})*\s*\)",
}
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?(?: ?[+-]\d{2}:?\d{2})?")


def _resource_monitor(match: re.Match[str]) -> list[str]:
    problems = _not_replace_and_if_not_exists(match)
    params_text = match.group("params") or ""
    seen: dict[str, str] = {}
    pattern = re.compile(r"(\w+)\s*=\s*(\([^)]*\)|'(?:[^']|'')*'|[^\s,]+)", re.I)
    consumed = pattern.sub("", params_text).strip(" ,")
    if consumed:
        problems.append(f"resource monitor parameters not understood: {consumed!r}")
    for key, value in pattern.findall(params_text):
        key = key.lower()
        if key not in _MONITOR_PARAMS:
            problems.append(f"unknown resource monitor parameter {key.upper()}")
        elif not re.fullmatch(_MONITOR_PARAMS[key], value, re.I):
            problems.append(f"{key.upper()} = {value} is not valid")
        elif key.endswith("_timestamp") and value.lower() != "immediately":
            if not _TIMESTAMP.fullmatch(value.strip("'")):
                problems.append(f"{key.upper()} = {value} is not 'YYYY-MM-DD[ HH:MI]' or IMMEDIATELY")
        seen[key] = value
    if match.group(0).lower().startswith("create") and ("frequency" in seen) != ("start_timestamp" in seen):
        problems.append("FREQUENCY and START_TIMESTAMP must be set together")
    triggers = match.group("triggers") or ""
    trigger = r"on\s+(\d+)\s+percent\s+do\s+(notify|suspend_immediate|suspend)\b"
    actions = re.findall(trigger, triggers, re.I)
    leftover = re.sub(trigger, "", triggers, flags=re.I)
    if leftover.strip():
        problems.append(f"triggers not understood: {leftover.strip()!r}")
    kinds = [a.lower() for _pct, a in actions]
    if kinds.count("suspend") > 1 or kinds.count("suspend_immediate") > 1 or kinds.count("notify") > 5:
        problems.append("at most one SUSPEND, one SUSPEND_IMMEDIATE and five NOTIFY triggers")
    if not seen and not actions:
        problems.append("a resource monitor without a quota or triggers does nothing")
    return problems


_WAREHOUSE_PARAMS = {
    "warehouse_size": r"'?(?:xsmall|x-small|small|medium|large|xlarge|x-large|xxlarge|x2large|2x-large"
    r"|xxxlarge|x3large|3x-large|x4large|4x-large|x5large|5x-large|x6large|6x-large)'?",
    "warehouse_type": r"'?(?:standard|snowpark-optimized)'?",
    "auto_suspend": r"(?:\d+|null)",
    "auto_resume": r"(?:true|false)",
    "initially_suspended": r"(?:true|false)",
    "min_cluster_count": r"\d+",
    "max_cluster_count": r"\d+",
    "scaling_policy": r"'?(?:standard|economy)'?",
    "resource_monitor": _ID,
    "statement_timeout_in_seconds": r"\d+",
    "statement_queued_timeout_in_seconds": r"\d+",
    "enable_query_acceleration": r"(?:true|false)",
    "comment": _STR,
}


def _warehouse(match: re.Match[str]) -> list[str]:
    problems = _not_replace_and_if_not_exists(match)
    pattern = re.compile(r"(\w+)\s*=\s*('(?:[^']|'')*'|[^\s,]+)", re.I)
    params = match.group("params") or ""
    if pattern.sub("", params).strip(" ,"):
        problems.append(f"warehouse parameters not understood: {pattern.sub('', params).strip()!r}")
    for key, value in pattern.findall(params):
        rule = _WAREHOUSE_PARAMS.get(key.lower())
        if rule is None:
            problems.append(f"unknown warehouse parameter {key.upper()}")
        elif not re.fullmatch(rule, value, re.I):
            problems.append(f"{key.upper()} = {value} is not valid")
    return problems


def _schedule_problems(schedule: str) -> list[str]:
    text = schedule.strip("'").strip()
    if m := re.fullmatch(r"(\d+)\s*(?:minute|minutes|m)", text, re.I):
        minutes = int(m.group(1))
        if not 1 <= minutes <= 11520:
            return [f"SCHEDULE '{text}': Snowflake accepts 1 to 11520 minutes"]
        return []
    if m := re.fullmatch(r"(\d+)\s*(?:second|seconds|s)", text, re.I):
        return [f"SCHEDULE '{text}': project rule, no task runs more often than every minute"]
    if re.fullmatch(r"using\s+cron\s+(?:\S+\s+){5}\S+", text, re.I):
        return []
    return [f"SCHEDULE '{text}' is neither '<n> MINUTE' nor 'USING CRON <expr> <time zone>'"]


def _task(match: re.Match[str]) -> list[str]:
    problems = _not_replace_and_if_not_exists(match)
    params = match.group("params") or ""
    schedule = re.search(rf"\bschedule\s*=\s*({_STR})", params, re.I)
    if schedule:
        problems += _schedule_problems(schedule.group(1))
    compute = rf"\bwarehouse\s*=\s*{_ID}|\buser_task_managed_initial_warehouse_size\s*="
    if not re.search(compute, params, re.I):
        problems.append("no WAREHOUSE: the task would be serverless (state the choice explicitly)")
    when = match.group("when")
    if not when or not re.search(r"system\$stream_has_data\s*\(", when, re.I):
        problems.append("project rule: a task must be guarded by WHEN SYSTEM$STREAM_HAS_DATA('<stream>')")
    if when:
        problems += check_expression(when, "task WHEN condition")
    body = match.group("body")
    body_check = check_statement(body)
    problems += [f"task body: {p}" for p in body_check.problems]
    return problems


# (kind, pattern over the normalised statement, extra check)
_GRAMMAR: list[tuple[str, re.Pattern[str], GrammarCheck]] = [
    (kind, re.compile(pattern, re.I | re.S), check)
    for kind, pattern, check in [
        ("create role",
         rf"create\s+(?:or\s+replace\s+)?role\s+(?:if\s+not\s+exists\s+)?{_ID}{_COMMENT}",
         _not_replace_and_if_not_exists),
        ("grant role", rf"grant\s+role\s+{_ID}\s+to\s+(?:role|user)\s+{_ID}", lambda m: []),
        ("grant on all/future",
         rf"(?:grant\s+{_PRIVS}\s+on\s+(?:future|all)\s+(?:tables|views|schemas|dynamic\s+tables|"
         rf"materialized\s+views)\s+in\s+(?:schema|database)\s+{_QID}\s+to\s+role\s+{_ID}"
         rf"(?:\s+with\s+grant\s+option)?)",
         lambda m: []),
        ("grant on object",
         rf"grant\s+{_PRIVS}\s+on\s+(?:table|view|schema|database|warehouse|dynamic\s+table|"
         rf"resource\s+monitor|integration)\s+{_QID}\s+to\s+role\s+{_ID}(?:\s+with\s+grant\s+option)?",
         lambda m: []),
        ("grant on policy",
         rf"grant\s+(?:apply|ownership)\s+on\s+(?:masking|row\s+access)\s+policy\s+{_QID}\s+to\s+role\s+{_ID}",
         lambda m: []),
        ("grant database role", rf"grant\s+database\s+role\s+{_QID}\s+to\s+role\s+{_ID}", lambda m: []),
        ("grant ownership",
         rf"grant\s+ownership\s+on\s+(?:table|view|schema|warehouse|dynamic\s+table)\s+{_QID}\s+to\s+role\s+{_ID}"
         rf"(?:\s+(?:copy|revoke)\s+current\s+grants)?",
         lambda m: []),
        ("alter warehouse set",
         rf"alter\s+warehouse\s+(?:if\s+exists\s+)?{_ID}\s+set\s+(?P<params>.*)",
         _warehouse),
        ("revoke on object",
         rf"revoke\s+{_PRIVS}\s+on\s+(?:table|view|schema|database|warehouse|dynamic\s+table)\s+{_QID}"
         rf"\s+from\s+role\s+{_ID}",
         lambda m: []),
        ("create warehouse",
         rf"create\s+(?:or\s+replace\s+)?warehouse\s+(?:if\s+not\s+exists\s+)?{_ID}(?:\s+with)?(?P<params>.*)",
         _warehouse),
        ("create resource monitor",
         rf"create\s+(?:or\s+replace\s+)?resource\s+monitor\s+(?:if\s+not\s+exists\s+)?{_ID}\s+with\s+"
         rf"(?P<params>.*?)\s*(?:\btriggers\s+(?P<triggers>.*))?",
         _resource_monitor),
        ("alter resource monitor",
         rf"alter\s+resource\s+monitor\s+(?:if\s+exists\s+)?{_ID}\s+set\s+(?P<params>.*?)\s*"
         rf"(?:\btriggers\s+(?P<triggers>.*))?",
         _resource_monitor),
        ("alter warehouse set resource monitor",
         rf"alter\s+(?:warehouse|account)\s+(?:if\s+exists\s+)?(?:{_ID}\s+)?set\s+resource_monitor\s*=\s*{_ID}",
         lambda m: []),
        ("create masking policy",
         rf"create\s+(?:or\s+replace\s+)?masking\s+policy\s+(?:if\s+not\s+exists\s+)?{_QID}\s+as\s*"
         rf"\((?P<args>[^)]*(?:\([^)]*\)[^)]*)*)\)\s+returns\s+(?P<rtype>{_TYPE})\s*->\s*(?P<body>.+?)"
         rf"{_COMMENT}(?:\s+exempt_other_policies\s*=\s*(?:true|false))?",
         _masking_policy),
        ("alter masking policy set body",
         rf"alter\s+masking\s+policy\s+(?:if\s+exists\s+)?{_QID}\s+set\s+body\s*->\s*(?P<body>.+)",
         _policy_body),
        ("set masking policy",
         rf"alter\s+(?:table|view)\s+(?:if\s+exists\s+)?{_QID}\s+modify\s+column\s+{_ID}\s+set\s+masking\s+"
         rf"policy\s+{_QID}(?:\s+using\s*\(\s*{_ID}(?:\s*,\s*{_ID})*\s*\))?(?:\s+force)?",
         lambda m: []),
        ("create row access policy",
         rf"create\s+(?:or\s+replace\s+)?row\s+access\s+policy\s+(?:if\s+not\s+exists\s+)?{_QID}\s+as\s*"
         rf"\((?P<args>[^)]*(?:\([^)]*\)[^)]*)*)\)\s+returns\s+boolean\s*->\s*(?P<body>.+?){_COMMENT}",
         _row_access_policy),
        ("alter row access policy set body",
         rf"alter\s+row\s+access\s+policy\s+(?:if\s+exists\s+)?{_QID}\s+set\s+body\s*->\s*(?P<body>.+)",
         _policy_body),
        ("add row access policy",
         rf"alter\s+(?:table|view)\s+(?:if\s+exists\s+)?{_QID}\s+add\s+row\s+access\s+policy\s+{_QID}\s+on\s*"
         rf"\(\s*{_ID}(?:\s*,\s*{_ID})*\s*\)",
         lambda m: []),
        ("drop row access policy",
         rf"alter\s+(?:table|view)\s+(?:if\s+exists\s+)?{_QID}\s+drop\s+(?:all\s+row\s+access\s+policies|"
         rf"row\s+access\s+policy\s+{_QID})",
         lambda m: []),
        ("create stream",
         rf"create\s+(?:or\s+replace\s+)?stream\s+(?:if\s+not\s+exists\s+)?{_QID}\s+on\s+(?:table|view|"
         rf"dynamic\s+table)\s+{_QID}(?:\s+append_only\s*=\s*(?:true|false))?"
         rf"(?:\s+show_initial_rows\s*=\s*(?:true|false))?{_COMMENT}",
         _not_replace_and_if_not_exists),
        ("create task",
         rf"create\s+(?:or\s+replace\s+)?task\s+(?:if\s+not\s+exists\s+)?{_QID}(?P<params>(?:\s+(?!when\b|as\b)"
         rf"(?:\w+\s*=\s*(?:{_STR}|[^\s]+)|after\s+{_QID}(?:\s*,\s*{_QID})*))*)"
         rf"(?:\s+when\s+(?P<when>.+?))?\s+as\s+(?P<body>.+)",
         _task),
        ("drop dynamic table", rf"drop\s+dynamic\s+table\s+(?:if\s+exists\s+)?{_QID}", lambda m: []),
        ("alter dynamic table",
         rf"alter\s+dynamic\s+table\s+(?:if\s+exists\s+)?{_QID}\s+(?:rename\s+to\s+{_QID}|swap\s+with\s+{_QID}"
         rf"|refresh|suspend|resume|set\s+target_lag\s*=\s*(?:{_STR}|downstream)|set\s+warehouse\s*=\s*{_ID})",
         lambda m: []),
        ("alter task", rf"alter\s+task\s+(?:if\s+exists\s+)?{_QID}\s+(?:resume|suspend)", lambda m: []),
        ("alter session unset", r"alter\s+session\s+unset\s+\w+", lambda m: []),
        ("show parameters",
         rf"show\s+parameters\s+like\s+{_STR}\s+in\s+(?:session|account|user|warehouse\s+{_ID})",
         lambda m: []),
        ("show grants",
         rf"show\s+grants\s+(?:on\s+(?:table|view|schema|database|dynamic\s+table\s+)?\s*{_QID}|"
         rf"to\s+role\s+{_ID}|of\s+role\s+{_ID})",
         lambda m: []),
        ("show user functions", rf"show\s+user\s+functions\s+in\s+(?:schema\s+)?{_QID}", lambda m: []),
    ]
]

# Statements sqlglot parses as a tree but does not check deeply: their grammar check runs as well.
_ALWAYS_GRAMMAR = ("create warehouse", "create task")


def _grammar(text: str) -> tuple[str, list[str]] | None:
    for kind, pattern, check in _GRAMMAR:
        if match := pattern.fullmatch(text):
            return kind, check(match)
    return None


def check_statement(statement: str) -> StatementCheck:
    """Check one Snowflake statement (see the module docstring)."""
    text = _normalise(statement)
    grammar = _grammar(text)
    if grammar and grammar[0] in _ALWAYS_GRAMMAR:
        return StatementCheck(statement, f"grammar:{grammar[0]}", tuple(grammar[1]))
    try:
        with _sqlglot_warnings() as warnings:
            trees = sqlglot.parse(statement, read="snowflake", error_level=ErrorLevel.RAISE)
    except SqlglotError as err:
        if grammar:
            return StatementCheck(statement, f"grammar:{grammar[0]}", tuple(grammar[1]))
        return StatementCheck(statement, "parsed", (f"does not parse: {str(err).splitlines()[0]}",))
    trees = [t for t in trees if t is not None]
    opaque = bool(warnings.messages) or any(isinstance(n, exp.Command) for t in trees for n in t.walk())
    if opaque:
        if grammar:
            return StatementCheck(statement, f"grammar:{grammar[0]}", tuple(grammar[1]))
        return StatementCheck(
            statement, "opaque",
            (f"sqlglot keeps it as an opaque Command and no grammar check knows it: {text[:100]}",),
        )
    problems: list[str] = []
    for tree in trees:
        problems += _structured_problems(tree, strip_comments(statement))
    return StatementCheck(statement, "parsed", tuple(problems))


def check_sql(sql: str) -> list[StatementCheck]:
    """Check every statement of ``sql``; an empty list when it holds none."""
    return [check_statement(statement) for statement in split(sql)]
