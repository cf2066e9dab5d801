"""Same seed and arguments → identical tables; a different seed → different tables."""

from __future__ import annotations

from pathlib import Path

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
