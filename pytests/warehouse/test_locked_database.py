"""A locked warehouse: while another process holds the DuckDB file read-write, every command a user
types fails fast with one line naming the file and what to do — no traceback, no hang.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from warehouse.runtime import REPO_ROOT

HOLD_SECONDS = 120
COMMAND_TIMEOUT = 60


@pytest.fixture(scope="module")
def locked_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A DuckDB file held open read-write by another process for the duration of the module."""
    db = tmp_path_factory.mktemp("locked") / "warehouse.duckdb"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
         f"time.sleep({HOLD_SECONDS})",
         str(db)],
        stdout=subprocess.PIPE, text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
    yield db
    holder.kill()
    holder.wait()


def _run(command: list[str], db: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "LOGISTICS_DB": str(db),
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "DBT_TARGET_PATH": str(tmp_path / "target"),
    }
    return subprocess.run(
        command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT, check=False
    )


@pytest.mark.parametrize(
    "command",
    [
        ["just", "build"],
        ["just", "demo"],
        ["just", "clean"],
        ["just", "sync"],
        ["just", "generate", "--scale", "0.01"],
        ["just", "summary"],
        [sys.executable, "-m", "warehouse", "summary"],
        [sys.executable, "-m", "warehouse", "build"],
    ],
    ids=lambda command: " ".join(command[2:] if command[0] == sys.executable else command),
)
def test_a_locked_warehouse_fails_fast_with_one_line(
    command: list[str], locked_db: Path, tmp_path: Path
) -> None:
    completed = _run(command, locked_db, tmp_path)

    assert completed.returncode != 0
    output = completed.stdout + completed.stderr
    assert "Traceback" not in output
    ours = [line for line in output.splitlines() if str(locked_db) in line]
    assert len(ours) == 1, output
    assert "locked by" in ours[0] and ("close" in ours[0] or "retry" in ours[0])
    assert locked_db.exists(), "a command refused on a locked warehouse removed it"


def test_the_build_entry_exits_2_before_dbt_starts(locked_db: Path, tmp_path: Path) -> None:
    completed = _run([sys.executable, "-m", "warehouse", "build"], locked_db, tmp_path)

    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr.count("\n") == 1
    assert completed.stderr.startswith(f"error: {locked_db} is locked by process ")
    assert not (tmp_path / "target").exists()


def test_clean_removes_the_warehouse_its_wal_and_its_spill_folder(tmp_path: Path) -> None:
    db = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(db)).close()
    (tmp_path / "warehouse.duckdb.wal").write_bytes(b"")
    (tmp_path / "warehouse.duckdb.tmp").mkdir()
    (tmp_path / "warehouse.duckdb.tmp" / "spill.block").write_bytes(b"x")
    (tmp_path / "keep.txt").write_text("not ours")

    completed = _run([sys.executable, "-m", "warehouse", "clean"], db, tmp_path)

    assert completed.returncode == 0, completed.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]
