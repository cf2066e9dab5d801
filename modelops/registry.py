"""The model registry: register, promote, list and load model versions.

Records live in the warehouse's ``ml_registry`` landing schema (created by the dbt macro
``create_ml_registry_landing``, read by the models of ``models/ml/registry``), so the registry is a
table like any other, on DuckDB and on Snowflake. Only :func:`register` writes a version, and only
from a trained LightGBM model, its evaluations and its reference statistics: nothing else in the
project inserts into these tables (a test checks this).

Stages: a version is registered as ``candidate``; :func:`promote` makes it ``production`` and
archives the version it replaces. One production version per model. Promotion is refused unless
the candidate beats its naive baseline and, when a production version exists, that version
evaluated on the candidate's evaluation rows (higher ROC AUC and lower log loss, both).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb
import lightgbm
import polars as pl

from modelops.artefacts import ARTEFACT_FORMAT, Artefact, load_booster, save_booster
from modelops.evaluation import Evaluation, beats
from modelops.reference import ReferenceBin
from modelops.store import REGISTRY_SCHEMA

SCHEMA = REGISTRY_SCHEMA
CANDIDATE, PRODUCTION, ARCHIVED = "candidate", "production", "archived"


class RegistryError(RuntimeError):
    """A registry operation cannot be done; the message says why."""


class PromotionRefused(RegistryError):
    """A candidate does not meet the promotion rules; the message names the figures compared."""


@dataclass(frozen=True)
class ModelSpec:
    """What a training run says about the model it trained (everything but the version number)."""

    model_name: str
    algorithm: str
    library_versions: dict[str, str]
    entity_type: str
    label_name: str
    feature_set_version: str
    feature_names: tuple[str, ...]
    feature_categories: dict[str, list[str]]  # vocabulary of each categorical feature (modelops.encoding)
    training_start_date: date
    training_end_date: date
    evaluation_start_date: date
    evaluation_end_date: date
    training_rows: int
    training_positives: int
    evaluation_rows: int
    evaluation_positives: int
    hyperparameters: dict[str, object]
    random_seed: int


@dataclass(frozen=True)
class ModelVersion:
    """A registered version: its spec, number, stage, artefact hash and registration instant."""

    spec: ModelSpec
    model_version: int
    stage: str
    registered_at: datetime
    artefact_sha256: str


def register(
    con: duckdb.DuckDBPyConnection,
    store: Path,
    spec: ModelSpec,
    booster: lightgbm.Booster,
    evaluations: list[Evaluation],
    reference_bins: list[ReferenceBin],
    at: datetime,
) -> ModelVersion:
    """Store the artefact and record a new candidate version of ``spec.model_name``.

    ``evaluations`` must hold the model, its baseline and its oracle on the evaluation rows
    (``production`` too when a production version exists). A model whose artefact is already
    registered under that name is not registered twice: its existing version is returned.
    """
    _require_tables(con)
    _check_registrable(spec, booster, evaluations)
    artefact = save_booster(booster, store)
    for existing in list_versions(con, spec.model_name):
        if existing.artefact_sha256 == artefact.sha256:
            return existing
    version = _next_version(con, spec.model_name)
    key = {"model_name": spec.model_name, "model_version": version}
    records = {
        "model_versions": [_version_row(key, spec, artefact, at)],
        "model_evaluations": _metric_rows(key, evaluations),
        "model_reliability_bins": [
            {**key, "scorer": e.scorer, **b.__dict__} for e in evaluations for b in e.reliability
        ],
        "model_reference_bins": [{**key, **b.__dict__} for b in reference_bins],
    }
    with _transaction(con):
        for table, rows in records.items():
            _insert(con, table, rows)
        _transition(con, spec.model_name, version, None, CANDIDATE, at, "registered by a training run")
    return ModelVersion(spec, version, CANDIDATE, at, artefact.sha256)


def _check_registrable(spec: ModelSpec, booster: lightgbm.Booster, evaluations: list[Evaluation]) -> None:
    """Refuse a version without its model, baseline and oracle figures, or whose booster is not the spec's."""
    missing = {"model", "baseline", "oracle"} - {e.scorer for e in evaluations}
    if missing:
        raise RegistryError(
            f"{spec.model_name}: evaluations lack {', '.join(sorted(missing))}; nothing registered"
        )
    if list(booster.feature_name()) != list(spec.feature_names):
        raise RegistryError(f"{spec.model_name}: the booster's features differ from the spec's feature_names")


def _version_row(
    key: dict[str, object], spec: ModelSpec, artefact: Artefact, at: datetime
) -> dict[str, object]:
    """The ``model_versions`` record: the spec (JSON for its mappings and lists) and the artefact."""
    return {
        **key,
        "registered_at": at,
        **{k: v for k, v in spec.__dict__.items() if k not in ("model_name",)},
        "library_versions": json.dumps(spec.library_versions, sort_keys=True),
        "feature_names": json.dumps(list(spec.feature_names)),
        "feature_categories": json.dumps(spec.feature_categories, sort_keys=True),
        "hyperparameters": json.dumps(spec.hyperparameters, sort_keys=True),
        "artefact_sha256": artefact.sha256,
        "artefact_format": ARTEFACT_FORMAT,
        "artefact_bytes": artefact.size_bytes,
    }


def _metric_rows(key: dict[str, object], evaluations: list[Evaluation]) -> list[dict[str, object]]:
    """One ``model_evaluations`` record per scorer and metric."""
    return [
        {
            **key,
            "scorer": e.scorer,
            "scorer_description": e.description,
            "compared_version": e.compared_version,
            "metric_name": name,
            "metric_value": value,
        }
        for e in evaluations
        for name, value in sorted(e.metrics.items())
    ]


def promote(
    con: duckdb.DuckDBPyConnection, model_name: str, model_version: int, at: datetime
) -> ModelVersion:
    """Make a candidate the production version of its model, archiving the current one.

    Raises ``PromotionRefused`` when the candidate does not beat its baseline, or does not beat
    the current production version evaluated on the candidate's evaluation rows.
    """
    _require_tables(con)
    versions = {v.model_version: v for v in list_versions(con, model_name)}
    candidate = _candidate(versions, model_name, model_version)
    metrics = _metrics(con, model_name, model_version)
    _refuse_unless_beats(
        model_name, model_version, metrics.get("model"), metrics.get("baseline"), "its baseline"
    )
    production = next((v for v in versions.values() if v.stage == PRODUCTION), None)
    with _transaction(con):
        reason = "beats its baseline"
        if production is not None:
            _refuse_unless_beats_production(con, model_name, model_version, metrics, production)
            _transition(
                con,
                model_name,
                production.model_version,
                PRODUCTION,
                ARCHIVED,
                at,
                f"replaced by v{model_version}",
            )
            reason += f" and v{production.model_version}"
        _transition(con, model_name, model_version, CANDIDATE, PRODUCTION, at, reason)
    return ModelVersion(
        candidate.spec, model_version, PRODUCTION, candidate.registered_at, candidate.artefact_sha256
    )


def _candidate(versions: dict[int, ModelVersion], model_name: str, model_version: int) -> ModelVersion:
    """The version to promote; refused unless it exists and is a candidate."""
    candidate = versions.get(model_version)
    if candidate is None:
        raise RegistryError(f"{model_name} has no version {model_version}")
    if candidate.stage != CANDIDATE:
        raise PromotionRefused(f"{model_name} v{model_version} is {candidate.stage}, not a candidate")
    return candidate


def _refuse_unless_beats_production(
    con: duckdb.DuckDBPyConnection,
    model_name: str,
    model_version: int,
    metrics: dict[str, dict[str, float]],
    production: ModelVersion,
) -> None:
    """Refused unless the candidate was compared with this production version and beats it."""
    compared = _compared_version(con, model_name, model_version)
    if compared != production.model_version:
        raise PromotionRefused(
            f"{model_name} v{model_version} was evaluated against "
            f"{'no production version' if compared is None else f'v{compared}'}, but production is "
            f"v{production.model_version}: retrain to compare it on the same evaluation rows"
        )
    _refuse_unless_beats(
        model_name,
        model_version,
        metrics.get("model"),
        metrics.get("production"),
        f"production v{production.model_version}",
    )


@contextmanager
def _transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit the block's writes together, or roll them all back."""
    con.execute("begin transaction")
    try:
        yield
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def list_versions(con: duckdb.DuckDBPyConnection, model_name: str | None = None) -> list[ModelVersion]:
    """Every registered version (of ``model_name`` if given) with its current stage, by name and version."""
    _require_tables(con)
    rows = con.sql(
        f"""
        with latest_stage as (
            select model_name, model_version, to_stage as stage
            from {SCHEMA}.model_stage_transitions
            qualify row_number() over (partition by model_name, model_version
                                       order by transition_number desc) = 1
        )
        select v.*, s.stage
        from {SCHEMA}.model_versions as v
        join latest_stage as s using (model_name, model_version)
        where $name is null or v.model_name = $name
        order by v.model_name, v.model_version
        """,
        params={"name": model_name},
    ).pl()
    return [_version_from_row(r) for r in rows.iter_rows(named=True)]


def production_version(con: duckdb.DuckDBPyConnection, model_name: str) -> ModelVersion | None:
    """The production version of ``model_name``, or None."""
    return next((v for v in list_versions(con, model_name) if v.stage == PRODUCTION), None)


def load(
    con: duckdb.DuckDBPyConnection, store: Path, model_name: str, model_version: int | None = None
) -> tuple[ModelVersion, lightgbm.Booster]:
    """A version (the production one by default) and its model, after checking the artefact's hash."""
    versions = list_versions(con, model_name)
    chosen = next(
        (
            v
            for v in versions
            if (v.model_version == model_version if model_version else v.stage == PRODUCTION)
        ),
        None,
    )
    if chosen is None:
        wanted = f"version {model_version}" if model_version else "production version"
        raise RegistryError(f"{model_name} has no {wanted}; run `just train` first")
    return chosen, load_booster(store, chosen.artefact_sha256)


def _require_tables(con: duckdb.DuckDBPyConnection) -> None:
    found = con.execute(
        "select count(*) from information_schema.tables "
        "where table_schema = ? and table_name = 'model_versions'",
        [SCHEMA],
    ).fetchall()
    if found[0][0] == 0:
        raise RegistryError(f"the warehouse has no {SCHEMA} schema: build it first (`just build`)")


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict[str, object]]) -> None:
    if not rows:
        return
    batch = pl.DataFrame(rows, infer_schema_length=None)
    con.register("registry_batch", batch)
    try:
        con.execute(f"insert into {SCHEMA}.{table} by name select * from registry_batch")
    finally:
        con.unregister("registry_batch")


def _next_version(con: duckdb.DuckDBPyConnection, model_name: str) -> int:
    rows = con.execute(
        f"select coalesce(max(model_version), 0) + 1 from {SCHEMA}.model_versions where model_name = ?",
        [model_name],
    ).fetchall()
    return int(rows[0][0])


def _transition(
    con: duckdb.DuckDBPyConnection,
    model_name: str,
    model_version: int,
    from_stage: str | None,
    to_stage: str,
    at: datetime,
    reason: str,
) -> None:
    rows = con.execute(
        f"select coalesce(max(transition_number), 0) + 1 from {SCHEMA}.model_stage_transitions "
        "where model_name = ?",
        [model_name],
    ).fetchall()
    _insert(
        con,
        "model_stage_transitions",
        [
            {
                "model_name": model_name,
                "model_version": model_version,
                "transition_number": int(rows[0][0]),
                "from_stage": from_stage,
                "to_stage": to_stage,
                "transitioned_at": at,
                "reason": reason,
            }
        ],
    )


def _metrics(
    con: duckdb.DuckDBPyConnection, model_name: str, model_version: int
) -> dict[str, dict[str, float]]:
    by_scorer: dict[str, dict[str, float]] = {}
    for scorer, metric, value in con.execute(
        f"select scorer, metric_name, metric_value from {SCHEMA}.model_evaluations "
        "where model_name = ? and model_version = ?",
        [model_name, model_version],
    ).fetchall():
        by_scorer.setdefault(scorer, {})[metric] = value
    return by_scorer


def _compared_version(con: duckdb.DuckDBPyConnection, model_name: str, model_version: int) -> int | None:
    rows = con.execute(
        f"select max(compared_version) from {SCHEMA}.model_evaluations "
        "where model_name = ? and model_version = ? and scorer = 'production'",
        [model_name, model_version],
    ).fetchall()
    return None if rows[0][0] is None else int(rows[0][0])


def _refuse_unless_beats(
    model_name: str,
    model_version: int,
    challenger: dict[str, float] | None,
    incumbent: dict[str, float] | None,
    incumbent_name: str,
) -> None:
    if challenger is None or incumbent is None:
        raise PromotionRefused(f"{model_name} v{model_version} has no evaluation against {incumbent_name}")
    if not beats(challenger, incumbent):
        raise PromotionRefused(
            f"{model_name} v{model_version} does not beat {incumbent_name} on the evaluation rows: "
            f"ROC AUC {challenger['roc_auc']:.4f} vs {incumbent['roc_auc']:.4f}, "
            f"log loss {challenger['log_loss']:.4f} vs {incumbent['log_loss']:.4f} "
            "(it must be higher on AUC and lower on log loss)"
        )


def _version_from_row(row: dict[str, object]) -> ModelVersion:
    fields = {name: row[name] for name in ModelSpec.__dataclass_fields__}
    fields["library_versions"] = json.loads(str(row["library_versions"]))
    fields["feature_names"] = tuple(json.loads(str(row["feature_names"])))
    fields["feature_categories"] = json.loads(str(row["feature_categories"]))
    fields["hyperparameters"] = json.loads(str(row["hyperparameters"]))
    return ModelVersion(
        spec=ModelSpec(**fields),  # type: ignore[arg-type]
        model_version=int(row["model_version"]),  # type: ignore[arg-type]
        stage=str(row["stage"]),
        registered_at=row["registered_at"],  # type: ignore[arg-type]
        artefact_sha256=str(row["artefact_sha256"]),
    )
