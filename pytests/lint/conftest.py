"""Shared fixtures of the lint tests: the corpora and a DuckDB connection with their tables."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml

CORPUS = Path(__file__).parent / "corpus"


def load_cases(name: str) -> list[dict[str, Any]]:
    """The cases of ``corpus/<name>.yml``."""
    return yaml.safe_load((CORPUS / f"{name}.yml").read_text())["cases"]


@pytest.fixture(scope="module")
def corpus_tables() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB with the corpus tables."""
    with duckdb.connect() as con:
        con.execute((CORPUS / "fixture.sql").read_text())
        yield con


@pytest.fixture
def corpus_db(corpus_tables: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """The corpus tables inside a transaction rolled back after the case (some cases write)."""
    corpus_tables.begin()
    try:
        yield corpus_tables
    finally:
        corpus_tables.rollback()
