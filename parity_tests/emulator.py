"""fakesnow's Snowflake server on localhost: the "connection" of the offline Snowflake checks.

``python -m parity_tests.emulator serve --port P --db-path DIR [--landing FILE]`` runs fakesnow's
HTTP server (the real Snowflake connector and dbt-snowflake talk to it with ``protocol: http``).
Databases are DuckDB files in ``DIR`` (``DIR/LOGISTICS.db``), so once the server has stopped the
emulated build can be read back with plain DuckDB. ``--landing`` copies the landing tables of a
DuckDB file (as the generator writes them) into the emulated database before the server starts,
with Snowflake's upper-case identifiers, as Fivetran lands them.

:class:`Emulator` starts that server in a subprocess on a free port and always stops it;
:func:`run_dbt` runs dbt against it under a timeout (the Snowflake connector retries a failing
server for many minutes otherwise).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DATABASE = "LOGISTICS"
TARGET = "snowflake_emulated"
# The profile target lives in profiles/profiles.yml; a copy is written next to a temporary project
# when that file does not have it (see emulated_profiles_dir).
PROFILE_BLOCK = """\
    # Offline Snowflake: fakesnow's server on localhost (parity_tests/emulator.py starts it).
    # dbt-snowflake runs unchanged against it; macros/fakesnow/emulator_bridges.sql is active only here.
    snowflake_emulated:
      type: snowflake
      account: fakesnow
      user: fake
      password: snow
      host: localhost
      port: "{{ env_var('FAKESNOW_PORT', '8765') | int }}"
      protocol: http
      database: LOGISTICS
      schema: MAIN
      warehouse: EMULATED_WH
      role: TRANSFORMER
      threads: 1
      connect_retries: 0
      connect_timeout: 10
      retry_on_database_errors: false
      retry_all: false
      client_session_keep_alive: false
      query_tag: logistics_emulated
"""


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
        log = (self.log_path or self.db_path / "fakesnow.log").open("wb")
        self._proc = subprocess.Popen(args, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise EmulatorError(
                    f"fakesnow server exited with code {self._proc.returncode}; see {log.name}"
                )
            if _port_open(self.port):
                return
            time.sleep(0.1)
        self.stop()
        raise EmulatorError(f"fakesnow server did not listen on port {self.port} in {self.start_timeout_s}s")

    def stop(self) -> None:
        """Stop the server (SIGINT, then SIGKILL after 20 s); its DuckDB files are then readable."""
        if self._proc is None or self._proc.poll() is not None:
            return
        self._proc.send_signal(signal.SIGINT)
        try:
            self._proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait(timeout=10)


def run_dbt(
    args: Sequence[str],
    *,
    env: dict[str, str],
    timeout_s: float,
    cwd: Path = REPO_ROOT,
) -> subprocess.CompletedProcess[str]:
    """Run ``dbt ARGS`` in a subprocess under a hard timeout; raise EmulatorError on timeout."""
    dbt = Path(sys.executable).with_name("dbt")
    full_env = {**os.environ, **env}
    try:
        return subprocess.run(
            [str(dbt), *args], cwd=cwd, env=full_env, timeout=timeout_s, capture_output=True, text=True,
        )
    except subprocess.TimeoutExpired as err:
        tail = (err.stdout or b"")[-3000:] if isinstance(err.stdout, bytes) else (err.stdout or "")[-3000:]
        raise EmulatorError(f"dbt {' '.join(args)} timed out after {timeout_s:.0f}s\n{tail}") from err


# --------------------------------------------------------------------------- the server process


def _load_landing(fs: object, landing: Path) -> list[str]:
    """Copy every landing table of the DuckDB file ``landing`` into the emulated LOGISTICS database."""
    import duckdb

    from generator.schema import DEFAULT_SCHEMAS, TABLES

    duck: duckdb.DuckDBPyConnection = fs.duck_conn  # type: ignore[attr-defined]
    loaded = []
    duck.execute(f"attach '{landing}' as landing_source (read_only)")
    try:
        for table in TABLES:
            schema = DEFAULT_SCHEMAS[table.connector]
            # fakesnow creates the database (a DuckDB file in db_path) and schema on connect.
            fs.connect(DATABASE, schema.upper())  # type: ignore[attr-defined]
            present = [
                row[0]
                for row in duck.execute(
                    "select column_name from information_schema.columns "
                    "where table_catalog = 'landing_source' and table_schema = ? and table_name = ? "
                    "order by ordinal_position",
                    [schema, table.name],
                ).fetchall()
            ]
            columns = ", ".join(f'{c} as "{c.upper()}"' for c in present) or "*"
            duck.execute(
                f"create or replace table {DATABASE}.{schema.upper()}.{table.name.upper()} as "
                f"select {columns} from landing_source.{schema}.{table.name}"
            )
            loaded.append(f"{schema}.{table.name}")
    finally:
        duck.execute("detach landing_source")
    return loaded


def serve(port: int, db_path: Path, landing: Path | None) -> int:
    """Run fakesnow's server in this process until SIGINT/SIGTERM; checkpoint the files on exit."""
    import uvicorn

    import fakesnow.server
    from fakesnow.instance import FakeSnow

    db_path.mkdir(parents=True, exist_ok=True)
    fs = FakeSnow(db_path=db_path)
    fakesnow.server.shared_fs = fs  # every session shares this instance (and its files)
    if landing is not None:
        print(f"loaded {len(_load_landing(fs, landing))} landing tables from {landing}", flush=True)
    server = uvicorn.Server(uvicorn.Config(fakesnow.server.app, host="127.0.0.1", port=port, log_level="warning"))
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


@contextlib.contextmanager
def emulated(db_path: Path, landing: Path | None = None) -> Iterator[Emulator]:
    """Start an :class:`Emulator` for the duration of a ``with`` block."""
    with Emulator(db_path=db_path, landing=landing) as emulator:
        yield emulator


if __name__ == "__main__":
    raise SystemExit(main())
