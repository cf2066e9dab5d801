"""Online serving latency (pytest-benchmark), not collected by default test runs.

    pytest pytests/modelops/bench_online.py --benchmark-enable -s             # quick: demo scale
    BENCH_FULL=1 pytest pytests/modelops/bench_online.py --benchmark-enable -s  # SF 1
    BENCH_WAREHOUSE=/tmp/sf01 pytest ...   # a folder whose warehouse.duckdb is already trained and scored

Builds a warehouse (generate, dbt build, `train`, `score`), then measures in one process, one
entity per call: (1) ``get_online_features`` on the in-memory online store, goal p99 ≤ 1 ms;
(2) lookup + ``predict`` of the breakdown model, goal p99 ≤ 3 ms; (3) the baseline: the same
lookup as a keyed query on the serving view in a read-only DuckDB connection; (4) the HTTP
endpoint (`just serve`): a GET /predict round trip on a kept-alive connection. p50 and p99 come
from every timed call; the figures and their ratios to the baseline print at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import numpy as np
import pytest

from modelops.online import SERVING_VIEWS, OnlineStore
from pytests.modelops.conftest import demo_scale, running_server
from warehouse.runtime import ScratchWarehouse

FULL = os.environ.get("BENCH_FULL") == "1"
SCALE = "1" if FULL else os.environ.get("BENCH_SCALE", demo_scale())
CALLS = 5000 if FULL else 2000
GOAL_LOOKUP_P99_MS = 1.0
GOAL_PREDICT_P99_MS = 3.0
# The model predicted per call: the breakdown model when it is in production (from the demo scale
# up), else the late-delivery model (a smaller scale has too few breakdowns to promote one).
MODELS = ("breakdown_risk_14d", "late_delivery_risk")
BASELINE = "baseline: keyed query on the serving view"
REPORT: dict[str, tuple[float, float]] = {}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScratchWarehouse]:
    """A trained and scored warehouse at the bench scale (or the folder $BENCH_WAREHOUSE holding one)."""
    if os.environ.get("BENCH_WAREHOUSE"):
        scratch = ScratchWarehouse(Path(os.environ["BENCH_WAREHOUSE"]))
    else:
        scratch = ScratchWarehouse(tmp_path_factory.mktemp("bench_online"))
        scratch.generator("generate", "--scale", SCALE, "--seed", "42")
        scratch.build_models()
        scratch.run([sys.executable, "-m", "modelops", "train"])
        scratch.run([sys.executable, "-m", "modelops", "score"])
    yield scratch
    _print_report()


def _timed(benchmark, call: Callable[[int], object], ids: np.ndarray) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """p50 and p99 in ms of ``call`` over ``ids``, one id per call, through pytest-benchmark."""
    cycle = iter(np.resize(ids, CALLS + 10))
    benchmark.pedantic(lambda: call(int(next(cycle))), rounds=CALLS, iterations=1, warmup_rounds=10)
    times = np.array(benchmark.stats.stats.data) * 1000
    return float(np.percentile(times, 50)), float(np.percentile(times, 99))


def _served(store: OnlineStore) -> tuple[str, str]:
    """The model predicted in the benchmark and its entity type."""
    name = next(m for m in MODELS if m in store.models)
    return name, store.models[name].entity_type


def _ids(store: OnlineStore, entity_type: str) -> np.ndarray:
    return np.random.default_rng(7).permutation(
        np.array(list(store.tables[entity_type].rows), dtype=np.int64)
    )


def test_online_lookup(benchmark, warehouse: ScratchWarehouse) -> None:  # type: ignore[no-untyped-def]
    store = OnlineStore.for_warehouse(warehouse.db)
    _, entity = _served(store)
    REPORT[f"online lookup, {entity} (in process)"] = p = _timed(
        benchmark, lambda i: store.get_online_features(entity, [i]), _ids(store, entity)
    )
    assert p[1] <= GOAL_LOOKUP_P99_MS


def test_online_lookup_and_predict(benchmark, warehouse: ScratchWarehouse) -> None:  # type: ignore[no-untyped-def]
    store = OnlineStore.for_warehouse(warehouse.db)

    model, entity = _served(store)

    def lookup_and_predict(i: int) -> object:
        store.get_online_features(entity, [i])
        return store.predict(model, [i])

    REPORT[f"lookup + predict, {model} (in process)"] = p = _timed(
        benchmark, lookup_and_predict, _ids(store, entity)
    )
    assert p[1] <= GOAL_PREDICT_P99_MS


def test_serving_view_keyed_query(benchmark, warehouse: ScratchWarehouse) -> None:  # type: ignore[no-untyped-def]
    store = OnlineStore.for_warehouse(warehouse.db)
    _, entity = _served(store)
    view = SERVING_VIEWS[entity]
    with duckdb.connect(str(warehouse.db), read_only=True) as con:
        REPORT[BASELINE] = _timed(
            benchmark,
            lambda i: con.execute(f"select * from main_ml.{view.view} where {view.key} = ?", [i]).fetchall(),
            _ids(store, entity),
        )


def test_http_predict(benchmark, warehouse: ScratchWarehouse) -> None:  # type: ignore[no-untyped-def]
    store = OnlineStore.for_warehouse(warehouse.db)
    model, entity = _served(store)
    with running_server(warehouse.db.resolve()) as port:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)

        def get(i: int) -> object:
            connection.request("GET", f"/predict/{model}?ids={i}")
            return json.loads(connection.getresponse().read())

        REPORT["HTTP GET /predict (uvicorn, keep-alive)"] = _timed(benchmark, get, _ids(store, entity))


def _print_report() -> None:
    baseline = REPORT.get(BASELINE)
    where = os.environ.get("BENCH_WAREHOUSE") or f"SF {SCALE}"
    print(f"\nOnline serving latency ({where}), one entity per call, {CALLS} calls each")
    print(f"{'path':<44}{'p50 ms':>9}{'p99 ms':>9}{'p99 vs baseline':>17}")
    for name, (p50, p99) in REPORT.items():
        ratio = f"{p99 / baseline[1]:.2g}x" if baseline else "-"
        print(f"{name:<44}{p50:>9.3f}{p99:>9.3f}{ratio:>17}")
