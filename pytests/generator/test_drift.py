"""--drift shifts a named distribution from the sync's start on, persists, and is recorded."""

from __future__ import annotations

from pathlib import Path

import pytest

BASE = ((3, 0.0, ()), (4, 0.0, ()))
DRIFTED = ((3, 0.0, ("fuel_price=2", "weather_severity:US-EAST=3", "congestion=1.6")), (4, 0.0, ()))


@pytest.fixture(scope="module")
def twins(make_db) -> tuple[Path, Path]:
    """Two warehouses that differ only by the drifts declared at sync 1."""
    return make_db(syncs=BASE), make_db(syncs=DRIFTED)


def _eff(db: Path, q) -> object:
    return q(db, "select min(effective_from) from main._generator_drifts")[0][0]


def test_drifts_are_recorded_from_the_syncs_start(twins, q) -> None:
    _, drifted = twins
    rows = q(
        drifted,
        "select sync_number, drift_name, factor, effective_from::varchar, region "
        "from main._generator_drifts order by drift_name",
    )
    assert rows == [
        (1, "congestion", 1.6, "2026-01-01 00:00:00", None),
        (1, "fuel_price", 2.0, "2026-01-01 00:00:00", None),
        (1, "weather_severity:US-EAST", 3.0, "2026-01-01 00:00:00", "US-EAST"),
    ]


def test_fuel_price_drift_scales_fuel_cost_from_its_start(twins, q, tbl) -> None:
    base, drifted = twins
    sql = (
        "select vehicle_id, planned_pickup_at, fuel_cost_usd::double, _fivetran_synced "
        f"from {tbl('shipments')} "
        "where fuel_cost_usd > 1"
    )
    eff = _eff(drifted, q)
    b = {r[:2]: r[2:] for r in q(base, sql)}
    d = {r[:2]: r[2:] for r in q(drifted, sql)}
    assert b.keys() == d.keys()
    after = [d[k][0] / b[k][0] for k in b if k[1] >= eff and b[k][1] >= eff]
    before = [d[k][0] / b[k][0] for k in b if k[1] < eff]
    assert after and all(abs(r - 2) < 0.02 for r in after)
    assert before and all(r == 1 for r in before)


def test_regional_weather_drift_changes_only_that_region(twins, q, tbl) -> None:
    base, drifted = twins
    sql = (
        f"select l.region, sum(precipitation_mm) from {tbl('weather')} w join {tbl('locations')} l "
        "using (location_id) where observed_at >= ? group by all order by 1"
    )
    eff = _eff(drifted, q)
    b, d = dict(q(base, sql, [eff])), dict(q(drifted, sql, [eff]))
    assert d.pop("US-EAST") > 2 * b.pop("US-EAST")
    assert b == d


def test_congestion_drift_raises_congestion_and_persists(twins, q, tbl) -> None:
    base, drifted = twins
    sql = f"select round(avg(congestion_index), 9) from {tbl('traffic')} where observed_at >= ?"
    last = q(drifted, "select max(clock) - interval 4 day from main._generator_syncs")[0][0]
    for since in (_eff(drifted, q), last):  # also in the later sync, which declared nothing
        assert q(drifted, sql, [since])[0][0] > 1.3 * q(base, sql, [since])[0][0]
    before = f"select round(avg(congestion_index), 9) from {tbl('traffic')} where observed_at < ?"
    assert q(drifted, before, [_eff(drifted, q)]) == q(base, before, [_eff(drifted, q)])


def test_drifts_make_the_same_trips_slower(twins, q, tbl) -> None:
    base, drifted = twins
    sql = (
        "select vehicle_id, planned_pickup_at, epoch(delivered_at) - epoch(picked_up_at) "
        f"from {tbl('shipments')} "
        "where planned_pickup_at >= ? and status = 'DELIVERED'"
    )
    eff = _eff(drifted, q)
    b = {r[:2]: r[2] for r in q(base, sql, [eff])}
    d = {r[:2]: r[2] for r in q(drifted, sql, [eff])}
    same = b.keys() & d.keys()
    assert len(same) > 20
    assert all(d[k] >= b[k] for k in same)
    assert sum(d[k] for k in same) > 1.02 * sum(b[k] for k in same)


def test_a_later_declaration_of_the_same_drift_wins(make_db, q, tbl) -> None:
    reset = make_db(syncs=((3, 0.0, ("fuel_price=2",)), (4, 0.0, ("fuel_price=1",))))
    base = make_db(syncs=BASE)
    clock = q(reset, "select clock from main._generator_syncs where sync_number = 1")[0][0]
    sql = f"select sum(fuel_cost_usd) from {tbl('shipments')} where planned_pickup_at > ? + interval 1 day"
    assert q(reset, sql, [clock]) == q(base, sql, [clock])
