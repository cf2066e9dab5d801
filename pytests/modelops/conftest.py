"""Fixtures of the model-operations tests: an empty registry, and small trained boosters."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import lightgbm
import numpy as np
import pytest

from modelops.evaluation import Evaluation, evaluate
from modelops.reference import feature_reference_bins
from modelops.registry import ModelSpec
from warehouse.runtime import REPO_ROOT, ScratchWarehouse

AT = datetime(2025, 12, 31, 23, 59, 59)


def demo_scale() -> str:
    """The scale `just demo` generates: $DEMO_SCALE, else the justfile's default (read, not restated)."""
    found = re.search(
        r'demo_scale := env_var_or_default\("DEMO_SCALE", "([0-9.]+)"\)', (REPO_ROOT / "justfile").read_text()
    )
    assert found, "the justfile no longer sets demo_scale"
    return os.environ.get("DEMO_SCALE", found.group(1))


@pytest.fixture(scope="session")
def empty_registry_template(
    tmp_path_factory: pytest.TempPathFactory, dbt_parse_state: ScratchWarehouse
) -> Path:
    """A DuckDB file holding only the registry's landing tables, made by the dbt macro itself."""
    scratch = ScratchWarehouse(tmp_path_factory.mktemp("registry_template"))
    scratch.dbt("run-operation", "create_ml_registry_landing_now")
    return scratch.db


@dataclass
class Registry:
    """A connection to a scratch warehouse with an empty registry, and its model store."""

    con: duckdb.DuckDBPyConnection
    store: Path
    db: Path


@pytest.fixture
def registry(empty_registry_template: Path, tmp_path: Path) -> Iterator[Registry]:
    """A fresh copy of the empty registry."""
    db = tmp_path / "warehouse.duckdb"
    shutil.copy(empty_registry_template, db)
    con = duckdb.connect(str(db))
    try:
        yield Registry(con, tmp_path / "warehouse.models", db)
    finally:
        con.close()


@dataclass
class Trained:
    """A small LightGBM model trained on synthetic rows, with what register() needs."""

    spec: ModelSpec
    booster: lightgbm.Booster
    evaluations: list[Evaluation]
    features: np.ndarray
    labels: np.ndarray


def train_synthetic(signal: float, seed: int = 7, rounds: int = 30, leaves: int = 31) -> Trained:
    """A model of y ~ signal · x0 on 4,000 rows; a larger ``signal`` gives a better model."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4000, 3))
    truth = 1 / (1 + np.exp(-(signal * x[:, 0] - 1)))
    y = (rng.uniform(size=4000) < truth).astype(np.int8)
    names = ["x0", "x1", "x2"]
    params = {
        "objective": "binary",
        "num_threads": 1,
        "deterministic": True,
        "verbose": -1,
        "seed": seed,
        "num_leaves": leaves,
    }
    booster = lightgbm.train(
        params, lightgbm.Dataset(x[:3000], y[:3000], feature_name=names), num_boost_round=rounds
    )
    held_x, held_y = x[3000:], y[3000:]
    evaluations = [
        evaluate("model", "synthetic model", held_y, booster.predict(held_x)),
        evaluate("baseline", "overall rate", held_y, np.full(len(held_y), y[:3000].mean())),
        evaluate("oracle", "true probability", held_y, truth[3000:]),
    ]
    spec = ModelSpec(
        model_name="synthetic_risk",
        algorithm="lightgbm gbdt binary",
        library_versions={"lightgbm": "4.7.0"},
        entity_type="vehicle",
        label_name="label_synthetic",
        feature_set_version="test.1",
        feature_names=tuple(names),
        feature_categories={},
        training_start_date=date(2025, 1, 1),
        training_end_date=date(2025, 6, 30),
        evaluation_start_date=date(2025, 7, 1),
        evaluation_end_date=date(2025, 9, 30),
        training_rows=3000,
        training_positives=int(y[:3000].sum()),
        evaluation_rows=1000,
        evaluation_positives=int(held_y.sum()),
        hyperparameters=params,
        random_seed=seed,
    )
    return Trained(spec, booster, evaluations, held_x, held_y)


def reference_of(trained: Trained) -> list:
    """Reference bins of the synthetic features."""
    import polars as pl

    frame = pl.DataFrame(trained.features, schema=list(trained.spec.feature_names), orient="row")
    return feature_reference_bins(frame, list(trained.spec.feature_names))


@contextmanager
def running_server(db: Path) -> Iterator[int]:
    """`python -m modelops serve` over the online store of ``db`` on a free port, once /health answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "LOGISTICS_DB": str(db), "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "modelops", "serve", "--port", str(port)],
        env=env,
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    stderr = process.stderr.read().decode() if process.stderr else ""
                    raise AssertionError(f"server did not start: {stderr}") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
