"""The online scoring endpoint (FastAPI): feature lookups and predictions over the online store.

``GET /features/{entity_type}?ids=1&ids=2`` → the latest feature rows; ``GET
/predict/{model_name}?ids=...`` → the production model's scores; ``GET /health`` → the models
served. The app holds an :class:`~modelops.online.OnlineStore` in memory and never opens the
warehouse file. An unknown entity, model or id answers 404 with the reason.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, HTTPException, Query

from modelops.online import OnlineStore, OnlineStoreError


def create_app(store: OnlineStore) -> FastAPI:
    """The ASGI app answering from ``store``."""
    app = FastAPI(title="Logistics online scoring", version="1")

    @app.get("/health")
    async def health() -> dict[str, object]:
        return {
            "status": "ok",
            "models": {name: model.version for name, model in sorted(store.models.items())},
            "entities": {name: len(table.rows) for name, table in sorted(store.tables.items())},
        }

    @app.get("/features/{entity_type}")
    async def features(entity_type: str, ids: Annotated[list[int], Query(min_length=1)]) -> dict[str, object]:
        try:
            return {"entity_type": entity_type, "rows": store.get_online_features(entity_type, ids)}
        except OnlineStoreError as error:
            raise HTTPException(status_code=404, detail=str(error)) from None

    @app.get("/predict/{model_name}")
    async def predict(model_name: str, ids: Annotated[list[int], Query(min_length=1)]) -> dict[str, object]:
        try:
            scores = store.predict(model_name, ids)
        except OnlineStoreError as error:
            raise HTTPException(status_code=404, detail=str(error)) from None
        model = store.models[model_name]
        return {
            "model_name": model_name,
            "model_version": model.version,
            "scores": [{"id": i, "score": s} for i, s in zip(ids, scores, strict=True)],
        }

    return app
