"""``python -m modelops {train,score,export,serve}``: the verbs of `just train`, `just score`, `just serve`.

Each command fails with one line naming the problem and exit code 2 (a locked or unbuilt
warehouse, an online store not exported yet, a tampered model file), never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from modelops.artefacts import ArtefactIntegrityError
from modelops.online import OnlineStore, OnlineStoreError, export_online_store
from modelops.registry import RegistryError
from modelops.store import model_store_dir
from warehouse.preflight import PreflightError, ensure_unlocked, locked_message
from warehouse.runtime import PARTIAL_PARSE_FILE, dbt_env, reuse_parse_state, run_dbt, warehouse_path


def train(
    db: Path,
    seed: int,
    records_only: bool = False,
    evaluation_days: int | None = None,
    warmup_days: int | None = None,
) -> int:
    """Train, evaluate, register and promote both models; rebuild the registry models (unless
    ``records_only``: the caller builds next); print the metrics. ``evaluation_days`` and
    ``warmup_days``: see ``modelops.training.train_all`` (its defaults when None)."""
    from modelops.training import EVALUATION_DAYS, FEATURE_WARMUP_DAYS, train_all

    with duckdb.connect(str(db)) as con:
        outcomes = train_all(
            con,
            model_store_dir(db),
            seed,
            EVALUATION_DAYS if evaluation_days is None else evaluation_days,
            FEATURE_WARMUP_DAYS if warmup_days is None else warmup_days,
        )
    for outcome in outcomes:
        version = outcome.version
        status = "production" if outcome.promoted else f"candidate ({outcome.refusal})"
        print(f"{version.spec.model_name} v{version.model_version}: {status}")
        print(f"  {'scorer':<11}{'ROC AUC':>9}{'PR AUC':>9}{'log loss':>10}{'Brier':>9}  what")
        for e in outcome.evaluations:
            m = e.metrics
            print(
                f"  {e.scorer:<11}{m['roc_auc']:>9.4f}{m['pr_auc']:>9.4f}{m['log_loss']:>10.4f}"
                f"{m['brier_score']:>9.4f}  {e.description}"
            )
    return 0 if records_only else _dbt(db, ["build", "--select", "models/ml/registry"])


def score(db: Path, records_only: bool = False) -> int:
    """Score with the production versions, build tbl_ml_predictions, export the online store (unless
    ``records_only``: only the scores are written, the caller builds next)."""
    from modelops.scoring import score_production

    with duckdb.connect(str(db)) as con:
        batches = score_production(con, model_store_dir(db))
    for batch in batches:
        print(
            f"{batch.model_name} v{batch.model_version}: {batch.rows:,} rows scored "
            f"(batch {batch.scoring_batch})"
        )
    if not batches:
        print("nothing new to score (no production model, or every feature row is scored)")
    if records_only:
        return 0
    code = _dbt(db, ["build", "--select", "tbl_ml_predictions"])
    return code or export(db)


def _dbt(db: Path, args: list[str]) -> int:
    """dbt against ``db``, streamed. Its artefacts go to ``target/modelops`` beside the warehouse, so the
    last full build's results (what `just summary` reports) stay in ``target/``; the first such run
    starts from the build's parse state there. When ``db`` is ``$LOGISTICS_DB``, dbt gets the path as
    the caller spelled it (maybe relative to this folder), as the build did: the path is part of dbt's
    profile, and another spelling of the same file would force a full parse (≈ 11 s).
    """
    target = db.parent / "target" / "modelops"
    reuse_parse_state(target, db.parent / "target" / PARTIAL_PARSE_FILE)
    spelled = warehouse_path()
    env = dbt_env(spelled if spelled.resolve() == db.resolve() else db)
    return run_dbt(args, env=env, target_path=target, cwd=Path.cwd(), capture=False).returncode


def export(db: Path) -> int:
    """Export the serving views and production models to the online store folder."""
    with duckdb.connect(str(db), read_only=True) as con:
        folder = export_online_store(db, con)
    print(f"online store exported to {folder}")
    return 0


def serve(db: Path, host: str, port: int) -> int:
    """Load the online store into memory and answer HTTP on host:port until stopped."""
    import uvicorn

    from modelops.api import create_app

    store = OnlineStore.for_warehouse(db)
    uvicorn.run(create_app(store), host=host, port=port, log_level="warning")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the sub-command and run it."""
    parser = argparse.ArgumentParser(prog="python -m modelops", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    train_parser = sub.add_parser("train", help="train, evaluate, register and promote both models")
    train_parser.add_argument("--seed", type=int, default=42)
    score_parser = sub.add_parser(
        "score", help="batch-score with the production models, then export the online store"
    )
    for records in (train_parser, score_parser):
        records.add_argument(
            "--records-only", action="store_true",
            help="only write the registry's records (no dbt build, no export): for a caller that builds next",
        )
    sub.add_parser("export", help="export the serving views and production models to the online store")
    serve_parser = sub.add_parser("serve", help="the HTTP endpoint over the online store")
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    db = warehouse_path().resolve()
    try:
        if args.command == "serve":
            return serve(db, args.host, args.port)
        if not db.exists():
            raise PreflightError(f"no warehouse at {db}; run `just demo` first")
        ensure_unlocked(db)
        if args.command == "train":
            return train(db, args.seed, args.records_only)
        if args.command == "score":
            return score(db, args.records_only)
        return export(db)
    except (PreflightError, RegistryError, OnlineStoreError, ArtefactIntegrityError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except duckdb.IOException as error:
        print(f"error: {locked_message(db, error)}", file=sys.stderr)
        return 2
    except duckdb.CatalogException as error:
        print(
            f"error: {db} holds no built ML layer ({str(error).splitlines()[0]}); run `just build` first",
            file=sys.stderr,
        )
        return 2
