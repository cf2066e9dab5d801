"""The online store and its HTTP endpoint, over a small exported store (no warehouse needed)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from modelops.artefacts import ArtefactIntegrityError, artefact_path, save_booster
from modelops.online import MANIFEST, OnlineStore, OnlineStoreError, _write_ipc
from modelops.store import model_store_dir, online_store_dir
from pytests.modelops.conftest import Trained, running_server, train_synthetic


def write_store(db: Path, trained: Trained) -> pa.Table:
    """An online store beside ``db``: 50 vehicles with the model's features, 3 customers, one model."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(50, 3))
    vehicles = pa.table(
        {
            "vehicle_id": pa.array(range(101, 151), pa.int64()),
            "x0": x[:, 0],
            "x1": pa.array([None if i % 7 == 0 else v for i, v in enumerate(x[:, 1])], pa.float64()),
            "x2": x[:, 2],
            "vehicle_type": pa.array(["VAN", "BOX_TRUCK"] * 25),
        }
    )
    customers = pa.table({"customer_id": pa.array([1, 2, 3], pa.int64()), "orders_30d": [4, 0, 12]})
    shipments = pa.table({"shipment_id": pa.array([7], pa.int64()), "distance_km": [812.5]})
    folder = online_store_dir(db)
    folder.mkdir(parents=True)
    _write_ipc(folder / "vehicle.arrow", vehicles)
    _write_ipc(folder / "customer.arrow", customers)
    _write_ipc(folder / "shipment.arrow", shipments)
    artefact = save_booster(trained.booster, model_store_dir(db))
    (folder / MANIFEST).write_text(
        json.dumps(
            {
                "model_store": "../warehouse.models",
                "models": [
                    {
                        "model_name": "synthetic_risk",
                        "model_version": 3,
                        "entity_type": "vehicle",
                        "feature_names": ["x0", "x1", "x2"],
                        "feature_categories": {},
                        "artefact_sha256": artefact.sha256,
                    }
                ],
            }
        )
    )
    return vehicles


@pytest.fixture(scope="module")
def trained() -> Trained:
    return train_synthetic(signal=2.0)


def test_lookups_return_the_exported_rows(tmp_path: Path, trained: Trained) -> None:
    vehicles = write_store(tmp_path / "warehouse.duckdb", trained)
    store = OnlineStore.for_warehouse(tmp_path / "warehouse.duckdb")
    ids = [150, 101, 108]
    by_id = {row["vehicle_id"]: row for row in vehicles.to_pylist()}
    assert store.get_online_features("vehicle", ids) == [by_id[i] for i in ids]
    assert store.get_online_features("customer", [3]) == [{"customer_id": 3, "orders_30d": 12}]


def test_predictions_equal_the_model_on_the_same_rows(tmp_path: Path, trained: Trained) -> None:
    vehicles = write_store(tmp_path / "warehouse.duckdb", trained)
    store = OnlineStore.for_warehouse(tmp_path / "warehouse.duckdb")
    ids = list(range(101, 151))
    x = np.column_stack([vehicles.column(c).to_numpy(zero_copy_only=False) for c in ("x0", "x1", "x2")])
    expected = trained.booster.predict(x.astype(float))
    assert np.array_equal(np.array(store.predict("synthetic_risk", ids)), expected)
    assert store.predict("synthetic_risk", [108]) == [expected[7]]


def test_unknown_ids_models_and_entities_are_named(tmp_path: Path, trained: Trained) -> None:
    write_store(tmp_path / "warehouse.duckdb", trained)
    store = OnlineStore.for_warehouse(tmp_path / "warehouse.duckdb")
    with pytest.raises(OnlineStoreError, match="unknown vehicle id 9999"):
        store.predict("synthetic_risk", [101, 9999])
    with pytest.raises(OnlineStoreError, match="no production model 'nope'"):
        store.predict("nope", [101])
    with pytest.raises(OnlineStoreError, match="unknown entity 'route'"):
        store.get_online_features("route", [1])


def test_a_tampered_model_is_not_served(tmp_path: Path, trained: Trained) -> None:
    write_store(tmp_path / "warehouse.duckdb", trained)
    path = artefact_path(
        model_store_dir(tmp_path / "warehouse.duckdb"), save_booster(trained.booster, tmp_path).sha256
    )
    path.write_text(path.read_text().replace("shrinkage=", "shrinkage=1", 1))
    with pytest.raises(ArtefactIntegrityError, match="was modified"):
        OnlineStore.for_warehouse(tmp_path / "warehouse.duckdb")


def test_no_store_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(OnlineStoreError, match="run `just score`"):
        OnlineStore.for_warehouse(tmp_path / "warehouse.duckdb")


@pytest.fixture
def server(tmp_path: Path, trained: Trained) -> Iterator[str]:
    """`python -m modelops serve` over the small store; stopped after the test."""
    write_store(tmp_path / "warehouse.duckdb", trained)
    with running_server(tmp_path / "warehouse.duckdb") as port:
        yield f"http://127.0.0.1:{port}"


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


def test_http_endpoint_answers_like_the_store(server: str, tmp_path: Path, trained: Trained) -> None:
    store = OnlineStore.for_warehouse(tmp_path / "warehouse.duckdb")
    assert _get(f"{server}/health")["models"] == {"synthetic_risk": 3}
    answer = _get(f"{server}/predict/synthetic_risk?ids=101&ids=140")
    assert answer["model_version"] == 3
    assert [s["score"] for s in answer["scores"]] == store.predict("synthetic_risk", [101, 140])
    rows = _get(f"{server}/features/vehicle?ids=108")["rows"]
    assert rows == store.get_online_features("vehicle", [108])
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(f"{server}/predict/synthetic_risk?ids=9999", timeout=10)
    assert error.value.code == 404
    assert "unknown vehicle id 9999" in error.value.read().decode()
