"""Who sees what on Snowflake, proved offline from the generated governance SQL.

Snowflake is unreachable here, so the policies' behaviour is evaluated on DuckDB: each masking and
row access policy body that ``dbt run-operation dry_run_operations`` generates is parsed with sqlglot
(Snowflake dialect), its context functions are replaced by what they return for one session
(``CURRENT_ROLE()`` -> the primary role; ``IS_ROLE_IN_SESSION(r)`` -> ``r`` in the roles the primary
and secondary roles inherit, following the generated ``GRANT ROLE`` statements), the tables it reads
are replaced by DuckDB tables holding the same rows, and the body is run over real data. The policy's
arguments are bound as columns of an outer query, so an unqualified name in a subquery resolves the
way SQL scoping resolves it (to the subquery's own table first).

Also here: the role graph of the generated SQL (:class:`warehouse.governance.RoleGraph`), the lint
that a policy argument never shares a name with a column of a table its body reads, and the order
of grants and policy attachments per relation in the statements a build sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import duckdb
import sqlglot
from sqlglot import exp

from warehouse.governance import RoleGraph

_POLICY = re.compile(
    r"^\s*create\s+(masking|row\s+access)\s+policy\s+if\s+not\s+exists\s+(\S+)\s+as\s*\((.*?)\)\s*"
    r"returns\s+\w+\s*->\s*(.*?)\s+comment\s*=\s*'[^']*'\s*$",
    re.I | re.S,
)
_USE_ROLE = re.compile(r"^\s*use\s+role\s+(\w+)\s*$", re.I)
_ATTACH = re.compile(
    r"^\s*alter\s+(?:table|view|dynamic\s+table)\s+(\S+)\s+(?:modify\s+column\s+\S+\s+set\s+masking\s+policy|add\s+row\s+access\s+policy)",
    re.I,
)
_GRANT_SELECT = re.compile(
    r"^\s*grant\s+select\s+on\s+(?:(?:table|view|dynamic\s+table)\s+)?(\S+)\s+to\s+(?:role\s+)?(\w+)", re.I
)


@dataclass(frozen=True)
class Policy:
    """One generated policy: kind ('masking' or 'row access'), name, arguments, body, creating role."""

    kind: str
    name: str
    arguments: tuple[str, ...]
    body: str
    owner: str | None


def split_statements(text: str) -> list[str]:
    """The statements of dry-run output (``-- operation:`` headers and dbt log lines dropped)."""
    kept = [line for line in text.splitlines() if not line.startswith("-- ") and not _is_log_line(line)]
    return [s.strip() for s in re.split(r";\s*$", "\n".join(kept), flags=re.M) if s.strip()]


def _is_log_line(line: str) -> bool:
    return len(line) > 9 and line[2] == ":" and line[5] == ":" and line[:2].isdigit()


def policies(statements: Sequence[str], session_role: str | None = None) -> dict[str, Policy]:
    """Every created policy by its last name part (upper-case), with the role active when created."""
    found: dict[str, Policy] = {}
    role = session_role
    for statement in statements:
        if match := _USE_ROLE.match(statement):
            role = match.group(1).upper()
        elif match := _POLICY.match(statement):
            kind, name, arguments, body = match.groups()
            names = tuple(part.split()[0].lower() for part in arguments.split(",") if part.strip())
            short = name.split(".")[-1].upper()
            found[short] = Policy(" ".join(kind.lower().split()), name, names, body.strip(), role)
    return found


def insert_values(statements: Sequence[str], table: str) -> list[tuple[str, ...]]:
    """The rows the statements insert into ``table`` (matched on the last name part)."""
    rows: list[tuple[str, ...]] = []
    for statement in statements:
        if not re.match(r"^\s*insert\s+", statement, re.I):
            continue
        tree = sqlglot.parse_one(statement, read="snowflake")
        target = tree.find(exp.Table)
        if target is None or target.name.lower() != table.lower():
            continue
        for row in tree.find_all(exp.Tuple):
            rows.append(tuple(value.name for value in row.expressions))
    return rows


@dataclass(frozen=True)
class Session:
    """A session's roles: the primary role and the secondary roles (empty for none)."""

    primary: str
    secondary: frozenset[str] = frozenset()

    def active(self, graph: RoleGraph) -> set[str]:
        """Every role IS_ROLE_IN_SESSION finds: those the primary and secondary roles inherit."""
        roles: set[str] = set()
        for role in {self.primary, *self.secondary}:
            roles |= graph.inherited(role)
        return roles


def substitute_context(body: str, session: Session, graph: RoleGraph, tables: Mapping[str, str]) -> str:
    """The body as DuckDB SQL for ``session``: context functions replaced, tables renamed."""
    tree = sqlglot.parse_one(body, read="snowflake")
    active = sorted(session.active(graph))

    def rewrite(node: exp.Expression) -> exp.Expression:
        name = _function_name(node)
        if name == "current_role":
            return exp.Literal.string(session.primary)
        if name == "is_role_in_session":
            argument = node.expressions[0] if isinstance(node, exp.Anonymous) else node.this
            return exp.In(this=argument.copy(), expressions=[exp.Literal.string(r) for r in active])
        if isinstance(node, exp.Table) and node.name.lower() in tables:
            return exp.Table(this=exp.to_identifier(tables[node.name.lower()]), alias=node.args.get("alias"))
        return node

    return tree.transform(rewrite).sql(dialect="duckdb")


def as_duckdb(sql: str, tables: Mapping[str, str]) -> str:
    """Snowflake SQL as DuckDB SQL, tables renamed by their lower-case last name part.

    ``variant:key::varchar`` is Snowflake's unquoted string; sqlglot writes ``CAST(json -> '$.key' AS
    TEXT)``, which keeps DuckDB's JSON quotes, so JSON paths are read with ``->>`` (text) instead.
    """

    def rename(node: exp.Expression) -> exp.Expression:
        if isinstance(node, exp.Table) and node.name.lower() in tables:
            return exp.Table(this=exp.to_identifier(tables[node.name.lower()]), alias=node.args.get("alias"))
        return node

    duck = sqlglot.parse_one(sql, read="snowflake").transform(rename).sql(dialect="duckdb")
    return duck.replace(" -> '$.", " ->> '$.")


def _function_name(node: exp.Expression) -> str | None:
    if isinstance(node, exp.Anonymous):
        return str(node.this).lower()
    if isinstance(node, exp.Func) and not isinstance(node, exp.Anonymous):
        return node.sql_name().lower() if node.sql_name() else None
    return None


def evaluate_masking(
    con: duckdb.DuckDBPyConnection,
    policy: Policy,
    values: Sequence[str | None],
    session: Session,
    graph: RoleGraph,
    tables: Mapping[str, str],
) -> list[str | None]:
    """What ``session`` reads through the masking policy for each of ``values``."""
    body = substitute_context(policy.body, session, graph, tables)
    con.execute("create or replace temp table masking_input (position integer, value varchar)")
    con.executemany("insert into masking_input values (?, ?)", list(enumerate(values)))
    argument = policy.arguments[0]
    sql = (
        f"select {body} from (select position, value as {argument} from masking_input) as policy_args "
        "order by position"
    )
    return [row[0] for row in con.execute(sql).fetchall()]


def evaluate_row_access(
    con: duckdb.DuckDBPyConnection,
    policy: Policy,
    relation: str,
    key: str,
    columns: Sequence[str],
    session: Session,
    graph: RoleGraph,
    tables: Mapping[str, str],
) -> set[object]:
    """The ``key`` values of the ``relation`` rows the policy lets ``session`` see.

    ``columns`` are the relation's columns bound to the policy's arguments, in order.
    """
    body = substitute_context(policy.body, session, graph, tables)
    bound = ", ".join(
        f"{column} as {argument}" for column, argument in zip(columns, policy.arguments, strict=True)
    )
    sql = (
        f"select policy_args.row_key from (select {key} as row_key, {bound} from {relation}) as policy_args "
        f"where {body}"
    )
    return {row[0] for row in con.execute(sql).fetchall()}


def argument_collisions(policy: Policy, table_columns: Mapping[str, Sequence[str]]) -> list[str]:
    """Policy arguments named like a column of a table the body reads (they would bind to the column)."""
    tree = sqlglot.parse_one(policy.body, read="snowflake")
    problems = []
    for table in tree.find_all(exp.Table):
        columns = {c.lower() for c in table_columns.get(table.name.lower(), ())}
        for argument in policy.arguments:
            if argument.lower() in columns:
                problems.append(f"{policy.name}: argument {argument} is also a column of {table.name}")
    return problems


def created_table_columns(statements: Iterable[str]) -> dict[str, list[str]]:
    """Columns (in order) of the tables the statements create, by lower-case table name."""
    found: dict[str, list[str]] = {}
    for statement in statements:
        if re.match(r"^\s*create\s+(?:or\s+replace\s+)?(?:transient\s+)?table\b", statement, re.I):
            tree = sqlglot.parse_one(statement, read="snowflake")
            schema = tree.this
            if isinstance(schema, exp.Schema):
                found[schema.this.name.lower()] = [
                    c.name.lower() for c in schema.expressions if isinstance(c, exp.ColumnDef)
                ]
    return found


def grant_before_protection(statements_by_relation: Mapping[str, Sequence[str]]) -> list[str]:
    """Relations whose SELECT was granted before a policy was attached, in the order statements ran."""
    problems = []
    for relation, statements in statements_by_relation.items():
        granted_at = [i for i, s in enumerate(statements) if _GRANT_SELECT.match(s)]
        attached_at = [i for i, s in enumerate(statements) if _ATTACH.match(s)]
        if granted_at and attached_at and min(granted_at) < max(attached_at):
            problems.append(
                f"{relation}: SELECT granted (statement {min(granted_at)}) before its policies "
                f"were attached (statement {max(attached_at)})"
            )
    return problems


def relation_statements(statements: Iterable[str]) -> dict[str, list[str]]:
    """The grant and attachment statements of each relation (lower-case, unquoted name), in order."""
    found: dict[str, list[str]] = {}
    for statement in statements:
        match = _ATTACH.match(statement) or _GRANT_SELECT.match(statement)
        if match:
            found.setdefault(match.group(1).replace('"', "").lower(), []).append(statement)
    return found


def select_grants(statements: Iterable[str]) -> dict[str, set[str]]:
    """Relation (lower-case) -> roles granted SELECT on it."""
    found: dict[str, set[str]] = {}
    for statement in statements:
        if match := _GRANT_SELECT.match(statement):
            found.setdefault(match.group(1).replace('"', "").lower(), set()).add(match.group(2).upper())
    return found


def row_access_protected(statements: Iterable[str]) -> set[str]:
    """Relations (lower-case) a row access policy is added to."""
    pattern = re.compile(r"^\s*alter\s+(?:table|view)\s+(\S+)\s+add\s+row\s+access\s+policy", re.I)
    return {m.group(1).replace('"', "").lower() for s in statements if (m := pattern.match(s))}
