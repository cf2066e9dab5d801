"""Same seed and arguments → identical tables; a different seed → different tables."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from generator import run
from generator.config import Config


def test_same_seed_twice_gives_identical_checksums(clean_db: Path, tmp_path: Path, sums, scale) -> None:
    again = tmp_path / "again.duckdb"
    run.generate(Config(seed=42, scale=scale), again)
    assert sums(again) == sums(clean_db)


def test_a_different_seed_gives_different_tables(clean_db: Path, make_db, sums) -> None:
    other = sums(make_db(seed=7))
    mine = sums(clean_db)
    for table in ("customers", "locations", "shipments", "telematics", "weather", "traffic"):
        assert other[table] != mine[table], table


def test_syncs_are_deterministic_per_seed_and_sync_number(
    synced_db: Path, tmp_path: Path, sums, scale, sync_plan
) -> None:
    path = tmp_path / "replay.duckdb"
    run.generate(Config(seed=42, scale=scale), path)
    for days, rate, drifts in sync_plan:
        run.sync(path, days, rate, list(drifts))
    assert sums(path) == sums(synced_db)


def test_dirty_runs_are_deterministic(dirty_db: Path, tmp_path: Path, sums, scale) -> None:
    path = tmp_path / "dirty.duckdb"
    run.generate(Config(seed=42, scale=scale), path, 0.05)
    run.sync(path, 2, 0.05, [])
    run.sync(path, 5, 0.05, [])
    assert sums(path) == sums(dirty_db)


@pytest.mark.parametrize("trips_per_chunk", [1, 10**9], ids=["week-chunks", "one-chunk"])
def test_the_initial_load_is_the_same_whatever_its_chunks(
    clean_db: Path, tmp_path: Path, sums, scale, monkeypatch: pytest.MonkeyPatch, trips_per_chunk: int
) -> None:
    """The streaming initial load lands each chunk's finished trips as of the clock: cutting the
    calendar into 7-day chunks or not at all gives the same tables as the default cut."""
    monkeypatch.setattr(run, "TRIPS_PER_CHUNK", trips_per_chunk)
    path = tmp_path / "chunked.duckdb"
    run.generate(Config(seed=42, scale=scale), path)
    assert sums(path) == sums(clean_db)
    assert _internal_sums(path) == _internal_sums(clean_db)


def test_a_dirty_initial_load_is_the_same_whatever_its_chunks(
    tmp_path: Path, sums, scale, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A dirty load in 7-day chunks keeps its shipment rows and ping trips until the last chunk and
    lands them in one pass's batches, so its defects are those of one pass over the calendar."""
    one = tmp_path / "one-chunk.duckdb"
    with monkeypatch.context() as m:
        m.setattr(run, "_chunk_clocks", lambda cfg: [cfg.initial_clock])
        run.generate(Config(seed=42, scale=scale), one, 0.05)
    monkeypatch.setattr(run, "TRIPS_PER_CHUNK", 1)
    chunked = tmp_path / "week-chunks.duckdb"
    run.generate(Config(seed=42, scale=scale), chunked, 0.05)
    assert sums(chunked) == sums(one)
    assert sums(chunked)["_generator_defects"][0] > 1000
    assert _internal_sums(chunked) == _internal_sums(one)
    con = duckdb.connect(str(chunked), read_only=True)
    try:  # the kept rows are gone with the other staging tables
        tables = con.execute("select table_name from information_schema.tables").fetchall()
        assert not [t for (t,) in tables if "generating" in t]
    finally:
        con.close()


@pytest.mark.parametrize("dirty_rate", [0.0, 0.05], ids=["clean", "dirty"])
def test_a_long_sync_is_the_same_whatever_its_chunks(
    clean_db: Path, tmp_path: Path, sums, monkeypatch: pytest.MonkeyPatch, dirty_rate: float
) -> None:
    """A 30-day sync lands each 7-day chunk's finished trips (a dirty one keeps their shipment rows
    and ping trips until the last chunk; truth is upserted at the end): the same tables and defects
    as one window, and the next sync carries on from the same state."""
    one, chunked = tmp_path / "one-window.duckdb", tmp_path / "week-chunks.duckdb"
    shutil.copy(clean_db, one)
    shutil.copy(clean_db, chunked)
    with monkeypatch.context() as m:
        m.setattr(run, "_chunk_clocks", lambda cfg, start=None, end=None: [end])
        run.sync(one, 30, dirty_rate)
        run.sync(one, 2, dirty_rate)
    monkeypatch.setattr(run, "TRIPS_PER_CHUNK", 1)
    assert len(run._chunk_clocks(Config(), 0, 30 * 86_400)) == 5
    run.sync(chunked, 30, dirty_rate)
    run.sync(chunked, 2, dirty_rate)
    assert sums(chunked) == sums(one)
    assert (sums(chunked)["_generator_defects"][0] > 1000) == (dirty_rate > 0)
    assert _internal_sums(chunked) == _internal_sums(one)


def _internal_sums(db: Path) -> dict[str, tuple]:
    """(rows, sum of row hashes) of the generator's state, simulation and truth tables."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'main' "
                "and (table_name like '\\_sim\\_%' escape '\\' or table_name like '\\_truth\\_%' escape '\\' "
                "or table_name in ('_generator_state', '_generator_syncs'))"
            ).fetchall()
        ]
        assert len(names) >= 8, names
        return {
            n: con.execute(f"select count(*), sum(hash(t)::hugeint) from main.{n} t").fetchone()
            for n in names
        }
    finally:
        con.close()
