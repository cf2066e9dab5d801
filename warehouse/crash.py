"""Kill a dbt or generator process with SIGKILL at an exact point, for the crash-safety checks.

``python -m warehouse.crash dbt NODE PATTERN -- DBT_ARGS`` runs dbt in this process with
``SQLConnectionManager.add_query`` wrapped: right after the first statement of node ``NODE`` (its
unique_id, which is the name of the connection dbt runs it on) whose SQL matches the regular
expression ``PATTERN`` has executed — before dbt commits or runs the node's next statement — the
process sends itself SIGKILL. ``python -m warehouse.crash generator MODULE:FUNCTION -- GENERATOR_ARGS``
runs the generator CLI and SIGKILLs it on entry to ``MODULE.FUNCTION`` (e.g.
``generator.run:_store_state``, called inside the sync's and the initial load's final transaction).

The kill point is a program point, not a timer: the same point is hit on every run. A process that
finishes without reaching it exits with ``NOT_REACHED`` (1 or the generator's code if it failed), so
the caller can tell a missed point from a kill.
"""

from __future__ import annotations

import importlib
import os
import re
import signal
import sys
from typing import Any, NoReturn

from warehouse.runtime.runner import invoke_in_process

NOT_REACHED = 86


def _die() -> NoReturn:
    sys.stdout.flush()
    os.kill(os.getpid(), signal.SIGKILL)
    raise SystemExit("SIGKILL was not delivered")


def kill_after_statement(node: str, pattern: str) -> None:
    """Patch dbt so that the process dies right after NODE's first statement matching PATTERN."""
    from dbt.adapters.sql.connections import SQLConnectionManager

    matcher = re.compile(pattern, re.IGNORECASE | re.DOTALL)
    original = SQLConnectionManager.add_query

    def add_query(self: SQLConnectionManager, sql: str, *args: Any, **kwargs: Any) -> Any:
        result = original(self, sql, *args, **kwargs)
        if self.get_thread_connection().name == node and matcher.search(sql):
            _die()
        return result

    SQLConnectionManager.add_query = add_query  # type: ignore[method-assign]


def kill_on_entry(target: str) -> None:
    """Patch ``module:function`` so that the process dies when it is called."""
    module_name, _, attribute = target.partition(":")
    module = importlib.import_module(module_name)
    if not callable(getattr(module, attribute, None)):
        raise SystemExit(f"{target}: no such function")

    def dying(*args: Any, **kwargs: Any) -> NoReturn:
        _die()

    setattr(module, attribute, dying)


def main(argv: list[str]) -> int:
    """Install the kill point named by ARGV, run the tool in-process; NOT_REACHED if it survives."""
    if "--" not in argv or len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    split = argv.index("--")
    tool, *point = argv[:split]
    rest = argv[split + 1 :]
    if tool == "dbt" and len(point) == 2:
        kill_after_statement(*point)
        if not invoke_in_process(rest):
            return 1
    elif tool == "generator" and len(point) == 1:
        kill_on_entry(point[0])
        from generator.cli import main as generator_main

        if code := generator_main(rest):
            return code
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return NOT_REACHED


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
