"""Where model operations keep their files: beside the warehouse file, never inside it.

For a warehouse ``/x/warehouse.duckdb`` the model artefacts live in ``/x/warehouse.models/`` and
the online store in ``/x/warehouse.online/``, so a scratch warehouse carries its own models and a
serving process reads files that no ``dbt build`` ever locks.
"""

from __future__ import annotations

from pathlib import Path

# The landing schema of the registry's records (dbt var ml_registry_schema; macro create_ml_registry_landing).
REGISTRY_SCHEMA = "ml_registry"


def model_store_dir(db_path: Path) -> Path:
    """The folder of model artefacts of the warehouse at ``db_path``."""
    return db_path.with_name(f"{db_path.stem}.models")


def online_store_dir(db_path: Path) -> Path:
    """The folder of the online feature store exported from the warehouse at ``db_path``."""
    return db_path.with_name(f"{db_path.stem}.online")
