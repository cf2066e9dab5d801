"""The online store: the serving views exported to files of their own, looked up in memory.

``export_online_store`` reads the real-time serving views (``vw_ml_real_time_*_features``: the
latest feature row per entity) and the production model versions from the warehouse, and writes
them to ``<warehouse>.online/``: one Arrow IPC file per entity and a ``models.json`` manifest, each
written to a temporary name and renamed, so a reader never sees half a file. A serving process
(:class:`OnlineStore`) loads those files and the model artefacts (hash-checked) into memory and
never opens the warehouse file, so the next ``dbt build`` is never blocked by it.

Lookups are dictionary hits on the entity id; a prediction gathers the model's features from the
in-memory rows into one array and calls LightGBM once for all ids.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import lightgbm
import numpy as np
import pyarrow as pa
import pyarrow.ipc

from modelops.artefacts import load_booster
from modelops.encoding import feature_matrix
from modelops.registry import list_versions
from modelops.store import model_store_dir, online_store_dir

ML_SCHEMA = "main_ml"
MANIFEST = "models.json"


@dataclass(frozen=True)
class ServingView:
    """An entity of the online store: the serving view it is exported from and its key column."""

    entity_type: str
    view: str
    key: str


SERVING_VIEWS = {
    view.entity_type: view
    for view in (
        ServingView("customer", "vw_ml_real_time_customer_features", "customer_id"),
        ServingView("vehicle", "vw_ml_real_time_vehicle_features", "vehicle_id"),
        ServingView("shipment", "vw_ml_real_time_shipment_features", "shipment_id"),
    )
}


class OnlineStoreError(RuntimeError):
    """The online store cannot answer: not exported, an unknown entity or model, or an unknown id."""


def export_online_store(db_path: Path, con: duckdb.DuckDBPyConnection, schema: str = ML_SCHEMA) -> Path:
    """Write the serving views and the production models' manifest to the online store folder."""
    folder = online_store_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    for serving in SERVING_VIEWS.values():
        table = con.sql(f"select * from {schema}.{serving.view} order by {serving.key}").to_arrow_table()
        _write_atomic(folder / f"{serving.entity_type}.arrow", lambda path, t=table: _write_ipc(path, t))
    production = [
        {
            "model_name": v.spec.model_name,
            "model_version": v.model_version,
            "entity_type": v.spec.entity_type,
            "feature_names": list(v.spec.feature_names),
            "feature_categories": v.spec.feature_categories,
            "artefact_sha256": v.artefact_sha256,
        }
        for v in list_versions(con)
        if v.stage == "production"
    ]
    manifest = {"model_store": os.path.relpath(model_store_dir(db_path), folder), "models": production}
    _write_atomic(
        folder / MANIFEST, lambda path: path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
    )
    return folder


@dataclass
class _EntityTable:
    key: str
    table: pa.Table
    rows: dict[int, dict[str, object]]
    index: dict[int, int]  # id -> row number in ``table``


@dataclass(frozen=True)
class _ServedModel:
    name: str
    version: int
    entity_type: str
    matrix: np.ndarray  # the model's encoded features of every row of its entity's table
    booster: lightgbm.Booster


class OnlineStore:
    """The exported online store, in memory: feature lookups and predictions by entity id."""

    def __init__(self, folder: Path) -> None:
        manifest_path = folder / MANIFEST
        if not manifest_path.exists():
            raise OnlineStoreError(f"no online store at {folder}: run `just score` to export it")
        manifest = json.loads(manifest_path.read_text())
        self.folder = folder
        self.tables = {
            entity: _load_table(folder / f"{entity}.arrow", view.key)
            for entity, view in SERVING_VIEWS.items()
        }
        store = (folder / manifest["model_store"]).resolve()
        self.models: dict[str, _ServedModel] = {}
        for entry in manifest["models"]:
            table = self.tables.get(entry["entity_type"])
            if table is None:
                continue  # a model whose entity has no serving view is scored in batch only
            missing = [n for n in entry["feature_names"] if n not in table.table.column_names]
            if missing:
                raise OnlineStoreError(
                    f"model {entry['model_name']} v{entry['model_version']} needs features the "
                    f"{entry['entity_type']} serving view lacks: {', '.join(missing)}"
                )
            self.models[entry["model_name"]] = _ServedModel(
                name=entry["model_name"],
                version=int(entry["model_version"]),
                entity_type=entry["entity_type"],
                matrix=feature_matrix(table.table, entry["feature_names"], entry["feature_categories"]),
                booster=load_booster(store, entry["artefact_sha256"]),
            )

    @classmethod
    def for_warehouse(cls, db_path: Path) -> OnlineStore:
        """The online store exported from the warehouse at ``db_path``."""
        return cls(online_store_dir(db_path))

    def get_online_features(self, entity_type: str, ids: Sequence[int]) -> list[dict[str, object]]:
        """The latest feature row of each id, in the order of ``ids``, as the serving view holds it."""
        table = self._table(entity_type)
        try:
            return [table.rows[int(i)] for i in ids]
        except KeyError as error:
            raise OnlineStoreError(f"unknown {entity_type} id {error.args[0]}") from None

    def predict(self, model_name: str, ids: Sequence[int]) -> list[float]:
        """The production model's score for each id, from its online features."""
        model = self.models.get(model_name)
        if model is None:
            known = ", ".join(sorted(self.models)) or "none"
            raise OnlineStoreError(f"no production model {model_name!r} is served (served: {known})")
        table = self.tables[model.entity_type]
        try:
            positions = [table.index[int(i)] for i in ids]
        except KeyError as error:
            raise OnlineStoreError(f"unknown {model.entity_type} id {error.args[0]}") from None
        return [float(p) for p in model.booster.predict(model.matrix[positions], num_threads=1)]

    def _table(self, entity_type: str) -> _EntityTable:
        table = self.tables.get(entity_type)
        if table is None:
            raise OnlineStoreError(
                f"unknown entity {entity_type!r}; expected one of {', '.join(self.tables)}"
            )
        return table


def _load_table(path: Path, key: str) -> _EntityTable:
    if not path.exists():
        raise OnlineStoreError(f"{path} is missing: run `just score` to export the online store")
    with pa.memory_map(str(path)) as source:
        table = pa.ipc.open_file(source).read_all()
    ids = table.column(key).to_pylist()
    return _EntityTable(
        key, table, dict(zip(ids, table.to_pylist(), strict=True)), {i: n for n, i in enumerate(ids)}
    )


def _write_ipc(path: Path, table: pa.Table) -> None:
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _write_atomic(path: Path, write) -> None:  # type: ignore[no-untyped-def]
    partial = path.with_name(path.name + ".partial")
    write(partial)
    os.replace(partial, path)
