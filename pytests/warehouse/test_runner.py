"""run_dbt forked from the warm fork server behaves as dbt in a new process: same exit code, same
output, the caller's folder and environment, a hard timeout, several at once."""

from __future__ import annotations

import difflib
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pytest

from warehouse.runtime import DbtError, forked, run_dbt
from warehouse.runtime.forked import OPT_OUT_VARIABLE
from warehouse.runtime.project import dbt_env
from warehouse.runtime.warm_up import PROJECT

TIMESTAMP = re.compile(r"^\d\d:\d\d:\d\d  ", re.MULTILINE)
DURATION = re.compile(r"\d+\.\d+")  # seconds


def _both(monkeypatch: pytest.MonkeyPatch, args: list[str], folder: Path) -> dict[str, tuple[int, str]]:
    """Exit code and output (log timestamps removed) of ``dbt ARGS`` forked and as a new process,
    run in ``folder`` with the profiles folder ``folder/profiles`` named by the environment."""
    env = {**dbt_env(), "DBT_PROFILES_DIR": str(folder / "profiles")}
    runs = {}
    for way, flag in (("forked", "1"), ("process", "0")):
        monkeypatch.setenv(OPT_OUT_VARIABLE, flag)
        run = run_dbt(args, env=env, cwd=folder, log_path=folder / "logs")
        runs[way] = (run.returncode, TIMESTAMP.sub("", run.output))
    return runs


@pytest.mark.parametrize(
    "args, code",
    [
        (["debug", "--config-dir"], 0),  # prints the profiles folder it was given through the environment
        (["debug"], 1),  # no profiles.yml there
        (["build", "--no-such-flag"], 2),
    ],
)
def test_a_forked_dbt_exits_and_prints_as_a_new_process_in_the_callers_folder_and_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, args: list[str], code: int
) -> None:
    runs = _both(monkeypatch, args, tmp_path)
    assert runs["forked"][0] == code
    # the differing lines in full when they differ (pytest's own diff of two long strings is cut short)
    differing = difflib.unified_diff(
        runs["process"][1].splitlines(), runs["forked"][1].splitlines(), "process", "forked", lineterm=""
    )
    assert runs["forked"] == runs["process"], "\n".join(differing)
    if code == 0:
        assert str(tmp_path / "profiles") in runs["forked"][1]


def test_a_forked_dbt_is_killed_at_its_timeout_and_the_next_one_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(OPT_OUT_VARIABLE, "1")
    paths = {"target_path": tmp_path / "target", "log_path": tmp_path / "logs"}
    with pytest.raises(DbtError, match="timed out after"):
        run_dbt(["parse", "--no-partial-parse"], timeout_s=0.5, **paths)
    assert run_dbt(["debug", "--config-dir"], log_path=tmp_path / "logs").ok


def test_forked_dbts_run_side_by_side(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(OPT_OUT_VARIABLE, "1")
    codes: list[int] = []

    def config_dir() -> None:
        codes.append(run_dbt(["debug", "--config-dir"], log_path=tmp_path / "logs").returncode)

    threads = [threading.Thread(target=config_dir) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert codes == [0, 0]


def test_the_fork_server_runs_one_thread_before_and_after_its_warm_up(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Forking a process that runs other threads can leave a child waiting on a lock they held."""
    monkeypatch.setenv(OPT_OUT_VARIABLE, "1")
    for _ in range(forked.WARM_UP_BEFORE_REQUEST + 1):  # the last one is forked after the warm-up
        run_dbt(["debug", "--config-dir"], log_path=tmp_path / "logs")
    servers = [server.process.pid for server in forked._idle]
    assert servers
    for pid in servers:
        assert len(os.listdir(f"/proc/{pid}/task")) == 1


@pytest.mark.parametrize(
    "setting, forks", [(None, sys.platform.startswith("linux")), ("0", False), ("1", True)]
)
def test_forking_is_on_by_default_on_linux_only(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, forks: bool
) -> None:
    if setting is None:
        monkeypatch.delenv(OPT_OUT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(OPT_OUT_VARIABLE, setting)
    assert forked.enabled() is forks


def test_a_build_forked_after_the_warm_up_equals_a_new_process(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The warm-up's dbt run leaves nothing a child could see: a build of a project (the warm-up's
    own, in a DuckDB file) forked from a warmed-up server prints and builds what a new process does."""
    env = {**dbt_env(), "DBT_PROFILES_DIR": str(tmp_path / "profiles")}
    monkeypatch.setenv(OPT_OUT_VARIABLE, "1")
    for _ in range(forked.WARM_UP_BEFORE_REQUEST):
        run_dbt(["debug", "--config-dir"], log_path=tmp_path / "logs")
    outputs, tables = {}, {}
    for way, flag in (("forked", "1"), ("process", "0")):
        project = tmp_path / way
        for name, text in PROJECT.items():
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            (project / name).write_text(text.replace("':memory:'", f"'{project / 'rows.duckdb'}'"))
        monkeypatch.setenv(OPT_OUT_VARIABLE, flag)
        run = run_dbt(["build", "--profiles-dir", str(project)], project_dir=project, env=env)
        assert run.ok, run.tail()
        outputs[way] = DURATION.sub("", TIMESTAMP.sub("", run.output))
        with duckdb.connect(str(project / "rows.duckdb"), read_only=True) as con:
            tables[way] = con.sql("select table_name from information_schema.tables order by 1").fetchall()
    assert outputs["forked"] == outputs["process"]
    assert tables["forked"] == tables["process"] and len(tables["forked"]) == 5  # not the ephemeral one


def test_the_warm_up_builds_its_project_and_leaves_the_process_as_it_found_it() -> None:
    """In a new interpreter (this one runs pytest's threads): one thread left, the environment back."""
    script = (
        "import os; from warehouse.runtime.warm_up import warm_up; before = dict(os.environ); "
        "print(warm_up(), len(os.listdir('/proc/self/task')), dict(os.environ) == before)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "1", "True"]
