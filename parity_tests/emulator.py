"""fakesnow's Snowflake server on localhost: the "connection" of the offline Snowflake checks.

``python -m parity_tests.emulator serve --port P --db-path DIR [--landing FILE]`` runs fakesnow's
HTTP server (the real Snowflake connector and dbt-snowflake talk to it with ``protocol: http``).
Databases are DuckDB files in ``DIR`` (``DIR/LOGISTICS.db``), so once the server has stopped the
emulated build can be read back with plain DuckDB. ``--landing`` copies the landing tables of a
DuckDB file (as the generator writes them) into the emulated database before the server starts,
with Snowflake's upper-case identifiers, as Fivetran lands them.

:class:`Emulator` starts that server in a subprocess on a free port and always stops it; dbt runs
against it only under a timeout (:mod:`parity_tests.builds`): the Snowflake connector retries a
failing server for many minutes otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from warehouse.runtime import REPO_ROOT

DATABASE = "LOGISTICS"
TARGET = "snowflake_emulated"
STATEMENT_LOG = "statements.jsonl"

# Statements fakesnow cannot parse or execute: governance DDL, clustering keys and session tags.
# The emulator answers them itself with success and runs nothing; they are logged like every other
# statement, so the checks validate them (parity_tests/snowflake_sql.py) and the hooks that send them
# run end to end. Accepted is not enforced: no role, grant, policy or clustering key takes effect on
# the emulator.
_LEAD = r"\s*(?:/\*[\s\S]*?\*/\s*)*"
ACCEPTED_WITHOUT_EFFECT: tuple[re.Pattern[str], ...] = tuple(
    re.compile(_LEAD + pattern, re.I)
    for pattern in (
        r"alter\s+session\s+(?:set|unset)\s+query_tag\b",
        r"create\s+(?:or\s+replace\s+)?role\b",
        r"grant\b",
        r"revoke\b",
        r"create\s+(?:or\s+replace\s+)?(?:masking|row\s+access)\s+policy\b",
        r"alter\s+(?:masking|row\s+access)\s+policy\b",
        r"alter\s+(?:table|view)\s+\S+\s+modify\s+column\s+\S+\s+(?:set|unset)\s+masking\b",
        r"alter\s+(?:table|view)\s+\S+\s+(?:add|drop)\s+(?:all\s+)?row\s+access\s+polic",
        r"create\s+(?:or\s+replace\s+)?(?:warehouse|resource\s+monitor|stream|task)\b",
        r"alter\s+(?:warehouse|resource\s+monitor|task|account)\b",
        r"alter\s+table\s+\S+\s+(?:cluster\s+by|drop\s+clustering\s+key)\b",
        r"use\s+(?:role|warehouse)\b",
    )
)
# Statements fakesnow lacks a feature for, rewritten (pattern -> replacement, re.sub on the text):
# CURRENT_WAREHOUSE() (dbt-snowflake reads it around dynamic tables), and DROP/ALTER DYNAMIC TABLE
# (fakesnow creates a dynamic table as a plain table, so those become DROP/ALTER TABLE).
REWRITTEN: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(\s*(?:/\*[\s\S]*?\*/\s*)*)select\s+current_warehouse\(\)", re.I),
     r"\1select 'EMULATED_WH'"),
    (re.compile(r"^((?:\s|--[^\n]*\n|/\*[\s\S]*?\*/)*(?:drop|alter)\s+)dynamic\s+table\b", re.I), r"\1table"),
)
_ACCEPTED_SQL = "select 'Statement executed successfully.' as \"status\""


def _exact_numeric_aggregates() -> None:
    """Stop fakesnow 0.12.1 from summing every SUM/AVG/... argument as a DOUBLE.

    fakesnow wraps their argument in TRY_CAST(... AS DOUBLE) to mimic Snowflake's implicit
    VARCHAR-to-number cast. That turns exact NUMBER sums into floating-point ones whose last digits
    depend on row order (a revenue total differs from the same total summed elsewhere), which
    Snowflake never does. Our SQL never aggregates text, so the emulator keeps the argument as it is
    and only keeps fakesnow's Snowflake-style name for an unaliased aggregate column.
    """
    import fakesnow.transforms
    import fakesnow.transforms.transforms as impl
    from sqlglot import exp

    def names_only(expression: exp.Expression) -> exp.Expression:
        if isinstance(expression, impl._NUMERIC_ONLY_AGGS) and not isinstance(expression.parent, exp.Alias):
            name = impl._numeric_agg_col_name(expression, expression.this)
            if name and isinstance(expression.parent, exp.Select):
                return exp.alias_(expression, name, quoted=True)
        return expression

    fakesnow.transforms.numeric_agg_implicit_cast = names_only


class EmulatorError(RuntimeError):
    """The emulated Snowflake could not be started, or a dbt run against it failed or timed out."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_open(port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Emulator:
    """fakesnow's server in a subprocess; use as a context manager (it is stopped on exit)."""

    db_path: Path
    landing: Path | None = None
    port: int = field(default_factory=free_port)
    start_timeout_s: float = 60.0
    log_path: Path | None = None
    _proc: subprocess.Popen[bytes] | None = None
    _log: Any = None

    def __enter__(self) -> Emulator:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point the ``snowflake_emulated`` profile target at this server."""
        return {"FAKESNOW_PORT": str(self.port), "DBT_TARGET": TARGET}

    def start(self) -> None:
        """Start the server and wait until it accepts connections (landing data loaded first)."""
        self.db_path.mkdir(parents=True, exist_ok=True)
        args = [sys.executable, "-m", "parity_tests.emulator", "serve", "--port", str(self.port),
                "--db-path", str(self.db_path)]
        if self.landing is not None:
            args += ["--landing", str(self.landing)]
        self._log = (self.log_path or self.db_path / "fakesnow.log").open("wb")
        # fakesnow makes its stage bucket with mkdtemp when imported: in the server's own folder, not
        # one more empty folder in the system's temp directory per server started
        self._proc = subprocess.Popen(args, cwd=REPO_ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                      env={**os.environ, "TMPDIR": str(self.db_path)})
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                self.stop()
                raise EmulatorError(
                    f"fakesnow server exited with code {self._proc.returncode}; see {self._log.name}"
                )
            if _port_open(self.port):
                time.sleep(0.2)  # a server that lost the port to another process exits: notice it
                if self._proc.poll() is None:
                    return
            time.sleep(0.1)
        self.stop()
        raise EmulatorError(f"fakesnow server did not listen on port {self.port} in {self.start_timeout_s}s")

    def stop(self) -> None:
        """Stop the server (SIGINT, then SIGKILL after 20 s); its DuckDB files are then readable."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGINT)
            try:
                self._proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None


# --------------------------------------------------------------------------- the server process


def _load_landing(fs: object, landing: Path) -> list[str]:
    """Copy every landing table of the DuckDB file ``landing`` into the emulated LOGISTICS database.

    The model registry's records (schema ``ml_registry``) come too when the file holds them: Python
    writes them (``modelops``: training runs and batch scores) as the generator writes landing data,
    so they reach the emulated build the same way; without them the build creates the tables empty.
    """
    import duckdb

    from generator.schema import DEFAULT_SCHEMAS, TABLES
    from modelops.store import REGISTRY_SCHEMA

    duck: duckdb.DuckDBPyConnection = fs.duck_conn  # type: ignore[attr-defined]
    duck.execute(f"attach '{landing}' as landing_source (read_only)")
    try:
        tables = [(DEFAULT_SCHEMAS[table.connector], table.name) for table in TABLES]
        tables += duck.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = 'landing_source' and table_schema = ? order by table_name",
            [REGISTRY_SCHEMA],
        ).fetchall()
        for schema, name in tables:
            # fakesnow creates the database (a DuckDB file in db_path) and schema on connect.
            fs.connect(DATABASE, schema.upper())  # type: ignore[attr-defined]
            present = [
                row[0]
                for row in duck.execute(
                    "select column_name from information_schema.columns "
                    "where table_catalog = 'landing_source' and table_schema = ? and table_name = ? "
                    "order by ordinal_position",
                    [schema, name],
                ).fetchall()
            ]
            columns = ", ".join(f'{c} as "{c.upper()}"' for c in present) or "*"
            target, rows = f"{DATABASE}.{schema.upper()}.{name.upper()}", f"landing_source.{schema}.{name}"
            if schema == REGISTRY_SCHEMA and _exists(duck, schema, name):
                # the build's pre-hook created it (create_ml_registry_landing): keep its column types,
                # as modelops inserts into it on a real account
                duck.execute(f"truncate {target}")
                duck.execute(f"insert into {target} by name select {columns} from {rows}")
            else:
                duck.execute(f"create or replace table {target} as select {columns} from {rows}")
    finally:
        duck.execute("detach landing_source")
    return [f"{schema}.{name}" for schema, name in tables]


def _exists(duck: Any, schema: str, name: str) -> bool:
    """True when the emulated LOGISTICS database already holds ``schema.name``."""
    return bool(duck.execute(
        "select count(*) from information_schema.tables where lower(table_catalog) = lower(?) "
        "and lower(table_schema) = lower(?) and lower(table_name) = lower(?)",
        [DATABASE, schema, name],
    ).fetchone()[0])


_QUERY_TAG = re.compile(r"^\s*alter\s+session\s+set\s+query_tag\s*=\s*'((?:[^']|'')*)'", re.I | re.S)
_UNSET_TAG = re.compile(r"^\s*alter\s+session\s+unset\s+query_tag\b", re.I)


def _replace_sql(request: Any, sql: str) -> None:
    """Make fakesnow's handler see ``sql`` instead of the statement the client sent."""
    body = json.loads(request._body if request.headers.get("Content-Encoding") != "gzip"
                      else gzip.decompress(request._body))
    body["sqlText"] = sql
    raw = json.dumps(body).encode()
    request._body = gzip.compress(raw) if request.headers.get("Content-Encoding") == "gzip" else raw


def _logging_app(log_path: Path) -> Any:
    """fakesnow's ASGI app with every received statement appended to ``log_path`` as JSON lines.

    Each line: ``{"session", "query_tag", "sql", "ok", "handled", "error"}``; ``handled`` is
    ``executed`` (by fakesnow), ``accepted`` (without effect) or ``rewritten`` (see above). The query
    tag is tracked per session from the ``alter session set/unset query_tag`` statements dbt-snowflake
    sends around each node, so every statement (hooks and materialisation DDL included) can be
    attributed to its node.
    """
    import fakesnow.server
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    tags: dict[str, str | None] = {}
    sink = log_path.open("a", encoding="utf-8")
    original = fakesnow.server.query_request

    async def logged_query(request: Request) -> Response:
        body = await request.body()  # cached by starlette: the original handler reads it again
        if request.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        sql = json.loads(body).get("sqlText", "")
        auth = request.headers.get("Authorization", "")
        session = hashlib.sha1(auth.encode()).hexdigest()[:8]
        if match := _QUERY_TAG.match(sql):
            tags[session] = match.group(1).replace("''", "'")
        elif _UNSET_TAG.match(sql):
            tags[session] = None
        handled = "executed"
        if any(p.match(sql) for p in ACCEPTED_WITHOUT_EFFECT):
            handled = "accepted"
            _replace_sql(request, _ACCEPTED_SQL)
        for pattern, replacement in REWRITTEN:
            if pattern.search(sql):
                handled = "rewritten"
                _replace_sql(request, pattern.sub(replacement, sql))
        response = await original(request)
        payload = json.loads(bytes(response.body))
        ok = bool(payload.get("success"))
        record = {"session": session, "query_tag": tags.get(session), "sql": sql, "ok": ok,
                  "handled": handled, "error": None if ok else payload.get("message")}
        sink.write(json.dumps(record) + "\n")
        sink.flush()
        return response

    query_path = "/queries/v1/query-request"
    routes = [
        Route(r.path, logged_query if r.path == query_path else r.endpoint, methods=r.methods)
        for r in fakesnow.server.routes
    ]
    return Starlette(routes=routes)


# Snowflake's own views that models/snowflake/ reads, with their documented columns. The emulator has
# no SNOWFLAKE database: empty stand-ins let those models build (and be checked) offline.
ACCOUNT_USAGE_STUBS: dict[str, str] = {
    "QUERY_ATTRIBUTION_HISTORY": """
        query_id varchar, parent_query_id varchar, root_query_id varchar, warehouse_id number,
        warehouse_name varchar, query_hash varchar, query_parameterized_hash varchar, query_tag varchar,
        user_name varchar, start_time timestamp_ltz, end_time timestamp_ltz,
        credits_attributed_compute number(38, 9), credits_used_query_acceleration number(38, 9)""",
    "WAREHOUSE_METERING_HISTORY": """
        start_time timestamp_ltz, end_time timestamp_ltz, warehouse_id number, warehouse_name varchar,
        credits_used number(38, 9), credits_used_compute number(38, 9),
        credits_used_cloud_services number(38, 9), credits_attributed_compute_queries number(38, 9)""",
    "RESOURCE_MONITORS": """
        name varchar, created timestamp_ltz, credit_quota variant, used_credits variant,
        remaining_credits float, owner varchar, warehouses varchar, notify number, suspend number,
        suspend_immediate number, level varchar""",
}


def _create_account_usage_stubs(fs: Any) -> None:
    """Create empty SNOWFLAKE.ACCOUNT_USAGE views' stand-ins through fakesnow (Snowflake DDL)."""
    cursor = fs.connect("SNOWFLAKE", "ACCOUNT_USAGE").cursor()
    for name, columns in ACCOUNT_USAGE_STUBS.items():
        cursor.execute(f"create table if not exists SNOWFLAKE.ACCOUNT_USAGE.{name} ({columns})")


def serve(port: int, db_path: Path, landing: Path | None) -> int:
    """Run fakesnow's server in this process until SIGINT/SIGTERM; checkpoint the files on exit."""
    import fakesnow.server
    import uvicorn
    from fakesnow.instance import FakeSnow

    db_path.mkdir(parents=True, exist_ok=True)
    _exact_numeric_aggregates()
    fs = FakeSnow(db_path=db_path)
    fakesnow.server.shared_fs = fs  # every session shares this instance (and its files)
    if landing is not None:
        print(f"loaded {len(_load_landing(fs, landing))} landing tables from {landing}", flush=True)
    _create_account_usage_stubs(fs)
    app = _logging_app(db_path / STATEMENT_LOG)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    stop = threading.Event()

    def handle(_signum: int, _frame: object) -> None:
        stop.set()
        server.should_exit = True

    thread = threading.Thread(target=server.run, name="fakesnow", daemon=True)
    thread.start()
    signal.signal(signal.SIGINT, handle)
    signal.signal(signal.SIGTERM, handle)
    while not stop.is_set() and thread.is_alive():
        stop.wait(0.2)
    server.should_exit = True
    thread.join(timeout=10)
    with contextlib.suppress(Exception):
        for (name,) in fs.duck_conn.execute(
            "select database_name from duckdb_databases() where not internal and path is not null"
        ).fetchall():
            fs.duck_conn.execute(f"checkpoint {name}")
    fs.duck_conn.close()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: ``serve`` runs the server (used by :class:`Emulator`)."""
    parser = argparse.ArgumentParser(prog="python -m parity_tests.emulator", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    srv = sub.add_parser("serve", help="run fakesnow's server until interrupted")
    srv.add_argument("--port", type=int, required=True)
    srv.add_argument("--db-path", type=Path, required=True)
    srv.add_argument("--landing", type=Path)
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args.port, args.db_path, args.landing)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
