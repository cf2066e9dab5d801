"""Opening the warehouse: checks that it is ours, clear errors."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from .enums import REPO_ROOT

DUCKDB_MAGIC = b"DUCK"


class GeneratorError(Exception):
    """An error the user can act on; the CLI prints its message on one line and exits with 2."""


def default_db_path() -> Path:
    """``$LOGISTICS_DB``, else ``warehouse.duckdb`` at the repository root (as
    ``warehouse.runtime.warehouse_path``; the generator may not import it, see ``enums.REPO_ROOT``)."""
    return Path(os.environ.get("LOGISTICS_DB") or REPO_ROOT / "warehouse.duckdb")


def _locked(path: Path, exc: Exception) -> GeneratorError:
    pid = re.search(r"\(PID (\d+)\)", str(exc))
    holder = f"process {pid.group(1)}" if pid else "another process"
    return GeneratorError(
        f"{path} is locked by {holder} (dbt, a notebook, a DuckDB shell): "
        "close it, then run the command again"
    )


def check_db(path: Path, need_state: bool) -> None:
    """Validate ``path`` before anything is written.

    ``need_state``: the database must already hold generator state (sync). Otherwise (generate) it
    may be missing, empty, or a database this generator made before.
    """
    parent = path.resolve().parent
    if not parent.is_dir():
        raise GeneratorError(f"--db {path}: directory {parent} does not exist")
    if not path.exists():
        if need_state:
            raise GeneratorError(f"--db {path}: no such database; run `generate` first")
        if not os.access(parent, os.W_OK):
            raise GeneratorError(f"--db {path}: directory {parent} is not writable")
        return
    if path.is_dir():
        raise GeneratorError(f"--db {path}: is a directory, not a DuckDB file")
    if not os.access(path, os.W_OK) or not os.access(parent, os.W_OK):
        raise GeneratorError(f"--db {path}: not writable")
    if path.stat().st_size == 0:
        if need_state:
            raise GeneratorError(f"--db {path}: empty file, not a generator database; run `generate` first")
        return
    with path.open("rb") as f:
        header = f.read(16)
    if header[8:12] != DUCKDB_MAGIC:
        raise GeneratorError(f"--db {path}: not a DuckDB database file; refusing to touch it")
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise _locked(path, exc) from None
        raise GeneratorError(f"--db {path}: cannot open ({str(exc).splitlines()[0]})") from None
    except duckdb.Error as exc:
        raise GeneratorError(f"--db {path}: cannot open ({str(exc).splitlines()[0]})") from None
    try:
        ours = (
            con.execute(
                "select count(*) from information_schema.tables where table_schema = 'main' "
                "and table_name = '_generator_state'"
            ).fetchone()[0]
            > 0
        )
        any_table = con.execute("select count(*) from information_schema.tables").fetchone()[0] > 0
    finally:
        con.close()
    if need_state and not ours:
        raise GeneratorError(
            f"--db {path}: has no _generator_state table; not a generator database (run `generate` first)"
        )
    if not need_state and not ours and any_table:
        raise GeneratorError(
            f"--db {path}: holds tables but no _generator_state; not a generator database, "
            "refusing to overwrite it"
        )


def connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection, with a clear error when another process holds the file."""
    if path.exists() and path.stat().st_size == 0:
        path.unlink()
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" in str(exc).lower():
            raise _locked(path, exc) from None
        raise GeneratorError(f"--db {path}: cannot open ({str(exc).splitlines()[0]})") from None
    con.execute("set enable_progress_bar = false")  # DuckDB's own bar would print through ours
    return con
