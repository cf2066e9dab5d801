"""Model artefacts under a content hash: saved once, refused when tampered with.

The format is LightGBM's own text model (``Booster.model_to_string``): portable across machines
and LightGBM builds, readable, and parsed as data — loading it never executes code, unlike a
pickle. Its bytes are deterministic for the same data, parameters and library version, so the
same training run gives the same hash. The file name is the SHA-256 of its bytes; ``load_booster``
recomputes the hash and refuses a file whose bytes changed.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import lightgbm

ARTEFACT_FORMAT = "lightgbm-text"
_SUFFIX = ".lgb.txt"


class ArtefactIntegrityError(RuntimeError):
    """A model artefact is missing or its bytes do not match the hash the registry recorded."""


@dataclass(frozen=True)
class Artefact:
    """A stored model file: its content hash, size and path."""

    sha256: str
    size_bytes: int
    path: Path


def artefact_path(store: Path, sha256: str) -> Path:
    """Where the artefact with this hash lives in ``store``."""
    return store / f"{sha256}{_SUFFIX}"


def save_booster(booster: lightgbm.Booster, store: Path) -> Artefact:
    """Write ``booster`` to ``store`` under the SHA-256 of its text; atomic, idempotent."""
    data = booster.model_to_string().encode("utf-8")
    sha256 = hashlib.sha256(data).hexdigest()
    path = artefact_path(store, sha256)
    store.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        os.replace(partial, path)
    return Artefact(sha256=sha256, size_bytes=len(data), path=path)


def read_verified(store: Path, sha256: str) -> bytes:
    """The bytes of the artefact ``sha256``; raises ``ArtefactIntegrityError`` if missing or altered."""
    path = artefact_path(store, sha256)
    if not path.exists():
        raise ArtefactIntegrityError(
            f"model artefact {path} is missing: retrain (`just train`) to recreate it"
        )
    data = path.read_bytes()
    actual = hashlib.sha256(data).hexdigest()
    if actual != sha256:
        raise ArtefactIntegrityError(
            f"model artefact {path} was modified: the registry recorded sha256 {sha256}, "
            f"the file now hashes to {actual}; refusing to load it (retrain with `just train`)"
        )
    return data


def load_booster(store: Path, sha256: str) -> lightgbm.Booster:
    """The LightGBM model stored under ``sha256``, after checking its bytes against the hash."""
    return lightgbm.Booster(model_str=read_verified(store, sha256).decode("utf-8"))
