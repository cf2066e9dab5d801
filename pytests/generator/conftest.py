"""Fixtures for the generator tests: small warehouses built once per session (SF 0.01)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

try:  # the package is normally installed (pip install -e .); a bare checkout works too
    import generator  # noqa: F401
except ImportError:  # pragma: no cover
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from generator import run
from generator.config import Config
from generator.schema import DEFAULT_SCHEMAS, TABLES

SCALE = 0.01


def qualified(name: str) -> str:
    """schema.table of a landing table under the default schemas."""
    t = next(t for t in TABLES if t.name == name)
    return f"{DEFAULT_SCHEMAS[t.connector]}.{t.name}"


def query(db: Path, sql: str, params: list | None = None) -> list[tuple]:
    """Run a read-only query against a warehouse file."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def checksums(db: Path) -> dict[str, tuple[int, int]]:
    """Order-independent (row count, sum of row hashes) per landing and manifest table."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        out = {}
        for t in TABLES:
            out[t.name] = con.execute(
                f"select count(*), sum(hash(t)::hugeint) from {qualified(t.name)} t"
            ).fetchone()
        out["_generator_defects"] = con.execute(
            "select count(*), sum(hash(t)::hugeint) from main._generator_defects t"
        ).fetchone()
        return out
    finally:
        con.close()


@pytest.fixture(scope="session")
def make_db(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Path]:
    """Build a warehouse: generate (seed, dirty rate) then the given syncs [(days, rate, drifts)]."""
    cache: dict[tuple, Path] = {}

    def build(
        seed: int = 42,
        dirty_rate: float = 0.0,
        syncs: tuple = (),
        start: str | None = None,
        end: str | None = None,
    ) -> Path:
        key = (seed, dirty_rate, syncs, start, end)
        if key not in cache:
            path = tmp_path_factory.mktemp("wh") / "warehouse.duckdb"
            prefix = next(
                (
                    k
                    for k in sorted(cache, key=lambda k: -len(k[2]))
                    if k[:2] == key[:2] and k[3:] == key[3:] and syncs[: len(k[2])] == k[2]
                ),
                None,
            )
            done = ()
            if prefix is not None:
                shutil.copy(cache[prefix], path)
                done = prefix[2]
            else:
                from datetime import date

                cfg = Config(
                    seed=seed,
                    scale=SCALE,
                    start=date.fromisoformat(start) if start else Config.start,
                    end=date.fromisoformat(end) if end else Config.end,
                )
                run.generate(cfg, path, dirty_rate)
            for days, rate, drifts in syncs[len(done) :]:
                run.sync(path, days, rate, list(drifts))
            cache[key] = path
        return cache[key]

    return build


@pytest.fixture(scope="session")
def clean_db(make_db: Callable[..., Path]) -> Path:
    """The initial load at SF 0.01, seed 42, no defects."""
    return make_db()


# Three syncs: 3 days, then 7 days, then 2 days; all clean.
SYNCS = ((3, 0.0, ()), (7, 0.0, ()), (2, 0.0, ()))


@pytest.fixture(scope="session")
def synced_db(make_db: Callable[..., Path]) -> Path:
    """The initial load followed by three clean syncs."""
    return make_db(syncs=SYNCS)


@pytest.fixture(scope="session")
def dirty_db(make_db: Callable[..., Path]) -> Path:
    """Initial load and two syncs, all with a 5 % dirty rate."""
    return make_db(dirty_rate=0.05, syncs=((2, 0.05, ()), (5, 0.05, ())))


@pytest.fixture(scope="session")
def sums() -> Callable[[Path], dict[str, tuple[int, int]]]:
    """The per-table checksum function."""
    return checksums


@pytest.fixture(scope="session")
def q() -> Callable[..., list[tuple]]:
    """The read-only query function: ``q(db, sql, params)``."""
    return query


@pytest.fixture(scope="session")
def tbl() -> Callable[[str], str]:
    """Qualified name of a landing table under the default schemas: ``tbl('shipments')``."""
    return qualified


@pytest.fixture(scope="session")
def sync_plan() -> tuple:
    """The syncs applied by ``synced_db``."""
    return SYNCS


@pytest.fixture(scope="session")
def scale() -> float:
    """The scale factor of the test warehouses."""
    return SCALE


@pytest.fixture(scope="session")
def bench_report(pytestconfig: pytest.Config) -> dict:
    """Figures collected by the benchmarks (printed at the end of the benchmark run)."""
    report: dict = {}
    pytestconfig.stash[BENCH_KEY] = report
    return report


BENCH_KEY = pytest.StashKey[dict]()


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Print the generator benchmark figures, if a benchmark ran."""
    text = config.stash.get(BENCH_KEY, {}).get("text")
    if text:
        terminalreporter.write_sep("=", "generator benchmark figures")
        terminalreporter.write_line(text)
