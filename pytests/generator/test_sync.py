"""A sync lands what changed in (previous clock, clock]: new rows, updates, late rows, revisions,
soft deletes and re-deliveries."""

from __future__ import annotations

from pathlib import Path

import pytest


def _clocks(db: Path, q) -> list:
    return [r[0] for r in q(db, "select clock from main._generator_syncs order by sync_number")]


@pytest.fixture(scope="session")
def month_db(make_db) -> Path:
    """The initial load and one 30-day sync (enough time for rare events at SF 0.01)."""
    return make_db(syncs=((30, 0.0, ()),))


def test_sync_advances_the_clock_and_the_sync_number(synced_db: Path, q) -> None:
    rows = q(synced_db, "select sync_number, clock::varchar, days from main._generator_syncs order by 1")
    assert rows == [
        (0, "2025-12-31 23:59:59", None),
        (1, "2026-01-03 23:59:59", 3),
        (2, "2026-01-10 23:59:59", 7),
        (3, "2026-01-12 23:59:59", 2),
    ]
    assert q(synced_db, "select sync_number from main._generator_state") == [(3,)]


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("shipments", "created_at"),
        ("maintenance", "created_at"),
        ("telematics", "recorded_at"),
        ("weather", "observed_at"),
        ("traffic", "observed_at"),
    ],
)
def test_sync_adds_new_rows(month_db: Path, q, tbl, table: str, column: str) -> None:
    clocks = _clocks(month_db, q)
    new = q(
        month_db,
        f"select count(*) from {tbl(table)} where {column} > ? and _fivetran_synced = ?",
        [clocks[0], clocks[1]],
    )[0][0]
    assert new > 0


def test_sync_moves_landed_shipments_to_in_transit_and_delivered(synced_db: Path, q, tbl) -> None:
    clocks = _clocks(synced_db, q)
    moved = dict(
        q(
            synced_db,
            f"""select status, count(*) from {tbl("shipments")}
                                 where created_at <= ? and _fivetran_synced = ? group by all""",
            [clocks[1], clocks[2]],
        )
    )
    assert moved.get("DELIVERED", 0) > 0


def test_sync_completes_scheduled_maintenance(month_db: Path, q, tbl) -> None:
    clocks = _clocks(month_db, q)
    done = q(
        month_db,
        f"""select count(*) from {tbl("maintenance")} where created_at <= ?
                           and _fivetran_synced = ? and status = 'COMPLETED' and updated_at > ?""",
        [clocks[0], clocks[1], clocks[0]],
    )[0][0]
    assert done > 0


def test_sync_updates_customer_and_vehicle_attributes(month_db: Path, q, tbl) -> None:
    clocks = _clocks(month_db, q)
    for table in ("customers", "vehicles"):
        changed = q(
            month_db,
            f"select count(*) from {tbl(table)} where created_at <= ? and updated_at > ? "
            "and _fivetran_synced = ?",
            [clocks[0], clocks[0], clocks[1]],
        )[0][0]
        assert changed > 0, table


def test_sync_lands_shipments_recorded_late(month_db: Path, q, tbl) -> None:
    clocks = _clocks(month_db, q)
    late = q(
        month_db,
        f"""select count(*) from {tbl("shipments")} where _fivetran_synced = ?
                           and created_at > ? and delivered_at <= ? and updated_at = created_at""",
        [clocks[1], clocks[0], clocks[0]],
    )[0][0]
    assert late > 0


def test_sync_lands_buffered_pings_a_sync_late(synced_db: Path, q, tbl) -> None:
    clocks = _clocks(synced_db, q)
    late = q(
        synced_db,
        f"select count(*) from {tbl('telematics')} where _fivetran_synced = ? and recorded_at <= ?",
        [clocks[2], clocks[1]],
    )[0][0]
    assert late > 0


def test_sync_revises_the_previous_fetchs_preliminary_weather(make_db, q, tbl, sync_plan) -> None:
    before = make_db(syncs=sync_plan[:1])
    after = make_db(syncs=sync_plan[:2])
    clock = _clocks(before, q)[1]
    sql = (
        f"select location_id, observed_at, temperature_c, precipitation_mm, _fivetran_synced "
        f"from {tbl('weather')} where observed_at > ? - interval 6 hour and observed_at <= ? order by 1, 2"
    )
    old, new = q(before, sql, [clock, clock]), q(after, sql, [clock, clock])
    assert [r[:2] for r in old] == [r[:2] for r in new] and len(old) > 0
    assert all(n[4] > o[4] for o, n in zip(old, new, strict=True))
    assert sum(o[2:4] != n[2:4] for o, n in zip(old, new, strict=True)) > len(old) / 2
    keys = q(after, f"select count(*), count(distinct (location_id, observed_at)) from {tbl('weather')}")[0]
    assert keys[0] == keys[1]


def test_sync_soft_deletes_rows(month_db: Path, q, tbl) -> None:
    clocks = _clocks(month_db, q)
    deleted = q(
        month_db,
        f"""select status, count(*) from {tbl("shipments")}
                              where _fivetran_deleted and _fivetran_synced = ? group by all""",
        [clocks[1]],
    )
    assert deleted and all(status == "CANCELLED" for status, _ in deleted)
    initial = q(
        month_db,
        f"""select (select count(*) from {tbl("customers")} where _fivetran_deleted),
                                     (select count(*) from {tbl("shipments")} where _fivetran_deleted)""",
    )[0]
    assert initial[0] > 0 and initial[1] > 0


def test_sync_redelivers_some_pings_as_exact_duplicates(synced_db: Path, q, tbl) -> None:
    dup = q(
        synced_db,
        f"""select count(*), count(*) filter (where n_versions = 1), count(*) filter (where later)
        from (select telemetry_id, count(distinct hash(b)) n_versions, max(s) > min(s) later
              from (select telemetry_id, _fivetran_synced s, t.* exclude (_fivetran_synced) b
                    from {tbl("telematics")} t) group by all having count(*) > 1)""",
    )[0]
    assert dup[0] > 0 and dup[1] == dup[0] and dup[2] > 0


def test_upsert_tables_hold_one_row_per_key(synced_db: Path, q, tbl) -> None:
    for table, key in (
        ("customers", "customer_id"),
        ("vehicles", "vehicle_id"),
        ("shipments", "shipment_id"),
        ("maintenance", "maintenance_id"),
        ("traffic", "(location_id, observed_at)"),
    ):
        n, distinct = q(synced_db, f"select count(*), count(distinct {key}) from {tbl(table)}")[0]
        assert n == distinct, table


def test_fivetran_synced_increases_with_each_sync(synced_db: Path, q, tbl) -> None:
    synced = [
        r[0] for r in q(synced_db, f"select distinct _fivetran_synced from {tbl('traffic')} order by 1")
    ]
    assert synced == _clocks(synced_db, q)


def test_one_long_sync_lands_the_same_state_as_several_short_ones(make_db, q, tbl) -> None:
    short = make_db(syncs=((3, 0.0, ()), (7, 0.0, ()), (2, 0.0, ())))
    long = make_db(syncs=((12, 0.0, ()),))
    for table in ("shipments", "maintenance", "vehicles", "customers", "traffic"):
        sql = (
            f"select sum(hash(b)::hugeint), count(*) from "
            f"(select * exclude (_fivetran_synced) from {tbl(table)}) b"
        )
        assert q(short, sql) == q(long, sql), table
    sql = (
        "select count(distinct hash(b)) from "
        f"(select * exclude (_fivetran_synced) from {tbl('telematics')}) b"
    )
    assert q(short, sql) == q(long, sql)
