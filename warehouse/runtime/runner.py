"""The one way to run dbt: a process of this interpreter's dbt, with explicit paths.

``run_dbt`` is what the CLI, the deploy, the scratch warehouses, the Snowflake checks and the
tests call. A process (forked from a warm fork server when the output is captured: see
:mod:`~warehouse.runtime.forked`; not dbt's in-process ``dbtRunner``) because the callers need what only a
process gives: a hard timeout (the Snowflake connector retries a dead server for minutes), several
builds at once (the parity run builds both engines in parallel), and a DuckDB file that is closed
when dbt ends (in-process dbt keeps its connection open, so the caller could not read the file).
The one in-process use, killing dbt at an exact statement, goes through :func:`invoke_in_process`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from warehouse.runtime import forked
from warehouse.runtime.project import REPO_ROOT, dbt_env


class DbtError(RuntimeError):
    """A dbt invocation failed as a whole (not a node inside it), or timed out."""


@dataclass(frozen=True)
class DbtRun:
    """One finished dbt invocation."""

    args: tuple[str, ...]
    returncode: int
    output: str
    """stdout then stderr ("" when the output went to the terminal)."""
    seconds: float
    target_path: Path

    @property
    def ok(self) -> bool:
        """dbt exited 0."""
        return self.returncode == 0

    def results(self) -> dict[str, dict[str, Any]]:
        """``run_results.json`` of this invocation, by node unique_id (empty when absent)."""
        path = self.target_path / "run_results.json"
        if not path.exists():
            return {}
        return {r["unique_id"]: r for r in json.loads(path.read_text())["results"]}

    def tail(self, lines: int = 25) -> str:
        """The last lines of dbt's console output."""
        return "\n".join(self.output.splitlines()[-lines:])


PARTIAL_PARSE_FILE = "partial_parse.msgpack"
"""dbt's saved parse state, in the target folder."""


def reuse_parse_state(target_path: Path, state: Path) -> None:
    """Start the target folder ``target_path`` from dbt's parse state ``state`` (a saved
    ``partial_parse.msgpack``) when it has none of its own, so its first invocation partial-parses
    instead of parsing the whole project (≈ 11 s on 2 cores). Safe whatever ``state`` holds: dbt
    compares the saved project files, profile, target, vars and version with its own and parses
    everything again on any difference. No-op when ``state`` does not exist.
    """
    own = target_path / PARTIAL_PARSE_FILE
    if own.exists() or not state.is_file():
        return
    target_path.mkdir(parents=True, exist_ok=True)
    shutil.copy2(state, own)


def dbt_executable() -> str:
    """The ``dbt`` of this interpreter's environment (else the first on PATH)."""
    beside = Path(sys.executable).with_name("dbt")
    return str(beside) if beside.exists() else shutil.which("dbt") or "dbt"


def dbt_argv(
    args: Sequence[str],
    *,
    project_dir: Path = REPO_ROOT,
    profiles_dir: Path | None = None,
    target: str | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
    colors: bool = True,
) -> list[str]:
    """The arguments after ``dbt``: ARGS, then the project and whichever paths are given."""
    argv = [*args, "--project-dir", str(project_dir)]
    for flag, value in (
        ("--profiles-dir", profiles_dir),
        ("--target", target),
        ("--target-path", target_path),
        ("--log-path", log_path),
    ):
        if value is not None:
            argv += [flag, str(value)]
    return argv if colors else [*argv, "--no-use-colors"]


def run_dbt(
    args: Sequence[str],
    *,
    project_dir: Path = REPO_ROOT,
    profiles_dir: Path | None = None,
    target: str | None = None,
    target_path: Path | None = None,
    log_path: Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    capture: bool = True,
    timeout_s: float | None = None,
    check: bool = False,
    label: str = "",
) -> DbtRun:
    """Run ``dbt ARGS`` on ``project_dir`` and return the finished run.

    ``env`` is the whole environment (default :func:`~warehouse.runtime.project.dbt_env`: the
    warehouse file of ``$LOGISTICS_DB``); ``cwd`` defaults to ``project_dir``. ``capture`` keeps the
    output in ``DbtRun.output`` (colours off); otherwise it streams to the terminal. Raises
    :class:`DbtError` on a timeout, and on a non-zero exit when ``check``; ``label`` prefixes
    those messages (e.g. the engine).
    """
    argv = dbt_argv(
        args, project_dir=project_dir, profiles_dir=profiles_dir, target=target,
        target_path=target_path, log_path=log_path, colors=not capture,
    )
    prefix = f"[{label}] " if label else ""
    started = time.monotonic()
    try:
        returncode, output = _run(
            argv, cwd or project_dir, dict(dbt_env() if env is None else env), capture, timeout_s
        )
    except forked.TimedOut as err:
        raise DbtError(
            f"{prefix}dbt {' '.join(args)} timed out after {timeout_s:.0f}s\n{err.output[-3000:]}"
        ) from err
    target = target_path or project_dir / "target"
    run = DbtRun(tuple(args), returncode, output, time.monotonic() - started, target)
    if check and not run.ok:
        raise DbtError(f"{prefix}dbt {' '.join(args)} failed (exit {run.returncode}):\n{run.tail()}")
    return run


def _run(
    argv: list[str], cwd: Path, env: dict[str, str], capture: bool, timeout_s: float | None
) -> tuple[int, str]:
    """Exit code and output of ``dbt ARGV``: forked from the warm fork server when the output is
    captured (:mod:`~warehouse.runtime.forked`), else a new process printing to the terminal.
    Raises :class:`~warehouse.runtime.forked.TimedOut` after ``timeout_s``."""
    if capture and forked.enabled():
        return forked.run_forked(argv, cwd, env, timeout_s)
    try:
        completed = subprocess.run(
            [dbt_executable(), *argv], cwd=cwd, env=env, capture_output=capture, text=True,
            timeout=timeout_s, check=False,
        )
    except subprocess.TimeoutExpired as err:
        printed = err.stdout.decode() if isinstance(err.stdout, bytes) else err.stdout or ""
        raise forked.TimedOut(printed) from err
    return completed.returncode, (completed.stdout or "") + (completed.stderr or "")


def invoke_in_process(args: Sequence[str]) -> bool:
    """Run dbt inside this process (``dbtRunner``); True when it succeeded.

    Only for callers that must patch dbt itself (``warehouse.crash``); everything else uses
    :func:`run_dbt`.
    """
    from dbt.cli.main import dbtRunner

    return bool(dbtRunner().invoke(list(args)).success)
