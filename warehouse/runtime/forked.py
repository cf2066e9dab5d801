"""dbt in a process forked from a warm one: what ``dbt ARGS`` in a new process does, without paying
for Python to import dbt again.

Every dbt invocation starts by importing dbt and its adapter, and generates the (de)serialisers of
dbt's dataclasses the first time it uses each (mashumaro compiles them lazily, per process). A fork
server (:func:`serve`, a process with one thread) imports dbt once, and before its second request
builds a tiny project (:mod:`~warehouse.runtime.warm_up`) so the serialisers exist too; each
invocation is a child it forks, which sets its working directory and environment, sends its output
to a file and runs dbt's console entry point, exiting as the ``dbt`` script would. A ``dbt run`` of
one model at CI scale costs ≈ 4.0 CPU-seconds forked instead of ≈ 5.5 as a new process, ≈ 1.6 less
again once the server has warmed up (docs/scale.md, "dbt's fixed cost"); the test suite and the
reliability drill run dozens. It is still a process of its own — its own exit code, a hard timeout
(killed), several at once (one server per concurrent caller: the parity builds both engines in
parallel), the DuckDB file closed when it ends — so callers see what a new ``dbt`` process gives.
Not ``multiprocessing``'s forkserver: that re-imports the caller's main script in every child, and
runs a pickled function rather than a program.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from warehouse.runtime.warm_up import warm_up

# Imported by the server before it forks anything; a module this environment lacks is skipped. Not
# dbt-snowflake: its connector imports pyarrow and numpy, which start threads (jemalloc's, OpenBLAS's),
# and a process with threads is not safe to fork; a Snowflake invocation imports it in its child.
PRELOAD = ("dbt.cli.main", "dbt.adapters.duckdb")
_SERVER_MAIN = "import sys; from warehouse.runtime.forked import serve; sys.exit(serve())"
# The server warms dbt up (:mod:`~warehouse.runtime.warm_up`, ≈ 5 CPU-seconds once, ≈ 1 less in each
# later child) before it forks its second request: a caller that runs dbt once pays nothing for it.
WARM_UP_BEFORE_REQUEST = 1
OPT_OUT_VARIABLE = "LOGISTICS_DBT_FORKSERVER"
"""``0``: run every dbt invocation as a new process; ``1``: fork them on any system."""


class TimedOut(Exception):
    """dbt ran past its timeout and was killed; ``output`` holds what it printed."""

    def __init__(self, output: str) -> None:
        super().__init__("timed out")
        self.output = output


def enabled() -> bool:
    """Whether captured dbt invocations are forked: by default on Linux only (Windows has no fork,
    and on macOS the system frameworks dbt's HTTP stack loads are not safe to use in a forked
    child); ``$LOGISTICS_DBT_FORKSERVER`` decides when set."""
    setting = os.environ.get(OPT_OUT_VARIABLE)
    if setting is not None:
        return setting != "0"
    return sys.platform.startswith("linux")


class _Server:
    """One fork server process and its pipes (one request at a time). The reply pipe is read
    unbuffered, a line at a time, so that waiting on it with a timeout sees every reply."""

    def __init__(self) -> None:
        root = str(Path(__file__).resolve().parents[2])  # this code, whatever the caller's sys.path
        path = os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-c", _SERVER_MAIN],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env={**os.environ, "PYTHONPATH": path},
        )

    def _reply(self) -> dict:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the dbt fork server exited (code {self.process.poll()})")
        return json.loads(line)

    def run(self, argv: Sequence[str], cwd: Path, env: Mapping[str, str], output: str,
            timeout_s: float | None) -> tuple[int, bool]:
        """Fork ``dbt ARGV``; its exit code, and whether it was killed at ``timeout_s``."""
        assert self.process.stdin is not None and self.process.stdout is not None
        request = {"argv": list(argv), "cwd": str(cwd), "env": dict(env), "output": output}
        self.process.stdin.write((json.dumps(request) + "\n").encode())
        pid = self._reply()["pid"]
        finished, _, _ = select.select([self.process.stdout], [], [], timeout_s)
        if not finished:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # it ended as the timeout fell
                pass
        return self._reply()["returncode"], not finished

    def close(self) -> None:
        """End the server (it exits when its request pipe closes)."""
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait()


_idle: list[_Server] = []
_lock = threading.Lock()


@atexit.register
def _close_idle_servers() -> None:
    """At exit: end the idle servers and reap them (their children's CPU time is then counted)."""
    with _lock:
        while _idle:
            _idle.pop().close()


def run_forked(
    argv: Sequence[str], cwd: Path, env: Mapping[str, str], timeout_s: float | None
) -> tuple[int, str]:
    """Run ``dbt ARGV`` in a child of a fork server; return its exit code (negative: killed by that
    signal, as :mod:`subprocess` reports it) and its output (stdout and stderr interleaved).
    Raises :class:`TimedOut` after ``timeout_s`` (the child is killed)."""
    with _lock:
        server = _idle.pop() if _idle else None
    if server is None:
        server = _Server()
    try:
        with tempfile.TemporaryDirectory(prefix="dbt-forked-") as folder:
            output = os.path.join(folder, "output")
            code, timed_out = server.run(argv, cwd, env, output, timeout_s)
            printed = Path(output).read_text(errors="replace") if os.path.exists(output) else ""
    except BaseException:
        server.close()
        raise
    with _lock:
        _idle.append(server)
    if timed_out:
        raise TimedOut(printed)
    return code, printed


def _child(request: dict) -> int:
    """In the forked child: become ``dbt ARGV`` in the request's folder and environment; its exit code."""
    fd = os.open(request["output"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.close(fd)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    time.tzset()
    sys.argv = ["dbt", *request["argv"]]
    from dbt.cli.main import cli

    try:
        cli()  # click's standalone mode ends in SystemExit(dbt's exit code), as the console script
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def serve() -> int:
    """The server: preload dbt, then fork one child per request line on stdin and report its pid
    and exit code on stdout (warming dbt up before the second). Returns in the child (its exit code)
    or when stdin closes (0)."""
    for module in PRELOAD:
        try:
            __import__(module)
        except ImportError:
            pass
    replies = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # nothing but replies may reach the caller's pipe
    for served, line in enumerate(sys.stdin):
        request = json.loads(line)
        if served == WARM_UP_BEFORE_REQUEST:
            with contextlib.suppress(Exception):  # only a saving: every child runs the whole of dbt anyway
                warm_up()
        pid = os.fork()
        if pid == 0:
            replies.close()
            return _child(request)
        replies.write(json.dumps({"pid": pid}) + "\n")
        _, status = os.waitpid(pid, 0)
        replies.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}) + "\n")
    return 0

